"""输入检查：给出写明期望形状 / 类型 / 取值范围的错误信息，绝不默默算出错误答案。"""

from __future__ import annotations

import inspect
import math
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
    if not math.isfinite(value):
        raise ValueError(f"{name} 应为有限正数，实际为 {value!r}")
    return value


def check_same_rows(a: np.ndarray, b: np.ndarray, name_a: str, name_b: str) -> None:
    if a.shape[0] != b.shape[0]:
        raise ValueError(f"{name_a} 有 {a.shape[0]} 个样本而 {name_b} 有 {b.shape[0]} 个；两者的第 0 维应相同")


# ======================================================================== 超参数（标量）
def _interval(low, high, low_open: bool, high_open: bool) -> str:
    lo = "-∞" if low is None else f"{low:g}"
    hi = "+∞" if high is None else f"{high:g}"
    return f"{'(' if low_open or low is None else '['}{lo}, {hi}{')' if high_open or high is None else ']'}"


def check_real(value, name: str, low=None, high=None, *, low_open: bool = False, high_open: bool = False,
               integer: bool = False):
    """检查标量超参数：实数（``integer=True`` 时为整数）、有限、在区间内；原样返回。

    区间由 ``low``、``high``（``None`` 表示无界）与 ``low_open``、``high_open`` 给出，错误信息里写明它，
    如 ``momentum 应在 [0, 1) 内``。布尔值、字符串、复数、``None`` 都抛出 ``TypeError``。
    """
    where = _interval(low, high, low_open, high_open)
    kind = numbers.Integral if integer else numbers.Real
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, kind):
        raise TypeError(f"{name} 应为{'整数' if integer else '实数'}，取值在 {where} 内；实际得到 {value!r}")
    if not math.isfinite(value):
        raise ValueError(f"{name} 应为有限实数，取值在 {where} 内；实际为 {value!r}")
    if (low is not None and (value <= low if low_open else value < low)) or \
            (high is not None and (value >= high if high_open else value > high)):
        raise ValueError(f"{name} 应在 {where} 内，实际为 {value!r}")
    return value


def check_nonneg(value, name: str, integer: bool = False):
    """检查非负实数（``integer=True`` 时为非负整数）超参数，如 ``weight_decay``、``padding``。"""
    return check_real(value, name, 0, integer=integer)


def check_seed(seed, name: str = "seed"):
    """随机种子：非负整数（``numpy.random.default_rng`` 与 ``torch.manual_seed`` 都接受）。"""
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"{name} 应为非负整数（随机种子），实际得到 {seed!r}")
    if seed < 0:
        raise ValueError(f"{name} 应为非负整数（随机种子），实际为 {seed!r}")
    return seed


def check_rng(rng, name: str = "rng") -> np.random.Generator:
    """显式的随机数发生器：``numpy.random.Generator``（如 ``np.random.default_rng(0)``）。"""
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"{name} 应为 numpy.random.Generator（如 np.random.default_rng(0)），"
                        f"实际得到 {type(rng).__name__}")
    return rng


def check_choice(value, name: str, choices):
    """``value`` 应是 ``choices`` 之一（字符串选项，如 ``mode``、``cell``）。"""
    try:
        ok = any(value is c or (type(value) is type(c) and value == c) for c in choices)
    except Exception:  # pragma: no cover - 比较本身出错也算不在选项里
        ok = False
    if not ok:
        raise ValueError(f"{name} 应为 {', '.join(repr(c) for c in choices)} 之一，实际为 {value!r}")
    return value


def check_pair(value, name: str, minimum: int) -> tuple[int, int]:
    """把 ``3`` 或 ``(3, 3)`` 变成 ``(3, 3)``，并检查是不小于 ``minimum`` 的整数。"""
    pair = (value, value) if isinstance(value, numbers.Integral) else tuple(value) if isinstance(value, (tuple, list)) else None
    if pair is None or len(pair) != 2 or not all(isinstance(v, numbers.Integral) and not isinstance(v, bool)
                                                 for v in pair):
        raise TypeError(f"{name} 应为整数或两个整数的元组 (高, 宽)，实际为 {value!r}")
    if min(pair) < minimum:
        raise ValueError(f"{name} 的每一项应 ≥ {minimum}，实际为 {value!r}")
    return int(pair[0]), int(pair[1])


def check_kwargs(f, kw: dict, what: str, given: tuple[str, ...] = ()) -> dict:
    """``kw`` 应是 ``f`` 接受的关键字参数，且补齐了 ``f`` 的必填参数（``given`` 是调用者自己会传的参数）。"""
    params = {n: p for n, p in inspect.signature(f).parameters.items() if n not in given}
    unknown = sorted(set(kw) - set(params))
    missing = [n for n, p in params.items() if p.default is inspect.Parameter.empty and n not in kw]
    if unknown or missing:
        raise TypeError(f"{what} 接受的关键字参数为 {list(params)}" + (f"，多出 {unknown}" if unknown else "")
                        + (f"，缺少必填的 {missing}" if missing else ""))
    return kw


def check_bool(value, name: str) -> bool:
    """开关参数只接受 ``True`` / ``False``（``"False"`` 这样的字符串是真值，最容易悄悄出错）。"""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} 应为 True 或 False，实际得到 {value!r}")
    return bool(value)


