"""第 4 章（前馈神经网络）的插图。每个函数返回 SVG 文本。"""

from __future__ import annotations

import numpy as np

from .. import data
from ..numpy import activations as A
from ..numpy import autodiff
from ..numpy.mlp import MLP, one_hidden_layer_lstsq
from ..numpy.optim import Adam, fit_full_batch
from ._style import COLORS, plt, svg_figure

CHAPTER = "ch04-fnn"

Z = np.linspace(-5, 5, 1001)


def _curves(ax_f, ax_d, items, ylim_f=None, ylim_d=None):
    """在左右两个子图上分别画函数与导数；items 为 (标签, f, f', 颜色, 线型)。"""
    for label, f, fp, color, ls in items:
        ax_f.plot(Z, f(Z), color=color, ls=ls, lw=1.6, label=label)
        ax_d.plot(Z, fp(Z), color=color, ls=ls, lw=1.6, label=label)
    for ax, title in ((ax_f, "函数 f(z)"), (ax_d, "导数 f′(z)")):
        ax.axhline(0, color="0.6", lw=0.6)
        ax.axvline(0, color="0.6", lw=0.6)
        ax.set_xlabel("z")
        ax.set_title(title)
        ax.legend(fontsize=8, loc="upper left")
    if ylim_f:
        ax_f.set_ylim(*ylim_f)
    if ylim_d:
        ax_d.set_ylim(*ylim_d)


@svg_figure
def activations_sigmoid():
    """S 型函数：Logistic、Tanh 与它们的分段线性近似（左：函数；右：导数）。"""
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.4))
    _curves(ax1, ax2, [
        ("Logistic σ(z)", A.logistic, A.logistic_grad, COLORS[0], "-"),
        ("Tanh", A.tanh, A.tanh_grad, COLORS[1], "-"),
        ("Hard-Logistic", A.hard_logistic, A.hard_logistic_grad, COLORS[0], "--"),
        ("Hard-Tanh", A.hard_tanh, A.hard_tanh_grad, COLORS[1], "--"),
    ], ylim_f=(-1.2, 1.3), ylim_d=(-0.05, 1.15))
    return fig


@svg_figure
def activations_ramp():
    """斜坡型函数：ReLU、LeakyReLU（γ=0.1）、ELU（γ=1）、Softplus。"""
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.4))
    _curves(ax1, ax2, [
        ("ReLU", A.relu, A.relu_grad, COLORS[0], "-"),
        ("LeakyReLU (γ = 0.1)", lambda z: A.leaky_relu(z, 0.1), lambda z: A.leaky_relu_grad(z, 0.1),
         COLORS[1], "--"),
        ("ELU (γ = 1)", A.elu, A.elu_grad, COLORS[2], "-"),
        ("Softplus", A.softplus, A.softplus_grad, COLORS[3], ":"),
    ], ylim_f=(-1.5, 5), ylim_d=(-0.1, 1.15))
    return fig


@svg_figure
def activations_composite():
    """复合型函数：Swish（β = 0.5、1、10）与 GELU（精确形式与 tanh 近似几乎重合）。"""
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.4))
    _curves(ax1, ax2, [
        ("Swish β = 0.5", lambda z: A.swish(z, 0.5), lambda z: A.swish_grad(z, 0.5), COLORS[4], ":"),
        ("Swish β = 1", A.swish, A.swish_grad, COLORS[0], "-"),
        ("Swish β = 10", lambda z: A.swish(z, 10.0), lambda z: A.swish_grad(z, 10.0), COLORS[2], "-"),
        ("GELU", A.gelu, A.gelu_grad, COLORS[1], "-"),
        ("GELU（tanh 近似）", lambda z: A.gelu(z, "tanh"), lambda z: A.gelu_grad(z, "tanh"), "k", (0, (2, 3))),
    ], ylim_f=(-1, 5), ylim_d=(-0.2, 1.3))
    return fig


