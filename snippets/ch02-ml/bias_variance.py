"""第 2 章 · 偏差-方差分解：抽 200 个训练集，数值估计 9 次多项式岭回归的偏差²、方差与噪声。

页面：docs/ch02-ml/index.md（偏差-方差分解一节）。
"""

# --8<-- [start:table]
import numpy as np

from nndl_ref.model_selection import bias_variance_decomposition
from nndl_ref.numpy.regression import fit_polynomial, polynomial_features


def f(x):                                           # 真实函数（现实中未知）
    return np.sin(2 * np.pi * x)


x_test = np.linspace(0.05, 0.95, 50)
print("   λ      偏差²     方差    噪声   三项之和  实测误差")
for lam in (1e-8, 1e-6, 1e-4, 1e-2, 1e-1):
    def fit_predict(x, y, xq, lam=lam):              # 在一个训练集上训练，返回测试点上的预测
        return fit_polynomial(x, y, degree=9, weight_decay=lam).predict(polynomial_features(xq, 9))
    bv = bias_variance_decomposition(fit_predict, f, x_test, n_train=15, noise_std=0.2,
                                     n_datasets=200, seed=0)
    print(f"{lam:7.0e}  {bv.bias2:7.4f}  {bv.variance:7.4f}  {bv.noise:5.2f}  {bv.total:8.4f}  {bv.error:8.4f}")
# --8<-- [end:table]
assert abs(bv.total - bv.error) < 0.05 * bv.error

# ---- 页面上的断言：三项之和与实测误差相对差 < 1%；λ 从 1e-6 起偏差²升、方差降；总误差在 1e-4 处最小 ----
rows = {}
for lam in (1e-8, 1e-6, 1e-4, 1e-2, 1e-1):
    rows[lam] = bias_variance_decomposition(
        lambda x, y, xq, lam=lam: fit_polynomial(x, y, degree=9, weight_decay=lam).predict(polynomial_features(xq, 9)),
        f, x_test, n_train=15, noise_std=0.2, n_datasets=200, seed=0)
assert all(abs(r.total - r.error) < 0.01 * r.error for r in rows.values())
lams = [1e-6, 1e-4, 1e-2, 1e-1]
assert all(rows[a].bias2 < rows[b].bias2 and rows[a].variance > rows[b].variance for a, b in zip(lams, lams[1:]))
assert rows[1e-8].variance > rows[1e-6].variance and max(rows[1e-8].bias2, rows[1e-6].bias2) < 0.01
assert min(rows, key=lambda k: rows[k].error) == 1e-4 and min(rows, key=lambda k: rows[k].total) == 1e-4
