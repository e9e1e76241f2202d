"""第 3 章（线性模型）的插图。每个函数返回 SVG 文本。"""

from __future__ import annotations

import numpy as np

from .. import data
from ..numpy import linear, losses
from ..numpy import train as np_train
from ._style import COLORS, plt, svg_figure

CHAPTER = "ch03-linear"


def _grid(X, pad=0.8, n=200):
    x0, x1 = X[:, 0].min() - pad, X[:, 0].max() + pad
    y0, y1 = X[:, 1].min() - pad, X[:, 1].max() + pad
    xx, yy = np.meshgrid(np.linspace(x0, x1, n), np.linspace(y0, y1, n))
    return xx, yy, np.c_[xx.ravel(), yy.ravel()]


def _scatter(ax, X, y, labels=None):
    for k, c in enumerate(np.unique(y)):
        m = y == c
        ax.scatter(X[m, 0], X[m, 1], s=14, color=COLORS[k], edgecolor="white", linewidth=0.4,
                   label=None if labels is None else labels[k], zorder=3)


@svg_figure
def perceptron():
    """左：感知器在线性可分数据上学到的决策边界；右：每轮的误分类次数（可分 vs XOR）。"""
    X, y = data.make_separable(n=100, margin=0.5, seed=0)
    clf = linear.Perceptron(seed=0).fit(X, y)
    Xx, yx = data.make_xor(n=200, seed=0, labels="pm1")
    clf_xor = linear.Perceptron(seed=0, max_epochs=30).fit(Xx, yx)

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.6))
    xx, yy, G = _grid(X)
    ax1.contourf(xx, yy, clf.decision_function(G).reshape(xx.shape) >= 0, levels=[-0.5, 0.5, 1.5],
                 colors=[COLORS[0], COLORS[1]], alpha=0.12)
    xs = np.linspace(xx.min(), xx.max(), 2)
    ax1.plot(xs, -(clf.w[0] * xs + clf.b) / clf.w[1], color="k", lw=1.5, label=r"$w^\top x + b = 0$")
    _scatter(ax1, X, y, ["y = -1", "y = +1"])
    ax1.set_xlim(xx.min(), xx.max())
    ax1.set_ylim(yy.min(), yy.max())
    ax1.set_title(f"线性可分：{clf.n_updates_} 次更新后收敛")
    ax1.legend(loc="lower right", fontsize=8)
    ax1.set_xlabel("$x_1$")
    ax1.set_ylabel("$x_2$")

    ax2.plot(np.arange(1, len(clf.mistakes_) + 1), clf.mistakes_, "o-", color=COLORS[0], label="线性可分（收敛）")
    ax2.plot(np.arange(1, len(clf_xor.mistakes_) + 1), clf_xor.mistakes_, "s-", color=COLORS[1], ms=3,
             label="XOR（永不收敛）")
    ax2.set_xlabel("epoch")
    ax2.set_ylabel("本轮误分类（更新）次数")
    ax2.set_title("感知器每轮的更新次数")
    ax2.legend(fontsize=8)
    return fig


@svg_figure
def decision_regions():
    """左：Logistic 回归的 $p(y=1|x)$ 等高线；右：Softmax 回归在三类数据上的决策区域。"""
    X2, y2 = data.make_blobs(n_per_class=60, n_classes=2, std=0.9, seed=1)
    logit = linear.LogisticRegression(2)
    np_train.fit(logit, X2, y2, epochs=100, lr=0.5, batch_size=len(X2))
    X3, y3 = data.make_blobs(n_per_class=60, n_classes=3, std=0.7, seed=2)
    soft = linear.SoftmaxRegression(2, 3)
    np_train.fit(soft, X3, y3, epochs=200, lr=0.5, batch_size=len(X3))

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.8))
    xx, yy, G = _grid(X2)
    P = logit.predict_proba(G).reshape(xx.shape)
    cs = ax1.contourf(xx, yy, P, levels=np.linspace(0, 1, 11), cmap="RdBu_r", alpha=0.35)
    ax1.contour(xx, yy, P, levels=[0.5], colors="k", linewidths=1.5)
    _scatter(ax1, X2, y2, ["y = 0", "y = 1"])
    fig.colorbar(cs, ax=ax1, label=r"$\sigma(w^\top x + b)$")
    ax1.set_title("Logistic 回归：概率等高线，黑线为 p = 0.5")
    ax1.legend(loc="lower left", fontsize=8)

    xx, yy, G = _grid(X3)
    pred = soft.predict(G).reshape(xx.shape)
    ax2.contourf(xx, yy, pred, levels=[-0.5, 0.5, 1.5, 2.5], colors=COLORS[:3], alpha=0.15)
    ax2.contour(xx, yy, pred, levels=[0.5, 1.5], colors="k", linewidths=1.0)
    _scatter(ax2, X3, y3, ["c = 0", "c = 1", "c = 2"])
    ax2.set_title("Softmax 回归：三类的线性决策区域")
    ax2.legend(loc="lower left", fontsize=8)
    for ax in (ax1, ax2):
        ax.set_xlabel("$x_1$")
        ax.set_ylabel("$x_2$")
    return fig


