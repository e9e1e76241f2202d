"""离线副本：按 mkdocs-offline.yml 构建的整站从 file:// 打开就能读——公式排版、插图加载、搜索可用，
不向任何 http(s) 主机发请求。``make build`` 把它打包成 site/nndl-offline.zip。

为控制测试时间，这里构建时不执行笔记本（NNDL_EXECUTE_NOTEBOOKS=0；执行由 test_notebooks.py 在正式构建上检查）。
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def test_offline_copy_is_self_contained(offline_site):
    sys.path.insert(0, str(ROOT / "hooks"))
    from external_guard import external_assets

    assert external_assets(offline_site) == []
    # 搜索索引内联成脚本；file:// 下的 Worker 垫片是站点自己的文件，没有 CDN 地址
    assert (offline_site / "search" / "search_index.js").read_text(encoding="utf-8").startswith("var __index = ")
    html = (offline_site / "index.html").read_text(encoding="utf-8")
    assert 'src="assets/javascripts/iframe-worker-shim.js"' in html
    assert "unpkg.com" not in html and "iframe-worker/shim" not in html
    # 链接指向 .html 文件（file:// 下没有目录到 index.html 的映射），离线副本里不再链接 zip 自己
    assert 'href="ch03-linear/index.html"' in html
    assert "nndl-offline.zip" not in html
    # 每章的笔记本页与下载文件也在离线副本里
    for page in sorted((ROOT / "docs").glob("ch*/index.md")):
        slug = page.parent.name
        assert (offline_site / slug / "notebook.html").is_file(), slug
        assert (offline_site / slug / f"{slug}.ipynb").is_file(), slug
        assert f'href="{slug}.ipynb" download' in (offline_site / slug / "notebook.html").read_text(encoding="utf-8")
    # 参考包的 wheel 也在里面（首页的安装说明指向它；pip 认 file:// 地址和本地路径）
    sys.path.insert(0, str(ROOT / "tools"))
    import dist

    assert (offline_site / dist.wheel_path_in_site()).is_file()
    # 全书打印版也在里面，路径相对（file:// 下搜索索引等资源才找得到）
    printed = (offline_site / "print_page.html").read_text(encoding="utf-8")
    assert '"base": "."' in printed and "第 9 章" in printed


def test_make_build_produces_the_archive():
    """make build 之后调用 make offline，它把离线副本打包进 site/（站点页脚链接这个文件）。"""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    build = re.search(r"^build:.*?(?=^\S)", makefile, flags=re.MULTILINE | re.DOTALL).group(0)
    assert "offline" in build
    assert "site/nndl-offline.zip" in makefile and "mkdocs-offline.yml" in makefile
    footer = (ROOT / "overrides" / "partials" / "copyright.html").read_text(encoding="utf-8")
    assert "nndl-offline.zip" in footer


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        if os.environ.get("CI"):
            raise RuntimeError("CI 中必须有 Chromium")
        pytest.skip("没有找到 Chromium，跳过浏览器测试。安装方法：sudo apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        yield b
        b.close()


def open_file(browser, path: Path):
    """以 file:// 打开页面；任何 http(s) 请求都拦下并记录。"""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    remote, failed, errors = [], [], []

    def route(r):
        if r.request.url.startswith(("http:", "https:", "ws:", "wss:")):
            remote.append(r.request.url)
            r.abort()
        else:
            r.continue_()

    page.route("**/*", route)
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.as_uri(), wait_until="load")
    return page, remote, failed, errors


@pytest.mark.browser
def test_offline_chapter_page_formulas_figures(browser, offline_site):
    page, remote, failed, errors = open_file(browser, offline_site / "ch03-linear" / "index.html")
    page.wait_for_function("""() => { const m = [...document.querySelectorAll('.arithmatex')];
        return m.length > 30 && m.every(el => el.querySelector('.katex')); }""", timeout=20000)
    assert page.evaluate("document.querySelectorAll('.katex-error').length") == 0
    page.wait_for_function("""() => [...document.querySelectorAll('article img')].length >= 3 &&
        [...document.querySelectorAll('article img')].every(i => i.complete && i.naturalWidth > 0)""", timeout=20000)
    assert remote == [] and failed == [] and errors == [], (remote, failed, errors)
    # 安装命令指向解压目录里的 wheel（file:// 地址，pip 认它）
    sys.path.insert(0, str(ROOT / "tools"))
    import dist

    lines = page.evaluate("[...document.querySelectorAll('code')].map(c => c.textContent)"
                          ".filter(t => t.startsWith('pip install \"nndl_ref'))")
    assert lines == [f'pip install "nndl_ref[data] @ {offline_site.as_uri()}/{dist.wheel_path_in_site()}"'], lines
    page.close()


@pytest.mark.browser
def test_offline_print_page(browser, offline_site):
    """离线副本里的全书打印版：file:// 下公式全部排版、插图加载、没有失败的请求（包括搜索索引）。"""
    page, remote, failed, errors = open_file(browser, offline_site / "print_page.html")
    page.wait_for_function("""() => { const m = [...document.querySelectorAll('.arithmatex')];
        return m.length > 1500 && m.every(el => el.querySelector('.katex')); }""", timeout=60000)
    assert page.evaluate("document.querySelectorAll('.katex-error').length") == 0
    page.wait_for_function("""() => [...document.querySelectorAll('#print-site-page img')].length >= 50 &&
        [...document.querySelectorAll('#print-site-page img')].every(i => i.complete && i.naturalWidth > 0)""",
                           timeout=20000)
    assert remote == [] and failed == [] and errors == [], (remote, failed, errors)
    page.close()


@pytest.mark.browser
def test_offline_notebook_page(browser, offline_site):
    page, remote, failed, errors = open_file(browser, offline_site / "ch03-linear" / "notebook.html")
    page.wait_for_function("document.querySelectorAll('.jupyter-wrapper .katex').length > 30", timeout=20000)
    text = page.inner_text("article")
    assert "$$" not in text and "\\boldsymbol" not in text
    imgs = page.evaluate("[...document.querySelectorAll('article img')].map(i => i.complete && i.naturalWidth > 0)")
    assert imgs and all(imgs)
    assert remote == [] and failed == [] and errors == [], (remote, failed, errors)
    page.close()


@pytest.mark.browser
def test_offline_search_finds_cross_entropy(browser, offline_site):
    page, remote, failed, errors = open_file(browser, offline_site / "index.html")
    box = page.locator("input.md-search__input")
    box.click()
    box.fill("交叉熵")
    page.keyboard.press("End")              # Material 在键盘事件上触发搜索
    page.wait_for_selector(".md-search-result__item", timeout=20000)
    hrefs = page.evaluate("[...document.querySelectorAll('.md-search-result__item a')].map(a => a.href)")
    assert any(h.startswith("file://") and "ch03-linear/index.html" in h for h in hrefs), hrefs
    assert remote == [] and failed == [] and errors == [], (remote, failed, errors)
    page.close()
