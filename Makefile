# The two commands of the README's quick start, and a few helpers.
.PHONY: run test setup lint bench schemas

setup:
	@scripts/bootstrap

run: setup  ## run the whole hub: all six services in one process
	.venv/bin/cmehub run

test: setup lint  ## static checks, then the whole test suite (AMQP_URL / DATABASE_URL, or Docker)
	.venv/bin/pytest

lint: setup
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy

schemas: setup
	.venv/bin/cmehub schemas export schemas/published

bench: setup
	.venv/bin/python -m bench.broker
