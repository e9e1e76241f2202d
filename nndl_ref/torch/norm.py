r"""逐层归一化（PyTorch 版）：按书中公式写出的批量归一化与层归一化，autograd 求反向。

对应书中第 7.5 节（逐层归一化）；站点页面：第 7 章 ``ch07-optim``。与 NumPy 版
``nndl_ref.numpy.norm`` 同公式、同约定（滑动平均用 torch 的 ``momentum`` 与无偏方差），测试把两者
与 ``torch.nn.BatchNorm1d/2d``、``torch.nn.LayerNorm`` 逐一对照。
"""

from __future__ import annotations

import torch
from torch import nn

from .._validate import as_float_tensor, check_nonneg, check_positive, check_real


def _stats(z: torch.Tensor, dims: tuple[int, ...]):
    mu = z.mean(dim=dims, keepdim=True)                          # μ
    var = z.var(dim=dims, keepdim=True, unbiased=False)          # 有偏方差 σ²（归一化用它）
    return mu, var


def _check_bn(z, gamma, beta, eps) -> None:
    """z (N, C) / (N, C, L) / (N, C, H, W)；gamma、beta (C,)；每个通道至少 2 个值；eps ≥ 0。"""
    z = as_float_tensor(z, "z", ndim=(2, 3, 4))
    C = z.shape[1]
    gamma, beta = as_float_tensor(gamma, "gamma", ndim=1), as_float_tensor(beta, "beta", ndim=1)
    if gamma.shape != (C,) or beta.shape != (C,):
        raise ValueError(f"gamma、beta 的形状应为 (C,) = ({C},)（z 的第 1 维），实际为 {tuple(gamma.shape)}、{tuple(beta.shape)}")
    if z.numel() // C < 2:
        raise ValueError(f"训练模式的批量归一化每个通道至少要 2 个值才能求方差，实际 z 的形状为 {tuple(z.shape)}")
    check_nonneg(eps, "eps（通常为 1e-5）")


def _check_ln(z, gamma, beta, eps) -> None:
    gamma, beta = as_float_tensor(gamma, "gamma"), as_float_tensor(beta, "beta")
    z = as_float_tensor(z, "z")
    k = gamma.ndim
    if k == 0 or z.ndim < k or tuple(z.shape[z.ndim - k:]) != tuple(gamma.shape) or beta.shape != gamma.shape:
        raise ValueError(f"z 的最后 {k} 维应与 gamma、beta 的形状 {tuple(gamma.shape)} 相同，"
                         f"实际 z 为 {tuple(z.shape)}、beta 为 {tuple(beta.shape)}")
    check_nonneg(eps, "eps（通常为 1e-5）")


def batch_norm(z: torch.Tensor, gamma: torch.Tensor, beta: torch.Tensor, eps: float = 1e-5) -> torch.Tensor:
    r"""批量归一化（训练模式）：$\hat{z} = (z-\mu_{\mathcal{B}})/\sqrt{\sigma^2_{\mathcal{B}}+\epsilon}\odot\gamma+\beta$。

    书中第 7.5.1 节；站点第 7 章。``z`` 为 (N, C) 或 (N, C, H, W)，统计量对除第 1 维外的所有维求。
    """
    _check_bn(z, gamma, beta, eps)
    dims = (0,) + tuple(range(2, z.ndim))
    shape = (1, -1) + (1,) * (z.ndim - 2)
    mu, var = _stats(z, dims)
    return (z - mu) / torch.sqrt(var + eps) * gamma.view(shape) + beta.view(shape)


def layer_norm(z: torch.Tensor, gamma: torch.Tensor, beta: torch.Tensor, eps: float = 1e-5) -> torch.Tensor:
    r"""层归一化：每个样本在最后 ``gamma.ndim`` 维上求均值与方差。书中第 7.5.2 节；站点第 7 章。"""
    _check_ln(z, gamma, beta, eps)
    dims = tuple(range(z.ndim - gamma.ndim, z.ndim))
    mu, var = _stats(z, dims)
    return (z - mu) / torch.sqrt(var + eps) * gamma + beta


class BatchNorm(nn.Module):
    r"""按公式写出的批量归一化层，行为与 ``nn.BatchNorm1d/2d`` 相同。书中第 7.5.1 节；站点第 7 章。

    训练模式：用本批统计量归一化，并更新 $\mu_{\text{run}} \leftarrow (1-m)\mu_{\text{run}} + m\mu_{\mathcal{B}}$、
    $\sigma^2_{\text{run}} \leftarrow (1-m)\sigma^2_{\text{run}} + m\frac{n}{n-1}\sigma^2_{\mathcal{B}}$；
    ``eval()`` 后用滑动平均。参数名 ``weight``、``bias`` 与 torch 相同，即书中的 $\gamma$、$\beta$。
    """

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float = 0.1):
        super().__init__()
        check_positive(num_features, "num_features", integer=True)
        check_real(momentum, "momentum（torch 约定：新统计量的权重）", 0, 1)
        check_nonneg(eps, "eps（通常为 1e-5）")
        self.eps, self.momentum = eps, momentum
        self.weight = nn.Parameter(torch.ones(num_features))
        self.bias = nn.Parameter(torch.zeros(num_features))
        self.register_buffer("running_mean", torch.zeros(num_features))
        self.register_buffer("running_var", torch.ones(num_features))

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        if self.training:                            # 先检查，再更新滑动平均：坏输入不改动缓冲区
            _check_bn(z, self.weight, self.bias, self.eps)
        else:
            z = as_float_tensor(z, "z", ndim=(2, 3, 4))
            if z.shape[1] != self.weight.shape[0]:
                raise ValueError(f"z 的第 1 维（通道数）应为 C={self.weight.shape[0]}，实际形状为 {tuple(z.shape)}")
        shape = (1, -1) + (1,) * (z.ndim - 2)
        if not self.training:
            return ((z - self.running_mean.view(shape)) / torch.sqrt(self.running_var.view(shape) + self.eps)
                    * self.weight.view(shape) + self.bias.view(shape))
        dims = (0,) + tuple(range(2, z.ndim))
        with torch.no_grad():
            mu, var = _stats(z, dims)
            n = z.numel() // z.shape[1]
            m = self.momentum
            self.running_mean.mul_(1 - m).add_(m * mu.flatten())
            self.running_var.mul_(1 - m).add_(m * var.flatten() * n / (n - 1))    # 无偏方差
        return batch_norm(z, self.weight, self.bias, self.eps)


class LayerNorm(nn.Module):
    r"""按公式写出的层归一化，行为与 ``nn.LayerNorm(D)`` 相同。书中第 7.5.2 节；站点第 7 章。"""

    def __init__(self, normalized_shape, eps: float = 1e-5):
        super().__init__()
        if not isinstance(normalized_shape, (int, tuple, list)) or isinstance(normalized_shape, bool):
            raise TypeError(f"normalized_shape 应为正整数 D 或正整数的元组 S，实际得到 {normalized_shape!r}")
        shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
        for s in shape:
            check_positive(s, "normalized_shape 的每一项", integer=True)
        self.eps = check_nonneg(eps, "eps（通常为 1e-5）")
        self.weight = nn.Parameter(torch.ones(shape))
        self.bias = nn.Parameter(torch.zeros(shape))

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return layer_norm(z, self.weight, self.bias, self.eps)
