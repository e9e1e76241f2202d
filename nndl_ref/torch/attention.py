r"""注意力机制（PyTorch 实现）：按书中公式写出，与 ``nndl_ref.numpy.attention`` 和 torch 内置函数对照。

对应书中第 8.2 节（注意力机制）、第 8.3 节（自注意力模型）；站点页面 ``docs/ch08-attention/index.md``。
掩码约定同 NumPy 版：布尔 ``mask`` 中 ``True`` 表示可见。
"""

from __future__ import annotations

import math

import torch
from torch import nn

from .._validate import as_float_tensor, check_positive, check_real


def scaled_dot_product_attention(Q, K, V, mask=None, scale: float | None = None):
    r"""$\operatorname{softmax}(\boldsymbol{Q}\boldsymbol{K}^\top/\sqrt{d_k})\boldsymbol{V}$，返回 ``(out, A)``。

    与 ``torch.nn.functional.scaled_dot_product_attention(Q, K, V, attn_mask=mask)`` 的输出相同，
    多返回注意力分布 ``A`` (…, N, M) 以便画图。书中第 8.2 节；站点页面 ``docs/ch08-attention/index.md``。
    """
    Q, K, V = (as_float_tensor(T, name) for T, name in ((Q, "Q"), (K, "K"), (V, "V")))
    if Q.ndim < 2 or K.ndim < 2 or V.ndim < 2:
        raise ValueError(f"Q、K、V 至少是二维 (..., 序列长度, 维数)；实际为 {tuple(Q.shape)}、{tuple(K.shape)}、{tuple(V.shape)}")
    if Q.shape[-1] != K.shape[-1] or K.shape[-2] != V.shape[-2]:
        raise ValueError(f"形状不匹配：应为 Q (..., N, d_k)、K (..., M, d_k)、V (..., M, d_v)；"
                         f"实际 Q {tuple(Q.shape)}，K {tuple(K.shape)}，V {tuple(V.shape)}")
    try:
        batch = torch.broadcast_shapes(Q.shape[:-2], K.shape[:-2], V.shape[:-2])
    except RuntimeError:
        raise ValueError(f"Q、K、V 的批量维 (...) 应相同或可广播；实际 Q {tuple(Q.shape)}，K {tuple(K.shape)}，"
                         f"V {tuple(V.shape)}") from None
    _check_mask(mask, tuple(batch) + (Q.shape[-2], K.shape[-2]))
    scale = 1.0 / math.sqrt(Q.shape[-1]) if scale is None else check_real(scale, "scale")
    S = Q @ K.transpose(-1, -2) * scale                       # (..., N, M)
    if mask is not None:
        S = S.masked_fill(~mask, float("-inf"))
    A = torch.softmax(S, dim=-1)                              # (..., N, M)
    return A @ V, A


def _check_mask(mask, shape) -> None:
    """掩码：布尔张量、可广播到分数的形状 (..., N, M)、每个查询至少能看一个键（否则 softmax 得 NaN）。"""
    if mask is None:
        return
    if not isinstance(mask, torch.Tensor) or mask.dtype != torch.bool:
        raise TypeError(f"mask 应为布尔张量（True 表示可见），实际得到 {type(mask).__name__} {getattr(mask, 'dtype', '')}")
    try:
        full = torch.broadcast_shapes(mask.shape, tuple(shape))
    except RuntimeError:
        full = None
    if full != tuple(shape):
        raise ValueError(f"mask 的形状 {tuple(mask.shape)} 应可广播到分数的形状 (..., N, M) = {tuple(shape)}")
    if not bool(mask.broadcast_to(full).any(dim=-1).all()):
        raise ValueError("mask 有一整行都是 False：这个查询没有任何可看的键，softmax 无定义")


def causal_mask(N: int, device=None) -> torch.Tensor:
    """(N, N) 下三角布尔掩码，``True`` 为可见。书中第 8.3 节；站点页面 ``docs/ch08-attention/index.md``。"""
    check_positive(N, "N", integer=True)
    return torch.ones(N, N, dtype=torch.bool, device=device).tril()


class MultiHeadAttention(nn.Module):
    r"""多头注意力，参数名与 ``nndl_ref.numpy.attention.MultiHeadAttention`` 相同（``W_q`` … ``b_o``）。

    ``forward(Xq, Xkv=None, mask=None)``，``Xq`` 为 (B, N, D)；最近一次的注意力分布存在 ``self.attention``
    (B, h, N, M)。书中第 8.2.1 节；站点页面 ``docs/ch08-attention/index.md``。
    """

    def __init__(self, embed_dim: int, num_heads: int):
        super().__init__()
        check_positive(embed_dim, "embed_dim", integer=True), check_positive(num_heads, "num_heads", integer=True)
        if embed_dim % num_heads:
            raise ValueError(f"embed_dim={embed_dim} 应能被 num_heads={num_heads} 整除")
        D, self.h = embed_dim, num_heads
        a = math.sqrt(6.0 / (4 * D))
        for n in ("q", "k", "v"):
            setattr(self, "W_" + n, nn.Parameter(torch.empty(D, D).uniform_(-a, a)))
            setattr(self, "b_" + n, nn.Parameter(torch.zeros(D)))
        self.W_o = nn.Parameter(torch.empty(D, D).uniform_(-1 / math.sqrt(D), 1 / math.sqrt(D)))
        self.b_o = nn.Parameter(torch.zeros(D))
        self.attention = None

    def forward(self, Xq, Xkv=None, mask=None):
        D = self.W_q.shape[0]
        Xq = as_float_tensor(Xq, "Xq", ndim=3)
        if Xq.shape[2] != D:
            raise ValueError(f"Xq 的形状应为 (B, N, D) 且 D={D}（embed_dim），实际为 {tuple(Xq.shape)}")
        Xkv = Xq if Xkv is None else as_float_tensor(Xkv, "Xkv", ndim=3)
        if Xkv.shape[0] != Xq.shape[0] or Xkv.shape[2] != D:
            raise ValueError(f"Xkv 的形状应为 (B, M, D) 且 B={Xq.shape[0]}、D={D}，实际为 {tuple(Xkv.shape)}")
        B, N, _ = Xq.shape
        M = Xkv.shape[1]
        if mask is not None and isinstance(mask, torch.Tensor) and mask.dim() not in (2, 3):
            raise ValueError(f"mask 应为 (N, M) 或 (B, N, M)，实际形状为 {tuple(mask.shape)}")
        _check_mask(mask, (B, N, M))
        Q = (Xq @ self.W_q.T + self.b_q).view(B, N, self.h, -1).transpose(1, 2)    # (B, h, N, d)
        K = (Xkv @ self.W_k.T + self.b_k).view(B, M, self.h, -1).transpose(1, 2)   # (B, h, M, d)
        V = (Xkv @ self.W_v.T + self.b_v).view(B, M, self.h, -1).transpose(1, 2)   # (B, h, M, d)
        if mask is not None and mask.dim() == 3:
            mask = mask[:, None]                                                   # (B, 1, N, M)
        O, A = scaled_dot_product_attention(Q, K, V, mask)
        self.attention = A.detach()
        H = O.transpose(1, 2).reshape(B, N, D)                                     # (B, N, D)：拼接各头
        return H @ self.W_o.T + self.b_o
