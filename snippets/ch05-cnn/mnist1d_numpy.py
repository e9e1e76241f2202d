"""第 5 章 · MNIST-1D 卷积网络的 NumPy 孪生：载入 torch 的权重，logit 与梯度逐项相等；NumPy 版自己训练 800 步。

页面：docs/ch05-cnn/index.md（5.8 节）。三个随机种子的完整结果见 benchmarks/bench_mnist1d.py（MNIST-1D 总表）。
"""

# --8<-- [start:twin]
import numpy as np
import torch
import torch.nn.functional as F

from nndl_ref.data_mnist1d import load_mnist1d
from nndl_ref.numpy.cnn import MNIST1DCNN
from nndl_ref.torch import cnn as TC

d = load_mnist1d()
X, y = d.X_test[:100], d.y_test[:100]
torch.manual_seed(0)
model = TC.MNIST1DCNN().double()                       # torch 版（float64，便于逐项比较）
net = MNIST1DCNN.from_torch(model)                     # 同样的参数拷进 NumPy 版
print("参数个数:", net.n_params())

loss_t = F.cross_entropy(model(torch.from_numpy(X)), torch.from_numpy(y))
loss_t.backward()                                      # torch：autograd
loss, grads = net.loss_and_grads(X, y)                 # NumPy：手写的反向传播
print("logit 的最大差 < 1e-12:", np.abs(net.forward(X) - model(torch.from_numpy(X)).detach().numpy()).max() < 1e-12)
params_t = dict(model.named_parameters())
print("8 个参数的梯度都一致:", all(np.allclose(grads[k], params_t[t].grad.numpy(), rtol=1e-10, atol=1e-14)
                                   for k, t in MNIST1DCNN.TORCH_NAMES.items()))
# --8<-- [end:twin]

# --8<-- [start:train]
from nndl_ref.numpy.cnn import train_mnist1d_cnn

net, hist = train_mnist1d_cnn(steps=800, lr=1e-2, batch_size=100, seed=0)   # Adam，与 torch 版的设置相同
print(f"NumPy 版训练 800 步后的测试准确率 ≥ 94%: {hist.val_acc[-1] >= 0.94}")
# --8<-- [end:train]
assert hist.val_acc[-1] >= 0.94, hist.val_acc
print(f"[记录] NumPy MNIST1DCNN 测试准确率 {hist.val_acc[-1]:.3f}，训练 {hist.seconds:.1f} 秒")
