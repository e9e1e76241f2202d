r"""卷积（NumPy 从零实现，可读版）：一维卷积与互相关、窄 / 宽 / 等宽卷积、二维多通道卷积层的前向与反向、
转置卷积，以及输出尺寸与感受野的计算。

对应书中第 5.1 节（卷积）、第 5.2.2 节（卷积层）、第 5.3 节（参数学习）、第 5.5 节（其他卷积方式）。站点页面：docs/ch05-cnn/index.md。

**卷积与互相关。** 书中一维卷积按信号处理的定义把卷积核翻转：

$$y_t = \sum_{k=1}^{K} w_k\, x_{t-k+1} \quad\text{（卷积）}, \qquad
  y_t = \sum_{k=1}^{K} w_k\, x_{t+k-1} \quad\text{（互相关）} .$$

卷积网络里的"卷积层"实际计算的是互相关（不翻转），``torch.nn.functional.conv2d`` 也是如此；卷积核是
学出来的，翻不翻转只是参数的重新排列。本模块的 ``conv2d_forward`` 与 torch 一致，计算互相关。

**形状约定。** 公开接口一律 NCHW，与 torch 相同：输入 ``x`` 为 (B, D, M, N)——书中
$X \in \mathbb{R}^{M\times N\times D}$ 加上批维（批大小记作 B，因为 N 已是宽度）；卷积核
``W`` 为 (P, D, U, V)，与 ``torch.nn.Conv2d.weight`` 相同（书中写作 $W \in \mathbb{R}^{U\times V\times P\times D}$），
torch 的权重可以原样拷贝，不需要转置；输出为 (B, P, M', N')。

本模块是页面上展示的"可读版"：对卷积核的每个位置 $(u, v)$ 循环一次（只有 $U V$ 次），
每次把平移后的输入整体乘上 $W_{:,:,u,v}$。同样结果的快速版在 ``nndl_ref.numpy.conv_fast``。
"""

from __future__ import annotations

import numbers

import numpy as np

from .._validate import as_float_array, check_bool, check_positive, check_rng
from .._validate import check_pair as _pair


# ======================================================================== 超参数与尺寸
def effective_kernel_size(K: int, dilation: int = 1) -> int:
    r"""空洞卷积的有效核大小 $K' = K + (K-1)(D-1)$（$D$ 为膨胀率，书中第 5.5.2 节）。

    Examples
    --------
    >>> effective_kernel_size(3, dilation=2), effective_kernel_size(3, dilation=1)
    (5, 3)
    """
    check_positive(K, "K", integer=True)
    check_positive(dilation, "dilation", integer=True)
    return K + (K - 1) * (dilation - 1)


def conv_output_size(M: int, K: int, stride: int = 1, padding: int = 0, dilation: int = 1) -> int:
    r"""卷积输出长度 $M' = \lfloor (M - K' + 2P) / S \rfloor + 1$，$K' = K + (K-1)(D-1)$。

    书中第 5.1.3 节（卷积的变种）：步长 $S$、两端各补 $P$ 个零。$S=1$ 时，窄卷积（$P=0$）得
    $M-K+1$，宽卷积（$P=K-1$）得 $M+K-1$，等宽卷积（$P=(K-1)/2$）得 $M$。
    $M-K'+2P$ 不能被 $S$ 整除时向下取整（多出的几列输入不会被用到，与 torch 相同）。

    Examples
    --------
    >>> conv_output_size(7, 3), conv_output_size(7, 3, padding=2), conv_output_size(7, 3, padding=1)
    (5, 9, 7)
    >>> conv_output_size(28, 3, stride=2, padding=1)
    14
    """
    check_positive(M, "M", integer=True)
    Kp = effective_kernel_size(K, dilation)
    check_positive(stride, "stride", integer=True)
    if not isinstance(padding, numbers.Integral) or padding < 0:
        raise ValueError(f"padding 应为非负整数，实际为 {padding!r}")
    if M + 2 * padding < Kp:
        raise ValueError(f"输入长度 M={M} 加上两端补零 2P={2 * padding} 小于有效核大小 K'={Kp}，输出为空")
    return (M + 2 * padding - Kp) // stride + 1


