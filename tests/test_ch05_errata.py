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


# ---------------------------------------------------------------- 正文里的下标约定与数字（第 5 章页面）
def test_output_ij_sees_the_window_whose_top_left_corner_is_ij():
    """5.3 节：按 y_ij = Σ w_uv x_{i+u−1, j+v−1}，输出 (i, j) 看的是左上角为 (i, j) 的 U×V 窗口；
    等宽卷积补零之后，窗口才以输入的 (i, j) 为中心。"""
    rng = np.random.default_rng(0)
    x = torch.tensor(rng.standard_normal((1, 1, 7, 8)), requires_grad=True)
    W = torch.tensor(rng.standard_normal((1, 1, 2, 3)))                    # U = 2, V = 3
    F.conv2d(x, W)[0, 0, 2, 4].backward()
    rows, cols = torch.nonzero(x.grad[0, 0], as_tuple=True)
    assert (rows.min().item(), rows.max().item(), cols.min().item(), cols.max().item()) == (2, 3, 4, 6)
    x.grad = None
    F.conv2d(x, torch.tensor(rng.standard_normal((1, 1, 3, 3))), padding=1)[0, 0, 2, 4].backward()
    rows, cols = torch.nonzero(x.grad[0, 0], as_tuple=True)
    assert (rows.min().item(), rows.max().item(), cols.min().item(), cols.max().item()) == (1, 3, 3, 5)


def test_input_gradient_pads_delta_by_u_minus_1_rows_and_v_minus_1_columns():
    """5.3 节：∂L/∂X^d = Σ_p rot180(W^{p,d}) ⊗̃ δ^p，⊗̃ 是在 δ^p 上下各补 U−1 行、左右各补 V−1 列零后的互相关
    （卷积核不是方的时候，两个方向补的零不一样多）。"""
    from nndl_ref.numpy.conv import conv2d_backward

    rng = np.random.default_rng(1)
    x, W = rng.standard_normal((1, 3, 6, 7)), rng.standard_normal((4, 3, 2, 3))   # U = 2, V = 3
    Y, cache = conv2d_forward(x, W)
    delta = rng.standard_normal(Y.shape)
    dx = conv2d_backward(delta, cache)[0]
    U, V = W.shape[2:]
    padded = np.pad(delta, ((0, 0), (0, 0), (U - 1, U - 1), (V - 1, V - 1)))
    by_formula = np.stack([sum(correlate2d(padded[0, p], W[p, d, ::-1, ::-1], mode="valid") for p in range(4))
                           for d in range(3)])
    assert np.allclose(dx[0], by_formula)


def test_site_mnist1d_cnn_changes_more_than_the_pooling():
    """5.8 节：论文的 CNN 是三层 25 通道、步长 2 的卷积、展平接全连接（5,210 个参数）；本站的 MNIST1DCNN
    是三层 32 通道、步长 1 的等宽卷积，前两层后各一个 2 倍最大汇聚，最后全局最大汇聚（6,730 个参数）。"""
    from nndl_ref.torch.cnn import MNIST1DCNN, PublishedMNIST1DCNN

    ours, paper = MNIST1DCNN(), PublishedMNIST1DCNN()
    ours_convs = [m for m in ours.modules() if isinstance(m, torch.nn.Conv1d)]
    paper_convs = [m for m in paper.modules() if isinstance(m, torch.nn.Conv1d)]
    assert [(c.out_channels, c.stride[0]) for c in ours_convs] == [(32, 1)] * 3
    assert [(c.out_channels, c.stride[0]) for c in paper_convs] == [(25, 2)] * 3
    assert [m.kernel_size for m in ours.modules() if isinstance(m, torch.nn.MaxPool1d)] == [2, 2]
    assert sum(isinstance(m, torch.nn.AdaptiveMaxPool1d) for m in ours.modules()) == 1
    assert not any(isinstance(m, (torch.nn.MaxPool1d, torch.nn.AdaptiveMaxPool1d)) for m in paper.modules())
    assert sum(p.numel() for p in ours.parameters()) == 6730 and sum(p.numel() for p in paper.parameters()) == 5210


def test_mnist1d_sentence_matches_the_accuracy_table():
    """5.8 节对 benchmarks/results/cnn_accuracy.json 的描述：论文 CNN 5 个种子的平均约 93%、低于论文的 94%，
    最差的种子只有 92% 出头；本站的 CNN 5 个种子都在 95% 以上。"""
    import json
    from pathlib import Path

    records = json.loads((Path(__file__).resolve().parents[1] / "benchmarks/results/cnn_accuracy.json")
                         .read_text(encoding="utf-8"))
    table = {(r["row"], r["column"]): r["value"] for r in records}
    paper = next(r for r, _ in table if r.startswith("MNIST-1D：论文"))
    ours = next(r for r, _ in table if r.startswith("MNIST-1D：本站"))
    assert table[(paper, "种子数")] == 5 and table[(ours, "种子数")] == 5
    assert 92.5 <= table[(paper, "平均")] < 93.5 and 92 <= table[(paper, "最小")] < 92.5
    assert table[(ours, "最小")] > 95


def test_sklearn_reference_accuracies_on_the_digits_split():
    """5.6 节：同一划分（原始像素）上 scikit-learn 的 Logistic 回归约 95%、k 近邻（k=5）约 98%、RBF 核 SVM 约 99.1%。"""
    import warnings

    from sklearn.linear_model import LogisticRegression
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.svm import SVC

    from nndl_ref import data

    d = data.load_digits()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        logistic = LogisticRegression(max_iter=5000).fit(d.X_train, d.y_train).score(d.X_test, d.y_test)
    knn = KNeighborsClassifier(n_neighbors=5).fit(d.X_train, d.y_train).score(d.X_test, d.y_test)
    svm = SVC(kernel="rbf").fit(d.X_train, d.y_train).score(d.X_test, d.y_test)
    assert abs(logistic - 0.95) < 0.005 and round(knn, 2) == 0.98 and round(svm, 3) == 0.991


def test_residual_gradient_multiplies_jacobians_from_layer_L_down():
    """5.7 节：h_k = h_{k−1} + f_k(h_{k−1})，行向量梯度 ∂L/∂h_l = ∂L/∂h_L (I + J_L)(I + J_{L−1})⋯(I + J_{l+1})；
    顺序颠倒（从 l+1 乘到 L）一般就不对了。"""
    torch.manual_seed(0)
    n, L = 4, 3
    A = [torch.randn(n, n, dtype=torch.float64) for _ in range(L)]        # f_k(h) = tanh(A_k h)
    h0 = torch.randn(n, dtype=torch.float64, requires_grad=True)
    hs, h = [h0], h0
    for Ak in A:
        h = h + torch.tanh(Ak @ h)
        hs.append(h)
    c = torch.randn(n, dtype=torch.float64)
    (c @ hs[-1]).backward()                                                # L = cᵀ h_L，∂L/∂h_L = cᵀ
    J = [torch.eye(n, dtype=torch.float64)
         + torch.diag(1 - torch.tanh(Ak @ hk.detach()) ** 2) @ Ak for Ak, hk in zip(A, hs[:-1])]   # I + ∂f_k/∂h_{k−1}
    right_order = c @ J[2] @ J[1] @ J[0]
    wrong_order = c @ J[0] @ J[1] @ J[2]
    assert torch.allclose(h0.grad, right_order, rtol=1e-12, atol=1e-12)
    assert not torch.allclose(h0.grad, wrong_order)
