r"""线性模型（PyTorch 版），与 `nndl_ref.numpy.linear` 一一对应；站点页面：`docs/ch03-linear/index.md`。

参数名与形状与 NumPy 版相同（``w``/``b``，``W`` 为 (C, D)），可以直接互相拷贝。
"""

from __future__ import annotations

import torch
from torch import nn

from . import losses


def perceptron_predict(X: torch.Tensor, w: torch.Tensor, b=0.0) -> torch.Tensor:
    r"""$\mathrm{sgn}(w^\top x + b)$，约定 $\mathrm{sgn}(0)=+1$（``torch.sign(0)`` 是 0，所以不用它）。"""
    losses._check_tensor(X, "X")
    if X.ndim != 2 or w.ndim != 1 or w.shape[0] != X.shape[1]:
        raise ValueError(f"X 应为 (N, D)、w 应为 (D,)，实际为 {tuple(X.shape)} 与 {tuple(w.shape)}")
    return torch.where(X @ w + b >= 0, 1.0, -1.0).to(X.dtype)


def perceptron_loss(X: torch.Tensor, y: torch.Tensor, w: torch.Tensor, b=0.0) -> torch.Tensor:
    r"""$-\sum_{\mathcal{M}} y^{(n)}(w^\top x^{(n)}+b)$；对 ``w``、``b`` 求 autograd 即得感知器的梯度。"""
    margin = y.to(X.dtype) * (X @ w + b)
    return -(margin * (margin <= 0)).sum()


class Perceptron:
    """感知器（torch 张量上的同一算法）：错一个改一个，``w ← w + η y x``。"""

    def __init__(self, lr: float = 1.0, max_epochs: int = 100, shuffle: bool = True, seed: int = 0):
        if not lr > 0 or max_epochs < 1:
            raise ValueError("lr 应大于 0，max_epochs 应为正整数")
        self.lr, self.max_epochs, self.shuffle, self.seed = lr, max_epochs, shuffle, seed

    @torch.no_grad()
    def fit(self, X: torch.Tensor, y: torch.Tensor) -> "Perceptron":
        losses._check_tensor(X, "X")
        if not torch.isin(y, torch.tensor([-1, 1], dtype=y.dtype, device=y.device)).all():
            raise ValueError("y 的取值应为 +1 或 -1")
        y = y.to(X.dtype)
        g = torch.Generator().manual_seed(self.seed)
        N, D = X.shape
        self.w = torch.zeros(D, dtype=X.dtype, device=X.device)
        self.b = torch.zeros((), dtype=X.dtype, device=X.device)
        self.mistakes_, self.converged_ = [], False
        for _ in range(self.max_epochs):
            order = torch.randperm(N, generator=g) if self.shuffle else torch.arange(N)
            mistakes = 0
            for n in order.tolist():
                if y[n] * (X[n] @ self.w + self.b) <= 0:
                    self.w += self.lr * y[n] * X[n]
                    self.b += self.lr * y[n]
                    mistakes += 1
            self.mistakes_.append(mistakes)
            if mistakes == 0:
                self.converged_ = True
                break
        self.n_updates_ = sum(self.mistakes_)
        return self

    def predict(self, X: torch.Tensor) -> torch.Tensor:
        return perceptron_predict(X, self.w, self.b)


class LogisticRegression(nn.Module):
    r"""$p(y=1\mid x) = \sigma(w^\top x + b)$；``forward`` 返回 logit $z$（配合 logit 形式的交叉熵）。"""

    def __init__(self, n_features: int):
        super().__init__()
        self.w = nn.Parameter(torch.zeros(n_features))
        self.b = nn.Parameter(torch.zeros(1))

    def forward(self, X: torch.Tensor) -> torch.Tensor:
        if X.ndim != 2 or X.shape[1] != self.w.shape[0]:
            raise ValueError(f"X 应为 (N, {self.w.shape[0]})，实际为 {tuple(X.shape)}")
        return X @ self.w + self.b[0]

    def loss(self, X: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        return losses.binary_cross_entropy_with_logits(self(X), y.to(self.w.dtype))

    def predict(self, X: torch.Tensor) -> torch.Tensor:
        return (self(X) >= 0).long()


class SoftmaxRegression(nn.Module):
    r"""$\hat{y} = \mathrm{softmax}(W x + b)$；``forward`` 返回 logit $Z = XW^\top + b$，形状 (N, C)。"""

    def __init__(self, n_features: int, n_classes: int):
        super().__init__()
        self.W = nn.Parameter(torch.zeros(n_classes, n_features))
        self.b = nn.Parameter(torch.zeros(n_classes))

    def forward(self, X: torch.Tensor) -> torch.Tensor:
        if X.ndim != 2 or X.shape[1] != self.W.shape[1]:
            raise ValueError(f"X 应为 (N, {self.W.shape[1]})，实际为 {tuple(X.shape)}")
        return X @ self.W.T + self.b

    def predict(self, X: torch.Tensor) -> torch.Tensor:
        return self(X).argmax(dim=1)
