"""数值梯度检查（中心差分）：每一个手写反向传播都用它来验证。

中心差分

$$
\\frac{\\partial f}{\\partial x_i} \\approx \\frac{f(x + h e_i) - f(x - h e_i)}{2h}
$$

的截断误差是 $O(h^2)$，比单侧差分的 $O(h)$ 小得多。对于输出为数组的函数
``f``，给定上游梯度 ``df``（形状同 ``f(x)``），向量-雅可比积
$\\sum_j df_j\\, \\partial f_j / \\partial x_i$ 用同样的差分近似。

对应书中：第 4.4 节（反向传播）的梯度检验；所有章节的测试都使用本模块。
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from ._validate import as_float_array, check_positive


def numerical_gradient(f: Callable[[np.ndarray], float], x: np.ndarray, h: float = 1e-6) -> np.ndarray:
    """标量函数 ``f`` 在 ``x`` 处的数值梯度（中心差分，原地扰动后恢复 ``x``）。

    Parameters
    ----------
    f : callable
        接收 ``x``、返回标量的函数。
    x : ndarray, float64
        求导点；会被临时修改，返回前恢复原值。
    h : float
        差分步长。

    Returns
    -------
    ndarray
        与 ``x`` 同形状的梯度近似。

    Examples
    --------
    >>> import numpy as np
    >>> g = numerical_gradient(lambda v: float(np.sum(v ** 2)), np.array([1.0, -2.0]))
    >>> np.round(g, 6)
    array([ 2., -4.])
    """
    return numerical_vjp(lambda v: np.asarray(f(v), dtype=np.float64), x, np.array(1.0), h=h)


def numerical_vjp(f: Callable[[np.ndarray], np.ndarray], x: np.ndarray, df, h: float = 1e-6) -> np.ndarray:
    """数组值函数的向量-雅可比积 $\\sum_j df_j \\, \\partial f_j/\\partial x$（中心差分）。

    Examples
    --------
    >>> import numpy as np
    >>> x = np.array([0.5, 2.0])
    >>> np.round(numerical_vjp(lambda v: v ** 3, x, np.ones(2)), 5)  # 3 x^2
    array([ 0.75, 12.  ])
    """
    if not callable(f):
        raise TypeError(f"f 应为函数 x -> 数组，实际得到 {type(f).__name__}")
    if not isinstance(x, np.ndarray) or not np.issubdtype(x.dtype, np.floating):
        raise TypeError("x 应为浮点 ndarray（建议 float64，float32 的差分误差太大）")
    as_float_array(x, "x")
    df = as_float_array(df, "df").astype(np.float64, copy=False)
    check_positive(h, "h")
    grad = np.zeros_like(x, dtype=np.float64)
    it = np.nditer(x, flags=["multi_index"], op_flags=[["readwrite"]])
    while not it.finished:
        i = it.multi_index
        old = x[i]
        try:                                            # f 出错时也把 x 恢复原样
            x[i] = old + h
            f_plus = np.array(f(x), dtype=np.float64, copy=True)
            x[i] = old - h
            f_minus = np.array(f(x), dtype=np.float64, copy=True)
        finally:
            x[i] = old
        if f_plus.shape != df.shape:
            raise ValueError(f"df 的形状应与 f(x) 的输出相同 {f_plus.shape}，实际为 {df.shape}")
        grad[i] = np.sum((f_plus - f_minus) * df) / (2 * h)
        it.iternext()
    return grad


def rel_error(a, b, eps: float = 1e-12) -> float:
    """相对误差 $\\|a-b\\| / \\max(\\|a\\|+\\|b\\|, \\epsilon)$（整体的 2-范数，不逐元素）。

    用范数而不是逐元素比值：接近 0 的分量上的差分噪声不会把误差放大成 1。

    Examples
    --------
    >>> rel_error([1.0, 2.0], [1.0, 2.0])
    0.0
    """
    a = as_float_array(a, "a").astype(np.float64, copy=False)
    b = as_float_array(b, "b").astype(np.float64, copy=False)
    check_positive(eps, "eps")
    if a.shape != b.shape:
        raise ValueError(f"两个数组形状不同：{a.shape} 与 {b.shape}")
    denom = max(float(np.linalg.norm(a) + np.linalg.norm(b)), eps)
    return float(np.linalg.norm(a - b) / denom)


def check_gradient(f: Callable[[np.ndarray], float], x: np.ndarray, analytic, h: float = 1e-6,
                   tol: float = 1e-6) -> float:
    """把解析梯度 ``analytic`` 与数值梯度比较；相对误差超过 ``tol`` 时抛出 ``AssertionError``。

    返回相对误差，便于在页面上打印。
    """
    check_positive(tol, "tol")
    if np.shape(analytic) != np.shape(x):
        raise ValueError(f"analytic 的形状应与 x 相同 {np.shape(x)}，实际为 {np.shape(analytic)}")
    num = numerical_gradient(f, x, h=h)
    err = rel_error(analytic, num)
    if not err <= tol:
        raise AssertionError(f"梯度检查失败：相对误差 {err:.3e} > {tol:.1e}")
    return err
