r"""优化器（NumPy 从零实现）：SGD、动量、Nesterov、AdaGrad、RMSprop、AdaDelta、Adam、AdamW。

对应书中第 7.2 节（优化算法）：7.2.3 学习率调整（AdaGrad、RMSprop、AdaDelta）、7.2.4 梯度估计
修正（动量法、Nesterov 加速梯度、Adam），以及 7.7.2 权重衰减（AdamW）。站点页面：第 7 章
``ch07-optim``；第 4 章也用 ``SGD``、``Adam`` 与 ``fit_full_batch`` 训练小网络。

优化器持有参数字典（与模型的 ``params()`` 是同一批数组），``step(grads)`` 原地更新；学习率放在
属性 ``lr`` 上，学习率调度器（``nndl_ref.numpy.schedules``）每个 epoch 改写它。

每个类逐行照 ``torch.optim`` 中同名优化器的单参数循环写成，float64 下 100 步与 torch 的相对误差
在 $10^{-10}$ 以内（``tests/test_ch07_optim.py``）。书中公式与 torch 的写法有三处不同，类的文档
字符串里分别写明：

1. **动量法**：书中 $\Delta\theta_t = \rho\,\Delta\theta_{t-1} - \alpha\,g_t$，torch 中
   $v_t = \rho v_{t-1} + g_t,\ \theta_t = \theta_{t-1} - \alpha v_t$。学习率不变时两者完全相同
   （$\Delta\theta_t = -\alpha v_t$）；学习率变化时，书中的速度里存的是旧学习率乘过的步长。
2. **Nesterov**：书中在"前瞻点" $\theta_{t-1}+\rho\Delta\theta_{t-1}$ 处求梯度；torch 把前瞻点本身当作
   参数保存，两条轨迹相差一个变量替换 $\phi_t = \theta_t + \rho\Delta\theta_t$。
3. **$\epsilon$ 的位置**：书中 AdaGrad、RMSprop、Adam 都写 $\alpha/\sqrt{G_t+\epsilon}$（$\epsilon$ 在
   根号里），torch 写 $\alpha/(\sqrt{G_t}+\epsilon)$（在根号外）。这里默认与 torch 相同，
   ``eps_in_sqrt=True`` 时按书中的写法。AdaDelta 两边都在根号里，没有区别。
"""

from __future__ import annotations

import numpy as np

from .._validate import (as_float_array, check_array_dict, check_bool, check_grads, check_nonneg, check_positive,
                         check_real, check_shape)


def _rate(value, name: str) -> float:
    """衰减率 / 动量系数：[0, 1) 内的实数。"""
    return float(check_real(value, name, 0, 1, high_open=True))


def _nonneg(value, name: str) -> float:
    return float(check_nonneg(value, name))


class Optimizer:
    """优化器基类：``params`` 是 ``{名字: 数组}``，``step(grads)`` 用同名梯度原地更新。

    ``state_dict()`` / ``load_state_dict()`` 保存和恢复内部状态（动量、二阶矩、步数、学习率），
    断点续训时用。
    """

    def __init__(self, params: dict, lr: float):
        self.params = check_array_dict(params, "params（通常是 model.params()）")
        self.lr = check_positive(lr, "lr")
        self.t = 0

    def _check(self, grads: dict) -> dict:
        """先检查全部梯度（键、形状、有限实数）与学习率，再由 ``step`` 改动参数和状态。"""
        check_nonneg(self.lr, "lr")                     # 调度器或用户可能改写过 lr（余弦退火的终点是 0）
        return check_grads(self.params, grads)

    def _zeros(self) -> dict:
        return {k: np.zeros_like(p) for k, p in self.params.items()}

    def step(self, grads: dict) -> None:  # pragma: no cover - 抽象方法
        raise NotImplementedError

    def state_dict(self) -> dict:
        """内部状态的深拷贝：所有数组状态（字典形式）、步数 ``t`` 与学习率 ``lr``。"""
        out = {"t": self.t, "lr": self.lr}
        for name, value in vars(self).items():
            if isinstance(value, dict) and name != "params":
                out[name] = {k: v.copy() for k, v in value.items()}
        return out

    def load_state_dict(self, state: dict) -> None:
        """恢复 ``state_dict()`` 保存的状态（先检查全部内容，再一起写入）。"""
        current = self.state_dict()
        if not isinstance(state, dict) or set(state) != set(current):
            raise ValueError(f"state 应为本优化器 state_dict() 的结果，键为 {sorted(current)}；"
                             f"实际为 {sorted(state) if isinstance(state, dict) else type(state).__name__}")
        check_nonneg(state["t"], "state['t']", integer=True)
        check_positive(state["lr"], "state['lr']")
        state = {name: check_grads(self.params, value, f"state[{name!r}]", what="状态")
                 if isinstance(current[name], dict) else value for name, value in state.items()}
        for name, value in state.items():
            setattr(self, name, {k: v.copy() for k, v in value.items()} if isinstance(value, dict) else value)


