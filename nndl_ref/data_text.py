r"""字符级语言模型用的真实文本：Python 自带的文档，每台装了 Python 的机器上都有，不下载任何东西。

默认语料是标准库里的 ``pydoc_data.topics``：``help("assert")``、``help("for")`` 等显示的那些英文说明
（约 46 万字符，PSF 许可），按主题名排序后拼接。个别发行版精简掉了 ``pydoc_data`` 时，退回到标准库里几个
一定存在的模块的源代码（``textwrap``、``string``、``this`` 等，用 ``inspect.getsourcefile`` 定位）。
不同 Python 版本的文档略有差别，所以测试只检查区间，不检查精确值。

书中第 6.1 节（语言模型是循环网络最典型的应用之一）；站点页面：`docs/ch06-rnn/index.md` 6.9 节。
"""

from __future__ import annotations

import functools
import inspect

import numpy as np

FALLBACK_MODULES = ("textwrap", "string", "this", "codecs", "json.decoder", "heapq", "bisect", "calendar")


@functools.lru_cache(maxsize=2)
def load_python_docs(max_chars: int | None = None) -> str:
    """返回 Python 文档文本（``pydoc_data.topics`` 全部主题按名字排序拼接）；``max_chars`` 截取前若干字符。

    站点页面：第 6 章 6.9.1 节（字符级语言模型的语料）。

    Examples
    --------
    >>> text = load_python_docs(2000)
    >>> len(text)
    2000
    """
    if max_chars is not None and not (isinstance(max_chars, int) and max_chars > 0):
        raise ValueError(f"max_chars 应为正整数或 None，实际为 {max_chars!r}")
    try:
        from pydoc_data.topics import topics
        text = "\n\n".join(topics[k] for k in sorted(topics))
    except ImportError:                                    # pragma: no cover - 常见发行版都带 pydoc_data
        text = _stdlib_sources()
    return text if max_chars is None else text[:max_chars]


def _stdlib_sources() -> str:
    import importlib

    parts = []
    for name in FALLBACK_MODULES:
        path = inspect.getsourcefile(importlib.import_module(name))
        with open(path, encoding="utf-8") as fh:
            parts.append(fh.read())
    return "\n\n".join(parts)


class CharVocab:
    """字符表：``encode`` 把字符串变成整数数组，``decode`` 反过来。字符按码位排序，结果可复现。

    站点页面：第 6 章 6.9.1 节。

    Examples
    --------
    >>> v = CharVocab("hello")
    >>> v.chars, v.encode("hell").tolist(), v.decode([3, 1])
    ('ehlo', [1, 0, 2, 2], 'oh')
    """

    def __init__(self, text: str):
        if not isinstance(text, str) or not text:
            raise ValueError("text 应为非空字符串")
        self.chars = "".join(sorted(set(text)))
        self.index = {c: i for i, c in enumerate(self.chars)}

    def __len__(self) -> int:
        return len(self.chars)

    def encode(self, s: str) -> np.ndarray:
        if not isinstance(s, str):
            raise TypeError(f"encode 的参数应为字符串，实际得到 {type(s).__name__}")
        missing = sorted(set(s) - set(self.index))
        if missing:
            raise ValueError(f"字符 {missing[:5]} 不在字符表里（字符表共 {len(self)} 个字符）")
        return np.fromiter((self.index[c] for c in s), dtype=np.int64, count=len(s))

    def decode(self, ids) -> str:
        ids = np.asarray(ids).reshape(-1)
        if ids.size and not np.issubdtype(ids.dtype, np.integer):
            raise TypeError(f"ids 应为整数编号，实际 dtype 为 {ids.dtype}")
        if ids.size and (ids.min() < 0 or ids.max() >= len(self)):
            raise ValueError(f"编号应在 [0, {len(self)}) 内，实际范围 [{ids.min()}, {ids.max()}]")
        return "".join(self.chars[i] for i in ids)
