"""第 8 章 · 缩放点积注意力：手写前向与反向、梯度检查、与 torch 对照、掩码。页面：docs/ch08-attention/index.md（8.2、8.3 节）。"""

# --8<-- [start:numpy]
import numpy as np

from nndl_ref.gradcheck import numerical_vjp, rel_error
from nndl_ref.numpy.attention import attention_backward, attention_forward

rng = np.random.default_rng(0)
Q, K, V = rng.normal(size=(2, 4, 3)), rng.normal(size=(2, 6, 3)), rng.normal(size=(2, 6, 5))  # 批 2
out, cache = attention_forward(Q, K, V)                      # softmax(Q Kᵀ / √3) V
G = rng.normal(size=out.shape)                               # 上游梯度 ∂L/∂out
dQ, dK, dV = attention_backward(G, cache)
print("输出 (B, N, d_v):", out.shape, " 注意力分布 (B, N, M):", cache[3].shape)
for name, x, dx in (("Q", Q, dQ), ("K", K, dK), ("V", V, dV)):
    args = {"Q": Q, "K": K, "V": V}
    f = lambda v, name=name: attention_forward(**{**args, name: v})[0]   # noqa: E731
    print(f"d{name} 与数值梯度的相对误差 < 1e-8:", rel_error(dx, numerical_vjp(f, x.copy(), G)) < 1e-8)
# --8<-- [end:numpy]

# --8<-- [start:torch]
import numpy as np
import torch
import torch.nn.functional as F

from nndl_ref.numpy.attention import attention_backward, attention_forward, causal_mask
from nndl_ref.torch.attention import scaled_dot_product_attention

rng = np.random.default_rng(0)
Q, K, V = rng.normal(size=(3, 2, 4, 5, 8))                   # (B, h, T, d)
mask = causal_mask(5)                                        # True = 可见，与 torch 的布尔 attn_mask 相同
out, cache = attention_forward(Q, K, V, mask)
dQ, dK, dV = attention_backward(np.ones_like(out), cache)

Qt, Kt, Vt = (torch.tensor(a, requires_grad=True) for a in (Q, K, V))
ref = F.scaled_dot_product_attention(Qt, Kt, Vt, attn_mask=torch.as_tensor(mask))
ref.sum().backward()
ours_t, A = scaled_dot_product_attention(*(torch.tensor(a) for a in (Q, K, V)), torch.as_tensor(mask))
print("NumPy 前向 = torch 内置:", np.allclose(out, ref.detach().numpy(), rtol=1e-12, atol=1e-12))
print("NumPy 反向 = torch autograd:", all(np.allclose(a, t.grad.numpy(), rtol=1e-10, atol=1e-12)
                                          for a, t in ((dQ, Qt), (dK, Kt), (dV, Vt))))
print("按公式写的 torch 版 = torch 内置:", torch.allclose(ours_t, ref.detach(), atol=1e-12))
# --8<-- [end:torch]

# --8<-- [start:masks]
import numpy as np

from nndl_ref.numpy.attention import attention_forward, causal_mask, padding_mask

rng = np.random.default_rng(0)
print("因果掩码（1 = 可见）:\n", causal_mask(4).astype(int))
pad = padding_mask([2, 4], M=4, N=4)                          # 第 0 条只有 2 个真实的词
print("第 0 条序列的填充掩码:\n", pad[0].astype(int))
X = rng.normal(size=(2, 4, 3))
_, cache = attention_forward(X, X, X, pad & causal_mask(4))  # 两种掩码可以相与
print("第 0 条序列的注意力分布:\n", cache[3][0].round(2))
# --8<-- [end:masks]
