"""第 5 章 · 二维多通道卷积：前向、反向（梯度检查）、NumPy 与 torch 对照、快速版与可读版对照。

页面：docs/ch05-cnn/index.md（5.2、5.3 节）。
"""

# --8<-- [start:numpy]
import numpy as np
import torch
import torch.nn.functional as F

from nndl_ref.numpy.conv import conv2d_forward

rng = np.random.default_rng(0)
X = rng.standard_normal((2, 3, 6, 6))          # B=2 张图，D=3 个通道，M×N = 6×6
W = rng.standard_normal((4, 3, 3, 3))          # P=4 个输出通道，每个有 D×U×V = 3×3×3 个权重
b = rng.standard_normal(4)

Y, cache = conv2d_forward(X, W, b, stride=1, padding=1)
print("Y 的形状 (B, P, M', N'):", Y.shape)

# 手算一个输出：y[0, p, i, j] = Σ_d Σ_u Σ_v w[p,d,u,v] · x̃[0, d, i+u, j+v] + b[p]
X_pad = np.pad(X, ((0, 0), (0, 0), (1, 1), (1, 1)))
p, i, j = 2, 3, 4
by_hand = np.sum(W[p] * X_pad[0, :, i:i + 3, j:j + 3]) + b[p]
print("按公式手算 y[0,2,3,4]:", round(by_hand, 6), "  函数:", round(Y[0, p, i, j], 6))

ref = F.conv2d(torch.tensor(X), torch.tensor(W), torch.tensor(b), padding=1).numpy()
print("与 torch.nn.functional.conv2d 相同:", np.allclose(Y, ref))
# --8<-- [end:numpy]

# --8<-- [start:torch]
import torch
import torch.nn.functional as F

from nndl_ref.torch.conv import conv2d

torch.manual_seed(0)
X = torch.randn(2, 3, 6, 6, dtype=torch.float64, requires_grad=True)
W = torch.randn(4, 3, 3, 3, dtype=torch.float64, requires_grad=True)

Y = conv2d(X, W, stride=2, padding=1, dilation=1)        # unfold（im2col）+ 矩阵乘法，按公式写出
Y_ref = F.conv2d(X, W, stride=2, padding=1)
print("Y 的形状:", tuple(Y.shape), " 与 F.conv2d 相同:", torch.allclose(Y, Y_ref))

dX, dW = torch.autograd.grad(Y.sum(), (X, W))
dX_ref, dW_ref = torch.autograd.grad(Y_ref.sum(), (X, W))
print("梯度也相同:", torch.allclose(dX, dX_ref) and torch.allclose(dW, dW_ref))
# --8<-- [end:torch]

# --8<-- [start:backward]
import numpy as np

from nndl_ref.gradcheck import numerical_vjp, rel_error
from nndl_ref.numpy.conv import conv2d_backward, conv2d_forward

rng = np.random.default_rng(1)
X, W, b = rng.standard_normal((2, 2, 5, 5)), rng.standard_normal((3, 2, 3, 3)), rng.standard_normal(3)
hyper = dict(stride=2, padding=1, dilation=1)
Y, cache = conv2d_forward(X, W, b, **hyper)
delta = rng.standard_normal(Y.shape)              # 上游梯度 δ = ∂L/∂Y（随便取一个）
dX, dW, db = conv2d_backward(delta, cache)

# 数值梯度：中心差分近似 Σ δ · ∂Y/∂θ
num_dX = numerical_vjp(lambda v: conv2d_forward(v, W, b, **hyper)[0], X.copy(), delta)
num_dW = numerical_vjp(lambda v: conv2d_forward(X, v, b, **hyper)[0], W.copy(), delta)
num_db = numerical_vjp(lambda v: conv2d_forward(X, W, v, **hyper)[0], b.copy(), delta)
for name, a, n in (("dX", dX, num_dX), ("dW", dW, num_dW), ("db", db, num_db)):
    print(f"{name}: 相对误差 < 1e-8: {rel_error(a, n) < 1e-8}")
# --8<-- [end:backward]

# --8<-- [start:fast]
import numpy as np

from nndl_ref.numpy import conv, conv_fast

rng = np.random.default_rng(2)
X = rng.standard_normal((8, 16, 14, 14)).astype(np.float32)
W = (0.1 * rng.standard_normal((32, 16, 3, 3))).astype(np.float32)
b = np.zeros(32, dtype=np.float32)
delta = rng.standard_normal((8, 32, 7, 7)).astype(np.float32)

Y1, c1 = conv.conv2d_forward(X, W, b, stride=2, padding=1)               # 可读版
Y2, c2 = conv_fast.conv2d_forward_fast(X, W, b, stride=2, padding=1)     # 快速版
same = np.allclose(Y1, Y2, atol=1e-5) and all(
    np.allclose(g1, g2, atol=1e-4) for g1, g2 in zip(conv.conv2d_backward(delta, c1),
                                                     conv_fast.conv2d_backward_fast(delta, c2)))
print("快速版与可读版的输出和三个梯度都相同:", same)
print("输出的 dtype:", Y2.dtype)
# --8<-- [end:fast]
