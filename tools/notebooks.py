"""把章节页面变成可运行的笔记本：jupytext percent 格式的 ``.py``（站点渲染、构建时执行）和 ``.ipynb``（供下载）。

仓库里不存第二份章节代码：笔记本在构建时由页面生成，代码单元就是读者在页面上看到的代码块。

1. 用 pymdownx.snippets 展开页面里的 ``--8<--`` 包含行（与 ``tools/expand_docs.py`` 相同的做法和配置）；
2. 把标签页（``=== "NumPy 从零实现"``）和提示框（``!!! info``、``??? success "答案"``）摊平：
   标签名变成一行粗体标签，两个标签页的代码都保留；不含代码的提示框变成引用块；
3. 逐行切分：每个 ```` ```python ```` 代码块变成一个代码单元（顺序与页面相同）；
   ``<!--pytest-codeblocks:expected-output-->`` 后面的"期望输出"块丢掉（笔记本运行时自己打印）；
   带 ``pytest.mark.skip/skipif/xfail`` 标记的代码块和 ``bash``、``text`` 等代码块留在 Markdown 里，不执行；
   其余文字（标题、公式、表格、图片）变成 Markdown 单元，每个标题开始一个新单元。

本模块不依赖 ``nndl_ref``；站点钩子 ``hooks/notebooks.py`` 和测试 ``tests/test_notebooks.py`` 都调用这里的函数。
命令行：``python tools/notebooks.py [输出目录]`` 把每章的 ``.py`` 与 ``.ipynb`` 写到 ``build/notebook-export/``（不含插图附件）。
"""

from __future__ import annotations

import base64
import posixpath
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
DEFAULT_OUT = ROOT / "build" / "notebook-export"
CHAPTER_GLOB = "ch*/index.md"

sys.path.insert(0, str(Path(__file__).resolve().parent))
import dist  # noqa: E402
import expand_docs  # noqa: E402

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}

FENCE = re.compile(r"^(?P<indent> *)(?P<ticks>`{3,})(?P<info>[^`]*)$")
CONTAINER = re.compile(r'^(?P<indent> *)(?P<kind>!!!|\?\?\?\+?|===\+?)\s+(?P<rest>.*?)\s*$')
HEADING = re.compile(r"^#{1,6}\s")
EXPECTED = re.compile(r"^<!--[-\s]*pytest-codeblocks:expected-output(-ignore-whitespace)?[-\s]*-->$")
OTHER_CODEBLOCKS = re.compile(r"^<!--[-\s]*pytest-codeblocks:.*-->$")
SKIP_MARK = re.compile(r"^<!--[-\s]*pytest\.mark\.(skip|skipif|xfail)\b.*-->$")
ATTR_LIST = re.compile(r"(?<!\\)\s*\{:?\s*[.#][^{}]*\}\s*$")
IMAGE = re.compile(r'!\[(?P<alt>[^\]]*)\]\((?P<src>[^)\s]+)(?P<title>\s+"[^"]*")?\)')


@dataclass
class Cell:
    kind: str          # "markdown" 或 "code"
    source: str


# ---------------------------------------------------------------------------------------------
# 页面 → 展开后的 Markdown


def chapter_pages(docs_dir: str | Path = DOCS) -> list[Path]:
    """每章一个页面：``docs/chXX-*/index.md``。新加的章节自动包含在内。"""
    return sorted(Path(docs_dir).glob(CHAPTER_GLOB))


def chapter_slug(page: str | Path) -> str:
    """``docs/ch03-linear/index.md`` → ``ch03-linear``（也是下载文件名的主干）。"""
    return Path(page).parent.name


_processors: dict = {}


def expand_markdown(text: str, snippets_config: dict | None = None) -> str:
    """展开 ``--8<--`` 包含行并规范 Python 代码块的信息串（与 ``tools/expand_docs.py`` 相同）。

    ``snippets_config`` 为 None 时用仓库 mkdocs.yml 里的配置；站点钩子传入当前构建的配置。
    """
    if snippets_config is None:
        pre = expand_docs._preprocessor()
    else:
        key = repr(sorted(snippets_config.items()))
        if key not in _processors:
            import markdown

            md = markdown.Markdown(extensions=["pymdownx.snippets"],
                                   extension_configs={"pymdownx.snippets": dict(snippets_config)})
            _processors[key] = md.preprocessors["snippet"]
        pre = _processors[key]
    return "\n".join(expand_docs.normalise_fences(pre.run(text.split("\n"))))


