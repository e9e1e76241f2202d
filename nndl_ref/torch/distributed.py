r"""数据并行的演示与检验：用 ``torchrun`` 启动 $P$ 个进程跑 ``nndl_ref.torch.trainer.train``。

对应书中第 7.2.1 节（小批量梯度下降：一个批量的梯度是各样本梯度的平均，可以分给多个进程算）；
站点页面：第 7 章 ``ch07-optim``。每个进程持有一份完整的模型，拿全局批量里属于自己的一份样本
做前向与反向；``DistributedDataParallel`` 在反向时对梯度做 all-reduce 求平均，于是各进程的参数
更新完全相同。命令行：

    torchrun --standalone --nproc_per_node=2 -m nndl_ref.torch.distributed --out w.pt

跨机器时去掉 ``--standalone``，在每台机器上运行同一条命令，加上 ``--nnodes=机器数
--node_rank=本机序号 --master_addr=主机地址 --master_port=端口``。本模块的 ``main`` 训练一个固定的
小问题并由 0 号进程保存参数；``launch`` 用 ``python -m torch.distributed.run``（即 ``torchrun``）
在本机启动它，测试与页面都调用它。
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

import torch
from torch import nn


def demo_problem(seed: int = 0):
    r"""固定的小问题：三类螺旋（300 个点），2-32-3 的 MLP，float64。

    返回 ``(model, X, y, config)``。全局批量取奇数 45：两个进程分到 23 与 22 个样本，正好检验
    "块损失乘以 $|\mathcal{B}_k|/|\mathcal{B}|\cdot P$"的加权（简单平均两个进程的梯度在这里会出错）。
    """
    from .. import data
    from .regularization import mlp
    from .trainer import TrainConfig

    X, y = data.make_spirals(n_per_class=100, seed=seed)
    torch.manual_seed(seed)
    model = mlp([2, 32, 3]).double()
    cfg = TrainConfig(epochs=4, batch_size=45, lr=0.1, optimizer="momentum", seed=seed, progress=False, threads=1)
    return model, X, y, cfg


def main(argv=None) -> None:
    """``torchrun`` 启动的每个进程执行它：初始化进程组、训练 ``demo_problem``、0 号进程保存参数。"""
    from .trainer import distributed_info, init_distributed, train

    parser = argparse.ArgumentParser(description="数据并行训练 nndl_ref 的演示问题")
    parser.add_argument("--out", required=True, help="0 号进程把训练后的 state_dict 存到这里")
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    init_distributed()
    model, X, y, cfg = demo_problem()
    train(model, X, y, config=cfg)
    rank, world = distributed_info()
    if rank == 0:
        torch.save({"state": model.state_dict(), "world_size": world}, args.out)
    if torch.distributed.is_initialized():
        # 先等所有进程都走到这里（0 号进程存完参数、各进程的通信都已完成）再拆进程组
        torch.distributed.barrier()
        torch.distributed.destroy_process_group()


def _exit_without_finalizing(code: int = 0) -> None:
    """刷新输出后用 ``os._exit`` 结束进程，跳过 Python 解释器的收尾（finalization）。

    原因（torch 2.13 + gloo + Python 3.11，用 core 文件确认过）：gloo 的工作线程完成一次通信、唤醒等待它的
    主线程之后，才放下自己对这个 Work 对象的引用。如果它是最后一个持有者，析构要拿 GIL：Work 里有 Python
    对象（``_all_sum`` 交给 all-reduce 的张量；DDP 在 ``loss.backward()`` 里发起的 all-reduce 还带着存在线程
    局部状态里的 ``contextvars`` 上下文；gloo 的 barrier 的 Work 又引用着之前的 Work）。而 DDP 让进程组对象
    活到进程结束，``destroy_process_group`` 之后 gloo 的工作线程仍在、不会被 join。机器很忙、这个线程恰好
    被挂起时，主线程已经走完 ``main`` 进入解释器收尾；这时拿 GIL 的线程被 Python 用 ``pthread_exit``
    结束，强制栈展开穿过 noexcept 的析构函数 → ``std::terminate``（"terminate called without an active
    exception"，SIGABRT，没有 Python 栈）。``barrier`` 挡不住：它保证通信完成，不保证工作线程已放下引用，
    而且最后那个 barrier 自己的 Work 就会这样被放下。参见 pytorch/pytorch#117762（同一条栈）；
    Python 3.14 起这类线程改为挂起而不是 ``pthread_exit``（python/cpython#87135）。

    训练结果已由 0 号进程存盘、进程组已拆除，解释器收尾对这个进程没有别的用处，直接结束。
    """
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def launch(nproc: int, out: str, timeout: float = 120.0) -> subprocess.CompletedProcess:
    """在本机启动 ``nproc`` 个 CPU 进程（gloo）运行 ``main``；超时或失败时抛出带输出的异常。

    等价于命令 ``torchrun --standalone --nproc_per_node=nproc -m nndl_ref.torch.distributed --out out``。
    """
    # --standalone：单机时由 torchrun 自己绑定一个空闲端口（端口 0），不会与同机的其他进程抢端口
    cmd = [sys.executable, "-m", "torch.distributed.run", "--standalone", f"--nproc_per_node={nproc}",
           "-m", "nndl_ref.torch.distributed", "--out", str(out)]
    env = {**os.environ, "OMP_NUM_THREADS": "1", "CUDA_VISIBLE_DEVICES": ""}
    env.pop("WORLD_SIZE", None)
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"torchrun 失败（返回码 {proc.returncode}）：\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}")
    return proc


if __name__ == "__main__":
    main()
    _exit_without_finalizing(0)   # 不走解释器收尾，见该函数的说明
