"""第 4 章 · 反向传播：按书中符号手写 δ 的递推，与层式实现、PyTorch autograd、数值梯度对照。

页面：docs/ch04-fnn/index.md（4.4 反向传播算法）。
"""

# --8<-- [start:manual]
import numpy as np

from nndl_ref.numpy import activations as act
from nndl_ref.numpy.losses import softmax
from nndl_ref.numpy.mlp import MLP

rng = np.random.default_rng(0)
net = MLP([4, 5, 3, 3], "tanh", seed=0)       # L = 3 层：4 → 5 → 3 → 3
X, y = rng.standard_normal((8, 4)), rng.integers(0, 3, 8)
W = {l: net.params()[f"W{l}"] for l in (1, 2, 3)}
b = {l: net.params()[f"b{l}"] for l in (1, 2, 3)}
N, L = X.shape[0], 3

# 前向：记下每层的 z^(l) 与 a^(l)
a, z = {0: X}, {}
for l in range(1, L + 1):
    z[l] = a[l - 1] @ W[l].T + b[l]            # z^(l) = W^(l) a^(l-1) + b^(l)
    a[l] = act.tanh(z[l]) if l < L else z[l]   # a^(l) = f_l(z^(l))

# 反向：δ^(L) = ŷ − y（Softmax + 交叉熵，批平均再除以 N）
Y = np.eye(3)[y]                               # one-hot (N, C)
delta = {L: (softmax(z[L]) - Y) / N}
for l in range(L - 1, 0, -1):
    delta[l] = act.tanh_grad(z[l]) * (delta[l + 1] @ W[l + 1])   # δ^(l) = f'(z^(l)) ⊙ (W^(l+1)ᵀ δ^(l+1))
grads = {}
for l in range(1, L + 1):
    grads[f"W{l}"] = delta[l].T @ a[l - 1]     # ∂L/∂W^(l) = δ^(l) a^(l-1)ᵀ（对样本求和）
    grads[f"b{l}"] = delta[l].sum(axis=0)      # ∂L/∂b^(l) = δ^(l)

_, grads_layers = net.loss_and_grads(X, y)     # 层式实现（Sequential 逐层 backward）
print("手写 δ 递推 = 层式实现:", all(np.allclose(grads[k], grads_layers[k]) for k in grads))
# --8<-- [end:manual]

# --8<-- [start:torch]
import numpy as np
import torch
import torch.nn.functional as F

from nndl_ref.numpy.mlp import MLP
from nndl_ref.torch.mlp import MLP as TorchMLP

rng = np.random.default_rng(0)
net = MLP([4, 5, 3, 3], "tanh", seed=0)
X, y = rng.standard_normal((8, 4)), rng.integers(0, 3, 8)
loss, grads = net.loss_and_grads(X, y)

tnet = TorchMLP([4, 5, 3, 3], "tanh").double().load_numpy(net.params())   # 同样的权重，float64
loss_t = F.cross_entropy(tnet(torch.from_numpy(X)), torch.from_numpy(y))
loss_t.backward()                                                          # autograd
same = all(np.allclose(grads[f"W{l}"], lin.weight.grad.numpy(), rtol=1e-10)
           for l, lin in enumerate(tnet.linears(), start=1))
print(f"损失 NumPy {loss:.6f}，PyTorch {loss_t.item():.6f}")
print("每层 ∂L/∂W^(l) 与 autograd 一致:", same)
# --8<-- [end:torch]

# --8<-- [start:gradcheck]
import numpy as np

from nndl_ref.gradcheck import numerical_gradient, rel_error
from nndl_ref.numpy.mlp import MLP

rng = np.random.default_rng(0)
net = MLP([4, 5, 3, 3], "tanh", seed=0)
X, y = rng.standard_normal((8, 4)), rng.integers(0, 3, 8)
_, grads = net.loss_and_grads(X, y)

errors = {}
for name, p in net.params().items():
    def loss_at(v, p=p):                        # 只改动这一个参数，其余不变
        old = p.copy()
        p[...] = v
        loss = net.loss_and_grads(X, y)[0]
        p[...] = old
        return loss
    errors[name] = rel_error(grads[name], numerical_gradient(loss_at, p.copy()))
for name in sorted(errors):
    print(f"{name}: 相对误差 < 1e-8: {errors[name] < 1e-8}")
# --8<-- [end:gradcheck]
assert max(errors.values()) < 1e-8
print("（完整运行时的实测最大相对误差：" + f"{max(errors.values()):.1e}）")
