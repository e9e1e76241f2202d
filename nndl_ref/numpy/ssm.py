r"""注意力之外（书外补充）：Mamba 的选择性状态空间扫描与 xLSTM 的 mLSTM 单元，各有循环形式与并行形式。

书中没有这两节（它们出现在 2023—2024 年）；站点页面 ``docs/ch08-attention/index.md`` 的最后一节。
两者都是**线性时间**的循环：每一步只更新一个固定大小的状态，不像自注意力那样回看全部历史。
它们与普通 RNN 的区别在于：状态的更新是输入的**线性**函数（没有 $\tanh$ 套在外面），
而衰减与写入的强度由当前输入决定（"选择性"、指数门控）。因为是线性的，整段序列可以一次算完
（并行形式），结果与逐步递推完全相同——测试就检查这一点。

选择性状态空间（Mamba 的核心，单条序列，$D$ 个通道、每个通道 $N$ 维状态）：

$$\boldsymbol{h}_t = \exp(\Delta_t \boldsymbol{A}) \odot \boldsymbol{h}_{t-1} + \Delta_t\, \boldsymbol{B}_t\, x_t, \qquad
  y_t = \boldsymbol{C}_t^\top \boldsymbol{h}_t + D\, x_t$$

其中 $\Delta_t = \operatorname{softplus}(\cdot)$、$\boldsymbol{B}_t$、$\boldsymbol{C}_t$ 都由输入 $x_t$ 算出，$\boldsymbol{A}<0$ 固定。

mLSTM（矩阵记忆 + 指数门控）：

$$\boldsymbol{C}_t = f_t\boldsymbol{C}_{t-1} + i_t\,\boldsymbol{v}_t\boldsymbol{k}_t^\top, \quad
  \boldsymbol{n}_t = f_t\boldsymbol{n}_{t-1} + i_t\boldsymbol{k}_t, \quad
  \tilde{\boldsymbol{h}}_t = \frac{\boldsymbol{C}_t\boldsymbol{q}_t}{\max\big(|\boldsymbol{n}_t^\top\boldsymbol{q}_t|,\ 1\big)}$$

其中 $i_t = \exp(\tilde{i}_t)$，$f_t = \sigma(\tilde{f}_t)$，$\boldsymbol{k}_t$ 已除以 $\sqrt{d}$。
"""

from __future__ import annotations

import numpy as np

from .._validate import as_float_array, check_shape


def _log_sigmoid(z):
    return -np.logaddexp(0.0, -z)


# ======================================================================== 选择性状态空间
def _check_skip(D, Dm: int):
    """跳连系数 ``D``：None 或形状 (D,) 的数组。"""
    return None if D is None else check_shape(as_float_array(D, "D"), (Dm,), "D", "(D,)")


def _check_ssm(x, delta, A, B, C):
    x = as_float_array(x, "x", ndim=2)
    delta = as_float_array(delta, "delta", ndim=2)
    A = as_float_array(A, "A", ndim=2)
    B = as_float_array(B, "B", ndim=2)
    C = as_float_array(C, "C", ndim=2)
    T, D = x.shape
    N = A.shape[1]
    if delta.shape != (T, D) or A.shape[0] != D or B.shape != (T, N) or C.shape != (T, N):
        raise ValueError(f"形状应为 x, delta (T, D)；A (D, N)；B, C (T, N)。实际 x {x.shape}，delta {delta.shape}，"
                         f"A {A.shape}，B {B.shape}，C {C.shape}")
    if np.any(delta < 0):
        raise ValueError("delta（步长 Δ）应非负；通常取 softplus(·)")
    return x, delta, A, B, C


