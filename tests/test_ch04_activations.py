"""第 4 章的激活函数：导数与数值梯度、torch autograd（公式版）、torch 内置函数三方对照；
不可导点的约定；极端输入的稳定性；错误输入的报错。"""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from nndl_ref.gradcheck import numerical_vjp, rel_error
from nndl_ref.numpy import activations as A
from nndl_ref.torch import activations as TA

EXTREME = np.array([-1e4, -800.0, -50.0, -3.0, -1.0, -1e-9, 0.0, 1e-9, 1.0, 3.0, 50.0, 800.0, 1e4])

# 名字 → (NumPy f, NumPy f', torch 公式版, 关键字参数)
CASES = {
    "logistic": (A.logistic, A.logistic_grad, TA.logistic, {}),
    "tanh": (A.tanh, A.tanh_grad, TA.tanh, {}),
    "hard_logistic": (A.hard_logistic, A.hard_logistic_grad, TA.hard_logistic, {}),
    "hard_tanh": (A.hard_tanh, A.hard_tanh_grad, TA.hard_tanh, {}),
    "relu": (A.relu, A.relu_grad, TA.relu, {}),
    "leaky_relu": (A.leaky_relu, A.leaky_relu_grad, TA.leaky_relu, {"gamma": 0.1}),
    "elu": (A.elu, A.elu_grad, TA.elu, {"gamma": 0.7}),
    "softplus": (A.softplus, A.softplus_grad, TA.softplus, {}),
    "swish": (A.swish, A.swish_grad, TA.swish, {"beta": 1.5}),
    "gelu": (A.gelu, A.gelu_grad, TA.gelu, {}),
    "gelu_tanh": (A.gelu, A.gelu_grad, TA.gelu, {"approximate": "tanh"}),
    "gelu_sigmoid": (A.gelu, A.gelu_grad, TA.gelu, {"approximate": "sigmoid"}),
}

# torch 内置函数（定义与书中一致时）
BUILTINS = {
    "logistic": torch.sigmoid,
    "tanh": torch.tanh,
    "hard_tanh": F.hardtanh,
    "relu": torch.relu,
    "leaky_relu": lambda z: F.leaky_relu(z, 0.1),
    "elu": lambda z: F.elu(z, alpha=0.7),
    "softplus": F.softplus,
    "swish": lambda z: z * torch.sigmoid(1.5 * z),
    "gelu": F.gelu,
    "gelu_tanh": lambda z: F.gelu(z, approximate="tanh"),
}


def t64(a, grad=False):
    return torch.tensor(np.asarray(a, dtype=np.float64), requires_grad=grad)


def away_from_kinks(rng, n=40):
    """随机点，但离所有不可导点（0、±1、±2）至少 1e-3，中心差分在这里有效。"""
    z = rng.uniform(-4, 4, n)
    for k in (0.0, 1.0, -1.0, 2.0, -2.0):
        z = np.where(np.abs(z - k) < 1e-3, z + 0.01, z)
    return z


def torch_grad(fn, z, **kw):
    zt = t64(z, grad=True)
    fn(zt, **kw).sum().backward()
    return zt.grad.numpy()


@pytest.mark.parametrize("name", CASES)
def test_derivative_matches_numerical_gradient(name, rng):
    f, fprime, _, kw = CASES[name]
    z = away_from_kinks(rng)
    num = numerical_vjp(lambda v: f(v, **kw), z.copy(), np.ones_like(z))
    assert rel_error(fprime(z, **kw), num) < 1e-7


