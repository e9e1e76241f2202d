r"""逐层归一化（NumPy 从零实现）：批量归一化与层归一化，前向与反向紧挨着写。

对应书中第 7.5 节（逐层归一化）：7.5.1 批量归一化、7.5.2 层归一化；站点页面：第 7 章
``ch07-optim``。两者做同一件事，只是求均值和方差的**方向**不同：

$$\hat{\boldsymbol{z}} = \frac{\boldsymbol{z}-\boldsymbol{\mu}}{\sqrt{\boldsymbol{\sigma}^2+\epsilon}}\odot\boldsymbol{\gamma}+\boldsymbol{\beta}$$

- 批量归一化（BN）：对每个特征（通道），在一个小批量的 $N$ 个样本（卷积时还有 $H\times W$ 个位置）
  上求 $\mu_{\mathcal{B}}$、$\sigma^2_{\mathcal{B}}$。训练时用本批的统计量，同时更新滑动平均；
  测试（``eval``）时改用滑动平均，输出不再依赖同批的其他样本。
- 层归一化（LN）：对每个样本，在它自己的 $D$ 个特征上求均值和方差，训练与测试完全相同。

反向传播（$m$ 为每组参与求均值的元素个数，$\overline{\,\cdot\,}$ 表示组内平均）：

$$\frac{\partial\mathcal{L}}{\partial\boldsymbol{z}}
  = \frac{1}{\sqrt{\sigma^2+\epsilon}}\Big(\boldsymbol{g} - \overline{\boldsymbol{g}}
    - \hat{\boldsymbol{x}}\odot\overline{\boldsymbol{g}\odot\hat{\boldsymbol{x}}}\Big),\qquad
  \boldsymbol{g} = \boldsymbol{\gamma}\odot\frac{\partial\mathcal{L}}{\partial\hat{\boldsymbol{z}}}$$

其中 $\hat{\boldsymbol{x}} = (\boldsymbol{z}-\mu)/\sqrt{\sigma^2+\epsilon}$ 是缩放平移之前的标准化值。

与 torch 的约定（``torch.nn.BatchNorm1d/2d``）：滑动平均写成
$\mu_{\text{run}} \leftarrow (1-m)\,\mu_{\text{run}} + m\,\mu_{\mathcal{B}}$，``momentum`` $m$ 默认 0.1
（是**新**统计量的权重，与 Keras 的 0.99 恰好相反）；滑动方差里用的是**无偏**方差
$\frac{N}{N-1}\sigma^2_{\mathcal{B}}$，而归一化本身用有偏方差 $\sigma^2_{\mathcal{B}}$。
"""

from __future__ import annotations

import numpy as np

from .._validate import as_float_array, check_bool, check_nonneg, check_positive, check_real, check_shape
from .layers import Layer


# ======================================================================== 共同的核心
def _normalize_forward(z, gamma, beta, axes, pshape, eps):
    mu = z.mean(axis=axes, keepdims=True)                  # 每组的均值 μ
    var = z.var(axis=axes, keepdims=True)                  # 每组的有偏方差 σ²
    inv_std = 1.0 / np.sqrt(var + eps)                     # 1/√(σ² + ε)
    x_hat = (z - mu) * inv_std                             # 标准化：均值 0、方差 1
    out = x_hat * gamma.reshape(pshape) + beta.reshape(pshape)   # 缩放平移 γ ⊙ x̂ + β
    return out, (x_hat, inv_std, gamma, axes, pshape, mu, var)


def _normalize_backward(dout, cache):
    x_hat, inv_std, gamma, axes, pshape, _, _ = cache
    dout = as_float_array(dout, "dout")
    if dout.shape != x_hat.shape:
        raise ValueError(f"dout 的形状应与前向输入相同 {x_hat.shape}，实际为 {dout.shape}")
    param_axes = tuple(i for i in range(dout.ndim) if pshape[i] == 1)
    dgamma = (dout * x_hat).sum(axis=param_axes).reshape(gamma.shape)   # ∂L/∂γ = Σ dout ⊙ x̂
    dbeta = dout.sum(axis=param_axes).reshape(gamma.shape)               # ∂L/∂β = Σ dout
    g = dout * gamma.reshape(pshape)                                     # g = γ ⊙ dout
    # dz = (g − mean(g) − x̂ ⊙ mean(g ⊙ x̂)) / √(σ² + ε)
    dz = inv_std * (g - g.mean(axis=axes, keepdims=True) - x_hat * (g * x_hat).mean(axis=axes, keepdims=True))
    return dz, dgamma, dbeta


