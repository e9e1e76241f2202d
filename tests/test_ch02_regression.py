"""第 2 章：线性回归（正规方程、梯度下降）、多项式特征、岭回归、数据划分、偏差-方差分解。

手写梯度对数值梯度，NumPy 对 torch（float64，逐步相同），闭式解对 scikit-learn，错误输入。
"""

import numpy as np
import pytest
import torch
from sklearn.linear_model import Ridge

from nndl_ref.gradcheck import numerical_gradient, rel_error
from nndl_ref.model_selection import bias_variance_decomposition, train_val_test_split
from nndl_ref.numpy import regression as R
from nndl_ref.numpy.optim import SGD, fit_full_batch
from nndl_ref.torch import regression as TR


@pytest.mark.parametrize("lam", [0.0, 0.3])
def test_loss_gradient_numerical(rng, lam):
    X, y = rng.standard_normal((12, 3)), rng.standard_normal(12)
    model = R.LinearRegression(3, weight_decay=lam)
    model.w[:] = rng.standard_normal(3)
    model.b[:] = 0.7
    _, g = model.loss_and_grads(X, y)
    for name in ("w", "b"):
        p = model.params()[name]

        def loss_at(v, p=p):
            p[:] = v
            return model.loss_and_grads(X, y)[0]

        p0 = p.copy()
        assert rel_error(g[name], numerical_gradient(loss_at, p.copy())) < 1e-8
        p[:] = p0                                     # 数值求导会留下扰动过的值，恢复它


@pytest.mark.parametrize("lam", [0.0, 0.05])
def test_normal_equation_is_stationary_point_and_matches_sklearn(rng, lam):
    X, y = rng.standard_normal((30, 4)), rng.standard_normal(30)
    model = R.LinearRegression(4, weight_decay=lam).fit_normal_equation(X, y)
    _, g = model.loss_and_grads(X, y)
    assert np.abs(g["w"]).max() < 1e-12 and abs(g["b"][0]) < 1e-12          # 梯度为 0
    # sklearn 的 Ridge 最小化 ‖y − Xw − b‖² + α‖w‖²，即本站的 N·2R，α = Nλ
    sk = Ridge(alpha=30 * lam if lam else 1e-12).fit(X, y)
    np.testing.assert_allclose(model.w, sk.coef_, atol=1e-8)
    np.testing.assert_allclose(model.b[0], sk.intercept_, atol=1e-8)


def test_gradient_descent_reaches_normal_equation(rng):
    X = rng.uniform(0, 2, (50, 1))
    y = 2 * X[:, 0] - 1 + 0.3 * rng.standard_normal(50)
    w, b = R.normal_equation(X, y)
    model = R.LinearRegression(1)
    losses = fit_full_batch(model, X, y, SGD(model.params(), lr=0.5), steps=400)
    assert np.all(np.diff(losses) <= 1e-15)                                  # 凸二次函数，步长够小时单调下降
    np.testing.assert_allclose(model.w, w, atol=1e-8)
    np.testing.assert_allclose(model.b[0], b, atol=1e-8)


@pytest.mark.parametrize("lam", [0.0, 0.1])
def test_numpy_matches_torch_float64(rng, lam):
    X, y = rng.standard_normal((20, 3)), rng.standard_normal(20)
    w, b = R.normal_equation(X, y, lam)
    wt, bt = TR.normal_equation(torch.from_numpy(X), torch.from_numpy(y), lam)
    np.testing.assert_allclose(wt.numpy(), w, rtol=1e-10)
    np.testing.assert_allclose(bt.item(), b, rtol=1e-10)
    m_np = R.LinearRegression(3, weight_decay=lam)
    losses_np = fit_full_batch(m_np, X, y, SGD(m_np.params(), lr=0.1), steps=50)
    m_t = TR.LinearRegression(3, weight_decay=lam, dtype=torch.float64)
    losses_t = TR.fit_gradient_descent(m_t, torch.from_numpy(X), torch.from_numpy(y), lr=0.1, steps=50)
    np.testing.assert_allclose(losses_t, losses_np, rtol=1e-12)
    np.testing.assert_allclose(m_t.w.detach().numpy(), m_np.w, rtol=1e-12)
    np.testing.assert_allclose(
        TR.polynomial_features(torch.from_numpy(X[:, 0]), 4).numpy(), R.polynomial_features(X[:, 0], 4))


def test_high_degree_polynomial_interpolates_and_ridge_shrinks():
    x, y = R.make_sine(10, seed=0)
    m9 = R.fit_polynomial(x, y, 9)                                           # 最小二乘（病态，不求逆）
    assert R.mse(m9.predict(R.polynomial_features(x, 9)), y) < 1e-12
    norms = [np.linalg.norm(R.fit_polynomial(x, y, 9, lam).w) for lam in (1e-6, 1e-3, 1.0)]
    assert norms[0] > norms[1] > norms[2]


def test_train_val_test_split_partitions():
    tr, va, te = train_val_test_split(101, val=0.2, test=0.3, seed=3)
    assert len(va) == 20 and len(te) == 30 and len(tr) == 51
    assert sorted(np.r_[tr, va, te].tolist()) == list(range(101))


def test_bias_variance_adds_up():
    def fp(x, y, xq):
        return R.fit_polynomial(x, y, 3).predict(R.polynomial_features(xq, 3))
    bv = bias_variance_decomposition(fp, lambda x: np.sin(2 * np.pi * x), np.linspace(0.05, 0.95, 30),
                                     n_train=20, noise_std=0.3, n_datasets=300, seed=1)
    assert abs(bv.total - bv.error) < 0.05 * bv.error
    assert bv.noise == pytest.approx(0.09)
    # 常数预测器：方差只来自均值估计，偏差² ≈ Var[sin 2πx] 在测试点上的平均
    bv0 = bias_variance_decomposition(lambda x, y, xq: np.full_like(xq, y.mean()), lambda x: np.sin(2 * np.pi * x),
                                      np.linspace(0, 1, 101)[:-1], n_train=50, noise_std=0.0, n_datasets=400)
    assert bv0.bias2 == pytest.approx(0.5, abs=0.02)
    assert bv0.variance == pytest.approx(0.5 / 50, rel=0.3)


def test_bad_inputs():
    with pytest.raises(ValueError, match="weight_decay"):
        R.LinearRegression(2, weight_decay=-1.0)
    with pytest.raises(ValueError, match="2 维"):
        R.normal_equation(np.ones(5), np.ones(5))
    with pytest.raises(ValueError, match="样本"):
        R.normal_equation(np.ones((5, 2)), np.ones(4))
    with pytest.raises(ValueError, match="D=2"):
        R.LinearRegression(2).predict(np.ones((3, 3)))
    with pytest.raises(ValueError, match="degree"):
        R.polynomial_features(np.ones(3), 0)
    with pytest.raises(ValueError, match="1 维"):
        R.polynomial_features(np.ones((3, 1)), 2)
    with pytest.raises(ValueError, match="val \\+ test"):
        train_val_test_split(10, val=0.6, test=0.5)
    with pytest.raises(ValueError, match="NaN"):
        R.normal_equation(np.array([[np.nan], [1.0]]), np.ones(2))
    with pytest.raises(ValueError, match=r"\(N,\)"):
        TR.normal_equation(torch.ones(5, 2), torch.ones(4))
    with pytest.raises(ValueError, match="weight_decay"):
        TR.LinearRegression(2, weight_decay=-0.1)
