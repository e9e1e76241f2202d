r"""估计泛化能力：训练 / 验证 / 测试划分，偏差-方差分解的数值估计。

对应书中第 2.2.2–2.2.3 节（过拟合、正则化、验证集）与第 2.4 节（偏差-方差分解）；站点页面：`docs/ch02-ml/index.md`。
与框架无关（只用 NumPy），被训练的模型通过一个函数 ``fit_predict`` 传进来。

对回归问题，期望误差可以分解为三项（$f$ 是真实函数，$\hat{f}_{\mathcal{D}}$ 是在训练集
$\mathcal{D}$ 上学到的模型，$\sigma^2$ 是标签噪声的方差）：

$$\mathbb{E}_{\mathcal{D},\epsilon}\Big[\big(y - \hat{f}_{\mathcal{D}}(x)\big)^2\Big]
  = \underbrace{\big(\mathbb{E}_{\mathcal{D}}[\hat{f}_{\mathcal{D}}(x)] - f(x)\big)^2}_{\text{偏差}^2}
  + \underbrace{\mathbb{E}_{\mathcal{D}}\Big[\big(\hat{f}_{\mathcal{D}}(x) - \mathbb{E}_{\mathcal{D}}[\hat{f}_{\mathcal{D}}(x)]\big)^2\Big]}_{\text{方差}}
  + \sigma^2$$
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from ._validate import as_float_array, check_nonneg, check_positive, check_real, check_seed


def train_val_test_split(n: int, val: float = 0.2, test: float = 0.2, seed: int = 0):
    r"""把下标 $0,\dots,n-1$ 随机分成训练、验证、测试三份（不重叠、并起来是全部）。

    训练集用来拟合参数，验证集用来选超参数（多项式次数、正则系数 $\lambda$、训练轮数），
    测试集只在最后用一次，报告泛化误差。书中第 2.2.3 节；站点第 2 章。

    Returns
    -------
    idx_train, idx_val, idx_test : int64 数组

    Examples
    --------
    >>> tr, va, te = train_val_test_split(10, val=0.2, test=0.3, seed=0)
    >>> len(tr), len(va), len(te)
    (5, 2, 3)
    """
    check_positive(n, "n", integer=True)
    for name, v in (("val", val), ("test", test)):
        check_real(v, f"{name}（占全部样本的比例）", 0, 1, high_open=True)
    check_seed(seed)
    if val + test >= 1.0:
        raise ValueError(f"val + test 应小于 1（训练集不能为空），实际为 {val + test}")
    order = np.random.default_rng(seed).permutation(n)
    n_test, n_val = int(round(test * n)), int(round(val * n))
    return order[n_test + n_val:], order[n_test:n_test + n_val], order[:n_test]


@dataclass
class BiasVariance:
    """偏差-方差分解的数值估计（都是在测试点上的平均）。书中第 2.4 节；站点第 2 章。

    ``bias2 + variance + noise`` 应与独立测量的 ``error`` 相近（差别来自有限次抽样）。
    """

    bias2: float
    variance: float
    noise: float
    error: float

    def __post_init__(self):
        for name in ("bias2", "variance", "noise", "error"):
            check_nonneg(getattr(self, name), name)

    @property
    def total(self) -> float:
        return self.bias2 + self.variance + self.noise


def bias_variance_decomposition(fit_predict: Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray],
                                f: Callable[[np.ndarray], np.ndarray], x_test, *, n_train: int = 20,
                                noise_std: float = 0.2, n_datasets: int = 200, seed: int = 0) -> BiasVariance:
    r"""用蒙特卡洛估计偏差、方差和噪声：独立抽 ``n_datasets`` 个训练集，各训练一个模型。

    第 $k$ 个训练集：$x \sim U(0,1)$ 共 ``n_train`` 个，$y = f(x) + \epsilon$，
    $\epsilon \sim \mathcal{N}(0, \sigma^2)$；``fit_predict(x, y, x_test)`` 在其上训练并返回测试点上的预测
    $\hat{f}_k(x_{\text{test}})$。于是

    $$\text{偏差}^2 = \overline{\big(\bar{f}(x) - f(x)\big)^2}, \qquad
      \text{方差} = \overline{\frac{1}{K}\sum_k \big(\hat{f}_k(x) - \bar{f}(x)\big)^2}, \qquad
      \bar{f}(x) = \frac{1}{K}\sum_k \hat{f}_k(x)$$

    （上划线表示对测试点取平均）。``error`` 用每个模型在**新抽的**带噪测试标签上的平方误差独立测量，
    用来检验 $\text{error} \approx \text{偏差}^2 + \text{方差} + \sigma^2$。书中第 2.4 节；站点第 2 章。

    Examples
    --------
    >>> from nndl_ref.numpy.regression import fit_polynomial, polynomial_features
    >>> fp = lambda x, y, xt: fit_polynomial(x, y, 3).predict(polynomial_features(xt, 3))
    >>> bv = bias_variance_decomposition(fp, lambda x: np.sin(2 * np.pi * x), np.linspace(0, 1, 50),
    ...                                  n_datasets=50)
    >>> abs(bv.total - bv.error) < 0.1 * bv.error
    True
    """
    x_test = as_float_array(x_test, "x_test", ndim=1)
    check_positive(n_train, "n_train", integer=True)
    check_positive(n_datasets, "n_datasets", integer=True)
    check_nonneg(noise_std, "noise_std")
    for name, fun in (("fit_predict", fit_predict), ("f", f)):
        if not callable(fun):
            raise TypeError(f"{name} 应为函数，实际得到 {type(fun).__name__}")
    rng = np.random.default_rng(check_seed(seed))
    f_test = as_float_array(f(x_test), "f(x_test)").astype(np.float64, copy=False)
    if f_test.shape != x_test.shape:
        raise ValueError(f"f(x_test) 的形状应与 x_test 相同 {x_test.shape}，实际为 {f_test.shape}")
    preds = np.empty((n_datasets, x_test.shape[0]))
    sq_err = 0.0
    for k in range(n_datasets):
        x = rng.uniform(0.0, 1.0, n_train)
        y = f(x) + noise_std * rng.standard_normal(n_train)
        preds[k] = fit_predict(x, y, x_test)
        y_test = f_test + noise_std * rng.standard_normal(x_test.shape[0])   # 新抽的测试标签
        sq_err += float(np.mean((y_test - preds[k]) ** 2))
    mean_pred = preds.mean(axis=0)                                        # f̄(x)
    bias2 = float(np.mean((mean_pred - f_test) ** 2))
    variance = float(np.mean(preds.var(axis=0)))
    return BiasVariance(bias2, variance, noise_std ** 2, sq_err / n_datasets)


__all__ = ["train_val_test_split", "BiasVariance", "bias_variance_decomposition"]
