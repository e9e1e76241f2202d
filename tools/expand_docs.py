"""把 docs/ 下的页面"展开"成读者看到的样子，供 pytest-codeblocks 逐块运行。

1. 用 pymdownx.snippets 本身（读取 mkdocs.yml 里的同一份配置）解析 ``--8<--`` 包含行；
2. 把 Python 代码块的信息串规范成恰好 ``python``（否则 pytest-codeblocks 0.18 会静默跳过）；
3. 写到 ``build/codeblocks/``，目录结构与 docs/ 相同。

用法：``python tools/expand_docs.py [输出目录]``。测试通过 :func:`expand_page` 复用同样的逻辑。
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
DEFAULT_OUT = ROOT / "build" / "codeblocks"

FENCE = re.compile(r"^(?P<indent>\s*)(?P<ticks>`{3,})(?P<info>[^`]*)$")
PY_INFO = re.compile(r"^\s*\{?\.?(python3?|py|pycon)\b", re.IGNORECASE)


def snippets_config() -> dict:
    """从 mkdocs.yml 读出 pymdownx.snippets 的配置（含解析后的 base_path）。"""
    from mkdocs.config import load_config

    cfg = load_config(str(ROOT / "mkdocs.yml"))
    for ext in cfg["markdown_extensions"]:
        if ext == "pymdownx.snippets":
            return dict(cfg["mdx_configs"].get(ext, {}))
    raise RuntimeError("mkdocs.yml 没有启用 pymdownx.snippets")


_md = None


def _preprocessor():
    global _md
    if _md is None:
        import markdown

        _md = markdown.Markdown(extensions=["pymdownx.snippets"],
                                extension_configs={"pymdownx.snippets": snippets_config()})
    return _md.preprocessors["snippet"]


def normalise_fences(lines: list[str]) -> list[str]:
    """Python 代码块的信息串改成恰好 ``python``（``python title="x"`` → ``python``）。"""
    out = []
    in_fence = None
    for line in lines:
        m = FENCE.match(line)
        if m and in_fence is None:
            in_fence = m.group("ticks")
            if PY_INFO.match(m.group("info")):
                line = f"{m.group('indent')}{m.group('ticks')}python"
        elif m and in_fence is not None and m.group("ticks") == in_fence and not m.group("info").strip():
            in_fence = None
        out.append(line)
    return out


def expand_page(path: Path) -> str:
    """返回页面展开包含行、规范代码块信息串后的 Markdown 文本。"""
    lines = path.read_text(encoding="utf-8").split("\n")
    pre = _preprocessor()
    expanded = pre.run(lines)
    return "\n".join(normalise_fences(expanded))


def expand_all(out_dir: Path = DEFAULT_OUT) -> list[Path]:
    if out_dir.exists():
        shutil.rmtree(out_dir)
    written = []
    for page in sorted(DOCS.rglob("*.md")):
        target = out_dir / page.relative_to(DOCS)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(expand_page(page), encoding="utf-8")
        written.append(target)
    return written


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUT
    pages = expand_all(out)
    print(f"展开了 {len(pages)} 个页面 → {out}")
