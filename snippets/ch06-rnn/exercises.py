"""第 6 章 · 习题答案（每个答案都由测试运行并检查）。页面：docs/ch06-rnn/index.md（习题）。"""

# --8<-- [start:ex1]
import torch

D, H = 10, 20
book_rnn = H * D + H * H + H                      # W、U、b
book_lstm = 4 * (H * D + H * H + H)                # 四组（三个门 + 候选记忆）
book_gru = 3 * (H * D + H * H + H)                 # 三组（两个门 + 候选状态）
count = lambda m: sum(p.numel() for p in m.parameters())   # noqa: E731
print(book_rnn, book_lstm, book_gru)
print(count(torch.nn.RNN(D, H)), count(torch.nn.LSTM(D, H)), count(torch.nn.GRU(D, H)))   # torch 每组多一个偏置
# --8<-- [end:ex1]
assert (count(torch.nn.RNN(D, H)) - book_rnn, count(torch.nn.LSTM(D, H)) - book_lstm) == (H, 4 * H)

# --8<-- [start:ex2]
import numpy as np

from nndl_ref.numpy.rnn import lstm_step_backward, lstm_step_forward

rng = np.random.default_rng(0)
B, D, H = 2, 3, 4
W, U, b = rng.standard_normal((4 * H, D)), rng.standard_normal((4 * H, H)), rng.standard_normal(4 * H)
x, h_prev, c_prev = rng.standard_normal((B, D)), rng.standard_normal((B, H)), rng.standard_normal((B, H))
h, c, cache = lstm_step_forward(x, h_prev, c_prev, W, U, b)
f_t = cache[6]                                     # 遗忘门
_, _, dc_prev, *_ = lstm_step_backward(np.zeros((B, H)), np.ones((B, H)), cache)   # 只从 c_t 传回梯度
print("∂c_t/∂c_{t-1} = diag(f_t):", np.allclose(dc_prev, f_t))
# --8<-- [end:ex2]

# --8<-- [start:ex3]
import numpy as np

from nndl_ref.numpy.rnn import gru_forward, rnn_forward

rng = np.random.default_rng(0)
T, B, D, H = 10, 2, 3, 4
W, U, b = rng.standard_normal((3 * H, D)), rng.standard_normal((3 * H, H)), rng.standard_normal(3 * H)
W[:2 * H], U[:2 * H] = 0.0, 0.0                    # 两个门不看输入与状态，只由偏置决定
b[:H] = 50.0                                       # r_t = σ(50) ≈ 1：不重置
b[H:2 * H] = -50.0                                 # z_t = σ(−50) ≈ 0：完全用候选状态
x = rng.standard_normal((T, B, D))
h_gru, _ = gru_forward(x, None, W, U, b)
h_rnn, _ = rnn_forward(x, None, W[2 * H:], U[2 * H:], b[2 * H:])
print("r ≡ 1、z ≡ 0 的 GRU 就是简单循环网络:", np.allclose(h_gru, h_rnn))
# --8<-- [end:ex3]

# --8<-- [start:ex4]
import numpy as np

from nndl_ref.numpy.rnn import clip_grad_norm

g = {"W": np.array([30.0, 0.5]), "b": np.array([-0.2])}
direction = np.concatenate([v for v in g.values()])
by_value = np.clip(direction, -1.0, 1.0)           # 逐元素截断到 [−1, 1]
clip_grad_norm(g, max_norm=1.0)                    # 按全局范数截断
by_norm = np.concatenate([v for v in g.values()])
cos = lambda a, b: a @ b / np.linalg.norm(a) / np.linalg.norm(b)   # noqa: E731
print(f"与原梯度方向的夹角余弦：按范数 {cos(by_norm, direction):.4f}，逐元素 {cos(by_value, direction):.4f}")
# --8<-- [end:ex4]
