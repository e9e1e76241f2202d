r"""线性模型（NumPy 从零实现）：感知器、Logistic 回归、Softmax 回归。

对应书中第 3 章；站点页面：`docs/ch03-linear/index.md`。它们都是"线性判别函数 + 不同的损失"：

============  ==========================  ===========================
模型           判别函数                     学习准则
============  ==========================  ===========================
感知器         $\mathrm{sgn}(w^\top x + b)$   误分类样本上的 $-y(w^\top x+b)$
Logistic 回归  $\sigma(w^\top x + b)$         二分类交叉熵
Softmax 回归   $\mathrm{softmax}(W x + b)$    多分类交叉熵
============  ==========================  ===========================

每个模型都提供 ``params()``（参数字典）、``loss_and_grads(X, y)``（损失与手写梯度）与
``predict(X)``，可以交给 `nndl_ref.numpy.train.fit` 用小批量 SGD 训练。
"""

from __future__ import annotations

import numpy as np

from .._validate import (as_float_array, as_labels, as_pm1_labels, check_bool, check_nonneg, check_positive,
                         check_seed)
from . import losses


# ====================================================================== 感知器
def _check_Xw(X, w, b):
    X = as_float_array(X, "X", ndim=2)
    w = as_float_array(w, "w", ndim=1)
    if w.shape[0] != X.shape[1]:
        raise ValueError(f"X 的形状应为 (N, D)、w 的形状应为 (D,)，两者的 D 相同（w 给出 D={w.shape[0]}）；"
                         f"实际 X {X.shape}，w {w.shape}")
    as_float_array(b, "b", ndim=(0, 1))
    return X, w


def perceptron_predict(X, w, b: float = 0.0):
    r"""感知器的判别 $\hat{y} = \mathrm{sgn}(w^\top x + b)$，约定 $\mathrm{sgn}(0) = +1$。

    Returns
    -------
    ndarray (N,)
        取值 ±1。
    """
    X, w = _check_Xw(X, w, b)
    return np.where(X @ w + b >= 0, 1.0, -1.0)


def perceptron_loss(X, y, w, b: float = 0.0) -> float:
    r"""感知器的损失：只在误分类样本集合 $\mathcal{M}$ 上累加。

    $$\mathcal{L}(w, b) = -\sum_{x^{(n)} \in \mathcal{M}} y^{(n)} (w^\top x^{(n)} + b),
      \qquad \mathcal{M} = \{ n : y^{(n)} (w^\top x^{(n)} + b) \le 0 \}$$

    每一项都非负，全部分对时为 0。落在决策边界上（$=0$）也算错，这样从
    $w=0$ 出发时第一步就有梯度。书中：第 3.4 节。
    """
    X, w = _check_Xw(X, w, b)
    y = as_pm1_labels(y, "y", n=X.shape[0])
    margin = y * (X @ w + b)
    return float(-np.sum(margin[margin <= 0]))


def perceptron_grad(X, y, w, b: float = 0.0):
    r"""感知器损失的梯度 $\partial\mathcal{L}/\partial w = -\sum_{\mathcal{M}} y^{(n)} x^{(n)}$，
    $\partial\mathcal{L}/\partial b = -\sum_{\mathcal{M}} y^{(n)}$。"""
    X, w = _check_Xw(X, w, b)
    y = as_pm1_labels(y, "y", n=X.shape[0])
    wrong = y * (X @ w + b) <= 0
    dw = -(y[wrong] @ X[wrong])
    db = -float(np.sum(y[wrong]))
    return dw, db


