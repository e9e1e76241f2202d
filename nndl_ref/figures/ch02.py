"""第 2 章（机器学习概述）的插图。每个函数返回 SVG 文本。"""

from __future__ import annotations

import numpy as np

from .. import data, metrics
from ..model_selection import bias_variance_decomposition
from ..numpy.linear import SoftmaxRegression
from ..numpy.optim import SGD, fit_full_batch
from ..numpy.regression import (LinearRegression, fit_polynomial, make_sine, mse, normal_equation,
                                polynomial_features)
from ..numpy.train import fit
from ._style import COLORS, plt, svg_figure

CHAPTER = "ch02-ml"


@svg_figure
def linreg():
    """左：数据与学到的直线（正规方程与梯度下降重合）；右：梯度下降的经验风险（对数坐标）。"""
    rng = np.random.default_rng(0)
    X = rng.uniform(0.0, 2.0, size=(50, 1))
    y = 2.0 * X[:, 0] - 1.0 + 0.3 * rng.standard_normal(50)
    w, b = normal_equation(X, y)
    model = LinearRegression(1)
    losses = fit_full_batch(model, X, y, SGD(model.params(), lr=0.5), steps=300)
    best = LinearRegression(1).fit_normal_equation(X, y).loss_and_grads(X, y)[0]

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.4))
    xs = np.linspace(0, 2, 2)
    ax1.scatter(X[:, 0], y, s=14, color=COLORS[0], edgecolor="white", linewidth=0.4, label="训练样本", zorder=3)
    ax1.plot(xs, 2 * xs - 1, "--", color="gray", label="真实规律 y = 2x − 1")
    ax1.plot(xs, w[0] * xs + b, color=COLORS[1], lw=2, label=f"正规方程 y = {w[0]:.3f}x {b:+.3f}")
    ax1.plot(xs, model.w[0] * xs + model.b[0], ":", color="k", lw=1.5, label="梯度下降（300 步）")
    ax1.set_xlabel("x")
    ax1.set_ylabel("y")
    ax1.set_title("模型：f(x) = wx + b")
    ax1.legend(fontsize=8)
    ax2.semilogy(np.arange(1, len(losses) + 1), np.array(losses) - best + 1e-16, color=COLORS[0])
    ax2.set_xlabel("梯度下降步数")
    ax2.set_ylabel("R(w, b) − R(w*, b*)")
    ax2.set_title(f"经验风险与最优值之差（最优值 {best:.4f}）")
    return fig


@svg_figure
def polyfit():
    """左：1、3、9 次多项式拟合 10 个点；右：训练误差与测试误差随次数的变化。"""
    x, y = make_sine(10, noise_std=0.2, seed=0)
    x_test, y_test = make_sine(200, noise_std=0.2, seed=1)
    grid = np.linspace(0, 1, 300)
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.5))
    ax1.plot(grid, np.sin(2 * np.pi * grid), "--", color="gray", label="真实函数 sin 2πx")
    for k, M in enumerate((1, 3, 9)):
        model = fit_polynomial(x, y, M)
        ax1.plot(grid, model.predict(polynomial_features(grid, M)), color=COLORS[k + 1], label=f"M = {M}")
    ax1.scatter(x, y, s=22, color=COLORS[0], zorder=3, label="训练样本（10 个）")
    ax1.set_ylim(-1.8, 1.8)
    ax1.set_xlabel("x")
    ax1.set_ylabel("y")
    ax1.set_title("欠拟合（M = 1）与过拟合（M = 9）")
    ax1.legend(fontsize=7, loc="lower left")
    degrees = np.arange(1, 10)
    tr, te = [], []
    for M in degrees:
        model = fit_polynomial(x, y, int(M))
        tr.append(mse(model.predict(polynomial_features(x, int(M))), y))
        te.append(mse(model.predict(polynomial_features(x_test, int(M))), y_test))
    ax2.semilogy(degrees, np.maximum(tr, 1e-8), "o-", color=COLORS[0], label="训练误差")
    ax2.semilogy(degrees, te, "s-", color=COLORS[1], label="测试误差")
    ax2.axhline(0.04, color="gray", ls=":", label="噪声方差 σ² = 0.04")
    ax2.set_xlabel("多项式次数 M")
    ax2.set_ylabel("均方误差（对数坐标）")
    ax2.set_title("训练误差一路下降，测试误差先降后升")
    ax2.legend(fontsize=8)
    return fig


def bias_variance_curves(lams=None, n_datasets: int = 200):
    """9 次多项式岭回归在一组 $\\lambda$ 上的偏差²、方差、噪声与实测误差（页面的表与图共用）。"""
    lams = np.logspace(-9, 0, 10) if lams is None else np.asarray(lams, dtype=np.float64)

    def f(x):
        return np.sin(2 * np.pi * x)

    x_test = np.linspace(0.05, 0.95, 50)
    rows = []
    for lam in lams:
        def fit_predict(x, y, xq, lam=float(lam)):
            return fit_polynomial(x, y, 9, lam).predict(polynomial_features(xq, 9))
        rows.append(bias_variance_decomposition(fit_predict, f, x_test, n_train=15, noise_std=0.2,
                                                n_datasets=n_datasets, seed=0))
    return lams, rows


@svg_figure
def bias_variance():
    """偏差²随 λ 增大，方差随 λ 减小；两者加噪声等于实测的期望误差。"""
    lams, rows = bias_variance_curves()
    fig, ax = plt.subplots(figsize=(6.4, 3.6))
    ax.loglog(lams, [r.bias2 for r in rows], "o-", color=COLORS[0], label="偏差²")
    ax.loglog(lams, [r.variance for r in rows], "s-", color=COLORS[1], label="方差")
    ax.loglog(lams, [r.total for r in rows], "-", color="k", lw=2, label="偏差² + 方差 + 噪声")
    ax.loglog(lams, [r.error for r in rows], "x", color=COLORS[3], ms=8, label="实测期望误差")
    ax.axhline(0.04, color="gray", ls=":", label="噪声 σ² = 0.04")
    ax.set_xlabel("正则化系数 λ")
    ax.set_ylabel("误差")
    ax.set_title("9 次多项式岭回归，15 个训练点，200 个训练集")
    ax.legend(fontsize=8)
    return fig


@svg_figure
def confusion():
    """手写数字上 Softmax 回归的混淆矩阵（行 = 真实类别，列 = 预测类别）。"""
    d = data.load_digits(standardize=True)
    model = SoftmaxRegression(64, 10, weight_decay=1e-3)
    fit(model, d.X_train, d.y_train, epochs=30, lr=0.1, batch_size=32, seed=0)
    M = metrics.confusion_matrix(d.y_test, model.predict(d.X_test), num_classes=10)
    fig, ax = plt.subplots(figsize=(4.8, 4.2))
    ax.imshow(np.log1p(M), cmap="Blues")
    for i in range(10):
        for j in range(10):
            if M[i, j]:
                ax.text(j, i, str(M[i, j]), ha="center", va="center", fontsize=7,
                        color="white" if M[i, j] > 20 else "black")
    ax.set_xticks(range(10))
    ax.set_yticks(range(10))
    ax.set_xlabel("预测类别")
    ax.set_ylabel("真实类别")
    ax.grid(False)
    ax.set_title("混淆矩阵（测试集 450 张）")
    return fig


FIGURES = {"linreg": linreg, "polyfit": polyfit, "bias-variance": bias_variance, "confusion": confusion}
