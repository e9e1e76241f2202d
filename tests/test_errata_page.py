"""勘误表的约定：每条更正的最后一栏指向一个真实存在的测试（或代码片段），或者写明是概念性更正；
页面对读者说话，不引用读者看不到的仓库路径和笔记编号。"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ERRATA = ROOT / "docs" / "appendix" / "errata.md"


def _rows() -> list[list[str]]:
    rows = []
    for line in ERRATA.read_text(encoding="utf-8").split("\n"):
        if not line.startswith("| ") or line.startswith("| 笔记原文") or line.startswith("|---"):
            continue
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip()[1:-1])]
        rows.append(cells)
    return rows


def _test_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {n.name for n in tree.body if isinstance(n, ast.FunctionDef) and n.name.startswith("test_")}


def test_every_erratum_points_to_an_existing_test_or_says_why_not():
    rows = _rows()
    assert len(rows) > 40
    for cells in rows:
        assert len(cells) == 4, cells[0]
        last = cells[3]
        refs = re.findall(r"`([^`]+)`", last)
        if not refs:
            assert last.startswith("—") and "更正" in last, f"既没有测试也没有说明：{cells[0]}"
            continue
        for ref in refs:
            if "::" in ref:
                path, name = ref.split("::")
                assert name in _test_names(ROOT / path), f"{ref} 不存在"
            else:
                assert (ROOT / ref).is_file(), f"{ref} 不存在"


def test_rows_name_the_notes_not_repository_paths_or_file_numbers():
    text = ERRATA.read_text(encoding="utf-8")
    assert "seeds" not in text
    assert not re.search(r"[（(]00[0-4]", text)
    names = ("课堂笔记", "博客笔记", "视频课笔记", "复习笔记", "读书笔记")
    for cells in _rows():
        assert any(n in cells[0] for n in names), f"没有注明出自哪份笔记：{cells[0]}"
    for page in (ROOT / "docs").rglob("*.md"):
        body = page.read_text(encoding="utf-8")
        assert "shared/seeds" not in body and not re.search(r"（00[0-4][，）]", body), page