# ---------------------------------------------------------------------------------------------
# 摊平标签页与提示框


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _fence_end(lines: list[str], i: int) -> int:
    """``lines[i]`` 打开一个代码块，返回关闭它的那一行的下标（找不到时返回最后一行）。

    与 pytest-codeblocks 相同：以同样多（或更多）反引号开头的下一行就是结束。
    """
    ticks = len(FENCE.match(lines[i]).group("ticks"))
    j = i + 1
    while j < len(lines) and not lines[j].lstrip().startswith("`" * ticks):
        j += 1
    return min(j, len(lines) - 1)


def _title(kind: str, rest: str) -> str:
    """``info "本页代码"`` → 本页代码；``note`` → Note；标签页 ``"PyTorch"`` → PyTorch。"""
    m = re.search(r'"([^"]*)"', rest)
    if m:
        return m.group(1)
    return rest.split()[0].capitalize() if rest.split() else ""


def flatten_containers(lines: list[str]) -> list[str]:
    """把标签页和提示框摊平成顶层 Markdown，缩进的内容移出 4 格（可嵌套）。"""
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if FENCE.match(line):
            j = _fence_end(lines, i)
            out += lines[i:j + 1]
            i = j + 1
            continue
        m = CONTAINER.match(line)
        if not m:
            out.append(line)
            i += 1
            continue
        k = len(m.group("indent"))
        body: list[str] = []
        j = i + 1
        while j < len(lines) and (not lines[j].strip() or _indent(lines[j]) >= k + 4):
            body.append(lines[j])
            j += 1
        while body and not body[-1].strip():
            body.pop()
            j -= 1
        body = flatten_containers([b[k + 4:] if _indent(b) >= k + 4 else b.lstrip(" ") for b in body])
        title = _title(m.group("kind"), m.group("rest"))
        pad = " " * k
        has_code = any(FENCE.match(b) for b in body)
        if m.group("kind").startswith("===") or has_code:
            # 标签页 / 含代码的提示框：一行粗体标签，内容摊平在后面（代码块要成为独立的代码单元）
            out += ([f"{pad}**{title}**", ""] if title else []) + [pad + b if b else b for b in body]
        else:
            # 纯文字提示框：引用块
            quoted = ([f"**{title}**", ""] if title else []) + body
            out += [f"{pad}> {b}".rstrip() for b in quoted]
        i = j
    return out


# ---------------------------------------------------------------------------------------------
# 切分单元


def split_cells(markdown_text: str) -> list[Cell]:
    """展开并摊平后的 Markdown → 单元列表（见模块说明）。"""
    lines = flatten_containers(markdown_text.split("\n"))
    cells: list[Cell] = []
    md: list[str] = []
    drop_next = False
    skip_next = False

    def flush():
        while md and not md[0].strip():
            md.pop(0)
        while md and not md[-1].strip():
            md.pop()
        if md:
            cells.append(Cell("markdown", "\n".join(md)))
        md.clear()

    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if EXPECTED.match(stripped):
            drop_next = True
            i += 1
            continue
        if SKIP_MARK.match(stripped):
            skip_next = True
            i += 1
            continue
        if OTHER_CODEBLOCKS.match(stripped):        # cont、importorskip：笔记本里所有单元本来就共享命名空间
            i += 1
            continue
        m = FENCE.match(line)
        if m:
            j = _fence_end(lines, i)
            n = len(m.group("indent"))
            body = [b[min(n, _indent(b)):] for b in lines[i + 1:j]]
            info = m.group("info").strip()
            if drop_next:
                pass
            elif info == "python" and not skip_next:
                flush()
                cells.append(Cell("code", "\n".join(body).strip("\n")))
            else:
                md += [f"```{info}"] + body + ["```"]
            drop_next = skip_next = False
            i = j + 1
            continue
        if HEADING.match(line):
            flush()
        md.append(ATTR_LIST.sub("", line) if stripped.endswith("}") else line)
        i += 1
    flush()
    return cells


def page_cells(page: str | Path, snippets_config: dict | None = None) -> list[Cell]:
    """章节页面 → 单元列表（包含行已展开）。"""
    text = Path(page).read_text(encoding="utf-8")
    return split_cells(expand_markdown(text, snippets_config))


# ---------------------------------------------------------------------------------------------
# 单元 → 笔记本


