r"""循环神经网络（PyTorch 版）：与 ``nndl_ref.numpy.rnn`` 一一对应，外加本章三个真实任务的训练函数。

书中第 6 章；站点页面：`docs/ch06-rnn/index.md`（第 6 章 循环神经网络）。

权重与 ``torch.nn.RNN`` / ``nn.LSTM`` / ``nn.GRU`` 的对应（第 $l$ 层；反向那一层加后缀 ``_reverse``）：

| 书中符号 | NumPy 参数名 | torch 参数 | 形状 |
|---|---|---|---|
| $\boldsymbol{W}$（状态-输入，门纵向堆叠） | ``"l.W"`` | ``weight_ih_l{l}`` | $(G H, D)$ |
| $\boldsymbol{U}$（状态-状态） | ``"l.U"`` | ``weight_hh_l{l}`` | $(G H, H)$ |
| $\boldsymbol{b}$ | ``"l.b"`` | ``bias_ih_l{l}``；``bias_hh_l{l}`` 置 0 | $(G H,)$ |

$G$ = 1（简单循环网络）、4（LSTM，门的顺序 $i, f, \tilde{c}, o$，torch 记作 i, f, g, o）、
3（GRU，$r, z, \tilde{h}$，torch 记作 r, z, n）。书中每个门只有一个偏置，torch 有两个且相加，
所以拷贝时令 ``bias_hh = 0``——只有 GRU 例外：torch 的 $\tilde{h}$ 里 ``bias_hh`` 的那一段被重置门乘，
不能与 ``bias_ih`` 合并。

**GRU 与书中公式不同**：torch（以及 cuDNN）把重置门放在矩阵乘法之后，

$$\text{书中：}\ \tilde{\boldsymbol{h}}_t = \tanh\big(\boldsymbol{W}_h\boldsymbol{x}_t + \boldsymbol{U}_h(\boldsymbol{r}_t\odot\boldsymbol{h}_{t-1}) + \boldsymbol{b}_h\big),\qquad
  \text{torch：}\ \tilde{\boldsymbol{h}}_t = \tanh\big(\boldsymbol{W}_h\boldsymbol{x}_t + \boldsymbol{b}_h + \boldsymbol{r}_t\odot(\boldsymbol{U}_h\boldsymbol{h}_{t-1} + \boldsymbol{b}_{hn})\big)$$

两者参数个数相同、效果相近，但不是同一个函数。本模块的 ``gru_forward`` 与 ``BookGRU`` 按书中公式写
（测试用它对照 NumPy 版）；训练 MNIST-1D 时用更快的 ``nn.GRU``（``SequenceClassifier(book_gru=False)``）。
"""

from __future__ import annotations

import functools
import math
import time

import numpy as np
import torch
from torch import nn
import torch.nn.functional as F

from .._validate import (as_float_array, as_float_tensor, as_label_tensor, check_bool, check_choice, check_positive,
                         check_real, check_seed)
from ..progress import History
from ._threads import limit_threads


# ======================================================================== 按书中公式写的三种单元
def _check_seq(x: torch.Tensor, D: int) -> None:
    x = as_float_tensor(x, "x")
    if x.ndim != 3 or x.shape[2] != D or x.shape[0] == 0 or x.shape[1] == 0:
        raise ValueError(f"x 的形状应为 (T, B, D) 且 D={D}（时间在前），实际为 {tuple(x.shape)}")


def _check_cell(x, states, W, U, b, G: int, name: str) -> None:
    """W (G·H, D)、U (G·H, H)、b (G·H,)、x (T, B, D)、各初始状态 (B, H)（None 为全零）。"""
    W, U, b = as_float_tensor(W, "W", ndim=2), as_float_tensor(U, "U", ndim=2), as_float_tensor(b, "b", ndim=1)
    H = U.shape[1]
    if U.shape[0] != G * H or W.shape[0] != G * H or b.shape != (G * H,):
        raise ValueError(f"{name} 的参数形状应为 W ({G}·H, D)、U ({G}·H, H)、b ({G}·H,)；"
                         f"实际 W {tuple(W.shape)}，U {tuple(U.shape)}，b {tuple(b.shape)}")
    _check_seq(x, W.shape[1])
    for sname, s in states.items():
        if s is not None and tuple(as_float_tensor(s, sname).shape) != (x.shape[1], H):
            raise ValueError(f"{sname} 的形状应为 (B, H) = {(x.shape[1], H)}，实际为 {tuple(s.shape)}")


