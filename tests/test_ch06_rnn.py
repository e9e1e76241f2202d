"""第 6 章：简单循环网络、LSTM、GRU 的手写 BPTT——梯度检查、NumPy 对 torch（float64）、极端输入与错误输入。"""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from nndl_ref.gradcheck import numerical_gradient, rel_error
from nndl_ref.numpy import rnn as R
from nndl_ref.torch import rnn as TR

T, B, D, H = 5, 3, 4, 3


def _params(cell, rng, scale=0.7):
    G = R.CELLS[cell]
    return (rng.standard_normal((G * H, D)) * scale, rng.standard_normal((G * H, H)) * scale,
            rng.standard_normal(G * H) * scale)


def _run(cell, x, W, U, b, h0=None, c0=None, activation="tanh"):
    """前向 → (h, 最后状态, cache)。"""
    if cell == "rnn":
        h, cache = R.rnn_forward(x, h0, W, U, b, activation)
        return h, h[-1], cache
    if cell == "lstm":
        h, state, cache = R.lstm_forward(x, h0, c0, W, U, b)
        return h, state, cache
    h, cache = R.gru_forward(x, h0, W, U, b)
    return h, h[-1], cache


# ---------------------------------------------------------------- 梯度检查
@pytest.mark.parametrize("cell,activation", [("rnn", "tanh"), ("rnn", "logistic"), ("lstm", None), ("gru", None)])
def test_bptt_gradcheck_all_inputs(cell, activation):
    """L = Σ g_t·h_t + g_T'·(最后状态)：对 x、h0（、c0）、W、U、b 逐个做中心差分。"""
    rng = np.random.default_rng(0)
    W, U, b = _params(cell, rng)
    x, h0, c0 = rng.standard_normal((T, B, D)), rng.standard_normal((B, H)), rng.standard_normal((B, H))
    g, gT, gc = rng.standard_normal((T, B, H)), rng.standard_normal((B, H)), rng.standard_normal((B, H))
    act = activation or "tanh"
    inputs = {"x": x, "h0": h0, "W": W, "U": U, "b": b}
    if cell == "lstm":
        inputs["c0"] = c0

    def loss(**kw):
        v = {**inputs, **kw}
        h, state, _ = _run(cell, v["x"], v["W"], v["U"], v["b"], v["h0"], v.get("c0"), act)
        if cell == "lstm":
            return float(np.sum(g * h) + np.sum(gT * state[0]) + np.sum(gc * state[1]))
        return float(np.sum(g * h) + np.sum(gT * state))

    _, _, cache = _run(cell, x, W, U, b, h0, c0, act)
    if cell == "lstm":
        dx, dh0, dc0, dW, dU, db = R.lstm_backward(g, cache, dh_T=gT, dc_T=gc)
        analytic = {"x": dx, "h0": dh0, "c0": dc0, "W": dW, "U": dU, "b": db}
    else:
        bwd = R.rnn_backward if cell == "rnn" else R.gru_backward
        dx, dh0, dW, dU, db = bwd(g, cache, dh_T=gT)
        analytic = {"x": dx, "h0": dh0, "W": dW, "U": dU, "b": db}
    for name, value in inputs.items():
        num = numerical_gradient(lambda v, name=name: loss(**{name: v}), value.copy(), h=1e-5)
        assert rel_error(analytic[name], num) < 1e-7, name


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
@pytest.mark.parametrize("bidirectional", [False, True])
def test_deep_classifier_gradcheck(cell, bidirectional):
    model = R.SequenceClassifier(cell, 2, 3, 3, num_layers=2, bidirectional=bidirectional, seed=1)
    rng = np.random.default_rng(0)
    x, y = rng.standard_normal((4, 2, 2)), np.array([0, 2])
    _, grads = model.loss_and_grads(x, y)
    for key, p in model.params().items():
        def f(v, p=p):
            old = p.copy()
            p[...] = v
            out = model.loss_and_grads(x, y)[0]
            p[...] = old
            return out
        assert rel_error(grads[key], numerical_gradient(f, p.copy(), h=1e-5)) < 1e-6, key


