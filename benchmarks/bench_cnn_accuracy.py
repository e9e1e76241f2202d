"""第 5 章：卷积网络的准确率随随机种子的波动（手写数字与 MNIST-1D），以及 MNIST-1D 论文网络的复现。

页面上只训练一个种子并检查阈值；这里把每个设置在多个种子上各跑一遍，报告最小 / 平均 / 最大测试准确率
与单次训练的时间，结果写入 ``benchmarks/results/cnn_accuracy.md``（第 5 章页面与"性能基准"页包含它）。

运行：``.venv/bin/python benchmarks/bench_cnn_accuracy.py``（约 4–6 分钟，2 核 CPU；``make bench`` 也会运行它）。
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402
import torch  # noqa: E402

from _common import write_table  # noqa: E402
from nndl_ref import data  # noqa: E402
from nndl_ref.data_mnist1d import PUBLISHED_ACCURACY, load_mnist1d  # noqa: E402
from nndl_ref.numpy.cnn import SimpleCNN  # noqa: E402
from nndl_ref.numpy.train import fit as np_fit  # noqa: E402
from nndl_ref.torch import cnn  # noqa: E402


def run(make, X, y, Xt, yt, seeds, **kw):
    accs, secs = [], []
    for seed in seeds:
        torch.manual_seed(seed)
        model = make()
        t0 = time.perf_counter()
        cnn.train(model, X, y, seed=seed, **kw)
        secs.append(time.perf_counter() - t0)
        accs.append(cnn.accuracy(model, Xt, yt))
        print(f"  seed {seed}: {accs[-1]:.4f} ({secs[-1]:.1f} s)", flush=True)
    return accs, secs


def row(name, setup, accs, secs, claim=""):
    return [name, setup, str(len(accs)), f"{min(accs):.1%}", f"{statistics.mean(accs):.1%}", f"{max(accs):.1%}",
            f"{statistics.median(secs):.1f} s", claim]


def main() -> None:
    rows = []
    d = data.load_digits()
    X, Xt = d.X_train.reshape(-1, 1, 8, 8) / 16, d.X_test.reshape(-1, 1, 8, 8) / 16
    digits = dict(epochs=30, lr=3e-3, batch_size=32)
    setup = "Adam 3e-3，余弦退火，30 轮，批 32"
    for name, make, seeds in (("LeNet 式（页面 5.6 节）", cnn.LeNet, range(10)), ("VGG 式（2 块 × 2 个 3×3 卷积）", cnn.VGG, range(3)),
                              ("ResNet（4 个残差单元，批归一化）", cnn.ResNet, range(3))):
        print(name, flush=True)
        accs, secs = run(make, X, d.y_train, Xt, d.y_test, seeds, **digits)
        rows.append(row(f"手写数字：{name}", setup, accs, secs, "≥ 98.5%" if make is cnn.LeNet else ""))

    print("NumPy SimpleCNN", flush=True)
    accs, secs = [], []
    for seed in range(3):
        net = SimpleCNN(seed=seed)
        t0 = time.perf_counter()
        np_fit(net, d.X_train / 16, d.y_train, epochs=15, lr=0.2, batch_size=32, seed=seed)
        secs.append(time.perf_counter() - t0)
        accs.append(float(np.mean(net.predict(d.X_test / 16) == d.y_test)))
        print(f"  seed {seed}: {accs[-1]:.4f} ({secs[-1]:.1f} s)", flush=True)
    rows.append(row("手写数字：NumPy 从零实现的 SimpleCNN", "SGD 0.2，15 轮，批 32", accs, secs, "≥ 95%"))

    m = load_mnist1d()
    print("MNIST-1D, ours", flush=True)
    accs, secs = run(lambda: cnn.MNIST1DCNN(channels=32), m.X_train, m.y_train, m.X_test, m.y_test, range(5),
                     epochs=20, lr=1e-2, batch_size=100)
    rows.append(row("MNIST-1D：本站的 CNN（全局最大汇聚，页面 5.8 节）", "Adam 1e-2，余弦退火，800 步，批 100",
                    accs, secs, "≥ 94%"))
    print("MNIST-1D, published", flush=True)
    accs, secs = run(cnn.PublishedMNIST1DCNN, m.X_train, m.y_train, m.X_test, m.y_test, range(5),
                     epochs=150, lr=1e-2, batch_size=100, cosine=False)
    rows.append(row("MNIST-1D：论文的 CNN（复现）", "Adam 1e-2 恒定，6000 步，批 100（论文设置）", accs, secs,
                    f"论文 {PUBLISHED_ACCURACY['cnn']:.0%}"))
    write_table("cnn_accuracy", "第 5 章：卷积网络的测试准确率（多个随机种子）",
                ["模型", "训练设置", "种子数", "最小", "平均", "最大", "单次训练（中位）", "页面上的断言 / 参照"], rows,
                "种子从 0 开始连续取，不挑选；torch 训练单线程（`nndl_ref.torch.cnn.train` 的默认），时间是这台共享 "
                "2 核虚拟机上的墙钟时间，会随负载波动。论文（Greydanus 2020）的其他基线："
                f"Logistic 回归 {PUBLISHED_ACCURACY['logistic']:.0%}，MLP {PUBLISHED_ACCURACY['mlp']:.0%}，"
                f"GRU {PUBLISHED_ACCURACY['gru']:.0%}。")


if __name__ == "__main__":
    main()
