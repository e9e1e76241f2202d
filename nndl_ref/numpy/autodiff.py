r"""一个很小的反向模式自动微分引擎（NumPy 从零实现，仿 micrograd，但结点可以是数组）。

对应书中第 4.5 节（计算图与自动微分）。每个运算创建一个结点，记住输入（父结点）和一个
``_backward`` 闭包：已知输出的梯度 $\bar{u} = \partial \mathcal{L}/\partial u$，把
$\bar{u}\,\partial u/\partial v$ 累加到每个输入 $v$ 的梯度上——局部导数紧挨着前向写。
``Tensor.backward`` 先对计算图做拓扑排序，再按逆序调用每个结点的 ``_backward``：

$$\frac{\partial \mathcal{L}}{\partial v} = \sum_{u:\ v \to u} \frac{\partial \mathcal{L}}{\partial u}\,\frac{\partial u}{\partial v}$$

一个结点的梯度要等所有用到它的结点都处理完才完整，逆拓扑序恰好保证这一点。
反向传播算法就是把这个过程用在"层"这种粗粒度结点上：$\delta^{(l)}$ 就是结点
$\boldsymbol{z}^{(l)}$ 的 ``grad``。

支持的运算：``+ - * / **``（指数为常数）、``@``、``.T``、``exp``、``log``、``relu``、``tanh``、
``sigmoid``、``sum``、``mean``，加法与乘法按 NumPy 规则广播（反向时对被广播的维求和）。

Examples
--------
>>> w, x, b = Tensor(0.0), Tensor(1.0), Tensor(0.0)
>>> y = 1 / (1 + (-(w * x + b)).exp())          # σ(wx + b)，拆成基本运算
>>> y.backward()
>>> float(y.data), float(w.grad), float(b.grad)
(0.5, 0.25, 0.25)
"""

from __future__ import annotations

import math

import numpy as np

from .._validate import as_float_array, as_labels


