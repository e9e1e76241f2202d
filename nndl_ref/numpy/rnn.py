r"""循环神经网络（NumPy 从零实现）：简单循环网络、LSTM、GRU，随时间反向传播（BPTT）全部手写。

对应书中第 6 章（循环神经网络）；站点页面：`docs/ch06-rnn/index.md`（第 6 章 循环神经网络）。

符号沿用书中第 6.2 节：$\boldsymbol{W}$ 是"状态-输入"权重（乘 $\boldsymbol{x}_t$），
$\boldsymbol{U}$ 是"状态-状态"权重（乘 $\boldsymbol{h}_{t-1}$）。简单循环网络：

$$\boldsymbol{z}_t = \boldsymbol{U}\boldsymbol{h}_{t-1} + \boldsymbol{W}\boldsymbol{x}_t + \boldsymbol{b},\qquad
  \boldsymbol{h}_t = f(\boldsymbol{z}_t)$$

约定（本模块与 ``nndl_ref.torch.rnn`` 相同）

- 序列按**时间在前**存放：``x`` 的形状是 ``(T, B, D)``（与 ``torch.nn.RNN`` 的默认
  ``batch_first=False`` 相同），``h`` 的形状是 ``(T, B, H)``；$D$ 为输入维数，$H$ 为隐状态维数
  （书中把两者记作 $M$ 与 $D$，这里沿用全包"$D$ 是输入维数"的约定）。
- 权重按（输出, 输入）存放：``W`` 为 ``(G·H, D)``、``U`` 为 ``(G·H, H)``、``b`` 为 ``(G·H,)``，
  简单循环网络 $G=1$，LSTM $G=4$，GRU $G=3$。门按 torch 的顺序纵向堆叠（LSTM：$i, f, \tilde{c}, o$；
  GRU：$r, z, \tilde{h}$），所以 ``W``、``U``、``b`` 就是 torch 的 ``weight_ih_l0``、
  ``weight_hh_l0``、``bias_ih_l0``（``bias_hh_l0`` 置 0），不必转置、不必换顺序。
- 成对函数：``*_forward(...) -> (输出, cache)``，``*_backward(dout, cache) -> 梯度``
  （顺序与前向输入一致）。反向可以额外接收最后时刻状态的梯度（seq2seq 的解码器把梯度传回编码器时用）。

快速版（一次矩阵乘法算完全部时刻的输入投影、四个门合成一次乘法、不在循环里分配内存）在
``nndl_ref.numpy.rnn_fast``；本模块是逐行对照公式的可读版。
"""

from __future__ import annotations

import numpy as np

from .._validate import as_float_array, as_labels, check_bool, check_positive, check_rng, check_seed
from ._twins import blas_threads, copy_state_dict
from . import activations as act
from .layers import init_weight
from .losses import cross_entropy, cross_entropy_grad

RNN_ACTIVATIONS = ("tanh", "relu", "logistic")


# ======================================================================== 输入检查
def _check_sequence(x, D: int | None = None) -> np.ndarray:
    x = as_float_array(x, "x")
    if x.ndim != 3:
        hint = "；单条序列请用 x[:, None, :] 补上批这一维" if x.ndim == 2 else ""
        raise ValueError(f"x 的形状应为 (T, B, D)（时间、批、特征，时间在前），实际形状为 {x.shape}{hint}")
    T, B, Dx = x.shape
    if T == 0 or B == 0:
        raise ValueError(f"x 的形状应为 (T, B, D) 且 T、B 至少为 1，实际为 {x.shape}")
    if D is not None and Dx != D:
        raise ValueError(f"x 的最后一维应为输入维数 D={D}（x 的形状应为 (T, B, D)，时间在前），实际形状为 {x.shape}")
    return x


def _check_weights(W, U, b, gates: int, name: str):
    W = as_float_array(W, "W", ndim=2)
    U = as_float_array(U, "U", ndim=2)
    b = as_float_array(b, "b", ndim=1)
    GH = U.shape[0]
    if GH % gates or U.shape[1] * gates != GH:
        raise ValueError(f"{name} 的 U 形状应为 ({gates}·H, H)，实际为 {U.shape}")
    if W.shape[0] != GH:
        raise ValueError(f"{name} 的 W 形状应为 ({gates}·H, D) = ({GH}, D)，实际为 {W.shape}")
    if b.shape != (GH,):
        raise ValueError(f"{name} 的 b 形状应为 ({gates}·H,) = ({GH},)，实际为 {b.shape}")
    return W, U, b, GH // gates


def _check_state(h, B: int, H: int, name: str) -> np.ndarray:
    if h is None:
        return np.zeros((B, H))
    h = as_float_array(h, name, ndim=2)
    if h.shape != (B, H):
        raise ValueError(f"{name} 的形状应为 (B, H) = {(B, H)}，实际为 {h.shape}")
    return h


def _check_dout(dout, shape, name: str) -> np.ndarray:
    dout = as_float_array(dout, name)
    if dout.shape != shape:
        raise ValueError(f"{name} 的形状应为 {shape}，实际为 {dout.shape}")
    return dout


def _f(name: str):
    if name not in RNN_ACTIVATIONS:
        raise ValueError(f"activation 应为 {RNN_ACTIVATIONS} 之一，实际为 {name!r}")
    return act.get(name)


# ======================================================================== 简单循环网络：一步
def rnn_step_forward(x_t, h_prev, W, U, b, activation: str = "tanh"):
    r"""简单循环网络的一步（书中第 6.2 节）：

    $$\boldsymbol{z}_t = \boldsymbol{U}\boldsymbol{h}_{t-1} + \boldsymbol{W}\boldsymbol{x}_t + \boldsymbol{b},\qquad
      \boldsymbol{h}_t = f(\boldsymbol{z}_t)$$

    站点页面：第 6 章 6.2 节。

    Parameters
    ----------
    x_t : array (B, D)
    h_prev : array (B, H)
        $\boldsymbol{h}_{t-1}$。
    W : array (H, D)
    U : array (H, H)
    b : array (H,)
    activation : ``"tanh"`` | ``"relu"`` | ``"logistic"``

    Returns
    -------
    h_t : array (B, H)
    cache : tuple

    Examples
    --------
    >>> h, _ = rnn_step_forward(np.ones((2, 3)), np.zeros((2, 4)), np.zeros((4, 3)), np.eye(4), np.ones(4))
    >>> h.round(4)[0]
    array([0.7616, 0.7616, 0.7616, 0.7616])
    """
    x_t = as_float_array(x_t, "x_t", ndim=2)
    W, U, b, H = _check_weights(W, U, b, 1, "rnn_step_forward")
    if x_t.shape[1] != W.shape[1]:
        raise ValueError(f"x_t 的形状应为 (B, D) 且 D={W.shape[1]}，实际为 {x_t.shape}")
    h_prev = _check_state(h_prev, x_t.shape[0], H, "h_prev")
    f, _ = _f(activation)
    # z_t = U h_{t-1} + W x_t + b
    z = h_prev @ U.T + x_t @ W.T + b
    # h_t = f(z_t)
    return f(z), (x_t, h_prev, W, U, z, activation)


def rnn_step_backward(dh, cache):
    r"""一步的反向：已知 $\partial\mathcal{L}/\partial\boldsymbol{h}_t$，

    $$\delta_t = \frac{\partial\mathcal{L}}{\partial\boldsymbol{z}_t} = f'(\boldsymbol{z}_t)\odot\frac{\partial\mathcal{L}}{\partial\boldsymbol{h}_t},\quad
      \frac{\partial\mathcal{L}}{\partial\boldsymbol{h}_{t-1}} = \boldsymbol{U}^\top\delta_t,\quad
      \frac{\partial\mathcal{L}}{\partial\boldsymbol{U}} = \delta_t\boldsymbol{h}_{t-1}^\top,\quad
      \frac{\partial\mathcal{L}}{\partial\boldsymbol{W}} = \delta_t\boldsymbol{x}_t^\top$$

    书中第 6.4.1 节；站点页面：第 6 章 6.4 节。

    Returns
    -------
    dx_t : (B, D), dh_prev : (B, H), dW : (H, D), dU : (H, H), db : (H,)
    """
    x_t, h_prev, W, U, z, activation = cache
    dh = _check_dout(dh, z.shape, "dh")
    _, fprime = _f(activation)
    dz = fprime(z) * dh                       # δ_t = f'(z_t) ⊙ ∂L/∂h_t
    return dz @ W, dz @ U, dz.T @ x_t, dz.T @ h_prev, dz.sum(axis=0)


# ======================================================================== 简单循环网络：整条序列
def rnn_forward(x, h0, W, U, b, activation: str = "tanh"):
    r"""把 ``rnn_step_forward`` 沿时间展开：$t = 1, \dots, T$，同一组 $\boldsymbol{W}, \boldsymbol{U}, \boldsymbol{b}$。

    书中第 6.2 节；站点页面：第 6 章 6.2 节。

    Parameters
    ----------
    x : array (T, B, D)
    h0 : array (B, H) or None
        初始状态 $\boldsymbol{h}_0$；``None`` 表示全零。
    W, U, b, activation : 见 ``rnn_step_forward``。

    Returns
    -------
    h : array (T, B, H)
        每个时刻的隐状态 $\boldsymbol{h}_1, \dots, \boldsymbol{h}_T$。
    cache : tuple

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> h, _ = rnn_forward(rng.standard_normal((5, 2, 3)), None, rng.standard_normal((4, 3)),
    ...                    rng.standard_normal((4, 4)), np.zeros(4))
    >>> h.shape
    (5, 2, 4)
    """
    W, U, b, H = _check_weights(W, U, b, 1, "rnn_forward")
    x = _check_sequence(x, W.shape[1])
    T, B, _ = x.shape
    h_prev = _check_state(h0, B, H, "h0")
    _f(activation)
    h = np.empty((T, B, H), dtype=np.result_type(x, W))
    caches = []
    for t in range(T):
        h[t], c = rnn_step_forward(x[t], h_prev, W, U, b, activation)
        caches.append(c)
        h_prev = h[t]
    return h, caches


