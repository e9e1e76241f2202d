"""策略测试：没有代码块会被悄悄跳过，没有遗留的包含行，没有没人用的代码片段文件。

pytest-codeblocks 0.18 只收集信息串恰好是 ``python``/``sh``/``bash`` 的、用反引号开头的代码块；
``python title="…"``、``py``、``~~~`` 等都会被静默跳过（见 shared/DESIGN.md）。
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
SNIPPETS = ROOT / "snippets"
PAGES = sorted(DOCS.rglob("*.md"))

sys.path.insert(0, str(ROOT / "tools"))
import expand_docs  # noqa: E402

FENCE_OPEN = re.compile(r"^\s*(`{3,}|~{3,})\s*(.*)$")
INCLUDE = re.compile(r'--8<--\s+"([^"]+)"')
MARK = re.compile(r"^\s*<!--\s*pytest\.mark\.(\w+)(\((.*)\))?\s*-->\s*$")
PY_LIKE = re.compile(r"^\{?\.?(python3?|py|pycon|ipython)\b", re.IGNORECASE)


def fences(text: str):
    """逐个给出 (行号, 围栏符, 信息串, 前一个非空行)。"""
    lines = text.split("\n")
    i = 0
    prev = ""
    while i < len(lines):
        m = FENCE_OPEN.match(lines[i])
        if m:
            fence, info = m.group(1), m.group(2).strip()
            yield i + 1, fence, info, prev
            j = i + 1
            while j < len(lines) and not lines[j].strip().startswith(fence[0] * len(fence)):
                j += 1
            i = j + 1
            prev = ""
            continue
        if lines[i].strip():
            prev = lines[i].strip()
        i += 1


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(DOCS)))
def test_no_silently_skipped_fence(page):
    problems = []
    for lineno, fence, info, prev in fences(page.read_text(encoding="utf-8")):
        if fence.startswith("~"):
            problems.append(f"{lineno}: ~~~ 围栏（pytest-codeblocks 不收集）；请改用 ```")
        elif PY_LIKE.match(info) and info != "python":
            problems.append(f"{lineno}: 信息串 {info!r} 会被静默跳过；Python 代码块必须恰好写 ```python")
        elif info.split(" ")[0] in {"sh", "bash"} and "pytest.mark.skip" not in prev:
            problems.append(f"{lineno}: ```{info} 代码块会被当作命令执行；不该执行的命令请加 "
                            "<!--pytest.mark.skip(reason=\"…\")-->")
        elif info.startswith("mermaid"):
            problems.append(f"{lineno}: mermaid 图会让 Material 从 CDN 加载脚本；本站不用 mermaid")
    assert not problems, f"{page.relative_to(ROOT)}:\n" + "\n".join(problems)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(DOCS)))
def test_every_skip_has_a_reason(page):
    for line in page.read_text(encoding="utf-8").split("\n"):
        m = MARK.match(line)
        if m and m.group(1) in {"skip", "skipif", "xfail"}:
            assert "reason=" in (m.group(3) or ""), f"{page.name}: 跳过标记没有写理由：{line.strip()}"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(DOCS)))
def test_includes_resolve_and_leave_no_include_line(page):
    expanded = expand_docs.expand_page(page)
    leftover = re.findall(r"^\s*--8<--.*$", expanded, flags=re.MULTILINE)
    assert not leftover, f"{page.name}: 展开后仍有包含行 {leftover}"
    # 展开后每个 Python 代码块都恰好是 ```python
    for lineno, fence, info, _ in fences(expanded):
        assert not (PY_LIKE.match(info) and info != "python"), f"{page.name}:{lineno}: {info!r}"


def test_every_snippet_file_is_used_by_a_page():
    used = set()
    for page in PAGES:
        used.update(m.split(":")[0] for m in INCLUDE.findall(page.read_text(encoding="utf-8")))
    files = {p.relative_to(SNIPPETS).as_posix() for p in SNIPPETS.rglob("*.py")}
    unused = sorted(files - used)
    assert not unused, f"没有任何页面使用这些代码片段文件：{unused}"


def test_every_named_section_is_used():
    """snippets 文件里定义的每个 [start:name] 片段都应该出现在某个页面上（否则是死代码）。"""
    included = set()
    for page in PAGES:
        included.update(INCLUDE.findall(page.read_text(encoding="utf-8")))
    missing = []
    for path in SNIPPETS.rglob("*.py"):
        rel = path.relative_to(SNIPPETS).as_posix()
        for name in re.findall(r"#\s*--8<--\s*\[start:([\w-]+)\]", path.read_text(encoding="utf-8")):
            if f"{rel}:{name}" not in included:
                missing.append(f"{rel}:{name}")
    assert not missing, f"这些片段没有页面使用：{missing}"


def test_expanded_copy_is_fresh():
    """make test 先展开页面再运行 pytest-codeblocks；这里确认被运行的正是当前页面的展开结果。"""
    out = ROOT / "build" / "codeblocks"
    if not out.exists():
        pytest.fail("build/codeblocks 不存在：请用 `make test` 运行测试（它先执行 tools/expand_docs.py）")
    for page in PAGES:
        target = out / page.relative_to(DOCS)
        assert target.exists() and target.read_text(encoding="utf-8") == expand_docs.expand_page(page), \
            f"{target} 过期：请用 `make test` 运行测试"


def test_expanded_pages_have_python_blocks():
    """第 3 章页面展开后至少有 15 个会被运行的 Python 代码块。"""
    text = expand_docs.expand_page(DOCS / "ch03-linear" / "index.md")
    n = sum(1 for _, _, info, _ in fences(text) if info == "python")
    assert n >= 15, n


@pytest.mark.parametrize("page", sorted(DOCS.glob("ch*/index.md")), ids=lambda p: p.parent.name)
def test_section_map_lists_every_section(page):
    """每章开头的"本站小节与原书章节对照"逐一列出本页的每个二级小节（本站编号与原书不同，读者靠它对照）。"""
    text = page.read_text(encoding="utf-8")
    assert '??? note "本站小节与原书章节对照"' in text, f"{page.parent.name}：缺少本站与原书的小节对照表"
    box = text.split('??? note "本站小节与原书章节对照"', 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^    \| (\d+\.\d+) ", box, flags=re.M)
    heads = re.findall(r"^## (\d+\.\d+) ", text, flags=re.M)
    assert rows == heads, f"{page.parent.name}：对照表 {rows} 与小节 {heads} 不一致"
