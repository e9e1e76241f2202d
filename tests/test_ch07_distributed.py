"""数据并行：用 ``python -m torch.distributed.run --nproc_per_node=2`` 真的启动 2 个 CPU 进程（gloo），
训练得到的参数与单进程在合并批量上训练的相同。带超时，端口由操作系统分配。"""

import torch

from nndl_ref.torch.distributed import demo_problem, launch
from nndl_ref.torch.trainer import train


def test_two_processes_equal_one_process_on_the_combined_batch(tmp_path):
    out = tmp_path / "ddp.pt"
    launch(2, str(out), timeout=90)
    saved = torch.load(out, weights_only=True)
    assert saved["world_size"] == 2
    model, X, y, cfg = demo_problem()
    start = {k: v.clone() for k, v in model.state_dict().items()}
    train(model, X, y, config=cfg)                         # 单进程，同样的全局批量 45
    for k, v in model.state_dict().items():
        torch.testing.assert_close(saved["state"][k], v, rtol=1e-12, atol=1e-14)
        assert not torch.equal(v, start[k])                # 确实训练了
