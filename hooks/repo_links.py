"""指向源代码仓库的链接：只在知道仓库地址时出现（本地构建没有死链接）。

仓库地址来自环境变量（Pages 工作流按它所在的仓库设置，见 .github/workflows/deploy.yml）：

- ``NNDL_REPO_URL``：例如 ``https://github.com/OWNER/REPO``，mkdocs.yml 的 ``repo_url`` 读它；
- ``NNDL_REPO_BRANCH``：分支，默认 ``main``；``edit_uri`` 由它得出（``edit/<分支>/docs/``），
  没有 ``NNDL_REPO_URL`` 时 ``edit_uri`` 清空（否则 MkDocs 会生成相对的"编辑"死链接）。

有仓库地址时，每页右上角有"编辑此页""查看源文件"（Material 的 content.action.*）和"报告问题"
（overrides/main.html），"本页代码"框里的文件名链接到仓库里的文件（本钩子的 ``on_page_content``）。
"""

from __future__ import annotations

import html as htmllib
import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BOX = re.compile(r'(<div class="admonition info">\s*<p class="admonition-title">本页代码</p>)(.*?)(</div>)', re.S)
CODE = re.compile(r"<code>([^<]+)</code>")
LI = re.compile(r"<li>.*?</li>", re.S)


def branch() -> str:
    return os.environ.get("NNDL_REPO_BRANCH") or "main"


def on_config(config):
    if config.repo_url:
        if not os.environ.get("NNDL_EDIT_URI"):
            config.edit_uri = f"edit/{branch()}/docs/"
    else:
        config.edit_uri = None
        config.edit_uri_template = None
    return config


def source_url(repo_url: str, path: str) -> str | None:
    """仓库里 ``path`` 的网址（文件 blob、目录 tree）；仓库里没有这个路径时返回 None。"""
    target = ROOT / path
    if not path or ".." in Path(path).parts or not target.exists():
        return None
    kind = "tree" if target.is_dir() else "blob"
    return f"{repo_url.rstrip('/')}/{kind}/{branch()}/{path.rstrip('/')}"


def link_box(html: str, repo_url: str) -> str:
    """"本页代码"框里的 ``<code>路径</code>`` 换成仓库链接。只写了文件名的（``sgd.py``）按同一条目里
    前面出现的目录（``snippets/ch07-optim/``）解析；解析不到仓库里真实存在的路径时保持原样。"""

    def item(m: re.Match) -> str:
        folder = ""

        def code(c: re.Match) -> str:
            nonlocal folder
            text = htmllib.unescape(c.group(1))
            path = text if "/" in text else folder + text
            if text.endswith("/"):
                folder = text
            url = source_url(repo_url, path)
            return f'<a href="{htmllib.escape(url)}"><code>{c.group(1)}</code></a>' if url else c.group(0)

        return CODE.sub(code, m.group(0))

    return BOX.sub(lambda b: b.group(1) + LI.sub(item, b.group(2)) + b.group(3), html)


def on_page_content(html, page, config, files):
    if config.repo_url:
        return link_box(html, config.repo_url)
    return html
