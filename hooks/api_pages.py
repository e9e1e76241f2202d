"""MkDocs 钩子：生成 API 参考（``api/`` 下每个模块一页），并在正文和 API 之间互相加链接。

- ``on_config``：把导航里的 "API 参考" 展开成 总览 + 每个模块一页（通用 / NumPy / PyTorch 三组）；
- ``on_files``：在内存中生成这些页面（不写 docs/，``mkdocs serve`` 不会循环重建）。
  每个公开对象单独用 mkdocstrings 渲染，后面跟一行"本站讲解"，链接到讲它的章节小节；
- ``on_page_markdown``：在每一章每个二级小节的末尾加一个可折叠的"本节用到的 API"，链接回 API 页。

链接从页面上的代码算出来（``tools/apiref.py``），不靠手工维护；``tests/test_api_reference.py`` 检查它们。
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from mkdocs.structure.files import File

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tools import apiref  # noqa: E402

NAV_TITLE = "API 参考"
GROUPS = (("通用工具", lambda m: m.count(".") <= 1),
          ("NumPy 从零实现", lambda m: m.startswith("nndl_ref.numpy")),
          ("PyTorch 实现", lambda m: m.startswith("nndl_ref.torch")))


def _group(module: str) -> str:
    for title, pred in GROUPS:
        if pred(module):
            return title
    return GROUPS[0][0]


def _summary(module: str) -> str:
    import importlib

    doc = (importlib.import_module(module).__doc__ or "").strip().splitlines()
    return doc[0].rstrip("。") if doc else ""


def _rel(page: str, anchor: str) -> str:
    return f"../{page}" + (f"#{anchor}" if anchor else "")


def _chapter_label(page: str) -> str:
    return apiref.page_title(page)


def module_markdown(module: str) -> str:
    lines = [f"# `{module}`", "",
             f"::: {module}", "    options:", "      members: false", "      show_root_heading: false", ""]
    for name in apiref.public_objects(module):
        lines += [f"::: {module}.{name}", "    options:", "      heading_level: 2",
                  "      show_root_full_path: false", ""]
        links = apiref.links_for(module, name)
        if links:
            items = []
            for page, anchor, title in links:
                label = _chapter_label(page) + (f" › {title}" if title else "")
                items.append(f"[{label}]({_rel(page, anchor)})")
            lines += ['<p class="nndl-backlinks" markdown>本站讲解：' + " · ".join(items) + "</p>", ""]
    return "\n".join(lines) + "\n"


def index_markdown(modules: list[str]) -> str:
    lines = ["# API 参考", "",
             "本参考由 [mkdocstrings](https://mkdocstrings.github.io/) 在构建时从 `nndl_ref` 的文档字符串生成，"
             "所以它列出的正是包里真实存在的函数和类。每个对象下面的\"本站讲解\"链接到本站讲解它、用到它的小节（本站的小节编号与原书不同，每章开头有对照表）；文档字符串里的\"书中第 X 节\"指原书的章节，\"站点第 N 章 X 节\"链接到本站；"
             "每一章每个小节的末尾也有\"本节用到的 API\"链接回这里。这些链接是从页面上实际运行的代码里算出来的（`tools/apiref.py`），"
             "由 `tests/test_api_reference.py` 检查：每个公开对象都必须有文档字符串和回到本站的链接。", "",
             "包的整体约定（形状、权重布局、命名）：", "",
             "::: nndl_ref", "    options:", "      members: false", "      show_root_heading: false", ""]
    for title, _ in GROUPS:
        mods = [m for m in modules if m != "nndl_ref" and _group(m) == title]
        if not mods:
            continue
        lines += [f"## {title}", "", "| 模块 | 内容 | 对象数 |", "|---|---|---|"]
        for m in mods:
            lines.append(f"| [`{m}`]({m}.md) | {_summary(m)} | {len(apiref.public_objects(m))} |")
        lines.append("")
    return "\n".join(lines) + "\n"


def on_config(config, **kwargs):
    modules = [m for m in apiref.public_modules() if m != "nndl_ref"]
    children: list = ["api/index.md"]
    for title, _ in GROUPS:
        mods = [m for m in modules if _group(m) == title]
        if mods:
            children.append({title: [{m: apiref.api_page_path(m)} for m in mods]})

    def replace(items):
        for i, item in enumerate(items):
            if isinstance(item, dict):
                (key, value), = item.items()
                if key == NAV_TITLE:
                    items[i] = {key: children}
                    return True
                if isinstance(value, list) and replace(value):
                    return True
        return False

    if config.nav and not replace(config.nav):
        raise RuntimeError(f"mkdocs.yml 的 nav 里没有 '{NAV_TITLE}' 一项")
    return config


def on_files(files, config, **kwargs):
    modules = apiref.public_modules()
    files.append(File.generated(config, "api/index.md", content=index_markdown(modules)))
    for m in modules:
        if m != "nndl_ref":
            files.append(File.generated(config, apiref.api_page_path(m), content=module_markdown(m)))
    return files


def section_api_links(page: str) -> list[list[str]]:
    """一章里每个二级小节（按顺序）用到的公开对象全名。"""
    result: list[list[str]] = []
    for sec in apiref.sections():
        if sec.page != page or sec.level < 2:
            continue
        if sec.level == 2:
            result.append([])
        if not result:
            continue
        for full, secs in apiref.usage().items():
            if sec in secs and full not in result[-1]:
                result[-1].append(full)
    return result


def _admonition(names: list[str]) -> list[str]:
    items = []
    for full in sorted(names):
        module, _, name = full.rpartition(".")
        items.append(f"[`{module.removeprefix('nndl_ref.')}.{name}`](../{apiref.api_page_path(module)}#{full})")
    return ["", '??? abstract "本节用到的 API"', "    " + " · ".join(items), ""]


def on_page_markdown(markdown, page, config, files, **kwargs):
    src = page.file.src_uri
    if src not in apiref.chapter_pages():
        return markdown
    per_section = section_api_links(src)
    out: list[str] = []
    h2 = -1
    fence = None
    for line in markdown.splitlines():
        m = apiref.FENCE.match(line)
        if fence is None and m:
            fence = m.group(2)
        elif fence is not None and m and m.group(2) == fence and not m.group(3).strip():
            fence = None
        elif fence is None and line.startswith("## "):
            if 0 <= h2 < len(per_section) and per_section[h2]:
                out += _admonition(per_section[h2])
            h2 += 1
        out.append(line)
    if 0 <= h2 < len(per_section) and per_section[h2]:
        out += _admonition(per_section[h2])
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- 文档字符串里的"站点第 N 章 X.Y 节" → 链接
TAG = re.compile(r"(<[^>]+>)")


def link_site_references(html: str, url_of) -> str:
    """把 API 页面正文里对本站的引用（``apiref.SITE_REF``、``apiref.DOC_REF``）换成链接。

    ``url_of(page, anchor)`` 给出从当前页面到目标的相对地址。``<pre>``（源代码）与已有链接里的文字不动；
    引用了不存在的章或小节时抛出 ``apiref.UnresolvedReference``（构建失败）。
    """

    def link(text: str) -> str:
        def chapter(m: re.Match) -> str:
            refs = apiref.site_references(m.group(0))
            page = refs[0][0]
            numbers = m.group("numbers")
            head = m.group(0)[: m.start("numbers") - m.start()] if numbers else m.group(0)
            out = f'<a href="{url_of(page, "")}">{head.rstrip()}</a>'
            if numbers:
                out += " " + "、".join(f'<a href="{url_of(p, a)}">{num}</a>' for p, a, num in refs[1:])
                out += m.group(0)[m.end("numbers") - m.start():]
            return out

        def doc(m: re.Match) -> str:
            page = apiref.site_references(m.group(0))[0][0]
            return f'<a href="{url_of(page, "")}">{m.group(0)}</a>'

        return apiref.DOC_REF.sub(doc, apiref.SITE_REF.sub(chapter, text))

    out, in_a, in_pre = [], 0, 0
    for part in TAG.split(html):
        if part.startswith("<"):
            name = re.match(r"</?\s*([a-zA-Z0-9]+)", part)
            tag = name.group(1).lower() if name else ""
            closing = part.startswith("</")
            if tag == "a":
                in_a += -1 if closing else 1
            elif tag == "pre":
                in_pre += -1 if closing else 1
            out.append(part)
        elif part and not in_a and not in_pre:
            out.append(link(part))
        else:
            out.append(part)
    return "".join(out)


def on_page_content(html, page, config, files, **kwargs):
    if not page.file.src_uri.startswith("api/"):
        return html
    from mkdocs.exceptions import PluginError
    from mkdocs.utils import get_relative_url

    def url_of(target: str, anchor: str) -> str:
        f = files.get_file_from_path(target)
        return get_relative_url(f.url, page.url) + (f"#{anchor}" if anchor else "")

    try:
        return link_site_references(html, url_of)
    except apiref.UnresolvedReference as exc:
        raise PluginError(f"{page.file.src_uri}：文档字符串引用了本站不存在的位置：{exc}") from exc
