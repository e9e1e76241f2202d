"""第 6 章（循环神经网络）的插图。每个函数返回 SVG 文本。

结构图（展开图、LSTM 与 GRU 单元、三种序列形状）用 matplotlib 的方框和箭头画；曲线图的数据都由
``nndl_ref`` 里被测试过的函数算出（``bptt_gradient_norms``、``train_char_lm``）。
"""

from __future__ import annotations

import numpy as np

from ..numpy.rnn import bptt_gradient_norms
from ._style import COLORS, plt, svg_figure

CHAPTER = "ch06-rnn"


# ======================================================================== 画结构图的小工具
def _node(ax, x, y, text, color="#eef3fb", w=0.9, h=0.55, fs=10, round_=True):
    ax.text(x, y, text, ha="center", va="center", fontsize=fs,
            bbox={"boxstyle": f"{'round' if round_ else 'square'},pad=0.3", "fc": color, "ec": "0.35",
                  "lw": 0.9}, zorder=3)


def _op(ax, x, y, text, color="#fff4e5", fs=10):
    ax.text(x, y, text, ha="center", va="center", fontsize=fs,
            bbox={"boxstyle": "circle,pad=0.2", "fc": color, "ec": "0.35", "lw": 0.9}, zorder=3)


def _arrow(ax, x0, y0, x1, y1, label=None, color="0.3", lw=1.1, ls="-", label_pos=0.5, dx=0.12, dy=0.0,
           connection="arc3", fs=9):
    ax.annotate("", xy=(x1, y1), xytext=(x0, y0),
                arrowprops={"arrowstyle": "-|>", "color": color, "lw": lw, "ls": ls, "shrinkA": 11, "shrinkB": 11,
                            "connectionstyle": connection, "mutation_scale": 9}, zorder=2)
    if label:
        ax.text(x0 + (x1 - x0) * label_pos + dx, y0 + (y1 - y0) * label_pos + dy, label, fontsize=fs,
                color=color, ha="left", va="center")


def _canvas(w, h, xlim, ylim):
    fig, ax = plt.subplots(figsize=(w, h))
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.axis("off")
    return fig, ax


# ======================================================================== 展开图
@svg_figure
def unrolled():
    """左：带自环的循环网络；右：沿时间展开后的前馈图，每个时刻共用同一组 W、U、V。"""
    fig, ax = _canvas(9.5, 3.2, (-0.8, 10.0), (-0.7, 2.8))
    # 折叠的形式
    _node(ax, 0.6, 0.0, "x")
    _node(ax, 0.6, 1.2, "h")
    _node(ax, 0.6, 2.4, "o")
    _arrow(ax, 0.6, 0.0, 0.6, 1.2, "W")
    _arrow(ax, 0.6, 1.2, 0.6, 2.4, "V")
    ax.annotate("", xy=(0.36, 1.1), xytext=(0.36, 1.3),
                arrowprops={"arrowstyle": "-|>", "color": COLORS[1], "lw": 1.2, "mutation_scale": 9,
                            "connectionstyle": "arc,angleA=180,angleB=180,armA=28,armB=28,rad=8"})
    ax.text(-0.45, 1.2, "U", color=COLORS[1], fontsize=10, va="center")
    ax.text(1.75, 1.45, "展开", fontsize=10, ha="center", va="center")
    ax.annotate("", xy=(2.3, 1.2), xytext=(1.2, 1.2), arrowprops={"arrowstyle": "-|>", "lw": 1.5, "color": "0.4"})
    # 展开的形式
    xs = [3.6, 5.5, 7.4, 9.3]
    labels = ["1", "2", "…", "T"]
    _node(ax, 2.9, 1.2, "h₀", color="#f2f2f2", w=0.6)
    prev = 2.9
    for xpos, t in zip(xs, labels):
        if t == "…":
            ax.text(xpos, 1.2, "⋯", fontsize=16, ha="center", va="center")
            _arrow(ax, prev, 1.2, xpos - 0.2, 1.2, None, color=COLORS[1])
            prev = xpos + 0.2
            continue
        sub = {"1": "₁", "2": "₂", "T": "_T"}[t]
        _node(ax, xpos, 0.0, f"x{sub}")
        _node(ax, xpos, 1.2, f"h{sub}")
        _node(ax, xpos, 2.4, f"o{sub}")
        _arrow(ax, xpos, 0.0, xpos, 1.2, "W")
        _arrow(ax, xpos, 1.2, xpos, 2.4, "V")
        _arrow(ax, prev, 1.2, xpos, 1.2, "U", color=COLORS[1], dx=-0.3, dy=0.22)
        prev = xpos
    ax.text(6.4, -0.55, "每个时刻用同一组参数 W、U、V：zₜ = U hₜ₋₁ + W xₜ + b，hₜ = f(zₜ)，oₜ = g(V hₜ)",
            fontsize=9, ha="center", color="0.3")
    return fig


