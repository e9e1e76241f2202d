"""第 8 章 · Transformer 的编码器块与解码器块（前归一化 / 后归一化），NumPy 从零实现 vs torch 内置层。

页面：docs/ch08-attention/index.md（8.7 节）。
"""

# --8<-- [start:encoder]
import numpy as np
import torch

from nndl_ref.gradcheck import numerical_vjp, rel_error
from nndl_ref.numpy.transformer import EncoderBlock
from nndl_ref.torch.transformer import load_numpy_block

rng = np.random.default_rng(0)
X = rng.normal(size=(2, 5, 8))                               # (B, T, D)
for pre_norm in (False, True):
    blk = EncoderBlock(D=8, num_heads=2, F=16, rng=rng, pre_norm=pre_norm)
    Y = blk.forward(X)
    G = rng.normal(size=Y.shape)
    dX = blk.backward(G)
    ok = rel_error(dX, numerical_vjp(lambda x: blk.forward(x), X.copy(), G)) < 1e-7
    tl = torch.nn.TransformerEncoderLayer(8, 2, 16, dropout=0.0, batch_first=True, norm_first=pre_norm,
                                          dtype=torch.float64)
    load_numpy_block(blk, tl)                                # 权重原样拷贝，对应关系见文档字符串
    Xt = torch.tensor(X, requires_grad=True)
    Yt = tl(Xt)
    (Yt * torch.tensor(G)).sum().backward()
    same = np.allclose(Y, Yt.detach().numpy(), atol=1e-12) and np.allclose(dX, Xt.grad.numpy(), atol=1e-10)
    print(f"{'前归一化' if pre_norm else '后归一化'}: 梯度检查通过 {ok}，与 TransformerEncoderLayer 相同 {same}")
# --8<-- [end:encoder]

# --8<-- [start:decoder]
import numpy as np
import torch

from nndl_ref.numpy.transformer import DecoderBlock
from nndl_ref.torch.transformer import load_numpy_block

rng = np.random.default_rng(0)
X, memory = rng.normal(size=(2, 4, 8)), rng.normal(size=(2, 6, 8))   # 目标序列 4 个词，编码器输出 6 个
blk = DecoderBlock(D=8, num_heads=2, F=16, rng=rng, pre_norm=False)
Y = blk.forward(X, memory)
dX, dmemory = blk.backward(np.ones_like(Y))
tl = load_numpy_block(blk, torch.nn.TransformerDecoderLayer(8, 2, 16, dropout=0.0, batch_first=True,
                                                            dtype=torch.float64))
Xt, Mt = torch.tensor(X, requires_grad=True), torch.tensor(memory, requires_grad=True)
Yt = tl(Xt, Mt, tgt_mask=torch.nn.Transformer.generate_square_subsequent_mask(4, dtype=torch.float64))
Yt.sum().backward()
print("解码器块输出相同:", np.allclose(Y, Yt.detach().numpy(), atol=1e-12))
print("对目标序列、对编码器输出的梯度都相同:",
      np.allclose(dX, Xt.grad.numpy(), atol=1e-10) and np.allclose(dmemory, Mt.grad.numpy(), atol=1e-10))
Y2 = blk.forward(np.concatenate([X[:, :2], rng.normal(size=(2, 2, 8))], axis=1), memory)
print("改动第 3、4 个词，前 2 个位置的输出不变（因果掩码）:", np.allclose(Y[:, :2], Y2[:, :2]))
# --8<-- [end:decoder]
