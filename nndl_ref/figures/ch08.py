"""第 8 章（注意力机制与 Transformer）的插图。每个函数返回 SVG 文本。"""

from __future__ import annotations

import numpy as np

from ..numpy import attention as At
from ..numpy import ssm
from ..numpy.transformer import sinusoidal_positional_encoding
from ._style import COLORS, plt, svg_figure

CHAPTER = "ch08-attention"

K_DEMO = np.array([[1.0, 0.0], [0.0, 1.0], [0.7, 0.7]])
V_DEMO = np.array([[10.0], [20.0], [30.0]])
Q_DEMO = np.array([0.9, 0.2])


@svg_figure
def sharp_softmax():
    """软查找 → 硬查找：β 越大，注意力分布越接近 one-hot，输出越接近分数最高的键对应的值。"""
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.2))
    betas = [1, 4, 16, 64]
    w = 0.2
    for j, beta in enumerate(betas):
        _, cache = At.attention_forward(Q_DEMO[None], K_DEMO, V_DEMO, scale=beta)
        ax1.bar(np.arange(3) + (j - 1.5) * w, cache[3][0], width=w, color=COLORS[j], label=f"β = {beta}")
    ax1.set_xticks(range(3), ["键 1 (1, 0)", "键 2 (0, 1)", "键 3 (0.7, 0.7)"])
    ax1.set_ylabel("注意力权重 α")
    ax1.set_title("q = (0.9, 0.2) 的注意力分布")
    ax1.legend(fontsize=8)
    bs = np.logspace(-1, 3, 200)
    hard = At.hard_lookup(Q_DEMO, K_DEMO, V_DEMO)[0]
    err = [abs(At.soft_lookup(Q_DEMO, K_DEMO, V_DEMO, b)[0] - hard) + 1e-17 for b in bs]
    ax2.loglog(bs, err, color=COLORS[0])
    ax2.set_xlabel("β（分数的缩放）")
    ax2.set_ylabel("|软查找 − 硬查找|")
    ax2.set_title("β → ∞：软查找收敛到硬查找")
    ax2.set_ylim(1e-16, 30)
    return fig


@svg_figure
def softmax_saturation():
    """不缩放时分数的标准差是 √d：d 越大，softmax 越接近 one-hot，回传的梯度越小；除以 √d 后与 d 无关。"""
    rng = np.random.default_rng(0)
    ds = [2, 4, 8, 16, 32, 64, 128, 256, 512, 1024]
    M = 32
    stats = {False: ([], []), True: ([], [])}
    for d in ds:
        q, K = rng.normal(size=(200, 1, d)), rng.normal(size=(200, M, d))
        S = (q @ K.transpose(0, 2, 1))[:, 0]
        for scaled in (False, True):
            A, cache = At.masked_softmax_forward(S / np.sqrt(d) if scaled else S)
            g = At.masked_softmax_backward(rng.normal(size=S.shape), cache)
            stats[scaled][0].append(A.max(axis=1).mean())
            stats[scaled][1].append(np.linalg.norm(g, axis=1).mean())
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.2))
    for scaled, color, label in ((False, COLORS[1], "不缩放 qᵀk"), (True, COLORS[0], "缩放 qᵀk / √d")):
        ax1.semilogx(ds, stats[scaled][0], "o-", color=color, label=label, base=2)
        ax2.semilogx(ds, stats[scaled][1], "o-", color=color, label=label, base=2)
    ax1.set_title("最大注意力权重（32 个键，平均）")
    ax2.set_title("softmax 回传的梯度范数")
    for ax in (ax1, ax2):
        ax.set_xlabel("维数 d")
        ax.legend(fontsize=8)
    return fig


@svg_figure
def masks():
    """三种掩码（深色为可见）：因果掩码、填充掩码（真实长度 5）、二者相与。"""
    T = 8
    causal = At.causal_mask(T)
    pad = At.padding_mask([5], T, T)[0]
    fig, axes = plt.subplots(1, 3, figsize=(9, 3.2))
    for ax, m, title in zip(axes, (causal, pad, causal & pad), ("因果掩码", "填充掩码（长度 5）", "二者相与")):
        ax.imshow(m, cmap="Blues", vmin=-0.3, vmax=1.2)
        ax.set_title(title)
        ax.set_xlabel("键的位置 m")
        ax.set_ylabel("查询的位置 n")
        ax.set_xticks(range(T))
        ax.set_yticks(range(T))
        ax.grid(False)
    return fig


@svg_figure
def positional_encoding():
    """正弦位置编码：左为 PE 矩阵（T = 64，D = 64），右为不同位置编码的内积 PE_t·PE_s——只取决于 t − s。"""
    PE = sinusoidal_positional_encoding(64, 64)
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.6))
    im = ax1.imshow(PE, cmap="RdBu_r", aspect="auto", vmin=-1, vmax=1)
    ax1.set_xlabel("维度 j")
    ax1.set_ylabel("位置 t")
    ax1.set_title("PE(t, j)")
    fig.colorbar(im, ax=ax1, fraction=0.046)
    im2 = ax2.imshow(PE @ PE.T, cmap="viridis", aspect="auto")
    ax2.set_xlabel("位置 s")
    ax2.set_ylabel("位置 t")
    ax2.set_title("内积 PE(t)·PE(s)")
    fig.colorbar(im2, ax=ax2, fraction=0.046)
    for ax in (ax1, ax2):
        ax.grid(False)
    return fig


