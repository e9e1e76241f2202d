"""手写数字总表：第 3、4、5 章在 scikit-learn 自带的手写数字（8×8，1347 训练 / 450 测试）上的模型，
NumPy 从零实现与 PyTorch 实现用同样的设置各训练 3 个种子（0、1、2）。

每一行两边的模型结构、优化器和超参数相同（页面上的设置；初始化各用各库的方式）；种子决定初始化和批的顺序。报告测试准确率的
平均 ± 标准差（总体标准差）与单次训练的墙钟时间（中位数）。torch 单线程，NumPy 的 BLAS 单线程。

运行：``make bench`` 或 ``python benchmarks/bench_digits.py``（约 1–2 分钟）；结果写入
``benchmarks/results/digits.md`` 与 ``.json``。
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import torch  # noqa: E402

from _common import write_table  # noqa: E402
from nndl_ref import data  # noqa: E402
from nndl_ref.numpy import cnn as np_cnn  # noqa: E402
from nndl_ref.numpy import linear as np_linear  # noqa: E402
from nndl_ref.numpy import mlp as np_mlp  # noqa: E402
from nndl_ref.numpy.train import fit as np_fit  # noqa: E402
from nndl_ref.torch import cnn as th_cnn  # noqa: E402
from nndl_ref.torch import linear as th_linear  # noqa: E402
from nndl_ref.torch import mlp as th_mlp  # noqa: E402
from nndl_ref.torch.train import fit as th_fit  # noqa: E402

SEEDS = (0, 1, 2)


def np_run(make, X, y, Xt, yt, **kw):
    def run(seed):
        model = make(seed)
        np_fit(model, X, y, seed=seed, progress=False, **kw)
        return float(np.mean(model.predict(Xt) == yt))
    return run


def th_run(make, X, y, Xt, yt, *, lr, weight_decay=0.0, **kw):
    def run(seed):
        torch.manual_seed(seed)
        model = make(seed)
        opt = torch.optim.SGD(model.parameters(), lr=lr, weight_decay=weight_decay)
        th_fit(model, X, y, seed=seed, lr=lr, optimizer=opt, device="cpu", progress=False, **kw)
        model.eval()
        with torch.no_grad():
            pred = model(torch.as_tensor(Xt, dtype=torch.float32)).argmax(1).numpy()
        return float(np.mean(pred == yt))
    return run


def lenet_run(X, y, Xt, yt):
    def run(seed):
        torch.manual_seed(seed)
        model = th_cnn.LeNet()
        th_cnn.train(model, X, y, seed=seed, epochs=30, lr=3e-3, batch_size=32)
        return th_cnn.accuracy(model, Xt, yt)
    return run


def measure(run):
    accs, secs = [], []
    for seed in SEEDS:
        t0 = time.perf_counter()
        accs.append(run(seed))
        secs.append(time.perf_counter() - t0)
    return [f"{100 * statistics.mean(accs):.1f} ± {100 * statistics.pstdev(accs):.1f}%",
            f"{statistics.median(secs):.1f} s"]


def main() -> None:
    torch.set_num_threads(1)
    d = data.load_digits(standardize=True)
    X, y, Xt, yt = d.X_train, d.y_train, d.X_test, d.y_test
    raw = data.load_digits()
    Xr, Xrt = raw.X_train / 16, raw.X_test / 16            # 卷积网络用 [0, 1] 的像素（第 5 章页面的设置）
    sgd30 = dict(epochs=30, lr=0.1, batch_size=32)
    settings = [
        ("第 3 章 Softmax 回归", "SGD 0.1，权重衰减 1e-3，30 轮，批 32（标准化输入）",
         np_run(lambda s: np_linear.SoftmaxRegression(64, 10, weight_decay=1e-3), X, y, Xt, yt, **sgd30),
         th_run(lambda s: th_linear.SoftmaxRegression(64, 10), X, y, Xt, yt, weight_decay=1e-3, **sgd30)),
        ("第 4 章 MLP 64-100-10（ReLU）", "SGD 0.1，权重衰减 1e-3，30 轮，批 32（标准化输入）",
         np_run(lambda s: np_mlp.MLP([64, 100, 10], "relu", seed=s, weight_decay=1e-3), X, y, Xt, yt, **sgd30),
         th_run(lambda s: th_mlp.MLP([64, 100, 10], "relu", seed=s), X, y, Xt, yt, weight_decay=1e-3, **sgd30)),
        ("第 5 章 SimpleCNN（两个 3×3 卷积块 8→16 通道，1,898 参数）", "SGD 0.2，15 轮，批 32（像素 / 16）",
         np_run(lambda s: np_cnn.SimpleCNN(seed=s), Xr, raw.y_train, Xrt, raw.y_test, epochs=15, lr=0.2, batch_size=32),
         th_run(lambda s: th_cnn.SimpleCNN(), Xr, raw.y_train, Xrt, raw.y_test, epochs=15, lr=0.2, batch_size=32)),
        ("第 5 章 LeNet 式", "Adam 3e-3，余弦退火，30 轮，批 32（像素 / 16）", None,
         lenet_run(Xr.reshape(-1, 1, 8, 8), raw.y_train, Xrt.reshape(-1, 1, 8, 8), raw.y_test)),
    ]
    rows = []
    for title, setup, np_r, th_r in settings:
        cells = [title, setup]
        for run in (np_r, th_r):
            cells += ["—", "—"] if run is None else measure(run)
        rows.append(cells)
        print(cells, flush=True)
    write_table("digits", "手写数字总表：测试准确率（3 个种子的平均 ± 标准差）与单次训练时间",
                ["模型", "训练设置", "NumPy 从零实现", "NumPy 用时", "PyTorch", "PyTorch 用时"], rows,
                notes="scikit-learn 自带的手写数字（8×8 灰度，1347 训练 / 450 测试，按固定种子划分，不下载）。"
                      "同一行两边的结构、优化器与超参数相同；torch 与 NumPy 都单线程。"
                      "NumPy 用 float64，torch 用 float32。"
                      "\"—\"：LeNet 式网络只有 torch 版（NumPy 从零实现的卷积网络是同一行上面的 SimpleCNN）。")


if __name__ == "__main__":
    main()
