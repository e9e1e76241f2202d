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


def test_batchnorm_works_even_when_covariate_shift_is_increased():
    """笔记：BN 的生效原理是"缓解内部协变量偏移"。Santurkar et al. 2018（How Does Batch Normalization Help
    Optimization?）的反例，这里缩小到 6 个 Sigmoid 隐藏层的手写数字网络：在每个 BN 之后加一个每步都换的随机
    平移和缩放（"加噪 BN"），下一层净输入的分布每步都大幅漂移——比不加 BN 的网络大几千倍——训练却依然比
    不加 BN 的网络好得多。可见 BN 的好处主要不是来自"让各层输入分布稳定"。"""
    from torch import nn

    d = data.load_digits(standardize=True)
    X, y = torch.tensor(d.X_train, dtype=torch.float32), torch.tensor(d.y_train)

    class Shift(nn.Module):
        """训练时每步给每个神经元一个新的随机均值 m ~ N(0, 1) 和尺度 s ~ U(0.25, 2)：人为制造协变量偏移。"""

        def __init__(self, H, gen):
            super().__init__()
            self.H, self.gen = H, gen

        def forward(self, z):
            if not self.training:
                return z
            m = torch.randn(self.H, generator=self.gen)
            s = torch.empty(self.H).uniform_(0.25, 2.0, generator=self.gen)
            return z * s + m

    def run(kind, L=6, H=32, steps=150, lr=0.5, B=64):
        torch.manual_seed(0)
        gen, order = torch.Generator().manual_seed(1), torch.Generator().manual_seed(0)
        layers, sizes = [], [64] + [H] * L
        for a, b in zip(sizes[:-1], sizes[1:]):
            layers.append(nn.Linear(a, b))
            if kind != "plain":
                layers.append(nn.BatchNorm1d(b))
            if kind == "noisy":
                layers.append(Shift(b, gen))
            layers.append(nn.Sigmoid())
        net = nn.Sequential(*layers, nn.Linear(H, 10))
        opt = torch.optim.SGD(net.parameters(), lr=lr)
        means = []                                        # 第 4 个隐藏层的净输入（进 Sigmoid 之前）在每步的批均值
        hook = [m for m in net if isinstance(m, nn.Sigmoid)][3].register_forward_hook(
            lambda mod, inp, out: means.append(inp[0].detach().mean(0)))
        for _ in range(steps):
            idx = torch.randint(0, len(X), (B,), generator=order)
            loss = nn.functional.cross_entropy(net(X[idx]), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
        hook.remove()
        shift = torch.stack(means).diff(dim=0).abs().mean().item()   # 相邻两步之间分布的平均漂移
        net.eval()
        with torch.no_grad():
            acc = (net(X).argmax(1) == y).float().mean().item()
        return acc, shift

    threads = torch.get_num_threads()
    torch.set_num_threads(1)                                     # 小网络：单线程最快，也不受机器忙闲影响
    try:
        (acc_plain, shift_plain), (acc_bn, shift_bn), (acc_noisy, shift_noisy) = map(run, ("plain", "bn", "noisy"))
    finally:
        torch.set_num_threads(threads)
    assert shift_noisy > 100 * max(shift_plain, shift_bn)        # 加噪 BN：协变量偏移大得多
    assert acc_plain < 0.2                                       # 不加 BN：150 步几乎没学会（10 类，随机猜 0.1）
    assert acc_bn > 0.9 and acc_noisy > 0.8                      # 加 BN，即使再加噪声，都学会了


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