# ======================================================================== 三种序列形状
@svg_figure
def sequence_shapes():
    """三种输入输出形状：序列到类别（多对一）、同步的序列到序列（序列标注）、异步的序列到序列（编码器-解码器）。"""
    fig, axes = plt.subplots(1, 3, figsize=(11, 3.3))
    for ax in axes:
        ax.axis("off")
        ax.set_xlim(-0.5, 5.6)
        ax.set_ylim(-0.7, 2.9)

    def chain(ax, xs, color="#eef3fb"):
        for i, xp in enumerate(xs):
            _node(ax, xp, 1.2, "h", color=color, w=0.5)
            if i:
                _arrow(ax, xs[i - 1], 1.2, xp, 1.2, color=COLORS[1])

    ax = axes[0]
    xs = [0.3, 1.4, 2.5, 3.6]
    chain(ax, xs)
    for i, xp in enumerate(xs):
        _node(ax, xp, 0.0, f"x{'₁₂₃₄'[i]}", color="#fff4e5")
        _arrow(ax, xp, 0.0, xp, 1.2)
    _node(ax, 3.6, 2.4, "ŷ", color="#e8f5e9")
    _arrow(ax, 3.6, 1.2, 3.6, 2.4)
    ax.set_title("多对一：序列分类\n（MNIST-1D、情感分类）", fontsize=10)

    ax = axes[1]
    chain(ax, xs)
    for i, xp in enumerate(xs):
        _node(ax, xp, 0.0, f"x{'₁₂₃₄'[i]}", color="#fff4e5")
        _node(ax, xp, 2.4, f"y{'₁₂₃₄'[i]}", color="#e8f5e9")
        _arrow(ax, xp, 0.0, xp, 1.2)
        _arrow(ax, xp, 1.2, xp, 2.4)
    ax.set_title("同步多对多：序列标注\n（词性标注、字符级语言模型）", fontsize=10)

    ax = axes[2]
    enc = [0.0, 0.9, 1.8]
    dec = [3.0, 3.9, 4.8]
    chain(ax, enc)
    chain(ax, dec, color="#f3e5f5")
    _arrow(ax, enc[-1], 1.2, dec[0], 1.2, "c", color=COLORS[4], dx=-0.1, dy=0.25)
    for i, xp in enumerate(enc):
        _node(ax, xp, 0.0, f"x{'₁₂₃'[i]}", color="#fff4e5")
        _arrow(ax, xp, 0.0, xp, 1.2)
    for i, xp in enumerate(dec):
        _node(ax, xp, 0.0, "<s>" if i == 0 else f"y{'₁₂'[i - 1]}", color="#fff4e5", fs=8)
        _node(ax, xp, 2.4, f"y{'₁₂₃'[i]}", color="#e8f5e9")
        _arrow(ax, xp, 0.0, xp, 1.2)
        _arrow(ax, xp, 1.2, xp, 2.4)
    ax.text(0.9, -0.6, "编码器", ha="center", fontsize=9, color="0.3")
    ax.text(3.9, -0.6, "解码器", ha="center", fontsize=9, color="0.3")
    ax.set_title("异步多对多：编码器-解码器\n（机器翻译、倒序数字串）", fontsize=10)
    return fig


# ======================================================================== 梯度随时间步的变化
def _orthogonal(H: int, seed: int = 0) -> np.ndarray:
    Q, _ = np.linalg.qr(np.random.default_rng(seed).standard_normal((H, H)))
    return Q


