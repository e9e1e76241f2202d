"""站点本身的数字：`mkdocs build` 的用时，以及每个页面首次访问要传输多少字节。

传输量按服务器 gzip 压缩计算：页面 HTML + 它引用的本站 CSS/JS + 它的插图（SVG），不含搜索索引
（只在第一次搜索时下载）。浏览器实测的数字见 ``tests/test_browser.py`` 写出的 ``build/page-weights.json``。

运行：``make bench`` 或 ``python benchmarks/bench_site.py``；结果写入 ``benchmarks/results/site.md`` 与 ``.json``。
"""

from __future__ import annotations

import gzip
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urljoin, urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import write_table  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
REF = re.compile(r'(?:src|href)="([^"#?]+\.(?:css|js|svg|png))"')


def page_weight(site: Path, html_path: Path) -> tuple[int, int]:
    """(gzip 后的字节数, 引用的资源数)。"""
    html = html_path.read_bytes()
    total = len(gzip.compress(html))
    url = "/" + html_path.relative_to(site).as_posix()
    seen = set()
    for ref in REF.findall(html.decode("utf-8")):
        if urlparse(ref).netloc:
            continue
        target = site / urljoin(url, ref).lstrip("/")
        if target in seen or not target.exists():
            continue
        seen.add(target)
        total += len(gzip.compress(target.read_bytes()))
    return total, len(seen)


def main() -> None:
    out = Path(__file__).resolve().parent / "results" / "site.md"
    if not out.exists():          # 性能基准页包含本文件；第一次运行时先放一个占位，构建完成后被真实结果覆盖
        out.write_text("（尚未测量：运行 `make bench`。）\n", encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", tmp],
                       cwd=ROOT, env=env, check=True)
        build_s = time.perf_counter() - t0
        site = Path(tmp)
        rows = [["`mkdocs build --strict`（含插图、API 参考、笔记本；笔记本的执行结果按内容指纹缓存，本次来自缓存；从头执行全部笔记本约再多 3–4 分钟）", f"{build_s:.1f} s", "", ""]]
        for md in sorted((ROOT / "docs").glob("ch*/index.md")):
            html = site / md.parent.name / "index.html"
            weight, n = page_weight(site, html)
            title = md.read_text(encoding="utf-8").splitlines()[0].lstrip("# ")
            rows.append([f"页面：{title}", f"{weight / 1024:.0f} KB", str(n),
                         f"{html.stat().st_size / 1024:.0f} KB"])
    write_table("site", "站点本身：构建用时与每章页面的首次访问传输量",
                ["项目", "用时 / gzip 传输量", "引用的本站资源数", "HTML 原始大小"], rows,
                notes="传输量 = 页面 HTML + 引用的本站 CSS/JS/SVG，按 gzip 计，不含搜索索引和系统字体。"
                      "`make test` 的总用时见各次提交说明（它包含全部代码块、插图与浏览器检查）。")


if __name__ == "__main__":
    main()
