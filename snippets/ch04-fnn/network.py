"""第 4 章 · 前馈神经网络的结构与前向传播（矩阵形式），NumPy 层与 PyTorch 双实现。

页面：docs/ch04-fnn/index.md（4.3 前馈神经网络）。
"""

# --8<-- [start:forward]
import numpy as np

from nndl_ref.numpy.layers import activation_forward, affine_forward, init_weight

rng = np.random.default_rng(0)
sizes = [4, 5, 3, 2]                          # M_0 = D = 4，两个隐藏层（5、3 个神经元），C = 2
W = {l: init_weight(sizes[l], sizes[l - 1], rng) for l in range(1, 4)}   # W^(l): (M_l, M_{l-1})
b = {l: np.zeros(sizes[l]) for l in range(1, 4)}

X = rng.standard_normal((6, 4))               # N = 6 个样本，一行一个
a = X                                         # a^(0) = x
for l in range(1, 4):
    z, _ = affine_forward(a, W[l], b[l])      # z^(l) = W^(l) a^(l-1) + b^(l)（批量：A Wᵀ + b）
    a = activation_forward(z, "relu")[0] if l < 3 else z      # a^(l) = f_l(z^(l))；输出层不加激活
    print(f"l = {l}: W^(l) {W[l].shape} → z^(l) {z.shape}")
print("输出 z^(L) 的形状:", a.shape)
# --8<-- [end:forward]
Z_manual = a

# --8<-- [start:sequential]
import numpy as np

from nndl_ref.numpy.layers import Linear, ReLU, Sequential, softmax_cross_entropy

rng = np.random.default_rng(0)
net = Sequential(Linear(4, 5, rng), ReLU(), Linear(5, 3, rng), ReLU(), Linear(3, 2, rng))
X = rng.standard_normal((6, 4))
y = np.array([0, 1, 1, 0, 1, 0])

Z = net.forward(X)                            # 前向：依次经过每一层
loss, dZ = softmax_cross_entropy(Z, y)        # 损失与 δ^(L) = ∂L/∂Z
net.zero_grad()
net.backward(dZ)                              # 反向：逆序经过每一层
print(net)
print("参数:", {k: v.shape for k, v in net.params().items()})
print(f"损失 {loss:.4f}，∂L/∂W^(1) 的形状 {net.grads()['0.W'].shape}")
# --8<-- [end:sequential]
assert np.allclose(Z, Z_manual)               # 两段代码用同样的种子，权重相同

# --8<-- [start:torch]
import numpy as np
import torch
from torch import nn

from nndl_ref.numpy.layers import Linear, ReLU, Sequential

rng = np.random.default_rng(0)
np_net = Sequential(Linear(4, 5, rng), ReLU(), Linear(5, 3, rng), ReLU(), Linear(3, 2, rng))
X = rng.standard_normal((6, 4))

torch_net = nn.Sequential(nn.Linear(4, 5), nn.ReLU(), nn.Linear(5, 3), nn.ReLU(), nn.Linear(3, 2)).double()
with torch.no_grad():                         # 权重布局相同 (out, in)：直接拷贝，不转置
    for i in (0, 2, 4):
        torch_net[i].weight.copy_(torch.from_numpy(np_net[i].params["W"]))
        torch_net[i].bias.copy_(torch.from_numpy(np_net[i].params["b"]))
    Z_torch = torch_net(torch.from_numpy(X)).numpy()
print("与 NumPy 前向结果相同:", np.allclose(Z_torch, np_net.forward(X), rtol=1e-12))
# --8<-- [end:torch]
assert np.allclose(Z_torch, Z_manual)
