"""测试的公共夹具：仓库路径、一次构建、共享给站点与浏览器测试。"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def rng():
    return np.random.default_rng(0)


# ---------------------------------------------------------------- 站点构建（在后台与其他测试并行）
# 构建站点要几分钟（每章的笔记本在构建时执行）。收集完测试后，只要有测试用到下面的夹具，就立即在后台
# 启动对应的构建，并把这些测试排到最后：构建占一个核，其余测试占另一个核，总用时约为两者中较长的那个。
_NO_WARN = {"NO_MKDOCS_2_WARNING": "1"}
BUILDS = {
    # 夹具名: (mkdocs build 的参数, 额外的环境变量, 输出目录)
    "built_site": (["--strict"], {"NNDL_EXECUTE_NOTEBOOKS": "1"}, ROOT / "build" / "site-test"),   # 笔记本总要执行
    "offline_site": (["--strict", "-f", "mkdocs-offline.yml"],
                     {"NNDL_OFFLINE": "true", "NNDL_EXECUTE_NOTEBOOKS": "0"}, ROOT / "build" / "offline-test"),
}
_running: dict[str, tuple[subprocess.Popen, Path, Path]] = {}


def _prebuilt(name: str) -> Path | None:
    """开发时反复运行站点测试：``NNDL_PREBUILT_SITE=目录`` 让 built_site 直接用已经构建好的站点（CI 不设置它）。"""
    path = os.environ.get("NNDL_PREBUILT_SITE") if name == "built_site" else None
    return Path(path) if path else None


def _start(name: str) -> None:
    if name in _running or _prebuilt(name):
        return
    args, extra, out = BUILDS[name]
    log = ROOT / "build" / f"{name}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, **_NO_WARN, **extra}
    with open(log, "w", encoding="utf-8") as fh:
        proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "build", *args, "-d", str(out)],
                                cwd=ROOT, env=env, stdout=fh, stderr=subprocess.STDOUT, text=True)
    _running[name] = (proc, out, log)


def _wait(name: str) -> Path:
    if _prebuilt(name):
        return _prebuilt(name)
    _start(name)
    proc, out, log = _running[name]
    try:
        proc.wait(timeout=2400)
    except subprocess.TimeoutExpired:
        proc.kill()
        pytest.fail(f"{name}：mkdocs build 超过 40 分钟")
    if proc.returncode != 0:
        pytest.fail(f"{name}：mkdocs build 失败（完整输出见 {log}）：\n{log.read_text(encoding='utf-8')[-6000:]}")
    return out


def pytest_collection_modifyitems(session, config, items):
    """用到站点构建的测试排到最后，并立即在后台启动这些构建。"""
    needs = {name for item in items for name in BUILDS if name in getattr(item, "fixturenames", ())}
    for name in sorted(needs):
        _start(name)
    if needs:
        items.sort(key=lambda item: any(n in getattr(item, "fixturenames", ()) for n in BUILDS))


_SESSION_T0: list[float] = []


def pytest_sessionstart(session):
    _SESSION_T0.append(time.time())


def pytest_sessionfinish(session, exitstatus):
    for proc, _, _ in _running.values():
        if proc.poll() is None:
            proc.kill()
    _record_run(session, exitstatus)


def _record_run(session, exitstatus) -> None:
    """把这次 pytest 运行的用时与结果写到 build/last-test-run.json（benchmarks/bench_site.py 读取，
    "站点本身"表里的 make test 用时就来自这里：只有完整运行（make test 的参数、没有 -k/-m 筛选）才算数）。"""
    import datetime
    import json

    if not _SESSION_T0:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    counts = {k: len(reporter.stats.get(k, [])) for k in ("passed", "failed", "skipped", "error")} if reporter else {}
    args = [str(a) for a in session.config.args]
    opt = session.config.option
    full = (not getattr(opt, "keyword", "") and not getattr(opt, "markexpr", "")
            and {"tests", "nndl_ref", "build/codeblocks"} <= {a.rstrip("/") for a in args})
    record = {"date": datetime.datetime.now().isoformat(timespec="seconds"), "seconds": round(time.time() - _SESSION_T0[0], 1),
              "exitstatus": int(exitstatus), "full_run": full, "args": args, **counts}
    out = ROOT / "build" / "last-test-run.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    if full or not out.exists() or not json.loads(out.read_text(encoding="utf-8")).get("full_run"):
        out.write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


@pytest.fixture(scope="session")
def built_site() -> Path:
    """用 ``mkdocs build --strict`` 构建一次站点（与 make build 相同的命令），返回输出目录。"""
    return _wait("built_site")


@pytest.fixture(scope="session")
def offline_site() -> Path:
    """离线副本（``mkdocs-offline.yml``，file:// 可读）的一次构建，返回输出目录。"""
    return _wait("offline_site")
