r"""LSTM 的快速版（NumPy）：与 ``nndl_ref.numpy.rnn.lstm_forward/lstm_backward`` 结果相同、接口相同。

书中第 6.6.1 节。数学与可读版逐项相同，区别只在计算怎样排布。可读版每个时刻做 4 次矩阵乘法
（$\boldsymbol{W}\boldsymbol{x}_t$、$\boldsymbol{U}\boldsymbol{h}_{t-1}$ 及反向的三次）和二十多个小的逐元素运算，
每次都新分配数组；T = 64 时这些开销比计算本身还多。快速版：

1. **输入投影一次算完。** $\boldsymbol{W}\boldsymbol{x}_t$ 不依赖 $\boldsymbol{h}_{t-1}$，所以全部时刻一起做
   一次大矩阵乘法 ``(T·B, D) @ (D, 4H)``；循环里只剩 $\boldsymbol{U}\boldsymbol{h}_{t-1}$ 这一次（四个门合在一起，
   ``(B, H) @ (H, 4H)``）。
2. **反向的参数梯度也一次算完。** $\partial\mathcal{L}/\partial\boldsymbol{W} = \sum_t \delta_t\boldsymbol{x}_t^\top$
   就是 ``δ(T·B, 4H)ᵀ @ x(T·B, D)``；$\boldsymbol{U}$、$\boldsymbol{b}$、$\boldsymbol{x}$ 的梯度同理。
   循环里只剩必须按时间顺序做的 $\boldsymbol{U}^\top\delta_t$。
3. **门在内部换成 (o, i, f, c̃) 的顺序**：三个 Logistic 门相邻，用一次 ``tanh`` 算出
   （$\sigma(a) = \frac12\tanh(\frac a2)+\frac12$，把对应的权重行预先乘 $\frac12$）；反向时乘同一个
   $\partial\mathcal{L}/\partial\boldsymbol{c}_t$ 的三个门 (i, f, c̃) 也相邻，一次广播乘法算完。
4. **不依赖递推的逐元素乘积在循环外整体算**（如 $\boldsymbol{o}_t\odot(1-\tanh^2\boldsymbol{c}_t)$），
   循环里每步只剩七八个就地（``out=``）运算，不分配新数组。

权重、输入、输出的形状和门的顺序（对外）与可读版完全相同；``dtype`` 跟随输入（float32 最快）。
计时见 ``benchmarks/bench_rnn.py``；正确性由 ``tests/test_ch06_rnn_fast.py`` 与可读版、torch 逐项对照。
"""

from __future__ import annotations

import numpy as np

from .rnn import _check_dout, _check_sequence, _check_state, _check_weights

# 外部（torch）顺序 (i, f, c̃, o) → 内部顺序 (o, i, f, c̃)
_PERM = (3, 0, 1, 2)


def _to_internal(M: np.ndarray, H: int) -> np.ndarray:
    """按门重排行：(4H, ·) 或 (4H,) 的 (i, f, c̃, o) → (o, i, f, c̃)。"""
    return np.concatenate([M[k * H:(k + 1) * H] for k in _PERM], axis=0)


def _to_external(M: np.ndarray, H: int) -> np.ndarray:
    """``_to_internal`` 的逆：(o, i, f, c̃) → (i, f, c̃, o)。"""
    blocks = [M[k * H:(k + 1) * H] for k in range(4)]          # o, i, f, c̃
    return np.concatenate([blocks[1], blocks[2], blocks[3], blocks[0]], axis=0)


def _buffer(workspace, key: str, shape, dtype) -> np.ndarray:
    """``workspace`` 为 ``None`` 时新分配；否则第一次分配、之后复用（形状或类型变了才重新分配）。"""
    if workspace is None:
        return np.empty(shape, dtype=dtype)
    buf = workspace.get(key)
    if buf is None or buf.shape != tuple(shape) or buf.dtype != dtype:
        buf = workspace[key] = np.empty(shape, dtype=dtype)
    return buf


