"""第 8 章：词嵌入、位置编码、编码器块 / 解码器块（前归一化与后归一化）——梯度检查与 torch 内置层对照。"""

from __future__ import annotations

import numpy as np
import pytest
import torch

from nndl_ref.gradcheck import numerical_vjp, rel_error
from nndl_ref.numpy import transformer as Tr
from nndl_ref.torch import transformer as TT


def t64(a, grad=False):
    return torch.tensor(np.asarray(a, dtype=np.float64), requires_grad=grad)


# ---------------------------------------------------------------- 词嵌入 = one-hot × 矩阵
def test_embedding_is_one_hot_times_matrix(rng):
    E = rng.normal(size=(11, 4))
    ids = rng.integers(0, 11, (3, 7))
    out, cache = Tr.embedding_forward(ids, E)
    np.testing.assert_array_equal(out, Tr.one_hot(ids, 11) @ E)
    G = rng.normal(size=out.shape)
    dE = Tr.embedding_backward(G, cache)
    # 反向同样是矩阵乘法：dE = O^T G（重复出现的编号累加）
    O = Tr.one_hot(ids, 11).reshape(-1, 11)
    np.testing.assert_allclose(dE, O.T @ G.reshape(-1, 4), rtol=1e-13, atol=1e-14)
    emb = torch.nn.Embedding(11, 4, dtype=torch.float64)
    with torch.no_grad():
        emb.weight.copy_(t64(E))
    (emb(torch.as_tensor(ids)) * t64(G)).sum().backward()
    np.testing.assert_allclose(dE, emb.weight.grad.numpy(), rtol=1e-13, atol=1e-14)


def test_embedding_rejects_bad_ids():
    with pytest.raises(ValueError, match=r"\[0, 3\)"):
        Tr.embedding_forward(np.array([0, 3]), np.ones((3, 2)))
    with pytest.raises(TypeError, match="整数"):
        Tr.embedding_forward(np.array([0.5]), np.ones((3, 2)))


# ---------------------------------------------------------------- 位置编码
def test_sinusoidal_encoding_formula_and_torch_twin():
    PE = Tr.sinusoidal_positional_encoding(50, 16)
    t, i = 7, 3
    assert PE[t, 2 * i] == pytest.approx(np.sin(t / 10000 ** (2 * i / 16)))
    assert PE[t, 2 * i + 1] == pytest.approx(np.cos(t / 10000 ** (2 * i / 16)))
    np.testing.assert_allclose(TT.sinusoidal_positional_encoding(50, 16).numpy(), PE, rtol=1e-12, atol=1e-12)
    # 每一对 (sin, cos) 的平方和为 1，所以每个位置的范数都是 sqrt(D/2)
    np.testing.assert_allclose(np.linalg.norm(PE, axis=1), np.sqrt(8))


def test_relative_position_is_a_rotation():
    """PE(t+k) 是 PE(t) 的线性函数（每对维度旋转角度 k·ω_i），与 t 无关：这就是它能表示相对位置的原因。"""
    D, k = 8, 5
    PE = Tr.sinusoidal_positional_encoding(40, D)
    w = 10000.0 ** (-np.arange(0, D, 2) / D)
    R = np.zeros((D, D))
    for j, om in enumerate(w):
        c, s = np.cos(k * om), np.sin(k * om)
        R[2 * j:2 * j + 2, 2 * j:2 * j + 2] = [[c, -s], [s, c]]   # 行向量 (sin, cos) 右乘它：角度加 kω
    np.testing.assert_allclose(PE[:-k] @ R, PE[k:], atol=1e-12)


def test_positional_encoding_rejects_odd_dimension():
    with pytest.raises(ValueError, match="偶数"):
        Tr.sinusoidal_positional_encoding(4, 5)


# ---------------------------------------------------------------- 编码器块 / 解码器块
def _randomize(block, rng):
    for v in block.params.values():
        v[...] = v + 0.3 * rng.normal(size=v.shape)             # 层归一化的 γ、β 也离开 1、0