def rnn_forward(x, h0, W, U, b, activation: str = "tanh"):
    r"""简单循环网络 $\boldsymbol{h}_t = f(\boldsymbol{U}\boldsymbol{h}_{t-1} + \boldsymbol{W}\boldsymbol{x}_t + \boldsymbol{b})$，
    逐时刻按公式写（autograd 求出的就是 BPTT）。书中第 6.2 节；站点页面：第 6 章 6.2 节。

    Returns
    -------
    h : Tensor (T, B, H)

    Examples
    --------
    >>> x = torch.ones(5, 2, 3)
    >>> rnn_forward(x, None, torch.zeros(4, 3), torch.eye(4), torch.ones(4)).shape
    torch.Size([5, 2, 4])
    """
    f = {"tanh": torch.tanh, "relu": torch.relu, "logistic": torch.sigmoid}.get(activation) \
        if isinstance(activation, str) else None
    if f is None:
        raise ValueError(f"activation 应为 'tanh'、'relu' 或 'logistic'，实际为 {activation!r}")
    _check_cell(x, {"h0": h0}, W, U, b, 1, "rnn_forward")
    h = x.new_zeros(x.shape[1], U.shape[0]) if h0 is None else h0
    out = []
    for t in range(x.shape[0]):
        h = f(h @ U.T + x[t] @ W.T + b)           # h_t = f(U h_{t-1} + W x_t + b)
        out.append(h)
    return torch.stack(out)


def lstm_forward(x, h0, c0, W, U, b):
    r"""LSTM（书中第 6.6.1 节），门的顺序 $i, f, \tilde{c}, o$。返回 ``(h, (h_T, c_T))``。站点页面：第 6 章 6.6.1 节。

    Examples
    --------
    >>> H = 3
    >>> h, (hT, cT) = lstm_forward(torch.ones(4, 2, 5), None, None, torch.zeros(4 * H, 5), torch.zeros(4 * H, H),
    ...                            torch.zeros(4 * H))
    >>> float(hT.abs().max())                     # c̃ = tanh(0) = 0，记忆一直是 0
    0.0
    """
    _check_cell(x, {"h0": h0, "c0": c0}, W, U, b, 4, "lstm_forward")
    H = U.shape[1]
    h = x.new_zeros(x.shape[1], H) if h0 is None else h0
    c = x.new_zeros(x.shape[1], H) if c0 is None else c0
    out = []
    for t in range(x.shape[0]):
        a = x[t] @ W.T + h @ U.T + b
        i, f = torch.sigmoid(a[:, :H]), torch.sigmoid(a[:, H:2 * H])
        c_tilde, o = torch.tanh(a[:, 2 * H:3 * H]), torch.sigmoid(a[:, 3 * H:])
        c = f * c + i * c_tilde                    # c_t = f_t ⊙ c_{t-1} + i_t ⊙ c̃_t
        h = o * torch.tanh(c)                      # h_t = o_t ⊙ tanh(c_t)
        out.append(h)
    return torch.stack(out), (h, c)


def gru_forward(x, h0, W, U, b):
    r"""GRU，**按书中公式**（第 6.6.2 节）：重置门乘在 $\boldsymbol{h}_{t-1}$ 上、再乘 $\boldsymbol{U}_h$。

    $$\tilde{\boldsymbol{h}}_t = \tanh\big(\boldsymbol{W}_h\boldsymbol{x}_t + \boldsymbol{U}_h(\boldsymbol{r}_t\odot\boldsymbol{h}_{t-1}) + \boldsymbol{b}_h\big),\qquad
      \boldsymbol{h}_t = \boldsymbol{z}_t\odot\boldsymbol{h}_{t-1} + (1-\boldsymbol{z}_t)\odot\tilde{\boldsymbol{h}}_t$$

    与 ``torch.nn.GRU`` 的差别见模块说明。站点页面：第 6 章 6.6.2 节。

    Examples
    --------
    >>> H = 2
    >>> gru_forward(torch.ones(1, 1, 3), torch.ones(1, H), torch.zeros(3 * H, 3), torch.zeros(3 * H, H),
    ...             torch.zeros(3 * H))
    tensor([[[0.5000, 0.5000]]])
    """
    _check_cell(x, {"h0": h0}, W, U, b, 3, "gru_forward")
    H = U.shape[1]
    h = x.new_zeros(x.shape[1], H) if h0 is None else h0
    out = []
    for t in range(x.shape[0]):
        ax = x[t] @ W.T + b
        a_rz = ax[:, :2 * H] + h @ U[:2 * H].T
        r, z = torch.sigmoid(a_rz[:, :H]), torch.sigmoid(a_rz[:, H:])
        h_tilde = torch.tanh(ax[:, 2 * H:] + (r * h) @ U[2 * H:].T)     # 书中：U_h (r ⊙ h_{t-1})
        h = z * h + (1 - z) * h_tilde
        out.append(h)
    return torch.stack(out)


