"""第 5 章 · 汇聚层：最大汇聚与平均汇聚的前向与反向。页面：docs/ch05-cnn/index.md（5.3 节）。"""

# --8<-- [start:numpy]
import numpy as np

from nndl_ref.numpy.pooling import avg_pool2d_backward, avg_pool2d_forward, max_pool2d_backward, max_pool2d_forward

x = np.array([[1.0, 2, 5, 0],
              [3, 4, 1, 1],
              [0, 0, 2, 2],
              [7, 0, 2, 3]])[None, None]                 # (B, D, M, N) = (1, 1, 4, 4)
y_max, cache_max = max_pool2d_forward(x, kernel_size=2)    # 2×2 窗口，步长 2：尺寸减半
y_avg, cache_avg = avg_pool2d_forward(x, kernel_size=2)
print("最大汇聚:\n", y_max[0, 0])
print("平均汇聚:\n", y_avg[0, 0])

delta = np.ones_like(y_max)                              # 上游梯度全为 1
print("最大汇聚的反向：梯度只流向每个窗口的最大值\n", max_pool2d_backward(delta, cache_max)[0, 0])
print("平均汇聚的反向：梯度平均分给窗口里的 4 个位置\n", avg_pool2d_backward(delta, cache_avg)[0, 0])
# --8<-- [end:numpy]

# --8<-- [start:torch]
import torch
import torch.nn.functional as F

from nndl_ref.torch.pooling import avg_pool2d, max_pool2d

x = torch.tensor([[1.0, 2, 5, 0], [3, 4, 1, 1], [0, 0, 2, 2], [7, 0, 2, 3]])[None, None].requires_grad_()
y = max_pool2d(x, 2)                                      # unfold 出每个窗口，再取最大值
y.sum().backward()
print("最大汇聚:", y[0, 0].tolist())
print("梯度:", x.grad[0, 0].tolist())
print("与 F.max_pool2d / F.avg_pool2d 相同:",
      torch.equal(y, F.max_pool2d(x, 2)) and torch.equal(avg_pool2d(x, 2), F.avg_pool2d(x, 2)))
# --8<-- [end:torch]
