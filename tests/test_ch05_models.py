"""第 5 章：卷积网络模型——NumPy 小网络与 torch 孪生逐项对照，LeNet / VGG / ResNet 的结构，MNIST-1D 数据。"""

from __future__ import annotations

import random
import sys

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from nndl_ref.gradcheck import numerical_gradient, rel_error
from nndl_ref.numpy.cnn import Flatten, SimpleCNN
from nndl_ref.numpy.train import fit
from nndl_ref.torch import cnn


# ---------------------------------------------------------------- NumPy 小网络 vs torch 孪生
@pytest.mark.parametrize("fast", [False, True])
def test_numpy_cnn_loss_and_grads_match_torch_twin(fast):
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((6, 64)), rng.integers(0, 10, 6)
    net = SimpleCNN(seed=1, fast=fast)
    loss, grads = net.loss_and_grads(X, y)
    twin = cnn.SimpleCNN().double().load_numpy(net.params())
    t_loss = F.cross_entropy(twin(torch.tensor(X)), torch.tensor(y))
    t_loss.backward()
    assert abs(loss - t_loss.item()) < 1e-12
    t_grads = {f"{i}.{'W' if n == 'weight' else 'b'}": p.grad for name, p in twin.named_parameters()
               for i, n in [name.split(".")[1:]]}
    assert set(t_grads) == set(grads)
    for k in grads:
        assert rel_error(grads[k], t_grads[k].numpy()) < 1e-10, k


def test_numpy_cnn_gradcheck():
    rng = np.random.default_rng(2)
    X, y = rng.standard_normal((3, 1, 4, 4)), np.array([0, 2, 1])
    net = SimpleCNN(input_shape=(1, 4, 4), channels=(2, 3), num_classes=3, seed=0, fast=False)
    _, grads = net.loss_and_grads(X, y)
    for name, p in net.params().items():
        num = numerical_gradient(lambda _: net.loss_and_grads(X, y)[0], p)
        assert rel_error(grads[name], num) < 1e-6, name


def test_numpy_cnn_trains_end_to_end_on_a_small_subset():
    from nndl_ref import data

    d = data.load_digits()
    net = SimpleCNN(seed=0, fast=False)
    X, y = d.X_train[:300] / 16, d.y_train[:300]
    before = net.loss_and_grads(X, y)[0]
    hist = fit(net, X, y, epochs=8, lr=0.2, batch_size=32, seed=0)
    assert hist.loss[-1] < 0.5 * before                 # 损失至少减半
    assert hist.acc[-1] > 0.8


def test_numpy_cnn_input_checks():
    net = SimpleCNN()
    with pytest.raises(ValueError, match="D·M·N = 64"):
        net.forward(np.zeros((2, 63)))
    with pytest.raises(ValueError, match=r"\(B, 1, 8, 8\)"):
        net.forward(np.zeros((2, 1, 7, 8)))
    with pytest.raises(ValueError, match="太小"):
        SimpleCNN(input_shape=(1, 2, 2), channels=(4, 4))
    with pytest.raises(RuntimeError, match="forward"):
        Flatten().backward(np.zeros((1, 4)))


# ---------------------------------------------------------------- torch 模型的结构
def test_model_shapes_and_parameter_counts():
    x = torch.zeros(3, 1, 8, 8)
    for model in (cnn.LeNet(), cnn.VGG(), cnn.ResNet(), cnn.SimpleCNN()):
        assert model(x).shape == (3, 10)
    assert sum(p.numel() for p in cnn.PublishedMNIST1DCNN().parameters()) == 5210     # 论文中的数字
    assert cnn.PublishedMNIST1DCNN()(torch.zeros(2, 40)).shape == (2, 10)
    assert cnn.MNIST1DCNN()(torch.zeros(2, 40)).shape == (2, 10)
    with pytest.raises(ValueError, match="整除"):
        cnn.LeNet(image_size=10)
    with pytest.raises(ValueError, match="num_convs"):
        cnn.vgg_block(1, 8, 0)


def test_vgg_block_is_m_convs_then_pool():
    block = cnn.vgg_block(3, 8, num_convs=3)
    kinds = [type(m).__name__ for m in block]
    assert kinds == ["Conv2d", "ReLU"] * 3 + ["MaxPool2d"]
    assert all(m.kernel_size == (3, 3) for m in block if isinstance(m, torch.nn.Conv2d))
    assert block(torch.zeros(1, 3, 8, 8)).shape == (1, 8, 4, 4)