def _box(ax, x, y, text, color="#eef3fb", w=2.8, h=0.5):
    ax.add_patch(plt.Rectangle((x - w / 2, y - h / 2), w, h, fc=color, ec="0.4", lw=1.0))
    ax.text(x, y, text, ha="center", va="center", fontsize=9)


def _arrow(ax, x0, y0, x1, y1, color="0.35"):
    ax.annotate("", xy=(x1, y1), xytext=(x0, y0), arrowprops={"arrowstyle": "->", "color": color, "lw": 1.0})


def _residual(ax, x, y0, y1, side=1.35, color=COLORS[1]):
    """从 y0 绕到右侧再回到 y1 的残差连接（红色）。"""
    ax.plot([x, x + side, x + side], [y0, y0, y1], color=color, lw=1.0)
    _arrow(ax, x + side, y1, x + 0.18, y1, color=color)


@svg_figure
def transformer_block():
    """Transformer 块：后归一化编码器块（原论文）、前归一化编码器块、后归一化解码器块。红线为残差连接，⊕ 为相加。"""
    fig, axes = plt.subplots(1, 3, figsize=(10, 5.0))
    attn, ffn, ln, add = "#eef3fb", "#e8f5e9", "#fff4e5", "white"

    def column(ax, items, title):
        ax.set_title(title, fontsize=10)
        y = 0.3
        _arrow(ax, 0, y - 0.3, 0, y)
        ax.text(0.1, y - 0.25, "输入 X", fontsize=8, color="0.3")
        for kind, label in items:
            if kind == "res":
                _residual(ax, 0, label[0], label[1], side=1.7)
                continue
            y += 0.75
            _arrow(ax, 0, y - 0.75 + 0.25, 0, y - 0.25)
            if kind == "add":
                ax.add_patch(plt.Circle((0, y), 0.18, fc=add, ec="0.4"))
                ax.text(0, y, "+", ha="center", va="center", fontsize=11)
            else:
                _box(ax, 0, y, label, {"attn": attn, "ffn": ffn, "ln": ln}[kind])
        _arrow(ax, 0, y + 0.25, 0, y + 0.7)
        ax.text(0.1, y + 0.55, "输出", fontsize=8, color="0.3")
        ax.set_xlim(-2, 2.4)
        ax.set_ylim(-0.2, 10.2)
        ax.axis("off")

    # 纵坐标：第 k 个部件在 0.3 + 0.75 k 处
    yk = lambda k: 0.3 + 0.75 * k  # noqa: E731
    column(axes[0], [("attn", "多头自注意力"), ("add", ""), ("res", (yk(0) + 0.2, yk(2))), ("ln", "层归一化"),
                     ("ffn", "前馈网络 FFN"), ("add", ""), ("res", (yk(3) + 0.3, yk(5))), ("ln", "层归一化")],
           "后归一化编码器块\nX ← LN(X + 子层(X))")
    column(axes[1], [("ln", "层归一化"), ("attn", "多头自注意力"), ("add", ""), ("res", (yk(0) + 0.2, yk(3))),
                     ("ln", "层归一化"), ("ffn", "前馈网络 FFN"), ("add", ""), ("res", (yk(3) + 0.3, yk(6)))],
           "前归一化编码器块\nX ← X + 子层(LN(X))")
    column(axes[2], [("attn", "带因果掩码的自注意力"), ("add", ""), ("res", (yk(0) + 0.2, yk(2))), ("ln", "层归一化"),
                     ("attn", "交叉注意力（K、V 取自编码器）"), ("add", ""), ("res", (yk(3) + 0.3, yk(5))),
                     ("ln", "层归一化"), ("ffn", "前馈网络 FFN"), ("add", ""), ("res", (yk(6) + 0.3, yk(8))),
                     ("ln", "层归一化")],
           "后归一化解码器块")
    return fig


@svg_figure
def training_curves():
    """小 Transformer 在倒序（200 步）与排序（400 步）任务上的训练曲线：留出 1000 条的整条准确率与训练损失。"""
    from ..torch.transformer import trained_task

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.2))
    for j, (task, label) in enumerate((("reverse", "倒序"), ("sort", "排序"))):
        _, h = trained_task(task)
        ax1.plot(h["step"], np.array(h["seq_acc"]) * 100, "o-", color=COLORS[j], label=label)
        ax2.semilogy(h["step"], h["loss"], "o-", color=COLORS[j], label=label)
    ax1.axhline(99, color="0.5", ls="--", lw=0.8)
    ax1.set_ylabel("整条全对（%）")
    ax2.set_ylabel("训练损失（交叉熵）")
    for ax in (ax1, ax2):
        ax.set_xlabel("训练步数")
        ax.legend(fontsize=8)
    return fig


