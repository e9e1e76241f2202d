"""构建时生成插图：调用 ``nndl_ref.figures.FIGURES`` 里的函数，把 SVG 放进站点（只在内存里，不写 docs/，
所以 ``mkdocs serve`` 不会因为生成文件而无限重建）。页面用相对路径引用，例如 ``figures/perceptron.svg``。

同一进程里的 SVG 会缓存（``nndl_ref.figures.render``）：``mkdocs serve`` 下改页面文字时不必重画所有插图。
改了 ``nndl_ref`` 的绘图代码后，请重启 ``make serve``。
"""

from __future__ import annotations

from mkdocs.structure.files import File

from nndl_ref.figures import FIGURES, render


def on_files(files, config):
    for path in FIGURES:
        files.append(File.generated(config, path, content=render(path)))
    return files