class Perceptron:
    r"""感知器（Rosenblatt）：逐个样本地"错了就改"。

    更新规则（学习率 $\eta$）：当 $y^{(n)}(w^\top x^{(n)} + b) \le 0$ 时

    $$w \leftarrow w + \eta\, y^{(n)} x^{(n)}, \qquad b \leftarrow b + \eta\, y^{(n)}$$

    也就是在单个样本的感知器损失上做一步随机梯度下降。数据线性可分时，Novikoff 定理保证
    更新次数不超过 $(R/\gamma)^2$（$R$ 为样本最大范数，$\gamma$ 为间隔，
    偏置并入 $w$ 计算）；不可分（如 XOR）时永远停不下来，这里在 ``max_epochs`` 后停止并令
    ``converged_ = False``。

    Parameters
    ----------
    lr : float
        学习率 $\eta$。从 $w=0$ 出发时它只缩放解，不改变分类结果。
    max_epochs : int
        最多遍历数据的轮数。
    shuffle : bool
        每轮是否打乱样本顺序（用 ``seed`` 控制）。

    Attributes
    ----------
    w, b : 学到的参数。
    mistakes_ : list[int]
        每一轮的误分类（更新）次数；收敛时最后一项为 0。
    converged_ : bool
    n_updates_ : int
        更新总次数。

    Examples
    --------
    >>> X = np.array([[2.0, 1.0], [1.0, 3.0], [-1.0, -1.0], [-2.0, 0.5]])
    >>> y = np.array([1, 1, -1, -1])
    >>> clf = Perceptron(seed=0).fit(X, y)
    >>> clf.converged_, (clf.predict(X) == y).all()
    (True, np.True_)
    """

    def __init__(self, lr: float = 1.0, max_epochs: int = 100, shuffle: bool = True, seed: int = 0):
        self.lr = check_positive(lr, "lr")
        self.max_epochs = check_positive(max_epochs, "max_epochs", integer=True)
        self.shuffle = check_bool(shuffle, "shuffle")
        self.seed = check_seed(seed)

    def fit(self, X, y) -> "Perceptron":
        X = as_float_array(X, "X", ndim=2)
        y = as_pm1_labels(y, "y", n=X.shape[0])
        rng = np.random.default_rng(self.seed)
        N, D = X.shape
        self.w = np.zeros(D)
        self.b = 0.0
        self.mistakes_: list[int] = []
        self.n_updates_ = 0
        self.converged_ = False
        for _ in range(self.max_epochs):
            order = rng.permutation(N) if self.shuffle else np.arange(N)
            mistakes = 0
            for n in order:
                if y[n] * (X[n] @ self.w + self.b) <= 0:      # 误分类（含恰在边界上）
                    self.w += self.lr * y[n] * X[n]            # w ← w + η y x
                    self.b += self.lr * y[n]                   # b ← b + η y
                    mistakes += 1
            self.mistakes_.append(mistakes)
            self.n_updates_ += mistakes
            if mistakes == 0:
                self.converged_ = True
                break
        return self

    def decision_function(self, X):
        """打分 $w^\\top x + b$。"""
        return _check_Xw(X, self.w, self.b)[0] @ self.w + self.b

    def predict(self, X):
        return perceptron_predict(X, self.w, self.b)

    def loss(self, X, y) -> float:
        return perceptron_loss(X, y, self.w, self.b)


# ====================================================================== Logistic 回归
class LogisticRegression:
    r"""Logistic 回归：$p(y=1\mid x) = \sigma(w^\top x + b)$，用二分类交叉熵学习。

    $$\mathcal{R}(w, b) = \frac{1}{N}\sum_{n} \ell\big(w^\top x^{(n)}+b,\; y^{(n)}\big) + \frac{\lambda}{2}\lVert w\rVert^2$$

    $$\frac{\partial \mathcal{R}}{\partial w} = \frac{1}{N}\sum_n \big(\hat{y}^{(n)} - y^{(n)}\big) x^{(n)} + \lambda w,
      \qquad \frac{\partial \mathcal{R}}{\partial b} = \frac{1}{N}\sum_n \big(\hat{y}^{(n)} - y^{(n)}\big)$$

    标签为 0/1。书中：第 3.2 节。

    Parameters
    ----------
    n_features : int
        特征维数 D。
    weight_decay : float
        L2 正则系数 $\lambda$（不作用于偏置）。
    """

    def __init__(self, n_features: int, weight_decay: float = 0.0):
        check_positive(n_features, "n_features", integer=True)
        self.w = np.zeros(n_features)
        self.b = np.zeros(1)
        self.weight_decay = float(check_nonneg(weight_decay, "weight_decay"))

    def params(self) -> dict:
        return {"w": self.w, "b": self.b}

    def logits(self, X):
        X = as_float_array(X, "X", ndim=2)
        if X.shape[1] != self.w.shape[0]:
            raise ValueError(f"X 应有 D={self.w.shape[0]} 列，实际形状为 {X.shape}")
        return X @ self.w + self.b[0]

    def predict_proba(self, X):
        return losses.sigmoid(self.logits(X))

    def predict(self, X):
        return (self.logits(X) >= 0).astype(np.int64)

    def loss_and_grads(self, X, y):
        z = self.logits(X)                        # 先检查 X（列数），再检查标签
        X = as_float_array(X, "X", ndim=2)
        y = as_labels(y, "y", n=X.shape[0], num_classes=2).astype(np.float64)
        loss = losses.binary_cross_entropy_with_logits(z, y) + 0.5 * self.weight_decay * float(self.w @ self.w)
        dz = losses.binary_cross_entropy_with_logits_grad(z, y)   # (ŷ - y)/N
        dw = X.T @ dz + self.weight_decay * self.w
        db = np.array([dz.sum()])
        return loss, {"w": dw, "b": db}


