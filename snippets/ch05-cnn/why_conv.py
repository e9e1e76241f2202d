"""第 5 章 · 为什么用卷积：局部连接与权重共享省下多少参数。页面：docs/ch05-cnn/index.md（5.1 节）。"""

# --8<-- [start:params]
from torch import nn

M, N, D = 28, 28, 1          # 输入：28×28 的灰度图
P, U = 16, 3                 # 输出：16 个 28×28 的特征映射；卷积核 3×3（等宽卷积）

n_in, n_out = M * N * D, M * N * P
full = n_in * n_out + n_out                   # 全连接：每个输出神经元连到全部 784 个输入
local = n_out * (U * U * D) + n_out           # 局部连接、不共享：每个输出神经元只连 3×3 窗口，各有一套权重
shared = P * (U * U * D) + P                  # 卷积：局部连接 + 同一特征映射共享一个卷积核

print(f"全连接层         {full:>12,d}")
print(f"局部连接（不共享）{local:>12,d}")
print(f"卷积层           {shared:>12,d}")
print(f"卷积层的参数是全连接层的 1/{full // shared:,d}")

# 与 torch 的层核对
conv = nn.Conv2d(D, P, U, padding=1)
fc = nn.Linear(n_in, n_out)
print(sum(p.numel() for p in conv.parameters()) == shared, sum(p.numel() for p in fc.parameters()) == full)
# --8<-- [end:params]
assert shared == 160 and local == 125_440
