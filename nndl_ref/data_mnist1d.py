r"""MNIST-1D（Greydanus 2020, "Scaling down deep learning"）：按论文的配方在本地生成，不下载任何东西。

10 个一维"数字"模板（长度 12），经过随机的填充、平移、缩放、剪切、相关噪声与独立噪声，
变成长度 40 的序列；默认 4000 条训练、1000 条测试。生成一次约 3 秒，同一进程内缓存（需要 ``mnist1d`` 包，
它依赖 numpy 与 scipy）。

只调用 ``mnist1d.data.make_dataset(get_dataset_args())``——**不调用** ``get_dataset()``：后者默认会
从网上下载并在当前目录写缓存文件。``make_dataset`` 用全局的 ``np.random`` 与 ``random`` 设种子，
本模块在调用前后保存并恢复这两个全局状态，不影响调用者的随机数。

已发表的测试准确率（论文表 1）：Logistic 回归 32%，MLP 68%，CNN 94%，GRU 91%，人类约 96%。
"""

from __future__ import annotations

import functools
import random

import numpy as np

from ._validate import check_seed
from .data import Split

PUBLISHED_ACCURACY = {"logistic": 0.32, "mlp": 0.68, "cnn": 0.94, "gru": 0.91, "human": 0.96}


def load_mnist1d(seed: int = 42, num_samples: int = 5000) -> Split:
    """生成 MNIST-1D，返回 ``nndl_ref.data.Split``：``X`` 形状 (N, 40)、float64，``y`` 形状 (N,)、int64。

    Parameters
    ----------
    seed : int
        生成数据的随机种子；默认 42 就是论文发布的那份数据的配方。
    num_samples : int
        样本总数，按 8:2 划分训练 / 测试（默认 5000 → 4000 / 1000）。

    Raises
    ------
    ImportError
        没有安装 ``mnist1d`` 时，提示安装命令。
    """
    if not (isinstance(num_samples, int) and not isinstance(num_samples, bool) and num_samples >= 10):
        raise ValueError(f"num_samples 应为 ≥ 10 的整数，实际为 {num_samples!r}")
    check_seed(seed)
    x, y, x_test, y_test = _generate(seed, num_samples)
    return Split(x.copy(), y.copy(), x_test.copy(), y_test.copy())


@functools.lru_cache(maxsize=4)
def _generate(seed: int, num_samples: int):
    """生成一次、在本进程内缓存（约 3 秒）；调用者拿到的是副本。不写任何文件。"""
    try:
        from mnist1d.data import get_dataset_args, make_dataset
    except ImportError as exc:
        raise ImportError("load_mnist1d 需要 mnist1d 包（本地生成数据，不下载）："
                          "pip install 'mnist1d==0.0.2.post1'，或连同参考包一起 pip install 'nndl-ref[data]'") from exc
    args = get_dataset_args()
    args.seed = seed
    args.num_samples = num_samples
    np_state, py_state = np.random.get_state(), random.getstate()
    try:
        d = make_dataset(args)
    finally:
        np.random.set_state(np_state)
        random.setstate(py_state)
    return (np.asarray(d["x"], dtype=np.float64), np.asarray(d["y"], dtype=np.int64),
            np.asarray(d["x_test"], dtype=np.float64), np.asarray(d["y_test"], dtype=np.int64))
