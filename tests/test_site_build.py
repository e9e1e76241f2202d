"""站点构建：``mkdocs build --strict`` 通过；输出里没有任何外部资源；KaTeX 与插图是站点自己的文件；
一旦混进外部资源，构建就失败。"""

from __future__ import annotations

import gzip
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "hooks"))
from external_guard import external_assets  # noqa: E402

from nndl_ref.figures import FIGURES  # noqa: E402


def test_build_has_no_external_assets(built_site):
    assert external_assets(built_site) == []


def test_katex_and_figures_are_served_by_the_site(built_site):
    assert (built_site / "assets/katex/katex.min.js").is_file()
    assert (built_site / "assets/katex/contrib/auto-render.min.js").is_file()
    assert list((built_site / "assets/katex/fonts").glob("*.woff2"))
    for path in FIGURES:
        assert (built_site / path).is_file(), path
    html = (built_site / "ch03-linear/index.html").read_text(encoding="utf-8")
    for name in ["perceptron", "decision-regions", "ce-vs-mse", "surrogate-losses", "softmax-digits-curve"]:
        assert f'src="figures/{name}.svg"' in html, name
    # KaTeX 的 CSS 引用的字体文件都在（浏览器优先用 woff2）
    css = (built_site / "assets/katex/katex.min.css").read_text(encoding="utf-8")
    for font in set(re.findall(r"url\((fonts/[^)]+\.woff2)\)", css)):
        assert (built_site / "assets/katex" / font).is_file(), font


def test_no_google_fonts_and_cjk_font_stack(built_site):
    html = (built_site / "ch03-linear/index.html").read_text(encoding="utf-8")
    assert "fonts.googleapis" not in html and "fonts.gstatic" not in html
    css = (built_site / "stylesheets/extra.css").read_text(encoding="utf-8")
    assert "PingFang SC" in css and "Microsoft YaHei" in css


def test_formulas_are_left_for_katex(built_site):
    html = (built_site / "ch03-linear/index.html").read_text(encoding="utf-8")
    assert html.count('class="arithmatex"') > 30
    assert "\\(" in html and "\\[" in html


def test_tabs_are_linked_and_named(built_site):
    html = (built_site / "ch03-linear/index.html").read_text(encoding="utf-8")
    assert html.count("NumPy 从零实现") >= 4 and html.count(">PyTorch<") >= 4
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "content.tabs.link" in config


def test_search_index_segments_chinese(built_site):
    """jieba 分词用 U+200B 分隔词语；术语词典让"交叉熵"成为一个完整的词（整词搜索才能命中）。"""
    import json

    index = json.loads((built_site / "search/search_index.json").read_text(encoding="utf-8"))
    text = " ".join(doc["text"] for doc in index["docs"])
    assert "\u200b交叉熵\u200b" in text and "\u200b感知器\u200b" in text


def test_chapter_page_weight_budget(built_site):
    """第 3 章页面首次访问的传输量（gzip 后）低于 500 KB（不含搜索索引）。浏览器测试另行实测。"""
    page = built_site / "ch03-linear/index.html"
    html = page.read_text(encoding="utf-8")
    assets = [page]
    for ref in re.findall(r'(?:src|href)="([^"#?]+\.(?:js|css|svg))"', html):
        p = (page.parent / ref).resolve()
        if p.is_file() and "search" not in p.name:
            assets.append(p)
    total = sum(len(gzip.compress(p.read_bytes())) for p in set(assets))
    print(f"第 3 章页面（HTML+CSS+JS+SVG，gzip）：{total / 1024:.0f} KB，{len(set(assets))} 个文件")
    assert total < 500 * 1024


def test_external_asset_makes_the_build_fail(tmp_path, monkeypatch):
    """把一个 CDN 脚本加进配置，strict 构建必须失败。（笔记本不执行：这里只关心外部资源检查。）"""
    monkeypatch.setenv("NNDL_EXECUTE_NOTEBOOKS", "0")
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, PluginError

    cfg = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(tmp_path / "site"),
                      extra_javascript=["https://cdn.example.invalid/evil.js"])
    with pytest.raises((Abort, PluginError)):
        build(cfg)


def test_guard_detects_external_references(tmp_path):
    (tmp_path / "a.html").write_text('<html><head><link rel="stylesheet" href="https://x.invalid/a.css">'
                                     '<script src="//cdn.invalid/b.js"></script></head>'
                                     '<body><a href="https://ok.invalid/">链接不是资源</a>'
                                     '<img src="figures/ok.svg"></body></html>', encoding="utf-8")
    (tmp_path / "b.css").write_text("@font-face{src:url(https://fonts.invalid/x.woff2)}", encoding="utf-8")
    found = external_assets(tmp_path)
    assert len(found) == 3, found


