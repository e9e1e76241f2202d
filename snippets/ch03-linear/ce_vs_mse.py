"""第 3 章 · 为什么分类用交叉熵：同一个 Logistic 模型，分别用交叉熵和平方误差训练。

页面：docs/ch03-linear/index.md（交叉熵与均方误差一节）。
"""

# --8<-- [start:table]
import numpy as np

from nndl_ref.figures.ch03 import ce_vs_mse_curves

p = np.array([0.001, 0.01, 0.1, 0.5, 0.9, 0.99])          # 真实类（y = 1）的预测概率
ce, sq, g_ce, g_sq = ce_vs_mse_curves(p)
print("   p     交叉熵   平方误差   ∂CE/∂z   ∂MSE/∂z")
for row in zip(p, ce, sq, g_ce, g_sq):
    print("{:6.3f} {:9.3f} {:9.3f} {:9.3f} {:9.4f}".format(*row))
# --8<-- [end:table]

# --8<-- [start:train]
import numpy as np

from nndl_ref import data
from nndl_ref.numpy import losses

X, y = data.make_separable(n=200, margin=0.3, seed=1, labels="01")
w0 = np.array([-4.0, -4.0])                               # 故意从"信心十足地错"出发
b0 = 6.0


def train(loss_name, steps=200, lr=0.5):
    w, b = w0.copy(), b0
    for _ in range(steps):
        z = X @ w + b
        p = losses.sigmoid(z)
        if loss_name == "交叉熵":
            dz = losses.binary_cross_entropy_with_logits_grad(z, y)          # (p - y)/N
        else:
            dz = losses.mse_grad(p, y, reduction="half") * p * (1 - p)      # 链式法则多出 σ'(z)
        w -= lr * X.T @ dz
        b -= lr * dz.sum()
    return np.mean((X @ w + b >= 0) == y)


print("初始准确率:", np.mean((X @ w0 + b0 >= 0) == y))
for name in ["交叉熵", "平方误差"]:
    print(f"{name} 训练 200 步后的准确率: {train(name):.3f}")
# --8<-- [end:train]

# ---- 页面上的断言 ----
assert train("交叉熵") > 0.95 > train("平方误差")
