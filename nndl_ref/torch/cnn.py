r"""卷积网络（PyTorch 版）：LeNet 式、VGG 式、残差网络，以及 MNIST-1D 上的一维卷积网络。

书中第 5.4 节（几种典型的卷积网络）与第 5.4.4 节（残差网络）。这些结构都按同一个配方搭起来：

$$\big[\,(\text{卷积} \to \text{ReLU}) \times M \to \text{汇聚}\,\big] \times N \to (\text{全连接}) \times K$$

- ``LeNet``：LeNet-5 的结构（卷积 - 汇聚 - 卷积 - 汇聚 - 三个全连接），适配 8×8 的手写数字；
- ``VGG``：每块 M 个 3×3 卷积再汇聚（小卷积核、深网络）；
- ``ResidualUnit`` / ``ResNet``：$h(x) = \mathrm{ReLU}\big(x + f(x)\big)$，形状变化时
  直连边换成 1×1 卷积（投影）；
- ``SimpleCNN``：``nndl_ref.numpy.cnn.SimpleCNN`` 的孪生版本，可以载入 NumPy 的参数；
- ``MNIST1DCNN`` 与 ``PublishedMNIST1DCNN``：MNIST-1D 上的一维卷积网络。

``train`` 是本章共用的小训练循环（Adam + 余弦退火学习率）。
"""

from __future__ import annotations

import functools
import math
import time

import numpy as np
import torch
from torch import nn
import torch.nn.functional as F

from .._validate import (as_float_array, as_float_tensor, check_bool, check_class_targets, check_nonneg,
                         check_positive, check_real, check_seed)
from ._threads import limit_threads
from ..progress import History


def _check_images(x, C: int, size: tuple[int, int] | None = None, name: str = "x") -> torch.Tensor:
    """(B, C, H, W) 的有限浮点张量；给出 ``size`` 时还要求 (H, W) = size。"""
    x = as_float_tensor(x, name, ndim=4)
    if x.shape[1] != C or (size is not None and tuple(x.shape[2:]) != tuple(size)):
        want = f"(B, {C}, {size[0]}, {size[1]})" if size is not None else f"(B, {C}, H, W)"
        raise ValueError(f"{name} 的形状应为 {want}，实际为 {tuple(x.shape)}")
    return x


def _check_ints(**values) -> None:
    for name, v in values.items():
        check_positive(v, name, integer=True)


