# `make book` and `make test` do all set-up on a fresh machine.
VENV    ?= .venv
PYTHON  ?= python3
PY      := $(VENV)/bin/python
STAMP   := $(VENV)/.installed
JOBS    ?= 2

.PHONY: book test lab notebooks bench lint clean chromium nodejs pdf

$(STAMP): requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	$(PY) -m pip install -q --no-deps --no-build-isolation -e .
	touch $(STAMP)

## Build the HTML book into _build/html, warnings as errors.
book: $(STAMP) nodejs
	$(VENV)/bin/jupyter-book build . -W -n --keep-going
	@echo
	@echo "The book is at file://$(CURDIR)/_build/html/index.html"

## The whole book as one PDF, offline: a single-page HTML build printed by Chromium.
pdf: $(STAMP) chromium
	$(VENV)/bin/jupyter-book build . --builder singlehtml -n --keep-going
	$(PY) tools/print_pdf.py _build/singlehtml/index.html _build/pdf/book.pdf

# The widest floating-point kernels this CPU has (torch, MKL); threads that wait sleep
# instead of spinning, so test workers sharing the cores do not slow each other down.
TEST_ENV := OMP_WAIT_POLICY=PASSIVE ATEN_CPU_CAPABILITY=avx512 MKL_ENABLE_INSTRUCTIONS=AVX512

## Every test: unit tests, notebooks (nbval), the strict build, the browser tests; then the
## notebook tests again on other numeric code paths (other kernels, one and two threads).
test: book chromium
	$(TEST_ENV) $(PY) -m pytest -n $(JOBS) --dist loadfile --nbval --nbval-sanitize-with tests/sanitize.cfg
	$(PY) tests/code_paths.py --jobs $(JOBS)

## Re-execute every notebook in book/ in place, each in a fresh kernel, saving outputs
## (first regenerating the assignments' student editions from assignments/source/).
notebooks: $(STAMP)
	$(PY) -m actlib.teaching.checks.editions book
	find book -name '*.ipynb' -not -path '*/.ipynb_checkpoints/*' -print0 | sort -z | \
	  OMP_WAIT_POLICY=PASSIVE xargs -0 $(PY) tools/execute_notebooks.py

## JupyterLab on the chapter notebooks.
lab: $(STAMP)
	OMP_WAIT_POLICY=PASSIVE $(VENV)/bin/jupyter lab $$([ "$$(id -u)" = 0 ] && echo --allow-root) book/

## Benchmarks (figures, not pass/fail).
bench: $(STAMP)
	$(PY) bench/bench_numpy_vs_torch.py

lint: $(STAMP)
	$(VENV)/bin/ruff check actlib tests bench

## Debian's chromium for the browser tests (needs root; skipped when present).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; \
	  else sudo apt-get update -q && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; fi; }

clean:
	rm -rf _build .pytest_cache .hypothesis

## Node.js typesets the book's math with the vendored KaTeX at build time (needs root or
## sudo to install; skipped when present).
nodejs:
	@command -v node >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q nodejs; \
	  else sudo apt-get update -q && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -q nodejs; fi; }