@pytest.mark.parametrize("name", CASES)
def test_numpy_matches_torch_formula_values_and_autograd(name, rng):
    f, fprime, tf, kw = CASES[name]
    z = np.concatenate([away_from_kinks(rng), EXTREME])
    np.testing.assert_allclose(tf(t64(z), **kw).numpy(), f(z, **kw), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(torch_grad(tf, z, **kw), fprime(z, **kw), rtol=1e-10, atol=1e-15)


@pytest.mark.parametrize("name", BUILTINS)
def test_numpy_matches_torch_builtin_values_and_gradients(name, rng):
    f, fprime, _, kw = CASES[name]
    z = np.concatenate([away_from_kinks(rng), EXTREME])
    builtin = BUILTINS[name]
    np.testing.assert_allclose(builtin(t64(z)).numpy(), f(z, **kw), rtol=1e-12, atol=1e-15)
    zt = t64(z, grad=True)
    builtin(zt).sum().backward()
    np.testing.assert_allclose(zt.grad.numpy(), fprime(z, **kw), rtol=1e-10, atol=1e-15)


@pytest.mark.parametrize("name", CASES)
def test_stable_at_extreme_inputs(name):
    f, fprime, tf, kw = CASES[name]
    with np.errstate(over="raise", divide="raise", invalid="raise"):   # 任何上溢 / 0 除 / NaN 都会报错
        a, g = f(EXTREME, **kw), fprime(EXTREME, **kw)
    assert np.all(np.isfinite(a)) and np.all(np.isfinite(g))
    assert np.all(np.isfinite(torch_grad(tf, EXTREME, **kw)))


def test_limits_at_extremes():
    """饱和：S 型函数在 ±1e4 处导数恰为 0；ReLU 类在 +1e4 处导数为 1、值为 1e4。"""
    big = np.array([-1e4, 1e4])
    assert A.logistic(big).tolist() == [0.0, 1.0] and A.logistic_grad(big).tolist() == [0.0, 0.0]
    assert A.tanh(big).tolist() == [-1.0, 1.0] and A.tanh_grad(big).tolist() == [0.0, 0.0]
    for name in ("relu", "leaky_relu", "elu", "softplus", "swish", "gelu"):
        f, fprime, _, kw = CASES[name]
        assert f(big, **kw)[1] == 1e4 and fprime(big, **kw)[1] == 1.0, name
    assert A.elu(big)[0] == -1.0 and A.softplus(big)[0] == 0.0 and A.gelu(big)[0] == 0.0


# ---------------------------------------------------------------- 不可导点
def test_values_at_non_differentiable_points_are_documented_choice():
    """ReLU'(0)=0，LeakyReLU'(0)=γ，ELU'(0)=γ，硬函数在拐点取 0 —— 与 torch autograd 相同。"""
    assert A.relu_grad(np.array([0.0]))[0] == 0.0
    assert A.leaky_relu_grad(np.array([0.0]), gamma=0.1)[0] == 0.1
    assert A.elu_grad(np.array([0.0]), gamma=0.7)[0] == 0.7
    assert A.prelu_grad(np.array([[0.0]]), np.array([0.3]))[0, 0] == 0.3
    kinks = np.array([-2.0, 2.0])
    assert A.hard_logistic_grad(kinks).tolist() == [0.0, 0.0]
    assert A.hard_tanh_grad(np.array([-1.0, 1.0])).tolist() == [0.0, 0.0]
    # torch 的内置函数在同样的点给出同样的值
    z0 = t64([0.0], grad=True)
    torch.relu(z0).sum().backward()
    assert z0.grad.item() == 0.0
    z0 = t64([0.0], grad=True)
    F.leaky_relu(z0, 0.1).sum().backward()
    assert z0.grad.item() == pytest.approx(0.1)
    z0 = t64([0.0], grad=True)
    F.elu(z0, alpha=0.7).sum().backward()
    assert z0.grad.item() == pytest.approx(0.7)
    zk = t64([-1.0, 1.0], grad=True)
    F.hardtanh(zk).sum().backward()
    assert zk.grad.tolist() == [0.0, 0.0]
    for tf, pts in ((TA.relu, [0.0]), (TA.hard_logistic, [-2.0, 2.0]), (TA.hard_tanh, [-1.0, 1.0])):
        assert torch_grad(tf, np.array(pts)).tolist() == [0.0] * len(pts)


def test_relu_one_sided_derivatives_and_subgradient():
    """ReLU 在 0 处左导数 0、右导数 1；我们取的 0 在次梯度区间 [0, 1] 内；
    光滑近似 softplus_β(z) = log(1+e^{βz})/β 在 0 处的导数恒为 1/2，β→∞ 时函数一致收敛到 ReLU。"""
    h = 1e-7
    left = (A.relu(np.array([0.0]))[0] - A.relu(np.array([-h]))[0]) / h
    right = (A.relu(np.array([h]))[0] - A.relu(np.array([0.0]))[0]) / h
    assert left == 0.0 and right == pytest.approx(1.0)
    assert left <= A.relu_grad(np.array([0.0]))[0] <= right
    z = np.linspace(-3, 3, 601)
    for beta in (1.0, 10.0, 100.0):
        assert A.softplus_grad(np.array([0.0]) * beta)[0] == 0.5
        gap = np.max(np.abs(A.softplus(beta * z) / beta - A.relu(z)))
        assert gap == pytest.approx(np.log(2) / beta)          # 最大差距在 z=0 处，等于 log2/β


# ---------------------------------------------------------------- 书中定义与 torch 不同的地方
def test_hard_logistic_is_not_torch_hardsigmoid():
    """书：0.25z+0.5 截断（拐点 ±2）；torch：z/6+0.5 截断（拐点 ±3）。"""
    z = np.array([-3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0])
    book = A.hard_logistic(z)
    torch_hs = F.hardsigmoid(t64(z)).numpy()
    np.testing.assert_allclose(book, [0.0, 0.0, 0.25, 0.5, 0.75, 1.0, 1.0])
    np.testing.assert_allclose(torch_hs, np.clip(z / 6 + 0.5, 0, 1))
    assert not np.allclose(book, torch_hs)
    # 斜率 0.25 就是 σ'(0)：Hard-Logistic 是 σ 在 0 处的一阶泰勒展开
    assert A.hard_logistic_grad(np.array([0.0]))[0] == A.logistic_grad(np.array([0.0]))[0]


def test_gelu_approximations_are_close_but_not_equal():
    z = np.linspace(-6, 6, 1201)
    exact = A.gelu(z)
    assert 1e-5 < np.max(np.abs(A.gelu(z, approximate="tanh") - exact)) < 1e-3
    assert 1e-3 < np.max(np.abs(A.gelu(z, approximate="sigmoid") - exact)) < 3e-2


def test_swish_limits():
    """β=0 时是 z/2；β 很大时趋于 ReLU；β=1 时就是 SiLU。"""
    z = np.linspace(-5, 5, 101)
    np.testing.assert_allclose(A.swish(z, beta=0.0), z / 2)
    assert np.max(np.abs(A.swish(z, beta=1e3) - A.relu(z))) < 1e-3
    np.testing.assert_allclose(A.swish(z), F.silu(t64(z)).numpy(), rtol=1e-12)


# ---------------------------------------------------------------- 可学习参数：PReLU 的 γ、Swish 的 β
def test_prelu_gradients_numpy_numerical_torch(rng):
    z = away_from_kinks(rng, 24).reshape(6, 4)
    gamma = np.array([0.1, 0.25, 0.5, 0.05])
    da = rng.standard_normal((6, 4))
    dz = A.prelu_grad(z, gamma) * da
    dgamma = (da * A.prelu_grad_gamma(z)).sum(axis=0)
    assert rel_error(dz, numerical_vjp(lambda v: A.prelu(v, gamma), z.copy(), da)) < 1e-7
    assert rel_error(dgamma, numerical_vjp(lambda g: A.prelu(z, g), gamma.copy(), da)) < 1e-7
    zt, gt = t64(z, grad=True), t64(gamma, grad=True)
    (TA.prelu(zt, gt) * t64(da)).sum().backward()
    np.testing.assert_allclose(zt.grad.numpy(), dz, rtol=1e-12)
    np.testing.assert_allclose(gt.grad.numpy(), dgamma, rtol=1e-12)
    zt, gt = t64(z, grad=True), t64(gamma, grad=True)
    (F.prelu(zt, gt) * t64(da)).sum().backward()             # torch 内置：同样的定义
    np.testing.assert_allclose(gt.grad.numpy(), dgamma, rtol=1e-12)


def test_swish_beta_gradient_numpy_numerical_torch(rng):
    z = rng.standard_normal(10) * 3
    for beta in (0.5, 1.0, 2.0):
        g = A.swish_grad_beta(z, beta)
        num = numerical_vjp(lambda b: A.swish(z, float(b[0])), np.array([beta]), np.ones_like(z))
        assert rel_error([g.sum()], num) < 1e-7
        bt = t64(beta, grad=True)
        TA.swish(t64(z), bt).sum().backward()
        assert bt.grad.item() == pytest.approx(g.sum(), rel=1e-12)


def test_swish_and_prelu_modules_have_learnable_parameters():
    assert [n for n, _ in TA.Swish(1.0, learnable=True).named_parameters()] == ["beta"]
    assert list(TA.Swish(1.0).parameters()) == []
    assert TA.PReLU(3).gamma.shape == (3,)


# ---------------------------------------------------------------- Maxout
def test_maxout_forward_backward(rng):
    z = rng.standard_normal((5, 12))                          # M = 4 个单元，每个 K = 3 片
    a = A.maxout(z, 3)
    np.testing.assert_allclose(a, z.reshape(5, 4, 3).max(axis=2))
    da = rng.standard_normal((5, 4))
    dz = A.maxout_backward(da, z, 3)
    assert rel_error(dz, numerical_vjp(lambda v: A.maxout(v, 3), z.copy(), da)) < 1e-7
    assert np.count_nonzero(dz) == da.size                    # 每组只有一片拿到梯度
    zt = t64(z, grad=True)
    (TA.maxout(zt, 3) * t64(da)).sum().backward()
    np.testing.assert_allclose(zt.grad.numpy(), dz, rtol=1e-12)


def test_maxout_contains_relu_and_leaky_relu():
    """ReLU(z) = max(z, 0)、LeakyReLU(z) = max(z, γz)：都是 K=2 的 Maxout。"""
    z = np.linspace(-3, 3, 13)
    np.testing.assert_allclose(A.maxout(np.stack([z, 0 * z], axis=1).reshape(1, -1), 2)[0], A.relu(z))
    np.testing.assert_allclose(A.maxout(np.stack([z, 0.1 * z], axis=1).reshape(1, -1), 2)[0],
                               A.leaky_relu(z, 0.1))


# ---------------------------------------------------------------- 错误输入
def test_bad_inputs_raise_clear_errors():
    with pytest.raises(TypeError, match="数值数组"):
        A.relu("abc")
    with pytest.raises(ValueError, match="NaN 或 inf"):
        A.tanh(np.array([1.0, np.nan]))
    with pytest.raises(ValueError, match="非负"):
        A.leaky_relu(np.ones(3), gamma=-0.1)
    with pytest.raises(TypeError, match="gamma 应为实数"):
        A.elu(np.ones(3), gamma="1")
    with pytest.raises(ValueError, match="approximate 应为"):
        A.gelu(np.ones(3), approximate="erf")
    with pytest.raises(ValueError, match="整数倍"):
        A.maxout(np.ones((2, 5)), 2)
    with pytest.raises(ValueError, match=r"\(N, M\)"):
        A.maxout_backward(np.ones((2, 3)), np.ones((2, 4)), 2)
    with pytest.raises(ValueError, match="gamma 应为标量或形状 \\(M,\\)"):
        A.prelu(np.ones((2, 3)), np.ones(4))
    with pytest.raises(ValueError, match="未知的激活函数 'rleu'"):
        A.get("rleu")
    with pytest.raises(TypeError, match="torch.Tensor"):
        TA.relu(np.ones(3))
    with pytest.raises(ValueError, match="未知的激活函数"):
        TA.get("rleu")


def test_activation_cost_sentence_matches_the_benchmark_table():
    """4.2.6 节"计算代价"一段对 benchmarks/results/fnn-activations.json 的描述：NumPy 一列里 Logistic、ELU、
    Softplus、Swish、GELU 都比三个分段线性函数中最慢的还慢，是 ReLU 的好几倍到十几倍（5～20 倍）；Tanh 例外；
    PyTorch 内置函数之间的差距（最慢 ÷ 最快）小得多（不到 NumPy 一列的一半）。"""
    import json
    from pathlib import Path

    records = json.loads((Path(__file__).resolve().parents[1] / "benchmarks/results/fnn-activations.json")
                         .read_text(encoding="utf-8"))
    cols = {}
    for r in records:
        cols.setdefault(r["column"], {})[r["row"]] = r["value"]
    np_ms = next(v for k, v in cols.items() if k.startswith("NumPy"))
    th_ms = next(v for k, v in cols.items() if k.startswith("PyTorch"))
    piecewise = max(np_ms[k] for k in ("relu", "leaky_relu", "hard_tanh"))
    for name in ("logistic", "elu", "softplus", "swish", "gelu"):
        assert np_ms[name] > piecewise, name
        assert 5 <= np_ms[name] / np_ms["relu"] < 20, name
    assert np_ms["tanh"] < piecewise
    assert max(th_ms.values()) / min(th_ms.values()) < 0.5 * max(np_ms.values()) / min(np_ms.values())
