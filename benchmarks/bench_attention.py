"""第 8 章基准：两张表。

1. ``attention``：多头自注意力（带因果掩码）的前向 + 反向，NumPy 从零实现 vs PyTorch CPU，同一进程内交替测量。
   工作负载：批 32，序列长 64 与 256，D = 128，4 个头，float32；反向求出输入和全部投影参数的梯度。
   NumPy 一侧 BLAS 限制为 1 线程；torch 测 1 线程与默认 2 线程。计时前先核对两边结果一致。
2. ``attention-mixers``：同一个小模型（``TinyTransformer``，2 层，D = 64）把时间混合子层换成
   自注意力 / 选择性状态空间（Mamba 式）/ mLSTM，在倒序任务上各训练相同步数：留出集整条全对的比例与训练耗时；
   以及单层前向耗时随序列长度的变化（批 8，D = 64，torch 单线程）。

运行：``.venv/bin/python benchmarks/bench_attention.py``（``make bench`` 也会运行它）；
结果写入 ``benchmarks/results/attention.md`` 与 ``attention-mixers.md``。
"""

from __future__ import annotations

import statistics
import sys
from functools import partial
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402
import torch  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

from _common import interleaved as _interleaved, write_table  # noqa: E402
from nndl_ref.numpy import attention as At  # noqa: E402
from nndl_ref.torch import ssm as TS  # noqa: E402
from nndl_ref.torch.attention import MultiHeadAttention as TorchMHA, causal_mask  # noqa: E402
from nndl_ref.torch.transformer import train_task  # noqa: E402

B, D, H = 32, 128, 4


def make(T, seed=0):
    rng = np.random.default_rng(seed)
    f32 = np.float32
    p = {k: (rng.standard_normal((D, D)) / np.sqrt(D)).astype(f32) for k in ("W_q", "W_k", "W_v", "W_o")}
    p.update({k: np.zeros(D, f32) for k in ("b_q", "b_k", "b_v", "b_o")})
    return p, rng.standard_normal((B, T, D)).astype(f32), rng.standard_normal((B, T, D)).astype(f32)


def numpy_step(p, X, G, mask):
    Y, cache = At.mha_forward(X, X, p, H, mask)
    dXq, dXkv, g = At.mha_backward(G, cache)
    return Y, dXq + dXkv, g


def torch_setup(p, X, G):
    tm = torch.nn.MultiheadAttention(D, H, batch_first=True)
    with torch.no_grad():
        tm.in_proj_weight.copy_(torch.as_tensor(np.concatenate([p["W_q"], p["W_k"], p["W_v"]])))
        tm.in_proj_bias.zero_()
        tm.out_proj.weight.copy_(torch.as_tensor(p["W_o"]))
        tm.out_proj.bias.zero_()
    Xt, Gt = torch.tensor(X, requires_grad=True), torch.as_tensor(G)
    T = X.shape[1]
    mask = torch.ones(T, T, dtype=torch.bool).triu(1)           # torch：True 表示屏蔽

    def step():
        Xt.grad = None
        tm.zero_grad(set_to_none=True)
        Y, _ = tm(Xt, Xt, Xt, attn_mask=mask, need_weights=False)
        Y.backward(Gt)
        return Y

    return tm, Xt, step



# 交替计时见 _common.interleaved；这里只定本表的轮数
interleaved = partial(_interleaved, rounds=15, warmup=2)


