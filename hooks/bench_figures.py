"""性能基准页的插图：构建时从提交的 ``benchmarks/results/*.json`` 画出（与表格来自同一批记录）。

- ``appendix/figures/bench-ratios.svg``：同一进程交替测得的 NumPy ÷ PyTorch 比值（卷积、LSTM、注意力、优化器……），
  1 以下表示 NumPy 更快；
- ``appendix/figures/bench-mnist1d.svg``：MNIST-1D 总表的测试准确率（3 个种子的平均 ± 标准差），旁边是论文的数字。

图只在内存里生成（不写 docs/），与 ``hooks/figures.py`` 一样；样式用 ``nndl_ref.figures._style``。
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from mkdocs.structure.files import File

from nndl_ref.figures._style import COLORS, plt, svg_figure

RESULTS = Path(__file__).resolve().parents[1] / "benchmarks" / "results"

# 比值图里的表（顺序即图中自上而下的分组）与简短的名字
RATIO_TABLES = {"conv": "卷积 fwd+bwd", "rnn": "LSTM fwd+bwd", "attention": "多头注意力 fwd+bwd",
                "fnn-mlp": "MLP 训练", "linear": "线性模型", "optim": "优化器一步"}


def _records(table: str) -> list[dict]:
    path = RESULTS / f"{table}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else []


def _short(row: str) -> str:
    """行名去掉代码标记与括号里的说明："快速版 `conv_fast.…`" → "快速版"。"""
    row = re.sub(r"`[^`]*`", "", row)
    row = re.sub(r"（[^）]*）|\([^)]*\)", "", row)
    return re.sub(r"\s+", " ", row).strip(" ·") or row


def ratio_rows() -> list[tuple[str, str, float]]:
    """(分组, 标签, NumPy ÷ torch)：每条比值记录一行；同一行的线程数记录写进标签。"""
    out = []
    for table, group in RATIO_TABLES.items():
        recs = _records(table)
        for r in recs:
            if "÷" not in r["column"]:
                continue
            prefix = r["name"].rsplit("/", 1)[0] + "/"
            threads = [f"{s['column']} {s['value']:g}" for s in recs
                       if s["name"].startswith(prefix) and "线程" in s["column"] and not s["unit"]]
            label = _short(r["row"].split(" #")[0])
            if threads:
                label += "（" + "，".join(threads) + "）"
            out.append((group, label, r["value"]))
    return out


@svg_figure
def bench_ratios():
    rows = ratio_rows()
    fig, ax = plt.subplots(figsize=(8.5, 0.32 * len(rows) + 1.2))
    groups = list(dict.fromkeys(g for g, _, _ in rows))
    y = list(range(len(rows)))[::-1]
    colors = [COLORS[groups.index(g) % len(COLORS)] for g, _, _ in rows]
    ax.barh(y, [v for *_, v in rows], color=colors, height=0.7)
    ax.set_yticks(y, [f"{g} · {lab}" for g, lab, _ in rows], fontsize=8)
    ax.axvline(1.0, color="k", lw=1)
    ax.set_xscale("log")
    ticks = [t for t in (0.125, 0.25, 0.5, 1, 2, 4, 8) if min(v for *_, v in rows) / 1.5 <= t <= max(v for *_, v in rows) * 1.5]
    ax.set_xticks(ticks, [f"{t:g}" for t in ticks])
    ax.xaxis.set_minor_formatter(plt.NullFormatter())
    ax.set_xlabel("NumPy 用时 ÷ PyTorch 用时（对数坐标；< 1 表示 NumPy 更快）")
    for yi, (_, _, v) in zip(y, rows):
        ax.text(v * 1.03, yi, f"{v:.2f}", va="center", fontsize=7)
    ax.grid(axis="y", alpha=0)
    return fig


def mnist1d_rows() -> list[tuple[str, dict]]:
    """[(模型, {"NumPy": (均值, 标准差), "PyTorch": (…), "论文": (…)})]，只取有准确率的行。"""
    by_row: dict[str, dict] = {}
    for r in _records("mnist1d"):
        if r["unit"] != "%":
            continue
        col = {"NumPy 从零实现": "NumPy", "PyTorch": "PyTorch", "论文": "论文"}.get(r["column"])
        if col:
            by_row.setdefault(r["row"], {})[col] = (r["value"], r.get("std", 0.0))
    return [(row, cols) for row, cols in by_row.items() if "NumPy" in cols or "PyTorch" in cols]


@svg_figure
def bench_mnist1d():
    rows = mnist1d_rows()
    fig, ax = plt.subplots(figsize=(8.5, 3.6))
    width = 0.27
    for k, (col, color) in enumerate([("NumPy", COLORS[0]), ("PyTorch", COLORS[1]), ("论文", "#999999")]):
        xs = [i + (k - 1) * width for i, (_, cols) in enumerate(rows) if col in cols]
        vals = [cols[col] for _, cols in rows if col in cols]
        ax.bar(xs, [m for m, _ in vals], width, yerr=None if col == "论文" else [s for _, s in vals], capsize=2, color=color,
               label={"NumPy": "NumPy 从零实现", "PyTorch": "PyTorch", "论文": "论文（Greydanus 2020）"}[col])
    names = [re.sub(r"（.*", "", row) + ("\n（" + row.split("（", 1)[1].split("，")[0].rstrip("）") + "）" if "（" in row else "")
             for row, _ in rows]
    ax.set_xticks(range(len(rows)), names, fontsize=8)
    ax.set_ylabel("测试准确率 %（3 个种子）")
    ax.set_ylim(0, 100)
    ax.legend(fontsize=8, loc="upper left")
    return fig


FIGURES = {"appendix/figures/bench-ratios.svg": bench_ratios, "appendix/figures/bench-mnist1d.svg": bench_mnist1d}


def on_files(files, config):
    for path, fn in FIGURES.items():
        files.append(File.generated(config, path, content=fn()))
    return files
