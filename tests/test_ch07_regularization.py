"""第 7 章的参数初始化与正则化：初始化的方差与 torch.nn.init 一致；丢弃法的两种写法期望相等、掩码与
torch 相同；L1 / L2 正则项的梯度；带丢弃的网络在 eval 模式下是确定的。"""

import math

import numpy as np
import pytest
import torch

from nndl_ref.gradcheck import numerical_gradient, numerical_vjp, rel_error
from nndl_ref.numpy import init, regularization as reg
from nndl_ref.torch import init as tinit, regularization as treg


@pytest.mark.parametrize("shape", [(300, 200), (64, 16, 3, 3)])
@pytest.mark.parametrize("name", ["xavier_uniform", "xavier_normal", "kaiming_uniform", "kaiming_normal"])
def test_init_variance_matches_theory_and_torch(name, shape):
    fan_in, fan_out = init.fans(shape)
    assert fan_in == int(np.prod(shape[1:])) and fan_out == shape[0] * int(np.prod(shape[2:]))
    theory = 2 / (fan_in + fan_out) if name.startswith("xavier") else 2 / fan_in
    W = init.INITS[name](shape, np.random.default_rng(0))
    Wt = torch.empty(shape, dtype=torch.float64)
    getattr(torch.nn.init, name + "_")(Wt, generator=torch.Generator().manual_seed(0),
                                       **({} if name.startswith("xavier") else {"nonlinearity": "relu"}))
    for sample in (W, Wt.numpy()):
        assert abs(sample.var() / theory - 1) < 0.03
        assert abs(sample.mean()) < 0.01 * math.sqrt(theory) * 10
    if name.endswith("uniform"):                             # 均匀分布的边界 r = √3 σ
        r = math.sqrt(3 * theory)
        assert np.abs(W).max() <= r and np.abs(Wt.numpy()).max() <= r and np.abs(W).max() > 0.99 * r


def test_calculate_gain_matches_torch():
    for name, param in [("linear", None), ("sigmoid", None), ("tanh", None), ("relu", None),
                        ("leaky_relu", 0.2), ("selu", None)]:
        assert init.calculate_gain(name, param) == pytest.approx(torch.nn.init.calculate_gain(name, param))
    with pytest.raises(ValueError, match="nonlinearity"):
        init.calculate_gain("swish")


def test_activation_statistics_across_depth():
    """12 层、宽 256：太小的初始化让激活逐层消失；N(0,1) 让 tanh 饱和；Xavier（tanh）与 He（ReLU）保持量级。"""
    small = init.activation_stats("small", "tanh")
    large = init.activation_stats("large", "tanh")
    xavier = init.activation_stats("xavier", "tanh")
    he = init.activation_stats("he", "relu")
    xavier_relu = init.activation_stats("xavier", "relu")
    assert small[-1] < 1e-8 and large.min() > 0.95           # 饱和：几乎都是 ±1
    assert 0.5 < xavier[-1] / xavier[0] < 1.5 and 0.5 < he[-1] / he[0] < 2
    assert xavier_relu[-1] / xavier_relu[0] < 0.05           # ReLU 配 Xavier：每层缩小约 √2
    tstats = tinit.activation_stats(
        tinit.init_(torch.nn.Sequential(*[m for _ in range(12) for m in (torch.nn.Linear(256, 256), torch.nn.ReLU())]),
                    "kaiming_normal", generator=torch.Generator().manual_seed(0)),
        torch.randn(512, 256, generator=torch.Generator().manual_seed(1)))
    assert 0.5 < tstats[-1] / tstats[0] < 2


def test_dropout_two_modes_equal_in_expectation(rng):
    """训练时输出的期望 ÷ 测试时的输出 = 1，两种写法都如此；它们之间只差常数 1 − p。"""
    x = rng.standard_normal(10)
    p = 0.3
    for mode in reg.DROPOUT_MODES:
        train = np.mean([reg.dropout_forward(x, p, rng=rng, mode=mode)[0] for _ in range(20000)], axis=0)
        test = reg.dropout_forward(x, p, training=False, mode=mode)[0]
        np.testing.assert_allclose(train, test, atol=0.03)
    mask = rng.random(10) >= p
    inv = reg.dropout_forward(x, p, mask=mask)[0]
    old = reg.dropout_forward(x, p, mask=mask, mode="scale_at_test")[0]
    np.testing.assert_allclose(inv * (1 - p), old)
    keep = np.mean([np.mean(reg.dropout_forward(np.ones(1000), p, rng=rng)[0] != 0) for _ in range(20)])
    assert abs(keep - (1 - p)) < 0.01