class BookGRU(nn.Module):
    r"""按书中公式的 GRU 层，接口与 ``nn.GRU`` 相同（输入 (T, B, D)，返回 ``(output, h_n)``），参数名也相同
    （``weight_ih_l0`` 等，没有 ``bias_hh``），所以 ``load_numpy`` 对两者都适用。逐时刻的 Python 循环，比
    ``nn.GRU`` 慢，用来对照公式。书中第 6.6.2 节；站点页面：第 6 章 6.6.2 节。

    Examples
    --------
    >>> out, h_n = BookGRU(3, 4, bidirectional=True)(torch.zeros(5, 2, 3))
    >>> out.shape, h_n.shape
    (torch.Size([5, 2, 8]), torch.Size([2, 2, 4]))
    """

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1, bidirectional: bool = False):
        super().__init__()
        _check_sizes(input_size, hidden_size, num_layers, bidirectional)
        self.input_size, self.hidden_size, self.num_layers = input_size, hidden_size, num_layers
        self.bidirectional = bidirectional
        k = 1 / math.sqrt(hidden_size)
        d = input_size
        for l in range(num_layers):
            for sfx in ("", "_reverse") if bidirectional else ("",):
                self.register_parameter(f"weight_ih_l{l}{sfx}", nn.Parameter(torch.empty(3 * hidden_size, d).uniform_(-k, k)))
                self.register_parameter(f"weight_hh_l{l}{sfx}",
                                        nn.Parameter(torch.empty(3 * hidden_size, hidden_size).uniform_(-k, k)))
                self.register_parameter(f"bias_ih_l{l}{sfx}", nn.Parameter(torch.empty(3 * hidden_size).uniform_(-k, k)))
            d = hidden_size * (2 if bidirectional else 1)

    def forward(self, x, h0=None):
        _check_seq(x, self.input_size)
        n = self.num_layers * (2 if self.bidirectional else 1)
        if h0 is not None and tuple(as_float_tensor(h0, "h0").shape) != (n, x.shape[1], self.hidden_size):
            raise ValueError(f"h0 的形状应为 (层数×方向数, B, H) = {(n, x.shape[1], self.hidden_size)}，"
                             f"实际为 {tuple(h0.shape)}")
        finals = []
        for l in range(self.num_layers):
            outs = []
            for k, sfx in enumerate(("", "_reverse") if self.bidirectional else ("",)):
                p = [getattr(self, f"{n}_l{l}{sfx}") for n in ("weight_ih", "weight_hh", "bias_ih")]
                init = None if h0 is None else h0[len(finals)]
                xs = x.flip(0) if k else x
                h = gru_forward(xs, init, *p)
                finals.append(h[-1])
                outs.append(h.flip(0) if k else h)
            x = torch.cat(outs, dim=2)
        return x, torch.stack(finals)


def _check_sizes(input_size, hidden_size, num_layers, bidirectional) -> None:
    check_positive(input_size, "input_size", integer=True), check_positive(hidden_size, "hidden_size", integer=True)
    check_positive(num_layers, "num_layers", integer=True), check_bool(bidirectional, "bidirectional")


def _rnn_module(cell: str, input_size: int, hidden_size: int, num_layers: int, bidirectional: bool,
                activation: str = "tanh", book_gru: bool = False) -> nn.Module:
    check_choice(cell, "cell", ("rnn", "lstm", "gru"))
    _check_sizes(input_size, hidden_size, num_layers, bidirectional)
    check_bool(book_gru, "book_gru")
    if cell == "rnn":
        return nn.RNN(input_size, hidden_size, num_layers, nonlinearity=activation, bidirectional=bidirectional)
    if cell == "lstm":
        return nn.LSTM(input_size, hidden_size, num_layers, bidirectional=bidirectional)
    if cell == "gru":
        return (BookGRU if book_gru else nn.GRU)(input_size, hidden_size, num_layers, bidirectional=bidirectional)
    raise ValueError(f"cell 应为 'rnn'、'lstm' 或 'gru'，实际为 {cell!r}")


@torch.no_grad()
def load_numpy(module: nn.Module, params: dict, prefix: str = "") -> nn.Module:
    r"""把 NumPy 版（``DeepRNN.params()``）的参数拷进 ``nn.RNN`` / ``nn.LSTM`` / ``nn.GRU`` / ``BookGRU``：
    ``"l.W" → weight_ih_l{l}``、``"l.U" → weight_hh_l{l}``、``"l.b" → bias_ih_l{l}``、``bias_hh_l{l} = 0``
    （反向层加 ``_reverse``）。门的顺序两边相同，不转置、不重排。``prefix`` 是参数名的前缀（如 ``"enc."``）。

    注意：拷进 ``nn.GRU`` 后结果与书中的 GRU **不同**（重置门的位置不同），要得到相同结果请用 ``BookGRU``。
    书中第 6.2、6.6、6.7 节；站点页面：第 6 章 6.2、6.6.1、6.7 节。

    Examples
    --------
    >>> from nndl_ref.numpy.rnn import DeepRNN
    >>> net = DeepRNN("lstm", 3, 4, seed=0)
    >>> lstm = load_numpy(nn.LSTM(3, 4).double(), net.params())
    >>> x = np.ones((5, 2, 3))
    >>> bool(np.allclose(lstm(torch.from_numpy(x))[0].detach().numpy(), net.forward(x)))
    True
    """
    _apply(_plan(module, params, prefix))
    return module


