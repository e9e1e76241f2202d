"""第 6 章 · 深层循环网络：堆叠与双向，与 torch 的 num_layers / bidirectional 对照。页面：docs/ch06-rnn/index.md（6.7 节）。"""

# --8<-- [start:numpy]
import numpy as np

from nndl_ref.numpy.rnn import DeepRNN

net = DeepRNN("lstm", input_size=3, hidden_size=4, num_layers=2, bidirectional=True, seed=0)
x = np.random.default_rng(0).standard_normal((5, 2, 3))           # (T, B, D)
h = net.forward(x)
print("输出的形状 (T, B, 2H):", h.shape)
print("参数:", sorted(net.params()))
# --8<-- [end:numpy]

# --8<-- [start:torch]
import numpy as np
import torch

from nndl_ref.numpy.rnn import DeepRNN
from nndl_ref.torch.rnn import load_numpy

net = DeepRNN("lstm", input_size=3, hidden_size=4, num_layers=2, bidirectional=True, seed=0)
x = np.random.default_rng(0).standard_normal((5, 2, 3))
lstm = load_numpy(torch.nn.LSTM(3, 4, num_layers=2, bidirectional=True).double(), net.params())
out, (h_n, c_n) = lstm(torch.from_numpy(x))
print("与 nn.LSTM(num_layers=2, bidirectional=True) 一致:", np.allclose(net.forward(x), out.detach().numpy()))
H = 4
print("反向那一层读完整条序列后停在 t = 1:", torch.allclose(out[0, :, H:], h_n[-1]))
# --8<-- [end:torch]