def rnn_backward(dh, cache, dh_T=None, record=None):
    r"""随时间反向传播（BPTT，书中第 6.4.1 节）。从 $t=T$ 往回走，每一步

    $$\frac{\partial\mathcal{L}}{\partial\boldsymbol{h}_t} = \underbrace{\frac{\partial\mathcal{L}_t}{\partial\boldsymbol{h}_t}}_{\text{本时刻的输出}}
      + \underbrace{\boldsymbol{U}^\top\delta_{t+1}}_{\text{来自 } t+1},\qquad
      \delta_t = f'(\boldsymbol{z}_t)\odot\frac{\partial\mathcal{L}}{\partial\boldsymbol{h}_t}$$

    参数的梯度是各时刻之和（同一组参数在每个时刻都用了一次）：

    $$\frac{\partial\mathcal{L}}{\partial\boldsymbol{U}} = \sum_{t=1}^{T}\delta_t\boldsymbol{h}_{t-1}^\top,\quad
      \frac{\partial\mathcal{L}}{\partial\boldsymbol{W}} = \sum_{t=1}^{T}\delta_t\boldsymbol{x}_t^\top,\quad
      \frac{\partial\mathcal{L}}{\partial\boldsymbol{b}} = \sum_{t=1}^{T}\delta_t$$

    站点页面：第 6 章 6.4 节。

    Parameters
    ----------
    dh : array (T, B, H)
        各时刻的损失直接对 $\boldsymbol{h}_t$ 的梯度（多对一任务只有最后一个时刻非零）。
    cache : 来自 ``rnn_forward``。
    dh_T : array (B, H), optional
        最后状态 $\boldsymbol{h}_T$ 被别处使用时（例如交给解码器）传回的梯度，加到 ``dh[-1]`` 上。
    record : list, optional
        给出时，把每一步的 $\partial\mathcal{L}/\partial\boldsymbol{h}_t$（从 $t=T$ 到 1）依次追加进去，
        用来画"梯度随时间步的变化"。

    Returns
    -------
    dx : (T, B, D), dh0 : (B, H), dW : (H, D), dU : (H, H), db : (H,)
    """
    caches = cache
    T = len(caches)
    x0, h_prev0, W, U, z0, _ = caches[0]
    B, H = h_prev0.shape
    dh = _check_dout(dh, (T, B, H), "dh")
    dW, dU, db = np.zeros_like(W), np.zeros_like(U), np.zeros(H)
    dx = np.empty((T, B, W.shape[1]))
    carry = np.zeros((B, H)) if dh_T is None else _check_dout(dh_T, (B, H), "dh_T").copy()
    for t in reversed(range(T)):
        dh_t = dh[t] + carry                           # ∂L/∂h_t = ∂L_t/∂h_t + Uᵀ δ_{t+1}
        if record is not None:
            record.append(dh_t.copy())
        dx[t], carry, dW_t, dU_t, db_t = rnn_step_backward(dh_t, caches[t])
        dW += dW_t                                      # 同一组参数：各时刻的梯度相加
        dU += dU_t
        db += db_t
    return dx, carry, dW, dU, db


# ======================================================================== LSTM
def lstm_step_forward(x_t, h_prev, c_prev, W, U, b):
    r"""LSTM 的一步（书中第 6.6.1 节）：

    $$\begin{aligned}
    \boldsymbol{i}_t &= \sigma(\boldsymbol{W}_i\boldsymbol{x}_t + \boldsymbol{U}_i\boldsymbol{h}_{t-1} + \boldsymbol{b}_i), &
    \boldsymbol{f}_t &= \sigma(\boldsymbol{W}_f\boldsymbol{x}_t + \boldsymbol{U}_f\boldsymbol{h}_{t-1} + \boldsymbol{b}_f),\\
    \tilde{\boldsymbol{c}}_t &= \tanh(\boldsymbol{W}_c\boldsymbol{x}_t + \boldsymbol{U}_c\boldsymbol{h}_{t-1} + \boldsymbol{b}_c), &
    \boldsymbol{o}_t &= \sigma(\boldsymbol{W}_o\boldsymbol{x}_t + \boldsymbol{U}_o\boldsymbol{h}_{t-1} + \boldsymbol{b}_o),\\
    \boldsymbol{c}_t &= \boldsymbol{f}_t\odot\boldsymbol{c}_{t-1} + \boldsymbol{i}_t\odot\tilde{\boldsymbol{c}}_t, &
    \boldsymbol{h}_t &= \boldsymbol{o}_t\odot\tanh(\boldsymbol{c}_t)
    \end{aligned}$$

    候选记忆 $\tilde{\boldsymbol{c}}_t$ 用 **tanh**（取值 $(-1,1)$，能加也能减），三个门用 Logistic
    （取值 $(0,1)$，是"开多大"）。站点页面：第 6 章 6.6.1 节。

    Parameters
    ----------
    x_t : array (B, D)
    h_prev, c_prev : array (B, H)
    W : array (4H, D)
        $[\boldsymbol{W}_i; \boldsymbol{W}_f; \boldsymbol{W}_c; \boldsymbol{W}_o]$ 纵向堆叠——正是
        ``torch.nn.LSTM.weight_ih_l0`` 的顺序 (i, f, g, o)，torch 把 $\tilde{\boldsymbol{c}}$ 叫 g。
    U : array (4H, H)
        $[\boldsymbol{U}_i; \boldsymbol{U}_f; \boldsymbol{U}_c; \boldsymbol{U}_o]$，即 ``weight_hh_l0``。
    b : array (4H,)
        书中每个门一个偏置；torch 有两个（``bias_ih + bias_hh``），拷贝时令 ``bias_hh = 0``。

    Returns
    -------
    h_t, c_t : array (B, H)
    cache : tuple

    Examples
    --------
    >>> B, D, H = 2, 3, 4
    >>> h, c, _ = lstm_step_forward(np.ones((B, D)), np.zeros((B, H)), np.zeros((B, H)),
    ...                             np.zeros((4 * H, D)), np.zeros((4 * H, H)), np.zeros(4 * H))
    >>> float(c[0, 0]), float(h[0, 0])          # 各门都是 0.5，候选记忆 tanh(0) = 0
    (0.0, 0.0)
    """
    x_t = as_float_array(x_t, "x_t", ndim=2)
    W, U, b, H = _check_weights(W, U, b, 4, "lstm_step_forward")
    if x_t.shape[1] != W.shape[1]:
        raise ValueError(f"x_t 的形状应为 (B, D) 且 D={W.shape[1]}，实际为 {x_t.shape}")
    B = x_t.shape[0]
    h_prev = _check_state(h_prev, B, H, "h_prev")
    c_prev = _check_state(c_prev, B, H, "c_prev")
    a = x_t @ W.T + h_prev @ U.T + b                   # (B, 4H)：四个门的净输入一起算
    i_t = act.logistic(a[:, 0 * H:1 * H])             # 输入门 i_t = σ(·)
    f_t = act.logistic(a[:, 1 * H:2 * H])             # 遗忘门 f_t = σ(·)
    c_tilde = np.tanh(a[:, 2 * H:3 * H])               # 候选记忆 c̃_t = tanh(·)
    o_t = act.logistic(a[:, 3 * H:4 * H])             # 输出门 o_t = σ(·)
    # c_t = f_t ⊙ c_{t-1} + i_t ⊙ c̃_t
    c_t = f_t * c_prev + i_t * c_tilde
    # h_t = o_t ⊙ tanh(c_t)
    tanh_c = np.tanh(c_t)
    h_t = o_t * tanh_c
    return h_t, c_t, (x_t, h_prev, c_prev, W, U, i_t, f_t, c_tilde, o_t, tanh_c)


def lstm_step_backward(dh, dc, cache):
    r"""LSTM 一步的反向。已知 $\partial\mathcal{L}/\partial\boldsymbol{h}_t$ 与从 $t+1$ 传回的
    $\partial\mathcal{L}/\partial\boldsymbol{c}_t$：

    $$\frac{\partial\mathcal{L}}{\partial\boldsymbol{c}_t} \mathrel{+}= \frac{\partial\mathcal{L}}{\partial\boldsymbol{h}_t}\odot\boldsymbol{o}_t\odot\big(1-\tanh^2\boldsymbol{c}_t\big),\qquad
      \frac{\partial\mathcal{L}}{\partial\boldsymbol{c}_{t-1}} = \frac{\partial\mathcal{L}}{\partial\boldsymbol{c}_t}\odot\boldsymbol{f}_t$$

    后一式就是 LSTM 的"加法记忆通路"：只要遗忘门 $\boldsymbol{f}_t\approx 1$，记忆单元的梯度就几乎原样传回去，
    不必每一步都乘一个矩阵。书中第 6.6.1 节；站点页面：第 6 章 6.6.1 节。

    Returns
    -------
    dx_t : (B, D), dh_prev : (B, H), dc_prev : (B, H), dW : (4H, D), dU : (4H, H), db : (4H,)
    """
    x_t, h_prev, c_prev, W, U, i_t, f_t, c_tilde, o_t, tanh_c = cache
    dh = _check_dout(dh, h_prev.shape, "dh")
    dc = _check_dout(dc, h_prev.shape, "dc")
    do = dh * tanh_c                                    # h_t = o_t ⊙ tanh(c_t)
    dc = dc + dh * o_t * (1.0 - tanh_c ** 2)
    di = dc * c_tilde                                   # c_t = f_t ⊙ c_{t-1} + i_t ⊙ c̃_t
    df = dc * c_prev
    dc_tilde = dc * i_t
    dc_prev = dc * f_t
    da = np.concatenate([di * i_t * (1 - i_t),          # σ' = σ(1 − σ)
                         df * f_t * (1 - f_t),
                         dc_tilde * (1 - c_tilde ** 2),  # tanh' = 1 − tanh²
                         do * o_t * (1 - o_t)], axis=1)  # (B, 4H)
    return da @ W, da @ U, dc_prev, da.T @ x_t, da.T @ h_prev, da.sum(axis=0)


