r"""注意力机制（NumPy 从零实现）：打分函数、掩码、软性键值查找与多头注意力，前向与反向手写。

对应书中第 8.2 节（注意力机制：打分函数、键值对注意力、多头注意力）与第 8.3 节（自注意力模型）；
站点页面 ``docs/ch08-attention/index.md``。

注意力就是一次"软"的键值查找：查询 $\boldsymbol{q}$ 与每个键 $\boldsymbol{k}_m$ 打分，
softmax 把分数变成注意力分布 $\alpha_m$，输出是值的加权平均：

$$\alpha_m = \frac{\exp\big(s(\boldsymbol{k}_m, \boldsymbol{q})\big)}{\sum_{j=1}^{M}\exp\big(s(\boldsymbol{k}_j, \boldsymbol{q})\big)},
  \qquad \operatorname{att}\big((\boldsymbol{K},\boldsymbol{V}), \boldsymbol{q}\big) = \sum_{m=1}^{M}\alpha_m \boldsymbol{v}_m$$

批量形式（一行一个查询 / 键 / 值）：``Q`` 为 (…, N, d_k)，``K`` 为 (…, M, d_k)，``V`` 为 (…, M, d_v)，

$$\operatorname{Attention}(\boldsymbol{Q},\boldsymbol{K},\boldsymbol{V}) =
  \operatorname{softmax}\Big(\frac{\boldsymbol{Q}\boldsymbol{K}^\top}{\sqrt{d_k}}\Big)\boldsymbol{V}$$

掩码约定与 ``torch.nn.functional.scaled_dot_product_attention`` 的布尔掩码相同：``mask[n, m] = True``
表示第 $n$ 个查询**可以**看第 $m$ 个键。注意 ``torch.nn.MultiheadAttention`` 的布尔 ``attn_mask`` 恰好相反
（``True`` 表示**屏蔽**），见 ``MultiHeadAttention`` 的文档。
"""

from __future__ import annotations

import numpy as np

from .._validate import as_float_array, check_positive, check_real, check_rng
from .layers import Layer


# ======================================================================== 掩码
def causal_mask(N: int, M: int | None = None) -> np.ndarray:
    r"""因果（下三角）掩码：第 $n$ 个位置只能看 $m \le n$ 的位置。返回 (N, M) 布尔数组，``True`` 为可见。

    书中第 8.3 节（自注意力）；站点页面 ``docs/ch08-attention/index.md``（掩码一节）。

    Examples
    --------
    >>> causal_mask(3).astype(int)
    array([[1, 0, 0],
           [1, 1, 0],
           [1, 1, 1]])
    """
    check_positive(N, "N", integer=True)
    M = N if M is None else M
    check_positive(M, "M", integer=True)
    return np.tril(np.ones((N, M), dtype=bool))


def padding_mask(lengths, M: int, N: int = 1) -> np.ndarray:
    r"""填充掩码：第 $b$ 条序列只有前 ``lengths[b]`` 个键是真的，其余是填充。返回 (B, N, M) 布尔数组。

    书中第 8.2 节；站点页面 ``docs/ch08-attention/index.md``（掩码一节）。

    Examples
    --------
    >>> padding_mask([2, 3], M=4)[:, 0].astype(int)
    array([[1, 1, 0, 0],
           [1, 1, 1, 0]])
    """
    lengths = np.asarray(lengths)
    if lengths.ndim != 1 or not np.issubdtype(lengths.dtype, np.integer):
        raise TypeError(f"lengths 应为一维整数数组，实际为 {lengths.dtype} {lengths.shape}")
    check_positive(M, "M", integer=True)
    check_positive(N, "N", integer=True)
    if np.any(lengths < 1) or np.any(lengths > M):
        raise ValueError(f"lengths 的每一项应在 [1, M={M}] 内，实际为 {lengths.tolist()}")
    keep = np.arange(M)[None, :] < lengths[:, None]           # (B, M)
    return np.broadcast_to(keep[:, None, :], (len(lengths), N, M)).copy()   # (B, N, M)


