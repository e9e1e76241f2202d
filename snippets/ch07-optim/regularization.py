"""正则化：L1 与 L2 的效果；丢弃法的两种写法；SGD 中权重衰减与 L2 等价、Adam 中不等价。"""

# --8<-- [start:l1l2]
import numpy as np

from nndl_ref.numpy.regularization import l1_penalty, l2_penalty

rng = np.random.default_rng(0)
X = rng.standard_normal((200, 10))
y = X @ np.r_[3.0, -2.0, np.zeros(8)] + 0.1 * rng.standard_normal(200)   # 只有前 2 个特征有用
for name, penalty in (("无正则", None), ("L1", l1_penalty), ("L2", l2_penalty)):
    w = np.zeros(10)
    for _ in range(3000):
        g = X.T @ (X @ w - y) / 200                        # 均方误差的梯度
        if penalty is not None:
            g = g + penalty({"w": w}, 0.1)[1]["w"]         # 加上正则项的（次）梯度
        w -= 0.01 * g
    print(f"{name:4s}: 有用的 w = {np.round(w[:2], 2)}，8 个无用的 |w| 最大 {np.abs(w[2:]).max():.4f}")
# --8<-- [end:l1l2]

# --8<-- [start:dropout]
import numpy as np

from nndl_ref.numpy.regularization import dropout_forward

rng = np.random.default_rng(0)
x = np.array([1.0, 2.0, 3.0, 4.0])
p = 0.5                                                    # 丢弃概率（torch 的 p；书中的 p 是保留概率）
for mode in ("inverted", "scale_at_test"):
    train = np.mean([dropout_forward(x, p, rng=rng, mode=mode)[0] for _ in range(20000)], axis=0)
    test = dropout_forward(x, p, training=False, mode=mode)[0]
    print(f"{mode:13s}: 训练时输出的平均 {np.round(train, 2)}，测试时输出 {test}")
# --8<-- [end:dropout]

# --8<-- [start:decay]
import numpy as np

from nndl_ref.numpy.optim import SGD, Adam, AdamW
from nndl_ref.numpy.regularization import decoupled_weight_decay

g = lambda w: np.array([10.0, 0.01]) * w                   # noqa: E731  两个方向的曲率差 1000 倍
# SGD：先衰减 θ ← (1 − αλ)θ 再走梯度步，与梯度里加 λθ 逐步相同
a, b = np.ones(2), np.ones(2)
sgd_l2, sgd = SGD({"w": a}, lr=0.05, weight_decay=0.1), SGD({"w": b}, lr=0.05)
for _ in range(100):
    sgd_l2.step({"w": g(a)})
    grad = g(b)
    decoupled_weight_decay({"w": b}, lr=0.05, weight_decay=0.1)
    sgd.step({"w": grad})
print("SGD：L2 正则 =", np.round(a, 6), " 解耦衰减 =", np.round(b, 6))
# Adam：L2 项的梯度 λθ 也要除以 √Ĝ；AdamW 的衰减不经过它
c = np.array([10.0, 0.01])                                 # 损失 Σ c_i (w_i − 1)²/2：一个陡、一个平
a, b = np.zeros(2), np.zeros(2)
adam_l2, adamw = Adam({"w": a}, lr=0.01, weight_decay=0.1), AdamW({"w": b}, lr=0.01, weight_decay=0.1)
for _ in range(1000):
    adam_l2.step({"w": c * (a - 1)})
    adamw.step({"w": c * (b - 1)})
print("Adam + L2 =", np.round(a, 3), "（= c/(c+λ)，平坦方向被压得很小）  AdamW =", np.round(b, 3))
# --8<-- [end:decay]

assert abs(a[1] - 0.0909) < 1e-3 and b[1] > 0.9
