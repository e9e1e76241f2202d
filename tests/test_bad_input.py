"""坏输入的系统扫描：每个公开的类和函数都有一组坏输入，必须被拒绝，而且拒绝之后对象一位都没变。

对 ``nndl_ref.numpy.*``、``nndl_ref.torch.*`` 与 ``nndl_ref`` 顶层模块（``data``、``metrics``……）的每个公开
可调用对象，目录 ``CASES`` 里至少有一个用例（或者在 ``EXEMPT`` 里写明为什么不需要）。每个用例断言：

(a) 抛出 ``ValueError`` 或 ``TypeError``，信息里有写明期望值的片段（期望的形状、范围或类型）；
(b) 调用前后，对象（或传进去的参数）里的每个参数、缓冲区、优化器状态、随机数发生器都逐位相同
    （``copy.deepcopy`` 的快照与 ``np.array_equal`` / ``torch.equal`` 逐项比较，dtype 也要相同）；
    给出 ``valid`` 时，坏调用之后的一次正常调用与在新对象上的同一调用结果完全相同。

新增公开符号而没有用例时 ``test_every_public_callable_has_a_case`` 失败：加一个用例，或加进 ``EXEMPT`` 并写明理由。
形状都很小，整个文件在 2 核上几秒内跑完。
"""

from __future__ import annotations

import copy
import importlib
import inspect
import math
import pkgutil
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
import pytest
import torch

import nndl_ref.numpy
import nndl_ref.numpy.regression
import nndl_ref.torch

NAN, INF = float("nan"), float("inf")


# ======================================================================== 快照与逐位比较
def diff(a, b, path: str = "obj", seen: set | None = None) -> str | None:
    """``a`` 与 ``b`` 逐位相同时返回 ``None``，否则返回第一处不同的位置（用于断言信息）。"""
    seen = set() if seen is None else seen
    key = (id(a), id(b))
    if key in seen:
        return None
    seen.add(key)
    if type(a) is not type(b):
        return f"{path}: 类型 {type(a).__name__} ≠ {type(b).__name__}"
    if isinstance(a, np.ndarray):
        if a.dtype != b.dtype or a.shape != b.shape:
            return f"{path}: {a.dtype}{a.shape} ≠ {b.dtype}{b.shape}"
        nan_ok = np.issubdtype(a.dtype, np.inexact)
        return None if np.array_equal(a, b, equal_nan=nan_ok) else f"{path}: 数值变了"
    if isinstance(a, torch.Tensor):
        if a.dtype != b.dtype or a.shape != b.shape or a.device != b.device or a.requires_grad != b.requires_grad:
            return f"{path}: {a.dtype}{tuple(a.shape)} ≠ {b.dtype}{tuple(b.shape)}"
        x, y = a.detach(), b.detach()
        equal = torch.equal(x, y) or (x.is_floating_point() and torch.equal(x.isnan(), y.isnan())
                                      and torch.equal(x.nan_to_num(), y.nan_to_num()))
        if not equal:
            return f"{path}: 数值变了"
        return diff(a.grad, b.grad, path + ".grad", seen) if a.is_leaf and b.is_leaf else None
    if isinstance(a, np.random.Generator):
        return None if a.bit_generator.state == b.bit_generator.state else f"{path}: 随机数状态变了"
    if isinstance(a, torch.Generator):
        return None if torch.equal(a.get_state(), b.get_state()) else f"{path}: 随机数状态变了"
    if isinstance(a, dict):
        if set(a) != set(b):                          # 键的顺序不算状态（deepcopy 可能重排模块的 __dict__）
            return f"{path}: 键 {sorted(map(str, a))} ≠ {sorted(map(str, b))}"
        return next((d for k in a if (d := diff(a[k], b[k], f"{path}[{k!r}]", seen))), None)
    if isinstance(a, (list, tuple)):
        if len(a) != len(b):
            return f"{path}: 长度 {len(a)} ≠ {len(b)}"
        return next((d for i, (x, y) in enumerate(zip(a, b)) if (d := diff(x, y, f"{path}[{i}]", seen))), None)
    if isinstance(a, float):
        return None if a == b or (math.isnan(a) and math.isnan(b)) else f"{path}: {a} ≠ {b}"
    if isinstance(a, (int, str, bytes, bool, type(None), np.generic, torch.dtype, torch.device)):
        return None if a == b else f"{path}: {a!r} ≠ {b!r}"
    if callable(a) and not hasattr(a, "__dict__") or inspect.isfunction(a) or inspect.ismethod(a) \
            or inspect.isclass(a) or inspect.ismodule(a):
        return None                                   # 函数、类：deepcopy 保留同一个对象
    if hasattr(a, "__dict__"):
        return diff(vars(a), vars(b), path, seen)
    return None if a == b else f"{path}: {a!r} ≠ {b!r}"


# ======================================================================== 用例目录
@dataclass
class Case:
    target: Any                                       # 被测的公开类或函数（目录以它为键）
    label: str                                        # 坏在哪里，作为测试 id 的一部分
    bad: Callable[[Any], Any]                         # bad(state)：用坏输入调用
    match: str                                        # 错误信息里应有的片段（正则）
    build: Callable[[], Any]                          # 新建状态：对象，或函数的参数
    valid: Callable[[Any], Any] | None = None         # 坏调用之后的正常调用

    @property
    def id(self) -> str:
        mod = self.target.__module__.replace("nndl_ref.", "").replace("numpy.", "np.").replace("torch.", "th.")
        return f"{mod}.{self.target.__qualname__}-{self.label}"


CASES: list[Case] = []


def fn(target, label: str, match: str, *args, **kw) -> None:
    """函数用例：``target(*args, **kw)`` 应被拒绝；参数本身（深拷贝）也不许被改动。"""
    CASES.append(Case(target, label, lambda s: target(*s[0], **s[1]), match,
                      lambda: (copy.deepcopy(args), copy.deepcopy(kw))))


def obj(target, label: str, match: str, build: Callable[[], Any], bad: Callable[[Any], Any],
        valid: Callable[[Any], Any] | None = None) -> None:
    """对象用例：``build()`` 新建对象，``bad(obj)`` 应被拒绝且对象不变；``valid(obj)`` 的结果与新对象上相同。"""
    CASES.append(Case(target, label, bad, match, build, valid))


def rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed)


def arr(*shape, seed: int = 0) -> np.ndarray:
    return rng(seed).standard_normal(shape)


def ten(*shape, seed: int = 0, dtype=torch.float32) -> torch.Tensor:
    return torch.as_tensor(arr(*shape, seed=seed), dtype=dtype)


def with_nan(a):
    a = a.clone() if isinstance(a, torch.Tensor) else np.array(a, dtype=np.float64)
    a.reshape(-1)[0] = NAN
    return a


# ------------------------------------------------------------------------ numpy.optim
from nndl_ref.numpy import optim as npo  # noqa: E402


def _opt(cls, **kw):
    return lambda: cls({"W": arr(2, 3), "b": arr(3, seed=1)}, **kw)


def _step_twice(o):
    """两步正常的更新（第二步用到第一步留下的动量 / 二阶矩 / 步数）。"""
    g = {"W": arr(2, 3, seed=2), "b": arr(3, seed=3)}
    o.step(g), o.step(g)
    return o.params, o.state_dict()


_OPTS = {"SGD": (npo.SGD, {"lr": 0.1}), "momentum": (npo.SGD, {"lr": 0.1, "momentum": 0.9}),
         "nesterov": (npo.SGD, {"lr": 0.1, "momentum": 0.9, "nesterov": True}),
         "AdaGrad": (npo.AdaGrad, {}), "RMSprop": (npo.RMSprop, {}), "AdaDelta": (npo.AdaDelta, {}),
         "Adam": (npo.Adam, {}), "AdamW": (npo.AdamW, {})}
for _name, (_cls, _kw) in _OPTS.items():
    _b = _opt(_cls, **_kw)
    for _label, _grads, _match in (
            ("complex-b", lambda: {"W": arr(2, 3), "b": arr(3) + 1j}, "实数"),
            ("nan", lambda: {"W": with_nan(arr(2, 3)), "b": arr(3)}, "NaN"),
            ("inf", lambda: {"W": arr(2, 3), "b": np.array([1.0, INF, 0.0])}, "有限"),
            ("string", lambda: {"W": "abc", "b": arr(3)}, "数值数组"),
            ("shape-b", lambda: {"W": arr(2, 3), "b": arr(2)}, r"\(3,\)"),
            ("missing-key", lambda: {"W": arr(2, 3)}, r"\['W', 'b'\]"),
            ("extra-key", lambda: {"W": arr(2, 3), "b": arr(3), "c": arr(1)}, "多出 \\['c'\\]"),
            ("not-a-dict", lambda: [arr(2, 3), arr(3)], "字典")):
        obj(_cls, f"{_name}-{_label}", _match, lambda _b=_b: (o := _b(), _step_twice(o), o)[2],
            lambda o, _g=_grads: o.step(_g()), _step_twice)
obj(npo.Adam, "string-grad-does-not-count-step", "数值数组", _opt(npo.Adam),
    lambda o: o.step({"W": arr(2, 3), "b": "x"}), _step_twice)
obj(npo.Optimizer, "load-state-dict-bad-shape", r"\(3,\)", _opt(npo.SGD, momentum=0.9),
    lambda o: o.load_state_dict({**o.state_dict(), "v": {"W": arr(2, 3), "b": arr(4)}}), _step_twice)
obj(npo.Optimizer, "load-state-dict-missing", "键为", _opt(npo.Adam),
    lambda o: o.load_state_dict({"t": 3, "lr": 0.1}), _step_twice)
for _cls, _kw, _match in (
        (npo.SGD, {"lr": -1.0}, "lr 应大于 0"), (npo.SGD, {"lr": INF}, "有限"), (npo.SGD, {"lr": "0.1"}, "正数"),
        (npo.SGD, {"momentum": 1.0}, r"momentum 应在 \[0, 1\)"), (npo.SGD, {"momentum": NAN}, "有限"),
        (npo.SGD, {"nesterov": True}, "momentum > 0"), (npo.SGD, {"nesterov": "yes"}, "True 或 False"),
        (npo.SGD, {"weight_decay": -0.1}, r"\[0, \+∞\)"), (npo.AdaGrad, {"eps": 0.0}, "eps 应大于 0"),
        (npo.AdaGrad, {"initial_accumulator_value": -1.0}, r"\[0, \+∞\)"),
        (npo.RMSprop, {"alpha": 1.5}, r"alpha 应在 \[0, 1\)"), (npo.AdaDelta, {"rho": -0.1}, r"\[0, 1\)"),
        (npo.Adam, {"betas": (0.9, 1.0)}, r"betas\[1\] 应在 \[0, 1\)"), (npo.Adam, {"betas": 0.9}, "两个"),
        (npo.AdamW, {"weight_decay": "0.01"}, "实数"), (npo.Adam, {"eps_in_sqrt": "no"}, "True 或 False")):
    fn(_cls, "ctor-" + ",".join(f"{k}={v!r}" for k, v in _kw.items()), _match, {"W": arr(2)}, **_kw)
fn(npo.SGD, "int-params", "浮点 ndarray", {"W": np.arange(3)})
fn(npo.SGD, "empty-params", "非空字典", {})
fn(npo.accumulated_grads, "micro-batch-0", "micro_batch 应大于 0", lambda X, y: (0.0, {}), arr(4, 2), np.zeros(4), 0)
fn(npo.accumulated_grads, "rows-mismatch", "样本数", lambda X, y: (0.0, {}), arr(4, 2), np.zeros(3), 2)
fn(npo.accumulated_grads, "not-callable", "函数", "f", arr(4, 2), np.zeros(4), 2)
fn(npo.quadratic, "3-d-point", r"\(2,\)", np.ones(3))
fn(npo.quadratic, "string-a", "实数", np.ones(2), a="1")
fn(npo.rosenbrock, "nan-point", "NaN", np.array([NAN, 0.0]))
fn(npo.trajectory, "unknown-optimizer", "optimizer 应为", npo.quadratic, [1.0, 1.0], "lbfgs")
fn(npo.trajectory, "steps-0", "steps 应大于 0", npo.quadratic, [1.0, 1.0], "sgd", 0)
fn(npo.trajectory, "complex-start", "实数", npo.quadratic, [1.0 + 1j, 1.0], "sgd")
fn(npo.fit_full_batch, "not-an-optimizer", "优化器", nndl_ref.numpy.regression.LinearRegression(2), arr(3, 2),
   np.zeros(3), "adam", 3)
fn(npo.fit_full_batch, "not-a-model", "loss_and_grads", "model", arr(3, 2), np.zeros(3), None, 3)


# ------------------------------------------------------------------------ numpy.activations / losses
from nndl_ref.numpy import activations as npa, losses as npl  # noqa: E402

_BAD_Z = (("string", "abc", "数值数组"), ("complex", np.array([1.0 + 2j]), "实数"),
          ("nan", np.array([0.0, NAN]), "NaN"), ("object", np.array([None, 1.0], dtype=object), "dtype"))
for _i, _f in enumerate((npa.logistic, npa.logistic_grad, npa.tanh, npa.tanh_grad, npa.hard_logistic,
                         npa.hard_logistic_grad, npa.hard_tanh, npa.hard_tanh_grad, npa.relu, npa.relu_grad,
                         npa.leaky_relu, npa.leaky_relu_grad, npa.elu, npa.elu_grad, npa.softplus, npa.softplus_grad,
                         npa.swish, npa.swish_grad, npa.swish_grad_beta, npa.gelu, npa.gelu_grad, npa.prelu_grad_gamma,
                         npl.sigmoid, npl.sigmoid_grad, npl.softplus, npl.log_sigmoid)):
    _label, _z, _match = _BAD_Z[_i % len(_BAD_Z)]
    fn(_f, _label, _match, _z)
for _f in (npa.leaky_relu, npa.leaky_relu_grad, npa.elu, npa.elu_grad):
    fn(_f, "negative-gamma", "非负", arr(3), gamma=-0.1)
    fn(_f, "string-gamma", "实数", arr(3), gamma="0.1")
for _f in (npa.swish, npa.swish_grad, npa.swish_grad_beta):
    fn(_f, "inf-beta", "有限", arr(3), beta=INF)
fn(npa.gelu, "bad-approximate", "'none'、'tanh' 或 'sigmoid'", arr(3), approximate="erf")
fn(npa.gelu_grad, "bad-approximate", "'none'、'tanh' 或 'sigmoid'", arr(3), approximate=None)
fn(npa.prelu, "gamma-length", r"\(M,\)", arr(2, 3), np.ones(2))
fn(npa.prelu_grad, "gamma-2d", "0 维 或 1 维", arr(2, 3), np.ones((1, 3)))
fn(npa.maxout, "pieces-not-dividing", "整数倍", arr(2, 5), 2)
fn(npa.maxout, "fractional-pieces", "正整数", arr(2, 4), 2.5)
fn(npa.maxout_backward, "da-shape", r"\(N, M\) = \(2, 2\)", arr(2, 3), arr(2, 4), 2)
fn(npa.get, "unknown", "可选", "relu6")
fn(npa.get, "not-a-string", "字符串", 3)

for _f in (npl.logsumexp, npl.softmax, npl.log_softmax):
    fn(_f, "axis-out-of-range", r"axis 应在 \[-2, 1\]", arr(2, 3), axis=2)
    fn(_f, "nan", "NaN", with_nan(arr(2, 3)))