def lstm_forward_fast(x, h0, c0, W, U, b, workspace: dict | None = None):
    r"""与 ``nndl_ref.numpy.rnn.lstm_forward`` 相同的 LSTM 前向，返回 ``(h, (h_T, c_T), cache)``。

    书中第 6.6.1 节；站点页面：第 6 章"速度：NumPy 的 LSTM 能有多快"一节。

    Parameters
    ----------
    x : array (T, B, D)
    h0, c0 : array (B, H) or None
    W : (4H, D), U : (4H, H), b : (4H,)
        门的顺序 (i, f, c̃, o)，与可读版、torch 相同。

    Examples
    --------
    >>> from nndl_ref.numpy.rnn import lstm_forward
    >>> rng = np.random.default_rng(0)
    >>> x, W, U, b = (rng.standard_normal(s) for s in [(5, 2, 3), (16, 3), (16, 4), (16,)])
    >>> np.allclose(lstm_forward_fast(x, None, None, W, U, b)[0], lstm_forward(x, None, None, W, U, b)[0])
    True
    """
    if workspace is not None and not isinstance(workspace, dict):
        raise TypeError(f"workspace 应为 dict 或 None（复用的缓冲区），实际得到 {type(workspace).__name__}")
    W, U, b, H = _check_weights(W, U, b, 4, "lstm_forward_fast")
    x = _check_sequence(x, W.shape[1])
    T, B, D = x.shape
    dtype = np.result_type(x, W, U, b)
    x = x.astype(dtype, copy=False)
    # 内部顺序 (o, i, f, c̃)；三个 σ 门的行乘 ½，这样 σ(a) = ½ tanh(a/2) + ½ 只要一次 tanh
    scale = np.ones((4 * H, 1), dtype=dtype)
    scale[:3 * H] = 0.5
    Wi = (_to_internal(W, H) * scale).astype(dtype)
    UiT = np.ascontiguousarray((_to_internal(U, H) * scale).T, dtype=dtype)        # (H, 4H)
    bi = (_to_internal(b, H) * scale[:, 0]).astype(dtype)
    G = _buffer(workspace, "G", (T, B, 4 * H), dtype)          # 门的值（先存净输入，再原地变成门）
    np.matmul(x.reshape(T * B, D), Wi.T, out=G.reshape(T * B, 4 * H))   # 全部时刻的 W x_t：一次 GEMM
    G += bi
    Hs = _buffer(workspace, "Hs", (T + 1, B, H), dtype)        # h_0 … h_T
    Cs = _buffer(workspace, "Cs", (T + 1, B, H), dtype)        # c_0 … c_T
    Hs[0] = _check_state(h0, B, H, "h0")
    Cs[0] = _check_state(c0, B, H, "c0")
    tanhC = _buffer(workspace, "tanhC", (T, B, H), dtype)
    rec = np.empty((B, 4 * H), dtype=dtype)
    tmp = np.empty((B, H), dtype=dtype)
    h0_is_zero = h0 is None
    for t in range(T):
        g = G[t]                                               # (B, 4H)
        if t or not h0_is_zero:                                # h_0 = 0 时第一步不必乘
            np.matmul(Hs[t], UiT, out=rec)                     # U h_{t-1}，四个门一次
            g += rec
        np.tanh(g, out=g)
        sig = g[:, :3 * H]
        sig *= 0.5
        sig += 0.5                                             # o, i, f = ½ tanh(·) + ½
        o, i, f, c_tilde = g[:, :H], g[:, H:2 * H], g[:, 2 * H:3 * H], g[:, 3 * H:]
        np.multiply(f, Cs[t], out=Cs[t + 1])                   # c_t = f ⊙ c_{t-1} + i ⊙ c̃
        np.multiply(i, c_tilde, out=tmp)
        Cs[t + 1] += tmp
        np.tanh(Cs[t + 1], out=tanhC[t])
        np.multiply(o, tanhC[t], out=Hs[t + 1])                # h_t = o ⊙ tanh(c_t)
    return Hs[1:], (Hs[T], Cs[T]), (x, W, U, G, Hs, Cs, tanhC, workspace)


