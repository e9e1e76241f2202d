"""参数初始化：方差推导的数值验证；各层激活值的标准差。"""

# --8<-- [start:variance]
import numpy as np
import torch

from nndl_ref.numpy import init

torch.manual_seed(0)
shape = (256, 512)                                  # (M_l, M_{l-1})：输出 256，输入 512
for name in ("xavier_uniform", "xavier_normal", "kaiming_uniform", "kaiming_normal"):
    W = init.INITS[name](shape, np.random.default_rng(0))
    Wt = torch.nn.init.__dict__[name + "_"](torch.empty(shape))
    theory = 2 / (512 + 256) if name.startswith("xavier") else 2 / 512
    print(f"{name:16s} 理论 Var(w) = {theory:.5f}  NumPy {W.var():.5f}  torch {Wt.var().item():.5f}")
# --8<-- [end:variance]

# --8<-- [start:depth]
import numpy as np

from nndl_ref.numpy.init import activation_stats

for act, inits in (("tanh", ("small", "large", "xavier")), ("relu", ("small", "xavier", "he"))):
    for name in inits:
        s = activation_stats(name, act, depth=12, width=256)       # 每层激活值的标准差
        print(f"{act:4s} + {name:6s}: 第 1 层 {s[0]:.3g}，第 6 层 {s[5]:.3g}，第 12 层 {s[11]:.3g}")
# --8<-- [end:depth]