def lstm_forward(x, h0, c0, W, U, b):
    r"""LSTM 沿时间展开（书中第 6.6.1 节）。站点页面：第 6 章 6.6.1 节。

    Parameters
    ----------
    x : array (T, B, D)
    h0, c0 : array (B, H) or None（全零）
    W, U, b : 见 ``lstm_step_forward``。

    Returns
    -------
    h : array (T, B, H)
    state : tuple ``(h_T, c_T)``
    cache : tuple

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> H = 4
    >>> h, (hT, cT), _ = lstm_forward(rng.standard_normal((6, 2, 3)), None, None,
    ...                               rng.standard_normal((4 * H, 3)), rng.standard_normal((4 * H, H)), np.zeros(4 * H))
    >>> h.shape, bool(np.all(np.abs(h) < 1))
    ((6, 2, 4), True)
    """
    W, U, b, H = _check_weights(W, U, b, 4, "lstm_forward")
    x = _check_sequence(x, W.shape[1])
    T, B, _ = x.shape
    h_prev = _check_state(h0, B, H, "h0")
    c_prev = _check_state(c0, B, H, "c0")
    h = np.empty((T, B, H))
    caches = []
    for t in range(T):
        h[t], c_prev, cache = lstm_step_forward(x[t], h_prev, c_prev, W, U, b)
        caches.append(cache)
        h_prev = h[t]
    return h, (h_prev, c_prev), caches


def lstm_backward(dh, cache, dh_T=None, dc_T=None, record=None):
    r"""LSTM 的随时间反向传播。``record`` 给出时追加每一步的 $\partial\mathcal{L}/\partial\boldsymbol{h}_t$
    （从 $t=T$ 往回），含义同 ``rnn_backward``。书中第 6.6.1 节；站点页面：第 6 章 6.6.1 节。

    Parameters
    ----------
    dh : array (T, B, H)
    cache : 来自 ``lstm_forward``。
    dh_T, dc_T : array (B, H), optional
        最后状态 $(\boldsymbol{h}_T, \boldsymbol{c}_T)$ 被别处使用时传回的梯度。

    Returns
    -------
    dx : (T, B, D), dh0 : (B, H), dc0 : (B, H), dW : (4H, D), dU : (4H, H), db : (4H,)
    """
    caches = cache
    T = len(caches)
    W, U = caches[0][3], caches[0][4]
    B, H = caches[0][1].shape
    dh = _check_dout(dh, (T, B, H), "dh")
    dW, dU, db = np.zeros_like(W), np.zeros_like(U), np.zeros(4 * H)
    dx = np.empty((T, B, W.shape[1]))
    dh_next = np.zeros((B, H)) if dh_T is None else _check_dout(dh_T, (B, H), "dh_T").copy()
    dc_next = np.zeros((B, H)) if dc_T is None else _check_dout(dc_T, (B, H), "dc_T").copy()
    for t in reversed(range(T)):
        dh_t = dh[t] + dh_next
        if record is not None:
            record.append(dh_t.copy())
        dx[t], dh_next, dc_next, dW_t, dU_t, db_t = lstm_step_backward(dh_t, dc_next, caches[t])
        dW += dW_t
        dU += dU_t
        db += db_t
    return dx, dh_next, dc_next, dW, dU, db


# ======================================================================== GRU
def gru_step_forward(x_t, h_prev, W, U, b):
    r"""门控循环单元 GRU 的一步，按书中第 6.6.2 节的写法：

    $$\begin{aligned}
    \boldsymbol{r}_t &= \sigma(\boldsymbol{W}_r\boldsymbol{x}_t + \boldsymbol{U}_r\boldsymbol{h}_{t-1} + \boldsymbol{b}_r), \qquad
    \boldsymbol{z}_t = \sigma(\boldsymbol{W}_z\boldsymbol{x}_t + \boldsymbol{U}_z\boldsymbol{h}_{t-1} + \boldsymbol{b}_z),\\
    \tilde{\boldsymbol{h}}_t &= \tanh\big(\boldsymbol{W}_h\boldsymbol{x}_t + \boldsymbol{U}_h(\boldsymbol{r}_t\odot\boldsymbol{h}_{t-1}) + \boldsymbol{b}_h\big),\\
    \boldsymbol{h}_t &= \boldsymbol{z}_t\odot\boldsymbol{h}_{t-1} + (1-\boldsymbol{z}_t)\odot\tilde{\boldsymbol{h}}_t
    \end{aligned}$$

    $\boldsymbol{z}_t$ 是更新门（$\boldsymbol{z}_t\to 1$ 时保留旧状态），$\boldsymbol{r}_t$ 是重置门。
    站点页面：第 6 章 6.6.2 节。

    与 ``torch.nn.GRU`` 的区别：torch 把重置门放在矩阵乘法**之后**，并且多一个偏置
    $\boldsymbol{b}_{hn}$：$\tilde{\boldsymbol{h}}_t = \tanh\big(\boldsymbol{W}_h\boldsymbol{x}_t + \boldsymbol{b}_h +
    \boldsymbol{r}_t\odot(\boldsymbol{U}_h\boldsymbol{h}_{t-1} + \boldsymbol{b}_{hn})\big)$
    （Cho 等 2014 论文的第二种写法，cuDNN 也用它）。两者是不同的函数，参数拷过去结果也不相等；
    测试用一个按书中公式写的 torch 版本（``nndl_ref.torch.rnn.gru_forward``）对照。

    Parameters
    ----------
    x_t : array (B, D)
    h_prev : array (B, H)
    W : array (3H, D)
        $[\boldsymbol{W}_r; \boldsymbol{W}_z; \boldsymbol{W}_h]$，与 torch 的 ``weight_ih_l0``（r, z, n）同序。
    U : array (3H, H)
        $[\boldsymbol{U}_r; \boldsymbol{U}_z; \boldsymbol{U}_h]$。
    b : array (3H,)

    Returns
    -------
    h_t : array (B, H)
    cache : tuple

    Examples
    --------
    >>> H = 2
    >>> h, _ = gru_step_forward(np.ones((1, 3)), np.ones((1, H)), np.zeros((3 * H, 3)), np.zeros((3 * H, H)),
    ...                         np.zeros(3 * H))
    >>> h                                   # z = 0.5，h̃ = tanh(0) = 0：新状态是旧状态的一半
    array([[0.5, 0.5]])
    """
    x_t = as_float_array(x_t, "x_t", ndim=2)
    W, U, b, H = _check_weights(W, U, b, 3, "gru_step_forward")
    if x_t.shape[1] != W.shape[1]:
        raise ValueError(f"x_t 的形状应为 (B, D) 且 D={W.shape[1]}，实际为 {x_t.shape}")
    h_prev = _check_state(h_prev, x_t.shape[0], H, "h_prev")
    ax = x_t @ W.T + b                                  # (B, 3H)：W x_t + b，三个门一起算
    a_rz = ax[:, :2 * H] + h_prev @ U[:2 * H].T
    r_t = act.logistic(a_rz[:, :H])                     # 重置门 r_t
    z_t = act.logistic(a_rz[:, H:])                     # 更新门 z_t
    rh = r_t * h_prev                                   # r_t ⊙ h_{t-1}
    # h̃_t = tanh(W_h x_t + U_h (r_t ⊙ h_{t-1}) + b_h)
    h_tilde = np.tanh(ax[:, 2 * H:] + rh @ U[2 * H:].T)
    # h_t = z_t ⊙ h_{t-1} + (1 − z_t) ⊙ h̃_t
    h_t = z_t * h_prev + (1 - z_t) * h_tilde
    return h_t, (x_t, h_prev, W, U, r_t, z_t, rh, h_tilde)


def gru_step_backward(dh, cache):
    r"""GRU 一步的反向：

    $$\frac{\partial\mathcal{L}}{\partial\boldsymbol{h}_{t-1}} =
      \boldsymbol{z}_t\odot\frac{\partial\mathcal{L}}{\partial\boldsymbol{h}_t}
      + \boldsymbol{r}_t\odot\boldsymbol{U}_h^\top\delta^{h}_t + \boldsymbol{U}_r^\top\delta^{r}_t + \boldsymbol{U}_z^\top\delta^{z}_t$$

    第一项是 GRU 的加法通路（更新门 $\boldsymbol{z}_t\approx 1$ 时梯度几乎原样传回）。
    书中第 6.6.2 节；站点页面：第 6 章 6.6.2 节。

    Returns
    -------
    dx_t : (B, D), dh_prev : (B, H), dW : (3H, D), dU : (3H, H), db : (3H,)
    """
    x_t, h_prev, W, U, r_t, z_t, rh, h_tilde = cache
    H = h_prev.shape[1]
    dh = _check_dout(dh, h_prev.shape, "dh")
    dh_tilde = dh * (1 - z_t)                           # h_t = z ⊙ h_{t-1} + (1 − z) ⊙ h̃
    dz = dh * (h_prev - h_tilde)
    dh_prev = dh * z_t
    da_h = dh_tilde * (1 - h_tilde ** 2)                # δ^h：tanh 的导数
    drh = da_h @ U[2 * H:]                              # ∂L/∂(r ⊙ h_{t-1})
    dr = drh * h_prev
    dh_prev = dh_prev + drh * r_t
    da_rz = np.concatenate([dr * r_t * (1 - r_t), dz * z_t * (1 - z_t)], axis=1)   # δ^r, δ^z：(B, 2H)
    dh_prev = dh_prev + da_rz @ U[:2 * H]
    da = np.concatenate([da_rz, da_h], axis=1)          # (B, 3H)
    dU = np.concatenate([da_rz.T @ h_prev, da_h.T @ rh], axis=0)   # U_h 乘的是 r ⊙ h_{t-1}
    return da @ W, dh_prev, da.T @ x_t, dU, da.sum(axis=0)


def gru_forward(x, h0, W, U, b):
    r"""GRU 沿时间展开（书中第 6.6.2 节）。站点页面：第 6 章 6.6.2 节。

    Returns
    -------
    h : array (T, B, H)
    cache : tuple
    """
    W, U, b, H = _check_weights(W, U, b, 3, "gru_forward")
    x = _check_sequence(x, W.shape[1])
    T, B, _ = x.shape
    h_prev = _check_state(h0, B, H, "h0")
    h = np.empty((T, B, H))
    caches = []
    for t in range(T):
        h[t], c = gru_step_forward(x[t], h_prev, W, U, b)
        caches.append(c)
        h_prev = h[t]
    return h, caches


