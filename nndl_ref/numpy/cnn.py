r"""一个从零实现、端到端训练的小卷积网络（NumPy）：卷积 → ReLU → 汇聚，两次，再接全连接层。

书中第 5.2.4 节（卷积网络的整体结构）。结构（输入 $1\times 8\times 8$ 的手写数字）：

$$\underbrace{[\text{卷积 } 3{\times}3 \to \text{ReLU} \to \text{最大汇聚 } 2{\times}2]}_{1\to 8 \text{ 通道},\ 8\times 8 \to 4\times 4}
  \to \underbrace{[\,\cdots\,]}_{8\to 16 \text{ 通道},\ 4\times 4\to 2\times 2}
  \to \text{展平 } 64 \to \text{全连接 } 10$$

全部的前向与反向都由本包手写的函数完成：卷积 ``nndl_ref.numpy.conv``（或快速版
``nndl_ref.numpy.conv_fast``）、汇聚 ``nndl_ref.numpy.pooling``、全连接与 ReLU
``nndl_ref.numpy.layers``。模型提供 ``params()``、``loss_and_grads(X, y)``、``predict(X)``，
可以直接交给 ``nndl_ref.numpy.train.fit``（它要求二维输入，所以 ``X`` 可以是展平的 (N, D·M·N)）。
"""

from __future__ import annotations

import numpy as np

from .._validate import as_float_array, as_labels, check_positive
from .conv import Conv2d
from .layers import Linear, ReLU, Sequential, softmax_cross_entropy
from .pooling import MaxPool2d


class Flatten:
    """(B, D, M, N) → (B, D·M·N)；反向时把梯度变回原形状。"""

    def __init__(self):
        self.params: dict = {}
        self.grads: dict = {}
        self.shape = None

    def forward(self, x):
        self.shape = x.shape
        return x.reshape(x.shape[0], -1)              # (B, D, M, N) → (B, D·M·N)

    def backward(self, dout):
        if self.shape is None:
            raise RuntimeError("Flatten.backward 之前必须先调用 forward")
        return dout.reshape(self.shape)               # (B, D·M·N) → (B, D, M, N)

    def zero_grad(self) -> None:
        pass

    def __repr__(self):
        return "Flatten()"


class SimpleCNN:
    r"""``SimpleCNN(input_shape=(1, 8, 8), channels=(8, 16), num_classes=10, seed=0)``。

    每个卷积块是"3×3 等宽卷积 → ReLU → 2×2 最大汇聚"，尺寸减半；最后展平接一个全连接层。
    参数字典的键形如 ``"0.W"``（第 0 层的卷积核，形状 (P, D, 3, 3)）、``"7.b"``。

    Parameters
    ----------
    input_shape : (D, M, N)
        单个样本的形状；``X`` 可以是 (B, D, M, N)，也可以是展平的 (B, D·M·N)。
    channels : sequence of int
        每个卷积块的输出通道数 $P$。
    fast : bool
        卷积用快速版 ``nndl_ref.numpy.conv_fast``（结果相同）。默认用可读版：8×8 这样的小图上，
        每层只有几十次小运算，可读版的开销反而更小；图像大、通道多时快速版快数倍。

    Examples
    --------
    >>> net = SimpleCNN(seed=0)
    >>> net.n_params()
    1898
    >>> loss, grads = net.loss_and_grads(np.zeros((4, 64)), np.array([0, 1, 2, 3]))
    >>> grads["0.W"].shape
    (8, 1, 3, 3)
    """

    def __init__(self, input_shape=(1, 8, 8), channels=(8, 16), num_classes: int = 10, *, seed: int = 0,
                 fast: bool = False):
        D, M, N = (check_positive(int(s), "input_shape", integer=True) for s in input_shape)
        check_positive(num_classes, "num_classes", integer=True)
        rng = np.random.default_rng(seed)
        layers = []
        for P in channels:
            if M < 2 or N < 2:
                raise ValueError(f"输入 {input_shape} 太小，放不下 {len(channels)} 个会把尺寸减半的卷积块")
            layers += [Conv2d(D, P, 3, rng, padding=1, fast=fast), ReLU(), MaxPool2d(2)]
            D, M, N = P, M // 2, N // 2                 # 等宽卷积不改尺寸，2×2 汇聚减半
        layers += [Flatten(), Linear(D * M * N, num_classes, rng)]
        self.input_shape = tuple(int(s) for s in input_shape)
        self.num_classes = num_classes
        self.net = Sequential(*layers)

    def _images(self, X) -> np.ndarray:
        X = as_float_array(X, "X", ndim=(2, 4))
        D, M, N = self.input_shape
        if X.ndim == 2:
            if X.shape[1] != D * M * N:
                raise ValueError(f"展平的 X 应有 D·M·N = {D * M * N} 列，实际形状为 {X.shape}")
            return X.reshape(-1, D, M, N)                # (B, D·M·N) → (B, D, M, N)
        if X.shape[1:] != self.input_shape:
            raise ValueError(f"X 的形状应为 (B, {D}, {M}, {N})，实际为 {X.shape}")
        return X

    def params(self) -> dict[str, np.ndarray]:
        return self.net.params()

    def forward(self, X) -> np.ndarray:
        """返回 logit (B, C)。"""
        return self.net.forward(self._images(X))

    def loss_and_grads(self, X, y):
        """一次前向 + 一次反向：返回 ``(loss, grads)``，``grads`` 的键与 ``params`` 相同。"""
        Z = self.forward(X)
        y = as_labels(y, "y", n=Z.shape[0], num_classes=self.num_classes)
        loss, dZ = softmax_cross_entropy(Z, y)          # δ = (Ŷ − Y)/N
        self.net.zero_grad()
        self.net.backward(dZ)
        return loss, {k: g.copy() for k, g in self.net.grads().items()}

    def predict(self, X) -> np.ndarray:
        return np.argmax(self.forward(X), axis=1)

    def n_params(self) -> int:
        return int(sum(p.size for p in self.params().values()))

    def __repr__(self):
        return f"SimpleCNN(input_shape={self.input_shape})\n{self.net!r}"
