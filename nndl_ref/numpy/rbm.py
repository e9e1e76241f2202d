r"""受限玻尔兹曼机（NumPy 从零实现）：二值单元、能量与自由能、吉布斯采样、对比散度 CD-$k$。

对应书中第 12.1–12.2 节（玻尔兹曼机、受限玻尔兹曼机）；站点页面：`docs/ch09-unsupervised/index.md`。

可见层 $v\in\{0,1\}^{D}$，隐藏层 $h\in\{0,1\}^{K}$，层内没有连接。权重 ``W`` 按（隐藏, 可见）即 (K, D)
存放，与 ``Linear`` 的（输出, 输入）约定相同；``a`` 是可见层偏置 (D,)，``b`` 是隐藏层偏置 (K,)。

$$E(v, h) = -a^\top v - b^\top h - h^\top W v, \qquad p(v, h) = \frac{1}{Z}\exp\big(-E(v, h)\big)$$

因为层内无连接，给定一层时另一层的各单元条件独立：

$$p(h_j = 1 \mid v) = \sigma\big(b_j + W_{j,:}\,v\big), \qquad
  p(v_i = 1 \mid h) = \sigma\big(a_i + W_{:,i}^\top h\big)$$

把 $h$ 求和消去得到**自由能** $F(v)$，$p(v) = \exp(-F(v))/Z$：

$$F(v) = -a^\top v - \sum_{j=1}^K \log\Big(1 + \exp\big(b_j + W_{j,:}\,v\big)\Big)$$

对数似然的梯度是"数据期望减模型期望"：

$$\frac{\partial \log p(v)}{\partial \theta}
  = -\frac{\partial F(v)}{\partial \theta} + \mathbb{E}_{v'\sim p}\Big[\frac{\partial F(v')}{\partial \theta}\Big]$$

模型期望要对 $2^D$ 个状态求和，算不起；CD-$k$ 从数据 $v^{(0)}$ 出发跑 $k$ 步吉布斯采样得到 $v^{(k)}$，
用它代替模型样本。torch 版：`nndl_ref.torch.rbm`（梯度由 autograd 对自由能之差求出）。
"""

from __future__ import annotations

import itertools

import numpy as np

from .._validate import as_float_array, check_positive, check_rng, check_seed
from .losses import sigmoid, softplus
from .optim import SGD
from .train import iterate_minibatches

MAX_ENUM = 20
"""精确计算配分函数时允许枚举的最大单元数（$2^{20}$ 个状态）。"""


