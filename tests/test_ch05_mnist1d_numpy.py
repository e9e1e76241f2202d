"""第 5 章：MNIST-1D 卷积网络的 NumPy 孪生（``nndl_ref.numpy.cnn.MNIST1DCNN``）——载入 torch 权重后
logit 与梯度逐项相等、数值梯度检查、错误输入。完整训练在基准（benchmarks/bench_mnist1d.py）里运行。"""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from nndl_ref.gradcheck import numerical_gradient, rel_error
from nndl_ref.numpy.cnn import MNIST1DCNN
from nndl_ref.torch import cnn as TC


def _torch_twin(seed=0, channels=32):
    torch.manual_seed(seed)
    return TC.MNIST1DCNN(channels=channels).double()


def test_parameter_shapes_match_torch():
    net, twin = MNIST1DCNN(), _torch_twin()
    sd = twin.state_dict()
    assert net.n_params() == sum(p.numel() for p in twin.parameters()) == 6730
    for name, key in MNIST1DCNN.TORCH_NAMES.items():
        assert net.params()[name].shape == tuple(sd[key].shape), name
    assert set(MNIST1DCNN.TORCH_NAMES.values()) == set(sd)


def test_logits_and_grads_equal_torch_autograd():
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((16, 40)), rng.integers(0, 10, 16)
    twin = _torch_twin(3)
    net = MNIST1DCNN.from_torch(twin)
    Xt = torch.tensor(X)
    Z = twin(Xt)
    t_loss = F.cross_entropy(Z, torch.tensor(y))
    t_loss.backward()
    assert np.abs(net.forward(X) - Z.detach().numpy()).max() < 1e-12
    loss, grads = net.loss_and_grads(X, y)
    assert abs(loss - t_loss.item()) < 1e-12
    tp = dict(twin.named_parameters())
    assert set(grads) == set(MNIST1DCNN.TORCH_NAMES)
    for name, key in MNIST1DCNN.TORCH_NAMES.items():
        assert rel_error(grads[name], tp[key].grad.numpy()) < 1e-10, name
    # (B, 1, L) 的输入与 (B, L) 相同；反方向的导出也能被 torch 载入
    assert np.array_equal(net.forward(X[:, None, :]), net.forward(X))
    fresh = TC.MNIST1DCNN().double()
    fresh.load_state_dict({k: torch.tensor(v) for k, v in net.torch_state_dict().items()})
    assert torch.equal(fresh(Xt), twin(Xt))


def test_float32_weights_from_a_float32_model_load_and_agree():
    torch.manual_seed(1)
    twin = TC.MNIST1DCNN()                                  # float32，如训练后的模型
    net = MNIST1DCNN.from_torch(twin)
    X = np.random.default_rng(1).standard_normal((5, 40))
    with torch.no_grad():
        Z = twin(torch.tensor(X, dtype=torch.float32)).numpy()
    assert np.abs(net.forward(X) - Z).max() < 1e-5
    assert net.params()["conv1.W"].dtype == np.float64


def test_numerical_gradient_on_a_tiny_instance():
    rng = np.random.default_rng(2)
    X, y = rng.standard_normal((3, 8)), np.array([0, 2, 1])
    net = MNIST1DCNN(channels=2, num_classes=3, seed=0)
    _, grads = net.loss_and_grads(X, y)
    for name, p in net.params().items():
        num = numerical_gradient(lambda _: net.loss_and_grads(X, y)[0], p)
        assert rel_error(grads[name], num) < 1e-6, name


def test_predict_and_untrained_loss_near_log10():
    X = np.random.default_rng(3).standard_normal((20, 40))
    net = MNIST1DCNN(seed=0)
    assert net.predict(X).shape == (20,)
    loss, _ = net.loss_and_grads(X, np.arange(20) % 10)
    assert 0.5 * np.log(10) < loss < 2 * np.log(10)


def test_bad_input_raises_clear_errors():
    net = MNIST1DCNN()
    with pytest.raises(ValueError, match="2 维 或 3 维"):
        net.forward(np.zeros(40))
    with pytest.raises(ValueError, match=r"\(B, 1, L\)"):
        net.forward(np.zeros((2, 3, 40)))
    with pytest.raises(ValueError, match="至少为 4"):
        net.forward(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="NaN"):
        net.forward(np.full((2, 40), np.nan))
    with pytest.raises(ValueError, match=r"\[0, 10\)"):
        net.loss_and_grads(np.zeros((2, 40)), np.array([0, 10]))
    with pytest.raises(ValueError, match="样本数"):
        net.loss_and_grads(np.zeros((2, 40)), np.array([0, 1, 2]))
    with pytest.raises(TypeError, match="channels"):
        MNIST1DCNN(channels=2.5)
    with pytest.raises(RuntimeError, match="forward"):
        MNIST1DCNN().backward(np.zeros((1, 10)))
    with pytest.raises(ValueError, match="features.0.weight"):
        net.load_torch_state_dict({})
    bad = _torch_twin().state_dict()
    bad["linear.weight"] = torch.zeros(10, 31)
    with pytest.raises(ValueError, match=r"linear.weight 的形状应为 \(10, 32\)"):
        net.load_torch_state_dict(bad)
    with pytest.raises(ValueError, match="MNIST1DCNN"):
        MNIST1DCNN.from_torch(TC.SimpleCNN())


def test_failed_load_leaves_the_model_unchanged_and_training_rejects_bad_arguments():
    from nndl_ref.numpy.cnn import train_mnist1d_cnn

    net = MNIST1DCNN(seed=0)
    before = {k: v.copy() for k, v in net.params().items()}
    sd = _torch_twin().state_dict()
    sd["linear.bias"] = torch.zeros(9)
    with pytest.raises(ValueError, match="linear.bias"):
        net.load_torch_state_dict(sd)
    assert all(np.array_equal(before[k], v) for k, v in net.params().items())
    with pytest.raises(ValueError, match="steps"):
        train_mnist1d_cnn(steps=0)
    with pytest.raises(TypeError, match="threads"):
        train_mnist1d_cnn(threads=1.5)