fn(npl.logsumexp, "fractional-axis", "整数", arr(2, 3), axis=0.5)
fn(npl.binary_cross_entropy, "p-out-of-range", r"\[0, 1\]", np.array([0.5, 1.5]), np.array([0.0, 1.0]))
fn(npl.binary_cross_entropy, "y-shape", r"\(2,\)", np.array([0.5, 0.5]), np.array([0.0, 1.0, 1.0]))
fn(npl.binary_cross_entropy_with_logits, "y-out-of-range", r"\[0, 1\]", arr(2), np.array([0.0, 2.0]))
fn(npl.binary_cross_entropy_with_logits_grad, "complex-z", "实数", np.array([1j, 0.0]), np.array([0.0, 1.0]))
fn(npl.cross_entropy, "label-out-of-range", r"\[0, 3\)", arr(2, 3), np.array([0, 3]))
fn(npl.cross_entropy, "fractional-label", "整数", arr(2, 3), np.array([0.0, 1.5]))
fn(npl.cross_entropy, "string-label", "整数", arr(2, 3), np.array(["a", "b"]))
fn(npl.cross_entropy, "empty-batch", "至少为 1", np.zeros((0, 3)), np.zeros(0, dtype=int))
fn(npl.cross_entropy_grad, "rows-mismatch", "样本数", arr(2, 3), np.array([0, 1, 2]))
fn(npl.cross_entropy_grad, "one-hot-shape", r"\(N, C\) = \(2, 3\)", arr(2, 3), np.eye(2))
fn(npl.mse, "shape-mismatch", "形状应相同", arr(3), arr(4))
fn(npl.mse, "bad-reduction", "'mean', 'half'", arr(3), arr(3), reduction="sum")
fn(npl.mse_grad, "scalar", "一维", 1.0, 2.0)
fn(npl.mse_grad, "bad-reduction", "'mean', 'half'", arr(3), arr(3), reduction="none")
fn(npl.hinge_loss, "01-labels", r"\+1 或 -1", arr(3), np.array([0, 1, 1]))
fn(npl.hinge_loss_grad, "scores-2d", "1 维", arr(3, 1), np.array([1, -1, 1]))


# ------------------------------------------------------------------------ numpy.layers
from nndl_ref.numpy import layers as npL  # noqa: E402


def _fwd_bwd(layer, x, dout_shape=None):
    """一次正常的前向 + 反向（反向的上游梯度固定），返回输出、输入梯度与累加后的 grads。"""
    out = layer.forward(x)
    dx = layer.backward(arr(*(dout_shape or np.shape(out)), seed=9))
    return out, dx, {k: v.copy() for k, v in layer.grads.items()}


_lin = lambda: (lambda l: (_fwd_bwd(l, arr(4, 3)), l)[1])(npL.Linear(3, 2, rng()))   # noqa: E731
fn(npL.affine_forward, "W-columns", r"W 给出 D=4", arr(4, 3), arr(2, 4), arr(2))
fn(npL.affine_forward, "b-shape", r"\(M,\) = \(2,\)", arr(4, 3), arr(2, 3), arr(3))
fn(npL.affine_forward, "x-1d", "2 维", arr(3), arr(2, 3), arr(2))
fn(npL.affine_backward, "dout-shape", r"\(N, M\) = \(4, 2\)", arr(4, 3), (arr(4, 3), arr(2, 3)))
fn(npL.activation_forward, "unknown-name", "可选", arr(3), "relu6")
fn(npL.activation_forward, "bad-kw", "非负", arr(3), "leaky_relu", gamma=-1.0)
fn(npL.activation_backward, "da-shape", "da 的形状应与 z 相同", arr(4), (arr(3), "tanh", {}))
fn(npL.relu_forward, "complex", "实数", np.array([1j]))
fn(npL.relu_backward, "da-shape", "da 的形状应与 z 相同", arr(4), arr(3))
fn(npL.prelu_forward, "gamma-length", r"\(M,\)", arr(2, 3), np.ones(4))
fn(npL.prelu_backward, "da-shape", "da 的形状应与 z 相同", arr(2, 4), (arr(2, 3), np.ones(3)))
fn(npL.swish_forward, "string-beta", "数值数组", arr(3), "1")
fn(npL.swish_forward, "vector-beta", "标量", arr(3), np.ones(2))
fn(npL.swish_backward, "da-shape", "da 的形状应与 z 相同", arr(4), (arr(3), np.array(1.0)))
fn(npL.maxout_forward, "pieces-0", "pieces 应大于 0", arr(2, 4), 0)
fn(npL.maxout_backward, "da-shape", r"\(N, M\) = \(2, 2\)", arr(2, 3), (arr(2, 4), 2))
fn(npL.softmax_cross_entropy, "label-out-of-range", r"\[0, 3\)", arr(2, 3), np.array([0, 5]))
fn(npL.init_weight, "bad-init", "init 应为", 2, 3, rng(), init="orthogonal")
fn(npL.init_weight, "rng-seed", "numpy.random.Generator", 2, 3, 0)
fn(npL.init_weight, "fractional-width", "正整数", 2.5, 3, rng())
obj(npL.Linear, "forward-wrong-width", r"D=3", _lin, lambda l: l.forward(arr(4, 5)), lambda l: _fwd_bwd(l, arr(4, 3)))
obj(npL.Linear, "backward-wrong-shape", r"\(N, M\) = \(4, 2\)", _lin, lambda l: l.backward(arr(4, 3)),
    lambda l: _fwd_bwd(l, arr(4, 3)))
obj(npL.Linear, "backward-nan", "NaN", _lin, lambda l: l.backward(with_nan(arr(4, 2))), lambda l: _fwd_bwd(l, arr(4, 3)))
fn(npL.Linear, "ctor-rng", "numpy.random.Generator", 3, 2, None)
fn(npL.Activation, "ctor-bad-gamma", "非负", "leaky_relu", gamma=-0.5)
fn(npL.Activation, "ctor-unknown-kw", r"接受的关键字参数为 \['gamma'\]，多出 \['alpha'\]", "elu", alpha=1.0)
obj(npL.Activation, "backward-shape", "da 的形状应与 z 相同", lambda: (lambda l: (_fwd_bwd(l, arr(3, 2)), l)[1])(
    npL.Activation("tanh")), lambda l: l.backward(arr(2, 3)), lambda l: _fwd_bwd(l, arr(3, 2)))
obj(npL.ReLU, "forward-string", "数值数组", npL.ReLU, lambda l: l.forward("x"))
obj(npL.Sigmoid, "forward-nan", "NaN", npL.Sigmoid, lambda l: l.forward(with_nan(arr(2, 2))))
obj(npL.Tanh, "forward-complex", "实数", npL.Tanh, lambda l: l.forward(np.array([[1j]])))
fn(npL.PReLU, "ctor-string-init", "实数", 3, init="0.25")
obj(npL.PReLU, "backward-shape", "da 的形状应与 z 相同",
    lambda: (lambda l: (_fwd_bwd(l, arr(2, 3)), l)[1])(npL.PReLU(3)), lambda l: l.backward(arr(2, 4)),
    lambda l: _fwd_bwd(l, arr(2, 3)))
fn(npL.Swish, "ctor-learnable-string", "True 或 False", 1.0, learnable="yes")
obj(npL.Swish, "backward-shape", "da 的形状应与 z 相同",
    lambda: (lambda l: (_fwd_bwd(l, arr(2, 3)), l)[1])(npL.Swish(learnable=True)), lambda l: l.backward(arr(3)),
    lambda l: _fwd_bwd(l, arr(2, 3)))
fn(npL.Maxout, "ctor-pieces", "正整数", 1.5)
obj(npL.Maxout, "forward-not-dividing", "整数倍", lambda: npL.Maxout(3), lambda l: l.forward(arr(2, 4)))
fn(npL.Sequential, "not-a-layer", "应是一层", npL.ReLU(), "relu")
obj(npL.Sequential, "forward-wrong-width", r"D=3", lambda: npL.Sequential(npL.Linear(3, 4, rng()), npL.ReLU(),
                                                                           npL.Linear(4, 2, rng(1))),
    lambda n: n.forward(arr(2, 5)), lambda n: (n.forward(arr(2, 3)), n.backward(arr(2, 2))))


# ------------------------------------------------------------------------ numpy.norm
from nndl_ref.numpy import norm as npn  # noqa: E402

fn(npn.batchnorm_forward, "negative-eps", r"eps.*\[0, \+∞\)", arr(4, 3), np.ones(3), np.zeros(3), eps=-1.0)
fn(npn.batchnorm_forward, "gamma-length", r"\(C,\) = \(3,\)", arr(4, 3), np.ones(2), np.zeros(3))
fn(npn.batchnorm_forward, "one-sample", "至少要 2 个值", arr(1, 3), np.ones(3), np.zeros(3))
fn(npn.batchnorm_backward, "dout-shape", r"\(4, 3\)", arr(4, 2), npn.batchnorm_forward(arr(4, 3), np.ones(3),
                                                                                       np.zeros(3))[1])
fn(npn.batchnorm_eval, "nan-running-mean", "NaN", arr(4, 3), np.ones(3), np.zeros(3), with_nan(np.zeros(3)), np.ones(3))
fn(npn.batchnorm_eval, "running-var-length", r"running_var 的形状应为 \(C,\) = \(3,\)", arr(4, 3), np.ones(3),
   np.zeros(3), np.zeros(3), np.ones(4))
fn(npn.batchnorm_eval, "negative-running-var", "非负", arr(4, 3), np.ones(3), np.zeros(3), np.zeros(3), -np.ones(3))
fn(npn.batchnorm_eval, "negative-eps", r"\[0, \+∞\)", arr(4, 3), np.ones(3), np.zeros(3), np.zeros(3), np.ones(3),
   eps=-1.0)
fn(npn.layernorm_forward, "negative-eps", r"eps.*\[0, \+∞\)", arr(4, 3), np.ones(3), np.zeros(3), eps=-1.0)
fn(npn.layernorm_forward, "gamma-shape", r"最后 1 维应与 gamma、beta 的形状 \(4,\)", arr(4, 3), np.ones(4), np.zeros(4))
fn(npn.layernorm_backward, "dout-nan", "NaN", with_nan(arr(4, 3)), npn.layernorm_forward(arr(4, 3), np.ones(3),
                                                                                         np.zeros(3))[1])


def _bn():
    bn = npn.BatchNorm(3)
    _fwd_bwd(bn, arr(4, 3))
    return bn


def _bn_eval():
    bn = _bn()
    bn.forward(arr(4, 3, seed=5))
    return bn.eval()


obj(npn.BatchNorm, "forward-wrong-channels", r"\(C,\) = \(4,\)", _bn, lambda b: b.forward(arr(4, 4)),
    lambda b: _fwd_bwd(b, arr(5, 3)))
obj(npn.BatchNorm, "forward-nan-keeps-running-stats", "NaN", _bn, lambda b: b.forward(with_nan(arr(4, 3))),
    lambda b: (_fwd_bwd(b, arr(5, 3)), b.running_mean, b.running_var))
obj(npn.BatchNorm, "eval-forward-wrong-channels", r"\(C,\) = \(4,\)", _bn_eval, lambda b: b.forward(arr(4, 4)),
    lambda b: b.forward(arr(2, 3)))
obj(npn.BatchNorm, "backward-wrong-shape", r"\(4, 3\)", _bn, lambda b: b.backward(arr(4, 2)),
    lambda b: _fwd_bwd(b, arr(4, 3)))
obj(npn.BatchNorm, "train-string", "True 或 False", _bn, lambda b: b.train("False"))
fn(npn.BatchNorm, "ctor-momentum", r"momentum.*\[0, 1\]", 3, momentum=1.5)
fn(npn.BatchNorm, "ctor-eps", r"\[0, \+∞\)", 3, eps=-1e-5)
fn(npn.LayerNorm, "ctor-shape-float", "正整数", 3.0)
fn(npn.LayerNorm, "ctor-eps-nan", "有限", 3, eps=NAN)
obj(npn.LayerNorm, "forward-wrong-width", r"\(3,\)", lambda: (lambda l: (_fwd_bwd(l, arr(2, 3)), l)[1])(npn.LayerNorm(3)),
    lambda l: l.forward(arr(2, 4)), lambda l: _fwd_bwd(l, arr(2, 3)))


# ------------------------------------------------------------------------ numpy.attention
from nndl_ref.numpy import attention as npat  # noqa: E402

fn(npat.causal_mask, "N-0", "N 应大于 0", 0)
fn(npat.causal_mask, "M-fractional", "正整数", 3, 2.5)
fn(npat.padding_mask, "length-too-long", r"\[1, M=4\]", [2, 5], 4)
fn(npat.padding_mask, "float-lengths", "整数", [2.0, 3.0], 4)
fn(npat.padding_mask, "N-0", "N 应大于 0", [2, 3], 4, 0)
fn(npat.masked_softmax_forward, "int-mask", "布尔", arr(2, 3), np.ones((2, 3), dtype=int))
fn(npat.masked_softmax_forward, "mask-shape", "广播", arr(2, 3), np.ones((2, 2), dtype=bool))
fn(npat.masked_softmax_forward, "all-masked-row", "一整行", arr(2, 3), np.array([[True] * 3, [False] * 3]))
fn(npat.masked_softmax_backward, "dA-shape", r"\(2, 3\)", arr(3, 2), npat.masked_softmax_forward(arr(2, 3))[1])
fn(npat.attention_forward, "d_k-mismatch", "d_k", arr(2, 4), arr(3, 5), arr(3, 2))
fn(npat.attention_forward, "M-mismatch", "键个数 M", arr(2, 4), arr(3, 4), arr(2, 2))
fn(npat.attention_forward, "batch-mismatch", "批量维", arr(2, 2, 4), arr(3, 3, 4), arr(3, 3, 2))
fn(npat.attention_forward, "string-scale", "实数", arr(2, 4), arr(3, 4), arr(3, 2), scale="0.5")
fn(npat.attention_backward, "dout-shape", r"\(2, 2\)", arr(2, 3), npat.attention_forward(arr(2, 4), arr(3, 4),
                                                                                       arr(3, 2))[1])
fn(npat.soft_lookup, "nan-beta", "有限", arr(2), arr(3, 2), arr(3, 1), beta=NAN)
fn(npat.soft_lookup, "q-2d", "1 维", arr(1, 2), arr(3, 2), arr(3, 1))
fn(npat.hard_lookup, "K-columns", r"K 应为 \(M, 2\)", arr(2), arr(3, 3), arr(3, 1))
fn(npat.additive_scores_forward, "W-shape", r"\(d_a, d_k\) = \(4, 3\)", arr(2, 5), arr(6, 3), arr(4, 2), arr(4, 5),
   arr(4))
fn(npat.additive_scores_backward, "dS-shape", r"\(N, M\) = \(2, 6\)", arr(6, 2),
   npat.additive_scores_forward(arr(2, 5), arr(6, 3), arr(4, 3), arr(4, 5), arr(4))[1])
_mha_params = npat.MultiHeadAttention(6, 2, rng()).params
fn(npat.mha_forward, "width-5", r"D=6", arr(1, 3, 5), arr(1, 3, 5), _mha_params, 2)
fn(npat.mha_forward, "missing-param", "W_o", arr(1, 3, 6), arr(1, 3, 6),
   {k: v for k, v in _mha_params.items() if k != "W_o"}, 2)
fn(npat.mha_forward, "b-shape", r"\(D,\)", arr(1, 3, 6), arr(1, 3, 6), {**_mha_params, "b_k": np.zeros(5)}, 2)
fn(npat.mha_forward, "heads-not-dividing", "整除", arr(1, 3, 6), arr(1, 3, 6), _mha_params, 4)
fn(npat.mha_forward, "kv-batch", r"B=1", arr(1, 3, 6), arr(2, 3, 6), _mha_params, 2)
fn(npat.mha_backward, "dY-shape", r"\(1, 3, 6\)", arr(1, 3, 5), npat.mha_forward(arr(1, 3, 6), arr(1, 3, 6),
                                                                                _mha_params, 2)[1])