class SGD(Optimizer):
    r"""（动量 / Nesterov）随机梯度下降，与 ``torch.optim.SGD`` 逐步相同。书中第 7.2.4 节；站点第 7 章。

    $$g_t \leftarrow g_t + \lambda\theta_{t-1},\qquad v_t = \rho\,v_{t-1} + g_t,\qquad
      \theta_t = \theta_{t-1} - \alpha\,\big(g_t + \rho\,v_t\ \text{（Nesterov）或}\ v_t\big)$$

    $\rho=0$ 时就是普通 SGD；$\lambda$（``weight_decay``）是加在梯度上的 L2 正则（与损失加
    $\frac{\lambda}{2}\lVert\theta\rVert^2$ 等价）。书中动量法写成
    $\Delta\theta_t = \rho\Delta\theta_{t-1} - \alpha g_t$，学习率不变时与这里相同；
    Nesterov 的书中形式在前瞻点求梯度，torch 保存的参数就是前瞻点，见模块说明。

    Examples
    --------
    >>> w = np.array([1.0, -2.0])
    >>> opt = SGD({"w": w}, lr=0.1, momentum=0.9)
    >>> opt.step({"w": 2 * w}); opt.step({"w": 2 * w})    # f(w) = ‖w‖²
    >>> np.round(w, 4)
    array([ 0.46, -0.92])
    """

    def __init__(self, params: dict, lr: float = 0.1, momentum: float = 0.0, *, nesterov: bool = False,
                 weight_decay: float = 0.0):
        super().__init__(params, lr)
        self.momentum = _rate(momentum, "momentum")
        if check_bool(nesterov, "nesterov") and momentum == 0:
            raise ValueError("nesterov=True 需要 momentum > 0")
        self.nesterov = bool(nesterov)
        self.weight_decay = _nonneg(weight_decay, "weight_decay")
        self.v = self._zeros()

    def step(self, grads: dict) -> None:
        grads = self._check(grads)
        self.t += 1
        for k, p in self.params.items():
            g = grads[k] + self.weight_decay * p if self.weight_decay else grads[k]
            if self.momentum:
                self.v[k] = self.momentum * self.v[k] + g          # v ← ρ v + g
                g = g + self.momentum * self.v[k] if self.nesterov else self.v[k]
            p -= self.lr * g                                       # θ ← θ − α·(更新方向)


class AdaGrad(Optimizer):
    r"""AdaGrad：每个参数的学习率除以历史梯度平方和的平方根。书中第 7.2.3 节；站点第 7 章。

    $$G_t = G_{t-1} + g_t\odot g_t,\qquad
      \theta_t = \theta_{t-1} - \frac{\alpha}{\sqrt{G_t}+\epsilon}\odot g_t$$

    与 ``torch.optim.Adagrad``（``lr_decay=0``）逐步相同；书中写 $\alpha/\sqrt{G_t+\epsilon}$，
    ``eps_in_sqrt=True`` 时按书中的写法。$G_t$ 只增不减，学习率单调变小，迭代多了会"学不动"。
    """

    def __init__(self, params: dict, lr: float = 1e-2, eps: float = 1e-10, *, weight_decay: float = 0.0,
                 initial_accumulator_value: float = 0.0, eps_in_sqrt: bool = False):
        super().__init__(params, lr)
        self.eps = check_positive(eps, "eps")
        self.weight_decay = _nonneg(weight_decay, "weight_decay")
        self.eps_in_sqrt = check_bool(eps_in_sqrt, "eps_in_sqrt")
        init = _nonneg(initial_accumulator_value, "initial_accumulator_value")
        self.G = {k: np.full_like(p, init) for k, p in params.items()}

    def step(self, grads: dict) -> None:
        grads = self._check(grads)
        self.t += 1
        for k, p in self.params.items():
            g = grads[k] + self.weight_decay * p if self.weight_decay else grads[k]
            self.G[k] = self.G[k] + g * g                                     # G_t = G_{t-1} + g²
            denom = np.sqrt(self.G[k] + self.eps) if self.eps_in_sqrt else np.sqrt(self.G[k]) + self.eps
            p -= self.lr * g / denom


