"""第 7 章的优化器与学习率调度：NumPy 版与 torch.optim 在 float64 下逐步一致（100 步，相对误差 1e-10）；
书中的写法（ε 在根号里、动量的 Δθ 形式、Nesterov 的前瞻点）与 torch 的写法各自对照；梯度累积。"""

import math
import warnings

import numpy as np
import pytest
import torch

from nndl_ref.gradcheck import rel_error
from nndl_ref.numpy import optim, schedules
from nndl_ref.numpy.mlp import MLP
from nndl_ref.torch.optim import make_optimizer
from nndl_ref.torch.schedules import make_scheduler

STEPS = 100
RNG = np.random.default_rng(7)
A = RNG.standard_normal((20, 6)) * np.array([3.0, 1.0, 0.3, 1.0, 2.0, 0.1]) / np.sqrt(20)   # 病态但稳定
Y = RNG.uniform(-0.8, 0.8, 20)
THETA0 = RNG.standard_normal(6) * 0.5


def f_np(theta):
    """f(θ) = ½‖tanh(Aθ) − y‖² 的值与梯度（NumPy 手写）。"""
    t = np.tanh(A @ theta)
    r = t - Y
    return 0.5 * r @ r, A.T @ (r * (1 - t * t))


def f_torch(theta):
    return 0.5 * ((torch.tanh(torch.as_tensor(A) @ theta) - torch.as_tensor(Y)) ** 2).sum()


def run_numpy(opt_cls, steps=STEPS, lrs=None, **kw):
    theta = THETA0.copy()
    opt = opt_cls({"theta": theta}, **kw)
    path = []
    for t in range(steps):
        if lrs is not None:
            opt.lr = lrs[t]
        opt.step({"theta": f_np(theta)[1]})
        path.append(theta.copy())
    return np.array(path)


def run_torch(make, steps=STEPS, lrs=None):
    theta = torch.tensor(THETA0, requires_grad=True)
    opt = make([theta])
    path = []
    for t in range(steps):
        if lrs is not None:
            opt.param_groups[0]["lr"] = lrs[t]
        opt.zero_grad()
        f_torch(theta).backward()
        opt.step()
        path.append(theta.detach().numpy().copy())
    return np.array(path)


CASES = [
    ("sgd", optim.SGD, dict(lr=0.05), lambda p: torch.optim.SGD(p, lr=0.05)),
    ("sgd-wd", optim.SGD, dict(lr=0.05, weight_decay=0.1), lambda p: torch.optim.SGD(p, lr=0.05, weight_decay=0.1)),
    ("momentum", optim.SGD, dict(lr=0.02, momentum=0.9), lambda p: torch.optim.SGD(p, lr=0.02, momentum=0.9)),
    ("nesterov", optim.SGD, dict(lr=0.02, momentum=0.9, nesterov=True),
     lambda p: torch.optim.SGD(p, lr=0.02, momentum=0.9, nesterov=True)),
    ("adagrad", optim.AdaGrad, dict(lr=0.1), lambda p: torch.optim.Adagrad(p, lr=0.1)),
    ("adagrad-wd", optim.AdaGrad, dict(lr=0.1, weight_decay=0.01, initial_accumulator_value=0.1),
     lambda p: torch.optim.Adagrad(p, lr=0.1, weight_decay=0.01, initial_accumulator_value=0.1)),
    ("rmsprop", optim.RMSprop, dict(lr=0.002, alpha=0.9), lambda p: torch.optim.RMSprop(p, lr=0.002, alpha=0.9)),
    ("adadelta", optim.AdaDelta, dict(lr=1.0, rho=0.9), lambda p: torch.optim.Adadelta(p, lr=1.0, rho=0.9)),
    ("adam", optim.Adam, dict(lr=0.01), lambda p: torch.optim.Adam(p, lr=0.01)),
    ("adam-l2", optim.Adam, dict(lr=0.01, weight_decay=0.1), lambda p: torch.optim.Adam(p, lr=0.01, weight_decay=0.1)),
    ("adamw", optim.AdamW, dict(lr=0.01, weight_decay=0.1), lambda p: torch.optim.AdamW(p, lr=0.01, weight_decay=0.1)),
]


