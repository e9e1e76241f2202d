r"""学习率调度（NumPy 从零实现）：分段常数、指数、逆时衰减、余弦退火、线性预热。

对应书中第 7.2.3 节（学习率调整：学习率衰减、学习率预热、周期性学习率调整）；站点页面：
第 7 章 ``ch07-optim``。每个函数都是 epoch 序号 $t$（从 0 开始）的闭式表达式，$\alpha_0$ 为初始
学习率；与 ``torch.optim.lr_scheduler`` 里对应的调度器调用 $t$ 次 ``step()`` 之后的学习率相同
（``tests/test_ch07_optim.py``）：

| 函数 | 公式 | torch 对应 |
|---|---|---|
| ``step_lr`` | $\alpha_0\,\gamma^{\lfloor t/s\rfloor}$ | ``StepLR(step_size=s, gamma)`` |
| ``exponential_lr`` | $\alpha_0\,\gamma^{t}$ | ``ExponentialLR(gamma)`` |
| ``inverse_time_lr`` | $\alpha_0/(1+\beta t)$ | ``LambdaLR``（torch 无内置） |
| ``cosine_lr`` | $\alpha_{\min}+\frac12(\alpha_0-\alpha_{\min})(1+\cos\frac{t\pi}{T})$ | ``CosineAnnealingLR(T_max=T)`` |
| ``warmup_lr`` | $\alpha_0\big(f+(1-f)\min(t,T')/T'\big)$ | ``LinearLR(start_factor=f, total_iters=T')`` |

``Scheduler`` 把任一函数挂到优化器上：每个 epoch 末调用 ``step()``，它改写 ``optimizer.lr``。
"""

from __future__ import annotations

import math
from typing import Callable

from .._validate import check_kwargs, check_nonneg, check_positive, check_real


def _t(t) -> int:
    if isinstance(t, bool) or not isinstance(t, int) or t < 0:
        raise ValueError(f"t（已完成的 epoch 数）应为非负整数，实际为 {t!r}")
    return t


