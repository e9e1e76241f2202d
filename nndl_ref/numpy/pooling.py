r"""汇聚层（池化，NumPy 从零实现）：最大汇聚与平均汇聚的前向与反向。

书中第 5.2.3 节（汇聚层）。对每个通道、每个 $K\times K$ 区域 $R_{i,j}$ 取一个数：

$$y_{b,d,i,j} = \max_{(m,n) \in R_{i,j}} x_{b,d,m,n} \quad\text{（最大汇聚）},\qquad
  y_{b,d,i,j} = \frac{1}{K^2}\sum_{(m,n) \in R_{i,j}} x_{b,d,m,n} \quad\text{（平均汇聚）}$$

汇聚层没有参数，输出通道数等于输入通道数，尺寸按卷积的公式缩小（默认步长等于窗口大小，区域不重叠）。
与卷积一样，实现只对窗口内的 $K^2$ 个位置循环，每次处理整个批次。
"""

from __future__ import annotations

import numpy as np

from .._validate import as_float_array
from .conv import _pair, _window, conv_output_size


def _hyper(kernel_size, stride, padding):
    """检查汇聚的超参数，返回 ``(K, S, Pd)``，各为 (高, 宽)。"""
    K = _pair(kernel_size, "kernel_size", 1)
    S = K if stride is None else _pair(stride, "stride", 1)
    Pd = _pair(padding, "padding", 0)
    if Pd[0] > K[0] // 2 or Pd[1] > K[1] // 2:
        raise ValueError(f"padding={padding!r} 不应超过窗口大小的一半 {K[0] // 2, K[1] // 2}（与 torch 相同）")
    return K, S, Pd


def _setup(x, kernel_size, stride, padding):
    x = as_float_array(x, "x", ndim=4)
    K, S, Pd = _hyper(kernel_size, stride, padding)
    B, D, M, N = x.shape
    M_out = conv_output_size(M, K[0], S[0], Pd[0])
    N_out = conv_output_size(N, K[1], S[1], Pd[1])
    return x, K, S, Pd, (B, D, M, N, M_out, N_out)


def max_pool2d_forward(x, kernel_size=2, stride=None, padding=0):
    r"""最大汇聚：每个窗口取最大值，并记住是哪一个位置（反向时梯度只流向它）。

    Parameters
    ----------
    x : array (B, D, M, N)
    kernel_size, stride, padding : int or (int, int)
        ``stride`` 默认等于 ``kernel_size``；补的是 $-\infty$（补出的位置永远不会被选中），与 torch 相同。

    Returns
    -------
    y : (B, D, M', N')；cache

    Examples
    --------
    >>> x = np.array([[[[1., 2, 5, 0], [3, 4, 1, 1], [0, 0, 2, 2], [7, 0, 2, 3]]]])
    >>> max_pool2d_forward(x)[0][0, 0]
    array([[4., 5.],
           [7., 3.]])
    """
    x, K, S, Pd, (B, D, M, N, M_out, N_out) = _setup(x, kernel_size, stride, padding)
    x_pad = np.pad(x, ((0, 0), (0, 0), (Pd[0], Pd[0]), (Pd[1], Pd[1])), constant_values=-np.inf)
    y = np.full((B, D, M_out, N_out), -np.inf, dtype=x.dtype)
    argmax = np.zeros((B, D, M_out, N_out), dtype=np.int64)          # 窗口内的第几个位置（行优先）
    for u in range(K[0]):
        for v in range(K[1]):
            rows, cols = _window(S[0], S[1], 1, 1, u, v, M_out, N_out)
            cand = x_pad[:, :, rows, cols]
            # y = max(y, x̃[i·S + u, j·S + v])；严格大于才替换 → 并列时取第一个（与 torch 相同）
            better = cand > y
            y = np.where(better, cand, y)
            argmax[better] = u * K[1] + v
    return y, (argmax, x_pad.shape, K, S, Pd, x.shape)