def receptive_field(layers) -> list[int]:
    r"""逐层堆叠后，每层一个输出神经元在输入上的感受野大小。

    $$r_l = r_{l-1} + (K'_l - 1)\prod_{i<l} S_i, \qquad r_0 = 1$$

    ``layers`` 是 ``(K, S)`` 或 ``(K, S, D)`` 的列表（核大小、步长、膨胀率；汇聚层也按 ``(K, S)`` 写）。

    Examples
    --------
    >>> receptive_field([(3, 1), (3, 1)])          # 两层 3×3 的感受野与一层 5×5 相同
    [3, 5]
    >>> receptive_field([(3, 1, 1), (3, 1, 2), (3, 1, 4)])   # 膨胀率 1, 2, 4
    [3, 7, 15]
    """
    if not isinstance(layers, (list, tuple)):
        raise TypeError(f"layers 应为 (K, S) 或 (K, S, D) 的列表，实际得到 {type(layers).__name__}")
    r, jump, out = 1, 1, []
    for i, spec in enumerate(layers):
        if not isinstance(spec, (list, tuple)) or len(spec) not in (2, 3):
            raise ValueError(f"第 {i} 层应写成 (K, S) 或 (K, S, D)，实际为 {spec}")
        K, S, D = spec if len(spec) == 3 else (*spec, 1)
        r += (effective_kernel_size(K, D) - 1) * jump        # r_l = r_{l-1} + (K'_l − 1) ∏ S_i
        jump *= check_positive(S, "S", integer=True)
        out.append(r)
    return out


# ======================================================================== 一维：书中的卷积与互相关
_MODES = ("narrow", "wide", "same")


def _pad_1d(K: int, mode: str) -> tuple[int, int]:
    """窄 / 宽 / 等宽卷积两端各补几个零（左, 右）。"""
    if mode == "narrow":
        return 0, 0                                # P = 0        →  M − K + 1
    if mode == "wide":
        return K - 1, K - 1                        # P = K − 1    →  M + K − 1
    if mode == "same":
        return (K - 1) // 2, K - 1 - (K - 1) // 2  # P = (K − 1)/2 →  M（K 为偶数时右边多补一个）
    raise ValueError(f"mode 应为 {_MODES} 之一（窄 / 宽 / 等宽卷积），实际为 {mode!r}")


def correlate1d(x, w, mode: str = "narrow") -> np.ndarray:
    r"""一维互相关 $y_t = \sum_{k=1}^{K} w_k\, \tilde{x}_{t+k-1}$，$\tilde{x}$ 为补零后的输入。

    ``mode``：``"narrow"``（窄，长度 $M-K+1$）、``"wide"``（宽，$M+K-1$）、``"same"``
    （等宽，$M$；$K$ 为偶数时右端多补一个零，与 torch 的 ``padding="same"`` 相同）。
    书中第 5.1.2 节（互相关）。

    Examples
    --------
    >>> correlate1d([2, 2, 5, 5, 0, 0], [1, -1])      # 相邻两点相减：检测突变
    array([ 0., -3.,  0.,  5.,  0.])
    """
    x = as_float_array(x, "x", ndim=1)
    w = as_float_array(w, "w", ndim=1)
    K = w.shape[0]
    if K == 0:
        raise ValueError("卷积核 w 至少要有 1 个元素")
    left, right = _pad_1d(K, mode)
    xp = np.pad(x, (left, right))                  # 两端补零
    M_out = xp.shape[0] - K + 1
    if M_out < 1:
        raise ValueError(f"窄卷积要求输入长度 M={x.shape[0]} ≥ 核长 K={K}")
    y = np.zeros(M_out)
    for k in range(K):
        # y_t += w_k · x̃_{t+k−1}（下标从 0 开始时是 x̃[t + k]）
        y += w[k] * xp[k:k + M_out]
    return y


