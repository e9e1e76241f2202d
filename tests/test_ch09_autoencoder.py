"""第 9 章：自编码器（普通、稀疏 L1 / KL、降噪）的手写梯度对数值梯度、对 torch（float64、同样的权重），
线性自编码器的最优解张成主成分子空间，以及错误输入。"""

import numpy as np
import pytest
import torch

from nndl_ref.gradcheck import numerical_gradient, numerical_vjp, rel_error
from nndl_ref.numpy import autoencoder as A
from nndl_ref.torch import autoencoder as TA

CONFIGS = {
    "plain": dict(hidden=(4,), activation="tanh", out_activation="logistic"),
    "l1": dict(hidden=(4,), activation="tanh", sparsity="l1", sparsity_weight=0.1),
    "kl": dict(hidden=(4,), activation="tanh", code_activation="logistic", sparsity="kl",
               sparsity_weight=0.5, sparsity_target=0.2),
    "linear": dict(hidden=(), code_activation=None, out_activation=None),
}


def _data(rng, n=7, d=5):
    return rng.random((n, d))


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_backward_matches_numerical_gradient(name, rng):
    ae = A.Autoencoder(5, 3, seed=1, **CONFIGS[name])
    X = _data(rng)
    target = X if name != "plain" else A.corrupt(X, rng, "gaussian", 0.1)   # 降噪：输入与目标不同
    _, grads = ae.loss_and_grads(X, target)
    for key, p in ae.params().items():
        p0 = p.copy()

        def loss_at(v, p=p):
            p[...] = v
            return ae.loss_and_grads(X, target)[0]

        err = rel_error(grads[key], numerical_gradient(loss_at, p.copy()))
        p[...] = p0
        assert err < 1e-6, (key, err)


@pytest.mark.parametrize("kind,kw", [("l1", {}), ("kl", {"rho": 0.1})])
def test_sparsity_penalty_gradient(kind, kw, rng):
    z = rng.uniform(0.05, 0.95, (6, 4))
    _, dz = A.sparsity_penalty(z, kind, 0.7, **kw)
    num = numerical_vjp(lambda v: np.array(A.sparsity_penalty(v, kind, 0.7, **kw)[0]), z.copy(), np.array(1.0))
    assert rel_error(dz, num) < 1e-8


def _copy_to_torch(ae_np, ae_t):
    with torch.no_grad():
        for key, value in ae_np.params().items():
            part, idx, sym = key.split(".")
            layer = getattr(ae_t, part)[int(idx)]
            getattr(layer, {"W": "weight", "b": "bias"}[sym]).copy_(torch.from_numpy(value))


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_numpy_matches_torch_float64(name, rng):
    ae = A.Autoencoder(5, 3, seed=2, **CONFIGS[name])
    ae_t = TA.Autoencoder(5, 3, **CONFIGS[name]).double()
    _copy_to_torch(ae, ae_t)
    X = _data(rng)
    loss, grads = ae.loss_and_grads(X)
    lt = ae_t.loss(torch.from_numpy(X))
    lt.backward()
    assert lt.item() == pytest.approx(loss, rel=1e-12)
    for key, g in grads.items():
        part, idx, sym = key.split(".")
        layer = getattr(ae_t, part)[int(idx)]
        np.testing.assert_allclose(getattr(layer, {"W": "weight", "b": "bias"}[sym]).grad.numpy(), g,
                                   rtol=1e-10, atol=1e-14)


def test_training_reduces_loss_numpy_and_torch(rng):
    X = rng.random((64, 8))
    ae = A.Autoencoder(8, 3, hidden=(6,), seed=0)
    h = A.fit(ae, X, epochs=30, lr=1e-2, batch_size=16, noise="mask", noise_level=0.2)
    assert h[-1] < 0.6 * h[0]
    ae_t = TA.Autoencoder(8, 3, hidden=(6,))
    ht = TA.fit(ae_t, torch.tensor(X, dtype=torch.float32), epochs=30, lr=1e-2, batch_size=16, noise="mask",
                noise_level=0.2)
    assert ht[-1] < 0.6 * ht[0]


