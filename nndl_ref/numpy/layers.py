r"""前馈网络的层：成对的前向 / 反向函数，以及在它们之上的薄封装类（NumPy 从零实现）。

对应书中第 4.3 节（前馈神经网络）与第 4.4 节（反向传播算法）。一层做两件事：

$$\boldsymbol{z}^{(l)} = \boldsymbol{W}^{(l)} \boldsymbol{a}^{(l-1)} + \boldsymbol{b}^{(l)}, \qquad
  \boldsymbol{a}^{(l)} = f_l\big(\boldsymbol{z}^{(l)}\big)$$

反向传播时，已知 $\delta^{(l)} = \partial\mathcal{L}/\partial\boldsymbol{z}^{(l)}$：

$$\frac{\partial \mathcal{L}}{\partial \boldsymbol{W}^{(l)}} = \delta^{(l)} \boldsymbol{a}^{(l-1)\top}, \quad
  \frac{\partial \mathcal{L}}{\partial \boldsymbol{b}^{(l)}} = \delta^{(l)}, \quad
  \delta^{(l-1)} = f_{l-1}'\big(\boldsymbol{z}^{(l-1)}\big) \odot \Big(\boldsymbol{W}^{(l)\top} \delta^{(l)}\Big)$$

批量形式（一行一个样本）：``out = x @ W.T + b``，``dx = dout @ W``，``dW = dout.T @ x``，
``db = dout.sum(0)``。函数对：``*_forward(...) -> (out, cache)``，``*_backward(dout, cache)`` 按
前向输入的顺序返回梯度。类：``forward(x)``、``backward(dout)``，参数在 ``params``、梯度在同名的
``grads`` 里。与 PyTorch 一样，``backward`` 把梯度**累加**进 ``grads``（便于梯度累积），
开始新的一步之前先调用 ``zero_grad()``。
"""

from __future__ import annotations

import contextlib

import numpy as np

from .._validate import as_float_array, check_bool, check_kwargs, check_positive, check_real
from . import activations as act
from .losses import cross_entropy, cross_entropy_grad


# ======================================================================== 仿射层
def affine_forward(x, W, b):
    r"""仿射变换 $z = W x + b$ 的批量形式。

    Parameters
    ----------
    x : array (N, D)
        输入 $a^{(l-1)}$，一行一个样本。
    W : array (M, D)
        权重，按（输出, 输入）存放，与 ``torch.nn.Linear.weight`` 相同。
    b : array (M,)
        偏置。

    Returns
    -------
    out : array (N, M)
        $z^{(l)}$，即 ``x @ W.T + b``。
    cache : tuple
        反向传播需要的 ``(x, W)``。

    Examples
    --------
    >>> out, _ = affine_forward(np.ones((2, 3)), np.ones((4, 3)), np.zeros(4))
    >>> out.shape
    (2, 4)
    """
    x = as_float_array(x, "x", ndim=2)
    W = as_float_array(W, "W", ndim=2)
    b = as_float_array(b, "b", ndim=1)
    N, D = x.shape
    M = W.shape[0]
    if W.shape[1] != D:
        raise ValueError(f"W 的形状应为 (M, D)，x 的形状应为 (N, D)，两者的 D 相同（W 给出 D={W.shape[1]}）；"
                         f"实际 x {x.shape}，W {W.shape}")
    if b.shape != (M,):
        raise ValueError(f"b 的形状应为 (M,) = ({M},)，实际为 {b.shape}")
    return x @ W.T + b, (x, W)


