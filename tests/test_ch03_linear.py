"""第 3 章的线性模型：NumPy 手写梯度 vs 数值梯度 vs torch autograd（float64、相同权重），训练结果，错误输入。"""

import numpy as np
import pytest
import torch

from nndl_ref import data
from nndl_ref.gradcheck import numerical_gradient, rel_error
from nndl_ref.numpy import linear as NL
from nndl_ref.numpy.train import fit as np_fit
from nndl_ref.torch import linear as TL
from nndl_ref.torch import losses as TLoss
from nndl_ref.torch.train import fit as th_fit


# ---------------------------------------------------------------- 感知器
def test_perceptron_sign_at_zero():
    X = np.array([[0.0, 0.0], [1.0, -1.0]])
    w = np.array([1.0, 1.0])
    np.testing.assert_array_equal(NL.perceptron_predict(X, w, 0.0), [1.0, 1.0])
    np.testing.assert_array_equal(TL.perceptron_predict(torch.from_numpy(X), torch.from_numpy(w), 0.0).numpy(), [1.0, 1.0])


def test_perceptron_grad_numerical_and_autograd(rng):
    X, y = data.make_separable(n=60, seed=3)
    w, b = rng.standard_normal(2), 0.3
    dw, db = NL.perceptron_grad(X, y, w, b)
    # 损失在 w 处分段线性；只要没有样本恰在边界上，数值梯度就等于解析梯度
    num = numerical_gradient(lambda v: NL.perceptron_loss(X, y, v, b), w.copy(), h=1e-7)
    assert rel_error(dw, num) < 1e-6
    wt = torch.tensor(w, requires_grad=True)
    bt = torch.tensor(b, dtype=torch.float64, requires_grad=True)
    TL.perceptron_loss(torch.from_numpy(X), torch.from_numpy(y), wt, bt).backward()
    np.testing.assert_allclose(wt.grad.numpy(), dw, rtol=1e-12)
    np.testing.assert_allclose(bt.grad.item(), db, rtol=1e-12)
    assert NL.perceptron_loss(X, y, w, b) >= 0


def test_perceptron_converges_on_separable_and_not_on_xor():
    X, y = data.make_separable(n=100, margin=0.5, seed=0)
    for clf in (NL.Perceptron(seed=0).fit(X, y), TL.Perceptron(seed=0).fit(torch.from_numpy(X), torch.from_numpy(y))):
        assert clf.converged_ and clf.mistakes_[-1] == 0
    assert NL.perceptron_loss(X, y, *(lambda c: (c.w, c.b))(NL.Perceptron(seed=0).fit(X, y))) == 0.0
    Xx, yx = data.make_xor(n=200, seed=0, labels="pm1")
    clf = NL.Perceptron(max_epochs=40, seed=0).fit(Xx, yx)
    assert not clf.converged_ and len(clf.mistakes_) == 40 and min(clf.mistakes_) > 0


def test_perceptron_numpy_and_torch_identical_without_shuffle():
    X, y = data.make_separable(n=80, seed=5)
    a = NL.Perceptron(shuffle=False).fit(X, y)
    b = TL.Perceptron(shuffle=False).fit(torch.from_numpy(X), torch.from_numpy(y))
    np.testing.assert_allclose(b.w.numpy(), a.w)
    assert a.mistakes_ == b.mistakes_


# ---------------------------------------------------------------- Logistic 回归
def test_logistic_grads_numerical_and_torch(rng):
    X = rng.standard_normal((30, 4))
    y = rng.integers(0, 2, 30)
    m = NL.LogisticRegression(4, weight_decay=0.1)
    m.w[:] = rng.standard_normal(4)
    m.b[:] = 0.2
    loss, g = m.loss_and_grads(X, y)

    def f_w(v):
        m.w[:] = v
        return m.loss_and_grads(X, y)[0]

    w0 = m.w.copy()
    assert rel_error(g["w"], numerical_gradient(f_w, w0.copy())) < 1e-7
    m.w[:] = w0
    tm = TL.LogisticRegression(4).double()
    with torch.no_grad():
        tm.w.copy_(torch.from_numpy(m.w))
        tm.b.copy_(torch.from_numpy(m.b))
    tl = tm.loss(torch.from_numpy(X), torch.from_numpy(y)) + 0.5 * 0.1 * (tm.w @ tm.w)
    tl.backward()
    np.testing.assert_allclose(tl.item(), loss, rtol=1e-12)
    np.testing.assert_allclose(tm.w.grad.numpy(), g["w"], rtol=1e-10)
    np.testing.assert_allclose(tm.b.grad.numpy(), g["b"], rtol=1e-10)