def gru_backward(dh, cache, dh_T=None, record=None):
    r"""GRU 的随时间反向传播；参数与返回值的含义同 ``rnn_backward``。书中第 6.6.2 节；站点页面：第 6 章 6.6.2 节。

    Returns
    -------
    dx : (T, B, D), dh0 : (B, H), dW : (3H, D), dU : (3H, H), db : (3H,)
    """
    caches = cache
    T = len(caches)
    W, U = caches[0][2], caches[0][3]
    B, H = caches[0][1].shape
    dh = _check_dout(dh, (T, B, H), "dh")
    dW, dU, db = np.zeros_like(W), np.zeros_like(U), np.zeros(3 * H)
    dx = np.empty((T, B, W.shape[1]))
    carry = np.zeros((B, H)) if dh_T is None else _check_dout(dh_T, (B, H), "dh_T").copy()
    for t in reversed(range(T)):
        dh_t = dh[t] + carry
        if record is not None:
            record.append(dh_t.copy())
        dx[t], carry, dW_t, dU_t, db_t = gru_step_backward(dh_t, caches[t])
        dW += dW_t
        dU += dU_t
        db += db_t
    return dx, carry, dW, dU, db


# ======================================================================== 梯度随时间步的变化
def bptt_gradient_norms(cell: str, x, W, U, b, activation: str = "tanh", seed: int = 0) -> np.ndarray:
    r"""只在最后时刻有损失 $\mathcal{L} = \boldsymbol{g}^\top\boldsymbol{h}_T$（$\boldsymbol{g}$ 为随机单位向量）时，
    各时刻的 $\lVert\partial\mathcal{L}/\partial\boldsymbol{h}_k\rVert$（对批取平均），$k = 1, \dots, T$。

    简单循环网络里 $\frac{\partial\boldsymbol{h}_T}{\partial\boldsymbol{h}_k} = \prod_{\tau=k+1}^{T}
    \mathrm{diag}\big(f'(\boldsymbol{z}_\tau)\big)\boldsymbol{U}$（书中第 6.5 节），所以这条曲线随 $T-k$ 大致按
    $\gamma^{T-k}$ 变化：$\gamma<1$ 消失，$\gamma>1$ 爆炸。站点页面：第 6 章 6.5 节（插图"梯度随时间步的变化"）。

    Parameters
    ----------
    cell : ``"rnn"`` | ``"lstm"`` | ``"gru"``
    x : array (T, B, D)
    W, U, b : 该单元的参数（形状见各自的 ``*_forward``）。
    activation : 简单循环网络的激活函数。

    Returns
    -------
    array (T,)
        第 $k-1$ 项是 $\lVert\partial\mathcal{L}/\partial\boldsymbol{h}_k\rVert$。

    Examples
    --------
    >>> T, H = 30, 8
    >>> norms = bptt_gradient_norms("rnn", np.zeros((T, 1, 1)), np.zeros((H, 1)), 0.5 * np.eye(H), np.zeros(H),
    ...                             activation="tanh")
    >>> bool(np.isclose(norms[0] / norms[-1], 0.5 ** (T - 1)))   # z = 0 处 tanh' = 1：每退一步乘 ρ(U) = 0.5
    True
    """
    if cell not in CELLS:
        raise ValueError(f"cell 应为 {tuple(CELLS)} 之一，实际为 {cell!r}")
    _, _, _, H = _check_weights(W, U, b, CELLS[cell], "bptt_gradient_norms")
    x = _check_sequence(x, np.shape(W)[1])
    T, B, _ = x.shape
    g = np.random.default_rng(check_seed(seed)).standard_normal(H)
    g /= np.linalg.norm(g)
    dh = np.zeros((T, B, H))
    dh[-1] = g                                         # 只有 L = gᵀ h_T
    record: list = []
    if cell == "rnn":
        _, cache = rnn_forward(x, None, W, U, b, activation)
        rnn_backward(dh, cache, record=record)
    elif cell == "lstm":
        _, _, cache = lstm_forward(x, None, None, W, U, b)
        lstm_backward(dh, cache, record=record)
    else:
        _, cache = gru_forward(x, None, W, U, b)
        gru_backward(dh, cache, record=record)
    norms = np.array([np.linalg.norm(r, axis=1).mean() for r in record])   # 从 t = T 往回记录
    return norms[::-1]


# ======================================================================== 梯度截断
def clip_grad_norm(grads: dict, max_norm: float) -> float:
    r"""按全局范数截断梯度（书中第 6.5 节、第 7.2 节），原地修改 ``grads``，返回截断**前**的范数：

    $$\lVert\boldsymbol{g}\rVert = \sqrt{\textstyle\sum_k \lVert\boldsymbol{g}_k\rVert_F^2},\qquad
      \boldsymbol{g}_k \leftarrow \boldsymbol{g}_k\cdot\min\Big(1,\ \frac{\theta}{\lVert\boldsymbol{g}\rVert + 10^{-6}}\Big)$$

    所有参数的梯度按**同一个**比例缩小，方向不变（逐元素截断会改变方向）。与
    ``torch.nn.utils.clip_grad_norm_`` 的公式相同（包括分母里的 $10^{-6}$）。站点页面：第 6 章 6.5 节。

    Parameters
    ----------
    grads : dict of ndarray
        梯度字典（原地缩放）。
    max_norm : float
        阈值 $\theta > 0$。

    Returns
    -------
    float
        截断前的全局范数（训练时记录它，能看出梯度何时爆炸）。

    Examples
    --------
    >>> g = {"W": np.array([3.0, 0.0]), "b": np.array([4.0])}
    >>> clip_grad_norm(g, 1.0)
    5.0
    >>> np.round(g["W"], 4), np.round(g["b"], 4)
    (array([0.6, 0. ]), array([0.8]))
    """
    if not isinstance(grads, dict) or not grads:
        raise TypeError("grads 应为非空字典 {名字: ndarray}")
    check_positive(max_norm, "max_norm")
    for k, g in grads.items():
        if not isinstance(g, np.ndarray) or not np.issubdtype(g.dtype, np.floating):
            raise TypeError(f"grads[{k!r}] 应为浮点 ndarray（会被原地缩放），实际为 {type(g).__name__}")
    total = float(np.sqrt(sum(float(np.sum(np.square(g, dtype=np.float64))) for g in grads.values())))
    if not np.isfinite(total):
        raise ValueError(f"梯度的全局范数为 {total}（含 NaN 或 inf）；截断救不回来，请降低学习率或检查数据")
    coef = max_norm / (total + 1e-6)
    if coef < 1.0:
        for g in grads.values():
            g *= coef
    return total


# ======================================================================== 层：单向、双向、多层
CELLS = {"rnn": 1, "lstm": 4, "gru": 3}


class Recurrent:
    r"""一层循环网络（单向）：``cell`` 为 ``"rnn"``（简单循环网络）、``"lstm"`` 或 ``"gru"``。

    ``params = {"W", "U", "b"}``，形状见模块说明；初始化与 torch 相同：
    $\mathcal{U}(-1/\sqrt{H}, 1/\sqrt{H})$。``forward(x, state)`` 返回每个时刻的 $\boldsymbol{h}_t$
    （``(T, B, H)``），最后状态放在 ``self.state``（LSTM 为 ``(h_T, c_T)``）；
    ``backward(dh, dstate=None)`` 返回 $\partial\mathcal{L}/\partial\boldsymbol{x}$，把梯度**累加**进
    ``grads``，初始状态的梯度放在 ``self.dstate0``。``reverse=True`` 时从 $t=T$ 读到 $t=1$
    （双向网络的反向那一层），输出仍按原来的时间顺序排列。

    站点页面：第 6 章 6.2、6.6、6.7 节。

    Examples
    --------
    >>> layer = Recurrent("lstm", 3, 5, np.random.default_rng(0))
    >>> h = layer.forward(np.ones((7, 2, 3)))
    >>> h.shape, layer.backward(np.ones_like(h)).shape, layer.grads["U"].shape
    ((7, 2, 5), (7, 2, 3), (20, 5))
    """

    def __init__(self, cell: str, input_size: int, hidden_size: int, rng: np.random.Generator,
                 activation: str = "tanh", reverse: bool = False):
        if cell not in CELLS:
            raise ValueError(f"cell 应为 {tuple(CELLS)} 之一，实际为 {cell!r}")
        check_positive(input_size, "input_size", integer=True)
        check_positive(hidden_size, "hidden_size", integer=True)
        check_rng(rng)
        check_bool(reverse, "reverse")
        if cell == "rnn":
            _f(activation)
        G, H, D = CELLS[cell], hidden_size, input_size
        k = 1.0 / np.sqrt(H)
        self.cell, self.activation, self.reverse = cell, activation, reverse
        self.input_size, self.hidden_size = D, H
        self.params = {"W": rng.uniform(-k, k, (G * H, D)), "U": rng.uniform(-k, k, (G * H, H)),
                       "b": rng.uniform(-k, k, G * H)}
        self.grads = {n: np.zeros_like(p) for n, p in self.params.items()}
        self.cache = None
        self.state = None
        self.dstate0 = None
        self.batch_shape = None                          # 最近一次前向的 (T, B)

    def check_state(self, state, B: int, name: str = "state"):
        """初始状态（或反向时最后状态的梯度）：简单循环网络与 GRU 为 None 或 (B, H)，LSTM 为 None 或 (h, c)。"""
        H = self.hidden_size
        if self.cell != "lstm":
            return _check_state(state, B, H, name)
        if state is None:
            return None, None
        if not isinstance(state, (tuple, list)) or len(state) != 2:
            raise TypeError(f"LSTM 的 {name} 应为 None 或 (h, c) 二元组，各为 (B, H) = {(B, H)}，"
                            f"实际得到 {type(state).__name__}")
        return tuple(None if s is None else _check_state(s, B, H, f"{name}[{i}]") for i, s in enumerate(state))

    def forward(self, x, state=None):
        x = _check_sequence(x, self.input_size)
        state = self.check_state(state, x.shape[1])
        if self.reverse:
            x = x[::-1]                                  # 从 t = T 读到 t = 1
        p = self.params
        if self.cell == "rnn":
            h, self.cache = rnn_forward(x, state, p["W"], p["U"], p["b"], self.activation)
            self.state = h[-1]
        elif self.cell == "lstm":
            h, self.state, self.cache = lstm_forward(x, *state, p["W"], p["U"], p["b"])
        else:
            h, self.cache = gru_forward(x, state, p["W"], p["U"], p["b"])
            self.state = h[-1]
        self.batch_shape = x.shape[:2]
        return h[::-1] if self.reverse else h

    def backward(self, dh, dstate=None, record=None):
        if self.cache is None:
            raise RuntimeError("Recurrent.backward 之前必须先调用 forward")
        dh = as_float_array(dh, "dh", ndim=3)
        dstate = self.check_state(dstate, self.batch_shape[1], "dstate")
        if record is not None and not isinstance(record, list):
            raise TypeError(f"record 应为 list 或 None（逐步追加 ∂L/∂h_t），实际得到 {type(record).__name__}")
        if self.reverse:
            dh = dh[::-1]
        if self.cell == "lstm":
            dx, dh0, dc0, dW, dU, db = lstm_backward(dh, self.cache, *dstate, record)
            self.dstate0 = (dh0, dc0)
        else:
            bwd = rnn_backward if self.cell == "rnn" else gru_backward
            dx, dh0, dW, dU, db = bwd(dh, self.cache, dstate, record)
            self.dstate0 = dh0
        for name, g in (("W", dW), ("U", dU), ("b", db)):
            self.grads[name] += g
        return dx[::-1] if self.reverse else dx

    def zero_grad(self) -> None:
        for g in self.grads.values():
            g[...] = 0.0

    def __repr__(self):
        return f"Recurrent({self.cell!r}, {self.input_size}, {self.hidden_size}" + \
            (", reverse=True)" if self.reverse else ")")


