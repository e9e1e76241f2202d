r"""网络正则化（PyTorch 版）：两种写法的丢弃法、$\ell_1$ / $\ell_2$ 正则项、带丢弃的多层感知器。

对应书中第 7.7 节（网络正则化）；站点页面：第 7 章 ``ch07-optim``。与 NumPy 版
``nndl_ref.numpy.regularization`` 同公式；``p`` 与 ``torch.nn.Dropout`` 相同，是**丢弃**概率
（书中的 $p$ 是保留概率）。
"""

from __future__ import annotations

import torch
from torch import nn

from .._validate import as_float_tensor, check_nonneg, check_positive, check_real


class Dropout(nn.Module):
    r"""丢弃层，``mode="inverted"``（训练时除以 $1-p$，与 ``nn.Dropout`` 相同）或 ``"scale_at_test"``
    （训练时只丢弃，测试时乘 $1-p$，笔记与原始论文的写法）。书中第 7.7.4 节；站点第 7 章。

    掩码用 ``torch.empty_like(x).bernoulli_(1 - p)`` 生成，给定同一个随机种子时与 ``nn.Dropout`` 相同；
    也可在 ``forward(x, mask=…)`` 里直接给出。
    """

    def __init__(self, p: float = 0.5, mode: str = "inverted"):
        super().__init__()
        check_real(p, "丢弃概率 p", 0, 1, high_open=True)
        if mode not in ("inverted", "scale_at_test"):
            raise ValueError(f"mode 应为 'inverted' 或 'scale_at_test'，实际为 {mode!r}")
        self.p, self.mode = p, mode

    def forward(self, x: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
        x = as_float_tensor(x, "x")
        if mask is not None:
            if not isinstance(mask, torch.Tensor) or mask.shape != x.shape:
                raise ValueError(f"mask 应为与 x 同形状 {tuple(x.shape)} 的张量，实际为 "
                                 f"{tuple(mask.shape) if isinstance(mask, torch.Tensor) else type(mask).__name__}")
            if not bool(((mask == 0) | (mask == 1)).all()):
                raise ValueError("mask 应只含 0/1（1 表示保留）")
        if not self.training:
            return x if self.mode == "inverted" else x * (1 - self.p)
        if mask is None:
            mask = torch.empty_like(x).bernoulli_(1 - self.p)          # 1 = 保留，概率 1 − p
        return x * mask / (1 - self.p) if self.mode == "inverted" else x * mask


def weights(model: nn.Module) -> list[torch.Tensor]:
    """网络里所有的权重矩阵 / 卷积核（维数 ≥ 2 的参数），不含偏置和归一化层的 $\\gamma$、$\\beta$。"""
    if not isinstance(model, nn.Module):
        raise TypeError(f"model 应为 torch.nn.Module，实际得到 {type(model).__name__}")
    return [p for p in model.parameters() if p.ndim >= 2]


def l2_penalty(model: nn.Module, lam: float) -> torch.Tensor:
    r"""$\frac{\lambda}{2}\sum\lVert W\rVert_F^2$（只对权重），梯度 $\lambda W$ 与 ``weight_decay=λ`` 相同。书中第 7.7.1 节；站点第 7 章。"""
    check_nonneg(lam, "lam")
    return 0.5 * lam * sum((W * W).sum() for W in weights(model))


def l1_penalty(model: nn.Module, lam: float) -> torch.Tensor:
    r"""$\lambda\sum\lVert W\rVert_1$（只对权重）。书中第 7.7.1 节；站点第 7 章。"""
    check_nonneg(lam, "lam")
    return lam * sum(W.abs().sum() for W in weights(model))


def mlp(sizes, *, dropout: float = 0.0, norm: str | None = None, activation=nn.ReLU) -> nn.Sequential:
    r"""``Linear → [BatchNorm/LayerNorm] → ReLU → [Dropout]`` 堆起来的多层感知器，最后一层只有 ``Linear``。

    书中第 7.5、7.7 节；站点第 7 章。``norm`` 为 ``None``、``"batch"`` 或 ``"layer"``。权重用
    torch 的默认初始化，由调用前的 ``torch.manual_seed`` 决定。

    Examples
    --------
    >>> [type(m).__name__ for m in mlp([64, 32, 10], dropout=0.5, norm="batch")]
    ['Linear', 'BatchNorm1d', 'ReLU', 'Dropout', 'Linear']
    """
    sizes = list(sizes)
    if len(sizes) < 2:
        raise ValueError(f"sizes 至少要两项 (D, …, C)，实际为 {sizes}")
    if norm not in (None, "batch", "layer"):
        raise ValueError(f"norm 应为 None、'batch' 或 'layer'，实际为 {norm!r}")
    for s in sizes:
        check_positive(s, "sizes 的每一项", integer=True)
    check_real(dropout, "dropout（丢弃概率）", 0, 1, high_open=True)
    if not (isinstance(activation, type) and issubclass(activation, nn.Module)):
        raise TypeError(f"activation 应为 nn.Module 的子类（如 nn.ReLU），实际为 {activation!r}")
    layers: list[nn.Module] = []
    for i in range(1, len(sizes)):
        layers.append(nn.Linear(sizes[i - 1], sizes[i]))
        if i < len(sizes) - 1:
            if norm == "batch":
                layers.append(nn.BatchNorm1d(sizes[i]))
            elif norm == "layer":
                layers.append(nn.LayerNorm(sizes[i]))
            layers.append(activation())
            if dropout:
                layers.append(nn.Dropout(dropout))
    return nn.Sequential(*layers)
