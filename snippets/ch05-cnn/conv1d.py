"""第 5 章 · 一维卷积：信号延迟累积、卷积与互相关（核翻转）、窄 / 宽 / 等宽卷积。

页面：docs/ch05-cnn/index.md（5.2 节）。
"""

# --8<-- [start:delay]
import numpy as np

from nndl_ref.numpy.conv import convolve1d

w = np.array([1, 1 / 2, 1 / 4])             # k−1 步之前发出的信号衰减为 w_k 倍
x = np.array([1.0, 0, 0, 2, 0, 1, 1])      # 每个时刻发出的信号 x_t
y = convolve1d(x, w, mode="wide")[:len(x)]  # y_t = w_1 x_t + w_2 x_{t−1} + w_3 x_{t−2}（t ≤ 0 时 x_t = 0）
print("x:", x)
print("y:", y)
print("t = 6 时：", 1 * x[5] + 0.5 * x[4] + 0.25 * x[3], "=", y[5])
# --8<-- [end:delay]
assert np.allclose(y, np.convolve(x, w)[:len(x)])

# --8<-- [start:flip]
import numpy as np

from nndl_ref.numpy.conv import convolve1d, correlate1d

x = np.array([2.0, 2, 5, 5, 0, 0])
w = np.array([1.0, -1])
print("互相关 Σ w_k x_{t+k−1}:", correlate1d(x, w))    # x_t − x_{t+1}
print("卷积   Σ w_k x_{t−k+1}:", convolve1d(x, w))     # x_{t+1} − x_t：核被翻转，符号相反
print("卷积 = 翻转核后的互相关:", np.allclose(convolve1d(x, w), correlate1d(x, w[::-1])))
print("与 numpy.convolve 一致:", np.allclose(convolve1d(x, w), np.convolve(x, w, "valid")))
# --8<-- [end:flip]

# --8<-- [start:modes]
import numpy as np

from nndl_ref.numpy.conv import convolve1d

x = np.arange(1.0, 8.0)                    # M = 7
for K in (3, 4):
    w = np.ones(K)
    lengths = {mode: len(convolve1d(x, w, mode)) for mode in ("narrow", "wide", "same")}
    print(f"M = 7, K = {K}: 窄 {lengths['narrow']} = M−K+1，宽 {lengths['wide']} = M+K−1，等宽 {lengths['same']} = M")
# --8<-- [end:modes]

# --8<-- [start:torch]
import torch

from nndl_ref.torch.conv import convolve1d, correlate1d

x = torch.tensor([2.0, 2, 5, 5, 0, 0])
w = torch.tensor([1.0, -1])
print("互相关:", correlate1d(x, w).tolist())
print("卷积:  ", convolve1d(x, w).tolist())
# torch 的"卷积"层实际做的是互相关：
print("F.conv1d 是互相关:", torch.equal(torch.nn.functional.conv1d(x[None, None], w[None, None])[0, 0],
                                        correlate1d(x, w)))
# --8<-- [end:torch]
