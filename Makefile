.PHONY: setup run dev test check lint bench

setup:
	bash scripts/setup.sh

run: setup
	.venv/bin/honcho start -f Procfile

# The development server (auto-reload, DEBUG as configured) with the workers and sinks of the Procfile.
dev: setup
	.venv/bin/honcho start -f Procfile.dev

test: setup
	.venv/bin/pytest

lint:
	.venv/bin/ruff format --check .
	.venv/bin/ruff check .
	.venv/bin/lint-imports
	.venv/bin/mypy safety missions incidents maps

check: setup lint
	.venv/bin/pytest
