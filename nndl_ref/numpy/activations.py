r"""激活函数及其导数（NumPy 从零实现）。

对应书中第 4.1 节（神经元与激活函数）。每个激活函数 $f$ 都配一个导函数
``f_grad``，紧挨着写在下面；导数按元素计算，形状与输入相同。三族：

- S 型（Sigmoid 型）：Logistic、Tanh，以及它们的分段线性近似 Hard-Logistic、Hard-Tanh；
- 斜坡型：ReLU、LeakyReLU、PReLU（斜率可学习）、ELU、Softplus；
- 复合型：Swish（$\beta$ 固定或可学习）、GELU（精确的 erf 形式与 tanh 近似）、Maxout。

数值稳定：输入为 $\pm 10^4$ 时结果都是有限值，不产生上溢警告（指数的参数从不为正，
或用 ``expm1``/``erfc`` 避开相减抵消）。

不可导点的取值（本包的约定，与 PyTorch 的 autograd 相同，测试逐一核对）：

============  ==============  =========================================
函数          不可导点        本包取的导数值
============  ==============  =========================================
ReLU          $z=0$     0（次梯度区间 $[0,1]$ 的左端）
LeakyReLU     $z=0$     $\gamma$（取 $z\le 0$ 那一支）
PReLU         $z=0$     $\gamma$（同上）
ELU           $z=0$     $\gamma$（$\gamma=1$ 时两侧导数相等，其实可导）
Hard-Logistic $z=\pm2$  0（取饱和的一侧）
Hard-Tanh     $z=\pm1$  0（取饱和的一侧）
Maxout        并列最大        梯度只给第一个最大值
============  ==============  =========================================
"""

from __future__ import annotations

import math

import numpy as np
from scipy.special import erfc  # scipy 是 scikit-learn 的依赖；NumPy 自己没有 erf

from .._validate import as_float_array, check_positive
from .losses import sigmoid as _sigmoid
from .losses import softplus as _softplus


def _check_slope(gamma, name: str = "gamma") -> float:
    if isinstance(gamma, bool) or not isinstance(gamma, (int, float, np.floating, np.integer)):
        raise TypeError(f"{name} 应为实数，实际得到 {gamma!r}")
    if not (math.isfinite(float(gamma)) and gamma >= 0):
        raise ValueError(f"{name} 应为有限的非负实数，实际为 {gamma!r}")
    return float(gamma)


# ======================================================================== S 型函数
def logistic(z):
    r"""Logistic 函数（书中记作 $\sigma$），把实数压到 $(0, 1)$。

    $$\sigma(z) = \frac{1}{1+\exp(-z)}$$

    与 ``nndl_ref.numpy.losses.sigmoid`` 是同一个函数（稳定写法：指数的参数从不为正）。
    书中：第 4.1.1 节。

    Examples
    --------
    >>> logistic(np.array([-1e4, 0.0, 1e4]))
    array([0. , 0.5, 1. ])
    """
    return _sigmoid(z)


def logistic_grad(z):
    r"""$\sigma'(z) = \sigma(z)\,(1-\sigma(z))$，最大值 $\sigma'(0)=1/4$。"""
    s = logistic(z)
    return s * (1.0 - s)


sigmoid, sigmoid_grad = logistic, logistic_grad


def tanh(z):
    r"""Tanh 函数，值域 $(-1, 1)$，零中心化。

    $$\tanh(z) = \frac{e^{z} - e^{-z}}{e^{z} + e^{-z}} = 2\sigma(2z) - 1$$

    （笔记里分母误写成 $e^{z}+e^{z}$，见勘误表。）直接按定义计算会在 $|z|>710$
    时上溢，这里用 ``np.tanh``。书中：第 4.1.1 节。

    Examples
    --------
    >>> tanh(np.array([-1e4, 0.0, 1e4]))
    array([-1.,  0.,  1.])
    """
    return np.tanh(as_float_array(z, "z"))


def tanh_grad(z):
    r"""$\tanh'(z) = 1 - \tanh^2(z)$，最大值 $\tanh'(0)=1$。"""
    t = tanh(z)
    return 1.0 - t * t