# ======================================================================== 带掩码的 softmax
def masked_softmax_forward(S, mask=None):
    r"""沿最后一维的 softmax，被屏蔽（``mask == False``）的位置概率为 0：

    $$\alpha_{nm} = \frac{\mathbb{I}(\text{mask}_{nm})\exp(s_{nm} - \max_j s_{nj})}{\sum_j \mathbb{I}(\text{mask}_{nj})\exp(s_{nj} - \max_j s_{nj})}$$

    书中第 8.2 节；站点页面 ``docs/ch08-attention/index.md``。一整行都被屏蔽时抛出 ``ValueError``
    （torch 在这种情况下给出 NaN）。

    Returns
    -------
    A : 与 ``S`` 同形状；cache : ``A``。
    """
    S = as_float_array(S, "S")
    if mask is not None:
        mask = np.asarray(mask)
        if mask.dtype != np.bool_:
            raise TypeError(f"mask 应为布尔数组（True 表示可见），实际 dtype 为 {mask.dtype}")
        try:
            mask = np.broadcast_to(mask, S.shape)
        except ValueError:
            raise ValueError(f"mask 的形状 {mask.shape} 无法广播到分数的形状 {S.shape}") from None
        if not np.all(mask.any(axis=-1)):
            raise ValueError("mask 有一整行都是 False：这个查询没有任何可看的键，softmax 无定义")
        S = np.where(mask, S, -np.inf)
    S = S - S.max(axis=-1, keepdims=True)                     # 减去最大值：exp 不会上溢
    E = np.exp(S)                                             # 被屏蔽处 exp(-inf) = 0
    A = E / E.sum(axis=-1, keepdims=True)
    return A, A


def masked_softmax_backward(dA, cache):
    r"""softmax 的反向：$\partial\mathcal{L}/\partial s_{nm} = \alpha_{nm}\big(g_{nm} - \sum_j \alpha_{nj} g_{nj}\big)$，
    其中 $g = \partial\mathcal{L}/\partial\alpha$。被屏蔽处 $\alpha=0$，梯度自然为 0。书中第 8.2 节。"""
    A = cache
    dA = as_float_array(dA, "dA")
    if dA.shape != A.shape:
        raise ValueError(f"dA 的形状应为 {A.shape}，实际为 {dA.shape}")
    return A * (dA - np.sum(dA * A, axis=-1, keepdims=True))


# ======================================================================== 缩放点积注意力
def attention_forward(Q, K, V, mask=None, scale: float | None = None):
    r"""缩放点积注意力 $\operatorname{softmax}(\boldsymbol{Q}\boldsymbol{K}^\top/\sqrt{d_k})\boldsymbol{V}$。

    书中第 8.2 节（键值对注意力，点积模型）；站点页面 ``docs/ch08-attention/index.md``。

    Parameters
    ----------
    Q : array (..., N, d_k)
        $N$ 个查询。
    K : array (..., M, d_k)
        $M$ 个键。
    V : array (..., M, d_v)
        $M$ 个值，与键一一对应。
    mask : bool array, 可广播到 (..., N, M), optional
        ``True`` 表示可见（与 ``torch.nn.functional.scaled_dot_product_attention`` 相同）。
    scale : float, optional
        分数的缩放因子，默认 $1/\sqrt{d_k}$；取很大的值时注意力趋向硬性查找。

    Returns
    -------
    out : array (..., N, d_v)
    cache : tuple
        反向需要的 ``(Q, K, V, A, scale)``；注意力分布 ``A`` 是 ``cache[3]``，形状 (..., N, M)。

    Examples
    --------
    >>> Q = np.array([[1.0, 0.0]]); K = np.array([[1.0, 0.0], [0.0, 1.0]]); V = np.array([[10.0], [20.0]])
    >>> out, cache = attention_forward(Q, K, V, scale=1.0)
    >>> np.round(cache[3], 4), np.round(out, 4)
    (array([[0.7311, 0.2689]]), array([[12.6894]]))
    """
    Q = as_float_array(Q, "Q")
    K = as_float_array(K, "K")
    V = as_float_array(V, "V")
    if Q.ndim < 2 or K.ndim < 2 or V.ndim < 2:
        raise ValueError(f"Q、K、V 至少是二维 (..., 序列长度, 维数)；实际为 {Q.shape}、{K.shape}、{V.shape}")
    if Q.shape[-1] != K.shape[-1]:
        raise ValueError(f"Q 与 K 的最后一维 d_k 应相同；实际 Q {Q.shape}，K {K.shape}")
    if K.shape[-2] != V.shape[-2]:
        raise ValueError(f"K 与 V 的键个数 M 应相同；实际 K {K.shape}，V {V.shape}")
    try:
        np.broadcast_shapes(Q.shape[:-2], K.shape[:-2], V.shape[:-2])
    except ValueError:
        raise ValueError(f"Q、K、V 的批量维 (...) 应相同或可广播；实际 Q {Q.shape}，K {K.shape}，V {V.shape}") from None
    d_k = Q.shape[-1]
    scale = 1.0 / float(np.sqrt(d_k)) if scale is None else float(check_real(scale, "scale"))    # Python float：不把 float32 升成 float64
    # S = Q K^T · scale                                         (..., N, M)
    S = (Q @ np.swapaxes(K, -1, -2)) * scale
    # α = softmax(S)，被屏蔽处为 0                               (..., N, M)
    A, _ = masked_softmax_forward(S, mask)
    # out = α V                                                 (..., N, d_v)
    out = A @ V
    return out, (Q, K, V, A, scale)


