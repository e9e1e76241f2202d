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

COMMITTED = Path(__file__).resolve().parent / "results"
# ``make bench-check`` 把重跑的结果写到别处（NNDL_BENCH_RESULTS），再与提交的 COMMITTED 比较
RESULTS = Path(os.environ.get("NNDL_BENCH_RESULTS") or COMMITTED)


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


def interleaved(f_np, f_th, rounds: int = 31, warmup: int = 3) -> tuple[float, float, float]:
    """交替计时 NumPy 与 torch 的同一工作负载：返回 (NumPy 中位秒数, torch 中位秒数, 逐轮比值的中位数)。

    两者在同一进程里一轮接一轮地交替运行，机器负载的起伏同时落在两边；逐轮比值的中位数比两个中位数之比更稳。
    """
    for _ in range(warmup):
        f_np()
        f_th()
    t_np, t_th, ratios = [], [], []
    for _ in range(rounds):
        t0 = time.perf_counter()
        f_np()
        t1 = time.perf_counter()
        f_th()
        t2 = time.perf_counter()
        t_np.append(t1 - t0)
        t_th.append(t2 - t1)
        ratios.append((t1 - t0) / (t2 - t1))
    return statistics.median(t_np), statistics.median(t_th), statistics.median(ratios)


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


_UNITS = r"(%|ms|s|µs|us|KB|MB|GFLOP/s|×)?"


def _number(cell: str):
    """表格单元里的数值、单位与标准差：

    "41.2 ms" → (41.2, "ms", None)，"**1.92**" → (1.92, "", None)，"31.2 ± 0.4%" → (31.2, "%", 0.4)，其他 → None。
    """
    import re

    cell = cell.strip().replace("**", "")
    m = re.fullmatch(r"([-+]?\d+(?:\.\d+)?)\s*" + _UNITS, cell)
    if m:
        return float(m.group(1)), m.group(2) or "", None
    m = re.fullmatch(r"([-+]?\d+(?:\.\d+)?)\s*±\s*(\d+(?:\.\d+)?)\s*" + _UNITS, cell)
    if m:
        return float(m.group(1)), m.group(3) or "", float(m.group(2))
    return None


def write_records(name: str, title: str, header: list[str], rows: list[list[str]]) -> Path:
    """每个数值单元格一条 JSON 记录：name（表名/行/列）、value、unit、compared（该行的说明）、机器与库版本、日期。"""
    meta = {"date": datetime.date.today().isoformat(), **machine_info()}
    records, seen = [], {}
    for row in rows:
        label = row[0].replace("**", "")
        # 同一行名出现多次（如不同线程数的同一实现）时，按出现顺序编号，记录名保持唯一且重跑时稳定
        seen[label] = seen.get(label, 0) + 1
        if seen[label] > 1:
            label = f"{label} #{seen[label]}"
        for col, cell in zip(header[1:], row[1:]):
            num = _number(cell)
            if num is None:
                continue
            rec = {"name": f"{name}/{label}/{col}", "table": title, "row": label, "column": col,
                   "value": num[0], "unit": num[1]}
            if num[2] is not None:
                rec["std"] = num[2]  # "平均 ± 标准差" 单元格：多个种子的总体标准差
            records.append({**rec, "compared": " · ".join(c for c in row if c != cell), **meta})
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
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    write_records(name, title, header, rows)
    print("\n".join(lines))
    return path
