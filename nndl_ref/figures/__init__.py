"""站点的插图：每张图是本包中的一个函数，返回 SVG 文本，构建时由 ``hooks/figures.py`` 写入站点。

测试调用同样的函数，所以插图与代码不会脱节。SVG 中的文字保留为文字（``svg.fonttype = none``），
由读者系统里的中文字体渲染，不嵌入字体、不请求外部字体。

每章一个模块 ``nndl_ref/figures/chXX.py``，其中 ``CHAPTER = "ch03-linear"``（docs 下的文件夹名）与
``FIGURES = {"perceptron": 函数, ...}``。`FIGURES` 汇总为站点路径 → 绘图函数，例如
``"ch03-linear/figures/perceptron.svg"``；页面里写 ``![说明](figures/perceptron.svg)``。
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Callable


def _collect() -> dict[str, Callable[[], str]]:
    out: dict[str, Callable[[], str]] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if not info.name.startswith("ch"):
            continue
        mod = importlib.import_module(f"{__name__}.{info.name}")
        for name, fn in mod.FIGURES.items():
            out[f"{mod.CHAPTER}/figures/{name}.svg"] = fn
    return out


FIGURES: dict[str, Callable[[], str]] = _collect()

_CACHE: dict[str, str] = {}


def render(path: str) -> str:
    """画出站点路径 ``path`` 对应的插图并缓存（同一进程内只画一次）。"""
    if path not in FIGURES:
        raise KeyError(f"没有名为 {path!r} 的插图；已有：{sorted(FIGURES)}")
    if path not in _CACHE:
        _CACHE[path] = FIGURES[path]()
    return _CACHE[path]


__all__ = ["FIGURES", "render"]
