"""第 3 章的激活与损失：梯度检查、NumPy 与 torch（公式版、内置版）三方对照、极端输入、错误输入。"""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from nndl_ref.gradcheck import numerical_gradient, numerical_vjp, rel_error
from nndl_ref.numpy import losses as L
from nndl_ref.torch import losses as T

EXTREME = np.array([-1e4, -800.0, -50.0, -1.0, 0.0, 1.0, 50.0, 800.0, 1e4])


def t64(a, grad=False):
    return torch.tensor(np.asarray(a, dtype=np.float64), requires_grad=grad)


# ---------------------------------------------------------------- sigmoid 与 softplus
def test_sigmoid_matches_torch_and_is_finite():
    with np.errstate(over="raise", divide="raise", invalid="raise"):                         # 任何上溢/下溢警告都会变成错误
        s = L.sigmoid(EXTREME)
    assert np.all(np.isfinite(s)) and s[0] == 0.0 and s[-1] == 1.0
    np.testing.assert_allclose(s, torch.sigmoid(t64(EXTREME)).numpy(), rtol=1e-12, atol=0)
    np.testing.assert_allclose(T.sigmoid(t64(EXTREME)).numpy(), s, rtol=1e-12, atol=0)


def test_sigmoid_grad_numerical(rng):
    z = rng.standard_normal(7) * 3
    assert rel_error(L.sigmoid_grad(z), numerical_vjp(L.sigmoid, z.copy(), np.ones(7))) < 1e-8


def test_log_sigmoid_and_softplus_extremes():
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        ls = L.log_sigmoid(EXTREME)
        sp = L.softplus(EXTREME)
    np.testing.assert_allclose(ls, F.logsigmoid(t64(EXTREME)).numpy(), rtol=1e-12)
    np.testing.assert_allclose(sp, F.softplus(t64(EXTREME)).numpy(), rtol=1e-12)
    assert ls[0] == -1e4 and sp[-1] == 1e4


def test_log_sigmoid_is_min_z_0_minus_log1p_exp():
    """第 3 章小结：log σ(z) = min(z, 0) − log(1 + e^{−|z|})。另一个式子 max(z, 0) + log(1 + e^{−|z|})
    是 softplus(z) = log(1 + e^z) = −log σ(−z)，不是 log σ(z)。"""
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        ls = L.log_sigmoid(EXTREME)
        right = np.minimum(EXTREME, 0.0) - np.log1p(np.exp(-np.abs(EXTREME)))
        other = np.maximum(EXTREME, 0.0) + np.log1p(np.exp(-np.abs(EXTREME)))
    np.testing.assert_array_equal(ls, right)                       # 包里的稳定写法与这个式子逐位相同
    np.testing.assert_allclose(right, F.logsigmoid(t64(EXTREME)).numpy(), rtol=1e-12)
    assert right[0] == -1e4 and right[-1] == 0.0                   # 极端值上有限、无上溢
    np.testing.assert_array_equal(other, L.softplus(EXTREME))
    np.testing.assert_array_equal(other, -L.log_sigmoid(-EXTREME))
    assert not np.allclose(other, ls)


# ---------------------------------------------------------------- softmax 家族
def test_softmax_logsumexp_match_torch(rng):
    Z = rng.standard_normal((5, 4)) * 10
    Z[0] += 1e4
    Z[1] -= 1e4
    np.testing.assert_allclose(L.softmax(Z), torch.softmax(t64(Z), dim=1).numpy(), rtol=1e-10, atol=1e-300)
    # 行里有 1e4 量级的 logit 时，减法抵消使相对误差约为 1e-11：用绝对误差比较
    np.testing.assert_allclose(L.log_softmax(Z), torch.log_softmax(t64(Z), dim=1).numpy(), rtol=0, atol=1e-9)
    np.testing.assert_allclose(L.logsumexp(Z), torch.logsumexp(t64(Z), dim=1).numpy(), rtol=1e-12)
    np.testing.assert_allclose(T.softmax(t64(Z)).numpy(), L.softmax(Z), rtol=1e-10, atol=1e-300)
    np.testing.assert_allclose(T.logsumexp(t64(Z)).numpy(), L.logsumexp(Z), rtol=1e-12)
    np.testing.assert_allclose(L.softmax(Z).sum(axis=1), 1.0)


