"""第 3 章 · 铰链损失与线性 SVM：与感知器在同一份数据上比较间隔。

页面：docs/ch03-linear/index.md（铰链损失与支持向量机一节）。
"""

# --8<-- [start:numpy]
import numpy as np

from nndl_ref import data
from nndl_ref.numpy.linear import LinearSVM, Perceptron
from nndl_ref.numpy.train import fit

X, y = data.make_separable(n=100, margin=0.5, seed=0)     # y ∈ {-1, +1}
svm = LinearSVM(n_features=2, weight_decay=1e-2)
fit(svm, X, y, epochs=300, lr=0.1, batch_size=len(X), seed=0)   # 全批量次梯度下降
per = Perceptron(seed=0).fit(X, y)


def geometric_margin(w, b):
    """最近样本到决策边界的距离 min_n y (w·x + b) / ‖w‖。"""
    return np.min(y * (X @ w + b)) / np.linalg.norm(w)


print(f"感知器的几何间隔: {geometric_margin(per.w, per.b):.3f}")
print(f"SVM 的几何间隔:   {geometric_margin(svm.w, svm.b[0]):.3f}")
print("SVM 训练集准确率:", np.mean(svm.predict(X) == y))
# --8<-- [end:numpy]
svm_margin = geometric_margin(svm.w, svm.b[0])
per_margin = geometric_margin(per.w, per.b)

# --8<-- [start:torch]
import torch

from nndl_ref import data
from nndl_ref.torch import losses

X, y = data.make_separable(n=100, margin=0.5, seed=0)
X, y = torch.from_numpy(X), torch.from_numpy(y)
w = torch.zeros(2, dtype=torch.float64, requires_grad=True)
b = torch.zeros(1, dtype=torch.float64, requires_grad=True)
opt = torch.optim.SGD([w, b], lr=0.1)
for _ in range(300):
    loss = losses.hinge_loss(X @ w + b, y) + 0.5 * 1e-2 * (w @ w)   # 铰链 + λ/2 ‖w‖²
    opt.zero_grad()
    loss.backward()
    opt.step()
margin = ((y * (X @ w + b)).min() / w.norm()).item()
print(f"SVM 的几何间隔:   {margin:.3f}")
# --8<-- [end:torch]

# ---- 页面上的断言：SVM 的间隔比感知器大，且两个实现一致 ----
assert svm_margin > per_margin
assert abs(svm_margin - margin) < 1e-6

# ---- 页面上的断言：每个点离生成时的分界线 x1 + x2 = 1.5 至少 0.5；最大间隔（硬间隔 SVM）是 0.515 ----
from sklearn.svm import SVC

X, y = data.make_separable(n=100, margin=0.5, seed=0)
assert np.min(np.abs(X.sum(axis=1) - 1.5)) / np.sqrt(2) >= 0.5
hard = SVC(kernel="linear", C=1e8).fit(X, y)
max_margin = np.min(y * hard.decision_function(X)) / np.linalg.norm(hard.coef_)
assert round(max_margin, 3) == 0.515 and 0.9 * max_margin < svm_margin <= max_margin
assert round(svm_margin, 3) == 0.488
