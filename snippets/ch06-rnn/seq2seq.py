"""第 6 章 · 编码器-解码器：把 8 位数字串倒过来。页面：docs/ch06-rnn/index.md（6.9.3 节）。训练约 8 秒。"""

# --8<-- [start:data]
from nndl_ref.torch.rnn import PAD_START, make_reverse_data

src, tgt = make_reverse_data(n=2, length=8, seed=0)   # (T, B) 与 (T+1, B)：一列一个样本
print("输入:", src[:, 0], "\n目标:", tgt[:, 0], f"（开头的 {PAD_START} 是起始符 <s>）")
# --8<-- [end:data]

# --8<-- [start:train]
import torch

from nndl_ref.torch.rnn import PAD_START, make_reverse_data, trained_seq2seq

# 等同于 train_seq2seq(cell="gru", length=8, hidden_size=128, steps=800, batch_size=64, lr=3e-3)
model, hist = trained_seq2seq()
print("整条序列全对的比例 ≥ 95%（1000 条留出样本，贪心解码）:", hist["seq_acc"][-1] >= 0.95)
src, _ = make_reverse_data(n=3, length=8, seed=123)
pred = model.generate(torch.as_tensor(src), start=PAD_START, length=8)
for i in range(3):
    print("".join(map(str, src[:, i])), "→", "".join(map(str, pred[:, i].tolist())))
# --8<-- [end:train]
assert hist["seq_acc"][-1] >= 0.95, hist["seq_acc"]
print(f"（本次运行：整条序列准确率 {hist['seq_acc'][-1]:.3f}，用时 {hist['seconds']:.1f} 秒）")
# 第 8 章 8.8 节引用：第 400 步时整条准确率还不到 90%，训练满 800 步时超过 95%
assert hist["step"][3] == 400 and hist["seq_acc"][3] < 0.9, hist["seq_acc"]
