"""机器的天花板：矩阵乘法的 GFLOP/s（NumPy 的 BLAS 与 PyTorch，float32 与 float64）。

其他基准里的 NumPy ÷ PyTorch 比值都应该对照这个数来读：两者最终都落到 GEMM 上，
GEMM 以外的开销（搬数据、临时数组、Python 循环）才是比值偏离 1 的原因。

运行：``make bench`` 或 ``python benchmarks/bench_matmul.py``；结果写入 ``benchmarks/results/matmul.md`` 与 ``.json``。
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402
import torch  # noqa: E402

from _common import timeit, write_table  # noqa: E402


def main() -> None:
    rows = []
    for n in (256, 1024):
        for dtype in ("float32", "float64"):
            rng = np.random.default_rng(0)
            A = rng.standard_normal((n, n)).astype(dtype)
            B = rng.standard_normal((n, n)).astype(dtype)
            tA, tB = torch.from_numpy(A), torch.from_numpy(B)
            flops = 2 * n ** 3
            repeat = 30 if n == 256 else 7
            t_np = timeit(lambda: A @ B, repeat=repeat)
            t_th = timeit(lambda: tA @ tB, repeat=repeat)
            rows.append([f"{n}×{n} {dtype}", f"{flops / t_np / 1e9:.1f} GFLOP/s", f"{flops / t_th / 1e9:.1f} GFLOP/s",
                         f"{t_np * 1e3:.2f} ms", f"{t_th * 1e3:.2f} ms"])
    write_table("matmul", "机器的天花板：方阵乘法 C = AB", ["规模与类型", "NumPy", "PyTorch", "NumPy 用时", "PyTorch 用时"],
                rows, notes=f"NumPy 的 BLAS：{_blas()}。每种设置取 7–30 次的中位数。")


def _blas() -> str:
    try:
        info = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        return f"{info.get('name', '?')} {info.get('version', '')}".strip()
    except Exception:  # noqa: BLE001 — 不同 NumPy 版本的配置格式不同，只用于说明
        return "未知"


if __name__ == "__main__":
    main()
