"""构建结束时检查输出：页面加载的任何资源（脚本、样式、图片、字体、iframe）都必须来自站点自己。

``privacy`` 插件（``assets_fetch: false``）已经会把外部资源变成错误；这里再独立地扫描一遍生成的
HTML 与 CSS，任何一处指向其他主机就让构建失败。普通的超链接 ``<a href>`` 不是资源，不在此列。
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from mkdocs.exceptions import PluginError

EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)
CSS_URL = re.compile(r"url\(\s*['\"]?((?:https?:)?//[^)'\"]+)", re.IGNORECASE)
CSS_IMPORT = re.compile(r"@import\s+['\"]((?:https?:)?//[^'\"]+)", re.IGNORECASE)
ASSET_LINK_RELS = {"stylesheet", "preload", "modulepreload", "icon", "shortcut", "apple-touch-icon",
                   "manifest", "prefetch", "preconnect", "dns-prefetch"}


class _AssetFinder(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        urls = []
        if tag in {"script", "img", "iframe", "audio", "video", "source", "embed", "track"}:
            urls += [a.get("src")]
            if a.get("srcset"):
                urls += [part.strip().split(" ")[0] for part in a["srcset"].split(",")]
        elif tag == "link" and set((a.get("rel") or "").lower().split()) & ASSET_LINK_RELS:
            urls += [a.get("href")]
        elif tag == "object":
            urls += [a.get("data")]
        if a.get("style"):
            urls += CSS_URL.findall(a["style"])
        self.found += [f"<{tag}> {u}" for u in urls if u and EXTERNAL.match(u)]


def external_assets(site_dir: str | Path) -> list[str]:
    """返回 ``site_dir`` 中所有指向其他主机的资源引用（``文件: 描述``）。测试也调用它。"""
    site_dir = Path(site_dir)
    problems: list[str] = []
    for html in site_dir.rglob("*.html"):
        finder = _AssetFinder()
        finder.feed(html.read_text(encoding="utf-8"))
        problems += [f"{html.relative_to(site_dir)}: {f}" for f in finder.found]
    for css in site_dir.rglob("*.css"):
        text = css.read_text(encoding="utf-8", errors="replace")
        problems += [f"{css.relative_to(site_dir)}: url {u}" for u in CSS_URL.findall(text) + CSS_IMPORT.findall(text)]
    return problems


def on_post_build(config):
    problems = external_assets(config.site_dir)
    if problems:
        listing = "\n  ".join(problems[:20])
        raise PluginError(f"站点引用了其他主机上的资源（阅读时会联网），构建失败：\n  {listing}")
