"""Project URLs of the nndl_ref distribution (everything else is in pyproject.toml).

The URLs name the repository that builds the distribution, so a fork publishes its own:
- ``NNDL_REPO_URL`` (for example ``https://github.com/OWNER/REPO``) is set by the release and
  Pages workflows from the repository they run in (``github.server_url``/``github.repository``);
- ``NNDL_SITE_URL`` is the published site (the Pages workflow sets it; default: the GitHub Pages
  address derived from a github.com repository URL);
- without ``NNDL_REPO_URL``, the ``origin`` remote of the git checkout (or ``NNDL_GIT_ORIGIN``) is used when it is an
  https or ``git@github.com:`` URL; a build with neither has no project URLs (``make dist`` says so).
"""

from __future__ import annotations

import os
import re
import subprocess

from setuptools import setup


def _origin() -> str | None:
    url = os.environ.get("NNDL_GIT_ORIGIN")   # tools/dist.py 在源文件副本里构建时传进来
    try:
        url = url or subprocess.run(["git", "remote", "get-url", "origin"], capture_output=True, text=True,
                             timeout=5, cwd=os.path.dirname(os.path.abspath(__file__))).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    m = re.fullmatch(r"git@github\.com:(?P<path>[^/]+/[^/]+?)(\.git)?", url)
    if m:
        return f"https://github.com/{m['path']}"
    return url.removesuffix(".git") if url.startswith("https://") else None


def project_urls() -> dict[str, str]:
    repo = (os.environ.get("NNDL_REPO_URL") or _origin() or "").rstrip("/")
    if not repo:
        return {}
    site = os.environ.get("NNDL_SITE_URL", "").rstrip("/")
    m = re.fullmatch(r"https://github\.com/(?P<owner>[^/]+)/(?P<name>[^/]+)", repo)
    if not site and m:
        site = f"https://{m['owner'].lower()}.github.io/{m['name']}"
    urls = {"Source": repo, "Issues": f"{repo}/issues"}
    if site:
        urls = {"Documentation": f"{site}/", "API reference": f"{site}/api/", **urls}
    return urls


setup(project_urls=project_urls())
