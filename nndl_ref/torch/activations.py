r"""激活函数（PyTorch 版），与 ``nndl_ref.numpy.activations`` 一一对应。

每个函数都按书中公式直接写出（不调用 ``torch.tanh``、``F.gelu`` 等内置函数），所以
autograd 求出的就是"公式的导数"。测试把它们与 NumPy 手写导数、torch 内置函数三方对照。

不可导点的导数由写法决定：``torch.where(z > 0, A, B)`` 在 $z=0$ 处走 ``B`` 分支，
所以 ReLU 在 0 处的导数是 0、LeakyReLU/PReLU/ELU 是 $\gamma$，与 NumPy 版的约定相同。
未被选中的分支也保持有限（先 ``clamp`` 再取指数），否则 ``0 * inf`` 会让梯度变成 NaN。

书中的 Hard-Logistic 是 $\max(\min(0.25z+0.5, 1), 0)$；``F.hardsigmoid`` 是
$\max(\min(z/6+0.5, 1), 0)$，两者不同，测试分别核对。
"""

from __future__ import annotations

import math

import torch
from torch import nn

from .._validate import check_bool, check_choice, check_kwargs, check_nonneg, check_positive, check_real
from .losses import _check_tensor
from .losses import sigmoid as _sigmoid
from .losses import softplus as _softplus


def logistic(z: torch.Tensor) -> torch.Tensor:
    r"""$\sigma(z) = 1/(1+e^{-z})$（稳定写法，见 ``nndl_ref.torch.losses.sigmoid``）。"""
    return _sigmoid(z)


sigmoid = logistic


def tanh(z: torch.Tensor) -> torch.Tensor:
    r"""$\tanh(z) = 2\sigma(2z) - 1$：由稳定的 $\sigma$ 得到，$|z|$ 再大也不溢出。

    autograd 给出 $4\sigma'(2z) = 1-\tanh^2(z)$。
    """
    return 2.0 * logistic(2.0 * _check_tensor(z, "z")) - 1.0


def hard_logistic(z: torch.Tensor) -> torch.Tensor:
    r"""$\max(\min(0.25z+0.5, 1), 0)$；拐点 $\pm 2$ 处导数取 0（与 NumPy 版相同）。"""
    z = _check_tensor(z, "z")
    inside = (z > -2) & (z < 2)
    return torch.where(inside, 0.25 * z + 0.5, (z >= 2).to(z.dtype))


def hard_tanh(z: torch.Tensor) -> torch.Tensor:
    r"""$\max(\min(z, 1), -1)$；拐点 $\pm 1$ 处导数取 0（= ``F.hardtanh``）。"""
    z = _check_tensor(z, "z")
    inside = (z > -1) & (z < 1)
    return torch.where(inside, z, torch.where(z >= 1, 1.0, -1.0).to(z.dtype))


def relu(z: torch.Tensor) -> torch.Tensor:
    r"""$\max(0, z)$，$z=0$ 处导数取 0。"""
    z = _check_tensor(z, "z")
    return torch.where(z > 0, z, torch.zeros_like(z))


def leaky_relu(z: torch.Tensor, gamma: float = 0.01) -> torch.Tensor:
    r"""$z>0$ 时 $z$，否则 $\gamma z$（= ``F.leaky_relu(z, gamma)``）。"""
    z = _check_tensor(z, "z")
    check_nonneg(gamma, "gamma")
    return torch.where(z > 0, z, gamma * z)


def prelu(z: torch.Tensor, gamma: torch.Tensor) -> torch.Tensor:
    r"""$\max(0,z) + \gamma_i \min(0,z)$，``gamma`` 为标量或 (M,)，沿最后一维广播。

    ``gamma`` 是需要梯度的张量时，autograd 给出 $\partial\mathcal{L}/\partial\gamma_i
    = \sum \delta \cdot \min(0, z)$（对除最后一维外的维求和）。
    """
    z = _check_tensor(z, "z")
    if isinstance(gamma, torch.Tensor):
        _check_tensor(gamma, "gamma", ndim=(0, 1))
        if gamma.ndim == 1 and gamma.shape[0] not in (1, z.shape[-1] if z.ndim else 1):
            raise ValueError(f"gamma 应为标量或形状 (M,) 的张量（M 为 z 最后一维 {tuple(z.shape[-1:])}），"
                             f"实际形状为 {tuple(gamma.shape)}")
    else:
        check_real(gamma, "gamma")
    return torch.where(z > 0, z, gamma * z)


def elu(z: torch.Tensor, gamma: float = 1.0) -> torch.Tensor:
    r"""$z>0$ 时 $z$，否则 $\gamma(e^{z}-1)$；只对 $\min(z,0)$ 取指数。"""
    z = _check_tensor(z, "z")
    check_nonneg(gamma, "gamma")
    return torch.where(z > 0, z, gamma * torch.expm1(z.clamp_max(0)))


def softplus(z: torch.Tensor) -> torch.Tensor:
    r"""$\log(1+e^{z})$，导数 $\sigma(z)$（见 ``nndl_ref.torch.losses.softplus``）。"""
    return _softplus(z)


