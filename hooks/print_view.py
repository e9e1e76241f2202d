"""全书打印版（mkdocs-print-site-plugin 生成的 ``print_page/``）只收正文：去掉导航里的"API 参考"一节。

插件的 ``exclude`` 只能排除页面，排除后导航里的"API 参考"及其三个小节标题还会作为空的章标题留在打印版里；
这里在插件记下导航之后（hooks 在所有插件之后运行）把这一节从打印版的目录里拿掉，站点本身的导航不变。
章节笔记本页不在导航里，由插件的 ``exclude`` 排除（见 mkdocs.yml）。

每节末尾的"本节用到的 API"折叠框（hooks/api_pages.py）链接到 API 参考页，而打印版里没有这些页，链接会变成
死锚点；构建结束后从打印版里去掉这些折叠框。

插件用 404 页的模板上下文渲染打印版，于是 Material 的 ``__config`` 里 ``"base"`` 是 404 页的 ``"/"``：
站点不在域名根目录下、或者离线副本从 file:// 打开时，搜索索引就加载失败。构建结束后把它改成打印版自己的相对路径。
"""

from __future__ import annotations

import re
from pathlib import Path

from mkdocs.utils import get_relative_url

PRINT_SKIP = {"API 参考"}


def on_nav(nav, config, files, **kwargs):
    plugin = config.plugins.get("print-site")
    renderer = getattr(plugin, "renderer", None)
    if renderer is not None and getattr(renderer, "items", None) is not None:
        renderer.items = [item for item in renderer.items if item.title not in PRINT_SKIP]
    return nav


def on_post_build(config, **kwargs):
    plugin = config.plugins.get("print-site")
    page = getattr(plugin, "print_page", None)
    if page is None or not plugin.config.get("enabled"):
        return
    path = Path(page.file.abs_dest_path)
    html = path.read_text(encoding="utf-8")
    base = get_relative_url(".", page.file.url)          # "print_page/" → ".."；离线副本的 "print_page.html" → "."
    if '"base": "/"' not in html:
        raise RuntimeError(f"print_view：在 {path} 里没有找到 Material 的 __config base，插件的输出变了？")
    html = html.replace('"base": "/"', f'"base": "{base}"', 1)
    html = API_BOX.sub("", html)
    path.write_text(html, encoding="utf-8")


API_BOX = re.compile(r'<details class="abstract">\s*<summary>本节用到的 API</summary>.*?</details>\s*', re.S)
