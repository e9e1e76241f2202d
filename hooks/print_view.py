"""全书打印版（mkdocs-print-site-plugin 生成的 ``print_page/``）只收正文：去掉导航里的"API 参考"一节。

插件的 ``exclude`` 只能排除页面，排除后导航里的"API 参考"及其三个小节标题还会作为空的章标题留在打印版里；
这里在插件记下导航之后（hooks 在所有插件之后运行）把这一节从打印版的目录里拿掉，站点本身的导航不变。
章节笔记本页不在导航里，由插件的 ``exclude`` 排除（见 mkdocs.yml）。
"""

from __future__ import annotations

PRINT_SKIP = {"API 参考"}


def on_nav(nav, config, files, **kwargs):
    plugin = config.plugins.get("print-site")
    renderer = getattr(plugin, "renderer", None)
    if renderer is not None and getattr(renderer, "items", None) is not None:
        renderer.items = [item for item in renderer.items if item.title not in PRINT_SKIP]
    return nav