@svg_figure
def attention_maps():
    """训练好的倒序模型第 1 层 4 个头的注意力图（一条样本，行是查询位置，列是键位置）。
    负责输出的位置 8–15（横线以下）沿反对角线看输入：输出第 i 个数字时看输入的倒数第 i 个。"""
    import torch

    from ..torch.transformer import make_task, trained_task

    model, _ = trained_task("reverse")
    seq = make_task(1, length=8, task="reverse", seed=5)
    with torch.no_grad():
        model(seq[:, :-1])
    A = model.blocks[0].mixer.attention[0].numpy()           # (h, 16, 16)
    labels = [str(t) if t < 10 else "⟨sep⟩" for t in seq[0, :-1].tolist()]
    fig, axes = plt.subplots(1, 4, figsize=(11, 3.3))
    for hd, ax in enumerate(axes):
        ax.imshow(A[hd], cmap="Blues", vmin=0, vmax=1)
        ax.axhline(7.5, color=COLORS[1], lw=0.8)
        ax.set_title(f"第 {hd} 个头", fontsize=9)
        ax.set_xticks(range(16), labels, fontsize=6, rotation=90)
        ax.set_yticks(range(16), labels, fontsize=6)
        ax.grid(False)
    axes[0].set_ylabel("查询（当前输入的词）")
    return fig


@svg_figure
def embeddings_2d():
    """训练后数字 0–9 的词嵌入（64 维）用主成分分析投到二维：排序模型里数字按大小排成一条曲线，
    倒序模型里数字的大小无关紧要，嵌入没有顺序结构。"""
    from ..torch.transformer import trained_task

    fig, axes = plt.subplots(1, 2, figsize=(9, 3.6))
    for ax, (task, title) in zip(axes, (("sort", "排序任务"), ("reverse", "倒序任务"))):
        model, _ = trained_task(task)
        E = model.tok.weight.detach().numpy()[:10].astype(np.float64)
        Ec = E - E.mean(axis=0)
        _, _, Vt = np.linalg.svd(Ec, full_matrices=False)
        P = Ec @ Vt[:2].T                                     # (10, 2)：前两个主成分
        ax.plot(P[:, 0], P[:, 1], color="0.8", lw=0.8, zorder=1)
        ax.scatter(P[:, 0], P[:, 1], c=np.arange(10), cmap="viridis", s=60, zorder=2)
        for i, (x, y) in enumerate(P):
            ax.annotate(str(i), (x, y), xytext=(4, 4), textcoords="offset points", fontsize=10)
        ax.set_title(title + "：数字嵌入的前两个主成分")
        ax.set_xlabel("主成分 1")
        ax.set_ylabel("主成分 2")
    return fig


@svg_figure
def mixing_matrices():
    """三种"时间混合"写成 T×T 矩阵（一条随机序列，一个通道）：因果 softmax 注意力、
    选择性状态空间的衰减矩阵、mLSTM 的门控衰减矩阵。后两者不需要 softmax，可以逐步递推。"""
    rng = np.random.default_rng(0)
    T, d = 16, 4
    q, k, v = rng.normal(size=(3, T, d))
    _, cache = At.attention_forward(q, k, v, At.causal_mask(T))
    A_att = cache[3]
    delta = np.logaddexp(0, rng.normal(size=T) - 1.0)
    P = np.cumsum(delta)
    keep = np.tril(np.ones((T, T), bool))
    L_ssm = np.where(keep, np.exp(-0.7 * np.where(keep, P[:, None] - P[None, :], 0.0)), 0.0) * delta[None, :]
    i_pre, f_pre = rng.normal(size=T), rng.normal(size=T) + 2.0
    Fc = np.cumsum(-np.logaddexp(0, -f_pre))
    logD = np.where(keep, Fc[:, None] - Fc[None, :] + i_pre[None, :], -np.inf)
    D_ml = np.exp(logD - logD.max(axis=1, keepdims=True))
    assert np.allclose(ssm.mlstm_parallel(q, k, v, i_pre, f_pre), ssm.mlstm_recurrent(q, k, v, i_pre, f_pre))
    fig, axes = plt.subplots(1, 3, figsize=(9.5, 3.3))
    for ax, M, title in zip(axes, (A_att, L_ssm, D_ml),
                            ("softmax 注意力 α", "选择性 SSM：Δ_s·exp(A Σ Δ)", "mLSTM：门控衰减 D（每行÷最大值）")):
        ax.imshow(M, cmap="Blues")
        ax.set_title(title, fontsize=9)
        ax.set_xlabel("s（被读取的时刻）")
        ax.grid(False)
    axes[0].set_ylabel("t（当前时刻）")
    return fig


FIGURES = {
    "sharp-softmax": sharp_softmax,
    "softmax-saturation": softmax_saturation,
    "masks": masks,
    "positional-encoding": positional_encoding,
    "transformer-block": transformer_block,
    "training-curves": training_curves,
    "attention-maps": attention_maps,
    "embeddings-2d": embeddings_2d,
    "mixing-matrices": mixing_matrices,
}