def hard_logistic(z):
    r"""Hard-Logistic：Logistic 在 0 附近的一阶泰勒展开，再截断到 $[0, 1]$。

    $$\mathrm{hard\text{-}logistic}(z) = \max\big(\min(0.25z + 0.5,\ 1),\ 0\big)$$

    斜率 0.25 就是 $\sigma'(0)$。注意 PyTorch 的 ``hardsigmoid`` 是
    $\max(\min(z/6 + 0.5, 1), 0)$，斜率 1/6、拐点在 $\pm 3$，与书中定义不同。
    书中：第 4.1.1 节。

    Examples
    --------
    >>> hard_logistic(np.array([-3.0, 0.0, 1.0, 3.0]))
    array([0.  , 0.5 , 0.75, 1.  ])
    """
    z = as_float_array(z, "z")
    return np.clip(0.25 * z + 0.5, 0.0, 1.0)


def hard_logistic_grad(z):
    r"""导数：$-2<z<2$ 时为 0.25，否则为 0（拐点 $z=\pm2$ 处取 0）。"""
    z = as_float_array(z, "z")
    return np.where(np.abs(z) < 2.0, 0.25, 0.0)


def hard_tanh(z):
    r"""Hard-Tanh：Tanh 在 0 附近的一阶近似 $z$，截断到 $[-1, 1]$。

    $$\mathrm{hard\text{-}tanh}(z) = \max\big(\min(z, 1),\ -1\big)$$

    与 ``torch.nn.functional.hardtanh`` 的默认参数相同。书中：第 4.1.1 节。
    """
    z = as_float_array(z, "z")
    return np.clip(z, -1.0, 1.0)


def hard_tanh_grad(z):
    r"""导数：$-1<z<1$ 时为 1，否则为 0（拐点处取 0，与 torch 相同）。"""
    z = as_float_array(z, "z")
    return np.where(np.abs(z) < 1.0, 1.0, 0.0)


# ======================================================================== 斜坡型函数
def relu(z):
    r"""ReLU（修正线性单元）。

    $$\mathrm{ReLU}(z) = \max(0, z)$$

    书中：第 4.1.2 节。

    Examples
    --------
    >>> relu(np.array([-2.0, 0.0, 3.0]))
    array([0., 0., 3.])
    """
    z = as_float_array(z, "z")
    return np.maximum(z, 0.0)


def relu_grad(z):
    r"""导数：$z>0$ 时为 1，否则为 0。

    $z=0$ 处不可导，次梯度是区间 $[0,1]$；本包取 0（与 ``torch.relu`` 的 autograd 相同），
    这样恰为 0 的输入不会向后传梯度。
    """
    z = as_float_array(z, "z")
    return (z > 0).astype(np.float64)


def leaky_relu(z, gamma: float = 0.01):
    r"""LeakyReLU：负半轴保留一个很小的斜率 $\gamma$，神经元不会"死亡"。

    $$\mathrm{LeakyReLU}(z) = \begin{cases} z & z > 0 \\ \gamma z & z \le 0 \end{cases}
      = \max(0, z) + \gamma \min(0, z)$$

    默认 $\gamma=0.01$，与 ``torch.nn.functional.leaky_relu`` 的 ``negative_slope`` 相同。
    书中：第 4.1.2 节。
    """
    z = as_float_array(z, "z")
    gamma = _check_slope(gamma)
    return np.maximum(z, 0.0) + gamma * np.minimum(z, 0.0)


def leaky_relu_grad(z, gamma: float = 0.01):
    r"""导数：$z>0$ 时为 1，否则为 $\gamma$（$z=0$ 处取 $\gamma$，与 torch 相同）。"""
    z = as_float_array(z, "z")
    gamma = _check_slope(gamma)
    return np.where(z > 0, 1.0, gamma)


