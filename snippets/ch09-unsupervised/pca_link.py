"""第 9 章 · 线性自编码器的最优解就是 PCA：训练一个没有激活函数的自编码器，比较子空间与误差。

页面：docs/ch09-unsupervised/index.md（线性自编码器与 PCA 一节）。
"""

# --8<-- [start:pca]
import numpy as np

from nndl_ref import data
from nndl_ref.numpy.autoencoder import Autoencoder, fit, pca, subspace_angles

d = data.load_digits()
X = d.X_train / 16
mean, comps, var = pca(X, 4)                                 # 前 4 个主成分 (4, 64)
Xc = X - mean
pca_err = 0.5 * np.sum((Xc - Xc @ comps.T @ comps) ** 2) / len(X)

linear = Autoencoder(64, 4, hidden=(), seed=0)   # 64 → 4 → 64，编码层与输出层都没有激活
for epochs in (5, 50, 300):
    fit(linear, X, epochs=epochs, lr=1e-2, batch_size=128, seed=epochs)
    W_dec = linear.decoder[0].params["W"]                    # 解码器权重 (64, 4)，它的列张成编码子空间
    angle = np.degrees(subspace_angles(W_dec, comps.T)).max()
    print(f"再训练 {epochs:3d} 轮: 与主成分子空间的最大夹角 {angle:5.2f}°，"
          f"重构误差 {linear.reconstruction_error(X):.4f}（PCA: {pca_err:.4f}）")
# --8<-- [end:pca]
assert angle < 2.0 and linear.reconstruction_error(X) < 1.01 * pca_err
