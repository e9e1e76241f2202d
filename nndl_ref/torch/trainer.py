r"""可信的训练循环（PyTorch 版）：提前停止、原子检查点、断点续训、确定性、梯度累积、数据并行。

对应书中第 7.2.1 节（小批量梯度下降）与第 7.7.3 节（提前停止）；站点页面：第 7 章 ``ch07-optim``。
第 3–5 章用的简单循环 ``nndl_ref.torch.train.fit`` 保持不变；本模块的 ``train`` 在它之上加了：

- **提前停止**看**验证集**损失：连续 ``patience`` 个 epoch 没有比最好值低 ``min_delta`` 就停，并恢复
  验证损失最低时的参数。训练损失几乎总在下降，拿它判断等于不停（见勘误表）。
- **检查点原子写入**：先写同目录下的临时文件、``fsync``，再 ``os.replace`` 改名；改名是原子操作，
  进程在写到一半时被杀，旧的检查点仍然完好（``tests/test_ch07_trainer.py`` 真的去杀进程）。
- **断点续训**：检查点里有模型、优化器、调度器、早停状态、历史记录和全部随机数发生器的状态；
  每个 epoch 的数据顺序由 ``seed`` 与 epoch 序号决定。中断后续训得到的参数与一口气训完的逐位相同。
- **确定性**：``seed_everything`` 固定 Python、NumPy、torch 的随机数；CPU 上同样的种子给出逐位相同的结果。
- **梯度累积**与**数据并行**用同一个公式：一个全局批量 $\mathcal{B}$ 被切成若干块 $\mathcal{B}_k$
  （分给不同进程，或在同一进程里依次计算），每块的损失乘以 $|\mathcal{B}_k|/|\mathcal{B}|$ 再反向，
  梯度相加就正好是整批平均损失的梯度：

  $$\nabla_\theta \mathcal{R}_{\mathcal{B}} = \sum_k \frac{|\mathcal{B}_k|}{|\mathcal{B}|}\nabla_\theta\mathcal{R}_{\mathcal{B}_k}$$

  在 ``torchrun --nproc_per_node=P`` 下，``DistributedDataParallel`` 把 $P$ 个进程的梯度**求平均**
  （all-reduce 后除以 $P$），所以每个进程的块损失再乘以 $P$。``batch_size`` 始终指全局批量，
  因而单进程与多进程训练走的是同一串参数更新（``tests/test_ch07_distributed.py``）。
- 进度条只在终端上出现；历史记录 ``TrainHistory`` 是数据（可存 JSON），设备自动选择。
"""

from __future__ import annotations

import contextlib
import copy
import math
import os
import random
import tempfile
import time
import dataclasses
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import torch
import torch.distributed as dist
import torch.nn.functional as F

from .._validate import as_float_tensor, check_class_targets, check_nonneg, check_positive
from ..progress import History, progress_bar, progress_enabled
from .optim import OPTIMIZERS, make_optimizer
from .schedules import make_scheduler
from .train import as_tensors, evaluate, pick_device
from ._threads import limit_threads


