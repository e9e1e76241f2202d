r"""汇聚层（PyTorch 版）：按公式用 ``unfold`` 取出每个窗口再取最大值 / 平均值，与
``nndl_ref.numpy.pooling`` 一一对应。书中第 5.2.3 节。

$$y_{b,d,i,j} = \max_{(m,n) \in R_{i,j}} x_{b,d,m,n}, \qquad y_{b,d,i,j} = \frac{1}{K^2}\sum_{(m,n) \in R_{i,j}} x_{b,d,m,n}$$

autograd 对 ``max`` 的梯度只流向被选中的元素，与手写的反向相同；测试把两者与 ``F.max_pool2d`` /
``F.avg_pool2d`` 对照。
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from .conv import _check, _pair


def _pool_cols(x, kernel_size, stride, padding, fill):
    x = _check(x, "x", 4)
    K = _pair(kernel_size, "kernel_size")
    S = K if stride is None else _pair(stride)
    Pd = _pair(padding, "padding", 0)
    if Pd[0] > K[0] // 2 or Pd[1] > K[1] // 2:
        raise ValueError(f"padding={padding!r} 不应超过窗口大小的一半 {K[0] // 2, K[1] // 2}（与 torch 相同）")
    B, D, M, N = x.shape
    if M + 2 * Pd[0] < K[0] or N + 2 * Pd[1] < K[1]:
        raise ValueError(f"输入 {M}×{N} 加补零后小于窗口 {K[0]}×{K[1]}，输出为空")
    xp = F.pad(x, (Pd[1], Pd[1], Pd[0], Pd[0]), value=fill)
    cols = F.unfold(xp.reshape(B * D, 1, *xp.shape[2:]), K, stride=S)         # (B·D, K·K, M'·N')
    M_out = (M + 2 * Pd[0] - K[0]) // S[0] + 1
    N_out = (N + 2 * Pd[1] - K[1]) // S[1] + 1
    return cols, (B, D, M_out, N_out)


def max_pool2d(x: torch.Tensor, kernel_size=2, stride=None, padding=0) -> torch.Tensor:
    """最大汇聚：每个窗口（unfold 出的一列）取最大值；补的是 -inf。"""
    cols, shape = _pool_cols(x, kernel_size, stride, padding, float("-inf"))
    return cols.max(dim=1).values.reshape(shape)


def avg_pool2d(x: torch.Tensor, kernel_size=2, stride=None, padding=0) -> torch.Tensor:
    """平均汇聚：每个窗口取平均（补出的 0 计入分母，即 ``count_include_pad=True``）。"""
    cols, shape = _pool_cols(x, kernel_size, stride, padding, 0.0)
    return cols.mean(dim=1).reshape(shape)