def test_api_reference_is_generated_from_the_package(built_site):
    """API 参考页由 mkdocstrings 从文档字符串生成：包里的公开类都在，且带着书中章节。"""
    html = (built_site / "api/nndl_ref.numpy.linear/index.html").read_text(encoding="utf-8")
    import nndl_ref.numpy.linear as NL

    for name in NL.__all__:
        assert f'id="nndl_ref.numpy.linear.{name}"' in html, name
    assert "书中：第 3.3 节" in html
    # 每个对象后面的"本站讲解"链接指向第 3 章的某个小节
    assert 'href="../../ch03-linear/#' in html
    index = (built_site / "api/index.html").read_text(encoding="utf-8")
    assert 'href="nndl_ref.numpy.conv/"' in index


def test_404_page_is_chinese_and_lists_the_chapters(built_site):
    """404 页面（overrides/404.html）是中文的，并列出每一章的链接（绝对于站点根目录，任何地址下都能用）。"""
    html = (built_site / "404.html").read_text(encoding="utf-8")
    assert "404：没有这一页" in html and "Not found" not in html
    for chapter in sorted(p.name for p in (ROOT / "docs").glob("ch*") if p.is_dir()):
        assert f'href="/{chapter}/"' in html, chapter


def test_print_page_has_every_chapter_but_no_api_reference(built_site):
    """全书打印版（mkdocs-print-site-plugin + hooks/print_view.py）：每章、每个附录各一节，按导航顺序；
    API 参考与笔记本不在里面；章节页上有通向它的按钮。"""
    html = (built_site / "print_page/index.html").read_text(encoding="utf-8")
    titles = re.findall(r"<h1 id=\"[^\"]*\">(第 \d+ 章[^<]*)<", html)
    assert [t.split()[1] for t in titles] == [str(i) for i in range(1, 10)], titles
    for appendix in ["数学基础", "勘误表", "术语表", "符号表", "性能基准"]:
        assert appendix in html, appendix
    assert not re.search(r"<h1[^>]*>\s*API 参考", html)
    assert "doc-heading" not in html                                                  # mkdocstrings 的条目
    assert "jp-Notebook" not in html                                                  # mkdocs-jupyter 的单元
    assert '"base": ".."' in html          # hooks/print_view.py：相对路径，站点放在子路径下搜索也能用
    assert "本节用到的 API" not in html     # 链接到 API 参考的折叠框（打印版里没有 API 页）被去掉
    assert "本节用到的 API" in (built_site / "ch03-linear/index.html").read_text(encoding="utf-8")
    chapter = (built_site / "ch03-linear/index.html").read_text(encoding="utf-8")
    assert 'href="../print_page/"' in chapter and "全书打印版" in chapter


# ---------------------------------------------------------------- 读者安装参考包（hooks/wheel.py、tools/dist.py）
sys.path.insert(0, str(ROOT / "tools"))
import dist  # noqa: E402


def test_site_serves_the_wheel(built_site):
    """站点在固定路径 downloads/nndl_ref-<版本>-py3-none-any.whl 发布参考包，与从工作树构建的 wheel 内容逐字节相同。"""
    import zipfile

    served = built_site / dist.wheel_path_in_site()
    assert served.is_file(), f"站点里没有 {dist.wheel_path_in_site()}"

    def members(path):
        with zipfile.ZipFile(path) as z:
            return {n: z.read(n) for n in z.namelist()}

    assert members(served) == members(dist.build_wheel())   # 内容逐字节相同（zip 里的时间戳不比）
    names = list(members(served))
    assert "nndl_ref/numpy/optim.py" in names and "nndl_ref/torch/trainer.py" in names
    assert not any(n.startswith(("tests/", "snippets/", "docs/")) for n in names), "wheel 里只有参考包本身"