# ======================================================================== 配置与记录
@dataclass
class TrainConfig:
    """训练的全部超参数（一个普通的数据类，存进检查点）。书中第 7.2 节；站点第 7 章。

    ``batch_size`` 是全局批量（所有进程加起来）；``accumulate`` 是每个进程把自己那份再切成几块依次
    计算（梯度累积）；``patience`` 为 ``None`` 时不提前停止；``checkpoint`` 为检查点文件路径；
    ``threads`` 在训练期间临时设置 torch 的 CPU 线程数（小模型在繁忙的机器上单线程往往更快，训练结束后恢复）。
    """

    epochs: int = 10
    batch_size: int = 32
    lr: float = 0.1
    optimizer: str = "sgd"
    optimizer_kw: dict = field(default_factory=dict)
    schedule: str | None = None
    schedule_kw: dict = field(default_factory=dict)
    accumulate: int = 1
    patience: int | None = None
    min_delta: float = 0.0
    seed: int = 0
    checkpoint: str | None = None
    device: str | None = None
    progress: bool | None = None
    threads: int | None = None

    def __post_init__(self):
        for name in ("epochs", "batch_size", "accumulate"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int) or v <= 0:
                raise ValueError(f"{name} 应为正整数，实际为 {v!r}")
        if not self.lr > 0:
            raise ValueError(f"lr 应大于 0，实际为 {self.lr}")
        if self.patience is not None and (not isinstance(self.patience, int) or self.patience <= 0):
            raise ValueError(f"patience 应为正整数或 None，实际为 {self.patience!r}")
        if self.optimizer not in OPTIMIZERS:
            raise ValueError(f"optimizer 应为 {sorted(OPTIMIZERS)} 之一，实际为 {self.optimizer!r}")
        schedules = ("step", "exponential", "inverse_time", "cosine", "warmup", "warmup_cosine")
        if self.schedule is not None and self.schedule not in schedules:
            raise ValueError(f"schedule 应为 None 或 {schedules} 之一，实际为 {self.schedule!r}")
        for name in ("optimizer_kw", "schedule_kw"):
            if not isinstance(getattr(self, name), dict):
                raise TypeError(f"{name} 应为字典，实际为 {getattr(self, name)!r}")
        check_nonneg(self.min_delta, "min_delta")
        _check_seed(self.seed)
        if self.threads is not None:
            check_positive(self.threads, "threads", integer=True)
        if self.progress is not None and not isinstance(self.progress, bool):
            raise TypeError(f"progress 应为 True、False 或 None，实际为 {self.progress!r}")
        for name in ("checkpoint", "device"):
            v = getattr(self, name)
            if v is not None and not isinstance(v, (str, os.PathLike)):
                raise TypeError(f"{name} 应为字符串或 None，实际为 {v!r}")


@dataclass
class TrainHistory(History):
    """每个 epoch 一行的记录：``loss``、``acc``、``val_loss``、``val_acc``、``lr``（该 epoch 用的学习率），
    以及 ``best_epoch``（验证损失最低的 epoch，从 1 数）与 ``stopped_early``。"""

    lr: list[float] = field(default_factory=list)
    best_epoch: int | None = None
    stopped_early: bool = False

    def as_dict(self) -> dict:
        return {**super().as_dict(), "lr": self.lr, "best_epoch": self.best_epoch,
                "stopped_early": self.stopped_early}

    @classmethod
    def from_dict(cls, d: dict) -> "TrainHistory":
        keys = {f.name for f in dataclasses.fields(cls)}
        if not isinstance(d, dict) or not set(d) <= keys:
            raise ValueError(f"d 应为 as_dict() 的结果，键取自 {sorted(keys)}；实际为 "
                             f"{sorted(d) if isinstance(d, dict) else type(d).__name__}")
        return cls(**d)


# ======================================================================== 随机数与确定性
def seed_everything(seed: int) -> None:
    """固定 Python ``random``、NumPy 与 torch（含 CUDA）的随机数种子。书中第 7.2 节；站点第 7 章。

    CPU 上这已足够让同一台机器、同一线程数下的训练逐位可复现；GPU 上还要
    ``torch.use_deterministic_algorithms(True)`` 与环境变量 ``CUBLAS_WORKSPACE_CONFIG``（本函数在有 CUDA
    时一并设置）。
    """
    _check_seed(seed)
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)
    if torch.cuda.is_available():  # pragma: no cover - 本机没有 GPU
        os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
        torch.use_deterministic_algorithms(True, warn_only=True)


def _check_seed(seed) -> None:
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"seed 应为整数，实际得到 {seed!r}")


