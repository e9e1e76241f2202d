"""第 8 章：torch 一侧的小 Transformer——数据、评估函数、位置信息的作用、可替换的时间混合子层。"""

from __future__ import annotations

import pytest
import torch

from nndl_ref.torch import transformer as TT


def test_make_task_layout():
    seq = TT.make_task(5, length=6, task="sort", seed=1)
    assert seq.shape == (5, 13) and torch.all(seq[:, 6] == TT.SEP)
    assert torch.equal(seq[:, 7:], seq[:, :6].sort(dim=1).values)
    rev = TT.make_task(5, length=6, task="reverse", seed=1)
    assert torch.equal(rev[:, 7:], rev[:, :6].flip(1))
    with pytest.raises(ValueError, match="task"):
        TT.make_task(2, task="copy")
    with pytest.raises(ValueError, match="正整数"):
        TT.make_task(0)


def test_exact_match_equals_greedy_generation():
    """一次带因果掩码的前向 = 逐步贪心生成（在一个只训练了一部分、会犯错的模型上检查）。"""
    model, _ = TT.train_task("sort", steps=60, eval_every=60)
    data = TT.make_task(300, length=8, task="sort", seed=7)
    gen = model.generate(data[:, :9], steps=8)
    by_generation = float((gen == data[:, 9:]).all(dim=1).float().mean())
    assert 0.05 < by_generation < 0.95                          # 模型还会犯错，比较才有意义
    assert TT.exact_match(model, data) == pytest.approx(by_generation)


def test_positions_matter_for_reversal_not_for_sorting():
    _, rev = TT.train_task("reverse", positional="none", steps=200, eval_every=200)
    _, srt = TT.train_task("sort", positional="none", steps=200, eval_every=200)
    assert rev["seq_acc"][-1] < 0.05 < 0.5 < srt["seq_acc"][-1], (rev["seq_acc"], srt["seq_acc"])


@pytest.mark.parametrize("mixer", ["attention", "mamba", "mlstm"])
@pytest.mark.parametrize("positional", ["learned", "sinusoidal"])
def test_tiny_transformer_mixers_shapes_and_causality(mixer, positional):
    torch.manual_seed(0)
    model = TT.TinyTransformer(D=16, num_heads=2, num_layers=1, F_=32, max_len=17, positional=positional,
                               mixer=mixer).eval()
    ids = TT.make_task(3, 8, seed=0)[:, :-1]
    with torch.no_grad():
        Z = model(ids)
        ids2 = ids.clone()
        ids2[:, 10:] = (ids2[:, 10:] + 1) % 10
        Z2 = model(ids2)
    assert Z.shape == (3, 16, TT.VOCAB)
    torch.testing.assert_close(Z[:, :10], Z2[:, :10])          # 后面的词不影响前面的输出


def test_bad_options():
    with pytest.raises(ValueError, match="mixer"):
        TT.TinyTransformer(mixer="conv")
    with pytest.raises(ValueError, match="positional"):
        TT.TinyTransformer(positional="rope")
