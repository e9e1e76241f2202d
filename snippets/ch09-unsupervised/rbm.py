"""第 9 章 · 受限玻尔兹曼机：小模型上对照暴力枚举；手写数字上用 CD-1 训练（NumPy 与 PyTorch）。

页面：docs/ch09-unsupervised/index.md（受限玻尔兹曼机一节）。
"""

# --8<-- [start:exact]
import itertools

import numpy as np

from nndl_ref.numpy.rbm import RBM

rbm = RBM(n_visible=4, n_hidden=3, seed=0)
rng = np.random.default_rng(1)
rbm.W[:] = rng.standard_normal((3, 4))                     # 随便取一组参数
rbm.a[:], rbm.b[:] = rng.standard_normal(4), rng.standard_normal(3)

V = np.array(list(itertools.product([0.0, 1.0], repeat=4)))   # 全部 16 个可见状态
H = np.array(list(itertools.product([0.0, 1.0], repeat=3)))   # 全部 8 个隐藏状态
E = np.stack([rbm.energy(V, np.tile(h, (16, 1))) for h in H], axis=1)   # E(v, h)，(16, 8)
F_brute = -np.log(np.exp(-E).sum(axis=1))                  # F(v) = −log Σ_h exp(−E(v, h))
print("自由能公式与暴力求和一致:", np.allclose(rbm.free_energy(V), F_brute))
print(f"log Z = {rbm.log_partition():.4f}，Σ_v p(v) = {np.exp(rbm.log_likelihood(V)).sum():.6f}")

data_v = V[[3, 5, 12, 12, 15]]                             # 一小批"数据"
exact = rbm.exact_nll_grads(data_v)["W"]                   # 精确梯度：模型期望对 16 个状态求和
for k in (1, 10):
    _, g = rbm.contrastive_divergence(np.tile(data_v, (2000, 1)), k, rng)   # 很多条链取平均
    cos = np.sum(g["W"] * exact) / np.linalg.norm(g["W"]) / np.linalg.norm(exact)
    print(f"CD-{k:<2d} 与精确梯度的余弦相似度 {cos:.3f}")
# --8<-- [end:exact]

# --8<-- [start:numpy]
import numpy as np

from nndl_ref import data
from nndl_ref.numpy.rbm import RBM, fit

d = data.load_digits()
V_train = (d.X_train / 16 > 0.5).astype(float)              # 二值化：像素亮度过半记为 1
V_test = (d.X_test / 16 > 0.5).astype(float)

rbm = RBM(n_visible=64, n_hidden=100, seed=0)
history = fit(rbm, V_train, epochs=30, lr=0.05, batch_size=32, k=1, momentum=0.5, seed=0)
print(f"重构误差: 第 1 轮 {history[0]:.2f} → 第 30 轮 {history[-1]:.2f}")

rng = np.random.default_rng(0)
V_rand = (rng.random(V_test.shape) < V_test.mean()).astype(float)   # 亮像素比例相同的随机图
print(f"平均自由能: 测试数字 {rbm.free_energy(V_test).mean():.1f}，随机图 {rbm.free_energy(V_rand).mean():.1f}")
# --8<-- [end:numpy]
assert rbm.free_energy(V_test).mean() < rbm.free_energy(V_rand).mean() - 20

# --8<-- [start:torch]
import torch

from nndl_ref import data
from nndl_ref.torch.rbm import RBM, fit

torch.manual_seed(0)
d = data.load_digits()
V_train = torch.tensor(d.X_train / 16 > 0.5, dtype=torch.float32)
V_test = torch.tensor(d.X_test / 16 > 0.5, dtype=torch.float32)

rbm = RBM(n_visible=64, n_hidden=100)
history = fit(rbm, V_train, epochs=30, lr=0.05, batch_size=32, k=1, momentum=0.5, seed=0)
V_rand = torch.bernoulli(torch.full_like(V_test, V_test.mean().item()))
with torch.no_grad():
    gap = rbm.free_energy(V_rand).mean() - rbm.free_energy(V_test).mean()
print(f"重构误差降到第 1 轮的一半以下: {history[-1] < 0.5 * history[0]}")
print(f"随机图的自由能比测试数字高 20 以上: {gap.item() > 20}")
# --8<-- [end:torch]
