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
