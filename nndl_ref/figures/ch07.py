"""第 7 章（网络优化与正则化）的插图。每个函数返回 SVG 文本。"""

from __future__ import annotations

import numpy as np

from ..numpy import init as I
from ..numpy import schedules as S
from ..numpy.optim import quadratic, rosenbrock, trajectory
from ._style import COLORS, plt, svg_figure

CHAPTER = "ch07-optim"

# 优化器轨迹图用的超参数：每个优化器在两个问题上各自取一个"说得过去"的学习率
OPT_STYLE = {
    "SGD": ("sgd", COLORS[0], {"lr": 0.09}, {"lr": 1.5e-3}),
    "动量": ("sgd", COLORS[1], {"lr": 0.02, "momentum": 0.8}, {"lr": 1e-3, "momentum": 0.9}),
    "Nesterov": ("sgd", COLORS[2], {"lr": 0.02, "momentum": 0.8, "nesterov": True},
                 {"lr": 1e-3, "momentum": 0.9, "nesterov": True}),
    "AdaGrad": ("adagrad", COLORS[3], {"lr": 1.0}, {"lr": 0.3}),
    "RMSprop": ("rmsprop", COLORS[4], {"lr": 0.1, "alpha": 0.9}, {"lr": 3e-3, "alpha": 0.9}),
    "AdaDelta": ("adadelta", COLORS[5], {"lr": 20.0}, {"lr": 3.0}),
    "Adam": ("adam", "k", {"lr": 0.3}, {"lr": 0.02}),
}
QUAD_START, QUAD_STEPS = (-4.0, 1.0), 60
ROSEN_START, ROSEN_STEPS = (-1.2, 1.0), 1000


def optimizer_paths(problem: str) -> dict[str, np.ndarray]:
    """``"quadratic"`` 或 ``"rosenbrock"`` 上每个优化器的轨迹（页面的代码片段打印的也是它们）。"""
    out = {}
    for label, (name, _, kq, kr) in OPT_STYLE.items():
        if problem == "quadratic":
            out[label] = trajectory(quadratic, QUAD_START, name, QUAD_STEPS, **kq)
        else:
            out[label] = trajectory(rosenbrock, ROSEN_START, name, ROSEN_STEPS, **kr)
    return out


@svg_figure
def learning_rate():
    """梯度下降在 f(θ) = θ² 上：学习率太小、合适、太大（振荡）、过大（发散），以及损失随步数的变化。"""
    f = lambda t: t * t                                      # noqa: E731
    rates = [(0.05, "太小 α = 0.05"), (0.3, "合适 α = 0.3"), (0.9, "偏大 α = 0.9：来回振荡"),
             (1.05, "太大 α = 1.05：发散")]
    fig, axes = plt.subplots(1, 5, figsize=(13, 2.9))
    grid = np.linspace(-2.2, 2.2, 200)
    for ax, (lr, title), color in zip(axes, rates, COLORS):
        t, path = 2.0, [2.0]
        for _ in range(12):
            t = t - lr * 2 * t                               # θ ← θ − α f'(θ)
            path.append(t)
        path = np.array(path)
        ax.plot(grid, f(grid), color="0.6", lw=1)
        ax.plot(path, f(path), "-o", color=color, ms=3, lw=1)
        ax.set_xlim(-2.3, 2.3)
        ax.set_ylim(-0.3, 5)
        ax.set_title(title, fontsize=9)
        ax.set_xlabel("θ")
        axes[4].semilogy(np.abs(path) ** 2 + 1e-30, "-o", color=color, ms=2, label=f"α = {lr}")
    axes[4].set_title("损失 f(θ_t)", fontsize=9)
    axes[4].set_xlabel("步数 t")
    axes[4].legend(fontsize=7)
    return fig


