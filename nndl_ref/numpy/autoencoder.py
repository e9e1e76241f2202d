r"""自编码器（NumPy 从零实现）：普通、降噪、稀疏自编码器，以及线性自编码器与 PCA 的关系。

对应书中第 9.1 节（无监督特征学习：主成分分析、稀疏编码、自编码器、稀疏自编码器、降噪自编码器）；
站点页面：`docs/ch09-unsupervised/index.md`。

自编码器（auto-encoder）由编码器 $f$ 和解码器 $g$ 组成，学习目标是让输出重构输入：

$$z = f(x), \qquad \hat{x} = g(z), \qquad
  \mathcal{L} = \frac{1}{2N}\sum_{n=1}^N \big\lVert \hat{x}^{(n)} - x^{(n)} \big\rVert^2$$

编码 $z$ 的维数 $K$ 小于输入维数 $D$ 时，网络被迫找到数据的低维表示。编码器与解码器都是
`nndl_ref.numpy.layers` 里的层（``Linear`` 与激活层）串成的 ``Sequential``，反向传播复用它们手写的
``backward``；本模块只补上重构损失、稀疏惩罚和输入加噪这三件事的前向与梯度。

- 降噪自编码器：输入 $\tilde{x} \sim q(\tilde{x}\mid x)$（随机置零或加高斯噪声），目标仍是干净的 $x$；
- 稀疏自编码器：在损失上加 $\beta\,\Omega(z)$，$\Omega$ 为 $\ell_1$ 范数或 KL 散度（见 ``sparsity_penalty``）。

参数名 ``encoder.0.W`` 等与 torch 版 `nndl_ref.torch.autoencoder` 的 ``encoder.0.weight`` 一一对应。
"""

from __future__ import annotations

import numpy as np

from .._validate import as_float_array, check_choice, check_nonneg, check_positive, check_real, check_rng, check_seed
from . import activations as act
from .layers import Activation, Linear, Sequential
from .optim import Adam
from .train import iterate_minibatches

SPARSITY = (None, "l1", "kl")


# ======================================================================== 重构损失
def reconstruction_loss(x_hat, x):
    r"""重构误差 $\mathcal{L} = \frac{1}{2N}\sum_n \lVert\hat{x}^{(n)} - x^{(n)}\rVert^2$ 及其梯度 $\frac{1}{N}(\hat{x} - x)$。

    书中第 9.1.3 节；站点第 9 章。

    Returns
    -------
    loss : float
    dx_hat : (N, D)

    Examples
    --------
    >>> reconstruction_loss(np.array([[1.0, 2.0]]), np.array([[1.0, 0.0]]))[0]
    2.0
    """
    x_hat = as_float_array(x_hat, "x_hat", ndim=2)
    x = as_float_array(x, "x", ndim=2)
    if x_hat.shape != x.shape:
        raise ValueError(f"x_hat 与 x 的形状应相同 (N, D)，实际为 {x_hat.shape} 与 {x.shape}")
    N = x.shape[0]
    r = x_hat - x
    return 0.5 * float(np.sum(r * r)) / N, r / N


