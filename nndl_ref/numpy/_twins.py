"""NumPy 孪生模型（MNIST-1D 的 CNN、GRU、Transformer）共用的两件小事：从 torch 的 ``state_dict`` 拷参数，
训练期间限定 BLAS 的线程数。私有模块：公开的是各模型自己的 ``load_torch_state_dict`` 与训练函数。"""

from __future__ import annotations

import contextlib

import numpy as np

from .._validate import as_float_array, check_positive


def copy_state_dict(params: dict[str, np.ndarray], state_dict, names: dict[str, str] | None = None) -> None:
    """把 torch 的 ``state_dict()``（张量或数组）拷进 ``params``（原地，优化器持有的数组仍然有效）。

    ``names`` 是 {本模型的参数名: torch 的键}，``None`` 表示两边同名。缺键或形状不同时抛出 ``ValueError``；
    全部检查通过后才拷贝，所以出错时模型保持原样。不导入 torch。
    """
    names = names if names is not None else {k: k for k in params}
    new = {}
    for name, key in names.items():
        if key not in state_dict:
            raise ValueError(f"state_dict 里缺少 {key!r}（对应 {name}）；实际的键：{sorted(state_dict)[:8]} …")
        v = state_dict[key]
        v = v.detach().cpu().double().numpy() if hasattr(v, "detach") else v     # 张量 → 数组
        new[name] = v = as_float_array(v, key)
        if v.shape != params[name].shape:
            raise ValueError(f"{key} 的形状应为 {params[name].shape}，实际为 {v.shape}")
    for name, v in new.items():
        params[name][...] = v


def blas_threads(threads: int | None):
    """训练期间 BLAS（OpenBLAS）使用的线程数：小矩阵上多线程的同步开销比计算还大，默认 1；``None`` 表示不改。"""
    if threads is None:
        return contextlib.nullcontext()
    check_positive(threads, "threads", integer=True)
    from threadpoolctl import threadpool_limits        # scikit-learn 的依赖，随本包一起安装

    return threadpool_limits(limits=threads, user_api="blas")
