r"""Transformer（PyTorch 实现）：正弦位置编码、与 NumPy 块的权重对应，在倒序任务上训练的小模型，
以及 MNIST-1D 上只有编码器的分类器 ``MNIST1DTransformer``。

对应书中第 8.3 节（自注意力模型）与第 15.6 节（序列到序列模型）；站点页面 ``docs/ch08-attention/index.md``。

算法任务（倒序、排序）写成"只有解码器"（decoder-only）的语言模型：输入 ``x_1 … x_L <sep> y_1 … y_L``，
其中倒序时 $y_i = x_{L+1-i}$，排序时 $y$ 是排好序的 $x$；模型在因果掩码下逐个预测下一个词，只在 $y$ 的位置计算损失。
评估时给出 ``x`` 与 ``<sep>``，贪心地生成 $L$ 个数字，整条全对才算对。
"""

from __future__ import annotations

import functools
import math
import time

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from .._validate import (as_float_array, as_float_tensor, as_label_tensor, check_choice, check_nonneg, check_positive,
                         check_seed)
from ._threads import limit_threads
from .attention import MultiHeadAttention, causal_mask

SEP = 10                     # 分隔符 <sep> 的编号，数字 0–9 之后
VOCAB = 11


def sinusoidal_positional_encoding(T: int, D: int, base: float = 10000.0) -> torch.Tensor:
    r"""正弦位置编码 (T, D)，与 ``nndl_ref.numpy.transformer.sinusoidal_positional_encoding`` 相同。
    书中第 8.3 节；站点页面 ``docs/ch08-attention/index.md``。"""
    check_positive(T, "T", integer=True), check_positive(D, "D", integer=True), check_positive(base, "base")
    if D % 2:
        raise ValueError(f"正弦位置编码的维数 D 应为偶数（sin、cos 成对），实际为 {D}")
    t = torch.arange(T, dtype=torch.float64)[:, None]
    freq = base ** (-torch.arange(0, D, 2, dtype=torch.float64) / D)
    PE = torch.zeros(T, D, dtype=torch.float64)
    PE[:, 0::2] = torch.sin(t * freq)
    PE[:, 1::2] = torch.cos(t * freq)
    return PE


def load_numpy_block(block, torch_layer) -> nn.Module:
    r"""把 NumPy 的 ``EncoderBlock`` / ``DecoderBlock`` 的参数原样拷进 torch 的
    ``nn.TransformerEncoderLayer`` / ``nn.TransformerDecoderLayer``（不转置）。对应关系：

    - ``attn``（解码器为 ``self_attn``）→ ``self_attn``：``in_proj_weight = [W_q; W_k; W_v]``，
      ``in_proj_bias = [b_q; b_k; b_v]``，``out_proj = (W_o, b_o)``；
    - ``cross_attn`` → ``multihead_attn``（同上）；
    - ``ffn.W1, ffn.b1, ffn.W2, ffn.b2`` → ``linear1.weight, linear1.bias, linear2.weight, linear2.bias``；
    - ``ln1/ln2/ln3.gamma, beta`` → ``norm1/norm2/norm3.weight, bias``。

    书中第 8.3 节；站点页面 ``docs/ch08-attention/index.md``。返回 ``torch_layer``。
    """
    plan = []

    def put(param, value):                             # 先记下（并检查形状），全部检查完再拷贝
        value = torch.as_tensor(np.ascontiguousarray(as_float_array(value, "参数")), dtype=param.dtype)
        if value.shape != param.shape:
            raise ValueError(f"NumPy 块的参数形状 {tuple(value.shape)} 与 torch 层的 {tuple(param.shape)} 不同："
                             "两边的 D、头数、F 应相同")
        plan.append((param, value))

    def put_mha(mha, tm):
        p = mha.params
        put(tm.in_proj_weight, np.concatenate([p["W_q"], p["W_k"], p["W_v"]]))
        put(tm.in_proj_bias, np.concatenate([p["b_q"], p["b_k"], p["b_v"]]))
        put(tm.out_proj.weight, p["W_o"])
        put(tm.out_proj.bias, p["b_o"])

    s = getattr(block, "subs", None)
    if not isinstance(s, dict) or "ffn" not in s:
        raise TypeError(f"block 应为 nndl_ref.numpy.transformer 的 EncoderBlock 或 DecoderBlock，实际得到 {type(block).__name__}")
    want = nn.TransformerDecoderLayer if "cross_attn" in s else nn.TransformerEncoderLayer
    if not isinstance(torch_layer, want):
        raise TypeError(f"torch_layer 应为 {want.__name__}（与 block 对应），实际得到 {type(torch_layer).__name__}")
    put_mha(s["attn"] if "attn" in s else s["self_attn"], torch_layer.self_attn)
    if "cross_attn" in s:
        put_mha(s["cross_attn"], torch_layer.multihead_attn)
    f = s["ffn"].params
    put(torch_layer.linear1.weight, f["W1"])
    put(torch_layer.linear1.bias, f["b1"])
    put(torch_layer.linear2.weight, f["W2"])
    put(torch_layer.linear2.bias, f["b2"])
    for i in (1, 2, 3):
        if f"ln{i}" in s:
            put(getattr(torch_layer, f"norm{i}").weight, s[f"ln{i}"].params["gamma"])
            put(getattr(torch_layer, f"norm{i}").bias, s[f"ln{i}"].params["beta"])
    with torch.no_grad():
        for param, value in plan:
            param.copy_(value)
    return torch_layer