@pytest.mark.parametrize("name,cls,kw,make", CASES, ids=[c[0] for c in CASES])
def test_numpy_optimizer_matches_torch_step_by_step(name, cls, kw, make):
    ours, ref = run_numpy(cls, **kw), run_torch(make)
    errs = [rel_error(a, b) for a, b in zip(ours, ref)]
    assert max(errs) < 1e-10, (name, max(errs))
    assert np.abs(ours[-1] - THETA0).max() > 1e-3          # 确实走动了
    assert f_np(ours[-1])[0] < f_np(THETA0)[0]              # 而且损失下降了


def test_make_optimizer_names_cover_numpy_classes():
    theta = torch.zeros(3, requires_grad=True)
    for name in ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adadelta", "adam", "adamw"):
        make_optimizer(name, [theta], lr=0.1)
    with pytest.raises(ValueError, match="optimizer"):
        make_optimizer("lbfgs", [theta], lr=0.1)
    assert set(optim.OPTIMIZERS) == {"sgd", "adagrad", "rmsprop", "adadelta", "adam", "adamw"}


# ---------------------------------------------------------------- 书中的写法
def _book_adaptive(kind, lr, eps, beta=0.9, b1=0.9, b2=0.999, steps=STEPS):
    """书中 AdaGrad / RMSprop / Adam 的公式，ε 在根号里（torch 张量写的参照实现）。"""
    theta = torch.tensor(THETA0, requires_grad=True)
    G = torch.zeros(6, dtype=torch.float64)
    M = torch.zeros(6, dtype=torch.float64)
    path = []
    for t in range(1, steps + 1):
        theta.grad = None
        f_torch(theta).backward()
        g = theta.grad
        with torch.no_grad():
            if kind == "adagrad":
                G += g * g
                theta -= lr / torch.sqrt(G + eps) * g
            elif kind == "rmsprop":
                G = beta * G + (1 - beta) * g * g
                theta -= lr / torch.sqrt(G + eps) * g
            else:
                M = b1 * M + (1 - b1) * g
                G = b2 * G + (1 - b2) * g * g
                theta -= lr * (M / (1 - b1 ** t)) / torch.sqrt(G / (1 - b2 ** t) + eps)
        path.append(theta.detach().numpy().copy())
    return np.array(path)


@pytest.mark.parametrize("kind,cls,kw", [
    ("adagrad", optim.AdaGrad, dict(lr=0.1)),
    ("rmsprop", optim.RMSprop, dict(lr=0.002, alpha=0.9)),
    ("adam", optim.Adam, dict(lr=0.01)),
])
def test_book_eps_inside_sqrt(kind, cls, kw):
    """书中把 ε 放在根号里：eps_in_sqrt=True 与按书中公式写的 torch 参照逐步一致；
    ε 取得大时两种放法明显不同，ε 很小时几乎相同。"""
    eps = 1e-2
    book = _book_adaptive(kind, kw["lr"], eps, beta=kw.get("alpha", 0.9))
    ours = run_numpy(cls, eps=eps, eps_in_sqrt=True, **kw)
    assert max(rel_error(a, b) for a, b in zip(ours, book)) < 1e-10
    torch_style = run_numpy(cls, eps=eps, **kw)
    assert rel_error(torch_style[-1], book[-1]) > 1e-4                 # ε 大时：不是同一个算法
    tiny = run_numpy(cls, eps=1e-12, eps_in_sqrt=True, **kw), run_numpy(cls, eps=1e-12, **kw)
    assert rel_error(*[p[-1] for p in tiny]) < 1e-4


