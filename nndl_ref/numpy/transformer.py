r"""Transformer 的积木（NumPy 从零实现）：词嵌入、位置编码、逐位置前馈网络、编码器块与解码器块。

对应书中第 8.3 节（自注意力模型）与第 15.6 节（基于自注意力的序列到序列模型）；
站点页面 ``docs/ch08-attention/index.md``。

一个编码器块由两个子层组成，每个子层外面套"残差连接 + 层归一化"。层归一化放在哪里有两种写法：

$$\text{后归一化（post-norm，原论文）：}\quad \boldsymbol{X} \leftarrow \operatorname{LN}\big(\boldsymbol{X} + \operatorname{Sublayer}(\boldsymbol{X})\big)$$

$$\text{前归一化（pre-norm，GPT-2 之后常用）：}\quad \boldsymbol{X} \leftarrow \boldsymbol{X} + \operatorname{Sublayer}\big(\operatorname{LN}(\boldsymbol{X})\big)$$

解码器块多一个子层：先做带因果掩码的自注意力，再对编码器输出做交叉注意力，最后是前馈网络。
这里的块与 ``torch.nn.TransformerEncoderLayer`` / ``TransformerDecoderLayer``（``dropout=0``、
``batch_first=True``、``norm_first`` 对应 ``pre_norm``）逐一对应，见 ``nndl_ref.torch.transformer.load_numpy_block``。
"""

from __future__ import annotations

import numpy as np

from .._validate import as_float_array, check_positive
from .attention import MultiHeadAttention, causal_mask
from .layers import Layer
from .norm import LayerNorm


# ======================================================================== 词嵌入
def one_hot(ids, num_classes: int) -> np.ndarray:
    r"""整数编号 → one-hot 向量：形状 ``ids.shape + (num_classes,)``。书中第 8.3 节；站点页面 ``docs/ch08-attention/index.md``。

    Examples
    --------
    >>> one_hot([2, 0], 3)
    array([[0., 0., 1.],
           [1., 0., 0.]])
    """
    ids = _check_ids(ids, num_classes)
    return np.eye(num_classes)[ids]


def _check_ids(ids, V):
    ids = np.asarray(ids)
    if not np.issubdtype(ids.dtype, np.integer):
        raise TypeError(f"ids 应为整数数组（词表里的编号），实际 dtype 为 {ids.dtype}")
    if ids.size and (ids.min() < 0 or ids.max() >= V):
        raise ValueError(f"ids 的取值应在 [0, {V}) 内，实际范围 [{ids.min()}, {ids.max()}]")
    return ids


def embedding_forward(ids, E):
    r"""词嵌入：第 $i$ 个词的向量就是嵌入矩阵的第 $i$ 行，等价于 one-hot 向量乘矩阵：

    $$\boldsymbol{e}(w) = \boldsymbol{E}^\top\boldsymbol{o}(w) \quad\Longleftrightarrow\quad \texttt{E[ids]} = \texttt{one\_hot(ids)}\ @\ \texttt{E}$$

    书中第 8.3 节；站点页面 ``docs/ch08-attention/index.md``。与 ``torch.nn.Embedding.weight`` 的布局相同。

    Parameters
    ----------
    ids : int array (...)；E : array (V, D)

    Returns
    -------
    out : array (..., D)；cache : ``(ids, V)``。
    """
    E = as_float_array(E, "E", ndim=2)
    ids = _check_ids(ids, E.shape[0])
    return E[ids], (ids, E.shape[0])


def embedding_backward(dout, cache):
    r"""词嵌入的反向：$\partial\mathcal{L}/\partial\boldsymbol{E} = \boldsymbol{O}^\top \boldsymbol{G}$，
    也就是把上游梯度按编号累加到对应的行（同一个词出现几次就加几次）。书中第 8.3 节。"""
    ids, V = cache
    dout = as_float_array(dout, "dout")
    if dout.shape[:-1] != ids.shape:
        raise ValueError(f"dout 的形状应为 ids.shape + (D,) = {ids.shape} + (D,)，实际为 {dout.shape}")
    dE = np.zeros((V, dout.shape[-1]))
    np.add.at(dE, ids.ravel(), dout.reshape(-1, dout.shape[-1]))   # 重复的编号要累加，不能用 dE[ids] += ...
    return dE


