"""参考包的发行版：构建 wheel（站点发布它，离线副本带着它，测试把它装进干净的虚拟环境）。

- :func:`build_wheel` 用标准构建前端 ``python -m build`` 从工作树构建 wheel，按源代码的内容哈希缓存在
  ``build/wheel/<哈希>/``：改了 ``nndl_ref/`` 或打包配置才重新构建，站点钩子和测试共用同一个文件。
- :func:`install_line` 是页面上给读者的那一行 ``pip install``（首页、每章"本页代码"、笔记本开头都用它）。
- 命令行 ``python tools/dist.py [输出目录]``：``make dist`` 用它构建 wheel 与 sdist（带构建隔离，与发布时相同）。
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "nndl_ref"
CACHE = ROOT / "build" / "wheel"
# 站点里 wheel 的位置（相对站点根目录）；文件名就是 wheel 的标准文件名，pip 靠它识别版本
DOWNLOADS = "downloads"
PYPI_NAME = "nndl-ref"


def version() -> str:
    """从 ``nndl_ref/__init__.py`` 读出版本号（不导入包：构建站点时不需要 torch 就绪）。"""
    m = re.search(r'^__version__ = "([^"]+)"', (PACKAGE / "__init__.py").read_text(encoding="utf-8"), re.M)
    if not m:
        raise RuntimeError("nndl_ref/__init__.py 里没有 __version__ = \"x.y.z\"")
    return m.group(1)


def wheel_name() -> str:
    return f"nndl_ref-{version()}-py3-none-any.whl"


def wheel_path_in_site() -> str:
    """wheel 在站点里的路径（相对站点根目录），例如 ``downloads/nndl_ref-0.2.0-py3-none-any.whl``。"""
    return f"{DOWNLOADS}/{wheel_name()}"


def source_files() -> list[Path]:
    files = [p for p in PACKAGE.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    return sorted(files + [ROOT / "pyproject.toml", ROOT / "setup.py", ROOT / "README.md", ROOT / "LICENSE"])


def source_hash() -> str:
    h = hashlib.sha256()
    for p in source_files():
        h.update(p.relative_to(ROOT).as_posix().encode())
        h.update(p.read_bytes())
    h.update(os.environ.get("NNDL_REPO_URL", "").encode())   # 项目地址写进元数据
    h.update(os.environ.get("NNDL_SITE_URL", "").encode())
    h.update((_git_origin() or "").encode())
    return h.hexdigest()[:16]


def build_wheel(python: str = sys.executable) -> Path:
    """返回由当前工作树构建的 wheel（有缓存直接返回）。

    构建不带隔离（用当前环境里的 setuptools，几秒钟，不联网）；先构建到临时目录再原子地改名，
    站点构建与测试同时调用也不会读到半个文件。
    """
    target = CACHE / source_hash()
    wheel = target / wheel_name()
    if wheel.is_file():
        return wheel
    CACHE.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="tmp-", dir=CACHE))
    try:
        # 在源文件的副本里构建：setuptools 的中间文件（build/lib、*.egg-info）不落在工作树里，
        # 两个构建同时运行也互不干扰
        src = tmp / "src"
        for p in source_files():
            dest = src / p.relative_to(ROOT)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(p, dest)
        env = dict(os.environ)
        origin = _git_origin()
        if origin:
            env["NNDL_GIT_ORIGIN"] = origin    # 副本里没有 .git，setup.py 从这里读 origin
        proc = subprocess.run([python, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(tmp / "out"), str(src)],
                              capture_output=True, text=True, cwd=src, env=env)
        if proc.returncode != 0:
            raise RuntimeError(f"构建 wheel 失败（python -m build --wheel）：\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
        built = tmp / "out" / wheel_name()
        if not built.is_file():
            raise RuntimeError(f"构建成功但没有找到 {wheel_name()}：{sorted(p.name for p in (tmp / 'out').iterdir())}")
        try:
            os.replace(tmp / "out", target)   # 原子：要么整个目录出现，要么没有
        except OSError:
            if not wheel.is_file():           # 别的进程刚好先完成了同一个构建时，用它的
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return wheel


def _git_origin() -> str | None:
    """工作树的 origin 远程仓库地址（原样；setup.py 负责解析）。"""
    try:
        return subprocess.run(["git", "remote", "get-url", "origin"], capture_output=True, text=True,
                              timeout=5, cwd=ROOT).stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        return None


def install_url(site_url: str | None) -> str:
    """页面上写出的 wheel 地址。有 ``site_url``（发布的站点）时是它下面的绝对地址，否则是 ``make serve``
    的本地地址；读者打开页面时，站点的脚本（docs/javascripts/install.js）再换成页面实际所在的地址
    （镜像、子路径、``file://`` 下的离线副本都对）。"""
    base = (site_url or "http://127.0.0.1:8000/").rstrip("/") + "/"
    return base + wheel_path_in_site()


def install_line(site_url: str | None) -> str:
    """带 ``[data]`` 附加依赖（scikit-image 图片、MNIST-1D 生成器）：页面上的每个代码块都能运行。"""
    return f'pip install "nndl_ref[data] @ {install_url(site_url)}"'


def render(text: str, site_url: str | None, escape=lambda s: s) -> str:
    """替换页面里的安装占位符：``NNDL_PIP_INSTALL`` → 安装命令，``NNDL_PYPI_NAME`` → PyPI 上的名字，
    ``NNDL_VERSION`` → 版本号（站点钩子 hooks/wheel.py 在 HTML 上替换、传入 ``html.escape``；
    笔记本生成 tools/notebooks.py 在 Markdown 上替换）。"""
    return (text.replace("NNDL_PIP_INSTALL", escape(install_line(site_url)))
            .replace("NNDL_PYPI_NAME", PYPI_NAME)
            .replace("NNDL_VERSION", version()))


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else ROOT / "dist"
    if out.exists():
        shutil.rmtree(out)
    proc = subprocess.run([sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)], cwd=ROOT)
    shutil.rmtree(ROOT / "nndl_ref.egg-info", ignore_errors=True)
    if proc.returncode != 0:
        return proc.returncode
    built = sorted(out.iterdir())
    proc = subprocess.run([sys.executable, "-m", "twine", "check", "--strict", *map(str, built)])
    if proc.returncode != 0:
        return proc.returncode
    for p in built:
        print(f"{p.relative_to(ROOT) if p.is_relative_to(ROOT) else p}  {p.stat().st_size / 1024:.0f} KB")
    meta = subprocess.run([sys.executable, "-c", "import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); "
                           "print(z.read(sys.argv[2]).decode())", str(out / wheel_name()),
                           f"nndl_ref-{version()}.dist-info/METADATA"], capture_output=True, text=True).stdout
    if "Project-URL:" not in meta:
        print("注意：没有设置 NNDL_REPO_URL、也没有 git 的 origin 远程仓库，这个发行版的元数据里没有项目地址"
              "（发布工作流 .github/workflows/release.yml 会设置它）。")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