def affine_backward(dout, cache):
    r"""仿射层的反向：$\partial\mathcal{L}/\partial x = \delta W$，
    $\partial\mathcal{L}/\partial W = \delta^\top x$，$\partial\mathcal{L}/\partial b = \sum_n \delta_n$。

    Parameters
    ----------
    dout : array (N, M)
        上游梯度 $\delta^{(l)}$（每行一个样本）。
    cache : 来自 ``affine_forward``。

    Returns
    -------
    dx : (N, D), dW : (M, D), db : (M,)
    """
    x, W = cache
    dout = as_float_array(dout, "dout", ndim=2)
    if dout.shape != (x.shape[0], W.shape[0]):
        raise ValueError(f"dout 的形状应为 (N, M) = {(x.shape[0], W.shape[0])}，实际为 {dout.shape}")
    dx = dout @ W                     # (N, M) @ (M, D) → (N, D)
    dW = dout.T @ x                   # (M, N) @ (N, D) → (M, D)
    db = dout.sum(axis=0)             # (M,)
    return dx, dW, db


# ======================================================================== 激活层
def activation_forward(z, name: str, **kw):
    r"""逐元素激活 $a = f(z)$；``name`` 见 :data:`nndl_ref.numpy.activations.ACTIVATIONS`。

    关键字参数（``gamma``、``beta``、``approximate``）传给激活函数，在反向时视为常数。
    需要学习 PReLU 的 $\gamma$ 或 Swish 的 $\beta$ 时，用 ``prelu_forward`` /
    ``swish_forward``，它们的反向还返回对参数的梯度。

    Returns
    -------
    a : 与 ``z`` 同形状；cache : ``(z, name, kw)``。
    """
    f, _ = act.get(name)
    z = as_float_array(z, "z")
    return f(z, **kw), (z, name, kw)


def activation_backward(da, cache):
    r"""$\partial\mathcal{L}/\partial z = f'(z) \odot \partial\mathcal{L}/\partial a$（逐元素相乘）。"""
    z, name, kw = cache
    _, fprime = act.get(name)
    da = as_float_array(da, "da")
    if da.shape != z.shape:
        raise ValueError(f"da 的形状应与 z 相同 {z.shape}，实际为 {da.shape}")
    return fprime(z, **kw) * da


def relu_forward(z):
    r"""$a = \max(0, z)$；cache 只存 ``z``。"""
    z = as_float_array(z, "z")
    return np.maximum(z, 0.0), z


def relu_backward(da, cache):
    r"""$\partial\mathcal{L}/\partial z = \mathbb{I}(z > 0) \odot \partial\mathcal{L}/\partial a$（$z=0$ 处取 0）。"""
    z = cache
    da = as_float_array(da, "da")
    if da.shape != z.shape:
        raise ValueError(f"da 的形状应与 z 相同 {z.shape}，实际为 {da.shape}")
    return da * (z > 0)


def prelu_forward(z, gamma):
    r"""PReLU：$a = \max(0,z) + \gamma \min(0,z)$，``gamma`` 为 (M,) 或标量（可学习）。"""
    z = as_float_array(z, "z", ndim=2)
    return act.prelu(z, gamma), (z, np.asarray(gamma, dtype=np.float64))


def prelu_backward(da, cache):
    r"""返回 ``(dz, dgamma)``：$\partial\mathcal{L}/\partial\gamma_i = \sum_n \delta_{ni}\min(0, z_{ni})$。"""
    z, gamma = cache
    da = as_float_array(da, "da", ndim=2)
    if da.shape != z.shape:
        raise ValueError(f"da 的形状应与 z 相同 {z.shape}，实际为 {da.shape}")
    dz = act.prelu_grad(z, gamma) * da
    dgamma = (da * act.prelu_grad_gamma(z)).sum(axis=0)      # (M,)：对样本求和
    if gamma.ndim == 0 or gamma.shape == (1,):
        dgamma = dgamma.sum().reshape(gamma.shape)            # 所有神经元共享一个 γ
    return dz, dgamma


def swish_forward(z, beta):
    r"""Swish：$a = z\,\sigma(\beta z)$，$\beta$ 为标量（可学习）。"""
    z = as_float_array(z, "z")
    beta = as_float_array(beta, "beta")
    if beta.size != 1:
        raise ValueError(f"beta 应为标量（所有神经元共享），实际形状为 {beta.shape}")
    return act.swish(z, beta.item()), (z, beta)


