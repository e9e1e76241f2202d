"""第 7 章的训练循环：提前停止看验证损失并恢复最好的参数；检查点原子写入（真的在写到一半时杀掉进程）；
断点续训与一口气训完逐位相同；同一种子逐位可复现；梯度累积等于大批量；历史记录是数据。"""

import functools
import json
import os
import signal
import subprocess
import sys
import textwrap

import numpy as np
import pytest
import torch

from nndl_ref import data
from nndl_ref.torch.regularization import mlp
from nndl_ref.torch.train import evaluate
from nndl_ref.torch.trainer import TrainConfig, load_checkpoint, save_checkpoint, train

TC = functools.partial(TrainConfig, threads=1)       # 小模型：单线程更快，也不与同机的其他进程抢核


@pytest.fixture(scope="module")
def digits():
    d = data.load_digits(standardize=True)
    return d.X_train[:300], d.y_train[:300], d.X_test, d.y_test


def _model(seed=0, dropout=0.0, dtype=torch.float64):
    torch.manual_seed(seed)
    return mlp([64, 128, 128, 10], dropout=dropout).to(dtype)


def _same(a, b):
    return all(torch.equal(x, y) for x, y in zip(a.state_dict().values(), b.state_dict().values()))


def test_early_stopping_watches_validation_loss_and_restores_best(digits):
    X, y, Xv, yv = digits
    model = _model()
    cfg = TC(epochs=60, batch_size=32, lr=1e-2, optimizer="adam", patience=4, seed=0)
    h = train(model, X, y, Xv, yv, config=cfg)
    assert h.stopped_early and h.epochs < 60
    assert h.best_epoch == int(np.argmin(h.val_loss)) + 1 == h.epochs - cfg.patience
    val_loss, _ = evaluate(model, torch.as_tensor(Xv), torch.as_tensor(yv))
    assert val_loss == pytest.approx(min(h.val_loss), rel=1e-12)          # 恢复的是最好的参数
    # 停下来的时候训练损失还在下降：按训练损失早停（笔记的写法）根本不会停
    assert h.loss[-1] < h.loss[h.best_epoch - 1]
    json.dumps(h.as_dict())                                               # 历史记录是普通数据


def test_same_seed_is_bitwise_reproducible(digits):
    X, y, Xv, yv = digits
    cfg = TC(epochs=3, batch_size=32, lr=0.05, optimizer="momentum", seed=5)
    a, b = _model(dropout=0.3), _model(dropout=0.3)
    ha, hb = train(a, X, y, Xv, yv, config=cfg), train(b, X, y, Xv, yv, config=cfg)
    assert _same(a, b) and ha.loss == hb.loss
    c = _model(dropout=0.3)
    train(c, X, y, config=TC(epochs=3, batch_size=32, lr=0.05, optimizer="momentum", seed=6))
    assert not _same(a, c)


def test_resume_reaches_the_same_weights(digits, tmp_path):
    """中断（stop_after）后从检查点续训：参数、历史、学习率调度与一口气训完的逐位相同（含 Dropout 的随机数）。"""
    X, y, Xv, yv = digits
    kw = dict(epochs=6, batch_size=32, lr=0.05, optimizer="nesterov", schedule="cosine", schedule_kw={"T_max": 6},
              patience=10, seed=1)
    full = _model(dropout=0.2)
    h_full = train(full, X, y, Xv, yv, config=TC(**kw))
    ckpt = tmp_path / "run.pt"
    part = _model(dropout=0.2)
    h1 = train(part, X, y, Xv, yv, config=TC(**kw, checkpoint=str(ckpt)), stop_after=2)
    assert h1.epochs == 2 and load_checkpoint(ckpt)["epoch"] == 2
    fresh = _model(seed=99, dropout=0.2)                     # 新进程里重建的模型：权重从检查点来
    h2 = train(fresh, X, y, Xv, yv, config=TC(**kw, checkpoint=str(ckpt)), stop_after=1)
    h3 = train(fresh, X, y, Xv, yv, config=TC(**kw, checkpoint=str(ckpt)))
    assert h2.epochs == 3 and h3.epochs == 6
    assert _same(full, fresh)
    assert h3.loss == h_full.loss and h3.val_loss == h_full.val_loss and h3.lr == h_full.lr
    assert not list(tmp_path.glob("*.tmp"))                   # 正常结束不留临时文件