def _bn_axes(z, gamma, beta):
    z = as_float_array(z, "z", ndim=(2, 3, 4))
    C = z.shape[1]
    gamma = as_float_array(gamma, "gamma", ndim=1)
    beta = as_float_array(beta, "beta", ndim=1)
    if gamma.shape != (C,) or beta.shape != (C,):
        raise ValueError(f"gamma、beta 的形状应为 (C,) = ({C},)（z 的第 1 维），实际为 {gamma.shape}、{beta.shape}")
    axes = (0,) + tuple(range(2, z.ndim))                 # (N, C) → (0,)；(N, C, H, W) → (0, 2, 3)
    pshape = (1, C) + (1,) * (z.ndim - 2)                 # γ、β 的广播形状
    return z, gamma, beta, axes, pshape


# ======================================================================== 批量归一化
def batchnorm_forward(z, gamma, beta, eps: float = 1e-5):
    r"""批量归一化（训练模式）：用本批统计量 $\mu_{\mathcal{B}}$、$\sigma^2_{\mathcal{B}}$ 归一化。书中第 7.5.1 节；站点第 7 章。

    $$\mu_{\mathcal{B}} = \frac1N\sum_{n=1}^N z^{(n)},\quad
      \sigma^2_{\mathcal{B}} = \frac1N\sum_{n=1}^N \big(z^{(n)}-\mu_{\mathcal{B}}\big)^2,\quad
      \hat{z}^{(n)} = \frac{z^{(n)}-\mu_{\mathcal{B}}}{\sqrt{\sigma^2_{\mathcal{B}}+\epsilon}}\odot\gamma+\beta$$

    Parameters
    ----------
    z : array (N, C) 或 (N, C, L) 或 (N, C, H, W)
        净输入；统计量对除第 1 维（特征 / 通道）之外的所有维求。
    gamma, beta : array (C,)
        缩放与平移参数。
    eps : float
        加在方差上的小常数，默认与 torch 相同。

    Returns
    -------
    out : 与 ``z`` 同形状
    cache : 反向传播需要的量；``cache[5]``、``cache[6]`` 是本批的 $\mu_{\mathcal{B}}$ 与有偏 $\sigma^2_{\mathcal{B}}$。

    Examples
    --------
    >>> z = np.array([[1.0, 10.0], [3.0, 30.0]])
    >>> out, _ = batchnorm_forward(z, np.ones(2), np.zeros(2), eps=0.0)
    >>> out
    array([[-1., -1.],
           [ 1.,  1.]])
    """
    z, gamma, beta, axes, pshape = _bn_axes(z, gamma, beta)
    if np.prod([z.shape[a] for a in axes]) < 2:
        raise ValueError(f"训练模式的批量归一化每个通道至少要 2 个值才能求方差，实际 z 的形状为 {z.shape}")
    check_nonneg(eps, "eps（通常为 1e-5）")
    return _normalize_forward(z, gamma, beta, axes, pshape, eps)


def batchnorm_backward(dout, cache):
    r"""批量归一化（训练模式）的反向：返回 ``(dz, dgamma, dbeta)``。书中第 7.5.1 节；站点第 7 章。

    $\mu_{\mathcal{B}}$ 与 $\sigma^2_{\mathcal{B}}$ 依赖同批的所有样本，所以 $\partial\mathcal{L}/\partial z^{(n)}$
    里有减去组内平均的两项（见模块说明）；把它们漏掉就得到"把统计量当常数"的错误梯度。
    """
    return _normalize_backward(dout, cache)


