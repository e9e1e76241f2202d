// 用站点自带的 KaTeX 排版 pymdownx.arithmatex 输出的 \( … \) 与 \[ … \]。
// Material 的 instant 导航不会重新执行页面脚本，所以订阅 document$，每次换页都排版一次。
function nndlTypeset(root) {
  renderMathInElement(root, {
    delimiters: [
      { left: "\\(", right: "\\)", display: false },
      { left: "\\[", right: "\\]", display: true },
    ],
    throwOnError: false,
  });
}

if (typeof document$ !== "undefined") {
  document$.subscribe(({ body }) => nndlTypeset(body));
} else {
  document.addEventListener("DOMContentLoaded", () => nndlTypeset(document.body));
}
