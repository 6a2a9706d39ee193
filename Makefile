# The two commands a new user needs: `make run` and `make test`.
# Both install what is missing: Debian packages (apt-get, with sudo when not
# root), uv (in .tools/) and the project's virtual environment (.venv/).

SHELL := /bin/bash
.DEFAULT_GOAL := help

UV := .tools/bin/uv
PY := .venv/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_PASSWORD ?= demo-2026
# fonts-noto-cjk and libharfbuzz-subset0: Chinese PDFs (subsetting is ~15x
# faster with the latter); the Pango libraries: WeasyPrint itself.
# gettext: compiles the interface translations (locale/*.po).
# chromium: the browser tests (Playwright drives Debian's Chromium; it never
# downloads a browser of its own).
APT_PACKAGES := python3 python3-venv fonts-noto-cjk libharfbuzz-subset0 \
	libpango-1.0-0 libpangoft2-1.0-0 libpangocairo-1.0-0 gettext chromium

.PHONY: help run test bench lint format messages system-deps venv clean

help:
	@echo "make run    - install what is missing, load sample data, serve http://$(HOST):$(PORT)/"
	@echo "make test   - install what is missing and run the whole test suite"
	@echo "make bench  - measure speed and size against the targets (not a test; ~10 min)"
	@echo "make lint   - ruff, ruff format --check, mypy, makemigrations --check"
	@echo "make format - apply ruff's formatting and safe fixes"
	@echo "make messages - update locale/zh_Hans/LC_MESSAGES/django.po from the code"

system-deps:
	@missing=""; \
	for package in $(APT_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q "install ok installed" \
			|| missing="$$missing $$package"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:$$missing"; \
		sudo=""; [ "$$(id -u)" -eq 0 ] || sudo="sudo"; \
		$$sudo apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq $$missing; \
	fi

$(UV):
	python3 -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv

venv: system-deps $(UV)
	$(UV) sync --frozen --quiet
	@DEBUG=true $(PY) manage.py compilemessages --ignore=.venv --ignore=.tools -v0

run: venv
	DEBUG=true $(PY) manage.py migrate --no-input
	DEBUG=true $(PY) manage.py seed --demo-users "$(DEMO_PASSWORD)"
	@echo "Serving http://$(HOST):$(PORT)/ (admin: /admin/) with a task worker; Ctrl-C stops both."
	@DEBUG=true $(PY) manage.py db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	DEBUG=true $(PY) manage.py runserver $(HOST):$(PORT)

test: venv
	$(PY) -m pytest

# wrk: the HTTP benchmark's load generator (a C program, so on two cores the
# figure measures the server, not a Python client).
bench: APT_PACKAGES += wrk
bench: venv
	DEBUG=true $(PY) bench/run.py

lint: venv
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	DEBUG=true .venv/bin/mypy .
	DEBUG=true $(PY) manage.py makemigrations --check --dry-run

messages: venv
	DEBUG=true $(PY) manage.py makemessages -l zh_Hans --ignore=.venv --ignore=.tools --ignore=tests

format: venv
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .

clean:
	rm -rf .venv .tools db.sqlite3 media staticfiles .pytest_cache .mypy_cache .ruff_cache
