# Two commands do all the set-up: `make demo` and `make test` each create the
# virtual environment .venv on first use and install greenscen into it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.greenscen-installed

.PHONY: demo test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@# tests/browser drives JupyterLab in Debian's Chromium (a CJK font for legible screenshots);
	@# CI (CI set, root) installs them, elsewhere the browser test skips without one.
	@command -v chromium >/dev/null 2>&1 || { [ -n "$$CI" ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
		apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium fonts-wqy-microhei; } || \
		echo "note: no chromium on PATH; the JupyterLab browser test will skip (apt-get install chromium)"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/greenscen run --out out --overwrite

test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check greenscen tests benchmarks

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) out