# ======================================================================== 位置编码
def sinusoidal_positional_encoding(T: int, D: int, base: float = 10000.0) -> np.ndarray:
    r"""正弦位置编码（Vaswani 等 2017）：

    $$\mathrm{PE}_{t,2i} = \sin\big(t / \text{base}^{2i/D}\big), \qquad \mathrm{PE}_{t,2i+1} = \cos\big(t / \text{base}^{2i/D}\big)$$

    书中第 8.3 节（自注意力模型的位置编码）；站点页面 ``docs/ch08-attention/index.md``。

    Returns
    -------
    PE : array (T, D)，第 $t$ 行加到第 $t$ 个词的嵌入上。

    Examples
    --------
    >>> sinusoidal_positional_encoding(2, 4).round(4)
    array([[0.    , 1.    , 0.    , 1.    ],
           [0.8415, 0.5403, 0.01  , 1.    ]])
    """
    check_positive(T, "T", integer=True)
    check_positive(D, "D", integer=True)
    if D % 2:
        raise ValueError(f"正弦位置编码的维数 D 应为偶数（sin、cos 成对），实际为 {D}")
    t = np.arange(T)[:, None]                                 # (T, 1)
    freq = base ** (-np.arange(0, D, 2) / D)                  # (D/2,)：1 / base^{2i/D}
    PE = np.zeros((T, D))
    PE[:, 0::2] = np.sin(t * freq)
    PE[:, 1::2] = np.cos(t * freq)
    return PE


# ======================================================================== 逐位置前馈网络
class FeedForward(Layer):
    r"""逐位置前馈网络 $\operatorname{FFN}(\boldsymbol{x}) = \boldsymbol{W}_2\,\operatorname{ReLU}(\boldsymbol{W}_1\boldsymbol{x}+\boldsymbol{b}_1)+\boldsymbol{b}_2$，
    对每个位置独立地作用（就是第 4 章的两层感知器）。书中第 8.3 节；站点页面 ``docs/ch08-attention/index.md``。

    ``params``：``W1`` (F, D)、``b1`` (F,)、``W2`` (D, F)、``b2`` (D,)，与 torch 的 ``linear1``、``linear2`` 相同。
    """

    def __init__(self, D: int, F: int, rng: np.random.Generator):
        super().__init__()
        a1, a2 = 1 / np.sqrt(D), 1 / np.sqrt(F)               # 与 torch.nn.Linear 的默认初始化同分布
        self.params = {"W1": rng.uniform(-a1, a1, (F, D)), "b1": rng.uniform(-a1, a1, F),
                       "W2": rng.uniform(-a2, a2, (D, F)), "b2": rng.uniform(-a2, a2, D)}
        self.grads = {k: np.zeros_like(v) for k, v in self.params.items()}

    def forward(self, X):
        p = self.params
        Z = X @ p["W1"].T + p["b1"]                           # (B, T, F)
        Hd = np.maximum(Z, 0.0)                               # ReLU
        self.cache = (X, Z, Hd)
        return Hd @ p["W2"].T + p["b2"]                       # (B, T, D)

    def backward(self, dY):
        self._check_cache()
        X, Z, Hd = self.cache
        p, g = self.params, self.grads
        D, F = p["W2"].shape
        g["W2"] += dY.reshape(-1, D).T @ Hd.reshape(-1, F)        # (D, B·T) @ (B·T, F)
        g["b2"] += dY.sum(axis=(0, 1))
        dZ = (dY @ p["W2"]) * (Z > 0)                         # (B, T, F)
        g["W1"] += dZ.reshape(-1, F).T @ X.reshape(-1, D)         # (F, B·T) @ (B·T, D)
        g["b1"] += dZ.sum(axis=(0, 1))
        return dZ @ p["W1"]


# ======================================================================== 编码器块与解码器块
class _Block(Layer):
    """把子层的参数汇总成 ``"子层名.参数名"`` 的字典（与子层共用同一批数组）。"""

    def _collect(self, **subs):
        self.subs = subs
        self.params = {f"{s}.{k}": v for s, m in subs.items() for k, v in m.params.items()}
        self.grads = {f"{s}.{k}": v for s, m in subs.items() for k, v in m.grads.items()}

    def zero_grad(self) -> None:
        for m in self.subs.values():
            m.zero_grad()


