"""第 3 章基准：Softmax 回归在手写数字上的训练（NumPy 从零实现 vs PyTorch），同一进程内交替测量。

运行：``make bench`` 或 ``python benchmarks/bench_linear.py``；结果写入 ``benchmarks/results/linear.md``，
由 docs/appendix/benchmarks.md 包含。
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402
import torch  # noqa: E402

from _common import interleaved, timeit, write_table  # noqa: E402
from nndl_ref import data  # noqa: E402
from nndl_ref.numpy import linear as np_linear  # noqa: E402
from nndl_ref.numpy import losses as np_losses  # noqa: E402
from nndl_ref.numpy import train as np_train  # noqa: E402
from nndl_ref.torch import linear as th_linear  # noqa: E402
from nndl_ref.torch import losses as th_losses  # noqa: E402
from nndl_ref.torch import train as th_train  # noqa: E402


def main() -> None:
    d = data.load_digits(standardize=True)

    def np_fit():
        m = np_linear.SoftmaxRegression(64, 10, weight_decay=1e-3)
        np_train.fit(m, d.X_train, d.y_train, epochs=30, lr=0.1, batch_size=32, progress=False)

    def th_fit():
        m = th_linear.SoftmaxRegression(64, 10)
        th_train.fit(m, d.X_train, d.y_train, epochs=30, lr=0.1, batch_size=32, device="cpu", progress=False)

    rng = np.random.default_rng(0)
    Z = rng.standard_normal((4096, 10))
    y = rng.integers(0, 10, 4096)
    Zt = torch.tensor(Z, requires_grad=True)
    yt = torch.from_numpy(y)

    def np_ce():
        np_losses.cross_entropy(Z, y)
        np_losses.cross_entropy_grad(Z, y)

    def th_ce():
        Zt.grad = None
        th_losses.cross_entropy(Zt, yt).backward()

    def th_ce_builtin():
        Zt.grad = None
        torch.nn.functional.cross_entropy(Zt, yt).backward()

    rows = []
    # 同一进程里交替计时，比值取逐轮比值的中位数
    t_np, t_th, r = interleaved(np_fit, th_fit, rounds=7, warmup=1)
    rows.append(["Softmax 回归，手写数字 30 轮（1347×64，批 32）", f"{t_np * 1e3:.0f} ms", f"{t_th * 1e3:.0f} ms", f"{r:.2f}"])
    t_np, t_th, r = interleaved(np_ce, th_ce, rounds=41, warmup=5)
    t_bi = timeit(th_ce_builtin, 21)
    rows.append(["交叉熵前向+反向，4096×10，float64", f"{t_np * 1e3:.2f} ms", f"{t_th * 1e3:.2f} ms（内置 {t_bi * 1e3:.2f} ms）",
                 f"{r:.2f}"])
    write_table("linear", "第 3 章：线性模型", ["工作负载", "NumPy 从零实现", "PyTorch CPU", "NumPy ÷ PyTorch"], rows,
                "小模型上 NumPy 往往更快：PyTorch 每一步都有框架开销（自动微分图、DataLoader），而计算量本身很小。")


if __name__ == "__main__":
    main()
