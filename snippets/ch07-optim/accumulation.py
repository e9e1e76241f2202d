"""梯度累积：显存放不下一个大批量时，分几块算梯度再合起来，结果与大批量完全相同。"""

# --8<-- [start:numpy]
import numpy as np

from nndl_ref.gradcheck import rel_error
from nndl_ref.numpy.mlp import MLP
from nndl_ref.numpy.optim import accumulated_grads

rng = np.random.default_rng(0)
net = MLP([64, 32, 10], seed=0)
X, y = rng.standard_normal((50, 64)), rng.integers(0, 10, 50)
loss, full = net.loss_and_grads(X, y)                            # 一次算 50 个样本
acc_loss, acc = accumulated_grads(net.loss_and_grads, X, y, micro_batch=16)   # 16+16+16+2，按 |B_k|/|B| 加权
print("加权累积 与 大批量 的相对误差 < 1e-12:", max(rel_error(acc[k], full[k]) for k in full) < 1e-12)
parts = [net.loss_and_grads(X[s:s + 16], y[s:s + 16])[1] for s in range(0, 50, 16)]
naive = {k: np.mean([p[k] for p in parts], axis=0) for k in full}           # 各块梯度简单平均（1/K）
print(f"简单平均 与 大批量 的相对误差: {max(rel_error(naive[k], full[k]) for k in full):.2f}")
# --8<-- [end:numpy]

# --8<-- [start:torch]
import torch

from nndl_ref import data
from nndl_ref.torch.regularization import mlp
from nndl_ref.torch.trainer import TrainConfig, train

d = data.load_digits(standardize=True)
nets = []
for accumulate in (1, 4):                        # 每步 64 个样本：一次算，或分 4 块各 16 个
    torch.manual_seed(0)
    net = mlp([64, 32, 10]).double()
    train(net, d.X_train, d.y_train, config=TrainConfig(epochs=2, batch_size=64, lr=0.1, accumulate=accumulate,
                                                        threads=1))
    nets.append(net)
diff = max((p - q).abs().max().item() for p, q in zip(nets[0].parameters(), nets[1].parameters()))
print("训练 2 个 epoch 后两者参数的最大差 < 1e-12:", diff < 1e-12)
# --8<-- [end:torch]

assert diff < 1e-12 and max(rel_error(acc[k], full[k]) for k in full) < 1e-12
