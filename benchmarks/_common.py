"""基准测试的公共工具：同一进程内交替计时、取中位数、写 Markdown 结果表。

计时只出现在基准里，从不出现在测试断言里（本机上两线程的计时可以相差 3 倍）。
"""

from __future__ import annotations

import os
import platform
import statistics
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def timeit(fn, repeat: int = 7, warmup: int = 1) -> float:
    """``fn()`` 的中位耗时（秒）。"""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def machine() -> str:
    import numpy
    import torch

    return (f"{platform.machine()}，{os.cpu_count()} 核，Python {platform.python_version()}，"
            f"NumPy {numpy.__version__}，PyTorch {torch.__version__}（torch 线程数 {torch.get_num_threads()}）")


def write_table(name: str, title: str, header: list[str], rows: list[list[str]], notes: str = "") -> Path:
    lines = [f"**{title}**", "", f"机器：{machine()}。命令：`make bench`。", "",
             "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    if notes:
        lines += ["", notes]
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return path
