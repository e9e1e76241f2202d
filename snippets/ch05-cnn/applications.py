"""第 5 章 · 用自己训练的数字识别网络做两个小应用：对抗样本（FGSM）与类别可视化（对输入做梯度上升）。

页面：docs/ch05-cnn/index.md（5.9 节）。插图由 nndl_ref/figures/ch05.py 的 fgsm() 与 class_images() 画出。
"""

# --8<-- [start:fgsm]
import torch
import torch.nn.functional as F

from nndl_ref import data
from nndl_ref.torch.cnn import accuracy, trained_digits_lenet

model = trained_digits_lenet()                  # 5.6 节训练的 LeNet（同一进程内只训练一次）
d = data.load_digits()
X = torch.tensor(d.X_test.reshape(-1, 1, 8, 8) / 16, dtype=torch.float32)   # 像素在 [0, 1]
y = torch.tensor(d.y_test)

# FGSM：沿损失对输入的梯度的符号走一步，x' = clip(x + ε·sign(∇_x L), 0, 1)
X_req = X.clone().requires_grad_()
grad_x, = torch.autograd.grad(F.cross_entropy(model(X_req), y), X_req)   # 只对输入求导，不碰网络参数
direction = grad_x.sign()
noise = torch.randint(0, 2, X.shape, generator=torch.Generator().manual_seed(0)) * 2 - 1   # 对照：随机符号

acc = {}
for eps in (0.0, 0.05, 0.1, 0.2):
    acc[eps] = (accuracy(model, (X + eps * direction).clamp(0, 1), y),
                accuracy(model, (X + eps * noise).clamp(0, 1), y))
print(f"不加扰动的测试准确率 ≥ 98%: {acc[0.0][0] >= 0.98}")
print(f"ε = 0.2（每个像素最多改 3.2 个灰度级，满量程 16）：FGSM 后准确率 < 50%: {acc[0.2][0] < 0.5}")
print(f"同样大小的随机符号噪声，准确率仍 ≥ 90%: {acc[0.2][1] >= 0.9}")
# --8<-- [end:fgsm]
print("[记录]", {k: tuple(round(a, 3) for a in v) for k, v in acc.items()})

# --8<-- [start:classvis]
import torch
import torch.nn.functional as F

from nndl_ref.torch.cnn import trained_digits_lenet

model = trained_digits_lenet()                  # 网络参数固定，只优化输入

# 从全黑的图出发，对第 c 类的打分 z_c 做梯度上升（加一点 L2 惩罚），像素保持在 [0, 1]
x = torch.zeros(10, 1, 8, 8, requires_grad=True)  # 10 张图，第 c 张对应类别 c
opt = torch.optim.Adam([x], lr=0.05)
for step in range(200):
    z = model(x)
    objective = z[range(10), range(10)].sum() - 0.01 * (x ** 2).sum()
    x.grad, = torch.autograd.grad(-objective, x)   # 最大化目标 = 最小化它的相反数（只对 x 求导）
    opt.step()
    with torch.no_grad():
        x.clamp_(0, 1)

prob = F.softmax(model(x), dim=1)
print("每张图都被判为目标类别:", prob.argmax(dim=1).tolist() == list(range(10)))
print("目标类别的概率都 > 0.99:", bool(prob[range(10), range(10)].min() > 0.99))
# --8<-- [end:classvis]
