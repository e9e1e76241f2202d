"""第 8 章 · MNIST-1D 上的 Transformer 分类器：分片嵌入、torch 训练、NumPy 孪生载入 torch 权重后在 float64 下一致（logit 之差 < 1e-10）。

页面：docs/ch08-attention/index.md（8.8.1 节）。torch 训练约 15 秒（2000 步，单线程），同一进程内只训练一次；
NumPy 版 400 步约 3 秒。
"""

# --8<-- [start:patch]
import numpy as np
import torch

from nndl_ref.numpy.transformer import patchify
from nndl_ref.torch.transformer import patchify as patchify_torch

x = np.arange(40.0)[None]                    # 一条"信号"：0, 1, …, 39
P = patchify(x, 8, 4)                        # 长 8、步长 4 的片段，相邻片段重叠一半
print("片段:", P.shape)                      # (B, T, P)：T = (40 − 8) / 4 + 1 = 9 个词元
print(P[0, :3])
print("与 torch 的 unfold 相同:", np.array_equal(P, patchify_torch(torch.as_tensor(x), 8, 4).numpy()))
# --8<-- [end:patch]

# --8<-- [start:train]
from nndl_ref.torch.transformer import trained_mnist1d_transformer

# 等同于 train_mnist1d_transformer(seed=0, steps=2000, lr=3e-3, batch_size=100, warmup=100)：
# 片段长 8、步长 4（9 个词元），D = 32，4 个头，2 个前归一化编码器块，平均汇聚
model, hist = trained_mnist1d_transformer()
print("参数个数:", sum(p.numel() for p in model.parameters()))
acc = hist.val_acc[-1]
print(f"测试准确率 ≥ 93%: {acc >= 0.93}")
# --8<-- [end:train]
assert acc >= 0.93, hist.val_acc
print(f"（本次运行：测试准确率 {acc:.3f}，用时 {hist.seconds:.1f} 秒）")

# --8<-- [start:twin]
import copy

import numpy as np
import torch
import torch.nn.functional as F

from nndl_ref.data_mnist1d import load_mnist1d
from nndl_ref.gradcheck import rel_error
from nndl_ref.numpy.transformer import MNIST1DTransformer
from nndl_ref.torch.transformer import trained_mnist1d_transformer

model, _ = trained_mnist1d_transformer()
model64 = copy.deepcopy(model).double()      # 换成 float64，才能比到 1e-10
net = MNIST1DTransformer.from_torch(model64) # 参数名与 torch 的 state_dict 相同，按名字拷贝
d = load_mnist1d()
with torch.no_grad():
    Z_torch = model64.eval()(torch.as_tensor(d.X_test)).numpy()
Z = net.forward(d.X_test)                    # (1000, 10)
print("参数个数:", net.n_params())
print("1000 条测试样本的 logit 最大差 < 1e-10:", np.abs(Z - Z_torch).max() < 1e-10)
print("预测的类别完全相同:", np.array_equal(net.predict(d.X_test), Z_torch.argmax(1)))

X, y = d.X_train[:100], d.y_train[:100]
loss, grads = net.loss_and_grads(X, y)       # 手写的反向传播
model64.zero_grad()
F.cross_entropy(model64(torch.as_tensor(X)), torch.as_tensor(y)).backward()   # autograd
errs = {k: rel_error(grads[k], p.grad.numpy()) for k, p in model64.named_parameters()}
print(f"{len(errs)} 个参数张量的梯度与 autograd 一致（相对误差 < 1e-10）:", max(errs.values()) < 1e-10)
# --8<-- [end:twin]

# --8<-- [start:numpy]
from nndl_ref.numpy.transformer import train_mnist1d_transformer

# NumPy 版从头训练：同样的模型与超参数，这里只跑 400 步（完整的 2000 步见基准页）
net, hist = train_mnist1d_transformer(steps=400, eval_every=100, seed=0)
print("400 步后测试准确率 ≥ 80%:", hist.val_acc[-1] >= 0.8)
# --8<-- [end:numpy]
assert hist.val_acc[-1] >= 0.8, hist.val_acc
print(f"（本次运行：400 步后测试准确率 {hist.val_acc[-1]:.3f}，用时 {hist.seconds:.1f} 秒）")
