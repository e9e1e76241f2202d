r"""一个从零实现、端到端训练的小卷积网络（NumPy）：卷积 → ReLU → 汇聚，两次，再接全连接层。

书中第 5.2.4 节（卷积网络的整体结构）。结构（输入 $1\times 8\times 8$ 的手写数字）：

$$\underbrace{[\text{卷积 } 3{\times}3 \to \text{ReLU} \to \text{最大汇聚 } 2{\times}2]}_{1\to 8 \text{ 通道},\ 8\times 8 \to 4\times 4}
  \to \underbrace{[\,\cdots\,]}_{8\to 16 \text{ 通道},\ 4\times 4\to 2\times 2}
  \to \text{展平 } 64 \to \text{全连接 } 10$$

全部的前向与反向都由本包手写的函数完成：卷积 ``nndl_ref.numpy.conv``（或快速版
``nndl_ref.numpy.conv_fast``）、汇聚 ``nndl_ref.numpy.pooling``、全连接与 ReLU
``nndl_ref.numpy.layers``。模型提供 ``params()``、``loss_and_grads(X, y)``、``predict(X)``，
可以直接交给 ``nndl_ref.numpy.train.fit``（它要求二维输入，所以 ``X`` 可以是展平的 (N, D·M·N)）。

``MNIST1DCNN`` 是 ``nndl_ref.torch.cnn.MNIST1DCNN`` 的 NumPy 孪生（书中第 5.3 节；站点页面：第 5 章 5.8 节）：
同样的结构、同样形状的参数，torch 训练好的权重可以原样载入，logit 与梯度逐项相等。
"""

from __future__ import annotations

import numpy as np

from .._validate import as_float_array, as_labels, check_bool, check_positive, check_seed, check_shape
from ._twins import blas_threads, copy_state_dict
from .conv import Conv2d
from .conv_fast import conv2d_backward_fast, conv2d_forward_fast
from .layers import Linear, ReLU, Sequential, softmax_cross_entropy
from .pooling import MaxPool2d, max_pool2d_backward, max_pool2d_forward


class Flatten:
    """(B, D, M, N) → (B, D·M·N)；反向时把梯度变回原形状。"""

    def __init__(self):
        self.params: dict = {}
        self.grads: dict = {}
        self.shape = None

    def forward(self, x):
        x = as_float_array(x, "x", ndim=(2, 3, 4))
        self.shape = x.shape
        return x.reshape(x.shape[0], -1)              # (B, D, M, N) → (B, D·M·N)

    def backward(self, dout):
        if self.shape is None:
            raise RuntimeError("Flatten.backward 之前必须先调用 forward")
        B = self.shape[0]
        dout = check_shape(as_float_array(dout, "dout"), (B, int(np.prod(self.shape[1:]))), "dout", "(B, D·M·N)")
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
        if not isinstance(input_shape, (tuple, list)) or len(input_shape) != 3:
            raise TypeError(f"input_shape 应为三个正整数 (D, M, N)，实际为 {input_shape!r}")
        D, M, N = (check_positive(s, "input_shape 的每一项", integer=True) for s in input_shape)
        if not isinstance(channels, (tuple, list)):
            raise TypeError(f"channels 应为正整数的序列，如 (8, 16)，实际为 {channels!r}")
        for P in channels:
            check_positive(P, "channels 的每一项", integer=True)
        check_positive(num_classes, "num_classes", integer=True)
        check_bool(fast, "fast")
        rng = np.random.default_rng(check_seed(seed))
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
        X = self._images(X)
        y = as_labels(y, "y", n=X.shape[0], num_classes=self.num_classes)   # 先检查完，再改动各层的缓存
        Z = self.forward(X)
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


