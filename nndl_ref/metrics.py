r"""分类的评价指标（NumPy 实现）：准确率、混淆矩阵、精确率、召回率、F1（宏平均与微平均）。

对应书中第 2.7 节（评价指标）；站点页面：`docs/ch02-ml/index.md`（评价指标一节）。
指标与框架无关（输入是整数标签），所以只有这一份实现；torch 张量先 ``.cpu().numpy()``。
测试 ``tests/test_ch02_metrics.py`` 把每个函数与 scikit-learn 的同名函数逐一对照。

记号：对类别 $c$，$TP_c$、$FP_c$、$FN_c$ 分别是真正例、假正例、假负例的个数，

$$P_c = \frac{TP_c}{TP_c + FP_c}, \qquad R_c = \frac{TP_c}{TP_c + FN_c}, \qquad
  F_{1,c} = \frac{2 P_c R_c}{P_c + R_c}$$

分母为 0 时该项记为 0（与 scikit-learn 的 ``zero_division=0`` 相同）。
"""

from __future__ import annotations

import numpy as np

from ._validate import as_labels, check_positive

AVERAGES = ("macro", "micro", None)


def _pair(y_true, y_pred, num_classes):
    y_true = np.asarray(y_true)
    y_pred = np.asarray(y_pred)
    if y_true.shape != y_pred.shape:
        raise ValueError(f"y_true 与 y_pred 的形状应相同 (N,)，实际为 {y_true.shape} 与 {y_pred.shape}")
    y_true = as_labels(y_true, "y_true")
    y_pred = as_labels(y_pred, "y_pred")
    if num_classes is not None:
        check_positive(num_classes, "num_classes", integer=True)
    if y_true.size and (y_true.min() < 0 or y_pred.min() < 0):
        raise ValueError("类别标签应为非负整数 0, 1, …, C-1")
    if num_classes is None:
        num_classes = int(max(y_true.max(initial=-1), y_pred.max(initial=-1))) + 1
    elif max(y_true.max(initial=-1), y_pred.max(initial=-1)) >= num_classes:
        raise ValueError(f"标签应在 [0, {num_classes}) 内，实际最大值为 "
                         f"{max(y_true.max(initial=-1), y_pred.max(initial=-1))}")
    return y_true, y_pred, num_classes


def accuracy(y_true, y_pred) -> float:
    r"""准确率 $\mathcal{A} = \frac{1}{N}\sum_{n=1}^N \mathbb{I}\big(y^{(n)} = \hat{y}^{(n)}\big)$。

    书中第 2.7 节；站点第 2 章。

    Examples
    --------
    >>> accuracy([0, 1, 2, 2], [0, 2, 2, 2])
    0.75
    """
    y_true, y_pred, _ = _pair(y_true, y_pred, None)
    if y_true.size == 0:
        raise ValueError("y_true 为空：至少需要一个样本")
    return float(np.mean(y_true == y_pred))


def confusion_matrix(y_true, y_pred, num_classes: int | None = None) -> np.ndarray:
    r"""混淆矩阵 $M$：$M_{ij}$ 是真实类别为 $i$、预测为 $j$ 的样本数（行 = 真实，列 = 预测）。

    对角线是分对的样本；$TP_c = M_{cc}$，$FP_c = \sum_i M_{ic} - M_{cc}$（第 $c$ 列其余元素），
    $FN_c = \sum_j M_{cj} - M_{cc}$（第 $c$ 行其余元素）。与 ``sklearn.metrics.confusion_matrix``
    的约定相同。书中第 2.7 节；站点第 2 章。

    Parameters
    ----------
    y_true, y_pred : array (N,)
        整数标签 $0,\dots,C-1$。
    num_classes : int, optional
        类别数 $C$；默认取两者中的最大标签加一。

    Returns
    -------
    ndarray (C, C), int64

    Examples
    --------
    >>> confusion_matrix([0, 1, 1, 2], [0, 1, 2, 2])
    array([[1, 0, 0],
           [0, 1, 1],
           [0, 0, 1]])
    """
    y_true, y_pred, C = _pair(y_true, y_pred, num_classes)
    M = np.zeros((C, C), dtype=np.int64)
    np.add.at(M, (y_true, y_pred), 1)         # M[y, ŷ] += 1，重复下标也逐个累加
    return M


def _safe_div(a, b):
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    return np.divide(a, b, out=np.zeros_like(a), where=b > 0)


def precision_recall_f1(y_true, y_pred, average: str | None = "macro", num_classes: int | None = None):
    r"""精确率、召回率与 F1 值，按 ``average`` 汇总各类。

    - ``None``：返回每一类的 $(P_c, R_c, F_{1,c})$，各为 (C,) 数组；
    - ``"macro"``（宏平均）：先算每一类，再对类别取算术平均，
      $P_{\text{macro}} = \frac1C\sum_c P_c$，$F_{1,\text{macro}} = \frac1C\sum_c F_{1,c}$
      （与 scikit-learn 相同：宏 F1 是各类 F1 的平均，而不是宏 P 与宏 R 的调和平均）；
    - ``"micro"``（微平均）：先把所有类的 $TP$、$FP$、$FN$ 加起来再算，
      $P_{\text{micro}} = \frac{\sum_c TP_c}{\sum_c (TP_c+FP_c)}$。单标签多分类时
      $\sum_c (TP_c+FP_c) = \sum_c (TP_c+FN_c) = N$，所以微平均的 P、R、F1 都等于准确率。

    书中第 2.7 节；站点第 2 章。

    Examples
    --------
    >>> p, r, f = precision_recall_f1([0, 0, 1, 1], [0, 1, 1, 1], average=None)
    >>> p.tolist(), r.tolist()
    ([1.0, 0.6666666666666666], [0.5, 1.0])
    >>> precision_recall_f1([0, 0, 1, 1], [0, 1, 1, 1], average="micro")
    (0.75, 0.75, 0.75)
    """
    if average not in AVERAGES:
        raise ValueError(f"average 应为 'macro'、'micro' 或 None，实际为 {average!r}")
    M = confusion_matrix(y_true, y_pred, num_classes)
    tp = np.diag(M).astype(np.float64)
    fp = M.sum(axis=0) - tp                   # 预测为 c 但其实不是 c
    fn = M.sum(axis=1) - tp                   # 真实为 c 但没被认出来
    if average == "micro":
        p = float(_safe_div(tp.sum(), tp.sum() + fp.sum()))
        r = float(_safe_div(tp.sum(), tp.sum() + fn.sum()))
        f = float(_safe_div(2 * p * r, p + r))
        return p, r, f
    p = _safe_div(tp, tp + fp)
    r = _safe_div(tp, tp + fn)
    f = _safe_div(2 * p * r, p + r)
    if average == "macro":
        return float(p.mean()), float(r.mean()), float(f.mean())
    return p, r, f


def f1_score(y_true, y_pred, average: str | None = "macro", num_classes: int | None = None):
    r"""F1 值 $F_1 = \frac{2PR}{P+R}$（精确率与召回率的调和平均）；``average`` 同 ``precision_recall_f1``。

    书中第 2.7 节；站点第 2 章。

    Examples
    --------
    >>> round(f1_score([0, 0, 1, 1], [0, 1, 1, 1]), 4)
    0.7333
    """
    return precision_recall_f1(y_true, y_pred, average, num_classes)[2]


__all__ = ["accuracy", "confusion_matrix", "precision_recall_f1", "f1_score"]