def _mha(self_attention: bool = True):
    def build():
        m = npat.MultiHeadAttention(6, 2, rng())
        X = arr(1, 3, 6)
        m.forward(X) if self_attention else m.forward(X, arr(1, 4, 6, seed=1))
        m.backward(arr(1, 3, 6, seed=2))
        return m
    return build


def _mha_step(m):
    Y = m.forward(arr(1, 3, 6, seed=3))
    return Y, m.backward(arr(1, 3, 6, seed=4)), m.attention, {k: v.copy() for k, v in m.grads.items()}


for _w in (5, 4):
    obj(npat.MultiHeadAttention, f"forward-width-{_w}", r"D=6", _mha(), lambda m, _w=_w: m.forward(arr(1, 3, _w)),
        _mha_step)
obj(npat.MultiHeadAttention, "cross-then-bad-self", r"D=6", _mha(False), lambda m: m.forward(arr(1, 3, 5)),
    lambda m: m.backward(arr(1, 3, 6, seed=2)))
obj(npat.MultiHeadAttention, "mask-shape", r"\(N, M\) = \(3, 3\)", _mha(), lambda m: m.forward(arr(1, 3, 6), mask=np.ones((2, 2), bool)),
    _mha_step)
obj(npat.MultiHeadAttention, "backward-shape", r"\(1, 3, 6\)", _mha(), lambda m: m.backward(arr(1, 3, 5)), _mha_step)
fn(npat.MultiHeadAttention, "ctor-heads", "整除", 6, 4, rng())
fn(npat.MultiHeadAttention, "ctor-rng", "numpy.random.Generator", 6, 2, 0)


# ------------------------------------------------------------------------ numpy.conv / conv_fast / pooling / cnn
from nndl_ref.numpy import cnn as npcnn, conv as npc, conv_fast as npcf, init as npi, pooling as npp  # noqa: E402

fn(npc.effective_kernel_size, "dilation-0", "dilation 应大于 0", 3, 0)
fn(npc.conv_output_size, "negative-padding", "非负整数", 8, 3, padding=-1)
fn(npc.conv_output_size, "kernel-too-big", "有效核大小 K'=9", 4, 5, dilation=2)
fn(npc.receptive_field, "bad-spec", r"\(K, S\)", [(3, 1), 3])
fn(npc.receptive_field, "not-a-list", "列表", 3)
fn(npc.correlate1d, "bad-mode", "窄 / 宽 / 等宽", arr(5), arr(3), mode="full")
fn(npc.correlate1d, "too-short", "M=2 ≥ 核长 K=3", arr(2), arr(3))
fn(npc.convolve1d, "w-2d", "1 维", arr(5), arr(1, 3))
fn(npc.convolve1d, "nan", "NaN", with_nan(arr(5)), arr(3), mode="same")
fn(npc.conv2d_forward, "channel-mismatch", "通道数 D=2", arr(1, 2, 5, 5), arr(3, 1, 3, 3))
fn(npc.conv2d_forward, "b-length", r"\(P,\) = \(3,\)", arr(1, 2, 5, 5), arr(3, 2, 3, 3), arr(2))
fn(npc.conv2d_forward, "fractional-stride", "整数", arr(1, 2, 5, 5), arr(3, 2, 3, 3), stride=1.5)
fn(npc.conv2d_backward, "dY-shape", r"\(B, P, M', N'\) = \(1, 3, 3, 3\)", arr(1, 3, 4, 4),
   npc.conv2d_forward(arr(1, 2, 5, 5), arr(3, 2, 3, 3))[1])
fn(npc.conv1d_forward, "tuple-stride", "整数", arr(1, 2, 6), arr(3, 2, 3), stride=(1, 2))
fn(npc.conv1d_backward, "dY-2d", "3 维", arr(3, 4), npc.conv1d_forward(arr(1, 2, 6), arr(3, 2, 3))[1])
fn(npc.conv_transpose2d_forward, "channel-mismatch", "P=3", arr(1, 2, 3, 3), arr(3, 1, 2, 2))
fn(npc.conv_transpose2d_forward, "output-padding", "小于步长", arr(1, 3, 3, 3), arr(3, 1, 2, 2), output_padding=1)
fn(npc.conv_transpose2d_backward, "dout-shape", r"\(B, D, M, N\) = \(1, 1, 4, 4\)", arr(1, 1, 5, 5),
   npc.conv_transpose2d_forward(arr(1, 3, 3, 3), arr(3, 1, 2, 2))[1])


def _conv(fast=False):
    def build():
        c = npc.Conv2d(2, 3, 3, rng(), padding=1, fast=fast)
        _fwd_bwd(c, arr(1, 2, 4, 4))
        return c
    return build


obj(npc.Conv2d, "forward-channels", "通道数 D=1", _conv(), lambda c: c.forward(arr(1, 1, 4, 4)),
    lambda c: _fwd_bwd(c, arr(1, 2, 4, 4, seed=1)))
obj(npc.Conv2d, "fast-backward-shape", r"\(1, 3, 4, 4\)", _conv(True), lambda c: c.backward(arr(1, 3, 3, 3)),
    lambda c: _fwd_bwd(c, arr(1, 2, 4, 4, seed=1)))
fn(npc.Conv2d, "ctor-padding", "padding 的每一项应 ≥ 0", 2, 3, 3, rng(), padding=-1)
fn(npc.Conv2d, "ctor-fast-string", "True 或 False", 2, 3, 3, rng(), fast="yes")
fn(npcf.conv2d_forward_fast, "nan-W", "NaN", arr(1, 2, 5, 5), with_nan(arr(3, 2, 3, 3)))
fn(npcf.conv2d_forward_fast, "dilation-0", "dilation 的每一项应 ≥ 1", arr(1, 2, 5, 5), arr(3, 2, 3, 3), dilation=0)
fn(npcf.conv2d_backward_fast, "dY-shape", r"\(1, 3, 3, 3\)", arr(1, 3, 5, 5),
   npcf.conv2d_forward_fast(arr(1, 2, 5, 5), arr(3, 2, 3, 3))[1])
fn(npp.max_pool2d_forward, "padding-too-big", "不应超过窗口大小的一半", arr(1, 1, 4, 4), 2, padding=2)
fn(npp.max_pool2d_forward, "x-3d", "4 维", arr(1, 4, 4))
fn(npp.max_pool2d_backward, "dy-shape", r"\(1, 1, 2, 2\)", arr(1, 1, 3, 3), npp.max_pool2d_forward(arr(1, 1, 4, 4))[1])
fn(npp.avg_pool2d_forward, "kernel-0", "kernel_size 的每一项应 ≥ 1", arr(1, 1, 4, 4), 0)
fn(npp.avg_pool2d_backward, "dy-nan", "NaN", with_nan(arr(1, 1, 2, 2)), npp.avg_pool2d_forward(arr(1, 1, 4, 4))[1])
fn(npp.MaxPool2d, "ctor-stride-string", "整数", 2, "2")
fn(npp.AvgPool2d, "ctor-padding", "不应超过窗口大小的一半", 2, padding=3)
obj(npp.MaxPool2d, "backward-shape", r"\(1, 1, 2, 2\)",
    lambda: (lambda p: (_fwd_bwd(p, arr(1, 1, 4, 4)), p)[1])(npp.MaxPool2d(2)), lambda p: p.backward(arr(1, 1, 4, 4)),
    lambda p: _fwd_bwd(p, arr(1, 1, 4, 4, seed=1)))


def _simple_cnn():
    m = npcnn.SimpleCNN((1, 4, 4), (2,), 3)
    m.loss_and_grads(arr(2, 16), np.array([0, 2]))
    return m


obj(npcnn.SimpleCNN, "label-out-of-range", r"\[0, 3\)", _simple_cnn, lambda m: m.loss_and_grads(arr(2, 16), [0, 3]),
    lambda m: m.loss_and_grads(arr(2, 16, seed=1), np.array([1, 2])))
obj(npcnn.SimpleCNN, "fractional-label", "整数", _simple_cnn, lambda m: m.loss_and_grads(arr(2, 16), [0.5, 1.0]),
    lambda m: m.loss_and_grads(arr(2, 16, seed=1), np.array([1, 2])))
obj(npcnn.SimpleCNN, "wrong-image-size", r"D·M·N = 16", _simple_cnn, lambda m: m.forward(arr(2, 15)))
fn(npcnn.SimpleCNN, "ctor-fractional-shape", "正整数", (1, 4.5, 4))
fn(npcnn.SimpleCNN, "ctor-seed", "非负整数", (1, 4, 4), seed=-1)
obj(npcnn.Flatten, "backward-shape", r"\(B, D·M·N\) = \(2, 8\)",
    lambda: (lambda f: (f.forward(arr(2, 2, 2, 2)), f)[1])(npcnn.Flatten()), lambda f: f.backward(arr(2, 9)))
obj(npcnn.Flatten, "forward-string", "数值数组", npcnn.Flatten, lambda f: f.forward("x"))


def _cnn1d():
    m = npcnn.MNIST1DCNN(channels=2, num_classes=3)
    m.loss_and_grads(arr(2, 8), np.array([0, 2]))
    return m


obj(npcnn.MNIST1DCNN, "label-out-of-range", r"\[0, 3\)", _cnn1d, lambda m: m.loss_and_grads(arr(2, 8), [0, 3]),
    lambda m: m.loss_and_grads(arr(2, 8, seed=1), np.array([1, 2])))
obj(npcnn.MNIST1DCNN, "backward-shape", r"\(B, C\) = \(2, 3\)", _cnn1d, lambda m: m.backward(arr(2, 4)),
    lambda m: m.loss_and_grads(arr(2, 8, seed=1), np.array([1, 2])))
obj(npcnn.MNIST1DCNN, "too-short", "至少为 4", _cnn1d, lambda m: m.forward(arr(2, 3)))
obj(npcnn.MNIST1DCNN, "state-dict-shape", r"\(2, 1, 5\)", _cnn1d,
    lambda m: m.load_torch_state_dict({**m.torch_state_dict(), "features.0.weight": np.zeros((3, 1, 5))}),
    lambda m: m.loss_and_grads(arr(2, 8, seed=1), np.array([1, 2])))
obj(npcnn.MNIST1DCNN, "from-not-a-model", "MNIST1DCNN", _cnn1d, lambda m: npcnn.MNIST1DCNN.from_torch("model"))
fn(npcnn.train_mnist1d_cnn, "negative-lr", "lr 应大于 0", lr=-1.0)
fn(npcnn.train_mnist1d_cnn, "channels-0", "channels 应大于 0", channels=0)


# ------------------------------------------------------------------------ numpy.init
fn(npi.fans, "1-d-shape", "至少 2 维", (3,))
fn(npi.calculate_gain, "unknown", "nonlinearity 应为", "swish")
fn(npi.calculate_gain, "string-param", "实数", "leaky_relu", "0.2")
fn(npi.xavier_std, "negative-gain", r"gain 应在 \(0, \+∞\)", (3, 2), gain=-1.0)
fn(npi.kaiming_std, "bad-mode", "'fan_in', 'fan_out'", (3, 2), mode="fan_avg")
fn(npi.xavier_uniform, "rng-int", "numpy.random.Generator", (3, 2), 0)
fn(npi.xavier_normal, "zero-dim", "正整数", (3, 0), rng())
fn(npi.kaiming_uniform, "bad-nonlinearity", "nonlinearity 应为", (3, 2), rng(), "gelu")
fn(npi.kaiming_normal, "rng-none", "numpy.random.Generator", (3, 2), None)
fn(npi.activation_stats, "unknown-init", "'small', 'large'", "orthogonal")
fn(npi.activation_stats, "n-0", "n 应大于 0", "he", n=0)
fn(npi.activation_stats, "unknown-activation", "可选", "he", "relu6")


# ------------------------------------------------------------------------ numpy.linear / mlp / regression
from nndl_ref.numpy import linear as nplin, mlp as npmlp, regression as npreg  # noqa: E402

_Xc, _yc = arr(6, 2), np.array([0, 1, 2, 0, 1, 2])
fn(nplin.perceptron_predict, "w-length", "w 给出 D=3", arr(3, 2), arr(3))
fn(nplin.perceptron_predict, "string-b", "数值数组", arr(3, 2), arr(2), "0")
fn(nplin.perceptron_loss, "01-labels", r"\+1 或 -1", arr(3, 2), np.array([0, 1, 1]), arr(2))
fn(nplin.perceptron_grad, "w-length", "w 给出 D=3", arr(3, 2), np.array([1, -1, 1]), arr(3))
fn(nplin.accuracy, "shape", "形状应相同", np.zeros(3), np.zeros(4))
fn(nplin.Perceptron, "ctor-lr", "lr 应大于 0", lr=0.0)
fn(nplin.Perceptron, "ctor-shuffle", "True 或 False", shuffle="no")
obj(nplin.Perceptron, "fit-labels", r"\+1 或 -1", lambda: nplin.Perceptron(max_epochs=3).fit(arr(4, 2), [1, -1, 1, -1]),
    lambda p: p.fit(arr(4, 2), [0, 1, 0, 1]), lambda p: (p.fit(arr(4, 2, seed=1), [1, 1, -1, -1]), p.w, p.b))
obj(nplin.Perceptron, "decision-width", "w 给出 D=2", lambda: nplin.Perceptron(max_epochs=3).fit(arr(4, 2), [1, -1, 1, -1]),
    lambda p: p.decision_function(arr(4, 3)))


def _lr_model(cls, *a):
    return lambda: cls(*a)


for _cls, _a, _ok_y, _bad_y, _match in (
        (nplin.LogisticRegression, (2,), _yc % 2, _yc, r"\[0, 2\)"),
        (nplin.SoftmaxRegression, (2, 3), _yc, _yc + 1, r"\[0, 3\)"),
        (nplin.LinearSVM, (2,), 2 * (_yc % 2) - 1, _yc % 2, r"\+1 或 -1"),
        (npreg.LinearRegression, (2,), arr(6), with_nan(arr(6)), "NaN")):
    obj(_cls, "loss-and-grads-bad-y", _match, _lr_model(_cls, *_a), lambda m, _y=_bad_y: m.loss_and_grads(_Xc, _y))
    obj(_cls, "wrong-width", "D=2", _lr_model(_cls, *_a), lambda m, _y=_ok_y: m.loss_and_grads(arr(6, 3), _y))
    fn(_cls, "ctor-negative-weight-decay", r"weight_decay.*\[0, \+∞\)", *_a, weight_decay=-1.0)
fn(nplin.SoftmaxRegression, "ctor-one-class", "至少为 2", 2, 1)
obj(npreg.LinearRegression, "fit-normal-equation-width", "D=3", _lr_model(npreg.LinearRegression, 3),
    lambda m: m.fit_normal_equation(_Xc, _yc.astype(float)))


def _mlp(**kw):
    def build():
        m = npmlp.MLP([2, 4, 3], **kw)
        m.loss_and_grads(_Xc, _yc if kw.get("loss") != "mse" else arr(6, 3))
        return m
    return build