def _plan(module: nn.Module, params: dict, prefix: str = "") -> list:
    """检查 ``params`` 并列出要做的拷贝 ``(目标参数, 新值, 要清零的 bias_hh)``；一个都还没拷。"""
    if not isinstance(params, dict):
        raise TypeError(f"params 应为字典（如 DeepRNN.params()），实际得到 {type(params).__name__}")
    names = {"W": "weight_ih", "U": "weight_hh", "b": "bias_ih"}
    plan = []
    for key, value in params.items():
        if not key.startswith(prefix):
            continue
        rest = key[len(prefix):]
        layer, _, name = rest.partition(".")
        sym, _, rev = name.partition("_")
        if not layer.isdigit() or sym not in names:
            continue
        sfx = "_reverse" if rev == "reverse" else ""
        target = getattr(module, f"{names[sym]}_l{layer}{sfx}", None)
        if target is None:
            raise ValueError(f"{type(module).__name__} 没有与 {key!r} 对应的参数 {names[sym]}_l{layer}{sfx}")
        value = torch.as_tensor(as_float_array(value, key), dtype=target.dtype)
        if value.shape != target.shape:
            raise ValueError(f"{key} 的形状应为 {tuple(target.shape)}，实际为 {tuple(value.shape)}")
        plan.append((target, value, getattr(module, f"bias_hh_l{layer}{sfx}", None) if sym == "b" else None))
    if not plan:
        raise ValueError(f"params 里没有形如 '{prefix}0.W' 的键；实际的键：{sorted(params)[:6]}")
    return plan


@torch.no_grad()
def _apply(plan: list) -> None:
    for target, value, bias_hh in plan:
        target.copy_(value)
        if bias_hh is not None:
            bias_hh.zero_()


@torch.no_grad()
def _plan_head(head: nn.Linear, params: dict) -> list:
    """``V → head.weight``、``c → head.bias`` 的检查与拷贝计划。"""
    plan = []
    for key, target in (("V", head.weight), ("c", head.bias)):
        if key not in params:
            raise ValueError(f"params 缺少 {key!r}（输出层的 {'权重' if key == 'V' else '偏置'}）")
        value = torch.as_tensor(as_float_array(params[key], key), dtype=target.dtype)
        if value.shape != target.shape:
            raise ValueError(f"{key} 的形状应为 {tuple(target.shape)}，实际为 {tuple(value.shape)}")
        plan.append((target, value, None))
    return plan


# ======================================================================== 三种序列形状
class SequenceClassifier(nn.Module):
    r"""多对一：``nndl_ref.numpy.rnn.SequenceClassifier`` 的孪生。输入 (T, B, D)，返回 logit (B, C)。

    用最后状态分类：单向时 $\boldsymbol{h}_T$，双向时 $\overrightarrow{\boldsymbol{h}}_T\oplus\overleftarrow{\boldsymbol{h}}_1$。
    ``book_gru=True`` 时 GRU 用书中公式（``BookGRU``），否则用 ``nn.GRU``。书中第 6.3.1 节；站点页面：第 6 章 6.3、6.9.2 节。

    Examples
    --------
    >>> SequenceClassifier("gru", 1, 8, 10, bidirectional=True)(torch.zeros(40, 3, 1)).shape
    torch.Size([3, 10])
    """

    def __init__(self, cell: str, input_size: int, hidden_size: int, num_classes: int, num_layers: int = 1,
                 bidirectional: bool = False, *, book_gru: bool = False):
        super().__init__()
        self.rnn = _rnn_module(cell, input_size, hidden_size, num_layers, bidirectional, book_gru=book_gru)
        check_positive(num_classes, "num_classes", integer=True)
        self.hidden_size, self.bidirectional = hidden_size, bidirectional
        self.head = nn.Linear(hidden_size * (2 if bidirectional else 1), num_classes)

    def forward(self, x):
        _check_seq(x, self.rnn.input_size)
        h = self.rnn(x)[0]                                          # (T, B, H·方向数)
        H = self.hidden_size
        s = torch.cat([h[-1, :, :H], h[0, :, H:]], dim=1) if self.bidirectional else h[-1]
        return self.head(s)

    @torch.no_grad()
    def load_numpy(self, params: dict) -> "SequenceClassifier":
        """从 NumPy 版拷贝参数：循环层见 ``load_numpy``，``V → head.weight``，``c → head.bias``。"""
        _apply(_plan(self.rnn, params) + _plan_head(self.head, params))   # 全部检查完再拷
        return self


def _check_rnn_state(rnn: nn.Module, state, B: int) -> None:
    """``nn.RNN``/``nn.GRU``/``BookGRU`` 的初始状态 (层数×方向数, B, H)；``nn.LSTM`` 的是这样的 (h, c) 二元组。"""
    if state is None:
        return
    n = rnn.num_layers * (2 if rnn.bidirectional else 1)
    want = (n, B, rnn.hidden_size)
    parts = state if isinstance(rnn, nn.LSTM) else (state,)
    if isinstance(rnn, nn.LSTM) and (not isinstance(state, (tuple, list)) or len(state) != 2):
        raise TypeError(f"LSTM 的 state 应为 (h, c) 二元组，各为 (层数×方向数, B, H) = {want}，实际得到 {type(state).__name__}")
    for i, s in enumerate(parts):
        if tuple(as_float_tensor(s, "state").shape) != want:
            raise ValueError(f"state 的形状应为 (层数×方向数, B, H) = {want}，实际为 {tuple(s.shape)}")


