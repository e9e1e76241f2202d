"""第 2 章 · 习题答案（每个答案都由测试运行并检查）。页面：docs/ch02-ml/index.md（习题）。"""

# --8<-- [start:ex1]
import numpy as np

from nndl_ref import metrics

rng = np.random.default_rng(0)
y = rng.integers(0, 5, 1000)
y_pred = np.where(rng.random(1000) < 0.7, y, rng.integers(0, 5, 1000))
p, r, f1 = metrics.precision_recall_f1(y, y_pred, average="micro")
print(f"{metrics.accuracy(y, y_pred):.4f} {p:.4f} {r:.4f} {f1:.4f}")
# --8<-- [end:ex1]
assert np.isclose(f1, metrics.accuracy(y, y_pred))

# --8<-- [start:ex2]
import numpy as np

from nndl_ref import metrics

y = np.array([0] * 95 + [1] * 5)                 # 95 个负例，5 个正例
y_pred = np.zeros(100, dtype=int)                # 永远预测多数类
print(f"准确率 {metrics.accuracy(y, y_pred):.2f}")
print(f"宏平均 F1 {metrics.f1_score(y, y_pred, average='macro'):.3f}")
print("每类召回率", metrics.precision_recall_f1(y, y_pred, average=None)[1])
# --8<-- [end:ex2]
_p, _r, _f = metrics.precision_recall_f1(y, y_pred, average=None)
assert round(_p[0], 2) == 0.95 and _r[0] == 1 and round(_f[0], 3) == 0.974 and _f[1] == 0   # 答案里负类的 P、R、F1

# --8<-- [start:ex3]
import numpy as np

from nndl_ref.numpy.regression import normal_equation

rng = np.random.default_rng(0)
X = rng.uniform(0.0, 2.0, size=(50, 1))
y = 2.0 * X[:, 0] - 1.0 + 0.3 * rng.standard_normal(50)
H = np.c_[X, np.ones(50)]                        # 增广 x̃ = (x, 1)：R 的海森矩阵是 H^T H / N
eig = np.linalg.eigvalsh(H.T @ H / 50)
print(f"海森矩阵的特征值 {eig.round(3)}，步长上限 2/μ_max = {2 / eig.max():.3f}")
for lam in (0.0, 1.0, 100.0):
    w, b = normal_equation(X, y, weight_decay=lam)
    print(f"λ = {lam:5.1f}: w = {w[0]:.4f}, b = {b:.4f}, ȳ = {y.mean():.4f}")
# --8<-- [end:ex3]
assert abs(normal_equation(X, y, 1e8)[1] - y.mean()) < 1e-6

# --8<-- [start:ex4]
import numpy as np

from nndl_ref.numpy.optim import SGD, fit_full_batch
from nndl_ref.numpy.regression import LinearRegression

rng = np.random.default_rng(0)
X = rng.uniform(0.0, 2.0, size=(50, 1))
y = 2.0 * X[:, 0] - 1.0 + 0.3 * rng.standard_normal(50)
for lr in (0.5, 0.85, 0.9):
    model = LinearRegression(1)
    losses = fit_full_batch(model, X, y, SGD(model.params(), lr=lr), steps=200)
    print(f"α = {lr}: 第 200 步的经验风险 {losses[-1]:.4g}")
# --8<-- [end:ex4]
