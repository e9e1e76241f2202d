"""第 4 章的层：每个 backward 都与数值梯度（float64）和 torch autograd（同样的权重）对照；
薄封装类与 Sequential 的参数 / 梯度字典；错误输入。"""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from nndl_ref.gradcheck import numerical_gradient, numerical_vjp, rel_error
from nndl_ref.numpy import layers as Ly
from nndl_ref.numpy.activations import ACTIVATIONS


def t64(a, grad=False):
    return torch.tensor(np.asarray(a, dtype=np.float64), requires_grad=grad)


# ---------------------------------------------------------------- 仿射层
def test_affine_backward_numerical(rng):
    x, W, b = rng.standard_normal((5, 4)), rng.standard_normal((3, 4)), rng.standard_normal(3)
    dout = rng.standard_normal((5, 3))
    out, cache = Ly.affine_forward(x, W, b)
    np.testing.assert_allclose(out, x @ W.T + b)
    dx, dW, db = Ly.affine_backward(dout, cache)
    assert rel_error(dx, numerical_vjp(lambda v: Ly.affine_forward(v, W, b)[0], x.copy(), dout)) < 1e-8
    assert rel_error(dW, numerical_vjp(lambda v: Ly.affine_forward(x, v, b)[0], W.copy(), dout)) < 1e-8
    assert rel_error(db, numerical_vjp(lambda v: Ly.affine_forward(x, W, v)[0], b.copy(), dout)) < 1e-8


def test_affine_matches_torch_linear(rng):
    x, W, b = rng.standard_normal((5, 4)), rng.standard_normal((3, 4)), rng.standard_normal(3)
    dout = rng.standard_normal((5, 3))
    out, cache = Ly.affine_forward(x, W, b)
    dx, dW, db = Ly.affine_backward(dout, cache)
    xt, Wt, bt = t64(x, True), t64(W, True), t64(b, True)
    ot = F.linear(xt, Wt, bt)                                   # 同样的 (out, in) 布局，无需转置
    (ot * t64(dout)).sum().backward()
    np.testing.assert_allclose(ot.detach().numpy(), out, rtol=1e-12)
    for ours, theirs in ((dx, xt), (dW, Wt), (db, bt)):
        np.testing.assert_allclose(ours, theirs.grad.numpy(), rtol=1e-12)


# ---------------------------------------------------------------- 激活层
@pytest.mark.parametrize("name", sorted(set(ACTIVATIONS) - {"prelu"}))
def test_activation_backward_numerical(name, rng):
    z = rng.uniform(-3, 3, (4, 5))
    z[np.abs(z) < 1e-3] += 0.01
    z[np.abs(np.abs(z) - 1) < 1e-3] += 0.01
    z[np.abs(np.abs(z) - 2) < 1e-3] += 0.01
    da = rng.standard_normal(z.shape)
    _, cache = Ly.activation_forward(z, name)
    dz = Ly.activation_backward(da, cache)
    assert rel_error(dz, numerical_vjp(lambda v: Ly.activation_forward(v, name)[0], z.copy(), da)) < 1e-7


def test_activation_kwargs_are_passed_through(rng):
    z = rng.standard_normal((3, 4))
    a, cache = Ly.activation_forward(z, "leaky_relu", gamma=0.2)
    np.testing.assert_allclose(a, np.where(z > 0, z, 0.2 * z))
    np.testing.assert_allclose(Ly.activation_backward(np.ones_like(z), cache), np.where(z > 0, 1.0, 0.2))


def test_relu_pair_matches_torch(rng):
    z = rng.standard_normal((4, 6))
    z[0, 0] = 0.0                                              # 不可导点：两边都取 0
    da = rng.standard_normal(z.shape)
    a, cache = Ly.relu_forward(z)
    dz = Ly.relu_backward(da, cache)
    zt = t64(z, True)
    (torch.relu(zt) * t64(da)).sum().backward()
    np.testing.assert_allclose(a, torch.relu(t64(z)).numpy())
    np.testing.assert_allclose(dz, zt.grad.numpy())
    assert dz[0, 0] == 0.0


