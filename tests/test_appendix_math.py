"""附录 · 数学基础（docs/appendix/math.md）的每条结论都在这里用数字钉住。"""

import numpy as np
import pytest
import torch
from torch.autograd.functional import jacobian

from nndl_ref.gradcheck import numerical_gradient, numerical_vjp
from nndl_ref.numpy import activations as A


# ---------------------------------------------------------------- 导数与微分
@pytest.mark.parametrize("f,fp,fpp,x", [
    (lambda x: x ** 3, lambda x: 3 * x ** 2, lambda x: 6 * x, 2.0),
    (np.sin, np.cos, lambda x: -np.sin(x), 0.7),
    (np.exp, np.exp, np.exp, -1.0),
])
def test_increment_minus_differential_is_second_order(f, fp, fpp, x):
    """Δf − df = ½ f''(x) dx² + O(dx³)：微分 df = f'(x)dx 是增量的线性主部。"""
    for dx in (1e-2, 1e-3):
        remainder = (f(x + dx) - f(x)) - fp(x) * dx
        assert remainder / dx ** 2 == pytest.approx(fpp(x) / 2, rel=10 * dx)


def test_total_differential_and_steepest_ascent(rng):
    def f(v):
        return v[0] ** 2 * v[1] + np.sin(v[1])

    v = np.array([1.0, 2.0])
    grad = np.array([2 * v[0] * v[1], v[0] ** 2 + np.cos(v[1])])
    np.testing.assert_allclose(numerical_gradient(f, v.copy()), grad, rtol=1e-8)
    for scale in (1e-3, 1e-4):
        dv = scale * rng.standard_normal(2)
        assert abs(f(v + dv) - f(v) - grad @ dv) < 10 * scale ** 2          # df = ∇f·dv，误差 O(‖dv‖²)
    u = rng.standard_normal((500, 2))
    u /= np.linalg.norm(u, axis=1, keepdims=True)
    assert np.all(u @ grad <= np.linalg.norm(grad) + 1e-12)                 # 柯西-施瓦茨
    assert grad @ (grad / np.linalg.norm(grad)) == pytest.approx(np.linalg.norm(grad))


# ---------------------------------------------------------------- 链式法则与雅可比
def test_jacobian_chain_rule_and_shapes(rng):
    Am = torch.tensor(rng.standard_normal((4, 3)))
    Bm = torch.tensor(rng.standard_normal((2, 4)))

    def f(x):
        return torch.tanh(Am @ x)

    def g(u):
        return Bm @ u ** 2

    x = torch.tensor(rng.standard_normal(3))
    J_f, J_g, J_gf = jacobian(f, x), jacobian(g, f(x)), jacobian(lambda v: g(f(v)), x)
    assert J_f.shape == (4, 3) and J_g.shape == (2, 4) and J_gf.shape == (2, 3)
    torch.testing.assert_close(J_gf, J_g @ J_f)
    # 数值雅可比：第 i 行是用 e_i 作上游梯度的向量-雅可比积
    J_num = np.stack([numerical_vjp(lambda v: g(f(torch.from_numpy(v))).numpy(), x.numpy().copy(), e)
                      for e in np.eye(2)])
    np.testing.assert_allclose(J_num, J_gf.numpy(), rtol=1e-6, atol=1e-9)


