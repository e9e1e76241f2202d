"""测试的公共夹具：仓库路径、一次构建、共享给站点与浏览器测试。"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def rng():
    return np.random.default_rng(0)


@pytest.fixture(scope="session")
def built_site() -> Path:
    """用 ``mkdocs build --strict`` 构建一次站点（与 make build 相同的命令），返回输出目录。"""
    out = ROOT / "build" / "site-test"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "NNDL_EXECUTE_NOTEBOOKS": "1"}   # 笔记本总要执行
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=2400)
    if proc.returncode != 0:
        pytest.fail(f"mkdocs build --strict 失败：\n{proc.stdout[-3000:]}\n{proc.stderr[-5000:]}")
    return out
