r"""激活与损失（NumPy 从零实现）：Logistic、Softmax、交叉熵、均方误差、铰链损失。

对应书中第 3 章（线性模型）；站点页面：`docs/ch03-linear/index.md`（第 3 章 线性模型）。每个函数都给出前向与导数，数值稳定：
logit 为 $\pm 10^4$、概率恰为 0 或 1 时结果仍是有限值。

导数紧挨着前向写（micrograd 的做法），便于对照公式检查。
"""

from __future__ import annotations

import numpy as np

from .._validate import as_01_targets, as_float_array, as_labels, as_pm1_labels, check_bool, check_choice, check_real

# torch 的 BCELoss 把 log 截断在 -100：p 恰为 0 或 1 时损失有限（最多 100）。我们采用同样的约定。
LOG_CLAMP = -100.0


# ---------------------------------------------------------------- Logistic 函数
def sigmoid(z):
    r"""Logistic 函数 $\sigma(z) = \frac{1}{1+e^{-z}}$，对任意大的 $|z|$ 都不溢出。

    $$\sigma(z) = \frac{1}{1 + \exp(-z)}, \qquad \sigma'(z) = \sigma(z)\,(1-\sigma(z))$$

    稳定写法：令 $e = \exp(-|z|) \in (0, 1]$，则 $z \ge 0$ 时 $\sigma = 1/(1+e)$，
    $z < 0$ 时 $\sigma = e/(1+e)$；指数的参数从不为正，所以不会上溢。

    书中：第 3.2 节 Logistic 回归。

    Examples
    --------
    >>> sigmoid(np.array([-1e4, 0.0, 1e4]))
    array([0. , 0.5, 1. ])
    """
    z = as_float_array(z, "z")
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_grad(z):
    r"""$\sigma'(z) = \sigma(z)(1-\sigma(z))$。"""
    s = sigmoid(z)
    return s * (1.0 - s)


def softplus(z):
    r"""Softplus $\log(1+e^{z})$，稳定写法 $\max(z,0) + \log(1+e^{-|z|})$。"""
    z = as_float_array(z, "z")
    return np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))


def log_sigmoid(z):
    r"""$\log \sigma(z) = -\mathrm{softplus}(-z)$，对 $z=-10^4$ 给出 $-10^4$ 而不是 ``-inf``。"""
    return -softplus(-as_float_array(z, "z"))


# ---------------------------------------------------------------- Softmax
def _check_axis(Z: np.ndarray, axis) -> None:
    if Z.ndim == 0:
        raise ValueError("Z 至少应为一维数组（沿 axis 归一化）")
    check_real(axis, "axis", -Z.ndim, Z.ndim - 1, integer=True)


def logsumexp(Z, axis: int = -1, keepdims: bool = False):
    r"""$\log \sum_c e^{z_c}$，先减去最大值：$m + \log\sum_c e^{z_c - m}$。"""
    Z = as_float_array(Z, "Z")
    _check_axis(Z, axis)
    check_bool(keepdims, "keepdims")
    m = np.max(Z, axis=axis, keepdims=True)
    out = m + np.log(np.sum(np.exp(Z - m), axis=axis, keepdims=True))
    return out if keepdims else np.squeeze(out, axis=axis)


def softmax(Z, axis: int = -1):
    r"""Softmax $\mathrm{softmax}(z)_c = \frac{e^{z_c}}{\sum_{c'} e^{z_{c'}}}$（减最大值，稳定）。

    书中：第 3.3 节 Softmax 回归。

    Examples
    --------
    >>> softmax(np.array([[1000.0, 1000.0]]))
    array([[0.5, 0.5]])
    """
    Z = as_float_array(Z, "Z")
    _check_axis(Z, axis)
    E = np.exp(Z - np.max(Z, axis=axis, keepdims=True))
    return E / np.sum(E, axis=axis, keepdims=True)


def log_softmax(Z, axis: int = -1):
    r"""$\log \mathrm{softmax}(z)_c = z_c - \log\sum_{c'} e^{z_{c'}}$，不经过 ``log(softmax)``，不会出现 ``log 0``。"""
    Z = as_float_array(Z, "Z")
    return Z - logsumexp(Z, axis=axis, keepdims=True)


