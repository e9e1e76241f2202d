r"""小批量随机梯度下降训练循环（NumPy 版）。

模型只需提供三个方法：``params()`` 返回参数字典（数组会被原地更新），
``loss_and_grads(X, y)`` 返回 ``(loss, grads)``（键与 ``params()`` 相同），``predict(X)``。

$$\theta \leftarrow \theta - \alpha \frac{\partial \mathcal{R}_{\mathcal{B}}}{\partial \theta}$$

其中 $\mathcal{R}_{\mathcal{B}}$ 是小批量 $\mathcal{B}$ 上的平均损失。书中：第 2.3 节、第 7.2 节。
"""

from __future__ import annotations

import time

import numpy as np

from .._validate import as_float_array, check_nonneg, check_positive, check_same_rows, check_seed
from ..progress import History, progress_bar, progress_enabled


def iterate_minibatches(n: int, batch_size: int, rng: np.random.Generator | None = None):
    """按 ``batch_size`` 切分 ``range(n)``；给出 ``rng`` 时先打乱。最后一批可能较小。

    参数在调用时就检查（不是等到第一次取值）；打乱在第一次取值时才用 ``rng``。
    """
    check_nonneg(n, "n", integer=True)
    check_positive(batch_size, "batch_size", integer=True)
    if rng is not None and not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng 应为 numpy.random.Generator 或 None，实际得到 {type(rng).__name__}")
    return _minibatches(n, batch_size, rng)


def _minibatches(n: int, batch_size: int, rng):
    order = rng.permutation(n) if rng is not None else np.arange(n)
    for start in range(0, n, batch_size):
        yield order[start:start + batch_size]


def fit(model, X, y, *, epochs: int = 10, lr: float = 0.1, batch_size: int = 32, seed: int = 0,
        X_val=None, y_val=None, progress: bool | None = None) -> History:
    """用小批量 SGD 训练 ``model``，返回每个 epoch 的损失与准确率。

    Parameters
    ----------
    model : 提供 ``params``、``loss_and_grads``、``predict`` 的对象（如
        `nndl_ref.numpy.linear.SoftmaxRegression`）。
    X, y : 训练数据 (N, D) 与标签 (N,)。
    epochs, lr, batch_size : 轮数、学习率 $\\alpha$、批大小。
    seed : 打乱顺序的随机种子。
    X_val, y_val : 可选的验证集，每轮结束时评估。
    progress : 是否显示进度条；默认只在交互式终端上显示。

    Returns
    -------
    History
        ``history.loss``（每轮的平均训练损失）、``history.acc``（每轮结束时的训练准确率）等。
    """
    for name in ("params", "loss_and_grads", "predict"):
        if not callable(getattr(model, name, None)):
            raise TypeError(f"model 应提供 params()、loss_and_grads(X, y)、predict(X)，{type(model).__name__} 没有 {name}")
    X = as_float_array(X, "X", ndim=2)
    y = np.asarray(y)
    check_same_rows(X, y, "X", "y")
    check_positive(epochs, "epochs", integer=True)
    check_positive(lr, "lr")
    check_positive(batch_size, "batch_size", integer=True)
    check_seed(seed)
    if (X_val is None) != (y_val is None):
        raise ValueError("X_val 与 y_val 应同时给出（或都不给）")
    # 先在全部数据上算一次损失（不更新参数）：坏标签、形状不对的验证集在第一步更新之前就报错，
    # 而不是训练到一半才在某个小批量上失败，留下一个训练了一半的模型
    model.loss_and_grads(X, y)
    if X_val is not None:
        model.loss_and_grads(X_val, y_val)
    rng = np.random.default_rng(seed)
    hist = History()
    t0 = time.perf_counter()
    params = model.params()
    for _ in progress_bar(range(epochs), total=epochs, desc="epoch", enabled=progress_enabled(progress)):
        total, count = 0.0, 0
        for idx in iterate_minibatches(X.shape[0], batch_size, rng):
            loss, grads = model.loss_and_grads(X[idx], y[idx])
            for name, p in params.items():
                p -= lr * grads[name]              # θ ← θ − α ∂R/∂θ（原地更新）
            total += loss * len(idx)
            count += len(idx)
        acc = float(np.mean(model.predict(X) == y))
        if X_val is not None:
            val_loss, _ = model.loss_and_grads(X_val, y_val)
            val_acc = float(np.mean(model.predict(X_val) == np.asarray(y_val)))
            hist.log(total / count, acc, val_loss, val_acc)
        else:
            hist.log(total / count, acc)
    hist.seconds = time.perf_counter() - t0
    return hist
