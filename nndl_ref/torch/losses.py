r"""激活与损失（PyTorch 版），与 `nndl_ref.numpy.losses` 一一对应；站点页面：`docs/ch03-linear/index.md`。

这里按书中公式直接写出（而不是调用 ``F.cross_entropy`` 等），这样 autograd 求出的梯度
就是"公式的梯度"；测试再把它们与 torch 内置函数、NumPy 手写梯度三方对照。
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from .._validate import as_float_tensor, as_label_tensor, check_bool, check_choice, check_real

LOG_CLAMP = -100.0


_check_tensor = as_float_tensor            # 浮点张量、（可选）维数、全部有限；与 NumPy 版的 as_float_array 同样的信息


def _check_dim(Z: torch.Tensor, dim) -> None:
    if Z.ndim == 0:
        raise ValueError("Z 至少应为一维张量（沿 dim 归一化）")
    check_real(dim, "dim", -Z.ndim, Z.ndim - 1, integer=True)


def _check_01(y: torch.Tensor, shape, name: str = "y") -> torch.Tensor:
    y = as_float_tensor(y, name)
    if y.shape != shape:
        raise ValueError(f"{name} 的形状应与预测相同 {tuple(shape)}，实际为 {tuple(y.shape)}")
    if y.numel() and (y.min() < 0 or y.max() > 1):
        raise ValueError(f"{name} 的取值应在 [0, 1] 内，实际范围为 [{float(y.min())}, {float(y.max())}]")
    return y


def sigmoid(z: torch.Tensor) -> torch.Tensor:
    r"""$\sigma(z) = 1/(1+e^{-z})$，与 NumPy 版相同的稳定写法（指数参数非正）。

    两个分支分别只看 $z$ 的非负部分与非正部分（``clamp``），未被选中的分支也是有限值，
    所以 autograd 在任何 $z$（包括 0 和 $\pm 10^4$）处都给出 $\sigma(1-\sigma)$。
    """
    z = _check_tensor(z, "z")
    pos = 1.0 / (1.0 + torch.exp(-z.clamp_min(0)))        # z ≥ 0 时使用：exp 的参数 ≤ 0
    e = torch.exp(z.clamp_max(0))                         # z < 0 时使用：e^z ≤ 1
    return torch.where(z >= 0, pos, e / (1.0 + e))


def softplus(z: torch.Tensor) -> torch.Tensor:
    r"""$\log(1+e^{z}) = \log(e^0 + e^z)$，用 ``torch.logaddexp`` 计算：稳定，且导数处处是 $\sigma(z)$。

    （``max(z,0) + log1p(exp(-|z|))`` 数值上相同，但 autograd 在 $z=0$ 处会取 ``|z|`` 的次梯度 0，
    得到错误的导数。）
    """
    z = _check_tensor(z, "z")
    return torch.logaddexp(torch.zeros_like(z), z)


def logsumexp(Z: torch.Tensor, dim: int = -1, keepdim: bool = False) -> torch.Tensor:
    r"""$m + \log\sum e^{z-m}$，$m$ 取最大值（不参与求导，与 torch 内置一致）。"""
    Z = _check_tensor(Z, "Z")
    _check_dim(Z, dim)
    check_bool(keepdim, "keepdim")
    m = Z.max(dim=dim, keepdim=True).values.detach()
    out = m + torch.log(torch.exp(Z - m).sum(dim=dim, keepdim=True))
    return out if keepdim else out.squeeze(dim)


def softmax(Z: torch.Tensor, dim: int = -1) -> torch.Tensor:
    r"""$\mathrm{softmax}(z)_c = e^{z_c - m} / \sum_{c'} e^{z_{c'} - m}$。"""
    Z = _check_tensor(Z, "Z")
    _check_dim(Z, dim)
    E = torch.exp(Z - Z.max(dim=dim, keepdim=True).values.detach())
    return E / E.sum(dim=dim, keepdim=True)


def log_softmax(Z: torch.Tensor, dim: int = -1) -> torch.Tensor:
    r"""$z_c - \log\sum_{c'} e^{z_{c'}}$。"""
    return Z - logsumexp(Z, dim=dim, keepdim=True)


def binary_cross_entropy(p: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    r"""概率形式的二分类交叉熵（批平均），``log`` 截断在 -100（与 ``nn.BCELoss`` 相同）。"""
    p = _check_tensor(p, "p")
    y = _check_01(y, p.shape)
    if p.numel() and (p.min() < 0 or p.max() > 1):
        raise ValueError("p 应为概率，取值在 [0, 1] 内；若是 logit 请用 binary_cross_entropy_with_logits")
    log_p = torch.log(p).clamp_min(LOG_CLAMP)
    log_1mp = torch.log1p(-p).clamp_min(LOG_CLAMP)
    return -(y * log_p + (1 - y) * log_1mp).mean()


def binary_cross_entropy_with_logits(z: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    r"""$\mathrm{softplus}(z) - yz$ 的批平均；对 $z$ 的导数为 $(\sigma(z)-y)/N$。"""
    z = _check_tensor(z, "z")
    y = _check_01(y, z.shape)
    return (softplus(z) - y * z).mean()


def cross_entropy(Z: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    r"""多分类交叉熵（批平均），``target`` 为整数标签 (N,) 或 one-hot/概率 (N, C)。"""
    Z = _check_tensor(Z, "Z")
    if Z.ndim != 2:
        raise ValueError(f"Z 应为二维 logit 矩阵 (N, C)，实际形状为 {tuple(Z.shape)}")
    N, C = Z.shape
    if N == 0 or C == 0:
        raise ValueError(f"Z 的形状应为 (N, C) 且 N、C 至少为 1，实际为 {tuple(Z.shape)}")
    if not isinstance(target, torch.Tensor):
        raise TypeError(f"target 应为 torch.Tensor：整数标签 (N,) 或 one-hot (N, C)，实际得到 {type(target).__name__}")
    if target.ndim == 1:
        if torch.is_floating_point(target):
            raise TypeError(f"一维 target 应为整数类别标签，实际 dtype 为 {target.dtype}")
        target = as_label_tensor(target, "target", n=N, num_classes=C)
        Y = F.one_hot(target.long(), C).to(Z.dtype)
    elif target.ndim == 2:
        if tuple(target.shape) != (N, C):
            raise ValueError(f"one-hot/概率目标的形状应为 {(N, C)}，实际为 {tuple(target.shape)}")
        target = as_float_tensor(target, "target")
        if target.min() < 0 or not torch.allclose(target.sum(dim=1), torch.ones((), dtype=target.dtype)):
            raise ValueError("one-hot/概率目标的每一行应非负且和为 1")
        Y = target.to(Z.dtype)
    else:
        raise ValueError(f"target 应为 (N,) 或 (N, C)，实际形状为 {tuple(target.shape)}")
    return -(Y * log_softmax(Z)).sum() / N


def mse(y_hat: torch.Tensor, y: torch.Tensor, reduction: str = "mean") -> torch.Tensor:
    r"""``"mean"``：所有元素平均（= ``nn.MSELoss``）；``"half"``：$\frac{1}{2N}\sum_n\lVert\hat{y}^{(n)}-y^{(n)}\rVert^2$。"""
    check_choice(reduction, "reduction", ("mean", "half"))
    y_hat = _check_tensor(y_hat, "y_hat")
    y = _check_tensor(y, "y")
    if y_hat.shape != y.shape or y_hat.ndim == 0:
        raise ValueError(f"y_hat 与 y 的形状应相同，且至少为一维 (N,) 或 (N, K)；实际为 {tuple(y_hat.shape)} 与 {tuple(y.shape)}")
    sq = (y_hat - y) ** 2
    if reduction == "mean":
        return sq.mean()
    if reduction == "half":
        return sq.sum() / (2 * y.shape[0])
    raise ValueError(f"reduction 应为 'mean' 或 'half'，实际为 {reduction!r}")


def hinge_loss(scores: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    r"""$\frac{1}{N}\sum_n \max(0, 1 - y^{(n)} f(x^{(n)}))$，$y\in\{-1,+1\}$。"""
    scores = _check_tensor(scores, "scores")
    if not isinstance(y, torch.Tensor) or y.dtype == torch.bool or torch.is_complex(y):
        raise TypeError(f"y 应为取值 ±1 的实数张量，实际得到 {type(y).__name__} {getattr(y, 'dtype', '')}")
    if scores.ndim != 1 or y.shape != scores.shape:
        raise ValueError(f"scores 与 y 都应为形状 (N,) 的一维张量，实际为 {tuple(scores.shape)} 与 {tuple(y.shape)}")
    if not torch.isin(y, torch.tensor([-1, 1], dtype=y.dtype)).all():
        raise ValueError("y 的取值应为 +1 或 -1；若标签是 0/1，可用 2*y-1 转换")
    return torch.relu(1 - y.to(scores.dtype) * scores).mean()
