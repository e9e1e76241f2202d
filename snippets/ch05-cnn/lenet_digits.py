"""第 5 章 · 在手写数字上训练卷积网络：NumPy 从零实现的小网络，与 PyTorch 的 LeNet 式网络。

页面：docs/ch05-cnn/index.md（5.6 节）。数据是 scikit-learn 自带的 8×8 手写数字（1347 张训练，450 张测试）。
"""

# --8<-- [start:numpy]
import numpy as np

from nndl_ref import data
from nndl_ref.numpy.cnn import SimpleCNN
from nndl_ref.numpy.train import fit

d = data.load_digits()                                   # X: (N, 64)，像素值 0..16
net = SimpleCNN(input_shape=(1, 8, 8), channels=(8, 16), seed=0)
print(net)
print("参数个数:", net.n_params())
hist = fit(net, d.X_train / 16, d.y_train, epochs=15, lr=0.2, batch_size=32, seed=0)   # 小批量 SGD
acc = np.mean(net.predict(d.X_test / 16) == d.y_test)
print(f"训练了 {hist.epochs} 轮；测试准确率 ≥ 95%: {acc >= 0.95}")
# --8<-- [end:numpy]
numpy_acc = float(acc)

# --8<-- [start:torch]
import torch

from nndl_ref import data
from nndl_ref.torch.cnn import LeNet, accuracy, train

d = data.load_digits()
X_train = d.X_train.reshape(-1, 1, 8, 8) / 16            # (N, 64) → (N, D, M, N) = (N, 1, 8, 8)
X_test = d.X_test.reshape(-1, 1, 8, 8) / 16

torch.manual_seed(0)
model = LeNet()
print("参数个数:", sum(p.numel() for p in model.parameters()))
hist = train(model, X_train, d.y_train, epochs=30, lr=3e-3, batch_size=32, seed=0)    # Adam + 余弦退火
acc = accuracy(model, X_test, d.y_test)
print(f"训练了 {hist.epochs} 轮；测试准确率 ≥ 98%: {acc >= 0.98}")
# --8<-- [end:torch]

# ---- 页面上的断言 ----
assert numpy_acc >= 0.95, numpy_acc
assert acc >= 0.98, acc
print(f"[记录] NumPy 小网络 {numpy_acc:.4f}，LeNet {acc:.4f}，LeNet 训练 {hist.seconds:.1f} 秒")
