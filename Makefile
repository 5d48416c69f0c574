# Everyday commands; each is a thin wrapper over scripts/.
.PHONY: demo test test-postgres lint format messages

demo:
	./scripts/demo

test:
	./scripts/test

test-postgres:
	TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test ./scripts/test

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check .

format:
	.venv/bin/ruff format . && .venv/bin/ruff check --fix .

# Re-extract translatable strings and merge them into every catalogue.
messages:
	.venv/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k lazy_pgettext:1c,2 --no-location --sort-output --project prog-tracker -o prog_tracker/translations/messages.pot .
	.venv/bin/pybabel update -i prog_tracker/translations/messages.pot -d prog_tracker/translations --no-fuzzy-matching
	.venv/bin/pybabel compile -d prog_tracker/translations