# ======================================================================== 两个算法任务
TASKS = ("reverse", "sort")


def make_task(n: int, length: int = 8, task: str = "reverse", seed: int = 0) -> torch.Tensor:
    """``n`` 条样本，每行 ``x_1 … x_L <sep> y_1 … y_L``，形状 (n, 2L+1)。``task="reverse"``：$y$ 是 $x$ 倒过来；
    ``"sort"``：$y$ 是 $x$ 从小到大排好。书中第 15.6 节；站点页面 ``docs/ch08-attention/index.md``。"""
    if not (isinstance(n, int) and n > 0 and isinstance(length, int) and length > 0):
        raise ValueError(f"n 与 length 应为正整数，实际为 n={n!r}, length={length!r}")
    if task not in TASKS:
        raise ValueError(f"task 应为 {TASKS} 之一，实际为 {task!r}")
    g = torch.Generator().manual_seed(check_seed(seed))
    x = torch.randint(0, 10, (n, length), generator=g)
    y = x.flip(1) if task == "reverse" else x.sort(dim=1).values
    return torch.cat([x, torch.full((n, 1), SEP), y], dim=1)


class Block(nn.Module):
    r"""前归一化的 Transformer 块：$\boldsymbol{X}\leftarrow\boldsymbol{X}+\operatorname{Mixer}(\operatorname{LN}(\boldsymbol{X}))$，
    $\boldsymbol{X}\leftarrow\boldsymbol{X}+\operatorname{FFN}(\operatorname{LN}(\boldsymbol{X}))$。``mixer`` 是在时间上混合信息的子层：
    因果多头自注意力（``"attention"``），或第 8 章末尾的选择性状态空间（``"mamba"``）、mLSTM（``"mlstm"``）。
    书中第 8.3 节；站点页面 ``docs/ch08-attention/index.md``。"""

    def __init__(self, D: int, num_heads: int, F_: int, mixer: str = "attention"):
        super().__init__()
        from .ssm import MLSTMLayer, SelectiveSSM

        check_positive(D, "D", integer=True), check_positive(F_, "F_", integer=True)

        self.ln1, self.ln2 = nn.LayerNorm(D), nn.LayerNorm(D)
        if mixer == "attention":
            self.mixer = MultiHeadAttention(D, num_heads)
        elif mixer == "mamba":
            self.mixer = SelectiveSSM(D)
        elif mixer == "mlstm":
            self.mixer = MLSTMLayer(D, num_heads)
        else:
            raise ValueError(f"mixer 应为 'attention'、'mamba' 或 'mlstm'，实际为 {mixer!r}")
        self.kind = mixer
        self.ffn = nn.Sequential(nn.Linear(D, F_), nn.ReLU(), nn.Linear(F_, D))

    def forward(self, X):
        X = as_float_tensor(X, "X", ndim=3)
        if X.shape[2] != self.ln1.normalized_shape[0]:
            raise ValueError(f"X 的形状应为 (B, T, D) 且 D={self.ln1.normalized_shape[0]}，实际为 {tuple(X.shape)}")
        Z = self.ln1(X)
        if self.kind == "attention":
            X = X + self.mixer(Z, mask=causal_mask(X.shape[1], X.device))
        else:
            X = X + self.mixer(Z)
        return X + self.ffn(self.ln2(X))


