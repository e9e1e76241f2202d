"""第 2 章 · 评价指标：在手写数字上训练 Softmax 回归，算准确率、混淆矩阵、精确率、召回率、F1。

页面：docs/ch02-ml/index.md（评价指标一节）。
"""

# --8<-- [start:digits]
import numpy as np

from nndl_ref import data, metrics
from nndl_ref.numpy.linear import SoftmaxRegression
from nndl_ref.numpy.train import fit

d = data.load_digits(standardize=True)                     # 1347 张训练 / 450 张测试
model = SoftmaxRegression(n_features=64, n_classes=10, weight_decay=1e-3)
fit(model, d.X_train, d.y_train, epochs=30, lr=0.1, batch_size=32, seed=0)
y_pred = model.predict(d.X_test)

print(f"准确率 {metrics.accuracy(d.y_test, y_pred):.4f}")
for avg in ("macro", "micro"):
    p, r, f1 = metrics.precision_recall_f1(d.y_test, y_pred, average=avg)
    print(f"{avg:5s}  P = {p:.4f}  R = {r:.4f}  F1 = {f1:.4f}")
print(metrics.confusion_matrix(d.y_test, y_pred, num_classes=10))
# --8<-- [end:digits]

# --8<-- [start:sklearn]
import numpy as np
from sklearn import metrics as skm

from nndl_ref import metrics

rng = np.random.default_rng(0)                     # 10 类的随机标签，约 70% 预测正确
y_true = rng.integers(0, 10, 500)
y_pred = np.where(rng.random(500) < 0.7, y_true, rng.integers(0, 10, 500))
ok = [np.isclose(metrics.f1_score(y_true, y_pred, average=a),
                 skm.f1_score(y_true, y_pred, average=a)) for a in ("macro", "micro")]
ok.append(np.isclose(metrics.precision_recall_f1(y_true, y_pred)[0],
                     skm.precision_score(y_true, y_pred, average="macro")))
ok.append(np.array_equal(metrics.confusion_matrix(y_true, y_pred),
                         skm.confusion_matrix(y_true, y_pred)))
print("与 scikit-learn 一致:", all(ok))
# --8<-- [end:sklearn]
assert all(ok)
