"""第 6 章：MNIST-1D 的 GRU 分类器的 NumPy 孪生（``nndl_ref.numpy.rnn.MNIST1DGRU``，``torch.nn.GRU`` 的写法）——
载入 torch 权重后 logit 与梯度逐项相等、数值梯度检查、错误输入。完整训练在基准（benchmarks/bench_mnist1d.py）里运行。"""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from nndl_ref.gradcheck import numerical_gradient, rel_error
from nndl_ref.numpy import rnn as R
from nndl_ref.torch import rnn as TR


def _torch_twin(hidden=8, bidirectional=True, chunk=1, seed=0):
    torch.manual_seed(seed)
    return TR.SequenceClassifier("gru", chunk, hidden, 10, bidirectional=bidirectional).double()


@pytest.mark.parametrize("bidirectional,chunk", [(True, 1), (False, 4)])
def test_logits_and_grads_equal_torch_autograd(bidirectional, chunk):
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((6, 40)), rng.integers(0, 10, 6)
    twin = _torch_twin(8, bidirectional, chunk)
    net = R.MNIST1DGRU.from_torch(twin)
    assert (net.bidirectional, net.chunk, net.n_params()) == (bidirectional, chunk,
                                                              sum(p.numel() for p in twin.parameters()))
    x = torch.tensor(X.reshape(6, 40 // chunk, chunk).transpose(1, 0, 2).copy())   # (T, B, chunk)
    Z = twin(x)
    t_loss = F.cross_entropy(Z, torch.tensor(y))
    t_loss.backward()
    assert np.abs(net.forward(X) - Z.detach().numpy()).max() < 1e-12
    assert np.array_equal(net.forward(x.numpy()), net.forward(X))           # (T, B, D) 与 (B, 40) 相同
    loss, grads = net.loss_and_grads(X, y)
    assert abs(loss - t_loss.item()) < 1e-12
    tp = dict(twin.named_parameters())
    assert set(grads) == set(net.torch_names) and set(net.torch_names.values()) == set(tp)
    for name, key in net.torch_names.items():
        assert rel_error(grads[name], tp[key].grad.numpy()) < 1e-10, name


def test_default_model_has_the_torch_parameter_count():
    net = R.MNIST1DGRU()
    assert net.n_params() == 27018                     # 与页面上 torch 版的参数个数相同
    twin = TR.SequenceClassifier("gru", 1, 64, 10, bidirectional=True)
    assert {k: v.shape for k, v in twin.state_dict().items()} == \
        {net.torch_names[k]: v.shape for k, v in net.params().items()}


def test_gru_torch_forward_backward_match_nn_gru_with_outputs_at_every_step():
    rng = np.random.default_rng(1)
    T, B, D, H = 5, 3, 2, 4
    gru = torch.nn.GRU(D, H).double()
    x = rng.standard_normal((T, B, D))
    h0 = rng.standard_normal((B, H))
    dh = rng.standard_normal((T, B, H))
    p = {k: v.detach().numpy() for k, v in gru.named_parameters()}
    h, cache = R.gru_torch_forward(x, h0, p["weight_ih_l0"], p["weight_hh_l0"], p["bias_ih_l0"], p["bias_hh_l0"])
    xt, h0t = torch.tensor(x, requires_grad=True), torch.tensor(h0[None], requires_grad=True)
    out = gru(xt, h0t)[0]
    assert np.abs(h - out.detach().numpy()).max() < 1e-12
    (out * torch.tensor(dh)).sum().backward()
    dx, dh0, dW, dU, db, db_U = R.gru_torch_backward(dh, cache)
    assert rel_error(dx, xt.grad.numpy()) < 1e-10
    assert rel_error(dh0, h0t.grad.numpy()[0]) < 1e-10
    for mine, name in ((dW, "weight_ih_l0"), (dU, "weight_hh_l0"), (db, "bias_ih_l0"), (db_U, "bias_hh_l0")):
        assert rel_error(mine, dict(gru.named_parameters())[name].grad.numpy()) < 1e-10, name


def test_numerical_gradient_on_a_tiny_instance():
    rng = np.random.default_rng(2)
    X, y = rng.standard_normal((3, 8)), np.array([0, 2, 1])
    net = R.MNIST1DGRU(hidden_size=3, chunk=2, num_classes=3, length=8, seed=0)
    _, grads = net.loss_and_grads(X, y)
    for name, p in net.params().items():
        num = numerical_gradient(lambda _: net.loss_and_grads(X, y)[0], p)
        assert rel_error(grads[name], num) < 1e-6, name


def test_bad_input_raises_clear_errors():
    net = R.MNIST1DGRU(hidden_size=4)
    with pytest.raises(ValueError, match=r"\(B, 40\)"):
        net.forward(np.zeros((2, 39)))
    with pytest.raises(ValueError, match=r"\(T, B, D\)"):
        net.forward(np.zeros((40, 2, 3)))
    with pytest.raises(ValueError, match="2 维 或 3 维"):
        net.forward(np.zeros(40))
    with pytest.raises(ValueError, match=r"\[0, 10\)"):
        net.loss_and_grads(np.zeros((2, 40)), np.array([0, -1]))
    with pytest.raises(ValueError, match="chunk"):
        R.MNIST1DGRU(chunk=3)
    with pytest.raises(TypeError, match="hidden_size"):
        R.MNIST1DGRU(hidden_size=0.5)
    with pytest.raises(RuntimeError, match="forward"):
        R.MNIST1DGRU(hidden_size=2).backward(np.zeros((1, 10)))
    with pytest.raises(ValueError, match="rnn.weight_ih_l0"):
        net.load_torch_state_dict({})
    with pytest.raises(ValueError, match=r"rnn.weight_ih_l0 的形状应为 \(12, 1\)"):
        net.load_torch_state_dict(_torch_twin(hidden=5).state_dict())
    with pytest.raises(ValueError, match="nn.GRU"):
        R.MNIST1DGRU.from_torch(TR.SequenceClassifier("lstm", 1, 4, 10))
    W, U, b = np.zeros((6, 1)), np.zeros((6, 2)), np.zeros(6)
    with pytest.raises(ValueError, match="b_U"):
        R.gru_torch_forward(np.zeros((3, 1, 1)), None, W, U, b, np.zeros(5))
    with pytest.raises(ValueError, match="U 形状"):
        R.gru_torch_forward(np.zeros((3, 1, 1)), None, W, np.zeros((6, 3)), b, b)
    _, cache = R.gru_torch_forward(np.zeros((3, 1, 1)), None, W, U, b, b)
    with pytest.raises(ValueError, match="dh 的形状"):
        R.gru_torch_backward(np.zeros((2, 1, 2)), cache)


def test_numpy_training_function_rejects_bad_arguments():
    with pytest.raises(ValueError, match="epochs"):
        R.train_mnist1d_gru(epochs=0)
    with pytest.raises(TypeError, match="batch_size"):
        R.train_mnist1d_gru(batch_size=1.5)
    with pytest.raises(ValueError, match="threads"):
        R.train_mnist1d_gru(threads=0)
