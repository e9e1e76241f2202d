"""第 5 章（卷积神经网络）的插图。每个函数返回 SVG 文本；示意图里的数字都由本包的函数算出。"""

from __future__ import annotations

import numpy as np

from ..numpy.conv import conv2d_forward, conv_transpose2d_forward, convolve1d
from ._style import COLORS, plt, svg_figure

CHAPTER = "ch05-cnn"

BLUE, RED, GREEN, ORANGE = COLORS[0], COLORS[1], COLORS[2], COLORS[3]


# ---------------------------------------------------------------- 画格子的小工具
def _cells(ax, values, x0, y0, *, fmt="{:g}", face="white", edge="0.4", highlight=None, hcolor=BLUE,
           dashed=None, size=1.0, fontsize=9, alpha=0.25, colors=None):
    """在 (x0, y0) 处画一个数字网格（左上角为原点，y 向下）。``highlight``/``dashed`` 为 (行, 列) 的集合，
    ``colors`` 为 {(行, 列): 颜色}。"""
    values = np.atleast_2d(values)
    for (r, c), v in np.ndenumerate(values):
        x, y = x0 + c * size, y0 + r * size
        fc = face
        if highlight is not None and (r, c) in highlight:
            fc = hcolor
        if colors is not None and (r, c) in colors:
            fc = colors[(r, c)]
        ls = "--" if dashed is not None and (r, c) in dashed else "-"
        ax.add_patch(plt.Rectangle((x, y), size, size, facecolor=fc, edgecolor=edge, lw=0.8, ls=ls,
                                   alpha=1.0 if fc == face else alpha))
        ax.add_patch(plt.Rectangle((x, y), size, size, fill=False, edgecolor=edge, lw=0.8, ls=ls))
        if v is not None and not (isinstance(v, float) and np.isnan(v)):
            ax.text(x + size / 2, y + size / 2, fmt.format(v), ha="center", va="center", fontsize=fontsize,
                    color="0.55" if ls == "--" else "black")


def _canvas(w, h, figsize):
    fig, ax = plt.subplots(figsize=figsize)
    ax.set_xlim(0, w)
    ax.set_ylim(h, 0)
    ax.set_aspect("equal")
    ax.axis("off")
    return fig, ax


# ---------------------------------------------------------------- 一维卷积
@svg_figure
def conv1d_sliding():
    """信号延迟累积：卷积核 w = (1, 1/2, 1/4) 翻转后在信号上滑动，每个位置加权求和得到 y_t。"""
    x = np.array([1.0, 0, 0, 2, 0, 1, 1])
    w = np.array([1, 0.5, 0.25])
    y = convolve1d(x, w, mode="wide")[:len(x)]
    t = 5                                                       # 画 y_6 = w1 x6 + w2 x5 + w3 x4
    fig, ax = _canvas(11, 6.2, (8, 4.2))
    ax.text(0.1, 0.5, "x", fontsize=12, style="italic", va="center")
    _cells(ax, x, 1, 0, highlight={(0, t - 2), (0, t - 1), (0, t)})
    for k in range(len(x)):
        ax.text(1.5 + k, -0.25, f"t={k + 1}", ha="center", fontsize=7, color="0.4")
    ax.text(0.1, 2.5, "w", fontsize=12, style="italic", va="center")
    _cells(ax, w[::-1], 1 + t - 2, 2, face="#fde0c5", fmt="{:g}")   # 翻转后的卷积核对齐在 x_{t−2}, x_{t−1}, x_t 下面
    for k, name in enumerate(("$w_3$", "$w_2$", "$w_1$")):
        ax.text(1.5 + t - 2 + k, 3.2, name, ha="center", va="center", fontsize=9, color="0.3")
    ax.text(1 + t + 1.3, 2.5, "← 翻转后的卷积核", fontsize=8, va="center", color="0.3")
    for k in range(3):
        ax.annotate("", xy=(1.5 + t - 2 + k, 1.95), xytext=(1.5 + t - 2 + k, 1.05),
                    arrowprops={"arrowstyle": "<->", "color": "0.5", "lw": 0.8})
    ax.text(0.1, 4.5, "y", fontsize=12, style="italic", va="center")
    _cells(ax, y, 1, 4, highlight={(0, t)}, hcolor=RED)
    ax.annotate("", xy=(1.5 + t, 3.95), xytext=(1.5 + t, 3.45), arrowprops={"arrowstyle": "->", "color": RED})
    ax.text(1, 5.7, rf"$y_6 = w_1 x_6 + w_2 x_5 + w_3 x_4 = 1\times{x[5]:g} + 0.5\times{x[4]:g}"
            rf" + 0.25\times{x[3]:g} = {y[5]:g}$", fontsize=10)
    return fig