def gradient_curves_rnn(T: int = 60, H: int = 32):
    """两组曲线的数据（供插图与测试使用）：

    - ``"linear"``：$\\boldsymbol{U} = \\rho\\boldsymbol{Q}$（$\\boldsymbol{Q}$ 正交，谱半径恰为 $\\rho$），输入为 0，
      tanh 工作在 0 附近、导数为 1，于是 $\\lVert\\partial\\mathcal{L}/\\partial\\boldsymbol{h}_k\\rVert = \\rho^{T-k}$；
    - ``"relu_vs_tanh"``：$\\boldsymbol{U} = 1.1\\boldsymbol{I}$，正的随机输入，ReLU 与 tanh 各一条。

    返回 ``{名字: (k, 梯度范数)}``。
    """
    Q = _orthogonal(H)
    zeros = np.zeros((T, 1, 1))
    out = {}
    for rho in (0.9, 1.0, 1.1):
        out[f"ρ = {rho}"] = bptt_gradient_norms("rnn", zeros, np.zeros((H, 1)), rho * Q, np.zeros(H))
    rng = np.random.default_rng(1)
    x = np.abs(rng.standard_normal((T, 8, 4))) * 0.5
    W = np.abs(rng.standard_normal((H, 4))) * 0.2
    for act in ("relu", "tanh"):
        out[f"{act}，U = 1.1 I"] = bptt_gradient_norms("rnn", x, W, 1.1 * np.eye(H), np.zeros(H), activation=act)
    return out


@svg_figure
def grad_time_rnn():
    """‖∂L/∂hₖ‖ 随时间步 k 的变化（损失只在最后时刻 T = 60）。左：谱半径 ρ 小于、等于、大于 1；
    右：同样 U = 1.1 I，ReLU 一路爆炸，tanh 饱和后梯度消失。"""
    curves = gradient_curves_rnn()
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 3.6))
    k = np.arange(1, 61)
    for (name, c) in zip(("ρ = 0.9", "ρ = 1.0", "ρ = 1.1"), (COLORS[0], COLORS[2], COLORS[1])):
        ax1.semilogy(k, curves[name], color=c, label=f"U = ρQ，{name}")
    ax1.set_title("tanh 在 0 附近（导数为 1）：梯度按 ρ^(T−k) 变化")
    for name, c in (("relu，U = 1.1 I", COLORS[1]), ("tanh，U = 1.1 I", COLORS[0])):
        ax2.semilogy(k, curves[name], color=c, label=name.replace("relu", "ReLU"))
    ax2.set_title("同一个 U、正的输入：ReLU 爆炸，tanh 饱和")
    for ax in (ax1, ax2):
        ax.set_xlabel("时间步 k（损失在 T = 60）")
        ax.set_ylabel("‖∂L/∂hₖ‖（对数坐标）")
        ax.legend(fontsize=8)
    return fig


