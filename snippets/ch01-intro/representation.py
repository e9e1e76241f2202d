"""第 1 章 · 局部表示与分布式表示：用 one-hot 和 RGB 两种方式表示颜色，比较相似度。

页面：docs/ch01-intro/index.md（表示学习一节）。
"""

# --8<-- [start:colors]
import numpy as np

names = ["红", "橙", "蓝", "深蓝"]
one_hot = np.eye(4)                                         # 局部表示：一个颜色占一个维度
rgb = np.array([[255, 0, 0], [255, 165, 0], [0, 0, 255], [0, 0, 139]]) / 255.0   # 分布式表示


def cosine(u, v):
    return u @ v / np.linalg.norm(u) / np.linalg.norm(v)


for i, j in [(0, 1), (0, 2), (2, 3)]:
    print(f"{names[i]}–{names[j]}: one-hot 相似度 {cosine(one_hot[i], one_hot[j]):.2f}，"
          f"RGB 相似度 {cosine(rgb[i], rgb[j]):.2f}")
K = 8
print(f"{K} 个二值单元：局部表示能区分 {K} 种模式，分布式表示能区分 {2 ** K} 种")
# --8<-- [end:colors]
