"""MNIST-1D 总表：论文（Greydanus 2020）的每个基线，用本站的 NumPy 从零实现和 PyTorch 实现各训练 3 个种子。

统一的训练设置取论文的：Adam，学习率 1e-2，批 100，训练步数见表；数据是 ``nndl_ref.data_mnist1d.load_mnist1d()``
（4000 训练 / 1000 测试，本机生成，不下载）。NumPy 版用 ``nndl_ref.numpy.optim.Adam``，torch 版用
``torch.optim.Adam``——两者按同一公式更新（第 7 章的测试逐步核对过）。报告测试准确率的平均 ± 标准差
（总体标准差，3 个种子：0、1、2）与单次训练的墙钟时间（中位数），旁边是论文的数字。

运行：``make bench`` 或 ``python benchmarks/bench_mnist1d.py``（约 8–10 分钟）；结果写入
``benchmarks/results/mnist1d.md`` 与 ``.json``。
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
# 小矩阵上 OpenBLAS 的多线程只有同步开销（机器上还有别的进程时能慢十倍以上）：两边都用单线程比较
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import torch  # noqa: E402

from _common import write_table  # noqa: E402
from nndl_ref.data_mnist1d import PUBLISHED_ACCURACY, load_mnist1d  # noqa: E402
from nndl_ref.numpy import cnn as np_cnn  # noqa: E402
from nndl_ref.numpy import linear as np_linear  # noqa: E402
from nndl_ref.numpy import mlp as np_mlp  # noqa: E402
from nndl_ref.numpy import rnn as np_rnn  # noqa: E402
from nndl_ref.numpy import transformer as np_transformer  # noqa: E402
from nndl_ref.numpy.optim import Adam  # noqa: E402
from nndl_ref.torch import cnn as th_cnn  # noqa: E402
from nndl_ref.torch import linear as th_linear  # noqa: E402
from nndl_ref.torch import mlp as th_mlp  # noqa: E402
from nndl_ref.torch import rnn as th_rnn  # noqa: E402
from nndl_ref.torch import transformer as th_transformer  # noqa: E402

SEEDS = (0, 1, 2)
LR, BATCH = 1e-2, 100


def train_numpy(model, X, y, steps: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    opt = Adam(model.params(), lr=LR)
    n = len(X)
    order = rng.permutation(n)
    pos = 0
    for _ in range(steps):
        if pos + BATCH > n:
            order, pos = rng.permutation(n), 0
        idx = order[pos:pos + BATCH]
        pos += BATCH
        _, grads = model.loss_and_grads(X[idx], y[idx])
        opt.step(grads)


def train_torch(model, X, y, steps: int, seed: int) -> None:
    gen = torch.Generator().manual_seed(seed)
    Xt, yt = torch.as_tensor(X, dtype=torch.float32), torch.as_tensor(y)
    opt = torch.optim.Adam(model.parameters(), lr=LR)
    n = len(Xt)
    order, pos = torch.randperm(n, generator=gen), 0
    model.train()
    for _ in range(steps):
        if pos + BATCH > n:
            order, pos = torch.randperm(n, generator=gen), 0
        idx = order[pos:pos + BATCH]
        pos += BATCH
        loss = torch.nn.functional.cross_entropy(model(Xt[idx]), yt[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()


def acc_numpy(model, X, y) -> float:
    return float(np.mean(model.predict(X) == y))


@torch.no_grad()
def acc_torch(model, X, y) -> float:
    model.eval()
    return float((model(torch.as_tensor(X, dtype=torch.float32)).argmax(1) == torch.as_tensor(y)).float().mean())


def numpy_runs(make, steps):
    def run(d, seed):
        m = make(seed)
        train_numpy(m, d.X_train, d.y_train, steps, seed)
        return acc_numpy(m, d.X_test, d.y_test)
    return run


def torch_runs(make, steps):
    def run(d, seed):
        torch.manual_seed(seed)
        m = make(seed)
        train_torch(m, d.X_train, d.y_train, steps, seed)
        return acc_torch(m, d.X_test, d.y_test)
    return run


def history_runs(train, **kw):
    """章节里自带训练函数的模型（GRU、Transformer）：``train(seed=…, **kw)`` 返回 ``(model, history)``，
    取 ``history.val_acc[-1]``——最后一步结束时的测试准确率（不挑最好的一次）。"""
    def run(d, seed):
        _model, hist = train(seed=seed, **kw)
        return float(hist.val_acc[-1])
    return run


def main() -> None:
    torch.set_num_threads(1)
    d = load_mnist1d()
    D, C = d.X_train.shape[1], 10
    settings = [
        ("Logistic 回归", "logistic", 6000,
         numpy_runs(lambda s: np_linear.SoftmaxRegression(D, C), 6000),          # 零初始化：种子只影响批的顺序
         torch_runs(lambda s: th_linear.SoftmaxRegression(D, C), 6000)),
        ("MLP 40-100-100-10（ReLU）", "mlp", 6000,
         numpy_runs(lambda s: np_mlp.MLP([D, 100, 100, C], "relu", seed=s), 6000),
         torch_runs(lambda s: th_mlp.MLP([D, 100, 100, C], "relu", seed=s), 6000)),
        ("CNN（论文的网络，5,210 参数）", "cnn", 6000, None,
         torch_runs(lambda s: th_cnn.PublishedMNIST1DCNN(), 6000)),
        ("CNN（本站：全局最大汇聚，6,730 参数）", "cnn", 800,
         numpy_runs(lambda s: np_cnn.MNIST1DCNN(seed=s), 800),
         torch_runs(lambda s: th_cnn.MNIST1DCNN(), 800)),
        # 第 6 章的设置：15 轮 × 40 批 = 600 步，余弦退火、梯度截断到 1
        ("GRU（双向，隐状态 64；第 6 章的设置：余弦退火、梯度截断）", "gru", 600,
         history_runs(np_rnn.train_mnist1d_gru), history_runs(th_rnn.train_mnist1d_gru)),
        # 第 8 章 8.8.1 节的设置；eval_every=2000 只在最后评估一次，计时不含中途的评估
        ("Transformer（片段 8、步长 4，2 个编码器块，D=32，18,058 参数；第 8 章的设置：学习率 3e-3、预热 + 余弦退火、梯度截断）",
         None, 2000,
         history_runs(np_transformer.train_mnist1d_transformer, eval_every=2000),
         history_runs(th_transformer.train_mnist1d_transformer, eval_every=2000)),
    ]
    rows = []
    for title, key, steps, np_run, th_run in settings:
        cells = [title, f"{steps}"]
        for run in (np_run, th_run):
            if run is None:
                cells += ["—", "—"]
                continue
            accs, secs = [], []
            for seed in SEEDS:
                t0 = time.perf_counter()
                accs.append(run(d, seed))
                secs.append(time.perf_counter() - t0)
            cells += [f"{100 * statistics.mean(accs):.1f} ± {100 * statistics.pstdev(accs):.1f}%",
                      f"{statistics.median(secs):.1f} s"]
        cells.append(f"{100 * PUBLISHED_ACCURACY[key]:.0f}%" if key else "（论文未报告）")
        rows.append(cells)
        print(cells, flush=True)
    write_table("mnist1d", "MNIST-1D 总表：测试准确率（3 个种子的平均 ± 标准差）与单次训练时间",
                ["模型", "训练步数", "NumPy 从零实现", "NumPy 用时", "PyTorch", "PyTorch 用时", "论文"], rows,
                notes="除 GRU 与 Transformer（用各自章节的训练函数与设置）外，都是 Adam，学习率 1e-2，批 100（论文的设置）；"
                      "torch 与 NumPy 都单线程。\"—\"：论文的 CNN 只有 torch 版（NumPy 版的一维卷积网络是下一行本站的 CNN）。"
                      "论文的人类准确率约 96%。")


if __name__ == "__main__":
    main()