def gradient_curves_gated(T: int = 100, H: int = 32, seed: int = 0):
    """简单循环网络与 LSTM、GRU 在同样的随机输入上，‖∂L/∂hₖ‖ 随 k 的变化（供插图与测试使用）。

    参数按 torch 的默认初始化 $\\mathcal{U}(-1/\\sqrt{H}, 1/\\sqrt{H})$ 随机生成；LSTM 再比较遗忘门偏置
    $\\boldsymbol{b}_f = 0$ 与 $\\boldsymbol{b}_f = 3$（$\\boldsymbol{f}_t\\approx\\sigma(3)\\approx 0.95$），
    GRU 令更新门偏置 $\\boldsymbol{b}_z = 3$（$\\boldsymbol{z}_t\\approx 0.95$，多保留旧状态）。
    """
    rng = np.random.default_rng(seed)
    D = 4
    x = rng.standard_normal((T, 8, D))
    k = 1 / np.sqrt(H)
    u = lambda *shape: rng.uniform(-k, k, shape)  # noqa: E731
    out = {}
    out["简单循环网络（tanh）"] = bptt_gradient_norms("rnn", x, u(H, D), u(H, H), u(H))
    Wl, Ul, bl = u(4 * H, D), u(4 * H, H), u(4 * H)
    out["LSTM，b_f = 0"] = bptt_gradient_norms("lstm", x, Wl, Ul, np.where(np.arange(4 * H) // H == 1, 0.0, bl))
    out["LSTM，b_f = 3"] = bptt_gradient_norms("lstm", x, Wl, Ul, np.where(np.arange(4 * H) // H == 1, 3.0, bl))
    Wg, Ug, bg = u(3 * H, D), u(3 * H, H), u(3 * H)
    out["GRU，b_z = 3"] = bptt_gradient_norms("gru", x, Wg, Ug, np.where(np.arange(3 * H) // H == 1, 3.0, bg))
    return out


@svg_figure
def grad_time_gated():
    """同样的输入与初始化尺度下，简单循环网络的梯度几十步内衰减到 1e-10 以下；LSTM 遗忘门接近 1、GRU 更新门接近 1 时，
    梯度沿加法的记忆通路传回 100 步以前。"""
    curves = gradient_curves_gated()
    fig, ax = plt.subplots(figsize=(7, 3.6))
    k = np.arange(1, 101)
    for (name, ys), c, ls in zip(curves.items(), (COLORS[0], COLORS[3], COLORS[1], COLORS[2]), ("-", "--", "-", ":")):
        ax.semilogy(k, np.maximum(ys, 1e-30), color=c, ls=ls, label=name)
    ax.set_xlabel("时间步 k（损失在 T = 100）")
    ax.set_ylabel("‖∂L/∂hₖ‖（对数坐标）")
    ax.legend(fontsize=8)
    return fig


# ======================================================================== LSTM 与 GRU 单元
@svg_figure
def lstm_cell():
    """LSTM 单元：三个门（σ）与候选记忆（tanh）都由 [xₜ, hₜ₋₁] 算出；上方的水平线是记忆单元 c 的加法通路。"""
    fig, ax = _canvas(9, 4.2, (-0.6, 9.6), (-0.9, 4.1))
    ax.plot([0.0, 8.6], [3.2, 3.2], color=COLORS[1], lw=2.2, zorder=1)          # c 的通路
    ax.text(-0.4, 3.2, "cₜ₋₁", ha="right", va="center", fontsize=11)
    ax.text(8.8, 3.2, "cₜ", ha="left", va="center", fontsize=11)
    ax.plot([0.0, 6.6], [0.2, 0.2], color="0.35", lw=1.4, zorder=1)             # [x, h] 总线
    ax.text(-0.4, 0.2, "hₜ₋₁", ha="right", va="center", fontsize=11)
    ax.text(0.6, -0.75, "xₜ", ha="center", fontsize=11)
    ax.plot([0.6, 0.6], [-0.55, 0.2], color="0.35", lw=1.4)
    gates = [(1.8, "σ", "fₜ 遗忘门"), (3.3, "σ", "iₜ 输入门"), (4.5, "tanh", "c̃ₜ 候选记忆"), (6.3, "σ", "oₜ 输出门")]
    for xg, fn, name in gates:
        _node(ax, xg, 1.2, fn, color="#fff4e5" if fn == "σ" else "#fde7e7", w=0.6)
        ax.plot([xg, xg], [0.2, 0.9], color="0.35", lw=1.2)
        ax.text(xg + 0.12, 0.55, name, fontsize=8, color="0.25")
    _op(ax, 1.8, 3.2, "×")
    _arrow(ax, 1.8, 1.2, 1.8, 3.2)
    _op(ax, 3.9, 2.3, "×")
    _arrow(ax, 3.3, 1.2, 3.9, 2.3)
    _arrow(ax, 4.5, 1.2, 3.9, 2.3)
    _op(ax, 3.9, 3.2, "+")
    _arrow(ax, 3.9, 2.3, 3.9, 3.2)
    _node(ax, 7.2, 2.3, "tanh", color="#fde7e7", w=0.6)
    ax.plot([7.2, 7.2], [3.2, 2.6], color=COLORS[1], lw=1.2)
    _op(ax, 7.2, 1.2, "×")
    _arrow(ax, 7.2, 2.3, 7.2, 1.2)
    _arrow(ax, 6.3, 1.2, 7.2, 1.2)
    ax.plot([7.2, 8.6], [1.2, 1.2], color="0.35", lw=1.4)
    ax.plot([8.6, 8.6], [1.2, 0.2], color="0.35", lw=1.4)
    ax.text(8.8, 0.2, "hₜ", ha="left", va="center", fontsize=11)
    ax.text(8.8, 1.5, "hₜ（输出）", ha="left", va="center", fontsize=9, color="0.3")
    ax.text(4.5, 3.75, "cₜ = fₜ ⊙ cₜ₋₁ + iₜ ⊙ c̃ₜ（只有逐元素的乘与加：梯度沿这条线几乎无损地传回）", fontsize=9,
            ha="center", color=COLORS[1])
    ax.text(4.5, -0.75, "门 = σ(W xₜ + U hₜ₋₁ + b) ∈ (0, 1)，候选记忆用 tanh ∈ (−1, 1)；hₜ = oₜ ⊙ tanh(cₜ)", fontsize=9,
            ha="center", color="0.3")
    return fig


@svg_figure
def gru_cell():
    """GRU 单元：更新门 zₜ 在旧状态 hₜ₋₁ 与候选状态 h̃ₜ 之间插值；重置门 rₜ 决定候选状态看多少旧状态。"""
    fig, ax = _canvas(9, 4.0, (-0.6, 9.6), (-0.9, 3.9))
    ax.plot([0.0, 8.6], [3.0, 3.0], color=COLORS[1], lw=2.2, zorder=1)
    ax.text(-0.4, 3.0, "hₜ₋₁", ha="right", va="center", fontsize=11)
    ax.text(8.8, 3.0, "hₜ", ha="left", va="center", fontsize=11)
    ax.plot([0.3, 0.3], [3.0, 0.2], color="0.35", lw=1.2)
    ax.plot([0.3, 5.0], [0.2, 0.2], color="0.35", lw=1.4)             # [xₜ, hₜ₋₁] 总线
    ax.text(1.0, -0.75, "xₜ", ha="center", fontsize=11)
    ax.plot([1.0, 1.0], [-0.55, 0.2], color="0.35", lw=1.4)
    for xg, fn, name in ((1.8, "σ", "rₜ 重置门"), (3.4, "tanh", "h̃ₜ 候选状态"), (5.0, "σ", "zₜ 更新门")):
        _node(ax, xg, 1.2, fn, color="#fff4e5" if fn == "σ" else "#fde7e7", w=0.6)
        ax.plot([xg, xg], [0.2, 0.9], color="0.35", lw=1.2)
        ax.text(xg + 0.12, 0.55, name, fontsize=8, color="0.25")
    _op(ax, 1.8, 2.1, "×")                                          # rₜ ⊙ hₜ₋₁
    _arrow(ax, 1.8, 1.2, 1.8, 2.1)
    ax.plot([1.8, 1.8], [3.0, 2.35], color="0.35", lw=1.2)
    _arrow(ax, 1.8, 2.1, 3.4, 1.2)
    ax.text(2.75, 2.05, "U_h(rₜ ⊙ hₜ₋₁)", fontsize=8, color="0.3")
    _op(ax, 5.6, 3.0, "×")                                          # zₜ ⊙ hₜ₋₁
    _arrow(ax, 5.0, 1.2, 5.6, 3.0)
    ax.text(5.0, 2.45, "zₜ", fontsize=9, color="0.3")
    _op(ax, 7.0, 2.1, "×")                                          # (1 − zₜ) ⊙ h̃ₜ
    _arrow(ax, 3.4, 1.2, 7.0, 2.1, connection="arc3,rad=-0.35")
    _arrow(ax, 5.0, 1.2, 7.0, 2.1)
    ax.text(6.1, 1.45, "1 − zₜ", fontsize=9, color="0.3")
    _op(ax, 7.0, 3.0, "+")
    _arrow(ax, 7.0, 2.1, 7.0, 3.0)
    ax.text(4.5, 3.55, "hₜ = zₜ ⊙ hₜ₋₁ + (1 − zₜ) ⊙ h̃ₜ（书中的写法；torch 的重置门乘在 U_h hₜ₋₁ 之后）", fontsize=9,
            ha="center", color=COLORS[1])
    return fig


# ======================================================================== 双向与深层
@svg_figure
def birnn_deep():
    """左：双向循环网络，两条链分别从左往右、从右往左读，每个时刻把两个状态拼接；右：两层的深层循环网络。"""
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 3.4))
    xs = [0.5, 1.8, 3.1, 4.4]
    for ax in (ax1, ax2):
        ax.axis("off")
        ax.set_xlim(-0.3, 5.2)
        ax.set_ylim(-0.6, 3.4)
    for i, xp in enumerate(xs):
        _node(ax1, xp, 0.0, f"x{'₁₂₃₄'[i]}", color="#fff4e5")
        _node(ax1, xp, 1.0, "→h", color="#eef3fb", w=0.5)
        _node(ax1, xp, 1.9, "←h", color="#f3e5f5", w=0.5)
        _node(ax1, xp, 2.9, f"y{'₁₂₃₄'[i]}", color="#e8f5e9")
        _arrow(ax1, xp, 0.0, xp, 1.0)                                   # xₜ → →hₜ
        _arrow(ax1, xp - 0.16, 0.0, xp - 0.16, 1.9, color="0.6", lw=0.8)  # xₜ → ←hₜ（从 →hₜ 旁边经过）
        _arrow(ax1, xp, 1.9, xp, 2.9)                                   # ←hₜ → yₜ
        _arrow(ax1, xp + 0.16, 1.0, xp + 0.16, 2.9, color="0.6", lw=0.8)  # →hₜ → yₜ
        if i:
            _arrow(ax1, xs[i - 1], 1.0, xp, 1.0, color=COLORS[0])
            _arrow(ax1, xp, 1.9, xs[i - 1], 1.9, color=COLORS[4])
    ax1.set_title("双向：yₜ 由 [→hₜ ; ←hₜ] 算出，看得到整条序列", fontsize=10)
    for i, xp in enumerate(xs):
        _node(ax2, xp, 0.0, f"x{'₁₂₃₄'[i]}", color="#fff4e5")
        _node(ax2, xp, 1.0, "h⁽¹⁾", color="#eef3fb", w=0.5)
        _node(ax2, xp, 1.95, "h⁽²⁾", color="#dde7f7", w=0.5)
        _node(ax2, xp, 2.9, f"y{'₁₂₃₄'[i]}", color="#e8f5e9")
        _arrow(ax2, xp, 0.0, xp, 1.0)
        _arrow(ax2, xp, 1.0, xp, 1.95)
        _arrow(ax2, xp, 1.95, xp, 2.9)
        if i:
            _arrow(ax2, xs[i - 1], 1.0, xp, 1.0, color=COLORS[1])
            _arrow(ax2, xs[i - 1], 1.95, xp, 1.95, color=COLORS[1])
    ax2.set_title("深层（两层）：第 2 层的输入是第 1 层各时刻的状态", fontsize=10)
    return fig


# ======================================================================== 字符级语言模型
@svg_figure
def char_lm_curve():
    """字符级 LSTM 语言模型在 Python 文档上的训练：左为验证集困惑度（与训练集的 exp(损失)），右为截断前的梯度全局范数
    （超过阈值 θ = 1 的那些步被按比例缩小）。"""
    from ..torch.rnn import trained_char_lm

    _, vocab, hist = trained_char_lm()
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 3.5))
    ax1.plot(hist["step"], np.exp(hist["train_loss"]), color=COLORS[0], marker="o", ms=3, label="训练集 exp(平均损失)")
    ax1.plot(hist["step"], hist["val_ppl"], color=COLORS[1], marker="s", ms=3, label="验证集困惑度")
    ax1.axhline(len(vocab), color="0.6", ls=":", lw=1)
    ax1.text(hist["step"][-1], len(vocab) * 0.8, f"均匀猜测：{len(vocab)}", ha="right", fontsize=8, color="0.4")
    ax1.set_yscale("log")
    ax1.set_xlabel("训练步数")
    ax1.set_ylabel("困惑度（对数坐标）")
    ax1.legend(fontsize=8)
    ax2.semilogy(hist["step"], hist["grad_norm"], color=COLORS[2], marker="o", ms=3, label="截断前的全局范数：每 100 步的平均")
    ax2.semilogy(hist["step"], hist["grad_norm_max"], color=COLORS[3], marker="^", ms=3, label="每 100 步的最大值")
    ax2.axhline(1.0, color=COLORS[1], ls="--", lw=1, label="截断阈值 θ = 1")
    ax2.set_xlabel("训练步数")
    ax2.set_ylabel("‖g‖（对数坐标）")
    ax2.legend(fontsize=8)
    return fig


@svg_figure
def char_lm_samples():
    """同一个语言模型在三个温度下的采样（开头都是 "The "）。插图在构建站点时生成，所以总与当次训练的模型一致。"""
    import textwrap

    from ..torch.rnn import sample, trained_char_lm

    model, vocab, _ = trained_char_lm()
    fig, ax = plt.subplots(figsize=(10, 5.2))
    ax.axis("off")
    y = 1.0
    for temperature, c in ((0.5, COLORS[0]), (1.0, COLORS[2]), (1.5, COLORS[1])):
        s = sample(model, vocab, prime="The ", length=240, temperature=temperature, seed=0)
        lines = [textwrap.fill(part, 100) for part in s.replace("\t", " ").split("\n") if part.strip()][:5]
        ax.text(0.0, y, f"温度 τ = {temperature}", fontsize=10, color=c, va="top", transform=ax.transAxes)
        ax.text(0.0, y - 0.05, "\n".join(lines), fontsize=8, family="monospace", va="top", transform=ax.transAxes,
                color="0.15")
        y -= 0.34
    return fig


FIGURES = {
    "unrolled": unrolled,
    "sequence-shapes": sequence_shapes,
    "grad-time-rnn": grad_time_rnn,
    "grad-time-gated": grad_time_gated,
    "lstm-cell": lstm_cell,
    "gru-cell": gru_cell,
    "birnn-deep": birnn_deep,
    "char-lm": char_lm_curve,
    "char-lm-samples": char_lm_samples,
}
