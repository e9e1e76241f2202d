"""构建时生成插图：调用 ``nndl_ref.figures.FIGURES`` 里的函数，把 SVG 放进站点（只在内存里，不写 docs/，
所以 ``mkdocs serve`` 不会因为生成文件而无限重建）。页面用相对路径引用，例如 ``figures/perceptron.svg``。
"""

from __future__ import annotations


from mkdocs.structure.files import File

from nndl_ref.figures import FIGURES


def on_files(files, config):
    for path, draw in FIGURES.items():
        files.append(File.generated(config, path, content=draw()))
    return files


