"""第 8 章（书外补充）：选择性状态空间与 mLSTM——循环形式 = 并行形式 = 测试里逐步写出的朴素递推；torch 版 = NumPy 版。"""

from __future__ import annotations

import numpy as np
import pytest
import torch

from nndl_ref.numpy import ssm
from nndl_ref.torch import ssm as TS


def _softplus(z):
    return np.logaddexp(0.0, z)


def _ssm_inputs(rng, T=9, D=3, N=4):
    return (rng.normal(size=(T, D)), _softplus(rng.normal(size=(T, D))), -np.exp(rng.normal(size=(D, N))),
            rng.normal(size=(T, N)), rng.normal(size=(T, N)))


def naive_ssm(x, delta, A, B, C):
    """最朴素的写法：每个通道 d、每个状态分量 n 分开，逐步递推。"""
    T, D = x.shape
    N = A.shape[1]
    y = np.zeros((T, D))
    for d in range(D):
        h = np.zeros(N)
        for t in range(T):
            for n in range(N):
                h[n] = np.exp(delta[t, d] * A[d, n]) * h[n] + delta[t, d] * B[t, n] * x[t, d]
            y[t, d] = sum(C[t, n] * h[n] for n in range(N))
    return y


def test_selective_scan_recurrent_parallel_and_naive_agree(rng):
    x, delta, A, B, C = _ssm_inputs(rng)
    ref = naive_ssm(x, delta, A, B, C)
    np.testing.assert_allclose(ssm.selective_scan(x, delta, A, B, C), ref, rtol=1e-12, atol=1e-13)
    np.testing.assert_allclose(ssm.selective_scan_parallel(x, delta, A, B, C), ref, rtol=1e-11, atol=1e-12)
    Dskip = rng.normal(size=3)
    np.testing.assert_allclose(ssm.selective_scan(x, delta, A, B, C, Dskip), ref + x * Dskip, rtol=1e-12)


def test_selective_scan_torch_twin(rng):
    x, delta, A, B, C = _ssm_inputs(rng)
    out = TS.selective_scan(*(torch.as_tensor(a)[None] if a.shape != A.shape else torch.as_tensor(a)
                              for a in (x, delta, A, B, C)))
    np.testing.assert_allclose(out[0].numpy(), ssm.selective_scan(x, delta, A, B, C), rtol=1e-12, atol=1e-13)


def test_selectivity_large_delta_resets_small_delta_keeps(rng):
    """Δ 大：旧状态被忘掉、只记住当前输入；Δ = 0：状态原样保持、当前输入被忽略。"""
    T, D, N = 6, 1, 2
    x = rng.normal(size=(T, D))
    A, B, C = -np.ones((D, N)), np.ones((T, N)), np.ones((T, N))
    delta = np.zeros((T, D))
    delta[2] = 1.0
    y = ssm.selective_scan(x, delta, A, B, C)
    np.testing.assert_allclose(y[2:], np.full((4, 1), 2 * x[2, 0]))   # 只写入了第 2 步，之后原样保持
    delta[4] = 50.0
    y = ssm.selective_scan(x, delta, A, B, C)
    np.testing.assert_allclose(y[4], 2 * 50.0 * x[4], rtol=1e-12)    # e^{-50} ≈ 0：第 2 步的内容被清空


def naive_mlstm(q, k, v, i_pre, f_pre):
    """不带稳定器的定义式：i = exp(ĩ)，f = σ(f̃)，h = C q / max(|n·q|, 1)。"""
    T, d = q.shape
    k = k / np.sqrt(d)
    Cm, n = np.zeros((v.shape[1], d)), np.zeros(d)
    out = []
    for t in range(T):
        i, f = np.exp(i_pre[t]), 1 / (1 + np.exp(-f_pre[t]))
        Cm = f * Cm + i * np.outer(v[t], k[t])
        n = f * n + i * k[t]
        out.append(Cm @ q[t] / max(abs(n @ q[t]), 1.0))
    return np.array(out)


@pytest.mark.parametrize("gate_scale", [0.5, 3.0])
def test_mlstm_recurrent_parallel_and_naive_agree(rng, gate_scale):
    T, d = 10, 4
    q, k, v = rng.normal(size=(3, T, d))
    i_pre, f_pre = gate_scale * rng.normal(size=(2, T))
    ref = naive_mlstm(q, k, v, i_pre, f_pre)
    np.testing.assert_allclose(ssm.mlstm_recurrent(q, k, v, i_pre, f_pre), ref, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ssm.mlstm_parallel(q, k, v, i_pre, f_pre), ref, rtol=1e-10, atol=1e-12)
    tq = [torch.as_tensor(a) for a in (q, k, v, i_pre, f_pre)]
    np.testing.assert_allclose(TS.mlstm_parallel(*tq).numpy(), ref, rtol=1e-10, atol=1e-12)


def test_mlstm_stabilizer_survives_huge_input_gates(rng):
    """ĩ = 800 时 exp(ĩ) 在 float64 里上溢，定义式给出 nan；稳定化的两种形式仍然有限且相等。"""
    T, d = 6, 3
    q, k, v = rng.normal(size=(3, T, d))
    i_pre = np.array([0.0, 800.0, 1.0, 790.0, -5.0, 2.0])
    f_pre = rng.normal(size=T)
    with np.errstate(over="ignore", invalid="ignore"):
        assert not np.all(np.isfinite(naive_mlstm(q, k, v, i_pre, f_pre)))
    a, b = ssm.mlstm_recurrent(q, k, v, i_pre, f_pre), ssm.mlstm_parallel(q, k, v, i_pre, f_pre)
    assert np.all(np.isfinite(a))
    np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)


def test_torch_layers_are_causal():
    """改动第 t 步以后的输入，不影响第 t 步及以前的输出。"""
    torch.manual_seed(0)
    X = torch.randn(1, 7, 8)
    Y = X.clone()
    Y[:, 4:] += 1.0
    for layer in (TS.SelectiveSSM(8, N=4), TS.MLSTMLayer(8, 2)):
        with torch.no_grad():
            a, b = layer(X), layer(Y)
        torch.testing.assert_close(a[:, :4], b[:, :4])
        assert not torch.allclose(a[:, 4:], b[:, 4:])


def test_bad_inputs():
    with pytest.raises(ValueError, match="形状"):
        ssm.selective_scan(np.ones((3, 2)), np.ones((3, 2)), -np.ones((2, 4)), np.ones((3, 4)), np.ones((2, 4)))
    with pytest.raises(ValueError, match="非负"):
        ssm.selective_scan(np.ones((3, 2)), -np.ones((3, 2)), -np.ones((2, 4)), np.ones((3, 4)), np.ones((3, 4)))
    with pytest.raises(ValueError, match="形状"):
        ssm.mlstm_parallel(np.ones((3, 2)), np.ones((3, 2)), np.ones((3, 2)), np.ones(2), np.ones(3))