@svg_figure
def maxout():
    """Maxout 单元：K 个线性片段取最大，得到凸的分段线性函数（这里用 K = 2、3、5 逼近 z²/4）。"""
    x = np.linspace(-3, 3, 601)
    fig, axes = plt.subplots(1, 3, figsize=(9, 2.9), sharey=True)
    for ax, K in zip(axes, (2, 3, 5)):
        t = np.linspace(-2.5, 2.5, K)                     # 在这些点上作 z²/4 的切线
        pieces = np.stack([t / 2 * (x - t) + t ** 2 / 4 for t in t], axis=1)   # (N, K)：每列一片 w_k z + b_k
        for k in range(K):
            ax.plot(x, pieces[:, k], color="0.65", lw=0.8, ls="--")
        ax.plot(x, A.maxout(pieces, K)[:, 0], color=COLORS[0], lw=2, label="maxout")
        ax.plot(x, x ** 2 / 4, color=COLORS[1], lw=1, label="z²/4")
        ax.set_ylim(-1.8, 2.6)
        ax.set_title(f"K = {K} 个片段")
        ax.set_xlabel("z")
    axes[0].legend(fontsize=8, loc="upper center")
    return fig


@svg_figure
def relu_nondiff():
    """ReLU 在 0 处不可导的三种处理：取一侧导数、次梯度、用光滑函数近似。"""
    z = np.linspace(-2, 2, 401)
    fig, axes = plt.subplots(1, 3, figsize=(10, 3.1))
    ax = axes[0]
    ax.plot(z, A.relu(z), color="k", lw=2)
    ax.plot(z, 0 * z, color=COLORS[0], ls="--", label="左导数 0（本站与 PyTorch 取此值）")
    ax.plot(z, z, color=COLORS[1], ls=":", label="右导数 1")
    ax.set_title("① 归到某一侧")
    ax.legend(fontsize=7, loc="upper left")
    ax = axes[1]
    for g in np.linspace(0, 1, 6):
        ax.plot(z, g * z, color=plt.cm.viridis(g), lw=1)
    ax.plot(z, A.relu(z), color="k", lw=2)
    ax.set_title("② 次梯度：斜率 g ∈ [0, 1] 的直线\n都在 ReLU 下方")
    ax = axes[2]
    for beta, c in ((1, COLORS[3]), (3, COLORS[2]), (10, COLORS[4])):
        ax.plot(z, A.softplus(beta * z) / beta, color=c, lw=1.2, label=f"softplus(βz)/β，β = {beta}")
    ax.plot(z, A.relu(z), color="k", lw=2)
    ax.set_title("③ 光滑近似：0 处导数恒为 ½")
    ax.legend(fontsize=7, loc="upper left")
    for ax in axes:
        ax.set_ylim(-0.6, 2.1)
        ax.set_xlabel("z")
    return fig


@svg_figure
def universal_approx():
    """单隐藏层 ReLU 网络逼近 sin(x)、|x| 与阶跃函数，宽度 4、16、64（隐藏层固定，输出层最小二乘）。"""
    x = np.linspace(-np.pi, np.pi, 2001)
    targets = {"sin(x)": np.sin(x), "|x|": np.abs(x), "阶跃 𝟙(x ≥ 0)": (x >= 0).astype(float)}
    fig, axes = plt.subplots(1, 3, figsize=(10, 3.1))
    for ax, (name, y) in zip(axes, targets.items()):
        ax.plot(x, y, color="k", lw=2.2, label="目标")
        for width, c in ((4, COLORS[3]), (16, COLORS[2]), (64, COLORS[0])):
            net = one_hidden_layer_lstsq(x, y, width, -np.pi, np.pi)
            ax.plot(x, net.predict(x[:, None]), color=c, lw=1.1, label=f"宽度 {width}")
        ax.set_title(name)
        ax.set_xlabel("x")
    axes[0].legend(fontsize=8)
    return fig


