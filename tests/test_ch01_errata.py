"""第 1 章勘误的数值钉子（docs/appendix/errata.md 第 1 章一节）。"""

import numpy as np

from nndl_ref.numpy.layers import Linear, Sigmoid, Sequential
from nndl_ref.numpy.rbm import RBM


def test_dbn_layer_is_a_sigmoid_neural_network_layer():
    """笔记：深度学习可以不用神经网络，"比如深度信念网络是一种概率图模型"。DBN 确实是概率图模型，
    但它的每一层（一个 RBM）给出的 p(h=1|v) 恰好就是一层 Logistic 神经元 σ(Wv + b)——它同时也是神经网络。"""
    rng = np.random.default_rng(0)
    rbm = RBM(6, 4, seed=0)
    rbm.W[:] = rng.standard_normal((4, 6))
    rbm.b[:] = rng.standard_normal(4)
    layer = Sequential(Linear(6, 4, rng), Sigmoid())
    layer[0].params["W"][...] = rbm.W
    layer[0].params["b"][...] = rbm.b
    v = (rng.random((10, 6)) < 0.5).astype(float)
    np.testing.assert_allclose(rbm.prob_h(v), layer.forward(v), rtol=1e-12)
