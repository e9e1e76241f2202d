"""数据并行：torchrun 启动 2 个进程，结果与单进程在合并批量上训练的相同。"""

# --8<-- [start:ddp]
import tempfile
from pathlib import Path

import torch

from nndl_ref.torch.distributed import demo_problem, launch
from nndl_ref.torch.trainer import train

out = Path(tempfile.mkdtemp()) / "ddp.pt"
# 相当于在终端里运行：torchrun --standalone --nproc_per_node=2 -m nndl_ref.torch.distributed --out ddp.pt
launch(nproc=2, out=str(out), timeout=120)
saved = torch.load(out, weights_only=True)

model, X, y, config = demo_problem()             # 同一个问题、同样的初始权重，单进程训练
train(model, X, y, config=config)
diff = max((saved["state"][k] - v).abs().max().item() for k, v in model.state_dict().items())
print(f"{saved['world_size']} 个进程 × 每步各算约 {config.batch_size // 2} 个样本")
print("与 1 个进程 × 每步算全部", config.batch_size, "个样本的参数之差 < 1e-12:", diff < 1e-12)
# --8<-- [end:ddp]

assert saved["world_size"] == 2 and diff < 1e-12
