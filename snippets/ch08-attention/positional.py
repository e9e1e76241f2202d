"""第 8 章 · 位置编码：自注意力不知道顺序；正弦位置编码；可学习的位置嵌入。页面：docs/ch08-attention/index.md（8.6 节）。"""

# --8<-- [start:permutation]
import numpy as np

from nndl_ref.numpy.attention import MultiHeadAttention

rng = np.random.default_rng(0)
mha = MultiHeadAttention(8, 2, rng)
X = rng.normal(size=(1, 6, 8))
perm = rng.permutation(6)                                    # 把 6 个词的顺序打乱
Y, Y_perm = mha.forward(X), mha.forward(X[:, perm])
print("打乱输入 = 打乱输出（置换等变）:", np.allclose(Y[:, perm], Y_perm))
# --8<-- [end:permutation]

# --8<-- [start:sinusoidal]
import numpy as np
import torch

from nndl_ref.numpy.attention import MultiHeadAttention
from nndl_ref.numpy.transformer import sinusoidal_positional_encoding
from nndl_ref.torch.transformer import sinusoidal_positional_encoding as pe_torch

PE = sinusoidal_positional_encoding(T=50, D=16)               # (T, D)
print("PE[1, :4] =", PE[1, :4].round(4))
print("每行范数都是 √(D/2):", np.allclose(np.linalg.norm(PE, axis=1), np.sqrt(8)))
print("NumPy 版 = torch 版:", np.allclose(PE, pe_torch(50, 16).numpy()))
rng = np.random.default_rng(0)
mha = MultiHeadAttention(16, 2, rng)
X = rng.normal(size=(1, 6, 16))
perm = rng.permutation(6)
Y, Y_perm = mha.forward(X + PE[:6]), mha.forward(X[:, perm] + PE[:6])   # 位置编码跟着位置走，不跟着词走
print("加上位置编码后还是置换等变吗:", np.allclose(Y[:, perm], Y_perm))
# --8<-- [end:sinusoidal]

# --8<-- [start:learned]
import numpy as np

from nndl_ref.numpy.transformer import embedding_forward

rng = np.random.default_rng(0)
T_max, D = 16, 8
P = rng.normal(size=(T_max, D)) * 0.02                       # 可学习的位置嵌入：每个位置一行，随训练更新
tokens = np.array([[3, 1, 4, 1, 5]])
E = rng.normal(size=(10, D)) * 0.02                           # 词嵌入矩阵
X, _ = embedding_forward(tokens, E)
pos, _ = embedding_forward(np.arange(tokens.shape[1])[None], P)   # 位置 0..T-1 也查表
H = X + pos
print("输入表示 (B, T, D):", H.shape, "  两个 1 的表示不同了:", not np.allclose(H[0, 1], H[0, 3]))
# --8<-- [end:learned]
