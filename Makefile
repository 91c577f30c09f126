# The README's two commands are `make run` and `make test`; the rest are for maintainers.
.PHONY: run test lint fmt bench templates migrate lock

run:
	bash scripts/run.sh

test:
	bash scripts/test.sh

lint:
	bash scripts/venv.sh test
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

fmt:
	bash scripts/venv.sh test
	.venv/bin/ruff format .
	.venv/bin/ruff check --fix .

# One benchmark after another (never side by side: the machine has two cores).
bench:
	bash scripts/venv.sh test
	.venv/bin/python benchmarks/planner_bench.py
	.venv/bin/python benchmarks/documents_bench.py
	.venv/bin/python benchmarks/invitations_bench.py
	.venv/bin/python benchmarks/followup_bench.py --db both
	.venv/bin/python benchmarks/roles_bench.py --db both
	.venv/bin/python benchmarks/report_export_bench.py --db both
	.venv/bin/python benchmarks/load_bench.py --db both

# Rebuild the shipped Word templates in agenda_templates/ from tools/templates/.
templates:
	bash scripts/venv.sh test
	.venv/bin/python -m tools.templates

# A new Alembic revision from the models: make migrate m="what changed"; then review it.
migrate:
	bash scripts/venv.sh
	.venv/bin/flask --app app db migrate -m "$(m)"

# Refresh uv.lock after changing dependencies in pyproject.toml (--upgrade: newest allowed).
lock:
	python3 -m uv lock $(if $(upgrade),--upgrade,)
