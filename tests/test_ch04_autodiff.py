"""第 4 章的自动微分引擎：每个运算的局部导数、拓扑序、共享结点的梯度累加；
在同一个表达式上与手写反向传播、torch autograd 三方一致；错误输入。"""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from nndl_ref.gradcheck import numerical_gradient, rel_error
from nndl_ref.numpy import autodiff as ad
from nndl_ref.numpy.layers import softmax_cross_entropy
from nndl_ref.numpy.mlp import MLP

# 一元表达式：引擎版本与 NumPy 版本（用来算数值梯度）
UNARY = {
    "exp": (lambda t: t.exp(), np.exp),
    "log": (lambda t: t.log(), np.log),
    "relu": (lambda t: t.relu(), lambda v: np.maximum(v, 0)),
    "tanh": (lambda t: t.tanh(), np.tanh),
    "sigmoid": (lambda t: t.sigmoid(), lambda v: 1 / (1 + np.exp(-v))),
    "pow3": (lambda t: t ** 3, lambda v: v ** 3),
    "pow-half": (lambda t: t ** -0.5, lambda v: v ** -0.5),
    "neg": (lambda t: -t, lambda v: -v),
    "rdiv": (lambda t: 2.0 / t, lambda v: 2.0 / v),
    "rsub": (lambda t: 1.0 - t, lambda v: 1.0 - v),
    "mean": (lambda t: t.mean(axis=0), lambda v: v.mean(axis=0)),
    "sum-keep": (lambda t: t.sum(axis=1, keepdims=True) * t, lambda v: v.sum(axis=1, keepdims=True) * v),
    "transpose": (lambda t: t.T @ t, lambda v: v.T @ v),
}


@pytest.mark.parametrize("name", UNARY)
def test_unary_ops_match_numerical_gradient(name, rng):
    f_ad, f_np = UNARY[name]
    x0 = rng.uniform(0.5, 2.0, (3, 4)) * rng.choice([-1, 1], (3, 4))
    if name in ("log", "pow-half"):
        x0 = np.abs(x0)
    w = rng.standard_normal(f_np(x0).shape)                  # 随机投影成标量：检查完整的 VJP
    x = ad.Tensor(x0)
    (f_ad(x) * w).sum().backward()
    num = numerical_gradient(lambda v: float(np.sum(f_np(v) * w)), x0.copy())
    assert rel_error(x.grad, num) < 1e-7


def test_binary_ops_with_broadcasting_match_torch(rng):
    A0, B0, b0 = rng.standard_normal((4, 3)), rng.standard_normal((3, 5)), rng.standard_normal(5)
    A, B, b = ad.Tensor(A0), ad.Tensor(B0), ad.Tensor(b0)
    out = ((A @ B + b) * (A @ B - b) / (b * b + 1.0)).sum()
    out.backward()
    At, Bt, bt = (torch.tensor(v, requires_grad=True) for v in (A0, B0, b0))
    ot = ((At @ Bt + bt) * (At @ Bt - bt) / (bt * bt + 1.0)).sum()
    ot.backward()
    assert float(out.data) == pytest.approx(ot.item(), rel=1e-12)
    for ours, theirs in ((A, At), (B, Bt), (b, bt)):
        np.testing.assert_allclose(ours.grad, theirs.grad.numpy(), rtol=1e-10)
    assert b.grad.shape == (5,)                               # 被广播的偏置：梯度对样本维求和


def test_book_example_sigmoid_wx_plus_b():
    """书中例子：f(x; w, b) = σ(wx + b)，x=1, w=0, b=0 时 ∂f/∂w = ∂f/∂b = 0.25。"""
    x, w, b = ad.Tensor(1.0, label="x"), ad.Tensor(0.0, label="w"), ad.Tensor(0.0, label="b")
    f = 1.0 / (1.0 + (-(w * x + b)).exp())
    f.backward()
    assert float(f.data) == 0.5
    assert float(w.grad) == 0.25 and float(b.grad) == 0.25 and float(x.grad) == 0.0
    # 与把 σ 当成一个结点的图结果相同
    x2, w2, b2 = ad.Tensor(1.0), ad.Tensor(0.0), ad.Tensor(0.0)
    (w2 * x2 + b2).sigmoid().backward()
    assert float(w2.grad) == float(w.grad) and float(b2.grad) == float(b.grad)


def test_sigmoid_graph_general_point_matches_torch(rng):
    for x0, w0, b0 in rng.standard_normal((5, 3)):
        x, w, b = ad.Tensor(x0), ad.Tensor(w0), ad.Tensor(b0)
        f = 1.0 / (1.0 + (-(w * x + b)).exp())
        f.backward()
        xt, wt, bt = (torch.tensor(v, requires_grad=True) for v in (x0, w0, b0))
        torch.sigmoid(wt * xt + bt).backward()
        for ours, theirs in ((x, xt), (w, wt), (b, bt)):
            assert float(ours.grad) == pytest.approx(theirs.grad.item(), rel=1e-12)


def test_topological_order_puts_every_node_after_its_inputs(rng):
    x = ad.Tensor(rng.standard_normal(3))
    y = (x * x + x.exp()).tanh().sum()
    order = ad.topological_order(y)
    pos = {id(n): i for i, n in enumerate(order)}
    assert order[-1] is y and len(pos) == len(order)          # 每个结点只出现一次
    for node in order:
        for p in node._parents:
            assert pos[id(p)] < pos[id(node)]


