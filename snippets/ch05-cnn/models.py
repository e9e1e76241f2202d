"""第 5 章 · 典型卷积网络的结构：VGG 式的卷积块与残差单元。页面：docs/ch05-cnn/index.md（5.6 节、5.7 节）。"""

# --8<-- [start:vgg]
import torch

from nndl_ref.torch.cnn import VGG

model = VGG(in_channels=1, num_classes=10, image_size=8, blocks=((32, 2), (64, 2)))
x = torch.zeros(1, 1, 8, 8)
for i, block in enumerate(model.features):
    x = block(x)
    convs = sum(isinstance(m, torch.nn.Conv2d) for m in block)
    print(f"卷积块 {i + 1}: {convs} 个 3×3 卷积 + 2×2 汇聚 → {tuple(x.shape[1:])}")
print("全连接:", model.classifier(x).shape[1], "类；参数个数", sum(p.numel() for p in model.parameters()))
# --8<-- [end:vgg]

# --8<-- [start:resnet]
import torch

from nndl_ref.torch.cnn import ResidualUnit, ResNet

x = torch.randn(2, 16, 8, 8)
same = ResidualUnit(16, 16)                     # 形状不变：直连边是恒等函数
down = ResidualUnit(16, 32, stride=2)           # 通道加倍、尺寸减半：直连边是 1×1 卷积（投影）
print("恒等直连边:", same.projection is None, tuple(same(x).shape))
print("1×1 投影:  ", down.projection[0], tuple(down(x).shape))

model = ResNet(in_channels=1, num_classes=10, stages=(16, 32), units_per_stage=2)
n_units = sum(isinstance(m, ResidualUnit) for m in model.modules())
print(f"ResNet：{n_units} 个残差单元，参数个数 {sum(p.numel() for p in model.parameters()):,d}，"
      f"输出 {tuple(model(torch.zeros(3, 1, 8, 8)).shape)}")
# --8<-- [end:resnet]
