r"""注意力机制（PyTorch 实现）：按书中公式写出，与 ``nndl_ref.numpy.attention`` 和 torch 内置函数对照。

对应书中第 8.2 节（注意力机制）、第 8.3 节（自注意力模型）；站点页面 ``docs/ch08-attention/index.md``。
掩码约定同 NumPy 版：布尔 ``mask`` 中 ``True`` 表示可见。
"""

from __future__ import annotations

import math

import torch
from torch import nn


def scaled_dot_product_attention(Q, K, V, mask=None, scale: float | None = None):
    r"""$\operatorname{softmax}(\boldsymbol{Q}\boldsymbol{K}^\top/\sqrt{d_k})\boldsymbol{V}$，返回 ``(out, A)``。

    与 ``torch.nn.functional.scaled_dot_product_attention(Q, K, V, attn_mask=mask)`` 的输出相同，
    多返回注意力分布 ``A`` (…, N, M) 以便画图。书中第 8.2 节；站点页面 ``docs/ch08-attention/index.md``。
    """
    if Q.shape[-1] != K.shape[-1] or K.shape[-2] != V.shape[-2]:
        raise ValueError(f"形状不匹配：Q {tuple(Q.shape)}，K {tuple(K.shape)}，V {tuple(V.shape)}")
    scale = 1.0 / math.sqrt(Q.shape[-1]) if scale is None else scale
    S = Q @ K.transpose(-1, -2) * scale                       # (..., N, M)
    if mask is not None:
        S = S.masked_fill(~mask, float("-inf"))
    A = torch.softmax(S, dim=-1)                              # (..., N, M)
    return A @ V, A


def causal_mask(N: int, device=None) -> torch.Tensor:
    """(N, N) 下三角布尔掩码，``True`` 为可见。书中第 8.3 节；站点页面 ``docs/ch08-attention/index.md``。"""
    return torch.ones(N, N, dtype=torch.bool, device=device).tril()


class MultiHeadAttention(nn.Module):
    r"""多头注意力，参数名与 ``nndl_ref.numpy.attention.MultiHeadAttention`` 相同（``W_q`` … ``b_o``）。

    ``forward(Xq, Xkv=None, mask=None)``，``Xq`` 为 (B, N, D)；最近一次的注意力分布存在 ``self.attention``
    (B, h, N, M)。书中第 8.2.1 节；站点页面 ``docs/ch08-attention/index.md``。
    """

    def __init__(self, embed_dim: int, num_heads: int):
        super().__init__()
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
        Xkv = Xq if Xkv is None else Xkv
        B, N, D = Xq.shape
        M = Xkv.shape[1]
        Q = (Xq @ self.W_q.T + self.b_q).view(B, N, self.h, -1).transpose(1, 2)    # (B, h, N, d)
        K = (Xkv @ self.W_k.T + self.b_k).view(B, M, self.h, -1).transpose(1, 2)   # (B, h, M, d)
        V = (Xkv @ self.W_v.T + self.b_v).view(B, M, self.h, -1).transpose(1, 2)   # (B, h, M, d)
        if mask is not None and mask.dim() == 3:
            mask = mask[:, None]                                                   # (B, 1, N, M)
        O, A = scaled_dot_product_attention(Q, K, V, mask)
        self.attention = A.detach()
        H = O.transpose(1, 2).reshape(B, N, D)                                     # (B, N, D)：拼接各头
        return H @ self.W_o.T + self.b_o
