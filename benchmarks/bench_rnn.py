"""第 6 章基准：一层 LSTM 的前向 + 反向（NumPy 从零实现 vs ``torch.nn.LSTM`` CPU），同一进程内交替测量。

工作负载：T = 64，批 B = 32，输入 D = 64，隐状态 H = 128，float32；上游梯度 ``dh`` 给在每个时刻的输出上，
反向计算全部梯度（$W$、$U$、$b$ 与输入 $x$ 的梯度——torch 一侧也让输入 requires_grad）。

NumPy 一侧：
- 可读版 ``rnn.lstm_forward/lstm_backward``（逐时刻、逐门，按公式写）；
- 快速版 ``rnn_fast.lstm_forward_fast/lstm_backward_fast``（输入投影与参数梯度各一次大矩阵乘法、四个门合成
  一次乘法、就地运算），传入 ``workspace`` 复用缓冲区，就像一个训练中的层那样。

线程：NumPy 的 BLAS 用 threadpoolctl 限制线程数，torch 用 ``torch.set_num_threads``；表中每行写明两边各用几个线程。
计时方法同 ``bench_conv.py``：两边一轮一轮交替运行，报告中位耗时与**逐轮比值的中位数**。

本机的环境变量 ``OPENBLAS_CORETYPE`` 会强制 OpenBLAS 使用某一代 CPU 的矩阵乘法内核；结果表写明 NumPy 实际用的
内核（``threadpoolctl`` 报告的 architecture），以及 torch 用的指令集。

运行：``.venv/bin/python benchmarks/bench_rnn.py``（``make bench`` 也会运行它）；结果写入 ``benchmarks/results/rnn.md``。
"""

from __future__ import annotations

import os
import sys
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402
import torch  # noqa: E402
import threadpoolctl  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

from _common import interleaved as _interleaved, write_table  # noqa: E402
from nndl_ref.numpy import rnn, rnn_fast  # noqa: E402

T, B, D, H = 64, 32, 64, 128


def make_data(seed: int = 0):
    rng = np.random.default_rng(seed)
    f32 = np.float32
    k = 1 / np.sqrt(H)
    return dict(x=rng.standard_normal((T, B, D)).astype(f32),
                W=rng.uniform(-k, k, (4 * H, D)).astype(f32),
                U=rng.uniform(-k, k, (4 * H, H)).astype(f32),
                b=rng.uniform(-k, k, 4 * H).astype(f32),
                dh=rng.standard_normal((T, B, H)).astype(f32))


def numpy_fast(d, ws):
    h, _, cache = rnn_fast.lstm_forward_fast(d["x"], None, None, d["W"], d["U"], d["b"], workspace=ws)
    return (h,) + rnn_fast.lstm_backward_fast(d["dh"], cache)


def numpy_readable(d):
    h, _, cache = rnn.lstm_forward(d["x"], None, None, d["W"], d["U"], d["b"])
    return (h,) + rnn.lstm_backward(d["dh"], cache)


def torch_setup(d):
    lstm = torch.nn.LSTM(D, H)
    with torch.no_grad():
        lstm.weight_ih_l0.copy_(torch.from_numpy(d["W"]))       # W → weight_ih_l0（门的顺序 i, f, g, o 相同）
        lstm.weight_hh_l0.copy_(torch.from_numpy(d["U"]))       # U → weight_hh_l0
        lstm.bias_ih_l0.copy_(torch.from_numpy(d["b"]))         # b → bias_ih_l0
        lstm.bias_hh_l0.zero_()                                 # 书中每个门只有一个偏置
    x = torch.from_numpy(d["x"]).requires_grad_(True)
    g = torch.from_numpy(d["dh"])

    def step():
        x.grad = None
        for p in lstm.parameters():
            p.grad = None
        h, _ = lstm(x)
        h.backward(g)
        return h

    return lstm, x, step