def test_returned_grads_are_not_overwritten_by_the_next_call():
    model = R.SequenceTagger("gru", 2, 3, 3, seed=0)
    rng = np.random.default_rng(0)
    x, y = rng.standard_normal((4, 2, 2)), rng.integers(0, 3, (4, 2))
    _, g1 = model.loss_and_grads(x, y)
    saved = {k: v.copy() for k, v in g1.items()}
    model.loss_and_grads(x * 2, y)
    assert all(np.array_equal(g1[k], saved[k]) for k in g1)


# ---------------------------------------------------------------- NumPy 对 torch（float64）
@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_rnn_equals_torch_rnn(activation):
    rng = np.random.default_rng(0)
    W, U, b = _params("rnn", rng)
    x, h0, g = rng.standard_normal((T, B, D)), rng.standard_normal((B, H)), rng.standard_normal((T, B, H))
    h, cache = R.rnn_forward(x, h0, W, U, b, activation)
    dx, dh0, dW, dU, db = R.rnn_backward(g, cache)
    net = TR.load_numpy(torch.nn.RNN(D, H, nonlinearity=activation).double(), {"0.W": W, "0.U": U, "0.b": b})
    xt, h0t = torch.tensor(x, requires_grad=True), torch.tensor(h0[None], requires_grad=True)
    out, _ = net(xt, h0t)
    out.backward(torch.from_numpy(g))
    assert np.allclose(h, out.detach().numpy(), atol=1e-12)
    for a, t in ((dx, xt.grad), (dh0, h0t.grad[0]), (dW, net.weight_ih_l0.grad), (dU, net.weight_hh_l0.grad),
                 (db, net.bias_ih_l0.grad)):
        assert np.allclose(a, t.numpy(), atol=1e-12)


def test_lstm_equals_torch_lstm_including_states():
    rng = np.random.default_rng(1)
    W, U, b = _params("lstm", rng)
    x, h0, c0 = rng.standard_normal((T, B, D)), rng.standard_normal((B, H)), rng.standard_normal((B, H))
    g, gh, gc = rng.standard_normal((T, B, H)), rng.standard_normal((B, H)), rng.standard_normal((B, H))
    h, (hT, cT), cache = R.lstm_forward(x, h0, c0, W, U, b)
    dx, dh0, dc0, dW, dU, db = R.lstm_backward(g, cache, gh, gc)
    net = TR.load_numpy(torch.nn.LSTM(D, H).double(), {"0.W": W, "0.U": U, "0.b": b})
    xt = torch.tensor(x, requires_grad=True)
    h0t, c0t = torch.tensor(h0[None], requires_grad=True), torch.tensor(c0[None], requires_grad=True)
    out, (hn, cn) = net(xt, (h0t, c0t))
    ((out * torch.from_numpy(g)).sum() + (hn[0] * torch.from_numpy(gh)).sum() + (cn[0] * torch.from_numpy(gc)).sum()).backward()
    assert np.allclose(h, out.detach().numpy()) and np.allclose(cT, cn[0].detach().numpy())
    for a, t in ((dx, xt.grad), (dh0, h0t.grad[0]), (dc0, c0t.grad[0]), (dW, net.weight_ih_l0.grad),
                 (dU, net.weight_hh_l0.grad), (db, net.bias_ih_l0.grad)):
        assert np.allclose(a, t.numpy(), atol=1e-12)


def test_gru_equals_torch_reference_written_with_the_book_formula():
    rng = np.random.default_rng(2)
    W, U, b = _params("gru", rng)
    x, h0, g = rng.standard_normal((T, B, D)), rng.standard_normal((B, H)), rng.standard_normal((T, B, H))
    h, cache = R.gru_forward(x, h0, W, U, b)
    dx, dh0, dW, dU, db = R.gru_backward(g, cache)
    Wt, Ut, bt, xt, h0t = (torch.tensor(a, requires_grad=True) for a in (W, U, b, x, h0))
    out = TR.gru_forward(xt, h0t, Wt, Ut, bt)
    out.backward(torch.from_numpy(g))
    assert np.allclose(h, out.detach().numpy())
    for a, t in ((dx, xt), (dh0, h0t), (dW, Wt), (dU, Ut), (db, bt)):
        assert np.allclose(a, t.grad.numpy(), atol=1e-12)


