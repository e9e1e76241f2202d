r"""线性回归与多项式回归（PyTorch 版），与 `nndl_ref.numpy.regression` 一一对应。

学习准则相同（$\lambda$ 不作用于偏置）：

$$\mathcal{R}(w, b) = \frac{1}{2N}\sum_{n=1}^N \big(w^\top x^{(n)} + b - y^{(n)}\big)^2 + \frac{\lambda}{2}\lVert w\rVert^2$$

梯度由 autograd 求出，优化用 ``torch.optim.SGD``；闭式解用 ``torch.linalg``。
书中第 2.3.1 节；站点页面：`docs/ch02-ml/index.md`。
"""

from __future__ import annotations

import torch
from torch import nn

from .._validate import as_float_tensor, check_nonneg, check_positive


def _check(X: torch.Tensor, y: torch.Tensor | None = None) -> None:
    X = as_float_tensor(X, "X")
    if X.ndim != 2:
        raise ValueError(f"X 应为 2 维张量 (N, D)，实际形状为 {tuple(X.shape)}")
    if y is not None and (as_float_tensor(y, "y").ndim != 1 or y.shape[0] != X.shape[0]):
        raise ValueError(f"y 应为 (N,) = ({X.shape[0]},)，实际形状为 {tuple(y.shape)}")


def polynomial_features(x: torch.Tensor, degree: int) -> torch.Tensor:
    r"""$\phi(x) = (x, x^2, \dots, x^M)$，(N,) → (N, M)。书中第 2.2.2 节；站点第 2 章。"""
    if as_float_tensor(x, "x").ndim != 1:
        raise ValueError(f"x 应为 1 维张量 (N,)，实际形状为 {tuple(x.shape)}")
    check_positive(degree, "degree", integer=True)
    powers = torch.arange(1, degree + 1, dtype=x.dtype, device=x.device)
    return x[:, None] ** powers                            # (N, 1) ** (M,) → (N, M)


def normal_equation(X: torch.Tensor, y: torch.Tensor, weight_decay: float = 0.0):
    r"""正规方程 $(\tilde{X}^\top\tilde{X} + N\lambda I) w = \tilde{X}^\top\tilde{y}$，$b = \bar{y} - w^\top\bar{x}$。

    与 NumPy 版相同：$\lambda = 0$ 时用最小二乘（``torch.linalg.lstsq``）。书中第 2.3.1 节；站点第 2 章。

    Returns
    -------
    w : (D,), b : 0 维张量
    """
    _check(X, y)
    check_nonneg(weight_decay, "weight_decay（λ）")
    N, D = X.shape
    x_bar, y_bar = X.mean(dim=0), y.mean()
    Xc, yc = X - x_bar, y - y_bar
    if weight_decay > 0:
        A = Xc.T @ Xc + N * weight_decay * torch.eye(D, dtype=X.dtype, device=X.device)
        w = torch.linalg.solve(A, Xc.T @ yc)
    else:
        w = torch.linalg.lstsq(Xc, yc[:, None], driver="gelsd" if X.device.type == "cpu" else None).solution[:, 0]
    return w, y_bar - x_bar @ w


class LinearRegression(nn.Module):
    r"""$\hat{y} = w^\top x + b$；参数 ``w`` (D,) 与 ``b`` (1,) 与 NumPy 版同名同形状。书中第 2.3.1 节；站点第 2 章。"""

    def __init__(self, n_features: int, weight_decay: float = 0.0, dtype=torch.float32):
        super().__init__()
        check_positive(n_features, "n_features", integer=True)
        check_nonneg(weight_decay, "weight_decay（λ）")
        self.weight_decay = float(weight_decay)
        self.w = nn.Parameter(torch.zeros(n_features, dtype=dtype))
        self.b = nn.Parameter(torch.zeros(1, dtype=dtype))

    def forward(self, X: torch.Tensor) -> torch.Tensor:
        _check(X)
        if X.shape[1] != self.w.shape[0]:
            raise ValueError(f"X 应有 D={self.w.shape[0]} 列，实际形状为 {tuple(X.shape)}")
        return X @ self.w + self.b

    def loss(self, X: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        """$\\mathcal{R}(w, b)$：平方损失的一半的平均，加 $\\frac{\\lambda}{2}\\lVert w\\rVert^2$。"""
        _check(X, y)
        r = self(X) - y
        return 0.5 * (r ** 2).mean() + 0.5 * self.weight_decay * (self.w ** 2).sum()


def fit_gradient_descent(model: LinearRegression, X: torch.Tensor, y: torch.Tensor, *, lr: float = 0.1,
                         steps: int = 100) -> list[float]:
    r"""全批量梯度下降 $\theta \leftarrow \theta - \alpha\,\partial\mathcal{R}/\partial\theta$，返回每一步的损失。

    与 ``nndl_ref.numpy.optim.fit_full_batch(model, X, y, SGD(model.params(), lr), steps)`` 逐步相同。
    书中第 2.2.3 节；站点第 2 章。
    """
    if not isinstance(model, LinearRegression):
        raise TypeError(f"model 应为 LinearRegression，实际得到 {type(model).__name__}")
    check_positive(lr, "lr"), check_positive(steps, "steps", integer=True)
    _check(X, y)
    if X.shape[1] != model.w.shape[0]:
        raise ValueError(f"X 应有 D={model.w.shape[0]} 列，实际形状为 {tuple(X.shape)}")
    opt = torch.optim.SGD(model.parameters(), lr=lr)
    history = []
    for _ in range(steps):
        opt.zero_grad()
        loss = model.loss(X, y)
        loss.backward()
        opt.step()
        history.append(loss.item())
    return history


__all__ = ["polynomial_features", "normal_equation", "LinearRegression", "fit_gradient_descent"]
