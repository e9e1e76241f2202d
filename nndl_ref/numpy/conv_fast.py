r"""二维卷积的快速版（NumPy）：与 ``nndl_ref.numpy.conv`` 的可读版结果相同、接口相同，快数倍。

书中第 5.3 节。数学上与可读版完全一样，区别只在**数据怎样在内存里移动**——对这样的小卷积，
矩阵乘法本身不是瓶颈，搬数据才是：

1. **通道在后（channels-last）。** 内部把 NCHW 换成 (B, M, N, D)：一个像素的 D 个通道在内存里相邻，
   im2col 的每一次拷贝都是整块的连续内存。输出 (B, M', N', P) 以 NCHW 的**视图**返回（不拷贝）；
   下一层再换回通道在后时也不用拷贝。
2. **分块 im2col + 一次 GEMM。** 把 $U V$ 个平移后的窗口拼成矩阵
   $\mathrm{cols} \in \mathbb{R}^{(B M' N') \times (U V D)}$，卷积就是一次矩阵乘法
   $\mathrm{cols}\, W_{\mathrm{mat}}$。按批切成小块（每块约 512 KB），这样 ``cols`` 一直待在 CPU 缓存里，
   反向时重新生成它比从内存读回更快。
3. **反向不做散射累加。** $\partial\mathcal{L}/\partial X$ 写成"补零（步长 > 1 时先在
   $\delta$ 的元素之间插零）后的 $\delta$ 与翻转卷积核的互相关"：

   $$\frac{\partial \mathcal{L}}{\partial X^{d}} = \sum_{p} \mathrm{rot180}\big(W^{p,d}\big) \tilde{\otimes} \delta^{p}$$

   它又是一次 im2col + GEMM，避免了 col2im 那种逐块相加（``np.add.at``）的内存往返。

本实现是单线程的：这类小矩阵上 OpenBLAS 的多线程时快时慢，一个 BLAS 线程最稳定（基准里用
``threadpoolctl.threadpool_limits(1)``）。速度见 ``benchmarks/bench_conv.py``；正确性由
``tests/test_ch05_conv_fast.py`` 与可读版、torch 逐项对照。
"""

from __future__ import annotations

import numpy as np

from .._validate import as_float_array
from .conv import _check_conv_inputs, _pair, conv_output_size

CHUNK_BYTES = 1 << 20          # 每块 im2col 矩阵约 1 MB：放得进 L2 缓存（2 MB）


