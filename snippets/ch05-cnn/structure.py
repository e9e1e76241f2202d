"""第 5 章 · 卷积网络的整体结构：感受野的计算，以及卷积核大小的取舍。页面：docs/ch05-cnn/index.md（5.4 节）。"""

# --8<-- [start:rf]
import torch
import torch.nn.functional as F

from nndl_ref.numpy.conv import receptive_field

# VGG 式配方：每块 2 个 3×3 卷积（步长 1）+ 一个 2×2 汇聚（步长 2），共 3 块
vgg = [(3, 1), (3, 1), (2, 2)] * 3
print("VGG 式 3 块，逐层感受野:", receptive_field(vgg))
print("LeNet（3×3 卷积、2×2 汇聚，两次）:", receptive_field([(3, 1), (2, 2), (3, 1), (2, 2)]))

# 用梯度核对：最后一层中间一个神经元对输入求梯度，非零区域的宽度就是感受野
x = torch.zeros(1, 1, 64, 64, requires_grad=True)
h = x
for K, S in vgg:
    h = F.conv2d(h, torch.ones(1, 1, K, K)) if S == 1 else F.avg_pool2d(h, K, S)
h[0, 0, h.shape[2] // 2, h.shape[3] // 2].backward()
rows = torch.nonzero(x.grad[0, 0].abs().sum(dim=1)).flatten()
print("由梯度量出的感受野:", int(rows.max() - rows.min() + 1))
# --8<-- [end:rf]

# --8<-- [start:kernels]
from nndl_ref.numpy.conv import receptive_field

C = 64                                                 # 输入、输出通道数都是 C（不计偏置）
for big, n_small in ((5, 2), (7, 3)):
    rf = receptive_field([(3, 1)] * n_small)[-1]
    print(f"{n_small} 层 3×3：感受野 {rf}×{rf}，参数 {n_small * 9 * C * C:,d}，{n_small} 次非线性；"
          f"1 层 {big}×{big}：感受野 {big}×{big}，参数 {big * big * C * C:,d}，1 次非线性")
# --8<-- [end:kernels]