# ---------------------------------------------------------------- 二分类交叉熵
def binary_cross_entropy(p, y):
    r"""概率形式的二分类交叉熵（批平均）。

    $$\mathcal{L} = -\frac{1}{N}\sum_{n=1}^{N}\Big[y^{(n)}\log \hat{y}^{(n)} + (1-y^{(n)})\log(1-\hat{y}^{(n)})\Big]$$

    ``p`` 恰为 0 或 1 时，``log`` 截断在 ``-100``（与 ``torch.nn.BCELoss`` 相同），结果有限。
    训练时请优先用 `binary_cross_entropy_with_logits`：它直接吃 logit，既稳定又精确。

    Parameters
    ----------
    p : array (N,)
        预测为正类的概率 $\hat{y} \in [0,1]$。
    y : array (N,)
        目标，取值在 $[0,1]$。
    """
    p = as_float_array(p, "p")
    y = as_01_targets(y, "y", shape=p.shape)
    if p.size and (p.min() < 0 or p.max() > 1):
        raise ValueError(f"p 应为概率，取值在 [0, 1] 内，实际范围为 [{p.min()}, {p.max()}]；若是 logit 请用 binary_cross_entropy_with_logits")
    with np.errstate(divide="ignore"):
        log_p = np.maximum(np.log(p), LOG_CLAMP)
        log_1mp = np.maximum(np.log1p(-p), LOG_CLAMP)
    return float(-np.mean(y * log_p + (1 - y) * log_1mp))


def binary_cross_entropy_with_logits(z, y):
    r"""logit 形式的二分类交叉熵（批平均）及其稳定写法。

    把 $\hat{y} = \sigma(z)$ 代入交叉熵并化简：

    $$\ell(z, y) = -y\log\sigma(z) - (1-y)\log(1-\sigma(z)) = \mathrm{softplus}(z) - y z
       = \max(z, 0) - y z + \log(1 + e^{-|z|})$$

    对 $z = \pm 10^4$ 也是有限值。对 $z$ 的导数是 $\sigma(z) - y$，见
    `binary_cross_entropy_with_logits_grad`。书中：第 3.2 节。

    Examples
    --------
    >>> binary_cross_entropy_with_logits(np.array([1e4, -1e4]), np.array([0.0, 1.0]))
    10000.0
    """
    z = as_float_array(z, "z")
    y = as_01_targets(y, "y", shape=z.shape)
    return float(np.mean(np.maximum(z, 0.0) - y * z + np.log1p(np.exp(-np.abs(z)))))


def binary_cross_entropy_with_logits_grad(z, y):
    r"""$\partial \mathcal{L}/\partial z^{(n)} = (\sigma(z^{(n)}) - y^{(n)}) / N$。"""
    z = as_float_array(z, "z")
    y = as_01_targets(y, "y", shape=z.shape)
    return (sigmoid(z) - y) / z.size


# ---------------------------------------------------------------- 多分类交叉熵
def _targets_as_matrix(Z: np.ndarray, target) -> np.ndarray:
    """整数标签 (N,) → one-hot (N, C)；(N, C) 的 one-hot/概率目标原样检查后返回。"""
    N, C = Z.shape
    if N == 0 or C == 0:
        raise ValueError(f"Z 的形状应为 (N, C) 且 N、C 至少为 1，实际为 {Z.shape}")
    t = np.asarray(target)
    if t.ndim == 1:
        y = as_labels(t, "target", n=N, num_classes=C)
        Y = np.zeros((N, C))
        Y[np.arange(N), y] = 1.0
        return Y
    if t.ndim == 2:
        Y = as_float_array(t, "target")
        if Y.shape != (N, C):
            raise ValueError(f"one-hot/概率目标的形状应为 (N, C) = {(N, C)}，实际为 {Y.shape}")
        if Y.min() < 0 or not np.allclose(Y.sum(axis=1), 1.0):
            raise ValueError("one-hot/概率目标的每一行应非负且和为 1")
        return Y
    raise ValueError(f"target 应为整数标签 (N,) 或 one-hot (N, C)，实际形状为 {t.shape}")


def cross_entropy(Z, target):
    r"""多分类交叉熵（批平均），输入为 logit $Z$（未经 softmax）。

    $$\mathcal{L} = -\frac{1}{N}\sum_{n=1}^{N}\sum_{c=1}^{C} y_c^{(n)} \log \mathrm{softmax}(z^{(n)})_c$$

    ``target`` 可以是整数标签 ``(N,)``（此时只取真实类那一项）或 one-hot/概率矩阵 ``(N, C)``。
    通过 `log_softmax` 计算，logit 再大也不溢出。与 ``torch.nn.functional.cross_entropy`` 相同。
    书中：第 3.3 节。

    Examples
    --------
    >>> Z = np.array([[2.0, 0.0, 0.0]])
    >>> round(cross_entropy(Z, np.array([0])), 6) == round(cross_entropy(Z, np.array([[1.0, 0, 0]])), 6)
    True
    """
    Z = as_float_array(Z, "Z", ndim=2)
    Y = _targets_as_matrix(Z, target)
    return float(-np.sum(Y * log_softmax(Z)) / Z.shape[0])


