"""学习率调度：NumPy 闭式函数与 torch.optim.lr_scheduler 逐 epoch 相同。"""

# --8<-- [start:schedules]
import warnings

import numpy as np
import torch

from nndl_ref.numpy import schedules
from nndl_ref.torch.schedules import make_scheduler

settings = {"step": dict(step_size=3, gamma=0.5), "exponential": dict(gamma=0.8),
            "cosine": dict(T_max=8), "warmup": dict(warmup=4, start_factor=0.25),
            "warmup_cosine": dict(warmup=2, T_max=8, start_factor=0.5)}
for name, kw in settings.items():
    ours = [schedules.SCHEDULES[name](t, 1.0, **kw) for t in range(9)]     # 闭式：α_t 只依赖 t
    opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=1.0)
    sched = make_scheduler(name, opt, **kw)
    theirs = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(9):
            theirs.append(sched.get_last_lr()[0])
            opt.step()
            sched.step()                                                   # 每个 epoch 末调用一次
    print(f"{name:13s} {np.round(ours, 3)}  与 torch 相同: {np.allclose(ours, theirs, rtol=1e-12)}")
# --8<-- [end:schedules]
