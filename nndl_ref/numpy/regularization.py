r"""网络正则化（NumPy 从零实现）：丢弃法、$\ell_1$ / $\ell_2$ 正则、解耦的权重衰减。

对应书中第 7.7 节（网络正则化）：7.7.1 $\ell_1$ 和 $\ell_2$ 正则化、7.7.2 权重衰减、7.7.4 丢弃法；
站点页面：第 7 章 ``ch07-optim``。提前停止（7.7.3）在训练循环里：``nndl_ref.torch.trainer``。

**丢弃概率的记号。** 这里的 ``p`` 与 ``torch.nn.Dropout(p)`` 相同，是**丢弃**的概率；书中的 $p$
是**保留**的概率（书中的 $p$ = 这里的 $1-p$）。
"""

from __future__ import annotations

import numpy as np

from .._validate import as_float_array, check_array_dict, check_bool, check_nonneg, check_positive, check_rng
from .layers import Layer

DROPOUT_MODES = ("inverted", "scale_at_test")


def _check_p(p) -> float:
    if isinstance(p, bool) or not isinstance(p, (int, float)) or not 0.0 <= p < 1.0:
        raise ValueError(f"丢弃概率 p 应在 [0, 1) 内，实际为 {p!r}")
    return float(p)


def _check_params(params: dict, name: str = "params") -> dict:
    """正则项作用的参数：``{名字: 数组}`` 的非空字典，全部是有限实数。"""
    if not isinstance(params, dict) or not params:
        raise TypeError(f"{name} 应为非空字典 {{名字: 数组}}，实际得到 {type(params).__name__}")
    for k, W in params.items():
        as_float_array(W, f"{name}[{k!r}]")
    return params


def dropout_forward(x, p: float = 0.5, *, training: bool = True, rng: np.random.Generator | None = None,
                    mask=None, mode: str = "inverted"):
    r"""丢弃法：训练时每个神经元以概率 $p$ 置 0。书中第 7.7.4 节；站点第 7 章。

    掩码 $\boldsymbol{m}$ 的每个元素独立服从 $\mathrm{Bernoulli}(1-p)$（1 = 保留）。两种等价的写法：

    - ``mode="inverted"``（torch 与现在的通行做法）：训练时 $\boldsymbol{y} = \boldsymbol{m}\odot\boldsymbol{x}/(1-p)$，
      测试时 $\boldsymbol{y}=\boldsymbol{x}$；
    - ``mode="scale_at_test"``（原始论文与笔记的写法）：训练时 $\boldsymbol{y} = \boldsymbol{m}\odot\boldsymbol{x}$，
      测试时 $\boldsymbol{y} = (1-p)\,\boldsymbol{x}$。

    两者训练时的输出期望与测试时的输出之比都是 1，区别只是整体差一个常数 $1-p$，
    它会被下一层的权重吸收（``tests/test_ch07_regularization.py`` 验证两者期望相等）。

    Parameters
    ----------
    x : array，任意形状
    p : float
        丢弃概率，$0\le p<1$。
    training : bool
        ``False`` 时不丢弃（测试模式）。
    rng : numpy.random.Generator
        训练模式下生成掩码用；与 ``mask`` 二选一。
    mask : array of bool / 0-1，与 ``x`` 同形状
        直接给出掩码（测试与对照 torch 时用）。
    mode : ``"inverted"`` | ``"scale_at_test"``

    Returns
    -------
    out : 与 ``x`` 同形状；cache : ``(mask, scale)``，反向用。

    Examples
    --------
    >>> x = np.ones(4)
    >>> dropout_forward(x, 0.5, mask=np.array([1, 0, 1, 1]))[0]
    array([2., 0., 2., 2.])
    >>> dropout_forward(x, 0.5, training=False, mode="scale_at_test")[0]
    array([0.5, 0.5, 0.5, 0.5])
    """
    x = as_float_array(x, "x")
    p = _check_p(p)
    if mode not in DROPOUT_MODES:
        raise ValueError(f"mode 应为 {DROPOUT_MODES} 之一，实际为 {mode!r}")
    check_bool(training, "training")
    if not training:
        scale = 1.0 if mode == "inverted" else 1.0 - p
        return x * scale, (None, scale)
    if mask is None:
        if not isinstance(rng, np.random.Generator):
            raise TypeError("训练模式的 dropout 需要 rng（numpy.random.Generator）或显式的 mask")
        mask = rng.random(x.shape) >= p                     # 以概率 1 − p 保留
    else:
        mask = np.asarray(mask)
        if mask.shape != x.shape:
            raise ValueError(f"mask 的形状应与 x 相同 {x.shape}，实际为 {mask.shape}")
        if mask.dtype != np.bool_ and not (np.issubdtype(mask.dtype, np.number) and np.all(np.isin(mask, (0, 1)))):
            raise ValueError(f"mask 应为布尔数组或只含 0/1 的数组（1 表示保留），实际 dtype 为 {mask.dtype}")
        mask = mask.astype(bool)
    scale = 1.0 / (1.0 - p) if mode == "inverted" else 1.0
    return x * mask * scale, (mask, scale)


