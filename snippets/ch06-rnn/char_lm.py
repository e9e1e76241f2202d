"""第 6 章 · 字符级 LSTM 语言模型：在 Python 自带的文档上训练，看困惑度下降、在不同温度下采样。

页面：docs/ch06-rnn/index.md（6.9.1 节）。训练约 20 秒（1500 步，单线程），同一进程内只训练一次。
"""

# --8<-- [start:data]
from nndl_ref.data_text import CharVocab, load_python_docs

text = load_python_docs()                   # pydoc_data.topics：help("for") 等显示的英文文档，随 Python 安装
vocab = CharVocab(text)
print(text[:22])
print("字符数超过 40 万:", len(text) > 400_000, "  字符表在 80 到 120 个之间:", 80 <= len(vocab) <= 120)
print(vocab.encode("for x in"), "→", repr(vocab.decode(vocab.encode("for x in"))))
# --8<-- [end:data]

# --8<-- [start:train]
from nndl_ref.torch.rnn import trained_char_lm

# 等同于 train_char_lm(hidden_size=128, seq_len=64, batch_size=32, steps=1500, lr=3e-3, clip=1.0)，
# 只是同一进程内缓存结果（插图也用它）
model, vocab, hist = trained_char_lm()
print("参数个数约", round(sum(p.numel() for p in model.parameters()), -4))    # 确切数目随字符表大小略有不同
print("第 100 步的验证集困惑度 > 8:", hist["val_ppl"][0] > 8)
print("训练结束时 < 6.5（均匀猜测时等于字符表大小）:", hist["val_ppl"][-1] < 6.5)
# --8<-- [end:train]
assert hist["val_ppl"][0] > 8 and hist["val_ppl"][-1] < 6.5, hist["val_ppl"]

# --8<-- [start:sample]
from nndl_ref.torch.rnn import sample, trained_char_lm

model, vocab, hist = trained_char_lm()
for temperature in (0.5, 1.0, 1.5):
    print(f"--- 温度 τ = {temperature}")
    print(sample(model, vocab, prime="The ", length=160, temperature=temperature, seed=0))
# --8<-- [end:sample]
print(f"（本次运行：验证集困惑度 {hist['val_ppl'][0]:.2f} → {hist['val_ppl'][-1]:.2f}，用时 {hist['seconds']:.1f} 秒）")

# 页面正文：语料"四十多万字符"；小结里"本站测试机上约 5.6"
assert 400_000 < len(text) < 500_000, len(text)
assert abs(hist["val_ppl"][-1] - 5.6) < 0.2, hist["val_ppl"][-1]
