"""第 4 章 · 二维玩具数据：隐藏层让决策边界弯曲，XOR 与螺旋都能分开。

页面：docs/ch04-fnn/index.md（4.8 实战）。
"""

# --8<-- [start:toy]
import numpy as np

from nndl_ref import data
from nndl_ref.numpy.mlp import MLP
from nndl_ref.numpy.optim import Adam, fit_full_batch

X, y = data.make_xor(n=200, seed=0)
linear = MLP([2, 2], seed=0)                                # 没有隐藏层：就是 Softmax 回归
fit_full_batch(linear, X, y, Adam(linear.params(), lr=0.05), steps=300)
xor_net = MLP([2, 8, 2], "relu", seed=0)                    # 一个 8 个神经元的隐藏层
fit_full_batch(xor_net, X, y, Adam(xor_net.params(), lr=0.05), steps=300)
print(f"XOR：线性模型 {np.mean(linear.predict(X) == y):.3f}，MLP 2-8-2 {np.mean(xor_net.predict(X) == y):.3f}")

X, y = data.make_spirals(n_per_class=100, n_classes=3, seed=0)
spiral_net = MLP([2, 32, 32, 3], "relu", seed=0)
losses = fit_full_batch(spiral_net, X, y, Adam(spiral_net.params(), lr=0.02), steps=600)   # 全批量 Adam
print(f"三类螺旋：MLP 2-32-32-3 训练准确率 {np.mean(spiral_net.predict(X) == y):.3f}，"
      f"损失 {losses[0]:.3f} → {losses[-1]:.3f}")
# --8<-- [end:toy]
assert np.mean(xor_net.predict(data.make_xor(n=200, seed=0)[0]) == data.make_xor(n=200, seed=0)[1]) == 1.0
assert np.mean(spiral_net.predict(X) == y) > 0.95
