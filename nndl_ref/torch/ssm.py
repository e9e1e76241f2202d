r"""注意力之外（PyTorch 实现，书外补充）：选择性状态空间层（Mamba 的核心）与 mLSTM 层（xLSTM）。

与 ``nndl_ref.numpy.ssm`` 的函数一一对应，可以直接替换 ``TinyTransformer`` 里的自注意力子层，
在同一个倒序任务上比较。这里只求读得懂：选择性扫描是 Python 的逐步循环（真正的 Mamba 用融合的并行扫描内核），
mLSTM 用并行形式。站点页面 ``docs/ch08-attention/index.md``。
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

from .._validate import as_float_tensor, check_positive


def selective_scan(x, delta, A, B, C):
    r"""批量的选择性扫描（循环形式）：$\boldsymbol{h}_t = e^{\Delta_t\boldsymbol{A}}\odot\boldsymbol{h}_{t-1} + \Delta_t x_t\boldsymbol{B}_t$，
    $y_t = \boldsymbol{h}_t\boldsymbol{C}_t$。``x, delta`` (Bt, T, D)，``A`` (D, N)，``B, C`` (Bt, T, N)；返回 (Bt, T, D)。
    与 ``nndl_ref.numpy.ssm.selective_scan`` 相同。书外补充；站点页面 ``docs/ch08-attention/index.md``。"""
    x, delta = as_float_tensor(x, "x", ndim=3), as_float_tensor(delta, "delta", ndim=3)
    A, B, C = as_float_tensor(A, "A", ndim=2), as_float_tensor(B, "B", ndim=3), as_float_tensor(C, "C", ndim=3)
    Bt, T, D = x.shape
    N = A.shape[1]
    if delta.shape != x.shape or A.shape[0] != D or B.shape != (Bt, T, N) or C.shape != (Bt, T, N):
        raise ValueError(f"形状应为 x, delta (Bt, T, D)；A (D, N)；B, C (Bt, T, N)。实际 x {tuple(x.shape)}，"
                         f"delta {tuple(delta.shape)}，A {tuple(A.shape)}，B {tuple(B.shape)}，C {tuple(C.shape)}")
    if bool((delta < 0).any()):
        raise ValueError("delta（步长 Δ）应非负；通常取 softplus(·)")
    h = x.new_zeros(Bt, D, A.shape[1])                          # (Bt, D, N)
    dA = torch.exp(delta[..., None] * A)                        # (Bt, T, D, N)：先一次算好衰减
    dBx = (delta * x)[..., None] * B[:, :, None, :]             # (Bt, T, D, N)：写入项
    ys = []
    for t in range(T):
        h = dA[:, t] * h + dBx[:, t]
        ys.append(h @ C[:, t, :, None])                         # (Bt, D, 1)
    return torch.cat(ys, dim=-1).transpose(1, 2)                # (Bt, T, D)


def mlstm_parallel(q, k, v, i_pre, f_pre):
    r"""批量的 mLSTM 并行形式：``q, k, v`` (…, T, d)，``i_pre, f_pre`` (…, T)；返回 (…, T, d)。
    与 ``nndl_ref.numpy.ssm.mlstm_parallel`` 相同。书外补充；站点页面 ``docs/ch08-attention/index.md``。"""
    q, k, v = (as_float_tensor(t, n) for t, n in ((q, "q"), (k, "k"), (v, "v")))
    i_pre, f_pre = as_float_tensor(i_pre, "i_pre"), as_float_tensor(f_pre, "f_pre")
    if q.ndim < 2 or k.shape != q.shape or v.shape[:-1] != q.shape[:-1] or i_pre.shape != q.shape[:-1] \
            or f_pre.shape != q.shape[:-1]:
        raise ValueError(f"形状应为 q, k (…, T, d)；v (…, T, d_v)；i_pre, f_pre (…, T)。实际 q {tuple(q.shape)}，"
                         f"k {tuple(k.shape)}，v {tuple(v.shape)}，i_pre {tuple(i_pre.shape)}，f_pre {tuple(f_pre.shape)}")
    T, d = q.shape[-2:]
    k = k / math.sqrt(d)
    Fc = torch.cumsum(F.logsigmoid(f_pre), dim=-1)              # (…, T)
    keep = torch.ones(T, T, dtype=torch.bool, device=q.device).tril()
    logD = (Fc[..., :, None] - Fc[..., None, :] + i_pre[..., None, :]).masked_fill(~keep, float("-inf"))
    m = logD.amax(dim=-1, keepdim=True)                         # (…, T, 1)
    Ct = (q @ k.transpose(-1, -2)) * torch.exp(logD - m)        # (…, T, T)
    norm = torch.maximum(Ct.sum(-1, keepdim=True).abs(), torch.exp(-m))
    return (Ct / norm) @ v


def _check_X(X, D: int) -> None:
    X = as_float_tensor(X, "X", ndim=3)
    if X.shape[2] != D:
        raise ValueError(f"X 的形状应为 (B, T, D) 且 D={D}，实际为 {tuple(X.shape)}")


class SelectiveSSM(nn.Module):
    r"""简化的 Mamba 层：输入投影出 $x$ 与门 $z$，由 $x$ 算出 $\Delta_t$、$\boldsymbol{B}_t$、$\boldsymbol{C}_t$，
    选择性扫描后乘上 $\operatorname{SiLU}(z)$，再投影回 $D$ 维（省略了原论文的短卷积）。
    $\boldsymbol{A}$ 按 S4D-real 初始化为 $-(1,2,\dots,N)$，$\Delta$ 的偏置让初始步长落在 $[10^{-3},10^{-1}]$（与原论文相同）。书外补充；站点页面 ``docs/ch08-attention/index.md``。"""

    def __init__(self, D: int, N: int = 16, expand: int = 2):
        super().__init__()
        for v, name in ((D, "D"), (N, "N"), (expand, "expand")):
            check_positive(v, name, integer=True)
        E = expand * D
        self.in_proj = nn.Linear(D, 2 * E)
        self.x_proj = nn.Linear(E, 2 * N, bias=False)           # → B_t, C_t
        self.dt_proj = nn.Linear(E, E)                          # → Δ_t（逐通道）
        with torch.no_grad():                                   # 同 Mamba：初始 Δ 在 [0.001, 0.1] 内对数均匀，
            dt = torch.exp(torch.empty(E).uniform_(math.log(1e-3), math.log(1e-1)))   # 记忆能保持几十上百步
            self.dt_proj.bias.copy_(dt + torch.log(-torch.expm1(-dt)))               # softplus 的反函数
            self.dt_proj.weight.mul_(0.1)
        self.A_log = nn.Parameter(torch.log(torch.arange(1, N + 1, dtype=torch.float32)).repeat(E, 1))
        self.D = nn.Parameter(torch.ones(E))
        self.out_proj = nn.Linear(E, D)
        self.N = N

    def forward(self, X):
        _check_X(X, self.in_proj.in_features)
        x, z = self.in_proj(X).chunk(2, dim=-1)                 # (B, T, E) 各一份
        x = F.silu(x)
        Bm, Cm = self.x_proj(x).split(self.N, dim=-1)           # (B, T, N)
        delta = F.softplus(self.dt_proj(x))                     # (B, T, E)，Δ ≥ 0
        y = selective_scan(x, delta, -torch.exp(self.A_log), Bm, Cm) + self.D * x
        return self.out_proj(y * F.silu(z))


class MLSTMLayer(nn.Module):
    r"""多头 mLSTM 层：投影出 $\boldsymbol{q},\boldsymbol{k},\boldsymbol{v}$ 与每个头的门 $\tilde{i}_t,\tilde{f}_t$，
    用并行形式算出 $\tilde{\boldsymbol{h}}_t$，乘上输出门 $\boldsymbol{o}_t=\sigma(\cdot)$ 后投影。
    书外补充（xLSTM）；站点页面 ``docs/ch08-attention/index.md``。"""

    def __init__(self, D: int, num_heads: int = 4):
        super().__init__()
        check_positive(D, "D", integer=True), check_positive(num_heads, "num_heads", integer=True)
        if D % num_heads:
            raise ValueError(f"D={D} 应能被 num_heads={num_heads} 整除")
        self.h = num_heads
        self.qkv = nn.Linear(D, 3 * D)
        self.gates = nn.Linear(D, 2 * num_heads)
        with torch.no_grad():
            self.gates.bias[num_heads:] = torch.linspace(3.0, 6.0, num_heads)   # 遗忘门初始接近 1
        self.o = nn.Linear(D, D)
        self.out = nn.Linear(D, D)
        self.norm = nn.LayerNorm(D // num_heads)

    def forward(self, X):
        _check_X(X, self.qkv.in_features)
        B, T, D = X.shape
        q, k, v = (t.view(B, T, self.h, -1).transpose(1, 2) for t in self.qkv(X).chunk(3, -1))   # (B, h, T, d)
        i_pre, f_pre = self.gates(X).transpose(1, 2).chunk(2, dim=1)   # (B, h, T) 各一份
        Ht = self.norm(mlstm_parallel(q, k, v, i_pre, f_pre))          # (B, h, T, d)
        Ht = Ht.transpose(1, 2).reshape(B, T, D)
        return self.out(torch.sigmoid(self.o(X)) * Ht)