def _check_prelu_gamma(z: np.ndarray, gamma) -> np.ndarray:
    g = as_float_array(gamma, "gamma", ndim=(0, 1))
    if g.ndim == 1 and g.shape[0] != 1 and (z.ndim == 0 or g.shape[0] != z.shape[-1]):
        raise ValueError(f"gamma 应为标量或形状 (M,) 的数组（M 为 z 最后一维 {z.shape[-1:]}），"
                         f"实际形状为 {g.shape}")
    return g


def prelu(z, gamma):
    r"""PReLU：斜率 $\gamma_i$ 是可学习的参数，每个神经元（最后一维的每一列）可以不同。

    $$\mathrm{PReLU}_i(z) = \max(0, z) + \gamma_i \min(0, z)$$

    ``gamma`` 为标量（所有神经元共享）或形状 (M,) 的数组，沿 ``z`` 的最后一维广播；
    与 ``torch.nn.functional.prelu`` 对 (N, M) 输入的约定相同。书中：第 4.1.2 节。
    """
    z = as_float_array(z, "z")
    g = _check_prelu_gamma(z, gamma)
    return np.maximum(z, 0.0) + g * np.minimum(z, 0.0)


def prelu_grad(z, gamma):
    r"""对输入的导数：$z>0$ 时为 1，否则为 $\gamma_i$。"""
    z = as_float_array(z, "z")
    g = _check_prelu_gamma(z, gamma)
    return np.where(z > 0, 1.0, g * np.ones_like(z))


def prelu_grad_gamma(z):
    r"""对斜率的导数 $\partial\,\mathrm{PReLU}(z)/\partial \gamma = \min(0, z)$（逐元素）。

    反向传播时 $\partial \mathcal{L}/\partial \gamma_i$ 是上游梯度乘以它、再对除最后一维外的
    所有维求和（见 ``nndl_ref.numpy.layers.prelu_backward``）。
    """
    z = as_float_array(z, "z")
    return np.minimum(z, 0.0)


def elu(z, gamma: float = 1.0):
    r"""ELU：负半轴是饱和的指数曲线，输出均值比 ReLU 更接近 0。

    $$\mathrm{ELU}(z) = \begin{cases} z & z > 0 \\ \gamma\,(\exp(z) - 1) & z \le 0 \end{cases}
      = \max(0, z) + \min\big(0, \gamma(\exp(z) - 1)\big)$$

    $\gamma \ge 0$，默认 1（与 ``torch.nn.functional.elu`` 的 ``alpha`` 相同）。用 ``expm1``
    计算 $e^z-1$（$z$ 接近 0 时不损失精度），并只对 $\min(z,0)$ 取指数，
    $z=10^4$ 时不会上溢。书中：第 4.1.2 节。
    """
    z = as_float_array(z, "z")
    gamma = _check_slope(gamma)
    return np.where(z > 0, z, gamma * np.expm1(np.minimum(z, 0.0)))


def elu_grad(z, gamma: float = 1.0):
    r"""导数：$z>0$ 时为 1，否则为 $\gamma e^{z}$（$z=0$ 处取 $\gamma$）。"""
    z = as_float_array(z, "z")
    gamma = _check_slope(gamma)
    return np.where(z > 0, 1.0, gamma * np.exp(np.minimum(z, 0.0)))


def softplus(z):
    r"""Softplus：ReLU 的光滑版本，导数恰好是 Logistic 函数。

    $$\mathrm{Softplus}(z) = \log(1 + \exp(z)) = \max(z, 0) + \log(1 + e^{-|z|})$$

    书中：第 4.1.2 节。
    """
    return _softplus(z)


def softplus_grad(z):
    r"""$\mathrm{Softplus}'(z) = \sigma(z)$。"""
    return logistic(z)


# ======================================================================== 复合函数
def _check_beta(beta) -> float:
    if isinstance(beta, bool) or not isinstance(beta, (int, float, np.floating, np.integer)):
        raise TypeError(f"beta 应为实数，实际得到 {beta!r}")
    if not math.isfinite(float(beta)):
        raise ValueError(f"beta 应为有限实数，实际为 {beta!r}")
    return float(beta)


