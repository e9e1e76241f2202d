"""第 5 章：最大 / 平均汇聚的前向与反向：数值梯度检查，与 torch 内置函数、按公式写的 torch 版对照。"""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from nndl_ref.gradcheck import numerical_vjp, rel_error
from nndl_ref.numpy import pooling
from nndl_ref.torch import pooling as tpool

SETTINGS = [(2, None, 0), (3, 2, 1), (3, 1, 0), ((2, 3), (1, 2), (1, 0))]
PAIRS = [(pooling.max_pool2d_forward, pooling.max_pool2d_backward, F.max_pool2d, tpool.max_pool2d),
         (pooling.avg_pool2d_forward, pooling.avg_pool2d_backward, F.avg_pool2d, tpool.avg_pool2d)]


@pytest.mark.parametrize("kernel, stride, padding", SETTINGS)
@pytest.mark.parametrize("fwd, bwd, builtin, formula", PAIRS, ids=["max", "avg"])
def test_pooling_matches_torch(fwd, bwd, builtin, formula, kernel, stride, padding):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 3, 7, 8))
    y, cache = fwd(x, kernel, stride, padding)
    tx = torch.tensor(x, requires_grad=True)
    ty = builtin(tx, kernel, stride, padding)
    g = rng.standard_normal(y.shape)
    ty.backward(torch.tensor(g))
    assert y.shape == tuple(ty.shape) and rel_error(y, ty.detach().numpy()) < 1e-12
    assert rel_error(bwd(g, cache), tx.grad.numpy()) < 1e-12
    assert torch.allclose(formula(torch.tensor(x), kernel, stride, padding), ty.detach())


@pytest.mark.parametrize("kernel, stride, padding", SETTINGS)
@pytest.mark.parametrize("fwd, bwd", [p[:2] for p in PAIRS], ids=["max", "avg"])
def test_pooling_gradcheck(fwd, bwd, kernel, stride, padding):
    rng = np.random.default_rng(1)
    x = rng.permutation(2 * 2 * 6 * 6).reshape(2, 2, 6, 6) / 7.0      # 各不相同：最大值处可导
    y, cache = fwd(x, kernel, stride, padding)
    g = rng.standard_normal(y.shape)
    num = numerical_vjp(lambda v: fwd(v, kernel, stride, padding)[0], x.copy(), g, h=1e-5)
    assert rel_error(bwd(g, cache), num) < 1e-7


def test_max_pool_gradient_goes_only_to_the_max_and_ties_pick_the_first():
    x = np.array([[[[1.0, 3.0], [3.0, 0.0]]]])                       # 并列最大：取行优先的第一个
    y, cache = pooling.max_pool2d_forward(x)
    dx = pooling.max_pool2d_backward(np.ones_like(y), cache)
    assert y.item() == 3.0 and dx.tolist() == [[[[0.0, 1.0], [0.0, 0.0]]]]
    tx = torch.tensor(x, requires_grad=True)
    F.max_pool2d(tx, 2).sum().backward()
    assert np.array_equal(dx, tx.grad.numpy())


def test_pool_layers_have_no_parameters():
    layer = pooling.MaxPool2d(2)
    out = layer.forward(np.ones((1, 2, 4, 4)))
    assert out.shape == (1, 2, 2, 2) and layer.params == {} and layer.grads == {}
    with pytest.raises(RuntimeError, match="forward"):
        pooling.AvgPool2d(2).backward(np.ones((1, 2, 2, 2)))


def test_pooling_bad_input():
    with pytest.raises(ValueError, match="一半"):
        pooling.max_pool2d_forward(np.zeros((1, 1, 4, 4)), 2, padding=2)
    with pytest.raises(ValueError, match="4 维"):
        pooling.avg_pool2d_forward(np.zeros((4, 4)))
    _, cache = pooling.max_pool2d_forward(np.zeros((1, 1, 4, 4)))
    with pytest.raises(ValueError, match="dy 的形状"):
        pooling.max_pool2d_backward(np.zeros((1, 1, 3, 3)), cache)
