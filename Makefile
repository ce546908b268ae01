# The two commands of the README's quick start, and a few helpers.
.PHONY: run test setup browser lint bench schemas

setup:
	@scripts/bootstrap

run: setup  ## run the whole hub: all six services in one process
	.venv/bin/cmehub run

test: setup browser lint  ## static checks, then the whole suite (AMQP_URL / DATABASE_URL, or Docker)
	.venv/bin/pytest

browser:  ## Debian's Chromium for the browser tests (never a downloaded browser)
	@scripts/install-browser

lint: setup
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy

schemas: setup
	.venv/bin/cmehub schemas export schemas/published

bench: setup
	.venv/bin/python -m bench.broker
