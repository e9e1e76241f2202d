"""第 4 章 · 优化问题：损失是参数的非凸函数；深层网络的梯度消失（各层梯度范数）。

页面：docs/ch04-fnn/index.md（4.6 优化问题）。
"""

# --8<-- [start:nonconvex]
import numpy as np

from nndl_ref.numpy.activations import logistic as sigma

x, y = 1.0, 1.0                                      # 一个样本


def loss(w1, w2):                                    # y = σ(w₂ σ(w₁ x)) 的平方损失
    return (y - sigma(w2 * sigma(w1 * x))) ** 2


A, B = np.array([-3.0, -6.0]), np.array([6.0, 1.0])  # 参数空间里的两个点 (w₁, w₂)
mid = (A + B) / 2
print(f"L(A) = {loss(*A):.3f}，L(B) = {loss(*B):.3f}，两者平均 {(loss(*A) + loss(*B)) / 2:.3f}")
print(f"中点 L((A+B)/2) = {loss(*mid):.3f}，比平均值还大，所以 L 不是凸函数")
# --8<-- [end:nonconvex]
assert loss(*mid) > (loss(*A) + loss(*B)) / 2

# --8<-- [start:vanishing]
import numpy as np

from nndl_ref import data
from nndl_ref.numpy.mlp import MLP

d = data.load_digits(standardize=True)
X, y = d.X_train[:256], d.y_train[:256]
sizes = [64] + [64] * 10 + [10]                     # 10 个隐藏层，每层 64 个神经元
configs = {"Logistic + Xavier": ("logistic", "xavier"), "ReLU + N(0, 0.01²)": ("relu", "normal"),
           "ReLU + He": ("relu", "he")}
print(f"{'':<20}{'第 1 层':>10}{'第 6 层':>10}{'第 11 层':>10}")
norms = {}
for label, (activation, init) in configs.items():
    net = MLP(sizes, activation, init=init, seed=0)
    _, grads = net.loss_and_grads(X, y)              # 初始化时的一次前向 + 反向
    norms[label] = [np.linalg.norm(grads[f"W{l}"]) for l in range(1, net.L + 1)]   # ‖∂L/∂W^(l)‖
    print(f"{label:<20}" + "".join(f"{norms[label][l]:>10.1e}" for l in (0, 5, 10)))
# --8<-- [end:vanishing]

# ---- 页面上的断言 ----
sig, small, he = norms.values()
assert sig[0] / sig[-1] < 1e-5                        # S 型：越靠近输入越小，差 5 个数量级以上
assert max(small) < 1e-10                             # 初始化太小：处处都几乎为 0
assert 0.1 < min(he) and max(he) / min(he) < 5        # He 初始化：各层同一个量级
# 插图说明：Logistic 从第 11 层到第 1 层共衰减约 6 个数量级；太小的初始化处处约为 1e-13（同一量级）
assert 10 ** -6.5 < sig[0] / sig[-1] < 10 ** -5.5
assert all(1e-13 <= v < 1e-12 for v in small)
