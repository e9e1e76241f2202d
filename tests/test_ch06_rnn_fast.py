"""第 6 章：快速版 LSTM（nndl_ref.numpy.rnn_fast）与可读版、torch.nn.LSTM 逐项相同。计时只在 benchmarks/bench_rnn.py。"""

from __future__ import annotations

import numpy as np
import pytest
import torch

from nndl_ref.numpy import rnn, rnn_fast


def _data(dtype, T=7, B=3, D=5, H=4, seed=0):
    rng = np.random.default_rng(seed)
    a = lambda *s: rng.standard_normal(s).astype(dtype)  # noqa: E731
    return dict(x=a(T, B, D), h0=a(B, H), c0=a(B, H), W=a(4 * H, D), U=a(4 * H, H), b=a(4 * H),
                g=a(T, B, H), gh=a(B, H), gc=a(B, H))


@pytest.mark.parametrize("with_state", [False, True])
def test_fast_equals_readable_float64(with_state):
    d = _data(np.float64)
    h0, c0 = (d["h0"], d["c0"]) if with_state else (None, None)
    dh_T, dc_T = (d["gh"], d["gc"]) if with_state else (None, None)
    h1, s1, c1 = rnn.lstm_forward(d["x"], h0, c0, d["W"], d["U"], d["b"])
    h2, s2, c2 = rnn_fast.lstm_forward_fast(d["x"], h0, c0, d["W"], d["U"], d["b"])
    assert np.allclose(h1, h2, atol=1e-13) and np.allclose(s1[1], s2[1], atol=1e-13)
    for a, b in zip(rnn.lstm_backward(d["g"], c1, dh_T, dc_T), rnn_fast.lstm_backward_fast(d["g"], c2, dh_T, dc_T)):
        assert np.allclose(a, b, atol=1e-12)


def test_workspace_is_reused_and_gives_the_same_result():
    d = _data(np.float64)
    ws: dict = {}
    outs = []
    for _ in range(2):
        h, _, cache = rnn_fast.lstm_forward_fast(d["x"], None, None, d["W"], d["U"], d["b"], workspace=ws)
        outs.append((h.copy(),) + rnn_fast.lstm_backward_fast(d["g"], cache))
    assert set(ws) >= {"G", "Hs", "Cs", "dA", "R"}
    assert all(np.array_equal(a, b) for a, b in zip(*outs))


def test_float32_matches_torch_lstm():
    d = _data(np.float32, T=64, B=8, D=16, H=32)
    h, _, cache = rnn_fast.lstm_forward_fast(d["x"], None, None, d["W"] * 0.3, d["U"] * 0.3, d["b"])
    dx, _, _, dW, dU, db = rnn_fast.lstm_backward_fast(d["g"], cache)
    assert h.dtype == np.float32 and dW.dtype == np.float32
    net = torch.nn.LSTM(16, 32)
    with torch.no_grad():
        net.weight_ih_l0.copy_(torch.from_numpy(d["W"] * 0.3))
        net.weight_hh_l0.copy_(torch.from_numpy(d["U"] * 0.3))
        net.bias_ih_l0.copy_(torch.from_numpy(d["b"]))
        net.bias_hh_l0.zero_()
    xt = torch.from_numpy(d["x"]).requires_grad_(True)
    out, _ = net(xt)
    out.backward(torch.from_numpy(d["g"]))
    for a, t in ((h, out.detach()), (dx, xt.grad), (dW, net.weight_ih_l0.grad), (dU, net.weight_hh_l0.grad),
                 (db, net.bias_ih_l0.grad)):
        t = t.numpy()
        assert np.abs(a - t).max() <= 1e-4 * np.abs(t).max()


def test_fast_rejects_bad_shapes():
    d = _data(np.float64)
    with pytest.raises(ValueError, match=r"\(T, B, D\)"):
        rnn_fast.lstm_forward_fast(d["x"][0], None, None, d["W"], d["U"], d["b"])
    _, _, cache = rnn_fast.lstm_forward_fast(d["x"], None, None, d["W"], d["U"], d["b"])
    with pytest.raises(ValueError, match="dh 的形状应为"):
        rnn_fast.lstm_backward_fast(d["g"][:-1], cache)