def attention_backward(dout, cache):
    r"""缩放点积注意力的反向，返回 ``(dQ, dK, dV)``：

    $$\frac{\partial\mathcal{L}}{\partial\boldsymbol{V}} = \boldsymbol{A}^\top\boldsymbol{G},\quad
      \frac{\partial\mathcal{L}}{\partial\boldsymbol{A}} = \boldsymbol{G}\boldsymbol{V}^\top,\quad
      \frac{\partial\mathcal{L}}{\partial\boldsymbol{Q}} = c\,\frac{\partial\mathcal{L}}{\partial\boldsymbol{S}}\boldsymbol{K},\quad
      \frac{\partial\mathcal{L}}{\partial\boldsymbol{K}} = c\,\Big(\frac{\partial\mathcal{L}}{\partial\boldsymbol{S}}\Big)^\top\boldsymbol{Q}$$

    其中 $\boldsymbol{G}$ 是上游梯度，$c$ 是缩放因子，$\partial\mathcal{L}/\partial\boldsymbol{S}$ 由
    ``masked_softmax_backward`` 给出。书中第 8.2 节；站点页面 ``docs/ch08-attention/index.md``。
    """
    Q, K, V, A, scale = cache
    dout = as_float_array(dout, "dout")
    if dout.shape != A.shape[:-1] + (V.shape[-1],):
        raise ValueError(f"dout 的形状应为 {A.shape[:-1] + (V.shape[-1],)}，实际为 {dout.shape}")
    AT = np.swapaxes(A, -1, -2)                                  # (..., M, N)
    dV = AT @ dout                                               # (..., M, d_v)
    dA = dout @ np.swapaxes(V, -1, -2)                           # (..., N, M)
    dS = masked_softmax_backward(dA, A) * scale                  # 连同缩放因子
    dQ = dS @ K                                                  # (..., N, d_k)
    dK = np.swapaxes(dS, -1, -2) @ Q                             # (..., M, d_k)
    # 广播过的批量维（例如 K 只有一份、Q 有多份）要求和回原来的形状
    return _unbroadcast(dQ, Q.shape), _unbroadcast(dK, K.shape), _unbroadcast(dV, V.shape)


def _unbroadcast(g, shape):
    while g.ndim > len(shape):
        g = g.sum(axis=0)
    for i, s in enumerate(shape):
        if s == 1 and g.shape[i] != 1:
            g = g.sum(axis=i, keepdims=True)
    return g