def test_prelu_and_swish_pairs_return_parameter_gradients(rng):
    z = rng.standard_normal((5, 3))
    da = rng.standard_normal(z.shape)
    gamma = np.array([0.1, 0.2, 0.3])
    _, cache = Ly.prelu_forward(z, gamma)
    dz, dgamma = Ly.prelu_backward(da, cache)
    assert rel_error(dgamma, numerical_vjp(lambda g: Ly.prelu_forward(z, g)[0], gamma.copy(), da)) < 1e-7
    assert rel_error(dz, numerical_vjp(lambda v: Ly.prelu_forward(v, gamma)[0], z.copy(), da)) < 1e-7
    _, cache = Ly.prelu_forward(z, np.array([0.25]))          # 共享一个 γ：梯度对所有神经元求和
    _, dg_shared = Ly.prelu_backward(da, cache)
    assert dg_shared.shape == (1,)
    assert rel_error(dg_shared, numerical_vjp(lambda g: Ly.prelu_forward(z, g)[0], np.array([0.25]), da)) < 1e-7
    beta = np.array([1.3])
    _, cache = Ly.swish_forward(z, beta)
    dz, dbeta = Ly.swish_backward(da, cache)
    assert rel_error(dbeta, numerical_vjp(lambda b: Ly.swish_forward(z, b)[0], beta.copy(), da)) < 1e-7
    assert rel_error(dz, numerical_vjp(lambda v: Ly.swish_forward(v, beta)[0], z.copy(), da)) < 1e-7


def test_maxout_pair(rng):
    z = rng.standard_normal((4, 6))
    da = rng.standard_normal((4, 3))
    a, cache = Ly.maxout_forward(z, 2)
    dz = Ly.maxout_backward(da, cache)
    assert a.shape == (4, 3)
    assert rel_error(dz, numerical_vjp(lambda v: Ly.maxout_forward(v, 2)[0], z.copy(), da)) < 1e-7


# ---------------------------------------------------------------- Softmax + 交叉熵
def test_softmax_cross_entropy_matches_numerical_and_torch(rng):
    Z = rng.standard_normal((6, 4)) * 3
    y = rng.integers(0, 4, 6)
    loss, dZ = Ly.softmax_cross_entropy(Z, y)
    assert rel_error(dZ, numerical_gradient(lambda v: Ly.softmax_cross_entropy(v, y)[0], Z.copy())) < 1e-8
    Zt = t64(Z, True)
    lt = F.cross_entropy(Zt, torch.from_numpy(y))
    lt.backward()
    assert loss == pytest.approx(lt.item(), rel=1e-12)
    np.testing.assert_allclose(dZ, Zt.grad.numpy(), rtol=1e-10)


def test_softmax_cross_entropy_stable_at_extremes():
    Z = np.array([[1e4, -1e4, 0.0], [-1e4, 1e4, 0.0]])
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        loss, dZ = Ly.softmax_cross_entropy(Z, np.array([1, 1]))
    assert loss == pytest.approx(1e4)                         # 第一行损失 2e4，第二行 0，平均 1e4
    assert np.all(np.isfinite(dZ))


# ---------------------------------------------------------------- 类与 Sequential
def test_linear_class_accumulates_grads_and_zero_grad_resets(rng):
    layer = Ly.Linear(3, 2, rng)
    x, dout = rng.standard_normal((4, 3)), rng.standard_normal((4, 2))
    assert set(layer.params) == set(layer.grads) == {"W", "b"}
    assert layer.params["W"].shape == (2, 3) and layer.params["b"].shape == (2,)
    layer.forward(x)
    layer.backward(dout)
    g1 = layer.grads["W"].copy()
    layer.forward(x)
    layer.backward(dout)
    np.testing.assert_allclose(layer.grads["W"], 2 * g1)       # 与 torch 一样累加
    layer.zero_grad()
    assert not layer.grads["W"].any()


def test_init_schemes_have_the_right_scale():
    rng = np.random.default_rng(0)
    D, M = 400, 300
    assert np.std(Ly.init_weight(M, D, rng, "he")) == pytest.approx(np.sqrt(2 / D), rel=0.02)
    assert np.std(Ly.init_weight(M, D, rng, "xavier")) == pytest.approx(np.sqrt(2 / (D + M)), rel=0.02)
    assert np.std(Ly.init_weight(M, D, rng, "normal", weight_scale=0.01)) == pytest.approx(0.01, rel=0.02)


