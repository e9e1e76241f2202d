"""matplotlib 的统一样式与 SVG 导出（不依赖 GUI，不嵌入字体）。"""

from __future__ import annotations

import io
import logging
import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

CJK_STACK = ["Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei",
             "WenQuanYi Micro Hei", "Noto Sans SC", "DejaVu Sans"]

STYLE = {
    "svg.fonttype": "none",          # 文字保留为 <text>，由浏览器用系统字体渲染
    "svg.hashsalt": "nndl",          # 输出可复现
    "font.family": ["sans-serif"],
    "font.sans-serif": CJK_STACK,
    "font.size": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "figure.dpi": 100,
    "axes.unicode_minus": False,
}

COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"]

logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
logging.getLogger("matplotlib.mathtext").setLevel(logging.ERROR)


def svg_figure(fn):
    """装饰器：在统一样式下运行绘图函数（它返回 ``fig``），再把结果转成 SVG 文本。"""
    import functools

    @functools.wraps(fn)
    def wrapper(*args, **kwargs) -> str:
        with plt.rc_context(STYLE), warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="Glyph .* missing from font")
            fig = fn(*args, **kwargs)
            buf = io.StringIO()
            fig.tight_layout()
            fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches="tight")
            plt.close(fig)
        return buf.getvalue()

    return wrapper
