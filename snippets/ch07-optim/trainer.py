"""训练循环：提前停止看验证损失；原子检查点与断点续训；同一种子逐位可复现。"""

# --8<-- [start:early]
import torch

from nndl_ref import data
from nndl_ref.torch.regularization import mlp
from nndl_ref.torch.trainer import TrainConfig, train

d = data.load_digits(standardize=True)
X, y, Xv, yv = d.X_train[:100], d.y_train[:100], d.X_train[500:], d.y_train[500:]
torch.manual_seed(0)
model = mlp([64, 256, 256, 10]).double()   # float64：下面打印的每一位在任何 CPU 上都相同（见 7.6 节"确定性"）
h = train(model, X, y, Xv, yv, config=TrainConfig(epochs=150, batch_size=25, lr=2e-3, optimizer="adam",
                                                  patience=10, threads=1))
for epoch in (1, 5, h.best_epoch, h.epochs):
    print(f"第 {epoch:2d} 轮: 训练损失 {h.loss[epoch - 1]:.4f}  验证损失 {h.val_loss[epoch - 1]:.3f}")
print(f"验证损失在第 {h.best_epoch} 轮最低，又等了 10 轮仍没有更低 → 在第 {h.epochs} 轮停止，恢复第 {h.best_epoch} 轮的参数")
# --8<-- [end:early]

# --8<-- [start:resume]
import tempfile
from pathlib import Path

import torch

from nndl_ref import data
from nndl_ref.torch.regularization import mlp
from nndl_ref.torch.trainer import TrainConfig, load_checkpoint, train

d = data.load_digits(standardize=True)
X, y = d.X_train[:300], d.y_train[:300]
ckpt = Path(tempfile.mkdtemp()) / "run.pt"
cfg = TrainConfig(epochs=6, batch_size=32, lr=0.05, optimizer="nesterov", schedule="cosine",
                  schedule_kw={"T_max": 6}, seed=1, threads=1, checkpoint=str(ckpt))

torch.manual_seed(0)
a = mlp([64, 64, 10], dropout=0.2)                  # 一口气训完 6 个 epoch（每个 epoch 末写一次检查点）
train(a, X, y, config=cfg, resume=False)

torch.manual_seed(0)
b = mlp([64, 64, 10], dropout=0.2)
train(b, X, y, config=cfg, resume=False, stop_after=2)      # 训练 2 个 epoch 后"被中断"
print("检查点里记录的 epoch:", load_checkpoint(ckpt)["epoch"])
c = mlp([64, 64, 10], dropout=0.2)                  # 新进程：重新建模型（权重是随机的）
train(c, X, y, config=cfg)                          # 从检查点继续：模型、优化器、调度器、随机数状态都恢复
same = all(torch.equal(p, q) for p, q in zip(a.state_dict().values(), c.state_dict().values()))
print("续训的结果与一口气训完的逐位相同:", same)
# --8<-- [end:resume]

assert h.stopped_early and h.loss[-1] < h.loss[h.best_epoch - 1]
assert same
