"""第 8 章：MNIST-1D 上的 Transformer 分类器——NumPy 孪生（``nndl_ref.numpy.transformer.MNIST1DTransformer``）
载入 torch 权重后 logit 与梯度逐项相等、数值梯度检查、错误输入、学习率调度与 NumPy 版一致、短训练冒烟测试。
完整训练在页面代码块与基准（benchmarks/bench_mnist1d.py）里运行。"""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from nndl_ref.gradcheck import numerical_gradient, rel_error
from nndl_ref.numpy import transformer as Tr
from nndl_ref.numpy.schedules import warmup_cosine_lr
from nndl_ref.torch import transformer as TT


def _torch_twin(positional="learned", seed=0, **kw):
    torch.manual_seed(seed)
    kw = {"D": 8, "num_heads": 2, "num_layers": 2, "F_": 16, **kw}
    m = TT.MNIST1DTransformer(positional=positional, **kw).double()
    with torch.no_grad():                                         # 层归一化的 γ、β 也离开 1、0
        for p in m.parameters():
            p.add_(0.1 * torch.randn_like(p))
    return m


@pytest.mark.parametrize("positional,patch,stride", [("learned", 8, 4), ("sinusoidal", 4, 4), ("learned", 5, 3)])
def test_logits_and_grads_equal_torch_autograd(positional, patch, stride):
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((6, 40)), rng.integers(0, 10, 6)
    twin = _torch_twin(positional, patch=patch, stride=stride)
    net = Tr.MNIST1DTransformer.from_torch(twin)
    assert (net.patch, net.stride, net.T, net.positional) == (patch, stride, twin.T, positional)
    assert net.n_params() == sum(p.numel() for p in twin.parameters())
    twin.train()
    Z = twin(torch.tensor(X))
    t_loss = F.cross_entropy(Z, torch.tensor(y))
    t_loss.backward()
    assert np.abs(net.forward(X) - Z.detach().numpy()).max() < 1e-12
    loss, grads = net.loss_and_grads(X, y)
    assert abs(loss - t_loss.item()) < 1e-12
    tp = dict(twin.named_parameters())
    assert set(grads) == set(net.params()) == set(tp)
    for name, g in grads.items():
        assert g.shape == net.params()[name].shape
        assert rel_error(g, tp[name].grad.numpy()) < 1e-10, name
    with torch.no_grad():                                         # 评估模式（torch 的快速路径）结果相同
        np.testing.assert_allclose(twin.eval()(torch.tensor(X)).numpy(), net.forward(X), rtol=1e-10, atol=1e-12)


def test_default_model_has_the_torch_parameter_count_and_names():
    net = Tr.MNIST1DTransformer()
    twin = TT.MNIST1DTransformer()
    assert net.n_params() == sum(p.numel() for p in twin.parameters()) == 18058
    assert {k: v.shape for k, v in twin.state_dict().items()} == {k: v.shape for k, v in net.params().items()}


def test_attention_projections_are_views_of_in_proj_weight():
    net = Tr.MNIST1DTransformer(D=8, num_heads=2, num_layers=1, F=16)
    W = net.params()["blocks.0.self_attn.in_proj_weight"]
    attn = net.blocks[0].subs["attn"].params
    W[8:16] += 1.0                                                # 优化器原地更新大矩阵，块里的 W_k 随之改变
    assert np.shares_memory(attn["W_k"], W) and np.array_equal(attn["W_k"], W[8:16])
    assert net.blocks[0].params["attn.W_k"] is attn["W_k"]


@pytest.mark.parametrize("name", ["embed.weight", "pos", "blocks.0.self_attn.in_proj_weight",
                                  "blocks.1.self_attn.in_proj_bias", "blocks.0.linear1.weight",
                                  "blocks.1.norm2.weight", "ln.bias", "head.weight"])
def test_numerical_gradient_check(name):
    rng = np.random.default_rng(1)
    net = Tr.MNIST1DTransformer(length=12, patch=4, stride=2, D=4, num_heads=2, num_layers=2, F=6,
                                num_classes=3, seed=1)
    for v in net.params().values():
        v += 0.3 * rng.standard_normal(v.shape)
    X, y = rng.standard_normal((3, 12)), np.array([0, 2, 1])
    _, grads = net.loss_and_grads(X, y)
    num = numerical_gradient(lambda _: net.loss_and_grads(X, y)[0], net.params()[name])
    assert rel_error(grads[name], num) < 1e-6


def test_bad_inputs_raise_clear_errors():
    net = Tr.MNIST1DTransformer(D=8, num_heads=2, num_layers=1, F=16)
    with pytest.raises(ValueError, match=r"\(B, 40\)"):
        net.forward(np.zeros((2, 39)))
    with pytest.raises(ValueError, match="2 维"):
        net.forward(np.zeros(40))
    with pytest.raises(ValueError, match="NaN"):
        net.forward(np.full((1, 40), np.nan))
    with pytest.raises(ValueError, match=r"\[0, 10\)"):
        net.loss_and_grads(np.zeros((2, 40)), np.array([0, 10]))
    with pytest.raises(RuntimeError, match="forward"):
        Tr.MNIST1DTransformer(D=8, num_heads=2, num_layers=1, F=16).backward(np.zeros((1, 10)))
    with pytest.raises(ValueError, match="整除"):
        Tr.MNIST1DTransformer(D=10, num_heads=4)
    with pytest.raises(ValueError, match="patch"):
        Tr.MNIST1DTransformer(patch=41)
    with pytest.raises(ValueError, match="positional"):
        Tr.MNIST1DTransformer(positional="rope")
    with pytest.raises(ValueError, match="MNIST1DTransformer"):
        Tr.MNIST1DTransformer.from_torch(torch.nn.Linear(2, 2))
    with pytest.raises(ValueError, match="形状"):                 # 结构不同的权重：报错且模型保持原样
        before = {k: v.copy() for k, v in net.params().items()}
        net.load_torch_state_dict(_torch_twin(D=16, num_layers=1).state_dict())
    assert all(np.array_equal(before[k], v) for k, v in net.params().items())
    with pytest.raises(ValueError, match=r"\(B, 40\)"):
        TT.MNIST1DTransformer()(torch.zeros(2, 39))
    with pytest.raises(ValueError, match="warmup"):
        Tr.train_mnist1d_transformer(steps=10, warmup=10)


def test_patchify_matches_torch_unfold():
    X = np.arange(80.0).reshape(2, 40)
    for P, S in [(8, 4), (4, 4), (5, 3)]:
        np.testing.assert_array_equal(Tr.patchify(X, P, S), TT.patchify(torch.tensor(X), P, S).numpy())
    assert Tr.patchify(X, 8, 4).shape == (2, 9, 8)


def test_torch_schedule_is_the_numpy_warmup_cosine():
    steps, warmup = 50, 5
    got = [TT._warmup_cosine(t, warmup, steps) for t in range(steps + 1)]
    want = [warmup_cosine_lr(t, 1.0, warmup, steps) for t in range(steps + 1)]
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-15)


def test_short_training_runs_and_learns():
    model, hist = Tr.train_mnist1d_transformer(steps=30, warmup=5, eval_every=30)   # 默认 BLAS 单线程
    assert len(hist.val_acc) == 1 and hist.seconds > 0 and np.isfinite(hist.loss[0])
    assert hist.val_acc[0] > 0.15                                 # 30 步已高于随机猜的 10%
    model_t, hist_t = TT.train_mnist1d_transformer(steps=30, warmup=5, eval_every=30)
    assert len(hist_t.val_acc) == 1 and hist_t.val_acc[0] > 0.15 and not model_t.training