class RMSprop(Optimizer):
    r"""RMSprop：用梯度平方的指数滑动平均代替 AdaGrad 的累加。书中第 7.2.3 节；站点第 7 章。

    $$G_t = \beta G_{t-1} + (1-\beta)\,g_t\odot g_t,\qquad
      \theta_t = \theta_{t-1} - \frac{\alpha}{\sqrt{G_t}+\epsilon}\odot g_t$$

    书中的衰减率 $\beta$ 就是 ``torch.optim.RMSprop`` 的 ``alpha``（默认 0.99，书中建议 0.9），
    与 torch（``momentum=0, centered=False``）逐步相同；``eps_in_sqrt=True`` 时按书中的
    $\alpha/\sqrt{G_t+\epsilon}$。
    """

    def __init__(self, params: dict, lr: float = 1e-2, alpha: float = 0.99, eps: float = 1e-8, *,
                 weight_decay: float = 0.0, eps_in_sqrt: bool = False):
        super().__init__(params, lr)
        self.alpha = _rate(alpha, "alpha")
        self.eps = check_positive(eps, "eps")
        self.weight_decay = _nonneg(weight_decay, "weight_decay")
        self.eps_in_sqrt = check_bool(eps_in_sqrt, "eps_in_sqrt")
        self.G = self._zeros()

    def step(self, grads: dict) -> None:
        grads = self._check(grads)
        self.t += 1
        for k, p in self.params.items():
            g = grads[k] + self.weight_decay * p if self.weight_decay else grads[k]
            self.G[k] = self.alpha * self.G[k] + (1 - self.alpha) * g * g     # G_t = βG + (1−β)g²
            denom = np.sqrt(self.G[k] + self.eps) if self.eps_in_sqrt else np.sqrt(self.G[k]) + self.eps
            p -= self.lr * g / denom


class AdaDelta(Optimizer):
    r"""AdaDelta：用参数更新量平方的滑动平均代替固定的学习率。书中第 7.2.3 节；站点第 7 章。

    $$G_t = \rho G_{t-1} + (1-\rho)\,g_t\odot g_t,\qquad
      \Delta\theta_t = -\frac{\sqrt{\Delta X^2_{t-1}+\epsilon}}{\sqrt{G_t+\epsilon}}\odot g_t,$$
    $$\Delta X^2_t = \rho\,\Delta X^2_{t-1} + (1-\rho)\,\Delta\theta_t\odot\Delta\theta_t,\qquad
      \theta_t = \theta_{t-1} + \alpha\,\Delta\theta_t$$

    书中的衰减率 $\beta$ 即 ``rho``；书中没有 $\alpha$（相当于 $\alpha=1$，即 torch 的默认值）。
    $\epsilon$ 在两边都在根号里，与 ``torch.optim.Adadelta`` 逐步相同。
    """

    def __init__(self, params: dict, lr: float = 1.0, rho: float = 0.9, eps: float = 1e-6, *,
                 weight_decay: float = 0.0):
        super().__init__(params, lr)
        self.rho = _rate(rho, "rho")
        self.eps = check_positive(eps, "eps")
        self.weight_decay = _nonneg(weight_decay, "weight_decay")
        self.G = self._zeros()
        self.dX2 = self._zeros()

    def step(self, grads: dict) -> None:
        grads = self._check(grads)
        self.t += 1
        for k, p in self.params.items():
            g = grads[k] + self.weight_decay * p if self.weight_decay else grads[k]
            self.G[k] = self.rho * self.G[k] + (1 - self.rho) * g * g
            delta = np.sqrt(self.dX2[k] + self.eps) / np.sqrt(self.G[k] + self.eps) * g   # −Δθ_t
            self.dX2[k] = self.rho * self.dX2[k] + (1 - self.rho) * delta * delta
            p -= self.lr * delta


