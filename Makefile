.PHONY: setup run test check lint bench

setup:
	bash scripts/setup.sh

run: setup
	.venv/bin/honcho start -f Procfile

test: setup
	.venv/bin/pytest

lint:
	.venv/bin/ruff format --check .
	.venv/bin/ruff check .
	.venv/bin/lint-imports
	.venv/bin/mypy safety missions incidents maps

check: setup lint
	.venv/bin/pytest