def test_linear_autoencoder_spans_principal_subspace():
    """线性自编码器的全局最优：解码器权重的列空间 = 前 K 个主成分张成的子空间（Baldi & Hornik 1989）。"""
    rng = np.random.default_rng(0)
    N, D, K = 400, 6, 2
    basis = np.linalg.qr(rng.standard_normal((D, D)))[0]
    X = (rng.standard_normal((N, D)) * np.array([3.0, 2.0, 0.5, 0.3, 0.2, 0.1])) @ basis.T + 1.0
    ae = A.Autoencoder(D, K, hidden=(), seed=0)
    A.fit(ae, X, epochs=300, lr=1e-2, batch_size=50)
    mean, comps, _ = A.pca(X, K)
    W_dec = ae.decoder[0].params["W"]                                  # (D, K)
    assert np.degrees(A.subspace_angles(W_dec, comps.T)).max() < 1.0
    pca_err = 0.5 * np.sum(((X - mean) - (X - mean) @ comps.T @ comps) ** 2) / N
    assert pca_err <= ae.reconstruction_error(X) < 1.01 * pca_err     # PCA 是下界，AE 几乎达到它


def test_pca_matches_sklearn(rng):
    from sklearn.decomposition import PCA
    X = rng.standard_normal((50, 5)) @ rng.standard_normal((5, 5))
    mean, comps, ev = A.pca(X, 3)
    sk = PCA(3).fit(X)
    np.testing.assert_allclose(np.abs(comps), np.abs(sk.components_), atol=1e-10)
    np.testing.assert_allclose(ev * 50 / 49, sk.explained_variance_, rtol=1e-10)   # sklearn 用 N-1


def test_corrupt():
    rng = np.random.default_rng(0)
    x = np.ones((100, 100))
    assert abs((A.corrupt(x, rng, "mask", 0.25) == 0).mean() - 0.25) < 0.02
    assert abs(np.std(A.corrupt(x, rng, "gaussian", 0.5) - x) - 0.5) < 0.02
    xt = TA.corrupt(torch.ones(100, 100), torch.Generator().manual_seed(0), "mask", 0.25)
    assert abs((xt == 0).float().mean().item() - 0.25) < 0.02


def test_bad_inputs(rng):
    with pytest.raises(ValueError, match="code_activation='logistic'"):
        A.Autoencoder(5, 2, sparsity="kl")
    with pytest.raises(ValueError, match="sparsity"):
        A.Autoencoder(5, 2, sparsity="l2")
    with pytest.raises(ValueError, match="未知的激活函数"):
        A.Autoencoder(5, 2, activation="tanhh")
    ae = A.Autoencoder(5, 2)
    with pytest.raises(ValueError, match="D=5"):
        ae.loss_and_grads(np.ones((3, 4)))
    with pytest.raises(ValueError, match="K=2"):
        ae.decode(np.ones((3, 3)))
    with pytest.raises(ValueError, match=r"\(0, 1\)"):
        A.sparsity_penalty(np.array([[0.0, 0.5]]), "kl", 1.0)
    with pytest.raises(ValueError, match="level"):
        A.corrupt(np.ones((2, 2)), rng, "mask", 1.5)
    with pytest.raises(TypeError, match="Generator"):
        A.corrupt(np.ones((2, 2)), 0)
    with pytest.raises(ValueError, match="k 应不超过"):
        A.pca(np.ones((3, 5)), 4)
    with pytest.raises(ValueError, match="D=5"):
        TA.Autoencoder(5, 2)(torch.ones(3, 4))
    with pytest.raises(ValueError, match="code_activation='logistic'"):
        TA.Autoencoder(5, 2, sparsity="kl")


@pytest.mark.parametrize("ka,kb", [(3, 3), (4, 2), (2, 4)])
def test_subspace_angles_match_scipy(ka, kb, rng):
    from scipy.linalg import subspace_angles as scipy_angles
    A_, B_ = rng.standard_normal((7, ka)), rng.standard_normal((7, kb))
    np.testing.assert_allclose(A.subspace_angles(A_, B_), np.sort(scipy_angles(A_, B_)), atol=1e-12)
    C = rng.standard_normal((7, 3))
    assert A.subspace_angles(C, C @ rng.standard_normal((3, 3))).max() < 1e-7     # 同一子空间：小角也准