class DeepRNN:
    r"""多层（深度）循环网络，可选双向（书中第 6.7 节）。

    第 $l$ 层的输入是第 $l-1$ 层各时刻的输出（第 1 层是 $\boldsymbol{x}$）。双向时每层有两个方向：

    $$\overrightarrow{\boldsymbol{h}}_t = f\big(\overrightarrow{\boldsymbol{U}}\,\overrightarrow{\boldsymbol{h}}_{t-1} + \overrightarrow{\boldsymbol{W}}\boldsymbol{x}_t + \overrightarrow{\boldsymbol{b}}\big),\quad
      \overleftarrow{\boldsymbol{h}}_t = f\big(\overleftarrow{\boldsymbol{U}}\,\overleftarrow{\boldsymbol{h}}_{t+1} + \overleftarrow{\boldsymbol{W}}\boldsymbol{x}_t + \overleftarrow{\boldsymbol{b}}\big),\quad
      \boldsymbol{h}_t = \overrightarrow{\boldsymbol{h}}_t \oplus \overleftarrow{\boldsymbol{h}}_t$$

    （$\oplus$ 为拼接。）参数名 ``"l.W"``、``"l.U"``、``"l.b"``，反向那一层是 ``"l.W_reverse"`` 等——与
    torch 的 ``weight_ih_l{l}`` / ``weight_ih_l{l}_reverse`` 一一对应，见
    ``nndl_ref.torch.rnn.load_numpy``。站点页面：第 6 章 6.7 节。

    Examples
    --------
    >>> net = DeepRNN("gru", 3, 4, num_layers=2, bidirectional=True, seed=0)
    >>> net.forward(np.ones((5, 2, 3))).shape
    (5, 2, 8)
    >>> sorted(net.params())[:3]
    ['0.U', '0.U_reverse', '0.W']
    """

    def __init__(self, cell: str, input_size: int, hidden_size: int, num_layers: int = 1,
                 bidirectional: bool = False, *, activation: str = "tanh", seed: int = 0,
                 rng: np.random.Generator | None = None):
        check_positive(num_layers, "num_layers", integer=True)
        rng = np.random.default_rng(check_seed(seed)) if rng is None else check_rng(rng)
        self.cell, self.hidden_size, self.num_layers = cell, hidden_size, num_layers
        self.bidirectional = check_bool(bidirectional, "bidirectional")
        self.input_size = input_size
        self.layers: list[list[Recurrent]] = []
        d = input_size
        for _ in range(num_layers):
            dirs = [Recurrent(cell, d, hidden_size, rng, activation)]
            if self.bidirectional:
                dirs.append(Recurrent(cell, d, hidden_size, rng, activation, reverse=True))
            self.layers.append(dirs)
            d = hidden_size * len(dirs)

    @property
    def output_size(self) -> int:
        return self.hidden_size * (2 if self.bidirectional else 1)

    def forward(self, x, state=None):
        """``x`` (T, B, D) → 最后一层各时刻的输出 (T, B, H·方向数)。``state``：每层每个方向的初始状态列表或 ``None``。"""
        x = _check_sequence(x, self.input_size)
        self._check_states(state, x.shape[1], "state")   # 全部检查完再让第一层前向：坏的状态不留下前向了一半的层
        for l, dirs in enumerate(self.layers):
            outs = [layer.forward(x, None if state is None else state[l * len(dirs) + k])
                    for k, layer in enumerate(dirs)]
            x = np.concatenate(outs, axis=2) if len(outs) > 1 else outs[0]   # (T, B, H·方向数)
        return x

    @property
    def states(self) -> list:
        """每层每个方向的最后状态（顺序：第 0 层正向、第 0 层反向、第 1 层正向……）。"""
        return [layer.state for dirs in self.layers for layer in dirs]

    def _check_states(self, states, B: int, name: str) -> None:
        if states is None:
            return
        n = len(self.layers) * len(self.layers[0])
        if not isinstance(states, (list, tuple)) or len(states) != n:
            raise ValueError(f"{name} 应为 None 或长为 层数×方向数 = {n} 的列表（每层每个方向一个），"
                             f"实际为 {type(states).__name__}" + (f"（长 {len(states)}）" if isinstance(states, (list, tuple)) else ""))
        for i, (layer, s) in enumerate(zip((m for dirs in self.layers for m in dirs), states)):
            layer.check_state(s, B, f"{name}[{i}]")

    def backward(self, dout, dstates=None):
        top = self.layers[-1][0]
        if top.cache is None:
            raise RuntimeError("DeepRNN.backward 之前必须先调用 forward")
        T, B = top.batch_shape
        dout = _check_dout(dout, (T, B, self.output_size), "dout")   # (T, B, H·方向数)，全部检查完再反向
        self._check_states(dstates, B, "dstates")
        H = self.hidden_size
        for l in reversed(range(self.num_layers)):
            dirs = self.layers[l]
            dx = 0.0
            for k, layer in enumerate(dirs):
                ds = None if dstates is None else dstates[l * len(dirs) + k]
                dx = dx + layer.backward(dout[:, :, k * H:(k + 1) * H], ds)
            dout = dx
        return dout

    @property
    def dstates0(self) -> list:
        return [layer.dstate0 for dirs in self.layers for layer in dirs]

    def params(self) -> dict[str, np.ndarray]:
        return {f"{l}.{n}" + ("_reverse" if k else ""): p for l, dirs in enumerate(self.layers)
                for k, layer in enumerate(dirs) for n, p in layer.params.items()}

    def grads(self) -> dict[str, np.ndarray]:
        return {f"{l}.{n}" + ("_reverse" if k else ""): g for l, dirs in enumerate(self.layers)
                for k, layer in enumerate(dirs) for n, g in layer.grads.items()}

    def zero_grad(self) -> None:
        for dirs in self.layers:
            for layer in dirs:
                layer.zero_grad()


# ======================================================================== 三种序列形状
def _copies(grads: dict) -> dict:
    """梯度的副本：层里的 ``grads`` 会在下一次反向时被清零重算，返回给调用者的不能是同一块内存。"""
    return {k: v.copy() for k, v in grads.items()}


class SequenceClassifier:
    r"""多对一（序列分类，书中第 6.3.1 节的"序列到类别"）：循环网络读完整条序列，用最后的状态分类。

    $$\hat{\boldsymbol{y}} = \mathrm{softmax}\big(\boldsymbol{V}\boldsymbol{h}_T + \boldsymbol{c}\big)$$

    双向时用 $\overrightarrow{\boldsymbol{h}}_T\oplus\overleftarrow{\boldsymbol{h}}_1$（两个方向各自读完整条序列后的状态）。
    ``loss_and_grads(x, y)`` 返回批平均交叉熵与全部梯度。站点页面：第 6 章 6.3 节。

    Examples
    --------
    >>> clf = SequenceClassifier("gru", 1, 8, 3, seed=0)
    >>> loss, grads = clf.loss_and_grads(np.ones((10, 4, 1)), np.array([0, 1, 2, 0]))
    >>> bool(loss > 0), grads["V"].shape
    (True, (3, 8))
    """

    def __init__(self, cell: str, input_size: int, hidden_size: int, num_classes: int, num_layers: int = 1,
                 bidirectional: bool = False, *, seed: int = 0):
        rng = np.random.default_rng(check_seed(seed))
        self.rnn = DeepRNN(cell, input_size, hidden_size, num_layers, bidirectional, rng=rng)
        self.V = init_weight(num_classes, self.rnn.output_size, rng, init="xavier")
        self.c = np.zeros(num_classes)
        self.num_classes = num_classes

    def params(self) -> dict[str, np.ndarray]:
        return {**self.rnn.params(), "V": self.V, "c": self.c}

    def _summary(self, h):
        H = self.rnn.hidden_size
        if self.rnn.bidirectional:                       # 正向的 h_T 与反向的 h_1
            return np.concatenate([h[-1, :, :H], h[0, :, H:]], axis=1)
        return h[-1]

    def logits(self, x):
        x = _check_sequence(x, self.rnn.input_size)
        return self._summary(self.rnn.forward(x)) @ self.V.T + self.c

    def predict(self, x):
        return self.logits(x).argmax(axis=1)

    def loss_and_grads(self, x, y):
        x = _check_sequence(x, self.rnn.input_size)
        y = as_labels(y, "y", n=x.shape[1], num_classes=self.num_classes)
        h = self.rnn.forward(x)                          # (T, B, H·方向数)
        s = self._summary(h)                             # (B, H·方向数)
        Z = s @ self.V.T + self.c
        loss, dZ = cross_entropy(Z, y), cross_entropy_grad(Z, y)
        ds = dZ @ self.V
        dh = np.zeros_like(h)                            # 多对一：只有最后时刻（双向时还有反向的第 1 时刻）有梯度
        H = self.rnn.hidden_size
        if self.rnn.bidirectional:
            dh[-1, :, :H], dh[0, :, H:] = ds[:, :H], ds[:, H:]
        else:
            dh[-1] = ds
        self.rnn.zero_grad()
        self.rnn.backward(dh)
        return float(loss), {**_copies(self.rnn.grads()), "V": dZ.T @ s, "c": dZ.sum(axis=0)}


