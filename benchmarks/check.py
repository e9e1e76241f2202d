"""复现检查：把重跑的基准结果（JSON 记录）与提交的 ``benchmarks/results/*.json`` 逐条比较，看是否在噪声范围内。

用法：``make bench-check``（= ``python benchmarks/run.py --check``：重跑基准，结果写到 ``build/bench-rerun/``，
不覆盖提交的结果，然后调用本文件）；也可以单独比较两个目录：
``python benchmarks/check.py benchmarks/results build/bench-rerun``。

"噪声范围"按数值的种类定（写在报告里，也在下面的 ``tolerance``）：

* 配置项（线程数、训练步数、种子数、资源数、论文数字）：必须相等；
* 多个种子的 "平均 ± 标准差" 准确率：差 ≤ max(3 × 两次中较大的标准差, 1.5 个百分点)；
* 其他百分数（单次或最小/最大准确率）：差 ≤ 2.5 个百分点；
* 同一进程交替测得的比值（NumPy ÷ torch 等）与 GFLOP/s：相差不超过 1.3 倍；
* 墙钟时间：相差不超过 1.5 倍（共享的 2 核虚拟机上，两次运行之间的绝对时间波动很大）；
* 页面大小（KB/MB）：相差不超过 1.1 倍；其余计数（如"首次 ≥ 99% 的步数"）：不超过 1.5 倍。

报告写入 ``benchmarks/results/reproduce.md``（性能基准页包含它）与 ``.json``；有超出范围的数值时退出码为 1。
"""

from __future__ import annotations

import datetime
import json
import re
import sys
from pathlib import Path

CONFIG = re.compile(r"线程|训练步数|资源数|种子数|论文|参数个数")
TIME_UNITS = {"s", "ms", "µs", "us"}


def tolerance(old: dict, new: dict) -> tuple[bool, str]:
    """``new`` 是否在 ``old`` 的噪声范围内，以及所用的规则（文字）。"""
    a, b, unit, col = old["value"], new["value"], old.get("unit", ""), old.get("column", "")
    ratio_col = "÷" in col or "相对" in col
    if CONFIG.search(col) and not unit and not ratio_col:
        return a == b, "相等（配置项）"
    if unit == "%":
        if "std" in old or "std" in new:
            tol = max(3 * max(old.get("std", 0.0), new.get("std", 0.0)), 1.5)
            return abs(a - b) <= tol, f"差 ≤ {tol:.1f} 个百分点（3σ，至少 1.5）"
        return abs(a - b) <= 2.5, "差 ≤ 2.5 个百分点"
    if unit in TIME_UNITS:
        factor, what = 1.5, "时间"
    elif unit in ("KB", "MB"):
        factor, what = 1.1, "大小"
    elif unit in ("×", "GFLOP/s") or ratio_col:
        factor, what = 1.3, "比值" if unit != "GFLOP/s" else "吞吐"
    else:
        factor, what = 1.5, "计数"
    if a <= 0 or b <= 0:
        return a == b, f"{what}：相等"
    return max(a / b, b / a) <= factor, f"{what}：相差 ≤ {factor} 倍"


def load(folder: Path) -> dict[str, dict[str, dict]]:
    """``{表名: {记录名: 记录}}``。"""
    return {p.stem: {r["name"]: r for r in json.loads(p.read_text(encoding="utf-8"))}
            for p in sorted(folder.glob("*.json")) if p.stem != "reproduce"}


def _fmt(r: dict) -> str:
    v = f"{r['value']:g}"
    if "std" in r:
        v += f" ± {r['std']:g}"
    return f"{v} {r.get('unit', '')}".strip()


def compare(committed: Path, rerun: Path) -> tuple[list[list[str]], list[list[str]], int]:
    """返回 (每张表一行的汇总, 超出范围或缺失的记录, 超出范围的个数)。只比较重跑过的表。"""
    old_tables, new_tables = load(committed), load(rerun)
    summary, problems, bad = [], [], 0
    for table, new in new_tables.items():
        old = old_tables.get(table, {})
        n_ok = n_bad = 0
        for name, rec in new.items():
            if name not in old:
                problems.append([table, rec["row"], rec["column"], "—", _fmt(rec), "提交的结果里没有这条记录"])
                continue
            ok, rule = tolerance(old[name], rec)
            if ok:
                n_ok += 1
            else:
                n_bad += 1
                problems.append([table, rec["row"], rec["column"], _fmt(old[name]), _fmt(rec), rule])
        missing = [n for n in old if n not in new]
        for name in missing:
            problems.append([table, old[name]["row"], old[name]["column"], _fmt(old[name]), "—", "重跑时没有这条记录"])
        bad += n_bad + len(missing)
        date = next(iter(old.values()))["date"] if old else "—"
        summary.append([table, date, str(len(new)), str(n_ok), str(n_bad), str(len(missing))])
    return summary, problems, bad


def main(argv: list[str]) -> int:
    committed = Path(argv[0]) if argv else Path(__file__).resolve().parent / "results"
    rerun = Path(argv[1]) if len(argv) > 1 else Path("build/bench-rerun")
    summary, problems, bad = compare(committed, rerun)
    if not summary:
        print(f"{rerun} 里没有 JSON 结果：先运行 python benchmarks/run.py --check", file=sys.stderr)
        return 2
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from _common import machine

    lines = ["**复现检查：重跑 `make bench` 的结果与提交的结果逐条比较**", "",
             f"重跑于 {datetime.date.today().isoformat()}；机器：{machine()}。命令：`make bench-check`。", "",
             "| 结果表 | 提交的结果测于 | 数值个数 | 在噪声范围内 | 超出范围 | 重跑时缺失 |", "|---|---|---|---|---|---|"]
    lines += ["| " + " | ".join(r) + " |" for r in summary]
    if problems:
        lines += ["", "超出噪声范围或缺失的数值：", "",
                  "| 结果表 | 行 | 列 | 提交的值 | 重跑的值 | 规则 |", "|---|---|---|---|---|---|"]
        lines += ["| " + " | ".join(c.replace("|", "\\|") for c in r) + " |" for r in problems]
    lines += ["", "噪声范围的规则：配置项必须相等；多种子准确率的差 ≤ max(3σ, 1.5 个百分点)，其他百分数 ≤ 2.5 个百分点；"
                  "同进程交替测得的比值与 GFLOP/s 相差 ≤ 1.3 倍；墙钟时间 ≤ 1.5 倍；页面大小 ≤ 1.1 倍；其他计数 ≤ 1.5 倍"
                  "（`benchmarks/check.py` 的 `tolerance`）。"]
    out = committed / "reproduce.md"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (committed / "reproduce.json").write_text(json.dumps(
        {"date": datetime.date.today().isoformat(), "summary": summary, "problems": problems},
        ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
