"""八种优化器：NumPy 从零实现与 torch.optim 逐步对照；书中 ε 的位置；两个试验函数上的轨迹。"""

# --8<-- [start:adam]
import numpy as np

from nndl_ref.numpy.optim import Adam

theta = np.array([1.0, -2.0])
opt = Adam({"theta": theta}, lr=0.1)           # 持有参数数组本身，step 原地更新
for t in range(3):
    grad = 2 * theta                           # f(θ) = ‖θ‖² 的梯度
    opt.step({"theta": grad})
    print(f"t = {opt.t}: θ = {np.round(theta, 4)}")
# --8<-- [end:adam]

# --8<-- [start:match]
import numpy as np
import torch

from nndl_ref.gradcheck import rel_error
from nndl_ref.numpy import optim

rng = np.random.default_rng(0)
A = rng.standard_normal((20, 5)) / np.sqrt(20)
Y = rng.uniform(-0.5, 0.5, 20)


def grad_np(theta):                             # f(θ) = ½‖tanh(Aθ) − y‖² 的梯度（手写）
    t = np.tanh(A @ theta)
    return A.T @ ((t - Y) * (1 - t * t))


cases = {"SGD": (optim.SGD, torch.optim.SGD, dict(lr=0.1)),
         "动量": (optim.SGD, torch.optim.SGD, dict(lr=0.05, momentum=0.9)),
         "Nesterov": (optim.SGD, torch.optim.SGD, dict(lr=0.05, momentum=0.9, nesterov=True)),
         "AdaGrad": (optim.AdaGrad, torch.optim.Adagrad, dict(lr=0.1)),
         "RMSprop": (optim.RMSprop, torch.optim.RMSprop, dict(lr=0.002, alpha=0.9)),
         "AdaDelta": (optim.AdaDelta, torch.optim.Adadelta, dict(lr=1.0, rho=0.9)),
         "Adam": (optim.Adam, torch.optim.Adam, dict(lr=0.01)),
         "AdamW": (optim.AdamW, torch.optim.AdamW, dict(lr=0.01, weight_decay=0.1))}
for name, (ours_cls, torch_cls, kw) in cases.items():
    theta0 = rng.standard_normal(5)
    ours = theta0.copy()
    opt = ours_cls({"theta": ours}, **kw)
    ref = torch.tensor(theta0, requires_grad=True)            # float64
    topt = torch_cls([ref], **kw)
    worst = 0.0
    for _ in range(100):
        opt.step({"theta": grad_np(ours)})
        topt.zero_grad()
        (0.5 * ((torch.tanh(torch.as_tensor(A) @ ref) - torch.as_tensor(Y)) ** 2).sum()).backward()
        topt.step()
        worst = max(worst, rel_error(ours, ref.detach().numpy()))
    print(f"{name:9s} 100 步内与 torch.optim 的最大相对误差 < 1e-10: {worst < 1e-10}")
# --8<-- [end:match]

# --8<-- [start:eps]
import numpy as np

from nndl_ref.numpy.optim import Adam

for g in (1.0, 1e-4, 1e-8):
    for eps_in_sqrt in (False, True):
        theta = np.zeros(1)
        Adam({"theta": theta}, lr=1.0, eps=1e-8, eps_in_sqrt=eps_in_sqrt).step({"theta": np.array([g])})
        where = "书中 √(Ĝ+ε)" if eps_in_sqrt else "torch √Ĝ+ε"
        print(f"g = {g:<6g} {where}: 第一步走了 {-theta[0]:.4f}")
# --8<-- [end:eps]

# --8<-- [start:paths]
import numpy as np

from nndl_ref.figures.ch07 import OPT_STYLE, optimizer_paths

for problem, star in (("quadratic", np.array([0.0, 0.0])), ("rosenbrock", np.array([1.0, 1.0]))):
    paths = optimizer_paths(problem)           # 插图画的就是这些轨迹
    ends = "  ".join(f"{name} {np.linalg.norm(p[-1] - star):.3f}" for name, p in paths.items())
    print(f"{problem:10s} 终点到最优点的距离: {ends}")
# --8<-- [end:paths]

assert set(OPT_STYLE) == set(optimizer_paths("quadratic"))