# ======================================================================== 软查找与硬查找
def soft_lookup(q, K, V, beta: float = 1.0):
    r"""一个查询的软性键值查找：$\sum_m \operatorname{softmax}(\beta\,\boldsymbol{K}\boldsymbol{q})_m\,\boldsymbol{v}_m$。

    $\beta\to\infty$ 时 softmax 变成 one-hot，结果趋于 ``hard_lookup``（分数最高的那个键对应的值）。
    书中第 8.2.1 节（软性注意力与硬性注意力）；站点页面 ``docs/ch08-attention/index.md``。

    Examples
    --------
    >>> K = np.eye(3); V = np.array([[1.0], [2.0], [3.0]]); q = np.array([0.0, 1.0, 0.5])
    >>> soft_lookup(q, K, V, beta=100.0).round(6), hard_lookup(q, K, V)
    (array([2.]), array([2.]))
    """
    q = as_float_array(q, "q", ndim=1)
    check_real(beta, "beta")
    out, _ = attention_forward(q[None, :], K, V, scale=beta)
    return out[0]


def hard_lookup(q, K, V):
    r"""硬性查找：只取分数 $\boldsymbol{k}_m^\top\boldsymbol{q}$ 最高的键对应的值 $\boldsymbol{v}_{\hat m}$。

    这就是数据库按键取值的"模糊版"：键不必完全相等，取最像的那一个。书中第 8.2.1 节（硬性注意力）；
    站点页面 ``docs/ch08-attention/index.md``。
    """
    q = as_float_array(q, "q", ndim=1)
    K = as_float_array(K, "K", ndim=2)
    V = as_float_array(V, "V", ndim=2)
    if K.shape[1] != q.shape[0] or K.shape[0] != V.shape[0]:
        raise ValueError(f"形状不匹配：q {q.shape}，K 应为 (M, {q.shape[0]})、V 应为 (M, d_v)；实际 K {K.shape}，V {V.shape}")
    return V[int(np.argmax(K @ q))].copy()


# ======================================================================== 加性打分
def additive_scores_forward(Q, K, W, U, v):
    r"""加性模型（Bahdanau 注意力）的打分 $s(\boldsymbol{k}_m, \boldsymbol{q}_n) = \boldsymbol{v}^\top\tanh(\boldsymbol{W}\boldsymbol{k}_m + \boldsymbol{U}\boldsymbol{q}_n)$。

    书中第 8.2 节（加性模型）；站点页面 ``docs/ch08-attention/index.md``。

    Parameters
    ----------
    Q : array (N, d_q)；K : array (M, d_k)
    W : array (d_a, d_k)；U : array (d_a, d_q)；v : array (d_a,)

    Returns
    -------
    S : array (N, M)；cache : 反向需要的量。
    """
    Q = as_float_array(Q, "Q", ndim=2)
    K = as_float_array(K, "K", ndim=2)
    W = as_float_array(W, "W", ndim=2)
    U = as_float_array(U, "U", ndim=2)
    v = as_float_array(v, "v", ndim=1)
    d_a = v.shape[0]
    if W.shape != (d_a, K.shape[1]) or U.shape != (d_a, Q.shape[1]):
        raise ValueError(f"W 应为 (d_a, d_k) = {(d_a, K.shape[1])}、U 应为 (d_a, d_q) = {(d_a, Q.shape[1])}；"
                         f"实际 W {W.shape}，U {U.shape}")
    Hk = K @ W.T                                              # (M, d_a)：W k_m
    Hq = Q @ U.T                                              # (N, d_a)：U q_n
    # T_nm = tanh(W k_m + U q_n)                                (N, M, d_a)
    T = np.tanh(Hq[:, None, :] + Hk[None, :, :])
    # s_nm = v^T T_nm                                          (N, M)
    S = T @ v
    return S, (Q, K, W, U, v, T)