def convolve1d(x, w, mode: str = "narrow") -> np.ndarray:
    r"""书中定义的一维卷积 $y_t = \sum_{k=1}^{K} w_k\, x_{t-k+1}$：把卷积核翻转后做互相关。

    与 ``numpy.convolve`` 的 ``"valid" / "full" / "same"`` 分别对应窄、宽、等宽卷积。
    信号延迟累积的例子（书中第 5.1.1 节）：$w = (1, 1/2, 1/4)$ 表示 $k-1$ 步之前发出的信号
    衰减为原来的 $w_k$ 倍，$y_t$ 是 $t$ 时刻收到的总信号。

    Examples
    --------
    >>> convolve1d([1, 0, 0, 0], [1, 0.5, 0.25], mode="wide")   # 单位脉冲的响应就是卷积核本身
    array([1.  , 0.5 , 0.25, 0.  , 0.  , 0.  ])
    """
    w = as_float_array(w, "w", ndim=1)
    K = w.shape[0]
    if mode == "same":
        # 翻转后补零的位置也随之左右互换，这样 K 为偶数时仍与 numpy.convolve(..., "same") 一致
        x = as_float_array(x, "x", ndim=1)
        xp = np.pad(x, (K // 2, K - 1 - K // 2))
        return correlate1d(xp, w[::-1], mode="narrow")
    return correlate1d(x, w[::-1], mode=mode)   # y_t = Σ_k w_k x_{t−k+1} = Σ_j w_{K+1−j} x_{t−K+j}


# ======================================================================== 二维多通道卷积层
def _check_conv_inputs(x, W, b):
    x = as_float_array(x, "x", ndim=4)
    W = as_float_array(W, "W", ndim=4)
    if x.shape[1] != W.shape[1]:
        raise ValueError(f"x 的通道数 D={x.shape[1]}（形状 (B, D, M, N) = {x.shape}）与 W 的输入通道数 "
                         f"{W.shape[1]}（形状 (P, D, U, V) = {W.shape}）不一致")
    if b is not None:
        b = as_float_array(b, "b", ndim=1)
        if b.shape != (W.shape[0],):
            raise ValueError(f"b 的形状应为 (P,) = ({W.shape[0]},)，实际为 {b.shape}")
    return x, W, b


def _window(Sh, Sw, Dh, Dw, u, v, M_out, N_out):
    """核位置 (u, v) 对应的输入切片：行 u·D_h + i·S_h（i = 0…M'−1），列同理。"""
    return (slice(u * Dh, u * Dh + Sh * (M_out - 1) + 1, Sh),
            slice(v * Dw, v * Dw + Sw * (N_out - 1) + 1, Sw))


def conv2d_forward(x, W, b=None, stride=1, padding=0, dilation=1):
    r"""二维多通道卷积（互相关，与 ``torch.nn.functional.conv2d`` 相同）。书中第 5.2.2 节（卷积层）：

    $$Y^{p} = \sum_{d=1}^{D} W^{p,d} \otimes X^{d} + b^{p}, \qquad
      y_{b,p,i,j} = \sum_{d=1}^{D}\sum_{u=1}^{U}\sum_{v=1}^{V} w_{p,d,u,v}\;
      \tilde{x}_{b,\,d,\;(i-1)S+(u-1)\mathcal{D}+1,\;(j-1)S+(v-1)\mathcal{D}+1} + b_p$$

    其中 $\tilde{X}$ 是四周各补 $P$ 个零后的输入，$S$ 为步长，$\mathcal{D}$ 为膨胀率。

    Parameters
    ----------
    x : array (B, D, M, N)
        输入特征映射（NCHW）。
    W : array (P, D, U, V)
        卷积核，与 ``torch.nn.Conv2d.weight`` 同形状。
    b : array (P,) or None
        偏置（每个输出通道一个）。
    stride, padding, dilation : int or (int, int)
        步长 $S$、补零 $P$、膨胀率 $\mathcal{D}$，含义与 torch 相同。

    Returns
    -------
    Y : array (B, P, M', N')
        $M' = \lfloor (M + 2P - U') / S \rfloor + 1$，见 ``conv_output_size``。
    cache : tuple
        反向传播所需的 ``(x_pad, W, b, hyper)``。

    Examples
    --------
    >>> x = np.arange(16.0).reshape(1, 1, 4, 4)
    >>> Y, _ = conv2d_forward(x, np.ones((1, 1, 2, 2)))      # 2×2 窗口求和
    >>> Y[0, 0]
    array([[10., 14., 18.],
           [26., 30., 34.],
           [42., 46., 50.]])
    """
    x, W, b = _check_conv_inputs(x, W, b)
    (Sh, Sw), (Ph, Pw), (Dh, Dw) = _pair(stride, "stride", 1), _pair(padding, "padding", 0), _pair(dilation, "dilation", 1)
    B, D, M, N = x.shape
    P, _, U, V = W.shape
    M_out = conv_output_size(M, U, Sh, Ph, Dh)
    N_out = conv_output_size(N, V, Sw, Pw, Dw)
    x_pad = np.pad(x, ((0, 0), (0, 0), (Ph, Ph), (Pw, Pw)))          # X̃：(B, D, M+2P, N+2P)
    Y = np.zeros((B, P, M_out, N_out), dtype=np.result_type(x, W))
    for u in range(U):
        for v in range(V):
            rows, cols = _window(Sh, Sw, Dh, Dw, u, v, M_out, N_out)
            # Y[b,p,i,j] += Σ_d W[p,d,u,v] · X̃[b, d, i·S + u·𝒟, j·S + v·𝒟]
            Y += np.einsum("pd,bdij->bpij", W[:, :, u, v], x_pad[:, :, rows, cols], optimize=True)
    if b is not None:
        Y += b[None, :, None, None]                                    # + b_p
    return Y, (x_pad, W, b, (Sh, Sw, Ph, Pw, Dh, Dw, M, N))


def conv2d_backward(dY, cache):
    r"""卷积层的反向传播（书中第 5.3 节）。记 $\delta = \partial\mathcal{L}/\partial Y$：

    $$\frac{\partial\mathcal{L}}{\partial w_{p,d,u,v}} = \sum_{b,i,j} \delta_{b,p,i,j}\;\tilde{x}_{b,d,\,iS+u\mathcal{D},\,jS+v\mathcal{D}}
      \quad(\text{即 } \tilde{X}^{d} \otimes \delta^{p}),\qquad
      \frac{\partial\mathcal{L}}{\partial b_p} = \sum_{b,i,j}\delta_{b,p,i,j}$$

    $$\frac{\partial\mathcal{L}}{\partial \tilde{x}_{b,d,\,iS+u\mathcal{D},\,jS+v\mathcal{D}}} \mathrel{+}= \sum_p w_{p,d,u,v}\,\delta_{b,p,i,j}$$

    步长为 1 时，最后一式就是 $\delta$ 补零后与**翻转**（旋转 180°）的卷积核做互相关，即宽卷积：
    $\partial\mathcal{L}/\partial X^{d} = \sum_p \mathrm{rot180}(W^{p,d}) \tilde{\otimes} \delta^{p}$。
    它也正是转置卷积 ``conv_transpose2d_forward``。

    Returns
    -------
    dx : (B, D, M, N), dW : (P, D, U, V), db : (P,) or None
    """
    x_pad, W, b, (Sh, Sw, Ph, Pw, Dh, Dw, M, N) = cache
    B, P = x_pad.shape[0], W.shape[0]
    _, _, U, V = W.shape
    dY = as_float_array(dY, "dY", ndim=4)
    M_out, N_out = conv_output_size(M, U, Sh, Ph, Dh), conv_output_size(N, V, Sw, Pw, Dw)
    if dY.shape != (B, P, M_out, N_out):
        raise ValueError(f"dY 的形状应为 (B, P, M', N') = {(B, P, M_out, N_out)}，实际为 {dY.shape}")
    dx_pad = np.zeros(x_pad.shape, dtype=np.result_type(dY, W))
    dW = np.zeros(W.shape, dtype=np.result_type(dY, x_pad))
    for u in range(U):
        for v in range(V):
            rows, cols = _window(Sh, Sw, Dh, Dw, u, v, M_out, N_out)
            # ∂L/∂W[p,d,u,v] = Σ_{b,i,j} δ[b,p,i,j] · X̃[b, d, i·S + u·𝒟, j·S + v·𝒟]
            dW[:, :, u, v] = np.einsum("bpij,bdij->pd", dY, x_pad[:, :, rows, cols], optimize=True)
            # ∂L/∂X̃[b, d, i·S + u·𝒟, j·S + v·𝒟] += Σ_p W[p,d,u,v] · δ[b,p,i,j]
            dx_pad[:, :, rows, cols] += np.einsum("pd,bpij->bdij", W[:, :, u, v], dY, optimize=True)
    dx = dx_pad[:, :, Ph:Ph + M, Pw:Pw + N]                           # 去掉补的零
    db = dY.sum(axis=(0, 2, 3)) if b is not None else None             # ∂L/∂b_p = Σ δ
    return dx, dW, db


# ======================================================================== 一维卷积层（二维的特例）
def conv1d_forward(x, W, b=None, stride: int = 1, padding: int = 0, dilation: int = 1):
    r"""一维多通道卷积层（互相关，与 ``torch.nn.functional.conv1d`` 相同）：高为 1 的二维卷积。

    $$y_{b,p,t} = \sum_{d=1}^{D}\sum_{k=1}^{K} w_{p,d,k}\, \tilde{x}_{b,\,d,\,(t-1)S + (k-1)\mathcal{D} + 1} + b_p$$

    Parameters
    ----------
    x : array (B, D, M)
    W : array (P, D, K)
    b : array (P,) or None

    Returns
    -------
    Y : (B, P, M')；cache
    """
    x = as_float_array(x, "x", ndim=3)
    W = as_float_array(W, "W", ndim=3)
    for name, v in (("stride", stride), ("padding", padding), ("dilation", dilation)):
        if not isinstance(v, numbers.Integral):
            raise TypeError(f"一维卷积的 {name} 应为整数，实际为 {v!r}")
    Y, cache = conv2d_forward(x[:, :, None, :], W[:, :, None, :], b, stride=(1, stride), padding=(0, padding),
                              dilation=(1, dilation))                   # (B, D, 1, M) * (P, D, 1, K)
    return Y[:, :, 0, :], cache                                          # (B, P, 1, M') → (B, P, M')


def conv1d_backward(dY, cache):
    """一维卷积层的反向：返回 ``(dx (B, D, M), dW (P, D, K), db (P,))``。"""
    dY = as_float_array(dY, "dY", ndim=3)
    dx, dW, db = conv2d_backward(dY[:, :, None, :], cache)
    return dx[:, :, 0, :], dW[:, :, 0, :], db


# ======================================================================== 转置卷积
def conv_transpose2d_forward(x, W, b=None, stride=1, padding=0, dilation=1, output_padding=0):
    r"""转置卷积（微步卷积，书中第 5.5.1 节）：卷积对输入求梯度的那个线性映射，把低维特征映射到高维。

    若卷积 $Y = C X$（$C$ 是由 $W$ 决定的稀疏矩阵），转置卷积就是 $X' = C^\top Y$：

    $$x'_{b,d,\;iS+u\mathcal{D}-P,\;jS+v\mathcal{D}-P} \mathrel{+}= \sum_{p} w_{p,d,u,v}\; y_{b,p,i,j}$$

    ``W`` 与被转置的卷积相同，形状 (P, D, U, V)——也正是 ``torch.nn.functional.conv_transpose2d``
    要求的 (in_channels, out_channels, kH, kW)。输出尺寸
    $M = (M'-1)S - 2P + \mathcal{D}(U-1) + \text{output\_padding} + 1$。

    Parameters
    ----------
    x : array (B, P, M', N')
    W : array (P, D, U, V)
    b : array (D,) or None

    Returns
    -------
    out : (B, D, M, N)；cache

    Examples
    --------
    >>> out, _ = conv_transpose2d_forward(np.ones((1, 1, 2, 2)), np.ones((1, 1, 3, 3)), stride=2)
    >>> out.shape
    (1, 1, 5, 5)
    """
    x = as_float_array(x, "x", ndim=4)
    W = as_float_array(W, "W", ndim=4)
    if x.shape[1] != W.shape[0]:
        raise ValueError(f"x 的通道数 {x.shape[1]}（形状 (B, P, M', N') = {x.shape}）应等于 W 的第 0 维 "
                         f"P={W.shape[0]}（形状 (P, D, U, V) = {W.shape}）")
    (Sh, Sw), (Ph, Pw), (Dh, Dw) = _pair(stride, "stride", 1), _pair(padding, "padding", 0), _pair(dilation, "dilation", 1)
    Oh, Ow = _pair(output_padding, "output_padding", 0)
    if Oh >= max(Sh, Dh) or Ow >= max(Sw, Dw):
        raise ValueError(f"output_padding={output_padding!r} 应小于步长或膨胀率（与 torch 相同）")
    B, P, Mi, Ni = x.shape
    _, D, U, V = W.shape
    if b is not None:
        b = as_float_array(b, "b", ndim=1)
        if b.shape != (D,):
            raise ValueError(f"b 的形状应为 (D,) = ({D},)，实际为 {b.shape}")
    M = (Mi - 1) * Sh - 2 * Ph + Dh * (U - 1) + Oh + 1
    N = (Ni - 1) * Sw - 2 * Pw + Dw * (V - 1) + Ow + 1
    if M < 1 or N < 1:
        raise ValueError(f"padding 太大：输出尺寸 ({M}, {N}) 不是正数")
    out_pad = np.zeros((B, D, M + 2 * Ph, N + 2 * Pw), dtype=np.result_type(x, W))
    for u in range(U):
        for v in range(V):
            rows, cols = _window(Sh, Sw, Dh, Dw, u, v, Mi, Ni)
            # X'[b, d, i·S + u·𝒟, j·S + v·𝒟] += Σ_p W[p,d,u,v] · Y[b,p,i,j]（与卷积的 ∂L/∂X 同一行代码）
            out_pad[:, :, rows, cols] += np.einsum("pd,bpij->bdij", W[:, :, u, v], x, optimize=True)
    out = out_pad[:, :, Ph:Ph + M, Pw:Pw + N]
    if b is not None:
        out = out + b[None, :, None, None]
    return out, (x, W, b, (Sh, Sw, Ph, Pw, Dh, Dw, M, N))


def conv_transpose2d_backward(dout, cache):
    r"""转置卷积的反向：对输入的梯度是一次普通卷积 $\partial\mathcal{L}/\partial Y = C\,\delta$。

    Returns
    -------
    dx : (B, P, M', N'), dW : (P, D, U, V), db : (D,) or None
    """
    x, W, b, (Sh, Sw, Ph, Pw, Dh, Dw, M, N) = cache
    dout = as_float_array(dout, "dout", ndim=4)
    if dout.shape != (x.shape[0], W.shape[1], M, N):
        raise ValueError(f"dout 的形状应为 (B, D, M, N) = {(x.shape[0], W.shape[1], M, N)}，实际为 {dout.shape}")
    # 转置卷积的转置就是卷积：∂L/∂Y = conv2d(δ, W)，∂L/∂W 与卷积的 ∂L/∂W 是同一个和（角色互换）
    dx, conv_cache = conv2d_forward(dout, W, None, (Sh, Sw), (Ph, Pw), (Dh, Dw))
    x_full = np.zeros(dx.shape, dtype=x.dtype)          # output_padding ≥ S 时卷积输出会多出一行/列
    x_full[:, :, :x.shape[2], :x.shape[3]] = x
    dx = dx[:, :, :x.shape[2], :x.shape[3]]
    _, dW, _ = conv2d_backward(x_full, conv_cache)
    db = dout.sum(axis=(0, 2, 3)) if b is not None else None
    return dx, dW, db


# ======================================================================== 层（薄封装）
class Conv2d:
    r"""二维卷积层：``params = {"W": (P, D, U, V), "b": (P,)}``，He 初始化 $\mathcal{N}(0, 2/(D U V))$。

    ``fast=True`` 时改用 ``nndl_ref.numpy.conv_fast`` 的通道在后 + 分块 im2col 实现（结果相同，快数倍）。
    与 ``nndl_ref.numpy.layers.Linear`` 一样，``backward`` 把梯度累加进 ``grads``。

    Examples
    --------
    >>> layer = Conv2d(1, 4, 3, np.random.default_rng(0), padding=1)
    >>> layer.forward(np.ones((2, 1, 8, 8))).shape
    (2, 4, 8, 8)
    """

    def __init__(self, in_channels: int, out_channels: int, kernel_size, rng: np.random.Generator, *,
                 stride=1, padding=0, dilation=1, fast: bool = False):
        check_positive(in_channels, "in_channels", integer=True)
        check_positive(out_channels, "out_channels", integer=True)
        U, V = _pair(kernel_size, "kernel_size", 1)
        _pair(stride, "stride", 1), _pair(padding, "padding", 0), _pair(dilation, "dilation", 1)
        check_rng(rng)
        check_bool(fast, "fast")
        fan_in = in_channels * U * V
        self.params = {"W": np.sqrt(2.0 / fan_in) * rng.standard_normal((out_channels, in_channels, U, V)),
                       "b": np.zeros(out_channels)}
        self.grads = {k: np.zeros_like(v) for k, v in self.params.items()}
        self.hyper = {"stride": stride, "padding": padding, "dilation": dilation}
        self.fast = fast
        self.cache = None

    def _ops(self):
        if self.fast:
            from . import conv_fast
            return conv_fast.conv2d_forward_fast, conv_fast.conv2d_backward_fast
        return conv2d_forward, conv2d_backward

    def forward(self, x):
        fwd, _ = self._ops()
        out, self.cache = fwd(x, self.params["W"], self.params["b"], **self.hyper)
        return out

    def backward(self, dout):
        if self.cache is None:
            raise RuntimeError("Conv2d.backward 之前必须先调用 forward")
        _, bwd = self._ops()
        dx, dW, db = bwd(dout, self.cache)
        self.grads["W"] += dW
        self.grads["b"] += db
        return dx

    def zero_grad(self) -> None:
        for g in self.grads.values():
            g[...] = 0.0

    def __call__(self, x):
        return self.forward(x)

    def __repr__(self):
        P, D, U, V = self.params["W"].shape
        return f"Conv2d({D}, {P}, kernel_size=({U}, {V}), " + ", ".join(f"{k}={v}" for k, v in self.hyper.items()) + ")"
