r"""离线数据集：全部不需要下载，固定随机种子，可复现。

- `load_digits`：scikit-learn 自带的 8×8 手写数字（1797 张，10 类）；
- `make_separable`、`make_xor`、`make_blobs`、`make_spirals`：二维玩具数据，
  用来画决策边界。

所有函数返回 NumPy 数组（float64 特征、int64 标签）；torch 版本用 ``torch.from_numpy`` 转换即可。
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._validate import check_bool, check_choice, check_nonneg, check_positive, check_real, check_seed


@dataclass
class Split:
    """训练 / 测试划分。``X_*`` 形状 (N, D)，``y_*`` 形状 (N,)。"""

    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray

    def __post_init__(self):
        for part in ("train", "test"):
            X, y = getattr(self, f"X_{part}"), getattr(self, f"y_{part}")
            if np.ndim(X) < 1 or np.ndim(y) != 1 or np.shape(X)[0] != np.shape(y)[0]:
                raise ValueError(f"X_{part} 应为 (N, …)、y_{part} 应为 (N,)，两者的 N 相同；"
                                 f"实际为 {np.shape(X)} 与 {np.shape(y)}")

    def __iter__(self):  # 允许 X_tr, y_tr, X_te, y_te = split
        return iter((self.X_train, self.y_train, self.X_test, self.y_test))


def load_digits(test_size: float = 0.25, seed: int = 0, standardize: bool = False) -> Split:
    """scikit-learn 自带的手写数字（8×8 灰度，取值 0..16，展平为 64 维），无需下载。

    Parameters
    ----------
    test_size : float
        测试集比例，默认 0.25（1347 张训练 / 450 张测试）。
    seed : int
        划分的随机种子（与 ``train_test_split(random_state=seed)`` 相同）。
    standardize : bool
        是否按训练集的均值、标准差标准化每个像素（标准差为 0 的像素只减均值）。

    Examples
    --------
    >>> d = load_digits()
    >>> d.X_train.shape, d.X_test.shape
    ((1347, 64), (450, 64))
    """
    check_real(test_size, "test_size", 0, 1, low_open=True, high_open=True)
    check_seed(seed), check_bool(standardize, "standardize")
    try:
        from sklearn.datasets import load_digits as _load
        from sklearn.model_selection import train_test_split
    except ImportError as exc:  # pragma: no cover
        raise ImportError("load_digits 需要 scikit-learn：pip install scikit-learn") from exc
    bunch = _load()
    X = bunch.data.astype(np.float64)
    y = bunch.target.astype(np.int64)
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=test_size, random_state=seed)
    if standardize:
        mu = X_tr.mean(axis=0)
        sd = X_tr.std(axis=0)
        sd[sd == 0] = 1.0
        X_tr = (X_tr - mu) / sd
        X_te = (X_te - mu) / sd
    return Split(X_tr, y_tr, X_te, y_te)


def _check_labels(labels: str) -> str:
    return check_choice(labels, "labels", ("01", "pm1"))


def _labels(y01: np.ndarray, labels: str) -> np.ndarray:
    if labels == "01":
        return y01.astype(np.int64)
    if labels == "pm1":
        return (2 * y01 - 1).astype(np.int64)
    raise ValueError(f"labels 应为 '01' 或 'pm1'，实际为 {labels!r}")


def make_separable(n: int = 100, margin: float = 0.5, seed: int = 0, labels: str = "pm1"):
    """线性可分的二维两类数据：两类被直线 $x_1 + x_2 = 0$ 隔开，间隔至少 ``margin``。

    Returns
    -------
    X : (n, 2) float64
    y : (n,) int64，``labels="pm1"`` 时取 ±1，``"01"`` 时取 0/1。
    """
    check_positive(n, "n", integer=True)
    check_real(margin, "margin（点取自边长 6 的正方形，间隔 ≥ 3√2 时一个点也取不到）", 0, 3), _check_labels(labels)
    rng = np.random.default_rng(check_seed(seed))
    X = np.empty((0, 2))
    while X.shape[0] < n:
        cand = rng.uniform(-3, 3, size=(2 * n, 2))
        dist = (cand[:, 0] + cand[:, 1]) / np.sqrt(2)   # 到直线的有符号距离
        X = np.vstack([X, cand[np.abs(dist) >= margin]])
    X = X[:n] + np.array([1.0, 0.5])                    # 平移：让偏置 b 真正起作用
    y01 = ((X[:, 0] - 1.0) + (X[:, 1] - 0.5) > 0).astype(np.int64)
    return X, _labels(y01, labels)


def make_xor(n: int = 200, noise: float = 0.25, seed: int = 0, labels: str = "01"):
    """XOR：四个角上的点，对角同类。任何一条直线都分不开。"""
    check_positive(n, "n", integer=True)
    check_nonneg(noise, "noise"), _check_labels(labels)
    rng = np.random.default_rng(check_seed(seed))
    corners = rng.integers(0, 2, size=(n, 2))
    X = corners * 2.0 - 1.0 + noise * rng.standard_normal((n, 2))
    y01 = (corners[:, 0] ^ corners[:, 1]).astype(np.int64)
    return X, _labels(y01, labels)


def make_blobs(n_per_class: int = 50, n_classes: int = 3, std: float = 0.6, seed: int = 0):
    """``n_classes`` 个高斯团，中心均匀分布在半径 2 的圆上。标签为 0..C-1。"""
    check_positive(n_per_class, "n_per_class", integer=True)
    check_positive(n_classes, "n_classes", integer=True)
    check_nonneg(std, "std")
    rng = np.random.default_rng(check_seed(seed))
    angles = 2 * np.pi * np.arange(n_classes) / n_classes
    centers = 2.0 * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    X = np.concatenate([c + std * rng.standard_normal((n_per_class, 2)) for c in centers])
    y = np.repeat(np.arange(n_classes), n_per_class).astype(np.int64)
    return X, y


def make_spirals(n_per_class: int = 100, n_classes: int = 3, noise: float = 0.2, seed: int = 0):
    """``n_classes`` 条交错的螺旋臂（cs231n 的经典玩具数据），线性模型分不开。"""
    check_positive(n_per_class, "n_per_class", integer=True)
    check_positive(n_classes, "n_classes", integer=True)
    check_nonneg(noise, "noise")
    rng = np.random.default_rng(check_seed(seed))
    X = np.zeros((n_per_class * n_classes, 2))
    y = np.zeros(n_per_class * n_classes, dtype=np.int64)
    for c in range(n_classes):
        idx = slice(n_per_class * c, n_per_class * (c + 1))
        r = np.linspace(0.0, 1.0, n_per_class)
        t = np.linspace(c * 4.0, (c + 1) * 4.0, n_per_class) + noise * rng.standard_normal(n_per_class)
        X[idx] = np.c_[r * np.sin(t), r * np.cos(t)]
        y[idx] = c
    return X, y