def test_book_momentum_equals_torch_form_at_constant_lr_only():
    """书中 Δθ_t = ρΔθ_{t−1} − α g_t；torch 中 v_t = ρv_{t−1} + g_t、θ_t = θ_{t−1} − α v_t。
    学习率固定时两者相同（Δθ = −αv）；学习率逐步变化时不同。"""
    def book(lrs, rho=0.9):
        theta, d = THETA0.copy(), np.zeros(6)
        path = []
        for lr in lrs:
            d = rho * d - lr * f_np(theta)[1]
            theta = theta + d
            path.append(theta.copy())
        return np.array(path)

    const = [0.02] * STEPS
    assert rel_error(book(const), run_numpy(optim.SGD, lr=0.02, momentum=0.9)) < 1e-12
    varying = [schedules.step_lr(t, 0.02, step_size=10, gamma=0.5) for t in range(STEPS)]
    ours = run_numpy(optim.SGD, lr=0.02, momentum=0.9, lrs=varying)
    assert rel_error(ours, run_torch(lambda p: torch.optim.SGD(p, lr=0.02, momentum=0.9), lrs=varying)) < 1e-10
    assert rel_error(book(varying), ours) > 1e-6


def test_book_nesterov_is_torch_nesterov_at_the_lookahead_point():
    """书中：在前瞻点 θ + ρΔθ 处求梯度；torch 保存的参数正是前瞻点 φ_t = θ_t + ρΔθ_t。"""
    rho, lr = 0.9, 0.02
    theta, d = THETA0.copy(), np.zeros(6)
    lookahead = []
    for _ in range(STEPS):
        d = rho * d - lr * f_np(theta + rho * d)[1]
        theta = theta + d
        lookahead.append(theta + rho * d)
    ours = run_numpy(optim.SGD, lr=lr, momentum=rho, nesterov=True)
    assert max(rel_error(a, b) for a, b in zip(lookahead, ours)) < 1e-10


def test_adamw_decay_is_not_adam_l2():
    """AdamW 的解耦衰减与 Adam 里的 L2 正则不是一回事；对 SGD 则两者相同。"""
    adam_l2 = run_numpy(optim.Adam, lr=0.01, weight_decay=0.1)
    adamw = run_numpy(optim.AdamW, lr=0.01, weight_decay=0.1)
    assert rel_error(adam_l2[-1], adamw[-1]) > 1e-3
    from nndl_ref.numpy.regularization import decoupled_weight_decay
    theta = THETA0.copy()
    opt = optim.SGD({"theta": theta}, lr=0.05)
    for _ in range(STEPS):
        g = f_np(theta)[1]
        decoupled_weight_decay({"theta": theta}, lr=0.05, weight_decay=0.1)
        opt.step({"theta": g})
    assert rel_error(theta, run_numpy(optim.SGD, lr=0.05, weight_decay=0.1)[-1]) < 1e-12


def test_state_dict_roundtrip_continues_identically():
    full = run_numpy(optim.Adam, lr=0.01, steps=20)
    theta = THETA0.copy()
    opt = optim.Adam({"theta": theta}, lr=0.01)
    for _ in range(10):
        opt.step({"theta": f_np(theta)[1]})
    state = opt.state_dict()
    theta2 = theta.copy()
    opt2 = optim.Adam({"theta": theta2}, lr=0.5)
    opt2.load_state_dict(state)
    for _ in range(10):
        opt2.step({"theta": f_np(theta2)[1]})
    np.testing.assert_array_equal(theta2, full[-1])


def test_optimizer_bad_input():
    with pytest.raises(ValueError, match="momentum"):
        optim.SGD({"w": np.zeros(2)}, nesterov=True)
    with pytest.raises(ValueError, match="形状"):
        optim.RMSprop({"w": np.zeros(2)}).step({"w": np.zeros(3)})
    with pytest.raises(ValueError, match="alpha"):
        optim.RMSprop({"w": np.zeros(2)}, alpha=1.0)
    with pytest.raises(ValueError, match="weight_decay"):
        optim.AdaGrad({"w": np.zeros(2)}, weight_decay=-1)
    with pytest.raises(ValueError, match="lr"):
        optim.AdaDelta({"w": np.zeros(2)}, lr=0)