def batchnorm_eval(z, gamma, beta, running_mean, running_var, eps: float = 1e-5):
    r"""批量归一化（测试模式）：用训练时累积的滑动平均代替本批统计量，逐样本独立。书中第 7.5.1 节；站点第 7 章。

    $$\hat{z} = \frac{z-\mu_{\text{run}}}{\sqrt{\sigma^2_{\text{run}}+\epsilon}}\odot\gamma+\beta$$

    这是一个固定的仿射变换，可以并进前一层的 $W$、$b$ 里。
    """
    z, gamma, beta, _, pshape = _bn_axes(z, gamma, beta)
    C = gamma.shape[0]
    mean = check_shape(as_float_array(running_mean, "running_mean"), (C,), "running_mean", "(C,)").reshape(pshape)
    var = check_shape(as_float_array(running_var, "running_var"), (C,), "running_var", "(C,)")
    if var.min() < 0:
        raise ValueError(f"running_var 应非负（方差），实际最小值为 {var.min()}")
    var = var.reshape(pshape)
    check_nonneg(eps, "eps（通常为 1e-5）")
    return (z - mean) / np.sqrt(var + eps) * gamma.reshape(pshape) + beta.reshape(pshape)


# ======================================================================== 层归一化
def layernorm_forward(z, gamma, beta, eps: float = 1e-5):
    r"""层归一化：每个样本在自己的特征上求均值与方差。书中第 7.5.2 节；站点第 7 章。

    $$\mu^{(n)} = \frac1D\sum_{d=1}^D z^{(n)}_d,\quad
      \sigma^{2\,(n)} = \frac1D\sum_{d=1}^D\big(z^{(n)}_d-\mu^{(n)}\big)^2,\quad
      \hat{z}^{(n)} = \frac{z^{(n)}-\mu^{(n)}}{\sqrt{\sigma^{2\,(n)}+\epsilon}}\odot\gamma+\beta$$

    Parameters
    ----------
    z : array (..., D)（或 (..., *S)，此时 ``gamma.shape == S``，对最后 ``len(S)`` 维归一化）
    gamma, beta : array (D,) 或 S
        与 ``torch.nn.LayerNorm(normalized_shape=S)`` 的 ``weight``、``bias`` 相同。

    Returns
    -------
    out : 与 ``z`` 同形状；cache : 反向传播需要的量。

    Examples
    --------
    >>> out, _ = layernorm_forward(np.array([[1.0, 3.0], [10.0, 30.0]]), np.ones(2), np.zeros(2), eps=0.0)
    >>> out
    array([[-1.,  1.],
           [-1.,  1.]])
    """
    gamma = as_float_array(gamma, "gamma")
    beta = as_float_array(beta, "beta")
    k = gamma.ndim
    z = as_float_array(z, "z")
    if k == 0 or z.ndim <= k - 1 or z.shape[z.ndim - k:] != gamma.shape or beta.shape != gamma.shape:
        raise ValueError(f"z 的最后 {k} 维应与 gamma、beta 的形状 {gamma.shape} 相同，"
                         f"实际 z 为 {z.shape}、beta 为 {beta.shape}")
    check_nonneg(eps, "eps（通常为 1e-5）")
    axes = tuple(range(z.ndim - k, z.ndim))                 # 最后 k 维
    pshape = (1,) * (z.ndim - k) + gamma.shape
    return _normalize_forward(z, gamma, beta, axes, pshape, eps)


def layernorm_backward(dout, cache):
    """层归一化的反向：返回 ``(dz, dgamma, dbeta)``（公式与批量归一化相同，只是换了求平均的方向）。

    书中第 7.5.2 节；站点第 7 章。
    """
    return _normalize_backward(dout, cache)


