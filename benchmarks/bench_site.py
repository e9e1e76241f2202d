"""站点本身的数字：`mkdocs build` 的用时，以及每个页面首次访问要传输多少字节。

传输量按服务器 gzip 压缩计算：页面 HTML + 它引用的本站 CSS/JS + 它的插图（SVG），不含搜索索引
（只在第一次搜索时下载）。浏览器实测的数字见 ``tests/test_browser.py`` 写出的 ``build/page-weights.json``。

运行：``make bench`` 或 ``python benchmarks/bench_site.py``；结果写入 ``benchmarks/results/site.md`` 与 ``.json``。
"""

from __future__ import annotations

import gzip
import json
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


def _build(args: list[str], extra: dict, out: Path) -> float:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **extra}
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", *args, "-d", str(out)],
                   cwd=ROOT, env=env, check=True)
    return time.perf_counter() - t0


def _last_test_run() -> tuple[list[str], str] | None:
    """tests/conftest.py 在每次完整的 ``make test`` 之后写的 build/last-test-run.json：(表格行, 说明)。"""
    path = ROOT / "build" / "last-test-run.json"
    if not path.exists():
        return None
    rec = json.loads(path.read_text(encoding="utf-8"))
    if not rec.get("full_run"):
        return None
    status = "通过" if rec["exitstatus"] == 0 else f"失败（退出码 {rec['exitstatus']}）"
    note = (f"`make test` 一行是 {rec['date'][:16].replace('T', ' ')} 那次完整运行（{status}：{rec.get('passed', 0)} 通过、"
            f"{rec.get('skipped', 0)} 跳过、{rec.get('failed', 0)} 失败），由 `tests/conftest.py` 写在 `build/last-test-run.json`。")
    return ["`make test` 的 pytest 部分（最近一次完整运行；含站点构建、全部笔记本的执行与浏览器检查）",
            f"{rec['seconds']:.0f} s", "", ""], note


def main() -> None:
    out = Path(__file__).resolve().parent / "results" / "site.md"
    if not out.exists():          # 性能基准页包含本文件；第一次运行时先放一个占位，构建完成后被真实结果覆盖
        out.write_text("（尚未测量：运行 `make bench`。）\n", encoding="utf-8")
    cache = ROOT / "build" / "jupyter-cache"
    cached = cache.exists() and any(cache.iterdir())
    with tempfile.TemporaryDirectory() as tmp:
        site, offline = Path(tmp) / "site", Path(tmp) / "offline"
        # 与 make build 相同：站点（笔记本执行，结果按内容指纹缓存）+ 离线副本
        build_s = _build([], {"NNDL_EXECUTE_NOTEBOOKS": "1", "NNDL_NOTEBOOK_CACHE": "1"}, site)
        offline_s = _build(["-f", "mkdocs-offline.yml"],
                           {"NNDL_OFFLINE": "true", "NNDL_EXECUTE_NOTEBOOKS": "1", "NNDL_NOTEBOOK_CACHE": "1"}, offline)
        zipped = Path(tmp) / "nndl-offline.zip"
        subprocess.run([sys.executable, "-m", "zipfile", "-c", str(zipped), str(offline)], check=True)
        how = ("笔记本的执行结果按内容指纹缓存，没改动的章节不重新执行；从头执行全部笔记本约再多 3–4 分钟" if cached
               else "从头执行了全部笔记本")
        rows = [[f"`make build` 第一步：`mkdocs build --strict`（插图、API 参考、打印版、笔记本；{how}）", f"{build_s:.1f} s", "", ""],
                ["`make build` 第二步：离线副本（`make offline`，`site/nndl-offline.zip`）", f"{offline_s:.1f} s", "",
                 f"{zipped.stat().st_size / 1024 ** 2:.1f} MB"]]
        last = _last_test_run()
        if last:
            rows.append(last[0])
        for md in sorted((ROOT / "docs").glob("ch*/index.md")):
            html = site / md.parent.name / "index.html"
            weight, n = page_weight(site, html)
            title = md.read_text(encoding="utf-8").splitlines()[0].lstrip("# ")
            rows.append([f"页面：{title}", f"{weight / 1024:.0f} KB", str(n),
                         f"{html.stat().st_size / 1024:.0f} KB"])
        html = site / "print_page" / "index.html"
        weight, n = page_weight(site, html)
        rows.append(["页面：全书打印版（print_page/）", f"{weight / 1024:.0f} KB", str(n), f"{html.stat().st_size / 1024:.0f} KB"])
    write_table("site", "站点本身：构建与测试用时，每章页面的首次访问传输量",
                ["项目", "用时 / gzip 传输量", "引用的本站资源数", "HTML 原始大小"], rows,
                notes="传输量 = 页面 HTML + 引用的本站 CSS/JS/SVG，按 gzip 计，不含搜索索引、KaTeX 字体和系统字体；"
                      "离线副本一行的最后一列是 zip 的大小。"
                      + (last[1] if last else "（本机还没有完整运行过 `make test`，所以不列它的用时。）"))


if __name__ == "__main__":
    main()
