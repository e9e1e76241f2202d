"""术语表不能和正文脱节：

- 术语表能解析：每个表格行恰好 3 个单元格（中文 | English | 说明），按"第 N 章"分节、章号递增；
- 每个中文术语都原样出现在 docs/ 下某个正文页面里（术语表自身除外）；
- 同一个中文术语只列一次（术语归属引入它的那一章）；
- 术语里每一段连续 3 个及以上的汉字都在 tools/jieba_userdict.txt 里，站内搜索才能把它当作一个整词；
- 装了 jieba 时，加载术语词典后这些词确实被切成一个整词。
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
GLOSSARY = DOCS / "appendix" / "glossary.md"
USERDICT = ROOT / "tools" / "jieba_userdict.txt"

HAN = re.compile(r"[\u4e00-\u9fff]+")
SECTION = re.compile(r"^##\s+第\s*(\d+)\s*章")


def split_row(line: str) -> list[str]:
    """把 ``| a | b | c |`` 拆成单元格；公式里的 ``\\|`` 不算分隔符。"""
    body = line.strip()
    assert body.startswith("|") and body.endswith("|"), line
    cells = re.split(r"(?<!\\)\|", body[1:-1])
    return [c.strip() for c in cells]


def parse_glossary() -> list[tuple[int, str, str, str]]:
    """返回 [(章号, 中文, English, 说明)]，跳过表头与分隔行。"""
    rows = []
    chapter = None
    for line in GLOSSARY.read_text(encoding="utf-8").split("\n"):
        m = SECTION.match(line)
        if m:
            chapter = int(m.group(1))
            continue
        if not line.strip().startswith("|"):
            continue
        cells = split_row(line)
        assert len(cells) == 3, f"术语表的表格行应恰好有 3 个单元格：{line!r}"
        if cells[0] == "中文" or set(cells[0]) <= set("-: "):
            continue
        assert chapter is not None, f"表格行不在任何'第 N 章'小节里：{line!r}"
        rows.append((chapter, *cells))
    return rows


ROWS = parse_glossary()
TERMS = [r[1] for r in ROWS]


def userdict_words() -> set[str]:
    words = set()
    for line in USERDICT.read_text(encoding="utf-8").split("\n"):
        if line.strip():
            parts = line.split()
            assert len(parts) == 3 and parts[1].isdigit(), f"jieba 词典行应为'词 频率 词性'：{line!r}"
            words.add(parts[0])
    return words


def long_han_runs(term: str) -> list[str]:
    return [run for run in HAN.findall(term) if len(run) >= 3]


def test_glossary_parses_into_chapter_sections():
    assert len(ROWS) >= 150, len(ROWS)
    chapters = [c for c, *_ in ROWS]
    assert chapters == sorted(chapters), "各章小节应按章号递增排列"
    assert set(chapters) == set(range(1, 10)), sorted(set(chapters))
    for chapter, zh, en, note in ROWS:
        assert zh and en and note, f"第 {chapter} 章有空单元格：{zh!r} | {en!r} | {note!r}"
        assert HAN.search(zh) or zh == en, f"中文一栏应是中文术语：{zh!r}"


def test_no_duplicate_terms():
    seen = {}
    dups = []
    for chapter, zh, *_ in ROWS:
        if zh in seen:
            dups.append(f"{zh}（第 {seen[zh]} 章与第 {chapter} 章）")
        seen.setdefault(zh, chapter)
    assert not dups, f"术语重复出现：{dups}"


def test_formulas_are_katex_friendly():
    text = GLOSSARY.read_text(encoding="utf-8")
    for bad in (r"\label", r"\eqref", r"\begin{align}", r"\begin{align*}"):
        assert bad not in text, bad
    for chapter, zh, en, note in ROWS:
        assert note.count("$") % 2 == 0, f"{zh}：说明里的 $ 不成对：{note!r}"


def test_every_term_appears_on_a_page():
    pages = [p for p in DOCS.rglob("*.md") if p.resolve() != GLOSSARY.resolve()]
    corpus = "\n".join(p.read_text(encoding="utf-8") for p in pages)
    missing = [zh for zh in TERMS if zh not in corpus]
    assert not missing, f"这些术语在正文页面里找不到（请改用页面上的写法）：{missing}"


def test_long_terms_are_in_jieba_userdict():
    words = userdict_words()
    missing = sorted({run for zh in TERMS for run in long_han_runs(zh)} - words)
    assert not missing, f"这些术语不在 tools/jieba_userdict.txt 里，搜索时会被拆开：{missing}"


def test_jieba_keeps_terms_whole():
    jieba = pytest.importorskip("jieba")
    import logging

    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    tok.load_userdict(str(USERDICT))
    split = []
    for run in sorted({run for zh in TERMS for run in long_han_runs(zh)}):
        # 放进一句话里切，确认术语不会和上下文粘在一起，也不会被拆开
        pieces = list(tok.cut(f"本章讨论{run}。"))
        if run not in pieces:
            split.append(f"{run} → {'/'.join(pieces)}")
    assert not split, "jieba 没有把这些术语切成一个整词：\n" + "\n".join(split)