# ======================================================================== 稀疏惩罚
def sparsity_penalty(z, kind: str, weight: float, rho: float = 0.05):
    r"""稀疏惩罚 $\beta\,\Omega(z)$ 及其对编码 $z$ 的梯度。书中第 9.1.4 节；站点第 9 章。

    - ``"l1"``：$\Omega = \frac{1}{N}\sum_n \lVert z^{(n)}\rVert_1$，梯度 $\frac{\beta}{N}\operatorname{sign}(z)$；
    - ``"kl"``：先算每个编码单元在一批样本上的平均激活 $\hat{\rho}_j = \frac{1}{N}\sum_n z^{(n)}_j$（要求
      $z\in(0,1)$，即编码层用 Logistic 激活），再让它接近目标 $\rho$：

    $$\Omega = \sum_{j=1}^K \mathrm{KL}(\rho\,\Vert\,\hat{\rho}_j)
      = \sum_{j=1}^K \rho\log\frac{\rho}{\hat{\rho}_j} + (1-\rho)\log\frac{1-\rho}{1-\hat{\rho}_j}$$

    $$\frac{\partial\,\beta\Omega}{\partial z^{(n)}_j}
      = \frac{\beta}{N}\Big(-\frac{\rho}{\hat{\rho}_j} + \frac{1-\rho}{1-\hat{\rho}_j}\Big)$$

    Returns
    -------
    value : float
    dz : 与 ``z`` 同形状

    Examples
    --------
    >>> z = np.array([[0.1, 0.5], [0.1, 0.3]])
    >>> v, dz = sparsity_penalty(z, "kl", weight=1.0, rho=0.1)   # 第 0 个单元恰为 ρ
    >>> round(v, 4), np.round(dz[:, 0], 12).tolist()
    (0.2263, [0.0, 0.0])
    """
    z = as_float_array(z, "z", ndim=2)
    if kind not in ("l1", "kl"):
        raise ValueError(f"kind 应为 'l1' 或 'kl'，实际为 {kind!r}")
    check_nonneg(weight, "weight（β）")
    N = z.shape[0]
    if kind == "l1":
        return weight * float(np.abs(z).sum()) / N, weight * np.sign(z) / N
    check_real(rho, "rho（目标平均激活）", 0, 1, low_open=True, high_open=True)
    if z.min() <= 0.0 or z.max() >= 1.0:
        raise ValueError("KL 稀疏惩罚要求编码 z 在 (0, 1) 内（编码层用 logistic 激活）；"
                         f"实际范围为 [{z.min():.3g}, {z.max():.3g}]")
    rho_hat = z.mean(axis=0)                                       # ρ̂_j，(K,)
    kl = rho * np.log(rho / rho_hat) + (1 - rho) * np.log((1 - rho) / (1 - rho_hat))
    drho = weight * (-rho / rho_hat + (1 - rho) / (1 - rho_hat))    # ∂βΩ/∂ρ̂_j
    return weight * float(kl.sum()), np.broadcast_to(drho / N, z.shape).copy()   # ρ̂ 是均值：再除以 N


# ======================================================================== 输入加噪
def corrupt(x, rng: np.random.Generator, kind: str = "mask", level: float = 0.3):
    r"""降噪自编码器的加噪 $\tilde{x} \sim q(\tilde{x}\mid x)$。书中第 9.1.6 节；站点第 9 章。

    - ``"mask"``：每个分量以概率 ``level`` 置为 0（掩蔽噪声，Vincent et al. 2008）；
    - ``"gaussian"``：$\tilde{x} = x + \sigma\epsilon$，$\epsilon\sim\mathcal{N}(0, I)$，$\sigma$ = ``level``。

    Examples
    --------
    >>> x = np.ones((2, 1000))
    >>> round(float(1 - corrupt(x, np.random.default_rng(0), "mask", 0.3).mean()), 2)
    0.3
    """
    x = as_float_array(x, "x", ndim=2)
    check_rng(rng)
    _check_noise(kind, level)
    if kind == "mask":
        return x * (rng.random(x.shape) >= level)
    return x + level * rng.standard_normal(x.shape)


def _check_noise(kind: str, level: float) -> None:
    check_choice(kind, "kind", ("mask", "gaussian"))
    if kind == "mask":
        check_real(level, "掩蔽噪声的 level（置零概率）", 0, 1, high_open=True)
    else:
        check_nonneg(level, "高斯噪声的 level（标准差）")