class TinyTransformer(nn.Module):
    r"""只有解码器的小 Transformer：词嵌入 + 位置嵌入 → ``num_layers`` 个 ``Block`` → LN → 线性输出层。

    ``positional="learned"`` 用可学习的位置嵌入（一个 ``nn.Embedding``），``"sinusoidal"`` 用固定的正弦编码。
    书中第 8.3 节与第 15.6 节；站点页面 ``docs/ch08-attention/index.md``。
    """

    def __init__(self, vocab: int = VOCAB, D: int = 64, num_heads: int = 4, num_layers: int = 2, F_: int = 128,
                 max_len: int = 64, positional: str = "learned", mixer: str = "attention"):
        super().__init__()
        for v, name in ((vocab, "vocab"), (D, "D"), (num_layers, "num_layers"), (max_len, "max_len")):
            check_positive(v, name, integer=True)
        self.max_len = max_len
        self.tok = nn.Embedding(vocab, D)
        nn.init.normal_(self.tok.weight, std=0.02)              # 小初始化（同 GPT-2）：训练后的结构才看得出来
        if positional == "learned":
            self.pos = nn.Embedding(max_len, D)
            nn.init.normal_(self.pos.weight, std=0.02)
        elif positional == "sinusoidal":
            self.register_buffer("pe", sinusoidal_positional_encoding(max_len, D).float())
            self.pos = None
        elif positional == "none":
            self.pos, self.pe = None, None
        else:
            raise ValueError(f"positional 应为 'learned'、'sinusoidal' 或 'none'，实际为 {positional!r}")
        self.positional = positional
        self.blocks = nn.ModuleList(Block(D, num_heads, F_, mixer) for _ in range(num_layers))
        self.ln = nn.LayerNorm(D)
        self.out = nn.Linear(D, vocab)

    def _check_ids(self, ids, name: str = "ids", extra: int = 0):
        ids = as_label_tensor(ids, name, num_classes=self.tok.num_embeddings, ndim=2)
        if not 1 <= ids.shape[1] + extra <= self.max_len:
            raise ValueError(f"{name} 的长度加上要生成的步数应在 [1, max_len={self.max_len}] 内，"
                             f"实际 {name} 的形状为 {tuple(ids.shape)}，再生成 {extra} 步")
        return ids

    def forward(self, ids):
        self._check_ids(ids)
        B, T = ids.shape
        X = self.tok(ids)                                       # (B, T, D)
        if self.positional == "learned":
            X = X + self.pos(torch.arange(T, device=ids.device))
        elif self.positional == "sinusoidal":
            X = X + self.pe[:T]
        for blk in self.blocks:
            X = blk(X)
        return self.out(self.ln(X))                             # (B, T, V)

    @torch.no_grad()
    def generate(self, prefix, steps: int):
        """贪心解码：在 ``prefix`` (B, T0) 后面逐个接上概率最大的词，返回新生成的 (B, steps)。"""
        check_nonneg(steps, "steps", integer=True)
        ids = self._check_ids(prefix, "prefix", steps - 1 if steps else 0)
        for _ in range(steps):
            nxt = self(ids)[:, -1].argmax(-1, keepdim=True)
            ids = torch.cat([ids, nxt], dim=1)
        return ids[:, prefix.shape[1]:]


