"""第 6 章 · 门控循环单元（GRU）：书中的公式、与按书中公式写的 torch 版对照、与 torch.nn.GRU 的区别。

页面：docs/ch06-rnn/index.md（6.6.2 节）。
"""

# --8<-- [start:book]
import numpy as np
import torch

from nndl_ref.numpy.rnn import gru_backward, gru_forward
from nndl_ref.torch.rnn import gru_forward as gru_forward_torch   # 按书中公式用 torch 写的版本

rng = np.random.default_rng(0)
T, B, D, H = 6, 3, 5, 4
W = rng.standard_normal((3 * H, D))                # [W_r; W_z; W_h]
U = rng.standard_normal((3 * H, H))                # [U_r; U_z; U_h]
b = rng.standard_normal(3 * H)
x, g = rng.standard_normal((T, B, D)), rng.standard_normal((T, B, H))

h, cache = gru_forward(x, None, W, U, b)
dx, dh0, dW, dU, db = gru_backward(g, cache)

Wt, Ut, bt = (torch.tensor(a, requires_grad=True) for a in (W, U, b))
ht = gru_forward_torch(torch.from_numpy(x), None, Wt, Ut, bt)
ht.backward(torch.from_numpy(g))
print("输出一致:", np.allclose(h, ht.detach().numpy()))
print("W、U、b 的梯度一致:", all(np.allclose(a, t.grad.numpy()) for a, t in ((dW, Wt), (dU, Ut), (db, bt))))
# --8<-- [end:book]

# --8<-- [start:differs]
import numpy as np
import torch

from nndl_ref.numpy.rnn import gru_forward

rng = np.random.default_rng(0)
T, B, D, H = 6, 3, 5, 4
W, U, b = rng.standard_normal((3 * H, D)), rng.standard_normal((3 * H, H)), rng.standard_normal(3 * H)
x = rng.standard_normal((T, B, D))

gru = torch.nn.GRU(D, H).double()
with torch.no_grad():                              # 形状、门的顺序 (r, z, n) 都相同，照样拷贝
    gru.weight_ih_l0.copy_(torch.from_numpy(W))
    gru.weight_hh_l0.copy_(torch.from_numpy(U))
    gru.bias_ih_l0.copy_(torch.from_numpy(b))
    gru.bias_hh_l0.zero_()
h_torch = gru(torch.from_numpy(x))[0].detach().numpy()
h_book, _ = gru_forward(x, None, W, U, b)
print(f"torch.nn.GRU 与书中的 GRU 的最大差: {np.abs(h_torch - h_book).max():.2f}")

U_h = U[2 * H:]                                    # 只有重置门的位置不同：r ⊙ (U_h h) 而不是 U_h (r ⊙ h)
h_prev = rng.standard_normal((1, H))
r = rng.uniform(0, 1, (1, H))
print("U_h (r ⊙ h) = r ⊙ (U_h h)?", np.allclose((r * h_prev) @ U_h.T, r * (h_prev @ U_h.T)))
# --8<-- [end:differs]
