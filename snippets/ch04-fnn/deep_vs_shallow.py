"""第 4 章 · 深而窄 vs 浅而宽：参数量相同，在同样的数据上比较。

页面：docs/ch04-fnn/index.md（4.7 深而窄还是浅而宽）。
"""

# --8<-- [start:spirals]
import numpy as np

from nndl_ref.numpy.mlp import MLP
from nndl_ref.numpy.optim import Adam, fit_full_batch


def two_spirals(n, turns=3.0, seed=0):
    """两条交错的螺旋臂，各绕 turns 圈：越往外绕，需要的"折线段"越多。"""
    rng = np.random.default_rng(seed)
    t = np.sqrt(rng.uniform(0, 1, n)) * turns * 2 * np.pi   # 角度（开方：外圈的点不至于太稀）
    c = rng.integers(0, 2, n)                                # 类别：第二条臂旋转 π
    r = 2 * t / (turns * 2 * np.pi)
    return np.c_[r * np.cos(t + np.pi * c), r * np.sin(t + np.pi * c)], c


X, y = two_spirals(800)
X_tr, y_tr, X_te, y_te = X[:400], y[:400], X[400:], y[400:]
print("结构                  参数量   训练准确率   测试准确率（3 个种子的平均）")
results = {}
for sizes in ([2, 64, 2], [2, 15, 15, 2], [2, 9, 9, 9, 9, 2]):
    tr, te = [], []
    for seed in range(3):
        net = MLP(sizes, "relu", seed=seed)
        fit_full_batch(net, X_tr, y_tr, Adam(net.params(), lr=0.02), steps=600)
        tr.append(np.mean(net.predict(X_tr) == y_tr))
        te.append(np.mean(net.predict(X_te) == y_te))
    results[len(sizes) - 2] = np.mean(te)
    print(f"{'-'.join(map(str, sizes)):<20}{net.n_params():>8}{np.mean(tr):>12.3f}{np.mean(te):>12.3f}")
# --8<-- [end:spirals]

# --8<-- [start:digits]
import numpy as np

from nndl_ref import data
from nndl_ref.numpy.mlp import MLP
from nndl_ref.numpy.train import fit

d = data.load_digits(standardize=True)
print("结构                  参数量   测试准确率（2 个种子的平均）")
digits = {}
for sizes in ([64, 44, 10], [64, 36, 20, 10]):
    accs = []
    for seed in range(2):
        net = MLP(sizes, seed=seed)
        fit(net, d.X_train, d.y_train, epochs=20, lr=0.1, batch_size=32, seed=seed)
        accs.append(np.mean(net.predict(d.X_test) == d.y_test))
    digits[len(sizes) - 2] = np.mean(accs)
    print(f"{'-'.join(map(str, sizes)):<20}{net.n_params():>8}{np.mean(accs):>12.3f}")
# --8<-- [end:digits]

# ---- 页面上的断言 ----
assert results[2] > results[1] + 0.1 and results[4] > results[1] + 0.1   # 螺旋：更深明显更好
assert 0.17 < results[4] - results[1] < 0.2                              # 页面：4 个隐藏层高出近 20 个百分点
assert abs(digits[2] - digits[1]) < 0.03                                 # 手写数字：差不多