_mlp_step = lambda m: (m.loss_and_grads(arr(6, 2, seed=1), _yc), {k: v.copy() for k, v in m.net.grads().items()})  # noqa: E731
obj(npmlp.MLP, "label-out-of-range", r"\[0, 3\)", _mlp(), lambda m: m.loss_and_grads(_Xc, _yc + 1), _mlp_step)
obj(npmlp.MLP, "label-string", "整数", _mlp(), lambda m: m.loss_and_grads(_Xc, _yc.astype(str)), _mlp_step)
obj(npmlp.MLP, "rows-mismatch", "样本数", _mlp(), lambda m: m.loss_and_grads(_Xc, _yc[:5]), _mlp_step)
obj(npmlp.MLP, "mse-target-shape", r"\(6, 3\)", _mlp(loss="mse"), lambda m: m.loss_and_grads(_Xc, arr(6, 2)))
obj(npmlp.MLP, "wrong-width", "D=2", _mlp(), lambda m: m.predict(arr(6, 3)))
fn(npmlp.MLP, "ctor-one-size", "至少要有", [3])
fn(npmlp.MLP, "ctor-weight-decay", r"\[0, \+∞\)", [2, 3], weight_decay=-1e-3)
fn(npmlp.MLP, "ctor-bad-act-kw", "非负", [2, 3, 2], "leaky_relu", gamma=-1.0)
fn(npmlp.MLP, "ctor-init", "'he', 'xavier', 'normal'", [2, 3], init="lecun")
fn(npmlp.one_hidden_layer_lstsq, "lo-ge-hi", "lo < hi", arr(5), arr(5), 4, 1.0, 0.0)
fn(npmlp.one_hidden_layer_lstsq, "string-lo", "实数", arr(5), arr(5), 4, "0", 1.0)
fn(npreg.make_sine, "negative-noise", r"\[0, \+∞\)", 5, noise_std=-0.1)
fn(npreg.make_sine, "seed", "非负整数", 5, seed=1.5)
fn(npreg.polynomial_features, "degree-0", "degree 应大于 0", arr(4), 0)
fn(npreg.normal_equation, "rows", "样本", arr(4, 2), arr(3))
fn(npreg.normal_equation, "string-lambda", "实数", arr(4, 2), arr(4), weight_decay="1")
fn(npreg.mse, "shape", r"\(N,\)", arr(3), arr(4))
fn(npreg.fit_polynomial, "complex-x", "实数", np.array([1j, 2.0]), arr(2), 2)


# ------------------------------------------------------------------------ numpy.regularization / train / schedules
from nndl_ref.numpy import regularization as npr, schedules as nps, train as npt  # noqa: E402

fn(npr.dropout_forward, "p-1", r"\[0, 1\)", arr(3), 1.0, rng=rng())
fn(npr.dropout_forward, "mask-values", "0/1", arr(3), 0.5, mask=np.array([0.0, 0.5, 1.0]))
fn(npr.dropout_forward, "training-string", "True 或 False", arr(3), 0.5, training="False", rng=rng())
fn(npr.dropout_backward, "dout-shape", r"\(3,\)", arr(4), npr.dropout_forward(arr(3), 0.5, rng=rng())[1])


def _dropout():
    d = npr.Dropout(0.5, rng(1))
    _fwd_bwd(d, arr(2, 3))
    return d


obj(npr.Dropout, "forward-string-keeps-rng", "数值数组", _dropout, lambda d: d.forward("x"), lambda d: _fwd_bwd(d, arr(2, 3)))
obj(npr.Dropout, "forward-nan-keeps-rng", "NaN", _dropout, lambda d: d.forward(with_nan(arr(2, 3))),
    lambda d: _fwd_bwd(d, arr(2, 3)))
fn(npr.Dropout, "ctor-rng", "numpy.random.Generator", 0.5, 0)
fn(npr.l2_penalty, "negative-lam", r"\[0, \+∞\)", {"W": arr(2)}, -0.1)
fn(npr.l2_penalty, "nan-param", "NaN", {"W": with_nan(arr(2))}, 0.1)
fn(npr.l1_penalty, "not-a-dict", "非空字典", [arr(2)], 0.1)
fn(npr.decoupled_weight_decay, "second-param-int", "浮点 ndarray", {"W": arr(2), "b": np.arange(2)}, 0.1, 0.01)
fn(npr.decoupled_weight_decay, "lr-nan", "lr", {"W": arr(2)}, NAN, 0.01)
fn(npt.iterate_minibatches, "batch-0", "batch_size 应大于 0", 10, 0)
fn(npt.iterate_minibatches, "rng-int", "Generator", 10, 3, 0)
obj(npt.fit, "bad-label-in-last-batch", r"\[0, 3\)", _lr_model(nplin.SoftmaxRegression, 2, 3),
    lambda m: npt.fit(m, _Xc, np.array([0, 1, 2, 0, 1, 7]), epochs=2, batch_size=2))
obj(npt.fit, "bad-validation-labels", r"\[0, 3\)", _lr_model(nplin.SoftmaxRegression, 2, 3),
    lambda m: npt.fit(m, _Xc, _yc, epochs=2, batch_size=2, X_val=_Xc, y_val=_yc + 5))
obj(npt.fit, "lr-0", "lr 应大于 0", _lr_model(nplin.SoftmaxRegression, 2, 3), lambda m: npt.fit(m, _Xc, _yc, lr=0))
fn(npt.fit, "not-a-model", "params", "model", _Xc, _yc)
for _f, _a in ((nps.step_lr, (3, 1.0, 2)), (nps.exponential_lr, (3, 1.0, 0.5)), (nps.inverse_time_lr, (3, 1.0, 0.5)),
               (nps.cosine_lr, (3, 1.0, 4)), (nps.warmup_lr, (3, 1.0, 4)), (nps.warmup_cosine_lr, (3, 1.0, 2, 6))):
    fn(_f, "negative-t", "非负整数", -1, *_a[1:])
    fn(_f, "lr-string", "正数", _a[0], "1.0", *_a[2:])
fn(nps.step_lr, "gamma-string", "gamma", 3, 1.0, 2, "0.1")
fn(nps.warmup_lr, "start-factor-0", r"\(0, 1\]", 3, 1.0, 4, 0.0)
fn(nps.warmup_cosine_lr, "warmup-ge-T", "warmup 应小于 T_max", 3, 1.0, 6, 6)
fn(nps.cosine_lr, "negative-eta-min", r"\[0, \+∞\)", 3, 1.0, 4, -0.1)


def _sched_opt():
    o = npo.SGD({"w": np.zeros(2)}, lr=1.0)
    nps.Scheduler(o, "step", step_size=1, gamma=0.5).step()
    return o


obj(nps.Scheduler, "unknown-kw", r"多出 \['gama'\]", _sched_opt, lambda o: nps.Scheduler(o, "step", step_size=1, gama=0.5))
obj(nps.Scheduler, "missing-kw", r"缺少必填的 \['T_max'\]", _sched_opt, lambda o: nps.Scheduler(o, "cosine"))
obj(nps.Scheduler, "bad-gamma-keeps-lr", "gamma 应大于 0", _sched_opt,
    lambda o: nps.Scheduler(o, "exponential", gamma=-0.5))
obj(nps.Scheduler, "not-an-optimizer", "optimizer.lr", _sched_opt, lambda o: nps.Scheduler("opt", "step", step_size=1))
obj(nps.Scheduler, "step-failing-schedule", r"学习率 应在 \[0, \+∞\)",
    lambda: nps.Scheduler(npo.SGD({"w": np.zeros(2)}, lr=1.0), lambda t, lr: lr * (1 - 2 * t)),
    lambda s: s.step(), lambda s: (s.t, s.optimizer.lr))


# ------------------------------------------------------------------------ numpy.ssm
from nndl_ref.numpy import ssm as npssm  # noqa: E402

_ssm_args = (arr(4, 2), np.abs(arr(4, 2)), -np.abs(arr(2, 3)), arr(4, 3), arr(4, 3))
fn(npssm.selective_scan, "D-length", r"\(D,\)", *_ssm_args, D=np.ones(3))
fn(npssm.selective_scan, "negative-delta", "非负", _ssm_args[0], -_ssm_args[1], *_ssm_args[2:])
fn(npssm.selective_scan_parallel, "B-shape", r"B, C \(T, N\)", *_ssm_args[:3], arr(3, 3), _ssm_args[4])
fn(npssm.selective_scan_parallel, "D-string", "数值数组", *_ssm_args, D="1")
fn(npssm.mlstm_recurrent, "k-shape", r"q, k \(T, d\)", arr(4, 2), arr(4, 3), arr(4, 2), arr(4), arr(4))
fn(npssm.mlstm_parallel, "gate-nan", "NaN", arr(4, 2), arr(4, 2), arr(4, 2), with_nan(arr(4)), arr(4))


# ------------------------------------------------------------------------ numpy.rnn / rnn_fast
from nndl_ref.numpy import rnn as nprnn, rnn_fast as nprf  # noqa: E402


def _wub(G, H=3, D=2, seed=0):
    return arr(G * H, D, seed=seed), arr(G * H, H, seed=seed + 1), arr(G * H, seed=seed + 2)


for _cell, _G, _step, _seq in (("rnn", 1, nprnn.rnn_step_forward, nprnn.rnn_forward),
                               ("lstm", 4, nprnn.lstm_step_forward, nprnn.lstm_forward),
                               ("gru", 3, nprnn.gru_step_forward, nprnn.gru_forward)):
    _W, _U, _b = _wub(_G)
    _states = (None,) * (2 if _cell == "lstm" else 1)
    fn(_step, "x-width", r"D=2", arr(4, 3), *_states, _W, _U, _b)
    fn(_step, "h-prev-shape", r"\(B, H\) = \(4, 3\)", arr(4, 2), arr(4, 2), *_states[1:], _W, _U, _b)
    fn(_seq, "x-2d", r"\(T, B, D\)", arr(5, 2), *_states, _W, _U, _b)
    fn(_seq, "U-shape", rf"\({_G}·H, H\)", arr(5, 4, 2), *_states, _W, arr(_G * 3, 4), _b)
    fn(_seq, "nan-x", "NaN", with_nan(arr(5, 4, 2)), *_states, _W, _U, _b)
fn(nprnn.rnn_step_forward, "bad-activation", "activation", arr(4, 2), None, *_wub(1), activation="gelu")
fn(nprnn.rnn_step_backward, "dh-shape", r"\(4, 3\)", arr(4, 2), nprnn.rnn_step_forward(arr(4, 2), None, *_wub(1))[1])
fn(nprnn.lstm_step_backward, "dc-shape", r"dc 的形状应为 \(4, 3\)", arr(4, 3), arr(4, 2),
   nprnn.lstm_step_forward(arr(4, 2), None, None, *_wub(4))[2])
fn(nprnn.gru_step_backward, "dh-nan", "NaN", with_nan(arr(4, 3)), nprnn.gru_step_forward(arr(4, 2), None, *_wub(3))[1])
fn(nprnn.rnn_backward, "dh-shape", r"\(5, 4, 3\)", arr(5, 4, 2), nprnn.rnn_forward(arr(5, 4, 2), None, *_wub(1))[1])
fn(nprnn.lstm_backward, "dc-T-shape", r"dc_T 的形状应为 \(4, 3\)", arr(5, 4, 3),
   nprnn.lstm_forward(arr(5, 4, 2), None, None, *_wub(4))[2], None, arr(4, 2))
fn(nprnn.gru_backward, "dh-T-shape", r"dh_T 的形状应为 \(4, 3\)", arr(5, 4, 3),
   nprnn.gru_forward(arr(5, 4, 2), None, *_wub(3))[1], arr(3, 3))
fn(nprnn.gru_torch_forward, "b_U-length", r"\(3·H,\) = \(9,\)", arr(5, 4, 2), None, *_wub(3), arr(8))
fn(nprnn.gru_torch_backward, "dh-shape", r"\(5, 4, 3\)", arr(5, 4, 2),
   nprnn.gru_torch_forward(arr(5, 4, 2), None, *_wub(3), arr(9))[1])
fn(nprnn.bptt_gradient_norms, "bad-cell", "cell 应为", "transformer", arr(5, 4, 2), *_wub(1))
fn(nprnn.bptt_gradient_norms, "U-shape", r"\(4·H, H\)", "lstm", arr(5, 4, 2), *_wub(4)[:1], arr(12, 4), _wub(4)[2])
fn(nprnn.clip_grad_norm, "nan", "NaN 或 inf", {"W": with_nan(arr(2))}, 1.0)
fn(nprnn.clip_grad_norm, "max-norm-0", "max_norm 应大于 0", {"W": arr(2)}, 0.0)
fn(nprnn.clip_grad_norm, "int-grad-after-float", "浮点 ndarray", {"W": arr(2), "b": np.arange(2)}, 0.1)
fn(nprnn.sequence_cross_entropy, "y-shape", r"\(T, B\) = \(3, 2\)", arr(3, 2, 4), np.zeros((2, 3), dtype=int))
fn(nprnn.sequence_cross_entropy, "label-range", r"\[0, 4\)", arr(3, 2, 4), np.full((3, 2), 4))


def _rec(cell, reverse=False):
    def build():
        r = nprnn.Recurrent(cell, 2, 3, rng(), reverse=reverse)
        r.forward(arr(5, 4, 2))
        r.backward(arr(5, 4, 3, seed=1))
        return r
    return build


def _rec_step(r):
    h = r.forward(arr(5, 4, 2, seed=2))
    return h, r.state, r.backward(arr(5, 4, 3, seed=3)), r.dstate0, {k: v.copy() for k, v in r.grads.items()}


obj(nprnn.Recurrent, "forward-wrong-width", "D=2", _rec("gru"), lambda r: r.forward(arr(5, 4, 3)), _rec_step)
obj(nprnn.Recurrent, "lstm-state-not-pair", r"\(h, c\)", _rec("lstm"), lambda r: r.forward(arr(5, 4, 2), arr(4, 3)),
    _rec_step)
obj(nprnn.Recurrent, "lstm-state-c-shape", r"state\[1\] 的形状应为 \(B, H\) = \(4, 3\)", _rec("lstm"),
    lambda r: r.forward(arr(5, 4, 2), (arr(4, 3), arr(4, 2))), _rec_step)
obj(nprnn.Recurrent, "backward-shape-reverse", r"\(5, 4, 3\)", _rec("rnn", True), lambda r: r.backward(arr(5, 4, 2)),
    _rec_step)
obj(nprnn.Recurrent, "backward-dstate", r"dstate.*\(4, 3\)", _rec("lstm"),
    lambda r: r.backward(arr(5, 4, 3), (arr(4, 3), arr(3, 3))), _rec_step)
obj(nprnn.Recurrent, "backward-record-tuple", "record 应为 list", _rec("rnn"),
    lambda r: r.backward(arr(5, 4, 3), record=()), _rec_step)
fn(nprnn.Recurrent, "ctor-reverse-string", "True 或 False", "rnn", 2, 3, rng(), reverse="yes")
fn(nprnn.Recurrent, "ctor-hidden-0", "hidden_size 应大于 0", "gru", 2, 0, rng())


def _deep(cell="lstm", layers=2, bi=True):
    def build():
        m = nprnn.DeepRNN(cell, 2, 3, layers, bi, seed=0)
        m.forward(arr(5, 4, 2))
        m.backward(arr(5, 4, m.output_size, seed=1))
        return m
    return build


def _deep_step(m):
    out = m.forward(arr(5, 4, 2, seed=2))
    return out, m.states, m.backward(arr(5, 4, m.output_size, seed=3)), m.dstates0, {k: v.copy() for k, v in m.grads().items()}


obj(nprnn.DeepRNN, "backward-width-9-for-6", r"\(T, B, H·方向数\)|\(5, 4, 6\)", _deep("rnn", 1),
    lambda m: m.backward(arr(5, 4, 9)), _deep_step)
obj(nprnn.DeepRNN, "backward-bad-dstate-lower-layer", r"dstates\[1\]", _deep("gru"),
    lambda m: m.backward(arr(5, 4, 6), [np.zeros((4, 3)), np.zeros((4, 2)), np.zeros((4, 3)), np.zeros((4, 3))]),
    _deep_step)