def exact_match(model: TinyTransformer, data: torch.Tensor) -> float:
    """整条序列完全正确的比例（贪心解码）。站点页面 ``docs/ch08-attention/index.md``。

    不必真的逐步生成：贪心解码整条正确，当且仅当在"前缀都是正确答案"时每一步的最大概率词都正确
    （对步数归纳：前 $i$ 步都对，第 $i+1$ 步看到的前缀就是正确答案）。所以一次带因果掩码的前向就够了，
    与 ``model.generate`` 的结果相同（测试检查这一点）。
    """
    if not isinstance(model, TinyTransformer):
        raise TypeError(f"model 应为 TinyTransformer，实际得到 {type(model).__name__}")
    data = as_label_tensor(data, "data", ndim=2)
    if data.shape[1] < 3 or data.shape[1] % 2 == 0 or data.shape[1] - 1 > model.max_len:
        raise ValueError(f"data 的形状应为 (n, 2L+1)（x、<sep>、y），且 2L ≤ max_len={model.max_len}；"
                         f"实际为 {tuple(data.shape)}")
    model._check_ids(data[:, :-1], "data")
    L = (data.shape[1] - 1) // 2
    model.eval()
    with torch.no_grad():
        pred = model(data[:, :-1])[:, L:].argmax(-1)            # (n, L)：第 L..2L-1 个位置预测 y_1..y_L
    return float((pred == data[:, L + 1:]).all(dim=1).float().mean())


def train_task(task: str = "reverse", *, length: int = 8, mixer: str = "attention", positional: str = "learned",
               D: int = 64, num_heads: int = 4, num_layers: int = 2, steps: int = 400, batch_size: int = 64,
               lr: float = 3e-3, seed: int = 0, threads: int | None = 1, eval_every: int = 100):
    r"""在倒序或排序任务上训练 ``TinyTransformer``，返回 ``(model, history)``。

    ``history`` 有 ``step``、``loss``、``seq_acc``（留出的 1000 条上整条全对的比例）与 ``seconds``。
    训练数据每步新生成（种子与留出集不同）。书中第 15.6 节；站点页面 ``docs/ch08-attention/index.md``。
    """
    check_choice(task, "task", TASKS)
    for v, name in ((length, "length"), (D, "D"), (steps, "steps"), (batch_size, "batch_size"),
                    (eval_every, "eval_every")):
        check_positive(v, name, integer=True)
    check_positive(lr, "lr"), check_seed(seed)
    TinyTransformer(D=D, num_heads=num_heads, num_layers=num_layers, F_=2 * D,      # 先检查模型的超参数
                    max_len=2 * length + 1, positional=positional, mixer=mixer)
    with limit_threads(threads or None):
        torch.manual_seed(seed)
        model = TinyTransformer(D=D, num_heads=num_heads, num_layers=num_layers, F_=2 * D,
                                max_len=2 * length + 1, positional=positional, mixer=mixer)
        opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
        sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, total_steps=steps, pct_start=0.1)
        test = make_task(1000, length, task, seed=10_000 + seed)
        hist = {"step": [], "loss": [], "seq_acc": [], "seconds": 0.0}
        t0 = time.perf_counter()
        for step in range(1, steps + 1):
            model.train()
            seq = make_task(batch_size, length, task, seed=seed * 1_000_003 + step)
            Z = model(seq[:, :-1])                              # (B, 2L, V)：预测下一个词
            # 只在 y 的位置（<sep> 之后）计算损失：输入位置 L..2L-1 预测 y_1..y_L
            loss = F.cross_entropy(Z[:, length:].reshape(-1, VOCAB), seq[:, length + 1:].reshape(-1))
            opt.zero_grad(set_to_none=True)
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            if step % eval_every == 0 or step == steps:
                hist["step"].append(step)
                hist["loss"].append(loss.item())
                hist["seq_acc"].append(exact_match(model, test))
        hist["seconds"] = time.perf_counter() - t0
    return model.eval(), hist


TRAINED_STEPS = {"reverse": 200, "sort": 400}


@functools.lru_cache(maxsize=4)
def trained_task(task: str = "reverse", mixer: str = "attention", seed: int = 0):
    """同一进程内只训练一次的 ``train_task(task, mixer=mixer, steps=...)``：倒序 200 步、排序 400 步，
    每 50 步评估一次，其余为默认超参数。站点页面 ``docs/ch08-attention/index.md``。"""
    check_choice(task, "task", tuple(TRAINED_STEPS))
    return train_task(task, mixer=mixer, seed=seed, steps=TRAINED_STEPS[task], eval_every=50)


