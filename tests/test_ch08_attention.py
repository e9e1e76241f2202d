"""第 8 章：注意力——手写反向的梯度检查、与 torch 内置函数对照（float64）、掩码、软查找的极限、错误输入。"""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from nndl_ref.gradcheck import numerical_vjp, rel_error
from nndl_ref.numpy import attention as At
from nndl_ref.torch import attention as TA


def t64(a, grad=False):
    return torch.tensor(np.asarray(a, dtype=np.float64), requires_grad=grad)


# ---------------------------------------------------------------- 缩放点积注意力
@pytest.mark.parametrize("masked", [None, "causal", "padding"])
def test_attention_backward_numerical(rng, masked):
    B, N, M, dk, dv = 2, 4, 4, 3, 5
    Q, K, V = rng.normal(size=(B, N, dk)), rng.normal(size=(B, M, dk)), rng.normal(size=(B, M, dv))
    mask = {None: None, "causal": At.causal_mask(N), "padding": At.padding_mask([2, 4], M, N)}[masked]
    G = rng.normal(size=(B, N, dv))
    _, cache = At.attention_forward(Q, K, V, mask)
    dQ, dK, dV = At.attention_backward(G, cache)
    f = lambda Q_, K_, V_: At.attention_forward(Q_, K_, V_, mask)[0]   # noqa: E731
    assert rel_error(dQ, numerical_vjp(lambda x: f(x, K, V), Q.copy(), G)) < 1e-7
    assert rel_error(dK, numerical_vjp(lambda x: f(Q, x, V), K.copy(), G)) < 1e-7
    assert rel_error(dV, numerical_vjp(lambda x: f(Q, K, x), V.copy(), G)) < 1e-7


@pytest.mark.parametrize("masked", [None, "causal", "padding"])
def test_attention_matches_torch_sdpa(rng, masked):
    B, h, N, dk, dv = 2, 3, 5, 4, 6
    Q, K, V = rng.normal(size=(B, h, N, dk)), rng.normal(size=(B, h, N, dk)), rng.normal(size=(B, h, N, dv))
    mask = {None: None, "causal": At.causal_mask(N), "padding": At.padding_mask([3, 5], N, N)[:, None]}[masked]
    G = rng.normal(size=(B, h, N, dv))
    out, cache = At.attention_forward(Q, K, V, mask)
    grads = At.attention_backward(G, cache)
    Qt, Kt, Vt = t64(Q, True), t64(K, True), t64(V, True)
    ot = F.scaled_dot_product_attention(Qt, Kt, Vt, attn_mask=None if mask is None else torch.as_tensor(mask))
    (ot * t64(G)).sum().backward()
    np.testing.assert_allclose(out, ot.detach().numpy(), rtol=1e-10, atol=1e-12)
    for ours, theirs in zip(grads, (Qt, Kt, Vt)):
        np.testing.assert_allclose(ours, theirs.grad.numpy(), rtol=1e-9, atol=1e-12)
    # 按公式写的 torch 版也一样
    o2, A2 = TA.scaled_dot_product_attention(t64(Q), t64(K), t64(V), None if mask is None else torch.as_tensor(mask))
    np.testing.assert_allclose(o2.numpy(), out, rtol=1e-12, atol=1e-13)
    np.testing.assert_allclose(A2.numpy(), cache[3], rtol=1e-12, atol=1e-13)


def test_masked_positions_get_zero_weight_and_zero_gradient(rng):
    N = 4
    Q, K, V = rng.normal(size=(3, N, 2))
    _, cache = At.attention_forward(Q, K, V, At.causal_mask(N))
    A = cache[3]
    assert np.all(A[np.triu_indices(N, 1)] == 0) and np.allclose(A.sum(-1), 1)
    _, dK, dV = At.attention_backward(np.eye(N)[:, :2] * 0 + rng.normal(size=(N, 2)) * np.array([[1], [0], [0], [0]]), cache)
    # 只有第 0 个查询有上游梯度，它只看得见第 0 个键：其余键、值的梯度为 0
    assert np.all(dK[1:] == 0) and np.all(dV[1:] == 0)