obj(nprnn.DeepRNN, "forward-bad-state-reverse-dir", r"state\[1\]\[0\]", _deep("lstm"),
    lambda m: m.forward(arr(5, 4, 2), [None, (arr(4, 2), None), None, None]), _deep_step)
obj(nprnn.DeepRNN, "forward-state-count", "层数×方向数 = 4", _deep("gru"),
    lambda m: m.forward(arr(5, 4, 2), [None, None]), _deep_step)
obj(nprnn.DeepRNN, "forward-wrong-width", "D=2", _deep(), lambda m: m.forward(arr(5, 4, 3)), _deep_step)
fn(nprnn.DeepRNN, "ctor-bidirectional-string", "True 或 False", "gru", 2, 3, bidirectional="no")
fn(nprnn.DeepRNN, "ctor-negative-seed", "非负整数", "gru", 2, 3, seed=-1)


def _seqclf():
    m = nprnn.SequenceClassifier("gru", 2, 3, 4, bidirectional=True)
    m.loss_and_grads(arr(5, 3, 2), np.array([0, 1, 3]))
    return m


_clf_step = lambda m: m.loss_and_grads(arr(5, 3, 2, seed=1), np.array([3, 2, 1]))  # noqa: E731
obj(nprnn.SequenceClassifier, "label-range", r"\[0, 4\)", _seqclf, lambda m: m.loss_and_grads(arr(5, 3, 2), [0, 1, 4]),
    _clf_step)
obj(nprnn.SequenceClassifier, "x-width", "D=2", _seqclf, lambda m: m.logits(arr(5, 3, 3)), _clf_step)


def _tagger():
    m = nprnn.SequenceTagger("lstm", 2, 3, 4)
    m.loss_and_grads(arr(5, 3, 2), np.zeros((5, 3), dtype=int))
    return m


_tag_step = lambda m: m.loss_and_grads(arr(5, 3, 2, seed=1), np.ones((5, 3), dtype=int))  # noqa: E731
obj(nprnn.SequenceTagger, "label-range", r"\[0, 4\)", _tagger,
    lambda m: m.loss_and_grads(arr(5, 3, 2), np.full((5, 3), 4)), _tag_step)
obj(nprnn.SequenceTagger, "label-shape", r"\(T, B\) = \(5, 3\)", _tagger,
    lambda m: m.loss_and_grads(arr(5, 3, 2), np.zeros((3, 5), dtype=int)), _tag_step)


def _s2s():
    m = nprnn.Seq2Seq("gru", 5, 3)
    m.loss_and_grads(np.array([[1, 2], [3, 4]]), np.array([[0, 0], [4, 3], [2, 1]]))
    return m


_s2s_step = lambda m: (m.loss_and_grads(np.array([[2, 2], [1, 4]]), np.array([[0, 0], [4, 1], [2, 2]])),  # noqa: E731
                       m.generate(np.array([[1, 2]]), 0, 3))
obj(nprnn.Seq2Seq, "tgt-last-token-out-of-range", r"\[0, 5\)", _s2s,
    lambda m: m.loss_and_grads(np.array([[1, 2], [3, 4]]), np.array([[0, 0], [4, 3], [2, 5]])), _s2s_step)
obj(nprnn.Seq2Seq, "tgt-batch", r"B=2", _s2s,
    lambda m: m.loss_and_grads(np.array([[1, 2], [3, 4]]), np.array([[0], [4], [2]])), _s2s_step)
obj(nprnn.Seq2Seq, "generate-start", r"\[0, 5\)", _s2s, lambda m: m.generate(np.array([[1, 2]]), 7, 3), _s2s_step)
obj(nprnn.Seq2Seq, "generate-length-0", "length 应大于 0", _s2s, lambda m: m.generate(np.array([[1, 2]]), 0, 0),
    _s2s_step)


def _gru1d():
    m = nprnn.MNIST1DGRU(hidden_size=3, chunk=2, num_classes=3, length=8)
    m.loss_and_grads(arr(2, 8), np.array([0, 2]))
    return m


_gru1d_step = lambda m: m.loss_and_grads(arr(2, 8, seed=1), np.array([1, 2]))  # noqa: E731
obj(nprnn.MNIST1DGRU, "label-range", r"\[0, 3\)", _gru1d, lambda m: m.loss_and_grads(arr(2, 8), [0, 3]), _gru1d_step)
obj(nprnn.MNIST1DGRU, "backward-shape", r"\(B, C\) = \(2, 3\)", _gru1d, lambda m: m.backward(arr(2, 4)), _gru1d_step)
obj(nprnn.MNIST1DGRU, "length", r"\(B, 8\)", _gru1d, lambda m: m.forward(arr(2, 10)))
obj(nprnn.MNIST1DGRU, "from-not-a-model", "一层 nn.GRU", _gru1d, lambda m: nprnn.MNIST1DGRU.from_torch(None))
fn(nprnn.MNIST1DGRU, "ctor-chunk", "整除序列长度 40", chunk=3)
fn(nprnn.train_mnist1d_gru, "lr-string", "正数", lr="0.01")
fn(nprnn.train_mnist1d_gru, "epochs-0", "epochs 应大于 0", epochs=0)
fn(nprf.lstm_forward_fast, "x-width", "D=2", arr(5, 4, 3), None, None, *_wub(4))
fn(nprf.lstm_forward_fast, "workspace-list", "workspace", arr(5, 4, 2), None, None, *_wub(4), workspace=[])
fn(nprf.lstm_backward_fast, "dh-shape", r"\(5, 4, 3\)", arr(5, 4, 2),
   nprf.lstm_forward_fast(arr(5, 4, 2), None, None, *_wub(4))[2])


# ------------------------------------------------------------------------ numpy.transformer
from nndl_ref.numpy import transformer as nptr  # noqa: E402

fn(nptr.one_hot, "id-out-of-range", r"\[0, 3\)", [0, 3], 3)
fn(nptr.one_hot, "num-classes-string", "正整数", [0, 1], "3")
fn(nptr.embedding_forward, "float-ids", "整数", [0.5], arr(4, 2))
fn(nptr.embedding_backward, "dout-shape", r"ids.shape \+ \(D,\) = \(2,\) \+ \(D,\)", arr(3, 2),
   nptr.embedding_forward([0, 1], arr(4, 2))[1])
fn(nptr.sinusoidal_positional_encoding, "odd-D", "偶数", 4, 3)
fn(nptr.sinusoidal_positional_encoding, "base-0", "base 应大于 0", 4, 4, base=0.0)
fn(nptr.patchify, "patch-too-long", "不能超过信号长度", arr(2, 8), 9, 2)
fn(nptr.FeedForward, "ctor-rng", "Generator", 4, 8, None)
obj(nptr.FeedForward, "backward-shape", r"\(B, T, D\) = \(1, 3, 4\)",
    lambda: (lambda f: (_fwd_bwd(f, arr(1, 3, 4)), f)[1])(nptr.FeedForward(4, 8, rng())),
    lambda f: f.backward(arr(1, 4, 3)), lambda f: _fwd_bwd(f, arr(1, 3, 4, seed=1)))
obj(nptr.FeedForward, "forward-width", "D=4", lambda: nptr.FeedForward(4, 8, rng()), lambda f: f.forward(arr(1, 3, 5)))


def _block(cls, pre_norm):
    def build():
        b = cls(4, 2, 8, rng(), pre_norm=pre_norm)
        if cls is nptr.EncoderBlock:
            _fwd_bwd(b, arr(1, 3, 4))
        else:
            b.forward(arr(1, 3, 4), arr(1, 2, 4, seed=1))
            b.backward(arr(1, 3, 4, seed=2))
        return b
    return build


def _block_step(b):
    if isinstance(b, nptr.EncoderBlock):
        return _fwd_bwd(b, arr(1, 3, 4, seed=3))
    return b.forward(arr(1, 3, 4, seed=3), arr(1, 2, 4, seed=4)), b.backward(arr(1, 3, 4, seed=5)), dict(b.grads)


for _pre in (False, True):
    _tag = "pre" if _pre else "post"
    obj(nptr.EncoderBlock, f"{_tag}-width", "D=4", _block(nptr.EncoderBlock, _pre), lambda b: b.forward(arr(1, 3, 5)),
        _block_step)
    obj(nptr.EncoderBlock, f"{_tag}-mask-shape", r"\(N, M\) = \(3, 3\)", _block(nptr.EncoderBlock, _pre),
        lambda b: b.forward(arr(1, 3, 4), mask=np.ones((2, 2), dtype=bool)), _block_step)
    obj(nptr.EncoderBlock, f"{_tag}-backward-shape", r"\(1, 3, 4\)", _block(nptr.EncoderBlock, _pre),
        lambda b: b.backward(arr(1, 3, 5)), _block_step)
    obj(nptr.DecoderBlock, f"{_tag}-memory-width", r"memory 的形状应为 \(B, T, D\) 且 D=4", _block(nptr.DecoderBlock, _pre),
        lambda b: b.forward(arr(1, 3, 4), arr(1, 2, 5)), _block_step)
    obj(nptr.DecoderBlock, f"{_tag}-backward-nan", "NaN", _block(nptr.DecoderBlock, _pre),
        lambda b: b.backward(with_nan(arr(1, 3, 4))), _block_step)
fn(nptr.EncoderBlock, "ctor-pre-norm-string", "True 或 False", 4, 2, 8, rng(), pre_norm="yes")


def _tr1d():
    m = nptr.MNIST1DTransformer(length=8, patch=4, stride=2, D=4, num_heads=2, num_layers=1, F=8, num_classes=3)
    m.loss_and_grads(arr(2, 8), np.array([0, 2]))
    return m


_tr1d_step = lambda m: m.loss_and_grads(arr(2, 8, seed=1), np.array([1, 2]))  # noqa: E731
obj(nptr.MNIST1DTransformer, "label-range", r"\[0, 3\)", _tr1d, lambda m: m.loss_and_grads(arr(2, 8), [0, 3]), _tr1d_step)
obj(nptr.MNIST1DTransformer, "backward-shape", r"\(B, C\) = \(2, 3\)", _tr1d, lambda m: m.backward(arr(2, 4)), _tr1d_step)
obj(nptr.MNIST1DTransformer, "state-dict-missing", "缺少", _tr1d, lambda m: m.load_torch_state_dict({}), _tr1d_step)
obj(nptr.MNIST1DTransformer, "from-not-a-model", "MNIST1DTransformer", _tr1d,
    lambda m: nptr.MNIST1DTransformer.from_torch(object()))
fn(nptr.MNIST1DTransformer, "ctor-heads", "整除", D=6, num_heads=4)
fn(nptr.train_mnist1d_transformer, "warmup-ge-steps", "0 < warmup < steps", steps=10, warmup=10)
fn(nptr.train_mnist1d_transformer, "bad-model-kw", "positional", steps=10, warmup=2, positional="rope")


# ------------------------------------------------------------------------ numpy.autodiff / autoencoder / rbm
from nndl_ref.numpy import autodiff as npad, autoencoder as npae, rbm as nprbm  # noqa: E402

fn(npad.Tensor, "string", "数值数组", "1.0")
fn(npad.Tensor, "complex", "实数", [1j])
fn(npad.Tensor, "nan", "有限实数", [NAN])
obj(npad.Tensor, "pow-nan", "有限的常数指数", lambda: npad.Tensor([1.0, 2.0]), lambda t: t ** NAN)
obj(npad.Tensor, "sum-axis", r"\[-1, 1\)", lambda: npad.Tensor([1.0, 2.0]), lambda t: t.sum(axis=1))
obj(npad.Tensor, "add-string", "数值数组", lambda: npad.Tensor([1.0, 2.0]), lambda t: t + "1")
fn(npad.topological_order, "not-a-tensor", "Tensor", 3.0)
fn(npad.cross_entropy, "label-range", r"取值在 \[0, 3\)", npad.Tensor(np.zeros((2, 3))), np.array([0, 5]))
fn(npad.cross_entropy, "Z-array", "Tensor", np.zeros((2, 3)), np.array([0, 1]))
fn(npad.sigmoid_graph, "string-x", "数值数组", "1", 2.0, 0.5)

fn(npae.reconstruction_loss, "shape", r"\(N, D\)", arr(3, 2), arr(3, 3))
fn(npae.sparsity_penalty, "kl-z-outside", r"\(0, 1\)", np.array([[0.0, 0.5]]), "kl", 1.0)
fn(npae.sparsity_penalty, "negative-weight", r"\[0, \+∞\)", np.array([[0.2, 0.5]]), "l1", -1.0)
fn(npae.sparsity_penalty, "rho-1", r"\(0, 1\)", np.array([[0.2, 0.5]]), "kl", 1.0, rho=1.0)
fn(npae.corrupt, "level", "level", arr(2, 2), rng(), "mask", 1.5)
fn(npae.corrupt, "kind", "'mask', 'gaussian'", arr(2, 2), rng(), "salt")
fn(npae.pca, "k-too-big", "k 应不超过 min", arr(3, 5), 4)
fn(npae.subspace_angles, "rows", "行数", arr(4, 2), arr(5, 2))
fn(npae.Autoencoder, "ctor-kl-without-logistic", "code_activation='logistic'", 5, 2, sparsity="kl")
fn(npae.Autoencoder, "ctor-sparsity-target", r"\(0, 1\)", 5, 2, sparsity="kl", code_activation="logistic",
   sparsity_target=0.0)
fn(npae.Autoencoder, "ctor-hidden-int", "元组", 5, 2, hidden=4)


def _ae(hidden=(3,), **kw):
    def build():
        m = npae.Autoencoder(5, 2, hidden=hidden, **kw)
        m.loss_and_grads(np.abs(arr(4, 5)) / 4)
        return m
    return build


_ae_step = lambda m: (m.loss_and_grads(np.abs(arr(4, 5, seed=1)) / 4), m.grads())  # noqa: E731
obj(npae.Autoencoder, "width", "D=5", _ae(), lambda m: m.loss_and_grads(arr(3, 4)), _ae_step)
obj(npae.Autoencoder, "target-shape", "D=5", _ae(), lambda m: m.loss_and_grads(arr(3, 5), arr(3, 4)), _ae_step)
obj(npae.Autoencoder, "kl-saturated-code-keeps-grads", r"\(0, 1\)", _ae((), sparsity="kl", code_activation="logistic"),
    lambda m: m.loss_and_grads(np.full((4, 5), 1e4)), _ae_step)
obj(npae.Autoencoder, "decode-width", "K=2", _ae(), lambda m: m.decode(arr(3, 3)), _ae_step)
obj(npae.fit, "noise-kind", "'mask', 'gaussian'", _ae(), lambda m: npae.fit(m, arr(4, 5), epochs=1, noise="salt"),
    _ae_step)
obj(npae.fit, "nan-data", "NaN", _ae(), lambda m: npae.fit(m, with_nan(arr(4, 5)), epochs=1), _ae_step)
fn(npae.fit, "not-a-model", "Autoencoder", "model", arr(4, 5))


def _rbm():
    m = nprbm.RBM(4, 3)
    nprbm.fit(m, (arr(6, 4) > 0).astype(float), epochs=1, batch_size=3)
    return m