class SequenceTagger(nn.Module):
    r"""同步多对多：``nndl_ref.numpy.rnn.SequenceTagger`` 的孪生，返回每个时刻的 logit (T, B, C)。
    书中第 6.3.2 节；站点页面：第 6 章 6.3 节。

    Examples
    --------
    >>> SequenceTagger("lstm", 4, 6, 3)(torch.zeros(5, 2, 4)).shape
    torch.Size([5, 2, 3])
    """

    def __init__(self, cell: str, input_size: int, hidden_size: int, num_classes: int, num_layers: int = 1,
                 bidirectional: bool = False, *, book_gru: bool = False):
        super().__init__()
        self.rnn = _rnn_module(cell, input_size, hidden_size, num_layers, bidirectional, book_gru=book_gru)
        check_positive(num_classes, "num_classes", integer=True)
        self.head = nn.Linear(hidden_size * (2 if bidirectional else 1), num_classes)

    def forward(self, x, state=None):
        _check_seq(x, self.rnn.input_size)
        _check_rnn_state(self.rnn, state, x.shape[1])
        h, state = self.rnn(x, state)
        self.state = state
        return self.head(h)

    @torch.no_grad()
    def load_numpy(self, params: dict) -> "SequenceTagger":
        _apply(_plan(self.rnn, params) + _plan_head(self.head, params))   # 全部检查完再拷
        return self


class Seq2Seq(nn.Module):
    r"""编码器-解码器：``nndl_ref.numpy.rnn.Seq2Seq`` 的孪生（one-hot 输入、teacher forcing）。

    ``forward(src, tgt_in)``：``src`` (T, B)、``tgt_in`` (K, B) 为整数符号，返回 (K, B, V) 的 logit。
    ``generate(src, start, length)`` 贪心解码。书中第 6.3.3 节；站点页面：第 6 章 6.3、6.9.3 节。

    Examples
    --------
    >>> m = Seq2Seq("gru", 12, 16)
    >>> m(torch.zeros(5, 2, dtype=torch.long), torch.zeros(6, 2, dtype=torch.long)).shape
    torch.Size([6, 2, 12])
    """

    def __init__(self, cell: str, vocab_size: int, hidden_size: int, *, book_gru: bool = False):
        super().__init__()
        check_positive(vocab_size, "vocab_size", integer=True)
        self.vocab_size = vocab_size
        self.enc = _rnn_module(cell, vocab_size, hidden_size, 1, False, book_gru=book_gru)
        self.dec = _rnn_module(cell, vocab_size, hidden_size, 1, False, book_gru=book_gru)
        self.head = nn.Linear(hidden_size, vocab_size)

    def _onehot(self, tokens):
        return F.one_hot(tokens, self.vocab_size).to(self.head.weight.dtype)

    def _check_tokens(self, tokens, name: str) -> torch.Tensor:
        return as_label_tensor(tokens, name, num_classes=self.vocab_size, ndim=2)

    def forward(self, src, tgt_in):
        self._check_tokens(src, "src"), self._check_tokens(tgt_in, "tgt_in")
        if tgt_in.shape[1] != src.shape[1]:
            raise ValueError(f"tgt_in 的形状应为 (K, B) 且 B={src.shape[1]}（与 src 相同），实际为 {tuple(tgt_in.shape)}")
        _, state = self.enc(self._onehot(src))                      # 编码器的最后状态
        s, _ = self.dec(self._onehot(tgt_in), state)                # 作为解码器的初始状态
        return self.head(s)

    @torch.no_grad()
    def generate(self, src, start: int, length: int):
        self._check_tokens(src, "src")
        check_real(start, "start", 0, self.vocab_size, high_open=True, integer=True)
        check_positive(length, "length", integer=True)
        _, state = self.enc(self._onehot(src))
        tok = torch.full((1, src.shape[1]), start, dtype=torch.long, device=src.device)
        out = []
        for _ in range(length):
            s, state = self.dec(self._onehot(tok), state)
            tok = self.head(s[-1]).argmax(dim=1)[None]
            out.append(tok[0])
        return torch.stack(out)

    @torch.no_grad()
    def load_numpy(self, params: dict) -> "Seq2Seq":
        """NumPy 版的 ``enc.W/U/b``、``dec.W/U/b``、``V``、``c``。"""
        if not isinstance(params, dict):
            raise TypeError(f"params 应为字典（如 Seq2Seq.params()），实际得到 {type(params).__name__}")
        plan = []
        for part in ("enc", "dec"):
            sub = {f"0.{k.split('.', 1)[1]}": v for k, v in params.items() if k.startswith(part + ".")}
            plan += _plan(getattr(self, part), sub)
        _apply(plan + _plan_head(self.head, params))   # 全部检查完再拷
        return self


# ======================================================================== 训练的公共部分