def swish(z, beta: float = 1.0):
    r"""Swish：自门控激活函数，用 $\sigma(\beta z)$ 作为"软门"决定让多少 $z$ 通过。

    $$\mathrm{swish}(z) = z\,\sigma(\beta z)$$

    $\beta=0$ 时是线性函数 $z/2$；$\beta\to\infty$ 时趋于 ReLU；$\beta=1$
    时就是 ``torch.nn.functional.silu``。$\beta$ 可以是固定的超参数，也可以学习
    （梯度见 ``swish_grad_beta``）。书中：第 4.1.3 节。
    """
    z = as_float_array(z, "z")
    beta = _check_beta(beta)
    return z * logistic(beta * z)


def swish_grad(z, beta: float = 1.0):
    r"""对输入的导数 $\sigma(\beta z) + \beta z\,\sigma(\beta z)(1-\sigma(\beta z))$。"""
    z = as_float_array(z, "z")
    beta = _check_beta(beta)
    s = logistic(beta * z)
    return s + beta * z * s * (1.0 - s)


def swish_grad_beta(z, beta: float = 1.0):
    r"""对 $\beta$ 的导数（逐元素）$z^2\,\sigma(\beta z)(1-\sigma(\beta z))$。"""
    z = as_float_array(z, "z")
    beta = _check_beta(beta)
    s = logistic(beta * z)
    return z * z * s * (1.0 - s)


_SQRT_2 = math.sqrt(2.0)
_SQRT_2PI = math.sqrt(2.0 * math.pi)
_GELU_C = math.sqrt(2.0 / math.pi)


def _check_approximate(approximate: str) -> str:
    if approximate not in ("none", "tanh", "sigmoid"):
        raise ValueError(f"approximate 应为 'none'、'tanh' 或 'sigmoid'，实际为 {approximate!r}")
    return approximate


def gelu(z, approximate: str = "none"):
    r"""GELU（高斯误差线性单元）：用标准正态分布的累积分布函数 $\Phi$ 作门。

    $$\mathrm{GELU}(z) = z\,P(X \le z) = z\,\Phi(z) = \frac{z}{2}\Big(1 + \mathrm{erf}\big(z/\sqrt{2}\big)\Big),
      \qquad X \sim \mathcal{N}(0, 1)$$

    两种常用近似（$\Phi$ 是 S 型函数，所以能用 Tanh 或 Logistic 逼近）：

    $$\mathrm{GELU}(z) \approx \frac{z}{2}\Big(1 + \tanh\big(\sqrt{2/\pi}\,(z + 0.044715 z^3)\big)\Big)
      \approx z\,\sigma(1.702 z)$$

    ``approximate="none"`` 为精确形式（= ``F.gelu(x)``），``"tanh"`` 为第一种近似
    （= ``F.gelu(x, approximate="tanh")``），``"sigmoid"`` 为第二种（即 $\beta=1.702$ 的 Swish）。
    精确形式用 $\Phi(z) = \tfrac12 \mathrm{erfc}(-z/\sqrt2)$ 计算，负半轴不损失精度。
    书中：第 4.1.3 节。
    """
    z = as_float_array(z, "z")
    if _check_approximate(approximate) == "tanh":
        return 0.5 * z * (1.0 + np.tanh(_GELU_C * (z + 0.044715 * z ** 3)))
    if approximate == "sigmoid":
        return swish(z, 1.702)
    return z * 0.5 * erfc(-z / _SQRT_2)


def gelu_grad(z, approximate: str = "none"):
    r"""导数。精确形式：$\Phi(z) + z\,\phi(z)$，$\phi(z)=e^{-z^2/2}/\sqrt{2\pi}$；

    tanh 近似：令 $u=\sqrt{2/\pi}(z+0.044715z^3)$，导数为
    $\tfrac12(1+\tanh u) + \tfrac12 z\,(1-\tanh^2 u)\sqrt{2/\pi}\,(1+3\cdot 0.044715 z^2)$。
    """
    z = as_float_array(z, "z")
    if _check_approximate(approximate) == "tanh":
        t = np.tanh(_GELU_C * (z + 0.044715 * z ** 3))
        return 0.5 * (1.0 + t) + 0.5 * z * (1.0 - t * t) * _GELU_C * (1.0 + 3 * 0.044715 * z * z)
    if approximate == "sigmoid":
        return swish_grad(z, 1.702)
    phi = np.exp(-0.5 * z * z) / _SQRT_2PI        # 标准正态密度；|z| 很大时下溢为 0，无害
    return 0.5 * erfc(-z / _SQRT_2) + z * phi