_V = (arr(6, 4, seed=1) > 0).astype(float)
_rbm_step = lambda m: (nprbm.fit(m, _V, epochs=1, batch_size=3), m.params())  # noqa: E731
obj(nprbm.RBM, "v-range", r"\[0, 1\]", _rbm, lambda m: m.free_energy(np.full((2, 4), 2.0)), _rbm_step)
obj(nprbm.RBM, "v-width", "D=4", _rbm, lambda m: m.prob_h(np.ones((2, 5))), _rbm_step)
obj(nprbm.RBM, "energy-rows", "样本数 N 应相同", _rbm, lambda m: m.energy(np.ones((2, 4)), np.ones((3, 3))), _rbm_step)
obj(nprbm.RBM, "gibbs-k-0", "k 应大于 0", _rbm, lambda m: m.gibbs(_V, 0, rng()), _rbm_step)
obj(nprbm.RBM, "cd-rng", "Generator", _rbm, lambda m: m.contrastive_divergence(_V, 1, 0), _rbm_step)
obj(nprbm.fit, "k-0", "k 应大于 0", _rbm, lambda m: nprbm.fit(m, _V, epochs=1, k=0), _rbm_step)
obj(nprbm.fit, "momentum-1", r"momentum 应在 \[0, 1\)", _rbm, lambda m: nprbm.fit(m, _V, epochs=1, momentum=1.0), _rbm_step)
fn(nprbm.RBM, "ctor-weight-scale", "weight_scale 应大于 0", 4, 3, weight_scale=0.0)


# ------------------------------------------------------------------------ nndl_ref: data, metrics, gradcheck, ...
from nndl_ref import (data as D, data_mnist1d as DM, data_text as DT, gradcheck as GC, metrics as MT,  # noqa: E402
                      model_selection as MS, progress as PG)

fn(D.Split, "rows-mismatch", r"y_train 应为 \(N,\)", arr(4, 2), np.zeros(3), arr(2, 2), np.zeros(2))
fn(D.load_digits, "test-size-1", r"test_size 应在 \(0, 1\)", test_size=1.0)
fn(D.load_digits, "standardize-string", "True 或 False", standardize="yes")
fn(D.make_separable, "margin-too-big-would-loop-forever", r"margin.*\[0, 3\]", 10, margin=5.0)
fn(D.make_separable, "labels", "'01', 'pm1'", 10, labels="-1/1")
fn(D.make_xor, "negative-noise", r"\[0, \+∞\)", 10, noise=-0.1)
fn(D.make_blobs, "string-std", "实数", 5, std="0.6")
fn(D.make_spirals, "negative-seed", "非负整数", 5, seed=-3)
fn(D.make_spirals, "classes-0", "n_classes 应大于 0", 5, 0)
fn(DM.load_mnist1d, "too-few-samples", "≥ 10", num_samples=5)
fn(DM.load_mnist1d, "seed-string", "非负整数", seed="42")
fn(DT.load_python_docs, "max-chars-0", "正整数", 0)
fn(DT.CharVocab, "empty", "非空字符串", "")
obj(DT.CharVocab, "encode-unknown", "不在字符表里", lambda: DT.CharVocab("hello"), lambda v: v.encode("help"))
obj(DT.CharVocab, "encode-list", "字符串", lambda: DT.CharVocab("hello"), lambda v: v.encode(["h"]))
obj(DT.CharVocab, "decode-range", r"\[0, 4\)", lambda: DT.CharVocab("hello"), lambda v: v.decode([0, 4]))
obj(DT.CharVocab, "decode-float", "整数", lambda: DT.CharVocab("hello"), lambda v: v.decode([0.5]))


def _x_and_raising_f():
    return arr(3)


def _raise_when_second_entry_moves(x):
    """f 在扰动第 2 个分量时出错：x 里被扰动的那个分量也要恢复原样。"""
    x1 = float(x[1])

    def f(v):
        if v[1] != x1:
            raise ValueError("boom: f 不接受这个点")
        return 2 * v
    return GC.numerical_vjp(f, x, arr(3))


obj(GC.numerical_vjp, "f-raises-x-restored", "boom", _x_and_raising_f, _raise_when_second_entry_moves)
obj(GC.numerical_vjp, "df-shape", r"\(3,\)", _x_and_raising_f, lambda x: GC.numerical_vjp(lambda v: 2 * v, x, arr(2)))
obj(GC.numerical_vjp, "h-0", "h 应大于 0", _x_and_raising_f, lambda x: GC.numerical_vjp(lambda v: v, x, arr(3), h=0.0))
obj(GC.numerical_gradient, "int-x", "浮点 ndarray", lambda: np.arange(3), lambda x: GC.numerical_gradient(np.sum, x))
obj(GC.numerical_gradient, "nan-x", "NaN", lambda: with_nan(arr(3)), lambda x: GC.numerical_gradient(np.sum, x))
fn(GC.rel_error, "complex", "实数", np.array([1j]), np.array([1.0]))
fn(GC.rel_error, "shape", "形状不同", arr(2), arr(3))
obj(GC.check_gradient, "analytic-shape", r"\(3,\)", _x_and_raising_f,
    lambda x: GC.check_gradient(lambda v: float(v @ v), x, arr(2)))
obj(GC.check_gradient, "tol-negative", "tol 应大于 0", _x_and_raising_f,
    lambda x: GC.check_gradient(lambda v: float(v @ v), x, 2 * x, tol=-1.0))
fn(MT.accuracy, "fractional", "整数", [0, 1.5], [0, 1])
fn(MT.accuracy, "shape", "形状应相同", [0, 1], [0, 1, 1])
fn(MT.confusion_matrix, "label-ge-num-classes", r"\[0, 2\)", [0, 2], [0, 1], 2)
fn(MT.confusion_matrix, "num-classes-string", "正整数", [0, 1], [0, 1], "2")
fn(MT.precision_recall_f1, "bad-average", "average 应为", [0, 1], [0, 1], average="weighted")
fn(MT.f1_score, "negative-label", "非负整数", [0, -1], [0, 1])
fn(MS.train_val_test_split, "val-plus-test", "小于 1", 10, 0.5, 0.5)
fn(MS.train_val_test_split, "string-val", "实数", 10, "0.2")
fn(MS.train_val_test_split, "n-0", "n 应大于 0", 0)
fn(MS.bias_variance_decomposition, "f-output-shape", r"\(3,\)", lambda x, y, xt: xt, lambda x: np.zeros(2),
   np.linspace(0, 1, 3), n_datasets=2)
fn(MS.bias_variance_decomposition, "noise-nan", "有限", lambda x, y, xt: xt, np.sin, np.linspace(0, 1, 3), noise_std=NAN)
fn(MS.BiasVariance, "string-field", "实数", "0.1", 0.2, 0.3, 0.4)
fn(MS.BiasVariance, "negative-variance", r"\[0, \+∞\)", 0.1, -0.2, 0.3, 0.4)
fn(PG.progress_enabled, "int", "True、False 或 None", 1)
fn(PG.progress_bar, "enabled-string", "True 或 False", range(3), enabled="no")


def _hist():
    h = PG.History()
    h.log(1.0, 0.5, 1.2, 0.4)
    return h


obj(PG.History, "log-string-acc-keeps-loss", "acc 应为实数", _hist, lambda h: h.log(0.9, "0.6"),
    lambda h: (h.log(0.8, 0.7), h.as_dict()))
obj(PG.History, "log-complex-val", "val_loss 应为实数", _hist, lambda h: h.log(0.9, 0.6, 1j, 0.5),
    lambda h: (h.log(0.8, 0.7), h.as_dict()))


# ======================================================================== torch
from nndl_ref.torch import (activations as tha, attention as that, autoencoder as thae, cnn as thcnn,  # noqa: E402
                            conv as thc, distributed as thdist, init as thi, linear as thlin, losses as thl,
                            mlp as thmlp, norm as thn, optim as tho, pooling as thp, rbm as thrbm,
                            regression as threg, regularization as thr, rnn as thrnn, schedules as ths, ssm as thssm,
                            train as tht, trainer as thtr, transformer as thtf)


def tmod(cls, *args, **kw):
    """torch 模块：固定种子后新建（deepcopy 快照里的参数、缓冲区、梯度逐位比较）。"""
    def build():
        torch.manual_seed(0)
        return cls(*args, **kw)
    return build


def fwd(x):
    """对模块做一次正常的前向（不求导），结果用于"坏调用之后与新模块上相同"的比较。"""
    def call(m):
        with torch.no_grad():
            return m(x)
    return call


_BAD_T = (("numpy-array", np.zeros(3), "torch.Tensor"), ("int-tensor", torch.arange(3), "浮点张量"),
          ("complex", torch.tensor([1j]), "浮点张量"), ("nan", torch.tensor([0.0, NAN]), "NaN"))
for _i, _f in enumerate((tha.logistic, tha.tanh, tha.hard_logistic, tha.hard_tanh, tha.relu, tha.leaky_relu,
                         tha.elu, tha.softplus, tha.swish, tha.gelu, thl.sigmoid, thl.softplus)):
    _label, _z, _match = _BAD_T[_i % len(_BAD_T)]
    fn(_f, _label, _match, _z)
fn(tha.leaky_relu, "negative-gamma", r"\[0, \+∞\)", ten(3), gamma=-0.1)
fn(tha.elu, "string-gamma", "实数", ten(3), gamma="1")
fn(tha.swish, "vector-beta", "标量", ten(3), torch.ones(2))
fn(tha.prelu, "gamma-length", r"\(M,\)", ten(2, 3), torch.ones(4))
fn(tha.gelu, "bad-approximate", "'none', 'tanh', 'sigmoid'", ten(3), approximate="erf")
fn(tha.maxout, "pieces-0", "pieces 应大于 0", ten(2, 4), 0)
fn(tha.maxout, "not-dividing", "整数倍", ten(2, 5), 2)
fn(tha.get, "unknown", "可选", "relu6")
fn(tha.Activation, "ctor-bad-gamma", r"\[0, \+∞\)", "leaky_relu", gamma=-1.0)
fn(tha.Activation, "ctor-unknown-kw", r"多出 \['alpha'\]", "elu", alpha=1.0)
obj(tha.Activation, "forward-int", "浮点张量", tmod(tha.Activation, "tanh"), lambda m: m(torch.arange(3)))
fn(tha.PReLU, "ctor-negative-init", r"\[0, \+∞\)", 3, init=-0.5)
obj(tha.PReLU, "forward-width", r"\(M,\)", tmod(tha.PReLU, 3), lambda m: m(ten(2, 4)), fwd(ten(2, 3)))
fn(tha.Swish, "ctor-learnable-string", "True 或 False", 1.0, learnable="yes")
obj(tha.Swish, "forward-nan", "NaN", tmod(tha.Swish, learnable=True), lambda m: m(with_nan(ten(3))), fwd(ten(3)))
fn(tha.Maxout, "ctor-pieces", "正整数", 2.5)
for _f in (thl.logsumexp, thl.softmax, thl.log_softmax):
    fn(_f, "dim-out-of-range", r"dim 应在 \[-2, 1\]", ten(2, 3), dim=2)
fn(thl.binary_cross_entropy, "y-out-of-range", r"\[0, 1\]", torch.tensor([0.5, 0.5]), torch.tensor([0.0, 2.0]))
fn(thl.binary_cross_entropy_with_logits, "y-shape", r"\(2,\)", ten(2), torch.tensor([0.0, 1.0, 1.0]))
fn(thl.cross_entropy, "label-range", r"\[0, 3\)", ten(2, 3), torch.tensor([0, 3]))
fn(thl.cross_entropy, "float-labels", "整数", ten(2, 3), torch.tensor([0.0, 1.0]))
fn(thl.cross_entropy, "list-target", "torch.Tensor", ten(2, 3), [0, 1])
fn(thl.cross_entropy, "one-hot-rows", "和为 1", ten(2, 3), torch.ones(2, 3, dtype=torch.float64))
fn(thl.mse, "bad-reduction", "'mean', 'half'", ten(3), ten(3), reduction="sum")
fn(thl.hinge_loss, "01-labels", r"\+1 或 -1", ten(3), torch.tensor([0, 1, 1]))
fn(thl.hinge_loss, "list-y", "±1", ten(3), [1, -1, 1])

fn(thc.correlate1d, "mode", "'narrow'、'wide' 或 'same'", ten(5), ten(3), mode="full")
fn(thc.convolve1d, "numpy-w", "torch.Tensor", ten(5), np.ones(3))
fn(thc.conv2d, "channels", "通道数 D=2", ten(1, 2, 5, 5), ten(3, 1, 3, 3))
fn(thc.conv2d, "b-length", r"\(3,\)", ten(1, 2, 5, 5), ten(3, 2, 3, 3), ten(2))
fn(thc.conv2d, "negative-padding", "padding 的每一项应 ≥ 0", ten(1, 2, 5, 5), ten(3, 2, 3, 3), padding=-1)
fn(thc.conv1d, "tuple-stride", "整数", ten(1, 2, 6), ten(3, 2, 3), stride=(1, 2))
fn(thc.conv_transpose2d, "output-padding", "小于步长", ten(1, 3, 3, 3), ten(3, 1, 2, 2), output_padding=1)
fn(thc.conv_transpose2d, "nan", "NaN", with_nan(ten(1, 3, 3, 3)), ten(3, 1, 2, 2))
fn(thp.max_pool2d, "padding", "不应超过窗口大小的一半", ten(1, 1, 4, 4), 2, padding=2)
fn(thp.avg_pool2d, "x-3d", "4 维", ten(1, 4, 4))

fn(that.scaled_dot_product_attention, "d_k", r"Q \(..., N, d_k\)", ten(2, 4), ten(3, 5), ten(3, 2))
fn(that.scaled_dot_product_attention, "int-mask", "布尔张量", ten(2, 4), ten(3, 4), ten(3, 2), torch.ones(2, 3))
fn(that.scaled_dot_product_attention, "all-masked-row", "一整行", ten(2, 4), ten(3, 4), ten(3, 2),
   torch.tensor([[True] * 3, [False] * 3]))
fn(that.causal_mask, "N-0", "N 应大于 0", 0)
fn(that.MultiHeadAttention, "ctor-heads", "整除", 6, 4)
_mha_t = tmod(that.MultiHeadAttention, 6, 2)
obj(that.MultiHeadAttention, "width-5", "D=6", _mha_t, lambda m: m(ten(1, 3, 5)), fwd(ten(1, 3, 6)))
obj(that.MultiHeadAttention, "width-4", "D=6", _mha_t, lambda m: m(ten(1, 3, 4)), fwd(ten(1, 3, 6)))
obj(that.MultiHeadAttention, "mask-shape", "可广播", _mha_t, lambda m: m(ten(1, 3, 6), mask=torch.ones(2, 2, dtype=bool)),
    fwd(ten(1, 3, 6)))

fn(thn.batch_norm, "one-sample", "至少要 2 个值", ten(1, 3), torch.ones(3), torch.zeros(3))
fn(thn.batch_norm, "negative-eps", r"\[0, \+∞\)", ten(4, 3), torch.ones(3), torch.zeros(3), eps=-1.0)
fn(thn.layer_norm, "negative-eps", r"\[0, \+∞\)", ten(4, 3), torch.ones(3), torch.zeros(3), eps=-1.0)
fn(thn.layer_norm, "gamma-shape", r"\(4,\)", ten(4, 3), torch.ones(4), torch.zeros(4))


def _tbn():
    torch.manual_seed(0)
    bn = thn.BatchNorm(3)
    bn(ten(4, 3))
    return bn