def check_shape(arr: np.ndarray, shape: tuple, name: str, what: str = "") -> np.ndarray:
    """``arr.shape`` 应等于 ``shape``（``None`` 的维不限）；``what`` 是形状的符号写法，如 ``"(N, D)"``。"""
    ok = len(arr.shape) == len(shape) and all(s is None or a == s for a, s in zip(arr.shape, shape))
    if not ok:
        want = "(" + ", ".join("·" if s is None else str(s) for s in shape) + ("," if len(shape) == 1 else "") + ")"
        raise ValueError(f"{name} 的形状应为 {what + ' = ' if what else ''}{want}，实际为 {tuple(arr.shape)}")
    return arr


def check_array_dict(d, name: str = "params") -> dict:
    """``{名字: 浮点 ndarray}`` 的非空字典（模型的参数、要原地更新的数组）。"""
    if not isinstance(d, dict) or not d:
        raise TypeError(f"{name} 应为非空字典 {{名字: 浮点 ndarray}}，实际得到 {type(d).__name__}")
    for k, v in d.items():
        if not isinstance(v, np.ndarray) or not np.issubdtype(v.dtype, np.floating):
            raise TypeError(f"{name}[{k!r}] 应为浮点 ndarray（会被原地更新），实际为 "
                            f"{type(v).__name__}{' ' + str(v.dtype) if isinstance(v, np.ndarray) else ''}")
    return d


def check_grads(params: dict, grads, name: str = "grads", what: str = "梯度") -> dict:
    """梯度字典：键与 ``params`` 完全相同，每个梯度是与参数同形状的有限实数数组。

    优化器在改动任何参数或内部状态之前先调用它，所以坏的梯度不会留下更新了一半的参数。
    返回 ``{名字: ndarray}``（已转成数组；浮点数组原样返回，不拷贝）。
    """
    if not isinstance(grads, dict):
        raise TypeError(f"{name} 应为字典 {{名字: {what}数组}}，键为 {sorted(params)}；实际得到 {type(grads).__name__}")
    missing, extra = sorted(set(params) - set(grads)), sorted(set(grads) - set(params), key=str)
    if missing or extra:
        raise ValueError(f"{name} 的键应与参数相同 {sorted(params)}；缺少这些参数的{what}：{missing}，多出 {extra}")
    out = {}
    for k, p in params.items():
        g = as_float_array(grads[k], f"{name}[{k!r}]")
        if g.shape != p.shape:
            raise ValueError(f"参数 {k!r} 的{what}形状应为 {p.shape}，实际为 {g.shape}")
        out[k] = g
    return out


# ======================================================================== torch 张量（只在 torch 版里调用）
def as_float_tensor(x, name: str, ndim: int | tuple[int, ...] | None = None, finite: bool = True):
    """检查 ``x`` 是浮点 ``torch.Tensor``、维数在 ``ndim`` 内、（默认）全部有限；原样返回，不拷贝。

    与 ``as_float_array`` 的错误信息相同，只是不做转换：torch 版的函数要保留输入的 dtype、设备与计算图。
    """
    import torch                                            # NumPy 版从不调用它，所以不在模块顶部导入

    if not isinstance(x, torch.Tensor):
        raise TypeError(f"{name} 应为 torch.Tensor，实际得到 {type(x).__name__}；可用 torch.as_tensor 转换")
    if not torch.is_floating_point(x):
        raise TypeError(f"{name} 应为浮点张量（实数），实际 dtype 为 {x.dtype}")
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if x.ndim not in allowed:
            want = " 或 ".join(f"{d} 维" for d in allowed)
            raise ValueError(f"{name} 应为 {want}张量，实际形状为 {tuple(x.shape)}（{x.ndim} 维）")
    if finite and not bool(torch.isfinite(x).all()):
        raise ValueError(f"{name} 含有 NaN 或 inf（期望全部为有限实数）")
    return x


def check_class_targets(model, X, y, name: str = "y"):
    """分类训练的标签：整数 (N,)、取值在 ``[0, C)``。C 由模型在两个样本上的输出宽度得到。

    试算在评估模式、不求导下进行，结束后恢复原来的训练 / 评估模式，不改动模型的参数与缓冲区：训练函数在
    更新第一步之前调用它，坏标签就不会在训练到一半时才在某个小批量上出错。
    """
    import torch

    p = next(iter(model.parameters()), None)
    probe = X[:2] if p is None else X[:2].to(device=p.device, dtype=p.dtype)
    was = model.training
    try:
        model.eval()
        with torch.no_grad():
            C = model(probe).shape[-1]
    finally:
        model.train(was)
    return as_label_tensor(y, name, n=X.shape[0], num_classes=C)


def as_label_tensor(y, name: str, n: int | None = None, num_classes: int | None = None, ndim: int = 1):
    """整数类别标签张量：整数 dtype、``ndim`` 维、第 0 维为 ``n``、取值在 ``[0, num_classes)``；原样返回。"""
    import torch

    if not isinstance(y, torch.Tensor):
        raise TypeError(f"{name} 应为 torch.Tensor（整数类别标签），实际得到 {type(y).__name__}")
    if y.dtype == torch.bool or torch.is_floating_point(y) or torch.is_complex(y):
        raise TypeError(f"{name} 应为整数类别标签，实际 dtype 为 {y.dtype}")
    if y.ndim != ndim:
        raise ValueError(f"{name} 应为 {ndim} 维整数标签张量，实际形状为 {tuple(y.shape)}")
    if n is not None and y.shape[0] != n:
        raise ValueError(f"{name} 的样本数 {y.shape[0]} 与输入的样本数 {n} 不一致")
    if num_classes is not None and y.numel() and (int(y.min()) < 0 or int(y.max()) >= num_classes):
        raise ValueError(f"{name} 的取值应在 [0, {num_classes}) 内，实际范围为 [{int(y.min())}, {int(y.max())}]")
    return y