def test_residual_unit_identity_and_projection():
    torch.manual_seed(0)
    same = cnn.ResidualUnit(4, 4, batch_norm=False)
    assert same.projection is None
    with torch.no_grad():                                  # f ≡ 0 时 h(x) = ReLU(x)：恒等直连边
        same.conv2.weight.zero_()
        same.conv2.bias.zero_()
    x = torch.randn(2, 4, 6, 6)
    assert torch.equal(same(x), F.relu(x))
    down = cnn.ResidualUnit(4, 8, stride=2)
    proj = down.projection[0]
    assert isinstance(proj, torch.nn.Conv2d) and proj.kernel_size == (1, 1) and proj.stride == (2, 2)
    assert down(x).shape == (2, 8, 3, 3)
    plain = cnn.ResidualUnit(4, 8, stride=2, shortcut=False)
    assert plain.projection is None and plain(x).shape == (2, 8, 3, 3)


def test_shortcuts_keep_the_gradient_at_the_first_layer_alive():
    x, y = torch.randn(16, 1, 8, 8, generator=torch.Generator().manual_seed(0)), torch.arange(16) % 10
    norms = {}
    for residual in (False, True):
        torch.manual_seed(0)
        net = cnn.DeepConvNet(depth=30, residual=residual)
        F.cross_entropy(net(x), y).backward()
        norms[residual] = net.layer_grad_norms()
    # 普通深网络：第一层的梯度比最后一层小几个数量级；残差网络：同一数量级
    assert norms[False][0] < 1e-3 * norms[False][-1]
    assert norms[True][0] > 0.1 * norms[True][-1]
    assert norms[True][0] > 1e3 * norms[False][0]


def test_train_rejects_bad_arguments_and_learns():
    X, y = np.zeros((8, 1, 8, 8)), np.zeros(8, dtype=int)
    with pytest.raises(ValueError, match="epochs"):
        cnn.train(cnn.LeNet(), X, y, epochs=0)
    with pytest.raises(ValueError, match="样本"):
        cnn.train(cnn.LeNet(), X, y[:5], epochs=1)
    rng = np.random.default_rng(0)
    X = rng.standard_normal((64, 1, 8, 8)).astype(np.float32)
    y = (X[:, 0, :4].sum(axis=(1, 2)) > 0).astype(int)   # 上半幅图的亮度决定类别
    hist = cnn.train(cnn.SimpleCNN(num_classes=2), X, y, epochs=15, lr=1e-2, batch_size=16)
    assert hist.acc[-1] > 0.9 and hist.loss[-1] < hist.loss[0]


# ---------------------------------------------------------------- MNIST-1D
def test_mnist1d_is_generated_locally_without_touching_global_rng(tmp_path, monkeypatch):
    from nndl_ref.data_mnist1d import load_mnist1d

    monkeypatch.chdir(tmp_path)
    np.random.seed(123)
    random.seed(123)
    before = (np.random.random(), random.random())
    np.random.seed(123)
    random.seed(123)
    d = load_mnist1d()
    assert (np.random.random(), random.random()) == before      # 全局随机状态原样恢复
    assert list(tmp_path.iterdir()) == []                        # 没写任何文件（没有下载缓存）
    assert d.X_train.shape == (4000, 40) and d.X_test.shape == (1000, 40)
    assert d.X_train.dtype == np.float64 and d.y_train.dtype == np.int64
    assert set(np.unique(d.y_train)) == set(range(10))
    d.X_train[:] = 0                                             # 改副本不影响缓存
    assert load_mnist1d().X_train.std() > 0.5


def test_mnist1d_missing_package_message(monkeypatch):
    from nndl_ref import data_mnist1d

    monkeypatch.setitem(sys.modules, "mnist1d.data", None)
    with pytest.raises(ImportError, match="pip install"):
        data_mnist1d.load_mnist1d(num_samples=20)                # 参数不同：不命中缓存
    with pytest.raises(ValueError, match="num_samples"):
        data_mnist1d.load_mnist1d(num_samples=3)
