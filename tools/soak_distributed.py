"""数据并行演示的耐久检验（不属于 make test）：连续启动 N 次 2 进程训练，统计失败次数。

    .venv/bin/python tools/soak_distributed.py -n 50 --load 1

每次都运行 ``nndl_ref.torch.distributed.launch`` 用的同一条命令 ``torchrun --standalone
--nproc_per_node=2 -m nndl_ref.torch.distributed``（失败时不重试，记下来继续）；``--load K`` 同时开 K 个
忙循环进程占住 CPU（结束时按进程号结束它们）。失败的输出存到 ``--log-dir``。

用来检验 gloo 在进程退出时偶发的 "terminate called without an active exception"（原因见
``nndl_ref/torch/distributed.py`` 的 ``_exit_without_finalizing``）：修复前在 2 核机器上、加 1 个忙循环时
约 2/100 次中止。
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=50, help="启动次数")
    ap.add_argument("--nproc", type=int, default=2)
    ap.add_argument("--load", type=int, default=1, help="同时运行的忙循环进程数")
    ap.add_argument("--log-dir", default=None, help="失败输出的目录（默认临时目录）")
    ap.add_argument("--stop-on-fail", action="store_true")
    ap.add_argument("--diag", action="store_true",
                    help="诊断：PYTHONFAULTHANDLER=1（中止时打印各线程的 Python 栈），允许 core 文件（写到 --log-dir）")
    args = ap.parse_args()

    log_dir = Path(args.log_dir or tempfile.mkdtemp(prefix="soak-ddp-"))
    log_dir.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "OMP_NUM_THREADS": "1", "CUDA_VISIBLE_DEVICES": ""}
    env.pop("WORLD_SIZE", None)
    preexec = None
    if args.diag:
        env["PYTHONFAULTHANDLER"] = "1"
        preexec = lambda: resource.setrlimit(resource.RLIMIT_CORE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
    busy = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(args.load)]
    fails = 0
    try:
        for i in range(1, args.n + 1):
            out = log_dir / f"w{i}.pt"
            cmd = [sys.executable, "-m", "torch.distributed.run", "--standalone", f"--nproc_per_node={args.nproc}",
                   "-m", "nndl_ref.torch.distributed", "--out", str(out)]
            t0 = time.perf_counter()
            try:
                p = subprocess.run(cmd, env=env, cwd=log_dir, capture_output=True, text=True, timeout=180,
                                   preexec_fn=preexec)
                rc, text = p.returncode, p.stdout + p.stderr
            except subprocess.TimeoutExpired as e:
                rc, text = "timeout", str(e.stdout) + str(e.stderr)
            dt = time.perf_counter() - t0
            ok = rc == 0 and out.exists()
            out.unlink(missing_ok=True)
            if not ok:
                fails += 1
                (log_dir / f"fail{i}.log").write_text(text)
                aborted = "terminate called" in text
                print(f"[{i}/{args.n}] FAIL rc={rc} abort={aborted} {dt:.1f}s -> {log_dir}/fail{i}.log", flush=True)
                if args.stop_on_fail:
                    break
            else:
                print(f"[{i}/{args.n}] ok {dt:.1f}s", flush=True)
    finally:
        for b in busy:
            b.kill()
            b.wait()
    print(f"failures: {fails} / {i}  (load={args.load}, logs in {log_dir})")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
