r"""受限玻尔兹曼机（PyTorch 版），与 `nndl_ref.numpy.rbm` 一一对应。

书中第 12.2 节；站点页面：`docs/ch09-unsupervised/index.md`。参数 ``W`` (K, D)、``a`` (D,)、``b`` (K,) 与 NumPy
版同名同形状。CD-$k$ 的梯度不用手写：把负样本 $v^{(k)}$ 当常数，对

$$\mathcal{L}_{CD} = \frac{1}{N}\sum_n F\big(v^{(0,n)}\big) - \frac{1}{N}\sum_n F\big(v^{(k,n)}\big)$$

做 ``backward``，得到的正是 NumPy 版 ``cd_grads`` 手写的那个梯度（测试逐元素对照）。
"""

from __future__ import annotations

import torch
from torch import nn
from torch.nn.functional import softplus
from .._validate import as_float_tensor, check_positive, check_real, check_seed
from ._threads import limit_threads


class RBM(nn.Module):
    r"""二值 RBM：能量 $E(v,h) = -a^\top v - b^\top h - h^\top W v$。书中第 12.2 节；站点第 9 章。

    Examples
    --------
    >>> rbm = RBM(4, 3)
    >>> rbm.free_energy(torch.ones(2, 4)).shape
    torch.Size([2])
    """

    def __init__(self, n_visible: int, n_hidden: int, weight_scale: float = 0.01, dtype=torch.float32):
        super().__init__()
        check_positive(n_visible, "n_visible", integer=True), check_positive(n_hidden, "n_hidden", integer=True)
        check_positive(weight_scale, "weight_scale")
        if not isinstance(dtype, torch.dtype) or not dtype.is_floating_point:
            raise TypeError(f"dtype 应为浮点的 torch.dtype（如 torch.float64），实际为 {dtype!r}")
        self.W = nn.Parameter(weight_scale * torch.randn(n_hidden, n_visible, dtype=dtype))
        self.a = nn.Parameter(torch.zeros(n_visible, dtype=dtype))
        self.b = nn.Parameter(torch.zeros(n_hidden, dtype=dtype))

    def _check(self, v: torch.Tensor, name: str = "v") -> None:
        v = as_float_tensor(v, name)
        if v.ndim != 2 or v.shape[1] != self.W.shape[1]:
            raise ValueError(f"{name} 应为 (N, D) 且 D={self.W.shape[1]}，实际形状为 {tuple(v.shape)}")
        if v.numel() and (v.min() < 0 or v.max() > 1):
            raise ValueError(f"{name} 的取值应在 [0, 1] 内（二值单元或其概率），实际范围为 [{float(v.min())}, {float(v.max())}]")

    def _check_h(self, h: torch.Tensor) -> None:
        h = as_float_tensor(h, "h")
        if h.ndim != 2 or h.shape[1] != self.W.shape[0]:
            raise ValueError(f"h 应为 (N, K) 且 K={self.W.shape[0]}，实际形状为 {tuple(h.shape)}")

    def free_energy(self, v: torch.Tensor) -> torch.Tensor:
        r"""$F(v) = -a^\top v - \sum_j\operatorname{softplus}(b_j + W_{j,:}v)$，返回 (N,)。"""
        self._check(v)
        return -(v @ self.a) - softplus(v @ self.W.T + self.b).sum(dim=1)

    def prob_h(self, v: torch.Tensor) -> torch.Tensor:
        self._check(v)
        return torch.sigmoid(v @ self.W.T + self.b)

    def prob_v(self, h: torch.Tensor) -> torch.Tensor:
        self._check_h(h)
        return torch.sigmoid(h @ self.W + self.a)

    @torch.no_grad()
    def gibbs(self, v: torch.Tensor, k: int, generator: torch.Generator | None = None) -> torch.Tensor:
        """$k$ 步块吉布斯采样 $v\\to h\\to v$。"""
        check_positive(k, "k", integer=True)
        self._check(v)
        if generator is not None and not isinstance(generator, torch.Generator):
            raise TypeError(f"generator 应为 torch.Generator 或 None，实际得到 {type(generator).__name__}")
        for _ in range(k):
            h = torch.bernoulli(self.prob_h(v), generator=generator)
            v = torch.bernoulli(self.prob_v(h), generator=generator)
        return v

    def cd_loss(self, v0: torch.Tensor, vk: torch.Tensor) -> torch.Tensor:
        r"""$\overline{F(v^{(0)})} - \overline{F(v^{(k)})}$；对它求梯度即 CD 梯度（$v^{(k)}$ 不参与求导）。"""
        self._check(v0, "v0"), self._check(vk, "vk")
        return self.free_energy(v0).mean() - self.free_energy(vk.detach()).mean()


def fit(rbm: RBM, X: torch.Tensor, *, epochs: int = 20, lr: float = 0.05, batch_size: int = 32, k: int = 1,
        momentum: float = 0.5, seed: int = 0, threads: int | None = 1) -> list[float]:
    """CD-$k$ + ``torch.optim.SGD(momentum)``，返回每个 epoch 的平均重构误差。站点第 9 章。

    ``threads``：训练期间 torch 使用的线程数（默认 1：矩阵这么小，多线程的同步开销比计算还大；
    ``None`` 表示不改），结束后恢复原值。
    """
    if not isinstance(rbm, RBM):
        raise TypeError(f"rbm 应为 RBM，实际得到 {type(rbm).__name__}")
    rbm._check(X, "X")
    check_positive(epochs, "epochs", integer=True), check_positive(batch_size, "batch_size", integer=True)
    check_positive(k, "k", integer=True), check_positive(lr, "lr"), check_seed(seed)
    check_real(momentum, "momentum", 0, 1, high_open=True)
    with limit_threads(threads):
        return _fit(rbm, X, epochs, lr, batch_size, k, momentum, seed)


def _fit(rbm, X, epochs, lr, batch_size, k, momentum, seed):
    g = torch.Generator().manual_seed(seed)
    opt = torch.optim.SGD(rbm.parameters(), lr=lr, momentum=momentum)
    history = []
    for _ in range(epochs):
        total = 0.0
        for idx in torch.randperm(X.shape[0], generator=g).split(batch_size):
            v0 = X[idx]
            vk = rbm.gibbs(v0, k, g)
            opt.zero_grad()
            rbm.cd_loss(v0, vk).backward()
            opt.step()
            with torch.no_grad():
                total += ((v0 - rbm.prob_v(rbm.prob_h(v0))) ** 2).sum().item()
        history.append(total / X.shape[0])
    return history


__all__ = ["RBM", "fit"]
