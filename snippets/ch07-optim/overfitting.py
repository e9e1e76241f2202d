"""过拟合与对策：100 个手写数字样本上的大网络，分别加 L2、Dropout、提前停止。"""

# --8<-- [start:overfit]
import torch

from nndl_ref import data
from nndl_ref.torch.regularization import mlp
from nndl_ref.torch.train import evaluate
from nndl_ref.torch.trainer import TrainConfig, train

d = data.load_digits(standardize=True)
X, y = d.X_train[:100], d.y_train[:100]           # 只用 100 个训练样本
Xv, yv = d.X_train[500:], d.y_train[500:]         # 847 个验证样本：调参、提前停止都看它
Xt, yt = torch.as_tensor(d.X_test, dtype=torch.float64), torch.as_tensor(d.y_test)   # 450 个测试样本
base = dict(epochs=150, batch_size=25, lr=2e-3, optimizer="adam", threads=1)
runs = {"不加正则": ({}, {}),
        "L2（λ = 0.01）": ({}, {"optimizer_kw": {"weight_decay": 1e-2}}),
        "Dropout（p = 0.5）": ({"dropout": 0.5}, {}),
        "提前停止（patience = 10）": ({}, {"patience": 10})}
results = {}
for name, (model_kw, config_kw) in runs.items():
    torch.manual_seed(0)
    model = mlp([64, 256, 256, 10], **model_kw).double()   # 85,002 个参数（约 8.5 万），训练样本只有 100 个；float64 见 7.6 节
    h = train(model, X, y, Xv, yv, config=TrainConfig(**base, **config_kw))
    test_loss, test_acc = evaluate(model, Xt, yt)
    results[name] = (h, test_acc)
    print(f"{name:18s} 训练 {h.epochs:3d} 轮  训练损失 {h.loss[-1]:.4f}  "
          f"最低验证损失 {min(h.val_loss):.3f}（第 {h.best_epoch:3d} 轮）  测试准确率 {test_acc:.3f}")
# --8<-- [end:overfit]

# 页面上的说法：不加正则时验证损失很早就见底、之后上升；提前停止只训练了一小部分轮数并恢复了最好的参数；
# L2 的测试准确率最高；Dropout 的最低验证损失最低
h0, acc0 = results["不加正则"]
h_es, acc_es = results["提前停止（patience = 10）"]
assert h0.best_epoch < 30 and h0.val_loss[-1] > min(h0.val_loss) + 0.02 and abs(h0.val_loss[-1] - 0.329) < 0.01
assert h_es.stopped_early and h_es.epochs == h_es.best_epoch + 10 and acc_es > acc0
assert max(results, key=lambda k: results[k][1]).startswith("L2")
assert min(results, key=lambda k: min(results[k][0].val_loss)).startswith("Dropout")
# 页面正文："85,002 个参数，约 8.5 万"
assert sum(p.numel() for p in model.parameters()) == 85_002
