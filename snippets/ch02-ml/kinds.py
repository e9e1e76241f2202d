"""第 2 章 · 机器学习的类型：监督、无监督、半监督、强化学习，各一个很小的例子。

页面：docs/ch02-ml/index.md（机器学习的类型一节）。
"""

# --8<-- [start:supervised]
import numpy as np

from nndl_ref import data
from nndl_ref.numpy.linear import SoftmaxRegression
from nndl_ref.numpy.train import fit

X, y = data.make_blobs(n_per_class=50, n_classes=3, seed=0)   # 每个样本都带标签 y
model = SoftmaxRegression(n_features=2, n_classes=3)
fit(model, X, y, epochs=30, lr=0.5, batch_size=16, seed=0)
print(f"监督学习：训练集准确率 {np.mean(model.predict(X) == y):.3f}")
# --8<-- [end:supervised]
assert np.mean(model.predict(X) == y) > 0.95

# --8<-- [start:unsupervised]
import numpy as np

from nndl_ref import data

X, y = data.make_blobs(n_per_class=50, n_classes=3, seed=0)   # 只用 X，不看 y
rng = np.random.default_rng(0)
centers = X[rng.choice(len(X), size=3, replace=False)]       # k-means：随机挑 3 个点作初始中心
for _ in range(20):
    d2 = ((X[:, None, :] - centers[None, :, :]) ** 2).sum(-1)  # (N, 3) 到各中心的平方距离
    assign = d2.argmin(axis=1)                                 # 分给最近的中心
    centers = np.stack([X[assign == k].mean(axis=0) for k in range(3)])  # 中心移到簇的均值
# 簇的编号是任意的：看每个簇里多数样本的真实类别，统计"纯度"
purity = sum(np.bincount(y[assign == k]).max() for k in range(3)) / len(y)
print(f"无监督学习（k-means）：簇的纯度 {purity:.3f}")
# --8<-- [end:unsupervised]
assert purity > 0.95

# --8<-- [start:semi]
import numpy as np

from nndl_ref import data

X, y = data.make_blobs(n_per_class=50, n_classes=3, std=0.9, seed=1)
labeled = np.array([0, 50, 100])                # 每类只有 1 个带标签的样本，其余 147 个没有标签
unlabeled = np.setdiff1d(np.arange(len(y)), labeled)


def nearest_centroid(X_fit, y_fit, X_new):
    mu = np.stack([X_fit[y_fit == k].mean(axis=0) for k in range(3)])
    return ((X_new[:, None, :] - mu[None]) ** 2).sum(-1).argmin(axis=1)


only_labeled = nearest_centroid(X[labeled], y[labeled], X[unlabeled])
pseudo = only_labeled
for _ in range(5):                               # 自训练：用自己的预测当"伪标签"，重新估计类中心
    X_all = np.r_[X[labeled], X[unlabeled]]
    y_all = np.r_[y[labeled], pseudo]
    pseudo = nearest_centroid(X_all, y_all, X[unlabeled])
print(f"只用 3 个标签: {np.mean(only_labeled == y[unlabeled]):.3f}")
print(f"再用 147 个无标签样本自训练: {np.mean(pseudo == y[unlabeled]):.3f}")
# --8<-- [end:semi]
assert np.mean(pseudo == y[unlabeled]) >= np.mean(only_labeled == y[unlabeled])

# --8<-- [start:rl]
import numpy as np

rng = np.random.default_rng(0)
p_win = np.array([0.2, 0.5, 0.8])        # 三台老虎机的中奖概率，智能体事先不知道
Q = np.zeros(3)                          # 每台机器的平均奖励估计
n = np.zeros(3)
total = 0.0
for t in range(2000):
    a = rng.integers(3) if rng.random() < 0.1 else int(Q.argmax())   # ε-贪心：10% 探索
    r = float(rng.random() < p_win[a])                               # 环境只给一个奖励，不给"正确答案"
    n[a] += 1
    Q[a] += (r - Q[a]) / n[a]                                        # 增量式平均
    total += r
print("估计的中奖概率:", np.round(Q, 2))
print(f"选最好那台的比例: {n[2] / n.sum():.2f}，平均奖励: {total / 2000:.3f}")
# --8<-- [end:rl]
assert Q.argmax() == 2 and n[2] / n.sum() > 0.8