@svg_figure
def minibatch_noise():
    """线性回归的参数空间：全批量梯度下降沿等高线的法向走；批量越小，路径越抖，但每步便宜得多。"""
    rng = np.random.default_rng(0)
    N = 200
    X = np.c_[rng.standard_normal(N), np.ones(N)]
    w_true = np.array([2.0, -1.0])
    y = X @ w_true + 0.5 * rng.standard_normal(N)
    w_star = np.linalg.lstsq(X, y, rcond=None)[0]
    fig, ax = plt.subplots(figsize=(5.2, 4))
    a, b = np.meshgrid(np.linspace(-1.5, 4, 120), np.linspace(-3.5, 2.5, 120))
    W = np.stack([a.ravel(), b.ravel()], axis=1)
    R = ((X @ W.T - y[:, None]) ** 2).mean(0).reshape(a.shape) / 2
    ax.contour(a, b, R, levels=np.geomspace(R.min() + 0.02, R.max(), 14), colors="0.75", linewidths=0.7)
    for B, color in ((1, COLORS[1]), (10, COLORS[3]), (N, COLORS[0])):
        w = np.array([-1.0, 2.0])
        path = [w.copy()]
        r = np.random.default_rng(1)
        for _ in range(60):
            idx = r.choice(N, B, replace=False)
            g = X[idx].T @ (X[idx] @ w - y[idx]) / B         # 小批量梯度
            w = w - 0.1 * g
            path.append(w.copy())
        path = np.array(path)
        ax.plot(path[:, 0], path[:, 1], "-", color=color, lw=1.2,
                label=f"批量 {B}" + ("（全批量）" if B == N else ""))
    ax.plot(*w_star, "k*", ms=10)
    ax.set_xlabel("w")
    ax.set_ylabel("b")
    ax.legend(fontsize=8, loc="lower right")
    ax.set_title("60 步，α = 0.1", fontsize=9)
    return fig


@svg_figure
def optimizer_trajectories():
    """各优化器在病态二次函数（左）与 Rosenbrock 函数（右）上的轨迹。"""
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.4))
    a, b = np.meshgrid(np.linspace(-4.5, 1.5, 200), np.linspace(-1.6, 1.6, 200))
    Z = 0.5 * (a ** 2 + 20 * b ** 2)
    ax1.contour(a, b, Z, levels=np.geomspace(0.05, 60, 14), colors="0.8", linewidths=0.7)
    for label, path in optimizer_paths("quadratic").items():
        ax1.plot(path[:, 0], path[:, 1], "-", lw=1.1, color=OPT_STYLE[label][1], label=label)
    ax1.plot(0, 0, "k*", ms=9)
    ax1.set_title(f"f = ½(x² + 20y²)，{QUAD_STEPS} 步", fontsize=9)
    ax1.legend(fontsize=7, ncol=2, loc="lower right")
    a, b = np.meshgrid(np.linspace(-1.6, 1.6, 200), np.linspace(-0.6, 1.6, 200))
    Z = (1 - a) ** 2 + 100 * (b - a * a) ** 2
    ax2.contour(a, b, Z, levels=np.geomspace(0.1, 800, 14), colors="0.8", linewidths=0.7)
    for label, path in optimizer_paths("rosenbrock").items():
        path = np.vstack([path[:50], path[50::5], path[-1:]])  # 后面的点很密：每 5 步取一个，图小一些
        ax2.plot(path[:, 0], path[:, 1], "-", lw=1.1, color=OPT_STYLE[label][1], label=label)
    ax2.plot(1, 1, "k*", ms=9)
    ax2.set_title(f"Rosenbrock，{ROSEN_STEPS} 步", fontsize=9)
    for ax in (ax1, ax2):
        ax.set_xlabel("x")
        ax.set_ylabel("y")
    return fig


