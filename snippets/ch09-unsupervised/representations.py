"""第 9 章 · 学到的表示给分类器用：同一个线性分类器（Softmax 回归）分别用原始像素、PCA、自编码器编码、
RBM 隐藏层作为输入，比较测试准确率。页面：docs/ch09-unsupervised/index.md（表示学习一节）。
"""

# --8<-- [start:table]
import numpy as np

from nndl_ref import data
from nndl_ref.numpy import autoencoder, rbm
from nndl_ref.numpy.linear import SoftmaxRegression
from nndl_ref.numpy.train import fit

d = data.load_digits()
X_train, X_test = d.X_train / 16, d.X_test / 16


def linear_probe(F_train, F_test):
    """在特征上训练 Softmax 回归（先按训练集标准化），返回测试准确率。只有这一步用到标签。"""
    mu, sd = F_train.mean(axis=0), F_train.std(axis=0) + 1e-8
    clf = SoftmaxRegression(F_train.shape[1], 10, weight_decay=1e-3)
    fit(clf, (F_train - mu) / sd, d.y_train, epochs=30, lr=0.1, batch_size=32, seed=0)
    return np.mean(clf.predict((F_test - mu) / sd) == d.y_test)


features = {"原始像素": (X_train, X_test)}
for K in (2, 16):
    mean, comps, _ = autoencoder.pca(X_train, K)
    features[f"PCA，K = {K}"] = ((X_train - mean) @ comps.T, (X_test - mean) @ comps.T)
    ae = autoencoder.Autoencoder(64, K, hidden=(32,), out_activation="logistic", seed=0)
    autoencoder.fit(ae, X_train, epochs=100, lr=1e-2, seed=0)
    features[f"自编码器，K = {K}"] = (ae.encode(X_train), ae.encode(X_test))
V_train, V_test = (X_train > 0.5).astype(float), (X_test > 0.5).astype(float)
machine = rbm.RBM(64, 100, seed=0)
rbm.fit(machine, V_train, epochs=30, lr=0.05, seed=0)
features["二值化像素"] = (V_train, V_test)
features["RBM 隐藏层，K = 100"] = (machine.prob_h(V_train), machine.prob_h(V_test))

print("| 表示 | 维数 | 测试准确率 |")
print("|---|---|---|")
for name, (F_train, F_test) in features.items():
    print(f"| {name} | {F_train.shape[1]} | {linear_probe(F_train, F_test):.3f} |")
# --8<-- [end:table]