def _rng_state() -> dict:
    state = {"python": random.getstate(), "numpy": np.random.get_state(), "torch": torch.get_rng_state()}
    if torch.cuda.is_available():  # pragma: no cover
        state["cuda"] = torch.cuda.get_rng_state_all()
    return state


def _set_rng_state(state: dict) -> None:
    random.setstate(state["python"])
    np.random.set_state(state["numpy"])
    torch.set_rng_state(state["torch"])
    if "cuda" in state and torch.cuda.is_available():  # pragma: no cover
        torch.cuda.set_rng_state_all(state["cuda"])


def epoch_order(n: int, seed: int, epoch: int) -> torch.Tensor:
    """第 ``epoch`` 个 epoch（从 0 数）的样本顺序：只由 ``seed`` 与 ``epoch`` 决定，续训与多进程都一致。"""
    check_positive(n, "n", integer=True), _check_seed(seed), check_nonneg(epoch, "epoch", integer=True)
    g = torch.Generator().manual_seed(seed * 1_000_003 + epoch)
    return torch.randperm(n, generator=g)


# ======================================================================== 检查点
def save_checkpoint(state: dict, path: str | os.PathLike) -> Path:
    """把 ``state`` 原子地写到 ``path``：写同目录的临时文件 → ``flush`` + ``fsync`` → ``os.replace``。

    书中第 7.7.3 节；站点第 7 章。``os.replace`` 在同一文件系统上是原子的：读者要么看到旧文件，
    要么看到完整的新文件。写到一半被杀时只会留下一个 ``.tmp`` 文件，``path`` 本身不受影响。
    """
    if not isinstance(state, dict):
        raise TypeError(f"state 应为字典，实际得到 {type(state).__name__}")
    _check_path(path)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            torch.save(state, f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)                       # 原子改名
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    try:                                            # 让改名本身也落盘（目录项）
        dfd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    except OSError:  # pragma: no cover - 有的文件系统不支持对目录 fsync
        pass
    return path


def load_checkpoint(path: str | os.PathLike, map_location="cpu") -> dict:
    """读回 ``save_checkpoint`` 写的文件。检查点里有随机数状态（NumPy 数组、元组），所以用
    ``weights_only=False``：只加载自己写的文件。书中第 7.7.3 节；站点第 7 章。"""
    _check_path(path)
    return torch.load(path, map_location=map_location, weights_only=False)


def _check_path(path) -> None:
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path 应为文件路径（字符串或 pathlib.Path），实际得到 {type(path).__name__}")


# ======================================================================== 分布式
def distributed_info() -> tuple[int, int]:
    """``(rank, world_size)``：未初始化 ``torch.distributed`` 时为 ``(0, 1)``。"""
    if dist.is_available() and dist.is_initialized():
        return dist.get_rank(), dist.get_world_size()
    return 0, 1


def init_distributed() -> tuple[int, int]:
    """在 ``torchrun`` 启动的进程里初始化进程组（CPU 用 gloo，GPU 用 nccl），返回 ``(rank, world_size)``。

    书中第 7.2.1 节；站点第 7 章。没有 ``torchrun`` 设置的环境变量（``WORLD_SIZE`` 等）时什么也不做。
    """
    if int(os.environ.get("WORLD_SIZE", "1")) > 1 and not dist.is_initialized():
        backend = "nccl" if torch.cuda.is_available() else "gloo"
        dist.init_process_group(backend=backend)
        if backend == "nccl":  # pragma: no cover
            torch.cuda.set_device(int(os.environ.get("LOCAL_RANK", "0")))
    return distributed_info()


def _all_sum(values: list[float], device) -> list[float]:
    if distributed_info()[1] == 1:
        return values
    t = torch.tensor(values, dtype=torch.float64, device=device)
    dist.all_reduce(t)
    return t.tolist()


# ======================================================================== 训练循环
def _unwrap(model):
    return model.module if isinstance(model, torch.nn.parallel.DistributedDataParallel) else model