def max_pool2d_backward(dy, cache):
    r"""最大汇聚的反向：$\partial\mathcal{L}/\partial x_{m,n} = \sum_{(i,j):\,(m,n)=\arg\max R_{i,j}} \delta_{i,j}$，其余位置为 0。"""
    argmax, pad_shape, K, S, Pd, x_shape = cache
    dy = as_float_array(dy, "dy", ndim=4)
    if dy.shape != argmax.shape:
        raise ValueError(f"dy 的形状应为 (B, D, M', N') = {argmax.shape}，实际为 {dy.shape}")
    M_out, N_out = argmax.shape[2:]
    dx_pad = np.zeros(pad_shape, dtype=dy.dtype)
    for u in range(K[0]):
        for v in range(K[1]):
            rows, cols = _window(S[0], S[1], 1, 1, u, v, M_out, N_out)
            # 只有被选中的位置 (argmax == 这个 (u, v)) 接收梯度；窗口重叠时累加
            dx_pad[:, :, rows, cols] += dy * (argmax == u * K[1] + v)
    M, N = x_shape[2:]
    return dx_pad[:, :, Pd[0]:Pd[0] + M, Pd[1]:Pd[1] + N]


def avg_pool2d_forward(x, kernel_size=2, stride=None, padding=0):
    r"""平均汇聚：每个窗口取平均（补出的 0 也计入分母 $K^2$，即 torch 的 ``count_include_pad=True``）。

    Examples
    --------
    >>> avg_pool2d_forward(np.arange(16.0).reshape(1, 1, 4, 4))[0][0, 0]
    array([[ 2.5,  4.5],
           [10.5, 12.5]])
    """
    x, K, S, Pd, (B, D, M, N, M_out, N_out) = _setup(x, kernel_size, stride, padding)
    x_pad = np.pad(x, ((0, 0), (0, 0), (Pd[0], Pd[0]), (Pd[1], Pd[1])))
    y = np.zeros((B, D, M_out, N_out), dtype=x.dtype)
    for u in range(K[0]):
        for v in range(K[1]):
            rows, cols = _window(S[0], S[1], 1, 1, u, v, M_out, N_out)
            y += x_pad[:, :, rows, cols]                                # Σ_{(m,n)∈R} x̃
    y /= K[0] * K[1]                                                    # ÷ K²
    return y, (x_pad.shape, K, S, Pd, x.shape)


def avg_pool2d_backward(dy, cache):
    r"""平均汇聚的反向：每个窗口把 $\delta_{i,j}/K^2$ 平均分给窗口里的每个位置。"""
    pad_shape, K, S, Pd, x_shape = cache
    dy = as_float_array(dy, "dy", ndim=4)
    B, D = x_shape[:2]
    M_out = conv_output_size(x_shape[2], K[0], S[0], Pd[0])
    N_out = conv_output_size(x_shape[3], K[1], S[1], Pd[1])
    if dy.shape != (B, D, M_out, N_out):
        raise ValueError(f"dy 的形状应为 (B, D, M', N') = {(B, D, M_out, N_out)}，实际为 {dy.shape}")
    dx_pad = np.zeros(pad_shape, dtype=dy.dtype)
    share = dy / (K[0] * K[1])
    for u in range(K[0]):
        for v in range(K[1]):
            rows, cols = _window(S[0], S[1], 1, 1, u, v, M_out, N_out)
            dx_pad[:, :, rows, cols] += share
    M, N = x_shape[2:]
    return dx_pad[:, :, Pd[0]:Pd[0] + M, Pd[1]:Pd[1] + N]


class _Pool2d:
    """汇聚层的薄封装（无参数）：``params`` 与 ``grads`` 都是空字典。"""

    _forward = _backward = None

    def __init__(self, kernel_size=2, stride=None, padding=0):
        _hyper(kernel_size, stride, padding)             # 超参数不对时立即报错，而不是等到 forward
        self.hyper = {"kernel_size": kernel_size, "stride": stride, "padding": padding}
        self.params: dict = {}
        self.grads: dict = {}
        self.cache = None

    def forward(self, x):
        y, self.cache = type(self)._forward(x, **self.hyper)
        return y

    def backward(self, dout):
        if self.cache is None:
            raise RuntimeError(f"{type(self).__name__}.backward 之前必须先调用 forward")
        return type(self)._backward(dout, self.cache)

    def zero_grad(self) -> None:
        pass

    def __call__(self, x):
        return self.forward(x)

    def __repr__(self):
        return f"{type(self).__name__}(" + ", ".join(f"{k}={v}" for k, v in self.hyper.items()) + ")"


class MaxPool2d(_Pool2d):
    """最大汇聚层。"""

    _forward = staticmethod(max_pool2d_forward)
    _backward = staticmethod(max_pool2d_backward)


class AvgPool2d(_Pool2d):
    """平均汇聚层。"""

    _forward = staticmethod(avg_pool2d_forward)
    _backward = staticmethod(avg_pool2d_backward)
