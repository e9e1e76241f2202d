"""第 5 章 · 卷积做边缘检测：真实照片（scikit-image 自带的 camera，无需下载）上的 w = (1, −1) 与 Sobel 算子。

页面：docs/ch05-cnn/index.md（5.2 节）。插图由 nndl_ref/figures/ch05.py 的 edges() 用同样的代码画出。
"""

# --8<-- [start:diff]
import numpy as np
from skimage import data

from nndl_ref.numpy.conv import conv2d_forward

img = data.camera()[::2, ::2] / 255.0          # 512×512 → 256×256，灰度值缩放到 [0, 1]
X = img[None, None]                            # (B, D, M, N) = (1, 1, 256, 256)

W = np.array([1.0, -1.0]).reshape(1, 1, 1, 2)  # 笔记里的 w = (1, −1)，沿水平方向
Y, _ = conv2d_forward(X, W)                    # y[i, j] = x[i, j] − x[i, j+1]
Y = Y[0, 0]
print("输出形状:", Y.shape, "（窄卷积：宽度 256 − 2 + 1）")
print(f"平坦区域（天空，第 20 行）的平均 |响应|: {np.abs(Y[20, 40:120]).mean():.3f}")
strong = np.abs(Y) > 0.2
print(f"|响应| > 0.2 的像素占比: {strong.mean():.1%}")
print("左暗右亮（负响应）与左亮右暗（正响应）都有:", (Y < -0.2).any() and (Y > 0.2).any())
# --8<-- [end:diff]

# --8<-- [start:sobel]
import numpy as np
from skimage import data, filters

from nndl_ref.numpy.conv import conv2d_forward

img = data.camera()[::2, ::2] / 255.0
X = img[None, None]
Gx = np.array([[1.0, 0, -1], [2, 0, -2], [1, 0, -1]])   # 检测竖直边缘（水平方向的变化）
Gy = Gx.T                                                 # 检测水平边缘（竖直方向的变化）
W = np.stack([Gx, Gy])[:, None]                           # (P, D, U, V) = (2, 1, 3, 3)：两个输出通道
Y, _ = conv2d_forward(X, W, padding=1)                    # 等宽卷积：输出仍是 256×256
gx, gy = Y[0]
magnitude = np.hypot(gx, gy)                              # 梯度幅值 √(gx² + gy²)
print("两个特征映射:", Y.shape)

# 与 scikit-image 的 Sobel 对照（它除以 4，且符号约定相反；只比较内部像素，边界处理方式不同）
inner = (slice(1, -1), slice(1, -1))
print("与 skimage.filters.sobel_v 一致:", np.allclose(-gx[inner] / 4, filters.sobel_v(img)[inner]))
print("与 skimage.filters.sobel_h 一致:", np.allclose(-gy[inner] / 4, filters.sobel_h(img)[inner]))
print(f"幅值最大的 5% 像素占全部幅值的 {np.sort(magnitude.ravel())[-len(magnitude.ravel()) // 20:].sum() / magnitude.sum():.0%}")
# --8<-- [end:sobel]

# --8<-- [start:signs]
import numpy as np

from nndl_ref.numpy.conv import conv2d_forward

flat = np.full((1, 1, 5, 5), 0.7)                        # 一块亮度处处为 0.7 的平坦区域
step = np.zeros((1, 1, 5, 5))
step[..., 3:] = 1.0                                      # 一条竖直的阶跃边缘：左暗右亮

kernels = {
    "全正（3×3 平均）": np.full((1, 1, 3, 3), 1 / 9),
    "正负（Sobel Gx）": np.array([[1.0, 0, -1], [2, 0, -2], [1, 0, -1]])[None, None],
}
for name, W in kernels.items():
    on_flat = conv2d_forward(flat, W)[0][0, 0, 1, 1]
    on_edge = conv2d_forward(step, W)[0][0, 0, 1]
    print(f"{name}: 权重和 {W.sum():+.0f}，平坦区域 → {on_flat:+.2f}，跨过边缘 → {np.round(on_edge, 2)}")
# --8<-- [end:signs]
