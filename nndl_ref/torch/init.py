r"""参数初始化（PyTorch 版）：用 ``torch.nn.init`` 初始化一个网络里的全部线性 / 卷积层，统计各层激活。

对应书中第 7.3 节（参数初始化）；站点页面：第 7 章 ``ch07-optim``。各方案的方差推导见
``nndl_ref.numpy.init``；两边取同样的分布（测试比较理论方差与样本方差）。
"""

from __future__ import annotations

import torch
from torch import nn

from .._validate import as_float_tensor, check_positive

SCHEMES = ("xavier_uniform", "xavier_normal", "kaiming_uniform", "kaiming_normal", "normal")


@torch.no_grad()
def init_(model: nn.Module, scheme: str = "kaiming_normal", *, nonlinearity: str = "relu", std: float = 0.01,
          generator: torch.Generator | None = None) -> nn.Module:
    r"""原地初始化 ``model`` 中每个 ``nn.Linear`` / ``nn.Conv*`` 的权重，偏置置 0；返回 ``model``。

    书中第 7.3.2 节；站点第 7 章。``scheme`` 为 ``xavier_uniform``、``xavier_normal``（乘
    ``calculate_gain(nonlinearity)``）、``kaiming_uniform``、``kaiming_normal`` 或 ``normal``（标准差 ``std``）。

    Examples
    --------
    >>> net = init_(nn.Sequential(nn.Linear(100, 50)), "kaiming_normal", generator=torch.Generator().manual_seed(0))
    >>> round(float(net[0].weight.detach().var() * 100), 1)     # Var(w) ≈ 2 / fan_in
    2.0
    """
    if scheme not in SCHEMES:
        raise ValueError(f"scheme 应为 {SCHEMES} 之一，实际为 {scheme!r}")
    if not isinstance(model, nn.Module):
        raise TypeError(f"model 应为 torch.nn.Module，实际得到 {type(model).__name__}")
    try:                                              # 先检查完，再改第一层
        nn.init.calculate_gain(nonlinearity)
    except (ValueError, TypeError):
        raise ValueError(f"nonlinearity 应为 torch.nn.init.calculate_gain 认识的名字（linear、sigmoid、tanh、relu、"
                         f"leaky_relu、selu 等），实际为 {nonlinearity!r}") from None
    if scheme == "normal":
        check_positive(std, "std")
    if generator is not None and not isinstance(generator, torch.Generator):
        raise TypeError(f"generator 应为 torch.Generator 或 None，实际得到 {type(generator).__name__}")
    for m in model.modules():
        if isinstance(m, (nn.Linear, nn.Conv1d, nn.Conv2d)):
            W = m.weight
            if scheme == "xavier_uniform":
                nn.init.xavier_uniform_(W, gain=nn.init.calculate_gain(nonlinearity), generator=generator)
            elif scheme == "xavier_normal":
                nn.init.xavier_normal_(W, gain=nn.init.calculate_gain(nonlinearity), generator=generator)
            elif scheme == "kaiming_uniform":
                nn.init.kaiming_uniform_(W, nonlinearity=nonlinearity, generator=generator)
            elif scheme == "kaiming_normal":
                nn.init.kaiming_normal_(W, nonlinearity=nonlinearity, generator=generator)
            else:
                nn.init.normal_(W, 0.0, std, generator=generator)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
    return model


@torch.no_grad()
def activation_stats(model: nn.Module, x: torch.Tensor) -> list[float]:
    r"""把 ``x`` 送进 ``model``（``nn.Sequential``），返回每个激活层输出的标准差。书中第 7.3 节；站点第 7 章。"""
    if not isinstance(model, nn.Sequential):
        raise TypeError(f"model 应为 torch.nn.Sequential，实际得到 {type(model).__name__}")
    x = as_float_tensor(x, "x")
    first = next((m for m in model if isinstance(m, nn.Linear)), None)
    if first is not None and (x.ndim != 2 or x.shape[1] != first.in_features):
        raise ValueError(f"x 的形状应为 (N, {first.in_features})（第一层 Linear 的输入维数），实际为 {tuple(x.shape)}")
    stds = []
    for layer in model:
        x = layer(x)
        if not isinstance(layer, (nn.Linear, nn.Conv1d, nn.Conv2d)):
            stds.append(float(x.std()))
    return stds
