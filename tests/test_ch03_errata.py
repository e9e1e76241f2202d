"""第 3 章勘误的数值钉子：docs/appendix/errata.md 里每一条可计算的更正都在这里检查。"""

import numpy as np
import torch

from nndl_ref import data
from nndl_ref.numpy import losses as L
from nndl_ref.numpy.linear import perceptron_loss


def test_mse_is_mean_squared_not_euclidean(rng):
    """笔记："MSE 计算欧式距离"。MSE 是平方误差的平均，与欧氏距离差一个平方根（和一个 1/N）。"""
    a = rng.standard_normal(10)
    y = rng.standard_normal(10)
    euclid = np.linalg.norm(a - y)
    assert np.isclose(L.mse(a, y), euclid ** 2 / 10)
    assert np.isclose(L.mse(a, y, reduction="half"), euclid ** 2 / 20)
    assert not np.isclose(L.mse(a, y), euclid)
    assert np.isclose(L.mse(a, y), torch.nn.functional.mse_loss(torch.from_numpy(a), torch.from_numpy(y)).item())


def test_ce_gradient_does_not_vanish_when_confidently_wrong():
    """交叉熵用于分类的原因：p→0 时 σ 后接平方误差的梯度趋于 0，交叉熵的梯度趋于 -1。"""
    z = np.array([-10.0])                                  # p = σ(-10) ≈ 4.5e-5，真实标签 1
    zt = torch.tensor(z, requires_grad=True)
    torch.nn.functional.binary_cross_entropy_with_logits(zt, torch.ones(1, dtype=torch.float64)).backward()
    g_ce = zt.grad.item()
    zt.grad = None
    (0.5 * (torch.sigmoid(zt) - 1) ** 2).sum().backward()
    g_mse = zt.grad.item()
    assert g_ce < -0.99 and abs(g_mse) < 1e-4
    p = L.sigmoid(z)
    assert np.isclose(g_ce, (p - 1)[0]) and np.isclose(g_mse, ((p - 1) * p * (1 - p))[0])


def test_perceptron_loss_uses_w():
    """笔记的 SGD 一段写成 y_i(x_i + b)，丢了 w。正确的损失随 w 变化，且等于 -Σ_M y(wᵀx+b)。"""
    X, y = data.make_separable(n=40, seed=1)
    b = 0.1
    w1, w2 = np.array([1.0, -2.0]), np.array([-3.0, 0.5])
    assert perceptron_loss(X, y, w1, b) != perceptron_loss(X, y, w2, b)
    margins = y * (X @ w1 + b)
    assert np.isclose(perceptron_loss(X, y, w1, b), -margins[margins <= 0].sum())


# ---------------------------------------------------------------- 正文里的数字与库行为（第 3 章页面）
def test_torch_sign_of_zero_is_zero():
    """3.2 节："torch.sign(0) 返回 0，所以 PyTorch 版不用它"（本站的 sgn(0) 取 +1）。"""
    assert torch.sign(torch.tensor([0.0, -0.0])).tolist() == [0.0, 0.0]


def test_bce_clamps_log_at_minus_100_like_torch():
    """3.3 节：binary_cross_entropy 把 log 截断在 −100，和 torch.nn.BCELoss 相同。"""
    p, y = np.array([0.0, 1.0]), np.array([1.0, 0.0])
    assert L.binary_cross_entropy(p, y) == 100.0
    assert torch.nn.BCELoss()(torch.from_numpy(p), torch.from_numpy(y)).item() == 100.0


def test_sklearn_logistic_regression_reference_numbers():
    """3.4 节：scikit-learn 的 LogisticRegression（L-BFGS、默认正则、迭代到收敛）在同一划分上
    标准化 96.7%、不标准化 95.3%；不标准化时默认的 100 次迭代不收敛（ConvergenceWarning）。"""
    import warnings

    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import LogisticRegression

    d, raw = data.load_digits(standardize=True), data.load_digits(standardize=False)
    fit = LogisticRegression(max_iter=5000).fit
    assert round(fit(d.X_train, d.y_train).score(d.X_test, d.y_test), 3) == 0.967
    assert round(fit(raw.X_train, raw.y_train).score(raw.X_test, raw.y_test), 3) == 0.953
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        LogisticRegression().fit(raw.X_train, raw.y_train)
    assert any(issubclass(w.category, ConvergenceWarning) for w in caught)


def test_softmax_digits_curve_accuracy_plateaus_while_loss_keeps_falling():
    """3.4 节训练曲线：测试集准确率十几轮后停在 96% 上下，测试集损失此后仍在缓慢下降（图 softmax-digits-curve）。"""
    from nndl_ref.numpy.linear import SoftmaxRegression
    from nndl_ref.numpy.train import fit

    d = data.load_digits(standardize=True)
    model = SoftmaxRegression(64, 10, weight_decay=1e-3)
    hist = fit(model, d.X_train, d.y_train, epochs=30, lr=0.1, batch_size=32, X_val=d.X_test, y_val=d.y_test)
    late = np.array(hist.val_acc[13:])                                  # 第 14 轮起
    assert np.all(np.abs(late - 0.96) <= 0.005)
    assert hist.val_loss[-1] < 0.95 * hist.val_loss[14]                  # 第 15 轮后损失仍在降
