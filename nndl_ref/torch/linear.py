r"""线性模型（PyTorch 版），与 `nndl_ref.numpy.linear` 一一对应；站点页面：`docs/ch03-linear/index.md`。

参数名与形状与 NumPy 版相同（``w``/``b``，``W`` 为 (C, D)），可以直接互相拷贝。
"""

from __future__ import annotations

import torch
from torch import nn

from .._validate import as_float_tensor, check_bool, check_positive, check_real, check_seed
from . import losses


def _check_Xw(X, w, b):
    X = as_float_tensor(X, "X", ndim=2)
    w = as_float_tensor(w, "w", ndim=1)
    if w.shape[0] != X.shape[1]:
        raise ValueError(f"X 的形状应为 (N, D)、w 的形状应为 (D,)，两者的 D 相同（w 给出 D={w.shape[0]}）；"
                         f"实际 X {tuple(X.shape)}，w {tuple(w.shape)}")
    if isinstance(b, torch.Tensor):
        as_float_tensor(b, "b", ndim=(0, 1))
    else:
        check_real(b, "b")
    return X, w


def _check_pm1(y, N: int):
    if not isinstance(y, torch.Tensor) or y.dtype == torch.bool or torch.is_complex(y):
        raise TypeError(f"y 应为取值 ±1 的实数张量 (N,)，实际得到 {type(y).__name__} {getattr(y, 'dtype', '')}")
    if y.shape != (N,):
        raise ValueError(f"y 的形状应为 (N,) = ({N},)，实际为 {tuple(y.shape)}")
    if not torch.isin(y, torch.tensor([-1, 1], dtype=y.dtype, device=y.device)).all():
        raise ValueError("y 的取值应为 +1 或 -1；若标签是 0/1，可用 2*y-1 转换")
    return y


def perceptron_predict(X: torch.Tensor, w: torch.Tensor, b=0.0) -> torch.Tensor:
    r"""$\mathrm{sgn}(w^\top x + b)$，约定 $\mathrm{sgn}(0)=+1$（``torch.sign(0)`` 是 0，所以不用它）。"""
    X, w = _check_Xw(X, w, b)
    return torch.where(X @ w + b >= 0, 1.0, -1.0).to(X.dtype)


def perceptron_loss(X: torch.Tensor, y: torch.Tensor, w: torch.Tensor, b=0.0) -> torch.Tensor:
    r"""$-\sum_{\mathcal{M}} y^{(n)}(w^\top x^{(n)}+b)$；对 ``w``、``b`` 求 autograd 即得感知器的梯度。"""
    X, w = _check_Xw(X, w, b)
    y = _check_pm1(y, X.shape[0])
    margin = y.to(X.dtype) * (X @ w + b)
    return -(margin * (margin <= 0)).sum()


class Perceptron:
    """感知器（torch 张量上的同一算法）：错一个改一个，``w ← w + η y x``。"""

    def __init__(self, lr: float = 1.0, max_epochs: int = 100, shuffle: bool = True, seed: int = 0):
        check_positive(lr, "lr"), check_positive(max_epochs, "max_epochs", integer=True)
        check_bool(shuffle, "shuffle"), check_seed(seed)
        self.lr, self.max_epochs, self.shuffle, self.seed = lr, max_epochs, shuffle, seed

    @torch.no_grad()
    def fit(self, X: torch.Tensor, y: torch.Tensor) -> "Perceptron":
        X = as_float_tensor(X, "X", ndim=2)
        y = _check_pm1(y, X.shape[0]).to(X.dtype)
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
        check_positive(n_features, "n_features", integer=True)
        self.w = nn.Parameter(torch.zeros(n_features))
        self.b = nn.Parameter(torch.zeros(1))

    def forward(self, X: torch.Tensor) -> torch.Tensor:
        X = as_float_tensor(X, "X")
        if X.ndim != 2 or X.shape[1] != self.w.shape[0]:
            raise ValueError(f"X 应为 (N, {self.w.shape[0]})，实际为 {tuple(X.shape)}")
        return X @ self.w + self.b[0]

    def loss(self, X: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        if not isinstance(y, torch.Tensor) or y.dtype == torch.bool or torch.is_complex(y):
            raise TypeError(f"y 应为取值 0/1 的实数张量 (N,)，实际得到 {type(y).__name__} {getattr(y, 'dtype', '')}")
        return losses.binary_cross_entropy_with_logits(self(X), y.to(self.w.dtype))

    def predict(self, X: torch.Tensor) -> torch.Tensor:
        return (self(X) >= 0).long()


class SoftmaxRegression(nn.Module):
    r"""$\hat{y} = \mathrm{softmax}(W x + b)$；``forward`` 返回 logit $Z = XW^\top + b$，形状 (N, C)。"""

    def __init__(self, n_features: int, n_classes: int):
        super().__init__()
        check_positive(n_features, "n_features", integer=True), check_positive(n_classes, "n_classes", integer=True)
        self.W = nn.Parameter(torch.zeros(n_classes, n_features))
        self.b = nn.Parameter(torch.zeros(n_classes))

    def forward(self, X: torch.Tensor) -> torch.Tensor:
        X = as_float_tensor(X, "X")
        if X.ndim != 2 or X.shape[1] != self.W.shape[1]:
            raise ValueError(f"X 应为 (N, {self.W.shape[1]})，实际为 {tuple(X.shape)}")
        return X @ self.W.T + self.b

    def predict(self, X: torch.Tensor) -> torch.Tensor:
        return self(X).argmax(dim=1)
