"""第 3 章 · 习题答案（每个答案都由测试运行并检查）。页面：docs/ch03-linear/index.md（习题）。"""

# --8<-- [start:ex1]
import numpy as np

from nndl_ref.numpy import losses

# logit z = 0 意味着 σ(z) = 0.5：无论 y 是 0 还是 1，损失都是 -log 0.5 = log 2
value = losses.binary_cross_entropy_with_logits(np.zeros(4), np.array([0.0, 1.0, 1.0, 0.0]))
print(f"{value:.4f} {np.log(2):.4f}")
# --8<-- [end:ex1]
assert np.isclose(value, np.log(2))

# --8<-- [start:ex2]
import numpy as np

from nndl_ref.numpy import losses

rng = np.random.default_rng(0)
z = rng.standard_normal((3, 5))
c = rng.standard_normal((3, 1)) * 100                     # 每行加不同的常数
print(np.allclose(losses.softmax(z + c), losses.softmax(z)))
# --8<-- [end:ex2]

# --8<-- [start:ex3]
import numpy as np

from nndl_ref.numpy import losses
from nndl_ref.numpy.linear import SoftmaxRegression

rng = np.random.default_rng(1)
X = rng.standard_normal((6, 4))
model = SoftmaxRegression(n_features=4, n_classes=2)
model.W[:] = rng.standard_normal((2, 4))
model.b[:] = rng.standard_normal(2)

p_softmax = model.predict_proba(X)[:, 1]                  # 第 1 类的 softmax 概率
w = model.W[1] - model.W[0]                               # 等价的 Logistic 回归参数
b = model.b[1] - model.b[0]
p_logistic = losses.sigmoid(X @ w + b)
print(np.allclose(p_softmax, p_logistic))
# --8<-- [end:ex3]

# --8<-- [start:ex4]
import numpy as np

from nndl_ref import data
from nndl_ref.numpy.linear import Perceptron

X, y = data.make_separable(n=100, margin=0.5, seed=0)
Xa = np.c_[X, np.ones(len(X))]                            # 增广：x̃ = (x, 1)，偏置并入权重
w_star = np.array([1.0, 1.0, -1.5])                       # 生成数据时用的分界线 x1 + x2 = 1.5
w_star /= np.linalg.norm(w_star)                          # 单位长度
gamma = np.min(y * (Xa @ w_star))                         # 这条分界线的间隔
R = np.max(np.linalg.norm(Xa, axis=1))
clf = Perceptron(shuffle=False).fit(X, y)
print(f"R = {R:.3f}, γ = {gamma:.3f}, 上界 (R/γ)² = {(R / gamma) ** 2:.0f}")
print(f"实际更新次数 {clf.n_updates_} ≤ 上界: {clf.n_updates_ <= (R / gamma) ** 2}")
# --8<-- [end:ex4]
assert clf.n_updates_ <= (R / gamma) ** 2
