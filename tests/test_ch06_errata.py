"""第 6 章勘误：笔记里写错或说不清的地方，用数值把正确的说法钉住（见 docs/appendix/errata.md 第 6 章一节）。"""

from __future__ import annotations

import numpy as np
import torch

from nndl_ref.numpy import rnn as R
from nndl_ref.numpy.activations import logistic
from nndl_ref.numpy.losses import softmax


def _lstm_step_with(candidate, x, h, c, W, U, b):
    """照公式写的一步 LSTM，候选记忆的激活函数可换（用来对照笔记的写法）。"""
    H = h.shape[1]
    a = x @ W.T + h @ U.T + b
    i, f, o = logistic(a[:, :H]), logistic(a[:, H:2 * H]), logistic(a[:, 3 * H:])
    c_new = f * c + i * candidate(a[:, 2 * H:3 * H])
    return o * np.tanh(c_new), c_new


def test_lstm_candidate_memory_uses_tanh_not_sigmoid():
    # 笔记（002）："g_t 就是一个 sigmoid 函数"。候选记忆用 tanh：与 torch.nn.LSTM 一致；换成 σ 就不一致，
    # 而且 σ > 0 时记忆单元只能靠遗忘门变小、不能被新输入"减掉"
    rng = np.random.default_rng(0)
    B, D, H = 4, 3, 5
    W, U, b = rng.standard_normal((4 * H, D)), rng.standard_normal((4 * H, H)), rng.standard_normal(4 * H)
    x, h, c = rng.standard_normal((B, D)), rng.standard_normal((B, H)), rng.standard_normal((B, H))
    net = torch.nn.LSTM(D, H).double()
    with torch.no_grad():
        net.weight_ih_l0.copy_(torch.from_numpy(W))
        net.weight_hh_l0.copy_(torch.from_numpy(U))
        net.bias_ih_l0.copy_(torch.from_numpy(b))
        net.bias_hh_l0.zero_()
    _, (hn, cn) = net(torch.from_numpy(x[None]), (torch.from_numpy(h[None]), torch.from_numpy(c[None])))
    ours_h, ours_c, _ = R.lstm_step_forward(x, h, c, W, U, b)
    assert np.allclose(ours_c, cn[0].detach().numpy()) and np.allclose(ours_h, hn[0].detach().numpy())
    assert np.allclose(_lstm_step_with(np.tanh, x, h, c, W, U, b)[1], ours_c)
    assert not np.allclose(_lstm_step_with(logistic, x, h, c, W, U, b)[1], ours_c)
    # 遗忘门全开（f = 1）时，σ 候选只能让记忆增加；tanh 候选可以让它减少
    b_open = b.copy()
    b_open[H:2 * H] = 50.0
    for cand, can_decrease in ((logistic, False), (np.tanh, True)):
        c_new = _lstm_step_with(cand, x, h, c, W, U, b_open)[1]
        assert bool(np.any(c_new < c - 1e-6)) == can_decrease


def test_candidate_has_its_own_weights_and_bias_not_the_input_gates():
    # 笔记（000）：c_t = f_t∘c_{t-1} + i∘tanh(W_t[x_t, h_{t-1}] + b_i)——候选记忆借用了输入门的偏置 b_i。
    # 四组 (W, U, b) 各自独立：改候选记忆那一段偏置，输入门的值不变、候选记忆变了
    rng = np.random.default_rng(1)
    B, D, H = 2, 3, 4
    W, U, b = rng.standard_normal((4 * H, D)), rng.standard_normal((4 * H, H)), np.zeros(4 * H)
    x, h, c = rng.standard_normal((B, D)), rng.standard_normal((B, H)), rng.standard_normal((B, H))
    cache0 = R.lstm_step_forward(x, h, c, W, U, b)[2]
    b2 = b.copy()
    b2[2 * H:3 * H] += 1.0                                          # 只改 b_c
    cache1 = R.lstm_step_forward(x, h, c, W, U, b2)[2]
    assert np.array_equal(cache0[5], cache1[5])                    # i_t 不变
    assert not np.allclose(cache0[7], cache1[7])                   # c̃_t 变了
    # 梯度上也是四组独立的参数：∂L/∂b_i ≠ ∂L/∂b_c
    db = R.lstm_step_backward(np.ones((B, H)), np.zeros((B, H)), cache0)[5]
    assert not np.allclose(db[:H], db[2 * H:3 * H])


