r"""优化器（PyTorch 版）：按名字构造 ``torch.optim`` 里的优化器，超参数名与 NumPy 版相同。

对应书中第 7.2 节（优化算法）；站点页面：第 7 章 ``ch07-optim``。NumPy 版
``nndl_ref.numpy.optim`` 的每个类都逐行照 torch 的单参数循环写成，测试在 float64 下逐步对照
（``tests/test_ch07_optim.py``）。书中 $\epsilon$ 在根号里的写法（AdaGrad、RMSprop、Adam）torch 没有
内置，测试里用张量按书中公式另写一份作参照。
"""

from __future__ import annotations

import torch

from .._validate import check_kwargs, check_positive

OPTIMIZERS = {
    "sgd": (torch.optim.SGD, {}),
    "momentum": (torch.optim.SGD, {"momentum": 0.9}),
    "nesterov": (torch.optim.SGD, {"momentum": 0.9, "nesterov": True}),
    "adagrad": (torch.optim.Adagrad, {}),
    "rmsprop": (torch.optim.RMSprop, {}),
    "adadelta": (torch.optim.Adadelta, {}),
    "adam": (torch.optim.Adam, {}),
    "adamw": (torch.optim.AdamW, {}),
}
"""名字 → (torch 优化器类, 默认关键字参数)。"""


def make_optimizer(name: str, params, lr: float, **kw) -> torch.optim.Optimizer:
    r"""``make_optimizer("nesterov", model.parameters(), lr=0.1)`` → ``torch.optim.SGD(momentum=0.9, nesterov=True)``。

    书中第 7.2 节；站点第 7 章。``kw`` 覆盖默认值（如 ``momentum=0.5``、``weight_decay=1e-4``）。

    Examples
    --------
    >>> w = torch.zeros(2, requires_grad=True)
    >>> type(make_optimizer("adamw", [w], lr=1e-3)).__name__
    'AdamW'
    """
    if name not in OPTIMIZERS:
        raise ValueError(f"optimizer 应为 {sorted(OPTIMIZERS)} 之一，实际为 {name!r}")
    check_positive(lr, "lr")
    cls, defaults = OPTIMIZERS[name]
    check_kwargs(cls.__init__, kw, f"torch.optim.{cls.__name__}", given=("self", "params", "lr"))
    if isinstance(params, torch.Tensor):
        raise TypeError("params 应为张量的可迭代对象（如 model.parameters() 或 [w]），实际得到单个张量")
    params = list(params)
    if not params or not all(isinstance(p, (torch.Tensor, dict, tuple)) for p in params):
        raise TypeError(f"params 应为非空的张量列表（如 model.parameters()），实际为 {params!r}")
    return cls(params, lr=lr, **{**defaults, **kw})