def swish_backward(da, cache):
    r"""返回 ``(dz, dbeta)``：$\partial\mathcal{L}/\partial\beta = \sum \delta \cdot z^2\sigma(\beta z)(1-\sigma(\beta z))$。"""
    z, beta = cache
    da = as_float_array(da, "da")
    if da.shape != z.shape:
        raise ValueError(f"da 的形状应与 z 相同 {z.shape}，实际为 {da.shape}")
    dz = act.swish_grad(z, beta.item()) * da
    dbeta = np.sum(da * act.swish_grad_beta(z, beta.item())).reshape(beta.shape)
    return dz, dbeta


def maxout_forward(z, pieces: int):
    r"""Maxout：(N, M·K) → (N, M)，见 ``nndl_ref.numpy.activations.maxout``。"""
    z = as_float_array(z, "z", ndim=2)
    return act.maxout(z, pieces), (z, pieces)


def maxout_backward(da, cache):
    """梯度只流向每组的最大片：返回 ``dz`` (N, M·K)。"""
    z, pieces = cache
    return act.maxout_backward(da, z, pieces)


# ======================================================================== 输出层 + 损失
def softmax_cross_entropy(Z, y):
    r"""Softmax 与交叉熵合在一起：返回批平均损失和 $\partial\mathcal{L}/\partial Z$。

    $$\mathcal{L} = -\frac{1}{N}\sum_{n=1}^N \log \mathrm{softmax}\big(z^{(n)}\big)_{y^{(n)}}, \qquad
      \delta^{(L)} = \frac{\partial \mathcal{L}}{\partial Z} = \frac{1}{N}\big(\hat{Y} - Y\big)$$

    合起来算，梯度就是"预测减标签"，不必经过 softmax 的雅可比矩阵。书中：第 3.3 节、第 4.4 节。

    Parameters
    ----------
    Z : array (N, C)
        输出层的净输入（logit）。
    y : array (N,)
        整数类别标签，取值在 ``[0, C)``。

    Returns
    -------
    loss : float
    dZ : array (N, C)
    """
    Z = as_float_array(Z, "Z", ndim=2)
    return cross_entropy(Z, y), cross_entropy_grad(Z, y)


# ======================================================================== 初始化
def init_weight(out_features: int, in_features: int, rng: np.random.Generator, init: str = "he",
                weight_scale: float = 0.01) -> np.ndarray:
    r"""按 (out, in) 形状初始化权重（书中第 7.3 节）。

    - ``"he"``：$\mathcal{N}(0, 2/D)$，适合 ReLU（保持前向方差不变）；
    - ``"xavier"``：$\mathcal{N}\big(0, 2/(D+M)\big)$，适合 Logistic / Tanh；
    - ``"normal"``：$\mathcal{N}(0, s^2)$，$s$ 为 ``weight_scale``（默认 0.01，"太小"的初始化）。

    $D$ 为输入维数（fan-in），$M$ 为输出维数（fan-out）。
    """
    check_positive(out_features, "out_features", integer=True)
    check_positive(in_features, "in_features", integer=True)
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng 应为 numpy.random.Generator（如 np.random.default_rng(0)），实际得到 {type(rng).__name__}")
    if init == "he":
        std = np.sqrt(2.0 / in_features)
    elif init == "xavier":
        std = np.sqrt(2.0 / (in_features + out_features))
    elif init == "normal":
        std = check_positive(weight_scale, "weight_scale")
    else:
        raise ValueError(f"init 应为 'he'、'xavier' 或 'normal'，实际为 {init!r}")
    return std * rng.standard_normal((out_features, in_features))