@pytest.mark.parametrize("pre_norm", [False, True])
def test_encoder_block_matches_torch(rng, pre_norm):
    B, T, D, h, F_ = 2, 5, 8, 2, 16
    blk = Tr.EncoderBlock(D, h, F_, rng, pre_norm=pre_norm)
    _randomize(blk, rng)
    X = rng.normal(size=(B, T, D))
    mask = np.tril(np.ones((T, T), bool))
    Y = blk.forward(X, mask=mask)
    G = rng.normal(size=Y.shape)
    dX = blk.backward(G)
    tl = torch.nn.TransformerEncoderLayer(D, h, F_, dropout=0.0, batch_first=True, norm_first=pre_norm,
                                          dtype=torch.float64).eval()
    TT.load_numpy_block(blk, tl)
    Xt = t64(X, True)
    Yt = tl(Xt, src_mask=torch.as_tensor(~mask))                 # torch：True 表示屏蔽
    (Yt * t64(G)).sum().backward()
    np.testing.assert_allclose(Y, Yt.detach().numpy(), rtol=1e-10, atol=1e-11)
    np.testing.assert_allclose(dX, Xt.grad.numpy(), rtol=1e-9, atol=1e-11)
    np.testing.assert_allclose(blk.grads["ffn.W1"], tl.linear1.weight.grad.numpy(), rtol=1e-9, atol=1e-11)
    np.testing.assert_allclose(blk.grads["ln1.gamma"], tl.norm1.weight.grad.numpy(), rtol=1e-9, atol=1e-11)
    np.testing.assert_allclose(blk.grads["attn.W_o"], tl.self_attn.out_proj.weight.grad.numpy(), rtol=1e-9, atol=1e-11)


@pytest.mark.parametrize("pre_norm", [False, True])
def test_decoder_block_matches_torch(rng, pre_norm):
    B, T, S, D, h, F_ = 2, 4, 6, 8, 2, 12
    blk = Tr.DecoderBlock(D, h, F_, rng, pre_norm=pre_norm)
    _randomize(blk, rng)
    X, mem = rng.normal(size=(B, T, D)), rng.normal(size=(B, S, D))
    Y = blk.forward(X, mem)
    G = rng.normal(size=Y.shape)
    dX, dmem = blk.backward(G)
    tl = torch.nn.TransformerDecoderLayer(D, h, F_, dropout=0.0, batch_first=True, norm_first=pre_norm,
                                          dtype=torch.float64).eval()
    TT.load_numpy_block(blk, tl)
    Xt, memt = t64(X, True), t64(mem, True)
    Yt = tl(Xt, memt, tgt_mask=torch.nn.Transformer.generate_square_subsequent_mask(T, dtype=torch.float64))
    (Yt * t64(G)).sum().backward()
    np.testing.assert_allclose(Y, Yt.detach().numpy(), rtol=1e-10, atol=1e-11)
    np.testing.assert_allclose(dX, Xt.grad.numpy(), rtol=1e-9, atol=1e-11)
    np.testing.assert_allclose(dmem, memt.grad.numpy(), rtol=1e-9, atol=1e-11)
    np.testing.assert_allclose(blk.grads["cross_attn.W_q"], tl.multihead_attn.in_proj_weight.grad[:D].numpy(),
                               rtol=1e-9, atol=1e-11)


@pytest.mark.parametrize("pre_norm", [False, True])
def test_encoder_block_gradcheck(rng, pre_norm):
    blk = Tr.EncoderBlock(4, 2, 6, rng, pre_norm=pre_norm)
    _randomize(blk, rng)
    X = rng.normal(size=(1, 3, 4))
    G = rng.normal(size=X.shape)
    blk.forward(X)
    dX = blk.backward(G)
    assert rel_error(dX, numerical_vjp(lambda x: blk.forward(x), X.copy(), G)) < 1e-6
    for k in ("attn.W_v", "ffn.b1", "ln2.beta"):
        blk.zero_grad()
        blk.forward(X)
        blk.backward(G)
        analytic = blk.grads[k].copy()
        assert rel_error(analytic, numerical_vjp(lambda _: blk.forward(X), blk.params[k], G)) < 1e-6, k


def test_block_zero_grad_and_shared_arrays(rng):
    blk = Tr.EncoderBlock(4, 2, 6, rng)
    assert blk.params["attn.W_q"] is blk.subs["attn"].params["W_q"]
    blk.forward(rng.normal(size=(1, 3, 4)))
    blk.backward(np.ones((1, 3, 4)))
    assert np.abs(blk.grads["ffn.W2"]).sum() > 0
    blk.zero_grad()
    assert all(np.all(g == 0) for g in blk.grads.values())


def test_feedforward_gradcheck(rng):
    ffn = Tr.FeedForward(3, 5, rng)
    X, G = rng.normal(size=(2, 4, 3)), rng.normal(size=(2, 4, 3))
    ffn.forward(X)
    dX = ffn.backward(G)
    assert rel_error(dX, numerical_vjp(lambda x: ffn.forward(x), X.copy(), G)) < 1e-7
