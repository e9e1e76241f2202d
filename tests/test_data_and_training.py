"""数据加载与两个训练循环：形状、可复现、进度条开关、验证集与早停、错误输入。"""

import numpy as np
import pytest
import torch

from nndl_ref import data
from nndl_ref.numpy import linear as NL
from nndl_ref.numpy.train import fit as np_fit
from nndl_ref.numpy.train import iterate_minibatches
from nndl_ref.progress import History, progress_enabled
from nndl_ref.torch import linear as TL
from nndl_ref.torch.train import fit as th_fit
from nndl_ref.torch.train import pick_device


def test_load_digits_split_and_standardisation():
    d = data.load_digits()
    assert d.X_train.shape == (1347, 64) and d.X_test.shape == (450, 64)
    assert d.X_train.dtype == np.float64 and d.y_train.dtype == np.int64
    assert d.X_train.min() == 0 and d.X_train.max() == 16
    assert set(np.unique(d.y_train)) == set(range(10))
    again = data.load_digits()
    np.testing.assert_array_equal(d.y_test, again.y_test)          # 固定种子，可复现
    s = data.load_digits(standardize=True)
    np.testing.assert_allclose(s.X_train.mean(axis=0), 0, atol=1e-12)
    nonconst = d.X_train.std(axis=0) > 0
    np.testing.assert_allclose(s.X_train.std(axis=0)[nonconst], 1, rtol=1e-10)
    X_tr, y_tr, X_te, y_te = s                                       # 可解包
    assert X_te.shape == (450, 64)
    with pytest.raises(ValueError, match="test_size"):
        data.load_digits(test_size=1.5)


def test_toy_sets():
    X, y = data.make_separable(n=100, margin=0.5, seed=0)
    assert X.shape == (100, 2) and set(np.unique(y)) == {-1, 1}
    dist = np.abs((X[:, 0] - 1.0) + (X[:, 1] - 0.5)) / np.sqrt(2)
    assert dist.min() >= 0.5                                        # 间隔真的至少为 margin
    X, y = data.make_xor(n=100, seed=0)
    assert set(np.unique(y)) == {0, 1} and X.shape == (100, 2)
    X, y = data.make_spirals(n_per_class=50, n_classes=3)
    assert X.shape == (150, 2) and np.bincount(y).tolist() == [50, 50, 50]
    X, y = data.make_blobs(n_per_class=20, n_classes=4)
    assert X.shape == (80, 2) and np.bincount(y).tolist() == [20] * 4
    with pytest.raises(ValueError, match="labels"):
        data.make_xor(labels="yes")
    with pytest.raises(ValueError, match="大于 0"):
        data.make_spirals(n_per_class=0)


def test_xor_labels_follow_corners():
    X, y = data.make_xor(n=400, noise=0.0, seed=1)
    np.testing.assert_array_equal(y, ((X[:, 0] > 0) ^ (X[:, 1] > 0)).astype(int))


def test_minibatches_cover_every_index_once():
    idx = np.concatenate(list(iterate_minibatches(103, 10, np.random.default_rng(0))))
    assert sorted(idx.tolist()) == list(range(103))


def test_progress_is_silent_under_tests_and_ci(monkeypatch):
    assert progress_enabled() is False                              # PYTEST_CURRENT_TEST 已设置
    assert progress_enabled(True) is True
    monkeypatch.delenv("PYTEST_CURRENT_TEST", raising=False)
    monkeypatch.setenv("CI", "true")
    assert progress_enabled() is False


def test_numpy_fit_history_and_validation():
    d = data.load_digits(standardize=True)
    m = NL.SoftmaxRegression(64, 10)
    h = np_fit(m, d.X_train, d.y_train, epochs=3, lr=0.1, X_val=d.X_test, y_val=d.y_test)
    assert isinstance(h, History) and h.epochs == 3 and len(h.val_acc) == 3
    assert h.loss[0] > h.loss[-1]
    assert set(h.as_dict()) == {"loss", "acc", "val_loss", "val_acc", "seconds"}
    with pytest.raises(ValueError, match="第 0 维"):
        np_fit(m, d.X_train, d.y_train[:10])
    with pytest.raises(ValueError, match="lr 应大于 0"):
        np_fit(m, d.X_train, d.y_train, lr=-1.0)


def test_torch_fit_device_history_early_stopping():
    assert pick_device().type in {"cpu", "cuda"}
    assert pick_device("cpu").type == "cpu"
    d = data.load_digits(standardize=True)
    m = TL.SoftmaxRegression(64, 10)
    h = th_fit(m, d.X_train, d.y_train, epochs=40, lr=0.5, X_val=d.X_test, y_val=d.y_test, patience=2)
    assert 1 <= h.epochs <= 40 and len(h.val_loss) == h.epochs
    if h.epochs < 40:                                               # 早停后恢复了最好的参数
        with torch.no_grad():
            from nndl_ref.torch.train import evaluate, as_tensors
            loss, _ = evaluate(m, *as_tensors(d.X_test, d.y_test))
        assert loss == pytest.approx(min(h.val_loss), rel=1e-5)
    with pytest.raises(ValueError, match="验证集"):
        th_fit(m, d.X_train, d.y_train, patience=2)
    with pytest.raises(ValueError, match="optimizer"):
        th_fit(m, d.X_train, d.y_train, optimizer="lbfgs")
    with pytest.raises(ValueError, match="NaN"):
        th_fit(m, np.full((4, 64), np.nan), np.zeros(4, dtype=int))
