"""第 6 章 · 快速版 LSTM：与可读版结果相同（速度见 benchmarks/bench_rnn.py）。页面：docs/ch06-rnn/index.md（速度一节）。"""

# --8<-- [start:same]
import numpy as np

from nndl_ref.numpy.rnn import lstm_backward, lstm_forward
from nndl_ref.numpy.rnn_fast import lstm_backward_fast, lstm_forward_fast

rng = np.random.default_rng(0)
T, B, D, H = 64, 8, 16, 32
x, g = rng.standard_normal((T, B, D)), rng.standard_normal((T, B, H))
W, U, b = rng.standard_normal((4 * H, D)) * 0.3, rng.standard_normal((4 * H, H)) * 0.3, np.zeros(4 * H)

h1, _, cache1 = lstm_forward(x, None, None, W, U, b)             # 可读版：逐时刻、逐门
h2, _, cache2 = lstm_forward_fast(x, None, None, W, U, b)        # 快速版：大矩阵乘法 + 就地运算
same = np.allclose(h1, h2) and all(np.allclose(a, c) for a, c in zip(lstm_backward(g, cache1),
                                                                     lstm_backward_fast(g, cache2)))
print("快速版与可读版的输出和全部梯度都相同:", same)
h32, _, _ = lstm_forward_fast(x.astype(np.float32), None, None, W.astype(np.float32), U.astype(np.float32),
                              b.astype(np.float32))
print("输出的 dtype:", h32.dtype)
# --8<-- [end:same]
