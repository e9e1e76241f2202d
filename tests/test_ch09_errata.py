"""第 9 章勘误的数值钉子（docs/appendix/errata.md 第 9 章一节）。"""

import itertools

import numpy as np

from nndl_ref.numpy import autoencoder as A
from nndl_ref.numpy.rbm import RBM


def test_rbm_hidden_units_are_conditionally_independent():
    """笔记："玻尔兹曼机：神经元之间都有连接（玻尔兹曼机 / 受限玻尔兹曼机 / 深度玻尔兹曼机）"。RBM 层内没有
    连接，所以给定 v 时隐藏单元相互独立：p(h|v) = Π_j p(h_j|v)（对全部 2^K 个 h 暴力验证）。"""
    rng = np.random.default_rng(0)
    rbm = RBM(4, 3, seed=0)
    rbm.W[:], rbm.a[:], rbm.b[:] = rng.standard_normal((3, 4)), rng.standard_normal(4), rng.standard_normal(3)
    H = np.array(list(itertools.product([0.0, 1.0], repeat=3)))
    for v in np.array(list(itertools.product([0.0, 1.0], repeat=4))):
        joint = np.exp(-rbm.energy(np.tile(v, (8, 1)), H))
        joint /= joint.sum()                                       # p(h | v)，8 个状态
        ph = rbm.prob_h(v[None])[0]
        product = np.prod(np.where(H == 1, ph, 1 - ph), axis=1)   # Π_j p(h_j | v)
        np.testing.assert_allclose(joint, product, rtol=1e-12)


def test_unconstrained_autoencoder_learns_identity():
    """笔记："自编码网络和 MLP 结构一样，但思路是对 x 先编码再解码"。少了关键的一点：没有限制（K ≥ D、
    不稀疏、不加噪）时，恒等映射就能让重构误差为 0，学不到有用的表示。"""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((200, 5))
    wide = A.Autoencoder(5, 5, seed=0)                             # 线性，K = D
    A.fit(wide, X, epochs=300, lr=1e-2, batch_size=50)
    narrow = A.Autoencoder(5, 2, seed=0)                           # 线性，K < D：必须取舍
    A.fit(narrow, X, epochs=300, lr=1e-2, batch_size=50)
    assert wide.reconstruction_error(X) < 0.01 * narrow.reconstruction_error(X)
    W = wide.decoder[0].params["W"] @ wide.encoder[0].params["W"]
    np.testing.assert_allclose(W, np.eye(5), atol=0.05)           # 学到的就是恒等映射