# ======================================================================== 薄封装类
class BatchNorm(Layer):
    r"""批量归一化层，行为与 ``torch.nn.BatchNorm1d/2d`` 相同。书中第 7.5.1 节；站点第 7 章。

    ``params = {"gamma": (C,), "beta": (C,)}``；缓冲区 ``running_mean``（初值 0）、``running_var``
    （初值 1）。训练模式下每次前向按 torch 的约定更新：

    $$\mu_{\text{run}} \leftarrow (1-m)\mu_{\text{run}} + m\,\mu_{\mathcal{B}},\qquad
      \sigma^2_{\text{run}} \leftarrow (1-m)\sigma^2_{\text{run}} + m\,\frac{N}{N-1}\sigma^2_{\mathcal{B}}$$

    （卷积时 $N$ 换成每个通道参与统计的值的个数 $N\cdot H\cdot W$。）``eval()`` 之后改用滑动平均。

    Examples
    --------
    >>> bn = BatchNorm(2)
    >>> _ = bn.forward(np.array([[1.0, 10.0], [3.0, 30.0]]))
    >>> bn.running_mean, bn.running_var          # 0.9·0 + 0.1·μ；0.9·1 + 0.1·(无偏方差)
    (array([0.2, 2. ]), array([ 1.1, 20.9]))
    """

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float = 0.1):
        super().__init__()
        check_positive(num_features, "num_features", integer=True)
        check_real(momentum, "momentum（torch 约定：新统计量的权重）", 0, 1)
        check_nonneg(eps, "eps（通常为 1e-5）")
        self.eps, self.momentum = eps, momentum
        self.params = {"gamma": np.ones(num_features), "beta": np.zeros(num_features)}
        self.grads = {k: np.zeros_like(v) for k, v in self.params.items()}
        self.running_mean = np.zeros(num_features)
        self.running_var = np.ones(num_features)
        self.training = True

    def train(self, mode: bool = True) -> "BatchNorm":
        self.training = check_bool(mode, "mode")
        return self

    def eval(self) -> "BatchNorm":
        return self.train(False)

    def forward(self, z):
        if not self.training:
            out = batchnorm_eval(z, self.params["gamma"], self.params["beta"], self.running_mean,
                                 self.running_var, self.eps)
            self.cache = None                             # 先算完（输入检查通过）再清掉训练模式的缓存
            return out
        out, self.cache = batchnorm_forward(z, self.params["gamma"], self.params["beta"], self.eps)
        _, _, _, axes, _, mu, var = self.cache
        n = out.size // out.shape[1]                      # 每个通道参与统计的值的个数
        m = self.momentum
        self.running_mean = (1 - m) * self.running_mean + m * mu.ravel()
        self.running_var = (1 - m) * self.running_var + m * var.ravel() * n / (n - 1)   # 无偏方差
        return out

    def backward(self, dout):
        if not self.training:
            raise RuntimeError("eval 模式下的 BatchNorm 是固定的仿射变换；本类只实现训练模式的反向")
        self._check_cache()
        dz, dgamma, dbeta = batchnorm_backward(dout, self.cache)
        self.grads["gamma"] += dgamma
        self.grads["beta"] += dbeta
        return dz

    def __repr__(self):
        return f"BatchNorm({self.params['gamma'].size}, momentum={self.momentum})"


class LayerNorm(Layer):
    r"""层归一化层，行为与 ``torch.nn.LayerNorm(D)`` 相同（训练与测试一样）。书中第 7.5.2 节；站点第 7 章。"""

    def __init__(self, normalized_shape, eps: float = 1e-5):
        super().__init__()
        if not isinstance(normalized_shape, (int, np.integer, tuple, list)):
            raise TypeError(f"normalized_shape 应为正整数 D 或正整数的元组 S，实际得到 {normalized_shape!r}")
        shape = (normalized_shape,) if isinstance(normalized_shape, (int, np.integer)) else tuple(normalized_shape)
        for s in shape:
            check_positive(s, "normalized_shape 的每一项", integer=True)
        self.eps = check_nonneg(eps, "eps（通常为 1e-5）")
        self.params = {"gamma": np.ones(shape), "beta": np.zeros(shape)}
        self.grads = {k: np.zeros_like(v) for k, v in self.params.items()}

    def forward(self, z):
        out, self.cache = layernorm_forward(z, self.params["gamma"], self.params["beta"], self.eps)
        return out

    def backward(self, dout):
        self._check_cache()
        dz, dgamma, dbeta = layernorm_backward(dout, self.cache)
        self.grads["gamma"] += dgamma
        self.grads["beta"] += dbeta
        return dz

    def __repr__(self):
        return f"LayerNorm({self.params['gamma'].shape})"
