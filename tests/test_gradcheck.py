import numpy as np
import pytest

from nndl_ref.gradcheck import check_gradient, numerical_gradient, numerical_vjp, rel_error


def test_numerical_gradient_of_quadratic(rng):
    A = rng.standard_normal((4, 4))
    A = A @ A.T
    x = rng.standard_normal(4)
    g = numerical_gradient(lambda v: 0.5 * v @ A @ v, x.copy())
    assert rel_error(g, A @ x) < 1e-8


def test_numerical_vjp_matches_jacobian_transpose(rng):
    W = rng.standard_normal((3, 5))
    x = rng.standard_normal(5)
    df = rng.standard_normal(3)
    assert rel_error(numerical_vjp(lambda v: np.tanh(W @ v), x.copy(), df),
                     W.T @ (df * (1 - np.tanh(W @ x) ** 2))) < 1e-8


def test_numerical_gradient_restores_input(rng):
    x = rng.standard_normal((2, 3))
    before = x.copy()
    numerical_gradient(lambda v: float(np.sum(v ** 3)), x)
    assert np.array_equal(x, before)


def test_check_gradient_raises_on_wrong_gradient():
    x = np.array([1.0, 2.0])
    with pytest.raises(AssertionError, match="梯度检查失败"):
        check_gradient(lambda v: float(np.sum(v ** 2)), x, analytic=np.array([2.0, 5.0]))
    assert check_gradient(lambda v: float(np.sum(v ** 2)), x, analytic=2 * x) < 1e-8


def test_rel_error_shape_mismatch_and_int_input():
    with pytest.raises(ValueError, match="形状不同"):
        rel_error(np.zeros(2), np.zeros(3))
    with pytest.raises(TypeError, match="浮点"):
        numerical_gradient(lambda v: 0.0, np.array([1, 2]))