def dropout_backward(dout, cache):
    r"""丢弃法的反向：$\partial\mathcal{L}/\partial\boldsymbol{x} = \boldsymbol{m}\odot\partial\mathcal{L}/\partial\boldsymbol{y}\cdot s$（与前向同一个掩码）。

    书中第 7.7.4 节；站点第 7 章。
    """
    mask, scale = cache
    dout = as_float_array(dout, "dout")
    if mask is None:
        return dout * scale
    if dout.shape != mask.shape:
        raise ValueError(f"dout 的形状应与前向输入相同 {mask.shape}，实际为 {dout.shape}")
    return dout * mask * scale


class Dropout(Layer):
    r"""丢弃层：``Dropout(p, rng)``；``train()`` / ``eval()`` 切换模式。书中第 7.7.4 节；站点第 7 章。"""

    def __init__(self, p: float = 0.5, rng: np.random.Generator | None = None, mode: str = "inverted"):
        super().__init__()
        self.p = _check_p(p)
        if mode not in DROPOUT_MODES:
            raise ValueError(f"mode 应为 {DROPOUT_MODES} 之一，实际为 {mode!r}")
        self.rng = check_rng(rng) if rng is not None else np.random.default_rng(0)
        self.mode = mode
        self.training = True

    def train(self, mode: bool = True) -> "Dropout":
        self.training = check_bool(mode, "mode")
        return self

    def eval(self) -> "Dropout":
        return self.train(False)

    def forward(self, x):
        out, self.cache = dropout_forward(x, self.p, training=self.training, rng=self.rng, mode=self.mode)
        return out

    def backward(self, dout):
        self._check_cache()
        return dropout_backward(dout, self.cache)

    def __repr__(self):
        return f"Dropout(p={self.p}, mode={self.mode!r})"


def l2_penalty(params: dict, lam: float) -> tuple[float, dict]:
    r"""$\ell_2$ 正则项 $\frac{\lambda}{2}\sum_i\lVert W_i\rVert_F^2$ 及其梯度 $\lambda W_i$。书中第 7.7.1 节；站点第 7 章。

    系数带 $\frac12$，梯度才正好是 ``weight_decay=λ`` 加在梯度上的 $\lambda W$（torch 的约定）。
    笔记写的 $\lambda\sum w_i^2$（不带 $\frac12$）对应 ``weight_decay=2λ``。通常只对权重、不对偏置正则，
    所以 ``params`` 由调用者挑选。

    Examples
    --------
    >>> l2_penalty({"W": np.array([3.0, -4.0])}, 0.1)
    (1.25, {'W': array([ 0.3, -0.4])})
    """
    check_nonneg(lam, "lam")
    _check_params(params)
    value = 0.5 * lam * sum(float(np.sum(W * W)) for W in params.values())
    return value, {k: lam * W for k, W in params.items()}


def l1_penalty(params: dict, lam: float) -> tuple[float, dict]:
    r"""$\ell_1$ 正则项 $\lambda\sum_i\lVert W_i\rVert_1$ 及其（次）梯度 $\lambda\,\mathrm{sign}(W_i)$。书中第 7.7.1 节；站点第 7 章。

    $|w|$ 在 0 处不可导，取次梯度 0（与 torch 的 ``abs`` 的反向相同）。$\ell_1$ 的梯度大小不随 $w$
    变小而变小，所以会把不重要的权重一直推到 0 附近（稀疏）；$\ell_2$ 的梯度 $\lambda w$ 随 $w$ 变小，
    只让权重变小、不为 0。

    Examples
    --------
    >>> l1_penalty({"W": np.array([3.0, -4.0, 0.0])}, 0.1)
    (0.7000000000000001, {'W': array([ 0.1, -0.1,  0. ])})
    """
    check_nonneg(lam, "lam")
    _check_params(params)
    value = lam * sum(float(np.sum(np.abs(W))) for W in params.values())
    return value, {k: lam * np.sign(W) for k, W in params.items()}


def decoupled_weight_decay(params: dict, lr: float, weight_decay: float) -> None:
    r"""解耦的权重衰减：$\theta \leftarrow (1-\alpha\lambda)\,\theta$（原地），与梯度步分开做。书中第 7.7.2 节；站点第 7 章。

    书中写 $\theta_t \leftarrow (1-\beta)\theta_{t-1} - \alpha g_t$，这里 $\beta = \alpha\lambda$。
    对 SGD 它与 $\ell_2$ 正则（梯度加 $\lambda\theta$）逐步相同；对 Adam 不同，见 ``optim.AdamW``。
    """
    check_positive(lr, "lr")
    check_nonneg(weight_decay, "weight_decay")
    check_array_dict(params)
    for p in params.values():
        p *= 1 - lr * weight_decay
