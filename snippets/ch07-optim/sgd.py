"""小批量梯度下降：学习率太小 / 合适 / 太大；批量大小与梯度的噪声。"""

# --8<-- [start:lr]
import numpy as np


def gd(lr, theta=2.0, steps=12):
    """在 f(θ) = θ² 上做梯度下降：θ ← θ − α·2θ = (1 − 2α)θ。"""
    for _ in range(steps):
        theta = theta - lr * 2 * theta
    return theta


for lr in (0.05, 0.3, 0.9, 1.05):
    print(f"α = {lr:<4}  12 步后 θ = {gd(lr):+.4f}   每步乘以 1 − 2α = {1 - 2 * lr:+.2f}")
# --8<-- [end:lr]

# --8<-- [start:noise]
import numpy as np

rng = np.random.default_rng(0)
N = 1000
X = np.c_[rng.standard_normal(N), np.ones(N)]
y = X @ np.array([2.0, -1.0]) + 0.5 * rng.standard_normal(N)
w = np.array([0.0, 0.0])
per_sample = X * (X @ w - y)[:, None]                      # 每个样本的梯度 (N, 2)
sigma1 = per_sample.std(0)                                 # 批量为 1 时梯度的标准差
for B in (1, 10, 100, 1000):
    grads = np.array([per_sample[rng.choice(N, B, replace=False)].mean(0) for _ in range(4000)])
    theory = sigma1 * np.sqrt((N - B) / (B * (N - 1)))     # 不放回抽样的标准差
    print(f"批量 {B:4d}: 梯度 ∂R/∂w 的标准差 实测 {grads[:, 0].std():.2f}  理论 {theory[0]:.2f}")
# --8<-- [end:noise]

assert abs(gd(0.3)) < 1e-3 < abs(gd(0.05)) and abs(gd(1.05)) > 2