def lstm_backward_fast(dh, cache, dh_T=None, dc_T=None):
    r"""与 ``nndl_ref.numpy.rnn.lstm_backward`` 相同的梯度：``(dx, dh0, dc0, dW, dU, db)``。
    书中第 6.6.1 节；站点页面：第 6 章"速度"一节。

    循环里每步：$\partial\mathcal{L}/\partial\boldsymbol{h}_t$ 加上从 $t+1$ 传回的部分，算出四个门的
    $\delta$，再做一次 $\boldsymbol{U}^\top\delta_t$。参数与输入的梯度在循环结束后各用一次矩阵乘法求出。
    """
    x, W, U, G, Hs, Cs, tanhC, ws = cache
    T, B, D = x.shape
    H = Hs.shape[2]
    dtype = G.dtype
    dh = _check_dout(dh, (T, B, H), "dh").astype(dtype, copy=False)
    O, I, F, Ct = G[..., :H], G[..., H:2 * H], G[..., 2 * H:3 * H], G[..., 3 * H:]
    # 循环外整体算好的系数（都不依赖递推）：
    P_o, Q = _buffer(ws, "P_o", (T, B, H), dtype), _buffer(ws, "Q", (T, B, H), dtype)
    R = _buffer(ws, "R", (T, B, 3, H), dtype)                  # ∂c/∂a_{i,f,c̃}
    SP = _buffer(ws, "SP", (T, B, 3 * H), dtype)               # σ'(a) = σ(1 − σ)，三个 σ 门 (o, i, f) 一起
    S = G[..., :3 * H]
    np.multiply(S, S, out=SP)
    np.subtract(S, SP, out=SP)
    np.multiply(SP[..., :H], tanhC, out=P_o)                   # ∂h/∂a_o = tanh(c) σ'(a_o)
    np.multiply(SP[..., H:2 * H], Ct, out=R[:, :, 0])          # ∂c/∂a_i = c̃ σ'(a_i)
    np.multiply(SP[..., 2 * H:], Cs[:-1], out=R[:, :, 1])      # ∂c/∂a_f = c_{t-1} σ'(a_f)
    sq = SP[..., :H]                                           # σ'(a_o) 已用完，借它的内存
    np.multiply(tanhC, tanhC, out=sq)
    np.subtract(O, np.multiply(O, sq, out=sq), out=Q)          # ∂h/∂c = o (1 − tanh² c)
    np.multiply(Ct, Ct, out=sq)
    np.subtract(I, np.multiply(I, sq, out=sq), out=R[:, :, 2]) # ∂c/∂a_c̃ = i (1 − c̃²)
    Ui = np.ascontiguousarray(_to_internal(U, H), dtype=dtype) # (4H, H)，内部顺序
    dA = _buffer(ws, "dA", (T, B, 4 * H), dtype)               # 各时刻四个门的 δ（内部顺序）
    dh_next = np.zeros((B, H), dtype=dtype) if dh_T is None else \
        _check_dout(dh_T, (B, H), "dh_T").astype(dtype)
    dc = np.zeros((B, H), dtype=dtype) if dc_T is None else _check_dout(dc_T, (B, H), "dc_T").astype(dtype)
    dh_t = np.empty((B, H), dtype=dtype)
    tmp = np.empty((B, H), dtype=dtype)
    for t in reversed(range(T)):
        np.add(dh[t], dh_next, out=dh_t)                       # ∂L/∂h_t = ∂L_t/∂h_t + Uᵀ δ_{t+1}
        d = dA[t]
        np.multiply(dh_t, P_o[t], out=d[:, :H])                # δ_o
        np.multiply(dh_t, Q[t], out=tmp)
        dc += tmp                                              # ∂L/∂c_t
        np.multiply(dc[:, None, :], R[t], out=d[:, H:].reshape(B, 3, H))   # δ_i, δ_f, δ_c̃ 一次算完
        dc *= F[t]                                             # ∂L/∂c_{t-1} = ∂L/∂c_t ⊙ f_t
        np.matmul(d, Ui, out=dh_next)                          # ∂L/∂h_{t-1} 的递推部分 Uᵀ δ_t
    dAf = dA.reshape(T * B, 4 * H)                             # (T·B, 4H)
    dW = _to_external(dAf.T @ x.reshape(T * B, D), H)          # Σ_t δ_t x_tᵀ
    dU = _to_external(dAf.T @ Hs[:-1].reshape(T * B, H), H)    # Σ_t δ_t h_{t-1}ᵀ
    db = _to_external(dAf.sum(axis=0), H)
    dx = (dAf @ np.ascontiguousarray(_to_internal(W, H), dtype=dtype)).reshape(T, B, D)
    return dx, dh_next, dc, dW, dU, db
