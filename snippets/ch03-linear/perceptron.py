"""第 3 章 · 感知器：线性可分时收敛，XOR 上永不收敛；更新规则就是感知器损失上的 SGD。

页面：docs/ch03-linear/index.md（感知器一节）。整个文件可以直接运行：python snippets/ch03-linear/perceptron.py
"""

# --8<-- [start:numpy]
import numpy as np

from nndl_ref import data
from nndl_ref.numpy.linear import Perceptron

X, y = data.make_separable(n=100, margin=0.5, seed=0)     # X: (100, 2)，y ∈ {-1, +1}
clf = Perceptron(lr=1.0, seed=0).fit(X, y)

print("是否收敛:", clf.converged_)
print("每轮更新次数:", clf.mistakes_)
print("训练集准确率:", np.mean(clf.predict(X) == y))
# --8<-- [end:numpy]
numpy_w, numpy_b = clf.w.copy(), clf.b

# --8<-- [start:torch]
import torch

from nndl_ref import data
from nndl_ref.torch.linear import Perceptron

X, y = data.make_separable(n=100, margin=0.5, seed=0)
X, y = torch.from_numpy(X), torch.from_numpy(y)          # float64 与 int64 张量
clf = Perceptron(lr=1.0, seed=0).fit(X, y)

print("是否收敛:", clf.converged_)
print("训练集准确率:", (clf.predict(X) == y).double().mean().item())
# --8<-- [end:torch]

# --8<-- [start:sgd]
import numpy as np
import torch

from nndl_ref import data
from nndl_ref.numpy.linear import perceptron_grad, perceptron_loss
from nndl_ref.torch.linear import perceptron_loss as perceptron_loss_t

X, y = data.make_separable(n=100, margin=0.5, seed=0)
w, b = np.array([1.0, -1.0]), 0.5                          # 一个故意不好的初值

dw, db = perceptron_grad(X, y, w, b)                       # 手写：-Σ_M y x,  -Σ_M y

w_t = torch.tensor(w, requires_grad=True)
b_t = torch.tensor(b, dtype=torch.float64, requires_grad=True)
perceptron_loss_t(torch.from_numpy(X), torch.from_numpy(y), w_t, b_t).backward()

print("误分类样本上的损失:", round(perceptron_loss(X, y, w, b), 4))
print("手写梯度与 autograd 一致:", np.allclose(dw, w_t.grad.numpy()) and np.isclose(db, b_t.grad.item()))
# --8<-- [end:sgd]

# --8<-- [start:xor]
import numpy as np

from nndl_ref import data
from nndl_ref.numpy.linear import Perceptron

X, y = data.make_xor(n=200, seed=0, labels="pm1")
clf = Perceptron(max_epochs=100, seed=0).fit(X, y)

print("是否收敛:", clf.converged_)
print("最后 5 轮的更新次数:", clf.mistakes_[-5:])
print("训练集准确率:", np.mean(clf.predict(X) == y))
# --8<-- [end:xor]

# ---- 页面上的断言（读者看不到，整个文件运行时检查）----
assert not clf.converged_ and len(clf.mistakes_) == 100 and min(clf.mistakes_) > 0
X, y = data.make_separable(n=100, margin=0.5, seed=0)
assert np.all(np.where(X @ numpy_w + numpy_b >= 0, 1, -1) == y)
