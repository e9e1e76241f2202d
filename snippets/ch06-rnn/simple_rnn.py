"""第 6 章 · 简单循环网络：一步的公式、沿时间展开、与 torch.nn.RNN 对照。页面：docs/ch06-rnn/index.md（6.2 节）。"""

# --8<-- [start:step]
import numpy as np

from nndl_ref.numpy.rnn import rnn_step_forward

rng = np.random.default_rng(0)
B, D, H = 2, 3, 4                                  # 批大小、输入维数、隐状态维数
W = rng.standard_normal((H, D)) * 0.5              # 状态-输入权重
U = rng.standard_normal((H, H)) * 0.5              # 状态-状态权重
b = np.zeros(H)
x_t = rng.standard_normal((B, D))
h_prev = np.zeros((B, H))                          # h_0 = 0

z_t = U @ h_prev[0] + W @ x_t[0] + b               # 第 0 个样本，照公式写：z_t = U h_{t-1} + W x_t + b
h_t, _ = rnn_step_forward(x_t, h_prev, W, U, b)    # 批量形式：h_prev @ U.T + x_t @ W.T + b
print("h_t 的形状 (B, H):", h_t.shape)
print("与公式一致:", np.allclose(h_t[0], np.tanh(z_t)))
# --8<-- [end:step]

# --8<-- [start:unroll]
import numpy as np

from nndl_ref.numpy.rnn import rnn_forward

rng = np.random.default_rng(0)
D, H = 3, 4
W, U, b = rng.standard_normal((H, D)) * 0.5, rng.standard_normal((H, H)) * 0.5, np.zeros(H)
for T in (3, 50):                                  # 同一组参数处理任意长度的序列
    x = rng.standard_normal((T, 2, D))             # (T, B, D)：时间在前
    h, _ = rnn_forward(x, None, W, U, b)
    print(f"T = {T:2d}: h 的形状 {h.shape}，参数个数始终是 {W.size + U.size + b.size}")
# --8<-- [end:unroll]

# --8<-- [start:torch]
import numpy as np
import torch

from nndl_ref.numpy.rnn import rnn_forward

rng = np.random.default_rng(0)
T, B, D, H = 5, 2, 3, 4
W, U, b = rng.standard_normal((H, D)), rng.standard_normal((H, H)) * 0.5, rng.standard_normal(H)
x = rng.standard_normal((T, B, D))

rnn = torch.nn.RNN(D, H, nonlinearity="tanh").double()
with torch.no_grad():
    rnn.weight_ih_l0.copy_(torch.from_numpy(W))    # W：状态-输入
    rnn.weight_hh_l0.copy_(torch.from_numpy(U))    # U：状态-状态
    rnn.bias_ih_l0.copy_(torch.from_numpy(b))      # b
    rnn.bias_hh_l0.zero_()                         # torch 有两个偏置（相加），书中只有一个
h_torch, h_T = rnn(torch.from_numpy(x))
h_numpy, _ = rnn_forward(x, None, W, U, b)
print("与 torch.nn.RNN 一致:", np.allclose(h_numpy, h_torch.detach().numpy()))
print("h_n 就是最后时刻的 h_T:", torch.equal(h_T[0], h_torch[-1]))
# --8<-- [end:torch]