_tbn_step = lambda b: (b(ten(5, 3, seed=1)), b.running_mean.clone(), b.running_var.clone())  # noqa: E731
obj(thn.BatchNorm, "wrong-channels-keeps-running-stats", r"\(C,\) = \(4,\)", _tbn, lambda b: b(ten(4, 4)), _tbn_step)
obj(thn.BatchNorm, "nan-keeps-running-stats", "NaN", _tbn, lambda b: b(with_nan(ten(4, 3))), _tbn_step)
obj(thn.BatchNorm, "eval-wrong-channels", "C=3", lambda: _tbn().eval(), lambda b: b(ten(4, 4)))
fn(thn.BatchNorm, "ctor-momentum", r"\[0, 1\]", 3, momentum=2.0)
fn(thn.LayerNorm, "ctor-shape-float", "正整数", 3.0)
obj(thn.LayerNorm, "forward-width", r"\(3,\)", tmod(thn.LayerNorm, 3), lambda m: m(ten(2, 4)), fwd(ten(2, 3)))

fn(thlin.perceptron_predict, "w-length", "w 给出 D=3", ten(4, 2), ten(3))
fn(thlin.perceptron_loss, "01-labels", r"\+1 或 -1", ten(3, 2), torch.tensor([0, 1, 1]), ten(2))
fn(thlin.Perceptron, "ctor-max-epochs", "max_epochs 应大于 0", max_epochs=0)
obj(thlin.Perceptron, "fit-rows", r"\(N,\) = \(4,\)",
    lambda: thlin.Perceptron(max_epochs=3).fit(ten(4, 2), torch.tensor([1, -1, 1, -1])),
    lambda p: p.fit(ten(4, 2), torch.tensor([1, -1, 1])),
    lambda p: (p.fit(ten(4, 2, seed=1), torch.tensor([1, 1, -1, -1])), p.w, p.b))
obj(thlin.LogisticRegression, "width", r"\(N, 2\)", tmod(thlin.LogisticRegression, 2), lambda m: m(ten(3, 3)))
obj(thlin.LogisticRegression, "loss-y-range", r"\[0, 1\]", tmod(thlin.LogisticRegression, 2),
    lambda m: m.loss(ten(3, 2).float(), torch.tensor([0, 1, 2])))
obj(thlin.SoftmaxRegression, "int-X", "浮点张量", tmod(thlin.SoftmaxRegression, 2, 3), lambda m: m(torch.ones(3, 2, dtype=int)))
fn(thlin.SoftmaxRegression, "ctor-classes-0", "n_classes 应大于 0", 2, 0)

fn(thmlp.MLP, "ctor-sizes", "正整数列表", [3, 0, 2])
fn(thmlp.MLP, "ctor-act-kw", r"\[0, \+∞\)", [3, 4, 2], "leaky_relu", gamma=-1.0)
obj(thmlp.MLP, "forward-width", "D=3", tmod(thmlp.MLP, [3, 4, 2]), lambda m: m(ten(2, 4).float()), fwd(ten(2, 3).float()))
obj(thmlp.MLP, "load-numpy-second-layer-shape", r"W2 的形状应为 \(2, 4\)", tmod(thmlp.MLP, [3, 4, 2]),
    lambda m: m.load_numpy({"W1": np.ones((4, 3)), "b1": np.zeros(4), "W2": np.ones((2, 5)), "b2": np.zeros(2)}),
    fwd(ten(2, 3).float()))
obj(thmlp.MLP, "load-numpy-bias-shape", r"b1 的形状应为 \(4,\)", tmod(thmlp.MLP, [3, 4, 2]),
    lambda m: m.load_numpy({"W1": np.ones((4, 3)), "b1": np.zeros(1), "W2": np.ones((2, 4)), "b2": np.zeros(2)}),
    fwd(ten(2, 3).float()))

fn(thi.init_, "unknown-nonlinearity-first-layer-untouched", "nonlinearity", torch.nn.Sequential(torch.nn.Linear(2, 3)),
   "xavier_normal", nonlinearity="swish")
fn(thi.init_, "scheme", "scheme 应为", torch.nn.Linear(2, 2), "orthogonal")
fn(thi.activation_stats, "x-width", r"\(N, 2\)", torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.Tanh()), ten(4, 3).float())
fn(thi.activation_stats, "not-sequential", "Sequential", torch.nn.Linear(2, 3), ten(4, 2).float())
fn(tho.make_optimizer, "unknown", "optimizer 应为", "lbfgs", [torch.zeros(2, requires_grad=True)], 0.1)
fn(tho.make_optimizer, "lr-string", "正数", "sgd", [torch.zeros(2, requires_grad=True)], "0.1")
fn(tho.make_optimizer, "unknown-kw", r"多出 \['momentun'\]", "sgd", [torch.zeros(2, requires_grad=True)], 0.1, momentun=0.9)
fn(tho.make_optimizer, "single-tensor", "可迭代", "sgd", torch.zeros(2, requires_grad=True), 0.1)
fn(ths.make_scheduler, "unknown", "schedule 应为", "cyclic", torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=1.0))
fn(ths.make_scheduler, "missing-kw", r"缺少必填的 \['step_size'\]", "step",
   torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=1.0))
fn(ths.make_scheduler, "bad-gamma", "gamma 应大于 0", "exponential",
   torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=1.0), gamma=-0.5)
fn(ths.make_scheduler, "not-an-optimizer", "torch.optim.Optimizer", "step", "opt", step_size=1)

fn(thr.Dropout, "ctor-p", r"\[0, 1\)", 1.0)
obj(thr.Dropout, "forward-mask-shape", r"同形状 \(2, 3\)", tmod(thr.Dropout, 0.5),
    lambda m: m(ten(2, 3), mask=torch.ones(3, 2)))
obj(thr.Dropout, "forward-mask-values", "0/1", tmod(thr.Dropout, 0.5), lambda m: m(ten(2, 3), mask=torch.full((2, 3), 0.5)))
fn(thr.weights, "not-a-module", "nn.Module", [torch.zeros(2, 2)])
fn(thr.l2_penalty, "negative-lam", r"\[0, \+∞\)", torch.nn.Linear(2, 2), -0.1)
fn(thr.l1_penalty, "string-lam", "实数", torch.nn.Linear(2, 2), "0.1")
fn(thr.mlp, "dropout-1", r"\[0, 1\)", [2, 3, 2], dropout=1.0)
fn(thr.mlp, "norm", "norm 应为", [2, 3, 2], norm="group")

fn(threg.polynomial_features, "degree-0", "degree 应大于 0", ten(4), 0)
fn(threg.normal_equation, "rows", r"\(N,\) = \(4,\)", ten(4, 2), ten(3))
fn(threg.normal_equation, "negative-lambda", r"\[0, \+∞\)", ten(4, 2), ten(4), -1.0)
fn(threg.LinearRegression, "ctor-n-features", "n_features 应大于 0", 0)
obj(threg.LinearRegression, "width", "D=2", tmod(threg.LinearRegression, 2), lambda m: m(ten(3, 3).float()))
obj(threg.fit_gradient_descent, "width-before-any-step", "D=2", tmod(threg.LinearRegression, 2, dtype=torch.float64),
    lambda m: threg.fit_gradient_descent(m, ten(4, 3), ten(4), steps=2))
obj(threg.fit_gradient_descent, "nan-y", "NaN", tmod(threg.LinearRegression, 2, dtype=torch.float64),
    lambda m: threg.fit_gradient_descent(m, ten(4, 2), with_nan(ten(4)), steps=2))

fn(thssm.selective_scan, "A-shape", r"A \(D, N\)", ten(1, 4, 2), ten(1, 4, 2).abs(), ten(3, 3), ten(1, 4, 3), ten(1, 4, 3))
fn(thssm.selective_scan, "negative-delta", "非负", ten(1, 4, 2), -ten(1, 4, 2).abs(), ten(2, 3), ten(1, 4, 3), ten(1, 4, 3))
fn(thssm.mlstm_parallel, "gate-shape", r"i_pre, f_pre \(…, T\)", ten(4, 2), ten(4, 2), ten(4, 2), ten(3), ten(4))
fn(thssm.SelectiveSSM, "ctor-N-0", "N 应大于 0", 4, N=0)
obj(thssm.SelectiveSSM, "width", "D=4", tmod(thssm.SelectiveSSM, 4), lambda m: m(torch.zeros(1, 3, 5)),
    fwd(torch.zeros(1, 3, 4)))
fn(thssm.MLSTMLayer, "ctor-heads", "整除", 6, 4)
obj(thssm.MLSTMLayer, "width", "D=4", tmod(thssm.MLSTMLayer, 4, 2), lambda m: m(torch.zeros(1, 3, 5)),
    fwd(torch.zeros(1, 3, 4)))

fn(thae.reconstruction_loss, "shape", r"\(N, D\)", ten(3, 2), ten(3, 3))
fn(thae.sparsity_penalty, "kind", "'l1', 'kl'", ten(3, 2).abs(), "l2", 1.0)
fn(thae.sparsity_penalty, "rho", r"\(0, 1\)", ten(3, 2).sigmoid(), "kl", 1.0, rho=1.5)
fn(thae.corrupt, "level", "level", ten(2, 2), None, "mask", 1.5)
fn(thae.corrupt, "generator-int", "torch.Generator", ten(2, 2), 0)
fn(thae.Autoencoder, "ctor-kl", "code_activation='logistic'", 5, 2, sparsity="kl")
fn(thae.Autoencoder, "ctor-n-code-0", "n_code 应大于 0", 5, 0)
obj(thae.Autoencoder, "width", "D=5", tmod(thae.Autoencoder, 5, 2), lambda m: m.loss(ten(3, 4).float()),
    lambda m: m.loss(ten(3, 5).float()))
obj(thae.fit, "noise-kind-before-any-step", "'mask', 'gaussian'", tmod(thae.Autoencoder, 5, 2),
    lambda m: thae.fit(m, ten(4, 5).float(), epochs=1, noise="salt"), lambda m: m.loss(ten(3, 5).float()))
obj(thae.fit, "nan-data", "NaN", tmod(thae.Autoencoder, 5, 2), lambda m: thae.fit(m, with_nan(ten(4, 5).float()), epochs=1))

_Vt = (ten(6, 4, seed=1) > 0).float()
obj(thrbm.RBM, "v-range", r"\[0, 1\]", tmod(thrbm.RBM, 4, 3), lambda m: m.free_energy(torch.full((2, 4), 2.0)))
obj(thrbm.RBM, "h-width", "K=3", tmod(thrbm.RBM, 4, 3), lambda m: m.prob_v(torch.zeros(2, 4)))
obj(thrbm.RBM, "gibbs-k-0", "k 应大于 0", tmod(thrbm.RBM, 4, 3), lambda m: m.gibbs(_Vt, 0))
obj(thrbm.RBM, "cd-vk-width", "D=4", tmod(thrbm.RBM, 4, 3), lambda m: m.cd_loss(_Vt, torch.zeros(6, 5)))
fn(thrbm.RBM, "ctor-dtype", "浮点的 torch.dtype", 4, 3, dtype=torch.int64)
obj(thrbm.fit, "momentum-before-any-step", r"momentum 应在 \[0, 1\)", tmod(thrbm.RBM, 4, 3),
    lambda m: thrbm.fit(m, _Vt, epochs=1, momentum=1.0), lambda m: m.free_energy(_Vt))
obj(thrbm.fit, "k-0", "k 应大于 0", tmod(thrbm.RBM, 4, 3), lambda m: thrbm.fit(m, _Vt, epochs=1, k=0))


# ------------------------------------------------------------------------ torch.cnn
_img = ten(2, 1, 8, 8).float()
_digits_like = (ten(6, 1, 8, 8).float(), torch.tensor([0, 1, 2, 3, 4, 5]))
fn(thcnn.LeNet, "ctor-image-size", "被 4 整除", image_size=10)
obj(thcnn.LeNet, "wrong-image-size", r"\(B, 1, 8, 8\)", tmod(thcnn.LeNet), lambda m: m(ten(2, 1, 12, 12).float()),
    lambda m: fwd(_img)(m.eval()))
fn(thcnn.vgg_block, "num-convs-0", "num_convs 应 ≥ 1", 1, 4, 0)
fn(thcnn.VGG, "ctor-blocks", "非空列表", blocks=())
obj(thcnn.VGG, "wrong-channels", r"\(B, 1, 8, 8\)", tmod(thcnn.VGG, blocks=((4, 1),)), lambda m: m(ten(2, 3, 8, 8).float()))
obj(thcnn.ResidualUnit, "wrong-channels-keeps-bn-stats", r"\(B, 4, H, W\)", tmod(thcnn.ResidualUnit, 4, 4),
    lambda m: m(ten(2, 3, 4, 4).float()), lambda m: (m(ten(2, 4, 4, 4).float()), m.bn1.running_mean.clone()))
obj(thcnn.ResidualUnit, "nan-keeps-bn-stats", "NaN", tmod(thcnn.ResidualUnit, 4, 4),
    lambda m: m(with_nan(ten(2, 4, 4, 4).float())), lambda m: (m(ten(2, 4, 4, 4).float()), m.bn1.running_mean.clone()))
fn(thcnn.ResidualUnit, "ctor-stride-0", "stride 应大于 0", 4, 4, 0)
obj(thcnn.ResNet, "wrong-channels", r"\(B, 1, H, W\)", tmod(thcnn.ResNet, stages=(4,), units_per_stage=1),
    lambda m: m(ten(2, 3, 8, 8).float()))
fn(thcnn.ResNet, "ctor-stages-empty", "非空", stages=())
obj(thcnn.DeepConvNet, "int-input", "浮点张量", tmod(thcnn.DeepConvNet, depth=2, channels=2),
    lambda m: m(torch.zeros(1, 1, 4, 4, dtype=torch.int64)))
fn(thcnn.DeepConvNet, "ctor-depth-0", "depth 应 ≥ 1", depth=0)
obj(thcnn.SimpleCNN, "wrong-size", r"\(B, 1, 8, 8\)", tmod(thcnn.SimpleCNN), lambda m: m(ten(2, 63).float()))
obj(thcnn.SimpleCNN, "load-numpy-bad-shape-second", r"3.W 的形状应为 \(16, 8, 3, 3\)", tmod(thcnn.SimpleCNN),
    lambda m: m.load_numpy({**{k: np.zeros(tuple(m.state_dict()[f"net.{k.split('.')[0]}.{'weight' if k[-1] == 'W' else 'bias'}"].shape))
                               for k in ("0.W", "0.b", "3.W", "3.b", "7.W", "7.b")}, "3.W": np.zeros((16, 8, 2, 2))}),
    fwd(ten(2, 64).float()))
obj(thcnn.PublishedMNIST1DCNN, "length", "L=40", tmod(thcnn.PublishedMNIST1DCNN), lambda m: m(ten(2, 30).float()))
obj(thcnn.MNIST1DCNN, "two-channels", r"\(B, 1, L\)", tmod(thcnn.MNIST1DCNN, 4), lambda m: m(ten(2, 2, 40).float()))
obj(thcnn.train, "label-range-before-any-step", r"\[0, 10\)", tmod(thcnn.LeNet),
    lambda m: thcnn.train(m, _digits_like[0], torch.tensor([0, 1, 2, 3, 4, 10]), epochs=1, batch_size=2),
    lambda m: fwd(_img)(m.eval()))
obj(thcnn.train, "fractional-labels", "整数", tmod(thcnn.LeNet),
    lambda m: thcnn.train(m, _digits_like[0], np.array([0, 1, 2, 3, 4, 4.5]), epochs=1, batch_size=2))
obj(thcnn.train, "bad-val-labels", r"\[0, 10\)", tmod(thcnn.LeNet),
    lambda m: thcnn.train(m, *_digits_like, epochs=1, X_val=_digits_like[0], y_val=_digits_like[1] + 10))
obj(thcnn.evaluate, "label-range-keeps-mode", r"\[0, 10\)", tmod(thcnn.LeNet),
    lambda m: thcnn.evaluate(m, _digits_like[0], _digits_like[1] + 5))
