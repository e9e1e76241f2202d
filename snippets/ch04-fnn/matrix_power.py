"""第 4 章 · 为什么 A^100 会爆炸或消失：特征分解、谱半径、奇异值，以及它与反向传播的关系。

页面：docs/ch04-fnn/index.md（4.6.3 为什么 A¹⁰⁰ 会爆炸或消失）。
"""

# --8<-- [start:eig]
import numpy as np

rng = np.random.default_rng(0)
Q, _ = np.linalg.qr(rng.standard_normal((4, 4)))     # 正交矩阵 Q
for rho in (0.9, 1.0, 1.1):
    lam = rho * np.array([1.0, 0.8, 0.5, 0.3])       # 特征值，最大的绝对值（谱半径）是 ρ
    A = Q @ np.diag(lam) @ Q.T                       # 对称矩阵 A = QΛQᵀ
    A100 = Q @ np.diag(lam ** 100) @ Q.T             # A¹⁰⁰ = QΛ¹⁰⁰Qᵀ：只需把特征值各自乘方
    same = np.allclose(A100, np.linalg.matrix_power(A, 100), rtol=1e-9, atol=1e-300)
    print(f"ρ = {rho}: ‖A¹⁰⁰‖₂ = {np.linalg.norm(A100, 2):.3e}，ρ¹⁰⁰ = {rho ** 100:.3e}，与连乘 100 次相同: {same}")
# --8<-- [end:eig]

# --8<-- [start:svd]
import numpy as np

A = np.array([[0.9, 3.0],
              [0.0, 0.9]])                           # 上三角：特征值都是 0.9，但不对称
U, S, Vt = np.linalg.svd(A)
rho = np.max(np.abs(np.linalg.eigvals(A)))
print(f"奇异值 {np.round(S, 4)}，谱半径 ρ = {rho:.1f}")
A100 = np.linalg.matrix_power(A, 100)
wrong = U @ np.diag(S ** 100) @ U.T                  # 笔记里的写法 UΣ¹⁰⁰Uᵀ：只对对称矩阵成立
print(f"真正的 ‖A¹⁰⁰‖₂ = {np.linalg.norm(A100, 2):.3e}")
print(f"UΣ¹⁰⁰Uᵀ 的范数 = {np.linalg.norm(wrong, 2):.3e}（大了 {np.linalg.norm(wrong, 2) / np.linalg.norm(A100, 2):.0e} 倍）")
print(f"上界 σ_max¹⁰⁰ = {S[0] ** 100:.3e}；‖A¹⁰⁰‖^(1/100) = {np.linalg.norm(A100, 2) ** 0.01:.3f}，接近 ρ")
# --8<-- [end:svd]
assert not np.allclose(wrong, A100)
assert np.linalg.norm(A100, 2) <= S[0] ** 100

# --8<-- [start:backprop]
import numpy as np

# 反向传播 δ^(l-1) = f'(z^(l-1)) ⊙ (W^(l)ᵀ δ^(l))：连乘 49 个矩阵，范数大约按 ρ⁴⁹ 变化
rng = np.random.default_rng(0)
n, L = 64, 50
ratios = []
for label, std, relu in (("线性，W ~ N(0, 0.9²/n)", 0.9, False), ("线性，W ~ N(0, 1.1²/n)", 1.1, False),
                         ("ReLU，W ~ N(0, 1/n)", 1.0, True), ("ReLU，He：N(0, 2/n)", np.sqrt(2), True)):
    delta = rng.standard_normal(n)                      # δ^(L)
    start = np.linalg.norm(delta)
    for l in range(L, 1, -1):
        W = std * rng.standard_normal((n, n)) / np.sqrt(n)
        delta = W.T @ delta                             # W^(l)ᵀ δ^(l)
        if relu:
            delta *= rng.random(n) < 0.5                # f'(z) ∈ {0, 1}，约一半神经元处于激活状态
    ratios.append(np.linalg.norm(delta) / start)
    print(f"{label:<24} ‖δ^(1)‖ / ‖δ^(L)‖ = {ratios[-1]:.1e}")
# --8<-- [end:backprop]

# ---- 页面上的断言 ----
assert ratios[0] < 1e-2 and ratios[1] > 10 and ratios[2] < 1e-6 and 0.1 < ratios[3] < 10
