# 两条命令：make serve（本地预览站点）与 make test（全部测试）。每个目标都会先安装所需的一切（幂等，已安装时很快）。
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
TORCH_VERSION := 2.13.0
STAMP := $(VENV)/.installed
KATEX := node_modules/katex/dist/katex.min.js

.PHONY: install serve build offline dist test bench bench-check clean

install: $(STAMP) $(KATEX)

# Python 依赖：先装 CPU 版 torch==$(TORCH_VERSION)（本机磁盘上有，几秒钟；其他版本会拉取数 GB 的 CUDA 版），
# 再以可编辑方式安装本包和固定版本的文档 / 测试工具链。
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install -q --disable-pip-version-check --upgrade pip
	@$(BIN)/python -c "import torch" 2>/dev/null || $(BIN)/python -m pip install -q --disable-pip-version-check torch==$(TORCH_VERSION)
	@$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[docs,test,data]'
	@touch $@

# KaTeX：npm 上固定版本（package-lock.json），由站点自己发布，阅读时不访问 CDN。
$(KATEX): package.json package-lock.json
	@npm ci --no-audit --no-fund --loglevel=error
	@touch $@

serve: install
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs serve -a 127.0.0.1:8000

# 站点（每章的笔记本在构建时执行）+ 离线副本 site/nndl-offline.zip（笔记本用刚才的执行结果，见 hooks/notebooks.py）。
build: install
	NO_MKDOCS_2_WARNING=1 NNDL_EXECUTE_NOTEBOOKS=1 NNDL_NOTEBOOK_CACHE=1 $(BIN)/mkdocs build --strict -d site
	@$(MAKE) --no-print-directory offline

# 离线副本：按 mkdocs-offline.yml 构建到 build/nndl-offline/（file:// 可读、搜索可用），打包成 site/nndl-offline.zip。
offline: install
	NO_MKDOCS_2_WARNING=1 NNDL_EXECUTE_NOTEBOOKS=1 NNDL_NOTEBOOK_CACHE=1 NNDL_OFFLINE=true $(BIN)/mkdocs build --strict -f mkdocs-offline.yml
	@mkdir -p site && rm -f site/nndl-offline.zip
	@cd build && ../$(BIN)/python -m zipfile -c ../site/nndl-offline.zip nndl-offline
	@echo "离线副本：site/nndl-offline.zip（$$(du -h site/nndl-offline.zip | cut -f1)）"

# 参考包的发行版：标准构建前端 python -m build 构建 wheel 与 sdist 到 dist/，再用 twine check --strict 检查。
# 站点发布同一个包的 wheel（downloads/，构建站点时由 hooks/wheel.py 加入），读者一行 pip install 即可运行页面代码。
dist: install
	$(BIN)/python tools/dist.py dist

# 先把页面展开成读者看到的样子（build/codeblocks），再一次性运行：包的测试与 doctest、
# 每个代码片段文件、每个页面代码块（pytest-codeblocks）、站点构建与浏览器检查。
test: install
	@$(BIN)/python tools/expand_docs.py build/codeblocks
	NO_MKDOCS_2_WARNING=1 $(BIN)/python -m pytest tests nndl_ref build/codeblocks --codeblocks --doctest-modules --durations=15

bench: install
	$(BIN)/python benchmarks/run.py

# 重跑全部基准，结果写到 build/bench-rerun/，与提交的 benchmarks/results/ 逐条比较（噪声范围见 benchmarks/check.py）
bench-check: install
	$(BIN)/python benchmarks/run.py --check

clean:
	rm -rf site build dist .pytest_cache