# ======================================================================== 任务一：字符级语言模型
class CharLM(nn.Module):
    r"""字符级语言模型：one-hot 字符 → LSTM → 每个时刻预测下一个字符的分布（同步多对多）。

    $$p(x_{t+1}\mid x_{1:t}) = \mathrm{softmax}(\boldsymbol{V}\boldsymbol{h}_t + \boldsymbol{c})$$

    用 ``nn.Embedding`` 代替 one-hot 乘 $\boldsymbol{W}$：one-hot 向量乘矩阵就是取出矩阵的一列，两者是同一个函数，
    查表更快。书中第 6.1 节、第 15 章（序列生成模型）；站点页面：第 6 章 6.9 节。
    """

    def __init__(self, vocab_size: int, hidden_size: int = 256, embed_size: int = 64, num_layers: int = 1):
        super().__init__()
        for v, name in ((vocab_size, "vocab_size"), (hidden_size, "hidden_size"), (embed_size, "embed_size"),
                        (num_layers, "num_layers")):
            check_positive(v, name, integer=True)
        self.embed = nn.Embedding(vocab_size, embed_size)
        self.rnn = nn.LSTM(embed_size, hidden_size, num_layers)
        self.head = nn.Linear(hidden_size, vocab_size)

    def forward(self, tokens, state=None):
        as_label_tensor(tokens, "tokens", num_classes=self.embed.num_embeddings, ndim=2)
        _check_rnn_state(self.rnn, state, tokens.shape[1])
        h, state = self.rnn(self.embed(tokens), state)           # tokens (T, B) → h (T, B, H)
        return self.head(h), state


@torch.no_grad()
def perplexity(model: CharLM, ids: np.ndarray, seq_len: int = 128, batch: int = 64) -> float:
    r"""困惑度 $\mathrm{PPL} = \exp\big(-\frac1N\sum_t \log p(x_{t+1}\mid x_{1:t})\big)$：把 ``ids`` 切成互不重叠的
    长 ``seq_len`` 的片段（每段从零状态开始）计算。均匀猜测时困惑度等于字符表大小。
    书中第 15 章（序列生成模型）；站点页面：第 6 章 6.9.1 节。"""
    if not isinstance(model, CharLM):
        raise TypeError(f"model 应为 CharLM，实际得到 {type(model).__name__}")
    check_positive(seq_len, "seq_len", integer=True), check_positive(batch, "batch", integer=True)
    as_label_tensor(torch.as_tensor(np.asarray(ids)), "ids", num_classes=model.embed.num_embeddings)
    n = (len(ids) - 1) // seq_len
    if n < 1:
        raise ValueError(f"ids 太短（{len(ids)}），至少要 seq_len + 1 = {seq_len + 1} 个字符")
    model.eval()
    X = torch.as_tensor(ids[:n * seq_len].reshape(n, seq_len).T.copy())          # (T, n)
    Y = torch.as_tensor(ids[1:n * seq_len + 1].reshape(n, seq_len).T.copy())
    total = 0.0
    for i in range(0, n, batch):
        Z, _ = model(X[:, i:i + batch])
        total += float(F.cross_entropy(Z.reshape(-1, Z.shape[-1]), Y[:, i:i + batch].reshape(-1), reduction="sum"))
    model.train()
    return math.exp(total / (n * seq_len))


@torch.no_grad()
def sample(model: CharLM, vocab, prime: str, length: int = 200, temperature: float = 1.0, seed: int = 0) -> str:
    r"""从语言模型采样：每步按 $\mathrm{softmax}(\boldsymbol{z}/\tau)$ 抽下一个字符（$\tau$ 为温度）。

    $\tau\to 0$ 接近贪心（总取概率最大的字符，容易陷入重复），$\tau = 1$ 是模型本身的分布，$\tau > 1$ 更随机。
    书中第 15 章（序列生成模型）；站点页面：第 6 章 6.9.1 节。
    """
    if not temperature > 0:
        raise ValueError(f"temperature 应大于 0，实际为 {temperature}")
    if not isinstance(prime, str) or not prime:
        raise ValueError("prime 应为非空字符串（采样的开头）")
    if not isinstance(model, CharLM):
        raise TypeError(f"model 应为 CharLM，实际得到 {type(model).__name__}")
    check_real(length, "length", 0, integer=True), check_seed(seed)
    ids = torch.as_tensor(vocab.encode(prime))[:, None]            # (T, 1)；字符不在表里时在这里报错
    model.eval()
    gen = torch.Generator().manual_seed(seed)
    Z, state = model(ids)
    out = []
    for _ in range(length):
        p = torch.softmax(Z[-1, 0] / temperature, dim=0)
        nxt = torch.multinomial(p, 1, generator=gen)
        out.append(int(nxt))
        Z, state = model(nxt[:, None], state)
    model.train()
    return prime + vocab.decode(out)


