"""第 8 章 · 在 CPU 上训练一个小 Transformer：倒序与排序两个算法任务；训练好的注意力图。

页面：docs/ch08-attention/index.md（8.8 节）。两个模型共训练约 15 秒（单线程）。
"""

# --8<-- [start:data]
from nndl_ref.torch.transformer import make_task

for task in ("reverse", "sort"):
    seq = make_task(1, length=8, task=task, seed=0)[0]       # x_1 … x_8 <sep>(=10) y_1 … y_8
    print(f"{task:>7}:", seq.tolist())
# --8<-- [end:data]

# --8<-- [start:train]
from nndl_ref.torch.transformer import make_task, trained_task

# 等同于 train_task("reverse", steps=200)：2 层、4 头、D = 64，AdamW，每步 64 条新样本
model, hist = trained_task("reverse")
print(f"参数个数: {sum(p.numel() for p in model.parameters()):,}")
print("倒序：留出 1000 条整条全对的比例 ≥ 99%:", hist["seq_acc"][-1] >= 0.99)
model_sort, hist_sort = trained_task("sort")                 # 排序，400 步
print("排序：留出 1000 条整条全对的比例 ≥ 99%:", hist_sort["seq_acc"][-1] >= 0.99)
test = make_task(3, length=8, task="sort", seed=123)
pred = model_sort.generate(test[:, :9], steps=8)
for x, y in zip(test[:, :8].tolist(), pred.tolist()):
    print("".join(map(str, x)), "→", "".join(map(str, y)))
# --8<-- [end:train]
assert hist["seq_acc"][-1] >= 0.99 and hist_sort["seq_acc"][-1] >= 0.99, (hist, hist_sort)
print(f"（本次运行：倒序 {hist['seq_acc'][-1]:.3f}，{hist['seconds']:.1f} 秒；排序 {hist_sort['seq_acc'][-1]:.3f}，"
      f"{hist_sort['seconds']:.1f} 秒）")

# --8<-- [start:maps]
import torch

from nndl_ref.torch.transformer import make_task, trained_task

model, _ = trained_task("reverse")
seq = make_task(1, length=8, task="reverse", seed=5)
with torch.no_grad():
    model(seq[:, :-1])                                       # 前向一次，每层的注意力分布存在 mixer.attention
A = model.blocks[0].mixer.attention[0]                       # 第 1 层：(头, 查询位置, 键位置)
# 查询位置 8..15 负责输出 y_1..y_8；每个头最关注的输入位置：
focus = A[:, 8:16].argmax(-1).tolist()                      # (头, 8)
reversed_heads = [h for h, f in enumerate(focus) if f == [7, 6, 5, 4, 3, 2, 1, 0]]
print("有头恰好倒着看输入（位置 7, 6, …, 0）:", len(reversed_heads) > 0)
print("这些头在那个位置上的平均权重 > 0.8:", bool(A[reversed_heads, 8:16].max(-1).values.mean() > 0.8))
# --8<-- [end:maps]

# 页面正文（8.8 节）：倒序模型在第一次评估（第 50 步）时就已经全对
assert hist["step"][0] == 50 and hist["seq_acc"][0] == 1.0, hist
