"""训练函数共用的小工具：在一段代码里临时限定 torch 的线程数，结束后（包括出错时）恢复原值。

本包的模型都很小（手写数字、MNIST-1D），多线程的同步开销比计算本身还大，所以训练函数默认 ``threads=1``；
``None`` 表示不改动。
"""

from __future__ import annotations

import contextlib

import torch


@contextlib.contextmanager
def limit_threads(threads: int | None):
    """``with limit_threads(1): ...``：块内 ``torch.get_num_threads() == threads``，退出时恢复。``None`` 表示不改。"""
    if threads is not None and (not isinstance(threads, int) or threads < 1):
        raise ValueError(f"threads 应为正整数或 None，收到 {threads!r}")
    old = torch.get_num_threads()
    if threads is not None:
        torch.set_num_threads(threads)
    try:
        yield
    finally:
        torch.set_num_threads(old)