def train_char_lm(text: str | None = None, *, hidden_size: int = 128, seq_len: int = 64, batch_size: int = 32,
                  steps: int = 1500, lr: float = 3e-3, clip: float = 1.0, eval_every: int = 100, seed: int = 0,
                  threads: int | None = 1):
    r"""在 Python 文档上训练字符级 LSTM 语言模型（Adam，学习率余弦退火，梯度按全局范数截断到 ``clip``）。

    ``threads``：训练期间 torch 的线程数（默认 1：这些小模型每步只有几毫秒的计算，在 2 核的机器上
    多线程的同步开销反而更大，机器忙时尤其明显）。前 90% 的文本训练、后 10% 验证（困惑度在验证部分的前 1 万个字符上算）；每步从训练文本里随机取 ``batch_size`` 段长 ``seq_len + 1`` 的片段
    （截断的 BPTT：梯度只回传 ``seq_len`` 步）。返回 ``(model, vocab, history)``，``history`` 是字典：
    ``step``、``train_loss``（每 ``eval_every`` 步的平均）、``val_ppl``、``grad_norm`` 与 ``grad_norm_max``
    （这 ``eval_every`` 步里截断前全局范数的平均与最大值）、
    ``seconds``。站点页面：第 6 章 6.9 节。
    """
    from ..data_text import CharVocab, load_python_docs

    for v, name in ((hidden_size, "hidden_size"), (seq_len, "seq_len"), (batch_size, "batch_size"), (steps, "steps"),
                    (eval_every, "eval_every")):
        check_positive(v, name, integer=True)
    check_positive(lr, "lr"), check_positive(clip, "clip"), check_seed(seed)
    if text is not None and not isinstance(text, str):
        raise TypeError(f"text 应为字符串或 None（用 Python 文档），实际得到 {type(text).__name__}")
    text = load_python_docs() if text is None else text
    vocab = CharVocab(text)
    ids = vocab.encode(text)
    split = int(0.9 * len(ids))
    train_ids, val_ids = ids[:split], ids[split:]
    if len(train_ids) <= seq_len + 1:
        raise ValueError(f"文本太短：训练部分只有 {len(train_ids)} 个字符，至少要 seq_len + 2 = {seq_len + 2}")
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    model = CharLM(len(vocab), hidden_size)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda t: 0.5 * (1 + math.cos(math.pi * t / steps)))
    train_t = torch.as_tensor(train_ids)
    offsets = torch.arange(seq_len + 1)
    hist = {"step": [], "train_loss": [], "val_ppl": [], "grad_norm": [], "grad_norm_max": [], "seconds": 0.0}
    t0 = time.perf_counter()
    running, norms = 0.0, []
    with limit_threads(threads):
        for step in range(1, steps + 1):
            starts = torch.as_tensor(rng.integers(0, len(train_ids) - seq_len - 1, batch_size))
            chunk = train_t[starts[None, :] + offsets[:, None]]     # (seq_len + 1, B)
            Z, _ = model(chunk[:-1])
            loss = F.cross_entropy(Z.reshape(-1, Z.shape[-1]), chunk[1:].reshape(-1))
            opt.zero_grad(set_to_none=True)
            loss.backward()
            norms.append(float(nn.utils.clip_grad_norm_(model.parameters(), clip)))
            opt.step()
            sched.step()
            running += loss.item()
            if step % eval_every == 0 or step == steps:
                k = eval_every if step % eval_every == 0 else step % eval_every
                hist["step"].append(step)
                hist["train_loss"].append(running / k)
                hist["val_ppl"].append(perplexity(model, val_ids[:10_000]))
                hist["grad_norm"].append(float(np.mean(norms)))
                hist["grad_norm_max"].append(float(np.max(norms)))
                running, norms = 0.0, []
    hist["seconds"] = time.perf_counter() - t0
    return model.eval(), vocab, hist


@functools.lru_cache(maxsize=1)
def trained_char_lm(steps: int = 1500, seed: int = 0):
    """同一进程内只训练一次的 ``train_char_lm`` 结果（页面、代码片段与插图共用）。不要在返回的模型上继续训练。

    站点页面：第 6 章 6.9.1 节。"""
    return train_char_lm(steps=steps, seed=seed)


