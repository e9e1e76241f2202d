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

from .._validate import as_float_array, as_float_tensor, check_class_targets, check_positive, check_seed
from ..progress import History, progress_bar, progress_enabled
from . import losses


def pick_device(device: str | torch.device | None = None) -> torch.device:
    """``None`` 时自动选择：有 CUDA 用 GPU，否则 CPU。"""
    if device is not None:
        if not isinstance(device, (str, torch.device)):
            raise TypeError(f"device 应为字符串（如 'cpu'、'cuda:0'）、torch.device 或 None，实际得到 {type(device).__name__}")
        try:
            return torch.device(device)
        except RuntimeError:
            raise ValueError(f"device 应为 'cpu'、'cuda'、'cuda:0' 这样的设备名，实际为 {device!r}") from None
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def as_tensors(X, y, dtype=torch.float32):
    """把 NumPy 数组或张量转成 ``(X: float, y: long)`` 张量对，并检查样本数一致。"""
    if not isinstance(dtype, torch.dtype) or not dtype.is_floating_point:
        raise TypeError(f"dtype 应为浮点的 torch.dtype（如 torch.float32），实际为 {dtype!r}")
    X = torch.as_tensor(as_float_array(X, "X", allow_nan=True) if not isinstance(X, torch.Tensor) else X)
    if not (torch.is_floating_point(X) or X.dtype in (torch.int8, torch.int16, torch.int32, torch.int64, torch.uint8)):
        raise TypeError(f"X 应为实数张量或数组，实际 dtype 为 {X.dtype}")
    X = X.to(dtype)
    y = torch.as_tensor(np.asarray(y) if not isinstance(y, torch.Tensor) else y)
    if y.dtype == torch.bool or torch.is_complex(y) or not (y.is_floating_point() or y.dtype in (
            torch.int8, torch.int16, torch.int32, torch.int64, torch.uint8)):
        raise TypeError(f"y 应为数值标签（整数类别或实数目标），实际 dtype 为 {y.dtype}")
    if X.ndim == 0 or y.ndim == 0 or X.shape[0] != y.shape[0]:
        raise ValueError(f"X 有 {X.shape[0] if X.ndim else 0} 个样本而 y 有 {y.shape[0] if y.ndim else 0} 个；"
                         "两者的第 0 维应相同")
    if torch.is_floating_point(y) and (y == y.round()).all():
        y = y.long()
    return X, y


@torch.no_grad()
def evaluate(model: torch.nn.Module, X: torch.Tensor, y: torch.Tensor, loss_fn=losses.cross_entropy,
             device: torch.device | None = None) -> tuple[float, float]:
    """在 ``(X, y)`` 上返回 ``(平均损失, 准确率)``。"""
    device = pick_device(device)
    if not isinstance(model, torch.nn.Module):
        raise TypeError(f"model 应为 torch.nn.Module，实际得到 {type(model).__name__}")
    if not isinstance(X, torch.Tensor) or not isinstance(y, torch.Tensor):
        raise TypeError(f"X、y 应为张量（NumPy 数组可先用 as_tensors 转换），实际得到 {type(X).__name__}、{type(y).__name__}")
    if X.ndim == 0 or y.ndim == 0 or X.shape[0] != y.shape[0]:
        raise ValueError(f"X 与 y 的第 0 维（样本数）应相同，实际形状为 {tuple(X.shape)} 与 {tuple(y.shape)}")
    was_training = model.training
    model.eval()
    try:                                               # 出错时也恢复原来的训练 / 评估模式
        Z = model(X.to(device))
        y = y.to(device)
        loss = float(loss_fn(Z, y))
    finally:
        model.train(was_training)
    pred = Z.argmax(dim=1) if Z.ndim == 2 else (Z >= 0).long()
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
    if patience is not None:
        check_positive(patience, "patience", integer=True)
    if not isinstance(model, torch.nn.Module):
        raise TypeError(f"model 应为 torch.nn.Module，实际得到 {type(model).__name__}")
    if (X_val is None) != (y_val is None):
        raise ValueError("X_val 与 y_val 应同时给出（或都不给）")
    if isinstance(optimizer, str):
        opts = {"sgd": torch.optim.SGD, "adam": torch.optim.Adam}
        if optimizer not in opts:
            raise ValueError(f"optimizer 应为 'sgd'、'adam' 或一个 torch.optim.Optimizer，实际为 {optimizer!r}")
        check_positive(lr, "lr")
    elif not isinstance(optimizer, torch.optim.Optimizer):
        raise TypeError(f"optimizer 应为 'sgd'、'adam' 或一个 torch.optim.Optimizer，实际得到 {type(optimizer).__name__}")
    check_seed(seed)
    device = pick_device(device)
    X, y = as_tensors(X, y, dtype)
    as_float_tensor(X, "X")                            # 有限实数
    if X_val is not None:
        X_val, y_val = as_tensors(X_val, y_val, dtype)
        as_float_tensor(X_val, "X_val")
    if loss_fn in (losses.cross_entropy, torch.nn.functional.cross_entropy):
        check_class_targets(model, X, y)               # 坏标签在第一步更新之前、改动模型之前就报错
        if X_val is not None:
            check_class_targets(model, X_val, y_val, "y_val")
    torch.manual_seed(seed)
    model.to(device=device, dtype=dtype)
    if isinstance(optimizer, str):
        optimizer = opts[optimizer](model.parameters(), lr=lr)
    loader = DataLoader(TensorDataset(X, y), batch_size=batch_size, shuffle=True,
                        generator=torch.Generator().manual_seed(seed))
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
