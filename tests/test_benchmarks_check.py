"""基准结果的记录与复现检查（benchmarks/_common.py、benchmarks/check.py）：解析表格单元、噪声范围的规则。

这里不计时：计时只在 ``make bench``；这里只检查"重跑的结果是否在噪声范围内"的判定本身能判出不一致。
"""

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import _common  # noqa: E402
import check  # noqa: E402


@pytest.mark.parametrize("cell, expected", [
    ("41.2 ms", (41.2, "ms", None)),
    ("**1.92**", (1.92, "", None)),
    ("31.2 ± 0.4%", (31.2, "%", 0.4)),
    ("95.9 ± 0.6%", (95.9, "%", 0.6)),
    ("6000", (6000.0, "", None)),
    ("—", None),
    ("（论文未报告）", None),
])
def test_number_parses_cells(cell, expected):
    assert _common._number(cell) == expected


def rec(column, value, unit="", std=None):
    r = {"name": f"t/row/{column}", "row": "row", "column": column, "value": value, "unit": unit, "date": "2026-11-30"}
    if std is not None:
        r["std"] = std
    return r


@pytest.mark.parametrize("old, new, ok", [
    (rec("PyTorch", 95.9, "%", 0.6), rec("PyTorch", 94.5, "%", 0.5), True),    # 差 1.4 ≤ 1.8
    (rec("PyTorch", 95.9, "%", 0.6), rec("PyTorch", 93.0, "%", 0.5), False),   # 差 2.9 > 1.8
    (rec("PyTorch", 68.3, "%", 0.1), rec("PyTorch", 67.0, "%", 0.1), True),    # 至少 1.5 个百分点
    (rec("最大", 99.6, "%"), rec("最大", 96.0, "%"), False),
    (rec("NumPy ÷ PyTorch", 1.52), rec("NumPy ÷ PyTorch", 1.90), True),       # 1.25 倍
    (rec("NumPy ÷ PyTorch", 1.52), rec("NumPy ÷ PyTorch", 2.10), False),      # 1.38 倍
    (rec("NumPy", 41.0, "ms"), rec("NumPy", 60.0, "ms"), True),
    (rec("NumPy", 41.0, "ms"), rec("NumPy", 70.0, "ms"), False),
    (rec("torch 线程数", 1.0), rec("torch 线程数", 2.0), False),
    (rec("训练步数", 800.0), rec("训练步数", 800.0), True),
    (rec("HTML 原始大小", 100.0, "KB"), rec("HTML 原始大小", 120.0, "KB"), False),
])
def test_tolerance_rules(old, new, ok):
    assert check.tolerance(old, new)[0] is ok


def test_compare_reports_out_of_range_and_missing(tmp_path):
    committed, rerun = tmp_path / "committed", tmp_path / "rerun"
    committed.mkdir()
    rerun.mkdir()
    old = [rec("PyTorch", 95.9, "%", 0.6), rec("NumPy ÷ PyTorch", 1.5), rec("torch 线程数", 1.0)]
    new = [rec("PyTorch", 90.0, "%", 0.6), rec("NumPy ÷ PyTorch", 1.6)]
    (committed / "t.json").write_text(json.dumps(old), encoding="utf-8")
    (rerun / "t.json").write_text(json.dumps(new), encoding="utf-8")
    summary, problems, bad = check.compare(committed, rerun)
    assert summary == [["t", "2026-11-30", "2", "1", "1", "1"]]
    assert bad == 2
    assert {p[2] for p in problems} == {"PyTorch", "torch 线程数"}


@pytest.mark.parametrize("old, new, ok", [
    (rec("NumPy（单线程）", 10.4, "ms"), rec("NumPy（单线程）", 9.6, "ms"), True),     # 带单位：是时间，不是配置项
    (rec("相对 PyTorch 单线程", 0.36), rec("相对 PyTorch 单线程", 0.39), True),         # "相对"：是比值
    (rec("NumPy BLAS 线程", 1.0), rec("NumPy BLAS 线程", 2.0), False),                # 无单位的线程数：配置项
])
def test_thread_words_in_measured_columns_are_not_config(old, new, ok):
    assert check.tolerance(old, new)[0] is ok
