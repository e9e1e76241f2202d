"""第 6 章 · 序列上的归一化：层归一化对每个样本、每个时刻单独归一化；批归一化依赖同批的其他样本与补齐的长度。

页面：docs/ch06-rnn/index.md（6.8 节）。
"""

# --8<-- [start:compare]
import numpy as np
import torch


def layer_norm(a, eps=1e-5):
    """对每个样本、每个时刻的 H 个特征归一化：a 的形状 (T, B, H)。"""
    mu = a.mean(axis=-1, keepdims=True)
    var = a.var(axis=-1, keepdims=True)
    return (a - mu) / np.sqrt(var + eps)


def batch_norm(a, eps=1e-5):
    """对每个特征，在批和时间上求均值与方差（序列上的"批归一化"）。"""
    mu = a.mean(axis=(0, 1), keepdims=True)
    var = a.var(axis=(0, 1), keepdims=True)
    return (a - mu) / np.sqrt(var + eps)


rng = np.random.default_rng(0)
T, B, H = 8, 4, 6
a = rng.standard_normal((T, B, H)) * 3 + 1          # 某一层各时刻的净输入
alone = a[:, :1]                                     # 同一条序列，单独成批
short = np.concatenate([a[:3, :1], np.zeros((T - 3, 1, H))])   # 只有 3 步，补零到 T 步

print("层归一化与 torch.nn.LayerNorm 一致:",
      np.allclose(layer_norm(a), torch.nn.LayerNorm(H, elementwise_affine=False).double()(torch.from_numpy(a)).detach().numpy()))
print("层归一化：结果与同批的其他序列无关:", np.allclose(layer_norm(a)[:, 0], layer_norm(alone)[:, 0]))
print("批归一化：结果与同批的其他序列无关:", np.allclose(batch_norm(a)[:, 0], batch_norm(alone)[:, 0]))
print("层归一化：前 3 步不受补零影响:", np.allclose(layer_norm(short)[:3], layer_norm(a[:3, :1])))
print("批归一化：前 3 步不受补零影响:", np.allclose(batch_norm(short)[:3], batch_norm(a[:3, :1])))
# --8<-- [end:compare]
