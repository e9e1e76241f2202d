"""第 6 章的真实任务：语料、字符表、训练函数的接口与错误输入（完整训练在 snippets/ch06-rnn/ 里运行并检查）。"""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from nndl_ref.data_text import CharVocab, load_python_docs
from nndl_ref.torch import rnn as TR


def test_python_docs_are_real_text_available_offline():
    text = load_python_docs()
    assert len(text) > 400_000 and "statement" in text
    assert load_python_docs(1000) == text[:1000]
    with pytest.raises(ValueError, match="max_chars"):
        load_python_docs(0)


def test_vocab_round_trip_and_errors():
    v = CharVocab("hello world")
    assert v.decode(v.encode("low")) == "low"
    with pytest.raises(ValueError, match="不在字符表"):
        v.encode("xyz")
    with pytest.raises(ValueError, match=r"\[0, 8\)"):
        v.decode([99])
    with pytest.raises(ValueError, match="非空"):
        CharVocab("")


def test_untrained_language_model_has_perplexity_near_vocabulary_size():
    text = load_python_docs(20_000)
    v = CharVocab(text)
    torch.manual_seed(0)
    model = TR.CharLM(len(v), hidden_size=16, embed_size=8)
    ppl = TR.perplexity(model, v.encode(text[:2000]), seq_len=50)
    assert 0.5 * len(v) < ppl < 1.5 * len(v)
    with pytest.raises(ValueError, match="太短"):
        TR.perplexity(model, v.encode("abc"), seq_len=50)


def test_short_char_lm_training_reduces_the_loss_and_samples():
    text = load_python_docs(30_000)
    model, vocab, hist = TR.train_char_lm(text, hidden_size=32, seq_len=32, batch_size=16, steps=60, eval_every=30)
    assert hist["step"] == [30, 60] and hist["train_loss"][-1] < math.log(len(vocab))
    assert all(n > 0 for n in hist["grad_norm"]) and len(hist["grad_norm_max"]) == 2
    s = TR.sample(model, vocab, "The ", length=20, temperature=0.8, seed=1)
    assert s.startswith("The ") and len(s) == 24
    assert s == TR.sample(model, vocab, "The ", length=20, temperature=0.8, seed=1)     # 给定种子可复现
    with pytest.raises(ValueError, match="temperature"):
        TR.sample(model, vocab, "The ", temperature=0)
    with pytest.raises(ValueError, match="文本太短"):
        TR.train_char_lm("abc" * 10, seq_len=64, steps=1)


def test_reverse_task_data_and_a_short_training():
    src, tgt = TR.make_reverse_data(5, length=4, seed=0)
    assert src.shape == (4, 5) and tgt.shape == (5, 5)
    assert np.all(tgt[0] == TR.PAD_START) and np.array_equal(tgt[1:], src[::-1])
    with pytest.raises(ValueError, match="正整数"):
        TR.make_reverse_data(0)
    model, hist = TR.train_seq2seq(length=3, hidden_size=16, steps=100, batch_size=16)
    assert hist["step"] == [100] and 0.0 <= hist["seq_acc"][0] <= 1.0


def test_mnist1d_gru_rejects_bad_chunk():
    with pytest.raises(ValueError, match="chunk"):
        TR.train_mnist1d_gru(chunk=3, epochs=1)
