"""第 4 章 · 激活函数的性质：饱和、输出是否以 0 为中心、死亡 ReLU。

页面：docs/ch04-fnn/index.md（4.2.5 激活函数的性质）。
"""

# --8<-- [start:saturation]
import numpy as np

from nndl_ref.numpy import activations as act

z = np.array([-10.0, -5.0, -1.0, 0.5, 5.0, 10.0])
print("导数 f'(z)" + "".join(f"{v:>9g}" for v in z))
for name in ("logistic", "tanh", "relu", "leaky_relu", "elu", "gelu"):
    fprime = act.get(name)[1]
    print(f"{name:<10}" + "".join(f"{v:>9.1e}" if 0 < abs(v) < 1e-3 else f"{v:>9.4f}" for v in fprime(z)))
# --8<-- [end:saturation]
assert act.logistic_grad(np.array(10.0)) < 1e-4 and act.relu_grad(np.array(10.0)) == 1.0

# --8<-- [start:zero-centred]
import numpy as np

from nndl_ref.numpy import activations as act

# E[f(Z)]，Z ~ N(0, 1)：在细网格上做数值积分 ∫ f(z) φ(z) dz（不依赖随机数，结果确定）
z = np.linspace(-12, 12, 240_001)
phi = np.exp(-z ** 2 / 2) / np.sqrt(2 * np.pi)
for name in ("logistic", "tanh", "relu", "leaky_relu", "elu", "softplus", "swish", "gelu"):
    f = act.get(name)[0]
    mean = np.trapezoid(f(z) * phi, z)
    print(f"{name:<10} 输出均值 {round(mean, 4) + 0.0:+.4f}")           # +0.0：不显示 -0
# --8<-- [end:zero-centred]
assert abs(np.trapezoid(act.tanh(z) * phi, z)) < 1e-12
assert np.isclose(np.trapezoid(act.relu(z) * phi, z), 1 / np.sqrt(2 * np.pi))   # E[max(0, Z)] = 1/√(2π)

# --8<-- [start:dying]
import numpy as np

from nndl_ref import data
from nndl_ref.numpy.mlp import MLP
from nndl_ref.numpy.train import fit

d = data.load_digits(standardize=True)
for name in ("relu", "leaky_relu"):
    net = MLP([64, 32, 10], name, seed=0)
    p = net.params()
    p["b1"][:16] -= 20.0                     # 一次"不恰当的更新"把前 16 个神经元的偏置推得很负
    never_active = np.all(d.X_train @ p["W1"].T + p["b1"] <= 0, axis=0)   # 在所有训练样本上 z ≤ 0
    _, grads = net.loss_and_grads(d.X_train, d.y_train)
    zero_grad = np.all(grads["W1"] == 0, axis=1)                        # 这一行权重的梯度恒为 0
    W1_before = p["W1"].copy()
    fit(net, d.X_train, d.y_train, epochs=5, lr=0.1, batch_size=32, seed=0)
    frozen = np.all(p["W1"] == W1_before, axis=1)                       # 训练 5 轮后一点没动
    print(f"{name:<10}: 从不激活 {never_active.sum()} 个，梯度恒为 0 {zero_grad.sum()} 个，"
          f"训练后权重完全没变 {frozen.sum()} 个")
# --8<-- [end:dying]
assert frozen.sum() == 0

# ---- 页面上的断言：性质表里的值域下界（Swish β=1 为 −0.278，GELU 为 −0.170）与 Hard 版本的均值 ----
zz = np.linspace(-5, 0, 500_001)
assert round(act.swish(zz).min(), 3) == -0.278 and round(act.gelu(zz).min(), 3) == -0.170
assert np.isclose(np.trapezoid(act.hard_logistic(z) * phi, z), 0.5) and abs(np.trapezoid(act.hard_tanh(z) * phi, z)) < 1e-12
