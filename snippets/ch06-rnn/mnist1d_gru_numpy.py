"""第 6 章 · MNIST-1D 上 GRU 分类器的 NumPy 孪生（torch.nn.GRU 的写法）：载入 torch 的权重，logit 与梯度逐项相等。

页面：docs/ch06-rnn/index.md（6.9.2 节）。NumPy 版的完整训练（train_mnist1d_gru，单线程约 20 秒）见
benchmarks/bench_mnist1d.py（MNIST-1D 总表）。
"""

# --8<-- [start:twin]
import numpy as np
import torch
import torch.nn.functional as F

from nndl_ref.data_mnist1d import load_mnist1d
from nndl_ref.numpy.rnn import MNIST1DGRU, gru_torch_backward, gru_torch_forward
from nndl_ref.torch.rnn import SequenceClassifier

d = load_mnist1d()
X, y = d.X_test[:100], d.y_test[:100]                 # (B, 40)
torch.manual_seed(0)
model = SequenceClassifier("gru", 1, 64, 10, bidirectional=True).double()   # train_mnist1d_gru 里的模型
net = MNIST1DGRU.from_torch(model)                     # nn.GRU 的 8 个参数 + 全连接层，原样拷贝
print("参数个数:", net.n_params())

x = torch.from_numpy(X.T[:, :, None].copy())           # torch 版的输入：(T, B, 1)，时间在前
loss_t = F.cross_entropy(model(x), torch.from_numpy(y))
loss_t.backward()
loss, grads = net.loss_and_grads(X, y)                 # NumPy 版直接吃 (B, 40)
print("logit 的最大差 < 1e-12:", np.abs(net.forward(X) - model(x).detach().numpy()).max() < 1e-12)
params_t = dict(model.named_parameters())
print(f"{len(grads)} 个参数的梯度都一致:", all(np.allclose(grads[k], params_t[t].grad.numpy(), rtol=1e-10, atol=1e-14)
                                             for k, t in net.torch_names.items()))

# 底层函数：正向那一层就是 gru_torch_forward / gru_torch_backward，参数即 nn.GRU 的 weight_ih、weight_hh、bias_ih、bias_hh
p = net.params()
h, cache = gru_torch_forward(X.T[:, :, None], None, p["W"], p["U"], p["b"], p["b_U"])   # (T, B, H)
out = model.rnn(x)[0][:, :, :64]                       # nn.GRU 输出的前 64 维是正向那一层
print("正向那一层每个时刻的 h_t 都一致:", np.allclose(h, out.detach().numpy(), rtol=0, atol=1e-12))
model.zero_grad()
out[-1].sum().backward()                               # 对 h_T 各分量之和求梯度
dU = gru_torch_backward(None, cache, dh_T=np.ones((100, 64)))[3]
print("∂(Σ h_T)/∂U 一致:", np.allclose(dU, model.rnn.weight_hh_l0.grad.numpy(), rtol=1e-10, atol=1e-14))
# --8<-- [end:twin]
assert abs(loss - loss_t.item()) < 1e-12

# --8<-- [start:train]
from nndl_ref.numpy.rnn import train_mnist1d_gru

# 完整训练是 train_mnist1d_gru(seed=0)（15 轮，单线程约 20 秒）；这里只训练 2 轮，看看接口
net, hist = train_mnist1d_gru(epochs=2, seed=0)
print("每轮一行记录:", len(hist.val_acc), "轮；模型:", net)
print(f"2 轮后测试准确率已高于随机猜测的 10%: {hist.val_acc[-1] > 0.1}")
# --8<-- [end:train]
print(f"（本次运行：2 轮后测试准确率 {hist.val_acc[-1]:.3f}，用时 {hist.seconds:.1f} 秒）")
