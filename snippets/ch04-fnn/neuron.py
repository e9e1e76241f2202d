"""第 4 章 · 神经元：净输入 z = wᵀx + b，输出 a = f(z)；一层就是很多神经元并排。

页面：docs/ch04-fnn/index.md（4.1 神经元）。
"""

# --8<-- [start:neuron]
import numpy as np

from nndl_ref.numpy import activations as act

x = np.array([1.0, -2.0, 0.5])            # 输入 x ∈ R^D，D = 3
w = np.array([0.4, 0.1, -0.6])            # 权重 w ∈ R^D
b = 0.3                                   # 偏置 b

z = w @ x + b                             # 净输入 z = wᵀx + b
print(f"净输入 z = {z:.2f}")
for name in ("logistic", "tanh", "relu", "gelu"):
    f, _ = act.get(name)
    print(f"{name:>8}: a = f(z) = {f(z):.4f}")
# --8<-- [end:neuron]
assert np.isclose(z, 0.2)

# --8<-- [start:layer]
import numpy as np

from nndl_ref.numpy.layers import Linear

rng = np.random.default_rng(0)
layer = Linear(in_features=3, out_features=4, rng=rng)   # 4 个神经元，各自有一行权重
X = rng.standard_normal((5, 3))                          # 一批 N = 5 个样本，一行一个
Z = layer.forward(X)                                     # Z = X Wᵀ + b
print("W 的形状 (M, D):", layer.params["W"].shape)
print("Z 的形状 (N, M):", Z.shape)
print("第 0 个样本、第 2 个神经元:", np.isclose(Z[0, 2], layer.params["W"][2] @ X[0] + layer.params["b"][2]))
# --8<-- [end:layer]
assert Z.shape == (5, 4)
