"""第 4 章的多层感知器：手写反向传播的梯度检查；NumPy 与 torch 在同样权重上的损失与梯度（float64）；
优化器与 torch.optim 一致；手写数字上两个实现都达到 97%；通用近似的构造；错误输入。"""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from nndl_ref import data
from nndl_ref.gradcheck import numerical_gradient, rel_error
from nndl_ref.numpy import optim
from nndl_ref.numpy.mlp import MLP, one_hidden_layer_lstsq
from nndl_ref.numpy.train import fit as np_fit
from nndl_ref.torch.mlp import MLP as TorchMLP
from nndl_ref.torch.train import fit as torch_fit


def _numerical_grads(net, X, y):
    out = {}
    for name, p in net.params().items():
        def f(v, p=p):
            old = p.copy()
            p[...] = v
            loss = net.loss_and_grads(X, y)[0]
            p[...] = old
            return loss
        out[name] = numerical_gradient(f, p.copy())
    return out


@pytest.mark.parametrize("activation,kw", [("relu", {}), ("tanh", {}), ("logistic", {}), ("elu", {"gamma": 0.5}),
                                           ("gelu", {}), ("prelu", {})])
def test_mlp_backprop_matches_numerical_gradient(activation, kw, rng):
    net = MLP([4, 6, 5, 3], activation, seed=2, weight_decay=0.01, **kw)
    X, y = rng.standard_normal((7, 4)), rng.integers(0, 3, 7)
    _, grads = net.loss_and_grads(X, y)
    num = _numerical_grads(net, X, y)
    assert set(grads) == set(num)
    for k in grads:
        assert rel_error(grads[k], num[k]) < 1e-6, k


def test_mlp_mse_regression_gradients(rng):
    net = MLP([2, 5, 3], "tanh", seed=0, loss="mse")
    X, Y = rng.standard_normal((6, 2)), rng.standard_normal((6, 3))
    loss, grads = net.loss_and_grads(X, Y)
    assert loss == pytest.approx(np.mean((net.forward(X) - Y) ** 2))
    num = _numerical_grads(net, X, Y)
    for k in grads:
        assert rel_error(grads[k], num[k]) < 1e-7, k
    assert net.predict(X).shape == (6, 3)


@pytest.mark.parametrize("activation", ["relu", "tanh", "gelu", "prelu"])
def test_numpy_and_torch_mlp_agree_on_same_weights(activation, rng):
    net = MLP([6, 8, 7, 4], activation, seed=3)
    if activation == "prelu":
        for k, p in net.params().items():
            if k.startswith("gamma"):
                p[...] = rng.uniform(0.05, 0.5, p.shape)   # 不同神经元不同斜率
    X, y = rng.standard_normal((9, 6)), rng.integers(0, 4, 9)
    loss, grads = net.loss_and_grads(X, y)
    tnet = TorchMLP([6, 8, 7, 4], activation).double().load_numpy(net.params())
    Z = tnet(torch.from_numpy(X))
    np.testing.assert_allclose(Z.detach().numpy(), net.forward(X), rtol=1e-12)
    F.cross_entropy(Z, torch.from_numpy(y)).backward()
    assert loss == pytest.approx(F.cross_entropy(Z, torch.from_numpy(y)).item(), rel=1e-12)
    for l, lin in enumerate(tnet.linears(), start=1):
        np.testing.assert_allclose(grads[f"W{l}"], lin.weight.grad.numpy(), rtol=1e-10, atol=1e-15)
        np.testing.assert_allclose(grads[f"b{l}"], lin.bias.grad.numpy(), rtol=1e-10, atol=1e-15)
    if activation == "prelu":
        gammas = [m.gamma.grad.numpy() for m in tnet.net if hasattr(m, "gamma")]
        for l, g in enumerate(gammas, start=1):
            np.testing.assert_allclose(grads[f"gamma{l}"], g, rtol=1e-10, atol=1e-15)


def test_init_schemes_in_both_twins():
    for init, std in (("he", np.sqrt(2 / 300)), ("xavier", np.sqrt(2 / 500)), ("normal", 0.01)):
        W = MLP([300, 200, 2], init=init).params()["W1"]
        Wt = TorchMLP([300, 200, 2], init=init).linears()[0].weight.detach().numpy()
        assert np.std(W) == pytest.approx(std, rel=0.02) and np.std(Wt) == pytest.approx(std, rel=0.02)
    assert not MLP([3, 4, 2], seed=0).params()["b1"].any()


