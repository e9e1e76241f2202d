"""第 4 章 · 习题答案（每个答案都由测试运行并检查）。页面：docs/ch04-fnn/index.md（习题）。"""

# --8<-- [start:ex1]
import numpy as np

from nndl_ref.numpy import activations as act

z = np.linspace(-8, 8, 1601)
# tanh(z) = 2σ(2z) − 1，两边对 z 求导：tanh'(z) = 4σ'(2z) = 4σ(2z)(1 − σ(2z))
print(np.allclose(act.tanh_grad(z), 4 * act.logistic_grad(2 * z), rtol=0, atol=1e-15))
# --8<-- [end:ex1]

# --8<-- [start:ex2]
from nndl_ref.numpy.mlp import MLP

net = MLP([64, 100, 10])
by_hand = (64 * 100 + 100) + (100 * 10 + 10)      # 每层 M_l·M_{l-1} 个权重 + M_l 个偏置
print(net.n_params(), by_hand)
# --8<-- [end:ex2]
assert net.n_params() == by_hand == 7510

# --8<-- [start:ex3]
import numpy as np

from nndl_ref.numpy.mlp import MLP

net = MLP([1, 2, 1], "relu", loss="mse")           # |x| = ReLU(x) + ReLU(−x)：两个隐藏神经元
p = net.params()
p["W1"][:] = [[1.0], [-1.0]]
p["b1"][:] = 0.0
p["W2"][:] = [[1.0, 1.0]]
p["b2"][:] = 0.0
x = np.linspace(-3, 3, 7)
print(net.predict(x[:, None]), np.array_equal(net.predict(x[:, None]), np.abs(x)))
# --8<-- [end:ex3]

# --8<-- [start:ex4]
import numpy as np

from nndl_ref.numpy.mlp import MLP

net = MLP([2, 2, 1], "relu", loss="mse")
p = net.params()
p["W1"][:] = [[1.0, 1.0], [1.0, 1.0]]              # 两个神经元看的都是 x₁ + x₂
p["b1"][:] = [0.0, -1.0]                           # h₁ = ReLU(x₁ + x₂)，h₂ = ReLU(x₁ + x₂ − 1)
p["W2"][:] = [[1.0, -2.0]]                         # ŷ = h₁ − 2h₂
p["b2"][:] = 0.0
X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
print(net.predict(X))                              # XOR：0, 1, 1, 0
# --8<-- [end:ex4]
assert np.array_equal(net.predict(X), [0.0, 1.0, 1.0, 0.0])

# --8<-- [start:ex5]
import numpy as np
import torch

from nndl_ref.numpy import activations as act
from nndl_ref.numpy.autodiff import Tensor

z0, beta0 = np.array([-2.0, 0.5, 3.0]), 1.5
formula = act.swish_grad_beta(z0, beta0)                    # ∂swish/∂β = z²σ(βz)(1 − σ(βz))

z, beta = Tensor(z0), Tensor(beta0)                         # 自动微分引擎：swish = z·σ(βz)
(z * (beta * z).sigmoid()).sum().backward()

bt = torch.tensor(beta0, dtype=torch.float64, requires_grad=True)
(torch.from_numpy(z0) * torch.sigmoid(bt * torch.from_numpy(z0))).sum().backward()
print(f"公式 {formula.sum():.6f}，引擎 {float(beta.grad):.6f}，PyTorch {bt.grad.item():.6f}")
# --8<-- [end:ex5]
assert np.isclose(formula.sum(), float(beta.grad)) and np.isclose(formula.sum(), bt.grad.item())