def sequence_cross_entropy(Z, y):
    r"""同步多对多（序列标注、语言模型）的损失：每个时刻一个交叉熵，对全部 $T\cdot B$ 个位置取平均。

    书中第 6.3.2 节；站点页面：第 6 章 6.3 节。

    $$\mathcal{L} = \frac{1}{TB}\sum_{t=1}^{T}\sum_{n=1}^{B} -\log\hat{y}^{(n)}_{t,\,y^{(n)}_t}$$

    Parameters
    ----------
    Z : array (T, B, C)
        各时刻的 logit。
    y : array (T, B)
        各时刻的整数标签。

    Returns
    -------
    loss : float
    dZ : array (T, B, C)

    Examples
    --------
    >>> loss, dZ = sequence_cross_entropy(np.zeros((3, 2, 4)), np.zeros((3, 2), dtype=int))
    >>> round(loss, 4), dZ.shape                       # log 4
    (1.3863, (3, 2, 4))
    """
    Z = as_float_array(Z, "Z", ndim=3)
    T, B, C = Z.shape
    y = np.asarray(y)
    if y.shape != (T, B):
        raise ValueError(f"y 的形状应为 (T, B) = {(T, B)}（每个时刻一个标签），实际为 {y.shape}")
    Zf = Z.reshape(T * B, C)                             # (T·B, C)
    yf = as_labels(y.reshape(-1), "y", num_classes=C)
    return float(cross_entropy(Zf, yf)), cross_entropy_grad(Zf, yf).reshape(T, B, C)


class SequenceTagger:
    r"""同步多对多（序列标注，书中第 6.3.2 节）：每个时刻 $\hat{\boldsymbol{y}}_t = \mathrm{softmax}(\boldsymbol{V}\boldsymbol{h}_t + \boldsymbol{c})$。

    字符级语言模型也是这种形状：输入第 $t$ 个字符，标签是第 $t+1$ 个字符。站点页面：第 6 章 6.3 节。

    Examples
    --------
    >>> tagger = SequenceTagger("lstm", 4, 6, 4, seed=0)
    >>> loss, grads = tagger.loss_and_grads(np.ones((5, 2, 4)), np.zeros((5, 2), dtype=int))
    >>> sorted(grads)
    ['0.U', '0.W', '0.b', 'V', 'c']
    """

    def __init__(self, cell: str, input_size: int, hidden_size: int, num_classes: int, num_layers: int = 1,
                 bidirectional: bool = False, *, seed: int = 0):
        rng = np.random.default_rng(check_seed(seed))
        self.rnn = DeepRNN(cell, input_size, hidden_size, num_layers, bidirectional, rng=rng)
        self.V = init_weight(num_classes, self.rnn.output_size, rng, init="xavier")
        self.c = np.zeros(num_classes)
        self.num_classes = num_classes

    def params(self) -> dict[str, np.ndarray]:
        return {**self.rnn.params(), "V": self.V, "c": self.c}

    def logits(self, x):
        return self.rnn.forward(x) @ self.V.T + self.c     # (T, B, C)

    def loss_and_grads(self, x, y):
        x = _check_sequence(x, self.rnn.input_size)      # 先检查输入与标签，再前向（前向会改写各层的缓存）
        sequence_cross_entropy(np.zeros(x.shape[:2] + (self.num_classes,)), y)
        h = self.rnn.forward(x)                          # (T, B, H')
        loss, dZ = sequence_cross_entropy(h @ self.V.T + self.c, y)
        T, B, C = dZ.shape
        self.rnn.zero_grad()
        self.rnn.backward(dZ @ self.V)
        hf = h.reshape(T * B, -1)                        # (T·B, H')
        return loss, {**_copies(self.rnn.grads()), "V": dZ.reshape(T * B, C).T @ hf, "c": dZ.sum(axis=(0, 1))}


class Seq2Seq:
    r"""编码器-解码器（异步多对多，书中第 6.3.3 节）：编码器读完输入序列，最后状态交给解码器作初始状态，
    解码器每步读入上一个目标符号（训练时用真实的上一个符号，即 teacher forcing），预测下一个。

    $$\boldsymbol{h}^{\mathrm{enc}}_T = \mathrm{Enc}(\boldsymbol{x}_{1:T}),\quad
      \boldsymbol{s}_0 = \boldsymbol{h}^{\mathrm{enc}}_T,\quad
      \boldsymbol{s}_k = \mathrm{Dec}(\boldsymbol{s}_{k-1}, \boldsymbol{y}_{k-1}),\quad
      \hat{\boldsymbol{y}}_k = \mathrm{softmax}(\boldsymbol{V}\boldsymbol{s}_k + \boldsymbol{c})$$

    输入输出都是 one-hot 编码的符号。反向时，解码器传回的 $\partial\mathcal{L}/\partial\boldsymbol{s}_0$ 作为编码器
    最后状态的梯度（``dstate``）继续往回传——这就是 ``*_backward`` 的 ``dh_T`` 参数的用处。站点页面：第 6 章 6.3 节。

    Examples
    --------
    >>> m = Seq2Seq("gru", vocab_size=5, hidden_size=8, seed=0)
    >>> loss, grads = m.loss_and_grads(np.array([[1, 2], [3, 4]]), np.array([[0, 0], [4, 3], [3, 4]]))
    >>> sorted(grads)
    ['V', 'c', 'dec.U', 'dec.W', 'dec.b', 'enc.U', 'enc.W', 'enc.b']
    """

    def __init__(self, cell: str, vocab_size: int, hidden_size: int, *, seed: int = 0):
        rng = np.random.default_rng(check_seed(seed))
        self.cell, self.vocab_size = cell, vocab_size
        self.enc = Recurrent(cell, vocab_size, hidden_size, rng)
        self.dec = Recurrent(cell, vocab_size, hidden_size, rng)
        self.V = init_weight(vocab_size, hidden_size, rng, init="xavier")
        self.c = np.zeros(vocab_size)

    def _onehot(self, tokens, name):
        tokens = np.asarray(tokens)
        if tokens.ndim != 2:
            raise ValueError(f"{name} 应为 (长度, B) 的整数符号矩阵，实际形状为 {tokens.shape}")
        as_labels(tokens.reshape(-1), name, num_classes=self.vocab_size)
        return np.eye(self.vocab_size)[tokens]           # (长度, B, V)

    def params(self) -> dict[str, np.ndarray]:
        return {**{f"enc.{k}": v for k, v in self.enc.params.items()},
                **{f"dec.{k}": v for k, v in self.dec.params.items()}, "V": self.V, "c": self.c}

    def loss_and_grads(self, src, tgt):
        """``src`` (T, B) 输入符号；``tgt`` (K+1, B) 目标符号，``tgt[0]`` 是起始符。返回平均交叉熵与梯度。"""
        x_src = self._onehot(src, "src")                 # 先检查两条序列，再改动编码器、解码器的缓存
        tgt = np.asarray(tgt)
        x_tgt = self._onehot(tgt, "tgt")[:-1]            # 最后一个符号只作目标，但也要在范围内
        if tgt.shape[0] < 2 or tgt.shape[1] != x_src.shape[1]:
            raise ValueError(f"tgt 的形状应为 (K+1, B) 且 K ≥ 1、B={x_src.shape[1]}（与 src 相同），实际为 {tgt.shape}")
        self.enc.forward(x_src)
        s = self.dec.forward(x_tgt, self.enc.state)      # teacher forcing
        loss, dZ = sequence_cross_entropy(s @ self.V.T + self.c, tgt[1:])
        K, B, C = dZ.shape
        self.enc.zero_grad()
        self.dec.zero_grad()
        self.dec.backward(dZ @ self.V)
        T = np.asarray(src).shape[0]
        self.enc.backward(np.zeros((T, B, self.enc.hidden_size)), self.dec.dstate0)
        sf = s.reshape(K * B, -1)
        return loss, {**{f"enc.{k}": v.copy() for k, v in self.enc.grads.items()},
                      **{f"dec.{k}": v.copy() for k, v in self.dec.grads.items()},
                      "V": dZ.reshape(K * B, C).T @ sf, "c": dZ.sum(axis=(0, 1))}

    def generate(self, src, start: int, length: int):
        """贪心解码：每步取概率最大的符号作为下一步的输入。返回 (length, B) 的整数矩阵。"""
        x_src = self._onehot(src, "src")
        check_positive(length, "length", integer=True)
        as_labels([start], "start", num_classes=self.vocab_size)
        self.enc.forward(x_src)
        state = self.enc.state
        B = np.asarray(src).shape[1]
        tok = np.full((1, B), start)
        out = []
        for _ in range(length):
            s = self.dec.forward(self._onehot(tok, "tok"), state)
            state = self.dec.state
            tok = (s[-1] @ self.V.T + self.c).argmax(axis=1)[None]
            out.append(tok[0])
        return np.stack(out)