def test_softmax_is_stable_with_huge_scores():
    A, _ = At.masked_softmax_forward(np.array([[1e6, 0.0, -1e6]]))
    np.testing.assert_allclose(A, [[1.0, 0.0, 0.0]])
    A, _ = At.masked_softmax_forward(np.array([[1e300, 1e300]]))
    np.testing.assert_allclose(A, [[0.5, 0.5]])


def test_broadcast_keys_gradient_is_summed(rng):
    Q, K, V = rng.normal(size=(2, 3, 4)), rng.normal(size=(3, 4)), rng.normal(size=(3, 2))
    G = rng.normal(size=(2, 3, 2))
    _, cache = At.attention_forward(Q, K, V)
    _, dK, dV = At.attention_backward(G, cache)
    assert dK.shape == K.shape and dV.shape == V.shape
    assert rel_error(dK, numerical_vjp(lambda x: At.attention_forward(Q, x, V)[0], K.copy(), G)) < 1e-7


# ---------------------------------------------------------------- 软查找 → 硬查找
def test_sharp_softmax_becomes_hard_lookup(rng):
    K, V = rng.normal(size=(6, 4)), rng.normal(size=(6, 3))
    q = K[2] + 0.1 * rng.normal(size=4)
    hard = At.hard_lookup(q, K, V)
    errs = [np.abs(At.soft_lookup(q, K, V, beta) - hard).max() for beta in (1, 10, 100, 1000)]
    assert all(a > b for a, b in zip(errs, errs[1:])) and errs[-1] < 1e-12
    np.testing.assert_array_equal(hard, V[np.argmax(K @ q)])


# ---------------------------------------------------------------- 加性打分
def test_additive_scores_match_torch_autograd(rng):
    N, M, dq, dk, da = 3, 4, 5, 2, 6
    Q, K = rng.normal(size=(N, dq)), rng.normal(size=(M, dk))
    W, U, v = rng.normal(size=(da, dk)), rng.normal(size=(da, dq)), rng.normal(size=da)
    G = rng.normal(size=(N, M))
    S, cache = At.additive_scores_forward(Q, K, W, U, v)
    ours = At.additive_scores_backward(G, cache)
    ts = [t64(a, True) for a in (Q, K, W, U, v)]
    St = torch.tanh((ts[1] @ ts[2].T)[None] + (ts[0] @ ts[3].T)[:, None]) @ ts[4]
    (St * t64(G)).sum().backward()
    np.testing.assert_allclose(S, St.detach().numpy(), rtol=1e-12)
    for a, t in zip(ours, ts):
        np.testing.assert_allclose(a, t.grad.numpy(), rtol=1e-10, atol=1e-12)
    assert rel_error(ours[0], numerical_vjp(lambda x: At.additive_scores_forward(x, K, W, U, v)[0], Q.copy(), G)) < 1e-7


# ---------------------------------------------------------------- 多头注意力
def _torch_mha(mha_np, D, h):
    tm = torch.nn.MultiheadAttention(D, h, batch_first=True, dtype=torch.float64)
    p = mha_np.params
    with torch.no_grad():
        tm.in_proj_weight.copy_(t64(np.concatenate([p["W_q"], p["W_k"], p["W_v"]])))
        tm.in_proj_bias.copy_(t64(np.concatenate([p["b_q"], p["b_k"], p["b_v"]])))
        tm.out_proj.weight.copy_(t64(p["W_o"]))
        tm.out_proj.bias.copy_(t64(p["b_o"]))
    return tm