def step_lr(t: int, lr: float, step_size: int, gamma: float = 0.1) -> float:
    r"""分段常数衰减：每 ``step_size`` 个 epoch 乘以 $\gamma$。书中第 7.2.3 节；站点第 7 章。

    Examples
    --------
    >>> [step_lr(t, 1.0, step_size=2, gamma=0.5) for t in range(5)]
    [1.0, 1.0, 0.5, 0.5, 0.25]
    """
    check_positive(lr, "lr"), check_positive(step_size, "step_size", integer=True), check_positive(gamma, "gamma")
    return lr * gamma ** (_t(t) // step_size)


def exponential_lr(t: int, lr: float, gamma: float) -> float:
    r"""指数衰减 $\alpha_t = \alpha_0\gamma^t$（$\gamma<1$）。书中第 7.2.3 节；站点第 7 章。

    Examples
    --------
    >>> round(exponential_lr(3, 1.0, 0.5), 6)
    0.125
    """
    check_positive(lr, "lr"), check_positive(gamma, "gamma")
    return lr * gamma ** _t(t)


def inverse_time_lr(t: int, lr: float, beta: float) -> float:
    r"""逆时衰减 $\alpha_t = \alpha_0/(1+\beta t)$。书中第 7.2.3 节；站点第 7 章。

    Examples
    --------
    >>> inverse_time_lr(4, 1.0, beta=0.25)
    0.5
    """
    check_positive(lr, "lr"), check_positive(beta, "beta")
    return lr / (1 + beta * _t(t))


def cosine_lr(t: int, lr: float, T_max: int, eta_min: float = 0.0) -> float:
    r"""余弦退火 $\alpha_t = \alpha_{\min}+\frac12(\alpha_0-\alpha_{\min})\big(1+\cos\frac{t\pi}{T}\big)$，$t\le T$。

    书中第 7.2.3 节；站点第 7 章。$t>T$ 时保持 $\alpha_{\min}$（torch 的 ``CosineAnnealingLR`` 会沿余弦
    再升回去，这里不跟随；测试只比较 $t\le T$）。

    Examples
    --------
    >>> [round(cosine_lr(t, 1.0, T_max=4), 4) for t in range(5)]
    [1.0, 0.8536, 0.5, 0.1464, 0.0]
    """
    check_positive(lr, "lr"), check_positive(T_max, "T_max", integer=True), check_nonneg(eta_min, "eta_min")
    t = min(_t(t), T_max)
    return eta_min + 0.5 * (lr - eta_min) * (1 + math.cos(math.pi * t / T_max))


def warmup_lr(t: int, lr: float, warmup: int, start_factor: float = 0.1) -> float:
    r"""线性预热：前 ``warmup`` 个 epoch 从 $f\alpha_0$ 线性升到 $\alpha_0$，之后保持。书中第 7.2.3 节；站点第 7 章。

    Examples
    --------
    >>> [round(warmup_lr(t, 1.0, warmup=4, start_factor=0.2), 2) for t in range(6)]
    [0.2, 0.4, 0.6, 0.8, 1.0, 1.0]
    """
    check_positive(lr, "lr"), check_positive(warmup, "warmup", integer=True)
    check_real(start_factor, "start_factor", 0, 1, low_open=True)
    return lr * (start_factor + (1 - start_factor) * min(_t(t), warmup) / warmup)


def warmup_cosine_lr(t: int, lr: float, warmup: int, T_max: int, start_factor: float = 0.1,
                     eta_min: float = 0.0) -> float:
    r"""先线性预热 ``warmup`` 个 epoch，再在余下的 $T-T'$ 个 epoch 里余弦退火（常用于 Transformer）。

    书中第 7.2.3 节；站点第 7 章。torch 中等价于 ``SequentialLR([LinearLR, CosineAnnealingLR],
    milestones=[warmup])``。

    Examples
    --------
    >>> [round(warmup_cosine_lr(t, 1.0, warmup=2, T_max=6, start_factor=0.5), 3) for t in range(7)]
    [0.5, 0.75, 1.0, 0.854, 0.5, 0.146, 0.0]
    """
    check_positive(T_max, "T_max", integer=True), check_positive(warmup, "warmup", integer=True)
    if not warmup < T_max:
        raise ValueError(f"warmup 应小于 T_max，实际 warmup={warmup}，T_max={T_max}")
    if _t(t) < warmup:
        return warmup_lr(t, lr, warmup, start_factor)
    return cosine_lr(t - warmup, lr, T_max - warmup, eta_min)


SCHEDULES: dict[str, Callable[..., float]] = {
    "step": step_lr, "exponential": exponential_lr, "inverse_time": inverse_time_lr,
    "cosine": cosine_lr, "warmup": warmup_lr, "warmup_cosine": warmup_cosine_lr}
"""名字 → 调度函数。"""


class Scheduler:
    r"""把调度函数挂到 NumPy 优化器上：每个 epoch 末 ``step()`` 一次，``optimizer.lr`` 随之改变。

    书中第 7.2.3 节；站点第 7 章。``Scheduler(opt, "cosine", T_max=20)`` 与
    ``torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=20)`` 的用法相同。

    Examples
    --------
    >>> import numpy as np
    >>> from nndl_ref.numpy.optim import SGD
    >>> opt = SGD({"w": np.zeros(1)}, lr=1.0)
    >>> sched = Scheduler(opt, "step", step_size=1, gamma=0.5)
    >>> sched.step(); sched.step(); opt.lr
    0.25
    """

    def __init__(self, optimizer, schedule: str | Callable[..., float], **kw):
        if isinstance(schedule, str):
            if schedule not in SCHEDULES:
                raise ValueError(f"schedule 应为 {sorted(SCHEDULES)} 之一或一个函数，实际为 {schedule!r}")
            schedule = SCHEDULES[schedule]
            check_kwargs(schedule, kw, "这个调度函数", given=("t", "lr"))
        elif not callable(schedule):
            raise ValueError(f"schedule 应为 {sorted(SCHEDULES)} 之一或一个函数，实际为 {schedule!r}")
        check_positive(getattr(optimizer, "lr", None), "optimizer.lr（optimizer 应为 nndl_ref.numpy.optim 的优化器）")
        self.optimizer, self.fn, self.kw = optimizer, schedule, kw
        lr0 = self._lr(0, optimizer.lr)                # 超参数不对时在改动 optimizer.lr 之前报错
        self.base_lr = optimizer.lr
        self.t = 0
        optimizer.lr = lr0

    def _lr(self, t: int, base_lr: float) -> float:
        return check_nonneg(self.fn(t, base_lr, **self.kw), f"调度函数在 t={t} 给出的学习率")   # 余弦退火可以到 0

    def step(self) -> None:
        lr = self._lr(self.t + 1, self.base_lr)           # 先算出来（可能报错），再一起改
        self.t += 1
        self.optimizer.lr = lr

    def get_last_lr(self) -> float:
        return self.optimizer.lr