# ---------------------------------------------------------------- 优化器
@pytest.mark.parametrize("kind", ["sgd", "momentum", "adam"])
def test_optimizers_match_torch_optim(kind, rng):
    p0 = {"W": rng.standard_normal((3, 4)), "b": rng.standard_normal(3)}
    grads_seq = [{k: rng.standard_normal(v.shape) for k, v in p0.items()} for _ in range(5)]
    ours = {k: v.copy() for k, v in p0.items()}
    tp = {k: torch.tensor(v, requires_grad=True) for k, v in p0.items()}
    if kind == "adam":
        opt, topt = optim.Adam(ours, lr=0.01), torch.optim.Adam(tp.values(), lr=0.01)
    else:
        m = 0.9 if kind == "momentum" else 0.0
        opt, topt = optim.SGD(ours, lr=0.1, momentum=m), torch.optim.SGD(tp.values(), lr=0.1, momentum=m)
    for g in grads_seq:
        opt.step(g)
        for k, t in tp.items():
            t.grad = torch.from_numpy(g[k])
        topt.step()
    for k in ours:
        np.testing.assert_allclose(ours[k], tp[k].detach().numpy(), rtol=1e-12)


def test_optimizer_errors():
    with pytest.raises(TypeError, match="非空字典"):
        optim.SGD([], lr=0.1)
    with pytest.raises(ValueError, match="momentum 应在"):
        optim.SGD({"w": np.zeros(2)}, momentum=1.5)
    with pytest.raises(ValueError, match="缺少这些参数的梯度"):
        optim.Adam({"w": np.zeros(2)}).step({})


# ---------------------------------------------------------------- 手写数字（与页面相同的配置）
DIGITS_SIZES, DIGITS_EPOCHS, DIGITS_LR, DIGITS_WD = [64, 100, 10], 30, 0.1, 1e-3


@pytest.mark.slow
def test_numpy_mlp_reaches_97_percent_on_digits():
    d = data.load_digits(standardize=True)
    net = MLP(DIGITS_SIZES, seed=0, weight_decay=DIGITS_WD)
    np_fit(net, d.X_train, d.y_train, epochs=DIGITS_EPOCHS, lr=DIGITS_LR, batch_size=32, seed=0)
    assert np.mean(net.predict(d.X_test) == d.y_test) >= 0.97


@pytest.mark.slow
def test_torch_mlp_reaches_97_percent_on_digits():
    d = data.load_digits(standardize=True)
    model = TorchMLP(DIGITS_SIZES, seed=0)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)                  # 与页面相同：小矩阵上单线程更快、更稳
    try:
        torch_fit(model, d.X_train, d.y_train, epochs=DIGITS_EPOCHS, lr=DIGITS_LR, batch_size=32, seed=0,
                  optimizer=torch.optim.SGD(model.parameters(), lr=DIGITS_LR, weight_decay=DIGITS_WD))
    finally:
        torch.set_num_threads(threads)
    pred = model.predict(torch.tensor(d.X_test, dtype=torch.float32)).numpy()
    assert np.mean(pred == d.y_test) >= 0.97


# ---------------------------------------------------------------- 通用近似（构造）
def test_one_hidden_layer_lstsq_error_shrinks_with_width():
    x = np.linspace(-np.pi, np.pi, 2001)
    errs = []
    for width in (4, 8, 16, 32, 64):
        net = one_hidden_layer_lstsq(x, np.sin(x), width, -np.pi, np.pi)
        assert net.sizes == [1, width, 1]
        errs.append(np.max(np.abs(net.predict(x[:, None]) - np.sin(x))))
    assert all(b < a for a, b in zip(errs, errs[1:]))
    assert errs[-1] < 1e-3
    ratios = np.array(errs[2:4]) / np.array(errs[3:5])            # 宽度翻倍：分段线性插值的误差 ∝ h²，缩小约 4 倍
    assert np.all((ratios > 3.5) & (ratios < 4.5))