@svg_figure
def conv_types():
    """窄卷积、宽卷积、等宽卷积：同一个长度 7 的输入、长度 3 的卷积核，只差两端补几个零。"""
    M, K = 7, 3
    x = np.arange(1, M + 1, dtype=float)
    w = np.ones(K)
    fig, ax = _canvas(13.5, 11.2, (8, 6.6))
    rows = [("窄卷积 P = 0", 0, "narrow", "M − K + 1 = 5"), ("宽卷积 P = K − 1 = 2", 2, "wide", "M + K − 1 = 9"),
            ("等宽卷积 P = (K − 1)/2 = 1", 1, "same", "M = 7")]
    for i, (title, P, mode, length) in enumerate(rows):
        y0 = i * 3.8
        ax.text(0, y0 + 0.1, title + "，输出长度 " + length, fontsize=9, va="top")
        padded = np.r_[np.zeros(P), x, np.zeros(P)]
        dashed = {(0, j) for j in range(P)} | {(0, P + M + j) for j in range(P)}
        off = 2 - P                                            # 让输入的 x₁ 在三行里对齐
        _cells(ax, padded, off, y0 + 0.7, dashed=dashed, highlight={(0, 0), (0, 1), (0, 2)}, hcolor=ORANGE)
        y = convolve1d(x, w, mode)
        out_off = off + (K - 1) / 2                            # 输出对齐到窗口中心
        _cells(ax, y, out_off, y0 + 2.2, highlight={(0, 0)}, hcolor=RED)
        ax.text(off + M + 2 * P + 0.3, y0 + 1.2, "输入（虚线为补的零）", fontsize=7, va="center", color="0.4")
        ax.text(out_off + len(y) + 0.3, y0 + 2.7, "输出", fontsize=7, va="center", color="0.4")
    return fig


# ---------------------------------------------------------------- 二维卷积
@svg_figure
def conv2d_sliding():
    """二维卷积（互相关）：3×3 卷积核在 5×5 输入上滑动，对应位置相乘再求和。"""
    X = np.array([[1, 1, 1, 1, 1], [-1, 0, -3, 0, 1], [2, 1, 1, -1, 0], [0, -1, 1, 2, 1], [1, 2, 1, 1, 1]], float)
    W = np.array([[1, 0, 0], [0, 0, 0], [0, 0, -1]], float)
    Y = conv2d_forward(X[None, None], W[None, None])[0][0, 0]
    i, j = 1, 2
    fig, ax = _canvas(16.5, 6.6, (8.4, 3.4))
    win = {(r, c) for r in range(i, i + 3) for c in range(j, j + 3)}
    _cells(ax, X, 0, 0.5, highlight=win, hcolor=ORANGE)
    ax.text(2.5, 0.2, "输入 X（5×5）", ha="center", fontsize=9)
    ax.text(5.75, 3.0, "⊗", fontsize=18, ha="center", va="center")
    _cells(ax, W, 6.5, 1.5, face="#fde0c5")
    ax.text(8.0, 1.2, "卷积核 W（3×3）", ha="center", fontsize=9)
    ax.text(10.25, 3.0, "=", fontsize=18, ha="center", va="center")
    _cells(ax, Y, 11, 1.5, highlight={(i, j)}, hcolor=RED)
    ax.text(12.5, 1.2, "输出 Y（3×3）", ha="center", fontsize=9)
    ax.text(0, 6.3, f"y[{i + 1},{j + 1}] = Σ w·x（橙色窗口）= 1×({X[i, j]:g}) + (−1)×({X[i + 2, j + 2]:g}) = {Y[i, j]:g}",
            fontsize=9)
    return fig


@svg_figure
def edges():
    """真实照片上的边缘检测：w = (1, −1) 与 Sobel 算子的特征映射（红色为正响应，蓝色为负响应）。"""
    from skimage import data

    img = data.camera()[40:360:3, 90:410:3] / 255.0           # 人与相机附近 320×320 的区域，隔 3 取 1 → 107×107
    X = img[None, None]
    diff = conv2d_forward(X, np.array([1.0, -1.0]).reshape(1, 1, 1, 2))[0][0, 0]
    Gx = np.array([[1.0, 0, -1], [2, 0, -2], [1, 0, -1]])
    g = conv2d_forward(X, np.stack([Gx, Gx.T])[:, None], padding=1)[0][0][:, 1:-1, 1:-1]   # 去掉补零造成的边框
    panels = [(img, "原图（camera）", "gray", None), (diff, "w = (1, −1)：竖直边缘", "RdBu_r", 1.0),
              (g[0], "Sobel Gx：竖直边缘", "RdBu_r", 4.0), (g[1], "Sobel Gy：水平边缘", "RdBu_r", 4.0),
              (np.hypot(*g), "梯度幅值 √(gx² + gy²)", "gray_r", None)]
    fig, axes = plt.subplots(1, 5, figsize=(11, 2.7))
    for ax, (im, title, cmap, lim) in zip(axes, panels):
        kw = {"vmin": -lim, "vmax": lim} if lim else {}
        ax.imshow(im, cmap=cmap, interpolation="none", **kw)
        ax.set_title(title, fontsize=9)
        ax.axis("off")
    return fig


