"""第 7 章习题的参考答案（每个答案都由代码核对）。"""

# --8<-- [start:ex1]
import numpy as np

from nndl_ref.numpy.optim import SGD

theta = np.zeros(1)
opt = SGD({"theta": theta}, lr=0.1, momentum=0.9)
steps = []
for _ in range(200):
    before = theta.copy()
    opt.step({"theta": np.array([1.0])})              # 梯度恒为 g = 1
    steps.append(float(before[0] - theta[0]))
print(f"第 1 步 {steps[0]:.3f}，第 200 步 {steps[-1]:.3f}，α·g/(1−ρ) = {0.1 / (1 - 0.9):.3f}")
# --8<-- [end:ex1]

# --8<-- [start:ex2]
import numpy as np

from nndl_ref.numpy.optim import Adam

for g in (1e-3, 1.0, 1e3):
    theta = np.zeros(1)
    Adam({"theta": theta}, lr=0.01).step({"theta": np.array([g])})
    print(f"g = {g:g}: 第一步 |Δθ| = {abs(theta[0]):.6f}")
# --8<-- [end:ex2]

# --8<-- [start:ex3]
import numpy as np

from nndl_ref.numpy.init import fans, kaiming_std

shape = (128, 64, 3, 3)                               # 64 → 128 通道的 3×3 卷积
fan_in, fan_out = fans(shape)
print(fan_in, round(2 / fan_in, 5), round(kaiming_std(shape), 4), round(np.sqrt(2 / 576), 4))
# --8<-- [end:ex3]

# --8<-- [start:ex4]
import numpy as np

from nndl_ref.numpy.regularization import dropout_forward

rng = np.random.default_rng(0)
p, x = 0.2, 3.0
samples = np.array([dropout_forward(np.array([x]), p, rng=rng)[0][0] for _ in range(100_000)])
print(f"均值 {samples.mean():.3f}（理论 {x}），方差 {samples.var():.3f}（理论 {x * x * p / (1 - p):.3f}）")
# --8<-- [end:ex4]

# --8<-- [start:ex5]
import torch

bn = torch.nn.BatchNorm1d(100)
learnable = sum(p.numel() for p in bn.parameters())
buffers = {name: b.numel() for name, b in bn.named_buffers()}
print(learnable, buffers)
# --8<-- [end:ex5]

# --8<-- [start:ex6]
import math

import numpy as np

from nndl_ref.numpy.optim import accumulated_grads

N, m = 256, 96                                    # 批量大小，每次最多能算的样本数
K = math.ceil(N / m)                              # 向上取整（256 // 96 = 2 会漏掉最后 64 个样本）
sizes = [min(m, N - k * m) for k in range(K)]     # 每块的样本数 |B_k|
weights = [s / N for s in sizes]                  # 每块梯度的权重 |B_k| / |B|
print(K, sizes, weights)

X, y = np.arange(float(N))[:, None], np.zeros(N)
loss_and_grads = lambda Xb, yb: (0.0, {"w": np.array([Xb.mean()])})   # noqa: E731  "梯度"= 本块的均值
print(accumulated_grads(loss_and_grads, X, y, micro_batch=m)[1]["w"], X.mean())
# --8<-- [end:ex6]

# ---- 页面上的断言：习题 6 的答案文字 ----
assert (K, sizes, weights) == (3, [96, 96, 64], [0.375, 0.375, 0.25])
assert sum(w * X[k * m:(k + 1) * m].mean() for k, w in enumerate(weights)) == X.mean()
assert sum(X[k * m:(k + 1) * m].mean() for k in range(K)) / K != X.mean()      # 各 1/K 不对
