"""第 6 章 · 长程依赖问题：梯度随时间步消失或爆炸、ReLU 为什么爆炸、按全局范数截断梯度。

页面：docs/ch06-rnn/index.md（6.5 节）。
"""

# --8<-- [start:rho]
import numpy as np

from nndl_ref.numpy.rnn import bptt_gradient_norms

T, H = 60, 32
Q, _ = np.linalg.qr(np.random.default_rng(0).standard_normal((H, H)))   # 正交矩阵：所有特征值的模都是 1
x = np.zeros((T, 1, 1))                                                 # 输入为 0：h 一直是 0，tanh'(0) = 1
for rho in (0.9, 1.0, 1.1):
    U = rho * Q                                                         # 谱半径恰为 ρ
    norms = bptt_gradient_norms("rnn", x, np.zeros((H, 1)), U, np.zeros(H))
    print(f"ρ = {rho}: ‖∂L/∂h_1‖ / ‖∂L/∂h_T‖ = {norms[0] / norms[-1]:10.4g}    ρ^(T−1) = {rho ** (T - 1):10.4g}")
# --8<-- [end:rho]

# --8<-- [start:relu]
import numpy as np

from nndl_ref.numpy.rnn import bptt_gradient_norms, rnn_forward

rng = np.random.default_rng(1)
T, B, D, H = 60, 8, 4, 32
x = np.abs(rng.standard_normal((T, B, D))) * 0.5                # 正的输入
W, U, b = np.abs(rng.standard_normal((H, D))) * 0.2, 1.1 * np.eye(H), np.zeros(H)
for act in ("relu", "tanh"):
    h, _ = rnn_forward(x, None, W, U, b, activation=act)
    g = bptt_gradient_norms("rnn", x, W, U, b, activation=act)
    print(f"{act:4s}: ‖h_T‖ = {np.linalg.norm(h[-1], axis=1).mean():9.3g}，‖∂L/∂h_1‖ = {g[0]:9.3g}")
# --8<-- [end:relu]

# --8<-- [start:clip]
import numpy as np
import torch

from nndl_ref.numpy.rnn import clip_grad_norm

rng = np.random.default_rng(0)
grads = {"W": rng.standard_normal((4, 3)) * 10, "U": rng.standard_normal((4, 4)) * 10, "b": rng.standard_normal(4)}
tensors = [torch.nn.Parameter(torch.zeros(g.shape, dtype=torch.float64)) for g in grads.values()]
for t, g in zip(tensors, grads.values()):
    t.grad = torch.from_numpy(g.copy())
direction = np.concatenate([g.ravel() for g in grads.values()])

total = clip_grad_norm(grads, max_norm=1.0)                     # 原地缩放，返回截断前的范数
total_torch = torch.nn.utils.clip_grad_norm_(tensors, max_norm=1.0)
after = np.sqrt(sum(np.sum(g ** 2) for g in grads.values()))
clipped = np.concatenate([g.ravel() for g in grads.values()])
print(f"截断前的全局范数 {total:.4f}（torch {total_torch.item():.4f}），截断后 {after:.4f}")
print("与 clip_grad_norm_ 相同:", all(np.allclose(g, t.grad.numpy()) for g, t in zip(grads.values(), tensors)))
print("方向不变:", np.allclose(clipped / np.linalg.norm(clipped), direction / np.linalg.norm(direction)))
# --8<-- [end:clip]