class EncoderBlock(_Block):
    r"""Transformer 编码器块：多头自注意力与前馈网络两个子层，各带残差连接与层归一化。

    书中第 8.3 节与第 15.6 节；站点页面 ``docs/ch08-attention/index.md``。

    ``pre_norm=False``（后归一化，原论文）：$\boldsymbol{X}_1=\operatorname{LN}_1(\boldsymbol{X}+\operatorname{MHA}(\boldsymbol{X}))$，
    $\boldsymbol{Y}=\operatorname{LN}_2(\boldsymbol{X}_1+\operatorname{FFN}(\boldsymbol{X}_1))$。
    ``pre_norm=True``：$\boldsymbol{X}_1=\boldsymbol{X}+\operatorname{MHA}(\operatorname{LN}_1(\boldsymbol{X}))$，
    $\boldsymbol{Y}=\boldsymbol{X}_1+\operatorname{FFN}(\operatorname{LN}_2(\boldsymbol{X}_1))$。

    与 ``torch.nn.TransformerEncoderLayer(D, h, F, dropout=0, batch_first=True, norm_first=pre_norm)`` 相同，
    权重对应见 ``nndl_ref.torch.transformer.load_numpy_block``。``forward(X, mask=None)``，``backward(dY) -> dX``。

    Examples
    --------
    >>> blk = EncoderBlock(8, 2, 16, np.random.default_rng(0))
    >>> blk.forward(np.random.default_rng(1).normal(size=(2, 5, 8))).shape
    (2, 5, 8)
    """

    def __init__(self, D: int, num_heads: int, F: int, rng: np.random.Generator, pre_norm: bool = False):
        super().__init__()
        self.pre_norm = pre_norm
        self._collect(attn=MultiHeadAttention(D, num_heads, rng), ffn=FeedForward(D, F, rng),
                      ln1=LayerNorm(D), ln2=LayerNorm(D))

    def forward(self, X, mask=None):
        X = as_float_array(X, "X", ndim=3)
        s = self.subs
        self.cache = True
        if self.pre_norm:
            X1 = X + s["attn"].forward(s["ln1"].forward(X), mask=mask)
            return X1 + s["ffn"].forward(s["ln2"].forward(X1))
        X1 = s["ln1"].forward(X + s["attn"].forward(X, mask=mask))
        return s["ln2"].forward(X1 + s["ffn"].forward(X1))

    def backward(self, dY):
        self._check_cache()
        s = self.subs
        if self.pre_norm:
            # Y = X1 + FFN(LN2(X1))：残差支路的梯度直接相加
            dX1 = dY + s["ln2"].backward(s["ffn"].backward(dY))
            return dX1 + s["ln1"].backward(s["attn"].backward(dX1))
        dR2 = s["ln2"].backward(dY)                              # R2 = X1 + FFN(X1)
        dX1 = dR2 + s["ffn"].backward(dR2)
        dR1 = s["ln1"].backward(dX1)                             # R1 = X + MHA(X)
        return dR1 + s["attn"].backward(dR1)


class DecoderBlock(_Block):
    r"""Transformer 解码器块：带因果掩码的自注意力、对编码器输出 ``memory`` 的交叉注意力、前馈网络，
    三个子层各带残差连接与层归一化（``pre_norm`` 的含义同 ``EncoderBlock``）。

    书中第 15.6 节；站点页面 ``docs/ch08-attention/index.md``。与
    ``torch.nn.TransformerDecoderLayer(D, h, F, dropout=0, batch_first=True, norm_first=pre_norm)`` 相同
    （调用时 ``tgt_is_causal`` 对应的 ``tgt_mask`` 由本类自己加上）。
    ``forward(X, memory)``；``backward(dY) -> (dX, dmemory)``。
    """

    def __init__(self, D: int, num_heads: int, F: int, rng: np.random.Generator, pre_norm: bool = False):
        super().__init__()
        self.pre_norm = pre_norm
        self._collect(self_attn=MultiHeadAttention(D, num_heads, rng), cross_attn=MultiHeadAttention(D, num_heads, rng),
                      ffn=FeedForward(D, F, rng), ln1=LayerNorm(D), ln2=LayerNorm(D), ln3=LayerNorm(D))

    def forward(self, X, memory):
        X = as_float_array(X, "X", ndim=3)
        memory = as_float_array(memory, "memory", ndim=3)
        s = self.subs
        mask = causal_mask(X.shape[1])                           # 解码器只能看已经生成的位置
        self.cache = True
        if self.pre_norm:
            X1 = X + s["self_attn"].forward(s["ln1"].forward(X), mask=mask)
            X2 = X1 + s["cross_attn"].forward(s["ln2"].forward(X1), memory)
            return X2 + s["ffn"].forward(s["ln3"].forward(X2))
        X1 = s["ln1"].forward(X + s["self_attn"].forward(X, mask=mask))
        X2 = s["ln2"].forward(X1 + s["cross_attn"].forward(X1, memory))
        return s["ln3"].forward(X2 + s["ffn"].forward(X2))

    def backward(self, dY):
        self._check_cache()
        s = self.subs
        if self.pre_norm:
            dX2 = dY + s["ln3"].backward(s["ffn"].backward(dY))
            dq, dmem = s["cross_attn"].backward(dX2)
            dX1 = dX2 + s["ln2"].backward(dq)
            return dX1 + s["ln1"].backward(s["self_attn"].backward(dX1)), dmem
        dR3 = s["ln3"].backward(dY)
        dX2 = dR3 + s["ffn"].backward(dR3)
        dR2 = s["ln2"].backward(dX2)
        dq, dmem = s["cross_attn"].backward(dR2)
        dX1 = dR2 + dq
        dR1 = s["ln1"].backward(dX1)
        return dR1 + s["self_attn"].backward(dR1), dmem