# ======================================================================== MNIST-1D 上的 Transformer 分类器
def patchify(X: torch.Tensor, patch: int, stride: int) -> torch.Tensor:
    r"""把 (B, L) 的信号切成 $T=\lfloor (L-P)/S\rfloor+1$ 个长 $P$、步长 $S$ 的片段，返回 (B, T, P)。
    与 ``nndl_ref.numpy.transformer.patchify`` 相同。书中第 8.3 节；站点页面 ``docs/ch08-attention/index.md``。"""
    X = as_float_tensor(X, "X", ndim=2)
    check_positive(patch, "patch", integer=True), check_positive(stride, "stride", integer=True)
    if patch > X.shape[1]:
        raise ValueError(f"片段长 patch={patch} 不能超过信号长度 {X.shape[1]}")
    return X.unfold(1, patch, stride)


class MNIST1DTransformer(nn.Module):
    r"""MNIST-1D 上只有编码器的 Transformer 分类器（输入 (B, 40)，输出 10 类的 logit）。

    1. 分片嵌入：把信号切成 $T$ 个长 $P$、步长 $S$ 的片段 $\boldsymbol{p}_t\in\mathbb{R}^P$，
       $\boldsymbol{x}_t = \boldsymbol{W}_e\boldsymbol{p}_t + \boldsymbol{b}_e + \boldsymbol{e}_t$（$\boldsymbol{e}_t$ 是可学习的位置嵌入）；
    2. ``num_layers`` 个前归一化的编码器块（``nn.TransformerEncoderLayer``，``norm_first=True``，不用掩码：
       每个片段都能看到所有片段）；
    3. 层归一化后对 $T$ 个位置取平均 $\bar{\boldsymbol{h}} = \frac1T\sum_t \boldsymbol{h}_t$，线性层给出 logit。

    参数与 ``nndl_ref.numpy.transformer.MNIST1DTransformer`` 一一对应（``from_torch`` 原样拷贝）。
    书中第 8.3 节；站点页面 ``docs/ch08-attention/index.md``。
    """

    def __init__(self, length: int = 40, patch: int = 8, stride: int = 4, D: int = 32, num_heads: int = 4,
                 num_layers: int = 2, F_: int = 64, num_classes: int = 10, positional: str = "learned"):
        super().__init__()
        for v, name in ((length, "length"), (patch, "patch"), (stride, "stride"), (D, "D"), (num_heads, "num_heads"),
                        (num_layers, "num_layers"), (F_, "F_"), (num_classes, "num_classes")):
            check_positive(v, name, integer=True)
        if D % num_heads:
            raise ValueError(f"模型维数 D={D} 应能被头数 num_heads={num_heads} 整除")
        if not (0 < patch <= length and stride > 0):
            raise ValueError(f"应有 0 < patch ≤ length 且 stride > 0，实际 patch={patch}, stride={stride}, length={length}")
        if positional not in ("learned", "sinusoidal"):
            raise ValueError(f"positional 应为 'learned' 或 'sinusoidal'，实际为 {positional!r}")
        self.length, self.patch, self.stride = length, patch, stride
        self.T = (length - patch) // stride + 1
        self.positional = positional
        self.embed = nn.Linear(patch, D)
        if positional == "learned":
            self.pos = nn.Parameter(0.02 * torch.randn(self.T, D))
        else:
            # 存 float64、用时转成输入的类型：换成 float64 的模型与 NumPy 版在 1e-10 以内一致（测试的容差）
            self.register_buffer("pos", sinusoidal_positional_encoding(self.T, D))
        self.blocks = nn.ModuleList(
            nn.TransformerEncoderLayer(D, num_heads, F_, dropout=0.0, batch_first=True, norm_first=True)
            for _ in range(num_layers))
        self.ln = nn.LayerNorm(D)
        self.head = nn.Linear(D, num_classes)

    def forward(self, X):
        X = as_float_tensor(X, "X")
        if X.dim() != 2 or X.shape[1] != self.length:
            raise ValueError(f"X 应为 (B, {self.length})，实际形状为 {tuple(X.shape)}")
        H = self.embed(patchify(X, self.patch, self.stride)) + self.pos.to(X.dtype)    # (B, T, D)
        for blk in self.blocks:
            H = blk(H)
        return self.head(self.ln(H).mean(dim=1))                           # (B, C)


