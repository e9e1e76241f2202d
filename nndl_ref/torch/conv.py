r"""卷积（PyTorch 版）：按书中公式写出的一维卷积 / 互相关、二维卷积与转置卷积，与
``nndl_ref.numpy.conv`` 一一对应（汇聚见 ``nndl_ref.torch.pooling``）。

这里不调用 ``F.conv2d``，而是用 ``unfold``（im2col）把卷积写成矩阵乘法：

$$\mathrm{cols} = \mathrm{unfold}(X) \in \mathbb{R}^{B \times (D U V) \times (M' N')}, \qquad
  Y = W_{\mathrm{mat}}\, \mathrm{cols} + b, \quad W_{\mathrm{mat}} \in \mathbb{R}^{P \times (D U V)}$$

autograd 对它求出的梯度就是"公式的梯度"；测试再把它与 ``F.conv2d`` 的值和梯度、NumPy 手写反向三方对照。
形状约定与 NumPy 版相同（NCHW，卷积核 (P, D, U, V)）。书中第 5.1、5.3、5.5 节。
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from .._validate import as_float_tensor as _check
from .._validate import check_pair


def _pair(v, name: str = "stride", minimum: int = 1):
    return check_pair(v, name, minimum)


def _check_bias(b, P: int):
    if b is not None:
        b = _check(b, "b", 1)
        if b.shape[0] != P:
            raise ValueError(f"b 的形状应为 ({P},)（每个输出通道一个偏置），实际为 {tuple(b.shape)}")
    return b


# ======================================================================== 一维
def correlate1d(x: torch.Tensor, w: torch.Tensor, mode: str = "narrow") -> torch.Tensor:
    r"""一维互相关 $y_t = \sum_k w_k \tilde{x}_{t+k-1}$；``mode`` 为 narrow / wide / same（见 NumPy 版）。"""
    x, w = _check(x, "x", 1), _check(w, "w", 1)
    K = w.shape[0]
    if K == 0:
        raise ValueError("卷积核 w 至少要有 1 个元素")
    pads = {"narrow": (0, 0), "wide": (K - 1, K - 1), "same": ((K - 1) // 2, K - 1 - (K - 1) // 2)}
    if mode not in pads:
        raise ValueError(f"mode 应为 'narrow'、'wide' 或 'same'，实际为 {mode!r}")
    xp = F.pad(x, pads[mode])
    if xp.shape[0] < K:
        raise ValueError(f"窄卷积要求输入长度 M={x.shape[0]} ≥ 核长 K={K}")
    return xp.unfold(0, K, 1) @ w                        # (M', K) @ (K,)：每行是一个窗口


def convolve1d(x: torch.Tensor, w: torch.Tensor, mode: str = "narrow") -> torch.Tensor:
    r"""书中的一维卷积 $y_t = \sum_k w_k x_{t-k+1}$：翻转卷积核再做互相关。"""
    x, w = _check(x, "x", 1), _check(w, "w", 1)
    if mode not in ("narrow", "wide", "same"):
        raise ValueError(f"mode 应为 'narrow'、'wide' 或 'same'，实际为 {mode!r}")
    if mode == "same":
        K = w.shape[0]
        return correlate1d(F.pad(x, (K // 2, K - 1 - K // 2)), w.flip(0), "narrow")
    return correlate1d(x, w.flip(0), mode)


# ======================================================================== 二维
def conv2d(x: torch.Tensor, W: torch.Tensor, b: torch.Tensor | None = None, stride=1, padding=0,
           dilation=1) -> torch.Tensor:
    r"""二维多通道卷积（互相关），im2col 写法：$Y = W_{\mathrm{mat}}\,\mathrm{unfold}(X) + b$。

    与 ``F.conv2d(x, W, b, stride, padding, dilation)`` 的值和梯度相同（测试中逐项对照）。

    Examples
    --------
    >>> x, W = torch.randn(2, 3, 6, 6), torch.randn(4, 3, 3, 3)
    >>> torch.allclose(conv2d(x, W, padding=1), F.conv2d(x, W, padding=1), atol=1e-5)
    True
    """
    x, W = _check(x, "x", 4), _check(W, "W", 4)
    if x.shape[1] != W.shape[1]:
        raise ValueError(f"x 的通道数 D={x.shape[1]} 与 W 的输入通道数 {W.shape[1]} 不一致")
    B, _, M, N = x.shape
    P, D, U, V = W.shape
    b = _check_bias(b, P)
    (Sh, Sw), (Ph, Pw), (Dh, Dw) = _pair(stride), _pair(padding, "padding", 0), _pair(dilation, "dilation")
    M_out = (M + 2 * Ph - (U + (U - 1) * (Dh - 1))) // Sh + 1
    N_out = (N + 2 * Pw - (V + (V - 1) * (Dw - 1))) // Sw + 1
    if M_out < 1 or N_out < 1:
        raise ValueError(f"输入 {M}×{N} 加补零后小于有效核大小，输出为空")
    cols = F.unfold(x, (U, V), dilation=(Dh, Dw), padding=(Ph, Pw), stride=(Sh, Sw))   # (B, D·U·V, M'·N')
    Y = W.reshape(P, D * U * V) @ cols                                                  # (B, P, M'·N')
    if b is not None:
        Y = Y + b[None, :, None]
    return Y.reshape(B, P, M_out, N_out)


def conv1d(x: torch.Tensor, W: torch.Tensor, b: torch.Tensor | None = None, stride: int = 1, padding: int = 0,
           dilation: int = 1) -> torch.Tensor:
    """一维多通道卷积层：高为 1 的二维卷积。x (B, D, M)，W (P, D, K) → (B, P, M')。"""
    x, W = _check(x, "x", 3), _check(W, "W", 3)
    for name, v in (("stride", stride), ("padding", padding), ("dilation", dilation)):
        if isinstance(v, bool) or not isinstance(v, int):
            raise TypeError(f"一维卷积的 {name} 应为整数，实际为 {v!r}")
    Y = conv2d(x[:, :, None, :], W[:, :, None, :], b, (1, stride), (0, padding), (1, dilation))
    return Y[:, :, 0, :]


def conv_transpose2d(x: torch.Tensor, W: torch.Tensor, b: torch.Tensor | None = None, stride=1, padding=0,
                     dilation=1, output_padding=0) -> torch.Tensor:
    r"""转置卷积：$\mathrm{cols} = W_{\mathrm{mat}}^\top X$，再用 ``fold``（col2im）把每列加回它的窗口。

    ``W`` 形状 (P, D, U, V)，与 ``F.conv_transpose2d`` 相同。要求 ``output_padding`` 小于步长。
    """
    x, W = _check(x, "x", 4), _check(W, "W", 4)
    if x.shape[1] != W.shape[0]:
        raise ValueError(f"x 的通道数 {x.shape[1]} 应等于 W 的第 0 维 P={W.shape[0]}")
    B, P, Mi, Ni = x.shape
    _, D, U, V = W.shape
    b = _check_bias(b, D)
    (Sh, Sw), (Ph, Pw), (Dh, Dw) = _pair(stride), _pair(padding, "padding", 0), _pair(dilation, "dilation")
    Oh, Ow = _pair(output_padding, "output_padding", 0)
    if Oh >= Sh or Ow >= Sw:
        raise ValueError(f"output_padding={output_padding!r} 应小于步长 {stride!r}")
    M = (Mi - 1) * Sh - 2 * Ph + Dh * (U - 1) + Oh + 1
    N = (Ni - 1) * Sw - 2 * Pw + Dw * (V - 1) + Ow + 1
    if M < 1 or N < 1:
        raise ValueError(f"padding 太大：输出尺寸 ({M}, {N}) 不是正数")
    cols = W.reshape(P, D * U * V).T @ x.reshape(B, P, Mi * Ni)                 # (B, D·U·V, M'·N')
    out = F.fold(cols, (M, N), (U, V), dilation=(Dh, Dw), padding=(Ph, Pw), stride=(Sh, Sw))
    if b is not None:
        out = out + b[None, :, None, None]
    return out
