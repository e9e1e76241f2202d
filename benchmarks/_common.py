"""基准测试的公共工具：同一进程内交替计时、取中位数，结果写成 Markdown 表（网站包含）和 JSON 记录（机器可读）。

计时只出现在基准里，从不出现在测试断言里（本机上两线程的计时可以相差 3 倍）。
"""

from __future__ import annotations

import datetime
import json
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
            f"NumPy {numpy.__version__}（OpenBLAS 内核 {blas_kernel()}），"
            f"PyTorch {torch.__version__}（torch 线程数 {torch.get_num_threads()}）")


def blas_kernel() -> str:
    """NumPy 的 BLAS 实际使用的 CPU 内核（threadpoolctl 报告的 architecture），如 ``SkylakeX``、``Haswell``。"""
    try:
        import numpy  # noqa: F401 — 先加载 BLAS，threadpoolctl 才看得到它
        import threadpoolctl

        archs = {i.get("architecture") for i in threadpoolctl.threadpool_info() if i.get("user_api") == "blas"}
        return ", ".join(sorted(a for a in archs if a)) or "未知"
    except Exception:  # noqa: BLE001 — 只用于说明
        return "未知"


def machine_info() -> dict:
    """JSON 记录里的机器与库版本。"""
    import numpy
    import torch

    return {"machine": platform.machine(), "cores": os.cpu_count(), "python": platform.python_version(),
            "numpy": numpy.__version__, "torch": torch.__version__, "torch_threads": torch.get_num_threads(),
            "processor": platform.processor() or platform.machine(), "blas_kernel": blas_kernel()}


def _number(cell: str):
    """表格单元里的数值和单位："41.2 ms" → (41.2, "ms")，"**1.92**" → (1.92, "")，其他 → None。"""
    import re

    m = re.fullmatch(r"\*{0,2}([-+]?\d+(?:\.\d+)?)\s*(%|ms|s|µs|us|KB|MB|GFLOP/s|×)?\*{0,2}", cell.strip())
    return (float(m.group(1)), m.group(2) or "") if m else None


def write_records(name: str, title: str, header: list[str], rows: list[list[str]]) -> Path:
    """每个数值单元格一条 JSON 记录：name（表名/行/列）、value、unit、compared（该行的说明）、机器与库版本、日期。"""
    meta = {"date": datetime.date.today().isoformat(), **machine_info()}
    records = []
    for row in rows:
        label = row[0].replace("**", "")
        for col, cell in zip(header[1:], row[1:]):
            num = _number(cell)
            if num is None:
                continue
            records.append({"name": f"{name}/{label}/{col}", "table": title, "row": label, "column": col,
                            "value": num[0], "unit": num[1], "compared": " · ".join(c for c in row if c != cell),
                            **meta})
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(records, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path


def write_table(name: str, title: str, header: list[str], rows: list[list[str]], notes: str = "") -> Path:
    """写 ``results/{name}.md``（网站性能基准页包含它）和 ``results/{name}.json``（每个数值一条记录）。"""
    today = datetime.date.today().isoformat()
    lines = [f"**{title}**", "", f"测于 {today}；机器：{machine()}。命令：`make bench`。", "",
             "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    if notes:
        lines += ["", notes]
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    write_records(name, title, header, rows)
    print("\n".join(lines))
    return path
