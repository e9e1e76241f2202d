"""第 2 章 · 机器学习的四要素：一个线性回归问题，用正规方程和梯度下降各解一遍（NumPy 与 PyTorch）。

页面：docs/ch02-ml/index.md（四要素一节）。
"""

# --8<-- [start:data]
import numpy as np

rng = np.random.default_rng(0)
N = 50
X = rng.uniform(0.0, 2.0, size=(N, 1))                   # 数据：N 个样本，一行一个，D = 1
y = 2.0 * X[:, 0] - 1.0 + 0.3 * rng.standard_normal(N)   # 真实规律 y = 2x − 1，外加噪声
print(X.shape, y.shape)
# --8<-- [end:data]

# --8<-- [start:numpy]
import numpy as np

from nndl_ref.numpy.optim import SGD, fit_full_batch
from nndl_ref.numpy.regression import LinearRegression, normal_equation

rng = np.random.default_rng(0)
X = rng.uniform(0.0, 2.0, size=(50, 1))
y = 2.0 * X[:, 0] - 1.0 + 0.3 * rng.standard_normal(50)

w, b = normal_equation(X, y)                              # 优化方法 1：令梯度为 0，直接解
print(f"正规方程: w = {w[0]:.4f}, b = {b:.4f}")

model = LinearRegression(n_features=1)                    # 模型 f(x) = w x + b，从 w = b = 0 出发
losses = fit_full_batch(model, X, y, SGD(model.params(), lr=0.5), steps=300)   # 优化方法 2：梯度下降
print(f"梯度下降: w = {model.w[0]:.4f}, b = {model.b[0]:.4f}")
print(f"经验风险: 第 1 步 {losses[0]:.4f} → 第 300 步 {losses[-1]:.4f}")
# --8<-- [end:numpy]
np_w, np_b, np_losses = model.w.copy(), model.b.copy(), losses

# --8<-- [start:torch]
import numpy as np
import torch

from nndl_ref.torch.regression import LinearRegression, fit_gradient_descent, normal_equation

rng = np.random.default_rng(0)
X_np = rng.uniform(0.0, 2.0, size=(50, 1))
y_np = 2.0 * X_np[:, 0] - 1.0 + 0.3 * rng.standard_normal(50)
X, y = torch.from_numpy(X_np), torch.from_numpy(y_np)    # float64，与 NumPy 版同样的数据

w, b = normal_equation(X, y)
print(f"正规方程: w = {w[0]:.4f}, b = {b:.4f}")

model = LinearRegression(n_features=1, dtype=torch.float64)
losses = fit_gradient_descent(model, X, y, lr=0.5, steps=300)
print(f"梯度下降: w = {model.w[0]:.4f}, b = {model.b[0]:.4f}")
print(f"经验风险: 第 1 步 {losses[0]:.4f} → 第 300 步 {losses[-1]:.4f}")
# --8<-- [end:torch]

# ---- 页面上的断言：两种解法、两个框架给出同一个答案 ----
np.testing.assert_allclose(model.w.detach().numpy(), np_w, rtol=1e-10)
np.testing.assert_allclose(losses, np_losses, rtol=1e-10)
np.testing.assert_allclose(np_w, w.numpy(), atol=1e-6)

# ---- 页面上的断言：收敛比例 = max|1 − αμ_i|（α = 0.5，μ 是海森矩阵的特征值），风险之差按它的平方缩小 ----
mu = np.linalg.eigvalsh(np.c_[X_np, np.ones(50)].T @ np.c_[X_np, np.ones(50)] / 50)
rate = np.max(np.abs(1 - 0.5 * mu))
assert round(mu.min(), 3) == 0.148 and round(rate, 3) == 0.926 and round(rate ** 2, 3) == 0.858
w_best, b_best = normal_equation(X, y)
best = 0.5 * np.mean((X_np[:, 0] * w_best[0].item() + b_best.item() - y_np) ** 2)
gap = np.array(np_losses) - best
assert abs(gap[100] / gap[99] - rate ** 2) < 1e-6