def _unbroadcast(grad: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """把广播后的梯度加回原形状：多出来的前导维求和，原来长度为 1 的维求和并保留。"""
    while grad.ndim > len(shape):
        grad = grad.sum(axis=0)
    for i, n in enumerate(shape):
        if n == 1 and grad.shape[i] != 1:
            grad = grad.sum(axis=i, keepdims=True)
    return grad


class Tensor:
    """计算图的结点：``data``（值）、``grad``（损失对它的梯度，形状同 ``data``）。

    Parameters
    ----------
    data : array_like
        值，转成 float64。
    label : str
        名字（画图、打印时用）。
    """

    def __init__(self, data, _parents: tuple = (), op: str = "", label: str = ""):
        if isinstance(data, Tensor):
            raise TypeError("data 已经是 Tensor；要复用它请直接使用，不要再包一层")
        self.data = np.asarray(as_float_array(data, "Tensor 的值", allow_nan=True), dtype=np.float64)
        if not np.all(np.isfinite(self.data)):
            raise ValueError("Tensor 的值应为有限实数（不含 NaN/inf）")
        self.grad = np.zeros_like(self.data)
        self._backward = lambda: None
        self._parents = _parents
        self.op = op
        self.label = label

    # ------------------------------------------------------------ 基本信息
    @property
    def shape(self) -> tuple[int, ...]:
        return self.data.shape

    def __repr__(self):
        name = f"{self.label}=" if self.label else ""
        return f"Tensor({name}{np.array2string(self.data, precision=4)}, op={self.op!r})"

    # ------------------------------------------------------------ 二元运算
    def __add__(self, other):
        other = _wrap(other)
        out = Tensor(self.data + other.data, (self, other), "+")

        def _backward():                                      # ∂(a+b)/∂a = ∂(a+b)/∂b = 1
            self.grad += _unbroadcast(out.grad, self.shape)
            other.grad += _unbroadcast(out.grad, other.shape)
        out._backward = _backward
        return out

    def __mul__(self, other):
        other = _wrap(other)
        out = Tensor(self.data * other.data, (self, other), "×")

        def _backward():                                      # ∂(ab)/∂a = b，∂(ab)/∂b = a
            self.grad += _unbroadcast(out.grad * other.data, self.shape)
            other.grad += _unbroadcast(out.grad * self.data, other.shape)
        out._backward = _backward
        return out

    def __pow__(self, k):
        if isinstance(k, bool) or not isinstance(k, (int, float)) or not math.isfinite(k):
            raise TypeError(f"只支持有限的常数指数（int/float），实际得到 {k!r}")
        out = Tensor(self.data ** k, (self,), f"^{k}")

        def _backward():                                      # ∂a^k/∂a = k a^(k-1)
            self.grad += out.grad * k * self.data ** (k - 1)
        out._backward = _backward
        return out

    def __matmul__(self, other):
        other = _wrap(other)
        if self.data.ndim != 2 or other.data.ndim != 2:
            raise ValueError(f"@ 只支持二维矩阵，实际形状为 {self.shape} 与 {other.shape}")
        out = Tensor(self.data @ other.data, (self, other), "@")

        def _backward():                                      # C = AB：∂L/∂A = Ḡ Bᵀ，∂L/∂B = Aᵀ Ḡ
            self.grad += out.grad @ other.data.T
            other.grad += self.data.T @ out.grad
        out._backward = _backward
        return out

    @property
    def T(self):
        out = Tensor(self.data.T, (self,), "ᵀ")

        def _backward():                                      # 转置的梯度是梯度的转置
            self.grad += out.grad.T
        out._backward = _backward
        return out

    # ------------------------------------------------------------ 逐元素函数
    def exp(self):
        out = Tensor(np.exp(self.data), (self,), "exp")

        def _backward():                                      # (e^a)' = e^a
            self.grad += out.grad * out.data
        out._backward = _backward
        return out

    def log(self):
        if np.any(self.data <= 0):
            raise ValueError("log 的输入应全部为正数")
        out = Tensor(np.log(self.data), (self,), "log")

        def _backward():                                      # (log a)' = 1/a
            self.grad += out.grad / self.data
        out._backward = _backward
        return out

    def relu(self):
        out = Tensor(np.maximum(self.data, 0.0), (self,), "relu")

        def _backward():                                      # 1(a > 0)，a = 0 处取 0
            self.grad += out.grad * (self.data > 0)
        out._backward = _backward
        return out

    def tanh(self):
        out = Tensor(np.tanh(self.data), (self,), "tanh")

        def _backward():                                      # 1 − tanh²
            self.grad += out.grad * (1.0 - out.data ** 2)
        out._backward = _backward
        return out

    def sigmoid(self):
        e = np.exp(-np.abs(self.data))                        # 稳定写法：指数参数 ≤ 0
        out = Tensor(np.where(self.data >= 0, 1.0 / (1.0 + e), e / (1.0 + e)), (self,), "σ")

        def _backward():                                      # σ(1 − σ)
            self.grad += out.grad * out.data * (1.0 - out.data)
        out._backward = _backward
        return out

    # ------------------------------------------------------------ 归约
    def _check_axis(self, axis) -> None:
        if axis is not None and (isinstance(axis, bool) or not isinstance(axis, (int, np.integer))
                                 or not -self.data.ndim <= axis < self.data.ndim):
            raise ValueError(f"axis 应为 None 或 [-{self.data.ndim}, {self.data.ndim}) 内的整数，实际为 {axis!r}")

    def sum(self, axis=None, keepdims: bool = False):
        self._check_axis(axis)
        out = Tensor(self.data.sum(axis=axis, keepdims=keepdims), (self,), "sum")

        def _backward():                                      # 每个元素的导数都是 1：把梯度广播回去
            g = out.grad
            if axis is not None and not keepdims:
                g = np.expand_dims(g, axis)
            self.grad += np.broadcast_to(g, self.shape)
        out._backward = _backward
        return out

    def mean(self, axis=None, keepdims: bool = False):
        self._check_axis(axis)
        n = self.data.size if axis is None else self.data.shape[axis]
        return self.sum(axis=axis, keepdims=keepdims) * (1.0 / n)

    # ------------------------------------------------------------ 由上面组合出来的运算
    def __neg__(self):
        return self * -1.0

    def __sub__(self, other):
        return self + (-_wrap(other))

    def __truediv__(self, other):
        return self * _wrap(other) ** -1

    def __radd__(self, other):
        return self + other

    def __rmul__(self, other):
        return self * other

    def __rsub__(self, other):
        return _wrap(other) - self

    def __rtruediv__(self, other):
        return _wrap(other) * self ** -1

    # ------------------------------------------------------------ 反向传播
    def backward(self) -> None:
        """从本结点（通常是标量损失）出发做反向模式自动微分，结果累加在每个结点的 ``grad`` 里。"""
        order = topological_order(self)
        self.grad = np.ones_like(self.data)                   # ∂L/∂L = 1
        for node in reversed(order):                          # 逆拓扑序：用到 v 的结点都先处理完
            node._backward()

    def zero_grad(self) -> None:
        """把本结点及其所有祖先的梯度清零（复用叶子结点做第二次反向之前调用）。"""
        for node in topological_order(self):
            node.grad = np.zeros_like(node.data)


def _wrap(x) -> Tensor:
    return x if isinstance(x, Tensor) else Tensor(x)


def topological_order(root: Tensor) -> list[Tensor]:
    """计算图的拓扑序（每个结点排在它的所有输入之后），用显式栈，深图也不会递归溢出。"""
    if not isinstance(root, Tensor):
        raise TypeError(f"root 应为 Tensor（计算图的输出结点），实际得到 {type(root).__name__}")
    order, seen = [], set()
    stack = [(root, False)]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            order.append(node)
            continue
        if id(node) in seen:
            continue
        seen.add(id(node))
        stack.append((node, True))                            # 所有父结点处理完后再输出自己
        for p in node._parents:
            if id(p) not in seen:
                stack.append((p, False))
    return order


def cross_entropy(Z: Tensor, y) -> Tensor:
    r"""多分类交叉熵（批平均），只用引擎的基本运算搭出来：

    $$\mathcal{L} = -\frac{1}{N}\sum_n \Big(z^{(n)}_{y^{(n)}} - m^{(n)} - \log\sum_c e^{z^{(n)}_c - m^{(n)}}\Big)$$

    $m^{(n)} = \max_c z^{(n)}_c$ 作为常数减去（不影响梯度，只为数值稳定）。
    """
    if not isinstance(Z, Tensor) or Z.data.ndim != 2:
        raise TypeError(f"Z 应为二维的 Tensor (N, C)（logit），实际得到 {type(Z).__name__} {np.shape(getattr(Z, 'data', Z))}")
    N, C = Z.shape
    try:
        y = as_labels(y, "y", n=N, num_classes=C)
    except ValueError as exc:
        raise ValueError(f"y 应为形状 ({N},)、取值在 [0, {C}) 的整数标签：{exc}") from None
    Y = np.zeros((N, C))
    Y[np.arange(N), y] = 1.0                                  # one-hot 常数
    shifted = Z - Z.data.max(axis=1, keepdims=True)          # (N, C)，减去的是常数
    log_p = shifted - shifted.exp().sum(axis=1, keepdims=True).log()
    return -(log_p * Y).sum() / N


def sigmoid_graph(x: float, w: float, b: float) -> dict[str, Tensor]:
    r"""书中的例子 $f(x; w, b) = \sigma(wx + b)$，拆成 6 个基本运算的计算图：

    $$h_1 = w\cdot x,\ h_2 = h_1 + b,\ h_3 = -h_2,\ h_4 = \exp(h_3),\ h_5 = h_4 + 1,\ h_6 = 1/h_5 = f$$

    返回名字 → 结点的字典（``x, w, b, h1, …, h6``），已经做过一次反向传播，``grad`` 就是
    $\partial f/\partial(\cdot)$。书中：第 4.5 节。

    Examples
    --------
    >>> g = sigmoid_graph(1.0, 0.0, 0.0)
    >>> float(g["h6"].data), float(g["w"].grad), float(g["h5"].grad)
    (0.5, 0.25, -0.25)
    """
    x, w, b = Tensor(x, label="x"), Tensor(w, label="w"), Tensor(b, label="b")
    h1 = w * x
    h2 = h1 + b
    h3 = h2 * -1.0
    h4 = h3.exp()
    h5 = h4 + 1.0
    h6 = h5 ** -1
    nodes = {"x": x, "w": w, "b": b, "h1": h1, "h2": h2, "h3": h3, "h4": h4, "h5": h5, "h6": h6}
    for name in ("h1", "h2", "h3", "h4", "h5", "h6"):
        nodes[name].label = name
    h6.backward()
    return nodes
