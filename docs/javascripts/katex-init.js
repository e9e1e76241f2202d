// 用站点自带的 KaTeX 排版 pymdownx.arithmatex 输出的 \( … \) 与 \[ … \]。
// Material 的 instant 导航不会重新执行页面脚本，所以订阅 document$，每次换页都排版一次。
// 笔记本页面（mkdocs-jupyter 渲染，内容在 .jupyter-wrapper 里）保留的是 $ … $ 与 $$ … $$，
// 只在这些页面上加 $ 分隔符：普通页面上的美元符号不会被误当成公式。
function nndlTypeset(root) {
  const delimiters = [
    { left: "\\(", right: "\\)", display: false },
    { left: "\\[", right: "\\]", display: true },
  ];
  if (root.querySelector(".jupyter-wrapper")) {
    delimiters.unshift({ left: "$$", right: "$$", display: true });
    delimiters.push({ left: "$", right: "$", display: false });
  }
  renderMathInElement(root, { delimiters, throwOnError: false });
}

if (typeof document$ !== "undefined") {
  document$.subscribe(({ body }) => nndlTypeset(body));
} else {
  document.addEventListener("DOMContentLoaded", () => nndlTypeset(document.body));
}
