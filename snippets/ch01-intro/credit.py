"""第 1 章 · 贡献度分配：一次反向传播给出网络中每个参数对输出误差的"责任"（梯度）。

页面：docs/ch01-intro/index.md（贡献度分配问题一节）。
"""

# --8<-- [start:credit]
import numpy as np

from nndl_ref.gradcheck import numerical_gradient
from nndl_ref.numpy.layers import Linear, Sequential, Tanh, softmax_cross_entropy

rng = np.random.default_rng(0)
net = Sequential(Linear(4, 8, rng), Tanh(), Linear(8, 8, rng), Tanh(), Linear(8, 3, rng))
x, y = rng.standard_normal((1, 4)), np.array([2])          # 一个样本，正确类别是 2

loss, dZ = softmax_cross_entropy(net.forward(x), y)
net.zero_grad()
net.backward(dZ)                                           # 误差信号从输出层逐层传回
for name, g in net.grads().items():
    if name.endswith("W"):
        print(f"第 {int(name[0]) // 2 + 1} 层权重 {g.shape}: 梯度范数 {np.linalg.norm(g):.4f}")

W = net.params()["0.W"]                                    # 抽查第一层的一个权重：把它挪动一点点，损失变多少？


def loss_at(w):
    W[...] = w
    return softmax_cross_entropy(net.forward(x), y)[0]


num = numerical_gradient(loss_at, W.copy())
print("第一层梯度与「逐个挪动参数」的结果一致:", np.allclose(net.grads()["0.W"], num, atol=1e-8))
# --8<-- [end:credit]
