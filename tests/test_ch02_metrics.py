"""第 2 章：评价指标与 scikit-learn 逐一对照（随机标签、缺类、全对、全错），以及错误输入。"""

import numpy as np
import pytest
from sklearn import metrics as skm

from nndl_ref import metrics as M


@pytest.mark.parametrize("seed", range(5))
def test_against_sklearn_random_labels(seed):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 6, 200)
    p = np.where(rng.random(200) < 0.6, y, rng.integers(0, 6, 200))
    assert M.accuracy(y, p) == pytest.approx(skm.accuracy_score(y, p))
    np.testing.assert_array_equal(M.confusion_matrix(y, p), skm.confusion_matrix(y, p))
    for avg in ("macro", "micro"):
        ours = M.precision_recall_f1(y, p, average=avg)
        theirs = skm.precision_recall_fscore_support(y, p, average=avg, zero_division=0)[:3]
        np.testing.assert_allclose(ours, theirs, rtol=1e-12)
    ours = M.precision_recall_f1(y, p, average=None)
    theirs = skm.precision_recall_fscore_support(y, p, average=None, zero_division=0)[:3]
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a, b, rtol=1e-12)


def test_never_predicted_class_counts_as_zero_like_sklearn():
    y = np.array([0, 1, 2, 2, 1, 0])
    p = np.array([0, 1, 1, 1, 1, 0])                 # 类别 2 从未被预测：P_2 的分母为 0
    ours = M.precision_recall_f1(y, p, average="macro")
    theirs = skm.precision_recall_fscore_support(y, p, average="macro", zero_division=0)[:3]
    np.testing.assert_allclose(ours, theirs)
    np.testing.assert_array_equal(M.confusion_matrix(y, p, num_classes=4),
                                  skm.confusion_matrix(y, p, labels=range(4)))


def test_micro_equals_accuracy_for_single_label():
    rng = np.random.default_rng(0)
    y, p = rng.integers(0, 10, 300), rng.integers(0, 10, 300)
    assert M.precision_recall_f1(y, p, average="micro") == pytest.approx((M.accuracy(y, p),) * 3)


def test_perfect_and_all_wrong():
    y = np.array([0, 1, 2])
    assert M.precision_recall_f1(y, y) == (1.0, 1.0, 1.0)
    assert M.f1_score(y, (y + 1) % 3) == 0.0


def test_bad_inputs():
    with pytest.raises(ValueError, match="形状应相同"):
        M.accuracy([0, 1], [0, 1, 1])
    with pytest.raises(TypeError, match="整数"):
        M.confusion_matrix([0.5, 1.0], [0, 1])
    with pytest.raises(ValueError, match="average"):
        M.precision_recall_f1([0, 1], [0, 1], average="weighted")
    with pytest.raises(ValueError, match=r"\[0, 2\)"):
        M.confusion_matrix([0, 2], [0, 1], num_classes=2)
    with pytest.raises(ValueError, match="非负"):
        M.confusion_matrix([0, -1], [0, 1])
    with pytest.raises(ValueError, match="一维"):
        M.accuracy(np.zeros((2, 2), int), np.zeros((2, 2), int))


def test_macro_f1_is_the_mean_of_per_class_f1_like_sklearn():
    """第 2 章 2.8 节：宏平均 F1 有两种定义（各类 F1 的平均 / 宏平均 P 与 R 的调和平均），两者一般不相等；
    nndl_ref.metrics 与 scikit-learn 都用前者。"""
    y = np.array([0, 0, 0, 0, 1, 1, 2, 2, 2, 2])
    p = np.array([0, 0, 1, 2, 1, 1, 2, 0, 0, 0])
    P, R, F = M.precision_recall_f1(y, p, average=None)
    macro_f1 = M.f1_score(y, p, average="macro")
    P_macro, R_macro = P.mean(), R.mean()
    assert np.isclose(macro_f1, F.mean())
    assert np.isclose(macro_f1, skm.f1_score(y, p, average="macro"))
    assert not np.isclose(macro_f1, 2 * P_macro * R_macro / (P_macro + R_macro))
