"""第 5 章：快速卷积（通道在后 + 分块 im2col）与可读版逐项相等，float32 / float64 都保持 dtype。"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from nndl_ref.gradcheck import rel_error
from nndl_ref.numpy import conv, conv_fast

CASES = [c for c in itertools.product([1, 2, 3], [0, 1, 3], [1, 2], [(3, 3), (2, 3), (1, 1)], [(1, 4), (3, 2)])]


@pytest.mark.parametrize("stride, padding, dilation, kernel, channels", CASES)
def test_fast_equals_readable(stride, padding, dilation, kernel, channels):
    D, P = channels                 # (1, 4) 走 col2im 分支（4D ≤ P），(3, 2) 走"翻转卷积核的互相关"分支
    rng = np.random.default_rng(0)
    x = rng.standard_normal((3, D, 9, 8))
    W, b = rng.standard_normal((P, D, *kernel)), rng.standard_normal(P)
    try:
        Y, cache = conv.conv2d_forward(x, W, b, stride, padding, dilation)
    except ValueError:              # 输入比有效核还小：两个版本都应拒绝
        with pytest.raises(ValueError, match="输出为空"):
            conv_fast.conv2d_forward_fast(x, W, b, stride, padding, dilation)
        return
    Yf, cache_f = conv_fast.conv2d_forward_fast(x, W, b, stride, padding, dilation)
    assert Yf.shape == Y.shape and rel_error(Yf, Y) < 1e-12
    dY = rng.standard_normal(Y.shape)
    for fast, slow in zip(conv_fast.conv2d_backward_fast(dY, cache_f), conv.conv2d_backward(dY, cache)):
        assert fast.shape == slow.shape and rel_error(fast, slow) < 1e-12


def test_fast_handles_many_chunks_and_padding_larger_than_kernel(monkeypatch):
    monkeypatch.setattr(conv_fast, "CHUNK_BYTES", 1)             # 每块只放一个样本：分块边界处处都被检查
    rng = np.random.default_rng(1)
    x, W = rng.standard_normal((5, 2, 6, 7)), rng.standard_normal((3, 2, 3, 3))
    for kw in ({"padding": 4, "stride": 2}, {"padding": (0, 3), "stride": (1, 3), "dilation": (2, 1)}):
        Y, c = conv.conv2d_forward(x, W, None, **kw)
        Yf, cf = conv_fast.conv2d_forward_fast(x, W, None, **kw)
        dY = rng.standard_normal(Y.shape)
        assert np.allclose(Y, Yf)
        for a, b in zip(conv_fast.conv2d_backward_fast(dY, cf)[:2], conv.conv2d_backward(dY, c)[:2]):
            assert np.allclose(a, b)
        assert conv_fast.conv2d_backward_fast(dY, cf)[2] is None


def test_float32_stays_float32_and_matches_torch():
    rng = np.random.default_rng(2)
    x = rng.standard_normal((4, 16, 12, 12)).astype(np.float32)
    W = (rng.standard_normal((32, 16, 3, 3)) * 0.1).astype(np.float32)
    b = np.zeros(32, np.float32)
    Y, cache = conv_fast.conv2d_forward_fast(x, W, b, padding=1)
    dY = rng.standard_normal(Y.shape).astype(np.float32)
    dx, dW, db = conv_fast.conv2d_backward_fast(dY, cache)
    assert {a.dtype for a in (Y, dx, dW, db)} == {np.dtype(np.float32)}
    tx, tW, tb = (torch.tensor(a, requires_grad=True) for a in (x, W, b))
    tY = F.conv2d(tx, tW, tb, padding=1)
    tY.backward(torch.tensor(dY))
    for mine, ref in zip((Y, dx, dW, db), (tY.detach(), tx.grad, tW.grad, tb.grad)):
        assert rel_error(mine, ref.numpy()) < 1e-5


def test_output_is_a_channels_last_view():
    Y, _ = conv_fast.conv2d_forward_fast(np.ones((2, 3, 5, 5)), np.ones((4, 3, 3, 3)), padding=1)
    assert Y.shape == (2, 4, 5, 5)
    assert Y.transpose(0, 2, 3, 1).flags["C_CONTIGUOUS"]        # 下一层换回通道在后时不用拷贝


def test_fast_rejects_bad_input():
    W = np.zeros((2, 3, 3, 3))
    with pytest.raises(ValueError, match="通道数"):
        conv_fast.conv2d_forward_fast(np.zeros((1, 2, 5, 5)), W)
    _, cache = conv_fast.conv2d_forward_fast(np.zeros((1, 3, 5, 5)), W)
    with pytest.raises(ValueError, match="dY 的形状"):
        conv_fast.conv2d_backward_fast(np.zeros((1, 2, 5, 5)), cache)