# ====================================================================== Softmax 回归
class SoftmaxRegression:
    r"""Softmax 回归：$\hat{y} = \mathrm{softmax}(W x + b)$，用多分类交叉熵学习。

    批量形式 $Z = X W^\top + b$（``W`` 形状为 (C, D)，与 ``torch.nn.Linear.weight`` 相同）：

    $$\frac{\partial \mathcal{R}}{\partial W} = \frac{1}{N}(\hat{Y} - Y)^\top X + \lambda W,
      \qquad \frac{\partial \mathcal{R}}{\partial b} = \frac{1}{N}\sum_n (\hat{y}^{(n)} - y^{(n)})$$

    书中：第 3.3 节。

    Parameters
    ----------
    n_features, n_classes : int
        D 与 C。
    weight_decay : float
        L2 正则系数 $\lambda$（不作用于偏置）。
    """

    def __init__(self, n_features: int, n_classes: int, weight_decay: float = 0.0):
        check_positive(n_features, "n_features", integer=True)
        check_positive(n_classes, "n_classes", integer=True)
        if n_classes < 2:
            raise ValueError(f"n_classes 至少为 2，实际为 {n_classes}")
        self.W = np.zeros((n_classes, n_features))
        self.b = np.zeros(n_classes)
        self.weight_decay = float(check_nonneg(weight_decay, "weight_decay"))

    def params(self) -> dict:
        return {"W": self.W, "b": self.b}

    def logits(self, X):
        X = as_float_array(X, "X", ndim=2)
        if X.shape[1] != self.W.shape[1]:
            raise ValueError(f"X 应有 D={self.W.shape[1]} 列，实际形状为 {X.shape}")
        return X @ self.W.T + self.b            # (N, C)

    def predict_proba(self, X):
        return losses.softmax(self.logits(X))

    def predict(self, X):
        return np.argmax(self.logits(X), axis=1)

    def loss_and_grads(self, X, y):
        Z = self.logits(X)                        # 先检查 X（列数），再检查标签
        X = as_float_array(X, "X", ndim=2)
        y = as_labels(y, "y", n=X.shape[0], num_classes=self.W.shape[0])
        loss = losses.cross_entropy(Z, y) + 0.5 * self.weight_decay * float(np.sum(self.W ** 2))
        dZ = losses.cross_entropy_grad(Z, y)     # (Ŷ - Y)/N, (N, C)
        dW = dZ.T @ X + self.weight_decay * self.W   # (C, D)
        db = dZ.sum(axis=0)                      # (C,)
        return loss, {"W": dW, "b": db}


def accuracy(y_pred, y) -> float:
    """分类准确率。"""
    y_pred = np.asarray(y_pred)
    y = np.asarray(y)
    if y_pred.shape != y.shape:
        raise ValueError(f"y_pred 与 y 的形状应相同，实际为 {y_pred.shape} 与 {y.shape}")
    return float(np.mean(y_pred == y))





# ====================================================================== 线性 SVM（铰链损失）
class LinearSVM:
    r"""软间隔线性支持向量机的原问题，用（次）梯度下降求解。标签为 ±1。

    $$\mathcal{R}(w, b) = \frac{1}{N}\sum_{n} \max\big(0,\; 1 - y^{(n)}(w^\top x^{(n)} + b)\big) + \frac{\lambda}{2}\lVert w \rVert^2$$

    铰链损失 + L2 正则 = 最大间隔：正则项让 $\lVert w\rVert$ 尽量小，即间隔 $2/\lVert w\rVert$ 尽量大；
    铰链项要求每个样本的函数间隔至少为 1。书中：第 3.5 节。
    """

    def __init__(self, n_features: int, weight_decay: float = 1e-2):
        check_positive(n_features, "n_features", integer=True)
        self.w = np.zeros(n_features)
        self.b = np.zeros(1)
        self.weight_decay = float(check_nonneg(weight_decay, "weight_decay"))

    def params(self) -> dict:
        return {"w": self.w, "b": self.b}

    def decision_function(self, X):
        X = as_float_array(X, "X", ndim=2)
        if X.shape[1] != self.w.shape[0]:
            raise ValueError(f"X 应有 D={self.w.shape[0]} 列，实际形状为 {X.shape}")
        return X @ self.w + self.b[0]

    def predict(self, X):
        return np.where(self.decision_function(X) >= 0, 1, -1)

    def loss_and_grads(self, X, y):
        s = self.decision_function(X)
        loss = losses.hinge_loss(s, y) + 0.5 * self.weight_decay * float(self.w @ self.w)
        ds = losses.hinge_loss_grad(s, y)                  # 间隔 < 1 的样本贡献 −y/N
        X = np.asarray(X, dtype=np.float64)
        return loss, {"w": X.T @ ds + self.weight_decay * self.w, "b": np.array([ds.sum()])}


__all__ = ["perceptron_predict", "perceptron_loss", "perceptron_grad", "Perceptron",
           "LogisticRegression", "SoftmaxRegression", "LinearSVM", "accuracy"]
