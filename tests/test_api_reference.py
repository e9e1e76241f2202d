"""API 参考与正文的双向链接（tools/apiref.py、hooks/api_pages.py）。

- 每个公开模块、公开函数和类都有文档字符串；
- 每个公开对象都有回到书中的链接，且链接指向站点上真实存在的锚点；
- 每章每个用到了 nndl_ref 的二级小节末尾都有"本节用到的 API"，链接指向 API 页上真实存在的条目。
"""

from __future__ import annotations

import html
import importlib
import inspect
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tools import apiref  # noqa: E402

OBJECTS = [(m, n) for m in apiref.public_modules() for n in apiref.public_objects(m)]


def test_there_are_public_objects_in_every_layer():
    modules = {m for m, _ in OBJECTS}
    assert any(m.startswith("nndl_ref.numpy.") for m in modules)
    assert any(m.startswith("nndl_ref.torch.") for m in modules)
    assert len(OBJECTS) > 100


@pytest.mark.parametrize("module", apiref.public_modules())
def test_every_public_module_has_a_docstring(module):
    doc = inspect.getdoc(importlib.import_module(module)) or ""
    assert len(doc.strip()) >= 10, f"{module} 没有模块文档字符串"


def test_every_public_object_has_a_docstring():
    missing = [f"{m}.{n}" for m, n in OBJECTS
               if len((inspect.getdoc(getattr(importlib.import_module(m), n)) or "").strip()) < 5]
    assert missing == [], f"这些公开对象没有文档字符串：{missing}"


def test_every_public_object_links_back_to_the_book():
    missing = [f"{m}.{n}" for m, n in OBJECTS if not apiref.links_for(m, n)]
    assert missing == [], ("这些公开对象找不到讲解它的章节（页面代码没有用到它，正文没有点名它，"
                           f"文档字符串也没有写出 chXX-name 页面）：{missing}")


def test_usage_parser_resolves_imports_and_aliases():
    code = ("from nndl_ref.numpy import conv as C\n"
            "from nndl_ref.numpy.activations import sigmoid\n"
            "import nndl_ref.torch.cnn\n"
            "y = C.conv2d_forward(x, w)\nz = sigmoid(y)\nm = nndl_ref.torch.cnn.LeNet()\n")
    used = apiref.used_objects(code)
    assert "nndl_ref.numpy.conv.conv2d_forward" in used
    assert "nndl_ref.numpy.activations.sigmoid" in used
    assert "nndl_ref.torch.cnn.LeNet" in used
    # 别名解析到定义它的名字：sigmoid 是 logistic 的别名
    assert apiref._resolve("nndl_ref.numpy.activations.sigmoid") == "nndl_ref.numpy.activations.logistic"
    assert apiref.used_objects("def broken(:\n") == set()


def _ids(path: Path) -> set[str]:
    return {html.unescape(i) for i in re.findall(r'\sid="([^"]+)"', path.read_text(encoding="utf-8"))}


def test_backlinks_point_at_real_sections(built_site):
    """API 条目里的"本站讲解"链接：目标页面存在，锚点在页面上。"""
    cache: dict[str, set[str]] = {}
    bad = []
    for m, n in OBJECTS:
        for page, anchor, _ in apiref.links_for(m, n):
            target = built_site / page.replace("index.md", "index.html")
            assert target.exists(), target
            if anchor:
                ids = cache.setdefault(page, _ids(target))
                if anchor not in ids:
                    bad.append((f"{m}.{n}", page, anchor))
    assert bad == [], f"锚点在页面上不存在：{bad[:10]}"


@pytest.mark.parametrize("page", apiref.chapter_pages())
def test_chapter_sections_link_to_the_api(built_site, page):
    """每章：用到 nndl_ref 的二级小节都有"本节用到的 API"，里面的链接指向 API 页上存在的条目。"""
    out = (built_site / page.replace("index.md", "index.html")).read_text(encoding="utf-8")
    from hooks.api_pages import section_api_links

    expected = [names for names in section_api_links(page) if names]
    boxes = re.findall(r'<details class="abstract">.*?</details>', out, flags=re.S)
    boxes = [b for b in boxes if "本节用到的 API" in b]
    assert len(boxes) == len(expected), (len(boxes), len(expected))
    api_ids: dict[str, set[str]] = {}
    for box in boxes:
        for module, anchor in re.findall(r'href="\.\./api/([^/"]+)/#([^"]+)"', box):
            ids = api_ids.setdefault(module, _ids(built_site / "api" / module / "index.html"))
            assert anchor in ids, (module, anchor)


# ---------------------------------------------------------------- 文档字符串里对本站的引用 → 链接
def _all_docstrings():
    for module in apiref.public_modules():
        mod = importlib.import_module(module)
        yield module, mod.__doc__ or ""
        for name in apiref.public_objects(module):
            obj = getattr(mod, name)
            yield f"{module}.{name}", inspect.getdoc(obj) or ""
            if inspect.isclass(obj):
                for attr, value in vars(obj).items():
                    if not attr.startswith("_") and callable(value) and getattr(value, "__doc__", None):
                        yield f"{module}.{name}.{attr}", value.__doc__


def test_every_docstring_reference_to_the_site_resolves():
    """文档字符串里的"站点第 N 章 X.Y 节""docs/chXX-*/index.md"都指向本站真实存在的章与小节
    （小节编号是本站自己的；原书的章节写作"书中第 X 节"）。"""
    n, bad = 0, []
    for where, doc in _all_docstrings():
        try:
            n += len(apiref.site_references(doc))
        except apiref.UnresolvedReference as exc:
            bad.append(f"{where}: {exc}")
    assert bad == []
    assert n > 200, n


def test_site_references_become_links():
    sys.path.insert(0, str(ROOT / "hooks"))
    import api_pages

    def url_of(page, anchor):
        return f"../../{page.removesuffix('index.md')}" + (f"#{anchor}" if anchor else "")

    sec = apiref.resolve_section(6, "6.9.1")
    out = api_pages.link_site_references(
        "<p>书中第 6.1 节；站点页面：第 6 章 6.9.1 节（语料）。见 <code>docs/ch08-attention/index.md</code>。</p>"
        "<pre><code>站点第 6 章 6.9.1 节</code></pre><a href='x'>站点第 7 章</a>", url_of)
    assert f'<a href="../../ch06-rnn/">站点页面：第 6 章</a> <a href="../../ch06-rnn/#{sec.anchor}">6.9.1</a> 节' in out
    assert '<code><a href="../../ch08-attention/">docs/ch08-attention/index.md</a></code>' in out
    assert "<pre><code>站点第 6 章 6.9.1 节</code></pre>" in out          # 源代码不动
    assert "<a href='x'>站点第 7 章</a>" in out                              # 已有链接不动
    assert "书中第 6.1 节" in out                                             # 原书的章节不是本站的链接
    with pytest.raises(apiref.UnresolvedReference, match="6.42"):
        api_pages.link_site_references("<p>站点第 6 章 6.42 节</p>", url_of)


def test_api_pages_have_no_unlinked_site_reference(built_site):
    leftovers = []
    for page in sorted((built_site / "api").rglob("index.html")):
        text = page.read_text(encoding="utf-8")
        text = re.sub(r"<pre\b.*?</pre>", "", text, flags=re.S)
        text = re.sub(r"<a\b[^>]*>.*?</a>", "", text, flags=re.S)
        text = re.sub(r"<[^>]+>", "", text)
        leftovers += [f"{page.parent.name}: {m.group(0)}" for m in apiref.SITE_REF.finditer(text)]
    assert leftovers == []