def cross_entropy_grad(Z, target):
    r"""$\partial \mathcal{L}/\partial Z = (\mathrm{softmax}(Z) - Y) / N$（预测减目标）。"""
    Z = as_float_array(Z, "Z", ndim=2)
    Y = _targets_as_matrix(Z, target)
    return (softmax(Z) - Y) / Z.shape[0]


# ---------------------------------------------------------------- 均方误差
def mse(y_hat, y, reduction: str = "mean"):
    r"""均方误差。两种约定都常见，这里都给出：

    - ``reduction="mean"``：所有元素上的平均 $\frac{1}{NK}\sum (\hat{y}-y)^2$，与 ``torch.nn.MSELoss`` 相同；
    - ``reduction="half"``：$J = \frac{1}{2N}\sum_{n=1}^{N} \lVert \hat{y}^{(n)} - y^{(n)} \rVert^2$，
      笔记中的写法，系数 1/2 在求导时与平方的 2 相消。

    MSE 是**平方**欧氏距离的平均，不是欧氏距离本身。
    """
    check_choice(reduction, "reduction", ("mean", "half"))
    y_hat = as_float_array(y_hat, "y_hat")
    y = as_float_array(y, "y")
    if y_hat.shape != y.shape:
        raise ValueError(f"y_hat 与 y 的形状应相同，实际为 {y_hat.shape} 与 {y.shape}")
    if y_hat.ndim == 0:
        raise ValueError("y_hat 至少应为一维数组 (N,) 或 (N, K)")
    sq = (y_hat - y) ** 2
    if reduction == "mean":
        return float(np.mean(sq))
    if reduction == "half":
        return float(np.sum(sq) / (2 * y.shape[0]))
    raise ValueError(f"reduction 应为 'mean' 或 'half'，实际为 {reduction!r}")


def mse_grad(y_hat, y, reduction: str = "mean"):
    r"""对 $\hat{y}$ 的梯度：``mean`` 时 $2(\hat{y}-y)/(NK)$，``half`` 时 $(\hat{y}-y)/N$。"""
    check_choice(reduction, "reduction", ("mean", "half"))
    y_hat = as_float_array(y_hat, "y_hat")
    y = as_float_array(y, "y")
    if y_hat.shape != y.shape:
        raise ValueError(f"y_hat 与 y 的形状应相同，实际为 {y_hat.shape} 与 {y.shape}")
    if y_hat.ndim == 0:
        raise ValueError("y_hat 至少应为一维数组 (N,) 或 (N, K)")
    if reduction == "mean":
        return 2.0 * (y_hat - y) / y_hat.size
    if reduction == "half":
        return (y_hat - y) / y.shape[0]
    raise ValueError(f"reduction 应为 'mean' 或 'half'，实际为 {reduction!r}")


# ---------------------------------------------------------------- 铰链损失
def hinge_loss(scores, y):
    r"""铰链损失（批平均），标签 $y \in \{-1, +1\}$，$f(x)$ 为打分（logit）。

    $$\mathcal{L} = \frac{1}{N}\sum_{n=1}^{N} \max\big(0,\; 1 - y^{(n)} f(x^{(n)})\big)$$

    加上 $\frac{\lambda}{2}\lVert w \rVert^2$ 就是软间隔线性 SVM 的原问题。书中：第 3.5 节。
    """
    s = as_float_array(scores, "scores", ndim=1)
    y = as_pm1_labels(y, "y", n=s.shape[0])
    return float(np.mean(np.maximum(0.0, 1.0 - y * s)))


def hinge_loss_grad(scores, y):
    r"""次梯度：间隔 $y f < 1$ 时为 $-y/N$，否则为 0（在折点 $y f = 1$ 处取 0，与 torch 的 ReLU 约定一致）。"""
    s = as_float_array(scores, "scores", ndim=1)
    y = as_pm1_labels(y, "y", n=s.shape[0])
    return np.where(y * s < 1.0, -y, 0.0) / s.shape[0]
