"""第 8 章 · 词嵌入与表示学习：嵌入层 = one-hot × 矩阵；训练出来的数字嵌入。页面：docs/ch08-attention/index.md（8.9 节）。"""

# --8<-- [start:onehot]
import numpy as np

from nndl_ref.numpy.transformer import embedding_backward, embedding_forward, one_hot

rng = np.random.default_rng(0)
E = rng.normal(size=(11, 4))                                 # 词表 11 个词，每个嵌入成 4 维
ids = np.array([[3, 1, 4, 1]])
X, cache = embedding_forward(ids, E)                         # 查表：E[ids]
print("查表 = one-hot × 矩阵:", np.array_equal(X, one_hot(ids, 11) @ E))
dE = embedding_backward(np.ones_like(X), cache)
print("梯度只落在出现过的行上，出现两次的 1 号词累加两次:", dE[:, 0].tolist())
# --8<-- [end:onehot]

# --8<-- [start:learned]
import numpy as np

from nndl_ref.torch.transformer import trained_task

for task in ("sort", "reverse"):
    model, _ = trained_task(task)
    E = model.tok.weight.detach().numpy()[:10]               # 数字 0–9 的嵌入 (10, 64)
    d = np.linalg.norm(E[:, None] - E[None], axis=-1)        # 两两欧氏距离
    np.fill_diagonal(d, np.inf)
    nn = d.argmin(axis=1)                                    # 每个数字的最近邻
    adjacent = int(np.sum(np.abs(nn - np.arange(10)) == 1))  # 最近邻恰好是相邻数字（i ± 1）的个数
    print(f"{task:>7}: 最近邻是相邻数字的个数 ≥ 8: {adjacent >= 8}")
# --8<-- [end:learned]

# 页面正文引用的一次运行的结果（不在页面上显示）：两个模型各自的最近邻
for task in ("sort", "reverse"):
    E = trained_task(task)[0].tok.weight.detach().numpy()[:10]
    d = np.linalg.norm(E[:, None] - E[None], axis=-1) + np.diag(np.full(10, np.inf))
    print(f"{task} 最近邻:", d.argmin(axis=1).tolist())
    # 页面正文：排序模型里 10 个数字的最近邻全是相邻的数字；倒序模型里只有两三个是
    adjacent = int(np.sum(np.abs(d.argmin(axis=1) - np.arange(10)) == 1))
    assert adjacent == 10 if task == "sort" else adjacent <= 3, (task, d.argmin(axis=1))
