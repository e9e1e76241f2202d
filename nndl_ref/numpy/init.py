r"""参数初始化（NumPy 从零实现）：Xavier / Glorot 与 He / Kaiming，均匀分布与高斯分布。

对应书中第 7.3 节（参数初始化，7.3.2 基于方差缩放的参数初始化）；站点页面：第 7 章 ``ch07-optim``。

**方差是怎么来的。** 第 $l$ 层一个神经元 $z = \sum_{i=1}^{M_{l-1}} w_i a_i$，权重与输入独立、
均值为 0 时

$$\operatorname{Var}(z) = M_{l-1}\,\operatorname{Var}(w)\,\mathbb{E}[a^2].$$

- 激活近似线性（Tanh 在 0 附近）时 $\mathbb{E}[a^2]\approx\operatorname{Var}(z^{(l-1)})$，要让前向方差
  逐层不变需 $\operatorname{Var}(w)=1/M_{l-1}$；反向同理需 $1/M_l$。Xavier 取两者的调和：
  $\operatorname{Var}(w) = \frac{2}{M_{l-1}+M_l}$。
- ReLU 把一半的输入置 0：$\mathbb{E}[a^2] = \frac12\operatorname{Var}(z^{(l-1)})$，于是
  He 初始化取 $\operatorname{Var}(w) = \frac{2}{M_{l-1}}$。
- 区间 $[-r, r]$ 上的均匀分布方差为 $r^2/3$，所以方差为 $\sigma^2$ 的均匀分布取 $r=\sqrt{3}\sigma$。

torch 在此之上乘一个"增益" $g$（``calculate_gain``）：Xavier 的 $\sigma = g\sqrt{2/(M_{l-1}+M_l)}$，
Kaiming 的 $\sigma = g/\sqrt{\text{fan}}$，ReLU 的 $g=\sqrt2$ 正好给出 He 的 $2/M_{l-1}$。
本模块的函数与 ``torch.nn.init`` 里的同名函数取同样的分布（随机数来源不同）。

权重形状按 (输出, 输入, 卷积核…) 存放：$\text{fan\_in} = M_{l-1}\times$ 核大小，
$\text{fan\_out} = M_l\times$ 核大小，与 torch 相同。
"""

from __future__ import annotations

import math

import numpy as np

from .._validate import check_choice, check_positive, check_real, check_rng, check_seed
from . import activations as act


def fans(shape) -> tuple[int, int]:
    r"""权重形状 → ``(fan_in, fan_out)``。(M, D) 的全连接层为 $(D, M)$；卷积核 (C_out, C_in, K…) 为
    $(C_\text{in}\prod K, C_\text{out}\prod K)$。书中第 7.3 节；站点第 7 章。

    Examples
    --------
    >>> fans((100, 64)), fans((16, 3, 5, 5))
    ((64, 100), (75, 400))
    """
    shape = tuple(shape)
    if len(shape) < 2 or not all(isinstance(s, (int, np.integer)) and s > 0 for s in shape):
        raise ValueError(f"权重形状应为至少 2 维的正整数元组 (输出, 输入, …)，实际为 {shape}")
    receptive = int(np.prod(shape[2:])) if len(shape) > 2 else 1
    return shape[1] * receptive, shape[0] * receptive


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    r"""激活函数的推荐增益 $g$，与 ``torch.nn.init.calculate_gain`` 相同。书中第 7.3 节；站点第 7 章。

    线性 / Logistic 为 1，Tanh 为 $5/3$，ReLU 为 $\sqrt2$，LeakyReLU 为 $\sqrt{2/(1+\gamma^2)}$，SELU 为 $3/4$。

    Examples
    --------
    >>> round(calculate_gain("relu"), 6), calculate_gain("tanh")
    (1.414214, 1.6666666666666667)
    """
    if nonlinearity in ("linear", "identity", "sigmoid", "logistic", "conv1d", "conv2d", "conv3d"):
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        a = 0.01 if param is None else float(check_real(param, "param（LeakyReLU 的负斜率）"))
        return math.sqrt(2.0 / (1 + a * a))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(f"nonlinearity 应为 linear、sigmoid、tanh、relu、leaky_relu、selu 之一，实际为 {nonlinearity!r}")


def xavier_std(shape, gain: float = 1.0) -> float:
    r"""Xavier 初始化的标准差 $g\sqrt{2/(\text{fan\_in}+\text{fan\_out})}$。书中第 7.3.2 节；站点第 7 章。"""
    fan_in, fan_out = fans(shape)
    check_real(gain, "gain", 0, low_open=True)
    return gain * math.sqrt(2.0 / (fan_in + fan_out))


def kaiming_std(shape, nonlinearity: str = "relu", a: float = 0.0, mode: str = "fan_in") -> float:
    r"""Kaiming（He）初始化的标准差 $g/\sqrt{\text{fan}}$；ReLU 时为 $\sqrt{2/\text{fan\_in}}$。书中第 7.3.2 节；站点第 7 章。"""
    check_choice(mode, "mode", ("fan_in", "fan_out"))
    fan = fans(shape)[0 if mode == "fan_in" else 1]
    return calculate_gain(nonlinearity, a) / math.sqrt(fan)


