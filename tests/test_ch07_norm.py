"""第 7 章的批量归一化与层归一化：手写反向的梯度检查；NumPy、按公式写的 torch 版与 torch 内置层
三方一致（输出、梯度、滑动平均、eval 输出）；torch 的 momentum 约定与无偏滑动方差；错误输入。"""

import numpy as np
import pytest
import torch

from nndl_ref.gradcheck import numerical_vjp, rel_error
from nndl_ref.numpy import norm
from nndl_ref.torch import norm as tnorm


@pytest.mark.parametrize("shape", [(8, 5), (4, 3, 6), (4, 3, 5, 5)])
def test_batchnorm_backward_gradcheck(shape, rng):
    z = rng.standard_normal(shape) * 3 + 1
    C = shape[1]
    gamma, beta = rng.standard_normal(C), rng.standard_normal(C)
    dout = rng.standard_normal(shape)
    _, cache = norm.batchnorm_forward(z, gamma, beta)
    dz, dgamma, dbeta = norm.batchnorm_backward(dout, cache)
    assert rel_error(dz, numerical_vjp(lambda v: norm.batchnorm_forward(v, gamma, beta)[0], z.copy(), dout)) < 1e-7
    assert rel_error(dgamma, numerical_vjp(lambda v: norm.batchnorm_forward(z, v, beta)[0], gamma.copy(), dout)) < 1e-7
    assert rel_error(dbeta, numerical_vjp(lambda v: norm.batchnorm_forward(z, gamma, v)[0], beta.copy(), dout)) < 1e-7


@pytest.mark.parametrize("shape,nshape", [((6, 7), (7,)), ((3, 4, 7), (7,)), ((3, 4, 5), (4, 5))])
def test_layernorm_backward_gradcheck(shape, nshape, rng):
    z = rng.standard_normal(shape) * 2 - 1
    gamma, beta = rng.standard_normal(nshape), rng.standard_normal(nshape)
    dout = rng.standard_normal(shape)
    _, cache = norm.layernorm_forward(z, gamma, beta)
    dz, dgamma, dbeta = norm.layernorm_backward(dout, cache)
    assert rel_error(dz, numerical_vjp(lambda v: norm.layernorm_forward(v, gamma, beta)[0], z.copy(), dout)) < 1e-7
    assert rel_error(dgamma, numerical_vjp(lambda v: norm.layernorm_forward(z, v, beta)[0], gamma.copy(), dout)) < 1e-7
    assert rel_error(dbeta, numerical_vjp(lambda v: norm.layernorm_forward(z, gamma, v)[0], beta.copy(), dout)) < 1e-7


def _torch_bn(shape, C, momentum):
    cls = torch.nn.BatchNorm1d if len(shape) in (2, 3) else torch.nn.BatchNorm2d
    return cls(C, momentum=momentum).double()


@pytest.mark.parametrize("shape", [(16, 5), (8, 4, 7), (8, 3, 4, 4)])
def test_batchnorm_train_and_eval_match_torch(shape, rng):
    """三步训练模式（每步比较输出、梯度与滑动平均），再比较 eval 模式的输出。"""
    C, momentum = shape[1], 0.3
    ours, mine, ref = norm.BatchNorm(C, momentum=momentum), tnorm.BatchNorm(C, momentum=momentum).double(), \
        _torch_bn(shape, C, momentum)
    gamma, beta = rng.standard_normal(C), rng.standard_normal(C)
    ours.params["gamma"][...], ours.params["beta"][...] = gamma, beta
    with torch.no_grad():
        for m in (mine, ref):
            m.weight.copy_(torch.as_tensor(gamma))
            m.bias.copy_(torch.as_tensor(beta))
    for _ in range(3):
        z = rng.standard_normal(shape) * 2 + 0.5
        dout = rng.standard_normal(shape)
        outs = []
        for m in (mine, ref):
            zt = torch.tensor(z, requires_grad=True)
            m.zero_grad()
            out = m(zt)
            out.backward(torch.as_tensor(dout))
            outs.append((out.detach().numpy(), zt.grad.numpy(), m.weight.grad.numpy(), m.bias.grad.numpy()))
        ours.zero_grad()
        out = ours.forward(z)
        dz = ours.backward(dout)
        for o in outs:
            assert rel_error(out, o[0]) < 1e-12 and rel_error(dz, o[1]) < 1e-10
            assert rel_error(ours.grads["gamma"], o[2]) < 1e-10 and rel_error(ours.grads["beta"], o[3]) < 1e-10
        for m in (mine, ref):
            assert rel_error(ours.running_mean, m.running_mean.numpy()) < 1e-12
            assert rel_error(ours.running_var, m.running_var.numpy()) < 1e-12
    z = rng.standard_normal(shape)
    ours.eval(), mine.eval(), ref.eval()
    with torch.no_grad():
        for m in (mine, ref):
            assert rel_error(ours.forward(z), m(torch.as_tensor(z)).numpy()) < 1e-12


