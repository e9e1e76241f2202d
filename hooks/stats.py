"""MkDocs 钩子：在"每个代码块如何被测试"页面（appendix/testing.md）里填入按章统计的表。

页面里的标记 ``<!-- nndl:codeblock-stats -->`` 在构建时被替换成表格：每章的 Python 代码块数、
其中核对打印输出的块数、跳过的块数（每个都必须写明原因）、该章的测试文件与测试函数数、插图数。
数字由 ``tools/expand_docs.py`` 展开后的页面和 ``tests/``、``nndl_ref/figures/`` 实时算出，所以不会过时。
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

MARKER = "<!-- nndl:codeblock-stats -->"


def chapter_stats() -> list[dict]:
    from tools.expand_docs import expand_page
    from nndl_ref.figures import FIGURES

    rows = []
    for md in sorted((ROOT / "docs").glob("ch*/index.md")):
        chapter = md.parent.name
        text = expand_page(md)
        lines = text.splitlines()
        blocks = expected = skipped = 0
        for i, line in enumerate(lines):
            if line.strip() == "```python":
                blocks += 1
                prev = next((p.strip() for p in reversed(lines[:i]) if p.strip()), "")
                if prev.startswith("<!--pytest.mark.skip"):
                    skipped += 1
            elif "pytest-codeblocks:expected-output" in line:
                expected += 1
        num = chapter[2:4]
        tests = sorted((ROOT / "tests").glob(f"test_ch{num}_*.py"))
        n_tests = sum(len(re.findall(r"^def test_", t.read_text(encoding="utf-8"), flags=re.M)) for t in tests)
        figures = sum(1 for path in FIGURES if path.startswith(f"{chapter}/figures/"))
        title = lines[0].lstrip("# ").strip() if lines and lines[0].startswith("#") else chapter
        rows.append(dict(chapter=chapter, title=title, blocks=blocks, expected=expected, skipped=skipped,
                         test_files=len(tests), tests=n_tests, figures=figures))
    return rows


def table() -> str:
    rows = chapter_stats()
    out = ["| 章 | Python 代码块（全部运行） | 其中核对打印输出 | 跳过（须写原因） | 测试文件 | 测试函数 | 构建时生成的插图 |",
           "|---|---|---|---|---|---|---|"]
    for r in rows:
        out.append(f"| [{r['title']}](../{r['chapter']}/index.md) | {r['blocks']} | {r['expected']} | {r['skipped']} "
                   f"| {r['test_files']} | {r['tests']} | {r['figures']} |")
    tot = {k: sum(r[k] for r in rows) for k in ("blocks", "expected", "skipped", "test_files", "tests", "figures")}
    out.append(f"| **合计** | **{tot['blocks']}** | **{tot['expected']}** | **{tot['skipped']}** "
               f"| **{tot['test_files']}** | **{tot['tests']}** | **{tot['figures']}** |")
    return "\n".join(out)


def on_page_markdown(markdown, page, **kwargs):
    if MARKER in markdown:
        return markdown.replace(MARKER, table())
    return markdown
