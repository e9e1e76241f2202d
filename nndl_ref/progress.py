"""训练过程的记录与进度条（NumPy 与 torch 两套训练循环共用，不导入 torch）。

进度条只在交互式终端上出现；在测试（pytest）、CI（环境变量 ``CI``）或输出被重定向时保持安静。

站点页面：``docs/ch07-optim/index.md``（7.6 可信的训练循环）。
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field


def progress_enabled(progress: bool | None = None) -> bool:
    """是否显示进度条：显式给出 ``progress`` 时照办；否则仅在终端、非测试、非 CI 时显示。"""
    if progress is not None:
        if not isinstance(progress, bool):
            raise TypeError(f"progress 应为 True、False 或 None（自动），实际得到 {progress!r}")
        return progress
    if os.environ.get("CI") or "PYTEST_CURRENT_TEST" in os.environ:
        return False
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def progress_bar(iterable, *, total: int | None = None, desc: str = "", enabled: bool = False):
    """``enabled`` 时用 tqdm 包一层，否则原样返回。"""
    if not isinstance(enabled, bool):
        raise TypeError(f"enabled 应为 True 或 False，实际得到 {enabled!r}")
    if not enabled:
        return iterable
    from tqdm.auto import tqdm

    return tqdm(iterable, total=total, desc=desc, leave=False, dynamic_ncols=True)


def _number(value, name: str) -> float:
    """记录里的一个数：实数（训练发散时可以是 NaN），不接受字符串、布尔值、复数。"""
    if isinstance(value, (str, bytes, bool)):
        raise TypeError(f"{name} 应为实数，实际得到 {value!r}")
    try:
        return float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{name} 应为实数，实际得到 {value!r}") from None


@dataclass
class History:
    """每个 epoch 一行的训练记录：``history.loss[i]`` 是第 i+1 个 epoch 的平均训练损失。

    ``val_loss``/``val_acc`` 仅在给出验证集时填充。``as_dict()`` 便于画图或存成 JSON。
    """

    loss: list[float] = field(default_factory=list)
    acc: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    val_acc: list[float] = field(default_factory=list)
    seconds: float = 0.0

    def log(self, loss: float, acc: float, val_loss: float | None = None, val_acc: float | None = None) -> None:
        row = {"loss": loss, "acc": acc, "val_loss": val_loss, "val_acc": val_acc}
        row = {k: _number(v, k) for k, v in row.items() if v is not None}   # 先全部转换，再一起追加
        for k, v in row.items():
            getattr(self, k).append(v)

    @property
    def epochs(self) -> int:
        return len(self.loss)

    def as_dict(self) -> dict:
        return {"loss": self.loss, "acc": self.acc, "val_loss": self.val_loss,
                "val_acc": self.val_acc, "seconds": self.seconds}