@svg_figure
def pooling():
    """2×2 最大汇聚与平均汇聚（步长 2）：每个颜色的区域变成一个数。"""
    from ..numpy.pooling import avg_pool2d_forward, max_pool2d_forward

    x = np.array([[1.0, 2, 5, 0], [3, 4, 1, 1], [0, 0, 2, 2], [7, 0, 2, 3]])
    ymax = max_pool2d_forward(x[None, None])[0][0, 0]
    yavg = avg_pool2d_forward(x[None, None])[0][0, 0]
    palette = [BLUE, ORANGE, GREEN, RED]
    region = {(r, c): palette[2 * (r // 2) + c // 2] for r in range(4) for c in range(4)}
    out = {(r, c): palette[2 * r + c] for r in range(2) for c in range(2)}
    fig, ax = _canvas(15.5, 5.0, (7.5, 2.5))
    _cells(ax, x, 0, 0.8, colors=region)
    _cells(ax, ymax, 6.5, 1.8, colors=out)
    _cells(ax, yavg, 11, 1.6, colors=out, size=1.4, fmt="{:.2f}")
    ax.text(2, 0.5, "输入 4×4", ha="center", fontsize=9)
    ax.text(7.5, 1.5, "最大汇聚", ha="center", fontsize=9)
    ax.text(12.4, 1.3, "平均汇聚", ha="center", fontsize=9)
    return fig


# ---------------------------------------------------------------- 其他卷积
@svg_figure
def dilated():
    """空洞卷积：3×3 卷积核在膨胀率 D = 1, 2, 3 时覆盖的位置，有效大小 K' = K + (K−1)(D−1)。"""
    fig, axes = plt.subplots(1, 3, figsize=(8, 2.9))
    for ax, D in zip(axes, (1, 2, 3)):
        ax.set_xlim(0, 7)
        ax.set_ylim(7, 0)
        ax.set_aspect("equal")
        ax.axis("off")
        Kp = 3 + 2 * (D - 1)
        start = (7 - Kp) // 2
        taps = {(start + u * D, start + v * D) for u in range(3) for v in range(3)}
        span = {(r, c) for r in range(start, start + Kp) for c in range(start, start + Kp)}
        for r in range(7):
            for c in range(7):
                fc = BLUE if (r, c) in taps else ("#dbe9f6" if (r, c) in span else "white")
                ax.add_patch(plt.Rectangle((c, r), 1, 1, facecolor=fc, edgecolor="0.6", lw=0.6))
        ax.set_title(f"D = {D}：K' = {Kp}", fontsize=9)
    fig.suptitle("深色：卷积核的 9 个权重所在的位置；浅色：有效的感受野", fontsize=9)
    return fig


@svg_figure
def transposed():
    """步长 2 的转置卷积：2×2 的输入，每个元素把整个 3×3 卷积核（乘以自己）"印"到输出上，重叠处相加。"""
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    W = np.ones((3, 3))
    out = conv_transpose2d_forward(x[None, None], W[None, None], stride=2)[0][0, 0]     # 5×5
    fig, ax = _canvas(16, 6.5, (8.4, 3.4))
    _cells(ax, x, 0, 1.5, highlight={(0, 0)}, hcolor=ORANGE)
    ax.text(1, 1.2, "输入 2×2", ha="center", fontsize=9)
    _cells(ax, W, 3.5, 1, face="#fde0c5")
    ax.text(5.0, 0.7, "卷积核 3×3（全为 1）", ha="center", fontsize=9)
    stamp = {(r, c) for r in range(3) for c in range(3)}
    _cells(ax, out, 8.5, 0.5, highlight=stamp, hcolor=ORANGE)
    ax.text(11.0, 0.2, "输出 5×5（步长 2）", ha="center", fontsize=9)
    ax.text(8.5, 6.2, "橙色：输入左上角的 1 印出的 3×3 区域；重叠的行 / 列是相邻元素之和", fontsize=8)
    return fig


@svg_figure
def one_by_one():
    """1×1 卷积：每个像素的 3 个颜色通道乘同一个 2×3 矩阵，得到亮度与"红减蓝"两个特征映射。"""
    from skimage import data

    rgb = data.chelsea()[::5, ::5] / 255.0                     # 60×91：插图够清楚，文件也小
    X = rgb.transpose(2, 0, 1)[None]
    W = np.array([[0.2125, 0.7154, 0.0721], [0.5, 0.0, -0.5]])[:, :, None, None]
    Y = conv2d_forward(X, W)[0][0]
    fig, axes = plt.subplots(1, 3, figsize=(9, 2.4))
    axes[0].imshow(rgb, interpolation="none")
    axes[0].set_title("输入：3 个通道（RGB）", fontsize=9)
    axes[1].imshow(Y[0], cmap="gray", interpolation="none")
    axes[1].set_title("输出通道 1：0.21R + 0.72G + 0.07B", fontsize=9)
    lim = np.abs(Y[1]).max()
    axes[2].imshow(Y[1], cmap="RdBu_r", vmin=-lim, vmax=lim, interpolation="none")
    axes[2].set_title("输出通道 2：(R − B)/2", fontsize=9)
    for ax in axes:
        ax.axis("off")
    return fig


# ---------------------------------------------------------------- 残差网络
def gradient_norms(depth: int = 30, seed: int = 0):
    """普通深网络与残差网络（卷积核相同）每层的梯度范数，用手写数字的一批样本算。"""
    import torch
    import torch.nn.functional as F

    from .. import data
    from ..torch.cnn import DeepConvNet

    d = data.load_digits()
    X = torch.tensor(d.X_train[:128].reshape(-1, 1, 8, 8) / 16, dtype=torch.float32)
    y = torch.tensor(d.y_train[:128])
    out = {}
    for residual in (False, True):
        torch.manual_seed(seed)
        net = DeepConvNet(depth=depth, channels=8, residual=residual)
        F.cross_entropy(net(X), y).backward()
        out[residual] = np.array(net.layer_grad_norms())
    return out


@svg_figure
def resnet_gradients():
    """30 层卷积网络每一层卷积核的梯度范数：没有直连边时越靠近输入越小，有直连边时几乎不衰减。"""
    g = gradient_norms()
    layers = np.arange(1, len(g[False]) + 1)
    fig, ax = plt.subplots(figsize=(6.5, 3.4))
    ax.semilogy(layers, g[False], "o-", ms=3, color=RED, label="普通网络 h = ReLU(W ⊗ h)")
    ax.semilogy(layers, g[True], "s-", ms=3, color=BLUE, label="残差网络 h = h + ReLU(W ⊗ h)")
    ax.set_xlabel("第 l 层（1 = 最靠近输入）")
    ax.set_ylabel("该层卷积核的梯度范数（对数坐标）")
    ax.set_title("梯度从输出层往回传：有没有直连边")
    ax.legend(fontsize=8)
    return fig


# ---------------------------------------------------------------- 应用
def _digits_test():
    import torch

    from .. import data

    d = data.load_digits()
    return torch.tensor(d.X_test.reshape(-1, 1, 8, 8) / 16, dtype=torch.float32), torch.tensor(d.y_test)


@svg_figure
def fgsm():
    """对抗样本（FGSM）：左边三张是一个测试数字、扰动方向、加扰动后的图；右边是准确率随 ε 的变化。"""
    import torch
    import torch.nn.functional as F

    from ..torch.cnn import accuracy, trained_digits_lenet

    model = trained_digits_lenet()
    X, y = _digits_test()
    Xr = X.clone().requires_grad_()
    grad, = torch.autograd.grad(F.cross_entropy(model(Xr), y), Xr)
    direction = grad.sign()
    noise = torch.randint(0, 2, X.shape, generator=torch.Generator().manual_seed(0)) * 2 - 1
    eps_show = 0.15
    with torch.no_grad():
        clean = model(X).argmax(1)
        adv = model((X + eps_show * direction).clamp(0, 1)).argmax(1)
    k = int(torch.nonzero((clean == y) & (adv != y))[0])      # 第一张原本判对、被翻转的测试图
    eps = np.linspace(0, 0.3, 13)
    acc_adv = [accuracy(model, (X + e * direction).clamp(0, 1), y) for e in eps]
    acc_rnd = [accuracy(model, (X + e * noise).clamp(0, 1), y) for e in eps]

    fig = plt.figure(figsize=(10, 2.8))
    gs = fig.add_gridspec(1, 5, width_ratios=[1, 1, 1, 0.25, 2.4])
    x_adv = (X[k] + eps_show * direction[k]).clamp(0, 1)
    with torch.no_grad():
        p_clean = F.softmax(model(X[k:k + 1]), 1)[0]
        p_adv = F.softmax(model(x_adv[None]), 1)[0]
    imgs = [(X[k, 0], f"原图：判为 {int(p_clean.argmax())}（{float(p_clean.max()):.0%}）", "gray_r"),
            (direction[k, 0], r"$\mathrm{sign}(\nabla_x L)$", "RdBu_r"),
            (x_adv[0], f"ε = {eps_show}：判为 {int(p_adv.argmax())}（{float(p_adv.max()):.0%}）", "gray_r")]
    for i, (im, title, cmap) in enumerate(imgs):
        ax = fig.add_subplot(gs[0, i])
        ax.imshow(im.numpy(), cmap=cmap, vmin=-1 if cmap == "RdBu_r" else 0, vmax=1, interpolation="none")
        ax.set_title(title, fontsize=8)
        ax.axis("off")
    ax = fig.add_subplot(gs[0, 4])
    ax.plot(eps, acc_adv, "o-", ms=3, color=RED, label="FGSM")
    ax.plot(eps, acc_rnd, "s-", ms=3, color=BLUE, label="同样大小的随机符号噪声")
    ax.set_xlabel("ε（像素范围 [0, 1]）")
    ax.set_ylabel("测试准确率")
    ax.set_ylim(0, 1.02)
    ax.legend(fontsize=8)
    return fig


def class_images(steps: int = 200):
    """对 10 个类别的打分分别做梯度上升得到的输入图（从全黑出发，像素限制在 [0, 1]）。"""
    import torch

    from ..torch.cnn import trained_digits_lenet

    model = trained_digits_lenet()
    x = torch.zeros(10, 1, 8, 8, requires_grad=True)
    opt = torch.optim.Adam([x], lr=0.05)
    for _ in range(steps):
        z = model(x)
        objective = z[range(10), range(10)].sum() - 0.01 * (x ** 2).sum()
        x.grad, = torch.autograd.grad(-objective, x)
        opt.step()
        with torch.no_grad():
            x.clamp_(0, 1)
    return x.detach().numpy()[:, 0]


@svg_figure
def class_visualization():
    """类别可视化：上排是网络"最想看到"的 0–9（对打分做梯度上升），下排是测试集里每类的平均图。"""
    imgs = class_images()
    X, y = _digits_test()
    fig, axes = plt.subplots(2, 10, figsize=(10, 2.4))
    for c in range(10):
        axes[0, c].imshow(imgs[c], cmap="gray_r", vmin=0, vmax=1, interpolation="none")
        axes[0, c].set_title(str(c), fontsize=9)
        axes[1, c].imshow(X[y == c, 0].mean(0).numpy(), cmap="gray_r", vmin=0, vmax=1, interpolation="none")
        for ax in axes[:, c]:
            ax.set_xticks([])
            ax.set_yticks([])
    axes[0, 0].set_ylabel("梯度上升", fontsize=8)
    axes[1, 0].set_ylabel("类平均", fontsize=8)
    return fig


@svg_figure
def mnist1d_samples():
    """MNIST-1D：每个类别在训练集里的前三个样本（长度 40；模板经过随机平移、缩放、剪切并加了噪声）。"""
    from ..data_mnist1d import load_mnist1d

    d = load_mnist1d()
    fig, axes = plt.subplots(2, 5, figsize=(10, 3.6), sharex=True, sharey=True)
    for c, ax in enumerate(axes.ravel()):
        for k, idx in enumerate(np.flatnonzero(d.y_train == c)[:3]):
            ax.plot(d.X_train[idx], color=COLORS[k], lw=1)
        ax.set_title(f"数字 {c}", fontsize=9)
        ax.grid(alpha=0.3)
    fig.supxlabel("位置（0–39）", fontsize=9)
    return fig


FIGURES = {
    "conv1d-sliding": conv1d_sliding,
    "conv-types": conv_types,
    "conv2d-sliding": conv2d_sliding,
    "edges": edges,
    "pooling": pooling,
    "dilated": dilated,
    "transposed": transposed,
    "one-by-one": one_by_one,
    "resnet-gradients": resnet_gradients,
    "fgsm": fgsm,
    "class-visualization": class_visualization,
    "mnist1d-samples": mnist1d_samples,
}
