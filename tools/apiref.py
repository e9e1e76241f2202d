"""API 参考与正文之间的双向链接：哪个公开对象在哪一章的哪一节被讲解（被页面上的代码用到）。

做法是读代码，而不是靠人工维护的对照表：

1. 列出 ``nndl_ref`` 的公开模块和公开对象（模块名与对象名都不以 ``_`` 开头，``figures`` 子包除外）；
2. 把每一章页面展开成读者看到的样子（与 ``tools/expand_docs.py`` 相同），按标题切成小节；
3. 用 ``ast`` 解析每个 Python 代码块里的 ``import``，记下代码用到的 ``nndl_ref`` 对象
   （``from nndl_ref.numpy.conv import conv2d_forward`` 或 ``from nndl_ref.numpy import conv`` 之后的 ``conv.conv2d_forward``）；
4. 小节的锚点用与站点相同的 Markdown 扩展（toc + 同一个 slugify）算出来，所以链接和页面上的永久链接一致。

``hooks/api_pages.py`` 用这些结果生成 ``api/`` 下每个模块一页、在每个对象后面列出"本站讲解"，
并在每章每个二级小节末尾列出本节用到的函数；``tests/test_api_reference.py`` 检查每个公开对象都有文档字符串和回到书中的链接。
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import re
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})(.*)$")
PAGE_IN_DOC = re.compile(r"\b(ch\d\d-[a-z0-9-]+)\b")


@dataclass(eq=False)
class Section:
    page: str            # 相对 docs/ 的路径，如 "ch05-cnn/index.md"
    anchor: str          # 标题的 id
    title: str           # 标题文字（去掉 Markdown 标记）
    level: int
    code: list[str] = field(default_factory=list)
    prose: list[str] = field(default_factory=list)


@lru_cache(maxsize=1)
def public_modules() -> tuple[str, ...]:
    """``nndl_ref`` 的公开模块（按名字排序）。"""
    import nndl_ref

    names = ["nndl_ref"]
    for info in pkgutil.walk_packages(nndl_ref.__path__, "nndl_ref."):
        parts = info.name.split(".")
        if any(p.startswith("_") for p in parts) or parts[1] == "figures":
            continue
        names.append(info.name)
    return tuple(sorted(names))


def public_objects(module: str) -> list[str]:
    """模块里定义（而不是导入）的公开函数和类，按源码顺序。"""
    mod = importlib.import_module(module)
    out = []
    for name, obj in vars(mod).items():
        if name.startswith("_") or not (inspect.isfunction(obj) or inspect.isclass(obj)):
            continue
        if getattr(obj, "__module__", None) != module or obj.__name__ != name:
            continue                          # 从别处导入的，或别名（``sigmoid = logistic``）
        out.append(name)
    try:
        order = {n: inspect.getsourcelines(getattr(mod, n))[1] for n in out}
        out.sort(key=order.get)
    except (OSError, TypeError):
        pass
    return out


def chapter_pages() -> list[str]:
    """正文页面（``docs/chXX-*/index.md``），按章排序。"""
    return sorted(p.relative_to(DOCS).as_posix() for p in DOCS.glob("ch*/index.md"))


@lru_cache(maxsize=1)
def _toc_markdown():
    import markdown
    from mkdocs.config import load_config

    cfg = load_config(str(ROOT / "mkdocs.yml"))
    wanted = ("toc", "pymdownx.arithmatex", "pymdownx.inlinehilite", "attr_list")
    exts = [e for e in cfg["markdown_extensions"] if e in wanted]
    return markdown.Markdown(extensions=exts,
                             extension_configs={e: cfg["mdx_configs"].get(e, {}) for e in exts})


def heading_ids(titles: list[tuple[int, str]]) -> list[tuple[str, str]]:
    """按页面上的顺序给出每个标题的 (id, 纯文字)——与站点的 toc 扩展算法完全相同（含重名去重）。"""
    md = _toc_markdown()
    md.reset()
    md.convert("\n\n".join("#" * level + " " + text for level, text in titles))
    flat = []

    def walk(tokens):
        for t in tokens:
            flat.append((t["id"], t["name"]))
            walk(t["children"])

    walk(md.toc_tokens)
    if len(flat) != len(titles):
        raise RuntimeError(f"标题数对不上：{len(flat)} ≠ {len(titles)}")
    return flat


def split_sections(page: str, text: str) -> list[Section]:
    """把展开后的页面按标题切成小节；每个小节收集其中的 Python 代码块。"""
    raw: list[tuple[int, str, list[str]]] = []
    fence = None
    block: list[str] = []
    for line in text.splitlines():
        m = FENCE.match(line)
        if fence is None and m:
            fence = (m.group(1), m.group(2))
            is_py = m.group(3).strip().startswith(("python", "py"))
            block = [] if is_py else None
            continue
        if fence is not None:
            if m and m.group(2) == fence[1] and not m.group(3).strip():
                if block is not None and raw:
                    raw[-1][2].append("\n".join(block))
                fence = None
            elif block is not None:
                indent = fence[0]
                block.append(line[len(indent):] if line.startswith(indent) else line)
            continue
        h = HEADING.match(line)
        if h:
            raw.append((len(h.group(1)), h.group(2), [], []))
        elif raw:
            raw[-1][3].append(line)
    ids = heading_ids([(lvl, t) for lvl, t, _, _ in raw])
    return [Section(page, anchor, name, lvl, code, prose)
            for (lvl, _, code, prose), (anchor, name) in zip(raw, ids)]


def used_objects(code: str) -> set[str]:
    """代码块用到的 ``nndl_ref`` 对象的全名（语法不完整的块跳过）。"""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return set()
    alias: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("nndl_ref"):
            for a in node.names:
                alias[a.asname or a.name] = f"{node.module}.{a.name}"
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name.startswith("nndl_ref"):
                    alias[a.asname or a.name.split(".")[0]] = a.asname and a.name or a.name.split(".")[0]
    used = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id in alias:
            used.add(alias[node.id])
        elif isinstance(node, ast.Attribute):
            parts = []
            cur = node
            while isinstance(cur, ast.Attribute):
                parts.append(cur.attr)
                cur = cur.value
            if isinstance(cur, ast.Name) and cur.id in alias:
                base = alias[cur.id]
                for attr in reversed(parts):
                    base = f"{base}.{attr}"
                    used.add(base)
    return used


def _resolve(name: str) -> str | None:
    """把 ``nndl_ref.numpy.conv`` 里经由 ``__init__`` 再导出的名字换成定义它的模块里的全名。"""
    module, _, attr = name.rpartition(".")
    try:
        mod = importlib.import_module(module)
    except ImportError:
        return None
    obj = getattr(mod, attr, None)
    if obj is None or not (inspect.isfunction(obj) or inspect.isclass(obj)):
        return None
    return f"{obj.__module__}.{obj.__qualname__}"


@lru_cache(maxsize=1)
def sections() -> tuple[Section, ...]:
    """所有章节页面的所有小节（页面已展开）。"""
    from tools.expand_docs import expand_page

    out = []
    for page in chapter_pages():
        out.extend(split_sections(page, expand_page(DOCS / page)))
    return tuple(out)


@lru_cache(maxsize=1)
def usage() -> dict[str, list[Section]]:
    """公开对象全名 → 用到它的小节列表（按页面顺序，不重复）。"""
    result: dict[str, list[Section]] = {}
    for sec in sections():
        names = set()
        for block in sec.code:
            for name in used_objects(block):
                full = _resolve(name)
                if full and full.rpartition(".")[0] in public_modules():
                    names.add(full)
        for full in names:
            lst = result.setdefault(full, [])
            if sec not in lst:
                lst.append(sec)
    return result


def module_page(module: str) -> str | None:
    """模块文档字符串里点名的正文页面（``docs/ch05-cnn/index.md`` 之类），没有则 None。"""
    doc = importlib.import_module(module).__doc__ or ""
    m = PAGE_IN_DOC.search(doc)
    if m and (DOCS / m.group(1) / "index.md").exists():
        return f"{m.group(1)}/index.md"
    return None


@lru_cache(maxsize=None)
def module_sections(module: str) -> tuple[Section, ...]:
    """代码里用到了该模块（任何对象）的小节。"""
    prefix = module + "."
    return tuple(dict.fromkeys(s for full, secs in usage().items() if full.startswith(prefix)
                               and "." not in full[len(prefix):] for s in secs))


def links_for(module: str, name: str) -> list[tuple[str, str, str]]:
    """对象回到书中的链接：(页面, 锚点, 小节标题)，依次尝试：

    1. 页面代码块里实际调用了它的小节；
    2. 正文用反引号点名了它（`` `name` `` 或 `` `模块.name` ``）、且同一页用到了这个模块的小节；
    3. 它自己的或模块的文档字符串点名的正文页面（``ch05-cnn`` 之类）；
    4. 用到了这个模块的第一个小节。
    """
    full = f"{module}.{name}"
    secs = usage().get(full, [])
    if not secs:
        pages = {s.page for s in module_sections(module)}
        pat = re.compile(r"`(?:[\w.]*\.)?" + re.escape(name) + r"(?:\(\))?`")
        secs = [s for s in sections() if s.page in pages and any(pat.search(t) for t in s.prose)]
    if secs:
        return [(s.page, s.anchor, s.title) for s in secs]
    obj = getattr(importlib.import_module(module), name)
    m = PAGE_IN_DOC.search(inspect.getdoc(obj) or "")
    if m and (DOCS / m.group(1) / "index.md").exists():
        return [(f"{m.group(1)}/index.md", "", "")]
    page = module_page(module)
    if page:
        return [(page, "", "")]
    first = module_sections(module)[:1]
    return [(s.page, s.anchor, s.title) for s in first]


def page_title(page: str) -> str:
    for line in (DOCS / page).read_text(encoding="utf-8").splitlines():
        h = HEADING.match(line)
        if h and len(h.group(1)) == 1:
            return h.group(2)
    return page


def api_page_path(module: str) -> str:
    """模块的 API 页面（相对 docs/）。"""
    return f"api/{module}.md"


# ---------------------------------------------------------------------------------------------
# 文档字符串里对本站小节的引用（"站点第 6 章 6.9.1 节""站点页面：``docs/ch08-attention/index.md``"）
# → 本站页面与小节的链接。API 页面由 hooks/api_pages.py 把它们渲染成链接；引用了不存在的小节时构建失败，
# tests/test_api_reference.py 对包里每个文档字符串检查同一件事。

SITE_REF = re.compile(r"站点(?:页面)?[：:]?\s*第\s*(?P<chapter>\d+)\s*章"
                      r"(?:\s*(?P<numbers>\d+(?:\.\d+)+(?:、\d+(?:\.\d+)+)*)\s*节)?")
DOC_REF = re.compile(r"docs/(?P<slug>ch\d\d-[a-z0-9-]+)/index\.md")
SECTION_NUMBER = re.compile(r"^(\d+(?:\.\d+)+)\s")


def chapter_page_by_number(chapter: int) -> str | None:
    for page in chapter_pages():
        if page.startswith(f"ch{chapter:02d}-"):
            return page
    return None


@lru_cache(maxsize=1)
def numbered_sections() -> dict[str, Section]:
    """本站小节编号（"6.9.1"）→ 小节。编号取自标题开头，如 "### 6.9.1 字符级语言模型"。"""
    out = {}
    for sec in sections():
        m = SECTION_NUMBER.match(sec.title)
        if m:
            out[m.group(1)] = sec
    return out


class UnresolvedReference(ValueError):
    pass


def resolve_section(chapter: int, number: str) -> Section:
    sec = numbered_sections().get(number)
    if sec is None or not number.startswith(f"{chapter}.") or sec.page != chapter_page_by_number(chapter):
        raise UnresolvedReference(f"第 {chapter} 章没有 {number} 节")
    return sec


def site_references(text: str) -> list[tuple[str, str, str]]:
    """文本里对本站的全部引用：(页面, 锚点或空串, 原文)。引用不存在的章或小节时抛出 UnresolvedReference。"""
    refs = []
    for m in SITE_REF.finditer(text):
        chapter = int(m.group("chapter"))
        page = chapter_page_by_number(chapter)
        if page is None:
            raise UnresolvedReference(f"本站没有第 {chapter} 章：{m.group(0)}")
        refs.append((page, "", m.group(0)))
        for number in (m.group("numbers") or "").split("、"):
            if number:
                refs.append((page, resolve_section(chapter, number).anchor, number))
    for m in DOC_REF.finditer(text):
        page = f"{m.group('slug')}/index.md"
        if not (DOCS / page).exists():
            raise UnresolvedReference(f"本站没有页面 {page}")
        refs.append((page, "", m.group(0)))
    return refs
