"""插图函数：每个都返回可解析的 SVG，不嵌入字体、不引用外部资源，输出可复现。"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from nndl_ref.figures import FIGURES

@pytest.mark.parametrize("path", sorted(FIGURES), ids=str)
def test_figure_is_valid_self_contained_svg(path):
    svg = FIGURES[path]()
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    # 不引用任何外部资源（命名空间 URI 不是请求，不算）
    assert not re.search(r"""(href|src)\s*=\s*["'](https?:)?//""", svg)
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", svg)
    assert "@font-face" not in svg                                 # 文字用系统字体渲染，不嵌入字体
    assert len(svg) < 400_000, f"{path} 有 {len(svg)} 字节，太大"


def test_figures_are_reproducible():
    name = "ch03-linear/figures/ce-vs-mse.svg"
    assert FIGURES[name]() == FIGURES[name]()


def test_registry_names_chapter_folders():
    for path in FIGURES:
        chapter, folder, name = path.split("/")
        assert chapter.startswith("ch") and folder == "figures" and name.endswith(".svg")


def test_matrix_power_legend_prints_the_computed_sigma_max():
    """第 4 章 4.6.3 节：图例里的 σ_max 由绘图函数算出，与页面代码块打印的奇异值位数相同、数值相同；
    图注不写这个数（写死的数会和计算结果脱节）。"""
    import contextlib
    import io
    import runpy
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        runpy.run_path(str(root / "snippets" / "ch04-fnn" / "matrix_power.py"), run_name="snippet")
    printed = re.search(r"奇异值 \[([0-9.]+) ", buf.getvalue()).group(1)          # 代码块打印的 σ_max
    svg = FIGURES["ch04-fnn/figures/matrix-power.svg"]()
    legend = re.findall(r"σ_max = ([0-9.]+)", svg)
    assert legend == [printed]
    page = (root / "docs" / "ch04-fnn" / "index.md").read_text(encoding="utf-8")
    assert f"奇异值 [{printed} " in page                                         # 页面上的期望输出
    caption = re.search(r"!\[([^\]]*)\]\(figures/matrix-power\.svg\)", page).group(1)
    assert not re.search(r"σ_max\s*[≈=]", caption) and printed not in caption
