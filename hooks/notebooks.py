"""每章一个可运行的笔记本：由章节页面生成，mkdocs-jupyter 渲染并在构建时执行（任何单元出错，构建失败）。

- ``on_files``（早，优先级 100，在 mkdocs-jupyter 之前）：对每个 ``chXX-*/index.md`` 调用
  ``tools/notebooks.py`` 生成 jupytext percent 格式的 ``.py``，写到 ``build/notebooks/``（不写 docs/，
  ``mkdocs serve`` 不会循环重建），作为页面 ``chXX-*/notebook.py`` → 网址 ``chXX-*/notebook/`` 加入站点；
  mkdocs-jupyter 的 ``include`` 只匹配这个目录。
- ``on_files``（晚，优先级 -100，插图已由 hooks/figures.py 加入）：生成供下载的 ``.ipynb``，插图作为附件嵌入，
  放在笔记本页面旁边（``include_source`` 把 ``.py`` 也复制到那里）。
- ``on_page_content``：笔记本页面的中文标题得到真正的锚点（mkdocs-jupyter 给中文标题 ``id=""``，
  搜索因此失效），目录按这些锚点重建；去掉 nbconvert 模板里的 MathJax / mermaid CDN 脚本（公式由站点的
  KaTeX 排版）；图片和站内链接改成相对于笔记本页面的地址；章节页和笔记本页顶部加上下载按钮。
- 执行：``mkdocs build``（``make build``、测试）总是执行；``mkdocs serve`` 默认不执行（每次改动都把所有章节的
  代码重跑一遍太慢）。环境变量 ``NNDL_EXECUTE_NOTEBOOKS=1`` / ``0`` 可以强制打开 / 关闭。
"""

from __future__ import annotations

import hashlib
import html as htmllib
import os
import shutil
import time
import re
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import CombinedEvent, event_priority
from mkdocs.structure.files import File
from mkdocs.structure.toc import get_toc
from mkdocs.utils import get_relative_url

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
import notebooks as nbgen  # noqa: E402

JUPYTER_PLUGIN = "mkdocs-jupyter"
CHAPTER_URI = re.compile(r"^(ch[^/]+)/index\.md$")

# 本次构建的笔记本：页面 src_uri → 信息；章节页 src_uri → 笔记本页 src_uri
_notebooks: dict[str, dict] = {}
_chapters: dict[str, str] = {}


def notebook_dir(config) -> Path:
    """生成的 ``.py`` 放在配置文件旁的 ``build/notebooks/<内容哈希>/``（docs/ 之外）。"""
    return Path(config.config_file_path).resolve().parent / "build" / "notebooks"


_command: str | None = None


def on_startup(command, dirty):
    global _command
    _command = command


def _execute_enabled() -> bool:
    """``NNDL_EXECUTE_NOTEBOOKS`` 说了算；没设时 ``mkdocs build`` 执行、``mkdocs serve`` 不执行
    （每改一次页面都把所有章节的代码跑一遍，预览要等好几分钟）。"""
    env = os.environ.get("NNDL_EXECUTE_NOTEBOOKS")
    if env is None:
        return _command != "serve"
    return env.strip().lower() not in {"0", "false", "no", "off"}


def on_config(config):
    plugin = config.plugins.get(JUPYTER_PLUGIN)
    if plugin is None:
        raise PluginError("hooks/notebooks.py 需要 mkdocs-jupyter 插件（mkdocs.yml 的 plugins:）")
    if not _execute_enabled():
        plugin.config["execute"] = False
    # 缓存：mkdocs-jupyter 的缓存键只看笔记本文件的内容和插件设置；生成的笔记本头部记着 nndl_ref 源码与
    # 主要依赖版本的指纹（见 inputs_fingerprint），所以代码一变缓存就失效。NNDL_NOTEBOOK_CACHE=1 / 0 强制
    # 打开 / 关闭；没设时本地用、CI 里（环境变量 CI）不用——测试在 CI 里总是真的执行一遍。make build 设为 1：
    # 紧接着的离线副本构建直接用主站点刚执行的结果。不执行时也不用（否则它会把执行过的缓存当作"没用到"清掉）。
    cache = os.environ.get("NNDL_NOTEBOOK_CACHE")
    use_cache = (not os.environ.get("CI")) if cache is None else cache.strip().lower() not in {"0", "false", "no", "off"}
    plugin.config["cache"] = bool(plugin.config["cache"] and use_cache and plugin.config["execute"])
    return config