def _chunks(B: int, per_item_bytes: int) -> list[tuple[int, int]]:
    """按批切块：每块的 im2col 矩阵约 :data:`CHUNK_BYTES`。"""
    nb = max(1, CHUNK_BYTES // max(per_item_bytes, 1))
    return [(c0, min(B, c0 + nb)) for c0 in range(0, B, nb)]


def _map_chunks(work, chunks) -> list:
    """对每块调用 ``work(c0, c1, scratch)``；``scratch`` 里的缓冲区只分配一次，各块复用。"""
    scratch: dict = {}
    return [work(c0, c1, scratch) for c0, c1 in chunks]


def _scratch(scratch: dict, key: str, shape, dtype) -> np.ndarray:
    """线程自己的缓冲区：第一次用时分配，之后复用（只取前 shape[0] 个样本）。"""
    buf = scratch.get(key)
    if buf is None or buf.shape[0] < shape[0]:
        buf = scratch[key] = np.empty(shape, dtype=dtype)
    return buf[:shape[0]]


def _im2col(x_pad, c0, c1, U, V, S, Dl, M_out, N_out, scratch, key="cols"):
    """cols[b, i, j, u, v, :] = x̃[b, i·S_h + u·𝒟_h, j·S_w + v·𝒟_w, :]，返回 (块内 b·M'·N', U·V·D) 矩阵。"""
    (Sh, Sw), (Dh, Dw) = S, Dl
    C = x_pad.shape[3]
    cols = _scratch(scratch, key, (c1 - c0, M_out, N_out, U, V, C), x_pad.dtype)   # (b, M', N', U, V, D)
    for u in range(U):
        for v in range(V):
            cols[:, :, :, u, v, :] = x_pad[c0:c1, u * Dh:u * Dh + Sh * (M_out - 1) + 1:Sh,
                                           v * Dw:v * Dw + Sw * (N_out - 1) + 1:Sw, :]
    return cols.reshape(-1, U * V * C)


def _correlate_nhwc(x_pad, Wm, b, U, V, S, Dl, M_out, N_out):
    """通道在后的互相关：x_pad (B, Mp, Np, C) 与 Wm (U·V·C, P) → (B, M', N', P)，分块 im2col + GEMM。"""
    B, C = x_pad.shape[0], x_pad.shape[3]
    P = Wm.shape[1]
    out = np.empty((B, M_out, N_out, P), dtype=np.result_type(x_pad, Wm))

    def work(c0, c1, scratch):
        cols = _im2col(x_pad, c0, c1, U, V, S, Dl, M_out, N_out, scratch)
        Y = out[c0:c1].reshape(-1, P)
        np.matmul(cols, Wm, out=Y)                                    # (b·M'·N', UVC) @ (UVC, P)
        if b is not None:
            Y += b                                                    # 趁数据还在缓存里加偏置

    _map_chunks(work, _chunks(B, M_out * N_out * U * V * C * x_pad.itemsize))
    return out


def conv2d_forward_fast(x, W, b=None, stride=1, padding=0, dilation=1):
    r"""与 ``nndl_ref.numpy.conv.conv2d_forward`` 相同的卷积，通道在后 + 分块 im2col + GEMM。

    Parameters
    ----------
    x : array (B, D, M, N)
    W : array (P, D, U, V)
    b : array (P,) or None
    stride, padding, dilation : int or (int, int)

    Returns
    -------
    Y : array (B, P, M', N')
        通道在后内存上的 NCHW 视图（``Y.transpose(0, 2, 3, 1)`` 是连续数组）。
    cache : tuple

    Examples
    --------
    >>> from nndl_ref.numpy.conv import conv2d_forward
    >>> rng = np.random.default_rng(0)
    >>> x, W = rng.standard_normal((2, 3, 6, 6)), rng.standard_normal((4, 3, 3, 3))
    >>> np.allclose(conv2d_forward_fast(x, W, stride=2, padding=1)[0], conv2d_forward(x, W, stride=2, padding=1)[0])
    True
    """
    x, W, b = _check_conv_inputs(x, W, b)
    S, Pd, Dl = _pair(stride, "stride", 1), _pair(padding, "padding", 0), _pair(dilation, "dilation", 1)
    B, D, M, N = x.shape
    P, _, U, V = W.shape
    M_out = conv_output_size(M, U, S[0], Pd[0], Dl[0])
    N_out = conv_output_size(N, V, S[1], Pd[1], Dl[1])
    dtype = np.result_type(x, W)
    x_pad = np.zeros((B, M + 2 * Pd[0], N + 2 * Pd[1], D), dtype=dtype)   # X̃，通道在后
    x_pad[:, Pd[0]:Pd[0] + M, Pd[1]:Pd[1] + N, :] = x.transpose(0, 2, 3, 1)
    Wm = np.ascontiguousarray(W.transpose(2, 3, 1, 0).reshape(U * V * D, P), dtype=dtype)   # (U·V·D, P)
    bias = None if b is None else b.astype(dtype, copy=False)
    Y = _correlate_nhwc(x_pad, Wm, bias, U, V, S, Dl, M_out, N_out)   # (B, M', N', P)
    return Y.transpose(0, 3, 1, 2), (x_pad, W, Wm, b is not None, (S, Pd, Dl, M, N))


def conv2d_backward_fast(dY, cache):
    r"""与 ``nndl_ref.numpy.conv.conv2d_backward`` 相同的梯度，返回 ``(dx, dW, db)``。

    按批分块，每块在缓存里完成全部工作：

    - $\partial\mathcal{L}/\partial W \mathrel{+}= \mathrm{cols}^\top \delta$（cols 重新生成，比从内存读回快）；
    - $\partial\mathcal{L}/\partial X$：把 $\delta$ 放进一块零数组 $G$（步长为 $S$ 时隔
      $S-1$ 个零放一个），与翻转后的卷积核做步长 1、膨胀率 $\mathcal{D}$ 的互相关——又是一次
      im2col + GEMM。只有输入通道远少于输出通道（$4D \le P$，如第一层 $D=1$）时，
      改用 $\delta W_{\mathrm{mat}}^\top$ 再按 $U V$ 个平移相加（col2im）：那时它搬的数据更少。
    """
    x_pad, W, Wm, has_b, (S, Pd, Dl, M, N) = cache
    B, C = x_pad.shape[0], x_pad.shape[3]
    P, _, U, V = W.shape
    dtype = x_pad.dtype
    M_out, N_out = conv_output_size(M, U, S[0], Pd[0], Dl[0]), conv_output_size(N, V, S[1], Pd[1], Dl[1])
    dY = as_float_array(dY, "dY", ndim=4)
    if dY.shape != (B, P, M_out, N_out):
        raise ValueError(f"dY 的形状应为 (B, P, M', N') = {(B, P, M_out, N_out)}，实际为 {dY.shape}")
    dYh = dY.transpose(0, 2, 3, 1)                                        # (B, M', N', P)，通道在后的视图
    db = dY.sum(axis=(0, 2, 3)).astype(dtype) if has_b else None         # ∂L/∂b_p = Σ δ
    dxh = np.empty((B, M, N, C), dtype=dtype)                             # ∂L/∂X，通道在后
    use_col2im = 4 * C <= P
    Kh, Kw = (U - 1) * Dl[0], (V - 1) * Dl[1]                             # K' − 1
    (oh0, oh1, th0), (ow0, ow1, tw0) = (_placement(M_out, S[0], Kh - Pd[0], M + Kh),
                                        _placement(N_out, S[1], Kw - Pd[1], N + Kw))
    Wf = np.ascontiguousarray(W[:, :, ::-1, ::-1].transpose(2, 3, 0, 1).reshape(U * V * P, C), dtype=dtype)

    def work(c0, c1, scratch):
        n = c1 - c0
        d = np.ascontiguousarray(dYh[c0:c1], dtype=dtype)                # δ 块：(b, M', N', P)
        cols = _im2col(x_pad, c0, c1, U, V, S, Dl, M_out, N_out, scratch)
        dW_part = cols.T @ d.reshape(-1, P)                               # (U·V·C, P)
        if use_col2im:
            dcols = (d.reshape(-1, P) @ Wm.T).reshape(n, M_out, N_out, U, V, C)
            t = _scratch(scratch, "dx_pad", (n,) + x_pad.shape[1:], dtype)
            t.fill(0)
            for u in range(U):
                for v in range(V):
                    t[:, u * Dl[0]:u * Dl[0] + S[0] * (M_out - 1) + 1:S[0],
                      v * Dl[1]:v * Dl[1] + S[1] * (N_out - 1) + 1:S[1], :] += dcols[:, :, :, u, v, :]
            dxh[c0:c1] = t[:, Pd[0]:Pd[0] + M, Pd[1]:Pd[1] + N, :]
        else:
            G = _scratch(scratch, "G", (n, M + Kh, N + Kw, P), dtype)
            G.fill(0)
            if oh1 > oh0 and ow1 > ow0:
                G[:, th0:th0 + S[0] * (oh1 - oh0 - 1) + 1:S[0], tw0:tw0 + S[1] * (ow1 - ow0 - 1) + 1:S[1], :] = \
                    d[:, oh0:oh1, ow0:ow1, :]
            gcols = _im2col(G, 0, n, U, V, (1, 1), Dl, M, N, scratch, key="gcols")   # (b·M·N, U·V·P)
            np.matmul(gcols, Wf, out=dxh[c0:c1].reshape(-1, C))          # 与 rot180(W) 互相关
        return dW_part

    per_item = U * V * max(M_out * N_out * C, 0 if use_col2im else M * N * P) * x_pad.itemsize
    dWm = sum(_map_chunks(work, _chunks(B, per_item)))
    dW = dWm.reshape(U, V, C, P).transpose(3, 2, 0, 1)                    # (P, D, U, V)
    return dxh.transpose(0, 3, 1, 2), dW, db


def _placement(n_out: int, S: int, offset: int, length: int) -> tuple[int, int, int]:
    """δ 的第 o 个元素放在 G 的 o·S + offset 处；返回落在 [0, length) 里的 o 的范围 [o0, o1) 与起点。"""
    o0 = max(0, (-offset + S - 1) // S)                       # 最小的 o，使 o·S + offset ≥ 0
    o1 = min(n_out, (length - 1 - offset) // S + 1) if length - 1 - offset >= 0 else 0
    return o0, max(o0, o1), o0 * S + offset