def test_lstm_has_four_parameter_groups_not_three():
    # 笔记（000）："其中的三种 W 和 b 会自行学习出来"——三个门之外，候选记忆还有一组，共四组
    D, H = 10, 20
    net = R.Recurrent("lstm", D, H, np.random.default_rng(0))
    assert net.params["W"].shape == (4 * H, D) and net.params["U"].shape == (4 * H, H)
    assert sum(p.numel() for p in torch.nn.LSTM(D, H).parameters()) == 4 * (H * D + H * H + 2 * H)


def test_softmax_output_uses_categorical_not_binary_cross_entropy():
    # 笔记（003）：o_t = softmax(V h_t)，L_t = −[y_t log o_t + (1 − y_t) log(1 − o_t)]（二分类交叉熵）。
    # Softmax 输出配多类交叉熵 L_t = −log o_{t, y_t}；把二分类公式逐类求和是另一个损失，梯度也不是 o − y
    rng = np.random.default_rng(0)
    T_, B_, C = 3, 2, 5
    Z, y = rng.standard_normal((T_, B_, C)), rng.integers(0, C, (T_, B_))
    loss, dZ = R.sequence_cross_entropy(Z, y)
    O = softmax(Z)
    Y = np.eye(C)[y]
    assert np.isclose(loss, -np.mean(np.log(O[Y == 1])))
    assert np.allclose(dZ, (O - Y) / (T_ * B_))
    binary = -np.mean(np.sum(Y * np.log(O) + (1 - Y) * np.log(1 - O), axis=-1))
    assert not np.isclose(binary, loss)


def test_bias_is_shared_over_time():
    # 笔记（001）：h_t = σ(W_hh h_{t-1} + W_xh x_t + b_t)——下标 t 像是每个时刻一个偏置；其实 b 在所有时刻共享，
    # 它的梯度是各时刻 δ_t 之和
    rng = np.random.default_rng(0)
    T_, B_, D, H = 6, 2, 3, 4
    W, U, b = rng.standard_normal((H, D)), rng.standard_normal((H, H)) * 0.5, rng.standard_normal(H)
    x, g = rng.standard_normal((T_, B_, D)), rng.standard_normal((T_, B_, H))
    h, cache = R.rnn_forward(x, None, W, U, b)
    record: list = []
    *_, db = R.rnn_backward(g, cache, record=record)
    deltas = [(1 - h[t] ** 2) * record[T_ - 1 - t] for t in range(T_)]   # δ_t = f'(z_t) ⊙ ∂L/∂h_t
    assert db.shape == (H,) and np.allclose(db, sum(d.sum(axis=0) for d in deltas))


def test_notes_swap_the_letters_U_and_W():
    # 笔记（003）：s_t = U x_t + W h_{t-1} + b。书中：z_t = U h_{t-1} + W x_t + b（W 乘输入，U 乘状态）。
    # 同一个模型，只是字母对调：笔记的 (U, W) = 书中的 (W, U)
    rng = np.random.default_rng(0)
    x = rng.standard_normal((5, 2, 3))
    A, M, b = rng.standard_normal((4, 3)), rng.standard_normal((4, 4)) * 0.5, rng.standard_normal(4)
    h_book, _ = R.rnn_forward(x, None, W=A, U=M, b=b)                # 书：W 乘 x
    U_notes, W_notes = A, M                                          # 笔记：U 乘 x，W 乘 h
    h, out = np.zeros((2, 4)), []
    for t in range(5):
        h = np.tanh(x[t] @ U_notes.T + h @ W_notes.T + b)           # s_t = U x_t + W h_{t-1} + b
        out.append(h)
    assert np.allclose(np.stack(out), h_book)


def test_relu_rnn_explodes_only_when_U_amplifies():
    # 笔记（002）："不能使用 relu，因为是同一个参数走了很多层，会梯度爆炸"。说过头了：ReLU 循环网络在 U 放大
    # 正的状态时（如 U = 1.1 I）状态和梯度都按 1.1^t 爆炸；U = 0.9 I 时两者都有界（用 ReLU 的循环网络要这样
    # 小心初始化，再配合梯度截断）
    rng = np.random.default_rng(1)
    T_, H = 60, 8
    x = np.abs(rng.standard_normal((T_, 4, 3))) * 0.5
    W = np.abs(rng.standard_normal((H, 3))) * 0.2
    big = R.bptt_gradient_norms("rnn", x, W, 1.1 * np.eye(H), np.zeros(H), activation="relu")
    small = R.bptt_gradient_norms("rnn", x, W, 0.9 * np.eye(H), np.zeros(H), activation="relu")
    assert np.isclose(big[0] / big[-1], 1.1 ** (T_ - 1))
    assert np.isclose(small[0] / small[-1], 0.9 ** (T_ - 1))
    h_small, _ = R.rnn_forward(x, None, W, 0.9 * np.eye(H), np.zeros(H), activation="relu")
    assert np.abs(h_small).max() < 10


