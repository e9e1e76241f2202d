"""第 5 章勘误：笔记里写错或说不清的地方，用数值把正确的说法钉住（见 docs/appendix/errata.md 第 5 章一节）。"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from scipy.signal import convolve2d, correlate2d

from nndl_ref.numpy.conv import conv2d_forward, conv_output_size, convolve1d, correlate1d, receptive_field
from nndl_ref.torch.cnn import DeepConvNet, ResidualUnit


def test_the_kernel_is_w_not_the_output_y():
    # 笔记："y_t 称为滤波器或卷积核"。滤波器是 w：单位脉冲的响应恰好就是 w，y_t 是输出信号
    w = np.array([1, 0.5, 0.25])
    impulse = np.array([1.0, 0, 0, 0, 0])
    assert np.allclose(convolve1d(impulse, w, "wide")[:3], w)
    x = np.array([2.0, 1, 0, 0, 0])
    assert convolve1d(x, w, "wide")[:3].tolist() == [2, 2, 1]      # 一般输入的输出 y 不是卷积核


def test_sliding_multiply_and_sum_is_cross_correlation_not_convolution():
    # 笔记："卷积核与输入对应位置逐个相乘再求和，就得到卷积结果"——那是互相关；书中的卷积要先翻转卷积核
    rng = np.random.default_rng(0)
    x, w = rng.standard_normal((6, 7)), rng.standard_normal((3, 3))
    y = conv2d_forward(x[None, None], w[None, None])[0][0, 0]
    assert np.allclose(y, correlate2d(x, w, mode="valid"))
    assert not np.allclose(y, convolve2d(x, w, mode="valid"))
    assert np.allclose(conv2d_forward(x[None, None], w[::-1, ::-1][None, None])[0][0, 0],
                       convolve2d(x, w, mode="valid"))              # 翻转后才是卷积
    assert torch.allclose(F.conv2d(torch.tensor(x)[None, None], torch.tensor(w)[None, None])[0, 0],
                          torch.tensor(y))                           # torch 的"卷积层"也是互相关


def test_edge_example_signs_depend_on_the_flip():
    # 笔记的例子 2 2 5 5 0 0 与 w = (1, −1) 得到 0 −3 0 5 0：那是互相关；按书中卷积的定义符号相反
    x, w = np.array([2.0, 2, 5, 5, 0, 0]), np.array([1.0, -1])
    assert correlate1d(x, w).tolist() == [0, -3, 0, 5, 0]
    assert convolve1d(x, w).tolist() == [0, 3, 0, -5, 0]


def test_same_convolution_with_even_kernel_needs_asymmetric_padding():
    # P = (K−1)/2 只有 K 为奇数时是整数；K = 4 时两端补 1 和 2 个零（共 K−1 = 3 个），输出长度仍为 M
    M = 9
    for K in (3, 4, 5, 6):
        assert len(correlate1d(np.ones(M), np.ones(K), "same")) == M
    assert conv_output_size(M, 4, padding=1) == M - 1 and conv_output_size(M, 4, padding=2) == M + 1


def test_weight_sharing_means_one_kernel_for_every_position():
    # 权重共享：同一个卷积核用在每个位置上。所以参数个数与输入大小无关，而且卷积是平移等变的
    conv = torch.nn.Conv2d(1, 4, 3)
    n_params = sum(p.numel() for p in conv.parameters())
    assert n_params == 4 * 9 + 4
    x = torch.randn(1, 1, 12, 12)
    with torch.no_grad():
        small, big = conv(x), conv(torch.randn(1, 1, 40, 40))
        shifted = conv(torch.roll(x, 3, dims=3))
    assert big.shape[-1] > small.shape[-1]                           # 输入变大，参数个数不变
    assert torch.allclose(shifted[..., 3:], torch.roll(small, 3, dims=3)[..., 3:], atol=1e-6)


def test_padding_controls_the_output_size_not_foreground_vs_background():
    # 笔记："padding 其实是图像分割中给前景加背景"。补零的作用：控制输出尺寸、让边缘像素也处在窗口中心
    M = 28
    no_pad, with_pad = M, M
    for _ in range(10):
        no_pad = conv_output_size(no_pad, 3, padding=0)
        with_pad = conv_output_size(with_pad, 3, padding=1)
    assert (no_pad, with_pad) == (8, 28)
    x = np.zeros((1, 1, 5, 5))
    x[0, 0, 0, 0] = 1.0                                              # 角上的像素
    w = np.ones((1, 1, 3, 3))
    assert conv2d_forward(x, w)[0].sum() == 1                        # 不补零：只被 1 个窗口看到
    assert conv2d_forward(x, w, padding=1)[0].sum() == 4             # 补零：被 4 个窗口看到


def test_shortcut_adds_the_input_itself_not_a_constant_bias():
    # 笔记："残差块拉了一个恒等偏置过来"。直连边加的是输入 x 本身（随输入变化），不是常数偏置
    unit = ResidualUnit(3, 3, batch_norm=False)
    with torch.no_grad():
        unit.conv2.weight.zero_()
        unit.conv2.bias.zero_()                                     # f(x) ≡ 0
    for seed in range(3):
        x = torch.rand(1, 3, 5, 5, generator=torch.Generator().manual_seed(seed))   # 非负输入
        assert torch.equal(unit(x), x)                              # h(x) = ReLU(x + 0) = x：恒等函数


def test_degradation_is_an_optimisation_problem_and_shortcuts_carry_the_gradient():
    # 笔记把退化归因于"信息逐层丢失"。残差网络令 f ≡ 0 就精确地得到恒等映射（深网络至少能表示浅网络），
    # 难点在于优化：普通深网络第一层的梯度几乎为 0，加直连边后 ∂h/∂x = I + ∂f/∂x，梯度传得回去
    x = torch.randn(8, 1, 8, 8, generator=torch.Generator().manual_seed(0))
    y = torch.arange(8)
    first = {}
    for residual in (False, True):
        torch.manual_seed(0)
        net = DeepConvNet(depth=30, residual=residual)
        F.cross_entropy(net(x), y).backward()
        first[residual] = net.layer_grad_norms()[0]
    assert first[True] > 1e6 * first[False]


def test_recipe_stacks_several_small_convs_before_each_pooling():
    # 笔记："一层卷积带一层池化"。书中的配方是每块 M = 2～5 个卷积再汇聚：两层 3×3 的感受野等于 5×5，参数更少
    assert receptive_field([(3, 1), (3, 1)])[-1] == 5
    C = 64
    assert 2 * 9 * C * C < 25 * C * C