def inputs_fingerprint() -> str:
    """笔记本输出所依赖的、笔记本文件之外的东西：``nndl_ref`` 的全部源码、Python 与主要依赖的版本。"""
    import importlib.metadata
    import importlib.util

    h = hashlib.sha256(sys.version.encode())
    for dist in ("numpy", "torch", "scipy", "scikit-learn", "matplotlib", "scikit-image", "mnist1d"):
        try:
            h.update(f"{dist}=={importlib.metadata.version(dist)}".encode())
        except importlib.metadata.PackageNotFoundError:
            h.update(f"{dist}: -".encode())
    spec = importlib.util.find_spec("nndl_ref")
    for location in (spec.submodule_search_locations or []) if spec else []:
        base = Path(location)
        for path in sorted(base.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                h.update(path.relative_to(base).as_posix().encode())
                h.update(path.read_bytes())
    return h.hexdigest()[:16]


# ---------------------------------------------------------------------------------------------
# 文件


def _write_if_changed(path: Path, text: str) -> None:
    if path.exists() and path.read_text(encoding="utf-8") == text:
        os.utime(path.parent)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f"{path.suffix}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def _prune(out_dir: Path, max_age: float = 24 * 3600) -> None:
    """删掉一天没用过的旧版本目录（每次构建都会刷新在用目录的时间戳）。"""
    if not out_dir.is_dir():
        return
    for d in out_dir.iterdir():
        if d.is_dir() and time.time() - d.stat().st_mtime > max_age:
            shutil.rmtree(d, ignore_errors=True)


def _page_dir(slug: str, config) -> str:
    """笔记本页面（``slug/notebook.py``）输出所在的目录：下载文件放在它旁边。"""
    return f"{slug}/notebook" if config.use_directory_urls else slug


@event_priority(100)
def _generate_notebooks(files, config):
    _notebooks.clear()
    _chapters.clear()
    out_dir = notebook_dir(config)
    _prune(out_dir)
    snippets = dict(config.mdx_configs.get("pymdownx.snippets", {}))
    fingerprint = inputs_fingerprint()
    for f in list(files.documentation_pages()):
        m = CHAPTER_URI.match(f.src_uri)
        if not m or f.abs_src_path is None:
            continue
        slug = m.group(1)
        uri = f"{slug}/notebook.py"
        if files.get_file_from_path(uri) is not None:
            raise PluginError(f"{uri} 已经存在；章节笔记本由 hooks/notebooks.py 生成，请删掉这个文件")
        try:
            cells = nbgen.intro_cells(nbgen.page_cells(f.abs_src_path, snippets), config.site_url)
            nb = nbgen.build_notebook(cells, base_dir=slug)
            nb.metadata["nndl"] = {"inputs": fingerprint}      # 写进 .py 头部：mkdocs-jupyter 的缓存键因此包含它
            nb.metadata["jupytext"] = {"notebook_metadata_filter": "nndl"}
        except Exception as exc:                   # 包含行找不到等：指明是哪一页
            raise PluginError(f"由 {f.src_uri} 生成笔记本失败：{exc}") from exc
        text = nbgen.to_percent(nb)
        # 按内容分目录：同时运行的几次构建（测试、make serve……）各读各的文件，互不覆盖
        py_path = out_dir / hashlib.sha256(text.encode("utf-8")).hexdigest()[:16] / f"{slug}.py"
        _write_if_changed(py_path, text)
        files.append(File.generated(config, uri, abs_src_path=str(py_path)))
        page_dir = _page_dir(slug, config)
        _notebooks[uri] = {"slug": slug, "chapter": f.src_uri, "py": f"{page_dir}/{slug}.py",
                           "ipynb": f"{page_dir}/{slug}.ipynb", "cells": cells,
                           "py_path": str(py_path)}
        _chapters[f.src_uri] = uri
    return files


@event_priority(-100)
def _add_downloads(files, config):
    def figure(path: str) -> bytes | None:
        f = files.get_file_from_path(path)
        return f.content_bytes if f is not None and not f.is_documentation_page() else None

    for f in files:
        if f.src_uri in _notebooks:
            if not f.is_documentation_page():
                raise PluginError(f"mkdocs-jupyter 没有把 {f.src_uri} 当作笔记本：检查 mkdocs.yml 里它的 include")
            # mkdocs-jupyter 的 NotebookFile 包装不认 File.generated 的 abs_src_path（它按 src_dir 重新计算，
            # 得到 None，读源文件时断言失败）：把路径直接放进它的缓存属性。
            vars(f)["abs_src_path"] = _notebooks[f.src_uri]["py_path"]
    for info in _notebooks.values():
        nb = nbgen.build_notebook(info["cells"], figure_loader=figure, base_dir=info["slug"])
        files.append(File.generated(config, info["ipynb"], content=nbgen.to_ipynb(nb)))
    return files


on_files = CombinedEvent(_generate_notebooks, _add_downloads)


# ---------------------------------------------------------------------------------------------
# 页面


HEADING = re.compile(r"<h([1-6])(\s[^>]*)?>(.*?)</h\1>", re.DOTALL)
ANCHOR_LINK = re.compile(r'<a class="anchor-link"[^>]*>.*?</a>', re.DOTALL)
TAGS = re.compile(r"<[^>]+>")
CDN_SCRIPTS = [
    re.compile(r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->", re.DOTALL),
    re.compile(r'<script type="module">\s*document\.addEventListener\("DOMContentLoaded", async \(\) => \{\s*'
               r'const diagrams = document\.querySelectorAll\("\.jp-Mermaid.*?</script>', re.DOTALL),
]
URL_ATTR = re.compile(r'(<(?:img|a)\s[^>]*?\b(?:src|href)=")([^"#]*)(#[^"]*)?(")')


def _slugify():
    from pymdownx.slugs import slugify

    return slugify(case="lower")


def fix_headings(content: str) -> tuple[str, list[dict]]:
    """给每个标题一个由 pymdownx 的 Unicode slugify 得到的唯一 id（与普通页面的锚点规则相同），
    同步改写 mkdocs-jupyter 加的 ¶ 链接；返回新的 HTML 和目录条目（嵌套好的 toc tokens）。"""
    from markdown.extensions.toc import nest_toc_tokens, unique

    slugify = _slugify()
    used: set[str] = set()
    tokens: list[dict] = []

    def repl(m):
        level, attrs, inner = int(m.group(1)), m.group(2) or "", m.group(3)
        text = htmllib.unescape(TAGS.sub("", ANCHOR_LINK.sub("", inner))).strip()
        hid = unique(slugify(text, "-"), used)
        attrs = re.sub(r'\s+id="[^"]*"', "", attrs) + f' id="{htmllib.escape(hid)}"'
        inner = ANCHOR_LINK.sub("", inner).rstrip()
        inner += f'<a class="anchor-link" href="#{htmllib.escape(hid)}">¶</a>'
        tokens.append({"level": level, "id": hid, "name": htmllib.escape(text), "children": []})
        return f"<h{level}{attrs}>{inner}</h{level}>"

    content = HEADING.sub(repl, content)
    return content, nest_toc_tokens(tokens)


def _relink(content: str, base_dir: str, page, files) -> str:
    """笔记本里的相对地址是按章节页（``chXX/index.md``）写的：改成相对于笔记本页面的网址。"""

    def repl(m):
        url = m.group(2)
        if not url or re.match(r"^([a-z][a-z0-9+.-]*:|/)", url, re.I):
            return m.group(0)
        target = files.get_file_from_path(os.path.normpath(os.path.join(base_dir, url)).replace(os.sep, "/"))
        if target is None:
            return m.group(0)
        return f"{m.group(1)}{get_relative_url(target.url, page.url)}{m.group(3) or ''}{m.group(4)}"

    return URL_ATTR.sub(repl, content)


def _lift_h1(content: str, box: str) -> str:
    """把笔记本的一级标题移到内容最前面（JupyterLab 的包装层之外），后面跟着说明框。

    这样标题用站点自己的样式，搜索也像普通页面一样：第一节的地址就是页面地址，不会多出一个空的"前言"条目。
    """
    m = re.search(r"<h1[\s>].*?</h1>", content, flags=re.DOTALL)
    if not m:
        return box + content
    h1 = m.group(0).replace('<a class="anchor-link"', '<a class="headerlink" title="Permanent link"')
    return h1 + box + content[:m.start()] + content[m.end():]


STYLE = re.compile(r'<style[^>]*>(.*?)</style>', re.DOTALL)


def _externalise_styles(content: str, page, config) -> str:
    """nbconvert 在每个笔记本页面里内联约 600 KB 的 JupyterLab 样式：改成站点里的 CSS 文件（按内容命名），
    所有笔记本页面共用、浏览器只下载一次。"""
    import hashlib

    from mkdocs.utils import write_file

    def repl(m):
        css = m.group(1)
        name = f"assets/notebooks/{hashlib.sha256(css.encode()).hexdigest()[:12]}.css"
        target = Path(config.site_dir) / name
        if not target.exists():
            write_file(css.encode("utf-8"), str(target))
        return f'<link rel="stylesheet" href="{get_relative_url(name, page.url)}">'

    return STYLE.sub(repl, content)


def _insert_after_h1(content: str, box: str) -> str:
    m = re.search(r"</h1>", content)
    return content[:m.end()] + box + content[m.end():] if m else box + content


def _buttons(ipynb: str, py: str) -> str:
    return (f'<a class="md-button md-button--primary" href="{ipynb}" download>下载 .ipynb</a> '
            f'<a class="md-button" href="{py}" download>下载 .py（jupytext）</a>')


def on_page_content(html, page, config, files):
    uri = page.file.src_uri
    executed = config.plugins[JUPYTER_PLUGIN].config["execute"]
    if uri in _notebooks:
        info = _notebooks[uri]
        for pattern in CDN_SCRIPTS:
            html = pattern.sub("", html)
        html = _externalise_styles(html, page, config)
        html, tokens = fix_headings(html)
        page.toc = get_toc(tokens)
        html = _relink(html, info["slug"], page, files)
        chapter = files.get_file_from_path(info["chapter"])
        ipynb, py = info["ipynb"].rsplit("/", 1)[-1], info["py"].rsplit("/", 1)[-1]
        title = chapter.page.title if chapter.page and chapter.page.title else info["slug"]
        state = ("构建站点时已从头到尾执行，下面的输出就是执行结果" if executed else
                 "本次构建没有执行它（mkdocs serve 默认不执行；设 NNDL_EXECUTE_NOTEBOOKS=1 打开），所以没有输出")
        box = (f'<div class="admonition info nndl-notebook" data-search-exclude>'
               f'<p class="admonition-title">本页是笔记本</p>'
               f'<p>这是<a href="{get_relative_url(chapter.url, page.url)}">{htmllib.escape(title)}</a>的可运行版本，'
               f'{state}。下载到本地，用 Jupyter 打开即可运行：</p><p>{_buttons(ipynb, py)}</p></div>')
        html = _lift_h1(html, box)
        page.meta["nndl_notebook"] = {"ipynb": ipynb, "py": py}
        page.meta.setdefault("search", {}).setdefault("boost", 0.5)   # 搜索结果里章节页排在笔记本前面
    elif uri in _chapters:
        info = _notebooks[_chapters[uri]]
        nb_page = files.get_file_from_path(_chapters[uri])
        nb_url = get_relative_url(nb_page.url, page.url)
        ipynb = get_relative_url(info["ipynb"], page.url)
        py = get_relative_url(info["py"], page.url)
        state = "（构建时已执行，带输出）" if executed else ""
        box = (f'<div class="admonition tip nndl-notebook" data-search-exclude>'
               f'<p class="admonition-title">本章的笔记本</p>'
               f'<p>本页的全部代码按顺序整理成了一个笔记本：<a href="{nb_url}">在线查看{state}</a>，'
               f'或下载到本地用 Jupyter 运行：</p><p>{_buttons(ipynb, py)}</p></div>')
        html = _insert_after_h1(html, box)
        page.meta["nndl_notebook"] = {"ipynb": ipynb, "py": py, "page": nb_url}
    return html
