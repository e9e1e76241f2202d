"""第 5 章基准：两层卷积的前向 + 反向（NumPy 从零实现 vs PyTorch CPU），同一进程内交替测量。

工作负载：批 64，28×28，单通道 → 16 通道 → 32 通道，3×3 卷积、补零 1（等宽），中间一个 ReLU，float32；
反向计算全部梯度（两层的 dW、db，以及两层的 dx，包括对输入图像的 dx——torch 一侧也让输入 requires_grad）。

NumPy 一侧始终单线程（BLAS 用 threadpoolctl 限制为 1 线程：这类小矩阵上 OpenBLAS 的多线程时快时慢，
在这台机器上两线程并不比一线程快）。torch 一侧测两次：
- 同样 1 个线程（``torch.set_num_threads(1)``）：每个核的效率之比；
- torch 默认的 2 个线程：NumPy 单线程对 torch 用满两个核，更严格的比法。

计时方法：NumPy 与 torch 一次一轮交替运行（同一时刻的机器负载对两边相同），每轮记下比值，
报告中位耗时与**比值的中位数**。这台共享的 2 核虚拟机上绝对时间会随负载波动，比值稳定得多。

运行：``.venv/bin/python benchmarks/bench_conv.py``（``make bench`` 也会运行它）；结果写入
``benchmarks/results/conv.md``。
"""

from __future__ import annotations

import sys
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402
import torch  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

from _common import interleaved as _interleaved, write_table  # noqa: E402
from nndl_ref.numpy import conv, conv_fast  # noqa: E402

B, M, D, P1, P2, K = 64, 28, 1, 16, 32, 3


def make_data(seed: int = 0):
    rng = np.random.default_rng(seed)
    f32 = np.float32
    return dict(
        x=rng.standard_normal((B, D, M, M)).astype(f32),
        W1=(rng.standard_normal((P1, D, K, K)) * np.sqrt(2 / (D * K * K))).astype(f32),
        b1=np.zeros(P1, f32),
        W2=(rng.standard_normal((P2, P1, K, K)) * np.sqrt(2 / (P1 * K * K))).astype(f32),
        b2=np.zeros(P2, f32),
        g=rng.standard_normal((B, P2, M, M)).astype(f32),        # 上游梯度 ∂L/∂Y
    )


def numpy_step(d, forward, backward, **kw):
    """conv(1→16) → ReLU → conv(16→32)，再反向传回输入。返回 (Y, dx, dW1, db1, dW2, db2)。"""
    z1, c1 = forward(d["x"], d["W1"], d["b1"], padding=1, **kw)
    a1 = np.maximum(z1, 0)
    z2, c2 = forward(a1, d["W2"], d["b2"], padding=1, **kw)
    da1, dW2, db2 = backward(d["g"], c2)
    dx, dW1, db1 = backward(da1 * (z1 > 0), c1)
    return z2, dx, dW1, db1, dW2, db2


def torch_setup(d):
    t = {k: torch.tensor(v, requires_grad=(k != "g")) for k, v in d.items()}

    def step():
        for k in ("x", "W1", "b1", "W2", "b2"):
            t[k].grad = None
        z1 = torch.conv2d(t["x"], t["W1"], t["b1"], padding=1)
        z2 = torch.conv2d(torch.relu(z1), t["W2"], t["b2"], padding=1)
        z2.backward(t["g"])
        return z2

    return t, step



# 交替计时见 _common.interleaved；这里只定本表的轮数
interleaved = partial(_interleaved, rounds=31, warmup=3)


def check_equal(d, step_th, t) -> float:
    """先确认三方结果一致（float32 的相对误差），再计时。"""
    z2 = step_th()
    ref = [z2.detach().numpy()] + [t[k].grad.numpy() for k in ("x", "W1", "b1", "W2", "b2")]
    worst = 0.0
    for fwd, bwd in ((conv.conv2d_forward, conv.conv2d_backward),
                     (conv_fast.conv2d_forward_fast, conv_fast.conv2d_backward_fast)):
        for a, r in zip(numpy_step(d, fwd, bwd), ref):
            worst = max(worst, float(np.abs(a - r).max() / np.abs(r).max()))
    assert worst < 1e-4, f"NumPy 与 torch 的结果不一致：相对误差 {worst:.2e}"
    return worst


def main() -> None:
    d = make_data()
    t, step_th = torch_setup(d)
    fast = lambda: numpy_step(d, conv_fast.conv2d_forward_fast, conv_fast.conv2d_backward_fast)  # noqa: E731
    readable = lambda: numpy_step(d, conv.conv2d_forward, conv.conv2d_backward)  # noqa: E731
    rows, ratios = [], {}
    with threadpool_limits(limits=1, user_api="blas"):
        torch.set_num_threads(1)
        worst = check_equal(d, step_th, t)
        n, th, r = interleaved(readable, step_th, rounds=7, warmup=1)
        rows.append(["可读版 `conv.conv2d_forward/backward`（逐个核位置 einsum）", "1", f"{n * 1e3:.1f} ms",
                     f"{th * 1e3:.1f} ms", f"{r:.2f}"])
        for threads in (1, 2):
            torch.set_num_threads(threads)
            n, th, r = interleaved(fast, step_th)
            ratios[threads] = r
            rows.append(["快速版 `conv_fast.conv2d_forward_fast/backward_fast`", str(threads), f"{n * 1e3:.1f} ms",
                         f"{th * 1e3:.1f} ms", f"**{r:.2f}**"])
    write_table(
        "conv", "第 5 章：两层卷积前向 + 反向（批 64，28×28，1→16→32 通道，3×3，float32）",
        ["NumPy 实现（单线程）", "torch 线程数", "NumPy", "PyTorch CPU", "NumPy ÷ PyTorch"], rows,
        f"NumPy 与 torch 一轮一轮交替运行，比值取逐轮比值的中位数（快速版 31 轮）。"
        f"计时前先核对：两种 NumPy 实现与 torch 的输出和全部梯度一致（最大相对误差 {worst:.1e}）。"
        "快速版的做法：通道在后的内存布局、按批分块的 im2col（每块留在缓存里）+ 一次矩阵乘法，"
        "输入梯度写成补零的 δ 与翻转卷积核的互相关，不做散射累加。")
    print(f"\nratio_same_threads={ratios[1]:.2f} ratio_vs_torch_2_threads={ratios[2]:.2f}")


if __name__ == "__main__":
    main()
