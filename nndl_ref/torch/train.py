r"""通用训练循环（PyTorch 版），后续各章共用。

- 设备自动选择：有 CUDA 时用 ``"cuda"``，否则 ``"cpu"``（也可显式传入）；
- 进度条只在交互式终端上出现，测试与 CI 中保持安静；
- 返回 `nndl_ref.progress.History`（每轮的损失、准确率），是数据而不是打印；
- 可选验证集与早停（``patience``：验证损失连续若干轮不降就停，并恢复最好的参数）。
"""

from __future__ import annotations

import copy
import time

import numpy as np
import torch
from torch.utils.data import DataLoader, TensorDataset

from ..progress import History, progress_bar, progress_enabled
from . import losses


def pick_device(device: str | torch.device | None = None) -> torch.device:
    """``None`` 时自动选择：有 CUDA 用 GPU，否则 CPU。"""
    if device is not None:
        return torch.device(device)
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def as_tensors(X, y, dtype=torch.float32):
    """把 NumPy 数组或张量转成 ``(X: float, y: long)`` 张量对，并检查样本数一致。"""
    X = torch.as_tensor(np.asarray(X) if not isinstance(X, torch.Tensor) else X).to(dtype)
    y = torch.as_tensor(np.asarray(y) if not isinstance(y, torch.Tensor) else y)
    if X.shape[0] != y.shape[0]:
        raise ValueError(f"X 有 {X.shape[0]} 个样本而 y 有 {y.shape[0]} 个；两者的第 0 维应相同")
    if torch.is_floating_point(y) and (y == y.round()).all():
        y = y.long()
    return X, y


@torch.no_grad()
def evaluate(model: torch.nn.Module, X: torch.Tensor, y: torch.Tensor, loss_fn=losses.cross_entropy,
             device: torch.device | None = None) -> tuple[float, float]:
    """在 ``(X, y)`` 上返回 ``(平均损失, 准确率)``。"""
    device = pick_device(device)
    was_training = model.training
    model.eval()
    Z = model(X.to(device))
    y = y.to(device)
    loss = float(loss_fn(Z, y))
    pred = Z.argmax(dim=1) if Z.ndim == 2 else (Z >= 0).long()
    model.train(was_training)
    return loss, float((pred == y).float().mean())


def fit(model: torch.nn.Module, X, y, *, epochs: int = 10, lr: float = 0.1, batch_size: int = 32,
        optimizer: str | torch.optim.Optimizer = "sgd", loss_fn=losses.cross_entropy, seed: int = 0,
        X_val=None, y_val=None, patience: int | None = None, device=None,
        dtype=torch.float32, progress: bool | None = None) -> History:
    """小批量训练 ``model``，返回 `History`。

    Parameters
    ----------
    model : nn.Module，``forward`` 返回 logit。
    X, y : NumPy 数组或张量，(N, D) 与 (N,)。
    optimizer : ``"sgd"``、``"adam"`` 或一个已构造好的优化器。
    loss_fn : ``loss_fn(logits, y)``，默认多分类交叉熵。
    patience : 给出验证集时可用：验证损失连续 ``patience`` 轮没有下降就停止，并恢复最好的参数。
    device : 默认自动选择（见 `pick_device`）。
    progress : 默认只在交互式终端上显示进度条。
    """
    if not (isinstance(epochs, int) and epochs > 0):
        raise ValueError(f"epochs 应为正整数，实际为 {epochs!r}")
    if not (isinstance(batch_size, int) and batch_size > 0):
        raise ValueError(f"batch_size 应为正整数，实际为 {batch_size!r}")
    if patience is not None and X_val is None:
        raise ValueError("patience（早停）需要验证集 X_val, y_val")
    device = pick_device(device)
    torch.manual_seed(seed)
    X, y = as_tensors(X, y, dtype)
    if not torch.isfinite(X).all():
        raise ValueError("X 含有 NaN 或 inf（期望全部为有限实数）")
    model.to(device=device, dtype=dtype)
    if isinstance(optimizer, str):
        opts = {"sgd": torch.optim.SGD, "adam": torch.optim.Adam}
        if optimizer not in opts:
            raise ValueError(f"optimizer 应为 'sgd'、'adam' 或一个 torch.optim.Optimizer，实际为 {optimizer!r}")
        optimizer = opts[optimizer](model.parameters(), lr=lr)
    loader = DataLoader(TensorDataset(X, y), batch_size=batch_size, shuffle=True,
                        generator=torch.Generator().manual_seed(seed))
    if X_val is not None:
        X_val, y_val = as_tensors(X_val, y_val, dtype)
    hist = History()
    best, best_state, bad = float("inf"), None, 0
    t0 = time.perf_counter()
    for _ in progress_bar(range(epochs), total=epochs, desc="epoch", enabled=progress_enabled(progress)):
        model.train()
        total, count = 0.0, 0
        for xb, yb in loader:
            xb, yb = xb.to(device), yb.to(device)
            loss = loss_fn(model(xb), yb)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            total += loss.item() * len(xb)
            count += len(xb)
        _, acc = evaluate(model, X, y, loss_fn, device)
        if X_val is None:
            hist.log(total / count, acc)
            continue
        val_loss, val_acc = evaluate(model, X_val, y_val, loss_fn, device)
        hist.log(total / count, acc, val_loss, val_acc)
        if patience is not None:
            if val_loss < best:
                best, best_state, bad = val_loss, copy.deepcopy(model.state_dict()), 0
            else:
                bad += 1
                if bad >= patience:
                    break
    if best_state is not None:
        model.load_state_dict(best_state)
    hist.seconds = time.perf_counter() - t0
    return hist
