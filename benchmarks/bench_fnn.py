"""第 4 章基准：激活函数的计算代价；手写数字上 MLP 的训练时间（NumPy 从零实现 vs PyTorch）。

运行：``make bench`` 或 ``python benchmarks/bench_fnn.py``；结果写入 ``benchmarks/results/fnn-activations.md``
与 ``benchmarks/results/fnn-mlp.md``，由 docs/ch04-fnn/index.md 与 docs/appendix/benchmarks.md 包含。
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from _common import interleaved, timeit, write_table  # noqa: E402
from nndl_ref import data  # noqa: E402
from nndl_ref.numpy import activations as A  # noqa: E402
from nndl_ref.numpy.mlp import MLP as NumpyMLP  # noqa: E402
from nndl_ref.numpy.train import fit as np_fit  # noqa: E402
from nndl_ref.torch.mlp import MLP as TorchMLP  # noqa: E402
from nndl_ref.torch.train import fit as th_fit  # noqa: E402

BUILTIN = {"logistic": torch.sigmoid, "tanh": torch.tanh, "hard_tanh": F.hardtanh, "relu": torch.relu,
           "leaky_relu": F.leaky_relu, "elu": F.elu, "softplus": F.softplus, "swish": F.silu, "gelu": F.gelu}


def activations() -> None:
    saved = torch.get_num_threads()
    torch.set_num_threads(1)                 # 与 NumPy 公平比较：都用一个线程（逐元素运算，NumPy 本来就单线程）
    z = np.random.default_rng(0).standard_normal(1_000_000)
    zt = torch.from_numpy(z).requires_grad_()
    rows, base = [], None
    for name in ("relu", "leaky_relu", "hard_tanh", "logistic", "tanh", "elu", "softplus", "swish", "gelu"):
        f, fp = A.get(name)

        def np_run(f=f, fp=fp):
            f(z)
            fp(z)

        def th_run(g=BUILTIN[name]):
            zt.grad = None
            g(zt).sum().backward()

        t_np, t_th, _ = interleaved(np_run, th_run, rounds=21, warmup=3)
        base = base or t_np
        rows.append([name, f"{t_np * 1e3:.1f} ms", f"{t_np / base:.1f}", f"{t_th * 1e3:.1f} ms"])
    torch.set_num_threads(saved)
    write_table("fnn-activations", "第 4 章：激活函数的计算代价（10⁶ 个 float64 元素，单线程）",
                ["激活函数", "NumPy：f 与 f′", "相对 ReLU", "PyTorch 内置：前向 + 反向"], rows,
                "含指数、对数、误差函数的激活比分段线性的贵几倍。例外是 Tanh：``np.tanh`` 是一个高度优化的"
                "函数，而本包的 Logistic 为了数值稳定多做了几步（取绝对值、分情况）。在整个网络里，"
                "激活函数的开销通常远小于矩阵乘法。")


def mlp() -> None:
    d = data.load_digits(standardize=True)

    def np_run():
        net = NumpyMLP([64, 100, 10], seed=0, weight_decay=1e-3)
        np_fit(net, d.X_train, d.y_train, epochs=30, lr=0.1, batch_size=32, progress=False)

    def th_run(threads: int):
        saved = torch.get_num_threads()
        torch.set_num_threads(threads)
        model = TorchMLP([64, 100, 10], seed=0)
        th_fit(model, d.X_train, d.y_train, epochs=30, lr=0.1, batch_size=32, device="cpu", progress=False,
               optimizer=torch.optim.SGD(model.parameters(), lr=0.1, weight_decay=1e-3))
        torch.set_num_threads(saved)

    t_np, t_th1, r1 = interleaved(np_run, lambda: th_run(1), rounds=7, warmup=1)
    t_th = timeit(lambda: th_run(torch.get_num_threads()), repeat=5)
    write_table("fnn-mlp", "第 4 章：多层感知器 64-100-10，手写数字 30 轮（1347×64，批 32）",
                ["实现", "训练用时", "相对 PyTorch 单线程"],
                [["NumPy 从零实现（float64）", f"{t_np:.2f} s", f"{r1:.2f}"],
                 ["PyTorch CPU 单线程（float32，页面上的设置）", f"{t_th1:.2f} s", "1"],
                 [f"PyTorch CPU {torch.get_num_threads()} 线程（默认）", f"{t_th:.2f} s", f"{t_th / t_th1:.2f}"]],
                "两者的测试准确率都是 98.0%（见第 4 章 4.8 节）。这么小的矩阵，" + threads_note(t_th / t_th1)
                + "机器上还有别的进程占用 CPU 时，多线程版本还可能被拖慢。")


def threads_note(ratio: float) -> str:
    """表下说明里关于线程数的一句，由测得的"多线程 ÷ 单线程"用时比值决定，不预先写死。"""
    if ratio > 1.1:
        return f"多线程的同步开销比省下的计算还多，{torch.get_num_threads()} 个线程反而慢了 {ratio:.1f} 倍；"
    if ratio < 0.9:
        return f"{torch.get_num_threads()} 个线程快了 {1 / ratio:.1f} 倍；"
    return f"多开线程并不更快（{torch.get_num_threads()} 个线程与 1 个线程用时几乎相同）；"


if __name__ == "__main__":
    which = sys.argv[1:] or ["activations", "mlp"]
    if "activations" in which:
        activations()
    if "mlp" in which:
        mlp()