class Adam(Optimizer):
    r"""Adam：动量（一阶矩）加 RMSprop（二阶矩），带偏差修正。书中第 7.2.4 节；站点第 7 章。

    $$M_t = \beta_1 M_{t-1} + (1-\beta_1)g_t,\qquad G_t = \beta_2 G_{t-1} + (1-\beta_2)\,g_t\odot g_t,$$
    $$\hat{M}_t = \frac{M_t}{1-\beta_1^t},\qquad \hat{G}_t = \frac{G_t}{1-\beta_2^t},\qquad
      \theta_t = \theta_{t-1} - \alpha\,\frac{\hat{M}_t}{\sqrt{\hat{G}_t}+\epsilon}$$

    默认超参数与 ``torch.optim.Adam`` 相同并逐步相同。书中写 $\alpha\hat{M}_t/\sqrt{\hat{G}_t+\epsilon}$
    （$\epsilon$ 在根号里），``eps_in_sqrt=True`` 时按书中的写法；两者只在 $\hat{G}_t$ 与 $\epsilon$
    同量级（梯度几乎为 0）时才有可见差别。``weight_decay`` 是加在梯度上的 L2 正则（与 torch 的
    ``Adam(weight_decay=λ)`` 相同，会被 $\sqrt{\hat{G}_t}$ 一起缩放）；要"解耦"的权重衰减请用 ``AdamW``。
    数组状态仍叫 ``m``、``v``（第 4 章的写法），即书中的 $M_t$、$G_t$。

    Examples
    --------
    >>> w = np.array([1.0, -2.0])
    >>> opt = Adam({"w": w}, lr=0.1)
    >>> opt.step({"w": 2 * w})          # 第一步：每个分量都走 α·sign(g)
    >>> np.round(w, 6)
    array([ 0.9, -1.9])
    """

    def __init__(self, params: dict, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, *, weight_decay: float = 0.0, eps_in_sqrt: bool = False):
        super().__init__(params, lr)
        if not isinstance(betas, (tuple, list)) or len(betas) != 2:
            raise TypeError(f"betas 应为两个 [0, 1) 内实数的元组 (β₁, β₂)，实际为 {betas!r}")
        b1, b2 = (check_real(b, f"betas[{i}]", 0, 1, high_open=True) for i, b in enumerate(betas))
        self.b1, self.b2, self.eps = b1, b2, check_positive(eps, "eps")
        self.weight_decay = _nonneg(weight_decay, "weight_decay")
        self.eps_in_sqrt = check_bool(eps_in_sqrt, "eps_in_sqrt")
        self.m = self._zeros()
        self.v = self._zeros()

    def _decay(self, p: np.ndarray, g: np.ndarray) -> np.ndarray:
        """Adam：L2 正则加在梯度上；AdamW 覆盖它，直接缩小参数。"""
        return g + self.weight_decay * p if self.weight_decay else g

    def step(self, grads: dict) -> None:
        grads = self._check(grads)
        self.t += 1
        for k, p in self.params.items():
            g = self._decay(p, grads[k])
            self.m[k] = self.b1 * self.m[k] + (1 - self.b1) * g          # M_t
            self.v[k] = self.b2 * self.v[k] + (1 - self.b2) * g * g      # G_t
            m_hat = self.m[k] / (1 - self.b1 ** self.t)                  # 偏差修正
            v_hat = self.v[k] / (1 - self.b2 ** self.t)
            denom = np.sqrt(v_hat + self.eps) if self.eps_in_sqrt else np.sqrt(v_hat) + self.eps
            p -= self.lr * m_hat / denom


