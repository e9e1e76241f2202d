"""第 1 章（绪论）的插图：概念关系图与两种机器学习流程。每个函数返回 SVG 文本。"""

from __future__ import annotations

from matplotlib.patches import Ellipse, FancyArrowPatch, FancyBboxPatch

from ._style import COLORS, plt, svg_figure

CHAPTER = "ch01-intro"


@svg_figure
def relations():
    """人工智能 ⊃ 机器学习 ⊃ 表示学习 ⊃ 深度学习；神经网络与它们部分重叠，并举出各区域的例子。"""
    fig, ax = plt.subplots(figsize=(9, 5.2))
    regions = [  # (中心, 宽, 高, 颜色, 标签, 标签位置)
        ((5.0, 3.0), 9.6, 5.8, "#dfe7f3", "人工智能", (1.35, 5.45)),
        ((5.4, 2.75), 7.6, 4.7, "#c7d6ee", "机器学习", (2.5, 4.75)),
        ((6.0, 2.5), 5.4, 3.5, "#a9c1e6", "表示学习", (4.35, 4.0)),
        ((6.7, 2.35), 3.8, 2.5, "#86a8dc", "深度学习", (6.5, 3.25)),
    ]
    for (cx, cy), w, h, color, label, (lx, ly) in regions:
        ax.add_patch(Ellipse((cx, cy), w, h, fc=color, ec="#3b5b92", lw=1.2, zorder=1))
        ax.text(lx, ly, label, fontsize=12, weight="bold", color="#1d3561", ha="center", zorder=5)
    # 神经网络：覆盖深度学习的大部分，伸出到机器学习之外（不学习的神经元模型）
    ax.add_patch(Ellipse((4.6, 1.5), 7.2, 2.0, fc=COLORS[3], alpha=0.28, ec=COLORS[3], lw=2, zorder=3))
    ax.text(1.85, 1.7, "神经网络", fontsize=12, weight="bold", color="#a04d00", ha="center", zorder=5)
    notes = [
        ((2.25, 3.85), "决策树、SVM\n（人工特征 + 浅层模型）"),
        ((4.15, 2.75), "PCA、稀疏编码\n（浅层表示学习）"),
        ((7.55, 2.75), "深度森林\n（深，非神经网络）"),
        ((6.35, 1.75), "深层 CNN / RNN /\nTransformer"),
        ((3.3, 1.2), "感知器、单隐藏层网络\n（神经网络，但不深）"),
        ((1.85, 1.12), "M-P 神经元\n（不学习）"),
        ((5.0, 5.45), "符号推理、搜索、规划（不从数据学习）"),
    ]
    for (x, y), text in notes:
        ax.text(x, y, text, fontsize=8, ha="center", va="center", color="#222", zorder=6)
    ax.set_xlim(0, 10)
    ax.set_ylim(-0.05, 6.0)
    ax.set_aspect("equal")
    ax.axis("off")
    return fig


def _box(ax, x, y, text, color, w=1.35, h=0.62):
    ax.add_patch(FancyBboxPatch((x - w / 2, y - h / 2), w, h, boxstyle="round,pad=0.04,rounding_size=0.08",
                                fc=color, ec="#333", lw=0.9, zorder=2))
    ax.text(x, y, text, ha="center", va="center", fontsize=9, zorder=3)


def _arrow(ax, x0, x1, y, **kw):
    ax.add_patch(FancyArrowPatch((x0, y), (x1, y), arrowstyle="-|>", mutation_scale=11, color="#333", lw=1,
                                 zorder=1, **kw))


def _brace(ax, x0, x1, y, text, color, above=True):
    dy = 0.12 if above else -0.12
    ax.plot([x0, x0, x1, x1], [y, y + dy, y + dy, y], color=color, lw=1.3)
    ax.text((x0 + x1) / 2, y + dy * 2.6, text, ha="center", va="center", fontsize=9, color=color)