def train_mnist1d_transformer(*, seed: int = 0, steps: int = 2000, lr: float = 3e-3, batch_size: int = 100,
                              warmup: int = 100, weight_decay: float = 0.0, threads: int | None = 1,
                              eval_every: int = 200, progress: bool | None = None, **model_kw):
    r"""在 MNIST-1D 上训练 ``MNIST1DTransformer``，返回 ``(model, history)``。

    Adam（``weight_decay>0`` 时为 AdamW），学习率先线性预热 ``warmup`` 步（从 ``0.1·lr`` 升到 ``lr``）、
    再余弦退火到 0（每步更新一次），
    梯度全局范数截断到 1。批按"每轮打乱一次、依次取"的方式抽取。``history``（``nndl_ref.progress.History``）
    每 ``eval_every`` 步记一行：训练损失（这段步数的平均）、前 1000 个训练样本上的准确率、测试损失与测试准确率；
    ``seconds`` 是训练用时。其余关键字参数传给 ``MNIST1DTransformer``。站点页面 ``docs/ch08-attention/index.md``。
    """
    from ..data_mnist1d import load_mnist1d
    from ..progress import History, progress_bar, progress_enabled

    if not (isinstance(steps, int) and isinstance(warmup, int) and 0 < warmup < steps):
        raise ValueError(f"应有整数 0 < warmup < steps，实际 warmup={warmup!r}, steps={steps!r}")
    check_positive(lr, "lr"), check_positive(batch_size, "batch_size", integer=True), check_seed(seed)
    check_nonneg(weight_decay, "weight_decay"), check_positive(eval_every, "eval_every", integer=True)
    MNIST1DTransformer(**model_kw)                     # 先检查模型的超参数，再生成数据
    d = load_mnist1d()
    Xtr, Xte = (torch.as_tensor(a, dtype=torch.float32) for a in (d.X_train, d.X_test))
    ytr, yte = torch.as_tensor(d.y_train), torch.as_tensor(d.y_test)
    with limit_threads(threads or None):
        torch.manual_seed(seed)
        model = MNIST1DTransformer(**model_kw)
        opt = (torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=weight_decay) if weight_decay
               else torch.optim.Adam(model.parameters(), lr=lr))
        sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda t: _warmup_cosine(t, warmup, steps))
        gen = torch.Generator().manual_seed(seed)
        n = len(Xtr)
        order, pos = torch.randperm(n, generator=gen), 0
        hist, total, count = History(), 0.0, 0
        t0 = time.perf_counter()
        for step in progress_bar(range(1, steps + 1), total=steps, desc="Transformer",
                                 enabled=progress_enabled(progress)):
            if pos + batch_size > n:
                order, pos = torch.randperm(n, generator=gen), 0
            idx = order[pos:pos + batch_size]
            pos += batch_size
            model.train()
            loss = F.cross_entropy(model(Xtr[idx]), ytr[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            total, count = total + loss.item(), count + 1
            if step % eval_every == 0 or step == steps:
                model.eval()
                with torch.no_grad():
                    Z = model(Xte)
                    acc_tr = float((model(Xtr[:1000]).argmax(1) == ytr[:1000]).float().mean())
                hist.log(total / count, acc_tr, float(F.cross_entropy(Z, yte)), float((Z.argmax(1) == yte).float().mean()))
                total, count = 0.0, 0
        hist.seconds = time.perf_counter() - t0
    return model.eval(), hist


def _warmup_cosine(t: int, warmup: int, steps: int) -> float:
    """学习率倍数：前 ``warmup`` 步从 0.1 线性升到 1，之后余弦退火到 0
    （与 ``nndl_ref.numpy.schedules.warmup_cosine_lr(t, 1.0, warmup, steps)`` 相同）。"""
    if t < warmup:
        return 0.1 + 0.9 * t / warmup
    return 0.5 * (1 + math.cos(math.pi * min(t - warmup, steps - warmup) / (steps - warmup)))


@functools.lru_cache(maxsize=3)
def trained_mnist1d_transformer(seed: int = 0):
    """同一进程内只训练一次的 ``train_mnist1d_transformer(seed=seed)``（默认超参数：2000 步）。
    不要在返回的模型上继续训练。站点页面 ``docs/ch08-attention/index.md``。"""
    return train_mnist1d_transformer(seed=seed)
