"""第 9 章（无监督学习与表示学习）的插图。每个函数返回 SVG 文本。

训练好的模型在同一进程里缓存（``functools.cache``），几张图共用；超参数与页面上的代码块相同。
"""

from __future__ import annotations

from functools import cache

import numpy as np

from .. import data
from ..numpy import autoencoder as A
from ..numpy import rbm as R
from ._style import COLORS, plt, svg_figure

CHAPTER = "ch09-unsupervised"


@cache
def _digits():
    d = data.load_digits()
    return d.X_train / 16, d.X_test / 16, d.y_train, d.y_test


@cache
def _autoencoder(K: int, epochs: int = 100, noise: str | None = None):
    X_train = _digits()[0]
    ae = A.Autoencoder(64, K, hidden=(32,), out_activation="logistic", seed=0)
    A.fit(ae, X_train, epochs=epochs, lr=1e-2, seed=0, noise=noise, noise_level=0.4)
    return ae


@cache
def _rbm():
    V_train = (_digits()[0] > 0.5).astype(float)
    machine = R.RBM(64, 100, seed=0)
    R.fit(machine, V_train, epochs=30, lr=0.05, seed=0)
    return machine


def _examples():
    """测试集中每个类别的第一张图：(10, 64)。"""
    _, X_test, _, y_test = _digits()
    return X_test[[int(np.flatnonzero(y_test == c)[0]) for c in range(10)]]


def _mosaic(images, ncol, pad=1):
    """把 (M, 64) 的一组 8×8 图拼成一张大图，图之间留 ``pad`` 像素的空白（值为 NaN，显示为白色）。"""
    images = np.asarray(images).reshape(-1, 8, 8)
    nrow = int(np.ceil(len(images) / ncol))
    out = np.full((nrow * (8 + pad) - pad, ncol * (8 + pad) - pad), np.nan)
    for i, img in enumerate(images):
        r, c = divmod(i, ncol)
        out[r * (8 + pad):r * (8 + pad) + 8, c * (8 + pad):c * (8 + pad) + 8] = img
    return out


def _show_rows(ax, rows, labels):
    """每行 10 张图，左侧写行名。"""
    ax.imshow(_mosaic(np.concatenate(rows), ncol=10), cmap="gray_r", vmin=0, vmax=1, interpolation="nearest")
    ax.set_yticks([4 + 9 * i for i in range(len(rows))])
    ax.set_yticklabels(labels)
    ax.set_xticks([])
    ax.grid(False)
    for s in ax.spines.values():
        s.set_visible(False)


@svg_figure
def reconstructions():
    """测试集每类一张：原图，K = 2 的 PCA 与自编码器重构，K = 16 的自编码器重构。"""
    X_train = _digits()[0]
    x = _examples()
    mean, comps, _ = A.pca(X_train, 2)
    rows = [x, np.clip((x - mean) @ comps.T @ comps + mean, 0, 1), _autoencoder(2).forward(x),
            _autoencoder(16).forward(x)]
    fig, ax = plt.subplots(figsize=(7, 3.2))
    _show_rows(ax, rows, ["原图", "PCA，K = 2", "自编码器，K = 2", "自编码器，K = 16"])
    ax.set_title("测试集上的重构（每类一张）")
    return fig


@svg_figure
def code_space():
    """测试集在 2 维编码空间里的位置，按真实类别着色：左 PCA，右自编码器。"""
    X_train, X_test, _, y_test = _digits()
    mean, comps, _ = A.pca(X_train, 2)
    codes = {"PCA 的前两个主成分": (X_test - mean) @ comps.T, "自编码器的 2 维编码": _autoencoder(2).encode(X_test)}
    cmap = plt.get_cmap("tab10")
    fig, axes = plt.subplots(1, 2, figsize=(9, 4))
    for ax, (title, Z) in zip(axes, codes.items()):
        for c in range(10):
            m = y_test == c
            ax.scatter(Z[m, 0], Z[m, 1], s=8, color=cmap(c), alpha=0.7)
            cx, cy = np.median(Z[m], axis=0)
            ax.text(cx, cy, str(c), fontsize=13, weight="bold", color=cmap(c), ha="center", va="center",
                    bbox=dict(boxstyle="round,pad=0.15", fc="white", ec=cmap(c), alpha=0.85))
        ax.set_title(title)
        ax.set_xlabel("$z_1$")
        ax.set_ylabel("$z_2$")
    fig.suptitle("测试集 450 张数字的二维表示（训练时没有用标签，颜色是真实类别）", fontsize=10)
    return fig


@svg_figure
def denoising():
    """干净图、40% 像素置零的加噪图，以及普通自编码器与降噪自编码器（K = 16）对加噪图的输出。"""
    x = _examples()
    noisy = A.corrupt(x, np.random.default_rng(1), "mask", 0.4)
    rows = [x, noisy, _autoencoder(16, epochs=60).forward(noisy), _autoencoder(16, epochs=60, noise="mask").forward(noisy)]
    fig, ax = plt.subplots(figsize=(7, 3.2))
    _show_rows(ax, rows, ["干净图像", "加噪输入（40% 置零）", "普通自编码器输出", "降噪自编码器输出"])
    ax.set_title("降噪：输入加噪，输出与干净图像比较")
    return fig


