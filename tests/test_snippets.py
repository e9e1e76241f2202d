"""每个代码片段文件都整体运行一遍（包括页面上看不到的、文件末尾的断言）。"""

from __future__ import annotations

import os
import runpy
import sys
from pathlib import Path

import matplotlib
import pytest

ROOT = Path(__file__).resolve().parents[1]
SNIPPETS = sorted((ROOT / "snippets").rglob("*.py"))


@pytest.mark.parametrize("path", SNIPPETS, ids=lambda p: str(p.relative_to(ROOT / "snippets")))
def test_snippet_file_runs_whole(path, monkeypatch, capsys):
    matplotlib.use("Agg")
    monkeypatch.chdir(ROOT)
    monkeypatch.setattr(sys, "argv", [str(path)])
    runpy.run_path(str(path), run_name="__main__")
    out = capsys.readouterr().out
    assert out.strip(), f"{path.name} 没有任何输出：页面上的代码块应当打印可检查的结果"


def test_there_are_snippets():
    assert len(SNIPPETS) >= 6, "snippets/ 下至少有第 3 章的 6 个文件"
