"""章节笔记本：由页面生成（tools/notebooks.py），站点构建时渲染并执行（hooks/notebooks.py + mkdocs-jupyter）。

- 生成的代码单元就是页面上的 Python 代码块（读者看到、pytest-codeblocks 运行的那些），顺序相同；
- 构建出的站点里每一章都有笔记本页面、可下载的 ``.ipynb`` 与 ``.py``，页面上有下载按钮，单元已执行；
- 笔记本页面的中文标题有非空、唯一的锚点，目录和搜索索引都指向它们；
- 任何一个单元出错，``mkdocs build`` 失败（用一个临时的小站点验证）。
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
sys.path.insert(0, str(ROOT / "tools"))
import notebooks as nbgen  # noqa: E402

CHAPTERS = nbgen.chapter_pages(DOCS)
IDS = [nbgen.chapter_slug(p) for p in CHAPTERS]
SKIP = re.compile(r"pytest\.mark\.(skip|skipif|xfail)\b")


def page_python_blocks(page: Path) -> list[str]:
    """页面展开后 pytest-codeblocks 会运行的 Python 代码块（每个围栏一块；跳过的不算）。"""
    from pytest_codeblocks.main import extract_from_buffer

    text = nbgen.expand_markdown(page.read_text(encoding="utf-8"))
    # 去掉 cont 标记：pytest-codeblocks 会把续写的块拼到上一块，页面上（和笔记本里）它们是分开的两块
    text = "\n".join(line for line in text.split("\n") if "pytest-codeblocks:cont" not in line)
    blocks = extract_from_buffer(io.StringIO(text))
    return [b.code.strip("\n") for b in blocks
            if b.syntax == "python" and not any(SKIP.match(m) for m in b.marks)]


def test_chapters_are_discovered():
    assert len(CHAPTERS) >= 3 and all(p.name == "index.md" for p in CHAPTERS)
    assert "ch03-linear" in IDS


@pytest.mark.parametrize("page", CHAPTERS, ids=IDS)
def test_code_cells_are_the_page_blocks(page):
    """代码单元 = 页面上的 Python 代码块，逐字、按顺序（经过 jupytext 的 .py 往返之后仍然如此）。"""
    cells = nbgen.code_cells(nbgen.to_percent(nbgen.chapter_notebook(page)))
    assert cells == page_python_blocks(page)


def test_expected_output_dropped_tabs_and_answers_flattened():
    md = textwrap.dedent('''\
        # 第 0 章 测试

        !!! info "本页代码"
            - 一行说明

        === "NumPy 从零实现"

            ```python
            print("np")
            ```

            <!--pytest-codeblocks:expected-output-->
            ```text
            np
            ```

        === "PyTorch"

            ```python
            print("torch")
            ```

        <!--pytest.mark.skip(reason="演示")-->
        ```bash
        make serve
        ```

        ??? success "答案"
            公式 $a^2$。

            ```python
            print(1)
            ```
        ''')
    cells = nbgen.split_cells(md)
    kinds = [c.kind for c in cells]
    code = [c.source for c in cells if c.kind == "code"]
    text = "\n".join(c.source for c in cells if c.kind == "markdown")
    assert code == ['print("np")', 'print("torch")', "print(1)"]
    assert kinds == ["markdown", "code", "markdown", "code", "markdown", "code"]
    assert "**NumPy 从零实现**" in text and "**PyTorch**" in text and "**答案**" in text
    assert "> **本页代码**" in text and "> - 一行说明" in text
    assert "```bash\nmake serve\n```" in text           # 不执行的命令留在 Markdown 里
    assert "np\n```" not in text and "expected-output" not in text and "pytest" not in text
    assert "公式 $a^2$。" in text


def test_download_embeds_figures():
    nb = nbgen.chapter_notebook(DOCS / "ch03-linear" / "index.md",
                                figure_loader=lambda path: b"<svg/>" if path.endswith(".svg") else None)
    attached = [name for c in nb.cells if c.cell_type == "markdown" for name in c.get("attachments", {})]
    assert "perceptron.svg" in attached
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "](attachment:perceptron.svg)" in text and "](figures/perceptron.svg)" not in text


# ---------------------------------------------------------------------------------------------
# 构建出的站点


@pytest.mark.parametrize("page", CHAPTERS, ids=IDS)
def test_built_site_has_executed_notebook_and_downloads(built_site, page):
    import nbformat

    slug = nbgen.chapter_slug(page)
    html = (built_site / slug / "notebook" / "index.html").read_text(encoding="utf-8")
    ipynb = built_site / slug / "notebook" / f"{slug}.ipynb"
    py = built_site / slug / "notebook" / f"{slug}.py"
    assert ipynb.is_file() and py.is_file()
    # 下载的 .py 就是生成器的输出；.ipynb 合法，代码单元相同
    assert nbgen.code_cells(py.read_text(encoding="utf-8")) == page_python_blocks(page)
    nb = nbformat.reads(ipynb.read_text(encoding="utf-8"), as_version=4)
    nbformat.validate(nb)
    assert [c.source for c in nb.cells if c.cell_type == "code"] == page_python_blocks(page)
    # 下载按钮：笔记本页与章节页都有（说明框里的按钮 + 右上角的图标按钮）
    assert f'href="{slug}.ipynb" download' in html and f'href="{slug}.py" download' in html
    chapter = (built_site / slug / "index.html").read_text(encoding="utf-8")
    assert f'href="notebook/{slug}.ipynb" download' in chapter and 'href="notebook/"' in chapter
    assert chapter.count('class="md-content__button md-icon" download') == 1
    # 单元在构建时执行过：每个代码单元都有一个执行序号（打印了东西的单元还有输出区）
    n_code = len(page_python_blocks(page))
    assert len(re.findall(r"In\s\[\d+\]:", html)) == n_code
    if n_code:
        assert "jp-OutputArea-output" in html
    # 公式留给站点的 KaTeX（$ 分隔符），不加载 MathJax / mermaid 的 CDN 脚本，样式是站点里的文件
    assert "cdnjs" not in html and "mathjax" not in html.lower()
    assert "<style" not in html and 'href="../../assets/notebooks/' in html


@pytest.mark.parametrize("page", CHAPTERS, ids=IDS)
def test_notebook_headings_have_anchors(built_site, page):
    slug = nbgen.chapter_slug(page)
    html = (built_site / slug / "notebook" / "index.html").read_text(encoding="utf-8")
    article = html[html.index("<article"):html.index("</article>")]
    ids = re.findall(r"<h[1-6][^>]*\sid=\"([^\"]*)\"", article)
    headings = re.findall(r"<h[1-6][\s>]", article)
    assert ids and len(ids) == len(headings), "每个标题都要有 id"
    assert "" not in ids and len(set(ids)) == len(ids), ids
    # 章节页的二级标题在笔记本里有同样的锚点（同一个 slugify）
    chapter = (built_site / slug / "index.html").read_text(encoding="utf-8")
    h2 = set(re.findall(r'<h2 id="([^"]+)"', chapter))
    assert h2 <= set(ids), h2 - set(ids)
    # 右侧目录的链接都指向页面上存在的锚点
    toc = re.findall(r'<a href="#([^"]+)" class="md-nav__link">', html)
    assert toc and set(toc) <= set(ids)


def test_search_index_has_unique_locations_for_notebook_headings(built_site):
    from urllib.parse import unquote

    index = json.loads((built_site / "search/search_index.json").read_text(encoding="utf-8"))
    for page in CHAPTERS:
        slug = nbgen.chapter_slug(page)
        prefix = f"{slug}/notebook/"
        locs = [d["location"] for d in index["docs"] if d["location"].startswith(prefix)]
        assert locs and locs[0] == prefix, locs[:3]
        anchors = [unquote(loc[len(prefix):]) for loc in locs[1:]]
        assert all(a.startswith("#") and len(a) > 1 for a in anchors), anchors
        assert len(set(locs)) == len(locs), locs
        html = (built_site / prefix / "index.html").read_text(encoding="utf-8")
        for a in anchors:
            assert f'id="{a[1:]}"' in html, a
        if slug == "ch03-linear":
            assert "#31-线性判别函数" in anchors and "#36-铰链损失与支持向量机" in anchors
    # 笔记本页的条目排在章节页之后
    assert all(d.get("boost") == 0.5 for d in index["docs"] if "/notebook/" in d["location"])


# ---------------------------------------------------------------------------------------------
# 单元出错 → 构建失败（临时的小站点，用与 mkdocs.yml 相同的 mkdocs-jupyter 设置）


def _mini_site(tmp_path: Path, code: str) -> Path:
    from mkdocs.config import load_config

    jupyter = dict(load_config(str(ROOT / "mkdocs.yml")).plugins["mkdocs-jupyter"].config)
    (tmp_path / "docs" / "ch01-mini").mkdir(parents=True)
    (tmp_path / "docs" / "index.md").write_text("# 首页\n", encoding="utf-8")
    (tmp_path / "docs" / "ch01-mini" / "index.md").write_text(
        f"# 第 1 章 小测试\n\n## 1.1 第一节\n\n```python\nx = 1\nprint(x)\n```\n\n"
        f"## 1.2 第二节\n\n```python\n{code}\n```\n", encoding="utf-8")
    config = {
        "site_name": "mini", "strict": True, "theme": {"name": "material", "language": "zh"},
        "nav": [{"首页": "index.md"}, {"第 1 章": "ch01-mini/index.md"}],
        "plugins": [{"mkdocs-jupyter": {k: jupyter[k] for k in
                                        ["include", "execute", "allow_errors", "kernel_name", "include_source",
                                         "cache", "cache_dir"]}}],
        "hooks": [str(ROOT / "hooks" / "notebooks.py")],
        "markdown_extensions": ["pymdownx.snippets", "pymdownx.superfences"],
    }
    (tmp_path / "mkdocs.yml").write_text(json.dumps(config, ensure_ascii=False), encoding="utf-8")
    return tmp_path / "mkdocs.yml"


def _build(config: Path):
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "NNDL_EXECUTE_NOTEBOOKS": "1"}
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config)],
                          cwd=config.parent, env=env, capture_output=True, text=True, timeout=300)


def test_mini_site_builds_with_a_passing_notebook(tmp_path):
    proc = _build(_mini_site(tmp_path, 'print("第二节", x + 1)'))
    assert proc.returncode == 0, proc.stderr[-3000:]
    html = (tmp_path / "site" / "ch01-mini" / "notebook" / "index.html").read_text(encoding="utf-8")
    assert "第二节 2" in html                                  # 执行过
    assert 'id="11-第一节"' in html and 'id="12-第二节"' in html


def test_error_in_a_cell_fails_the_build(tmp_path):
    proc = _build(_mini_site(tmp_path, 'raise RuntimeError("笔记本单元出错")'))
    assert proc.returncode != 0
    assert "笔记本单元出错" in proc.stdout + proc.stderr