def gibbs_chains(machine, n_chains: int = 10, steps=(0, 1, 10, 100, 1000), seed: int = 0):
    """从随机二值图出发的吉布斯链，在给定步数处记录 $p(v\\mid h)$：返回 {步数: (n_chains, 64)}。"""
    rng = np.random.default_rng(seed)
    v = (rng.random((n_chains, machine.n_visible)) < 0.3).astype(float)
    out, done = {}, 0
    for s in steps:
        if s > done:
            v = machine.gibbs(v, s - done, rng)
            done = s
        h = (rng.random((n_chains, machine.n_hidden)) < machine.prob_h(v)).astype(float)
        out[s] = machine.prob_v(h) if s else v
    return out


@svg_figure
def rbm():
    """左：RBM 前 40 个隐藏单元的权重（滤波器）；右：从随机图出发的吉布斯链。"""
    machine = _rbm()
    W = machine.W[:40]
    lim = np.abs(W).max()
    chains = gibbs_chains(machine)
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9.5, 3.8), gridspec_kw={"width_ratios": [1, 1.25]})
    ax1.imshow(_mosaic(W, ncol=8), cmap="RdBu_r", vmin=-lim, vmax=lim, interpolation="nearest")
    ax1.set_title("前 40 个隐藏单元的权重 W[j, :]（红正蓝负）")
    ax1.axis("off")
    rows = list(chains.values())
    ax2.imshow(_mosaic(np.concatenate(rows), ncol=10), cmap="gray_r", vmin=0, vmax=1, interpolation="nearest")
    ax2.set_yticks([4 + 9 * i for i in range(len(rows))])
    ax2.set_yticklabels([f"{s} 步" for s in chains])
    ax2.set_xticks([])
    ax2.grid(False)
    for s in ax2.spines.values():
        s.set_visible(False)
    ax2.set_title("吉布斯采样：10 条链，从随机图出发")
    return fig


def _nodes(ax, xs, y, color, r=0.16):
    for x in xs:
        ax.add_patch(plt.Circle((x, y), r, fc=color, ec="k", lw=0.8, zorder=3))


def _edge(ax, p, q, directed=False):
    if directed:
        d = np.subtract(q, p)
        u = d / np.linalg.norm(d) * 0.17                                # 从圆周出发、停在圆周上
        ax.annotate("", xy=tuple(np.subtract(q, u)), xytext=tuple(np.add(p, u)),
                    arrowprops=dict(arrowstyle="-|>", color="dimgray", lw=0.8, shrinkA=0, shrinkB=0,
                                    mutation_scale=9), zorder=4)
    else:
        ax.plot([p[0], q[0]], [p[1], q[1]], color="gray", lw=0.8, zorder=1)


@svg_figure
def boltzmann_family():
    """玻尔兹曼机、受限玻尔兹曼机、深度信念网络、深度玻尔兹曼机的连接结构。"""
    fig, axes = plt.subplots(1, 4, figsize=(10, 3.1))
    vis, hid = COLORS[0], COLORS[3]
    # 玻尔兹曼机：全连接（含可见层内、隐藏层内）
    ax = axes[0]
    angles = np.linspace(0, 2 * np.pi, 7)[:-1] + np.pi / 2
    pts = [(1 + 0.8 * np.cos(t), 1 + 0.8 * np.sin(t)) for t in angles]
    for i in range(6):
        for j in range(i + 1, 6):
            _edge(ax, pts[i], pts[j])
    for i, p in enumerate(pts):
        ax.add_patch(plt.Circle(p, 0.16, fc=vis if i >= 3 else hid, ec="k", lw=0.8, zorder=3))
    ax.set_title("玻尔兹曼机\n任意两单元相连", fontsize=9)
    # RBM：二部图
    ax = axes[1]
    xv, xh = [0.2, 0.7, 1.2, 1.7], [0.45, 0.95, 1.45]
    for a in xv:
        for b in xh:
            _edge(ax, (a, 0.3), (b, 1.5))
    _nodes(ax, xv, 0.3, vis)
    _nodes(ax, xh, 1.5, hid)
    ax.set_title("受限玻尔兹曼机\n只有层间连接（无向）", fontsize=9)
    # DBN 与 DBM：三层
    for ax, title, directed in ((axes[2], "深度信念网络\n顶两层无向，其余自上而下有向", True),
                                (axes[3], "深度玻尔兹曼机\n各层之间都是无向连接", False)):
        layers = [(xv, 0.1, vis), (xh, 0.95, hid), (xh, 1.8, hid)]
        for (xa, ya, _), (xb, yb, _) in zip(layers[:-1], layers[1:]):
            top = yb == 1.8
            for a in xa:
                for b in xb:
                    if directed and not top:
                        _edge(ax, (b, yb), (a, ya), directed=True)      # 生成方向：上层 → 下层
                    else:
                        _edge(ax, (a, ya), (b, yb))
        for xs, y, c in layers:
            _nodes(ax, xs, y, c)
        ax.set_title(title, fontsize=9)
    for ax in axes:
        ax.set_xlim(-0.1, 2.1)
        ax.set_ylim(-0.15, 2.1)
        ax.set_aspect("equal")
        ax.axis("off")
    axes[0].text(1, -0.1, "蓝：可见单元  橙：隐藏单元", ha="center", fontsize=8)
    return fig


FIGURES = {"reconstructions": reconstructions, "code-space": code_space, "denoising": denoising, "rbm": rbm,
           "boltzmann-family": boltzmann_family}