# ======================================================================== LeNet 式
class LeNet(nn.Module):
    r"""LeNet 式卷积网络：两组"卷积 → ReLU → 2×2 最大汇聚"，再接三层全连接（120 → 84 → C）。

    与 1998 年的 LeNet-5 相比：输入是 8×8（不是 32×32），所以用 3×3 等宽卷积；激活用 ReLU、
    汇聚用最大汇聚（LeNet-5 用 Sigmoid 类激活和带参数的平均汇聚）；通道数 32、64（LeNet-5 为 6、16），
    全连接前后加了 Dropout。输入 (B, D, M, N)，$M, N$ 须能被 4 整除。

    Examples
    --------
    >>> LeNet()(torch.zeros(2, 1, 8, 8)).shape
    torch.Size([2, 10])
    """

    def __init__(self, in_channels: int = 1, num_classes: int = 10, image_size: int = 8,
                 channels=(32, 64), dropout: float = 0.25):
        super().__init__()
        _check_ints(in_channels=in_channels, num_classes=num_classes, image_size=image_size)
        if image_size % 4:
            raise ValueError(f"image_size 应能被 4 整除（两次 2×2 汇聚），实际为 {image_size}")
        if not isinstance(channels, (tuple, list)) or len(channels) != 2:
            raise TypeError(f"channels 应为两个正整数 (c1, c2)，实际为 {channels!r}")
        _check_ints(c1=channels[0], c2=channels[1])
        check_real(dropout, "dropout", 0, 1, high_open=True)
        self.in_channels, self.image_size = in_channels, image_size
        c1, c2 = channels
        self.features = nn.Sequential(
            nn.Conv2d(in_channels, c1, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),    # C1 + S2
            nn.Conv2d(c1, c2, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),             # C3 + S4
        )
        side = image_size // 4
        self.classifier = nn.Sequential(
            nn.Flatten(), nn.Dropout(dropout),
            nn.Linear(c2 * side * side, 120), nn.ReLU(), nn.Dropout(dropout),        # C5 / F5
            nn.Linear(120, 84), nn.ReLU(),                                           # F6
            nn.Linear(84, num_classes),                                              # 输出层
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = _check_images(x, self.in_channels, (self.image_size, self.image_size))
        return self.classifier(self.features(x))


# ======================================================================== VGG 式
def vgg_block(in_channels: int, out_channels: int, num_convs: int) -> nn.Sequential:
    """VGG 的卷积块：``num_convs`` 个"3×3 等宽卷积 → ReLU"，再接 2×2 最大汇聚（尺寸减半）。"""
    _check_ints(in_channels=in_channels, out_channels=out_channels)
    if isinstance(num_convs, bool) or not isinstance(num_convs, int) or num_convs < 1:
        raise ValueError(f"num_convs 应 ≥ 1，实际为 {num_convs}")
    layers: list[nn.Module] = []
    for i in range(num_convs):
        layers += [nn.Conv2d(in_channels if i == 0 else out_channels, out_channels, 3, padding=1), nn.ReLU()]
    layers.append(nn.MaxPool2d(2))
    return nn.Sequential(*layers)


class VGG(nn.Module):
    r"""VGG 式网络：``blocks=((32, 2), (64, 2))`` 表示两个卷积块，每块 2 个 3×3 卷积、再汇聚，
    后接 ``hidden`` 指定的全连接层（默认没有隐藏全连接层，直接接输出层）。

    两个 3×3 卷积的感受野等于一个 5×5，参数却只有 $2\cdot 9 D^2$ 对 $25 D^2$，
    中间还多一次非线性——这是 VGG"小卷积核、大深度"的理由。

    Examples
    --------
    >>> VGG()(torch.zeros(2, 1, 8, 8)).shape
    torch.Size([2, 10])
    """

    def __init__(self, in_channels: int = 1, num_classes: int = 10, image_size: int = 8,
                 blocks=((32, 2), (64, 2)), hidden=()):
        super().__init__()
        _check_ints(in_channels=in_channels, num_classes=num_classes, image_size=image_size)
        if not isinstance(blocks, (tuple, list)) or not blocks or not all(
                isinstance(b, (tuple, list)) and len(b) == 2 for b in blocks):
            raise TypeError(f"blocks 应为 (输出通道数, 卷积个数) 的非空列表，如 ((32, 2), (64, 2))，实际为 {blocks!r}")
        if not isinstance(hidden, (tuple, list)):
            raise TypeError(f"hidden 应为全连接隐藏层宽度的元组，实际为 {hidden!r}")
        for h in hidden:
            check_positive(h, "hidden 中的宽度", integer=True)
        self.in_channels, self.image_size = in_channels, image_size
        layers, c, side = [], in_channels, image_size
        for out_channels, num_convs in blocks:
            if side < 2:
                raise ValueError(f"image_size={image_size} 放不下 {len(blocks)} 个会把尺寸减半的卷积块")
            layers.append(vgg_block(c, out_channels, num_convs))
            c, side = out_channels, side // 2
        self.features = nn.Sequential(*layers)
        fc: list[nn.Module] = [nn.Flatten()]
        width = c * side * side
        for h in hidden:
            fc += [nn.Linear(width, h), nn.ReLU()]
            width = h
        fc.append(nn.Linear(width, num_classes))
        self.classifier = nn.Sequential(*fc)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = _check_images(x, self.in_channels, (self.image_size, self.image_size))
        return self.classifier(self.features(x))


# ======================================================================== 残差网络
class ResidualUnit(nn.Module):
    r"""残差单元（书中第 5.4.4 节）：两个 3×3 等宽卷积组成残差函数 $f$，加上直连边后再过 ReLU：

    $$h(\boldsymbol{x}) = \mathrm{ReLU}\big(\mathcal{S}(\boldsymbol{x}) + f(\boldsymbol{x};\theta)\big),\qquad
      f = \mathrm{BN}\circ\mathrm{conv}\circ\mathrm{ReLU}\circ\mathrm{BN}\circ\mathrm{conv}$$

    直连边 $\mathcal{S}$ 在输入输出形状相同时是恒等函数；通道数或尺寸（``stride=2``）变化时
    是 1×1 卷积（投影）。``shortcut=False`` 得到去掉直连边的"普通"两层卷积，用来对照。

    Examples
    --------
    >>> ResidualUnit(16, 16).projection is None, ResidualUnit(16, 32, stride=2).projection is not None
    (True, True)
    """

    def __init__(self, in_channels: int, out_channels: int, stride: int = 1, *, batch_norm: bool = True,
                 shortcut: bool = True):
        super().__init__()
        _check_ints(in_channels=in_channels, out_channels=out_channels, stride=stride)
        check_bool(batch_norm, "batch_norm"), check_bool(shortcut, "shortcut")
        self.in_channels = in_channels
        norm = (lambda c: nn.BatchNorm2d(c)) if batch_norm else (lambda c: nn.Identity())
        self.conv1 = nn.Conv2d(in_channels, out_channels, 3, stride=stride, padding=1, bias=not batch_norm)
        self.bn1 = norm(out_channels)
        self.conv2 = nn.Conv2d(out_channels, out_channels, 3, padding=1, bias=not batch_norm)
        self.bn2 = norm(out_channels)
        self.shortcut = shortcut
        self.projection = None
        if shortcut and (stride != 1 or in_channels != out_channels):
            # 形状变了：用 1×1 卷积（步长相同）把 x 投影到 f(x) 的形状
            self.projection = nn.Sequential(nn.Conv2d(in_channels, out_channels, 1, stride=stride, bias=not batch_norm),
                                            norm(out_channels))

    def residual(self, x: torch.Tensor) -> torch.Tensor:
        """残差函数 $f(x;\\theta)$。"""
        return self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = _check_images(x, self.in_channels)     # 先检查：训练模式下 BN 的滑动平均不会被坏输入改动
        fx = self.residual(x)
        if not self.shortcut:
            return F.relu(fx)                                  # 普通网络：没有直连边
        sx = x if self.projection is None else self.projection(x)
        return F.relu(sx + fx)                                 # h(x) = ReLU(x + f(x))


class ResNet(nn.Module):
    r"""小残差网络：3×3 卷积 "茎" → 若干阶段（每阶段 ``units_per_stage`` 个残差单元，从第二阶段起
    第一个单元步长为 2、通道加倍）→ 全局平均汇聚 → 全连接。

    Examples
    --------
    >>> ResNet(stages=(16, 32))(torch.zeros(2, 1, 8, 8)).shape
    torch.Size([2, 10])
    """

    def __init__(self, in_channels: int = 1, num_classes: int = 10, stages=(16, 32), units_per_stage: int = 2,
                 *, batch_norm: bool = True, shortcut: bool = True):
        super().__init__()
        _check_ints(in_channels=in_channels, num_classes=num_classes, units_per_stage=units_per_stage)
        if not isinstance(stages, (tuple, list)) or not stages:
            raise TypeError(f"stages 应为各阶段通道数的非空元组，如 (16, 32)，实际为 {stages!r}")
        for s in stages:
            check_positive(s, "stages 的每一项", integer=True)
        check_bool(batch_norm, "batch_norm"), check_bool(shortcut, "shortcut")
        self.in_channels = in_channels
        self.stem = nn.Sequential(nn.Conv2d(in_channels, stages[0], 3, padding=1, bias=not batch_norm),
                                  nn.BatchNorm2d(stages[0]) if batch_norm else nn.Identity(), nn.ReLU())
        units, c = [], stages[0]
        for s, width in enumerate(stages):
            for u in range(units_per_stage):
                stride = 2 if (s > 0 and u == 0) else 1
                units.append(ResidualUnit(c, width, stride, batch_norm=batch_norm, shortcut=shortcut))
                c = width
        self.units = nn.Sequential(*units)
        self.head = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(c, num_classes))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.units(self.stem(_check_images(x, self.in_channels))))