def selective_scan(x, delta, A, B, C, D=None):
    r"""选择性状态空间的循环形式（逐步递推，线性时间）：

    $$\bar{\boldsymbol{A}}_t = \exp(\Delta_t\boldsymbol{A}),\quad \boldsymbol{h}_t = \bar{\boldsymbol{A}}_t\odot\boldsymbol{h}_{t-1} + \Delta_t\,x_t\,\boldsymbol{B}_t,\quad
      y_t = \boldsymbol{h}_t\boldsymbol{C}_t + D\,x_t$$

    书外补充（Mamba，Gu & Dao 2023）；站点页面 ``docs/ch08-attention/index.md``。

    Parameters
    ----------
    x : array (T, D)
        输入序列，$D$ 个通道各自有一个 $N$ 维状态。
    delta : array (T, D)
        步长 $\Delta_t \ge 0$（由输入决定：大则"忘掉过去、写入现在"，小则保持状态）。
    A : array (D, N)
        连续时间的状态矩阵（对角，取负值才稳定）。
    B, C : array (T, N)
        由输入决定的写入与读出向量。
    D : array (D,), optional
        跳连（skip）系数。

    Returns
    -------
    y : array (T, D)

    Examples
    --------
    >>> T, Dm, N = 4, 2, 3
    >>> y = selective_scan(np.ones((T, Dm)), np.full((T, Dm), 0.5), -np.ones((Dm, N)), np.ones((T, N)), np.ones((T, N)))
    >>> y.shape
    (4, 2)
    """
    x, delta, A, B, C = _check_ssm(x, delta, A, B, C)
    T, Dm = x.shape
    D = _check_skip(D, Dm)
    h = np.zeros(A.shape)                                      # (D, N)
    y = np.empty((T, Dm))
    for t in range(T):
        # h_t = exp(Δ_t A) ⊙ h_{t-1} + Δ_t x_t B_t
        h = np.exp(delta[t][:, None] * A) * h + (delta[t] * x[t])[:, None] * B[t][None, :]
        # y_t = h_t C_t
        y[t] = h @ C[t]
    if D is not None:
        y = y + x * D
    return y


def selective_scan_parallel(x, delta, A, B, C, D=None):
    r"""选择性状态空间的并行形式：把递推展开，一次算出所有时刻（$O(T^2)$ 内存，与自注意力同形）：

    $$y_t = \sum_{s\le t}\ \sum_{n} C_{t,n}\,B_{s,n}\,\exp\Big(A_{:,n}\sum_{r=s+1}^{t}\Delta_r\Big)\,\Delta_s\,x_s$$

    当每个通道的 $\boldsymbol{A}$ 是一个标量时（Mamba-2），这正是"带衰减掩码的线性注意力"：
    $\boldsymbol{y} = (\boldsymbol{L}\odot\boldsymbol{C}\boldsymbol{B}^\top)(\Delta\odot\boldsymbol{x})$，$\boldsymbol{L}$ 是下三角的衰减矩阵。
    书外补充；站点页面 ``docs/ch08-attention/index.md``。结果与 ``selective_scan`` 相同。
    """
    x, delta, A, B, C = _check_ssm(x, delta, A, B, C)
    T = x.shape[0]
    D = _check_skip(D, x.shape[1])
    P = np.cumsum(delta, axis=0)                               # (T, D)：P_t = Σ_{r≤t} Δ_r
    diff = P[:, None, :] - P[None, :, :]                       # (t, s, D)：Σ_{r=s+1..t} Δ_r
    keep = np.tril(np.ones((T, T), dtype=bool))                # 只保留 s ≤ t
    diff = np.where(keep[:, :, None], diff, 0.0)
    L = np.exp(diff[..., None] * A[None, None]) * keep[:, :, None, None]   # (t, s, D, N)
    y = np.einsum("tn,sn,tsdn,sd->td", C, B, L, delta * x)
    if D is not None:
        y = y + x * D
    return y


# ======================================================================== mLSTM
def _check_mlstm(q, k, v, i_pre, f_pre):
    q = as_float_array(q, "q", ndim=2)
    k = as_float_array(k, "k", ndim=2)
    v = as_float_array(v, "v", ndim=2)
    i_pre = as_float_array(i_pre, "i_pre", ndim=1)
    f_pre = as_float_array(f_pre, "f_pre", ndim=1)
    T, d = q.shape
    if k.shape != (T, d) or v.shape[0] != T or i_pre.shape != (T,) or f_pre.shape != (T,):
        raise ValueError(f"形状应为 q, k (T, d)；v (T, d_v)；i_pre, f_pre (T,)。实际 q {q.shape}，k {k.shape}，"
                         f"v {v.shape}，i_pre {i_pre.shape}，f_pre {f_pre.shape}")
    return q, k / np.sqrt(d), v, i_pre, f_pre