def test_sequential_gradients_match_numerical_and_torch(rng):
    net = Ly.Sequential(Ly.Linear(4, 6, rng), Ly.Tanh(), Ly.Linear(6, 5, rng), Ly.ReLU(),
                        Ly.Linear(5, 3, rng), Ly.Sigmoid(), Ly.Linear(3, 3, rng))
    X, y = rng.standard_normal((7, 4)), rng.integers(0, 3, 7)

    def loss_of(name):
        def f(v):
            params = net.params()
            old = params[name].copy()
            params[name][...] = v
            loss = Ly.softmax_cross_entropy(net.forward(X), y)[0]
            params[name][...] = old
            return loss
        return f

    net.zero_grad()
    loss, dZ = Ly.softmax_cross_entropy(net.forward(X), y)
    dX = net.backward(dZ)
    grads = {k: v.copy() for k, v in net.grads().items()}
    assert set(grads) == set(net.params()) == {"0.W", "0.b", "2.W", "2.b", "4.W", "4.b", "6.W", "6.b"}
    for name, p in net.params().items():
        assert rel_error(grads[name], numerical_gradient(loss_of(name), p.copy())) < 1e-7, name

    # torch：同样的结构、同样的权重
    tnet = torch.nn.Sequential(torch.nn.Linear(4, 6), torch.nn.Tanh(), torch.nn.Linear(6, 5), torch.nn.ReLU(),
                               torch.nn.Linear(5, 3), torch.nn.Sigmoid(), torch.nn.Linear(3, 3)).double()
    with torch.no_grad():
        for name, p in net.params().items():
            i, k = name.split(".")
            getattr(tnet[int(i)], {"W": "weight", "b": "bias"}[k]).copy_(torch.from_numpy(p))
    Xt = t64(X, True)
    lt = F.cross_entropy(tnet(Xt), torch.from_numpy(y))
    lt.backward()
    assert loss == pytest.approx(lt.item(), rel=1e-12)
    np.testing.assert_allclose(dX, Xt.grad.numpy(), rtol=1e-9, atol=1e-14)
    for name in grads:
        i, k = name.split(".")
        tg = getattr(tnet[int(i)], {"W": "weight", "b": "bias"}[k]).grad.numpy()
        np.testing.assert_allclose(grads[name], tg, rtol=1e-9, atol=1e-14)


def test_sequential_with_learnable_activations(rng):
    net = Ly.Sequential(Ly.Linear(3, 4, rng), Ly.PReLU(4), Ly.Linear(4, 6, rng), Ly.Swish(learnable=True),
                        Ly.Linear(6, 4, rng), Ly.Maxout(2), Ly.Linear(2, 2, rng))
    X, y = rng.standard_normal((5, 3)), rng.integers(0, 2, 5)
    net.zero_grad()
    _, dZ = Ly.softmax_cross_entropy(net.forward(X), y)
    net.backward(dZ)
    assert {"1.gamma", "3.beta"} <= set(net.grads())
    for name in ("1.gamma", "3.beta", "0.W"):
        p = net.params()[name]

        def f(v, p=p):
            old = p.copy()
            p[...] = v
            loss = Ly.softmax_cross_entropy(net.forward(X), y)[0]
            p[...] = old
            return loss
        assert rel_error(net.grads()[name], numerical_gradient(f, p.copy())) < 1e-6, name


# ---------------------------------------------------------------- 错误输入
def test_bad_inputs(rng):
    with pytest.raises(ValueError, match=r"W 的形状应为 \(M, D\)"):
        Ly.affine_forward(np.ones((2, 3)), np.ones((4, 5)), np.zeros(4))
    with pytest.raises(ValueError, match=r"b 的形状应为 \(M,\)"):
        Ly.affine_forward(np.ones((2, 3)), np.ones((4, 3)), np.zeros(5))
    with pytest.raises(ValueError, match="x 应为 2 维"):
        Ly.affine_forward(np.ones(3), np.ones((4, 3)), np.zeros(4))
    _, cache = Ly.affine_forward(np.ones((2, 3)), np.ones((4, 3)), np.zeros(4))
    with pytest.raises(ValueError, match=r"dout 的形状应为 \(N, M\)"):
        Ly.affine_backward(np.ones((2, 5)), cache)
    _, cache = Ly.activation_forward(np.ones((2, 3)), "tanh")
    with pytest.raises(ValueError, match="da 的形状应与 z 相同"):
        Ly.activation_backward(np.ones((3, 2)), cache)
    with pytest.raises(ValueError, match="未知的激活函数"):
        Ly.Activation("sigmod")
    with pytest.raises(ValueError, match="init 应为"):
        Ly.Linear(3, 2, rng, init="kaiming")
    with pytest.raises(TypeError, match="numpy.random.Generator"):
        Ly.Linear(3, 2, 0)
    with pytest.raises(TypeError, match="应是一层"):
        Ly.Sequential(Ly.ReLU(), "relu")
    with pytest.raises(RuntimeError, match="先调用 forward"):
        Ly.ReLU().backward(np.ones(3))
    with pytest.raises(ValueError, match=r"取值应在 \[0, 3\)"):
        Ly.softmax_cross_entropy(np.zeros((2, 3)), np.array([0, 3]))
