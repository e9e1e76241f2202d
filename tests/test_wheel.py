"""读者那一侧：只有发布的站点，没有仓库。

1. 从工作树构建 wheel（tools/dist.py，与站点发布的是同一个文件），在仓库之外建一个全新的虚拟环境，
   先装 torch 2.13.0（与 Makefile 相同：CPU 版，本机磁盘上有），再把 wheel 放进一个本地启动的"站点"
   （``downloads/``），原样执行页面上的那一行安装命令（``pip install "nndl_ref[data] @ http://…/downloads/…whl"``）。
2. 逐页运行每一页的全部 Python 代码块（展开成读者看到的样子，pytest-codeblocks 核对打印结果），
   工作目录是一个空的临时目录，``PYTHONPATH`` 清空：仓库里的任何东西都导入不到。
3. 这一遍同时是"另一种数值环境"的第二遍：torch 用 AVX2 内核（``ATEN_CPU_CAPABILITY=avx2``，oneDNN 与
   torch 自带的 MKL 也限制在 AVX2），NumPy 关掉 AVX-512 的 SIMD 内核，OpenBLAS 用 Haswell 内核，所有线程池 1 个线程——主测试用的是本机默认（AVX-512、2 个线程）。
   页面上印出的数字只能是任何 CPU / BLAS / 线程数都算得一样的那些位，这一遍证明它。
4. 再用同样的方式执行一章的笔记本（.ipynb，nbclient 执行，任何单元出错即失败）。

这组测试在 make test 里运行，用时写进 README 的测试说明；``NNDL_SKIP_WHEEL_TEST=1`` 可在本地反复调试
其他测试时跳过它（CI 不设置）。
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import dist  # noqa: E402
import expand_docs  # noqa: E402

DOCS = ROOT / "docs"
TORCH = "torch==2.13.0"
# 与 pyproject.toml 的 test 附加依赖相同的版本：用来在干净环境里逐块运行并核对打印结果
RUNNERS = ["pytest==9.2.0", "pytest-codeblocks==0.18.0"]
NOTEBOOK_RUNNERS = ["nbclient", "ipykernel"]
NOTEBOOK_CHAPTER = "ch03-linear"

# 第二种数值环境（见模块说明）
OTHER_NUMERICS = {
    "ATEN_CPU_CAPABILITY": "avx2",
    "ONEDNN_MAX_CPU_ISA": "AVX2",
    "MKL_ENABLE_INSTRUCTIONS": "AVX2",          # torch 自带的 MKL（float32 矩阵乘法）不看 ATEN_CPU_CAPABILITY
    "NPY_DISABLE_CPU_FEATURES": "X86_V4 AVX512_ICL AVX512_SPR",   # NumPy 自己的 SIMD 内核（exp、log……）
    "OPENBLAS_CORETYPE": "Haswell",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
}

pytestmark = pytest.mark.skipif(os.environ.get("NNDL_SKIP_WHEEL_TEST") == "1" and not os.environ.get("CI"),
                                reason="NNDL_SKIP_WHEEL_TEST=1（本地调试时跳过；CI 总是运行）")


def pages_with_python() -> list[Path]:
    out = []
    for page in sorted(DOCS.rglob("*.md")):
        text = expand_docs.expand_page(page)
        if "\n```python\n" in text:
            out.append(page)
    return out


PAGES = pages_with_python()


def clean_env(**extra: str) -> dict[str, str]:
    """读者的环境：没有 PYTHONPATH、没有仓库的虚拟环境；保留 pip 的配置（缓存、镜像）。"""
    env = {k: v for k, v in os.environ.items()
           if k not in {"PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME", "PYTHONSTARTUP", "PYTEST_ADDOPTS"}
           and not k.startswith(("OPENBLAS_", "OMP_", "MKL_", "ATEN_", "ONEDNN_", "NPY_"))}
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if ".venv" not in p)
    env.update(extra)
    return env


def run(cmd: list[str], cwd: Path, env: dict[str, str], timeout: int = 900) -> subprocess.CompletedProcess:
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        pytest.fail(f"命令失败（{proc.returncode}）：{' '.join(cmd)}\n--- stdout ---\n{proc.stdout[-6000:]}\n"
                    f"--- stderr ---\n{proc.stderr[-6000:]}")
    return proc


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def reader_venv(tmp_path_factory):
    """全新虚拟环境（仓库之外），装好 torch、本站的 wheel（经本地 HTTP 站点，原样执行页面上的安装命令）。"""
    t0 = time.time()
    wheel = dist.build_wheel()
    base = Path(tempfile.mkdtemp(prefix="nndl-reader-"))
    assert not base.is_relative_to(ROOT)
    site = base / "site"
    (site / dist.DOWNLOADS).mkdir(parents=True)
    shutil.copy2(wheel, site / dist.wheel_path_in_site())
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    site_url = f"http://127.0.0.1:{server.server_address[1]}/"
    venv = base / "venv"
    env = clean_env()
    try:
        run([sys.executable, "-m", "venv", str(venv)], base, env)
        py = str(venv / "bin" / "python")
        pip = [py, "-m", "pip", "install", "-q", "--disable-pip-version-check"]
        run(pip + [TORCH], base, env)
        # 页面上的那一行，原样（只是站点地址是本地启动的这个）
        line = dist.install_line(site_url)
        assert line.startswith('pip install "nndl_ref[data] @ ') and line.endswith('.whl"'), line
        run([py, "-m", "pip", "install", "-q", "--disable-pip-version-check",
             line.removeprefix('pip install ').strip('"')], base, env)
        run(pip + RUNNERS + NOTEBOOK_RUNNERS, base, env)
    finally:
        server.shutdown()
    info = json.loads(run([py, "-c", "import json, nndl_ref, torch, sys; print(json.dumps("
                           "{'file': nndl_ref.__file__, 'version': nndl_ref.__version__, 'torch': torch.__version__, "
                           "'path': sys.path}))"], base, env).stdout)
    yield {"python": py, "base": base, "info": info, "setup_seconds": time.time() - t0}
    shutil.rmtree(base, ignore_errors=True)


def test_wheel_installs_from_the_site_into_a_clean_venv(reader_venv):
    info = reader_venv["info"]
    site_packages = str(Path(reader_venv["python"]).parents[1] / "lib")
    assert info["file"].startswith(site_packages), f"nndl_ref 不是从新虚拟环境导入的：{info['file']}"
    assert info["version"] == dist.version()
    assert info["torch"].startswith("2.13.0"), info["torch"]
    assert not any(p.startswith(str(ROOT)) for p in info["path"]), f"仓库在 sys.path 上：{info['path']}"
    print(f"\n干净虚拟环境就绪：{reader_venv['setup_seconds']:.0f} 秒；wheel {dist.build_wheel().stat().st_size / 1024:.0f} KB")


def test_other_numerics_really_differ(reader_venv, tmp_path):
    """第二种数值环境确实生效：torch 用 AVX2 内核、OpenBLAS 用 Haswell 内核、1 个线程。"""
    probe = ("import json, torch, numpy, threadpoolctl\n"
             "print(json.dumps({'cap': torch.backends.cpu.get_cpu_capability(), 'threads': torch.get_num_threads(),"
             " 'blas': [(i.get('internal_api'), i.get('architecture'), i.get('num_threads'))"
             " for i in threadpoolctl.threadpool_info() if i.get('user_api') == 'blas']}))")
    out = json.loads(run([reader_venv["python"], "-c", probe], tmp_path, clean_env(**OTHER_NUMERICS)).stdout)
    assert out["threads"] == 1, out
    assert out["cap"] in {"AVX2", "DEFAULT"}, out          # AVX-512 的机器上被压到 AVX2
    for api, arch, threads in out["blas"]:
        assert threads == 1, out
        if api == "openblas":
            assert arch == "Haswell", out


@pytest.mark.parametrize("page", PAGES, ids=[p.relative_to(DOCS).as_posix() for p in PAGES])
def test_page_blocks_run_in_clean_venv(reader_venv, page, tmp_path):
    """每一页的全部代码块，在空目录里、只靠装好的 wheel、在另一种数值环境下运行，打印结果与页面一致。"""
    work = tmp_path / "reader"
    work.mkdir()
    target = work / page.name
    target.write_text(expand_docs.expand_page(page), encoding="utf-8")
    proc = run([reader_venv["python"], "-m", "pytest", "--codeblocks", "-q", "-p", "no:cacheprovider",
                "--rootdir", str(work), target.name], work, clean_env(**OTHER_NUMERICS), timeout=1200)
    assert " passed" in proc.stdout and " failed" not in proc.stdout, proc.stdout[-3000:]
    leftovers = sorted(p.name for p in work.iterdir() if p.name != page.name)
    print(f"\n{page.relative_to(DOCS)}: {proc.stdout.strip().splitlines()[-1]}; 留下的文件 {leftovers}")


def test_chapter_notebook_runs_in_clean_venv(reader_venv, tmp_path):
    """下载的笔记本（.ipynb）在只装了 wheel 的环境里从头执行到尾。"""
    sys.path.insert(0, str(ROOT / "tools"))
    import notebooks

    nb = notebooks.chapter_notebook(DOCS / NOTEBOOK_CHAPTER / "index.md")
    src = tmp_path / f"{NOTEBOOK_CHAPTER}.ipynb"
    src.write_text(notebooks.to_ipynb(nb), encoding="utf-8")
    code = ("import sys, nbformat, nbclient\n"
            "nb = nbformat.read(sys.argv[1], as_version=4)\n"
            "nbclient.NotebookClient(nb, timeout=600, kernel_name='python3', allow_errors=False).execute()\n"
            "n = sum(c.cell_type == 'code' for c in nb.cells)\n"
            "print(f'executed {n} code cells')\n")
    proc = run([reader_venv["python"], "-c", code, src.name], tmp_path, clean_env(**OTHER_NUMERICS), timeout=900)
    assert "executed" in proc.stdout
    assert "NNDL_PIP_INSTALL" not in src.read_text(encoding="utf-8")
