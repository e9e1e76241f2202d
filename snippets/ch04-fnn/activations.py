"""第 4 章 · 激活函数：S 型函数的关系、导数检查（数值梯度 / torch autograd / torch 内置）、
极端输入、不可导点的三种处理。

页面：docs/ch04-fnn/index.md（4.2 激活函数）。
"""

# --8<-- [start:sigmoid]
import numpy as np

from nndl_ref.numpy import activations as act

z = np.linspace(-20, 20, 4001)
# Tanh 是放大、平移后的 Logistic：tanh(z) = 2σ(2z) − 1
print("tanh(z) = 2σ(2z) − 1:", np.allclose(act.tanh(z), 2 * act.logistic(2 * z) - 1, rtol=0, atol=1e-15))
# 两者在 0 处的导数：σ'(0) = 1/4，tanh'(0) = 1
print("σ'(0) =", act.logistic_grad(np.array(0.0)), "  tanh'(0) =", act.tanh_grad(np.array(0.0)))
# Hard-Logistic 就是 σ 在 0 处的一阶泰勒展开 σ(0) + σ'(0)·z = 0.5 + 0.25z，截断到 [0, 1]
print("hard-logistic(1) =", act.hard_logistic(np.array(1.0)), "  σ(1) =", round(float(act.logistic(1.0)), 4))
# --8<-- [end:sigmoid]
assert np.max(np.abs(act.tanh(z) - (2 * act.logistic(2 * z) - 1))) < 1e-15

# --8<-- [start:check]
import numpy as np

from nndl_ref.gradcheck import numerical_vjp, rel_error
from nndl_ref.numpy import activations as act

rng = np.random.default_rng(0)
z = rng.uniform(-4, 4, 200)
z = z[np.min(np.abs(z[:, None] - [-2, -1, 0, 1, 2]), axis=1) > 1e-3]   # 避开不可导点
kw = {"leaky_relu": {"gamma": 0.1}, "prelu": {"gamma": 0.25}, "swish": {"beta": 1.5}}
worst = 0.0
for name, (f, fprime) in act.ACTIVATIONS.items():
    k = kw.get(name, {})
    num = numerical_vjp(lambda v: f(v, **k), z.copy(), np.ones_like(z))   # 中心差分
    worst = max(worst, rel_error(fprime(z, **k), num))
n_funcs = len({f for f, _ in act.ACTIVATIONS.values()})    # "sigmoid" 只是 "logistic" 的别名，不重复计数
print(f"{n_funcs} 个激活函数的手写导数与数值梯度的最大相对误差 < 1e-8:", worst < 1e-8)
# --8<-- [end:check]
assert worst < 1e-8 and n_funcs == 11

# --8<-- [start:check-torch]
import numpy as np
import torch
import torch.nn.functional as F

from nndl_ref.numpy import activations as act
from nndl_ref.torch import activations as T

z = torch.linspace(-6, 6, 1201, dtype=torch.float64, requires_grad=True)
pairs = {                      # 按书中公式写的版本 vs. torch 内置函数
    "tanh": (T.tanh, torch.tanh), "elu": (T.elu, F.elu), "softplus": (T.softplus, F.softplus),
    "gelu": (T.gelu, F.gelu), "hard_tanh": (T.hard_tanh, F.hardtanh), "swish": (T.swish, F.silu),
}
for name, (ours, builtin) in pairs.items():
    g_ours, = torch.autograd.grad(ours(z).sum(), z)       # autograd 对公式求导
    g_builtin, = torch.autograd.grad(builtin(z).sum(), z)
    g_numpy = act.get(name)[1](z.detach().numpy())        # NumPy 手写导数
    same = torch.allclose(g_ours, g_builtin, rtol=1e-10, atol=1e-12) and np.allclose(g_numpy, g_ours.numpy())
    print(f"{name:>9}: 公式版 autograd = 内置函数 = NumPy 手写导数: {same}")
# --8<-- [end:check-torch]

# --8<-- [start:stable]
import numpy as np

from nndl_ref.numpy import activations as act

z = np.array([-1e4, -50.0, 0.0, 50.0, 1e4])
with np.errstate(over="ignore", invalid="ignore"):
    naive = (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z))   # 按定义算 tanh：e^10000 上溢
rows = {"z": z, "naive tanh": naive, "tanh": act.tanh(z), "elu": act.elu(z),
        "softplus": act.softplus(z), "gelu_grad": act.gelu_grad(z)}
for label, v in rows.items():
    print(f"{label:<11}" + "".join(f"{x:>11.4g}" for x in v + 0.0))   # +0.0 把 -0 显示成 0
# --8<-- [end:stable]
assert np.isnan(naive[0]) and np.all(np.isfinite(act.tanh(z)))

# --8<-- [start:nondiff]
import numpy as np
import torch

from nndl_ref.numpy import activations as act


def relu(v):
    return act.relu(np.array(v))


h = 1e-8
left = (relu(0.0) - relu(-h)) / h                           # 左导数
right = (relu(h) - relu(0.0)) / h                           # 右导数
print(f"ReLU 在 0 处：左导数 {left:.0f}，右导数 {right:.0f}，次梯度是区间 [0, 1]")
print("① 归到一侧，本包取:", act.relu_grad(np.array(0.0)))
z0 = torch.zeros(1, requires_grad=True)
torch.relu(z0).backward()
print("   PyTorch autograd 取:", z0.grad.item())
z = np.linspace(-3, 3, 601)
below = all(np.all(act.relu(z) >= g * z) for g in np.linspace(0, 1, 11))
print("② 次梯度：斜率 g ∈ [0, 1] 的直线 g·z 都在 ReLU 下方:", below)
for beta in (1.0, 10.0, 100.0):                            # softplus(βz)/β → ReLU
    gap = np.max(np.abs(act.softplus(beta * z) / beta - act.relu(z)))
    print(f"③ 光滑近似 β = {beta:>5}: 与 ReLU 的最大差距 {gap:.4f}，0 处导数 σ(0) = {act.logistic(0.0):.1f}")
# --8<-- [end:nondiff]
assert left == 0.0 and abs(right - 1.0) < 1e-6
