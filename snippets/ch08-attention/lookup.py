"""第 8 章 · 注意力是软性的键值查找：字典查找、硬性查找、β→∞ 时软查找趋于硬查找。

页面：docs/ch08-attention/index.md（8.1 节）。
"""

# --8<-- [start:dict]
import numpy as np

from nndl_ref.numpy.attention import hard_lookup, soft_lookup

# 一个"数据库"：3 个键（二维向量）各自对应一个值
K = np.array([[1.0, 0.0], [0.0, 1.0], [0.7, 0.7]])
V = np.array([[10.0], [20.0], [30.0]])
q = np.array([0.9, 0.2])                     # 查询：与哪个键最像？

print("打分 K q:", K @ q)
print("硬性查找（取分数最高的键的值）:", hard_lookup(q, K, V))
print("软性查找（softmax 加权平均）:", soft_lookup(q, K, V, beta=1.0).round(3))
# --8<-- [end:dict]

# --8<-- [start:sharp]
import numpy as np

from nndl_ref.numpy.attention import attention_forward, hard_lookup

K = np.array([[1.0, 0.0], [0.0, 1.0], [0.7, 0.7]])
V = np.array([[10.0], [20.0], [30.0]])
q = np.array([0.9, 0.2])
for beta in (1, 10, 100, 1000):
    out, cache = attention_forward(q[None, :], K, V, scale=beta)   # 分数乘 β 再做 softmax
    alpha = cache[3][0]
    err = abs(out[0, 0] - hard_lookup(q, K, V)[0])
    print(f"β = {beta:>4}: α = {np.array2string(alpha, precision=4, suppress_small=True)}，与硬查找之差 {err:.1e}")
# --8<-- [end:sharp]
assert err < 1e-12
