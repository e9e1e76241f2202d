"""第 2 章勘误的数值钉子（docs/appendix/errata.md 第 2 章一节）。"""

import numpy as np

from nndl_ref.numpy.regression import LinearRegression


def test_criterion_is_average_loss_plus_regulariser(rng):
    """笔记："在有监督学习中学习准则即为损失函数"。损失函数衡量单个样本；学习准则是它在训练集上的平均
    （经验风险），加正则项后是结构风险。"""
    X, y = rng.standard_normal((20, 3)), rng.standard_normal(20)
    lam = 0.3
    model = LinearRegression(3, weight_decay=lam)
    model.w[:] = rng.standard_normal(3)
    model.b[:] = 0.5
    per_sample = 0.5 * (model.predict(X) - y) ** 2                 # 损失函数 L(y, f(x))：每个样本一个数
    empirical = per_sample.mean()                                  # 经验风险
    structural = empirical + 0.5 * lam * model.w @ model.w         # 结构风险
    assert np.isclose(model.loss_and_grads(X, y)[0], structural)
    assert not np.isclose(structural, per_sample[0])