def mlstm_recurrent(q, k, v, i_pre, f_pre):
    r"""mLSTM 的循环形式（带数值稳定器 $m_t$，与不稳定的定义式结果相同）：

    $$m_t = \max\big(\log f_t + m_{t-1},\ \tilde{i}_t\big),\quad i'_t = \exp(\tilde{i}_t - m_t),\quad f'_t = \exp(\log f_t + m_{t-1} - m_t)$$

    $$\boldsymbol{C}_t = f'_t\boldsymbol{C}_{t-1} + i'_t\boldsymbol{v}_t\boldsymbol{k}_t^\top,\quad
      \boldsymbol{n}_t = f'_t\boldsymbol{n}_{t-1} + i'_t\boldsymbol{k}_t,\quad
      \tilde{\boldsymbol{h}}_t = \frac{\boldsymbol{C}_t\boldsymbol{q}_t}{\max(|\boldsymbol{n}_t^\top\boldsymbol{q}_t|,\ e^{-m_t})}$$

    书外补充（xLSTM，Beck 等 2024）；站点页面 ``docs/ch08-attention/index.md``。

    Parameters
    ----------
    q, k : array (T, d)
        查询与键（函数内部把 $\boldsymbol{k}$ 除以 $\sqrt{d}$）。
    v : array (T, d_v)
    i_pre, f_pre : array (T,)
        输入门、遗忘门的净输入 $\tilde{i}_t, \tilde{f}_t$；$i_t=\exp(\tilde{i}_t)$，$f_t=\sigma(\tilde{f}_t)$。

    Returns
    -------
    h : array (T, d_v)
        输出门之前的隐状态 $\tilde{\boldsymbol{h}}_t$。

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> q, k, v = rng.normal(size=(3, 5, 4))
    >>> i_pre, f_pre = rng.normal(size=(2, 5))
    >>> np.allclose(mlstm_recurrent(q, k, v, i_pre, f_pre), mlstm_parallel(q, k, v, i_pre, f_pre))
    True
    """
    q, k, v, i_pre, f_pre = _check_mlstm(q, k, v, i_pre, f_pre)
    T, d = q.shape
    Cm = np.zeros((v.shape[1], d))                             # 矩阵记忆 (d_v, d)
    n = np.zeros(d)
    m = 0.0
    h = np.empty((T, v.shape[1]))
    for t in range(T):
        log_f = _log_sigmoid(f_pre[t])
        m_new = max(log_f + m, i_pre[t]) if t else i_pre[t]
        i_s = np.exp(i_pre[t] - m_new)                         # 稳定化的 i_t
        f_s = np.exp(log_f + m - m_new) if t else 0.0          # 稳定化的 f_t（t=0 时旧状态为 0）
        # C_t = f_t C_{t-1} + i_t v_t k_t^T；n_t = f_t n_{t-1} + i_t k_t
        Cm = f_s * Cm + i_s * np.outer(v[t], k[t])
        n = f_s * n + i_s * k[t]
        m = m_new
        h[t] = Cm @ q[t] / max(abs(n @ q[t]), np.exp(-m))
    return h


def mlstm_parallel(q, k, v, i_pre, f_pre):
    r"""mLSTM 的并行形式：与因果注意力同形，只是 softmax 换成了由门控决定的衰减矩阵 $\boldsymbol{D}$：

    $$\log D_{ts} = \sum_{r=s+1}^{t}\log f_r + \tilde{i}_s\ (s\le t),\quad
      \tilde{\boldsymbol{C}} = \frac{\boldsymbol{Q}\boldsymbol{K}^\top}{\sqrt d}\odot e^{\log\boldsymbol{D} - \boldsymbol{m}},\quad
      \tilde{\boldsymbol{h}}_t = \frac{\sum_s \tilde{C}_{ts}\boldsymbol{v}_s}{\max(|\sum_s\tilde{C}_{ts}|,\ e^{-m_t})}$$

    其中 $m_t = \max_s \log D_{ts}$ 是每行的稳定器。书外补充；站点页面 ``docs/ch08-attention/index.md``。
    结果与 ``mlstm_recurrent`` 相同。
    """
    q, k, v, i_pre, f_pre = _check_mlstm(q, k, v, i_pre, f_pre)
    T = q.shape[0]
    Fc = np.cumsum(_log_sigmoid(f_pre))                        # (T,)：F_t = Σ_{r≤t} log f_r
    keep = np.tril(np.ones((T, T), dtype=bool))
    logD = np.where(keep, Fc[:, None] - Fc[None, :] + i_pre[None, :], -np.inf)   # (t, s)
    m = logD.max(axis=1, keepdims=True)                        # (T, 1)
    Ct = (q @ k.T) * np.exp(logD - m)                          # (T, T)
    norm = np.maximum(np.abs(Ct.sum(axis=1, keepdims=True)), np.exp(-m))
    return (Ct / norm) @ v