def train(model: torch.nn.Module, X, y, X_val=None, y_val=None, *, config: TrainConfig | None = None,
          loss_fn=F.cross_entropy, resume: bool = True, stop_after: int | None = None) -> TrainHistory:
    r"""训练 ``model``，返回 ``TrainHistory``；参数见 ``TrainConfig``。书中第 7.2、7.7.3 节；站点第 7 章。

    Parameters
    ----------
    model : nn.Module，``forward`` 返回 logit；其参数的 dtype 决定数据的 dtype。
    X, y : 训练数据 (N, D) 与 (N,)（NumPy 数组或张量）。
    X_val, y_val : 验证集；提前停止需要它。
    config : ``TrainConfig``，默认 ``TrainConfig()``。
    loss_fn : ``loss_fn(logits, y)``，必须是按样本**取平均**的损失。
    resume : ``config.checkpoint`` 存在时从它继续（否则从头开始并覆盖它）。
    stop_after : 本次调用最多训练的 epoch 数（之后照常写检查点并返回），用来模拟中断。

    Notes
    -----
    在 ``torchrun`` 下运行时自动初始化进程组、用 ``DistributedDataParallel`` 包装模型，每个进程取
    全局批量里属于自己的那一份（``batch[rank::P]``）。带 BatchNorm 的模型在多进程下各自用本进程的统计量
    （要与单进程一致须换成 ``SyncBatchNorm``）；带 Dropout 的模型各进程的掩码不同。

    Examples
    --------
    >>> _ = torch.manual_seed(0); net = torch.nn.Linear(2, 2)
    >>> X = torch.randn(64, 2); y = (X[:, 0] > 0).long()
    >>> h = train(net, X, y, X, y, config=TrainConfig(epochs=5, lr=0.5, batch_size=16, patience=2, threads=1))
    >>> h.epochs, h.val_acc[-1] > 0.9
    (5, True)
    """
    cfg = config if config is not None else TrainConfig()
    with limit_threads(cfg.threads or None):
        return _train(model, X, y, X_val, y_val, cfg, loss_fn, resume, stop_after)