def additive_scores_backward(dS, cache):
    r"""加性打分的反向，返回 ``(dQ, dK, dW, dU, dv)``；$\tanh' = 1 - \tanh^2$。书中第 8.2 节。"""
    Q, K, W, U, v, T = cache
    dS = as_float_array(dS, "dS", ndim=2)
    if dS.shape != T.shape[:2]:
        raise ValueError(f"dS 的形状应为 (N, M) = {T.shape[:2]}，实际为 {dS.shape}")
    dv = np.einsum("nm,nma->a", dS, T)                        # (d_a,)
    dZ = dS[:, :, None] * v * (1.0 - T ** 2)                   # (N, M, d_a)
    dHq = dZ.sum(axis=1)                                       # (N, d_a)
    dHk = dZ.sum(axis=0)                                       # (M, d_a)
    return dHq @ U, dHk @ W, dHk.T @ K, dHq.T @ Q, dv


# ======================================================================== 多头注意力
def _split_heads(X, h):
    B, T, D = X.shape
    return X.reshape(B, T, h, D // h).transpose(0, 2, 1, 3)    # (B, h, T, d)


def _merge_heads(X):
    B, h, T, d = X.shape
    return X.transpose(0, 2, 1, 3).reshape(B, T, h * d)        # (B, T, D)


def _head_mask(mask, B, N, M):
    """检查多头注意力的掩码（布尔、(N, M) 或 (B, N, M)、每行至少一个可见），返回所有头共用的 (B 或 1, 1, N, M)。"""
    if mask is None:
        return None
    mask = np.asarray(mask)
    if mask.dtype != np.bool_:
        raise TypeError(f"mask 应为布尔数组（True 表示可见），实际 dtype 为 {mask.dtype}")
    shape = mask.shape
    if mask.ndim == 2:
        mask = mask[None]                                      # (1, N, M)
    try:
        ok = mask.ndim == 3 and np.broadcast_shapes(mask.shape, (B, N, M)) == (B, N, M)
    except ValueError:
        ok = False
    if not ok:
        raise ValueError(f"mask 的形状应为 (N, M) = {(N, M)} 或 (B, N, M) = {(B, N, M)}（或可广播到它），实际为 {shape}")
    if not np.all(np.broadcast_to(mask, (B, N, M)).any(axis=-1)):
        raise ValueError("mask 有一整行都是 False：这个查询没有任何可看的键，softmax 无定义")
    return mask[:, None, :, :]                                 # (B 或 1, 1, N, M)：所有头共用


_MHA_KEYS = ("W_q", "W_k", "W_v", "W_o", "b_q", "b_k", "b_v", "b_o")


def _check_mha_params(params) -> dict:
    """``W_*`` 都是 (D, D)、``b_*`` 都是 (D,) 的有限实数数组；D 取自 ``W_q``。"""
    if not isinstance(params, dict) or set(_MHA_KEYS) - set(params):
        have = sorted(params) if isinstance(params, dict) else type(params).__name__
        raise ValueError(f"params 应为含有 {list(_MHA_KEYS)} 的字典，实际为 {have}")
    p = {k: as_float_array(params[k], k) for k in _MHA_KEYS}
    D = p["W_q"].shape[0] if p["W_q"].ndim == 2 else -1
    for k in _MHA_KEYS:
        want = (D, D) if k.startswith("W") else (D,)
        if D < 1 or p[k].shape != want:
            raise ValueError(f"{k} 的形状应为 {'(D, D)' if k.startswith('W') else '(D,)'}，D 为 W_q 的行数 "
                             f"{D}；实际 W_q {p['W_q'].shape}，{k} {p[k].shape}")
    return {k: p[k] for k in params if k in p}                # 保持调用者的键顺序；浮点数组不拷贝


def mha_forward(Xq, Xkv, params, num_heads: int, mask=None):
    r"""多头注意力：$h$ 个头各自在 $d = D/h$ 维的子空间里做缩放点积注意力，拼起来再投影。

    $$\operatorname{head}_i = \operatorname{Attention}(\boldsymbol{X}_q\boldsymbol{W}_q^{(i)\top}, \boldsymbol{X}_{kv}\boldsymbol{W}_k^{(i)\top}, \boldsymbol{X}_{kv}\boldsymbol{W}_v^{(i)\top}),\qquad
      \operatorname{MHA} = [\operatorname{head}_1;\dots;\operatorname{head}_h]\,\boldsymbol{W}_o^\top + \boldsymbol{b}_o$$

    书中第 8.2.1 节（多头注意力）与第 8.3 节；站点页面 ``docs/ch08-attention/index.md``。

    Parameters
    ----------
    Xq : array (B, N, D)
        产生查询的序列（自注意力时与 ``Xkv`` 相同）。
    Xkv : array (B, M, D)
        产生键和值的序列。
    params : dict
        ``W_q, W_k, W_v, W_o`` 均为 (D, D)（按（输出, 输入）存放），``b_q, b_k, b_v, b_o`` 均为 (D,)。
        第 $i$ 个头的 $\boldsymbol{W}_q^{(i)}$ 是 ``W_q`` 的第 $i\cdot d$ 到 $(i+1)\cdot d$ 行。
    num_heads : int
        头数 $h$，须整除 $D$。
    mask : bool array (N, M) 或 (B, N, M), optional
        ``True`` 表示可见，所有头共用。

    Returns
    -------
    Y : array (B, N, D)；cache : 反向需要的量，注意力分布在 ``cache["A"]``，形状 (B, h, N, M)。
    """
    p = _check_mha_params(params)
    D = p["W_q"].shape[0]                                      # 模型维数由参数决定
    Xq = as_float_array(Xq, "Xq", ndim=3)
    if Xq.shape[2] != D:
        raise ValueError(f"Xq 的形状应为 (B, N, D) 且 D={D}（与 W_q 的形状一致），实际为 {Xq.shape}")
    B, N, _ = Xq.shape
    Xkv = as_float_array(Xkv, "Xkv", ndim=3)
    if Xkv.shape[0] != B or Xkv.shape[2] != D:
        raise ValueError(f"Xkv 的形状应为 (B, M, D) 且 B={B}、D={D}，实际为 {Xkv.shape}")
    M = Xkv.shape[1]
    check_positive(num_heads, "num_heads", integer=True)
    if D % num_heads:
        raise ValueError(f"模型维数 D={D} 应能被头数 num_heads={num_heads} 整除")
    head_mask = _head_mask(mask, B, N, M)
    Q = _split_heads(Xq @ p["W_q"].T + p["b_q"], num_heads)    # (B, h, N, d)
    K = _split_heads(Xkv @ p["W_k"].T + p["b_k"], num_heads)   # (B, h, M, d)
    V = _split_heads(Xkv @ p["W_v"].T + p["b_v"], num_heads)   # (B, h, M, d)
    O, att_cache = attention_forward(Q, K, V, head_mask)       # (B, h, N, d)
    H = _merge_heads(O)                                        # (B, N, D)：各头拼接
    Y = H @ p["W_o"].T + p["b_o"]                              # (B, N, D)
    cache = {"Xq": Xq, "Xkv": Xkv, "H": H, "att": att_cache, "A": att_cache[3], "p": p, "h": num_heads}
    return Y, cache


def mha_backward(dY, cache):
    r"""多头注意力的反向。返回 ``(dXq, dXkv, grads)``，``grads`` 的键与 ``params`` 相同。

    自注意力（``Xq`` 与 ``Xkv`` 是同一个数组）时，输入的梯度是 ``dXq + dXkv``。书中第 8.2.1 节；
    站点页面 ``docs/ch08-attention/index.md``。
    """
    Xq, Xkv, H, p, h = cache["Xq"], cache["Xkv"], cache["H"], cache["p"], cache["h"]
    dY = as_float_array(dY, "dY", ndim=3)
    if dY.shape != H.shape:
        raise ValueError(f"dY 的形状应为 {H.shape}，实际为 {dY.shape}")
    D = H.shape[-1]
    # 参数梯度对批和位置求和：把 (B, T, D) 摊平成 (B·T, D) 后就是第 4 章仿射层的 dW = δᵀ x
    g = {"W_o": dY.reshape(-1, D).T @ H.reshape(-1, D), "b_o": dY.sum(axis=(0, 1))}
    dH = dY @ p["W_o"]                                         # (B, N, D)
    dQ, dK, dV = attention_backward(_split_heads(dH, h), cache["att"])   # 各 (B, h, ·, d)
    dQ, dK, dV = _merge_heads(dQ), _merge_heads(dK), _merge_heads(dV)   # (B, ·, D)
    for name, dZ, X in (("q", dQ, Xq), ("k", dK, Xkv), ("v", dV, Xkv)):
        g["W_" + name] = dZ.reshape(-1, D).T @ X.reshape(-1, D)   # (D, B·T) @ (B·T, D)
        g["b_" + name] = dZ.sum(axis=(0, 1))
    dXq = dQ @ p["W_q"]
    dXkv = dK @ p["W_k"] + dV @ p["W_v"]
    return dXq, dXkv, {k: g[k] for k in p}


class MultiHeadAttention(Layer):
    r"""多头注意力层：``params`` 为 ``W_q, W_k, W_v, W_o``（各 (D, D)）与 ``b_q, b_k, b_v, b_o``（各 (D,)）。

    书中第 8.2.1 节（多头注意力）；站点页面 ``docs/ch08-attention/index.md``。

    与 ``torch.nn.MultiheadAttention(D, h, batch_first=True)`` 的权重对应（可以原样拷贝，无需转置）：

    - ``in_proj_weight`` (3D, D) = ``[W_q; W_k; W_v]``（按行拼接），``in_proj_bias`` = ``[b_q; b_k; b_v]``；
    - ``out_proj.weight`` = ``W_o``，``out_proj.bias`` = ``b_o``；
    - torch 的布尔 ``attn_mask`` 中 ``True`` 表示**屏蔽**，与本包（以及 ``scaled_dot_product_attention``）相反，
      传给 torch 时要取反：``attn_mask=~mask``；``key_padding_mask`` 同样是 ``True`` 表示填充。

    ``forward(Xq, Xkv=None, mask=None)``：``Xkv`` 省略时为自注意力；``backward(dY)`` 返回 ``(dXq, dXkv)``
    （自注意力时只返回二者之和）。初始化与 torch 相同：投影用 Xavier 均匀分布，偏置为 0。

    Examples
    --------
    >>> mha = MultiHeadAttention(8, 2, np.random.default_rng(0))
    >>> mha.forward(np.ones((1, 5, 8))).shape, mha.attention.shape
    ((1, 5, 8), (1, 2, 5, 5))
    """

    def __init__(self, embed_dim: int, num_heads: int, rng: np.random.Generator):
        super().__init__()
        check_positive(embed_dim, "embed_dim", integer=True)
        check_positive(num_heads, "num_heads", integer=True)
        if embed_dim % num_heads:
            raise ValueError(f"embed_dim={embed_dim} 应能被 num_heads={num_heads} 整除")
        check_rng(rng)
        D = embed_dim
        a = np.sqrt(6.0 / (D + 3 * D))                        # torch：对 (3D, D) 的 in_proj_weight 做 Xavier
        for name in ("q", "k", "v"):
            self.params["W_" + name] = rng.uniform(-a, a, (D, D))
            self.params["b_" + name] = np.zeros(D)
        a_o = 1.0 / np.sqrt(D)
        self.params["W_o"] = rng.uniform(-a_o, a_o, (D, D))
        self.params["b_o"] = np.zeros(D)
        self.grads = {k: np.zeros_like(v) for k, v in self.params.items()}
        self.num_heads = num_heads
        self.attention = None

    def forward(self, Xq, Xkv=None, mask=None):
        Y, self.cache = mha_forward(Xq, Xq if Xkv is None else Xkv, self.params, self.num_heads, mask)
        self._self = Xkv is None                               # 前向成功之后才记下，坏输入不留痕迹
        self.attention = self.cache["A"]
        return Y

    def backward(self, dY):
        self._check_cache()
        dXq, dXkv, g = mha_backward(dY, self.cache)
        for k, v in g.items():
            self.grads[k] += v
        return dXq + dXkv if self._self else (dXq, dXkv)

    def __repr__(self):
        return f"MultiHeadAttention({self.params['W_q'].shape[0]}, num_heads={self.num_heads})"
