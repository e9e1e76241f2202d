"""第 4 章 · 通用近似定理：单隐藏层 ReLU 网络逼近 sin(x)、|x| 与阶跃函数，误差随宽度的变化。

页面：docs/ch04-fnn/index.md（4.3.3 通用近似定理）。
"""

# --8<-- [start:table]
import numpy as np

from nndl_ref.numpy.mlp import one_hidden_layer_lstsq

x = np.linspace(-np.pi, np.pi, 2001)                # 区间 [-π, π] 上的密网格（含 x = 0）
targets = {"sin": np.sin(x), "abs": np.abs(x), "step": (x >= 0).astype(float)}
print("宽度   sin 最大误差   |x| 最大误差   阶跃 最大误差   阶跃 均方根误差")
table = {}
for width in (2, 4, 8, 16, 32, 64):
    err = {}
    for name, y in targets.items():
        net = one_hidden_layer_lstsq(x, y, width, -np.pi, np.pi)   # MLP([1, width, 1])
        err[name] = net.predict(x[:, None]) - y
    table[width] = err
    print(f"{width:>4}{np.max(np.abs(err['sin'])):>14.4f}{np.max(np.abs(err['abs'])):>14.4f}"
          f"{np.max(np.abs(err['step'])):>15.4f}{np.sqrt(np.mean(err['step'] ** 2)):>17.4f}")
# --8<-- [end:table]

# ---- 页面上的断言 ----
mx = {k: [np.max(np.abs(table[w][k])) for w in table] for k in targets}
assert mx["sin"][-1] < 1e-3 and mx["abs"][-1] < 0.05                  # 连续函数：误差趋于 0
assert all(b < a for a, b in zip(mx["sin"][1:], mx["sin"][2:]))        # 单调下降
assert 3.5 < mx["sin"][-2] / mx["sin"][-1] < 4.5                       # 宽度翻倍，误差约降为 1/4（∝ h²）
assert 1.8 < mx["abs"][-2] / mx["abs"][-1] < 2.2                       # 折角处：误差 ∝ h
assert min(mx["step"]) > 0.45                                          # 不连续：最大误差降不下去