def bench_mha():
    rows, worst = [], 0.0
    with threadpool_limits(limits=1, user_api="blas"):
        for T in (64, 256):
            p, X, G = make(T)
            mask = np.tril(np.ones((T, T), bool))
            tm, Xt, step = torch_setup(p, X, G)
            torch.set_num_threads(1)
            Yt = step()
            Y, dX, g = numpy_step(p, X, G, mask)
            for a, r in ((Y, Yt.detach().numpy()), (dX, Xt.grad.numpy()), (g["W_o"], tm.out_proj.weight.grad.numpy())):
                worst = max(worst, float(np.abs(a - r).max() / np.abs(r).max()))
            for threads in (1, 2):
                torch.set_num_threads(threads)
                n, th, r = interleaved(lambda: numpy_step(p, X, G, mask), step)
                rows.append([f"T = {T}", str(threads), f"{n * 1e3:.1f} ms", f"{th * 1e3:.1f} ms", f"**{r:.2f}**"])
    assert worst < 1e-3, worst
    write_table(
        "attention", f"第 8 章：多头自注意力前向 + 反向（批 {B}，D = {D}，{H} 个头，因果掩码，float32）",
        ["序列长度", "torch 线程数", "NumPy（单线程）", "PyTorch CPU", "NumPy ÷ PyTorch"], rows,
        f"NumPy 一侧是页面上的 `attention.mha_forward/mha_backward`（可读版本本身；唯一与速度有关的选择是参数梯度"
        f"写成摊平后的矩阵乘法 `dZ.reshape(-1, D).T @ X.reshape(-1, D)`，同样的 `np.einsum` 在这里慢一倍）；torch 一侧是 "
        f"`torch.nn.MultiheadAttention`（权重按文档的对应关系拷过去）。两边一轮一轮交替运行，比值取逐轮比值的中位数（15 轮）。"
        f"计时前先核对输出、输入梯度与 `W_o` 的梯度一致（最大相对误差 {worst:.1e}）。")


def bench_mixers():
    rows = []
    steps = 600
    runs = [(length, mixer, steps) for length in (8, 16) for mixer in ("attention", "mlstm", "mamba")]
    for length, mixer, n in runs:
        _, h = train_task("reverse", mixer=mixer, length=length, steps=n, eval_every=25)
        reached = next((st for st, a in zip(h["step"], h["seq_acc"]) if a >= 0.99), None)
        rows.append([f"{mixer}，L = {length}", f"{h['seq_acc'][-1] * 100:.1f}%",
                     "未达到" if reached is None else str(reached), f"{h['seconds']:.1f} s"])
        print(rows[-1], flush=True)
    write_table(
        "attention-mixers", f"第 8 章：同一个小模型换不同的时间混合子层，在倒序任务上训练 {steps} 步（2 层，D = 64，torch 单线程）",
        ["子层与序列长度 L", "最后留出 1000 条整条全对", "首次 ≥ 99% 的步数（每 25 步评估）", "训练 + 评估耗时"], rows,
        "每步 64 条新生成的样本，AdamW、OneCycle 学习率 3e-3、梯度截断 1.0，种子 0；只跑了一个种子，数字会随种子浮动几个百分点。"
        "选择性扫描是逐步的 Python 循环（真正的 Mamba 用融合的并行扫描内核），所以它的耗时只说明"
        "\"这份可读实现\"，不代表 Mamba 本身的速度。")
    torch.set_num_threads(1)
    rows = []
    torch.manual_seed(0)
    layers = {"自注意力（4 头）": TorchMHA(64, 4), "mLSTM（并行形式）": TS.MLSTMLayer(64, 4),
              "选择性扫描（逐步循环）": TS.SelectiveSSM(64)}
    Ts = (64, 256, 1024, 2048)
    for name, layer in layers.items():
        cells = []
        for T in Ts:
            X = torch.randn(8, T, 64)
            with torch.no_grad():
                if name.startswith("自注意力"):
                    f = lambda: layer(X, mask=causal_mask(T))  # noqa: E731
                else:
                    f = lambda: layer(X)  # noqa: E731
                f()
                ts = []
                for _ in range(3):
                    t0 = time.perf_counter()
                    f()
                    ts.append(time.perf_counter() - t0)
            cells.append(f"{statistics.median(ts) * 1e3:.1f} ms")
        rows.append([name] + cells)
        print(rows[-1], flush=True)
    write_table(
        "attention-scaling", "第 8 章：单层前向耗时随序列长度 T 的变化（批 8，D = 64，torch 单线程，不求梯度）",
        ["子层"] + [f"T = {T}" for T in Ts], rows,
        "自注意力与 mLSTM 的并行形式都要算 T × T 的矩阵，T 翻倍时耗时约翻两番；"
        "选择性扫描每步的工作量固定，耗时与 T 成正比，但逐步循环的常数很大。")


if __name__ == "__main__":
    which = sys.argv[1:] or ["mha", "mixers"]
    if "mha" in which:
        bench_mha()
    if "mixers" in which:
        bench_mixers()