class RBM:
    r"""二值受限玻尔兹曼机。书中第 12.2 节；站点第 9 章。

    Parameters
    ----------
    n_visible, n_hidden : int
        $D$ 与 $K$。
    weight_scale : float
        权重初始化 $\mathcal{N}(0, s^2)$ 的标准差（Hinton 2010 建议 0.01）；偏置初始化为 0。
    seed : int

    Examples
    --------
    >>> rbm = RBM(4, 3, seed=0)
    >>> v = np.array([[1.0, 0.0, 1.0, 1.0]])
    >>> rbm.prob_h(v).shape, rbm.free_energy(v).shape
    ((1, 3), (1,))
    """

    def __init__(self, n_visible: int, n_hidden: int, weight_scale: float = 0.01, seed: int = 0):
        check_positive(n_visible, "n_visible", integer=True)
        check_positive(n_hidden, "n_hidden", integer=True)
        check_positive(weight_scale, "weight_scale")
        rng = np.random.default_rng(check_seed(seed))
        self.W = weight_scale * rng.standard_normal((n_hidden, n_visible))   # (K, D)
        self.a = np.zeros(n_visible)                                         # 可见层偏置
        self.b = np.zeros(n_hidden)                                          # 隐藏层偏置

    @property
    def n_visible(self) -> int:
        return self.W.shape[1]

    @property
    def n_hidden(self) -> int:
        return self.W.shape[0]

    def params(self) -> dict:
        return {"W": self.W, "a": self.a, "b": self.b}

    # ------------------------------------------------------------------ 检查
    def _v(self, v, name="v"):
        v = as_float_array(v, name, ndim=2)
        if v.shape[1] != self.n_visible:
            raise ValueError(f"{name} 应为 (N, D) 且 D={self.n_visible}，实际形状为 {v.shape}")
        if v.size and (v.min() < 0 or v.max() > 1):
            raise ValueError(f"{name} 的取值应在 [0, 1] 内（二值单元或其概率），实际范围为 [{v.min()}, {v.max()}]")
        return v

    def _h(self, h, name="h"):
        h = as_float_array(h, name, ndim=2)
        if h.shape[1] != self.n_hidden:
            raise ValueError(f"{name} 应为 (N, K) 且 K={self.n_hidden}，实际形状为 {h.shape}")
        return h

    # ------------------------------------------------------------------ 能量
    def energy(self, v, h):
        r"""$E(v, h) = -a^\top v - b^\top h - h^\top W v$，逐样本，返回 (N,)。"""
        v, h = self._v(v), self._h(h)
        if v.shape[0] != h.shape[0]:
            raise ValueError(f"v 与 h 的样本数 N 应相同，实际形状为 {v.shape} 与 {h.shape}")
        return -(v @ self.a) - (h @ self.b) - np.sum((h @ self.W) * v, axis=1)

    def free_energy(self, v):
        r"""$F(v) = -a^\top v - \sum_j \operatorname{softplus}(b_j + W_{j,:}v)$，返回 (N,)。书中第 12.2 节；站点第 9 章。"""
        v = self._v(v)
        return -(v @ self.a) - softplus(v @ self.W.T + self.b).sum(axis=1)

    # ------------------------------------------------------------------ 条件分布与采样
    def prob_h(self, v):
        r"""$p(h_j = 1\mid v) = \sigma(b_j + W_{j,:}v)$：(N, D) → (N, K)。"""
        return sigmoid(self._v(v) @ self.W.T + self.b)

    def prob_v(self, h):
        r"""$p(v_i = 1\mid h) = \sigma(a_i + W_{:,i}^\top h)$：(N, K) → (N, D)。"""
        return sigmoid(self._h(h) @ self.W + self.a)

    def gibbs(self, v, k: int, rng: np.random.Generator):
        r"""从 $v$ 出发做 $k$ 步块吉布斯采样 $v \to h \sim p(h\mid v) \to v \sim p(v\mid h)$，返回 $v^{(k)}$。"""
        check_positive(k, "k", integer=True)
        check_rng(rng)
        v = self._v(v)
        for _ in range(k):
            h = (rng.random((v.shape[0], self.n_hidden)) < self.prob_h(v)).astype(np.float64)
            v = (rng.random(v.shape) < self.prob_v(h)).astype(np.float64)
        return v

    # ------------------------------------------------------------------ 梯度
    def free_energy_grads(self, v) -> dict:
        r"""$\frac{1}{N}\sum_n \partial F(v^{(n)})/\partial\theta$：

        $$\frac{\partial F}{\partial W} = -\hat{h}\,v^\top, \qquad \frac{\partial F}{\partial a} = -v, \qquad
          \frac{\partial F}{\partial b} = -\hat{h}, \qquad \hat{h} = p(h = 1\mid v)$$
        """
        v = self._v(v)
        N = v.shape[0]
        ph = self.prob_h(v)                                         # ĥ，(N, K)
        return {"W": -(ph.T @ v) / N, "a": -v.mean(axis=0), "b": -ph.mean(axis=0)}

    def cd_grads(self, v0, vk) -> dict:
        r"""负对数似然梯度的 CD 估计：数据项减负样本项。书中第 12.2.2 节；站点第 9 章。

        $$\Delta\theta = \frac{1}{N}\sum_n \frac{\partial F(v^{(0,n)})}{\partial\theta}
          - \frac{1}{N}\sum_n \frac{\partial F(v^{(k,n)})}{\partial\theta}$$

        即 $\partial/\partial W = -\big(\langle \hat{h} v^\top\rangle_{\text{数据}} - \langle \hat{h} v^\top\rangle_{\text{负样本}}\big)$。
        它恰好是 $\frac{1}{N}\sum F(v^{(0)}) - \frac{1}{N}\sum F(v^{(k)})$ 对参数的梯度（把 $v^{(k)}$ 当常数），
        沿它的负方向走一步就是 Hinton 的更新规则 $W \leftarrow W + \eta(\langle hv^\top\rangle_0 - \langle hv^\top\rangle_k)$。
        """
        g0, gk = self.free_energy_grads(v0), self.free_energy_grads(vk)
        return {k: g0[k] - gk[k] for k in g0}

    def contrastive_divergence(self, v0, k: int, rng: np.random.Generator):
        r"""CD-$k$：从数据出发采样 $k$ 步，返回 ``(重构误差, 梯度)``，梯度的键同 ``params()``。

        重构误差 $\frac{1}{N}\sum_n\lVert v^{(n)} - p(v\mid \hat{h}^{(n)})\rVert^2$ 只用来监视训练，不是优化的目标。
        """
        v0 = self._v(v0, "v0")
        vk = self.gibbs(v0, k, rng)
        recon = self.prob_v(self.prob_h(v0))
        err = float(np.sum((v0 - recon) ** 2)) / v0.shape[0]
        return err, self.cd_grads(v0, vk)

    # ------------------------------------------------------------------ 精确计算（小模型）
    def log_partition(self) -> float:
        r"""精确的 $\log Z$：枚举较小的一层。只对 $\min(D, K) \le 20$ 的小模型可行。

        枚举隐藏层时 $\log Z = \log\sum_h \exp\big(b^\top h + \sum_i \operatorname{softplus}(a_i + W_{:,i}^\top h)\big)$。
        """
        D, K = self.n_visible, self.n_hidden
        if min(D, K) > MAX_ENUM:
            raise ValueError(f"精确的 log Z 需要枚举 2^min(D, K) 个状态；min(D, K) = {min(D, K)} 超过了 {MAX_ENUM}")
        if K <= D:
            H = np.array(list(itertools.product((0.0, 1.0), repeat=K)))          # (2^K, K)
            s = H @ self.b + softplus(H @ self.W + self.a).sum(axis=1)
        else:
            s = -self.free_energy(np.array(list(itertools.product((0.0, 1.0), repeat=D))))
        m = s.max()
        return float(m + np.log(np.exp(s - m).sum()))

    def log_likelihood(self, v):
        r"""精确的 $\log p(v) = -F(v) - \log Z$（小模型），返回 (N,)。"""
        return -self.free_energy(v) - self.log_partition()

    def exact_nll_grads(self, v) -> dict:
        r"""平均负对数似然 $-\frac{1}{N}\sum_n\log p(v^{(n)})$ 的精确梯度（枚举全部 $2^D$ 个可见状态）。

        $= \langle\partial F/\partial\theta\rangle_{\text{数据}} - \sum_{v'} p(v')\,\partial F(v')/\partial\theta$，
        用来检验 CD 估计的方向。要求 $D \le 20$。
        """
        if self.n_visible > MAX_ENUM:
            raise ValueError(f"枚举可见层需要 D ≤ {MAX_ENUM}，实际 D = {self.n_visible}")
        V = np.array(list(itertools.product((0.0, 1.0), repeat=self.n_visible)))   # (2^D, D)
        p = np.exp(-self.free_energy(V) - self.log_partition())                  # p(v')
        ph = self.prob_h(V)
        model = {"W": -(ph * p[:, None]).T @ V, "a": -(p @ V), "b": -(p @ ph)}
        data = self.free_energy_grads(v)
        return {k: data[k] - model[k] for k in data}


def fit(rbm: RBM, X, *, epochs: int = 20, lr: float = 0.05, batch_size: int = 32, k: int = 1,
        momentum: float = 0.5, seed: int = 0) -> list[float]:
    r"""用 CD-$k$ 与带动量的 SGD 训练 RBM，返回每个 epoch 的平均重构误差。书中第 12.2.2 节；站点第 9 章。"""
    if not isinstance(rbm, RBM):
        raise TypeError(f"rbm 应为 RBM，实际得到 {type(rbm).__name__}")
    X = rbm._v(X, "X")
    check_positive(epochs, "epochs", integer=True)
    check_positive(batch_size, "batch_size", integer=True)
    check_positive(k, "k", integer=True)
    rng = np.random.default_rng(check_seed(seed))
    opt = SGD(rbm.params(), lr=lr, momentum=momentum)
    history = []
    for _ in range(epochs):
        total = 0.0
        for idx in iterate_minibatches(X.shape[0], batch_size, rng):
            err, grads = rbm.contrastive_divergence(X[idx], k, rng)
            opt.step(grads)                                       # θ ← θ − η·(CD 梯度)
            total += err * len(idx)
        history.append(total / X.shape[0])
    return history


__all__ = ["RBM", "fit", "MAX_ENUM"]