# ======================================================================== 任务二：MNIST-1D 上的 GRU 分类器
def train_mnist1d_gru(*, hidden_size: int = 64, bidirectional: bool = True, chunk: int = 1, epochs: int = 15,
                      lr: float = 1e-2, batch_size: int = 100, seed: int = 0, threads: int | None = 1):
    r"""MNIST-1D 上的 GRU 分类器（多对一）。返回 ``(model, history)``，``history`` 有每轮的训练损失与测试准确率。

    每条样本是长 40 的一维序列，``chunk`` 个相邻的点合成一个时刻的输入（``chunk=1`` 时 $T=40$、$D=1$）。
    用 ``nn.GRU``（torch 的写法）；Adam，学习率余弦退火，梯度全局范数截断到 1。站点页面：第 6 章 6.9 节。
    """
    from ..data_mnist1d import load_mnist1d

    if not (isinstance(chunk, int) and chunk > 0 and 40 % chunk == 0):
        raise ValueError(f"chunk 应为能整除序列长度 40 的正整数，实际为 {chunk!r}")
    for v, name in ((hidden_size, "hidden_size"), (epochs, "epochs"), (batch_size, "batch_size")):
        check_positive(v, name, integer=True)
    check_positive(lr, "lr"), check_seed(seed), check_bool(bidirectional, "bidirectional")
    d = load_mnist1d()

    def as_seq(X):                                                  # (N, 40) → (40/chunk, N, chunk)
        X = torch.as_tensor(X, dtype=torch.float32)
        return X.reshape(X.shape[0], 40 // chunk, chunk).transpose(0, 1).contiguous()

    Xtr, Xte = as_seq(d.X_train), as_seq(d.X_test)
    ytr, yte = torch.as_tensor(d.y_train), torch.as_tensor(d.y_test)
    torch.manual_seed(seed)
    model = SequenceClassifier("gru", chunk, hidden_size, 10, bidirectional=bidirectional)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    n = Xtr.shape[1]
    steps = epochs * math.ceil(n / batch_size)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda t: 0.5 * (1 + math.cos(math.pi * t / steps)))
    gen = torch.Generator().manual_seed(seed)
    hist = History()
    t0 = time.perf_counter()
    with limit_threads(threads):
        for _ in range(epochs):
            total = 0.0
            for idx in torch.randperm(n, generator=gen).split(batch_size):
                loss = F.cross_entropy(model(Xtr[:, idx]), ytr[idx])
                opt.zero_grad(set_to_none=True)
                loss.backward()
                nn.utils.clip_grad_norm_(model.parameters(), 1.0)
                opt.step()
                sched.step()
                total += loss.item() * len(idx)
            with torch.no_grad():
                model.eval()
                Z = model(Xte)
                model.train()
            hist.log(total / n, float((model(Xtr[:, :1000]).argmax(1) == ytr[:1000]).float().mean()),
                     float(F.cross_entropy(Z, yte)), float((Z.argmax(1) == yte).float().mean()))
    hist.seconds = time.perf_counter() - t0
    return model.eval(), hist


@functools.lru_cache(maxsize=1)
def trained_mnist1d_gru(seed: int = 0):
    """同一进程内只训练一次的 ``train_mnist1d_gru()``（默认超参数）。站点页面：第 6 章 6.9.2 节。"""
    return train_mnist1d_gru(seed=seed)


# ======================================================================== 任务三：序列到序列（倒序）
PAD_START = 10                                                      # 起始符 <s>，数字 0–9 之后的编号


def make_reverse_data(n: int, length: int = 8, seed: int = 0):
    """倒序任务：输入 ``length`` 个随机数字，输出同样的数字倒过来。返回 ``(src (length, n), tgt (length+1, n))``，
    ``tgt[0]`` 是起始符 ``PAD_START``。书中第 6.3.3 节；站点页面：第 6 章 6.9.3 节。"""
    if not (isinstance(n, int) and n > 0 and isinstance(length, int) and length > 0):
        raise ValueError(f"n 与 length 应为正整数，实际为 n={n!r}, length={length!r}")
    rng = np.random.default_rng(check_seed(seed))
    src = rng.integers(0, 10, (length, n))
    tgt = np.concatenate([np.full((1, n), PAD_START), src[::-1]], axis=0)
    return src, tgt


def train_seq2seq(*, cell: str = "gru", length: int = 8, hidden_size: int = 128, steps: int = 800,
                  batch_size: int = 64, lr: float = 3e-3, seed: int = 0, threads: int | None = 1):
    r"""在倒序任务上训练编码器-解码器。返回 ``(model, history)``：``history["step"]``、``history["loss"]``、
    ``history["seq_acc"]``（留出的 1000 条上整条序列完全正确的比例，贪心解码）。站点页面：第 6 章 6.9 节。
    """
    for v, name in ((length, "length"), (hidden_size, "hidden_size"), (steps, "steps"), (batch_size, "batch_size")):
        check_positive(v, name, integer=True)
    check_choice(cell, "cell", ("rnn", "lstm", "gru")), check_positive(lr, "lr"), check_seed(seed)
    torch.manual_seed(seed)
    model = Seq2Seq(cell, 11, hidden_size)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda t: 0.5 * (1 + math.cos(math.pi * t / steps)))
    src_te, tgt_te = (torch.as_tensor(a) for a in make_reverse_data(1000, length, seed=10_000 + seed))
    hist = {"step": [], "loss": [], "seq_acc": [], "seconds": 0.0}
    t0 = time.perf_counter()
    with limit_threads(threads):
        for step in range(1, steps + 1):
            src, tgt = (torch.as_tensor(a) for a in make_reverse_data(batch_size, length, seed=seed * 1_000_003 + step))
            Z = model(src, tgt[:-1])                                   # teacher forcing
            loss = F.cross_entropy(Z.reshape(-1, Z.shape[-1]), tgt[1:].reshape(-1))
            opt.zero_grad(set_to_none=True)
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            if step % 100 == 0 or step == steps:
                pred = model.generate(src_te, PAD_START, length)
                hist["step"].append(step)
                hist["loss"].append(loss.item())
                hist["seq_acc"].append(float((pred == tgt_te[1:]).all(dim=0).float().mean()))
    hist["seconds"] = time.perf_counter() - t0
    return model.eval(), hist


@functools.lru_cache(maxsize=1)
def trained_seq2seq(seed: int = 0):
    """同一进程内只训练一次的 ``train_seq2seq()``（默认超参数）。站点页面：第 6 章 6.9.3 节。"""
    return train_seq2seq(seed=seed)