def maxout(z, pieces: int):
    r"""Maxout：每个单元取 $K$ 个线性片段中的最大值（不是逐元素函数）。

    $$\mathrm{maxout}(\boldsymbol{x}) = \max_{k \in [1, K]} z_k, \qquad z_k = \boldsymbol{w}_k^\top \boldsymbol{x} + b_k$$

    这里的输入是已经算好的 $z$：形状 (N, M·K)，第 $m$ 个单元用第 $mK$ 到
    $mK+K-1$ 列；输出形状 (N, M)。Maxout 单元是凸的分段线性函数，ReLU
    （$K=2$，其中一片恒为 0）和 LeakyReLU 都是它的特例。书中：第 4.1.3 节。

    Examples
    --------
    >>> maxout(np.array([[1.0, -2.0, 0.5, 3.0]]), pieces=2)
    array([[1., 3.]])
    """
    z = as_float_array(z, "z", ndim=2)
    check_positive(pieces, "pieces", integer=True)
    N, MK = z.shape
    if MK % pieces:
        raise ValueError(f"z 的列数 {MK} 应是 pieces={pieces} 的整数倍（形状 (N, M·K)）")
    return z.reshape(N, MK // pieces, pieces).max(axis=2)      # (N, M, K) → (N, M)


def maxout_backward(da, z, pieces: int):
    r"""Maxout 的反向：上游梯度 ``da`` (N, M) 只流向每组中取到最大值的那一片（并列时给第一个）。

    返回 ``dz``，形状 (N, M·K)。
    """
    z = as_float_array(z, "z", ndim=2)
    check_positive(pieces, "pieces", integer=True)
    N, MK = z.shape
    if MK % pieces:
        raise ValueError(f"z 的列数 {MK} 应是 pieces={pieces} 的整数倍（形状 (N, M·K)）")
    M = MK // pieces
    da = as_float_array(da, "da", ndim=2)
    if da.shape != (N, M):
        raise ValueError(f"da 的形状应为 (N, M) = {(N, M)}，实际为 {da.shape}")
    k = z.reshape(N, M, pieces).argmax(axis=2)                # (N, M)：每组最大的那一片
    dz = np.zeros((N, M, pieces))
    np.put_along_axis(dz, k[..., None], da[..., None], axis=2)
    return dz.reshape(N, MK)                                  # (N, M, K) → (N, M·K)


# ======================================================================== 注册表
#: 逐元素激活函数：名字 → (f, f')。``layers.activation_forward(z, name, **kw)`` 据此查找；
#: 关键字参数（``gamma``、``beta``、``approximate``）原样传给 f 与 f'。
ACTIVATIONS = {
    "logistic": (logistic, logistic_grad),
    "sigmoid": (logistic, logistic_grad),
    "tanh": (tanh, tanh_grad),
    "hard_logistic": (hard_logistic, hard_logistic_grad),
    "hard_tanh": (hard_tanh, hard_tanh_grad),
    "relu": (relu, relu_grad),
    "leaky_relu": (leaky_relu, leaky_relu_grad),
    "prelu": (prelu, prelu_grad),
    "elu": (elu, elu_grad),
    "softplus": (softplus, softplus_grad),
    "swish": (swish, swish_grad),
    "gelu": (gelu, gelu_grad),
}


def get(name: str):
    """按名字取 ``(f, f')``；名字不存在时报错并列出可选项。"""
    if not isinstance(name, str):
        raise TypeError(f"激活函数名应为字符串，实际得到 {type(name).__name__}")
    try:
        return ACTIVATIONS[name]
    except KeyError:
        raise ValueError(f"未知的激活函数 {name!r}；可选：{', '.join(sorted(ACTIVATIONS))}") from None