# ---------------------------------------------------------------- 二分类交叉熵
def test_bce_with_logits_matches_torch_builtin_and_formula(rng):
    z = np.concatenate([EXTREME, rng.standard_normal(5)])
    y = rng.integers(0, 2, size=z.shape).astype(float)
    ours = L.binary_cross_entropy_with_logits(z, y)
    assert np.isfinite(ours)
    np.testing.assert_allclose(ours, F.binary_cross_entropy_with_logits(t64(z), t64(y)).item(), rtol=1e-12)
    np.testing.assert_allclose(T.binary_cross_entropy_with_logits(t64(z), t64(y)).item(), ours, rtol=1e-12)


def test_bce_with_logits_gradient_numpy_numerical_torch(rng):
    z = rng.standard_normal(6) * 4
    y = rng.integers(0, 2, size=6).astype(float)
    g = L.binary_cross_entropy_with_logits_grad(z, y)
    assert rel_error(g, numerical_gradient(lambda v: L.binary_cross_entropy_with_logits(v, y), z.copy())) < 1e-7
    zt = t64(z, grad=True)
    T.binary_cross_entropy_with_logits(zt, t64(y)).backward()
    np.testing.assert_allclose(zt.grad.numpy(), g, rtol=1e-12)


def test_bce_with_logits_gradient_finite_at_extremes():
    y = (EXTREME > 0).astype(float)[::-1].copy()          # 全部"信心十足地错"
    g = L.binary_cross_entropy_with_logits_grad(EXTREME, y)
    assert np.all(np.isfinite(g))
    zt = t64(EXTREME, grad=True)
    T.binary_cross_entropy_with_logits(zt, t64(y)).backward()
    assert torch.isfinite(zt.grad).all()
    np.testing.assert_allclose(zt.grad.numpy(), g, rtol=1e-12, atol=1e-300)


def test_bce_probabilities_zero_and_one_are_finite_like_torch():
    p = np.array([0.0, 1.0, 0.0, 1.0, 0.3])
    y = np.array([1.0, 0.0, 0.0, 1.0, 1.0])
    ours = L.binary_cross_entropy(p, y)
    assert np.isfinite(ours)
    np.testing.assert_allclose(ours, F.binary_cross_entropy(t64(p), t64(y)).item(), rtol=1e-12)
    np.testing.assert_allclose(T.binary_cross_entropy(t64(p), t64(y)).item(), ours, rtol=1e-12)


# ---------------------------------------------------------------- 多分类交叉熵
@pytest.mark.parametrize("scale", [1.0, 1e4])
def test_cross_entropy_int_and_onehot_match_torch(rng, scale):
    Z = rng.standard_normal((6, 4)) * scale
    y = rng.integers(0, 4, size=6)
    Y = np.eye(4)[y]
    ref = F.cross_entropy(t64(Z), torch.from_numpy(y)).item()
    assert np.isfinite(ref)
    np.testing.assert_allclose(L.cross_entropy(Z, y), ref, rtol=1e-12)
    np.testing.assert_allclose(L.cross_entropy(Z, Y), ref, rtol=1e-12)
    np.testing.assert_allclose(T.cross_entropy(t64(Z), torch.from_numpy(y)).item(), ref, rtol=1e-12)
    np.testing.assert_allclose(T.cross_entropy(t64(Z), t64(Y)).item(), ref, rtol=1e-12)


def test_cross_entropy_soft_targets_match_torch(rng):
    Z = rng.standard_normal((5, 3))
    P = L.softmax(rng.standard_normal((5, 3)))
    np.testing.assert_allclose(L.cross_entropy(Z, P), F.cross_entropy(t64(Z), t64(P)).item(), rtol=1e-12)


def test_cross_entropy_gradient_numpy_numerical_torch(rng):
    Z = rng.standard_normal((5, 4)) * 3
    y = rng.integers(0, 4, size=5)
    g = L.cross_entropy_grad(Z, y)
    assert rel_error(g, numerical_gradient(lambda v: L.cross_entropy(v, y), Z.copy())) < 1e-7
    Zt = t64(Z, grad=True)
    F.cross_entropy(Zt, torch.from_numpy(y)).backward()
    np.testing.assert_allclose(Zt.grad.numpy(), g, rtol=1e-10, atol=1e-14)
    Zt2 = t64(Z, grad=True)
    T.cross_entropy(Zt2, torch.from_numpy(y)).backward()
    np.testing.assert_allclose(Zt2.grad.numpy(), g, rtol=1e-10, atol=1e-14)