# ======================================================================== torch.nn.GRU 的写法与 MNIST-1D 分类器
def gru_torch_forward(x, h0, W, U, b, b_U):
    r"""``torch.nn.GRU`` 的 GRU（重置门在矩阵乘法**之后**），沿时间展开。站点页面：第 6 章 6.9.2 节。

    $$\begin{aligned}
    \boldsymbol{r}_t &= \sigma(\boldsymbol{W}_r\boldsymbol{x}_t + \boldsymbol{b}_r + \boldsymbol{U}_r\boldsymbol{h}_{t-1} + \boldsymbol{b}^U_r), \qquad
    \boldsymbol{z}_t = \sigma(\boldsymbol{W}_z\boldsymbol{x}_t + \boldsymbol{b}_z + \boldsymbol{U}_z\boldsymbol{h}_{t-1} + \boldsymbol{b}^U_z),\\
    \tilde{\boldsymbol{h}}_t &= \tanh\big(\boldsymbol{W}_h\boldsymbol{x}_t + \boldsymbol{b}_h + \boldsymbol{r}_t\odot(\boldsymbol{U}_h\boldsymbol{h}_{t-1} + \boldsymbol{b}^U_h)\big),\qquad
    \boldsymbol{h}_t = \boldsymbol{z}_t\odot\boldsymbol{h}_{t-1} + (1-\boldsymbol{z}_t)\odot\tilde{\boldsymbol{h}}_t
    \end{aligned}$$

    与书中公式（``gru_forward``，第 6.6.2 节）只差 $\tilde{\boldsymbol{h}}_t$ 一行：书中是
    $\boldsymbol{U}_h(\boldsymbol{r}_t\odot\boldsymbol{h}_{t-1})$。这里按 torch 写，是为了让 torch 训练好的
    ``nn.GRU`` 权重原样载入后得到**同一个**函数。参数与 torch 一一对应：``W`` = ``weight_ih_l0``、
    ``U`` = ``weight_hh_l0``、``b`` = ``bias_ih_l0``、``b_U`` = ``bias_hh_l0``（门的顺序 r, z, h）。

    与可读版 ``gru_forward`` 逐步调用单步函数不同，这里先用**一次**矩阵乘法算出全部时刻的输入投影
    $\boldsymbol{W}\boldsymbol{x}_t+\boldsymbol{b}$（它们不依赖 $\boldsymbol{h}$），循环里只剩
    $\boldsymbol{U}\boldsymbol{h}_{t-1}$ 一次乘法；反向时 $\partial\mathcal{L}/\partial\boldsymbol{W}$
    也攒齐所有时刻后一次算完。

    Parameters
    ----------
    x : array (T, B, D)
    h0 : array (B, H) or None
    W : array (3H, D)
    U : array (3H, H)
    b, b_U : array (3H,)

    Returns
    -------
    h : array (T, B, H)
    cache : tuple

    Examples
    --------
    >>> H = 2
    >>> h, _ = gru_torch_forward(np.ones((3, 1, 1)), np.ones((1, H)), np.zeros((3 * H, 1)), np.zeros((3 * H, H)),
    ...                          np.zeros(3 * H), np.zeros(3 * H))
    >>> h[:, 0, 0]                          # z = 0.5，h̃ = 0：每步减半
    array([0.5  , 0.25 , 0.125])
    """
    W, U, b, H = _check_weights(W, U, b, 3, "gru_torch_forward")
    b_U = as_float_array(b_U, "b_U", ndim=1)
    if b_U.shape != (3 * H,):
        raise ValueError(f"gru_torch_forward 的 b_U 形状应为 (3·H,) = ({3 * H},)，实际为 {b_U.shape}")
    x = _check_sequence(x, W.shape[1])
    T, B, _ = x.shape
    h_prev = _check_state(h0, B, H, "h0")
    dtype = np.result_type(x, W, h_prev)
    ax = x @ W.T + b                                    # (T, B, 3H)：全部时刻的 W x_t + b，一次算完
    h = np.empty((T + 1, B, H), dtype=dtype)            # h[0] = h_0，h[t] = h_t
    h[0] = h_prev
    r = np.empty((T, B, H), dtype=dtype)
    z = np.empty_like(r)
    h_tilde = np.empty_like(r)
    uh_h = np.empty_like(r)                             # U_h h_{t-1} + b^U_h（反向求 ∂L/∂r 要用）
    for t in range(T):
        au = h[t] @ U.T + b_U                           # (B, 3H)：U h_{t-1} + b^U，三个门一次乘
        r[t] = act.logistic(ax[t, :, :H] + au[:, :H])                # 重置门 r_t
        z[t] = act.logistic(ax[t, :, H:2 * H] + au[:, H:2 * H])     # 更新门 z_t
        uh_h[t] = au[:, 2 * H:]
        h_tilde[t] = np.tanh(ax[t, :, 2 * H:] + r[t] * uh_h[t])     # h̃_t：重置门乘在 U_h h 之后
        h[t + 1] = z[t] * h[t] + (1 - z[t]) * h_tilde[t]            # h_t
    return h[1:], (x, h, W, U, r, z, h_tilde, uh_h)


def gru_torch_backward(dh, cache, dh_T=None):
    r"""``gru_torch_forward`` 的随时间反向传播。

    记 $\delta^h_t = \partial\mathcal{L}/\partial\boldsymbol{h}_t$，每一步：

    $$\delta^{\tilde h} = \delta^h\odot(1-\boldsymbol{z})\odot(1-\tilde{\boldsymbol{h}}^2),\quad
      \delta^{r} = \delta^{\tilde h}\odot(\boldsymbol{U}_h\boldsymbol{h}_{t-1}+\boldsymbol{b}^U_h)\odot\boldsymbol{r}(1-\boldsymbol{r}),\quad
      \delta^{z} = \delta^h\odot(\boldsymbol{h}_{t-1}-\tilde{\boldsymbol{h}})\odot\boldsymbol{z}(1-\boldsymbol{z})$$

    $$\frac{\partial\mathcal{L}}{\partial\boldsymbol{h}_{t-1}} = \boldsymbol{z}\odot\delta^h
      + \boldsymbol{U}^\top\big[\delta^{r};\ \delta^{z};\ \boldsymbol{r}\odot\delta^{\tilde h}\big]$$

    站点页面：第 6 章 6.9.2 节。

    Parameters
    ----------
    dh : array (T, B, H) or None
        每个时刻输出的梯度；``None`` 表示只有最后状态有梯度（多对一分类）。
    cache : ``gru_torch_forward`` 返回的 cache
    dh_T : array (B, H) or None
        最后状态 $\boldsymbol{h}_T$ 的额外梯度。

    Returns
    -------
    dx : (T, B, D), dh0 : (B, H), dW : (3H, D), dU : (3H, H), db : (3H,), db_U : (3H,)
    """
    x, h, W, U, r, z, h_tilde, uh_h = cache
    T, B, H = r.shape
    if dh is not None:
        dh = _check_dout(dh, (T, B, H), "dh")
    carry = np.zeros((B, H), dtype=r.dtype) if dh_T is None else _check_dout(dh_T, (B, H), "dh_T").copy()
    da_x = np.empty((T, B, 3 * H), dtype=r.dtype)      # ∂L/∂(W x_t + b)
    da_u = np.empty((B, 3 * H), dtype=r.dtype)          # ∂L/∂(U h_{t-1} + b^U)，逐步复用
    dU = np.zeros_like(U)
    db_U = np.zeros(3 * H, dtype=r.dtype)
    for t in reversed(range(T)):
        d = carry if dh is None else dh[t] + carry      # δ^h_t
        dh_tilde = d * (1 - z[t]) * (1 - h_tilde[t] ** 2)              # 穿过 (1 − z) ⊙ 与 tanh
        da_x[t, :, 2 * H:] = dh_tilde
        da_u[:, 2 * H:] = dh_tilde * r[t]               # h̃ 里是 r ⊙ (U_h h + b^U_h)
        da_x[t, :, :H] = da_u[:, :H] = dh_tilde * uh_h[t] * r[t] * (1 - r[t])              # δ^r
        da_x[t, :, H:2 * H] = da_u[:, H:2 * H] = d * (h[t] - h_tilde[t]) * z[t] * (1 - z[t])   # δ^z
        dU += da_u.T @ h[t]
        db_U += da_u.sum(axis=0)
        carry = d * z[t] + da_u @ U                     # ∂L/∂h_{t-1}：加法通路 + 经过 U 的三条路
    D = x.shape[2]
    dW = da_x.reshape(T * B, 3 * H).T @ x.reshape(T * B, D)          # 全部时刻一次算完
    dx = da_x @ W
    return dx, carry, dW, dU, da_x.sum(axis=(0, 1)), db_U