# ======================================================================== MNIST-1D 的一维卷积网络
class MNIST1DCNN:
    r"""``MNIST1DCNN(channels=32, num_classes=10, seed=0)``：``nndl_ref.torch.cnn.MNIST1DCNN`` 的 NumPy 孪生。

    输入是长 $L=40$ 的序列 ``X`` (B, 40)（或 (B, 1, 40)）。三层等宽一维卷积（核 5、3、3，$P$ 个通道），
    前两层后接 2 倍最大汇聚，最后**全局最大汇聚**，再接全连接层：

    $$\boldsymbol{A}^{(l)} = \mathrm{ReLU}\big(\boldsymbol{W}^{(l)} \otimes \boldsymbol{A}^{(l-1)} + \boldsymbol{b}^{(l)}\big),\qquad
      s_p = \max_{t} A^{(3)}_{p,t},\qquad \boldsymbol{z} = \boldsymbol{W}^{(4)}\boldsymbol{s} + \boldsymbol{b}^{(4)}$$

    长度变化 40 → 20 → 10 → 1；$P=32$ 时共 6,730 个参数。一维卷积当作高为 1 的二维卷积，用
    ``nndl_ref.numpy.conv_fast``（卷积核 (P, D, K) 前向时视作 (P, D, 1, K)）；2 倍汇聚用
    ``nndl_ref.numpy.pooling`` 的 1×2 窗口。全局最大汇聚的反向：梯度只流向每个通道取到最大值的那个时刻，

    $$\frac{\partial\mathcal{L}}{\partial A^{(3)}_{p,t}} = \begin{cases}\partial\mathcal{L}/\partial s_p, & t = \arg\max_{t'} A^{(3)}_{p,t'}\\ 0, & \text{其他}\end{cases}$$

    参数名与 torch 的对应（形状相同，不转置）：``conv1.W/b`` ↔ ``features.0.weight/bias``，
    ``conv2`` ↔ ``features.3``，``conv3`` ↔ ``features.6``，``fc.W/b`` ↔ ``linear.weight/bias``（见
    ``TORCH_NAMES``）。初始化的分布与 torch 相同：$\mathcal{U}(-1/\sqrt{D K}, 1/\sqrt{D K})$。
    书中第 5.3 节（卷积层与汇聚层）；站点页面：第 5 章 5.8 节。

    Parameters
    ----------
    channels : int
        每层卷积的输出通道数 $P$（torch 版的 ``channels``）。
    num_classes : int
    seed : int
        初始化的随机种子。

    Examples
    --------
    >>> net = MNIST1DCNN(seed=0)
    >>> net.n_params()
    6730
    >>> loss, grads = net.loss_and_grads(np.zeros((4, 40)), np.array([0, 1, 2, 3]))
    >>> grads["conv1.W"].shape, net.forward(np.zeros((4, 40))).shape
    ((32, 1, 5), (4, 10))
    """

    LENGTH = 40
    KERNELS = (5, 3, 3)
    TORCH_NAMES = {"conv1.W": "features.0.weight", "conv1.b": "features.0.bias",
                   "conv2.W": "features.3.weight", "conv2.b": "features.3.bias",
                   "conv3.W": "features.6.weight", "conv3.b": "features.6.bias",
                   "fc.W": "linear.weight", "fc.b": "linear.bias"}

    def __init__(self, channels: int = 32, num_classes: int = 10, *, seed: int = 0):
        P = check_positive(channels, "channels", integer=True)
        check_positive(num_classes, "num_classes", integer=True)
        rng = np.random.default_rng(check_seed(seed))
        self.channels, self.num_classes = P, num_classes
        self._params: dict[str, np.ndarray] = {}
        D = 1
        for l, K in enumerate(self.KERNELS, start=1):
            k = 1.0 / np.sqrt(D * K)                     # torch 的默认初始化：U(−1/√fan_in, 1/√fan_in)
            self._params[f"conv{l}.W"] = rng.uniform(-k, k, (P, D, K))
            self._params[f"conv{l}.b"] = rng.uniform(-k, k, P)
            D = P
        k = 1.0 / np.sqrt(P)
        self._params["fc.W"] = rng.uniform(-k, k, (num_classes, P))
        self._params["fc.b"] = rng.uniform(-k, k, num_classes)
        self.cache = None

    # ------------------------------------------------------------ 与 torch 互通
    @classmethod
    def from_torch(cls, model) -> "MNIST1DCNN":
        """由 ``nndl_ref.torch.cnn.MNIST1DCNN`` 的实例建一个参数相同的 NumPy 模型（float64）。"""
        sd = model.state_dict() if callable(getattr(model, "state_dict", None)) else {}
        w = sd.get("features.0.weight")
        if w is None or "linear.weight" not in sd:
            raise ValueError("model 应为 nndl_ref.torch.cnn.MNIST1DCNN（state_dict 里没有 features.0.weight / linear.weight）")
        net = cls(channels=int(w.shape[0]), num_classes=int(sd["linear.weight"].shape[0]))
        return net.load_torch_state_dict(sd)

    def load_torch_state_dict(self, state_dict) -> "MNIST1DCNN":
        """从 torch 的 ``state_dict()``（张量或数组）拷贝参数，按 ``TORCH_NAMES`` 对应，形状须相同；返回 ``self``。"""
        copy_state_dict(self._params, state_dict, self.TORCH_NAMES)
        return self

    def torch_state_dict(self) -> dict[str, np.ndarray]:
        """反方向：以 torch 的参数名为键的数组字典（``torch_model.load_state_dict({k: torch.tensor(v) ...})``）。"""
        return {key: self._params[name].copy() for name, key in self.TORCH_NAMES.items()}

    # ------------------------------------------------------------ 前向与反向
    def _sequences(self, X) -> np.ndarray:
        X = as_float_array(X, "X", ndim=(2, 3))
        if X.ndim == 3:
            if X.shape[1] != 1:
                raise ValueError(f"三维的 X 应为 (B, 1, L)（单通道序列），实际形状为 {X.shape}")
            X = X[:, 0, :]
        if X.shape[1] < 4:
            raise ValueError(f"序列长度 L 至少为 4（经过两次 2 倍汇聚后还剩 1 个时刻），实际形状为 {X.shape}")
        return X[:, None, None, :]                      # (B, L) → (B, D=1, 高=1, L)

    def params(self) -> dict[str, np.ndarray]:
        return self._params

    def forward(self, X) -> np.ndarray:
        """返回 logit (B, C)；中间结果存在 ``self.cache`` 里供 ``backward`` 使用。"""
        p = self._params
        A = self._sequences(X)                          # (B, 1, 1, L)
        caches = []
        for l, K in enumerate(self.KERNELS, start=1):
            W = p[f"conv{l}.W"][:, :, None, :]          # (P, D, K) → (P, D, 1, K)
            Z, c_conv = conv2d_forward_fast(A, W, p[f"conv{l}.b"], padding=(0, K // 2))   # 等宽卷积
            A = np.maximum(Z, 0.0)                      # ReLU
            c_pool = None
            if l < len(self.KERNELS):
                A, c_pool = max_pool2d_forward(A, kernel_size=(1, 2))                     # 长度减半
            caches.append((c_conv, Z, c_pool))
        A3 = A[:, :, 0, :]                              # (B, P, L/4)
        t_max = A3.argmax(axis=2)                       # 全局最大汇聚：每个通道取最大的时刻
        s = np.take_along_axis(A3, t_max[:, :, None], axis=2)[:, :, 0]                   # (B, P)
        self.cache = (caches, A3.shape, t_max, s)
        return s @ p["fc.W"].T + p["fc.b"]              # z = W⁽⁴⁾ s + b⁽⁴⁾

    def backward(self, dZ) -> dict[str, np.ndarray]:
        """由 $\\partial\\mathcal{L}/\\partial\\boldsymbol{z}$ (B, C) 反向，返回全部参数的梯度（新数组）。"""
        if self.cache is None:
            raise RuntimeError("MNIST1DCNN.backward 之前必须先调用 forward")
        caches, shape3, t_max, s = self.cache
        dZ = as_float_array(dZ, "dZ", ndim=2)
        if dZ.shape != (s.shape[0], self.num_classes):
            raise ValueError(f"dZ 的形状应为 (B, C) = {(s.shape[0], self.num_classes)}，实际为 {dZ.shape}")
        p = self._params
        grads = {"fc.W": dZ.T @ s, "fc.b": dZ.sum(axis=0)}
        ds = dZ @ p["fc.W"]                             # (B, P)
        dA = np.zeros(shape3)
        np.put_along_axis(dA, t_max[:, :, None], ds[:, :, None], axis=2)              # 只流向最大的时刻
        dA = dA[:, :, None, :]                          # (B, P, 1, L/4)
        for l in reversed(range(1, len(self.KERNELS) + 1)):
            c_conv, Z, c_pool = caches[l - 1]
            if c_pool is not None:
                dA = max_pool2d_backward(dA, c_pool)
            dZl = dA * (Z > 0)                          # ReLU 的导数
            dA, dW, db = conv2d_backward_fast(dZl, c_conv)
            grads[f"conv{l}.W"], grads[f"conv{l}.b"] = dW[:, :, 0, :], db
        return {k: grads[k] for k in self._params}

    def loss_and_grads(self, X, y):
        """一次前向 + 一次反向：返回 ``(loss, grads)``，``grads`` 的键与 ``params()`` 相同。"""
        y = as_labels(y, "y", n=self._sequences(X).shape[0], num_classes=self.num_classes)   # 先检查，再改缓存
        Z = self.forward(X)
        loss, dZ = softmax_cross_entropy(Z, y)          # δ = (Ŷ − Y)/N
        return float(loss), self.backward(dZ)

    def predict(self, X) -> np.ndarray:
        return np.argmax(self.forward(X), axis=1)

    def n_params(self) -> int:
        return int(sum(v.size for v in self._params.values()))

    def __repr__(self):
        return f"MNIST1DCNN(channels={self.channels}, num_classes={self.num_classes})"


def train_mnist1d_cnn(*, channels: int = 32, steps: int = 800, lr: float = 1e-2, batch_size: int = 100,
                      seed: int = 0, progress: bool | None = None, threads: int | None = 1):
    r"""在 MNIST-1D 上训练 NumPy 版 ``MNIST1DCNN``：Adam（学习率 ``lr`` 不变）、批 ``batch_size``、共 ``steps`` 步。

    与 ``benchmarks/bench_mnist1d.py`` 里 torch 版 ``MNIST1DCNN`` 的设置相同（800 步、学习率 $10^{-2}$、批 100）。
    每轮（把打乱后的训练集走一遍）记一行 ``nndl_ref.progress.History``：训练损失、前 1000 个训练样本上的准确率、
    测试集的损失与准确率；``history.seconds`` 是训练用时。返回 ``(model, history)``。站点页面：第 5 章 5.8 节。

    ``threads``：训练期间 BLAS 的线程数（与 torch 版训练函数的 ``threads`` 相同，默认 1）。这里每次矩阵乘法都很小，
    在 2 核机器上多线程反而慢十倍（核被别的进程占用时更明显）。
    """
    import math
    import time

    from ..data_mnist1d import load_mnist1d
    from ..progress import History
    from .optim import Adam

    check_positive(steps, "steps", integer=True)
    check_positive(batch_size, "batch_size", integer=True)
    if threads is not None:
        check_positive(threads, "threads", integer=True)
    model = MNIST1DCNN(channels, seed=seed)             # 先检查全部超参数，再生成数据
    opt = Adam(model.params(), lr=lr)
    d = load_mnist1d()
    n = d.X_train.shape[0]
    per_epoch = n // batch_size if n >= batch_size else 1    # 只用完整的批（与基准的循环相同）
    rng = np.random.default_rng(seed)
    hist = History()
    epochs = math.ceil(steps / per_epoch)
    with blas_threads(threads):
        t0 = time.perf_counter()
        _cnn_epochs(model, opt, d, rng, epochs, per_epoch, steps, batch_size, hist, progress)
        hist.seconds = time.perf_counter() - t0
    return model, hist


def _cnn_epochs(model, opt, d, rng, epochs, per_epoch, steps, batch_size, hist, progress):
    from ..progress import progress_bar, progress_enabled

    n, done = d.X_train.shape[0], 0
    for _ in progress_bar(range(epochs), total=epochs, desc="epoch", enabled=progress_enabled(progress)):
        order = rng.permutation(n)
        total, seen = 0.0, 0
        for i in range(min(per_epoch, steps - done)):
            idx = order[i * batch_size:(i + 1) * batch_size]
            loss, grads = model.loss_and_grads(d.X_train[idx], d.y_train[idx])
            opt.step(grads)
            total, seen = total + loss * len(idx), seen + len(idx)
        done += min(per_epoch, steps - done)
        Z = model.forward(d.X_test)
        train_acc = float(np.mean(model.predict(d.X_train[:1000]) == d.y_train[:1000]))
        hist.log(total / seen, train_acc, softmax_cross_entropy(Z, d.y_test)[0],
                 float(np.mean(Z.argmax(axis=1) == d.y_test)))