def test_torch_nn_gru_is_the_reset_after_variant_not_the_book_formula():
    """同样的参数：nn.GRU ≠ 书中 GRU；把书中公式改成"重置门乘在 U_h h 之后、b_hn = 0"就与 nn.GRU 相等。"""
    rng = np.random.default_rng(3)
    W, U, b = _params("gru", rng)
    x = rng.standard_normal((T, B, D))
    net = TR.load_numpy(torch.nn.GRU(D, H).double(), {"0.W": W, "0.U": U, "0.b": b})
    h_torch = net(torch.from_numpy(x))[0].detach().numpy()
    h_book, _ = R.gru_forward(x, None, W, U, b)
    assert np.abs(h_torch - h_book).max() > 1e-2
    hp, outs = np.zeros((B, H)), []
    for t in range(T):                                   # torch 的写法
        ax = x[t] @ W.T + b
        r = 1 / (1 + np.exp(-(ax[:, :H] + hp @ U[:H].T)))
        z = 1 / (1 + np.exp(-(ax[:, H:2 * H] + hp @ U[H:2 * H].T)))
        n = np.tanh(ax[:, 2 * H:] + r * (hp @ U[2 * H:].T))
        hp = (1 - z) * n + z * hp
        outs.append(hp)
    assert np.allclose(np.stack(outs), h_torch)


@pytest.mark.parametrize("cell,module", [("rnn", lambda: torch.nn.RNN(D, H, 2, bidirectional=True)),
                                         ("lstm", lambda: torch.nn.LSTM(D, H, 2, bidirectional=True)),
                                         ("gru", lambda: TR.BookGRU(D, H, 2, bidirectional=True))])
def test_deep_bidirectional_equals_torch(cell, module):
    net = R.DeepRNN(cell, D, H, num_layers=2, bidirectional=True, seed=0)
    rng = np.random.default_rng(0)
    x, g = rng.standard_normal((T, B, D)), rng.standard_normal((T, B, 2 * H))
    out = net.forward(x)
    dx = net.backward(g)
    m = TR.load_numpy(module().double(), net.params())
    xt = torch.tensor(x, requires_grad=True)
    ot = m(xt)[0]
    ot.backward(torch.from_numpy(g))
    assert np.allclose(out, ot.detach().numpy()) and np.allclose(dx, xt.grad.numpy())
    for key, grad in net.grads().items():
        layer, name = key.split(".")
        sym, _, rev = name.partition("_")
        tname = {"W": "weight_ih", "U": "weight_hh", "b": "bias_ih"}[sym] + f"_l{layer}" + ("_reverse" if rev else "")
        assert np.allclose(grad, getattr(m, tname).grad.numpy()), key


@pytest.mark.parametrize("kind", ["classifier", "tagger", "seq2seq"])
def test_sequence_models_equal_their_torch_twins(kind):
    rng = np.random.default_rng(0)
    if kind == "classifier":
        m = R.SequenceClassifier("lstm", D, H, 4, num_layers=2, bidirectional=True, seed=0)
        x, y = rng.standard_normal((T, B, D)), rng.integers(0, 4, B)
        t = TR.SequenceClassifier("lstm", D, H, 4, num_layers=2, bidirectional=True).double().load_numpy(m.params())
        loss_t = F.cross_entropy(t(torch.from_numpy(x)), torch.from_numpy(y))
    elif kind == "tagger":
        m = R.SequenceTagger("gru", D, H, 4, bidirectional=True, seed=0)
        x, y = rng.standard_normal((T, B, D)), rng.integers(0, 4, (T, B))
        t = TR.SequenceTagger("gru", D, H, 4, bidirectional=True, book_gru=True).double().load_numpy(m.params())
        loss_t = F.cross_entropy(t(torch.from_numpy(x)).reshape(-1, 4), torch.from_numpy(y).reshape(-1))
    else:
        m = R.Seq2Seq("lstm", 6, H, seed=0)
        x, y = rng.integers(0, 6, (T, B)), rng.integers(0, 6, (4, B))
        t = TR.Seq2Seq("lstm", 6, H).double().load_numpy(m.params())
        Z = t(torch.from_numpy(x), torch.from_numpy(y[:-1]))
        loss_t = F.cross_entropy(Z.reshape(-1, 6), torch.from_numpy(y[1:]).reshape(-1))
    loss, grads = m.loss_and_grads(x, y)
    loss_t.backward()
    assert np.isclose(loss, loss_t.item(), rtol=1e-12)
    assert np.allclose(grads["V"], t.head.weight.grad.numpy()) and np.allclose(grads["c"], t.head.bias.grad.numpy())
    if kind == "seq2seq":
        assert np.allclose(grads["enc.W"], t.enc.weight_ih_l0.grad.numpy())
        gen = m.generate(x, 0, 3)
        assert np.array_equal(gen, t.generate(torch.from_numpy(x), 0, 3).numpy())
    else:
        assert np.allclose(grads["0.U"], t.rnn.weight_hh_l0.grad.numpy())


