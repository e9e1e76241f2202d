"""第 8 章 · 练习的参考答案（每个答案都由代码验证）。页面：docs/ch08-attention/index.md（练习）。"""

# --8<-- [start:ex1]
import numpy as np

from nndl_ref.numpy.attention import attention_forward

# 练习 1：q = (1, 0)，两个键 (2, 0)、(0, 2)，值 1 与 3，d_k = 2。手算 softmax([2, 0] / √2) 再加权平均
q, K, V = np.array([[1.0, 0.0]]), np.array([[2.0, 0.0], [0.0, 2.0]]), np.array([[1.0], [3.0]])
a = 1 / (1 + np.exp(-np.sqrt(2)))                            # 第一个键的权重 e^{√2}/(e^{√2}+1)
out, _ = attention_forward(q, K, V)
print(f"手算 {a * 1 + (1 - a) * 3:.4f}，代码 {out[0, 0]:.4f}")
# --8<-- [end:ex1]

# --8<-- [start:ex2]
import numpy as np

from nndl_ref.numpy.attention import causal_mask

# 练习 2：长度 T 的因果掩码里有多少个可见的 (查询, 键) 对？答案 T(T+1)/2
for T in (4, 100):
    print(T, causal_mask(T).sum(), T * (T + 1) // 2)
# --8<-- [end:ex2]

# --8<-- [start:ex3]
import numpy as np

from nndl_ref.numpy.attention import mha_backward, mha_forward

# 练习 3：为什么 b_k 的梯度恒为 0？因为 q·(k_m + b_k) = q·k_m + q·b_k，后一项对所有键相同，softmax 不变。
# 那 b_v 呢？softmax 权重之和为 1，所以 Σ_m α_m (v_m + b_v) = Σ_m α_m v_m + b_v：b_v 的作用等于一个输出偏置 W_o b_v
rng = np.random.default_rng(1)
D, h = 4, 2
p = {k: rng.normal(size=(D, D) if k[0] == "W" else D) for k in ("W_q", "W_k", "W_v", "W_o", "b_q", "b_k", "b_v", "b_o")}
X = rng.normal(size=(1, 3, D))
_, cache = mha_forward(X, X, p, h)
_, _, g = mha_backward(np.ones((1, 3, D)), cache)
print("dL/db_k = 0:", np.allclose(g["b_k"], 0, atol=1e-12))
p2 = {**p, "b_v": np.zeros(D), "b_o": p["b_o"] + p["W_o"] @ p["b_v"]}
print("把 b_v 折进 b_o，输出不变:", np.allclose(mha_forward(X, X, p, h)[0], mha_forward(X, X, p2, h)[0]))
# --8<-- [end:ex3]

# --8<-- [start:ex4]
from nndl_ref.torch.transformer import train_task

# 练习 4：不加任何位置信息（positional="none"），倒序与排序各训练 200 步（与 8.8 节的倒序模型相同的预算）
acc = {}
for task in ("reverse", "sort"):
    _, hist = train_task(task, positional="none", steps=200, eval_every=200)
    acc[task] = hist["seq_acc"][-1]                          # 留出 1000 条上整条全对的比例
print("倒序：整条全对的比例 < 5%:", acc["reverse"] < 0.05)
print("排序：整条全对的比例 > 50%:", acc["sort"] > 0.5)
# --8<-- [end:ex4]

# 练习 4 的答案引用的本站测试机上的数字：倒序 0，排序约 67%
print(f"（本次运行：倒序 {acc['reverse']:.3f}，排序 {acc['sort']:.3f}）")
assert acc["reverse"] == 0.0 and 0.6 < acc["sort"] < 0.75, acc
