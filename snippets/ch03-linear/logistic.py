"""第 3 章 · Logistic 回归：稳定的 σ 与交叉熵、梯度检查、手写数字 3 与 8 的二分类。

页面：docs/ch03-linear/index.md（Logistic 回归一节）。
"""

# --8<-- [start:stable]
import numpy as np

from nndl_ref.numpy import losses

z = np.array([-1e4, -50.0, 0.0, 50.0, 1e4])
with np.errstate(over="ignore", divide="ignore"):
    naive = np.log(1.0 / (1.0 + np.exp(-z)))              # 朴素写法：exp(1e4) 上溢
stable = losses.log_sigmoid(z) + 0.0                   # +0.0 把 -0.0 显示成 0
print("z           :", "  ".join(f"{v:>10.4g}" for v in z))
print("朴素 log σ(z):", "  ".join(f"{v:>10.4g}" for v in naive))
print("稳定 log σ(z):", "  ".join(f"{v:>10.4g}" for v in stable))
print("logit 形式的交叉熵:", losses.binary_cross_entropy_with_logits(
    np.array([1e4, -1e4]), np.array([0.0, 1.0])))
print("概率恰为 0/1 时的交叉熵:", losses.binary_cross_entropy(
    np.array([0.0, 1.0]), np.array([1.0, 0.0])))
# --8<-- [end:stable]

# --8<-- [start:gradcheck]
import numpy as np

from nndl_ref.gradcheck import numerical_gradient, rel_error
from nndl_ref.numpy.linear import LogisticRegression

rng = np.random.default_rng(0)
X = rng.standard_normal((20, 5))
y = rng.integers(0, 2, size=20)
model = LogisticRegression(n_features=5, weight_decay=0.1)
model.w[:] = rng.standard_normal(5)

_, grads = model.loss_and_grads(X, y)                     # 手写梯度


def loss_at(w):
    model.w[:] = w
    return model.loss_and_grads(X, y)[0]


num = numerical_gradient(loss_at, model.w.copy())         # 中心差分
print("相对误差小于 1e-8:", rel_error(grads["w"], num) < 1e-8)
# --8<-- [end:gradcheck]

# --8<-- [start:numpy]
import numpy as np

from nndl_ref import data
from nndl_ref.numpy.linear import LogisticRegression
from nndl_ref.numpy.train import fit

d = data.load_digits(standardize=True)
train = np.isin(d.y_train, [3, 8])                        # 只取数字 3 和 8
test = np.isin(d.y_test, [3, 8])
X_tr, y_tr = d.X_train[train], (d.y_train[train] == 8).astype(int)   # 8 → 1，3 → 0
X_te, y_te = d.X_test[test], (d.y_test[test] == 8).astype(int)

model = LogisticRegression(n_features=64, weight_decay=1e-2)
hist = fit(model, X_tr, y_tr, epochs=50, lr=0.1, batch_size=16, seed=0)
print(f"训练样本 {len(y_tr)}，测试样本 {len(y_te)}")
print(f"测试集准确率: {np.mean(model.predict(X_te) == y_te):.3f}")
# --8<-- [end:numpy]
numpy_acc = float(np.mean(model.predict(X_te) == y_te))

# --8<-- [start:torch]
import numpy as np
import torch

from nndl_ref import data
from nndl_ref.torch import losses
from nndl_ref.torch.linear import LogisticRegression
from nndl_ref.torch.train import fit

d = data.load_digits(standardize=True)
train = np.isin(d.y_train, [3, 8])
test = np.isin(d.y_test, [3, 8])
X_tr, y_tr = d.X_train[train], (d.y_train[train] == 8).astype(int)
X_te, y_te = d.X_test[test], (d.y_test[test] == 8).astype(int)

model = LogisticRegression(n_features=64)
fit(model, X_tr, y_tr, epochs=50, lr=0.1, batch_size=16, seed=0,
    loss_fn=lambda z, y: losses.binary_cross_entropy_with_logits(z, y.float()))
pred = model.predict(torch.tensor(X_te, dtype=torch.float32)).numpy()
print(f"测试集准确率: {np.mean(pred == y_te):.3f}")
# --8<-- [end:torch]

# ---- 页面上的断言 ----
assert numpy_acc >= 0.95
assert np.mean(pred == y_te) >= 0.95