def intro_cells(cells: list[Cell], site_url: str | None = None) -> list[Cell]:
    """把页面的一级标题改成"…（笔记本）"，并在后面加一段说明（含安装参考包的那一行，地址见 tools/dist.py）。"""
    title = None
    if cells and cells[0].kind == "markdown" and cells[0].source.startswith("# "):
        first = cells[0].source.split("\n")
        title = first[0][2:].strip()
        rest = "\n".join(first[1:]).strip()
        cells = ([Cell("markdown", rest)] if rest else []) + cells[1:]
    cells = [Cell(c.kind, dist.render(c.source, site_url)) if c.kind == "markdown" else c for c in cells]
    heading = f"# {title}（笔记本）" if title else "# 笔记本"
    note = ("> 本笔记本由站点页面自动生成：代码单元就是页面上的代码块，顺序相同；"
            "页面上印出的结果在这里由代码现场打印。站点构建时会从头到尾执行它，任何一个单元出错都会让构建失败。\n>\n"
            "> 运行它只需要参考包 `nndl_ref`（不用克隆仓库）：在你的环境里执行\n>\n"
            f"> `{dist.install_line(site_url)}`\n>\n"
            f"> 这是站点 `{dist.DOWNLOADS}/` 下的 wheel（`nndl_ref` {dist.version()}；离线副本里在解压目录的 "
            f"`{dist.DOWNLOADS}/` 下，可以写成本地路径）；发布到 PyPI 后也可以 `pip install \"{dist.PYPI_NAME}[data]\"`。")
    return [Cell("markdown", f"{heading}\n\n{note}")] + cells


def build_notebook(cells: list[Cell], figure_loader: Callable[[str], bytes | None] | None = None,
                   base_dir: str = ""):
    """单元列表 → nbformat 笔记本（未执行）。

    ``figure_loader`` 给定时，Markdown 里引用的图片（相对于 ``base_dir`` 的站点路径）作为附件嵌入，
    下载的 ``.ipynb`` 离开站点也能显示插图；不给时图片保持相对路径（站点页面用）。
    """
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": dict(KERNELSPEC), "language_info": {"name": "python"}}
    for n, cell in enumerate(cells):
        if cell.kind == "code":
            c = nbformat.v4.new_code_cell(cell.source)
        else:
            source, attachments = cell.source, {}
            if figure_loader is not None:
                def embed(m):
                    src = m.group("src")
                    if re.match(r"^[a-z][a-z0-9+.-]*:", src, re.I):
                        return m.group(0)
                    data = figure_loader(posixpath.normpath(posixpath.join(base_dir, src)))
                    if data is None:
                        return m.group(0)
                    name = posixpath.basename(src)
                    mime = "image/svg+xml" if name.endswith(".svg") else f"image/{name.rsplit('.', 1)[-1]}"
                    attachments[name] = {mime: base64.b64encode(data).decode("ascii")}
                    return f"![{m.group('alt')}](attachment:{name}{m.group('title') or ''})"
                source = IMAGE.sub(embed, source)
            c = nbformat.v4.new_markdown_cell(source)
            if attachments:
                c.attachments = attachments
        c.id = f"cell-{n:03d}"                     # 固定的 id：同样的页面生成同样的文件
        nb.cells.append(c)
    return nb


def to_percent(nb) -> str:
    """笔记本 → jupytext percent 格式的 ``.py`` 文本。"""
    import jupytext

    return jupytext.writes(nb, fmt="py:percent")


def to_ipynb(nb) -> str:
    import nbformat

    return nbformat.writes(nb) + "\n"


def chapter_notebook(page: str | Path, snippets_config: dict | None = None,
                     figure_loader: Callable[[str], bytes | None] | None = None):
    """章节页面 → nbformat 笔记本（含标题说明）。"""
    cells = intro_cells(page_cells(page, snippets_config))
    return build_notebook(cells, figure_loader=figure_loader, base_dir=chapter_slug(page))


def code_cells(notebook_py: str) -> list[str]:
    """读回 percent 格式的 ``.py``，给出代码单元的源码（测试用：与页面上的代码块比对）。"""
    import jupytext

    nb = jupytext.reads(notebook_py, fmt="py:percent")
    return [c.source for c in nb.cells if c.cell_type == "code"]


def write_all(out_dir: Path = DEFAULT_OUT, docs_dir: Path = DOCS) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for page in chapter_pages(docs_dir):
        nb = chapter_notebook(page)
        slug = chapter_slug(page)
        for path, text in [(out_dir / f"{slug}.py", to_percent(nb)), (out_dir / f"{slug}.ipynb", to_ipynb(nb))]:
            path.write_text(text, encoding="utf-8")
            written.append(path)
    return written


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUT
    for p in write_all(out):
        print(p)