def _train(model, X, y, X_val, y_val, cfg: TrainConfig, loss_fn, resume, stop_after) -> TrainHistory:
    if cfg.patience is not None and X_val is None:
        raise ValueError("提前停止（patience）需要验证集 X_val, y_val")
    rank, world = init_distributed()
    if torch.cuda.is_available() and cfg.device is None and world > 1:  # pragma: no cover
        device = torch.device("cuda", int(os.environ.get("LOCAL_RANK", "0")))
    else:
        device = pick_device(cfg.device)
    dtype = next(model.parameters()).dtype
    X, y = as_tensors(X, y, dtype)
    if not torch.isfinite(X).all():
        raise ValueError("X 含有 NaN 或 inf（期望全部为有限实数）")
    X, y = X.to(device), y.to(device)
    if X_val is not None:
        X_val, y_val = as_tensors(X_val, y_val, dtype)
        as_float_tensor(X_val, "X_val")
    if loss_fn is F.cross_entropy:                       # 坏标签在第一步更新之前、改动模型之前就报错
        check_class_targets(model, X, y)
        if X_val is not None:
            check_class_targets(model, X_val, y_val, "y_val")
    N = X.shape[0]
    if cfg.batch_size > N:
        raise ValueError(f"batch_size={cfg.batch_size} 大于样本数 N={N}")

    seed_everything(cfg.seed)
    model.to(device)
    optimizer = make_optimizer(cfg.optimizer, model.parameters(), cfg.lr, **cfg.optimizer_kw)
    scheduler = make_scheduler(cfg.schedule, optimizer, **cfg.schedule_kw) if cfg.schedule else None
    hist = TrainHistory()
    start, best, best_state, bad = 0, math.inf, None, 0

    ckpt = Path(cfg.checkpoint) if cfg.checkpoint else None
    if ckpt is not None and resume and ckpt.exists():
        state = load_checkpoint(ckpt, map_location=device)
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        if scheduler is not None:
            scheduler.load_state_dict(state["scheduler"])
        hist = TrainHistory.from_dict(state["history"])
        start, best, best_state, bad = state["epoch"], state["best"], state["best_state"], state["bad"]
        _set_rng_state(state["rng"])
        if hist.stopped_early:
            start = cfg.epochs                      # 上次已经提前停止：不再训练

    net = model
    if world > 1:
        net = torch.nn.parallel.DistributedDataParallel(
            model, device_ids=[device.index] if device.type == "cuda" else None)
    params = [p for p in model.parameters() if p.requires_grad]

    t0 = time.perf_counter()
    end = cfg.epochs if stop_after is None else min(cfg.epochs, start + stop_after)
    bar = progress_bar(range(start, end), total=end - start, desc="epoch",
                       enabled=rank == 0 and progress_enabled(cfg.progress))
    for epoch in bar:
        net.train()
        hist.lr.append(optimizer.param_groups[0]["lr"])
        order = epoch_order(N, cfg.seed, epoch).to(device)
        loss_sum, correct, count = 0.0, 0.0, 0.0
        for s in range(0, N, cfg.batch_size):
            gb = order[s:s + cfg.batch_size]                     # 全局批量 B
            mine = gb[rank::world]                               # 本进程的一份
            chunks = torch.tensor_split(mine, cfg.accumulate)    # 梯度累积：再切 accumulate 块
            optimizer.zero_grad(set_to_none=True)
            for k, idx in enumerate(chunks):
                sync = k == len(chunks) - 1
                ctx = net.no_sync() if (world > 1 and not sync) else contextlib.nullcontext()
                with ctx:
                    if len(idx) == 0:                            # 这一块没有样本：贡献 0 梯度，但仍参与同步
                        loss = sum(p.sum() for p in params) * 0.0
                    else:
                        out = net(X[idx])
                        mean_loss = loss_fn(out, y[idx])
                        # 块损失 × |B_k|/|B| × P：相加（并经 DDP 平均）后正好是整批平均损失的梯度
                        loss = mean_loss * (len(idx) * world / len(gb))
                        loss_sum += float(mean_loss.detach()) * len(idx)
                        correct += float((out.detach().argmax(1) == y[idx]).sum())
                        count += len(idx)
                    loss.backward()
            optimizer.step()
        if scheduler is not None:
            scheduler.step()
        loss_sum, correct, count = _all_sum([loss_sum, correct, count], device)
        if X_val is None:
            hist.log(loss_sum / count, correct / count)
        else:
            val_loss, val_acc = evaluate(model, X_val, y_val, loss_fn, device)
            hist.log(loss_sum / count, correct / count, val_loss, val_acc)
            if val_loss < best - cfg.min_delta:                 # 看验证损失，不看训练损失
                best, bad, hist.best_epoch = val_loss, 0, epoch + 1
                best_state = copy.deepcopy(model.state_dict())
            else:
                bad += 1
            if cfg.patience is not None and bad >= cfg.patience:
                hist.stopped_early = True
        if ckpt is not None and rank == 0:
            save_checkpoint({"epoch": epoch + 1, "model": model.state_dict(), "optimizer": optimizer.state_dict(),
                             "scheduler": scheduler.state_dict() if scheduler is not None else None,
                             "history": hist.as_dict(), "best": best, "best_state": best_state, "bad": bad,
                             "rng": _rng_state(), "config": asdict(cfg)}, ckpt)
        if world > 1:
            dist.barrier()
        if hist.stopped_early:
            break
    hist.seconds += time.perf_counter() - t0
    done = hist.stopped_early or hist.epochs >= cfg.epochs
    if done and cfg.patience is not None and best_state is not None:
        model.load_state_dict(best_state)                        # 恢复验证损失最低时的参数
    return hist

