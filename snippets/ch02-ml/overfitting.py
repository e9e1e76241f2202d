"""第 2 章 · 泛化：多项式次数与过拟合 / 欠拟合、岭回归、用验证集选超参数。

页面：docs/ch02-ml/index.md（风险、过拟合、正则化、数据划分三节）。
"""

# --8<-- [start:degree]
from nndl_ref.numpy.regression import fit_polynomial, make_sine, mse, polynomial_features

x, y = make_sine(10, noise_std=0.2, seed=0)          # 训练集：只有 10 个点
x_test, y_test = make_sine(200, noise_std=0.2, seed=1)  # 测试集：同一分布的 200 个新点
print(" M   训练误差   测试误差    max|w|")
for M in (1, 3, 6, 9):
    model = fit_polynomial(x, y, degree=M)
    train = mse(model.predict(polynomial_features(x, M)), y)
    test = mse(model.predict(polynomial_features(x_test, M)), y_test)
    print(f"{M:2d}  {train:9.4f}  {test:9.4f}  {abs(model.w).max():8.1f}")
# --8<-- [end:degree]
model9 = fit_polynomial(x, y, degree=9)
assert mse(model9.predict(polynomial_features(x, 9)), y) < 1e-12        # 9 次多项式穿过全部 10 个点
assert model9.w.shape == (9,) and len(x) == 10         # 页面：9 个权重加一个偏置，共 10 个参数，10 个点

# --8<-- [start:ridge]
from nndl_ref.numpy.regression import fit_polynomial, make_sine, mse, polynomial_features

x, y = make_sine(10, noise_std=0.2, seed=0)
x_test, y_test = make_sine(200, noise_std=0.2, seed=1)
print("   λ      训练误差   测试误差   max|w|")
for lam in (0.0, 1e-6, 1e-4, 1e-2, 1.0):
    model = fit_polynomial(x, y, degree=9, weight_decay=lam)      # 9 次多项式 + ℓ2 正则
    train = mse(model.predict(polynomial_features(x, 9)), y)
    test = mse(model.predict(polynomial_features(x_test, 9)), y_test)
    print(f"{lam:7.0e}  {train:9.4f}  {test:9.4f}  {abs(model.w).max():8.1f}")
# --8<-- [end:ridge]

# --8<-- [start:select]
import numpy as np

from nndl_ref.model_selection import train_val_test_split
from nndl_ref.numpy.regression import fit_polynomial, make_sine, mse, polynomial_features

x, y = make_sine(60, noise_std=0.2, seed=2)
tr, va, te = train_val_test_split(len(x), val=0.25, test=0.25, seed=0)
print(f"训练 {len(tr)} / 验证 {len(va)} / 测试 {len(te)}")
val_err = {}
for M in range(1, 10):
    model = fit_polynomial(x[tr], y[tr], degree=M)                 # 只用训练集拟合参数
    val_err[M] = mse(model.predict(polynomial_features(x[va], M)), y[va])   # 用验证集打分
best = min(val_err, key=val_err.get)
model = fit_polynomial(x[np.r_[tr, va]], y[np.r_[tr, va]], degree=best)   # 选定后用训练+验证重新拟合
test = mse(model.predict(polynomial_features(x[te], best)), y[te])         # 测试集只用这一次
print(f"验证集选出的次数 M = {best}，测试误差 {test:.4f}（噪声方差 σ² = 0.04）")
# --8<-- [end:select]
assert 3 <= best <= 7 and test < 0.1