# 交替计时见 _common.interleaved；这里只定本表的轮数
interleaved = partial(_interleaved, rounds=41, warmup=3)


def check_equal(d, lstm, x, step) -> float:
    h = step()
    ref = [h.detach().numpy(), x.grad.numpy(), lstm.weight_ih_l0.grad.numpy(), lstm.weight_hh_l0.grad.numpy(),
           lstm.bias_ih_l0.grad.numpy()]
    worst = 0.0
    for out in (numpy_readable(d), numpy_fast(d, {})):
        mine = [out[0], out[1], out[4], out[5], out[6]]          # h, dx, dW, dU, db
        for a, r in zip(mine, ref):
            worst = max(worst, float(np.abs(a - r).max() / np.abs(r).max()))
    assert worst < 1e-4, f"NumPy 与 torch 的结果不一致：相对误差 {worst:.2e}"
    return worst


def main() -> None:
    d = make_data()
    lstm, x, step_th = torch_setup(d)
    ws: dict = {}
    fast = lambda: numpy_fast(d, ws)  # noqa: E731
    arch = ", ".join(sorted({i.get("architecture", "?") for i in threadpoolctl.threadpool_info()
                              if i["user_api"] == "blas"}))
    rows, ratios = [], {}
    with threadpool_limits(limits=1, user_api="blas"):
        torch.set_num_threads(1)
        worst = check_equal(d, lstm, x, step_th)
        n, th, r = interleaved(lambda: numpy_readable(d), step_th, rounds=7, warmup=1)
        rows.append(["可读版 `rnn.lstm_forward/backward`", "1", "1", f"{n * 1e3:.1f} ms", f"{th * 1e3:.1f} ms", f"{r:.2f}"])
        for threads in (1, 2):
            torch.set_num_threads(threads)
            n, th, r = interleaved(fast, step_th)
            ratios[(1, threads)] = r
            rows.append(["快速版 `rnn_fast.lstm_forward_fast/backward_fast`", "1", str(threads), f"{n * 1e3:.1f} ms",
                         f"{th * 1e3:.1f} ms", f"**{r:.2f}**"])
    with threadpool_limits(limits=2, user_api="blas"):
        torch.set_num_threads(2)
        n, th, r = interleaved(fast, step_th)
        ratios[(2, 2)] = r
        rows.append(["快速版 `rnn_fast.lstm_forward_fast/backward_fast`", "2", "2", f"{n * 1e3:.1f} ms",
                     f"{th * 1e3:.1f} ms", f"**{r:.2f}**"])
    coretype = os.environ.get("OPENBLAS_CORETYPE")
    write_table(
        "rnn", "第 6 章：LSTM 前向 + 反向（T = 64，批 32，输入 64，隐状态 128，float32）",
        ["NumPy 实现", "NumPy BLAS 线程", "torch 线程", "NumPy", "PyTorch CPU（nn.LSTM）", "NumPy ÷ PyTorch"], rows,
        f"NumPy 与 torch 一轮一轮交替运行，比值取逐轮比值的中位数（快速版 41 轮）。计时前先核对：两种 NumPy 实现与 "
        f"torch 的输出和全部梯度一致（最大相对误差 {worst:.1e}）。NumPy 的 OpenBLAS 矩阵乘法内核：{arch}"
        + (f"（环境变量 `OPENBLAS_CORETYPE={coretype}` 指定）" if coretype else "") +
        f"；torch 的 CPU 指令集：{torch.backends.cpu.get_cpu_capability()}。"
        "快速版的做法：全部时刻的输入投影 $W x_t$ 一次矩阵乘法、四个门合成一次 $U h_{t-1}$、"
        "参数与输入的梯度在循环外各一次矩阵乘法、循环里只做就地运算、缓冲区在调用之间复用。")
    print("\n" + " ".join(f"ratio_numpy{a}_torch{b}={v:.2f}" for (a, b), v in ratios.items()))


if __name__ == "__main__":
    main()
