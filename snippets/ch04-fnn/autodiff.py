"""第 4 章 · 计算图与自动微分：σ(wx+b) 的计算图；小引擎算出的梯度与手写反向传播、PyTorch 一致；
反向传播的 δ^(l) 就是计算图里结点 z^(l) 的梯度。

页面：docs/ch04-fnn/index.md（4.5 计算图与自动微分）。
"""

# --8<-- [start:graph]
from nndl_ref.numpy.autodiff import sigmoid_graph

g = sigmoid_graph(x=1.0, w=0.0, b=0.0)          # 建图、前向、反向
print("结点    值      ∂f/∂(结点)")
for name in ("h6", "h5", "h4", "h3", "h2", "h1", "w", "b", "x"):
    node = g[name]
    print(f"{name:<4}{float(node.data) + 0.0:>7.4g}{float(node.grad) + 0.0:>12.4g}")
# --8<-- [end:graph]
assert float(g["w"].grad) == 0.25 and float(g["b"].grad) == 0.25

# --8<-- [start:engine]
import numpy as np
import torch

from nndl_ref.numpy.autodiff import Tensor

w, x, b = Tensor(-0.5), Tensor(2.0), Tensor(0.3)
f = 1 / (1 + (-(w * x + b)).exp())               # 用基本运算搭出 σ(wx + b)，引擎自动建图
f.backward()

wt, xt, bt = (torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in (-0.5, 2.0, 0.3))
torch.sigmoid(wt * xt + bt).backward()
s = float(f.data)
print(f"f = {s:.6f}")
print(f"∂f/∂w: 引擎 {float(w.grad):.6f}，PyTorch {wt.grad.item():.6f}，公式 σ(1−σ)x = {s * (1 - s) * 2.0:.6f}")
print(f"∂f/∂b: 引擎 {float(b.grad):.6f}，PyTorch {bt.grad.item():.6f}，公式 σ(1−σ)  = {s * (1 - s):.6f}")
# --8<-- [end:engine]
assert np.isclose(float(w.grad), wt.grad.item()) and np.isclose(float(b.grad), bt.grad.item())

# --8<-- [start:mlp]
import numpy as np

from nndl_ref.numpy.autodiff import Tensor, cross_entropy
from nndl_ref.numpy.mlp import MLP

rng = np.random.default_rng(0)
net = MLP([4, 5, 3, 3], "tanh", seed=0)
X, y = rng.standard_normal((8, 4)), rng.integers(0, 3, 8)
loss_bp, grads_bp = net.loss_and_grads(X, y)            # 手写的反向传播

P = {k: Tensor(v, label=k) for k, v in net.params().items()}
a, z = Tensor(X), {}
for l in (1, 2, 3):
    z[l] = a @ P[f"W{l}"].T + P[f"b{l}"]               # 引擎里的结点 z^(l)
    a = z[l].tanh() if l < 3 else z[l]
loss = cross_entropy(z[3], y)
loss.backward()                                         # 反向模式自动微分

print(f"损失：反向传播 {loss_bp:.6f}，自动微分 {float(loss.data):.6f}")
print("全部参数的梯度一致:", all(np.allclose(P[k].grad, grads_bp[k], rtol=1e-10) for k in P))
# δ^(l) 就是结点 z^(l) 的梯度：按书中的递推再算一遍来对照
delta = z[3].grad
for l in (2, 1):
    delta = (1 - np.tanh(z[l].data) ** 2) * (delta @ net.params()[f"W{l + 1}"])
    print(f"δ^({l}) = 结点 z^({l}) 的梯度:", np.allclose(delta, z[l].grad, rtol=1e-10))
# --8<-- [end:mlp]
