"""第 5 章 · 步长、补零与空洞：输出尺寸公式，由代码逐行核对。页面：docs/ch05-cnn/index.md（5.2 节）。"""

# --8<-- [start:table]
import numpy as np
import torch
import torch.nn.functional as F

from nndl_ref.numpy.conv import conv1d_forward, conv_output_size, effective_kernel_size

print("  M  K  S  P  D   K'   公式 M'  NumPy  torch")
for M, K, S, P, D in [(7, 3, 1, 0, 1), (7, 3, 1, 2, 1), (7, 3, 1, 1, 1), (28, 3, 2, 1, 1),
                      (28, 5, 2, 2, 1), (10, 3, 1, 0, 2), (10, 3, 1, 2, 2), (40, 5, 2, 1, 1)]:
    formula = (M - effective_kernel_size(K, D) + 2 * P) // S + 1           # ⌊(M − K' + 2P)/S⌋ + 1
    y_np, _ = conv1d_forward(np.zeros((1, 1, M)), np.zeros((1, 1, K)), stride=S, padding=P, dilation=D)
    y_th = F.conv1d(torch.zeros(1, 1, M), torch.zeros(1, 1, K), stride=S, padding=P, dilation=D)
    assert formula == conv_output_size(M, K, S, P, D) == y_np.shape[-1] == y_th.shape[-1]
    print(f"{M:3d} {K:2d} {S:2d} {P:2d} {D:2d} {effective_kernel_size(K, D):4d} {formula:8d} "
          f"{y_np.shape[-1]:6d} {y_th.shape[-1]:6d}")
# --8<-- [end:table]