@svg_figure
def pipeline():
    """上：传统机器学习的流程（特征靠人工设计）；下：深度学习的端到端流程与贡献度分配。"""
    fig, ax = plt.subplots(figsize=(10, 4.2))
    xs = [0.8, 2.45, 4.1, 5.75, 7.4, 9.05]
    y1, y2 = 3.0, 0.95
    grey, orange, blue = "#eeeeee", "#fde0c2", "#cfe0f5"
    top = ["原始数据", "数据预处理", "特征提取", "特征转换", "预测\n（浅层模型）", "结果"]
    colors = [grey, grey, orange, orange, blue, grey]
    for x, t, c in zip(xs, top, colors):
        _box(ax, x, y1, t, c)
    for a, b in zip(xs[:-1], xs[1:]):
        _arrow(ax, a + 0.7, b - 0.7, y1)
    _brace(ax, xs[2] - 0.68, xs[3] + 0.68, y1 + 0.36, "特征工程：人工设计，不随学习改变", "#b35900")
    _brace(ax, xs[4] - 0.68, xs[4] + 0.68, y1 + 0.36, "只有这一步在学习", "#1f4e9c")
    ax.text(-0.15, y1, "传统机器学习", rotation=90, ha="center", va="center", fontsize=10, weight="bold")

    bottom = ["原始数据", "预处理\n（归一化等）", "底层特征", "中层特征", "高层特征", "预测"]
    colors = [grey, grey, blue, blue, blue, blue]
    for x, t, c in zip(xs, bottom, colors):
        _box(ax, x, y2, t, c)
    for a, b in zip(xs[:-1], xs[1:]):
        _arrow(ax, a + 0.7, b - 0.7, y2)
    _brace(ax, xs[2] - 0.68, xs[5] + 0.68, y2 + 0.36, "表示学习 + 预测：所有层的参数一起学（端到端）", "#1f4e9c")
    ax.add_patch(FancyArrowPatch((xs[5], y2 - 0.36), (xs[2], y2 - 0.36), connectionstyle="arc3,rad=-0.25",
                                 arrowstyle="-|>", mutation_scale=11, color=COLORS[1], lw=1.2, ls="--"))
    ax.text((xs[2] + xs[5]) / 2, y2 - 1.4, "误差信号逐层传回：每个参数该为输出的错误负多少责任？（贡献度分配）",
            ha="center", fontsize=9, color=COLORS[1])
    ax.text(-0.15, y2, "深度学习", rotation=90, ha="center", va="center", fontsize=10, weight="bold")
    ax.set_xlim(-0.4, 9.9)
    ax.set_ylim(-0.65, 3.95)
    ax.axis("off")
    return fig


EVENTS = [  # (年份, 事件, 标签的纵向位置：正数在时间轴上方，负数在下方)
    (1943, "M-P 神经元", 0.5),
    (1949, "Hebb 学习规则", -0.5),
    (1958, "感知器", 0.5),
    (1969, "《感知器》指出\n单层网络的局限", -0.5),
    (1982, "Hopfield 网络", 0.5),
    (1986, "反向传播训练\n多层网络", -0.5),
    (1989, "卷积网络 LeNet", 1.05),
    (1997, "LSTM", -0.5),
    (2006, "深度信念网络\n逐层预训练", 0.5),
    (2012, "AlexNet", -0.5),
    (2015, "ResNet", 0.5),
    (2017, "Transformer", -1.05),
]
"""正文 1.5 节提到的神经网络发展史上的节点。"""


@svg_figure
def timeline():
    """神经网络发展的时间线；两段低谷期（约 1969–1982、1995–2006）用灰色标出。"""
    fig, ax = plt.subplots(figsize=(10, 3.4))
    ax.axhline(0, color="#333", lw=1.2, zorder=1)
    for lo, hi in ((1969, 1982), (1995, 2006)):
        ax.axvspan(lo, hi, ymin=0.4, ymax=0.6, color="#dddddd", zorder=0)
        ax.text((lo + hi) / 2, 0.0, "低谷期", ha="center", va="center", fontsize=8, color="#666", zorder=2,
                bbox=dict(fc="#dddddd", ec="none", pad=1))
    for year, text, y in EVENTS:
        ax.plot([year, year], [0, y - 0.08 * (1 if y > 0 else -1)], color=COLORS[0], lw=0.8, zorder=1)
        ax.plot(year, 0, "o", color=COLORS[0], ms=5, zorder=3)
        ax.text(year, y, f"{year}\n{text}", ha="center", va="bottom" if y > 0 else "top", fontsize=8)
    ax.set_xlim(1938, 2022)
    ax.set_ylim(-1.7, 1.7)
    ax.axis("off")
    return fig


FIGURES = {"relations": relations, "pipeline": pipeline, "timeline": timeline}
