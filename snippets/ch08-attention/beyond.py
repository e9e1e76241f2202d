"""第 8 章 · 注意力之外：选择性状态空间（Mamba）与 mLSTM（xLSTM）——循环形式 = 并行形式。

页面：docs/ch08-attention/index.md（8.10 节）。
"""

# --8<-- [start:ssm]
import numpy as np

from nndl_ref.numpy.ssm import selective_scan, selective_scan_parallel

rng = np.random.default_rng(0)
T, D, N = 12, 3, 4
x = rng.normal(size=(T, D))
delta = np.logaddexp(0, rng.normal(size=(T, D)))             # Δ_t = softplus(·) > 0，由输入决定
A = -np.exp(rng.normal(size=(D, N)))                         # A < 0：状态按 exp(Δ A) 衰减
B, C = rng.normal(size=(T, N)), rng.normal(size=(T, N))      # 由输入决定的写入、读出向量
y_rec = selective_scan(x, delta, A, B, C)                    # 逐步递推：O(T)，状态大小固定
y_par = selective_scan_parallel(x, delta, A, B, C)           # 展开成 T×T 的"注意力"形式
print("循环形式 = 并行形式:", np.allclose(y_rec, y_par, rtol=1e-12, atol=1e-12))
print("状态 h_t 的大小 (D, N) 与 T 无关:", A.shape)
# --8<-- [end:ssm]

# --8<-- [start:mlstm]
import numpy as np

from nndl_ref.numpy.ssm import mlstm_parallel, mlstm_recurrent

rng = np.random.default_rng(0)
T, d = 12, 4
q, k, v = rng.normal(size=(3, T, d))
i_pre, f_pre = 3 * rng.normal(size=(2, T))                   # 输入门 i = exp(ĩ)：可以远大于 1
h_rec = mlstm_recurrent(q, k, v, i_pre, f_pre)               # 矩阵记忆 C_t (d×d)，逐步更新
h_par = mlstm_parallel(q, k, v, i_pre, f_pre)                # 与因果注意力同形的并行形式
print("循环形式 = 并行形式:", np.allclose(h_rec, h_par, rtol=1e-10, atol=1e-12))
i_big = i_pre.copy()
i_big[3] = 800.0                                             # exp(800) 在 float64 里上溢
print("稳定器让 ĩ = 800 也算得出有限值:", bool(np.all(np.isfinite(mlstm_recurrent(q, k, v, i_big, f_pre)))))
# --8<-- [end:mlstm]