def test_bptt_gradient_norms_match_autograd():
    rng = np.random.default_rng(0)
    W, U, b = _params("lstm", rng, scale=0.5)
    x = rng.standard_normal((8, 2, D))
    norms = R.bptt_gradient_norms("lstm", x, W, U, b, seed=3)
    gvec = np.random.default_rng(3).standard_normal(H)
    gvec /= np.linalg.norm(gvec)
    Wt, Ut, bt = (torch.tensor(a, requires_grad=True) for a in (W, U, b))
    hs, h, c = [], torch.zeros(2, H, dtype=torch.float64), torch.zeros(2, H, dtype=torch.float64)
    for t in range(8):                                   # 逐步展开，保留每个 h_t 的梯度
        _, (h, c) = TR.lstm_forward(torch.from_numpy(x[t:t + 1]), h, c, Wt, Ut, bt)
        h.retain_grad()
        hs.append(h)
    (hs[-1] @ torch.from_numpy(gvec)).sum().backward()
    expected = [float(hk.grad.norm(dim=1).mean()) for hk in hs]
    assert np.allclose(norms, expected)


# ---------------------------------------------------------------- 梯度截断
@pytest.mark.parametrize("scale", [0.01, 100.0])
def test_clip_grad_norm_equals_torch(scale):
    rng = np.random.default_rng(0)
    grads = {k: rng.standard_normal(s) * scale for k, s in (("W", (3, 4)), ("U", (3, 3)), ("b", (3,)))}
    params = [torch.nn.Parameter(torch.zeros(g.shape, dtype=torch.float64)) for g in grads.values()]
    for p, g in zip(params, grads.values()):
        p.grad = torch.from_numpy(g.copy())
    before = {k: v.copy() for k, v in grads.items()}
    total = R.clip_grad_norm(grads, 1.0)
    total_t = torch.nn.utils.clip_grad_norm_(params, 1.0)
    assert np.isclose(total, total_t.item())
    assert all(np.allclose(g, p.grad.numpy()) for g, p in zip(grads.values(), params))
    if scale < 1:
        assert all(np.array_equal(grads[k], before[k]) for k in grads)      # 没超过阈值：原样不动


def test_clip_rejects_nan_and_bad_threshold():
    with pytest.raises(ValueError, match="NaN 或 inf"):
        R.clip_grad_norm({"W": np.array([np.nan, 1.0])}, 1.0)
    with pytest.raises(ValueError, match="max_norm 应大于 0"):
        R.clip_grad_norm({"W": np.ones(2)}, 0.0)
    with pytest.raises(TypeError, match="浮点 ndarray"):
        R.clip_grad_norm({"W": [1.0, 2.0]}, 1.0)


# ---------------------------------------------------------------- 极端输入
@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_extreme_inputs_stay_finite_and_bounded(cell):
    rng = np.random.default_rng(0)
    W, U, b = _params(cell, rng)
    x = rng.standard_normal((T, B, D)) * 1e4                 # 门全部饱和
    h, _, cache = _run(cell, x, W, U, b)
    assert np.all(np.isfinite(h)) and np.abs(h).max() <= 1.0
    g = np.ones((T, B, H))
    grads = R.lstm_backward(g, cache) if cell == "lstm" else (R.rnn_backward if cell == "rnn" else R.gru_backward)(g, cache)
    assert all(np.all(np.isfinite(a)) for a in grads)