def test_backprop_multiplies_transposed_jacobians(rng):
    """反向传播从不写出整个雅可比：仿射层 ∂L/∂x = Wᵀδ、∂L/∂W = δxᵀ；逐元素激活的雅可比是对角阵。"""
    W, b, x = rng.standard_normal((4, 3)), rng.standard_normal(4), rng.standard_normal(3)
    delta = rng.standard_normal(4)
    J = jacobian(lambda v: torch.from_numpy(W) @ v + torch.from_numpy(b), torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(J, W)
    np.testing.assert_allclose(J.T @ delta, W.T @ delta)
    np.testing.assert_allclose(numerical_vjp(lambda V: V @ x + b, W.copy(), delta), np.outer(delta, x), rtol=1e-8)
    z = W @ x + b
    Jt = jacobian(torch.tanh, torch.from_numpy(z)).numpy()
    np.testing.assert_allclose(Jt, np.diag(A.tanh_grad(z)), atol=1e-15)


# ---------------------------------------------------------------- 特征分解、奇异值分解与 A^100
def test_power_through_eigendecomposition():
    B = np.array([[0.5, 0.4], [0.3, 0.6]])
    lam, Q = np.linalg.eig(B)
    np.testing.assert_allclose(np.sort(lam), [0.2, 0.9])
    np.testing.assert_allclose(Q @ np.diag(lam ** 100) @ np.linalg.inv(Q), np.linalg.matrix_power(B, 100),
                               rtol=1e-10, atol=1e-20)
    # A^100 只剩主特征值那一项：A^100 ≈ 0.9^100 · (右特征向量 × 左特征向量)
    P = np.linalg.matrix_power(B, 100) / 0.9 ** 100
    np.testing.assert_allclose(np.linalg.matrix_power(B, 101) / 0.9 ** 101, P, rtol=1e-10)


@pytest.mark.parametrize("rho,expect", [(0.9, "vanish"), (1.1, "explode")])
def test_spectral_radius_decides(rho, expect):
    rng = np.random.default_rng(1)
    Q, _ = np.linalg.qr(rng.standard_normal((6, 6)))
    A_ = Q @ np.diag(rho * np.linspace(0.3, 1.0, 6)) @ Q.T
    n = np.linalg.norm(np.linalg.matrix_power(A_, 100), 2)
    assert n == pytest.approx(rho ** 100, rel=1e-8)
    assert (n < 1e-4) if expect == "vanish" else (n > 1e4)


def test_gelfand_formula_on_a_defective_matrix():
    """[[0.9, 3], [0, 0.9]] 不能对角化（特征分解失效），但 ‖A^k‖^{1/k} → ρ = 0.9 仍成立；
    它的最大奇异值 > 3，只给出没用的上界。"""
    J = np.array([[0.9, 3.0], [0.0, 0.9]])
    s = np.linalg.svd(J, compute_uv=False)
    assert s[0] > 3
    for k in (10, 100, 300):
        assert np.linalg.norm(np.linalg.matrix_power(J, k), 2) <= s[0] ** k
    assert np.linalg.norm(np.linalg.matrix_power(J, 3000), 2) ** (1 / 3000) == pytest.approx(0.9, abs=0.005)
    assert np.linalg.norm(np.linalg.matrix_power(J, 1000), 2) < 1e-40


def test_svd_facts(rng):
    M = rng.standard_normal((5, 5))
    U, S, Vt = np.linalg.svd(M)
    np.testing.assert_allclose(U @ np.diag(S) @ Vt, M, atol=1e-12)
    assert np.linalg.norm(M, 2) == pytest.approx(S[0])
    assert np.max(np.abs(np.linalg.eigvals(M))) <= S[0] + 1e-12            # ρ ≤ σ_max
    Sym = M + M.T
    np.testing.assert_allclose(np.linalg.svd(Sym, compute_uv=False),
                               np.sort(np.abs(np.linalg.eigvalsh(Sym)))[::-1], rtol=1e-10)


def test_spectral_radii_of_the_factors_do_not_decide_a_product():
    """附录最后一段：各层矩阵不同时，各自的谱半径不决定乘积——两个谱半径为 0 的矩阵，乘积的谱半径是 4；
    反过来，随机矩阵 N(0, s²/n) 连乘时每层的平均放大倍数约为 s（权重的尺度）。"""
    A = np.array([[0.0, 2.0], [0.0, 0.0]])
    B = np.array([[0.0, 0.0], [2.0, 0.0]])
    rho = lambda M: np.max(np.abs(np.linalg.eigvals(M)))      # noqa: E731
    assert rho(A) == 0 and rho(B) == 0
    np.testing.assert_array_equal(A @ B, [[4.0, 0.0], [0.0, 0.0]])
    assert rho(A @ B) == 4 and rho(np.linalg.matrix_power(A @ B, 10)) == 4 ** 10
    rng = np.random.default_rng(0)
    n, depth = 256, 40
    for s in (0.9, 1.1):
        v = rng.standard_normal(n)
        start = np.linalg.norm(v)
        for _ in range(depth):
            v = (s * rng.standard_normal((n, n)) / np.sqrt(n)).T @ v
        assert np.linalg.norm(v) / start == pytest.approx(s ** depth, rel=0.5)
