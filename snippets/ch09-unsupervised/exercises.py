"""第 9 章 · 习题答案（每个答案都由测试运行并检查）。页面：docs/ch09-unsupervised/index.md（习题）。"""

# --8<-- [start:ex1]
import numpy as np

from nndl_ref.numpy.autoencoder import Autoencoder, fit, pca

rng = np.random.default_rng(0)
basis = np.linalg.qr(rng.standard_normal((6, 6)))[0]                  # 随机的正交基
X = (rng.standard_normal((400, 6)) * [3.0, 2.0, 0.5, 0.3, 0.2, 0.1]) @ basis.T   # 方差集中在两个方向
ae = Autoencoder(6, 2, hidden=(), seed=0)                               # 线性自编码器，K = 2
fit(ae, X, epochs=300, lr=1e-2, batch_size=50, seed=0)
W_enc, W_dec = ae.encoder[0].params["W"], ae.decoder[0].params["W"]    # (2, 6) 与 (6, 2)
_, comps, _ = pca(X, 2)
P = comps.T @ comps                                                     # 到主成分子空间的正交投影
print(f"‖W_dec W_enc − P‖ = {np.linalg.norm(W_dec @ W_enc - P):.3f}")
print(f"W_enc 是否等于 W_decᵀ: {np.allclose(W_enc, W_dec.T, atol=0.05)}")
print(f"W_dec 的列是否正交归一: {np.allclose(W_dec.T @ W_dec, np.eye(2), atol=0.05)}")
# --8<-- [end:ex1]
assert np.linalg.norm(W_dec @ W_enc - P) < 0.05

# --8<-- [start:ex2]
import numpy as np

from nndl_ref.numpy.autoencoder import sparsity_penalty

rho = 0.05
for rho_hat in (0.01, 0.05, 0.2, 0.5, 0.9):
    z = np.full((10, 1), rho_hat)                                       # 一个编码单元，平均激活 ρ̂
    value, dz = sparsity_penalty(z, "kl", weight=1.0, rho=rho)
    print(f"ρ̂ = {rho_hat:4.2f}: KL = {value:.4f}，∂/∂ρ̂ = {dz.sum():+8.3f}")
# --8<-- [end:ex2]

# --8<-- [start:ex3]
import itertools

import numpy as np

from nndl_ref.numpy.rbm import RBM

rng = np.random.default_rng(0)
small = RBM(4, 2, seed=0)
small.W[:], small.a[:], small.b[:] = rng.standard_normal((2, 4)), rng.standard_normal(4), rng.standard_normal(2)
big = RBM(4, 3, seed=0)                                                 # 多一个隐藏单元：权重与偏置全为 0
big.W[:2], big.a[:], big.b[:2] = small.W, small.a, small.b
big.W[2], big.b[2] = 0.0, 0.0
V = np.array(list(itertools.product([0.0, 1.0], repeat=4)))
print(f"F 的变化: {np.unique(np.round(big.free_energy(V) - small.free_energy(V), 12))}，−log 2 = {-np.log(2):.6f}")
print("p(v) 不变:", np.allclose(big.log_likelihood(V), small.log_likelihood(V)))
# --8<-- [end:ex3]
