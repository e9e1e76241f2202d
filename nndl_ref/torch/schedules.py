r"""学习率调度（PyTorch 版）：按名字构造 ``torch.optim.lr_scheduler`` 里的调度器。

对应书中第 7.2.3 节（学习率衰减与预热）；站点页面：第 7 章 ``ch07-optim``。与
``nndl_ref.numpy.schedules`` 的同名闭式函数逐 epoch 相同（``tests/test_ch07_optim.py``）。
"""

from __future__ import annotations

import torch
from torch.optim import lr_scheduler as S

from .._validate import check_kwargs
from ..numpy import schedules as _np_schedules


def _check(name: str, kw: dict) -> None:
    """与 NumPy 版的同名调度函数同样的参数与取值范围（用它检查，不调用它算学习率）。"""
    fn = _np_schedules.SCHEDULES[name]
    check_kwargs(fn, kw, f"调度器 {name!r}", given=("t", "lr"))
    fn(0, 1.0, **kw)


def make_scheduler(name: str, optimizer: torch.optim.Optimizer, **kw):
    r"""``step``、``exponential``、``inverse_time``、``cosine``、``warmup``、``warmup_cosine``。

    书中第 7.2.3 节；站点第 7 章。参数名与 NumPy 版的调度函数相同（``step_size``、``gamma``、
    ``beta``、``T_max``、``eta_min``、``warmup``、``start_factor``）。每个 epoch 末调用一次 ``step()``。

    Examples
    --------
    >>> opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=1.0)
    >>> sched = make_scheduler("warmup", opt, warmup=4, start_factor=0.2)
    >>> lrs = []
    >>> for _ in range(5):
    ...     lrs.append(round(sched.get_last_lr()[0], 2)); opt.step(); sched.step()
    >>> lrs
    [0.2, 0.4, 0.6, 0.8, 1.0]
    """
    if not isinstance(optimizer, torch.optim.Optimizer):
        raise TypeError(f"optimizer 应为 torch.optim.Optimizer，实际得到 {type(optimizer).__name__}")
    if name not in _np_schedules.SCHEDULES:
        raise ValueError("schedule 应为 step、exponential、inverse_time、cosine、warmup、warmup_cosine 之一，"
                         f"实际为 {name!r}")
    _check(name, kw)
    if name == "step":
        return S.StepLR(optimizer, step_size=kw["step_size"], gamma=kw.get("gamma", 0.1))
    if name == "exponential":
        return S.ExponentialLR(optimizer, gamma=kw["gamma"])
    if name == "inverse_time":
        beta = kw["beta"]
        return S.LambdaLR(optimizer, lambda t: 1.0 / (1.0 + beta * t))
    if name == "cosine":
        return S.CosineAnnealingLR(optimizer, T_max=kw["T_max"], eta_min=kw.get("eta_min", 0.0))
    if name == "warmup":
        return S.LinearLR(optimizer, start_factor=kw.get("start_factor", 0.1), end_factor=1.0,
                          total_iters=kw["warmup"])
    if name == "warmup_cosine":
        warmup, T_max = kw["warmup"], kw["T_max"]
        if not warmup < T_max:
            raise ValueError(f"warmup 应小于 T_max，实际 warmup={warmup}，T_max={T_max}")
        first = S.LinearLR(optimizer, start_factor=kw.get("start_factor", 0.1), end_factor=1.0, total_iters=warmup)
        second = S.CosineAnnealingLR(optimizer, T_max=T_max - warmup, eta_min=kw.get("eta_min", 0.0))
        return S.SequentialLR(optimizer, [first, second], milestones=[warmup])
    raise ValueError("schedule 应为 step、exponential、inverse_time、cosine、warmup、warmup_cosine 之一，"
                     f"实际为 {name!r}")