def xavier_uniform(shape, rng: np.random.Generator, gain: float = 1.0) -> np.ndarray:
    r"""$w\sim\mathcal{U}(-r, r)$，$r = g\sqrt{6/(\text{fan\_in}+\text{fan\_out})}$（方差 $r^2/3$）。书中第 7.3.2 节；站点第 7 章。

    Examples
    --------
    >>> W = xavier_uniform((200, 300), np.random.default_rng(0))
    >>> bool(np.abs(W).max() <= np.sqrt(6 / 500)), round(float(W.var() * 500 / 2), 2)
    (True, 1.0)
    """
    check_rng(rng)
    r = math.sqrt(3.0) * xavier_std(shape, gain)
    return rng.uniform(-r, r, size=tuple(shape))


def xavier_normal(shape, rng: np.random.Generator, gain: float = 1.0) -> np.ndarray:
    r"""$w\sim\mathcal{N}\big(0,\ g^2\cdot 2/(\text{fan\_in}+\text{fan\_out})\big)$。书中第 7.3.2 节；站点第 7 章。"""
    check_rng(rng)
    return xavier_std(shape, gain) * rng.standard_normal(tuple(shape))


def kaiming_uniform(shape, rng: np.random.Generator, nonlinearity: str = "relu", a: float = 0.0,
                    mode: str = "fan_in") -> np.ndarray:
    r"""$w\sim\mathcal{U}(-r, r)$，$r = g\sqrt{3/\text{fan}}$；ReLU 时 $r=\sqrt{6/\text{fan\_in}}$。书中第 7.3.2 节；站点第 7 章。"""
    check_rng(rng)
    r = math.sqrt(3.0) * kaiming_std(shape, nonlinearity, a, mode)
    return rng.uniform(-r, r, size=tuple(shape))


def kaiming_normal(shape, rng: np.random.Generator, nonlinearity: str = "relu", a: float = 0.0,
                   mode: str = "fan_in") -> np.ndarray:
    r"""$w\sim\mathcal{N}(0, g^2/\text{fan})$；ReLU 时方差为 $2/\text{fan\_in}$（He 初始化）。书中第 7.3.2 节；站点第 7 章。"""
    check_rng(rng)
    return kaiming_std(shape, nonlinearity, a, mode) * rng.standard_normal(tuple(shape))


INITS = {"xavier_uniform": xavier_uniform, "xavier_normal": xavier_normal,
         "kaiming_uniform": kaiming_uniform, "kaiming_normal": kaiming_normal}
"""名字 → 初始化函数。"""


def activation_stats(init: str, activation: str = "tanh", depth: int = 12, width: int = 256, n: int = 512,
                     seed: int = 0, weight_scale: float = 0.01) -> np.ndarray:
    r"""随机输入穿过 ``depth`` 层全连接网络，返回每层激活值 $a^{(l)}$ 的标准差（长度 ``depth``）。

    书中第 7.3 节；站点第 7 章的"各层激活值的分布"图。``init`` 为 ``"small"``（$\mathcal{N}(0, s^2)$，
    $s$ 为 ``weight_scale``）、``"large"``（$\mathcal{N}(0,1)$）、``"xavier"``（``xavier_normal``，
    Tanh 时乘增益 5/3）或 ``"he"``（``kaiming_normal``）。偏置为 0，输入 $x\sim\mathcal{N}(0, I)$。

    Examples
    --------
    >>> s = activation_stats("he", "relu", depth=10)
    >>> bool(0.5 < s[-1] / s[0] < 2)                # He + ReLU：第 10 层与第 1 层同一量级
    True
    >>> bool(activation_stats("small", "relu", depth=10)[-1] < 1e-8)    # 太小：每层缩小约 9 倍
    True
    """
    check_positive(depth, "depth", integer=True)
    check_positive(width, "width", integer=True)
    check_positive(n, "n", integer=True)
    check_choice(init, "init", ("small", "large", "xavier", "he"))
    if init == "small":
        check_positive(weight_scale, "weight_scale")
    f, _ = act.get(activation)
    rng = np.random.default_rng(check_seed(seed))
    a = rng.standard_normal((n, width))
    stds = []
    for _ in range(depth):
        shape = (width, width)
        if init == "small":
            W = weight_scale * rng.standard_normal(shape)
        elif init == "large":
            W = rng.standard_normal(shape)
        elif init == "xavier":
            W = xavier_normal(shape, rng, gain=calculate_gain("tanh") if activation == "tanh" else 1.0)
        elif init == "he":
            W = kaiming_normal(shape, rng)
        else:
            raise ValueError(f"init 应为 'small'、'large'、'xavier' 或 'he'，实际为 {init!r}")
        a = f(a @ W.T)                                  # a^(l) = f(W^(l) a^(l-1))，(n, width)
        stds.append(float(a.std()))
    return np.array(stds)
