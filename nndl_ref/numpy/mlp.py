r"""多层感知器（前馈神经网络）：由 ``nndl_ref.numpy.layers`` 的层搭起来，手写反向传播。

对应书中第 4.3 节（前馈神经网络）、第 4.4 节（反向传播算法）。$L$ 层网络：

$$\boldsymbol{z}^{(l)} = \boldsymbol{W}^{(l)}\boldsymbol{a}^{(l-1)} + \boldsymbol{b}^{(l)},\quad
  \boldsymbol{a}^{(l)} = f_l(\boldsymbol{z}^{(l)}),\quad l = 1, \dots, L,\qquad
  \boldsymbol{a}^{(0)} = \boldsymbol{x}$$

最后一层不加激活：分类时 $\boldsymbol{z}^{(L)}$ 直接送进 Softmax 与交叉熵，回归时
（``loss="mse"``）它就是预测值，损失为均方误差。参数字典的键沿用书中
符号：``W1, b1, …, WL, bL``（$\boldsymbol{W}^{(l)}$ 形状为 $M_l \times M_{l-1}$）。
"""

from __future__ import annotations

import numpy as np

from .._validate import (as_float_array, as_labels, check_choice, check_nonneg, check_positive, check_real, check_rng,
                         check_seed)
from . import activations as act
from .layers import Activation, Linear, PReLU, ReLU, Sequential, softmax_cross_entropy
from .losses import mse, mse_grad


class MLP:
    r"""多层感知器，可直接交给 ``nndl_ref.numpy.train.fit`` 或 ``nndl_ref.numpy.optim.fit`` 训练。

    Parameters
    ----------
    sizes : sequence of int
        各层神经元数 $(M_0, M_1, \dots, M_L)$，$M_0 = D$ 为输入维数，$M_L = C$ 为类别数。
    activation : str
        隐藏层激活函数的名字（见 :data:`nndl_ref.numpy.activations.ACTIVATIONS`），或 ``"prelu"``
        （每个神经元一个可学习斜率）。
    seed, rng :
        初始化的随机性：给出 ``rng``（``numpy.random.Generator``）时用它，否则用 ``seed``。
    init : ``"he"`` | ``"xavier"`` | ``"normal"``
        权重初始化方式（见 ``nndl_ref.numpy.layers.init_weight``），偏置初始化为 0。
    weight_scale : float
        ``init="normal"`` 时的标准差。
    loss : ``"cross_entropy"`` | ``"mse"``
        分类（整数标签，Softmax + 交叉熵）或回归（实数目标 (N,) 或 (N, C)，均方误差）。
    weight_decay : float
        L2 正则系数 $\lambda$，只作用于权重：损失加上 $\frac{\lambda}{2}\sum_l\lVert W^{(l)}\rVert_F^2$。
    **act_kw :
        传给激活函数的参数，如 ``gamma=0.1``。

    Examples
    --------
    >>> net = MLP([4, 8, 3], seed=0)
    >>> sorted(net.params())
    ['W1', 'W2', 'b1', 'b2']
    >>> loss, grads = net.loss_and_grads(np.ones((5, 4)), np.array([0, 1, 2, 0, 1]))
    >>> grads["W1"].shape
    (8, 4)
    """

    def __init__(self, sizes, activation: str = "relu", *, seed: int = 0, rng: np.random.Generator | None = None,
                 init: str = "he", weight_scale: float = 0.01, loss: str = "cross_entropy",
                 weight_decay: float = 0.0, **act_kw):
        sizes = list(sizes)
        if len(sizes) < 2:
            raise ValueError(f"sizes 至少要有输入维数和输出维数两项，实际为 {sizes}")
        for s in sizes:
            check_positive(s, "sizes 的每一项", integer=True)
        if activation != "prelu":
            act.get(activation)
        if loss not in ("cross_entropy", "mse"):
            raise ValueError(f"loss 应为 'cross_entropy' 或 'mse'，实际为 {loss!r}")
        check_nonneg(weight_decay, "weight_decay")
        check_choice(init, "init", ("he", "xavier", "normal"))
        rng = np.random.default_rng(check_seed(seed)) if rng is None else check_rng(rng)
        self.sizes, self.activation, self.loss = sizes, activation, loss
        self.weight_decay = float(weight_decay)
        layers = []
        for l in range(1, len(sizes)):
            layers.append(Linear(sizes[l - 1], sizes[l], rng, init=init, weight_scale=weight_scale))
            if l < len(sizes) - 1:                   # 最后一层不加激活：输出 logit
                if activation == "relu" and not act_kw:
                    layers.append(ReLU())
                elif activation == "prelu":
                    layers.append(PReLU(sizes[l], **act_kw))
                else:
                    layers.append(Activation(activation, **act_kw))
        self.net = Sequential(*layers)
        # 书中符号 → 层里的数组（同一个对象，原地更新即生效）
        self._names = {}
        for i, layer in enumerate(self.net.layers):
            l = sum(isinstance(m, Linear) for m in self.net.layers[: i + 1])
            for k in layer.params:
                self._names[f"{k}{l}"] = (i, k)

    @property
    def L(self) -> int:
        """网络层数 $L$（不算输入层）。"""
        return len(self.sizes) - 1

    def params(self) -> dict[str, np.ndarray]:
        """``{"W1": …, "b1": …, …}``，值是层里的数组本身。"""
        return {name: self.net.layers[i].params[k] for name, (i, k) in self._names.items()}

    def forward(self, X) -> np.ndarray:
        r"""前向传播，返回输出层的净输入 $Z^{(L)}$（logit，形状 (N, C)）。"""
        X = as_float_array(X, "X", ndim=2)
        if X.shape[1] != self.sizes[0]:
            raise ValueError(f"X 应有 D={self.sizes[0]} 列，实际形状为 {X.shape}")
        return self.net.forward(X)

    def loss_and_grads(self, X, y):
        r"""一次前向 + 一次反向：返回 ``(loss, grads)``，``grads`` 的键与 ``params`` 相同。"""
        N = as_float_array(X, "X", ndim=2).shape[0]   # 先检查标签 / 目标，再前向（前向会改写各层的缓存）
        if self.loss == "cross_entropy":
            y = as_labels(y, "y", n=N, num_classes=self.sizes[-1])
        else:
            y = self._regression_targets(y, (N, self.sizes[-1]))
        Z = self.forward(X)
        if self.loss == "cross_entropy":
            loss, dZ = softmax_cross_entropy(Z, y)   # δ^(L) = (Ŷ − Y)/N
        else:
            loss, dZ = mse(Z, y), mse_grad(Z, y)      # δ^(L) = 2(Ŷ − Y)/(N·C)
        self.net.zero_grad()
        self.net.backward(dZ)                        # 逆序经过每一层，把梯度累加进各层的 grads
        grads = {name: self.net.layers[i].grads[k].copy() for name, (i, k) in self._names.items()}
        if self.weight_decay:
            for name, W in self.params().items():
                if name.startswith("W"):
                    loss += 0.5 * self.weight_decay * float(np.sum(W * W))
                    grads[name] += self.weight_decay * W
        return loss, grads

    def _regression_targets(self, y, shape) -> np.ndarray:
        Y = as_float_array(y, "y", ndim=(1, 2))
        if Y.ndim == 1:
            Y = Y[:, None]                           # (N,) → (N, 1)
        if Y.shape != shape:
            raise ValueError(f"回归目标 y 的形状应为 (N,) 或 (N, C) = {shape}，实际为 {np.shape(y)}")
        return Y

    def predict(self, X) -> np.ndarray:
        """分类：类别 $\\arg\\max_c z^{(L)}_c$，形状 (N,)；回归：预测值 $z^{(L)}$（输出为 1 维时压成 (N,)）。"""
        Z = self.forward(X)
        if self.loss == "mse":
            return Z[:, 0] if Z.shape[1] == 1 else Z
        return np.argmax(Z, axis=1)

    def n_params(self) -> int:
        """参数总数。"""
        return int(sum(p.size for p in self.params().values()))

    def __repr__(self):
        return f"MLP({self.sizes}, activation={self.activation!r})"


