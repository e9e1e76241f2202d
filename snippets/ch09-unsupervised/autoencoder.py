"""第 9 章 · 自编码器：在手写数字上训练 64→32→2→32→64 的自编码器（NumPy 与 PyTorch），与 PCA 比较。

页面：docs/ch09-unsupervised/index.md（自编码器一节）。
"""

# --8<-- [start:numpy]
import numpy as np

from nndl_ref import data
from nndl_ref.numpy.autoencoder import Autoencoder, fit, pca

d = data.load_digits()
X_train, X_test = d.X_train / 16, d.X_test / 16            # 像素缩放到 [0, 1]

ae = Autoencoder(64, 2, hidden=(32,), activation="tanh", out_activation="logistic", seed=0)
history = fit(ae, X_train, epochs=100, lr=1e-2, batch_size=64, seed=0)
print(f"训练损失: 第 1 轮 {history[0]:.3f} → 第 100 轮 {history[-1]:.3f}")
print(f"测试集重构误差（K = 2）: 自编码器 {ae.reconstruction_error(X_test):.3f}")

mean, comps, _ = pca(X_train, 2)                            # 对照：两个主成分上的投影再映射回去
X_pca = (X_test - mean) @ comps.T @ comps + mean
print(f"测试集重构误差（K = 2）: PCA      {0.5 * np.sum((X_pca - X_test) ** 2) / len(X_test):.3f}")
print("编码的形状:", ae.encode(X_test).shape)
# --8<-- [end:numpy]
ae_err = ae.reconstruction_error(X_test)

# --8<-- [start:torch]
import torch

from nndl_ref import data
from nndl_ref.torch.autoencoder import Autoencoder, fit, reconstruction_loss

torch.manual_seed(0)
d = data.load_digits()
X_train = torch.tensor(d.X_train / 16, dtype=torch.float32)
X_test = torch.tensor(d.X_test / 16, dtype=torch.float32)

ae = Autoencoder(64, 2, hidden=(32,), activation="tanh", out_activation="logistic")
history = fit(ae, X_train, epochs=100, lr=1e-2, batch_size=64, seed=0)
with torch.no_grad():
    err = reconstruction_loss(ae(X_test), X_test).item()
print(f"测试集重构误差（K = 2）: 自编码器 {err:.1f}")   # float32 训练：第二位小数在别的 CPU 上可能不同
# --8<-- [end:torch]
assert err < 1.4 and ae_err < 1.2