# ======================================================================== 自编码器
def _stack(sizes, activation, last_activation, rng, init):
    layers = []
    for i, (d_in, d_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(Linear(d_in, d_out, rng, init=init))
        name = activation if i < len(sizes) - 2 else last_activation
        if name is not None:
            layers.append(Activation(name))
    return Sequential(*layers)


class Autoencoder:
    r"""全连接自编码器：编码器 $D \to H_1 \to \dots \to K$，解码器镜像 $K \to \dots \to H_1 \to D$。

    书中第 9.1.3–9.1.6 节；站点第 9 章。

    Parameters
    ----------
    n_in : int
        输入维数 $D$。
    n_code : int
        编码维数 $K$。
    hidden : tuple of int
        编码器的隐藏层宽度（解码器倒过来用）；``()`` 表示单层编码器与解码器。
    activation : str
        隐藏层激活函数名（见 `nndl_ref.numpy.activations`）。
    code_activation, out_activation : str or None
        编码层与输出层的激活；``None`` 表示线性。稀疏惩罚 ``"kl"`` 需要 ``code_activation="logistic"``。
    sparsity : None, "l1" or "kl"
        稀疏惩罚；``sparsity_weight`` 是 $\beta$，``sparsity_target`` 是 KL 的 $\rho$。
    seed : int
        初始化权重的随机种子（Xavier 初始化）。

    Examples
    --------
    >>> ae = Autoencoder(6, 2, hidden=(4,), seed=0)
    >>> X = np.random.default_rng(0).random((5, 6))
    >>> ae.encode(X).shape, ae.forward(X).shape
    ((5, 2), (5, 6))
    >>> loss, grads = ae.loss_and_grads(X)
    >>> sorted(grads)[:2]
    ['decoder.0.W', 'decoder.0.b']
    """

    def __init__(self, n_in: int, n_code: int, hidden: tuple = (), activation: str = "tanh",
                 code_activation: str | None = None, out_activation: str | None = None,
                 sparsity: str | None = None, sparsity_weight: float = 1e-3, sparsity_target: float = 0.05,
                 seed: int = 0, init: str = "xavier"):
        check_positive(n_in, "n_in", integer=True)
        check_positive(n_code, "n_code", integer=True)
        if not isinstance(hidden, (tuple, list)):
            raise TypeError(f"hidden 应为隐藏层宽度的元组，如 (32,)，实际为 {hidden!r}")
        for h in hidden:
            check_positive(h, "hidden 中的宽度", integer=True)
        for name in (activation, code_activation, out_activation):
            if name is not None:
                act.get(name)                                       # 名字不对时立即报错
        if sparsity not in SPARSITY:
            raise ValueError(f"sparsity 应为 None、'l1' 或 'kl'，实际为 {sparsity!r}")
        if sparsity == "kl" and code_activation not in ("logistic", "sigmoid"):
            raise ValueError("sparsity='kl' 要求编码在 (0, 1) 内：请设 code_activation='logistic'")
        check_nonneg(sparsity_weight, "sparsity_weight")
        check_real(sparsity_target, "sparsity_target（目标平均激活）", 0, 1, low_open=True, high_open=True)
        check_choice(init, "init", ("he", "xavier", "normal"))
        rng = np.random.default_rng(check_seed(seed))
        sizes = (n_in, *hidden, n_code)
        self.encoder = _stack(sizes, activation, code_activation, rng, init)
        self.decoder = _stack(sizes[::-1], activation, out_activation, rng, init)
        self.n_in, self.n_code = n_in, n_code
        self.sparsity, self.sparsity_weight, self.sparsity_target = sparsity, sparsity_weight, sparsity_target

    def params(self) -> dict:
        """``{"encoder.0.W": …, "decoder.2.b": …}``，值是各层数组本身。"""
        return {**{f"encoder.{k}": v for k, v in self.encoder.params().items()},
                **{f"decoder.{k}": v for k, v in self.decoder.params().items()}}

    def grads(self) -> dict:
        return {**{f"encoder.{k}": v for k, v in self.encoder.grads().items()},
                **{f"decoder.{k}": v for k, v in self.decoder.grads().items()}}

    def _check_x(self, X):
        X = as_float_array(X, "X", ndim=2)
        if X.shape[1] != self.n_in:
            raise ValueError(f"X 应有 D={self.n_in} 列，实际形状为 {X.shape}")
        return X

    def encode(self, X):
        """编码 $z = f(x)$：(N, D) → (N, K)。"""
        return self.encoder.forward(self._check_x(X))

    def decode(self, Z):
        """解码 $\\hat{x} = g(z)$：(N, K) → (N, D)。"""
        Z = as_float_array(Z, "Z", ndim=2)
        if Z.shape[1] != self.n_code:
            raise ValueError(f"Z 应有 K={self.n_code} 列，实际形状为 {Z.shape}")
        return self.decoder.forward(Z)

    def forward(self, X):
        return self.decode(self.encode(X))

    def loss_and_grads(self, X, target=None):
        r"""重构损失（加稀疏惩罚）与全部参数的梯度。

        ``X`` 是编码器的输入，``target`` 是重构的目标（默认就是 ``X``；降噪自编码器传入加噪的
        $\tilde{x}$ 与干净的 $x$）。反向：$\partial\mathcal{L}/\partial\hat{x}$ 经解码器传到编码 $z$，
        在那里加上稀疏惩罚的梯度，再经编码器传回。

        Returns
        -------
        loss : float
        grads : dict，键同 ``params()``（新数组，不随下一次调用改变）
        """
        X = self._check_x(X)
        target = X if target is None else self._check_x(target)
        if target.shape != X.shape:
            raise ValueError(f"target 的形状应与 X 相同 {X.shape}，实际为 {target.shape}")
        with self.encoder.keep_caches_on_error(), self.decoder.keep_caches_on_error():
            z = self.encoder.forward(X)                             # (N, K)
            x_hat = self.decoder.forward(z)                         # (N, D)
            loss, dx_hat = reconstruction_loss(x_hat, target)
            if self.sparsity is not None:                           # 编码饱和（恰为 0 或 1）时 KL 惩罚报错：
                penalty, dpen = sparsity_penalty(z, self.sparsity, self.sparsity_weight, self.sparsity_target)
                loss += penalty                                     # 缓存恢复原样，梯度还没清零
        self.encoder.zero_grad()
        self.decoder.zero_grad()
        dz = self.decoder.backward(dx_hat)                          # ∂L/∂z，(N, K)
        if self.sparsity is not None:
            dz = dz + dpen                                          # 惩罚项直接作用在编码上
        self.encoder.backward(dz)
        return loss, {k: v.copy() for k, v in self.grads().items()}

    def reconstruction_error(self, X, target=None) -> float:
        """平均重构误差 $\\frac{1}{2N}\\sum_n\\lVert\\hat{x}^{(n)}-x^{(n)}\\rVert^2$（不含稀疏惩罚）。"""
        X = self._check_x(X)
        target = X if target is None else self._check_x(target)
        return reconstruction_loss(self.forward(X), target)[0]


def fit(model: Autoencoder, X, *, epochs: int = 50, lr: float = 1e-2, batch_size: int = 64, seed: int = 0,
        noise: str | None = None, noise_level: float = 0.3) -> list[float]:
    r"""用 Adam 小批量训练自编码器，返回每个 epoch 的平均训练损失。书中第 9.1 节；站点第 9 章。

    ``noise`` 为 ``"mask"`` 或 ``"gaussian"`` 时训练降噪自编码器：每个小批量重新加一次噪声
    ``corrupt(x, rng, noise, noise_level)`` 作为输入，目标是干净的 $x$。
    """
    if not isinstance(model, Autoencoder):
        raise TypeError(f"model 应为 Autoencoder，实际得到 {type(model).__name__}")
    X = model._check_x(X)
    check_positive(epochs, "epochs", integer=True)
    check_positive(batch_size, "batch_size", integer=True)
    if noise is not None:
        _check_noise(noise, noise_level)
    rng = np.random.default_rng(check_seed(seed))
    opt = Adam(model.params(), lr=lr)
    history = []
    for _ in range(epochs):
        total = 0.0
        for idx in iterate_minibatches(X.shape[0], batch_size, rng):
            x = X[idx]
            x_in = x if noise is None else corrupt(x, rng, noise, noise_level)
            loss, grads = model.loss_and_grads(x_in, x)
            opt.step(grads)
            total += loss * len(idx)
        history.append(total / X.shape[0])
    return history


# ======================================================================== 线性自编码器与 PCA
def pca(X, k: int):
    r"""主成分分析：数据协方差矩阵最大的 $k$ 个特征向量。书中第 9.1.1 节；站点第 9 章。

    对中心化的数据 $\tilde{X} = X - \bar{x}^\top$ 做奇异值分解 $\tilde{X} = U\Sigma V^\top$，
    主成分是 $V$ 的前 $k$ 列（协方差 $\frac{1}{N}\tilde{X}^\top\tilde{X}$ 的特征向量）。

    Returns
    -------
    mean : (D,)
    components : (k, D)
        每行一个主成分（单位向量），按方差从大到小。
    explained_variance : (k,)
        各主成分方向上的方差 $\sigma_i^2 / N$。

    Examples
    --------
    >>> X = np.array([[0.0, 0.0], [2.0, 0.0], [4.0, 0.1]])
    >>> _, comps, _ = pca(X, 1)
    >>> np.round(np.abs(comps), 2)
    array([[1.  , 0.02]])
    """
    X = as_float_array(X, "X", ndim=2)
    check_positive(k, "k", integer=True)
    if k > min(X.shape):
        raise ValueError(f"k 应不超过 min(N, D) = {min(X.shape)}，实际为 {k}")
    mean = X.mean(axis=0)
    _, s, Vt = np.linalg.svd(X - mean, full_matrices=False)        # X̃ = U Σ Vᵀ
    return mean, Vt[:k], s[:k] ** 2 / X.shape[0]


def subspace_angles(A, B) -> np.ndarray:
    r"""两组列向量张成的子空间之间的主角（principal angles，弧度，从小到大）。

    把 $A$、$B$ 正交化为 $Q_A$、$Q_B$，$Q_A^\top Q_B$ 的奇异值就是各主角的余弦。最大主角为 0
    当且仅当两个子空间相同。用来检查线性自编码器的解码器权重是否张成了主成分子空间。站点第 9 章。

    小角度时 $\arccos$ 不准（$\cos\theta = 1 - 10^{-16}$ 对应 $\theta \approx 10^{-8}$），这时改用
    $(I - Q_A Q_A^\top)Q_B$ 的奇异值（各主角的正弦）求角度，与 ``scipy.linalg.subspace_angles`` 的做法相同。
    返回 $\min(k_A, k_B)$ 个角。

    Examples
    --------
    >>> A = np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]])
    >>> np.degrees(subspace_angles(A, A @ np.array([[2.0, 1.0], [1.0, 3.0]]))).round(6).tolist()
    [0.0, 0.0]
    """
    A = as_float_array(A, "A", ndim=2)
    B = as_float_array(B, "B", ndim=2)
    if A.shape[0] != B.shape[0]:
        raise ValueError(f"A 与 B 的行数（所在空间的维数）应相同，实际为 {A.shape} 与 {B.shape}")
    if A.shape[1] < B.shape[1]:
        A, B = B, A                                                # 让 B 的列数不多于 A
    Qa, _ = np.linalg.qr(A)
    Qb, _ = np.linalg.qr(B)
    cos = np.linalg.svd(Qa.T @ Qb, compute_uv=False)               # 从大到小：对应的角从小到大
    sin = np.sort(np.linalg.svd(Qb - Qa @ (Qa.T @ Qb), compute_uv=False))   # 从小到大
    angles = np.where(cos ** 2 >= 0.5, np.arcsin(np.clip(sin, 0.0, 1.0)), np.arccos(np.clip(cos, -1.0, 1.0)))
    return np.sort(angles)


__all__ = ["reconstruction_loss", "sparsity_penalty", "corrupt", "Autoencoder", "fit", "pca", "subspace_angles"]