def one_hidden_layer_lstsq(x, y, width: int, lo: float, hi: float) -> MLP:
    r"""通用近似定理的构造性演示：单隐藏层 ReLU 网络，隐藏层固定、输出层用最小二乘求解。

    第 $i$ 个隐藏神经元是 $\mathrm{ReLU}(x - t_i)$（$W^{(1)}_i = 1$，
    $b^{(1)}_i = -t_i$），折点 $t_i = lo + (i - \tfrac12)h$（$i = 0, \dots, \text{width}-1$，
    $h = (hi - lo)/\text{width}$）均匀铺开；第一个折点在区间左端之外半格，所以第 0 个神经元在整个
    区间上是线性的。输出 $\hat{y} = \sum_i W^{(2)}_i\,\mathrm{ReLU}(x - t_i) + b^{(2)}$ 是以这些
    折点为拐点的连续分段线性函数，$W^{(2)}, b^{(2)}$ 由最小二乘一次解出（凸问题，得到最优解）。
    宽度越大，折点越密，能逼近的连续函数越精确。书中：第 4.3.1 节。

    Parameters
    ----------
    x, y : array (N,)
        一维输入与目标。
    width : int
        隐藏层神经元数。
    lo, hi : float
        折点铺设的区间。

    Returns
    -------
    MLP
        ``MLP([1, width, 1], "relu", loss="mse")``，参数已经设好，``predict(x[:, None])`` 给出拟合值。
    """
    x = as_float_array(x, "x", ndim=1)
    y = as_float_array(y, "y", ndim=1)
    if x.shape != y.shape:
        raise ValueError(f"x 与 y 的形状应相同，实际为 {x.shape} 与 {y.shape}")
    check_positive(width, "width", integer=True)
    check_real(lo, "lo"), check_real(hi, "hi")
    if not hi > lo:
        raise ValueError(f"区间应满足 lo < hi，实际为 [{lo}, {hi}]")
    net = MLP([1, width, 1], "relu", loss="mse")
    h = (hi - lo) / width
    knots = lo + (np.arange(width) - 0.5) * h
    p = net.params()
    p["W1"][:, 0] = 1.0                                   # 隐藏层：ReLU(x − t_i)
    p["b1"][:] = -knots
    H = np.maximum(x[:, None] - knots, 0.0)               # (N, width)：隐藏层输出 a^(1)
    A = np.c_[H, np.ones_like(x)]                         # (N, width+1)：最后一列对应 b^(2)
    coef, *_ = np.linalg.lstsq(A, y, rcond=None)          # 最小二乘：min ‖A c − y‖²
    p["W2"][0, :] = coef[:-1]
    p["b2"][0] = coef[-1]
    return net
