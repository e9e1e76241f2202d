"""真实浏览器检查：无头 Chromium 打开本地服务器上的每一页。

- 公式已被 KaTeX 排版（没有残留的原始 TeX）；
- 插图都加载成功；
- 没有任何请求发往其他主机；
- 搜索"交叉熵"能找到本章；
- 截图保存到 build/screenshots/。

需要 Debian 的 chromium 包（``apt-get install chromium``）；.ci/run 会在缺少时安装它，所以 CI 总是运行本测试。
读者机器上没有 Chromium 时跳过并说明如何安装；但在 CI（环境变量 CI）中缺少 Chromium 算失败。
"""

from __future__ import annotations

import functools
import gzip
import http.server
import os
import shutil
import threading
import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "build" / "screenshots"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

if CHROMIUM is None:
    if os.environ.get("CI"):
        raise RuntimeError("CI 中必须有 Chromium：.ci/run 应当已经执行 apt-get install chromium")
    pytest.skip("没有找到 Chromium，跳过浏览器测试。安装方法：sudo apt-get install chromium",
                allow_module_level=True)

pytestmark = pytest.mark.browser


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server(built_site):
    handler = functools.partial(_QuietHandler, directory=str(built_site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        yield b
        b.close()


def open_page(browser, server, path):
    """打开页面，记录所有请求；发往其他主机的请求一律拦截并记下。"""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    requests, foreign, failed = [], [], []
    local = urlparse(server).netloc

    def route(r):
        host = urlparse(r.request.url).netloc
        if r.request.url.startswith(("data:", "blob:")) or host == local:
            r.continue_()
        else:
            foreign.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("request", lambda r: requests.append(r.url))
    page.on("requestfailed", lambda r: failed.append(r.url))
    sizes = []                                   # (url, 未压缩字节, gzip 后字节)

    def on_response(resp):
        if resp.ok:
            body = resp.body()
            sizes.append((resp.url, len(body), len(gzip.compress(body))))

    page.on("response", on_response)
    page.goto(f"{server}/{path}", wait_until="networkidle")
    return page, requests, foreign, failed, sizes


def _site_pages():
    """站点上所有内容页面（每个 ``docs/**/*.md`` 一个，``_`` 开头的片段除外）。"""
    pages = []
    for md in sorted((ROOT / "docs").rglob("*.md")):
        rel = md.relative_to(ROOT / "docs")
        if rel.name.startswith("_"):
            continue
        url = rel.with_suffix("").as_posix()
        url = "" if url == "index" else (url[: -len("index")] if url.endswith("/index") else url + "/")
        pages.append(url)
    return pages


PAGES = _site_pages()


@pytest.mark.parametrize("path", PAGES, ids=[p or "home" for p in PAGES])
def test_page_formulas_figures_no_foreign_requests(browser, server, path):
    """每一页：公式全部由 KaTeX 排版且没有错误，插图全部加载，没有发往其他主机的请求，首次访问的传输量有上限。"""
    page, requests, foreign, failed, sizes = open_page(browser, server, path)
    n_math = page.evaluate("document.querySelectorAll('.arithmatex').length")
    if n_math:
        page.wait_for_function("""() => [...document.querySelectorAll('.arithmatex')]
            .every(el => el.querySelector('.katex'))""", timeout=20000)
    errors = page.evaluate("[...document.querySelectorAll('.katex-error')].map(e => e.textContent.slice(0, 80))")
    assert errors == [], f"KaTeX 报告了公式错误：{errors[:5]}"
    text = page.inner_text("article")
    assert "\\frac" not in text and "\\boldsymbol" not in text, "页面上残留了未排版的 TeX"
    imgs = page.evaluate("""() => [...document.querySelectorAll('article img')]
        .map(i => [i.getAttribute('src'), i.complete && i.naturalWidth > 0])""")
    broken = [src for src, ok in imgs if not ok]
    assert broken == [], f"这些插图没有加载：{broken}"
    if path.startswith("ch"):
        assert len(imgs) >= 3, f"章节页面应当有插图，只找到 {len(imgs)} 张"
        assert n_math >= 10, f"章节页面应当有公式，只找到 {n_math} 个"
    assert foreign == [], f"页面向其他主机发出了请求：{foreign}"
    assert failed == [], f"这些请求失败了：{failed}"
    SHOTS.mkdir(parents=True, exist_ok=True)
    name = path.strip("/").replace("/", "-") or "home"
    page.screenshot(path=str(SHOTS / f"{name}-top.png"))
    if path.startswith("ch"):
        page.screenshot(path=str(SHOTS / f"{name}-full.png"), full_page=True)
    # 首次访问的传输量：服务器按 gzip 压缩时的字节数（woff2 本身已压缩，按原大小计），不含搜索索引
    weight = sum(raw if url.endswith(".woff2") else gz for url, raw, gz in sizes if "search_index" not in url)
    WEIGHTS[path or "/"] = {"requests": len(requests), "gzip_kb": round(weight / 1024),
                            "raw_kb": round(sum(raw for _, raw, _ in sizes) / 1024), "formulas": n_math,
                            "figures": len(imgs)}
    print(f"{path or '首页'}：{len(requests)} 个请求，首次访问约 {weight / 1024:.0f} KB（gzip，不含搜索索引）")
    assert weight < 800 * 1024, f"首次访问 {weight / 1024:.0f} KB，超过 800 KB"
    page.close()


WEIGHTS: dict = {}


@pytest.fixture(scope="module", autouse=True)
def _write_weights():
    """把每页的传输量写到 build/page-weights.json（性能基准页引用这些数字）。"""
    yield
    if WEIGHTS:
        import json
        out = ROOT / "build" / "page-weights.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(WEIGHTS, ensure_ascii=False, indent=1), encoding="utf-8")


def test_tabs_switch_together(browser, server):
    page, *_ = open_page(browser, server, "ch03-linear/")
    page.get_by_text("PyTorch", exact=True).first.click()
    checked = page.evaluate("""() => [...document.querySelectorAll('.tabbed-set')]
        .map(s => s.querySelector('input:checked + label, input:checked')?.id || '')""")
    labels = page.evaluate("""() => [...document.querySelectorAll('.tabbed-set')].map(s => {
        const inputs = [...s.querySelectorAll(':scope > input')];
        const i = inputs.findIndex(x => x.checked);
        return s.querySelectorAll('.tabbed-labels > label')[i].textContent.trim(); })""")
    assert len(labels) >= 4 and set(labels) == {"PyTorch"}, (labels, checked)
    page.close()


def test_search_finds_chapter(browser, server):
    page, _, foreign, *_ = open_page(browser, server, "")
    box = page.locator("input.md-search__input")
    box.click()
    box.fill("交叉熵")
    page.keyboard.press("End")              # Material 在键盘事件上触发搜索；fill 只改值，不发按键
    page.wait_for_selector(".md-search-result__item", timeout=15000)
    hrefs = page.evaluate("[...document.querySelectorAll('.md-search-result__item a')].map(a => a.href)")
    assert any("ch03-linear" in h for h in hrefs), hrefs
    page.screenshot(path=str(SHOTS / "search-交叉熵.png"))
    assert foreign == []
    page.close()


def test_install_line_points_at_the_site_it_is_read_on(browser, server):
    """安装命令里的地址在浏览时换成页面实际所在的站点（这里是测试启动的本地服务器），那个地址确实能下载 wheel。"""
    sys.path.insert(0, str(ROOT / "tools"))
    import dist

    for path in ("", "ch05-cnn/"):
        page, _, foreign, failed, _ = open_page(browser, server, path)
        lines = page.evaluate("[...document.querySelectorAll('code')].map(c => c.textContent.trim())"
                              ".filter(t => t.startsWith('pip install \"nndl_ref'))")
        want = f'pip install "nndl_ref[data] @ {server}/{dist.wheel_path_in_site()}"'
        assert lines and set(lines) == {want}, lines
        status = page.evaluate(f"fetch('{server}/{dist.wheel_path_in_site()}').then(r => r.status)")
        assert status == 200
        assert foreign == [] and failed == []
        page.close()


def test_home_page_renders_without_foreign_requests(browser, server):
    page, _, foreign, failed, _ = open_page(browser, server, "")
    assert "可执行笔记" in page.title()
    assert foreign == [] and failed == []
    page.close()


def test_print_page_typesets_every_formula_and_prints_to_pdf(browser, server):
    """全书打印版：所有公式都由 KaTeX 排版、没有错误，所有插图加载，没有外部请求；
    用 Chromium 的"打印为 PDF"导出整本书（A4），写到 build/screenshots/nndl-print.pdf。"""
    page, requests, foreign, failed, _ = open_page(browser, server, "print_page/")
    n_math = page.evaluate("document.querySelectorAll('.arithmatex').length")
    assert n_math > 1500, n_math                     # 九章加附录
    page.wait_for_function("""() => [...document.querySelectorAll('.arithmatex')]
        .every(el => el.querySelector('.katex'))""", timeout=60000)
    assert page.evaluate("document.querySelectorAll('.katex-error').length") == 0
    imgs = page.evaluate("""() => [...document.querySelectorAll('#print-site-page img')]
        .map(i => [i.getAttribute('src'), i.complete && i.naturalWidth > 0])""")
    assert len(imgs) >= 50 and [s for s, ok in imgs if not ok] == []
    assert foreign == [] and failed == []
    # print-site.js 生成的目录：每章一项
    toc = page.evaluate("[...document.querySelectorAll('#print-page-toc a')].map(a => a.textContent.trim())")
    assert sum(t.startswith("第 ") for t in toc) >= 9, toc[:20]
    SHOTS.mkdir(parents=True, exist_ok=True)
    pdf = page.pdf(path=str(SHOTS / "nndl-print.pdf"), format="A4", print_background=True)
    n_pages = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
    assert n_pages > 100, n_pages
    page.close()


def test_404_page(browser, server):
    """404 页面是中文的，不向其他主机发请求，目录里的链接指向真实的章节页。"""
    page, _, foreign, failed, _ = open_page(browser, server, "404.html")
    assert "没有这一页" in page.inner_text("article")
    hrefs = page.evaluate("[...document.querySelectorAll('article a')].map(a => a.href)")
    assert sum("/ch0" in h for h in hrefs) == 9
    assert foreign == [] and failed == []
    page.close()
