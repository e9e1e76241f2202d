"""第 9 章 · 降噪自编码器与稀疏自编码器（手写数字）。

页面：docs/ch09-unsupervised/index.md（降噪自编码器、稀疏自编码器两节）。
"""

# --8<-- [start:denoise]
import numpy as np

from nndl_ref import data
from nndl_ref.numpy.autoencoder import Autoencoder, corrupt, fit, reconstruction_loss

d = data.load_digits()
X_train, X_test = d.X_train / 16, d.X_test / 16
X_noisy = corrupt(X_test, np.random.default_rng(1), kind="mask", level=0.4)   # 40% 的像素被置零

plain = Autoencoder(64, 16, hidden=(32,), out_activation="logistic", seed=0)
fit(plain, X_train, epochs=60, lr=1e-2, seed=0)                               # 普通：输入 = 目标
dae = Autoencoder(64, 16, hidden=(32,), out_activation="logistic", seed=0)
fit(dae, X_train, epochs=60, lr=1e-2, seed=0, noise="mask", noise_level=0.4)  # 降噪：输入加噪，目标干净

print("与干净图像的误差     干净输入   加噪输入")
print(f"什么都不做          {0.0:8.3f}  {reconstruction_loss(X_noisy, X_test)[0]:8.3f}")
for name, m in (("普通自编码器", plain), ("降噪自编码器", dae)):
    clean = reconstruction_loss(m.forward(X_test), X_test)[0]
    noisy = reconstruction_loss(m.forward(X_noisy), X_test)[0]
    print(f"{name}        {clean:8.3f}  {noisy:8.3f}")
# --8<-- [end:denoise]
assert reconstruction_loss(dae.forward(X_noisy), X_test)[0] < 0.7 * reconstruction_loss(plain.forward(X_noisy), X_test)[0]

# --8<-- [start:sparse]
import numpy as np

from nndl_ref import data
from nndl_ref.numpy.autoencoder import Autoencoder, fit

d = data.load_digits()
X_train, X_test = d.X_train / 16, d.X_test / 16
for beta in (0.0, 0.5):
    ae = Autoencoder(64, 64, activation="tanh", code_activation="logistic", out_activation="logistic",
                     sparsity="kl" if beta else None, sparsity_weight=beta, sparsity_target=0.05, seed=0)
    fit(ae, X_train, epochs=60, lr=1e-2, seed=0)
    z = ae.encode(X_test)                                  # 64 个编码单元，比输入还多（过完备）
    print(f"β = {beta}: 平均激活 {z.mean():.3f}，激活 > 0.5 的单元占 {np.mean(z > 0.5):.3f}，"
          f"重构误差 {ae.reconstruction_error(X_test):.3f}")
# --8<-- [end:sparse]
assert z.mean() < 0.1

# --8<-- [start:gradcheck]
import numpy as np

from nndl_ref.gradcheck import numerical_gradient, rel_error
from nndl_ref.numpy.autoencoder import Autoencoder

rng = np.random.default_rng(0)
X = rng.random((8, 6))
ae = Autoencoder(6, 4, hidden=(5,), code_activation="logistic", sparsity="kl",
                 sparsity_weight=0.5, sparsity_target=0.1, seed=0)
_, grads = ae.loss_and_grads(X)                           # 手写的反向传播（含 KL 惩罚）
W = ae.params()["encoder.0.W"]


def loss_at(v):
    W[...] = v
    return ae.loss_and_grads(X)[0]


num = numerical_gradient(loss_at, W.copy())
print(f"编码器第一层权重：相对误差 < 1e-7: {rel_error(grads['encoder.0.W'], num) < 1e-7}")
# --8<-- [end:gradcheck]
