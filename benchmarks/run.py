"""运行 benchmarks/ 下所有 ``bench_*.py``，每个在独立进程中运行（互不干扰）。

用法：``python benchmarks/run.py [名字片段 ...]``，例如 ``python benchmarks/run.py rnn conv`` 只运行这两个。

``python benchmarks/run.py --check [名字片段 ...]``（``make bench-check``）：重跑，但把结果写到 ``build/bench-rerun/``
（不覆盖提交的结果），再由 ``benchmarks/check.py`` 与提交的结果逐条比较，报告是否在噪声范围内。

有些机器的环境里设置了 ``OPENBLAS_CORETYPE``（与 ``OPENBLAS_L2_SIZE``），强制 OpenBLAS 使用较老一代 CPU 的
矩阵乘法内核（旧版 OpenBLAS 在这些处理器上会算错或崩溃；NumPy 自带的新版没有这个问题）。它让 NumPy 的矩阵乘法
明显变慢，而 torch 不受影响，NumPy ÷ torch 的比值就不再反映实现本身。所以基准进程里去掉这两个变量
（只在基准进程里；测试和 CI 不改动），每张表写明 NumPy 实际使用的内核（threadpoolctl 报告）。
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

here = Path(__file__).resolve().parent
args = sys.argv[1:]
check = "--check" in args
wanted = [a for a in args if a != "--check"]
env = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
if check:
    rerun = Path("build/bench-rerun").resolve()
    if rerun.exists():
        shutil.rmtree(rerun)
    env["NNDL_BENCH_RESULTS"] = str(rerun)
dropped = sorted(set(os.environ) - set(env))
if dropped:
    print(f"基准进程中去掉了环境变量：{', '.join(dropped)}（见本文件说明）", flush=True)
failed = 0
for script in sorted(here.glob("bench_*.py")):
    if wanted and not any(w in script.stem for w in wanted):
        continue
    print(f"\n=== {script.name} ===", flush=True)
    failed += subprocess.run([sys.executable, str(script)], env=env).returncode != 0
if check:
    failed += subprocess.run([sys.executable, str(here / "check.py"), str(here / "results"), str(rerun)], env=env).returncode != 0
sys.exit(1 if failed else 0)
