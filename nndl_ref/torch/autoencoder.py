r"""自编码器（PyTorch 版），与 `nndl_ref.numpy.autoencoder` 一一对应。

书中第 9.1 节；站点页面：`docs/ch09-unsupervised/index.md`。编码器、解码器是 ``nn.Sequential``，层的
下标与 NumPy 版相同，所以 NumPy 的 ``encoder.0.W``/``encoder.0.b`` 就是这里的
``encoder.0.weight``/``encoder.0.bias``（形状相同，无需转置）。损失与稀疏惩罚的定义与 NumPy 版相同：

$$\mathcal{L} = \frac{1}{2N}\sum_{n}\lVert\hat{x}^{(n)} - x^{(n)}\rVert^2 + \beta\,\Omega(z)$$
"""

from __future__ import annotations

import torch
from torch import nn
from .._validate import as_float_tensor, check_choice, check_nonneg, check_positive, check_real, check_seed
from ..numpy.autoencoder import _check_noise            # 与 NumPy 版同一套噪声参数检查
from ._threads import limit_threads

_ACT = {"tanh": nn.Tanh, "logistic": nn.Sigmoid, "sigmoid": nn.Sigmoid, "relu": nn.ReLU,
        "elu": nn.ELU, "softplus": nn.Softplus, "gelu": nn.GELU}


def _act(name: str) -> nn.Module:
    if name not in _ACT:
        raise ValueError(f"未知的激活函数 {name!r}；torch 版可选：{', '.join(sorted(_ACT))}")
    return _ACT[name]()


