# Đơn thư — two commands for a new user: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8080
export FLASK_APP := run.py

.PHONY: install translations catalog db demo run test lint format bench clean guide

## install: virtualenv with every pinned dependency, compiled Vietnamese catalog
install: $(VENV)/.installed translations

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

translations: $(VENV)/.installed
	$(BIN)/pybabel compile -d app/translations >/dev/null

I18N := app/translations
BABEL_OPTS := -F $(CURDIR)/babel.cfg -k _l -k lazy_gettext -k lazy_formatter_gettext -k __ \
	-w 100 --project=donthu
FAB_PARENT = $(shell $(BIN)/python -c "import flask_appbuilder as m, pathlib; print(pathlib.Path(m.__file__).parent.parent)")
WTFORMS_POT = $(shell $(BIN)/python -c "from wtforms.i18n import messages_path; print(messages_path())")/wtforms.pot

## catalog: update the vi catalog with the msgids of app/, FAB, WTForms and app/*/i18n_vi.txt
catalog: $(VENV)/.installed
	$(BIN)/pybabel extract $(BABEL_OPTS) -o $(I18N)/messages.pot app
	cd $(FAB_PARENT) && $(CURDIR)/$(BIN)/pybabel extract $(BABEL_OPTS) \
		-o $(CURDIR)/$(I18N)/flask_appbuilder.pot flask_appbuilder
	pot=$$(mktemp) && trap 'rm -f $$pot' EXIT && \
		$(BIN)/python scripts/merge_i18n.py template $$pot \
			$(I18N)/messages.pot $(I18N)/flask_appbuilder.pot $(WTFORMS_POT) && \
		$(BIN)/pybabel update -N --init-missing --ignore-obsolete -w 100 -l vi -i $$pot -d $(I18N)
	$(BIN)/python scripts/merge_i18n.py apply $(I18N)/vi/LC_MESSAGES/messages.po
	$(BIN)/pybabel compile --statistics -d $(I18N)

## db: migrate the database (DATABASE_URL, default SQLite) and sync roles
db: install
	$(BIN)/flask db upgrade
	$(BIN)/flask app init

## demo: load the demo province and accounts (idempotent) and print the accounts
demo: db
	$(BIN)/flask demo load

## run: install, migrate, load the demo province and serve on http://127.0.0.1:$(PORT)
run: demo
	$(BIN)/flask run --host 127.0.0.1 --port $(PORT)

## test: install, then the whole test suite (browser tests included)
test: install
	./scripts/ensure-chromium.sh
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## guide: run the browser tests and refresh the user guide's pictures (docs/guide/img)
guide: install
	./scripts/ensure-chromium.sh
	$(BIN)/python scripts/build_guide.py

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) instance tests/artifacts
