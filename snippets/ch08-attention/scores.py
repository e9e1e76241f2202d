"""第 8 章 · 打分函数：加性模型与缩放点积；为什么要除以 √d。页面：docs/ch08-attention/index.md（8.2 节）。"""

# --8<-- [start:additive]
import numpy as np

from nndl_ref.numpy.attention import additive_scores_forward, masked_softmax_forward

rng = np.random.default_rng(0)
Q, K = rng.normal(size=(2, 3)), rng.normal(size=(4, 5))       # 查询与键的维数可以不同
W, U, v = rng.normal(size=(6, 5)), rng.normal(size=(6, 3)), rng.normal(size=6)
S, _ = additive_scores_forward(Q, K, W, U, v)                 # s(k, q) = vᵀ tanh(W k + U q)
A, _ = masked_softmax_forward(S)
print("分数 S 的形状 (N, M):", S.shape)
print("每行的注意力分布之和:", A.sum(axis=1))
# --8<-- [end:additive]

# --8<-- [start:scale]
import numpy as np

from nndl_ref.numpy.attention import masked_softmax_backward, masked_softmax_forward

rng = np.random.default_rng(0)
M = 32                                                       # 32 个键
print("   d   std(qᵀk)  最大权重(不缩放)  最大权重(÷√d)  梯度范数(不缩放)  梯度范数(÷√d)")
for d in (4, 64, 1024):
    q, K = rng.normal(size=(200, 1, d)), rng.normal(size=(200, M, d))   # 200 个随机查询，分量方差为 1
    S = (q @ K.transpose(0, 2, 1))[:, 0]                    # (200, M)：方差为 d 的分数
    row = []
    for s in (S, S / np.sqrt(d)):
        A, cache = masked_softmax_forward(s)
        g = np.linalg.norm(masked_softmax_backward(rng.normal(size=s.shape), cache), axis=1)
        row.append((A.max(axis=1).mean(), g.mean()))
    print(f"{d:>4} {S.std():>9.1f} {row[0][0]:>15.3f} {row[1][0]:>14.3f} {row[0][1]:>16.4f} {row[1][1]:>14.4f}")
# --8<-- [end:scale]
