"""第 5 章 · 残差网络为什么好训练：深网络第一层的梯度，有直连边与没有直连边。

页面：docs/ch05-cnn/index.md（5.7 节）。插图由 nndl_ref/figures/ch05.py 的 resnet_gradients() 画出。
"""

# --8<-- [start:grad]
import torch
import torch.nn.functional as F

from nndl_ref import data
from nndl_ref.torch.cnn import DeepConvNet

d = data.load_digits()
X = torch.tensor(d.X_train[:128].reshape(-1, 1, 8, 8) / 16, dtype=torch.float32)
y = torch.tensor(d.y_train[:128])

norms = {}
for residual in (False, True):
    torch.manual_seed(0)                                   # 两个网络的卷积核完全相同，只差直连边
    net = DeepConvNet(depth=30, channels=8, residual=residual)
    F.cross_entropy(net(X), y).backward()
    norms[residual] = net.layer_grad_norms()               # 第 1 层 … 第 30 层的 ‖∂L/∂W_l‖
plain, res = norms[False], norms[True]
print(f"普通网络：第 1 层梯度不到第 30 层的 10^-10: {plain[0] / plain[-1] < 1e-10}")
print(f"残差网络：第 1 层与第 30 层梯度在同一数量级: {0.1 < res[0] / res[-1] < 10}")
print(f"第 1 层的梯度，残差网络是普通网络的 10^15 倍以上: {res[0] / plain[0] > 1e15}")
# --8<-- [end:grad]
assert plain[0] / plain[-1] < 1e-10 and 0.1 < res[0] / res[-1] < 10 and res[0] / plain[0] > 1e15
