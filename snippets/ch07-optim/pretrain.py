"""逐层预训练再整体微调：深而窄的 Logistic 网络，从头一起训练 vs 先逐层训练、再一起微调。"""

# --8<-- [start:pretrain]
import torch
from torch import nn

from nndl_ref import data
from nndl_ref.torch.train import evaluate
from nndl_ref.torch.trainer import TrainConfig, train

d = data.load_digits(standardize=True)
X, y, Xv, yv = d.X_train, d.y_train, d.X_test, d.y_test
sizes = [64, 32, 32, 32, 32, 32]                  # 5 个隐藏层，Logistic 激活
cfg = TrainConfig(epochs=10, batch_size=32, lr=0.5, optimizer="sgd", threads=1)


def hidden(i):
    return nn.Sequential(nn.Linear(sizes[i], sizes[i + 1]), nn.Sigmoid())


# (a) 从随机初始化开始，所有层一起训练 5 × 10 个 epoch
torch.manual_seed(0)
deep = nn.Sequential(*[hidden(i) for i in range(5)], nn.Linear(32, 10))
train(deep, X, y, config=TrainConfig(**{**cfg.__dict__, "epochs": 50}))
print(f"一起训练 50 个 epoch:         测试准确率 {evaluate(deep, torch.as_tensor(Xv, dtype=torch.float32), torch.as_tensor(yv))[1]:.3f}")

# (b) 逐层：每次加一个隐藏层和一个临时输出层，只训练新加的两层（下面已训练的层冻结）
torch.manual_seed(0)
trained = []
for i in range(5):
    for layer in trained:
        layer.requires_grad_(False)
    new, head = hidden(i), nn.Linear(32, 10)
    train(nn.Sequential(*trained, new, head), X, y, config=cfg)
    trained.append(new)
net = nn.Sequential(*trained, head).requires_grad_(True)
print(f"逐层预训练后（5 × 10 epoch）:  测试准确率 {evaluate(net, torch.as_tensor(Xv, dtype=torch.float32), torch.as_tensor(yv))[1]:.3f}")
train(net, X, y, config=TrainConfig(**{**cfg.__dict__, "lr": 0.1}))    # 微调：所有层一起，小学习率
print(f"再整体微调 10 个 epoch:       测试准确率 {evaluate(net, torch.as_tensor(Xv, dtype=torch.float32), torch.as_tensor(yv))[1]:.3f}")
# --8<-- [end:pretrain]

# 页面上的说法：一起训练停在瞎猜的水平，逐层预训练 + 微调明显更好
assert evaluate(deep, torch.as_tensor(Xv, dtype=torch.float32), torch.as_tensor(yv))[1] < 0.2
assert evaluate(net, torch.as_tensor(Xv, dtype=torch.float32), torch.as_tensor(yv))[1] > 0.9
