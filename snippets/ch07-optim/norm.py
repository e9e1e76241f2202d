"""批量归一化与层归一化：NumPy 手写前向 / 反向，与 torch 对照；训练与测试模式。"""

# --8<-- [start:bn]
import numpy as np

from nndl_ref.gradcheck import numerical_vjp, rel_error
from nndl_ref.numpy.norm import batchnorm_backward, batchnorm_forward

rng = np.random.default_rng(0)
z = rng.standard_normal((32, 4)) * [1, 5, 20, 0.1] + [0, 3, -10, 1]     # 4 个特征，尺度各不相同
gamma, beta = np.ones(4), np.zeros(4)
out, cache = batchnorm_forward(z, gamma, beta)
print("归一化后每个特征的均值:", np.round(out.mean(0), 6) + 0.0)
print("归一化后每个特征的方差:", np.round(out.var(0), 4))
dout = rng.standard_normal(z.shape)
dz, dgamma, dbeta = batchnorm_backward(dout, cache)
num = numerical_vjp(lambda v: batchnorm_forward(v, gamma, beta)[0], z.copy(), dout)
print("dz 与数值梯度的相对误差 < 1e-8:", rel_error(dz, num) < 1e-8)
# --8<-- [end:bn]

# --8<-- [start:bn-torch]
import numpy as np
import torch

from nndl_ref.gradcheck import rel_error
from nndl_ref.numpy.norm import BatchNorm

rng = np.random.default_rng(0)
ours, ref = BatchNorm(4, momentum=0.1), torch.nn.BatchNorm1d(4, momentum=0.1).double()
same = True
for step in range(3):                                       # 训练模式：本批统计量 + 更新滑动平均
    z = rng.standard_normal((16, 4)) * 3 + 1
    same &= rel_error(ours.forward(z), ref(torch.as_tensor(z)).detach().numpy()) < 1e-12
print("训练模式输出相同:", same)
print("滑动均值:", np.round(ours.running_mean, 4), "torch:", np.round(ref.running_mean.numpy(), 4))
print("滑动方差:", np.round(ours.running_var, 4), "torch:", np.round(ref.running_var.numpy(), 4))
ours.eval(), ref.eval()                                     # 测试模式：改用滑动平均
z = rng.standard_normal((5, 4))
print("测试模式输出相同:", rel_error(ours.forward(z), ref(torch.as_tensor(z)).detach().numpy()) < 1e-12)
# --8<-- [end:bn-torch]

# --8<-- [start:ln]
import numpy as np
import torch

from nndl_ref.gradcheck import rel_error
from nndl_ref.numpy.norm import layernorm_backward, layernorm_forward

rng = np.random.default_rng(1)
z = rng.standard_normal((3, 5, 8)) * 4 + 2                   # (N, T, D)：例如 N 个句子、每句 T 个词
gamma, beta = rng.standard_normal(8), rng.standard_normal(8)
out, cache = layernorm_forward(z, gamma, beta)
ref = torch.nn.LayerNorm(8).double()
with torch.no_grad():
    ref.weight.copy_(torch.as_tensor(gamma))
    ref.bias.copy_(torch.as_tensor(beta))
zt = torch.tensor(z, requires_grad=True)
o = ref(zt)
dout = rng.standard_normal(z.shape)
o.backward(torch.as_tensor(dout))
dz, dgamma, dbeta = layernorm_backward(dout, cache)
print("输出与 torch 相同:", rel_error(out, o.detach().numpy()) < 1e-12)
print("dz、dγ、dβ 与 torch 相同:",
      all(rel_error(a, b.numpy()) < 1e-10 for a, b in ((dz, zt.grad), (dgamma, ref.weight.grad), (dbeta, ref.bias.grad))))
# --8<-- [end:ln]