@svg_figure
def compute_graph():
    """σ(wx + b) 的计算图（x = 1, w = 0, b = 0）：黑字为前向的值，红字为反向得到的 ∂f/∂(·)，
    边上的灰字为局部导数。"""
    g = autodiff.sigmoid_graph(1.0, 0.0, 0.0)
    v = {k: float(n.data) for k, n in g.items()}
    pos = {"x": (0, 0.9), "w": (0, -0.9), "h1": (1.4, 0), "b": (1.4, -1.5), "h2": (2.8, 0), "h3": (4.2, 0),
           "h4": (5.6, 0), "h5": (7.0, 0), "h6": (8.4, 0)}
    text = {"x": "x", "w": "w", "b": "b", "h1": "h₁ = w·x", "h2": "h₂ = h₁ + b", "h3": "h₃ = −h₂",
            "h4": "h₄ = exp(h₃)", "h5": "h₅ = h₄ + 1", "h6": "f = h₆ = 1/h₅"}
    local = {("x", "h1"): v["w"], ("w", "h1"): v["x"], ("h1", "h2"): 1.0, ("b", "h2"): 1.0, ("h2", "h3"): -1.0,
             ("h3", "h4"): np.exp(v["h3"]), ("h4", "h5"): 1.0, ("h5", "h6"): -1.0 / v["h5"] ** 2}
    ids = {id(n): k for k, n in g.items()}
    fig, ax = plt.subplots(figsize=(10, 3.1))
    for name, node in g.items():                            # 边：从每个输入指向结点，标上局部导数
        for p in node._parents:
            if id(p) not in ids:
                continue                                      # 常数（−1、1）不画成结点
            src = ids[id(p)]
            (x0, y0), (x1, y1) = pos[src], pos[name]
            ax.annotate("", xy=(x1 - 0.55, y1 + 0.2), xytext=(x0 + 0.35, y0 + 0.2),
                        arrowprops={"arrowstyle": "->", "color": "0.45", "lw": 1.0})
            ax.text((x0 + x1) / 2 - 0.05, (y0 + y1) / 2 + 0.32, f"{local[(src, name)] + 0.0:g}",
                    ha="center", fontsize=8, color="0.45")
    for name, (px, py) in pos.items():
        node = g[name]
        ax.text(px, py + 0.2, text[name], ha="center", va="center", fontsize=9,
                bbox={"boxstyle": "round,pad=0.35", "fc": "#eef3fb" if name.startswith("h") else "#fff4e5",
                      "ec": "0.5"})
        ax.text(px, py - 0.2, f"{float(node.data) + 0.0:g}", ha="center", va="top", fontsize=9)
        ax.text(px, py - 0.55, f"{float(node.grad) + 0.0:g}", ha="center", va="top", fontsize=9, color=COLORS[1])
    ax.text(-0.5, 1.75, "黑：前向计算的值　红：反向得到的 ∂f/∂(·)（从右往左）　灰：边上的局部导数",
            fontsize=8, color="0.3")
    ax.set_xlim(-0.8, 9.4)
    ax.set_ylim(-2.3, 1.95)
    ax.axis("off")
    return fig


def layer_gradient_norms(net: MLP, X, y) -> list[float]:
    """一次前向 + 反向后各层权重梯度的 Frobenius 范数 $\\lVert \\partial\\mathcal{L}/\\partial W^{(l)} \\rVert$。"""
    _, grads = net.loss_and_grads(X, y)
    return [float(np.linalg.norm(grads[f"W{l}"])) for l in range(1, net.L + 1)]


@svg_figure
def grad_norms():
    """10 个隐藏层（每层 64 个神经元）的网络在初始化时各层的梯度范数：S 型函数逐层衰减，
    ReLU 配太小的初始化处处都小，ReLU 配 He 初始化各层相近。"""
    d = data.load_digits(standardize=True)
    X, y = d.X_train[:256], d.y_train[:256]
    sizes = [64] + [64] * 10 + [10]
    fig, ax = plt.subplots(figsize=(6.5, 3.4))
    for (label, act, init), c, m in zip(
            [("Logistic + Xavier 初始化", "logistic", "xavier"), ("ReLU + N(0, 0.01²) 初始化", "relu", "normal"),
             ("ReLU + He 初始化", "relu", "he")], COLORS, "o^s"):
        norms = layer_gradient_norms(MLP(sizes, act, init=init, seed=0), X, y)
        ax.semilogy(np.arange(1, len(norms) + 1), norms, marker=m, color=c, label=label)
    ax.set_xlabel("层号 l（1 是最靠近输入的层）")
    ax.set_ylabel("‖∂L/∂W⁽ˡ⁾‖（对数坐标）")
    ax.set_xticks(range(1, len(sizes)))
    ax.legend(fontsize=8)
    return fig


