"""第 4 章勘误的数值钉子：docs/appendix/errata.md 第 4 章一节 里每一条可计算的更正都在这里检查。"""

import numpy as np
import pytest
import torch

from nndl_ref.numpy import activations as A
from nndl_ref.numpy.mlp import one_hidden_layer_lstsq

X = np.linspace(-5, 5, 1001)


def test_tanh_denominator():
    """笔记：tanh(x) = (eˣ − e⁻ˣ)/(eˣ + eˣ)。分母应为 eˣ + e⁻ˣ；正确的式子等于 2σ(2x) − 1。"""
    notes = (np.exp(X) - np.exp(-X)) / (np.exp(X) + np.exp(X))        # = (1 − e⁻²ˣ)/2，值域只有 (−∞, 1/2)
    right = (np.exp(X) - np.exp(-X)) / (np.exp(X) + np.exp(-X))
    np.testing.assert_allclose(right, np.tanh(X), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(right, 2 * A.logistic(2 * X) - 1, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(A.tanh(X), right, rtol=1e-12, atol=1e-15)
    assert abs(notes[np.searchsorted(X, 1.0)] - np.tanh(1.0)) > 0.3      # x = 1：0.432 对 0.762
    assert notes.max() < 0.5                                             # 笔记的式子到不了 1


def test_logistic_derivative_is_sigma_one_minus_sigma():
    """笔记里 f'(x) 一栏是空的。σ'(x) = σ(x)(1 − σ(x))，最大值 σ'(0) = 1/4。"""
    h = 1e-6
    numerical = (A.logistic(X + h) - A.logistic(X - h)) / (2 * h)
    np.testing.assert_allclose(A.logistic_grad(X), numerical, rtol=1e-7, atol=1e-12)
    np.testing.assert_allclose(A.logistic_grad(X), A.logistic(X) * (1 - A.logistic(X)))
    assert A.logistic_grad(X).max() == 0.25 and X[np.argmax(A.logistic_grad(X))] == 0.0


def test_neuron_needs_the_bias(rng):
    """笔记：h(x) = f(Σ w_d x_d + b) = f(wᵀx)，第二个等号丢了 b。
    正确：f(wᵀx + b)，或者把 b 并入增广向量 ŵ = (w, b)、x̂ = (x, 1) 后写成 f(ŵᵀx̂)。"""
    x, w, b = rng.standard_normal(5), rng.standard_normal(5), 0.7
    right = A.logistic(w @ x + b)
    assert not np.isclose(A.logistic(w @ x), right)
    assert np.isclose(A.logistic(np.r_[w, b] @ np.r_[x, 1.0]), right)


def test_relu_is_left_saturated():
    """笔记：ReLU "不会像 S 型激活函数那样出现饱和现象"。ReLU 只在 z > 0 一侧不饱和；
    z < 0 时导数恰为 0（左饱和），这正是"死亡 ReLU"的原因。"""
    neg = -np.logspace(-8, 4, 50)
    assert np.all(A.relu_grad(neg) == 0.0)
    assert np.all(A.relu_grad(-neg) == 1.0)
    assert np.all(A.leaky_relu_grad(neg) > 0) and np.all(A.elu_grad(neg[:20]) > 0)   # 改进版在左侧仍有梯度


def test_relu_mitigates_but_does_not_cure_vanishing_gradients():
    """笔记：ReLU "可以解决梯度弥散的问题"。只是缓解：正半轴导数为 1，配 He 初始化时 10 个隐藏层的梯度
    各层同一量级（Logistic 逐层衰减好几个数量级）；但初始化太小时 ReLU 网络的梯度处处都极小，
    净输入对所有样本都为负的神经元（死亡 ReLU）梯度恰为 0，训练再久也不会复活。"""
    from nndl_ref import data
    from nndl_ref.numpy.mlp import MLP

    d = data.load_digits(standardize=True)
    Xd, yd = d.X_train[:256], d.y_train[:256]
    sizes = [64] + [64] * 10 + [10]

    def norms(act, init):
        _, g = MLP(sizes, act, init=init, seed=0).loss_and_grads(Xd, yd)
        return np.array([np.linalg.norm(g[f"W{l}"]) for l in range(1, len(sizes))])

    logistic, he, small = norms("logistic", "xavier"), norms("relu", "he"), norms("relu", "normal")
    assert logistic[0] / logistic[-1] < 1e-4                # Logistic：第 1 层比最后一层小 4 个数量级以上
    assert 0.1 < he[0] / he[-1] < 10                        # ReLU + He：同一量级
    assert small.max() < 1e-8                               # ReLU + N(0, 0.01²)：处处消失
    # 死亡 ReLU：把第 1 个隐藏单元的偏置压到很负，它对每个样本都输出 0，梯度恰为 0
    net = MLP([64, 32, 10], "relu", seed=0)
    net.params()["b1"][0] = -1e3
    W_before = net.params()["W1"][0].copy()
    for _ in range(20):                                     # 梯度下降 20 步，它的参数一动不动
        _, g = net.loss_and_grads(Xd, yd)
        assert np.all(g["W1"][0] == 0.0) and g["b1"][0] == 0.0
        assert np.any(g["W1"][1:] != 0.0)
        for k, p in net.params().items():
            p -= 0.1 * g[k]
    assert np.array_equal(net.params()["W1"][0], W_before)


def test_elu_output_mean_is_closer_to_zero_but_not_zero():
    """笔记：ELU "解决了输出的 0 中心化问题"。它让均值更接近 0，但并不为 0：
    Z ~ N(0,1) 时 E[ReLU(Z)] = 1/√(2π) ≈ 0.399，E[ELU(Z)] ≈ 0.160，E[tanh(Z)] = 0。"""
    z = np.linspace(-12, 12, 240_001)
    phi = np.exp(-z ** 2 / 2) / np.sqrt(2 * np.pi)
    mean = {name: np.trapezoid(A.get(name)[0](z) * phi, z) for name in ("relu", "elu", "tanh")}
    assert mean["relu"] == pytest.approx(1 / np.sqrt(2 * np.pi), rel=1e-8)
    assert mean["elu"] == pytest.approx(0.1605, abs=5e-4)     # 解析值 e^{1/2}Φ(−1) − ½ + 1/√(2π)
    assert abs(mean["tanh"]) < 1e-12
    exact = np.exp(0.5) * 0.5 * (1 + torch.erf(torch.tensor(-1 / np.sqrt(2))).item()) - 0.5 + 1 / np.sqrt(2 * np.pi)
    assert mean["elu"] == pytest.approx(exact, rel=1e-8)


def test_gelu_approximation_formulas():
    """笔记只说 GELU "可以用 Tanh 函数或 Logistic 函数来近似"，没写出式子。两种近似与精确值的差距："""
    exact = A.gelu(X)
    tanh_approx = 0.5 * X * (1 + np.tanh(np.sqrt(2 / np.pi) * (X + 0.044715 * X ** 3)))
    sigm_approx = X * A.logistic(1.702 * X)
    np.testing.assert_allclose(A.gelu(X, "tanh"), tanh_approx, rtol=1e-12)
    np.testing.assert_allclose(A.gelu(X, "sigmoid"), sigm_approx, rtol=1e-12)
    assert np.max(np.abs(tanh_approx - exact)) < 6e-4
    assert np.max(np.abs(sigm_approx - exact)) < 2.1e-2


def test_matrix_power_svd_formula_only_for_symmetric():
    """笔记：用 SVD，"对角矩阵的 100 次方就是 UΣ¹⁰⁰Uᵀ"。对一般矩阵这不成立：A¹⁰⁰ = QΛ¹⁰⁰Q⁻¹
    （特征分解），增长或衰减由谱半径 ρ(A) 决定，σ_max¹⁰⁰ 只是上界。只有对称矩阵（偶数次幂）才有 UΣ¹⁰⁰Uᵀ = A¹⁰⁰。"""
    A_ = np.array([[0.9, 3.0], [0.0, 0.9]])
    U, S, Vt = np.linalg.svd(A_)
    A100 = np.linalg.matrix_power(A_, 100)
    assert np.linalg.norm(U @ np.diag(S ** 100) @ U.T) > 1e50 > 1e-2 > np.linalg.norm(A100)
    assert not np.allclose(U @ np.diag(S ** 100) @ Vt, A100)
    B = np.array([[0.5, 0.4], [0.3, 0.6]])
    lam, Q = np.linalg.eig(B)
    np.testing.assert_allclose(Q @ np.diag(lam ** 100) @ np.linalg.inv(Q), np.linalg.matrix_power(B, 100),
                               rtol=1e-10, atol=1e-20)
    rho = np.max(np.abs(np.linalg.eigvals(A_)))
    assert np.linalg.norm(np.linalg.matrix_power(A_, 2000), 2) ** (1 / 2000) == pytest.approx(rho, abs=0.01)
    rng = np.random.default_rng(0)
    M = rng.standard_normal((4, 4))
    Sym = M + M.T
    Us, Ss, _ = np.linalg.svd(Sym)
    np.testing.assert_allclose(Us @ np.diag(Ss ** 100) @ Us.T, np.linalg.matrix_power(Sym, 100), rtol=1e-8)
    assert not np.allclose(Us @ np.diag(Ss ** 3) @ Us.T, np.linalg.matrix_power(Sym, 3))   # 奇数次幂就不对了


def test_svd_power_formula_symmetric_psd_every_power_indefinite_even_only():
    """UΣᵏUᵀ = Aᵏ 对哪些对称矩阵成立：半正定时 SVD 就是特征分解（U = V），任何次幂都成立；
    有负特征值时 V 与 U 在这些特征值对应的列上差一个符号，UΣᵏUᵀ = Q|Λ|ᵏQᵀ，只有偶数次幂成立。"""
    rng = np.random.default_rng(0)
    M = rng.standard_normal((4, 4))
    Q, _ = np.linalg.qr(M)

    def svd_power(A_, k):
        U, S, _ = np.linalg.svd(A_)
        return U @ np.diag(S ** k) @ U.T

    # 半正定：特征值 0.9, 0.6, 0.3, 0 → U = V（到列的符号），每个 k 都对
    lam = np.array([0.9, 0.6, 0.3, 0.0])
    P = Q @ np.diag(lam) @ Q.T
    U, S, Vt = np.linalg.svd(P)
    np.testing.assert_allclose(np.abs(np.diag(U.T @ Vt.T))[:3], 1.0, atol=1e-12)        # 非零奇异值的列：U = V
    for k in (1, 2, 3, 7, 100):
        np.testing.assert_allclose(svd_power(P, k), np.linalg.matrix_power(P, k), rtol=1e-9, atol=1e-14)
    # 不定：特征值 0.9, −0.6, 0.3, −0.2 → 偶数次幂对，奇数次幂错；奇数次给出的是 Q|Λ|ᵏQᵀ
    lam = np.array([0.9, -0.6, 0.3, -0.2])
    Ind = Q @ np.diag(lam) @ Q.T
    U, S, Vt = np.linalg.svd(Ind)
    np.testing.assert_allclose(S, np.sort(np.abs(lam))[::-1], rtol=1e-12)                # 奇异值 = |特征值|
    signs = np.diag(U.T @ Vt.T)                                                         # V 的列 = ±U 的列
    np.testing.assert_allclose(np.abs(signs), 1.0, atol=1e-12)
    np.testing.assert_allclose(np.sort(signs), [-1, -1, 1, 1], atol=1e-12)              # 负特征值的两列变号
    for k in (2, 4, 100):
        np.testing.assert_allclose(svd_power(Ind, k), np.linalg.matrix_power(Ind, k), rtol=1e-9, atol=1e-14)
    for k in (1, 3, 5):
        assert not np.allclose(svd_power(Ind, k), np.linalg.matrix_power(Ind, k))
        np.testing.assert_allclose(svd_power(Ind, k), Q @ np.diag(np.abs(lam) ** k) @ Q.T, rtol=1e-9, atol=1e-14)


def test_universal_approximation_needs_continuity():
    """笔记："近似任何从一个定义在实数空间中的有界闭集函数"，漏了"连续"。
    连续函数（sin）的最大误差随宽度趋于 0；阶跃函数不连续，任何连续的网络在跳跃点两侧的误差
    至少有一边 ≥ 1/2 − Lε，最大误差永远降不到 1/2 以下。"""
    x = np.linspace(-np.pi, np.pi, 2001)
    step = (x >= 0).astype(float)
    sin_err = []
    for width in (8, 32, 128):
        sin_err.append(np.max(np.abs(one_hidden_layer_lstsq(x, np.sin(x), width, -np.pi, np.pi)
                                     .predict(x[:, None]) - np.sin(x))))
        net = one_hidden_layer_lstsq(x, step, width, -np.pi, np.pi)
        p = net.params()
        lip = np.sum(np.abs(p["W2"]) * np.abs(p["W1"].T))          # 网络的利普希茨常数上界
        eps = 1e-6 / lip
        left, right = net.predict(np.array([[-eps]]))[0], net.predict(np.array([[eps]]))[0]
        assert max(abs(left - 0.0), abs(right - 1.0)) >= 0.5 - 1e-6
    assert sin_err[-1] < 5e-4 and sin_err[0] > sin_err[1] > sin_err[2]


def test_two_layer_sigmoid_loss_is_nonconvex():
    """笔记："y=σ(w 2 σ(w 1 x))"（下标丢了）。应为 y = σ(w₂σ(w₁x))；它的损失不是参数的凸函数。"""
    def loss(w1, w2, x=1.0, y=1.0):
        return (y - A.logistic(w2 * A.logistic(w1 * x))) ** 2

    a, b = np.array([-3.0, -6.0]), np.array([6.0, 1.0])
    assert loss(*(a + b) / 2) > (loss(*a) + loss(*b)) / 2 + 0.5      # 凸函数不可能如此