KILL_SCRIPT = textwrap.dedent("""
    import io, sys, time, torch
    from nndl_ref.torch import trainer
    path, mode = sys.argv[1], sys.argv[2]
    trainer.save_checkpoint({"version": 1, "w": torch.arange(10.0)}, path)
    real_save = torch.save
    def half_then_hang(obj, f, *a, **k):          # 写一半就停住，等着被杀
        buf = io.BytesIO(); real_save(obj, buf); blob = buf.getvalue()
        if isinstance(f, (str, bytes)) or hasattr(f, "__fspath__"):
            f = open(f, "wb")
        f.write(blob[: len(blob) // 2]); f.flush()
        print("HALF", flush=True); time.sleep(120)
    torch.save = half_then_hang
    new = {"version": 2, "w": torch.zeros(200_000)}
    if mode == "atomic":
        trainer.save_checkpoint(new, path)
    else:
        torch.save(new, path)                          # 直接覆盖原文件（不原子）
""")


@pytest.mark.parametrize("mode", ["atomic", "naive"])
def test_kill_mid_write_leaves_previous_checkpoint_intact(tmp_path, mode):
    path = tmp_path / "ckpt.pt"
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    proc = subprocess.Popen([sys.executable, "-c", KILL_SCRIPT, str(path), mode], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)
    try:
        line = proc.stdout.readline()
        assert line.strip() == "HALF", proc.stderr.read()
        proc.send_signal(signal.SIGKILL)                      # 写到一半时杀掉
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    if mode == "atomic":
        state = load_checkpoint(path)
        assert state["version"] == 1 and torch.equal(state["w"], torch.arange(10.0))
        assert len(list(tmp_path.glob(".ckpt.pt.*.tmp"))) == 1  # 半截的临时文件，不影响 ckpt.pt
    else:
        with pytest.raises(Exception):                         # 不原子的写法：旧检查点被毁
            load_checkpoint(path)


def test_save_checkpoint_roundtrip_and_overwrite(tmp_path):
    p = tmp_path / "sub" / "c.pt"
    save_checkpoint({"a": 1}, p)
    save_checkpoint({"a": 2}, p)
    assert load_checkpoint(p) == {"a": 2} and os.listdir(p.parent) == ["c.pt"]


def test_gradient_accumulation_in_the_loop_equals_large_batch(digits):
    """batch_size=50 一次算，与切成 3 块（17、17、16 个样本）累积：参数一致到浮点舍入。"""
    X, y, _, _ = digits
    a, b = _model(), _model()
    base = dict(epochs=2, batch_size=50, lr=0.1, optimizer="sgd", seed=2)
    train(a, X, y, config=TC(**base))
    train(b, X, y, config=TC(**base, accumulate=3))
    for pa, pb in zip(a.parameters(), b.parameters()):
        torch.testing.assert_close(pa, pb, rtol=1e-12, atol=1e-13)


def test_history_lr_follows_schedule_and_config_is_validated(digits):
    X, y, Xv, yv = digits
    h = train(_model(), X, y, config=TC(epochs=4, batch_size=100, lr=0.1, schedule="step",
                                                  schedule_kw={"step_size": 2, "gamma": 0.5}))
    assert h.lr == pytest.approx([0.1, 0.1, 0.05, 0.05])
    with pytest.raises(ValueError, match="epochs"):
        TrainConfig(epochs=0)
    with pytest.raises(ValueError, match="patience"):
        train(_model(), X, y, config=TC(patience=2))
    with pytest.raises(ValueError, match="batch_size"):
        train(_model(), X, y, config=TC(batch_size=1000))
    with pytest.raises(ValueError, match="NaN"):
        train(_model(), np.full((4, 64), np.nan), np.zeros(4, dtype=int), config=TC(batch_size=2))