def test_mlp_bad_inputs(rng):
    with pytest.raises(ValueError, match="sizes 至少要有"):
        MLP([4])
    with pytest.raises(ValueError, match="未知的激活函数"):
        MLP([4, 3], "rleu")
    with pytest.raises(ValueError, match="loss 应为"):
        MLP([4, 3], loss="hinge")
    with pytest.raises(ValueError, match="X 应有 D=4 列"):
        MLP([4, 3]).predict(np.ones((2, 5)))
    with pytest.raises(ValueError, match=r"取值应在 \[0, 3\)"):
        MLP([4, 3]).loss_and_grads(np.ones((2, 4)), np.array([0, 3]))
    with pytest.raises(ValueError, match="回归目标 y 的形状"):
        MLP([4, 2], loss="mse").loss_and_grads(np.ones((2, 4)), np.ones((2, 3)))
    with pytest.raises(ValueError, match="sizes 应为至少两项"):
        TorchMLP([4])
    with pytest.raises(ValueError, match="W1 的形状应为"):
        TorchMLP([4, 3]).load_numpy({"W1": np.ones((3, 5)), "b1": np.zeros(3)})
    with pytest.raises(ValueError, match="lo < hi"):
        one_hidden_layer_lstsq(np.ones(3), np.ones(3), 4, 1.0, 0.0)


def test_polynomial_activation_cannot_approximate_but_relu_can():
    """4.3.3 节（Leshno 等 1993）：对局部有界、分段连续的 φ，单隐藏层网络能逼近任意连续函数当且仅当 φ 不是多项式。
    φ(z) = z² 时，不管多宽，Σ v_m (w_m x + b_m)² + c 都只是二次多项式：逼近 |x| 的最大误差降不到 1/8 以下。"""
    x = np.linspace(-1, 1, 401)
    target = np.abs(x)
    rng = np.random.default_rng(0)
    for width in (4, 64):
        w, b = rng.standard_normal(width), rng.standard_normal(width)
        H = np.c_[(x[:, None] * w + b) ** 2, np.ones_like(x)]
        coef, *_ = np.linalg.lstsq(H, target, rcond=None)
        assert np.max(np.abs(H @ coef - target)) > 0.12
    relu = one_hidden_layer_lstsq(x, target, 64, -1.0, 1.0)
    assert np.max(np.abs(relu.predict(x[:, None]) - target)) < 0.02


def test_mlp_timing_sentence_matches_the_benchmark_table():
    """4.8 节对 benchmarks/results/fnn-mlp.json 的描述：多开线程并不更快（2 线程 ÷ 1 线程 ≥ 0.9，
    页面与表下说明都说"几乎相同"，即 0.9～1.1）；两者在同一量级，这里 NumPy 版更快；都在几秒内训练完。"""
    import json
    from pathlib import Path

    records = json.loads((Path(__file__).resolve().parents[1] / "benchmarks/results/fnn-mlp.json")
                         .read_text(encoding="utf-8"))
    secs = {r["row"]: r["value"] for r in records if r["unit"] == "s"}
    numpy_s = next(v for k, v in secs.items() if k.startswith("NumPy"))
    one = next(v for k, v in secs.items() if "单线程" in k)
    many = next(v for k, v in secs.items() if "线程（默认）" in k)
    assert 0.9 <= many / one <= 1.1
    assert 0.1 < numpy_s / one < 1 and max(secs.values()) < 5


def test_composed_tent_map_doubles_the_linear_pieces_per_layer():
    """4.7 节：帐篷函数 t(x) = 2ReLU(x) − 4ReLU(x − ½)（[0, 1] 上）复合 k 次，每层 2 个 ReLU，得到 2^k 段折线；
    单隐藏层 ReLU 网络有 m 个神经元时最多 m + 1 段，所以至少要 2^k − 1 个神经元。"""
    def tent(x):
        return 2 * np.maximum(x, 0) - 4 * np.maximum(x - 0.5, 0)

    x = np.linspace(0, 1, 2 ** 12 + 1)                       # 网格包含所有折点 j / 2^k
    for k in (1, 3, 6):
        y = x.copy()
        for _ in range(k):
            y = tent(y)
        slopes = np.diff(y) / np.diff(x)
        pieces = 1 + np.count_nonzero(np.abs(np.diff(slopes)) > 1e-6)
        assert pieces == 2 ** k