def test_every_chapter_page_and_notebook_says_how_to_install(built_site):
    line = dist.install_line(None).replace('"', "&quot;")          # 本地构建：make serve 的地址，浏览时换成实际地址
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert line in home and 'id="install"' in home
    assert f'pip install "{dist.PYPI_NAME}[data]"' in home.replace("&quot;", '"')
    for page in sorted((ROOT / "docs").glob("ch*/index.md")):
        slug = page.parent.name
        html = (built_site / slug / "index.html").read_text(encoding="utf-8")
        box = html[html.index("本页代码"):][:4000]
        assert line in box, f"{slug}：“本页代码”里没有安装命令"
        assert 'href="../#install"' in box, slug
        assert "NNDL_" not in html, f"{slug}：页面里留下了没有替换的占位符"
        notebook = (built_site / slug / "notebook" / "index.html").read_text(encoding="utf-8")
        assert dist.wheel_name() in notebook and "make install" not in notebook, slug
        ipynb = (built_site / slug / "notebook" / f"{slug}.ipynb").read_text(encoding="utf-8")
        assert dist.wheel_name() in ipynb and "NNDL_" not in ipynb, slug
    # 运行代码不需要克隆仓库或 make：只有首页"参与编写"一节提到它们
    for html_file in built_site.rglob("*.html"):
        rel = html_file.relative_to(built_site).as_posix()
        if rel.startswith(("api/", "print_page/", "appendix/testing/", "appendix/benchmarks/")) or rel == "index.html":
            continue
        text = html_file.read_text(encoding="utf-8")
        for phrase in ("make install", "克隆仓库后", "pip install -e"):
            assert phrase not in text, f"{rel} 让读者 {phrase}"


def test_no_repository_links_without_a_repository(built_site):
    """本地构建没有 NNDL_REPO_URL：不出现编辑、查看源文件、报告问题的链接（不留死链接）。"""
    html = (built_site / "ch03-linear" / "index.html").read_text(encoding="utf-8")
    assert 'rel="edit"' not in html and "issues/new" not in html and "/blob/main/" not in html


def test_repository_links_from_the_environment(monkeypatch):
    """设置了 NNDL_REPO_URL（Pages 工作流）：repo_url/edit_uri 来自它；“本页代码”的文件名链接到仓库里的文件。"""
    from mkdocs.config import load_config

    import repo_links

    monkeypatch.setenv("NNDL_REPO_URL", "https://github.com/example/nndl-notes")
    monkeypatch.setenv("NNDL_REPO_BRANCH", "trunk")
    cfg = repo_links.on_config(load_config(str(ROOT / "mkdocs.yml")))
    assert cfg.repo_url == "https://github.com/example/nndl-notes"
    assert cfg.edit_uri == "edit/trunk/docs/"
    monkeypatch.delenv("NNDL_REPO_URL")
    cfg = repo_links.on_config(load_config(str(ROOT / "mkdocs.yml")))
    assert cfg.repo_url is None and cfg.edit_uri is None
    box = ('<div class="admonition info">\n<p class="admonition-title">本页代码</p>\n<ul>\n'
           '<li>来自 <code>snippets/ch07-optim/</code>：<code>sgd.py</code>、<code>nope.py</code></li>\n'
           '<li><code>nndl_ref/numpy/optim.py</code>；<code>$x$</code></li>\n</ul>\n</div>')
    out = repo_links.link_box(box, "https://github.com/example/nndl-notes")
    base = "https://github.com/example/nndl-notes"
    assert f'<a href="{base}/tree/trunk/snippets/ch07-optim"><code>snippets/ch07-optim/</code></a>' in out
    assert f'<a href="{base}/blob/trunk/snippets/ch07-optim/sgd.py"><code>sgd.py</code></a>' in out
    assert f'<a href="{base}/blob/trunk/nndl_ref/numpy/optim.py"><code>nndl_ref/numpy/optim.py</code></a>' in out
    assert "<code>nope.py</code>" in out and "nope.py</code></a>" not in out    # 仓库里没有的路径不加链接
    assert repo_links.link_box("<p><code>sgd.py</code></p>", base) == "<p><code>sgd.py</code></p>"  # 框外不动


def test_chapter_page_without_install_line_fails_the_build():
    import wheel as wheel_hook
    from mkdocs.exceptions import PluginError

    class F:
        src_uri = "ch03-linear/index.md"

    class P:
        file = F()

    class C:
        site_url = None

    with pytest.raises(PluginError, match="安装说明"):
        wheel_hook.on_page_markdown("# 第 3 章\n没有安装说明", P(), C(), None)
    wheel_hook.on_page_markdown('!!! info "本页代码"\n    --8<-- "install.md"\n', P(), C(), None)
    out = wheel_hook.on_page_content("<code>NNDL_PIP_INSTALL</code>", P(), C(), None)
    assert out == f"<code>{dist.install_line(None).replace(chr(34), '&quot;')}</code>"
