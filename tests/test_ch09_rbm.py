"""第 9 章：受限玻尔兹曼机。自由能、条件分布与配分函数对照暴力枚举；精确梯度对照数值梯度；
CD-k 梯度与精确梯度方向一致；NumPy 的手写 CD 梯度与 torch 对自由能之差的 autograd 相同；错误输入。"""

import itertools

import numpy as np
import pytest
import torch

from nndl_ref.gradcheck import numerical_gradient, rel_error
from nndl_ref.numpy import rbm as R
from nndl_ref.torch import rbm as TR


def tiny(D=4, K=3, seed=0, scale=1.0):
    rbm = R.RBM(D, K, seed=seed)
    rng = np.random.default_rng(seed + 100)
    rbm.W[:] = scale * rng.standard_normal((K, D))
    rbm.a[:] = rng.standard_normal(D)
    rbm.b[:] = rng.standard_normal(K)
    return rbm


def states(n):
    return np.array(list(itertools.product((0.0, 1.0), repeat=n)))


@pytest.mark.parametrize("D,K", [(4, 3), (3, 5)])
def test_free_energy_and_partition_by_brute_force(D, K):
    rbm = tiny(D, K)
    V, H = states(D), states(K)
    # E(v, h) 对全部 (v, h) 组合：(2^D, 2^K)
    E = np.array([[rbm.energy(v[None], h[None])[0] for h in H] for v in V])
    F_brute = -np.log(np.exp(-E).sum(axis=1))                         # F(v) = −log Σ_h e^{−E(v,h)}
    np.testing.assert_allclose(rbm.free_energy(V), F_brute, rtol=1e-12)
    logZ = np.log(np.exp(-E).sum())
    assert rbm.log_partition() == pytest.approx(logZ, rel=1e-12)    # 两种枚举方向都对
    assert np.exp(rbm.log_likelihood(V)).sum() == pytest.approx(1.0, rel=1e-12)
    # p(h_j = 1 | v) 的因式分解
    P = np.exp(-E) / np.exp(-E).sum(axis=1, keepdims=True)          # p(h | v)
    np.testing.assert_allclose(rbm.prob_h(V), P @ H, rtol=1e-12)
    Pv = np.exp(-E) / np.exp(-E).sum(axis=0, keepdims=True)         # p(v | h)
    np.testing.assert_allclose(rbm.prob_v(H), Pv.T @ V, rtol=1e-12)


def test_exact_nll_gradient_matches_numerical():
    rbm = tiny(4, 3, scale=0.5)
    v = states(4)[[1, 5, 7, 7, 12, 15]]
    g = rbm.exact_nll_grads(v)
    for key, p in rbm.params().items():
        p0 = p.copy()

        def nll(x, p=p):
            p[...] = x
            return -float(rbm.log_likelihood(v).mean())

        err = rel_error(g[key], numerical_gradient(nll, p.copy()))
        p[...] = p0
        assert err < 1e-7, (key, err)


def test_cd_gradient_points_the_right_way():
    """CD-1 是有偏估计，但与精确梯度的夹角小于 90°；k 大、链多时趋向精确梯度。"""
    rbm = tiny(5, 3, scale=0.5)
    rng = np.random.default_rng(0)
    v = states(5)[[3, 3, 7, 12, 28, 31]]
    exact = np.concatenate([g.ravel() for g in rbm.exact_nll_grads(v).values()])
    batch = np.tile(v, (3000, 1))                                   # 同一批数据，很多条链
    for k, min_cos in ((1, 0.5), (25, 0.98)):
        _, g = rbm.contrastive_divergence(batch, k, rng)
        cd = np.concatenate([x.ravel() for x in g.values()])
        cos = cd @ exact / np.linalg.norm(cd) / np.linalg.norm(exact)
        assert cos > min_cos, (k, cos)


def test_cd_grads_match_torch_autograd_of_free_energy_difference(rng):
    rbm = tiny(6, 4)
    v0 = (rng.random((10, 6)) < 0.5).astype(float)
    vk = (rng.random((10, 6)) < 0.5).astype(float)
    g = rbm.cd_grads(v0, vk)
    rt = TR.RBM(6, 4, dtype=torch.float64)
    with torch.no_grad():
        for key in ("W", "a", "b"):
            getattr(rt, key).copy_(torch.from_numpy(rbm.params()[key]))
    np.testing.assert_allclose(rt.free_energy(torch.from_numpy(v0)).detach().numpy(), rbm.free_energy(v0),
                               rtol=1e-12)
    rt.cd_loss(torch.from_numpy(v0), torch.from_numpy(vk)).backward()
    for key in ("W", "a", "b"):
        np.testing.assert_allclose(getattr(rt, key).grad.numpy(), g[key], rtol=1e-12, atol=1e-15)


def test_training_increases_exact_log_likelihood():
    rng = np.random.default_rng(0)
    protos = np.array([[1, 1, 1, 0, 0, 0, 0, 0], [0, 0, 0, 0, 1, 1, 1, 1]], dtype=float)
    X = protos[rng.integers(0, 2, 200)]
    X = np.abs(X - (rng.random(X.shape) < 0.05))                    # 5% 翻转噪声
    rbm = R.RBM(8, 4, seed=0)
    before = rbm.log_likelihood(X).mean()
    R.fit(rbm, X, epochs=30, lr=0.1, batch_size=20, k=1)
    after = rbm.log_likelihood(X).mean()
    assert after > before + 1.5, (before, after)
    rt = TR.RBM(8, 4)
    h = TR.fit(rt, torch.tensor(X, dtype=torch.float32), epochs=30, lr=0.1, batch_size=20)
    assert h[-1] < 0.7 * h[0]


def test_gibbs_samples_are_binary_and_stationary_distribution_is_right():
    rbm = tiny(3, 2, scale=1.0)
    rng = np.random.default_rng(1)
    v = rbm.gibbs(np.zeros((20000, 3)), 30, rng)                    # 2 万条独立的链
    assert set(np.unique(v)) <= {0.0, 1.0}
    V = states(3)
    p_exact = np.exp(rbm.log_likelihood(V))
    idx = (v @ np.array([4, 2, 1])).astype(int)                     # 状态 → 下标（与 states 的顺序一致）
    p_emp = np.bincount(idx, minlength=8) / len(v)
    assert np.abs(p_emp - p_exact).max() < 0.015


def test_bad_inputs():
    rbm = R.RBM(4, 3)
    with pytest.raises(ValueError, match="D=4"):
        rbm.free_energy(np.ones((2, 5)))
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        rbm.prob_h(np.full((2, 4), 2.0))
    with pytest.raises(ValueError, match="K=3"):
        rbm.prob_v(np.ones((2, 4)))
    with pytest.raises(ValueError, match="k"):
        rbm.gibbs(np.ones((1, 4)), 0, np.random.default_rng(0))
    with pytest.raises(ValueError, match="超过"):
        R.RBM(30, 25).log_partition()
    with pytest.raises(ValueError, match="D=4"):
        TR.RBM(4, 3).free_energy(torch.ones(2, 5))
