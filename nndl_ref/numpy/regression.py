r"""线性回归与多项式回归（NumPy 从零实现）：正规方程、梯度下降、岭回归。

对应书中第 2.2 节（机器学习的三个基本要素）与第 2.3 节（线性回归）；站点页面：
`docs/ch02-ml/index.md`。机器学习的四个要素在这里一一对应：

- 数据：$\mathcal{D} = \{(x^{(n)}, y^{(n)})\}_{n=1}^N$，一行一个样本 ``X`` (N, D)；
- 模型：$f(x; w, b) = w^\top x + b$（多项式回归先把 $x$ 变成 $(x, x^2, \dots, x^M)$）；
- 学习准则：带 $\ell_2$ 正则的经验风险（$\lambda = 0$ 时就是平方损失的平均）

$$\mathcal{R}(w, b) = \frac{1}{2N}\sum_{n=1}^N \big(w^\top x^{(n)} + b - y^{(n)}\big)^2
  + \frac{\lambda}{2}\lVert w\rVert^2$$

- 优化算法：令梯度为 0 直接解出（正规方程，``normal_equation``），或沿负梯度迭代
  （梯度下降，``LinearRegression.loss_and_grads`` 交给 `nndl_ref.numpy.optim.SGD`）。

偏置 $b$ 不加正则。torch 版：`nndl_ref.torch.regression`。
"""

from __future__ import annotations

import numpy as np

from .._validate import as_float_array, check_nonneg, check_positive, check_same_rows, check_seed


def _check_lambda(weight_decay) -> float:
    return float(check_nonneg(weight_decay, "weight_decay（λ）"))


def make_sine(n: int = 20, noise_std: float = 0.2, seed: int = 0):
    r"""一维回归的玩具数据：$x \sim U(0, 1)$，$y = \sin(2\pi x) + \epsilon$，$\epsilon\sim\mathcal{N}(0, \sigma^2)$。

    用来演示多项式回归的欠拟合与过拟合（书中第 2.2.2 节的例子）。站点第 2 章。

    Returns
    -------
    x : (N,), y : (N,)

    Examples
    --------
    >>> x, y = make_sine(5, seed=0)
    >>> x.shape, y.shape
    ((5,), (5,))
    """
    check_positive(n, "n", integer=True)
    check_nonneg(noise_std, "noise_std")
    rng = np.random.default_rng(check_seed(seed))
    x = rng.uniform(0.0, 1.0, n)
    return x, np.sin(2 * np.pi * x) + noise_std * rng.standard_normal(n)


def polynomial_features(x, degree: int) -> np.ndarray:
    r"""一维输入的多项式特征 $\phi(x) = (x, x^2, \dots, x^M)$（常数项由偏置 $b$ 负责）。

    多项式回归 $f(x) = b + \sum_{m=1}^M w_m x^m$ 对参数仍是线性的，所以它就是在
    $\phi(x)$ 上的线性回归。书中第 2.2.2 节；站点第 2 章。

    Parameters
    ----------
    x : array (N,)
    degree : int
        最高次数 $M \ge 1$。

    Returns
    -------
    ndarray (N, M)

    Examples
    --------
    >>> polynomial_features([1.0, 2.0], 3)
    array([[1., 1., 1.],
           [2., 4., 8.]])
    """
    x = as_float_array(x, "x", ndim=1)
    check_positive(degree, "degree", integer=True)
    return x[:, None] ** np.arange(1, degree + 1)          # (N, 1) ** (M,) → (N, M)


def normal_equation(X, y, weight_decay: float = 0.0):
    r"""线性回归（岭回归）的闭式解：令 $\partial\mathcal{R}/\partial w = 0$、$\partial\mathcal{R}/\partial b = 0$。

    对 $b$ 求导得 $b = \bar{y} - w^\top\bar{x}$；把它代回，记中心化的数据
    $\tilde{X} = X - \bar{x}^\top$、$\tilde{y} = y - \bar{y}$，得到正规方程

    $$\big(\tilde{X}^\top\tilde{X} + N\lambda I\big)\, w = \tilde{X}^\top \tilde{y}$$

    （书中写成 $w^* = (XX^\top + \lambda I)^{-1} X y$，那里 $X$ 按列存样本、损失没有除以 $N$，
    偏置并入了 $w$。）$\lambda > 0$ 时矩阵正定，直接求解；$\lambda = 0$ 且 $\tilde{X}^\top\tilde{X}$
    奇异或病态（样本少于特征、高次多项式）时，用最小二乘（SVD）求最小范数解，它在矩阵可逆时与
    正规方程的解相同。书中第 2.3.1 节；站点第 2 章。

    Parameters
    ----------
    X : array (N, D)
    y : array (N,)
    weight_decay : float
        正则系数 $\lambda \ge 0$。

    Returns
    -------
    w : (D,), b : float

    Examples
    --------
    >>> X = np.array([[0.0], [1.0], [2.0]])
    >>> w, b = normal_equation(X, 2 * X[:, 0] + 1)
    >>> np.round(w, 6).tolist(), round(b, 6)
    ([2.0], 1.0)
    """
    X = as_float_array(X, "X", ndim=2)
    y = as_float_array(y, "y", ndim=1)
    check_same_rows(X, y, "X", "y")
    lam = _check_lambda(weight_decay)
    N, D = X.shape
    x_bar, y_bar = X.mean(axis=0), y.mean()
    Xc, yc = X - x_bar, y - y_bar                       # 中心化：(N, D)、(N,)
    if lam > 0:
        # (X̃ᵀX̃ + NλI) w = X̃ᵀỹ
        w = np.linalg.solve(Xc.T @ Xc + N * lam * np.eye(D), Xc.T @ yc)
    else:
        w = np.linalg.lstsq(Xc, yc, rcond=None)[0]      # min ‖X̃w − ỹ‖²，最小范数解
    b = float(y_bar - x_bar @ w)                        # b = ȳ − wᵀx̄
    return w, b


