"""第 6–9 章与附录（术语表、符号表、性能基准）正文里的说法：库的行为、数学条件、引用的表格数字。

每个测试对应页面上的一句话（测试里的注释写明页面与小节）。说法一旦不再成立（库升级、基准重跑、代码改动），
对应的测试就失败，提醒去改正文。代码片段能直接算出的数字，断言写在片段文件的末尾（页面不显示）。
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch

RESULTS = Path(__file__).resolve().parents[1] / "benchmarks" / "results"


def _records(name: str) -> list[dict]:
    return json.loads((RESULTS / f"{name}.json").read_text(encoding="utf-8"))


def _value(name: str, row: str, column: str) -> dict:
    hits = [r for r in _records(name) if r["row"] == row and r["column"] == column]
    assert len(hits) == 1, (name, row, column, hits)
    return hits[0]


# ======================================================================== 第 6 章
def test_torch_rnn_is_time_first_by_default():
    # 6.2 节："x 的形状是 (T, B, D)（与 torch.nn.RNN 的默认相同）"
    rnn = torch.nn.RNN(3, 4)
    assert rnn.batch_first is False
    out, h_n = rnn(torch.zeros(5, 2, 3))
    assert out.shape == (5, 2, 4) and h_n.shape == (1, 2, 4)


def test_torch_clip_grad_norm_adds_1e_6_to_the_denominator():
    # 6.5 节："clip_grad_norm 与 torch.nn.utils.clip_grad_norm_ 的公式相同（分母里都加了 10⁻⁶）"
    from nndl_ref.numpy.rnn import clip_grad_norm

    g = np.array([3.0, 4.0])                                       # 范数 5
    p = torch.nn.Parameter(torch.zeros(2, dtype=torch.float64))
    p.grad = torch.from_numpy(g.copy())
    total = torch.nn.utils.clip_grad_norm_([p], max_norm=1.0)
    assert total.item() == pytest.approx(5.0)
    np.testing.assert_allclose(p.grad.numpy(), g * 1.0 / (5.0 + 1e-6), rtol=1e-15)
    ours = {"g": g.copy()}
    assert clip_grad_norm(ours, max_norm=1.0) == pytest.approx(5.0)
    np.testing.assert_allclose(ours["g"], p.grad.numpy(), rtol=1e-15)


def test_gated_gradient_caption():
    # 6.6.1 节插图的说明："简单循环网络和遗忘门偏置为 0 的 LSTM，梯度在 100 步里衰减到 1e-20 以下；
    # 遗忘门接近 1 的 LSTM、更新门接近 1 的 GRU，梯度传回 100 步以前"
    from nndl_ref.figures.ch06 import gradient_curves_gated

    c = gradient_curves_gated()
    assert c["简单循环网络（tanh）"][0] < 1e-20 and c["LSTM，b_f = 0"][0] < 1e-20
    assert c["LSTM，b_f = 3"][0] > 1e-3 and c["GRU，b_z = 3"][0] > 1e-3


def test_char_lm_split_and_validation_window(monkeypatch):
    # 6.9.1 节："每步从训练文本（前 90%）里随机取 32 段、每段 65 个字符……验证文本（后 10%；
    # 为了省时间，只用它的前 1 万个字符）上的困惑度"
    from nndl_ref.data_text import CharVocab, load_python_docs
    from nndl_ref.torch import rnn as TR

    text = load_python_docs()
    ids = CharVocab(text).encode(text)
    seen = []
    monkeypatch.setattr(TR, "perplexity", lambda model, val: seen.append(np.asarray(val)) or 1.0)
    TR.train_char_lm(text, hidden_size=8, steps=1, eval_every=1)
    split = int(0.9 * len(ids))
    assert len(seen) == 1 and len(seen[0]) == 10_000
    np.testing.assert_array_equal(seen[0], ids[split:split + 10_000])


def test_mnist1d_gru_sentence_matches_the_benchmark_table():
    # 6.9.2 节："MNIST-1D 总表里，这个设置在 3 个随机种子下的平均测试准确率约 96%（标准差不到 1 个百分点），
    # 高于论文的 91%（论文的 GRU 每个方向只有 6 维、5,134 个参数）"
    row = "GRU（双向，隐状态 64；第 6 章的设置：余弦退火、梯度截断）"
    r = _value("mnist1d", row, "PyTorch")
    assert round(r["value"]) == 96 and r["std"] < 1.0, r
    assert _value("mnist1d", row, "论文")["value"] == 91.0
    # 论文的 GRU（Greydanus 2020 的 models.py）：双向、隐状态 6，把 40 个时刻的输出全部展平后接线性层
    gru = torch.nn.GRU(1, 6, bidirectional=True)
    head = torch.nn.Linear(2 * 6 * 40, 10)
    assert sum(p.numel() for m in (gru, head) for p in m.parameters()) == 5134


def test_lstm_benchmark_table_uses_the_native_kernel():
    # 第 6 章末"速度"一节：make bench 去掉 OPENBLAS_CORETYPE，NumPy 用 CPU 支持的内核，单线程对单线程的比值约 1.5
    # （设置 OPENBLAS_CORETYPE=Haswell 时约 2）
    assert all(r["blas_kernel"] != "Haswell" for r in _records("rnn"))
    r = _value("rnn", "快速版 `rnn_fast.lstm_forward_fast/backward_fast`", "NumPy ÷ PyTorch")
    assert " · 1 · 1 · " in r["compared"] and 1.3 <= r["value"] <= 1.7, r


# ======================================================================== 第 7 章
def test_stationary_point_all_eigenvalues_nonnegative_is_necessary_not_sufficient():
    # 7.1 节："一个驻点要成为局部极小值，Hessian 的特征值必须全都非负（必要条件；全都为正则足以保证
    # 它是严格的局部极小值，特征值有 0 时要看更高阶的项）"
    def hessian(f, p, h=1e-4):
        H = np.empty((2, 2))
        for i in range(2):
            for j in range(2):
                e_i, e_j = np.eye(2)[i] * h, np.eye(2)[j] * h
                H[i, j] = (f(p + e_i + e_j) - f(p + e_i - e_j) - f(p - e_i + e_j) + f(p - e_i - e_j)) / (4 * h * h)
        return H

    origin = np.zeros(2)
    grid = np.random.default_rng(0).uniform(-0.1, 0.1, (1000, 2))
    minimum = lambda p: p[0] ** 4 + p[1] ** 2            # noqa: E731  原点是极小值
    not_minimum = lambda p: p[0] ** 3 + p[1] ** 2        # noqa: E731  原点不是极小值
    for f, is_min in ((minimum, True), (not_minimum, False)):
        eig = np.linalg.eigvalsh(hessian(f, origin))
        np.testing.assert_allclose(eig, [0.0, 2.0], atol=1e-6)   # 两个函数在原点的 Hessian 相同：非负、不全为正
        assert bool(np.all([f(p) >= f(origin) for p in grid])) == is_min
    # 有一个负特征值时一定不是极小值（鞍点 x² − y²）
    saddle = lambda p: p[0] ** 2 - p[1] ** 2             # noqa: E731
    assert np.linalg.eigvalsh(hessian(saddle, origin)).min() < 0
    assert saddle(np.array([0.0, 1e-3])) < saddle(origin)


def test_torch_xavier_does_not_apply_the_tanh_gain_by_itself():
    # 7.3 节："torch 的 xavier_* 默认 gain=1……配 Tanh 时可以自己传入 gain=calculate_gain("tanh")（即 5/3）"
    import inspect

    assert inspect.signature(torch.nn.init.xavier_uniform_).parameters["gain"].default == 1.0
    assert inspect.signature(torch.nn.init.xavier_normal_).parameters["gain"].default == 1.0
    assert torch.nn.init.calculate_gain("tanh") == pytest.approx(5 / 3)
    torch.manual_seed(0)
    fan_out, fan_in = 400, 600
    w = torch.nn.init.xavier_uniform_(torch.empty(fan_out, fan_in, dtype=torch.float64))
    w_tanh = torch.nn.init.xavier_uniform_(torch.empty(fan_out, fan_in, dtype=torch.float64),
                                           gain=torch.nn.init.calculate_gain("tanh"))
    assert w.var().item() == pytest.approx(2 / (fan_in + fan_out), rel=0.02)
    assert w_tanh.var().item() == pytest.approx(25 / 9 * 2 / (fan_in + fan_out), rel=0.02)


def test_torch_rmsprop_calls_beta_alpha_with_default_0_99():
    # 7.2.4 节："torch 里 β 叫 alpha，默认 0.99"
    opt = torch.optim.RMSprop([torch.nn.Parameter(torch.zeros(1))])
    assert opt.defaults["alpha"] == 0.99


# ======================================================================== 第 8 章
def test_numpy_fancy_index_add_does_not_accumulate_repeated_rows():
    # 8.9 节："同一个词出现几次就加几次，所以要用 np.add.at 而不是 dE[ids] += G"
    ids = np.array([1, 3, 1])
    G = np.ones((3, 2))
    wrong = np.zeros((5, 2))
    wrong[ids] += G                                      # 重复的下标只加一次
    right = np.zeros((5, 2))
    np.add.at(right, ids, G)
    assert wrong[1, 0] == 1.0 and right[1, 0] == 2.0


def test_mlstm_matrix_memory_is_d_v_by_d():
    # 符号表第 8 章：mLSTM 的矩阵记忆 C_t 的形状是 (d_v, d)——C_t = Σ i·v kᵀ，读出 C_t q_t 是 d_v 维
    from nndl_ref.numpy.ssm import mlstm_recurrent

    rng = np.random.default_rng(0)
    T, d, d_v = 6, 3, 5
    q, k = rng.normal(size=(2, T, d))
    v = rng.normal(size=(T, d_v))
    i_pre, f_pre = rng.normal(size=(2, T)) * 0.5
    ks = k / np.sqrt(d)                                   # mlstm_recurrent 内部把 k 除以 √d
    C, n = np.zeros((d_v, d)), np.zeros(d)
    h = np.empty((T, d_v))
    for t in range(T):                                    # 不带稳定器的定义式（门的数值不大，不会上溢）
        i_t, f_t = np.exp(i_pre[t]), 1 / (1 + np.exp(-f_pre[t]))
        C = f_t * C + i_t * np.outer(v[t], ks[t])         # (d_v, d)
        n = f_t * n + i_t * ks[t]
        h[t] = C @ q[t] / max(abs(n @ q[t]), 1.0)
    np.testing.assert_allclose(mlstm_recurrent(q, k, v, i_pre, f_pre), h, rtol=1e-12)


@pytest.mark.parametrize("kw, T, n_params", [
    ({}, 9, 18_058),
    ({"patch": 4, "stride": 4}, 10, 17_962),
    ({"patch": 4, "stride": 2}, 19, 18_250),
    ({"patch": 4, "stride": 4, "D": 64, "F_": 128}, 10, 68_682),
    ({"patch": 1, "stride": 1}, 40, 18_826),
    ({"positional": "sinusoidal"}, 9, 17_770),
    ({"num_layers": 1}, 9, 9_514),
])
def test_mnist1d_transformer_table_parameter_counts(kw, T, n_params):
    # 8.8.1 节的设置对照表：词元数与参数个数；正文"把模型加宽到 D=64（参数约为原来的 3.8 倍）"
    from nndl_ref.torch.transformer import MNIST1DTransformer

    model = MNIST1DTransformer(**kw)
    assert sum(p.numel() for p in model.parameters()) == n_params
    assert (40 - kw.get("patch", 8)) // kw.get("stride", 4) + 1 == T
    assert round(68_682 / 17_962, 1) == 3.8


def test_overlapping_patches_contain_every_short_window():
    # 8.8.1 节："重叠一半时（片段长 8、步长 4），任何不超过 5 个点的局部模式总能完整地落在某个片段里"
    L, P, S = 40, 8, 4
    starts = range(0, L - P + 1, S)

    def covered(w):
        return all(any(s <= a and a + w <= s + P for s in starts) for a in range(L - w + 1))

    assert covered(5) and not covered(6)


# ======================================================================== 第 9 章
def test_principal_subspace_is_unique_only_with_an_eigenvalue_gap():
    # 9.4 节："只要协方差矩阵的第 K 与第 K+1 个特征值不相等……线性自编码器的最优解就必然满足：
    # W_dec 的列张成前 K 个主成分的子空间"。特征值相等时，不同的子空间重构误差一样小
    rng = np.random.default_rng(0)
    Q, _ = np.linalg.qr(rng.normal(size=(4, 4)))
    X = rng.normal(size=(4000, 4))
    X = (X - X.mean(0)) / X.std(0)

    def err(basis, Xs):                                   # 投影到 basis（列正交归一）张成的子空间的重构误差
        return 0.5 * np.sum((Xs - Xs @ basis @ basis.T) ** 2) / len(Xs)

    # 构造协方差恰为 diag(3, 2, 2, 1) 的数据（先白化，再按这组标准差缩放）
    L = np.linalg.cholesky(np.cov(X, rowvar=False, bias=True))
    Xw = X @ np.linalg.inv(L).T
    for scales, unique in (([3.0, 2.0, 1.5, 1.0], True), ([3.0, 2.0, 2.0, 1.0], False)):
        Xs = (Xw * np.sqrt(scales)) @ Q.T                 # 主成分方向是 Q 的列，方差是 scales
        K = 2
        best = err(Q[:, :K], Xs)
        other = np.column_stack([Q[:, 0], (Q[:, 1] + Q[:, 2]) / np.sqrt(2)])   # 另一个二维子空间
        assert (err(other, Xs) > best + 1e-9) == unique
        assert err(other, Xs) >= best - 1e-9                 # Eckart–Young：谁也不会比主成分子空间更好


# ======================================================================== 附录：性能基准
def test_benchmark_page_ratio_sentence():
    # 性能基准页："两边线程数相同时，快速版（卷积、LSTM）和注意力（T = 256）的比值在 1 到 2 之间；
    # torch 用 2 个线程而 NumPy 只用 1 个时更大（最高约 2.8）；……可读版慢 3–5 倍"
    ratio = "NumPy ÷ PyTorch"
    same_threads = [_value("conv", "快速版 `conv_fast.conv2d_forward_fast/backward_fast`", ratio),
                    _value("rnn", "快速版 `rnn_fast.lstm_forward_fast/backward_fast`", ratio),
                    _value("rnn", "快速版 `rnn_fast.lstm_forward_fast/backward_fast` #3", ratio),
                    _value("attention", "T = 256", ratio)]
    torch_two = [_value("conv", "快速版 `conv_fast.conv2d_forward_fast/backward_fast` #2", ratio),
                 _value("rnn", "快速版 `rnn_fast.lstm_forward_fast/backward_fast` #2", ratio),
                 _value("attention", "T = 256 #2", ratio)]
    readable = [_value("conv", "可读版 `conv.conv2d_forward/backward`（逐个核位置 einsum）", ratio),
                _value("rnn", "可读版 `rnn.lstm_forward/backward`", ratio)]
    assert all(1.0 <= r["value"] <= 2.0 for r in same_threads), same_threads
    assert round(max(r["value"] for r in torch_two), 1) == 2.8
    assert all(3.0 <= r["value"] <= 5.0 for r in readable), readable


def test_adam_ratio_range_quoted_on_the_benchmark_page():
    # 性能基准页与 optim 表的说明："Adam……NumPy ÷ torch 的比值因此在 0.8 到 1.35 之间（提交的结果 1.34，重跑 0.83）"
    committed = _value("optim", "Adam", "NumPy ÷ torch")["value"]
    row = next(line for line in (RESULTS / "reproduce.md").read_text(encoding="utf-8").splitlines()
               if line.startswith("| optim | Adam | NumPy ÷ torch |"))
    old, new = (float(c) for c in row.split("|")[4:6])
    assert (old, new) == (committed, 0.83) == (1.34, 0.83), row
    assert 0.8 <= min(old, new) and max(old, new) <= 1.35
