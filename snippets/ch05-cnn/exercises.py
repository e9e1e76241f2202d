"""第 5 章 · 习题答案（每个答案都由测试运行并检查）。页面：docs/ch05-cnn/index.md（习题）。"""

# --8<-- [start:ex1]
from torch import nn

from nndl_ref.numpy.conv import conv_output_size

# LeNet-5 的 C1 层：输入 32×32×1，6 个 5×5 卷积核，步长 1，不补零
M_out = conv_output_size(32, 5, stride=1, padding=0)
params = 6 * (5 * 5 * 1) + 6
print(f"输出 {M_out}×{M_out}×6，参数 {params} 个，连接 {M_out * M_out * 6 * (5 * 5 + 1):,d} 条")
print(sum(p.numel() for p in nn.Conv2d(1, 6, 5).parameters()) == params)
# --8<-- [end:ex1]

# --8<-- [start:ex2]
from nndl_ref.numpy.conv import conv_output_size, receptive_field

print("AlexNet 第一层 227→", conv_output_size(227, 11, stride=4, padding=0))
# LeNet-5：C1 5×5、S2 2×2/2、C3 5×5、S4 2×2/2、C5 5×5
print("LeNet-5 逐层感受野:", receptive_field([(5, 1), (2, 2), (5, 1), (2, 2), (5, 1)]))
# --8<-- [end:ex2]

# --8<-- [start:ex3]
import numpy as np
from scipy.signal import convolve2d

from nndl_ref.numpy.conv import conv2d_forward

rng = np.random.default_rng(0)
x = rng.standard_normal((1, 1, 10, 10))
w1, w2 = rng.standard_normal((3, 3)), rng.standard_normal((3, 3))
two_layers, _ = conv2d_forward(conv2d_forward(x, w1[None, None])[0], w2[None, None])   # 两层 3×3，没有激活函数
w = convolve2d(w1, w2, mode="full")                                                  # 等效的 5×5 卷积核
one_layer, _ = conv2d_forward(x, w[None, None])
print("两层 3×3（无激活）= 一层 5×5:", w.shape, np.allclose(two_layers, one_layer))
# --8<-- [end:ex3]

# --8<-- [start:ex4]
import numpy as np

from nndl_ref.numpy.conv import conv2d_forward
from nndl_ref.numpy.pooling import max_pool2d_forward

rng = np.random.default_rng(1)
x = rng.standard_normal((1, 1, 12, 12))
W = rng.standard_normal((1, 1, 3, 3))
shifted = np.roll(x, shift=2, axis=3)                    # 把图像右移 2 个像素

y, _ = conv2d_forward(x, W)
y_shift, _ = conv2d_forward(shifted, W)
print("卷积是平移等变的（内部区域）:", np.allclose(y_shift[..., 4:], np.roll(y, 2, axis=3)[..., 4:]))

x1 = np.zeros((1, 1, 4, 4))
x1[0, 0, 0, 0] = 1.0
x2 = np.roll(x1, 1, axis=3)                              # 亮点在 2×2 窗口内移动一格
print("最大汇聚对窗口内的小平移不变:", np.array_equal(max_pool2d_forward(x1)[0], max_pool2d_forward(x2)[0]))
# --8<-- [end:ex4]

# --8<-- [start:ex5]
import numpy as np

from nndl_ref.numpy.conv import conv_transpose2d_forward

M_in, K, S, P, out_pad = 4, 3, 2, 1, 1
formula = (M_in - 1) * S - 2 * P + K + out_pad
out, _ = conv_transpose2d_forward(np.ones((1, 1, M_in, M_in)), np.ones((1, 1, K, K)), stride=S, padding=P,
                                  output_padding=out_pad)
print(f"(M'−1)S − 2P + K + output_padding = {formula}，实际输出 {out.shape[2]}×{out.shape[3]}")
# --8<-- [end:ex5]