class AdamW(Adam):
    r"""AdamW：Adam 加解耦的权重衰减（Loshchilov & Hutter 2019）。书中第 7.7.2 节；站点第 7 章。

    $$\theta_{t-1} \leftarrow (1-\alpha\lambda)\,\theta_{t-1},\qquad \text{然后照常做一步 Adam（梯度里不加 }\lambda\theta\text{）}$$

    书中的权重衰减 $\theta_t \leftarrow (1-\beta)\theta_{t-1} - \alpha g_t$ 里的 $\beta$ 就是这里的
    $\alpha\lambda$。对 SGD 而言它与 L2 正则等价；对 Adam 不等价：L2 项的梯度会被
    $1/\sqrt{\hat{G}_t}$ 缩放，梯度大的参数反而衰减得少。与 ``torch.optim.AdamW`` 逐步相同
    （默认 $\lambda=0.01$）。
    """

    def __init__(self, params: dict, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, *, weight_decay: float = 1e-2, eps_in_sqrt: bool = False):
        super().__init__(params, lr, betas, eps, weight_decay=weight_decay, eps_in_sqrt=eps_in_sqrt)

    def _decay(self, p: np.ndarray, g: np.ndarray) -> np.ndarray:
        p *= 1 - self.lr * self.weight_decay                             # θ ← (1 − αλ) θ（原地）
        return g


OPTIMIZERS = {"sgd": SGD, "adagrad": AdaGrad, "rmsprop": RMSprop, "adadelta": AdaDelta,
              "adam": Adam, "adamw": AdamW}
"""名字 → 优化器类；动量与 Nesterov 是 ``SGD(momentum=…, nesterov=…)``。"""


def accumulated_grads(loss_and_grads, X, y, micro_batch: int) -> tuple[float, dict]:
    r"""梯度累积：把一个大批量切成若干小批量分别求梯度再合并，结果与整批一次算出的完全相同。

    书中第 7.2.1 节（小批量梯度下降）；站点第 7 章"梯度累积"一节。损失按样本取平均时，大批量
    $\mathcal{B}$ 的梯度是各小批量 $\mathcal{B}_k$ 平均梯度的**加权**平均：

    $$\frac{\partial \mathcal{R}_{\mathcal{B}}}{\partial\theta}
      = \sum_k \frac{|\mathcal{B}_k|}{|\mathcal{B}|}\,\frac{\partial \mathcal{R}_{\mathcal{B}_k}}{\partial\theta}$$

    各小批量一样大时权重都是 $1/K$；最后一块较小时若仍用 $1/K$，结果就不再等于大批量的梯度。

    Parameters
    ----------
    loss_and_grads : callable
        ``loss_and_grads(Xk, yk) -> (平均损失, {名字: 梯度})``，如 ``MLP.loss_and_grads``。
    X, y : 大批量 (N, D) 与 (N,)。
    micro_batch : int
        每次前向 / 反向的样本数（显存能容纳的大小）。

    Returns
    -------
    loss : float
        大批量上的平均损失。
    grads : dict
        与 ``loss_and_grads(X, y)[1]`` 相同（到浮点舍入）。

    Examples
    --------
    >>> f = lambda X, y: (float(np.mean((X[:, 0] - y) ** 2)), {"x": np.array([np.mean(X[:, 0] - y)])})
    >>> X, y = np.arange(5.0)[:, None], np.zeros(5)
    >>> accumulated_grads(f, X, y, micro_batch=2)[1]["x"], f(X, y)[1]["x"]
    (array([2.]), array([2.]))
    """
    if not callable(loss_and_grads):
        raise TypeError(f"loss_and_grads 应为函数 (Xk, yk) -> (损失, 梯度字典)，实际得到 {type(loss_and_grads).__name__}")
    check_positive(micro_batch, "micro_batch", integer=True)
    X, y = as_float_array(X, "X", ndim=(1, 2, 3, 4)), np.asarray(y)
    N = len(X)
    if N == 0 or y.ndim == 0 or len(y) != N:
        raise ValueError(f"X 与 y 应有相同的、非零的样本数 N（第 0 维），实际形状为 {X.shape} 与 {y.shape}")
    total_loss, total = 0.0, None
    for start in range(0, N, micro_batch):
        Xk, yk = X[start:start + micro_batch], y[start:start + micro_batch]
        w = len(Xk) / N                                      # |B_k| / |B|
        loss, grads = loss_and_grads(Xk, yk)
        total_loss += w * float(loss)
        if total is None:
            total = {k: w * np.asarray(g, dtype=np.float64) for k, g in grads.items()}
        else:
            for k, g in grads.items():
                total[k] += w * g
    return total_loss, total


