r"""自编码器（PyTorch 版），与 `nndl_ref.numpy.autoencoder` 一一对应。

书中第 9.1 节；站点页面：`docs/ch09-unsupervised/index.md`。编码器、解码器是 ``nn.Sequential``，层的
下标与 NumPy 版相同，所以 NumPy 的 ``encoder.0.W``/``encoder.0.b`` 就是这里的
``encoder.0.weight``/``encoder.0.bias``（形状相同，无需转置）。损失与稀疏惩罚的定义与 NumPy 版相同：

$$\mathcal{L} = \frac{1}{2N}\sum_{n}\lVert\hat{x}^{(n)} - x^{(n)}\rVert^2 + \beta\,\Omega(z)$$
"""

from __future__ import annotations

import torch
from torch import nn
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
    if x_hat.shape != x.shape or x.ndim != 2:
        raise ValueError(f"x_hat 与 x 应为同形状的 (N, D)，实际为 {tuple(x_hat.shape)} 与 {tuple(x.shape)}")
    return 0.5 * ((x_hat - x) ** 2).sum() / x.shape[0]


def sparsity_penalty(z: torch.Tensor, kind: str, weight: float, rho: float = 0.05) -> torch.Tensor:
    r"""$\beta\,\Omega(z)$：``"l1"`` 为 $\frac{\beta}{N}\sum|z|$，``"kl"`` 为 $\beta\sum_j\mathrm{KL}(\rho\Vert\hat{\rho}_j)$。

    书中第 9.1.4 节；站点第 9 章。梯度由 autograd 求出，测试把它与 NumPy 版手写的梯度对照。
    """
    if kind == "l1":
        return weight * z.abs().sum() / z.shape[0]
    if kind == "kl":
        if not 0.0 < rho < 1.0:
            raise ValueError(f"rho（目标平均激活）应在 (0, 1) 内，实际为 {rho}")
        rho_hat = z.mean(dim=0)
        kl = rho * torch.log(rho / rho_hat) + (1 - rho) * torch.log((1 - rho) / (1 - rho_hat))
        return weight * kl.sum()
    raise ValueError(f"kind 应为 'l1' 或 'kl'，实际为 {kind!r}")


def corrupt(x: torch.Tensor, generator: torch.Generator | None = None, kind: str = "mask",
            level: float = 0.3) -> torch.Tensor:
    r"""降噪自编码器的加噪：``"mask"`` 以概率 ``level`` 置零，``"gaussian"`` 加标准差 ``level`` 的噪声。

    书中第 9.1.6 节；站点第 9 章。
    """
    if kind == "mask":
        if not 0.0 <= level < 1.0:
            raise ValueError(f"掩蔽噪声的 level（置零概率）应在 [0, 1) 内，实际为 {level}")
        keep = torch.rand(x.shape, generator=generator, dtype=x.dtype, device=x.device) >= level
        return x * keep
    if kind == "gaussian":
        return x + level * torch.randn(x.shape, generator=generator, dtype=x.dtype, device=x.device)
    raise ValueError(f"kind 应为 'mask' 或 'gaussian'，实际为 {kind!r}")


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
        sizes = (n_in, *hidden, n_code)
        self.encoder = _stack(sizes, activation, code_activation)
        self.decoder = _stack(sizes[::-1], activation, out_activation)
        self.n_in, self.n_code = n_in, n_code
        self.sparsity, self.sparsity_weight, self.sparsity_target = sparsity, sparsity_weight, sparsity_target

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.ndim != 2 or x.shape[1] != self.n_in:
            raise ValueError(f"x 应为 (N, D) 且 D={self.n_in}，实际形状为 {tuple(x.shape)}")
        return self.decoder(self.encoder(x))

    def loss(self, x: torch.Tensor, target: torch.Tensor | None = None) -> torch.Tensor:
        """重构损失加稀疏惩罚；``target`` 默认是 ``x``（降噪时传入干净的输入）。"""
        if x.ndim != 2 or x.shape[1] != self.n_in:
            raise ValueError(f"x 应为 (N, D) 且 D={self.n_in}，实际形状为 {tuple(x.shape)}")
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
