"""第 3 章勘误的数值钉子：docs/appendix/errata.md 里每一条可计算的更正都在这里检查。"""

import numpy as np
import torch

from nndl_ref import data
from nndl_ref.numpy import losses as L
from nndl_ref.numpy.linear import perceptron_loss


def test_mse_is_mean_squared_not_euclidean(rng):
    """笔记："MSE 计算欧式距离"。MSE 是平方误差的平均，与欧氏距离差一个平方根（和一个 1/N）。"""
    a = rng.standard_normal(10)
    y = rng.standard_normal(10)
    euclid = np.linalg.norm(a - y)
    assert np.isclose(L.mse(a, y), euclid ** 2 / 10)
    assert np.isclose(L.mse(a, y, reduction="half"), euclid ** 2 / 20)
    assert not np.isclose(L.mse(a, y), euclid)
    assert np.isclose(L.mse(a, y), torch.nn.functional.mse_loss(torch.from_numpy(a), torch.from_numpy(y)).item())


def test_ce_gradient_does_not_vanish_when_confidently_wrong():
    """交叉熵用于分类的原因：p→0 时 σ 后接平方误差的梯度趋于 0，交叉熵的梯度趋于 -1。"""
    z = np.array([-10.0])                                  # p = σ(-10) ≈ 4.5e-5，真实标签 1
    zt = torch.tensor(z, requires_grad=True)
    torch.nn.functional.binary_cross_entropy_with_logits(zt, torch.ones(1, dtype=torch.float64)).backward()
    g_ce = zt.grad.item()
    zt.grad = None
    (0.5 * (torch.sigmoid(zt) - 1) ** 2).sum().backward()
    g_mse = zt.grad.item()
    assert g_ce < -0.99 and abs(g_mse) < 1e-4
    p = L.sigmoid(z)
    assert np.isclose(g_ce, (p - 1)[0]) and np.isclose(g_mse, ((p - 1) * p * (1 - p))[0])


def test_perceptron_loss_uses_w():
    """笔记的 SGD 一段写成 y_i(x_i + b)，丢了 w。正确的损失随 w 变化，且等于 -Σ_M y(wᵀx+b)。"""
    X, y = data.make_separable(n=40, seed=1)
    b = 0.1
    w1, w2 = np.array([1.0, -2.0]), np.array([-3.0, 0.5])
    assert perceptron_loss(X, y, w1, b) != perceptron_loss(X, y, w2, b)
    margins = y * (X @ w1 + b)
    assert np.isclose(perceptron_loss(X, y, w1, b), -margins[margins <= 0].sum())