def ce_vs_mse_curves(p):
    """对真实标签 y=1、预测概率 p=σ(z)，返回 (交叉熵, 平方误差, 两者对 logit z 的梯度) 四条曲线。

    - 交叉熵 $-\\log p$，对 z 的梯度 $p-1$；
    - 平方误差 $\\frac12 (p-1)^2$，对 z 的梯度 $(p-1)\\,p\\,(1-p)$。
    """
    p = np.asarray(p, dtype=np.float64)
    ce = -np.log(p)
    sq = 0.5 * (p - 1.0) ** 2
    return ce, sq, p - 1.0, (p - 1.0) * p * (1.0 - p)


@svg_figure
def ce_vs_mse():
    """交叉熵与平方误差：左为损失，右为对 logit 的梯度大小，横轴为真实类的预测概率。"""
    p = np.linspace(1e-3, 1 - 1e-3, 400)
    ce, sq, gce, gsq = ce_vs_mse_curves(p)
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.4))
    ax1.plot(p, ce, color=COLORS[0], label="交叉熵 −log p")
    ax1.plot(p, sq, color=COLORS[1], label="平方误差 ½(1−p)²")
    ax1.set_ylim(0, 5)
    ax1.set_xlabel("真实类的预测概率 p")
    ax1.set_ylabel("损失")
    ax1.set_title("损失（真实标签 y = 1）")
    ax1.legend(fontsize=8)
    ax2.plot(p, np.abs(gce), color=COLORS[0], label="交叉熵 |p − 1|")
    ax2.plot(p, np.abs(gsq), color=COLORS[1], label="平方误差 |(p − 1)·p·(1 − p)|")
    ax2.axvspan(0, 0.1, color="0.85", zorder=0)
    ax2.annotate("错得越离谱，平方误差的\n梯度反而越小（饱和）", xy=(0.05, 0.05), xytext=(0.25, 0.55),
                 arrowprops={"arrowstyle": "->"}, fontsize=8)
    ax2.set_xlabel("真实类的预测概率 p")
    ax2.set_ylabel(r"$|\partial \ell / \partial z|$")
    ax2.set_title("对 logit z 的梯度大小")
    ax2.legend(fontsize=8, loc="upper right")
    return fig


@svg_figure
def surrogate_losses():
    """以间隔 $m = y f(x)$ 为横轴，比较 0-1 损失与它的几个凸替代。"""
    m = np.linspace(-2.5, 2.5, 501)
    fig, ax = plt.subplots(figsize=(6, 3.6))
    ax.plot(m, (m <= 0).astype(float), color="k", lw=1.5, label="0-1 损失")
    ax.plot(m, np.maximum(0, -m), color=COLORS[2], label="感知器 max(0, −m)")
    ax.plot(m, np.maximum(0, 1 - m), color=COLORS[1], label="铰链 max(0, 1 − m)")
    ax.plot(m, losses.softplus(-m) / np.log(2), color=COLORS[0],
            label="交叉熵 log₂(1 + e⁻ᵐ)")
    ax.plot(m, 0.5 * (1 - m) ** 2, color=COLORS[3], ls="--", label="平方 ½(1 − m)²")
    ax.set_ylim(-0.1, 4)
    ax.set_xlabel("间隔 m = y·f(x)，y ∈ {−1, +1}")
    ax.set_ylabel("损失")
    ax.set_title("二分类损失函数对比")
    ax.legend(fontsize=8)
    return fig


@svg_figure
def softmax_digits_curve():
    """Softmax 回归在手写数字上的训练曲线（NumPy 从零实现）。"""
    d = data.load_digits(standardize=True)
    model = linear.SoftmaxRegression(64, 10, weight_decay=1e-3)
    hist = np_train.fit(model, d.X_train, d.y_train, epochs=30, lr=0.1, batch_size=32,
                        X_val=d.X_test, y_val=d.y_test)
    ep = np.arange(1, hist.epochs + 1)
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.2))
    ax1.plot(ep, hist.loss, color=COLORS[0], label="训练集")
    ax1.plot(ep, hist.val_loss, color=COLORS[1], label="测试集")
    ax1.set_xlabel("epoch")
    ax1.set_ylabel("交叉熵")
    ax1.legend(fontsize=8)
    ax2.plot(ep, hist.acc, color=COLORS[0], label="训练集")
    ax2.plot(ep, hist.val_acc, color=COLORS[1], label="测试集")
    ax2.axhline(0.95, color="0.5", ls=":", lw=1)
    ax2.set_xlabel("epoch")
    ax2.set_ylabel("准确率")
    ax2.legend(fontsize=8)
    return fig


FIGURES = {
    "perceptron": perceptron,
    "decision-regions": decision_regions,
    "ce-vs-mse": ce_vs_mse,
    "surrogate-losses": surrogate_losses,
    "softmax-digits-curve": softmax_digits_curve,
}