@svg_figure
def saddle_and_restarts():
    """左：鞍点 f = x² − y² 附近梯度很小，从 y≈0 出发的梯度下降要很久才离开；右：非凸函数上多次随机初始化。"""
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 3.8))
    a, b = np.meshgrid(np.linspace(-2, 2, 150), np.linspace(-2, 2, 150))
    ax1.contour(a, b, a ** 2 - b ** 2, levels=15, colors="0.75", linewidths=0.7)
    for y0, color in ((1e-6, COLORS[1]), (1e-3, COLORS[3]), (0.1, COLORS[0])):
        p = np.array([1.8, y0])
        path = [p.copy()]
        for _ in range(40):
            p = p - 0.1 * np.array([2 * p[0], -2 * p[1]])    # ∇f = (2x, −2y)
            path.append(p.copy())
        path = np.array(path)
        path = path[np.abs(path[:, 1]) < 2]
        ax1.plot(path[:, 0], path[:, 1], "-o", ms=2, lw=1, color=color, label=f"y₀ = {y0:g}")
    ax1.plot(0, 0, "kx", ms=8)
    ax1.set_xlim(-2, 2)
    ax1.set_ylim(-2, 2)
    ax1.set_title("鞍点 f = x² − y²：40 步梯度下降", fontsize=9)
    ax1.legend(fontsize=7, loc="lower left")
    f = lambda x: np.sin(3 * x) + 0.3 * x * x                # noqa: E731
    fp = lambda x: 3 * np.cos(3 * x) + 0.6 * x               # noqa: E731
    x = np.linspace(-3.2, 3.2, 400)
    ax2.plot(x, f(x), color="0.5", lw=1)
    rng = np.random.default_rng(0)
    for x0 in rng.uniform(-3, 3, 10):
        t = x0
        for _ in range(200):
            t -= 0.05 * fp(t)
        ax2.annotate("", xy=(t, f(t)), xytext=(x0, f(x0)),
                     arrowprops=dict(arrowstyle="->", color=COLORS[0], lw=0.8, alpha=0.7))
        ax2.plot(t, f(t), "o", color=COLORS[1], ms=5)
    ax2.set_title("10 个随机起点 → 落入不同的局部极小值（取最好的一个）", fontsize=9)
    ax2.set_xlabel("θ")
    return fig


@svg_figure
def lr_schedules():
    """学习率调度：分段常数、指数、逆时、余弦退火、预热 + 余弦。"""
    T = 60
    t = np.arange(T + 1)
    fig, ax = plt.subplots(figsize=(7, 3.2))
    curves = [("分段常数 step_size=20, γ=0.3", lambda k: S.step_lr(k, 1.0, 20, 0.3)),
              ("指数 γ=0.95", lambda k: S.exponential_lr(k, 1.0, 0.95)),
              ("逆时 β=0.1", lambda k: S.inverse_time_lr(k, 1.0, 0.1)),
              ("余弦退火 T=60", lambda k: S.cosine_lr(k, 1.0, T)),
              ("预热 10 + 余弦", lambda k: S.warmup_cosine_lr(k, 1.0, 10, T, start_factor=0.05))]
    for (label, fn), color in zip(curves, COLORS):
        ax.plot(t, [fn(int(k)) for k in t], color=color, lw=1.5, label=label)
    ax.set_xlabel("epoch t")
    ax.set_ylabel("α_t / α_0")
    ax.legend(fontsize=8)
    return fig


@svg_figure
def init_activations():
    """12 层、每层 256 个神经元：各层激活值的标准差（对数坐标）。左 Tanh，右 ReLU。"""
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 3.6))
    layers = np.arange(1, 13)
    for ax, act, inits in ((ax1, "tanh", [("small", "N(0, 0.01²)"), ("large", "N(0, 1)"), ("xavier", "Xavier（×5/3）")]),
                           (ax2, "relu", [("small", "N(0, 0.01²)"), ("xavier", "Xavier"), ("he", "He")])):
        for (init, label), color in zip(inits, COLORS):
            ax.semilogy(layers, I.activation_stats(init, act), "-o", ms=3, color=color, label=label)
        ax.set_title(f"{'Tanh' if act == 'tanh' else 'ReLU'}：各层激活值的标准差", fontsize=9)
        ax.set_xlabel("层 l")
        ax.set_ylim(1e-12, 5)
        ax.legend(fontsize=8, loc="lower left")
    return fig