def test_relu_rnn_spectral_radius_below_one_is_not_enough():
    # 谱半径 ρ(U) < 1 不能保证 ReLU 循环网络的状态有界。U = [[1.5, 1], [−2, −1]] 的 ρ = √0.5 ≈ 0.707，
    # 线性网络 h_t = U h_{t−1} 因此按 ρ^t 衰减；但从 h_0 = (1, 0)、b = 0、无输入出发，ReLU 每一步都把第二个分量
    # 截成 0：U (a, 0) = (1.5a, −2a) → ReLU → (1.5a, 0)，状态按 1.5^t 增长
    U = np.array([[1.5, 1.0], [-2.0, -1.0]])
    rho = np.max(np.abs(np.linalg.eigvals(U)))
    assert np.isclose(rho, np.sqrt(0.5)) and np.linalg.norm(U, 2) > 1
    T_ = 40
    x, W, b, h0 = np.zeros((T_, 1, 1)), np.zeros((2, 1)), np.zeros(2), np.array([[1.0, 0.0]])
    h, _ = R.rnn_forward(x, h0, W, U, b, activation="relu")
    norms = np.linalg.norm(h[:, 0], axis=1)
    np.testing.assert_allclose(norms, 1.5 ** np.arange(1, T_ + 1), rtol=1e-12)
    assert norms[-1] > 1.1e7                                          # 40 步后约 1.1e7
    assert np.linalg.norm(np.linalg.matrix_power(U, T_) @ h0[0]) < 1e-5   # 同一个 U，线性网络衰减


def test_relu_rnn_state_is_bounded_when_spectral_norm_below_one():
    # 充分条件：‖U‖₂ < 1。ReLU 是 1-Lipschitz 且 ReLU(0) = 0，所以 ‖h_t‖ ≤ ‖U‖₂‖h_{t−1}‖ + ‖W x_t + b‖，
    # 递推得 ‖h_t‖ ≤ ‖U‖₂^t ‖h_0‖ + c (1 − ‖U‖₂^t)/(1 − ‖U‖₂)，c = max_t ‖W x_t + b‖
    rng = np.random.default_rng(0)
    T_, B, D, H = 200, 16, 3, 8
    M = rng.standard_normal((H, H))
    s = 0.95
    U = s * M / np.linalg.norm(M, 2)                                   # ‖U‖₂ = 0.95，谱半径更小
    W, b = rng.standard_normal((H, D)), rng.standard_normal(H)
    x, h0 = 5 * rng.standard_normal((T_, B, D)), 10 * np.abs(rng.standard_normal((B, H)))
    h, _ = R.rnn_forward(x, h0, W, U, b, activation="relu")
    c = np.linalg.norm(x @ W.T + b, axis=2).max(axis=0)                # 每条序列的 c
    t = np.arange(1, T_ + 1)[:, None]
    bound = s ** t * np.linalg.norm(h0, axis=1) + c * (1 - s ** t) / (1 - s)
    assert np.all(np.linalg.norm(h, axis=2) <= bound * (1 + 1e-12))
    # 同一个界对上一个测试的反例不成立：那里 ‖U‖₂ > 1
    assert np.linalg.norm(np.array([[1.5, 1.0], [-2.0, -1.0]]), 2) > 2


def test_gru_merges_input_and_forget_gates_into_one_update_gate():
    # 笔记（002）："GRU：带有门的循环单元，砍掉了 f，少了全连接层"。GRU 没有"砍掉"遗忘门：更新门 z_t 同时
    # 起遗忘门（保留 z_t 的旧状态）和输入门（写入 1 − z_t 的新状态）的作用；另有重置门 r_t；没有单独的记忆单元和
    # 输出门。参数是 LSTM 的 3/4
    D, H = 10, 20
    assert sum(p.numel() for p in torch.nn.GRU(D, H).parameters()) * 4 == \
        sum(p.numel() for p in torch.nn.LSTM(D, H).parameters()) * 3
    rng = np.random.default_rng(0)
    W, U, b = rng.standard_normal((3 * H, D)), rng.standard_normal((3 * H, H)), rng.standard_normal(3 * H)
    x, h_prev = rng.standard_normal((2, D)), rng.standard_normal((2, H))
    h, cache = R.gru_step_forward(x, h_prev, W, U, b)
    z, h_tilde = cache[5], cache[7]
    assert np.allclose(h, z * h_prev + (1 - z) * h_tilde)           # 保留比例 + 写入比例 = 1
