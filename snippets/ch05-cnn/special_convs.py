"""第 5 章 · 其他卷积：空洞卷积、转置卷积、1×1 卷积。页面：docs/ch05-cnn/index.md（5.5 节）。"""

# --8<-- [start:dilated]
import numpy as np

from nndl_ref.numpy.conv import conv2d_forward, effective_kernel_size, receptive_field

x = np.zeros((1, 1, 9, 9))
x[0, 0, 4, 4] = 1.0                                      # 一个脉冲：输出里哪些位置"看得见"它
W = np.ones((1, 1, 3, 3))
for D in (1, 2, 3):
    y, _ = conv2d_forward(x, W, padding=D, dilation=D)   # 补零 P = D：空洞卷积也保持 9×9
    seen = np.argwhere(y[0, 0] > 0)
    print(f"膨胀率 D={D}: K' = {effective_kernel_size(3, D)}，输出 {y.shape[2:]}，"
          f"看得见中心的输出位置跨 {np.ptp(seen[:, 0]) + 1}×{np.ptp(seen[:, 1]) + 1}")
print("三层 3×3、膨胀率 1, 2, 4 的感受野:", receptive_field([(3, 1, 1), (3, 1, 2), (3, 1, 4)]))
print("三层 3×3、普通卷积的感受野:      ", receptive_field([(3, 1, 1), (3, 1, 1), (3, 1, 1)]))
# --8<-- [end:dilated]

# --8<-- [start:transposed]
import numpy as np
import torch
import torch.nn.functional as F

from nndl_ref.numpy.conv import conv2d_backward, conv2d_forward, conv_transpose2d_forward

rng = np.random.default_rng(0)
W = rng.standard_normal((2, 3, 3, 3))                    # 卷积：3 通道 → 2 通道
X = rng.standard_normal((1, 3, 8, 8))
Y, cache = conv2d_forward(X, W, stride=2, padding=1)      # 8×8 → 4×4（低维）
print("卷积:     ", X.shape, "→", Y.shape)

Z = rng.standard_normal(Y.shape)
up, _ = conv_transpose2d_forward(Z, W, stride=2, padding=1, output_padding=1)   # 4×4 → 8×8（高维）
print("转置卷积: ", Z.shape, "→", up.shape)

dX, _, _ = conv2d_backward(Z, cache)                      # 卷积对输入的梯度
print("转置卷积 = 卷积对输入的梯度:", np.allclose(up, dX))
ref = F.conv_transpose2d(torch.tensor(Z), torch.tensor(W), stride=2, padding=1, output_padding=1)
print("与 F.conv_transpose2d 相同:", np.allclose(up, ref.numpy()))

# 卷积是线性映射 y = C x；把 C 显式写出来，转置卷积正是 Cᵀ
C = np.stack([conv2d_forward(e.reshape(X.shape), W, stride=2, padding=1)[0].ravel()
              for e in np.eye(X.size)], axis=1)           # (2·4·4, 3·8·8) = (32, 192)
print("C 的形状:", C.shape, " 转置卷积 = Cᵀ z:", np.allclose(up.ravel(), C.T @ Z.ravel()))
# --8<-- [end:transposed]

# --8<-- [start:one_by_one]
import numpy as np
from skimage import color, data

from nndl_ref.numpy.conv import conv2d_forward

rgb = data.chelsea()[::4, ::4] / 255.0                   # 一张彩色照片（猫），(75, 113, 3)
X = rgb.transpose(2, 0, 1)[None]                         # (B, D, M, N) = (1, 3, 75, 113)
W = np.array([[0.2125, 0.7154, 0.0721],                  # 通道 1：亮度（与 skimage 的 rgb2gray 同系数）
              [0.5, 0.0, -0.5]])[:, :, None, None]       # 通道 2：红减蓝（"偏暖还是偏冷"）
Y, _ = conv2d_forward(X, W)                              # 1×1 卷积：(1, 3, 75, 113) → (1, 2, 75, 113)
print("1×1 卷积:", X.shape, "→", Y.shape)
print("通道 1 就是灰度图:", np.allclose(Y[0, 0], color.rgb2gray(rgb)))
print("每个像素独立地做 y = W x:", np.allclose(Y[0, :, 10, 20], W[:, :, 0, 0] @ X[0, :, 10, 20]))
print(f"256 → 64 通道的 1×1 卷积有 {64 * 256 + 64:,d} 个参数，3×3 卷积有 {64 * 256 * 9 + 64:,d} 个")
# --8<-- [end:one_by_one]
