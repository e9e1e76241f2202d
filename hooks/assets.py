"""把 npm 安装的 KaTeX（package.json 固定版本）作为站点自己的文件发布：阅读时不请求任何 CDN。

文件在构建时从 ``node_modules/katex/dist`` 加入站点（``File.generated``），不复制进 ``docs/``。
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

KATEX_FILES = ["katex.min.js", "katex.min.css", "contrib/auto-render.min.js"]


def katex_dist(config_dir: str | Path) -> Path:
    dist = Path(config_dir) / "node_modules" / "katex" / "dist"
    if not (dist / "katex.min.js").is_file():
        raise PluginError(
            f"找不到 KaTeX：{dist}。请先运行 `make install`（它会执行 npm ci 安装 package.json 里固定版本的 katex）。")
    return dist


def on_files(files, config):
    dist = katex_dist(Path(config.config_file_path).parent)
    paths = [dist / f for f in KATEX_FILES] + sorted((dist / "fonts").glob("*.woff2"))
    for path in paths:
        rel = path.relative_to(dist).as_posix()
        files.append(File.generated(config, f"assets/katex/{rel}", abs_src_path=str(path)))
    return files