class DeepConvNet(nn.Module):
    r"""用来观察梯度的深网络：``depth`` 个同宽的"3×3 卷积 → ReLU"层，``residual=True`` 时每层都有恒等直连边：

    $$\text{普通：}\ \boldsymbol{h}_{l} = \mathrm{ReLU}(W_l \otimes \boldsymbol{h}_{l-1}),\qquad
      \text{残差：}\ \boldsymbol{h}_{l} = \boldsymbol{h}_{l-1} + \mathrm{ReLU}(W_l \otimes \boldsymbol{h}_{l-1})$$

    不用批归一化，卷积用 torch 的默认初始化，这样两者只差直连边。
    """

    def __init__(self, depth: int = 30, channels: int = 8, in_channels: int = 1, num_classes: int = 10,
                 residual: bool = True):
        super().__init__()
        if isinstance(depth, bool) or not isinstance(depth, int) or depth < 1:
            raise ValueError(f"depth 应 ≥ 1，实际为 {depth}")
        _check_ints(channels=channels, in_channels=in_channels, num_classes=num_classes)
        check_bool(residual, "residual")
        self.inp = nn.Conv2d(in_channels, channels, 3, padding=1)
        self.layers = nn.ModuleList(nn.Conv2d(channels, channels, 3, padding=1) for _ in range(depth))
        self.residual = residual
        self.head = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(channels, num_classes))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.inp(_check_images(x, self.inp.in_channels))
        for conv in self.layers:
            h = h + F.relu(conv(h)) if self.residual else F.relu(conv(h))
        return self.head(h)

    def layer_grad_norms(self) -> list[float]:
        """反向传播之后，每一层卷积核梯度的 2-范数（从输入一侧到输出一侧）。"""
        return [float(conv.weight.grad.norm()) for conv in self.layers]


