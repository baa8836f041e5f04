.PHONY: setup run dev test check lint bench

setup:
	bash scripts/setup.sh

run: setup
	.venv/bin/honcho start -f Procfile

# The development server (auto-reload, DEBUG as configured) with the workers and sinks of the Procfile.
dev: setup
	.venv/bin/honcho start -f Procfile.dev

# pytest exit 5 (no tests collected) is a failure: make exits non-zero for it like for any other.
test: setup
	.venv/bin/pytest; status=$$?; if [ $$status -eq 5 ]; then echo "pytest collected no tests" >&2; fi; exit $$status

lint:
	.venv/bin/ruff format --check .
	.venv/bin/ruff check .
	.venv/bin/lint-imports
	.venv/bin/mypy safety missions incidents maps

# CI runs this (.ci/run): format check, lint, import contracts, types, then the whole test suite.
check: setup lint test
