"""站点发布参考包 ``nndl_ref`` 的 wheel，页面上给出一行就能安装的 ``pip install``。

- ``on_files``：用 ``tools/dist.py`` 从工作树构建 wheel（按源代码哈希缓存，几秒钟），作为站点文件
  ``downloads/nndl_ref-<版本>-py3-none-any.whl`` 发布（``File.generated``，不写进 docs/）；离线副本
  用同一个钩子，所以 zip 里也带着它。
- ``on_page_content``：把页面里的 ``NNDL_PIP_INSTALL`` 换成安装命令（``site_url`` 下的绝对地址，没有
  ``site_url`` 时是 ``make serve`` 的本地地址），``NNDL_PYPI_NAME`` 换成将来在 PyPI 上的名字，
  ``NNDL_VERSION`` 换成版本号。浏览时 ``docs/javascripts/install.js`` 再把地址换成页面实际所在的站点
  （镜像、子路径、``file://`` 下的离线副本都对）。
- 构建时检查（``on_page_markdown``）：每个章节页都必须包含安装说明（``--8<-- "install.md"``），否则构建失败。
"""

from __future__ import annotations

import html as htmllib
import re
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
import dist  # noqa: E402

CHAPTER = re.compile(r"^ch\d\d-[^/]+/index\.md$")


def on_files(files, config):
    try:
        wheel = dist.build_wheel()
    except RuntimeError as exc:
        raise PluginError(str(exc)) from exc
    files.append(File.generated(config, dist.wheel_path_in_site(), abs_src_path=str(wheel)))
    return files


def on_page_markdown(markdown, page, config, files):
    src = page.file.src_uri
    if CHAPTER.match(src) and '--8<-- "install.md"' not in markdown:
        raise PluginError(f"{src}：章节页的“本页代码”里缺少安装说明（--8<-- \"install.md\"）")
    return markdown


def on_page_content(html, page, config, files):
    """占位符在包含的片段里（pymdownx.snippets 在渲染 Markdown 时才展开它），所以在 HTML 上替换。"""
    return dist.render(html, config.site_url, escape=htmllib.escape)
