"""附录 · 数学基础（文件名不叫 math.py：那会遮住标准库的 math 模块）：导数与微分、梯度与全微分、向量与矩阵的链式法则、特征分解与奇异值分解。

页面：docs/appendix/math.md。
"""

# --8<-- [start:differential]
import numpy as np


def f(x):
    return x ** 3


def f_prime(x):                                   # 导函数 f'(x) = 3x²；f'(2) = 12 是一个数
    return 3 * x ** 2


x = 2.0
print("   dx       增量 Δf       微分 df = f'(x)dx   (Δf − df)/dx²")
for dx in (1e-1, 1e-2, 1e-3):
    delta_f = f(x + dx) - f(x)                    # 真实的改变量
    df = f_prime(x) * dx                          # 微分：dx 的线性函数
    print(f"{dx:>6.0e}{delta_f:>14.6f}{df:>16.6f}{(delta_f - df) / dx ** 2:>18.3f}")
# --8<-- [end:differential]

# --8<-- [start:total]
import numpy as np


def f(v):                                         # f(x, y) = x² y + sin y
    x, y = v
    return x ** 2 * y + np.sin(y)


def grad_f(v):                                    # ∇f = (∂f/∂x, ∂f/∂y) = (2xy, x² + cos y)
    x, y = v
    return np.array([2 * x * y, x ** 2 + np.cos(y)])


v = np.array([1.0, 2.0])
dv = np.array([1e-4, -2e-4])                      # (dx, dy)
print(f"Δf = {f(v + dv) - f(v):.8f}")
print(f"df = ∇f·(dx, dy) = {grad_f(v) @ dv:.8f}")
# 梯度方向是上升最快的方向：任意单位方向 u 的方向导数 ∇f·u 都不超过 ‖∇f‖
rng = np.random.default_rng(0)
u = rng.standard_normal((1000, 2))
u /= np.linalg.norm(u, axis=1, keepdims=True)
print(f"max_u ∇f·u = {np.max(u @ grad_f(v)):.4f} ≤ ‖∇f‖ = {np.linalg.norm(grad_f(v)):.4f}")
# --8<-- [end:total]

# --8<-- [start:jacobian]
import numpy as np
import torch
from torch.autograd.functional import jacobian

rng = np.random.default_rng(0)
A = torch.tensor(rng.standard_normal((4, 3)))
B = torch.tensor(rng.standard_normal((2, 4)))


def f(x):                                         # f: R³ → R⁴
    return torch.tanh(A @ x)


def g(u):                                         # g: R⁴ → R²
    return B @ u ** 2


x = torch.tensor([0.5, -1.0, 2.0], dtype=torch.float64)
J_f = jacobian(f, x)                              # (4, 3)：∂f_i/∂x_j
J_g = jacobian(g, f(x))                           # (2, 4)
J_gf = jacobian(lambda v: g(f(v)), x)             # (2, 3)
print("J_f", tuple(J_f.shape), " J_g", tuple(J_g.shape), " J_(g∘f)", tuple(J_gf.shape))
print("链式法则 J_(g∘f) = J_g J_f:", torch.allclose(J_gf, J_g @ J_f))
# --8<-- [end:jacobian]

# --8<-- [start:shapes]
import numpy as np

from nndl_ref.gradcheck import numerical_vjp
from nndl_ref.numpy import activations as act

rng = np.random.default_rng(0)
D, M = 3, 4
W, b, x = rng.standard_normal((M, D)), rng.standard_normal(M), rng.standard_normal(D)
z = W @ x + b                                     # z = Wx + b
delta = rng.standard_normal(M)                    # 上游梯度 δ = ∂L/∂z

# 仿射层：∂z/∂x 的雅可比矩阵就是 W (M×D)，所以 ∂L/∂x = Wᵀδ（向量-雅可比积，不必写出整个雅可比）
print("∂L/∂x = Wᵀδ:", np.allclose(W.T @ delta, numerical_vjp(lambda v: W @ v + b, x.copy(), delta)))
# ∂L/∂W 的形状与 W 相同：外积 δ xᵀ（M×D）
print("∂L/∂W = δxᵀ:", np.allclose(np.outer(delta, x), numerical_vjp(lambda V: V @ x + b, W.copy(), delta)))
# 逐元素激活：雅可比是对角阵 diag(f'(z))，乘它等于逐元素相乘 f'(z) ⊙ δ
J = np.diag(act.tanh_grad(z))
print("diag(f'(z)) δ = f'(z) ⊙ δ:", np.allclose(J @ delta, act.tanh_grad(z) * delta))
# --8<-- [end:shapes]

# --8<-- [start:eig]
import numpy as np

A = np.array([[0.5, 0.4],
              [0.3, 0.6]])                        # 不对称，但可以对角化
lam, Q = np.linalg.eig(A)                         # A = Q Λ Q⁻¹
print("特征值:", np.round(lam, 4), " 谱半径 ρ =", round(float(np.max(np.abs(lam))), 4))
A100 = Q @ np.diag(lam ** 100) @ np.linalg.inv(Q)  # A¹⁰⁰ = Q Λ¹⁰⁰ Q⁻¹：中间的 Q⁻¹Q 两两抵消
print("与连乘 100 次相同:", np.allclose(A100, np.linalg.matrix_power(A, 100)))
print("A¹⁰⁰ =", np.array2string(A100, formatter={"float": lambda v: f"{v:.3e}"}).replace("\n", ""))
print(f"0.9¹⁰⁰ = {0.9 ** 100:.3e}：A¹⁰⁰ 只剩最大特征值那一项，其余项按 0.2¹⁰⁰ 衰减殆尽")
# --8<-- [end:eig]

# --8<-- [start:svd]
import numpy as np

rng = np.random.default_rng(0)
A = rng.standard_normal((4, 4))                   # 一般的方阵
U, S, Vt = np.linalg.svd(A)                       # A = U Σ Vᵀ
A100 = np.linalg.matrix_power(A, 100)
rho = np.max(np.abs(np.linalg.eigvals(A)))
print(f"σ_max = {S[0]:.3f}，ρ = {rho:.3f}")
print("‖A‖₂ = σ_max:", np.isclose(np.linalg.norm(A, 2), S[0]))
print("UΣ¹⁰⁰Vᵀ = A¹⁰⁰:", np.allclose(U @ np.diag(S ** 100) @ Vt, A100))
print(f"‖A¹⁰⁰‖^(1/100) = {np.linalg.norm(A100, 2) ** 0.01:.3f}，介于 ρ 与 σ_max 之间")
Sym = A + A.T                                     # 对称矩阵：奇异值 = |特征值|，U 可取为特征向量（V 与它差符号）
Us, Ss, _ = np.linalg.svd(Sym)
print("对称矩阵、偶数次幂：UΣ¹⁰⁰Uᵀ = A¹⁰⁰:",
      np.allclose(Us @ np.diag(Ss ** 100) @ Us.T, np.linalg.matrix_power(Sym, 100), rtol=1e-8))
# --8<-- [end:svd]

# ---- 页面上的断言 ----
assert np.allclose(U @ np.diag(S) @ Vt, A)
assert not np.allclose(U @ np.diag(S ** 100) @ Vt, A100)
assert rho - 1e-9 <= np.linalg.norm(A100, 2) ** 0.01 <= S[0] + 1e-9