def test_running_var_is_unbiased_and_momentum_is_weight_of_new_batch():
    z = np.array([[0.0], [2.0], [4.0], [6.0]])              # 均值 3，有偏方差 5，无偏方差 20/3
    bn = norm.BatchNorm(1, momentum=0.1)
    out = bn.forward(z)
    np.testing.assert_allclose(bn.running_mean, [0.9 * 0 + 0.1 * 3])
    np.testing.assert_allclose(bn.running_var, [0.9 * 1 + 0.1 * 20 / 3])
    np.testing.assert_allclose(out[:, 0], (z[:, 0] - 3) / np.sqrt(5 + 1e-5))    # 归一化本身用有偏方差
    ref = torch.nn.BatchNorm1d(1).double()
    ref(torch.as_tensor(z))
    np.testing.assert_allclose(ref.running_var.numpy(), bn.running_var)


def test_eval_mode_is_per_sample_but_train_mode_is_not(rng):
    """训练模式下一个样本的输出依赖同批的其他样本；eval 模式与层归一化都不依赖。"""
    bn = norm.BatchNorm(4)
    a, b = rng.standard_normal((8, 4)), rng.standard_normal((8, 4))
    b[0] = a[0]
    assert not np.allclose(bn.forward(a)[0], bn.forward(b)[0])
    bn.eval()
    np.testing.assert_allclose(bn.forward(a)[0], bn.forward(b)[0])
    ln_a = norm.layernorm_forward(a, np.ones(4), np.zeros(4))[0]
    ln_b = norm.layernorm_forward(b, np.ones(4), np.zeros(4))[0]
    np.testing.assert_allclose(ln_a[0], ln_b[0])


def test_layernorm_matches_torch(rng):
    z = rng.standard_normal((3, 4, 6))
    gamma, beta = rng.standard_normal(6), rng.standard_normal(6)
    dout = rng.standard_normal(z.shape)
    out, cache = norm.layernorm_forward(z, gamma, beta)
    dz, dgamma, dbeta = norm.layernorm_backward(dout, cache)
    for m in (torch.nn.LayerNorm(6).double(), tnorm.LayerNorm(6).double()):
        with torch.no_grad():
            m.weight.copy_(torch.as_tensor(gamma))
            m.bias.copy_(torch.as_tensor(beta))
        zt = torch.tensor(z, requires_grad=True)
        o = m(zt)
        o.backward(torch.as_tensor(dout))
        assert rel_error(out, o.detach().numpy()) < 1e-12
        assert rel_error(dz, zt.grad.numpy()) < 1e-10
        assert rel_error(dgamma, m.weight.grad.numpy()) < 1e-10 and rel_error(dbeta, m.bias.grad.numpy()) < 1e-10


def test_normalized_statistics(rng):
    z = rng.standard_normal((200, 3)) * [1, 10, 100] + [5, -5, 50]
    out, _ = norm.batchnorm_forward(z, np.ones(3), np.zeros(3))
    np.testing.assert_allclose(out.mean(0), 0, atol=1e-12)
    np.testing.assert_allclose(out.var(0), 1, atol=1e-5)
    out, _ = norm.layernorm_forward(z, np.ones(3), np.zeros(3))
    np.testing.assert_allclose(out.mean(1), 0, atol=1e-12)


def test_extreme_and_bad_input(rng):
    z = np.full((4, 3), 1e8)                                 # 方差为 0：ε 保证不除以 0
    out, cache = norm.batchnorm_forward(z, np.ones(3), np.zeros(3))
    assert np.all(np.isfinite(out)) and np.all(np.isfinite(norm.batchnorm_backward(np.ones((4, 3)), cache)[0]))
    with pytest.raises(ValueError, match="gamma"):
        norm.batchnorm_forward(rng.standard_normal((4, 3)), np.ones(2), np.zeros(2))
    with pytest.raises(ValueError, match="至少要 2"):
        norm.batchnorm_forward(rng.standard_normal((1, 3)), np.ones(3), np.zeros(3))
    with pytest.raises(ValueError, match="最后"):
        norm.layernorm_forward(rng.standard_normal((4, 3)), np.ones(4), np.zeros(4))
    with pytest.raises(ValueError, match="NaN"):
        norm.batchnorm_forward(np.full((4, 3), np.nan), np.ones(3), np.zeros(3))
    with pytest.raises(RuntimeError, match="eval"):
        bn = norm.BatchNorm(3).eval()
        bn.forward(rng.standard_normal((4, 3)))
        bn.backward(np.ones((4, 3)))