# ======================================================================== 薄封装类
class Layer:
    """所有层的基类：``params`` 与 ``grads`` 是键相同的字典（无参数的层两者都为空）。"""

    def __init__(self):
        self.params: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}
        self.cache = None

    def forward(self, x):  # pragma: no cover - 抽象方法
        raise NotImplementedError

    def backward(self, dout):  # pragma: no cover - 抽象方法
        raise NotImplementedError

    def zero_grad(self) -> None:
        for g in self.grads.values():
            g[...] = 0.0

    def _check_cache(self):
        if self.cache is None:
            raise RuntimeError(f"{type(self).__name__}.backward 之前必须先调用 forward")

    def __call__(self, x):
        return self.forward(x)


class Linear(Layer):
    r"""全连接层 $z = W x + b$：``params = {"W": (out, in), "b": (out,)}``。

    Examples
    --------
    >>> layer = Linear(3, 2, np.random.default_rng(0))
    >>> layer.forward(np.ones((5, 3))).shape, layer.backward(np.ones((5, 2))).shape
    ((5, 2), (5, 3))
    >>> layer.grads["W"].shape
    (2, 3)
    """

    def __init__(self, in_features: int, out_features: int, rng: np.random.Generator, init: str = "he",
                 weight_scale: float = 0.01):
        super().__init__()
        self.in_features, self.out_features = in_features, out_features
        self.params = {"W": init_weight(out_features, in_features, rng, init, weight_scale),
                       "b": np.zeros(out_features)}
        self.grads = {k: np.zeros_like(v) for k, v in self.params.items()}

    def forward(self, x):
        x = as_float_array(x, "x", ndim=2)
        if x.shape[1] != self.params["W"].shape[1]:
            raise ValueError(f"x 的形状应为 (N, D) 且 D={self.params['W'].shape[1]}（{self!r} 的输入维数），"
                             f"实际为 {x.shape}")
        out, self.cache = affine_forward(x, self.params["W"], self.params["b"])
        return out

    def backward(self, dout):
        self._check_cache()
        dx, dW, db = affine_backward(dout, self.cache)
        self.grads["W"] += dW             # 累加（与 torch 相同）；新一步前先 zero_grad()
        self.grads["b"] += db
        return dx

    def __repr__(self):
        return f"Linear({self.in_features}, {self.out_features})"


class Activation(Layer):
    """逐元素激活层：``Activation("tanh")``、``Activation("leaky_relu", gamma=0.1)``。"""

    def __init__(self, name: str, **kw):
        super().__init__()
        f, _ = act.get(name)               # 名字不对时立即报错
        check_kwargs(f, kw, f"激活函数 {name!r}", given=("z",))
        f(np.zeros(1), **kw)               # 参数的取值不对（如 gamma=-1）时也立即报错，而不是等到 forward
        self.name, self.kw = name, kw

    def forward(self, x):
        a, self.cache = activation_forward(x, self.name, **self.kw)
        return a

    def backward(self, dout):
        self._check_cache()
        return activation_backward(dout, self.cache)

    def __repr__(self):
        return f"Activation({self.name!r}" + "".join(f", {k}={v!r}" for k, v in self.kw.items()) + ")"


class ReLU(Layer):
    """ReLU 层（用 ``relu_forward`` / ``relu_backward``）。"""

    def forward(self, x):
        a, self.cache = relu_forward(x)
        return a

    def backward(self, dout):
        self._check_cache()
        return relu_backward(dout, self.cache)

    def __repr__(self):
        return "ReLU()"


class Sigmoid(Activation):
    """Logistic 层。"""

    def __init__(self):
        super().__init__("logistic")


class Tanh(Activation):
    """Tanh 层。"""

    def __init__(self):
        super().__init__("tanh")


class PReLU(Layer):
    r"""PReLU 层，斜率 ``params["gamma"]`` 形状 (M,)（``num_parameters=M``）或 (1,)，初值 0.25。"""

    def __init__(self, num_parameters: int = 1, init: float = 0.25):
        super().__init__()
        check_positive(num_parameters, "num_parameters", integer=True)
        self.params = {"gamma": np.full(num_parameters, float(check_real(init, "init", 0)))}
        self.grads = {"gamma": np.zeros(num_parameters)}

    def forward(self, x):
        a, self.cache = prelu_forward(x, self.params["gamma"])
        return a

    def backward(self, dout):
        self._check_cache()
        dz, dgamma = prelu_backward(dout, self.cache)
        self.grads["gamma"] += dgamma
        return dz