class MNIST1DGRU:
    r"""MNIST-1D 上的 GRU 分类器（多对一），torch 版 ``train_mnist1d_gru`` 里那个模型的 NumPy 孪生。

    torch 版是 ``nndl_ref.torch.rnn.SequenceClassifier("gru", chunk, hidden_size, 10, bidirectional=True)``
    （循环层是 ``nn.GRU``），所以这里的 GRU 用 torch 的写法 ``gru_torch_forward``。双向时两个方向各读一遍：

    $$\hat{\boldsymbol{y}} = \mathrm{softmax}\big(\boldsymbol{V}[\overrightarrow{\boldsymbol{h}}_T\oplus\overleftarrow{\boldsymbol{h}}_1] + \boldsymbol{c}\big)$$

    ``X`` 可以是 (B, 40) 的 MNIST-1D 样本（每 ``chunk`` 个相邻的点合成一个时刻，$T = 40/\text{chunk}$），
    也可以是时间在前的 (T, B, chunk)。参数名：``W``、``U``、``b``、``b_U``（反向那一层加 ``_reverse``）、
    ``V``、``c``，与 torch 的对应见 ``torch_names``，形状相同、不转置；初始化的分布也与 torch 相同。
    书中第 6.3.1、6.6.2、6.7 节；站点页面：第 6 章 6.9.2 节。

    Examples
    --------
    >>> net = MNIST1DGRU(hidden_size=8, seed=0)
    >>> net.n_params()
    698
    >>> loss, grads = net.loss_and_grads(np.zeros((3, 40)), np.array([0, 1, 2]))
    >>> grads["U_reverse"].shape, net.forward(np.zeros((3, 40))).shape
    ((24, 8), (3, 10))
    """

    def __init__(self, hidden_size: int = 64, bidirectional: bool = True, chunk: int = 1, num_classes: int = 10,
                 *, length: int = 40, seed: int = 0):
        H = check_positive(hidden_size, "hidden_size", integer=True)
        check_positive(num_classes, "num_classes", integer=True)
        check_positive(length, "length", integer=True)
        if not (isinstance(chunk, int) and chunk > 0 and length % chunk == 0):
            raise ValueError(f"chunk 应为能整除序列长度 {length} 的正整数，实际为 {chunk!r}")
        self.hidden_size, self.bidirectional, self.chunk = H, check_bool(bidirectional, "bidirectional"), chunk
        self.num_classes, self.length = num_classes, length
        rng = np.random.default_rng(check_seed(seed))
        k = 1.0 / np.sqrt(H)                             # torch 的默认初始化：U(−1/√H, 1/√H)
        self._params: dict[str, np.ndarray] = {}
        for sfx in self._suffixes():
            self._params.update({f"W{sfx}": rng.uniform(-k, k, (3 * H, chunk)), f"U{sfx}": rng.uniform(-k, k, (3 * H, H)),
                                 f"b{sfx}": rng.uniform(-k, k, 3 * H), f"b_U{sfx}": rng.uniform(-k, k, 3 * H)})
        S = H * len(self._suffixes())
        k = 1.0 / np.sqrt(S)
        self._params["V"] = rng.uniform(-k, k, (num_classes, S))
        self._params["c"] = rng.uniform(-k, k, num_classes)
        self.cache = None

    def _suffixes(self) -> tuple[str, ...]:
        return ("", "_reverse") if self.bidirectional else ("",)

    @property
    def torch_names(self) -> dict[str, str]:
        """NumPy 参数名 → torch ``SequenceClassifier`` 的 ``state_dict`` 键。"""
        names = {}
        for sfx in self._suffixes():
            names.update({f"W{sfx}": f"rnn.weight_ih_l0{sfx}", f"U{sfx}": f"rnn.weight_hh_l0{sfx}",
                          f"b{sfx}": f"rnn.bias_ih_l0{sfx}", f"b_U{sfx}": f"rnn.bias_hh_l0{sfx}"})
        return {**names, "V": "head.weight", "c": "head.bias"}

    # ------------------------------------------------------------ 与 torch 互通
    @classmethod
    def from_torch(cls, model) -> "MNIST1DGRU":
        """由 torch 的 ``SequenceClassifier("gru", ...)``（``nn.GRU``，一层）建一个参数相同的 NumPy 模型（float64）。"""
        sd = model.state_dict() if callable(getattr(model, "state_dict", None)) else {}
        U = sd.get("rnn.weight_hh_l0")
        if U is None or "rnn.bias_hh_l0" not in sd or "rnn.weight_ih_l1" in sd or U.shape[0] != 3 * U.shape[1]:
            raise ValueError("model 应为一层 nn.GRU 的 nndl_ref.torch.rnn.SequenceClassifier（如 train_mnist1d_gru 返回的模型）")
        H, D = int(sd["rnn.weight_hh_l0"].shape[1]), int(sd["rnn.weight_ih_l0"].shape[1])
        net = cls(H, "rnn.weight_ih_l0_reverse" in sd, D, int(sd["head.weight"].shape[0]))
        return net.load_torch_state_dict(sd)

    def load_torch_state_dict(self, state_dict) -> "MNIST1DGRU":
        """从 torch 的 ``state_dict()``（张量或数组）拷贝参数，按 ``torch_names`` 对应，形状须相同；返回 ``self``。"""
        copy_state_dict(self._params, state_dict, self.torch_names)
        return self

    # ------------------------------------------------------------ 前向与反向
    def _sequences(self, X) -> np.ndarray:
        X = as_float_array(X, "X", ndim=(2, 3))
        if X.ndim == 2:
            if X.shape[1] != self.length:
                raise ValueError(f"二维的 X 应为 (B, {self.length})（每行一条序列），实际形状为 {X.shape}")
            B = X.shape[0]
            return X.reshape(B, self.length // self.chunk, self.chunk).transpose(1, 0, 2)   # (T, B, chunk)
        return _check_sequence(X, self.chunk)

    def params(self) -> dict[str, np.ndarray]:
        return self._params

    def forward(self, X) -> np.ndarray:
        """返回 logit (B, C)。"""
        x = self._sequences(X)
        p = self._params
        finals, caches = [], []
        for sfx in self._suffixes():
            xs = x[::-1] if sfx else x                  # 反向那一层从 t = T 读到 t = 1
            h, cache = gru_torch_forward(xs, None, p[f"W{sfx}"], p[f"U{sfx}"], p[f"b{sfx}"], p[f"b_U{sfx}"])
            finals.append(h[-1])                        # →h_T；反向那一层读完后是 ←h_1
            caches.append(cache)
        s = np.concatenate(finals, axis=1)              # (B, H·方向数)
        self.cache = (caches, s)
        return s @ p["V"].T + p["c"]

    def backward(self, dZ) -> dict[str, np.ndarray]:
        """由 $\\partial\\mathcal{L}/\\partial\\boldsymbol{z}$ (B, C) 反向，返回全部参数的梯度（新数组）。"""
        if self.cache is None:
            raise RuntimeError("MNIST1DGRU.backward 之前必须先调用 forward")
        caches, s = self.cache
        dZ = as_float_array(dZ, "dZ", ndim=2)
        if dZ.shape != (s.shape[0], self.num_classes):
            raise ValueError(f"dZ 的形状应为 (B, C) = {(s.shape[0], self.num_classes)}，实际为 {dZ.shape}")
        grads = {"V": dZ.T @ s, "c": dZ.sum(axis=0)}
        ds = dZ @ self._params["V"]
        H = self.hidden_size
        for k, sfx in enumerate(self._suffixes()):      # 多对一：只有最后状态有梯度
            _, _, dW, dU, db, db_U = gru_torch_backward(None, caches[k], dh_T=ds[:, k * H:(k + 1) * H])
            grads.update({f"W{sfx}": dW, f"U{sfx}": dU, f"b{sfx}": db, f"b_U{sfx}": db_U})
        return {k: grads[k] for k in self._params}

    def loss_and_grads(self, X, y):
        """一次前向 + 一次反向：返回 ``(loss, grads)``，``grads`` 的键与 ``params()`` 相同。"""
        y = as_labels(y, "y", n=self._sequences(X).shape[1], num_classes=self.num_classes)   # 先检查，再改缓存
        Z = self.forward(X)
        loss, dZ = cross_entropy(Z, y), cross_entropy_grad(Z, y)
        return float(loss), self.backward(dZ)

    def predict(self, X) -> np.ndarray:
        return self.forward(X).argmax(axis=1)

    def n_params(self) -> int:
        return int(sum(v.size for v in self._params.values()))

    def __repr__(self):
        return (f"MNIST1DGRU(hidden_size={self.hidden_size}, bidirectional={self.bidirectional}, "
                f"chunk={self.chunk})")


def train_mnist1d_gru(*, hidden_size: int = 64, bidirectional: bool = True, chunk: int = 1, epochs: int = 15,
                      lr: float = 1e-2, batch_size: int = 100, seed: int = 0, progress: bool | None = None,
                      threads: int | None = 1):
    r"""NumPy 版的 ``nndl_ref.torch.rnn.train_mnist1d_gru``：同样的模型、超参数与训练步骤，返回 ``(model, history)``。

    Adam（``nndl_ref.numpy.optim.Adam``），学习率按余弦从 ``lr`` 退火到 0（每批一步，
    ``nndl_ref.numpy.schedules``），梯度全局范数截断到 1（``clip_grad_norm``）。``history``
    （``nndl_ref.progress.History``）每轮记一行：训练损失、前 1000 个训练样本上的准确率、测试集的损失与准确率；
    ``history.seconds`` 是训练用时。随机性全部来自 ``seed``（初始化与每轮的打乱，序列与 torch 版不同）。
    ``threads``：训练期间 BLAS 的线程数（默认 1，与 torch 版相同；这里的矩阵都很小，多线程反而慢）。
    在 2 核测试机上单线程训练一次约 20 秒（torch 版约 15 秒）。站点页面：第 6 章 6.9.2 节。
    """
    import math
    import time

    from ..data_mnist1d import load_mnist1d
    from ..progress import History
    from .optim import Adam
    from .schedules import Scheduler

    check_positive(epochs, "epochs", integer=True)
    check_positive(batch_size, "batch_size", integer=True)
    if threads is not None:
        check_positive(threads, "threads", integer=True)
    model = MNIST1DGRU(hidden_size, bidirectional, chunk, seed=seed)   # 先检查全部超参数，再生成数据
    opt = Adam(model.params(), lr=lr)
    d = load_mnist1d()
    n = d.X_train.shape[0]
    sched = Scheduler(opt, "cosine", T_max=epochs * math.ceil(n / batch_size))
    rng = np.random.default_rng(seed)
    hist = History()
    with blas_threads(threads):
        t0 = time.perf_counter()
        _gru_epochs(model, opt, sched, d, rng, epochs, batch_size, hist, progress)
        hist.seconds = time.perf_counter() - t0
    return model, hist


def _gru_epochs(model, opt, sched, d, rng, epochs, batch_size, hist, progress):
    from ..progress import progress_bar, progress_enabled

    n = d.X_train.shape[0]
    for _ in progress_bar(range(epochs), total=epochs, desc="epoch", enabled=progress_enabled(progress)):
        total = 0.0
        order = rng.permutation(n)
        for i in range(0, n, batch_size):
            idx = order[i:i + batch_size]
            loss, grads = model.loss_and_grads(d.X_train[idx], d.y_train[idx])
            clip_grad_norm(grads, 1.0)
            opt.step(grads)
            sched.step()
            total += loss * len(idx)
        Z = model.forward(d.X_test)
        train_acc = float(np.mean(model.predict(d.X_train[:1000]) == d.y_train[:1000]))
        hist.log(total / n, train_acc, float(cross_entropy(Z, d.y_test)), float(np.mean(Z.argmax(1) == d.y_test)))

