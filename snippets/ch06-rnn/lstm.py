"""第 6 章 · 长短期记忆网络（LSTM）：按公式写一步、与 torch.nn.LSTM 对照、记忆单元的加法通路。

页面：docs/ch06-rnn/index.md（6.6.1 节）。
"""

# --8<-- [start:step]
import numpy as np

from nndl_ref.numpy.activations import logistic as sigma
from nndl_ref.numpy.rnn import lstm_step_forward

rng = np.random.default_rng(0)
B, D, H = 2, 3, 4
W = rng.standard_normal((4 * H, D)) * 0.5          # [W_i; W_f; W_c; W_o]：四个门纵向堆叠
U = rng.standard_normal((4 * H, H)) * 0.5          # [U_i; U_f; U_c; U_o]
b = np.zeros(4 * H)
x_t, h_prev, c_prev = rng.standard_normal((B, D)), rng.standard_normal((B, H)), rng.standard_normal((B, H))

Wi, Wf, Wc, Wo = np.split(W, 4)
Ui, Uf, Uc, Uo = np.split(U, 4)
x, h = x_t[0], h_prev[0]                           # 第 0 个样本，照公式一行一行写
i_t = sigma(Wi @ x + Ui @ h)                       # 输入门
f_t = sigma(Wf @ x + Uf @ h)                       # 遗忘门
c_tilde = np.tanh(Wc @ x + Uc @ h)                 # 候选记忆：tanh，不是 σ
o_t = sigma(Wo @ x + Uo @ h)                       # 输出门
c_t = f_t * c_prev[0] + i_t * c_tilde              # c_t = f_t ⊙ c_{t-1} + i_t ⊙ c̃_t
h_t = o_t * np.tanh(c_t)                           # h_t = o_t ⊙ tanh(c_t)

h_batch, c_batch, _ = lstm_step_forward(x_t, h_prev, c_prev, W, U, b)
print("与公式一致:", np.allclose(h_batch[0], h_t) and np.allclose(c_batch[0], c_t))
print("门的取值在 (0, 1):", all(0 < v.min() and v.max() < 1 for v in (i_t, f_t, o_t)))
print("候选记忆可正可负:", c_tilde.min() < 0 < c_tilde.max())
# --8<-- [end:step]

# --8<-- [start:torch]
import numpy as np
import torch

from nndl_ref.numpy.rnn import lstm_backward, lstm_forward

rng = np.random.default_rng(0)
T, B, D, H = 7, 3, 5, 4
W, U, b = rng.standard_normal((4 * H, D)), rng.standard_normal((4 * H, H)), rng.standard_normal(4 * H)
x, g = rng.standard_normal((T, B, D)), rng.standard_normal((T, B, H))

h, (h_T, c_T), cache = lstm_forward(x, None, None, W, U, b)
dx, dh0, dc0, dW, dU, db = lstm_backward(g, cache)

lstm = torch.nn.LSTM(D, H).double()
with torch.no_grad():                              # 门的顺序相同（torch 记作 i, f, g, o），直接拷贝
    lstm.weight_ih_l0.copy_(torch.from_numpy(W))
    lstm.weight_hh_l0.copy_(torch.from_numpy(U))
    lstm.bias_ih_l0.copy_(torch.from_numpy(b))
    lstm.bias_hh_l0.zero_()
xt = torch.tensor(x, requires_grad=True)
ht, (hn, cn) = lstm(xt)
ht.backward(torch.from_numpy(g))
print("输出与最后的记忆单元一致:", np.allclose(h, ht.detach().numpy()) and np.allclose(c_T, cn[0].detach().numpy()))
print("W、U、b、x 的梯度一致:", all(np.allclose(a, t.numpy()) for a, t in (
    (dW, lstm.weight_ih_l0.grad), (dU, lstm.weight_hh_l0.grad), (db, lstm.bias_ih_l0.grad), (dx, xt.grad))))
# --8<-- [end:torch]

# --8<-- [start:memory]
import numpy as np

from nndl_ref.numpy.rnn import bptt_gradient_norms

rng = np.random.default_rng(0)
T, B, D, H = 100, 8, 4, 32
x = rng.standard_normal((T, B, D))
k = 1 / np.sqrt(H)                                 # torch 的默认初始化 U(−1/√H, 1/√H)
W, U, b = rng.uniform(-k, k, (4 * H, D)), rng.uniform(-k, k, (4 * H, H)), rng.uniform(-k, k, 4 * H)
for b_f in (0.0, 3.0):
    b[H:2 * H] = b_f                               # 遗忘门的偏置：σ(3) ≈ 0.95，默认几乎不遗忘
    norms = bptt_gradient_norms("lstm", x, W, U, b)
    print(f"LSTM，b_f = {b_f}: ‖∂L/∂h_1‖ = {norms[0]:.1e}")
Wr, Ur, br = rng.uniform(-k, k, (H, D)), rng.uniform(-k, k, (H, H)), rng.uniform(-k, k, H)
print(f"简单循环网络:  ‖∂L/∂h_1‖ = {bptt_gradient_norms('rnn', x, Wr, Ur, br)[0]:.1e}")
# --8<-- [end:memory]
