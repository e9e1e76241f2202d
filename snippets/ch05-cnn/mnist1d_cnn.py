"""第 5 章 · MNIST-1D 上的一维卷积网络：本地按论文配方生成数据，训练到测试准确率 ≥ 94%。

页面：docs/ch05-cnn/index.md（5.8 节）。多个随机种子、论文原网络的复现见 benchmarks/bench_cnn_accuracy.py。
"""

# --8<-- [start:data]
import numpy as np

from nndl_ref.data_mnist1d import PUBLISHED_ACCURACY, load_mnist1d

d = load_mnist1d()                                       # 本地生成（约 3 秒），不下载、不写文件
print("训练集", d.X_train.shape, "测试集", d.X_test.shape, "类别", np.unique(d.y_train).tolist())
print("论文中的测试准确率:", {k: f"{v:.0%}" for k, v in PUBLISHED_ACCURACY.items()})
# --8<-- [end:data]

# --8<-- [start:cnn]
import torch

from nndl_ref.data_mnist1d import load_mnist1d
from nndl_ref.torch.cnn import MNIST1DCNN, accuracy, train

d = load_mnist1d()
torch.manual_seed(0)
model = MNIST1DCNN(channels=32)                         # 三层一维卷积 + 全局最大汇聚 + 全连接
print("参数个数:", sum(p.numel() for p in model.parameters()))
hist = train(model, d.X_train, d.y_train, epochs=20, lr=1e-2, batch_size=100, seed=0)   # 800 步
acc = accuracy(model, d.X_test, d.y_test)
print(f"测试准确率 ≥ 94%: {acc >= 0.94}")
# --8<-- [end:cnn]
assert acc >= 0.94, acc
print(f"[记录] MNIST-1D CNN 测试准确率 {acc:.3f}，训练 {hist.seconds:.1f} 秒")
