"""第 6 章 · 三种序列形状：多对一（分类）、同步多对多（标注）、编码器-解码器。NumPy 手写梯度，与 torch 对照。

页面：docs/ch06-rnn/index.md（6.3 节）。
"""

# --8<-- [start:numpy]
import numpy as np

from nndl_ref.gradcheck import numerical_gradient, rel_error
from nndl_ref.numpy.rnn import Seq2Seq, SequenceClassifier, SequenceTagger

rng = np.random.default_rng(0)
T, B, D = 6, 3, 2
x = rng.standard_normal((T, B, D))
tasks = {
    "多对一（分类）": (SequenceClassifier("gru", D, 5, 4, seed=0), x, rng.integers(0, 4, B)),
    "同步多对多（标注）": (SequenceTagger("lstm", D, 5, 4, bidirectional=True, seed=0), x, rng.integers(0, 4, (T, B))),
    "编码器-解码器": (Seq2Seq("gru", vocab_size=6, hidden_size=5, seed=0), rng.integers(0, 6, (T, B)),
                  rng.integers(0, 6, (4, B))),
}
for name, (model, inputs, targets) in tasks.items():
    loss, grads = model.loss_and_grads(inputs, targets)
    worst = 0.0
    for key, p in model.params().items():
        def f(v, p=p):
            old = p.copy()
            p[...] = v
            value = model.loss_and_grads(inputs, targets)[0]
            p[...] = old
            return value
        worst = max(worst, rel_error(grads[key], numerical_gradient(f, p.copy(), h=1e-5)))
    print(f"{name}: 损失 {loss:.4f}，{len(grads)} 组参数的梯度检查通过: {worst < 1e-6}")
# --8<-- [end:numpy]

# --8<-- [start:torch]
import numpy as np
import torch
import torch.nn.functional as F

from nndl_ref.numpy import rnn as np_rnn
from nndl_ref.torch import rnn as th_rnn

rng = np.random.default_rng(0)
src, tgt = rng.integers(0, 6, (6, 3)), rng.integers(0, 6, (4, 3))
model = np_rnn.Seq2Seq("gru", vocab_size=6, hidden_size=5, seed=0)
loss, grads = model.loss_and_grads(src, tgt)

twin = th_rnn.Seq2Seq("gru", 6, 5, book_gru=True).double().load_numpy(model.params())
Z = twin(torch.from_numpy(src), torch.from_numpy(tgt[:-1]))          # teacher forcing：输入 tgt[:-1]，预测 tgt[1:]
loss_t = F.cross_entropy(Z.reshape(-1, 6), torch.from_numpy(tgt[1:]).reshape(-1))
loss_t.backward()
print(f"损失 NumPy {loss:.6f}，PyTorch {loss_t.item():.6f}")
print("编码器的 ∂L/∂U 一致（梯度经解码器的初始状态传回编码器）:",
      np.allclose(grads["enc.U"], twin.enc.weight_hh_l0.grad.numpy()))
# --8<-- [end:torch]