def test_shared_node_gradients_accumulate():
    """x 被用了三次：f = x·x + x，f' = 2x + 1（每条路径的贡献相加）。"""
    x = ad.Tensor(3.0)
    (x * x + x).backward()
    assert float(x.grad) == 7.0


def test_zero_grad_then_second_backward_gives_same_result():
    x = ad.Tensor(2.0)
    y = x * x * x
    y.backward()
    y.zero_grad()
    y.backward()
    assert float(x.grad) == 12.0


def test_deep_graph_does_not_hit_recursion_limit():
    x = ad.Tensor(1.0)
    y = x
    for _ in range(5000):
        y = y * 1.0001
    y.backward()
    assert float(x.grad) == pytest.approx(1.0001 ** 5000)


def test_cross_entropy_matches_layers_and_torch(rng):
    Z0 = rng.standard_normal((6, 4)) * 5
    y = rng.integers(0, 4, 6)
    Z = ad.Tensor(Z0)
    loss = ad.cross_entropy(Z, y)
    loss.backward()
    ref_loss, ref_dZ = softmax_cross_entropy(Z0, y)
    assert float(loss.data) == pytest.approx(ref_loss, rel=1e-12)
    np.testing.assert_allclose(Z.grad, ref_dZ, rtol=1e-10, atol=1e-15)
    Zt = torch.tensor(Z0, requires_grad=True)
    F.cross_entropy(Zt, torch.from_numpy(y)).backward()
    np.testing.assert_allclose(Z.grad, Zt.grad.numpy(), rtol=1e-10, atol=1e-15)


def test_mlp_through_engine_equals_manual_backprop_and_torch(rng):
    """同一个表达式（2 隐藏层 tanh/ReLU 网络 + 交叉熵）三种求法：引擎、手写反向传播、torch。
    并且引擎里结点 z^(l) 的梯度就是反向传播的 δ^(l)。"""
    net = MLP([5, 7, 6, 3], "tanh", seed=1)
    X, y = rng.standard_normal((8, 5)), rng.integers(0, 3, 8)
    loss_bp, grads_bp = net.loss_and_grads(X, y)
    P = {k: ad.Tensor(v) for k, v in net.params().items()}
    a = ad.Tensor(X)
    zs = []
    for l in range(1, 4):
        z = a @ P[f"W{l}"].T + P[f"b{l}"]                    # z^(l) = a^(l-1) W^(l)ᵀ + b^(l)
        zs.append(z)
        a = z.tanh() if l < 3 else z
    loss = ad.cross_entropy(zs[-1], y)
    loss.backward()
    assert float(loss.data) == pytest.approx(loss_bp, rel=1e-12)
    for k in P:
        np.testing.assert_allclose(P[k].grad, grads_bp[k], rtol=1e-10, atol=1e-15)
    # δ^(L) = (Ŷ − Y)/N，δ^(l) = f'(z^(l)) ⊙ (δ^(l+1) W^(l+1))
    delta = softmax_cross_entropy(zs[-1].data, y)[1]
    np.testing.assert_allclose(zs[-1].grad, delta, rtol=1e-10)
    for l in (2, 1):
        delta = (1 - np.tanh(zs[l - 1].data) ** 2) * (delta @ net.params()[f"W{l + 1}"])
        np.testing.assert_allclose(zs[l - 1].grad, delta, rtol=1e-10, atol=1e-15)
    # torch
    Pt = {k: torch.tensor(v, requires_grad=True) for k, v in net.params().items()}
    at = torch.from_numpy(X)
    for l in range(1, 4):
        zt = at @ Pt[f"W{l}"].T + Pt[f"b{l}"]
        at = torch.tanh(zt) if l < 3 else zt
    F.cross_entropy(at, torch.from_numpy(y)).backward()
    for k in P:
        np.testing.assert_allclose(P[k].grad, Pt[k].grad.numpy(), rtol=1e-10, atol=1e-15)


def test_bad_inputs():
    with pytest.raises(TypeError, match="常数指数"):
        ad.Tensor(2.0) ** ad.Tensor(3.0)
    with pytest.raises(ValueError, match="log 的输入应全部为正数"):
        ad.Tensor([1.0, 0.0]).log()
    with pytest.raises(ValueError, match="@ 只支持二维矩阵"):
        ad.Tensor(np.ones(3)) @ ad.Tensor(np.ones(3))
    with pytest.raises(ValueError, match="有限实数"):
        ad.Tensor([np.nan])
    with pytest.raises(TypeError, match="已经是 Tensor"):
        ad.Tensor(ad.Tensor(1.0))
    with pytest.raises(ValueError, match=r"取值在 \[0, 3\)"):
        ad.cross_entropy(ad.Tensor(np.zeros((2, 3))), np.array([0, 5]))


def test_engine_is_about_three_hundred_lines():
    """第 4 章学习目标："一个三百行上下（含文档与输入检查）的反向模式自动微分引擎"。"""
    from pathlib import Path

    import nndl_ref.numpy.autodiff as engine

    n_lines = len(Path(engine.__file__).read_text(encoding="utf-8").splitlines())
    assert 250 <= n_lines <= 350, n_lines
