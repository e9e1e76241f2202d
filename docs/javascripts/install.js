// 安装命令 pip install "nndl_ref[data] @ <地址>"：构建时写的是发布站点（或 make serve）的地址，
// 这里换成页面实际所在的站点根目录——镜像、子路径、file:// 下的离线副本（pip 认 file:// 地址）都对。
// 站点根目录来自 Material 写在页面里的配置 #__config 的 base（相对于当前页面）。
function nndlFixInstallLines(root) {
  const config = document.getElementById("__config");
  const base = config ? JSON.parse(config.textContent).base || "." : ".";
  const site = new URL(base.replace(/\/?$/, "/"), location.href).href;
  const pattern = /^(pip install "nndl_ref\[data\] @ )\S*?(downloads\/nndl_ref-[^"\s]+\.whl")(\s*)$/;
  root.querySelectorAll("code").forEach((code) => {
    const m = code.textContent.match(pattern);
    if (m) code.textContent = m[1] + site + m[2] + m[3];
  });
}

if (typeof document$ !== "undefined") {
  document$.subscribe(({ body }) => nndlFixInstallLines(body));
} else {
  document.addEventListener("DOMContentLoaded", () => nndlFixInstallLines(document.body));
}