# ======================================================================== NumPy 孪生
class SimpleCNN(nn.Module):
    """``nndl_ref.numpy.cnn.SimpleCNN`` 的孪生：同样的层、同样的参数名顺序，可用 ``load_numpy`` 拷贝参数。"""

    def __init__(self, input_shape=(1, 8, 8), channels=(8, 16), num_classes: int = 10):
        super().__init__()
        if not isinstance(input_shape, (tuple, list)) or len(input_shape) != 3:
            raise TypeError(f"input_shape 应为三个正整数 (D, M, N)，实际为 {input_shape!r}")
        for s in input_shape:
            check_positive(s, "input_shape 的每一项", integer=True)
        if not isinstance(channels, (tuple, list)):
            raise TypeError(f"channels 应为正整数的序列，如 (8, 16)，实际为 {channels!r}")
        for P in channels:
            check_positive(P, "channels 的每一项", integer=True)
        check_positive(num_classes, "num_classes", integer=True)
        D, M, N = input_shape
        if M >> len(channels) < 1 or N >> len(channels) < 1:
            raise ValueError(f"输入 {tuple(input_shape)} 太小，放不下 {len(channels)} 个会把尺寸减半的卷积块")
        layers: list[nn.Module] = []
        for P in channels:
            layers += [nn.Conv2d(D, P, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2)]
            D, M, N = P, M // 2, N // 2
        layers += [nn.Flatten(), nn.Linear(D * M * N, num_classes)]
        self.net = nn.Sequential(*layers)
        self.input_shape = tuple(input_shape)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = as_float_tensor(x, "x", ndim=(2, 4))
        D, M, N = self.input_shape
        if tuple(x.shape[1:]) not in ((D * M * N,), (D, M, N)):
            raise ValueError(f"x 的形状应为 (B, {D}, {M}, {N}) 或展平的 (B, {D * M * N})，实际为 {tuple(x.shape)}")
        return self.net(x.reshape(-1, *self.input_shape))

    @torch.no_grad()
    def load_numpy(self, params: dict) -> "SimpleCNN":
        """NumPy 版的 ``"层号.W"``/``"层号.b"`` 与这里 ``net.层号.weight``/``bias`` 一一对应，形状相同，无需转置。"""
        expected = {f"{i}.{k}" for i, m in enumerate(self.net) if isinstance(m, (nn.Conv2d, nn.Linear)) for k in "Wb"}
        if not isinstance(params, dict) or set(params) != expected:
            raise ValueError(f"params 的键应为 {sorted(expected)}（NumPy 版 SimpleCNN.params() 的键），实际为 "
                             f"{sorted(params) if isinstance(params, dict) else type(params).__name__}")
        new = {}
        for key, value in params.items():               # 先检查全部参数，再一起拷贝
            idx, name = key.split(".")
            target = getattr(self.net[int(idx)], {"W": "weight", "b": "bias"}[name])
            value = torch.as_tensor(as_float_array(value, key), dtype=target.dtype)
            if value.shape != target.shape:
                raise ValueError(f"{key} 的形状应为 {tuple(target.shape)}，实际为 {tuple(value.shape)}")
            new[key] = (target, value)
        for target, value in new.values():
            target.copy_(value)
        return self


