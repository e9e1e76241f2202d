"""第 6 章 · 随时间反向传播（BPTT）：按书中符号手写 δ 的递推，与 rnn_backward、数值梯度、torch autograd 对照。

页面：docs/ch06-rnn/index.md（6.4 节）。
"""

# --8<-- [start:manual]
import numpy as np

from nndl_ref.numpy.rnn import rnn_backward, rnn_forward

rng = np.random.default_rng(0)
T, B, D, H = 6, 2, 3, 4
W, U, b = rng.standard_normal((H, D)), rng.standard_normal((H, H)) * 0.5, rng.standard_normal(H)
x = rng.standard_normal((T, B, D))
g = rng.standard_normal((T, B, H))                 # 每个时刻都有损失：L = Σ_t g_t · h_t，∂L_t/∂h_t = g_t

h, cache = rnn_forward(x, None, W, U, b)
h_prev = np.concatenate([np.zeros((1, B, H)), h[:-1]])          # h_0, …, h_{T-1}
dW, dU, db = np.zeros_like(W), np.zeros_like(U), np.zeros_like(b)
carry = np.zeros((B, H))                           # 从 t+1 传回来的 Uᵀ δ_{t+1}
for t in reversed(range(T)):
    dh_t = g[t] + carry                            # ∂L/∂h_t：本时刻的损失 + 后面所有时刻的损失
    delta = (1 - h[t] ** 2) * dh_t                 # δ_t = f'(z_t) ⊙ ∂L/∂h_t，tanh' = 1 − h²
    dU += delta.T @ h_prev[t]                      # ∂L/∂U = Σ_t δ_t h_{t-1}ᵀ
    dW += delta.T @ x[t]                           # ∂L/∂W = Σ_t δ_t x_tᵀ
    db += delta.sum(axis=0)                        # ∂L/∂b = Σ_t δ_t
    carry = delta @ U                              # Uᵀ δ_t，传给 t−1

_, _, dW2, dU2, db2 = rnn_backward(g, cache)
print("手写递推 = rnn_backward:", np.allclose(dW, dW2) and np.allclose(dU, dU2) and np.allclose(db, db2))
# --8<-- [end:manual]

# --8<-- [start:gradcheck]
import numpy as np

from nndl_ref.gradcheck import numerical_gradient, rel_error
from nndl_ref.numpy.rnn import rnn_backward, rnn_forward

rng = np.random.default_rng(0)
T, B, D, H = 6, 2, 3, 4
params = {"W": rng.standard_normal((H, D)), "U": rng.standard_normal((H, H)) * 0.5, "b": rng.standard_normal(H)}
x, g = rng.standard_normal((T, B, D)), rng.standard_normal((T, B, H))


def loss(**p):                                     # L = Σ_t g_t · h_t
    return float(np.sum(g * rnn_forward(x, None, p["W"], p["U"], p["b"])[0]))


_, cache = rnn_forward(x, None, params["W"], params["U"], params["b"])
_, _, dW, dU, db = rnn_backward(g, cache)
for name, analytic in (("W", dW), ("U", dU), ("b", db)):
    numeric = numerical_gradient(lambda v, name=name: loss(**{**params, name: v}), params[name].copy(), h=1e-5)
    print(f"∂L/∂{name}: 相对误差 < 1e-8: {rel_error(analytic, numeric) < 1e-8}")
# --8<-- [end:gradcheck]

# --8<-- [start:torch]
import numpy as np
import torch

from nndl_ref.numpy.rnn import rnn_backward, rnn_forward
from nndl_ref.torch.rnn import rnn_forward as rnn_forward_torch

rng = np.random.default_rng(0)
T, B, D, H = 6, 2, 3, 4
W, U, b = rng.standard_normal((H, D)), rng.standard_normal((H, H)) * 0.5, rng.standard_normal(H)
x, g = rng.standard_normal((T, B, D)), rng.standard_normal((T, B, H))

_, cache = rnn_forward(x, None, W, U, b)
dx, dh0, dW, dU, db = rnn_backward(g, cache)

Wt, Ut, bt = (torch.tensor(a, requires_grad=True) for a in (W, U, b))
xt = torch.tensor(x, requires_grad=True)
(torch.from_numpy(g) * rnn_forward_torch(xt, None, Wt, Ut, bt)).sum().backward()   # autograd 做 BPTT
same = all(np.allclose(a, t.grad.numpy()) for a, t in ((dW, Wt), (dU, Ut), (db, bt), (dx, xt)))
print("W、U、b、x 的梯度与 autograd 一致:", same)
# --8<-- [end:torch]