def test_dropout_backward_and_torch_mask(rng):
    x, dout, mask = rng.standard_normal((4, 6)), rng.standard_normal((4, 6)), rng.random((4, 6)) >= 0.5
    for mode in reg.DROPOUT_MODES:
        _, cache = reg.dropout_forward(x, 0.5, mask=mask, mode=mode)
        num = numerical_vjp(lambda v: reg.dropout_forward(v, 0.5, mask=mask, mode=mode)[0], x.copy(), dout)
        assert rel_error(reg.dropout_backward(dout, cache), num) < 1e-8
        m = treg.Dropout(0.5, mode=mode)
        out = m(torch.as_tensor(x), mask=torch.as_tensor(mask, dtype=torch.float64))
        np.testing.assert_allclose(out.numpy(), reg.dropout_forward(x, 0.5, mask=mask, mode=mode)[0])
        m.eval()
        np.testing.assert_allclose(m(torch.as_tensor(x)).numpy(),
                                   reg.dropout_forward(x, 0.5, training=False, mode=mode)[0])
    xt = torch.randn(50, 40, dtype=torch.float64)
    torch.manual_seed(3)
    ours = treg.Dropout(0.3)(xt)
    torch.manual_seed(3)
    ref = torch.nn.Dropout(0.3)(xt)
    torch.testing.assert_close(ours, ref)                    # 同一个种子：与 nn.Dropout 同一个掩码


def test_l1_l2_penalties_gradients(rng):
    W = rng.standard_normal((3, 4))
    for fn in (reg.l1_penalty, reg.l2_penalty):
        value, grads = fn({"W": W}, 0.1)
        num = numerical_gradient(lambda v: fn({"W": v}, 0.1)[0], W.copy())
        assert rel_error(grads["W"], num) < 1e-7
    net = torch.nn.Sequential(torch.nn.Linear(4, 3)).double()
    with torch.no_grad():
        net[0].weight.copy_(torch.as_tensor(W))
    assert float(treg.l2_penalty(net, 0.1).detach()) == pytest.approx(reg.l2_penalty({"W": W}, 0.1)[0])
    assert float(treg.l1_penalty(net, 0.1).detach()) == pytest.approx(reg.l1_penalty({"W": W}, 0.1)[0])
    assert len(treg.weights(net)) == 1                      # 偏置不正则


def test_l2_penalty_gradient_equals_torch_weight_decay(rng):
    """½λ‖W‖² 加进损失，与 SGD(weight_decay=λ) 走完全相同的一步。"""
    torch.manual_seed(0)
    a, b = torch.nn.Linear(4, 3).double(), torch.nn.Linear(4, 3).double()
    b.load_state_dict(a.state_dict())
    X, y = torch.randn(8, 4, dtype=torch.float64), torch.randint(0, 3, (8,))
    oa = torch.optim.SGD(a.parameters(), lr=0.1)
    ob = torch.optim.SGD([{"params": [b.weight], "weight_decay": 0.01}, {"params": [b.bias]}], lr=0.1)
    (torch.nn.functional.cross_entropy(a(X), y) + treg.l2_penalty(a, 0.01)).backward()
    torch.nn.functional.cross_entropy(b(X), y).backward()
    oa.step(), ob.step()
    torch.testing.assert_close(a.weight, b.weight, rtol=1e-12, atol=1e-14)


def test_l1_makes_weights_sparse_l2_does_not(rng):
    """同一个线性回归问题：L1 把无关特征的权重压到 0，L2 只是缩小。"""
    X = rng.standard_normal((200, 10))
    w_true = np.r_[3.0, -2.0, np.zeros(8)]
    y = X @ w_true + 0.1 * rng.standard_normal(200)
    out = {}
    for name, fn in (("l1", reg.l1_penalty), ("l2", reg.l2_penalty)):
        w = np.zeros(10)
        for _ in range(3000):
            g = X.T @ (X @ w - y) / 200 + fn({"w": w}, 0.1)[1]["w"]
            w -= 0.01 * g
        out[name] = w
    # L1 的次梯度下降在 0 附近以 αλ = 1e-3 的幅度来回跳；L2 的无关权重停在 0.02–0.04
    assert np.abs(out["l1"][2:]).max() < 2e-3 and np.abs(out["l2"][2:]).max() > 0.02


def test_bad_input(rng):
    with pytest.raises(ValueError, match="p"):
        reg.dropout_forward(np.ones(3), 1.0, rng=rng)
    with pytest.raises(TypeError, match="rng"):
        reg.dropout_forward(np.ones(3), 0.5)
    with pytest.raises(ValueError, match="mask"):
        reg.dropout_forward(np.ones(3), 0.5, mask=np.ones(2))
    with pytest.raises(ValueError, match="mode"):
        reg.Dropout(0.5, mode="gaussian")
    with pytest.raises(TypeError, match="rng"):
        init.xavier_uniform((3, 4), rng=0)
    with pytest.raises(ValueError, match="形状"):
        init.fans((5,))
    with pytest.raises(ValueError, match="scheme"):
        tinit.init_(torch.nn.Linear(2, 2), "orthogonal")
    with pytest.raises(ValueError, match="norm"):
        treg.mlp([2, 3, 2], norm="group")