obj(thcnn.accuracy, "rows", "样本", tmod(thcnn.LeNet), lambda m: thcnn.accuracy(m, _digits_like[0], _digits_like[1][:4]))
fn(thcnn.trained_digits_lenet, "negative-seed", "非负整数", -1)


# ------------------------------------------------------------------------ torch.rnn
fn(thrnn.rnn_forward, "x-width", "D=2", ten(5, 3, 4), None, ten(4, 2), ten(4, 4), ten(4))
fn(thrnn.rnn_forward, "activation", "activation", ten(5, 3, 2), None, ten(4, 2), ten(4, 4), ten(4), "gelu")
fn(thrnn.lstm_forward, "U-shape", r"U \(4·H, H\)", ten(5, 3, 2), None, None, ten(16, 2), ten(12, 4), ten(16))
fn(thrnn.gru_forward, "h0-shape", r"\(B, H\) = \(3, 4\)", ten(5, 3, 2), ten(3, 5), ten(12, 2), ten(12, 4), ten(12))
fn(thrnn.BookGRU, "ctor-bidirectional-string", "True 或 False", 2, 3, bidirectional="no")
obj(thrnn.BookGRU, "h0-shape", r"\(2, 3, 4\)", tmod(thrnn.BookGRU, 2, 4, bidirectional=True),
    lambda m: m(ten(5, 3, 2).float(), torch.zeros(1, 3, 4)), fwd(ten(5, 3, 2).float()))
fn(thrnn.load_numpy, "no-keys", "没有形如", torch.nn.GRU(2, 3), {"V": np.zeros(2)})
obj(thrnn.load_numpy, "second-layer-shape-first-untouched", r"1.W 的形状应为 \(9, 3\)", tmod(torch.nn.GRU, 2, 3, 2),
    lambda m: thrnn.load_numpy(m, {"0.W": np.zeros((9, 2)), "0.U": np.zeros((9, 3)), "0.b": np.zeros(9),
                                   "1.W": np.zeros((12, 3))}))
_clf_t = tmod(thrnn.SequenceClassifier, "gru", 2, 3, 4)
_clf_params = nprnn.SequenceClassifier("gru", 2, 3, 4).params()
obj(thrnn.SequenceClassifier, "x-width", "D=2", _clf_t, lambda m: m(ten(5, 3, 3).float()), fwd(ten(5, 3, 2).float()))
obj(thrnn.SequenceClassifier, "load-numpy-head-shape-rnn-untouched", r"V 的形状应为 \(4, 3\)", _clf_t,
    lambda m: m.load_numpy({**_clf_params, "V": np.zeros((4, 2))}), fwd(ten(5, 3, 2).float()))
fn(thrnn.SequenceClassifier, "ctor-cell", "'rnn', 'lstm', 'gru'", "transformer", 2, 3, 4)
_tag_t = tmod(thrnn.SequenceTagger, "lstm", 2, 3, 4)
obj(thrnn.SequenceTagger, "state-not-pair", r"\(h, c\)", _tag_t, lambda m: m(ten(5, 3, 2).float(), torch.zeros(1, 3, 3)))
obj(thrnn.SequenceTagger, "load-numpy-missing-c", "缺少 'c'", _tag_t,
    lambda m: m.load_numpy({k: v for k, v in nprnn.SequenceTagger("lstm", 2, 3, 4).params().items() if k != "c"}))
_s2s_t = tmod(thrnn.Seq2Seq, "gru", 5, 3)
obj(thrnn.Seq2Seq, "token-range", r"\[0, 5\)", _s2s_t, lambda m: m(torch.tensor([[1, 2]]), torch.tensor([[0, 5]])))
obj(thrnn.Seq2Seq, "generate-start", r"\[0, 5\)", _s2s_t, lambda m: m.generate(torch.tensor([[1, 2]]), 7, 3))
obj(thrnn.Seq2Seq, "load-numpy-dec-shape-enc-untouched", r"0.U 的形状应为 \(9, 3\)", _s2s_t,
    lambda m: m.load_numpy({**nprnn.Seq2Seq("gru", 5, 3).params(), "dec.U": np.zeros((9, 2))}))
_lm = tmod(thrnn.CharLM, 5, 8, 4)
obj(thrnn.CharLM, "token-range", r"\[0, 5\)", _lm, lambda m: m(torch.tensor([[0], [5]])))
obj(thrnn.CharLM, "float-tokens", "整数", _lm, lambda m: m(torch.zeros(3, 1)))
fn(thrnn.CharLM, "ctor-hidden-0", "hidden_size 应大于 0", 5, 0)
obj(thrnn.perplexity, "ids-range-keeps-mode", r"\[0, 5\)", _lm, lambda m: thrnn.perplexity(m, np.array([0, 1, 5, 2]), 2))
obj(thrnn.perplexity, "too-short", "太短", _lm, lambda m: thrnn.perplexity(m, np.array([0, 1]), 4))
obj(thrnn.sample, "prime-unknown-char-keeps-mode", "不在字符表里", _lm,
    lambda m: thrnn.sample(m, DT.CharVocab("abcde"), "abz", 3))
obj(thrnn.sample, "temperature-0", "temperature 应大于 0", _lm, lambda m: thrnn.sample(m, DT.CharVocab("abcde"), "ab", 3, 0.0))
fn(thrnn.train_char_lm, "steps-0", "steps 应大于 0", "abcabc" * 20, steps=0)
fn(thrnn.train_char_lm, "text-list", "字符串", ["abc"], steps=1)
fn(thrnn.trained_char_lm, "negative-seed", "非负整数", seed=-1)
fn(thrnn.train_mnist1d_gru, "chunk", "整除序列长度 40", chunk=3)
fn(thrnn.train_mnist1d_gru, "lr-0", "lr 应大于 0", lr=0.0)
fn(thrnn.trained_mnist1d_gru, "seed-string", "非负整数", "0")
fn(thrnn.make_reverse_data, "n-0", "正整数", 0)
fn(thrnn.make_reverse_data, "seed", "非负整数", 4, seed=-2)
fn(thrnn.train_seq2seq, "cell", "'rnn', 'lstm', 'gru'", cell="transformer")
fn(thrnn.trained_seq2seq, "seed-float", "非负整数", 0.5)


# ------------------------------------------------------------------------ torch.transformer
fn(thtf.sinusoidal_positional_encoding, "odd-D", "偶数", 4, 3)
fn(thtf.load_numpy_block, "not-a-block", "EncoderBlock", "block", torch.nn.TransformerEncoderLayer(4, 2, 8))
obj(thtf.load_numpy_block, "mismatched-width-first-param-untouched", "D、头数、F 应相同",
    tmod(torch.nn.TransformerEncoderLayer, 4, 2, 8, dropout=0.0, batch_first=True),
    lambda t: thtf.load_numpy_block(nptr.EncoderBlock(4, 2, 6, rng()), t))
fn(thtf.make_task, "task", "task 应为", 4, task="copy")
obj(thtf.Block, "width", "D=4", tmod(thtf.Block, 4, 2, 8), lambda m: m(torch.zeros(1, 3, 5)), fwd(torch.zeros(1, 3, 4)))
fn(thtf.Block, "ctor-mixer", "mixer 应为", 4, 2, 8, "rnn")
_tt = tmod(thtf.TinyTransformer, D=8, num_heads=2, num_layers=1, F_=16, max_len=6)
obj(thtf.TinyTransformer, "token-range", r"\[0, 11\)", _tt, lambda m: m(torch.tensor([[0, 11]])),
    fwd(torch.tensor([[0, 1, 2]])))
obj(thtf.TinyTransformer, "too-long", "max_len=6", _tt, lambda m: m(torch.zeros(1, 7, dtype=torch.long)))
obj(thtf.TinyTransformer, "generate-past-max-len", "max_len=6", _tt, lambda m: m.generate(torch.zeros(1, 3, dtype=torch.long), 5))
obj(thtf.exact_match, "even-width-keeps-mode", r"\(n, 2L\+1\)", _tt, lambda m: thtf.exact_match(m, torch.zeros(2, 4, dtype=int)))
fn(thtf.train_task, "steps-0", "steps 应大于 0", steps=0)
fn(thtf.train_task, "bad-mixer", "mixer 应为", steps=1, mixer="rnn")
fn(thtf.trained_task, "task", "'reverse', 'sort'", "copy")
fn(thtf.patchify, "patch-too-long", "不能超过信号长度", ten(2, 8), 9, 2)
fn(thtf.MNIST1DTransformer, "ctor-heads", "整除", D=6, num_heads=4)
obj(thtf.MNIST1DTransformer, "length", r"\(B, 40\)", tmod(thtf.MNIST1DTransformer, D=4, num_heads=2, num_layers=1, F_=8),
    lambda m: m(torch.zeros(2, 30)))
fn(thtf.train_mnist1d_transformer, "warmup", "0 < warmup < steps", steps=10, warmup=10)
fn(thtf.train_mnist1d_transformer, "bad-model-kw", "positional", steps=10, warmup=2, positional="rope")
fn(thtf.trained_mnist1d_transformer, "seed", "非负整数", -1)


# ------------------------------------------------------------------------ torch.train / trainer / distributed
_Xs, _ys = ten(12, 2).float(), torch.tensor([0, 1, 2] * 4)
_small_mlp = lambda: (torch.manual_seed(0), thr.mlp([2, 4, 3]))[1]  # noqa: E731
fn(tht.pick_device, "unknown", "设备名", "gpu0")
fn(tht.pick_device, "int", "字符串", 0)
fn(tht.as_tensors, "rows", "第 0 维应相同", np.zeros((3, 2)), np.zeros(4))
fn(tht.as_tensors, "string-X", "数值数组", np.array([["a", "b"]]), np.zeros(1))
obj(tht.evaluate, "numpy-X", "张量", _small_mlp, lambda m: tht.evaluate(m, np.zeros((3, 2)), torch.zeros(3)))
obj(tht.fit, "label-range-before-model-is-moved", r"\[0, 3\)", _small_mlp,
    lambda m: tht.fit(m, _Xs, torch.tensor([0, 1, 2] * 3 + [0, 1, 3]), epochs=1, batch_size=3, dtype=torch.float64))
obj(tht.fit, "val-labels", r"\[0, 3\)", _small_mlp,
    lambda m: tht.fit(m, _Xs, _ys, epochs=1, X_val=_Xs, y_val=_ys + 3))
obj(tht.fit, "optimizer-object", "torch.optim.Optimizer", _small_mlp, lambda m: tht.fit(m, _Xs, _ys, optimizer=object()))
obj(tht.fit, "nan-X", "NaN", _small_mlp, lambda m: tht.fit(m, with_nan(_Xs), _ys))
fn(thtr.TrainConfig, "optimizer", "optimizer 应为", optimizer="lbfgs")
fn(thtr.TrainConfig, "schedule", "schedule 应为", schedule="cyclic")
fn(thtr.TrainConfig, "threads-0", "threads 应大于 0", threads=0)
fn(thtr.TrainConfig, "lr-0", "lr 应大于 0", lr=0.0)
fn(thtr.TrainHistory.from_dict, "unknown-key", "键取自", {"los": [1.0]})
obj(thtr.TrainHistory, "log-string", "loss 应为实数", thtr.TrainHistory, lambda h: h.log("1.0", 0.5))
fn(thtr.seed_everything, "string", "整数", "0")
fn(thtr.epoch_order, "n-0", "n 应大于 0", 0, 0, 0)
fn(thtr.epoch_order, "negative-epoch", r"\[0, \+∞\)", 5, 0, -1)
fn(thtr.save_checkpoint, "state-list", "字典", [1, 2], "/tmp/never-written.pt")
fn(thtr.save_checkpoint, "path-int", "文件路径", {}, 3)
fn(thtr.load_checkpoint, "path-none", "文件路径", None)
obj(thtr.train, "label-range-before-any-step", r"\[0, 3\)", _small_mlp,
    lambda m: thtr.train(m, _Xs, torch.tensor([0, 1, 2] * 3 + [0, 1, 3]),
                         config=thtr.TrainConfig(epochs=1, batch_size=3, progress=False)))
obj(thtr.train, "patience-without-val", "验证集", _small_mlp,
    lambda m: thtr.train(m, _Xs, _ys, config=thtr.TrainConfig(epochs=1, batch_size=3, patience=1)))
fn(thdist.demo_problem, "negative-seed", "非负整数", -1)


# ======================================================================== 目录的完整性
def _public_modules() -> list:
    names = ["nndl_ref.data", "nndl_ref.data_mnist1d", "nndl_ref.data_text", "nndl_ref.gradcheck",
             "nndl_ref.metrics", "nndl_ref.model_selection", "nndl_ref.progress"]
    for pkg in (nndl_ref.numpy, nndl_ref.torch):
        names += [f"{pkg.__name__}.{m.name}" for m in pkgutil.iter_modules(pkg.__path__) if not m.name.startswith("_")]
    return [importlib.import_module(n) for n in names]


def _key(o) -> str:
    return f"{o.__module__}.{o.__qualname__}"


def public_callables() -> dict[str, Any]:
    """每个模块里公开的（名字不以下划线开头、在本模块定义或列在 ``__all__`` 里的）类与函数。"""
    out = {}
    for mod in _public_modules():
        exported = set(getattr(mod, "__all__", ()))
        for name, value in vars(mod).items():
            if name.startswith("_") or not callable(value) or isinstance(value, (dict, type(np))):
                continue
            if getattr(value, "__module__", None) == mod.__name__ or name in exported:
                out[_key(getattr(value, "__wrapped__", value))] = value
    return out


EXEMPT: dict[str, str] = {
    # 名字: 为什么目录里没有它的坏输入用例
    "nndl_ref.numpy.layers.Layer": "抽象基类：没有参数，forward/backward 只是占位（子类各有用例）",
    "nndl_ref.torch.trainer.distributed_info": "没有参数：只读 torch.distributed 的状态",
    "nndl_ref.torch.trainer.init_distributed": "没有参数：只读环境变量 WORLD_SIZE 等（由 torchrun 设置）",
    "nndl_ref.torch.distributed.main": "命令行入口：参数由 argparse 检查，出错时按命令行惯例以 SystemExit 退出",
    "nndl_ref.torch.distributed.launch": "启动 torchrun 子进程（每次几秒到几十秒）；失败时抛出带子进程输出的 RuntimeError，"
                                         "由 tests/test_ch07_distributed.py 覆盖",
}


def test_every_public_callable_has_a_case():
    covered = {_key(c.target) for c in CASES}
    public = public_callables()
    missing = sorted(set(public) - covered - set(EXEMPT))
    assert not missing, f"这些公开符号在坏输入目录里没有用例（加一个用例，或写进 EXEMPT 并说明理由）：{missing}"
    stale = sorted(set(EXEMPT) - set(public))
    assert not stale, f"EXEMPT 里的这些名字已经不是公开符号了：{stale}"
    both = sorted(set(EXEMPT) & covered)
    assert not both, f"这些名字既有用例又在 EXEMPT 里：{both}"


def test_case_ids_are_unique():
    ids = [c.id for c in CASES]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


# ======================================================================== 扫描
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_is_rejected_and_leaves_state_untouched(case):
    state = case.build()
    before = copy.deepcopy(state)
    with pytest.raises((ValueError, TypeError), match=case.match):
        case.bad(state)
    where = diff(before, state, "state")
    assert where is None, f"坏输入被拒绝了，但对象已经被改动：{where}"
    if case.valid is not None:
        after, fresh = case.valid(state), case.valid(case.build())
        where = diff(fresh, after, "result")
        assert where is None, f"坏输入之后的正常调用与新对象上的结果不同：{where}"