class Swish(Layer):
    r"""Swish 层；``learnable=True`` 时 $\beta$ 放在 ``params["beta"]``（形状 (1,)）里学习。"""

    def __init__(self, beta: float = 1.0, learnable: bool = False):
        super().__init__()
        self.learnable = check_bool(learnable, "learnable")
        self.beta = np.array([float(check_real(beta, "beta"))])
        if learnable:
            self.params = {"beta": self.beta}
            self.grads = {"beta": np.zeros(1)}

    def forward(self, x):
        a, self.cache = swish_forward(x, self.beta)
        return a

    def backward(self, dout):
        self._check_cache()
        dz, dbeta = swish_backward(dout, self.cache)
        if self.learnable:
            self.grads["beta"] += dbeta
        return dz


class Maxout(Layer):
    """Maxout 激活层：(N, M·K) → (N, M)。前面接一个输出 M·K 维的 ``Linear``。"""

    def __init__(self, pieces: int):
        super().__init__()
        self.pieces = check_positive(pieces, "pieces", integer=True)

    def forward(self, x):
        a, self.cache = maxout_forward(x, self.pieces)
        return a

    def backward(self, dout):
        self._check_cache()
        return maxout_backward(dout, self.cache)


class Sequential:
    """把若干层串起来：前向依次调用，反向逆序调用（链式法则）。

    ``params()`` / ``grads()`` 返回扁平字典，键为 ``"层号.参数名"``（如 ``"0.W"``），与
    ``torch.nn.Sequential`` 的 ``state_dict`` 命名方式相同；值是各层数组本身（原地更新即生效）。

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> net = Sequential(Linear(4, 8, rng), ReLU(), Linear(8, 3, rng))
    >>> net.forward(np.ones((2, 4))).shape
    (2, 3)
    >>> sorted(net.params())
    ['0.W', '0.b', '2.W', '2.b']
    """

    def __init__(self, *layers: Layer):
        for i, layer in enumerate(layers):
            if not all(hasattr(layer, a) for a in ("forward", "backward", "params", "grads", "zero_grad")):
                raise TypeError(f"第 {i} 个参数应是一层（有 forward、backward、params、grads、zero_grad），"
                                f"实际得到 {type(layer).__name__}")
        self.layers = list(layers)

    def forward(self, x):
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def backward(self, dout):
        for layer in reversed(self.layers):
            dout = layer.backward(dout)
        return dout

    def params(self) -> dict[str, np.ndarray]:
        return {f"{i}.{k}": v for i, layer in enumerate(self.layers) for k, v in layer.params.items()}

    def grads(self) -> dict[str, np.ndarray]:
        return {f"{i}.{k}": v for i, layer in enumerate(self.layers) for k, v in layer.grads.items()}

    def zero_grad(self) -> None:
        for layer in self.layers:
            layer.zero_grad()

    def __call__(self, x):
        return self.forward(x)

    def __getitem__(self, i):
        return self.layers[i]

    def __len__(self):
        return len(self.layers)

    def __repr__(self):
        inner = "\n".join(f"  ({i}): {layer!r}" for i, layer in enumerate(self.layers))
        return f"Sequential(\n{inner}\n)"

    @contextlib.contextmanager
    def keep_caches_on_error(self):
        """``with net.keep_caches_on_error(): ...``：块里出错时把各层的 ``cache`` 恢复原样。

        用在"先前向、再检查前向的结果"的地方（如编码饱和时的 KL 稀疏惩罚）：检查失败不留下前向过的缓存。
        """
        saved = [getattr(layer, "cache", None) for layer in self.layers]
        try:
            yield self
        except BaseException:
            for layer, cache in zip(self.layers, saved):
                if hasattr(layer, "cache"):
                    layer.cache = cache
            raise