@svg_figure
def matrix_power():
    """‖Aᵏ‖ 随 k 的变化：谱半径 ρ 大于 1 时指数增长，小于 1 时指数衰减；非正规矩阵先涨后落。"""
    rng = np.random.default_rng(0)
    Q, _ = np.linalg.qr(rng.standard_normal((8, 8)))
    ks = np.arange(0, 101)
    fig, ax = plt.subplots(figsize=(6.5, 3.4))
    for rho, c in ((1.1, COLORS[1]), (1.0, COLORS[2]), (0.9, COLORS[0])):
        lam = rho * np.linspace(0.5, 1.0, 8)                 # 特征值，最大的是 ρ
        A_ = Q @ np.diag(lam) @ Q.T
        norms = [np.linalg.norm(np.linalg.matrix_power(A_, k), 2) for k in ks]
        ax.semilogy(ks, norms, color=c, label=f"对称矩阵，ρ = {rho}")
    N = np.array([[0.9, 3.0], [0.0, 0.9]])                  # 最大奇异值 > 3，但 ρ = 0.9
    s_max = np.linalg.svd(N, compute_uv=False)[0]
    rho_N = np.max(np.abs(np.linalg.eigvals(N)))
    # 图例里的数由这里算出，位数与第 4 章 4.6.3 节代码块打印的相同（σ 保留 4 位小数，ρ 保留 1 位）
    ax.semilogy(ks, [np.linalg.norm(np.linalg.matrix_power(N, k), 2) for k in ks], color=COLORS[3], ls="--",
                label=f"[[0.9, 3], [0, 0.9]]：σ_max = {s_max:.4f}，ρ = {rho_N:.1f}")
    ax.set_xlabel("幂次 k")
    ax.set_ylabel("‖Aᵏ‖₂（对数坐标）")
    ax.legend(fontsize=8)
    return fig


def train_toy(X, y, sizes, steps: int = 1000, lr: float = 0.01, seed: int = 0) -> MLP:
    """二维玩具数据上的小 MLP：ReLU、He 初始化、全批量 Adam。"""
    net = MLP(sizes, "relu", seed=seed)
    fit_full_batch(net, X, y, Adam(net.params(), lr=lr), steps)
    return net


@svg_figure
def decision_boundaries():
    """小 MLP 在 XOR 与三类螺旋上学到的非线性决策边界（线性模型两者都分不开）。"""
    Xx, yx = data.make_xor(n=200, seed=0)
    Xs, ys = data.make_spirals(n_per_class=100, n_classes=3, seed=0)
    cases = [("XOR：MLP 2-8-2", Xx, yx, train_toy(Xx, yx, [2, 8, 2], steps=300, lr=0.05)),
             ("三类螺旋：MLP 2-32-32-3", Xs, ys, train_toy(Xs, ys, [2, 32, 32, 3], steps=600, lr=0.02))]
    fig, axes = plt.subplots(1, 2, figsize=(9, 4))
    for ax, (title, X, y, net) in zip(axes, cases):
        x0, x1 = X[:, 0].min() - 0.4, X[:, 0].max() + 0.4
        y0, y1 = X[:, 1].min() - 0.4, X[:, 1].max() + 0.4
        xx, yy = np.meshgrid(np.linspace(x0, x1, 90), np.linspace(y0, y1, 90))
        pred = net.predict(np.c_[xx.ravel(), yy.ravel()]).reshape(xx.shape)
        C = int(y.max()) + 1
        ax.contourf(xx, yy, pred, levels=np.arange(C + 1) - 0.5, colors=COLORS[:C], alpha=0.15)
        ax.contour(xx, yy, pred, levels=np.arange(C) + 0.5, colors="k", linewidths=0.8)
        for k in range(C):
            ax.scatter(X[y == k, 0], X[y == k, 1], s=12, color=COLORS[k], edgecolor="white", linewidth=0.4)
        acc = np.mean(net.predict(X) == y)
        ax.set_title(f"{title}（训练准确率 {acc:.2f}）")
        ax.set_xlabel("x₁")
        ax.set_ylabel("x₂")
    return fig


FIGURES = {
    "activations-sigmoid": activations_sigmoid,
    "activations-ramp": activations_ramp,
    "activations-composite": activations_composite,
    "maxout": maxout,
    "relu-nondiff": relu_nondiff,
    "universal-approx": universal_approx,
    "compute-graph": compute_graph,
    "grad-norms": grad_norms,
    "matrix-power": matrix_power,
    "decision-boundaries": decision_boundaries,
}