@pytest.mark.parametrize("cross", [False, True])
def test_mha_matches_torch_multihead_attention(rng, cross):
    B, N, M, D, h = 2, 4, 5, 6, 3
    mha = At.MultiHeadAttention(D, h, rng)
    for k in mha.params:                                        # 偏置也设成非零，检查得更全
        mha.params[k][...] = rng.normal(size=mha.params[k].shape) * 0.5
    Xq = rng.normal(size=(B, N, D))
    Xkv = rng.normal(size=(B, M, D)) if cross else Xq
    mask = None if cross else At.causal_mask(N)
    Y = mha.forward(Xq, Xkv if cross else None, mask=mask)
    G = rng.normal(size=Y.shape)
    dX = mha.backward(G)
    tm = _torch_mha(mha, D, h)
    Xqt = t64(Xq, True)
    Xkvt = t64(Xkv, True) if cross else Xqt
    # torch 的布尔 attn_mask：True 表示屏蔽，与本包相反
    Yt, At_ = tm(Xqt, Xkvt, Xkvt, attn_mask=None if mask is None else torch.as_tensor(~mask),
                 need_weights=True, average_attn_weights=False)
    (Yt * t64(G)).sum().backward()
    np.testing.assert_allclose(Y, Yt.detach().numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(mha.attention, At_.detach().numpy(), rtol=1e-10, atol=1e-12)
    if cross:
        np.testing.assert_allclose(dX[0], Xqt.grad.numpy(), rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(dX[1], Xkvt.grad.numpy(), rtol=1e-9, atol=1e-12)
    else:
        np.testing.assert_allclose(dX, Xqt.grad.numpy(), rtol=1e-9, atol=1e-12)
    tg = {"W_o": tm.out_proj.weight.grad, "b_o": tm.out_proj.bias.grad}
    for i, n in enumerate("qkv"):
        tg["W_" + n] = tm.in_proj_weight.grad[i * D:(i + 1) * D]
        tg["b_" + n] = tm.in_proj_bias.grad[i * D:(i + 1) * D]
    for k, g in mha.grads.items():
        np.testing.assert_allclose(g, tg[k].numpy(), rtol=1e-9, atol=1e-12, err_msg=k)


def test_mha_backward_numerical(rng):
    B, N, D, h = 1, 3, 4, 2
    p = {k: rng.normal(size=(D, D) if k[0] == "W" else D) * 0.7 for k in
         ("W_q", "W_k", "W_v", "W_o", "b_q", "b_k", "b_v", "b_o")}
    X = rng.normal(size=(B, N, D))
    G = rng.normal(size=(B, N, D))
    _, cache = At.mha_forward(X, X, p, h)
    dXq, dXkv, g = At.mha_backward(G, cache)
    assert rel_error(dXq + dXkv, numerical_vjp(lambda x: At.mha_forward(x, x, p, h)[0], X.copy(), G)) < 1e-7
    # 键的偏置 b_k 的梯度恒为 0：q·(k_m + b_k) 对所有键加上同一个常数 q·b_k，softmax 不变
    np.testing.assert_allclose(g["b_k"], 0.0, atol=1e-12)
    for k in ("W_q", "W_v", "b_q", "b_v", "W_o"):
        def f(v, k=k):
            return At.mha_forward(X, X, {**p, k: v}, h)[0]
        assert rel_error(g[k], numerical_vjp(f, p[k].copy(), G)) < 1e-7, k


def test_torch_mha_twin_matches_numpy(rng):
    D, h = 8, 2
    mha = At.MultiHeadAttention(D, h, rng)
    tm = TA.MultiHeadAttention(D, h).double()
    with torch.no_grad():
        for k, v in mha.params.items():
            getattr(tm, k).copy_(t64(v))
    X = rng.normal(size=(2, 5, D))
    Y = mha.forward(X, mask=At.causal_mask(5))
    Yt = tm(t64(X), mask=TA.causal_mask(5))
    np.testing.assert_allclose(Y, Yt.detach().numpy(), rtol=1e-12, atol=1e-13)


def test_heads_cost_the_same_as_one_head_of_full_width(rng):
    """多头不省计算：参数量与单头相同，乘加次数只多出 softmax 那一点。"""
    D = 64
    one, eight = At.MultiHeadAttention(D, 1, rng), At.MultiHeadAttention(D, 8, rng)
    assert sum(v.size for v in one.params.values()) == sum(v.size for v in eight.params.values()) == 4 * D * D + 4 * D


# ---------------------------------------------------------------- 错误输入
def test_bad_inputs_raise_clear_errors(rng):
    with pytest.raises(ValueError, match="d_k"):
        At.attention_forward(np.ones((2, 3)), np.ones((2, 4)), np.ones((2, 1)))
    with pytest.raises(ValueError, match="M"):
        At.attention_forward(np.ones((2, 3)), np.ones((2, 3)), np.ones((4, 1)))
    with pytest.raises(TypeError, match="布尔"):
        At.attention_forward(np.ones((2, 3)), np.ones((2, 3)), np.ones((2, 1)), mask=np.ones((2, 2)))
    with pytest.raises(ValueError, match="一整行"):
        At.attention_forward(np.ones((2, 3)), np.ones((2, 3)), np.ones((2, 1)), mask=np.array([[True, True], [False, False]]))
    with pytest.raises(ValueError, match="广播"):
        At.attention_forward(np.ones((2, 3)), np.ones((2, 3)), np.ones((2, 1)), mask=np.ones((3, 3), bool))
    with pytest.raises(ValueError, match="整除"):
        At.MultiHeadAttention(6, 4, rng)
    with pytest.raises(ValueError, match=r"\[1, M"):
        At.padding_mask([0, 2], 3)
    with pytest.raises(ValueError, match="NaN"):
        At.attention_forward(np.full((1, 2), np.nan), np.ones((1, 2)), np.ones((1, 1)))


# ---------------------------------------------------------------- 一整行被屏蔽：torch 2.13 各 API 的行为
def test_fully_masked_row_behaviour_of_the_pinned_torch():
    """8.3 节的说法：一整行都被屏蔽时，``torch.softmax`` 给出 NaN；``nn.MultiheadAttention`` 在默认的
    ``need_weights=True`` 下输出与权重的那一行都是 NaN（``need_weights=False`` 时它改走 scaled_dot_product_attention，
    那一行的输出只剩输出投影的偏置）；``F.scaled_dot_product_attention`` 把那一行的输出置为 0；本包两种实现都报错。
    torch 的版本一变、行为一变，这里就失败，页面上的句子要跟着改。"""
    assert torch.__version__.split("+")[0] == "2.13.0"
    rng = np.random.default_rng(0)
    T_, D = 3, 4
    Q, K, V = (t64(rng.standard_normal((1, T_, D))) for _ in range(3))
    visible = torch.ones(T_, T_, dtype=torch.bool)
    visible[1] = False                                              # 第 1 个查询一个键也看不到
    # torch.softmax：全是 −∞ 的一行 → NaN，其余行正常
    S = (Q @ K.transpose(-1, -2)).masked_fill(~visible, float("-inf"))
    A = torch.softmax(S, dim=-1)
    assert torch.isnan(A[0, 1]).all() and not torch.isnan(A[0, [0, 2]]).any()
    # F.scaled_dot_product_attention：布尔掩码（True = 可见）或加性 −∞ 掩码，那一行都是 0
    for mask in (visible, torch.zeros(T_, T_, dtype=torch.float64).masked_fill(~visible, float("-inf"))):
        out = F.scaled_dot_product_attention(Q, K, V, attn_mask=mask)
        assert torch.equal(out[0, 1], torch.zeros(D, dtype=torch.float64))
        assert not torch.isnan(out).any()
    # nn.MultiheadAttention（布尔掩码 True = 屏蔽）：默认返回权重时，输出和权重的那一行都是 NaN
    torch.manual_seed(0)
    mha = torch.nn.MultiheadAttention(D, 2, batch_first=True).double()
    with torch.no_grad():
        mha.out_proj.bias.copy_(torch.arange(D, dtype=torch.float64))   # 非零的输出偏置，便于辨认
        for train in (True, False):
            mha.train(train)
            Y, W = mha(Q, K, V, attn_mask=~visible)
            assert torch.isnan(Y[0, 1]).all() and torch.isnan(W[0, 1]).all()
            assert not torch.isnan(Y[0, [0, 2]]).any()
            Y2, W2 = mha(Q, K, V, attn_mask=~visible, need_weights=False)
            assert W2 is None and torch.equal(Y2[0, 1], mha.out_proj.bias)
    # 本包：NumPy 版与 torch 版都直接报错，说明原因
    with pytest.raises(ValueError, match="一整行"):
        At.masked_softmax_forward((Q @ K.transpose(-1, -2))[0].numpy(), mask=visible.numpy())
    with pytest.raises(ValueError, match="一整行"):
        TA.scaled_dot_product_attention(Q, K, V, visible)
