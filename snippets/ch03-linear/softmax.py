"""第 3 章 · Softmax 回归：稳定的 softmax，在手写数字（10 类）上训练到测试准确率 ≥ 95%。

页面：docs/ch03-linear/index.md（Softmax 回归一节）。
"""

# --8<-- [start:stable]
import numpy as np

from nndl_ref.numpy import losses

z = np.array([[1000.0, 1001.0, 1002.0]])
with np.errstate(over="ignore", invalid="ignore"):
    naive = np.exp(z) / np.exp(z).sum()                   # exp(1000) = inf，inf/inf = nan
print("朴素 softmax:", naive.round(4))
print("稳定 softmax:", losses.softmax(z).round(4))        # 减去最大值后只剩 e^0, e^-1, e^-2
print("与 softmax(z - 1000) 相同:", np.allclose(losses.softmax(z), losses.softmax(z - 1000)))
# --8<-- [end:stable]

# --8<-- [start:numpy]
import numpy as np

from nndl_ref import data
from nndl_ref.numpy.linear import SoftmaxRegression
from nndl_ref.numpy.train import fit

d = data.load_digits(standardize=True)                    # 1347 张训练，450 张测试，64 维
model = SoftmaxRegression(n_features=64, n_classes=10, weight_decay=1e-3)
hist = fit(model, d.X_train, d.y_train, epochs=30, lr=0.1, batch_size=32, seed=0)

test_acc = np.mean(model.predict(d.X_test) == d.y_test)
print(f"训练了 {hist.epochs} 轮，最后一轮训练集准确率: {hist.acc[-1]:.3f}")
print(f"测试集准确率: {test_acc:.3f}")
# --8<-- [end:numpy]
numpy_acc = float(test_acc)

# --8<-- [start:torch]
import torch

from nndl_ref import data
from nndl_ref.torch.linear import SoftmaxRegression
from nndl_ref.torch.train import fit

d = data.load_digits(standardize=True)
model = SoftmaxRegression(n_features=64, n_classes=10)
hist = fit(model, d.X_train, d.y_train, epochs=30, lr=0.1, batch_size=32, seed=0,
           optimizer=torch.optim.SGD(model.parameters(), lr=0.1, weight_decay=1e-3))

with torch.no_grad():
    pred = model.predict(torch.tensor(d.X_test, dtype=torch.float32))
test_acc = (pred.numpy() == d.y_test).mean()
print(f"训练了 {hist.epochs} 轮，最后一轮训练集准确率: {hist.acc[-1]:.3f}")
print(f"测试集准确率: {test_acc:.3f}")
# --8<-- [end:torch]

# ---- 页面上的断言：两个实现都达到 95% ----
assert numpy_acc >= 0.95, numpy_acc
assert test_acc >= 0.95, test_acc
