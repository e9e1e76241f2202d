"""输入检查：给出写明期望形状 / 类型 / 取值范围的错误信息，绝不默默算出错误答案。"""

from __future__ import annotations

import numbers

import numpy as np


def as_float_array(x, name: str, ndim: int | tuple[int, ...] | None = None,
                   dtype=np.float64, allow_nan: bool = False) -> np.ndarray:
    """把 ``x`` 转成浮点 ndarray，并检查维数与有限性。

    ``ndim`` 可以是整数或整数元组（允许的几种维数）。
    """
    if isinstance(x, (str, bytes)) or x is None:
        raise TypeError(f"{name} 应为数值数组（array-like），实际得到 {type(x).__name__}")
    try:
        arr = np.asarray(x)
    except Exception as exc:  # pragma: no cover - numpy 自己的报错已足够清楚
        raise TypeError(f"{name} 无法转换为数值数组：{exc}") from exc
    if arr.dtype == object or not (np.issubdtype(arr.dtype, np.number) or arr.dtype == np.bool_):
        raise TypeError(f"{name} 应为数值数组，实际 dtype 为 {arr.dtype}")
    if np.issubdtype(arr.dtype, np.complexfloating):
        raise TypeError(f"{name} 应为实数数组，实际 dtype 为 {arr.dtype}")
    if dtype is not None and not np.issubdtype(arr.dtype, np.floating):
        arr = arr.astype(dtype)
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if arr.ndim not in allowed:
            want = " 或 ".join(f"{d} 维" for d in allowed)
            raise ValueError(f"{name} 应为 {want}数组，实际形状为 {arr.shape}（{arr.ndim} 维）")
    if not allow_nan and not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} 含有 NaN 或 inf；请先清洗数据（期望全部为有限实数）")
    return arr


def as_labels(y, name: str, n: int | None = None, num_classes: int | None = None) -> np.ndarray:
    """检查整数类别标签：一维、整数、取值在 ``[0, num_classes)``、长度为 ``n``。"""
    arr = np.asarray(y)
    if arr.ndim != 1:
        raise ValueError(f"{name} 应为一维整数标签数组 (N,)，实际形状为 {arr.shape}")
    if not np.issubdtype(arr.dtype, np.integer):
        if np.issubdtype(arr.dtype, np.floating) and np.all(np.isfinite(arr)) and np.all(arr == np.round(arr)):
            arr = arr.astype(np.int64)
        else:
            raise TypeError(f"{name} 应为整数类别标签，实际 dtype 为 {arr.dtype}")
    if n is not None and arr.shape[0] != n:
        raise ValueError(f"{name} 的样本数 {arr.shape[0]} 与输入的样本数 {n} 不一致")
    if num_classes is not None and arr.size and (arr.min() < 0 or arr.max() >= num_classes):
        raise ValueError(
            f"{name} 的取值应在 [0, {num_classes}) 内，实际范围为 [{arr.min()}, {arr.max()}]")
    return arr.astype(np.int64, copy=False)


def as_pm1_labels(y, name: str, n: int | None = None) -> np.ndarray:
    """检查取值为 ±1 的二分类标签（感知器、铰链损失用）。"""
    arr = np.asarray(y)
    if arr.ndim != 1:
        raise ValueError(f"{name} 应为一维 ±1 标签数组 (N,)，实际形状为 {arr.shape}")
    if not np.issubdtype(arr.dtype, np.number):
        raise TypeError(f"{name} 应为数值标签，实际 dtype 为 {arr.dtype}")
    if n is not None and arr.shape[0] != n:
        raise ValueError(f"{name} 的样本数 {arr.shape[0]} 与输入的样本数 {n} 不一致")
    if not np.all(np.isin(arr, (-1, 1))):
        bad = np.unique(arr[~np.isin(arr, (-1, 1))])[:5]
        raise ValueError(f"{name} 的取值应为 +1 或 -1，发现 {bad.tolist()}；"
                         "若标签是 0/1，可用 2*y-1 转换")
    return arr.astype(np.float64)


def as_01_targets(y, name: str, shape: tuple[int, ...] | None = None) -> np.ndarray:
    """检查二分类目标：取值在 [0, 1]（允许软标签），形状与预测一致。"""
    arr = as_float_array(y, name)
    if shape is not None and arr.shape != shape:
        raise ValueError(f"{name} 的形状应与预测相同 {shape}，实际为 {arr.shape}")
    if arr.size and (arr.min() < 0 or arr.max() > 1):
        raise ValueError(f"{name} 的取值应在 [0, 1] 内，实际范围为 [{arr.min()}, {arr.max()}]")
    return arr


def check_positive(value, name: str, integer: bool = False):
    """检查超参数为正数（``integer=True`` 时还须为整数）。"""
    kind = numbers.Integral if integer else numbers.Real
    if isinstance(value, bool) or not isinstance(value, kind):
        raise TypeError(f"{name} 应为{'正整数' if integer else '正数'}，实际得到 {value!r}")
    if not value > 0:
        raise ValueError(f"{name} 应大于 0，实际为 {value!r}")
    return value


def check_same_rows(a: np.ndarray, b: np.ndarray, name_a: str, name_b: str) -> None:
    if a.shape[0] != b.shape[0]:
        raise ValueError(f"{name_a} 有 {a.shape[0]} 个样本而 {name_b} 有 {b.shape[0]} 个；两者的第 0 维应相同")
