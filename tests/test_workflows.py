"""GitHub 工作流：这里不能运行它们，只检查 YAML 与关键设置（发布用可信发布、地址来自所在仓库）。"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = ROOT / ".github" / "workflows"
YAMLLINT = "{extends: default, rules: {line-length: {max: 140}, document-start: disable, truthy: {check-keys: false}}}"


def load(name: str) -> dict:
    return yaml.load((WORKFLOWS / name).read_text(encoding="utf-8"), Loader=yaml.BaseLoader)


def test_yamllint_passes():
    proc = subprocess.run([sys.executable, "-m", "yamllint", "-f", "parsable", "-d", YAMLLINT, str(WORKFLOWS)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_release_publishes_on_version_tags_with_trusted_publishing():
    wf = load("release.yml")
    assert wf["on"]["push"]["tags"] == ["v*"]
    steps = wf["jobs"]["dist"]["steps"]
    assert any("tools/dist.py" in s.get("run", "") for s in steps), "发布前用 make dist 的同一个脚本构建并 twine check"
    assert any("__version__" in s.get("run", "") for s in steps), "标签必须与包的版本一致"
    publish = wf["jobs"]["publish"]
    assert publish["permissions"] == {"id-token": "write"}            # 可信发布：OIDC，不存令牌
    assert publish["environment"]["name"] == "pypi"
    uses = [s.get("uses", "") for s in publish["steps"]]
    assert any(u.startswith("pypa/gh-action-pypi-publish@") for u in uses)
    assert "password" not in (WORKFLOWS / "release.yml").read_text(encoding="utf-8")
    assert wf["jobs"]["dist"]["env"]["NNDL_REPO_URL"] == "${{ github.server_url }}/${{ github.repository }}"


def test_pages_build_knows_its_repository():
    wf = load("deploy.yml")
    build = [s for s in wf["jobs"]["build"]["steps"] if s.get("run") == "make build"]
    assert len(build) == 1
    env = build[0]["env"]
    assert env["NNDL_REPO_URL"] == "${{ github.server_url }}/${{ github.repository }}"
    assert env["NNDL_SITE_URL"].startswith("${{ steps.pages.outputs.base_url }}")
    assert "NNDL_REPO_BRANCH" in env