# ---------------------------------------------------------------- Softmax 回归
def test_softmax_regression_grads_numerical_and_torch(rng):
    X = rng.standard_normal((12, 5))
    y = rng.integers(0, 3, 12)
    m = NL.SoftmaxRegression(5, 3, weight_decay=0.05)
    m.W[:] = rng.standard_normal((3, 5))
    m.b[:] = rng.standard_normal(3)
    loss, g = m.loss_and_grads(X, y)

    def f_W(v):
        m.W[:] = v
        return m.loss_and_grads(X, y)[0]

    W0 = m.W.copy()
    assert rel_error(g["W"], numerical_gradient(f_W, W0.copy())) < 1e-7
    m.W[:] = W0

    def f_b(v):
        m.b[:] = v
        return m.loss_and_grads(X, y)[0]

    b0 = m.b.copy()
    assert rel_error(g["b"], numerical_gradient(f_b, b0.copy())) < 1e-7
    m.b[:] = b0
    tm = TL.SoftmaxRegression(5, 3).double()
    with torch.no_grad():
        tm.W.copy_(torch.from_numpy(m.W))                 # 同样的 (C, D) 布局，无需转置
        tm.b.copy_(torch.from_numpy(m.b))
    Z = tm(torch.from_numpy(X))
    tl = torch.nn.functional.cross_entropy(Z, torch.from_numpy(y)) + 0.5 * 0.05 * (tm.W ** 2).sum()
    tl.backward()
    np.testing.assert_allclose(tl.item(), loss, rtol=1e-12)
    np.testing.assert_allclose(tm.W.grad.numpy(), g["W"], rtol=1e-10)
    np.testing.assert_allclose(tm.b.grad.numpy(), g["b"], rtol=1e-10)


def test_softmax_regression_reaches_95_percent_on_digits_both_twins():
    d = data.load_digits(standardize=True)
    m = NL.SoftmaxRegression(64, 10, weight_decay=1e-3)
    np_fit(m, d.X_train, d.y_train, epochs=30, lr=0.1, batch_size=32)
    assert np.mean(m.predict(d.X_test) == d.y_test) >= 0.95
    t = TL.SoftmaxRegression(64, 10)
    th_fit(t, d.X_train, d.y_train, epochs=30, lr=0.1, batch_size=32, device="cpu")
    with torch.no_grad():
        acc = (t.predict(torch.tensor(d.X_test, dtype=torch.float32)).numpy() == d.y_test).mean()
    assert acc >= 0.95


# ---------------------------------------------------------------- SVM
def test_linear_svm_grads_and_margin(rng):
    X, y = data.make_separable(n=50, seed=2)
    m = NL.LinearSVM(2, weight_decay=0.1)
    m.w[:] = rng.standard_normal(2) * 0.3
    _, g = m.loss_and_grads(X, y)

    def f(v):
        m.w[:] = v
        return m.loss_and_grads(X, y)[0]

    w0 = m.w.copy()
    assert rel_error(g["w"], numerical_gradient(f, w0.copy(), h=1e-7)) < 1e-6
    m.w[:] = w0
    wt = torch.tensor(w0, requires_grad=True)
    bt = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    (TLoss.hinge_loss(torch.from_numpy(X) @ wt + bt, torch.from_numpy(y)) + 0.05 * wt @ wt).backward()
    np.testing.assert_allclose(wt.grad.numpy(), g["w"], rtol=1e-10)


# ---------------------------------------------------------------- 错误输入
def test_linear_models_bad_input():
    m = NL.SoftmaxRegression(4, 3)
    with pytest.raises(ValueError, match="D=4"):
        m.predict(np.zeros((2, 5)))
    with pytest.raises(ValueError, match="2 维"):
        m.predict(np.zeros(4))
    with pytest.raises(ValueError, match=r"取值应在 \[0, 3\)"):
        m.loss_and_grads(np.zeros((2, 4)), np.array([0, 7]))
    with pytest.raises(ValueError, match="NaN"):
        m.loss_and_grads(np.array([[np.nan, 0, 0, 0]]), np.array([0]))
    with pytest.raises(ValueError, match="n_classes 至少为 2"):
        NL.SoftmaxRegression(4, 1)
    with pytest.raises(ValueError, match=r"\+1 或 -1"):
        NL.Perceptron().fit(np.zeros((2, 2)), np.array([0, 1]))
    with pytest.raises(ValueError, match="样本数"):
        NL.Perceptron().fit(np.zeros((3, 2)), np.array([1, -1]))
    with pytest.raises(ValueError, match="lr 应大于 0"):
        NL.Perceptron(lr=0)
    with pytest.raises(TypeError, match="正整数"):
        NL.Perceptron(max_epochs=2.5)
    with pytest.raises(ValueError, match=r"\(N, 4\)"):
        TL.SoftmaxRegression(4, 3)(torch.zeros(2, 5))
    with pytest.raises(ValueError, match=r"\+1 或 -1"):
        TL.Perceptron().fit(torch.zeros(2, 2, dtype=torch.float64), torch.tensor([0, 1]))
