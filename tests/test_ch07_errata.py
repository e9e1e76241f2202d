"""第 7 章勘误的数值钉子：docs/appendix/errata.md 第 7 章一节里每一条可计算的更正都在这里检查。"""

import numpy as np
import torch

from nndl_ref import data
from nndl_ref.gradcheck import rel_error
from nndl_ref.numpy.mlp import MLP
from nndl_ref.numpy.norm import batchnorm_forward
from nndl_ref.numpy.regularization import dropout_forward, l2_penalty
from nndl_ref.torch.regularization import mlp
from nndl_ref.torch.trainer import TrainConfig, train


def test_early_stopping_on_training_loss_never_stops():
    """笔记："训到训练集 Loss 连续一段时间不再下降时就停止"。训练损失几乎单调下降，按它判断根本不停；
    验证损失早早见底、随后上升——提前停止必须看验证集（也不能看测试集）。"""
    d = data.load_digits(standardize=True)
    torch.manual_seed(0)
    h = train(mlp([64, 256, 256, 10]), d.X_train[:100], d.y_train[:100], d.X_train[500:], d.y_train[500:],
              config=TrainConfig(epochs=50, batch_size=25, lr=2e-3, optimizer="adam", threads=1))
    loss = np.array(h.loss)
    patience = 5
    stops_on_train = [t for t in range(patience, len(loss)) if loss[t - patience:t + 1].argmin() == 0]
    assert stops_on_train == [] or stops_on_train[0] > 30          # 训练损失规则：很晚或从不停止
    best = int(np.argmin(h.val_loss))
    assert best < 20 and h.val_loss[-1] > h.val_loss[best] + 0.01  # 验证损失：早就见底，之后变差
    assert loss[-1] < loss[best] / 10                              # 而训练损失还在大幅下降


def test_l2_coefficient_and_weight_decay():
    """笔记：L2 正则化 λΣw²。它的梯度是 2λw，对应 torch 的 weight_decay = 2λ；本站的 ½λ‖w‖² 对应 weight_decay = λ。"""
    w = np.array([1.0, -2.0, 3.0])
    lam = 0.1
    notes_grad = 2 * lam * w                                        # ∂(λΣw²)/∂w
    ours_value, ours_grad = l2_penalty({"w": w}, 2 * lam)
    np.testing.assert_allclose(ours_grad["w"], notes_grad)
    assert np.isclose(ours_value, lam * np.sum(w * w))


def test_averaging_loss_or_gradient_is_the_same_weights_matter(rng):
    """笔记："对梯度取平均，不是对 loss 取平均"。求导是线性的，两者相同；真正要注意的是块大小不等时按
    |B_k|/|B| 加权。"""
    net = MLP([4, 6, 3], "tanh", seed=0)
    X, y = rng.standard_normal((10, 4)), rng.integers(0, 3, 10)
    blocks = [slice(0, 4), slice(4, 10)]
    full = net.loss_and_grads(X, y)[1]["W1"]
    weighted = sum((b.stop - b.start) / 10 * net.loss_and_grads(X[b], y[b])[1]["W1"] for b in blocks)
    assert rel_error(weighted, full) < 1e-12                       # 加权平均梯度 = 平均损失的梯度
    plain = np.mean([net.loss_and_grads(X[b], y[b])[1]["W1"] for b in blocks], axis=0)
    assert rel_error(plain, full) > 1e-3                            # 不加权的平均（4 与 6 个样本）不对


def test_dropout_test_time_scaling_depends_on_the_variant(rng):
    """笔记：测试时乘以 (1 − p)。这只适用于训练时不缩放的原始写法；torch 的 nn.Dropout 训练时已除以 (1 − p)，
    测试时再乘 (1 − p) 会把输出缩小两次。"""
    x, p = np.full(100_000, 2.0), 0.4
    train_mean = dropout_forward(x, p, rng=rng)[0].mean()           # torch 的写法（inverted）
    assert abs(train_mean - 2.0) < 0.02
    assert abs(dropout_forward(x, p, training=False)[0].mean() - train_mean) < 0.02
    double_scaled = (1 - p) * dropout_forward(x, p, training=False)[0].mean()
    assert abs(double_scaled - train_mean) > 0.7                    # 2 × 0.6 = 1.2，而不是 2
    m = torch.nn.Dropout(p).eval()
    assert torch.equal(m(torch.ones(3)), torch.ones(3))             # torch 测试时什么也不乘


def test_batchnorm_noise_comes_from_batch_statistics_not_gamma_beta(rng):
    """笔记：BN "由于 γ, β 是可学习的，因此训练过程会对数据进行一些小扰动"。γ、β 对每个样本都一样，
    不带来随机性；扰动来自小批量的 μ_B、σ²_B——同一个样本在不同的批里得到不同的输出（γ = 1、β = 0 固定）。"""
    x = rng.standard_normal(3)
    outs = []
    for _ in range(50):
        batch = np.vstack([x, rng.standard_normal((15, 3))])
        outs.append(batchnorm_forward(batch, np.ones(3), np.zeros(3))[0][0])
    assert np.std(outs, axis=0).min() > 0.05


def test_sgd_with_constant_learning_rate_does_not_converge_exactly(rng):
    """笔记："随机梯度算法针对凹函数或者凸函数是一定可以收敛到最优值的"。要最小化的必须是凸函数，而且学习率
    要逐渐减小（Σα_t = ∞、Σα_t² < ∞）；学习率固定时，SGD 只停在最优点附近的一团噪声里。"""
    N = 500
    X = np.c_[rng.standard_normal(N), np.ones(N)]
    y = X @ np.array([2.0, -1.0]) + rng.standard_normal(N)
    w_star = np.linalg.lstsq(X, y, rcond=None)[0]
    r = np.random.default_rng(1)

    def run(lr_fn, steps=20000):
        w, tail = np.zeros(2), []
        for t in range(steps):
            i = r.integers(N)
            w = w - lr_fn(t) * X[i] * (X[i] @ w - y[i])
            if t >= steps - 2000:
                tail.append(np.linalg.norm(w - w_star))
        return np.mean(tail)

    constant = run(lambda t: 0.05)
    decaying = run(lambda t: 0.05 / (1 + 0.01 * t))
    assert constant > 0.05 and decaying < constant / 3
