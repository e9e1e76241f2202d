r"""Transformer 的积木（NumPy 从零实现）：词嵌入、位置编码、逐位置前馈网络、编码器块与解码器块，
以及用它们搭成的 MNIST-1D 分类器 ``MNIST1DTransformer``（分片嵌入 + 编码器 + 平均汇聚，手写反向）。

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

from .._validate import as_float_array, as_labels, check_bool, check_positive, check_rng, check_seed, check_shape
from ._twins import blas_threads, copy_state_dict
from .attention import MultiHeadAttention, _head_mask, causal_mask
from .layers import Layer, softmax_cross_entropy
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
    check_positive(num_classes, "num_classes", integer=True)
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
    if dout.ndim == 0 or dout.shape[:-1] != ids.shape:
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
    check_positive(base, "base")
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
        check_positive(D, "D", integer=True), check_positive(F, "F", integer=True), check_rng(rng)
        a1, a2 = 1 / np.sqrt(D), 1 / np.sqrt(F)               # 与 torch.nn.Linear 的默认初始化同分布
        self.params = {"W1": rng.uniform(-a1, a1, (F, D)), "b1": rng.uniform(-a1, a1, F),
                       "W2": rng.uniform(-a2, a2, (D, F)), "b2": rng.uniform(-a2, a2, D)}
        self.grads = {k: np.zeros_like(v) for k, v in self.params.items()}

    def forward(self, X):
        p = self.params
        X = as_float_array(X, "X", ndim=3)
        if X.shape[2] != p["W1"].shape[1]:
            raise ValueError(f"X 的形状应为 (B, T, D) 且 D={p['W1'].shape[1]}，实际为 {X.shape}")
        Z = X @ p["W1"].T + p["b1"]                           # (B, T, F)
        Hd = np.maximum(Z, 0.0)                               # ReLU
        self.cache = (X, Z, Hd)
        return Hd @ p["W2"].T + p["b2"]                       # (B, T, D)

    def backward(self, dY):
        self._check_cache()
        X, Z, Hd = self.cache
        dY = check_shape(as_float_array(dY, "dY"), X.shape, "dY", "(B, T, D)")
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

    def _check_input(self, X, name: str = "X") -> np.ndarray:
        """(B, T, D) 的有限实数数组，D 为模型维数。块里的子层逐个改写缓存，所以先在块的入口查完。"""
        X = as_float_array(X, name, ndim=3)
        D = self.subs["ln1"].params["gamma"].shape[0]
        if X.shape[2] != D:
            raise ValueError(f"{name} 的形状应为 (B, T, D) 且 D={D}，实际为 {X.shape}")
        return X

    def _check_dY(self, dY) -> np.ndarray:
        self._check_cache()
        return check_shape(as_float_array(dY, "dY"), self.cache, "dY", "(B, T, D)")


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
        self.pre_norm = check_bool(pre_norm, "pre_norm")
        self._collect(attn=MultiHeadAttention(D, num_heads, rng), ffn=FeedForward(D, F, rng),
                      ln1=LayerNorm(D), ln2=LayerNorm(D))

    def forward(self, X, mask=None):
        X = self._check_input(X)
        _head_mask(mask, X.shape[0], X.shape[1], X.shape[1])
        s = self.subs
        self.cache = X.shape
        if self.pre_norm:
            X1 = X + s["attn"].forward(s["ln1"].forward(X), mask=mask)
            return X1 + s["ffn"].forward(s["ln2"].forward(X1))
        X1 = s["ln1"].forward(X + s["attn"].forward(X, mask=mask))
        return s["ln2"].forward(X1 + s["ffn"].forward(X1))

    def backward(self, dY):
        dY = self._check_dY(dY)
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
        self.pre_norm = check_bool(pre_norm, "pre_norm")
        self._collect(self_attn=MultiHeadAttention(D, num_heads, rng), cross_attn=MultiHeadAttention(D, num_heads, rng),
                      ffn=FeedForward(D, F, rng), ln1=LayerNorm(D), ln2=LayerNorm(D), ln3=LayerNorm(D))

    def forward(self, X, memory):
        X = self._check_input(X)
        memory = self._check_input(memory, "memory")
        if memory.shape[0] != X.shape[0]:
            raise ValueError(f"memory 的形状应为 (B, M, D) 且 B={X.shape[0]}（与 X 相同），实际为 {memory.shape}")
        s = self.subs
        mask = causal_mask(X.shape[1])                           # 解码器只能看已经生成的位置
        self.cache = X.shape
        if self.pre_norm:
            X1 = X + s["self_attn"].forward(s["ln1"].forward(X), mask=mask)
            X2 = X1 + s["cross_attn"].forward(s["ln2"].forward(X1), memory)
            return X2 + s["ffn"].forward(s["ln3"].forward(X2))
        X1 = s["ln1"].forward(X + s["self_attn"].forward(X, mask=mask))
        X2 = s["ln2"].forward(X1 + s["cross_attn"].forward(X1, memory))
        return s["ln3"].forward(X2 + s["ffn"].forward(X2))

    def backward(self, dY):
        dY = self._check_dY(dY)
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


# ======================================================================== MNIST-1D 上的 Transformer 分类器
def patchify(X, patch: int, stride: int) -> np.ndarray:
    r"""把 (B, L) 的信号切成 $T=\lfloor (L-P)/S\rfloor+1$ 个长 $P$、步长 $S$ 的片段，返回 (B, T, P)（只读视图）。

    第 $t$ 个片段是 $\boldsymbol{p}_t = (x_{tS+1}, \dots, x_{tS+P})$；$S<P$ 时相邻片段有重叠。与
    ``torch.Tensor.unfold(1, P, S)`` 相同。书中第 8.3 节；站点页面 ``docs/ch08-attention/index.md``。

    Examples
    --------
    >>> patchify(np.arange(6.0)[None], 4, 2)
    array([[[0., 1., 2., 3.],
            [2., 3., 4., 5.]]])
    """
    X = as_float_array(X, "X", ndim=2)
    check_positive(patch, "patch", integer=True)
    check_positive(stride, "stride", integer=True)
    if patch > X.shape[1]:
        raise ValueError(f"片段长 patch={patch} 不能超过信号长度 {X.shape[1]}")
    return np.lib.stride_tricks.sliding_window_view(X, patch, axis=1)[:, ::stride]


class MNIST1DTransformer:
    r"""MNIST-1D 上只有编码器的 Transformer 分类器（NumPy 从零实现，手写反向），
    ``nndl_ref.torch.transformer.MNIST1DTransformer`` 的孪生。

    $$\boldsymbol{x}_t = \boldsymbol{W}_e\boldsymbol{p}_t + \boldsymbol{b}_e + \boldsymbol{e}_t,\quad
      \boldsymbol{H} = \operatorname{Block}_L\circ\cdots\circ\operatorname{Block}_1(\boldsymbol{X}),\quad
      \boldsymbol{z} = \boldsymbol{W}_h\,\tfrac1T\textstyle\sum_t \operatorname{LN}(\boldsymbol{h}_t) + \boldsymbol{b}_h$$

    $\boldsymbol{p}_t$ 是 ``patchify`` 切出的第 $t$ 个片段，$\boldsymbol{e}_t$ 是可学习的位置嵌入
    （``positional="sinusoidal"`` 时是固定的正弦编码，不是参数），块是前归一化的 ``EncoderBlock``（不用掩码）。

    ``params()`` 的键与 torch 模型的 ``state_dict()`` **完全相同**，形状也相同（不转置）：``embed.weight``、
    ``pos``、``blocks.0.self_attn.in_proj_weight``（$[\boldsymbol{W}_q;\boldsymbol{W}_k;\boldsymbol{W}_v]$，
    块里的 ``W_q``、``W_k``、``W_v`` 是它的三段视图）、``blocks.0.linear1.weight``、``blocks.0.norm1.weight``……
    所以 ``from_torch`` 按名字拷贝即可，梯度也能按名字与 torch 的 ``.grad`` 对照。
    书中第 8.3 节；站点页面 ``docs/ch08-attention/index.md``。

    Examples
    --------
    >>> net = MNIST1DTransformer(D=8, num_heads=2, num_layers=1, F=16, seed=0)
    >>> net.n_params(), net.T
    (850, 9)
    >>> loss, grads = net.loss_and_grads(np.zeros((3, 40)), np.array([0, 1, 2]))
    >>> grads["blocks.0.self_attn.in_proj_weight"].shape
    (24, 8)
    """

    def __init__(self, length: int = 40, patch: int = 8, stride: int = 4, D: int = 32, num_heads: int = 4,
                 num_layers: int = 2, F: int = 64, num_classes: int = 10, positional: str = "learned",
                 *, seed: int = 0):
        for v, name in ((length, "length"), (patch, "patch"), (stride, "stride"), (D, "D"), (num_heads, "num_heads"),
                        (num_layers, "num_layers"), (F, "F"), (num_classes, "num_classes")):
            check_positive(v, name, integer=True)
        if patch > length:
            raise ValueError(f"片段长 patch={patch} 不能超过信号长度 length={length}")
        if D % num_heads:
            raise ValueError(f"模型维数 D={D} 应能被头数 num_heads={num_heads} 整除")
        if positional not in ("learned", "sinusoidal"):
            raise ValueError(f"positional 应为 'learned' 或 'sinusoidal'，实际为 {positional!r}")
        check_seed(seed)
        self.length, self.patch, self.stride, self.D = length, patch, stride, D
        self.num_heads, self.num_layers, self.F, self.num_classes = num_heads, num_layers, F, num_classes
        self.positional = positional
        self.T = (length - patch) // stride + 1
        rng = np.random.default_rng(seed)
        a_e, a_h = 1 / np.sqrt(patch), 1 / np.sqrt(D)          # 与 torch.nn.Linear 的默认初始化同分布
        p = {"embed.weight": rng.uniform(-a_e, a_e, (D, patch)), "embed.bias": rng.uniform(-a_e, a_e, D)}
        if positional == "learned":
            p["pos"] = 0.02 * rng.standard_normal((self.T, D))
            self.pe = None
        else:
            self.pe = sinusoidal_positional_encoding(self.T, D)
        self.blocks = []
        for i in range(num_layers):
            blk = EncoderBlock(D, num_heads, F, rng, pre_norm=True)
            s = blk.subs
            a = s["attn"].params
            # torch 把 W_q, W_k, W_v 存成一个 (3D, D) 的 in_proj_weight：这里也存一个，块里用它的三段视图
            W = np.concatenate([a["W_q"], a["W_k"], a["W_v"]])
            b = np.concatenate([a["b_q"], a["b_k"], a["b_v"]])
            for j, n in enumerate("qkv"):
                a["W_" + n], a["b_" + n] = W[j * D:(j + 1) * D], b[j * D:(j + 1) * D]
            blk._collect(**s)                                  # 块的参数字典改指向这些视图
            f = s["ffn"].params
            pre = f"blocks.{i}."
            p.update({pre + "self_attn.in_proj_weight": W, pre + "self_attn.in_proj_bias": b,
                      pre + "self_attn.out_proj.weight": a["W_o"], pre + "self_attn.out_proj.bias": a["b_o"],
                      pre + "linear1.weight": f["W1"], pre + "linear1.bias": f["b1"],
                      pre + "linear2.weight": f["W2"], pre + "linear2.bias": f["b2"],
                      pre + "norm1.weight": s["ln1"].params["gamma"], pre + "norm1.bias": s["ln1"].params["beta"],
                      pre + "norm2.weight": s["ln2"].params["gamma"], pre + "norm2.bias": s["ln2"].params["beta"]})
            self.blocks.append(blk)
        self.ln = LayerNorm(D)
        p.update({"ln.weight": self.ln.params["gamma"], "ln.bias": self.ln.params["beta"],
                  "head.weight": rng.uniform(-a_h, a_h, (num_classes, D)), "head.bias": rng.uniform(-a_h, a_h, num_classes)})
        self._params = p
        self.cache = None

    # ------------------------------------------------------------ 与 torch 互通
    @classmethod
    def from_torch(cls, model, seed: int = 0) -> "MNIST1DTransformer":
        """由 torch 的 ``MNIST1DTransformer`` 建一个结构相同、参数相同的 NumPy 模型（float64）。"""
        try:
            blk = model.blocks[0]
            kw = dict(length=model.length, patch=model.patch, stride=model.stride, D=model.embed.out_features,
                      num_heads=blk.self_attn.num_heads, num_layers=len(model.blocks), F=blk.linear1.out_features,
                      num_classes=model.head.out_features, positional=model.positional)
        except (AttributeError, IndexError, TypeError) as exc:
            raise ValueError("model 应为 nndl_ref.torch.transformer.MNIST1DTransformer"
                             "（如 train_mnist1d_transformer 返回的模型）") from exc
        return cls(**kw, seed=seed).load_torch_state_dict(model.state_dict())

    def load_torch_state_dict(self, state_dict) -> "MNIST1DTransformer":
        """从 torch 的 ``state_dict()``（张量或数组）按名字拷贝参数，形状须相同；返回 ``self``。"""
        copy_state_dict(self._params, state_dict)
        return self

    # ------------------------------------------------------------ 前向与反向
    def params(self) -> dict[str, np.ndarray]:
        """``{torch 的参数名: 数组}``，值是模型里的数组本身（优化器原地更新即生效）。"""
        return self._params

    def forward(self, X) -> np.ndarray:
        """返回 logit (B, C)。``X`` 为 (B, length) 的信号。"""
        X = as_float_array(X, "X", ndim=2)
        if X.shape[1] != self.length:
            raise ValueError(f"X 应为 (B, {self.length})（每行一条长 {self.length} 的信号），实际形状为 {X.shape}")
        p = self._params
        P = patchify(X, self.patch, self.stride)                              # (B, T, P)
        H = P @ p["embed.weight"].T + p["embed.bias"] + (p["pos"] if self.pe is None else self.pe)   # (B, T, D)
        for blk in self.blocks:
            H = blk.forward(H)                                                # 不加掩码：每个片段看所有片段
        hbar = self.ln.forward(H).mean(axis=1)                                # (B, D)：层归一化后对位置取平均
        self.cache = (P, hbar)
        return hbar @ p["head.weight"].T + p["head.bias"]

    def backward(self, dZ) -> dict[str, np.ndarray]:
        r"""由 $\partial\mathcal{L}/\partial\boldsymbol{z}$ (B, C) 反向，返回全部参数的梯度（新数组，键同 ``params()``）。

        平均汇聚的反向把梯度平均分给 $T$ 个位置：$\partial\mathcal{L}/\partial\boldsymbol{h}_t = \frac1T\,\partial\mathcal{L}/\partial\bar{\boldsymbol{h}}$；
        位置嵌入的梯度是各样本在该位置的梯度之和；分片嵌入 $\partial\mathcal{L}/\partial\boldsymbol{W}_e = \sum_{b,t}\boldsymbol{\delta}_{bt}\boldsymbol{p}_{bt}^\top$。
        """
        if self.cache is None:
            raise RuntimeError("MNIST1DTransformer.backward 之前必须先调用 forward")
        P, hbar = self.cache
        B, T, _ = P.shape
        dZ = as_float_array(dZ, "dZ", ndim=2)
        if dZ.shape != (B, self.num_classes):
            raise ValueError(f"dZ 的形状应为 (B, C) = {(B, self.num_classes)}，实际为 {dZ.shape}")
        p = self._params
        g = {"head.weight": dZ.T @ hbar, "head.bias": dZ.sum(axis=0)}
        dhbar = dZ @ p["head.weight"]                                         # (B, D)
        self.ln.zero_grad()
        dH = self.ln.backward(np.repeat(dhbar[:, None, :] / T, T, axis=1))        # 平均汇聚：每个位置分到 1/T
        g["ln.weight"], g["ln.bias"] = self.ln.grads["gamma"].copy(), self.ln.grads["beta"].copy()
        for i in reversed(range(self.num_layers)):
            blk = self.blocks[i]
            blk.zero_grad()
            dH = blk.backward(dH)
            s, pre = blk.subs, f"blocks.{i}."
            a, f = s["attn"].grads, s["ffn"].grads
            g.update({pre + "self_attn.in_proj_weight": np.concatenate([a["W_q"], a["W_k"], a["W_v"]]),
                      pre + "self_attn.in_proj_bias": np.concatenate([a["b_q"], a["b_k"], a["b_v"]]),
                      pre + "self_attn.out_proj.weight": a["W_o"].copy(), pre + "self_attn.out_proj.bias": a["b_o"].copy(),
                      pre + "linear1.weight": f["W1"].copy(), pre + "linear1.bias": f["b1"].copy(),
                      pre + "linear2.weight": f["W2"].copy(), pre + "linear2.bias": f["b2"].copy(),
                      pre + "norm1.weight": s["ln1"].grads["gamma"].copy(), pre + "norm1.bias": s["ln1"].grads["beta"].copy(),
                      pre + "norm2.weight": s["ln2"].grads["gamma"].copy(), pre + "norm2.bias": s["ln2"].grads["beta"].copy()})
        if self.pe is None:
            g["pos"] = dH.sum(axis=0)                                         # (T, D)
        g["embed.weight"] = dH.reshape(-1, self.D).T @ P.reshape(-1, self.patch)   # (D, B·T) @ (B·T, P)
        g["embed.bias"] = dH.sum(axis=(0, 1))
        return {k: g[k] for k in p}

    def loss_and_grads(self, X, y):
        """一次前向 + 一次反向：返回 ``(loss, grads)``（平均交叉熵），``grads`` 的键与 ``params()`` 相同。"""
        y = as_labels(y, "y", n=as_float_array(X, "X", ndim=2).shape[0], num_classes=self.num_classes)   # 先检查
        Z = self.forward(X)
        loss, dZ = softmax_cross_entropy(Z, y)
        return float(loss), self.backward(dZ)

    def predict(self, X) -> np.ndarray:
        """类别 $\\arg\\max_c z_c$，形状 (B,)。"""
        return self.forward(X).argmax(axis=1)

    def n_params(self) -> int:
        """参数总数（与 torch 版 ``sum(p.numel() for p in model.parameters())`` 相同）。"""
        return int(sum(v.size for v in self._params.values()))

    def __repr__(self):
        return (f"MNIST1DTransformer(patch={self.patch}, stride={self.stride}, D={self.D}, "
                f"num_heads={self.num_heads}, num_layers={self.num_layers}, F={self.F})")


def train_mnist1d_transformer(*, seed: int = 0, steps: int = 2000, lr: float = 3e-3, batch_size: int = 100,
                              warmup: int = 100, eval_every: int = 200, threads: int | None = 1,
                              progress: bool | None = None, **model_kw):
    r"""NumPy 版的 ``nndl_ref.torch.transformer.train_mnist1d_transformer``：同样的模型、超参数与训练步骤，
    返回 ``(model, history)``。

    Adam（``nndl_ref.numpy.optim.Adam``），学习率 ``warmup_cosine_lr``（先从 ``0.1·lr`` 线性预热 ``warmup`` 步，
    再余弦退火到 0，每步一次，``nndl_ref.numpy.schedules``），梯度全局范数截断到 1（``nndl_ref.numpy.rnn.clip_grad_norm``）。
    ``history``（``nndl_ref.progress.History``）每 ``eval_every`` 步记一行：这段步数的平均训练损失、前 1000 个训练样本上的
    准确率、测试集的损失与准确率；``seconds`` 是训练用时。随机性全部来自 ``seed``（初始化与批的顺序，
    随机数序列与 torch 版不同）。``threads``：训练期间 BLAS 的线程数（默认 1，与 torch 版的 ``threads=1`` 对应；
    这么小的矩阵上多线程只有同步开销，机器忙时能慢十倍；``None`` 表示不限制）。站点页面 ``docs/ch08-attention/index.md``。
    """
    import time

    from ..data_mnist1d import load_mnist1d
    from ..progress import History, progress_bar, progress_enabled
    from .losses import cross_entropy
    from .optim import Adam
    from .rnn import clip_grad_norm
    from .schedules import Scheduler

    check_positive(steps, "steps", integer=True)
    check_positive(batch_size, "batch_size", integer=True)
    if not (isinstance(warmup, int) and not isinstance(warmup, bool) and 0 < warmup < steps):
        raise ValueError(f"应有整数 0 < warmup < steps，实际 warmup={warmup!r}, steps={steps!r}")
    check_positive(eval_every, "eval_every", integer=True)
    model = MNIST1DTransformer(**model_kw, seed=seed)     # 先检查全部超参数，再生成数据
    opt = Adam(model.params(), lr=lr)
    sched = Scheduler(opt, "warmup_cosine", warmup=warmup, T_max=steps)
    d = load_mnist1d()
    rng = np.random.default_rng(seed)
    n = d.X_train.shape[0]
    order, pos = rng.permutation(n), 0
    hist, total, count = History(), 0.0, 0
    t0 = time.perf_counter()
    with blas_threads(threads):
        for step in progress_bar(range(1, steps + 1), total=steps, desc="Transformer",
                                 enabled=progress_enabled(progress)):
            if pos + batch_size > n:
                order, pos = rng.permutation(n), 0
            idx = order[pos:pos + batch_size]
            pos += batch_size
            loss, grads = model.loss_and_grads(d.X_train[idx], d.y_train[idx])
            clip_grad_norm(grads, 1.0)
            opt.step(grads)
            sched.step()
            total, count = total + loss, count + 1
            if step % eval_every == 0 or step == steps:
                Z = model.forward(d.X_test)
                acc_tr = float(np.mean(model.predict(d.X_train[:1000]) == d.y_train[:1000]))
                hist.log(total / count, acc_tr, float(cross_entropy(Z, d.y_test)),
                         float(np.mean(Z.argmax(1) == d.y_test)))
                total, count = 0.0, 0
    hist.seconds = time.perf_counter() - t0
    return model, hist
