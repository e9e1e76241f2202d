"""第 6 章 · MNIST-1D 上的 GRU 分类器（多对一）：测试准确率达到论文中 GRU 的 91%。

页面：docs/ch06-rnn/index.md（6.9.2 节）。训练约 20 秒（15 轮，单线程），同一进程内只训练一次。
"""

# --8<-- [start:gru]
from nndl_ref.torch.rnn import trained_mnist1d_gru

# 等同于 train_mnist1d_gru(hidden_size=64, bidirectional=True, epochs=15, lr=1e-2, batch_size=100)：
# 每条样本是 T = 40 步、每步 1 个数的序列；双向 GRU 读完后用 [→h_T ; ←h_1] 分类
model, hist = trained_mnist1d_gru()
print("参数个数:", sum(p.numel() for p in model.parameters()))
acc = hist.val_acc[-1]
print(f"测试准确率 ≥ 91%（论文中 GRU 的结果）: {acc >= 0.91}")
# --8<-- [end:gru]
assert acc >= 0.91, hist.val_acc
print(f"（本次运行：测试准确率 {acc:.3f}，用时 {hist.seconds:.1f} 秒）")
