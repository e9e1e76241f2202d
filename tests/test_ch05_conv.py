"""第 5 章：一维 / 二维卷积、转置卷积的可读版（NumPy）与按公式写的 torch 版，逐项对照 torch 内置函数。"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from nndl_ref.gradcheck import numerical_vjp, rel_error
from nndl_ref.numpy import conv
from nndl_ref.torch import conv as tconv

# (stride, padding, dilation)：覆盖步长、补零、空洞以及高宽不同的设置
HYPER = [(1, 0, 1), (2, 1, 1), (1, 2, 2), (3, 1, 1), ((2, 1), (1, 0), (1, 2))]


def t64(a, grad=False):
    return torch.tensor(a, dtype=torch.float64, requires_grad=grad)


# ---------------------------------------------------------------- 尺寸公式
@pytest.mark.parametrize("M, K", [(7, 3), (8, 3), (28, 5), (10, 4)])
def test_narrow_wide_same_lengths(M, K):
    x, w = np.arange(M, dtype=float), np.ones(K)
    assert conv.correlate1d(x, w, "narrow").shape == (M - K + 1,)
    assert conv.correlate1d(x, w, "wide").shape == (M + K - 1,)
    assert conv.correlate1d(x, w, "same").shape == (M,)
    assert conv.conv_output_size(M, K) == M - K + 1
    assert conv.conv_output_size(M, K, padding=K - 1) == M + K - 1
    if K % 2:                                       # P = (K−1)/2 只在 K 为奇数时是整数
        assert conv.conv_output_size(M, K, padding=(K - 1) // 2) == M


@pytest.mark.parametrize("M, K, S, P, D", list(itertools.product([7, 12], [1, 3, 4], [1, 2, 3], [0, 1, 3], [1, 2])))
def test_output_size_formula_matches_torch(M, K, S, P, D):
    Kp = K + (K - 1) * (D - 1)
    if M + 2 * P < Kp:
        with pytest.raises(ValueError, match="输出为空"):
            conv.conv_output_size(M, K, S, P, D)
        return
    expected = (M - Kp + 2 * P) // S + 1                     # (M − K' + 2P)/S + 1，向下取整
    assert conv.conv_output_size(M, K, S, P, D) == expected
    y = F.conv1d(torch.zeros(1, 1, M), torch.zeros(1, 1, K), stride=S, padding=P, dilation=D)
    assert y.shape[-1] == expected


@pytest.mark.parametrize("K, D", [(3, 1), (3, 2), (3, 3), (5, 2), (2, 4)])
def test_effective_kernel_size_of_dilated_conv(K, D):
    # K' = K + (K−1)(D−1)：在长度为 K' 的输入上，窄卷积恰好输出 1 个数
    Kp = conv.effective_kernel_size(K, D)
    assert Kp == K + (K - 1) * (D - 1)
    y, _ = conv.conv1d_forward(np.ones((1, 1, Kp)), np.ones((1, 1, K)), dilation=D)
    assert y.shape == (1, 1, 1)
    with pytest.raises(ValueError):
        conv.conv1d_forward(np.ones((1, 1, Kp - 1)), np.ones((1, 1, K)), dilation=D)


def test_receptive_field_matches_gradient_footprint():
    layers = [(3, 1, 1), (3, 2, 1), (3, 1, 2), (2, 2, 1), (3, 1, 1)]
    r = conv.receptive_field(layers)
    x = torch.zeros(1, 1, 1, 101, requires_grad=True)
    h = x
    for i, (K, S, D) in enumerate(layers):
        h = F.conv2d(h, torch.ones(1, 1, 1, K, dtype=h.dtype), stride=(1, S), dilation=(1, D))
        # 中间一个输出神经元对输入求梯度：非零区间的长度就是感受野
        x.grad = None
        h[0, 0, 0, h.shape[-1] // 2].backward(retain_graph=True)
        nz = torch.nonzero(x.grad[0, 0, 0]).flatten()
        assert int(nz.max() - nz.min() + 1) == r[i], (i, r)


# ---------------------------------------------------------------- 一维：卷积与互相关
@pytest.mark.parametrize("K", [1, 2, 3, 4, 5])
@pytest.mark.parametrize("mode, np_mode", [("narrow", "valid"), ("wide", "full"), ("same", "same")])
def test_convolve1d_is_numpy_convolve(K, mode, np_mode):
    rng = np.random.default_rng(K)
    x, w = rng.standard_normal(9), rng.standard_normal(K)
    assert np.allclose(conv.convolve1d(x, w, mode), np.convolve(x, w, np_mode))
    assert np.allclose(tconv.convolve1d(t64(x), t64(w), mode).numpy(), np.convolve(x, w, np_mode))


@pytest.mark.filterwarnings("ignore:Using padding='same'")
@pytest.mark.parametrize("K", [1, 2, 3, 4])
@pytest.mark.parametrize("mode, pad", [("narrow", 0), ("wide", None), ("same", "same")])
def test_correlate1d_is_torch_conv1d(K, mode, pad):
    rng = np.random.default_rng(10 + K)
    x, w = rng.standard_normal(8), rng.standard_normal(K)
    padding = K - 1 if pad is None else pad
    ref = F.conv1d(t64(x)[None, None], t64(w)[None, None], padding=padding)[0, 0].numpy()
    assert np.allclose(conv.correlate1d(x, w, mode), ref)
    assert np.allclose(tconv.correlate1d(t64(x), t64(w), mode).numpy(), ref)


def test_signal_delay_example():
    # w = (1, 1/2, 1/4)：y_t = x_t + x_{t−1}/2 + x_{t−2}/4
    x = np.array([1.0, 0, 0, 2, 0, 0])
    y = conv.convolve1d(x, [1, 0.5, 0.25], mode="wide")[:len(x)]       # 只看 t = 1..6（因果的输出）
    assert np.allclose(y, [1, 0.5, 0.25, 2, 1, 0.5])


def test_convolution_flips_the_kernel():
    rng = np.random.default_rng(0)
    x, w = rng.standard_normal(10), rng.standard_normal(3)
    assert np.allclose(conv.convolve1d(x, w), conv.correlate1d(x, w[::-1]))
    assert not np.allclose(conv.convolve1d(x, w), conv.correlate1d(x, w))   # 非对称的核：两者确实不同


# ---------------------------------------------------------------- 二维：与 torch 的值和全部梯度对照
@pytest.mark.parametrize("stride, padding, dilation", HYPER)
def test_conv2d_matches_torch_values_and_grads(stride, padding, dilation):
    rng = np.random.default_rng(1)
    x, W, b = rng.standard_normal((2, 3, 9, 8)), rng.standard_normal((4, 3, 3, 2)), rng.standard_normal(4)
    Y, cache = conv.conv2d_forward(x, W, b, stride, padding, dilation)
    tx, tW, tb = t64(x, True), t64(W, True), t64(b, True)
    tY = F.conv2d(tx, tW, tb, stride, padding, dilation)
    dY = rng.standard_normal(Y.shape)
    tY.backward(torch.tensor(dY))
    dx, dW, db = conv.conv2d_backward(dY, cache)
    assert rel_error(Y, tY.detach().numpy()) < 1e-12
    assert rel_error(dx, tx.grad.numpy()) < 1e-12
    assert rel_error(dW, tW.grad.numpy()) < 1e-12
    assert rel_error(db, tb.grad.numpy()) < 1e-12


@pytest.mark.parametrize("stride, padding, dilation", HYPER)
def test_torch_formula_conv2d_matches_builtin(stride, padding, dilation):
    rng = np.random.default_rng(2)
    x, W, b = rng.standard_normal((2, 3, 9, 8)), rng.standard_normal((4, 3, 3, 2)), rng.standard_normal(4)
    grads = []
    for fn in (tconv.conv2d, F.conv2d):
        tx, tW, tb = t64(x, True), t64(W, True), t64(b, True)
        Y = fn(tx, tW, tb, stride, padding, dilation)
        Y.backward(torch.ones_like(Y))
        grads.append([Y.detach(), tx.grad, tW.grad, tb.grad])
    for a, r in zip(*grads):
        assert torch.allclose(a, r, atol=1e-12)


@pytest.mark.parametrize("stride, padding, dilation", HYPER[:4])
def test_conv2d_backward_gradcheck(stride, padding, dilation):
    rng = np.random.default_rng(3)
    x, W, b = rng.standard_normal((2, 2, 7, 6)), rng.standard_normal((3, 2, 3, 3)), rng.standard_normal(3)
    Y, cache = conv.conv2d_forward(x, W, b, stride, padding, dilation)
    dY = rng.standard_normal(Y.shape)
    dx, dW, db = conv.conv2d_backward(dY, cache)
    f = lambda **kw: conv.conv2d_forward(kw.get("x", x), kw.get("W", W), kw.get("b", b), stride, padding, dilation)[0]  # noqa: E731
    assert rel_error(dx, numerical_vjp(lambda v: f(x=v), x.copy(), dY)) < 1e-7
    assert rel_error(dW, numerical_vjp(lambda v: f(W=v), W.copy(), dY)) < 1e-7
    assert rel_error(db, numerical_vjp(lambda v: f(b=v), b.copy(), dY)) < 1e-7


def test_conv1d_layer_matches_torch():
    rng = np.random.default_rng(4)
    x, W, b = rng.standard_normal((3, 2, 40)), rng.standard_normal((5, 2, 5)), rng.standard_normal(5)
    Y, cache = conv.conv1d_forward(x, W, b, stride=2, padding=1)
    tx, tW, tb = t64(x, True), t64(W, True), t64(b, True)
    tY = F.conv1d(tx, tW, tb, stride=2, padding=1)
    assert Y.shape == (3, 5, 19) and rel_error(Y, tY.detach().numpy()) < 1e-12
    dY = rng.standard_normal(Y.shape)
    tY.backward(torch.tensor(dY))
    for mine, ref in zip(conv.conv1d_backward(dY, cache), (tx.grad, tW.grad, tb.grad)):
        assert rel_error(mine, ref.numpy()) < 1e-12
    assert torch.allclose(tconv.conv1d(t64(x), t64(W), t64(b), 2, 1), tY.detach())


def test_one_by_one_conv_is_a_per_pixel_linear_layer():
    rng = np.random.default_rng(5)
    x, W, b = rng.standard_normal((2, 6, 5, 4)), rng.standard_normal((3, 6, 1, 1)), rng.standard_normal(3)
    Y, _ = conv.conv2d_forward(x, W, b)
    # 每个像素的 D 维通道向量乘同一个 (P, D) 矩阵：y[:, :, i, j] = W x[:, :, i, j] + b
    per_pixel = np.einsum("pd,bdij->bpij", W[:, :, 0, 0], x) + b[None, :, None, None]
    assert Y.shape == (2, 3, 5, 4) and np.allclose(Y, per_pixel)


# ---------------------------------------------------------------- 转置卷积
@pytest.mark.parametrize("stride, padding, dilation", HYPER)
def test_transposed_conv_is_the_gradient_of_conv(stride, padding, dilation):
    rng = np.random.default_rng(6)
    x, W = rng.standard_normal((2, 3, 9, 8)), rng.standard_normal((4, 3, 3, 2))
    Y, cache = conv.conv2d_forward(x, W, None, stride, padding, dilation)
    dY = rng.standard_normal(Y.shape)
    dx, _, _ = conv.conv2d_backward(dY, cache)
    # 步长不整除时，卷积丢掉了末尾几行 / 列；转置卷积用 output_padding 把它们补回来（那里的梯度是 0）
    S, P, D = (conv._pair(v, "", 0) for v in (stride, padding, dilation))
    op = tuple((m + 2 * p - conv.effective_kernel_size(k, d)) % s
               for m, p, k, d, s in zip(x.shape[2:], P, W.shape[2:], D, S))
    out, _ = conv.conv_transpose2d_forward(dY, W, None, stride, padding, dilation, output_padding=op)
    assert out.shape == x.shape and np.allclose(out, dx)


@pytest.mark.parametrize("stride, padding, dilation, output_padding", [(1, 0, 1, 0), (2, 1, 1, 1), (2, 0, 2, 1),
                                                                      (3, 1, 1, 2), ((2, 1), (1, 0), (1, 2), (1, 0))])
def test_transposed_conv_matches_torch(stride, padding, dilation, output_padding):
    rng = np.random.default_rng(7)
    x, W, b = rng.standard_normal((2, 4, 5, 4)), rng.standard_normal((4, 3, 3, 2)), rng.standard_normal(3)
    out, cache = conv.conv_transpose2d_forward(x, W, b, stride, padding, dilation, output_padding)
    tx, tW, tb = t64(x, True), t64(W, True), t64(b, True)
    ref = F.conv_transpose2d(tx, tW, tb, stride, padding, output_padding, 1, dilation)
    assert out.shape == tuple(ref.shape) and rel_error(out, ref.detach().numpy()) < 1e-12
    g = rng.standard_normal(out.shape)
    ref.backward(torch.tensor(g))
    for mine, r in zip(conv.conv_transpose2d_backward(g, cache), (tx.grad, tW.grad, tb.grad)):
        assert rel_error(mine, r.numpy()) < 1e-12
    if np.all(np.less(output_padding, stride)):
        assert torch.allclose(tconv.conv_transpose2d(t64(x), t64(W), t64(b), stride, padding, dilation, output_padding),
                              ref.detach())


def test_transposed_conv_backward_gradcheck():
    rng = np.random.default_rng(8)
    x, W, b = rng.standard_normal((1, 2, 3, 3)), rng.standard_normal((2, 3, 3, 3)), rng.standard_normal(3)
    out, cache = conv.conv_transpose2d_forward(x, W, b, stride=2, padding=1, output_padding=1)
    g = rng.standard_normal(out.shape)
    dx, dW, db = conv.conv_transpose2d_backward(g, cache)
    f = lambda x_=x, W_=W, b_=b: conv.conv_transpose2d_forward(x_, W_, b_, 2, 1, 1, 1)[0]  # noqa: E731
    assert rel_error(dx, numerical_vjp(lambda v: f(x_=v), x.copy(), g)) < 1e-7
    assert rel_error(dW, numerical_vjp(lambda v: f(W_=v), W.copy(), g)) < 1e-7
    assert rel_error(db, numerical_vjp(lambda v: f(b_=v), b.copy(), g)) < 1e-7


# ---------------------------------------------------------------- 层类
def test_conv2d_layer_accumulates_grads_and_fast_option_agrees():
    rng = np.random.default_rng(9)
    x = rng.standard_normal((2, 3, 6, 6))
    slow = conv.Conv2d(3, 4, 3, np.random.default_rng(0), stride=2, padding=1)
    fast = conv.Conv2d(3, 4, 3, np.random.default_rng(0), stride=2, padding=1, fast=True)
    y1, y2 = slow.forward(x), fast.forward(x)
    assert np.allclose(y1, y2)
    g = rng.standard_normal(y1.shape)
    assert np.allclose(slow.backward(g), fast.backward(g))
    slow.backward(g)                                      # 第二次反向：梯度累加
    assert np.allclose(slow.grads["W"], 2 * fast.grads["W"])
    slow.zero_grad()
    assert not slow.grads["W"].any()


# ---------------------------------------------------------------- 错误输入
def test_bad_inputs_raise_clear_errors():
    x, W = np.zeros((1, 3, 5, 5)), np.zeros((2, 3, 3, 3))
    with pytest.raises(ValueError, match="通道数"):
        conv.conv2d_forward(np.zeros((1, 2, 5, 5)), W)
    with pytest.raises(ValueError, match="4 维"):
        conv.conv2d_forward(np.zeros((3, 5, 5)), W)
    with pytest.raises(ValueError, match=r"b 的形状应为 \(P,\)"):
        conv.conv2d_forward(x, W, np.zeros(3))
    with pytest.raises(ValueError, match="输出为空"):
        conv.conv2d_forward(np.zeros((1, 3, 2, 2)), W)
    with pytest.raises(TypeError, match="stride"):
        conv.conv2d_forward(x, W, stride=1.5)
    with pytest.raises(ValueError, match="stride"):
        conv.conv2d_forward(x, W, stride=0)
    with pytest.raises(ValueError, match="padding"):
        conv.conv2d_forward(x, W, padding=-1)
    with pytest.raises(ValueError, match="NaN"):
        conv.conv2d_forward(np.full((1, 3, 5, 5), np.nan), W)
    with pytest.raises(ValueError, match="mode"):
        conv.correlate1d([1.0, 2.0], [1.0], mode="valid")
    with pytest.raises(ValueError, match="M=2"):
        conv.correlate1d([1.0, 2.0], [1.0, 1.0, 1.0])
    _, cache = conv.conv2d_forward(x, W)
    with pytest.raises(ValueError, match="dY 的形状"):
        conv.conv2d_backward(np.zeros((1, 2, 4, 4)), cache)
    with pytest.raises(ValueError, match="W 的第 0 维"):
        conv.conv_transpose2d_forward(np.zeros((1, 3, 4, 4)), W)
    with pytest.raises(ValueError, match="output_padding"):
        conv.conv_transpose2d_forward(np.zeros((1, 2, 4, 4)), W, stride=2, output_padding=2)
    with pytest.raises(TypeError, match="torch.Tensor"):
        tconv.conv2d(x, torch.zeros(2, 3, 3, 3))
    with pytest.raises(ValueError, match="(K, S)"):
        conv.receptive_field([(3,)])
