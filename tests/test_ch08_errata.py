"""第 8 章勘误：笔记里说错或说不清的地方，用数值把正确的说法钉住（见 docs/appendix/errata.md 第 8 章一节）。"""

from __future__ import annotations

import numpy as np

from nndl_ref.numpy import attention as At
from nndl_ref.numpy import ssm


def test_multi_head_buys_flexibility_not_speed():
    # 笔记（000）："多头注意力并不是加速，而是增加灵活性 → 解码速度更快"。前半句对，后半句错：
    # h 个 D/h 维的头与 1 个 D 维的头参数一样多、乘加次数一样多，解码不会更快；改变的是模型能表示的函数
    rng = np.random.default_rng(0)
    D, T = 16, 10
    one = At.MultiHeadAttention(D, 1, rng)
    four = At.MultiHeadAttention(D, 4, rng)
    four.params.update({k: v.copy() for k, v in one.params.items()})     # 完全相同的权重
    assert sum(v.size for v in one.params.values()) == sum(v.size for v in four.params.values())
    macs = lambda h: 4 * T * D * D + h * 2 * T * T * (D // h)  # noqa: E731 — 投影 + 每个头的 QKᵀ 与 AV
    assert macs(1) == macs(4) == macs(16)
    X = rng.normal(size=(1, T, D))
    # 同样的权重，分成 4 个头后是另一个函数：每个头有自己的注意力分布
    assert not np.allclose(one.forward(X), four.forward(X))
    assert four.attention.shape == (1, 4, T, T) and not np.allclose(four.attention[0, 0], four.attention[0, 1])


def test_attention_is_a_soft_database_lookup():
    # 笔记（000）："多头注意力来源于数据库"。来自数据库（检索）的是查询 / 键 / 值的说法：注意力是按键取值的
    # 软性版本，β → ∞ 时就是硬性的"取最像的键的值"；与头的个数无关
    rng = np.random.default_rng(1)
    K, V = rng.normal(size=(5, 3)), rng.normal(size=(5, 2))
    q = rng.normal(size=3)
    np.testing.assert_allclose(At.soft_lookup(q, K, V, beta=1e4), At.hard_lookup(q, K, V), atol=1e-12)


def test_mamba_state_is_fixed_size_attention_cache_grows():
    # 笔记（000）："mamba 的性能比 Transformer 好?!"。没有这样的一般结论。Mamba 确定的优势在推理代价：
    # 每生成一个词只更新固定大小的状态 (D, N)；自注意力要保留并扫描全部 T 个键和值（KV 缓存随 T 增长）。
    # 效果上各有胜负：在需要逐字复制或检索的任务上注意力更强（正文 8.10 节的倒序任务比较）
    rng = np.random.default_rng(2)
    D, N = 3, 4
    A = -np.exp(rng.normal(size=(D, N)))
    for T in (8, 64):
        x, B, C = rng.normal(size=(T, D)), rng.normal(size=(T, N)), rng.normal(size=(T, N))
        delta = np.logaddexp(0, rng.normal(size=(T, D)))
        # 逐步递推只需要 (D, N) 的状态，与整段并行计算的结果相同
        np.testing.assert_allclose(ssm.selective_scan(x, delta, A, B, C),
                                   ssm.selective_scan_parallel(x, delta, A, B, C), rtol=1e-10, atol=1e-12)
        kv_cache = 2 * T * D                                   # 注意力：第 T 步要看的键和值
        assert A.size == D * N and kv_cache == 2 * T * D      # 状态不随 T 变，缓存随 T 线性增长