@svg_figure
def norm_axes():
    """批量归一化与层归一化分别在哪些元素上求均值和方差（同一种颜色的格子为一组）。"""
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.4))
    N, D = 6, 8
    for ax, kind in zip(axes, ("batch", "layer")):
        for n in range(N):
            for d in range(D):
                group = d if kind == "batch" else n
                color = plt.cm.tab10(group % 10)
                ax.add_patch(plt.Rectangle((d, N - 1 - n), 0.92, 0.92, color=color,
                                           alpha=0.85 if group in (2,) else 0.25))
        ax.set_xlim(-0.2, D + 0.1)
        ax.set_ylim(-0.2, N + 0.1)
        ax.set_aspect("equal")
        ax.set_xticks([])
        ax.set_yticks([])
        ax.grid(False)
        for s in ax.spines.values():
            s.set_visible(False)
        ax.set_xlabel("特征 d = 1 … D（卷积时为通道 c）")
        ax.set_ylabel("样本 n = 1 … N")
        if kind == "batch":
            ax.set_title("批量归一化：每一列（一个特征，跨 N 个样本）\n求 μ_B、σ²_B；测试时改用滑动平均", fontsize=9)
        else:
            ax.set_title("层归一化：每一行（一个样本，跨 D 个特征）\n求 μ、σ²；训练与测试相同", fontsize=9)
    return fig


def overfitting_runs():
    """页面"过拟合与对策"一节的实验：返回 ``{名字: TrainHistory}``（与代码片段完全相同的设置）。"""
    import torch

    from .. import data
    from ..torch.regularization import mlp
    from ..torch.trainer import TrainConfig, train

    d = data.load_digits(standardize=True)
    X, y = d.X_train[:100], d.y_train[:100]                 # 只用 100 个训练样本
    Xv, yv = d.X_train[500:], d.y_train[500:]               # 验证集
    base = dict(epochs=150, batch_size=25, lr=2e-3, optimizer="adam", threads=1)
    runs = {"不加正则": ({}, {}), "L2（λ = 0.01）": ({}, {"optimizer_kw": {"weight_decay": 1e-2}}),
            "Dropout（p = 0.5）": ({"dropout": 0.5}, {}), "提前停止（patience = 10）": ({}, {"patience": 10})}
    out = {}
    for name, (mkw, ckw) in runs.items():
        torch.manual_seed(0)
        model = mlp([64, 256, 256, 10], **mkw).double()   # 与代码片段一样用 float64
        out[name] = train(model, X, y, Xv, yv, config=TrainConfig(**base, **ckw))
    return out


@svg_figure
def overfitting():
    """100 个手写数字样本上的 64-256-256-10 网络：训练 / 验证损失（左）与验证准确率（右）。"""
    runs = overfitting_runs()
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 3.8))
    for (name, h), color in zip(runs.items(), COLORS):
        ep = np.arange(1, h.epochs + 1)
        ax1.semilogy(ep, h.loss, "--", color=color, lw=1)
        ax1.semilogy(ep, h.val_loss, "-", color=color, lw=1.5, label=name)
        ax2.plot(ep, h.val_acc, "-", color=color, lw=1.5, label=name)
        if h.best_epoch:
            ax1.plot(h.best_epoch, h.val_loss[h.best_epoch - 1], "o", color=color, ms=4)
    ax1.set_title("损失（虚线：训练集；实线：验证集；圆点：验证损失最低处）", fontsize=9)
    ax1.set_xlabel("epoch")
    ax1.legend(fontsize=7)
    ax2.set_title("验证准确率", fontsize=9)
    ax2.set_xlabel("epoch")
    ax2.set_ylim(0.8, 0.96)
    return fig


FIGURES = {
    "learning-rate": learning_rate,
    "minibatch-noise": minibatch_noise,
    "optimizer-trajectories": optimizer_trajectories,
    "saddle-restarts": saddle_and_restarts,
    "lr-schedules": lr_schedules,
    "init-activations": init_activations,
    "norm-axes": norm_axes,
    "overfitting": overfitting,
}