# ---------------------------------------------------------------- MSE 与铰链
@pytest.mark.parametrize("reduction", ["mean", "half"])
def test_mse_value_and_gradient(rng, reduction):
    a = rng.standard_normal((6, 3))
    y = rng.standard_normal((6, 3))
    v = L.mse(a, y, reduction)
    expected = np.mean((a - y) ** 2) if reduction == "mean" else np.sum((a - y) ** 2) / (2 * 6)
    np.testing.assert_allclose(v, expected, rtol=1e-12)
    assert rel_error(L.mse_grad(a, y, reduction), numerical_gradient(lambda t: L.mse(t, y, reduction), a.copy())) < 1e-8
    at = t64(a, grad=True)
    T.mse(at, t64(y), reduction).backward()
    np.testing.assert_allclose(at.grad.numpy(), L.mse_grad(a, y, reduction), rtol=1e-12)
    if reduction == "mean":
        np.testing.assert_allclose(v, F.mse_loss(t64(a), t64(y)).item(), rtol=1e-12)


def test_hinge_value_and_subgradient(rng):
    s = rng.standard_normal(8) * 2
    y = np.where(rng.random(8) > 0.5, 1, -1)
    np.testing.assert_allclose(L.hinge_loss(s, y), np.mean(np.maximum(0, 1 - y * s)), rtol=1e-12)
    assert rel_error(L.hinge_loss_grad(s, y), numerical_gradient(lambda v: L.hinge_loss(v, y), s.copy())) < 1e-7
    st = t64(s, grad=True)
    T.hinge_loss(st, torch.from_numpy(y)).backward()
    np.testing.assert_allclose(st.grad.numpy(), L.hinge_loss_grad(s, y), rtol=1e-12)
    # 折点 y f = 1 处取 0（与 torch 的 ReLU 一致）
    assert L.hinge_loss_grad(np.array([1.0]), np.array([1]))[0] == 0.0


# ---------------------------------------------------------------- 错误输入
def test_bad_inputs_raise_clear_errors():
    with pytest.raises(ValueError, match="NaN"):
        L.sigmoid(np.array([0.0, np.nan]))
    with pytest.raises(TypeError, match="数值数组"):
        L.softmax("abc")
    with pytest.raises(ValueError, match=r"2 维"):
        L.cross_entropy(np.zeros(3), np.array([0]))
    with pytest.raises(ValueError, match=r"取值应在 \[0, 3\)"):
        L.cross_entropy(np.zeros((2, 3)), np.array([0, 3]))
    with pytest.raises(ValueError, match="样本数"):
        L.cross_entropy(np.zeros((2, 3)), np.array([0, 1, 2]))
    with pytest.raises(TypeError, match="整数类别标签"):
        L.cross_entropy(np.zeros((2, 3)), np.array([0.5, 1.0]))
    with pytest.raises(ValueError, match="和为 1"):
        L.cross_entropy(np.zeros((2, 3)), np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        L.binary_cross_entropy(np.array([1.5]), np.array([1.0]))
    with pytest.raises(ValueError, match="形状"):
        L.binary_cross_entropy_with_logits(np.zeros(3), np.zeros(2))
    with pytest.raises(ValueError, match=r"\+1 或 -1"):
        L.hinge_loss(np.zeros(2), np.array([0, 1]))
    with pytest.raises(ValueError, match="reduction"):
        L.mse(np.zeros(2), np.zeros(2), reduction="sum")
    with pytest.raises(TypeError, match="torch.Tensor"):
        T.sigmoid(np.zeros(2))
    with pytest.raises(ValueError, match=r"取值应在 \[0, 3\)"):
        T.cross_entropy(torch.zeros(2, 3), torch.tensor([0, 5]))
    with pytest.raises(ValueError, match="NaN"):
        T.cross_entropy(torch.tensor([[float("nan"), 0.0]]), torch.tensor([0]))