# ======================================================================== 优化器的试验场
def _point(theta) -> np.ndarray:
    """试验场的函数都定义在平面上：``theta`` 应为形状 (2,) 的有限实数数组 (x, y)。"""
    return check_shape(as_float_array(theta, "theta"), (2,), "theta", "(x, y)")


def quadratic(theta, a: float = 1.0, b: float = 20.0):
    r"""病态二次函数 $f(x, y) = \frac12(a x^2 + b y^2)$ 的值与梯度；条件数 $b/a$。书中第 7.2 节；站点第 7 章。

    Examples
    --------
    >>> quadratic(np.array([1.0, 1.0]))
    (10.5, array([ 1., 20.]))
    """
    x, y = _point(theta)
    check_real(a, "a"), check_real(b, "b")
    return float(0.5 * (a * x * x + b * y * y)), np.array([a * x, b * y])


def rosenbrock(theta, a: float = 1.0, b: float = 100.0):
    r"""Rosenbrock 函数 $f(x, y) = (a-x)^2 + b(y-x^2)^2$ 的值与梯度：最小值在 $(a, a^2)$，谷底是一条弯曲的窄沟。

    书中第 7.2 节；站点第 7 章。

    Examples
    --------
    >>> rosenbrock(np.array([1.0, 1.0]))[0], rosenbrock(np.array([0.0, 0.0]))
    (0.0, (1.0, array([-2.,  0.])))
    """
    x, y = _point(theta)
    check_real(a, "a"), check_real(b, "b")
    value = (a - x) ** 2 + b * (y - x * x) ** 2
    grad = np.array([-2 * (a - x) - 4 * b * x * (y - x * x), 2 * b * (y - x * x)])
    return float(value), grad


def trajectory(f, theta0, optimizer: str = "sgd", steps: int = 100, **kw) -> np.ndarray:
    r"""从 ``theta0`` 出发，用 ``optimizer``（``OPTIMIZERS`` 里的名字）对 ``f``（返回值与梯度）走 ``steps`` 步。

    返回形状 (steps + 1, 2) 的轨迹（第 0 行是起点）。书中第 7.2 节；站点第 7 章的优化器轨迹图。

    Examples
    --------
    >>> path = trajectory(quadratic, [1.0, 1.0], "sgd", steps=3, lr=0.05)
    >>> path.shape, np.round(path[-1], 4)
    ((4, 2), array([0.8574, 0.    ]))
    """
    if not callable(f):
        raise TypeError(f"f 应为函数 theta -> (值, 梯度)，实际得到 {type(f).__name__}")
    check_positive(steps, "steps", integer=True)
    if optimizer not in OPTIMIZERS:
        raise ValueError(f"optimizer 应为 {sorted(OPTIMIZERS)} 之一，实际为 {optimizer!r}")
    theta = np.array(as_float_array(theta0, "theta0", ndim=1), dtype=np.float64)
    opt = OPTIMIZERS[optimizer]({"theta": theta}, **kw)
    path = [theta.copy()]
    for _ in range(steps):
        opt.step({"theta": f(theta)[1]})
        path.append(theta.copy())
    return np.array(path)


def fit_full_batch(model, X, y, optimizer: Optimizer, steps: int) -> list[float]:
    """全批量训练 ``steps`` 步（每步用全部样本算一次梯度），返回每一步的损失。

    ``model`` 需提供 ``loss_and_grads(X, y)``；``optimizer`` 应由 ``model.params()`` 构造。
    小数据集（一维函数拟合、二维玩具分类）上比小批量更快、更可复现。书中第 7.2 节；站点第 4 章。
    """
    if not callable(getattr(model, "loss_and_grads", None)):
        raise TypeError(f"model 应提供 loss_and_grads(X, y)，实际得到 {type(model).__name__}")
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"optimizer 应为 nndl_ref.numpy.optim 的优化器（如 Adam(model.params())），"
                        f"实际得到 {type(optimizer).__name__}")
    check_positive(steps, "steps", integer=True)
    losses = []
    for _ in range(steps):
        loss, grads = model.loss_and_grads(X, y)
        optimizer.step(grads)
        losses.append(float(loss))
    return losses