def _stack(sizes, activation, last_activation) -> nn.Sequential:
    layers: list[nn.Module] = []
    for i, (d_in, d_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(nn.Linear(d_in, d_out))
        name = activation if i < len(sizes) - 2 else last_activation
        if name is not None:
            layers.append(_act(name))
    return nn.Sequential(*layers)


def reconstruction_loss(x_hat: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    r"""$\frac{1}{2N}\sum_n\lVert\hat{x}^{(n)} - x^{(n)}\rVert^2$。书中第 9.1.3 节；站点第 9 章。"""
    x_hat, x = as_float_tensor(x_hat, "x_hat"), as_float_tensor(x, "x")
    if x_hat.shape != x.shape or x.ndim != 2:
        raise ValueError(f"x_hat 与 x 应为同形状的 (N, D)，实际为 {tuple(x_hat.shape)} 与 {tuple(x.shape)}")
    return 0.5 * ((x_hat - x) ** 2).sum() / x.shape[0]


def sparsity_penalty(z: torch.Tensor, kind: str, weight: float, rho: float = 0.05) -> torch.Tensor:
    r"""$\beta\,\Omega(z)$：``"l1"`` 为 $\frac{\beta}{N}\sum|z|$，``"kl"`` 为 $\beta\sum_j\mathrm{KL}(\rho\Vert\hat{\rho}_j)$。

    书中第 9.1.4 节；站点第 9 章。梯度由 autograd 求出，测试把它与 NumPy 版手写的梯度对照。
    """
    z = as_float_tensor(z, "z", ndim=2)
    check_choice(kind, "kind", ("l1", "kl"))
    check_nonneg(weight, "weight（β）")
    if kind == "l1":
        return weight * z.abs().sum() / z.shape[0]
    if kind == "kl":
        check_real(rho, "rho（目标平均激活）", 0, 1, low_open=True, high_open=True)
        rho_hat = z.mean(dim=0)
        kl = rho * torch.log(rho / rho_hat) + (1 - rho) * torch.log((1 - rho) / (1 - rho_hat))
        return weight * kl.sum()
    raise ValueError(f"kind 应为 'l1' 或 'kl'，实际为 {kind!r}")


def corrupt(x: torch.Tensor, generator: torch.Generator | None = None, kind: str = "mask",
            level: float = 0.3) -> torch.Tensor:
    r"""降噪自编码器的加噪：``"mask"`` 以概率 ``level`` 置零，``"gaussian"`` 加标准差 ``level`` 的噪声。

    书中第 9.1.6 节；站点第 9 章。
    """
    x = as_float_tensor(x, "x")
    _check_noise(kind, level)
    if generator is not None and not isinstance(generator, torch.Generator):
        raise TypeError(f"generator 应为 torch.Generator 或 None，实际得到 {type(generator).__name__}")
    if kind == "mask":
        keep = torch.rand(x.shape, generator=generator, dtype=x.dtype, device=x.device) >= level
        return x * keep
    return x + level * torch.randn(x.shape, generator=generator, dtype=x.dtype, device=x.device)


class Autoencoder(nn.Module):
    r"""全连接自编码器，参数与 ``nndl_ref.numpy.autoencoder.Autoencoder`` 一一对应。书中第 9.1 节；站点第 9 章。

    Examples
    --------
    >>> ae = Autoencoder(6, 2, hidden=(4,))
    >>> [k for k in ae.state_dict()][:2]
    ['encoder.0.weight', 'encoder.0.bias']
    """

    def __init__(self, n_in: int, n_code: int, hidden: tuple = (), activation: str = "tanh",
                 code_activation: str | None = None, out_activation: str | None = None,
                 sparsity: str | None = None, sparsity_weight: float = 1e-3, sparsity_target: float = 0.05):
        super().__init__()
        if sparsity not in (None, "l1", "kl"):
            raise ValueError(f"sparsity 应为 None、'l1' 或 'kl'，实际为 {sparsity!r}")
        if sparsity == "kl" and code_activation not in ("logistic", "sigmoid"):
            raise ValueError("sparsity='kl' 要求编码在 (0, 1) 内：请设 code_activation='logistic'")
        if not isinstance(hidden, (tuple, list)):
            raise TypeError(f"hidden 应为隐藏层宽度的元组，如 (32,)，实际为 {hidden!r}")
        for v, name in ((n_in, "n_in"), (n_code, "n_code"), *((h, "hidden 中的宽度") for h in hidden)):
            check_positive(v, name, integer=True)
        for name in (activation, code_activation, out_activation):
            if name is not None:
                _act(name)
        check_nonneg(sparsity_weight, "sparsity_weight")
        check_real(sparsity_target, "sparsity_target（目标平均激活）", 0, 1, low_open=True, high_open=True)
        sizes = (n_in, *hidden, n_code)
        self.encoder = _stack(sizes, activation, code_activation)
        self.decoder = _stack(sizes[::-1], activation, out_activation)
        self.n_in, self.n_code = n_in, n_code
        self.sparsity, self.sparsity_weight, self.sparsity_target = sparsity, sparsity_weight, sparsity_target

    def _check_x(self, x, name: str = "x") -> torch.Tensor:
        x = as_float_tensor(x, name)
        if x.ndim != 2 or x.shape[1] != self.n_in:
            raise ValueError(f"{name} 应为 (N, D) 且 D={self.n_in}，实际形状为 {tuple(x.shape)}")
        return x

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.decoder(self.encoder(self._check_x(x)))

    def loss(self, x: torch.Tensor, target: torch.Tensor | None = None) -> torch.Tensor:
        """重构损失加稀疏惩罚；``target`` 默认是 ``x``（降噪时传入干净的输入）。"""
        x = self._check_x(x)
        if target is not None and self._check_x(target, "target").shape != x.shape:
            raise ValueError(f"target 的形状应与 x 相同 {tuple(x.shape)}，实际为 {tuple(target.shape)}")
        z = self.encoder(x)
        out = reconstruction_loss(self.decoder(z), x if target is None else target)
        if self.sparsity is not None:
            out = out + sparsity_penalty(z, self.sparsity, self.sparsity_weight, self.sparsity_target)
        return out


def fit(model: Autoencoder, X: torch.Tensor, *, epochs: int = 50, lr: float = 1e-2, batch_size: int = 64,
        seed: int = 0, noise: str | None = None, noise_level: float = 0.3, threads: int | None = 1) -> list[float]:
    """用 ``torch.optim.Adam`` 小批量训练，返回每个 epoch 的平均损失（``noise`` 见 NumPy 版）。书中第 9.1 节；站点第 9 章。

    ``threads``：训练期间 torch 使用的线程数（默认 1：矩阵这么小，多线程的同步开销比计算还大；
    ``None`` 表示不改），结束后恢复原值。
    """
    if not isinstance(model, Autoencoder):
        raise TypeError(f"model 应为 Autoencoder，实际得到 {type(model).__name__}")
    model._check_x(X, "X")
    check_positive(epochs, "epochs", integer=True), check_positive(batch_size, "batch_size", integer=True)
    check_positive(lr, "lr"), check_seed(seed)
    if noise is not None:
        _check_noise(noise, noise_level)
    with limit_threads(threads):
        return _fit(model, X, epochs, lr, batch_size, seed, noise, noise_level)


def _fit(model, X, epochs, lr, batch_size, seed, noise, noise_level):
    g = torch.Generator().manual_seed(seed)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    N = X.shape[0]
    history = []
    for _ in range(epochs):
        total = 0.0
        for idx in torch.randperm(N, generator=g).split(batch_size):
            x = X[idx]
            x_in = x if noise is None else corrupt(x, g, noise, noise_level)
            opt.zero_grad()
            loss = model.loss(x_in, x)
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
        history.append(total / N)
    return history


__all__ = ["reconstruction_loss", "sparsity_penalty", "corrupt", "Autoencoder", "fit"]