# ---------------------------------------------------------------- 学习率调度
SCHED_CASES = [("step", dict(step_size=3, gamma=0.5)), ("exponential", dict(gamma=0.9)),
               ("inverse_time", dict(beta=0.5)), ("cosine", dict(T_max=12, eta_min=0.01)),
               ("warmup", dict(warmup=5, start_factor=0.1)),
               ("warmup_cosine", dict(warmup=3, T_max=12, start_factor=0.1))]


@pytest.mark.parametrize("name,kw", SCHED_CASES, ids=[c[0] for c in SCHED_CASES])
def test_schedules_match_torch(name, kw):
    p = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([p], lr=0.5)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sched = make_scheduler(name, opt, **kw)
        got = []
        for _ in range(13):
            got.append(sched.get_last_lr()[0])
            opt.step()
            sched.step()
    np_opt = optim.SGD({"w": np.zeros(1)}, lr=0.5)
    np_sched = schedules.Scheduler(np_opt, name, **kw)
    ours = []
    for _ in range(13):
        ours.append(np_opt.lr)
        np_sched.step()
    np.testing.assert_allclose(ours, got, rtol=1e-12)
    assert ours == [schedules.SCHEDULES[name](t, 0.5, **kw) for t in range(13)]


def test_schedule_bad_input():
    with pytest.raises(ValueError, match="schedule"):
        schedules.Scheduler(optim.SGD({"w": np.zeros(1)}), "linear")
    with pytest.raises(ValueError, match="t"):
        schedules.step_lr(-1, 0.1, 2)
    with pytest.raises(ValueError, match="warmup"):
        schedules.warmup_cosine_lr(0, 0.1, warmup=5, T_max=5)
    with pytest.raises(ValueError, match="schedule"):
        make_scheduler("linear", torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1))


def test_cosine_closed_form_values():
    assert schedules.cosine_lr(0, 1.0, 10) == 1.0
    assert math.isclose(schedules.cosine_lr(5, 1.0, 10), 0.5)
    assert schedules.cosine_lr(10, 1.0, 10) == 0.0 == schedules.cosine_lr(15, 1.0, 10)


# ---------------------------------------------------------------- 梯度累积
@pytest.mark.parametrize("micro", [1, 7, 16, 50, 64])
def test_gradient_accumulation_equals_one_large_batch(micro, rng):
    """均值损失：按 |B_k|/|B| 加权累积的梯度与整批一次算出的相同（最后一块较小也一样）。"""
    net = MLP([5, 8, 3], "tanh", seed=1)
    X, y = rng.standard_normal((64, 5)), rng.integers(0, 3, 64)
    loss, grads = net.loss_and_grads(X, y)
    acc_loss, acc = optim.accumulated_grads(net.loss_and_grads, X, y, micro_batch=micro)
    assert abs(acc_loss - loss) < 1e-12
    for k in grads:
        assert rel_error(acc[k], grads[k]) < 1e-12


def test_naive_average_of_unequal_micro_batches_is_wrong(rng):
    """笔记："对梯度取平均"。各块一样大时简单平均没问题；最后一块较小时 1/K 的平均就不等于大批量梯度。"""
    net = MLP([5, 8, 3], "tanh", seed=1)
    X, y = rng.standard_normal((50, 5)), rng.integers(0, 3, 50)
    full = net.loss_and_grads(X, y)[1]["W1"]
    parts = [net.loss_and_grads(X[s:s + 16], y[s:s + 16])[1]["W1"] for s in range(0, 50, 16)]   # 16,16,16,2
    assert rel_error(np.mean(parts, axis=0), full) > 1e-3
    assert rel_error(optim.accumulated_grads(net.loss_and_grads, X, y, 16)[1]["W1"], full) < 1e-12