# ======================================================================== MNIST-1D
def _check_signals(x, length: int | None = None, min_length: int = 1) -> torch.Tensor:
    """(B, L) 或 (B, 1, L) 的有限浮点张量；给出 ``length`` 时 L 必须等于它。"""
    x = as_float_tensor(x, "x", ndim=(2, 3))
    L = x.shape[-1]
    if (x.ndim == 3 and x.shape[1] != 1) or (length is not None and L != length) or L < min_length:
        want = f"L={length}" if length is not None else f"L ≥ {min_length}"
        raise ValueError(f"x 的形状应为 (B, L) 或 (B, 1, L) 且 {want}，实际为 {tuple(x.shape)}")
    return x


class PublishedMNIST1DCNN(nn.Module):
    r"""MNIST-1D 论文里的卷积网络（Greydanus 2020）：三层 25 通道的一维卷积（核 5、3、3，步长 2），
    展平后接 Linear(125, 10)，共 5,210 个参数。长度 40 → 19 → 10 → 5。

    Examples
    --------
    >>> sum(p.numel() for p in PublishedMNIST1DCNN().parameters())
    5210
    """

    def __init__(self, channels: int = 25, num_classes: int = 10, length: int = 40):
        super().__init__()
        _check_ints(channels=channels, num_classes=num_classes, length=length)
        if length < 5:
            raise ValueError(f"length 至少为 5（第一层卷积核长 5），实际为 {length}")
        self.length = length
        self.conv1 = nn.Conv1d(1, channels, 5, stride=2, padding=1)
        self.conv2 = nn.Conv1d(channels, channels, 3, stride=2, padding=1)
        self.conv3 = nn.Conv1d(channels, channels, 3, stride=2, padding=1)
        L = length
        for K in (5, 3, 3):
            L = (L + 2 - K) // 2 + 1
        self.linear = nn.Linear(channels * L, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = _check_signals(x, self.length)
        x = x.reshape(x.shape[0], 1, -1)                       # (B, 40) → (B, 1, 40)
        h = F.relu(self.conv3(F.relu(self.conv2(F.relu(self.conv1(x))))))
        return self.linear(h.flatten(1))                       # (B, 25, 5) → (B, 125) → (B, 10)


class MNIST1DCNN(nn.Module):
    r"""本站在 MNIST-1D 上用的一维卷积网络：三层等宽卷积（核 5、3、3，32 通道），前两层后接
    2 倍最大汇聚，最后**全局最大汇聚**再接 Linear(32, 10)，共 6,730 个参数。

    与论文的网络相比有三处不同：通道数 25 → 32；论文的步长 2 卷积换成步长 1 卷积加 2 倍最大汇聚；
    "展平后接全连接"换成"全局汇聚后接全连接"。MNIST-1D 的数字在序列里被随机平移，全局汇聚让分类器
    对位置不敏感（权重共享 + 汇聚，正是本章的两个想法）。站点第 5 章 5.8 节。

    Examples
    --------
    >>> sum(p.numel() for p in MNIST1DCNN().parameters())
    6730
    """

    def __init__(self, channels: int = 32, num_classes: int = 10):
        super().__init__()
        _check_ints(channels=channels, num_classes=num_classes)
        c = channels
        self.features = nn.Sequential(
            nn.Conv1d(1, c, 5, padding=2), nn.ReLU(), nn.MaxPool1d(2),      # 40 → 20
            nn.Conv1d(c, c, 3, padding=1), nn.ReLU(), nn.MaxPool1d(2),      # 20 → 10
            nn.Conv1d(c, c, 3, padding=1), nn.ReLU(),
            nn.AdaptiveMaxPool1d(1), nn.Flatten(),                          # 全局最大汇聚：(B, c, 10) → (B, c)
        )
        self.linear = nn.Linear(c, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = _check_signals(x, min_length=4)                    # 两次 2 倍汇聚后至少还剩 1 个时刻
        return self.linear(self.features(x.reshape(x.shape[0], 1, -1)))


# ======================================================================== 训练
def train(model: nn.Module, X, y, *, epochs: int = 30, lr: float = 3e-3, batch_size: int = 32, seed: int = 0,
          cosine: bool = True, weight_decay: float = 0.0, X_val=None, y_val=None,
          threads: int | None = 1) -> History:
    r"""本章的小训练循环：Adam，学习率按余弦从 ``lr`` 退火到 0（``cosine=False`` 时保持不变）。

    $$\alpha_t = \frac{\alpha_0}{2}\Big(1 + \cos\frac{\pi t}{T}\Big), \quad t = 0, \dots, T$$

    （$T$ 为总步数。）学习率最后降到 0，训练末尾的参数不再来回跳，不同随机种子之间的结果更稳定。
    ``X`` 为 NumPy 数组或张量（形状由模型决定），``y`` 为整数标签。返回每个 epoch 的
    ``nndl_ref.progress.History``；训练在 CPU 上进行，随机性全部来自 ``seed``。

    ``threads``：训练期间 torch 使用的线程数（结束后恢复原值）。本章的模型都很小，每一步只有几毫秒的
    计算，多线程的同步开销反而更大——在 2 核机器上单线程快几倍，所以默认 1；``None`` 表示不改。
    """
    if not (isinstance(epochs, int) and epochs > 0):
        raise ValueError(f"epochs 应为正整数，实际为 {epochs!r}")
    if not (isinstance(batch_size, int) and batch_size > 0):
        raise ValueError(f"batch_size 应为正整数，实际为 {batch_size!r}")
    if not isinstance(model, nn.Module):
        raise TypeError(f"model 应为 torch.nn.Module，实际得到 {type(model).__name__}")
    check_positive(lr, "lr"), check_nonneg(weight_decay, "weight_decay"), check_seed(seed), check_bool(cosine, "cosine")
    if (X_val is None) != (y_val is None):
        raise ValueError("X_val 与 y_val 应同时给出（或都不给）")
    X, y = _as_xy(X, y)
    check_class_targets(model, X, y)                 # 坏标签在第一步更新之前就报错
    if X_val is not None:
        X_val, y_val = _as_xy(X_val, y_val, "X_val", "y_val")
        check_class_targets(model, X_val, y_val, "y_val")
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    opt = torch.optim.Adam(model.parameters(), lr=lr, weight_decay=weight_decay)
    n = X.shape[0]
    steps = epochs * math.ceil(n / batch_size)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda t: 0.5 * (1 + math.cos(math.pi * t / steps))) if cosine else None
    hist = History()
    with limit_threads(threads):
        _run_epochs(model, X, y, opt, sched, gen, epochs, batch_size, hist, X_val, y_val)
    return hist


def _run_epochs(model, X, y, opt, sched, gen, epochs, batch_size, hist, X_val, y_val):
    n = X.shape[0]
    t0 = time.perf_counter()
    for _ in range(epochs):
        model.train()
        total = 0.0
        for idx in torch.randperm(n, generator=gen).split(batch_size):
            loss = F.cross_entropy(model(X[idx]), y[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            if sched is not None:
                sched.step()
            total += loss.item() * len(idx)
        acc = accuracy(model, X, y)
        if X_val is not None:
            hist.log(total / n, acc, *evaluate(model, X_val, y_val))
        else:
            hist.log(total / n, acc)
    hist.seconds = time.perf_counter() - t0


def _as_xy(X, y, name_X: str = "X", name_y: str = "y"):
    """NumPy 数组或张量 → (float32 的 X, long 的 y)，检查数值与样本数。"""
    X = X if isinstance(X, torch.Tensor) else torch.as_tensor(as_float_array(X, name_X, dtype=np.float32))
    X = as_float_tensor(X.float(), name_X)
    if not isinstance(y, torch.Tensor):
        y = np.asarray(y)
        if y.dtype.kind not in "iu" and not (y.dtype.kind == "f" and np.all(y == np.round(y))):
            raise TypeError(f"{name_y} 应为整数类别标签，实际 dtype 为 {y.dtype}")
        y = torch.as_tensor(y)
    y = y.long() if not torch.is_floating_point(y) or bool((y == y.round()).all()) else y
    if X.ndim == 0 or y.ndim != 1 or X.shape[0] != y.shape[0]:
        n = X.shape[0] if X.ndim else 0
        raise ValueError(f"{name_X} 有 {n} 个样本（形状 {tuple(X.shape)}），{name_y} 应为 (N,) = ({n},)，"
                         f"实际形状为 {tuple(y.shape)}")
    return X, y


@torch.no_grad()
def evaluate(model: nn.Module, X, y, batch_size: int = 1000) -> tuple[float, float]:
    """``(平均交叉熵, 准确率)``，评估模式、分批计算。``X`` 可以是 NumPy 数组或张量。"""
    check_positive(batch_size, "batch_size", integer=True)
    X, y = _as_xy(X, y)
    check_class_targets(model, X, y)                 # 先检查，再切到评估模式
    was = model.training
    model.eval()
    loss, correct = 0.0, 0
    try:
        for i in range(0, X.shape[0], batch_size):
            Z = model(X[i:i + batch_size])
            loss += float(F.cross_entropy(Z, y[i:i + batch_size], reduction="sum"))
            correct += int((Z.argmax(1) == y[i:i + batch_size]).sum())
    finally:
        model.train(was)
    return loss / X.shape[0], correct / X.shape[0]


def accuracy(model: nn.Module, X, y) -> float:
    """分类准确率（见 ``evaluate``）。"""
    return evaluate(model, X, y)[1]


@functools.lru_cache(maxsize=2)
def trained_digits_lenet(seed: int = 0, epochs: int = 30) -> LeNet:
    """在手写数字上训练好的 ``LeNet``（与页面 5.6 节的代码相同：像素除以 16、Adam 3e-3、批 32、余弦退火）。

    同一进程内只训练一次（约 5 秒），之后直接返回同一个模型（评估模式）；对抗样本、类别可视化
    与插图都用它。不要在返回的模型上继续训练。
    """
    from .. import data
    check_seed(seed), check_positive(epochs, "epochs", integer=True)

    d = data.load_digits(seed=0)
    torch.manual_seed(seed)
    model = LeNet()
    train(model, d.X_train.reshape(-1, 1, 8, 8) / 16.0, d.y_train, epochs=epochs, lr=3e-3, batch_size=32, seed=seed)
    return model.eval()