class LinearRegression:
    r"""线性回归 $\hat{y} = w^\top x + b$，学习准则为（带 $\ell_2$ 正则的）平方损失的平均。

    $$\frac{\partial\mathcal{R}}{\partial w} = \frac{1}{N} X^\top(\hat{y} - y) + \lambda w, \qquad
      \frac{\partial\mathcal{R}}{\partial b} = \frac{1}{N}\sum_{n=1}^N \big(\hat{y}^{(n)} - y^{(n)}\big)$$

    ``params()`` 返回 ``{"w": (D,), "b": (1,)}``（数组原地更新）；``loss_and_grads`` 给梯度下降用，
    ``fit_normal_equation`` 直接写入闭式解。书中第 2.3.1 节；站点第 2 章。

    Examples
    --------
    >>> X = np.array([[0.0], [1.0], [2.0]])
    >>> model = LinearRegression(1).fit_normal_equation(X, np.array([1.0, 3.0, 5.0]))
    >>> np.round(model.predict(np.array([[3.0]])), 6)
    array([7.])
    """

    def __init__(self, n_features: int, weight_decay: float = 0.0):
        check_positive(n_features, "n_features", integer=True)
        self.weight_decay = _check_lambda(weight_decay)
        self.w = np.zeros(n_features)
        self.b = np.zeros(1)

    def params(self) -> dict:
        return {"w": self.w, "b": self.b}

    def predict(self, X):
        X = as_float_array(X, "X", ndim=2)
        if X.shape[1] != self.w.shape[0]:
            raise ValueError(f"X 应有 D={self.w.shape[0]} 列，实际形状为 {X.shape}")
        return X @ self.w + self.b                      # (N,)

    def loss_and_grads(self, X, y):
        """返回 $\\mathcal{R}(w, b)$ 与 ``{"w": ∂R/∂w, "b": ∂R/∂b}``。"""
        X = as_float_array(X, "X", ndim=2)
        y_hat = self.predict(X)
        y = as_float_array(y, "y", ndim=1)
        check_same_rows(y_hat, y, "X", "y")
        N = y.shape[0]
        r = y_hat - y                                   # 残差 ŷ − y，(N,)
        loss = 0.5 * float(r @ r) / N + 0.5 * self.weight_decay * float(self.w @ self.w)
        dw = X.T @ r / N + self.weight_decay * self.w   # (D, N) @ (N,) → (D,)
        db = np.array([r.sum() / N])
        return loss, {"w": dw, "b": db}

    def fit_normal_equation(self, X, y) -> "LinearRegression":
        w, b = normal_equation(X, y, self.weight_decay)
        if w.shape != self.w.shape:
            raise ValueError(f"X 应有 D={self.w.shape[0]} 列，实际有 {w.shape[0]} 列")
        self.w[:] = w
        self.b[:] = b
        return self


def mse(y_hat, y) -> float:
    r"""均方误差 $\frac{1}{N}\sum_n (\hat{y}^{(n)} - y^{(n)})^2$（用于报告训练 / 测试误差，不带 $\frac12$）。

    书中第 2.3 节；站点第 2 章。

    Examples
    --------
    >>> mse([1.0, 2.0], [1.0, 4.0])
    2.0
    """
    y_hat = as_float_array(y_hat, "y_hat", ndim=1)
    y = as_float_array(y, "y", ndim=1)
    if y_hat.shape != y.shape:
        raise ValueError(f"y_hat 与 y 的形状应相同 (N,)，实际为 {y_hat.shape} 与 {y.shape}")
    return float(np.mean((y_hat - y) ** 2))


def fit_polynomial(x, y, degree: int, weight_decay: float = 0.0) -> LinearRegression:
    r"""$M$ 次多项式回归：在 ``polynomial_features(x, degree)`` 上解正规方程。站点第 2 章。

    Examples
    --------
    >>> x = np.linspace(-1, 1, 5)
    >>> model = fit_polynomial(x, x ** 2, degree=2)
    >>> np.round(model.w, 6).tolist()
    [0.0, 1.0]
    """
    Phi = polynomial_features(x, degree)
    return LinearRegression(degree, weight_decay).fit_normal_equation(Phi, y)


__all__ = ["make_sine", "polynomial_features", "normal_equation", "LinearRegression", "mse", "fit_polynomial"]