def swish(z: torch.Tensor, beta: float | torch.Tensor = 1.0) -> torch.Tensor:
    r"""$z\,\sigma(\beta z)$；``beta`` 可以是需要梯度的张量（可学习的 $\beta$）。"""
    z = _check_tensor(z, "z")
    if isinstance(beta, torch.Tensor):
        _check_tensor(beta, "beta")
        if beta.numel() != 1:
            raise ValueError(f"beta 应为标量（所有神经元共享），实际形状为 {tuple(beta.shape)}")
    else:
        check_real(beta, "beta")
    return z * logistic(beta * z)


_SQRT_2 = math.sqrt(2.0)
_GELU_C = math.sqrt(2.0 / math.pi)


def gelu(z: torch.Tensor, approximate: str = "none") -> torch.Tensor:
    r"""$z\Phi(z)$；``approximate="tanh"`` 与 ``"sigmoid"`` 的含义见 NumPy 版。"""
    z = _check_tensor(z, "z")
    check_choice(approximate, "approximate", ("none", "tanh", "sigmoid"))
    if approximate == "none":
        return z * 0.5 * torch.erfc(-z / _SQRT_2)
    if approximate == "tanh":
        return 0.5 * z * (1.0 + tanh(_GELU_C * (z + 0.044715 * z ** 3)))
    if approximate == "sigmoid":
        return swish(z, 1.702)
    raise ValueError(f"approximate 应为 'none'、'tanh' 或 'sigmoid'，实际为 {approximate!r}")


def maxout(z: torch.Tensor, pieces: int) -> torch.Tensor:
    r"""(N, M·K) → (N, M)：每组 K 片取最大，梯度只流向取到最大值的那一片。"""
    z = _check_tensor(z, "z")
    check_positive(pieces, "pieces", integer=True)
    if z.ndim != 2 or z.shape[1] % pieces:
        raise ValueError(f"z 应为形状 (N, M·K) 的二维张量，列数是 pieces={pieces} 的整数倍；"
                         f"实际形状为 {tuple(z.shape)}")
    N, MK = z.shape
    return z.reshape(N, MK // pieces, pieces).max(dim=2).values   # (N, M, K) → (N, M)


ACTIVATIONS = {
    "logistic": logistic, "sigmoid": logistic, "tanh": tanh,
    "hard_logistic": hard_logistic, "hard_tanh": hard_tanh,
    "relu": relu, "leaky_relu": leaky_relu, "elu": elu, "softplus": softplus,
    "swish": swish, "gelu": gelu,
}


def get(name: str):
    """按名字取激活函数；名字不存在时报错并列出可选项。"""
    if not isinstance(name, str):
        raise TypeError(f"激活函数名应为字符串，实际得到 {type(name).__name__}")
    if name not in ACTIVATIONS:
        raise ValueError(f"未知的激活函数 {name!r}；可选：{', '.join(sorted(ACTIVATIONS))}")
    return ACTIVATIONS[name]


# ------------------------------------------------------------------ 模块（带可学习参数的两种）
class Activation(nn.Module):
    """把逐元素激活函数包成 ``nn.Module``：``Activation("elu", gamma=0.5)``。"""

    def __init__(self, name: str, **kw):
        super().__init__()
        fn = get(name)
        check_kwargs(fn, kw, f"激活函数 {name!r}", given=("z",))
        fn(torch.zeros(1), **kw)                      # 参数的取值不对（如 gamma=-1）时立即报错
        self.name, self.fn, self.kw = name, fn, kw

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return self.fn(z, **self.kw)

    def extra_repr(self) -> str:
        return self.name + "".join(f", {k}={v}" for k, v in self.kw.items())


class PReLU(nn.Module):
    r"""PReLU 层：参数 ``gamma`` 形状 (M,)（``num_parameters=M``）或 (1,)，初值 0.25（同 ``nn.PReLU``）。"""

    def __init__(self, num_parameters: int = 1, init: float = 0.25):
        super().__init__()
        check_positive(num_parameters, "num_parameters", integer=True)
        self.gamma = nn.Parameter(torch.full((num_parameters,), float(check_real(init, "init", 0))))

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return prelu(z, self.gamma)


class Swish(nn.Module):
    r"""Swish 层：``learnable=True`` 时 $\beta$ 是参数，否则是固定的超参数。"""

    def __init__(self, beta: float = 1.0, learnable: bool = False):
        super().__init__()
        check_real(beta, "beta")
        if check_bool(learnable, "learnable"):
            self.beta = nn.Parameter(torch.tensor(float(beta)))
        else:
            self.register_buffer("beta", torch.tensor(float(beta)))

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return swish(z, self.beta)


class Maxout(nn.Module):
    """Maxout 激活：把 (N, M·K) 的 $z$ 分成 M 组，每组取最大。"""

    def __init__(self, pieces: int):
        super().__init__()
        self.pieces = check_positive(pieces, "pieces", integer=True)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return maxout(z, self.pieces)
