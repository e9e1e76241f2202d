r"""多层感知器（PyTorch 版），与 ``nndl_ref.numpy.mlp.MLP`` 结构相同、权重布局相同。

$\boldsymbol{W}^{(l)}$ 存在 ``net[2(l-1)].weight``（形状 (M_l, M_{l-1})，与 NumPy 版的 ``W{l}``
相同，不需要转置），所以 ``MLP.load_numpy`` 可以把 NumPy 模型的参数原样拷过来，测试据此
比较两边的损失与梯度。书中：第 4.3 节。
"""

from __future__ import annotations

import math

import torch
from torch import nn

from .._validate import as_float_array, as_float_tensor, check_positive, check_seed
from .activations import Activation, PReLU


class MLP(nn.Module):
    r"""``MLP([D, M_1, …, C], activation="relu", init="he", seed=0)``，``forward`` 返回 logit。

    隐藏层激活用 ``nndl_ref.torch.activations`` 里按公式写出的版本（``"prelu"`` 时每个神经元一个
    可学习斜率）。初始化与 NumPy 版同分布（``"he"``、``"xavier"``、``"normal"``），但随机数来源不同，
    要得到相同的权重请用 ``load_numpy``。
    """

    def __init__(self, sizes, activation: str = "relu", *, init: str = "he", weight_scale: float = 0.01,
                 seed: int | None = 0, **act_kw):
        super().__init__()
        sizes = list(sizes)
        if len(sizes) < 2 or not all(isinstance(s, int) and s > 0 for s in sizes):
            raise ValueError(f"sizes 应为至少两项的正整数列表 (D, …, C)，实际为 {sizes}")
        if init not in ("he", "xavier", "normal"):
            raise ValueError(f"init 应为 'he'、'xavier' 或 'normal'，实际为 {init!r}")
        if init == "normal":
            check_positive(weight_scale, "weight_scale")
        if seed is not None:
            check_seed(seed)
        self.sizes, self.activation = sizes, activation
        gen = torch.Generator().manual_seed(seed) if seed is not None else None
        layers: list[nn.Module] = []
        for l in range(1, len(sizes)):
            lin = nn.Linear(sizes[l - 1], sizes[l])
            fan_in, fan_out = sizes[l - 1], sizes[l]
            std = {"he": math.sqrt(2.0 / fan_in), "xavier": math.sqrt(2.0 / (fan_in + fan_out)),
                   "normal": weight_scale}[init]
            with torch.no_grad():
                lin.weight.normal_(0.0, std, generator=gen)
                lin.bias.zero_()
            layers.append(lin)
            if l < len(sizes) - 1:
                layers.append(PReLU(sizes[l], **act_kw) if activation == "prelu"
                              else Activation(activation, **act_kw))
        self.net = nn.Sequential(*layers)

    def forward(self, X: torch.Tensor) -> torch.Tensor:
        X = as_float_tensor(X, "X", ndim=2)
        if X.shape[1] != self.sizes[0]:
            raise ValueError(f"X 的形状应为 (N, D) 且 D={self.sizes[0]}，实际为 {tuple(X.shape)}")
        return self.net(X)

    @torch.no_grad()
    def predict(self, X: torch.Tensor) -> torch.Tensor:
        """预测类别 $\\arg\\max_c z^{(L)}_c$。"""
        return self.forward(X).argmax(dim=1)

    def linears(self) -> list[nn.Linear]:
        """按顺序返回各层的 ``nn.Linear``：第 l 个就是 $(W^{(l)}, b^{(l)})$。"""
        return [m for m in self.net if isinstance(m, nn.Linear)]

    @torch.no_grad()
    def load_numpy(self, params: dict) -> "MLP":
        """从 NumPy 版的参数字典（``W1, b1, …``，可含 PReLU 的 ``gamma1, …``）拷贝权重，无需转置。"""
        dtype = next(self.parameters()).dtype
        lins = self.linears()
        expected = {f"{k}{l}" for l in range(1, len(lins) + 1) for k in ("W", "b")}
        if not isinstance(params, dict) or not expected <= set(params):
            raise ValueError(f"params 应为含有 {sorted(expected)} 的字典；缺少这些键："
                             f"{sorted(expected - set(params)) if isinstance(params, dict) else type(params).__name__}")
        targets = {f"{k}{l}": p for l, lin in enumerate(lins, start=1) for k, p in (("W", lin.weight), ("b", lin.bias))}
        prelus = [m for m in self.net if isinstance(m, PReLU)]
        targets.update({f"gamma{l}": m.gamma for l, m in enumerate(prelus, start=1) if f"gamma{l}" in params})
        new = {}
        for key, target in targets.items():             # 先检查全部参数，再一起拷贝
            value = torch.as_tensor(as_float_array(params[key], key), dtype=dtype)
            if value.shape != target.shape:
                raise ValueError(f"{key} 的形状应为 {tuple(target.shape)}，实际为 {tuple(value.shape)}")
            new[key] = value
        for key, target in targets.items():
            target.copy_(new[key])
        return self