def test_long_sequence_and_single_step():
    rng = np.random.default_rng(0)
    W, U, b = _params("lstm", rng)
    h, (hT, cT), _ = R.lstm_forward(rng.standard_normal((1, 1, D)), None, None, W, U, b)
    assert h.shape == (1, 1, H) and np.array_equal(h[0], hT)
    h, _, _ = R.lstm_forward(rng.standard_normal((2000, 1, D)), None, None, W, U, b)
    assert np.all(np.isfinite(h))


# ---------------------------------------------------------------- 错误输入
def test_bad_inputs_have_clear_messages():
    rng = np.random.default_rng(0)
    W, U, b = _params("lstm", rng)
    with pytest.raises(ValueError, match=r"\(T, B, D\)"):
        R.lstm_forward(np.ones((T, D)), None, None, W, U, b)                   # 少了批这一维
    with pytest.raises(ValueError, match=r"D=4"):
        R.lstm_forward(np.ones((T, B, D + 1)), None, None, W, U, b)
    with pytest.raises(ValueError, match=r"h0 的形状应为 \(B, H\)"):
        R.lstm_forward(np.ones((T, B, D)), np.ones((B, H + 1)), None, W, U, b)
    with pytest.raises(ValueError, match=r"\(4·H, H\)"):
        R.lstm_forward(np.ones((T, B, D)), None, None, W, U[:-1], b)
    with pytest.raises(ValueError, match=r"\(3·H, D\)"):
        R.gru_forward(np.ones((T, B, D)), None, W[:3 * H - 1], U[:3 * H], b[:3 * H])
    with pytest.raises(ValueError, match="activation"):
        R.rnn_forward(np.ones((T, B, D)), None, W[:H], U[:H], b[:H], activation="gelu")
    with pytest.raises(ValueError, match="NaN 或 inf"):
        R.rnn_forward(np.full((T, B, D), np.nan), None, W[:H], U[:H], b[:H])
    with pytest.raises(ValueError, match="cell"):
        R.Recurrent("transformer", D, H, np.random.default_rng(0))
    with pytest.raises(TypeError, match="numpy.random.Generator"):
        R.Recurrent("rnn", D, H, 0)
    with pytest.raises(ValueError, match=r"\(T, B\)"):
        R.sequence_cross_entropy(np.zeros((T, B, 3)), np.zeros((B, T), dtype=int))
    with pytest.raises(ValueError, match=r"\[0, 3\)"):
        R.sequence_cross_entropy(np.zeros((T, B, 3)), np.full((T, B), 3))
    layer = R.Recurrent("gru", D, H, np.random.default_rng(0))
    with pytest.raises(RuntimeError, match="forward"):
        layer.backward(np.ones((T, B, H)))
    _, cache = R.rnn_forward(np.ones((T, B, D)), None, W[:H], U[:H], b[:H])
    with pytest.raises(ValueError, match=r"dh 的形状应为"):
        R.rnn_backward(np.ones((T, B, H + 1)), cache)
    with pytest.raises(ValueError, match="activation"):
        TR.rnn_forward(torch.ones(T, B, D), None, torch.ones(H, D), torch.eye(H), torch.zeros(H), "gelu")
    with pytest.raises(ValueError, match=r"\(T, B, D\)"):
        TR.lstm_forward(torch.ones(T, D), None, None, torch.ones(4 * H, D), torch.ones(4 * H, H), torch.zeros(4 * H))
    with pytest.raises(ValueError, match="weight_ih_l1"):
        TR.load_numpy(torch.nn.LSTM(D, H), {"1.W": np.ones((4 * H, D))})
    with pytest.raises(ValueError, match="形状应为"):
        TR.load_numpy(torch.nn.LSTM(D, H), {"0.W": np.ones((3 * H, D))})
