"""第 8 章 · 多头注意力：NumPy 从零实现 vs torch.nn.MultiheadAttention（权重对应）；多头的代价。

页面：docs/ch08-attention/index.md（8.5 节）。
"""

# --8<-- [start:numpy]
import numpy as np

from nndl_ref.gradcheck import numerical_vjp, rel_error
from nndl_ref.numpy.attention import MultiHeadAttention, causal_mask

rng = np.random.default_rng(0)
mha = MultiHeadAttention(embed_dim=8, num_heads=2, rng=rng)   # 两个头，每个头 d = 4
X = rng.normal(size=(2, 5, 8))                               # (B, T, D)
Y = mha.forward(X, mask=causal_mask(5))                      # 自注意力：Q、K、V 都由 X 投影得到
G = rng.normal(size=Y.shape)
dX = mha.backward(G)
num = numerical_vjp(lambda x: mha.forward(x, mask=causal_mask(5)), X.copy(), G)
print("输出:", Y.shape, " 每个头的注意力分布:", mha.attention.shape)
print("dX 与数值梯度的相对误差 < 1e-8:", rel_error(dX, num) < 1e-8)
print("键的偏置 b_k 的梯度恒为 0:", np.abs(mha.grads["b_k"]).max() < 1e-12)
# --8<-- [end:numpy]

# --8<-- [start:torch]
import numpy as np
import torch

from nndl_ref.numpy.attention import MultiHeadAttention, causal_mask

rng = np.random.default_rng(0)
mha = MultiHeadAttention(8, 2, rng)
p = mha.params
tm = torch.nn.MultiheadAttention(8, 2, batch_first=True, dtype=torch.float64)
with torch.no_grad():                                        # 权重对应：三个投影按行拼成 in_proj_weight
    tm.in_proj_weight.copy_(torch.tensor(np.concatenate([p["W_q"], p["W_k"], p["W_v"]])))
    tm.in_proj_bias.copy_(torch.tensor(np.concatenate([p["b_q"], p["b_k"], p["b_v"]])))
    tm.out_proj.weight.copy_(torch.tensor(p["W_o"]))
    tm.out_proj.bias.copy_(torch.tensor(p["b_o"]))
X = rng.normal(size=(2, 5, 8))
mask = causal_mask(5)
Y = mha.forward(X, mask=mask)
Xt = torch.tensor(X)
# torch.nn.MultiheadAttention 的布尔 attn_mask 里 True 表示"屏蔽"：要取反
Yt, At = tm(Xt, Xt, Xt, attn_mask=torch.as_tensor(~mask), average_attn_weights=False)
print("输出相同:", np.allclose(Y, Yt.detach().numpy(), rtol=1e-12, atol=1e-12))
print("每个头的注意力分布相同:", np.allclose(mha.attention, At.detach().numpy(), atol=1e-12))
Yw, _ = tm(Xt, Xt, Xt, attn_mask=torch.as_tensor(mask))     # 忘了取反：屏蔽的恰好是该看的位置
print("不取反也相同吗:", np.allclose(Y, Yw.detach().numpy()))
# --8<-- [end:torch]

# --8<-- [start:cost]
import numpy as np

from nndl_ref.numpy.attention import MultiHeadAttention

rng = np.random.default_rng(0)
B, T, D = 1, 128, 64
for h in (1, 4, 16):
    mha = MultiHeadAttention(D, h, rng)
    n_params = sum(v.size for v in mha.params.values())
    d = D // h
    proj = 4 * T * D * D                                     # 四个投影：Q、K、V、输出
    scores = h * (T * T * d) * 2                             # 每个头：Q Kᵀ 与 A V，各 T·T·d 次乘加
    print(f"h = {h:>2}: 每头 d = {d:>2}，参数 {n_params}，乘加 {proj + scores:,}（其中注意力部分 {scores:,}）")
# --8<-- [end:cost]
