# Dhakira: `make demo` and `make test` are the two set-up commands (see README).
# Everything they need, system packages included, is installed from here.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DEMO_VAULT := demo-vault
DEMO_SECRETS := .demo
PORT ?= 8000
# Three workers on two cores: a third of the suite's time is spent waiting (browsers, servers,
# PostgreSQL), and a third worker fills it (docs/testing.md, "Where the time goes").
PYTEST_ARGS ?= -n 3 --dist worksteal
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: venv system messages fonts demo demo-data test test-sqlcipher test-postgres test-spark bench lint clean-demo locks

venv: $(VENV)/.installed

# requirements.lock: what Dhakira runs on; requirements-dev.lock: that plus the test and lint
# tools. Both pin every package with its hashes; `make locks` remakes them from pyproject.toml.
$(VENV)/.installed: requirements.lock requirements-dev.lock pyproject.toml
	@$(MAKE) --no-print-directory system
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q --require-hashes -r requirements-dev.lock
	$(PY) -m pip install -q --no-deps -e .
	@$(MAKE) --no-print-directory messages
	touch $@

# System packages: gettext (compiled translations), Chromium's headless shell (browser tests),
# PostgreSQL (the server leg of the tests), poppler-utils (PDF pages as images, and as text
# for the brief tests),
# the Amiri Naskh font (Arabic in PDF briefs), strace (the no-plaintext-on-disk canary test),
# Tesseract with its Arabic and English data (OCR of scans and photographed documents).
# Installed only when missing.
system:
	@missing=""; \
	command -v msgfmt >/dev/null 2>&1 || missing="$$missing gettext"; \
	test -x /usr/lib/chromium/chromium-headless-shell || missing="$$missing chromium-headless-shell"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	command -v pdftoppm >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	command -v strace >/dev/null 2>&1 || missing="$$missing strace"; \
	fc-list 2>/dev/null | grep -qi amiri || missing="$$missing fonts-hosny-amiri"; \
	command -v tesseract >/dev/null 2>&1 || missing="$$missing tesseract-ocr"; \
	tesseract --list-langs 2>/dev/null | grep -qx ara || missing="$$missing tesseract-ocr-ara"; \
	tesseract --list-langs 2>/dev/null | grep -qx eng || missing="$$missing tesseract-ocr-eng"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing system packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi

messages:
	@for po in $$(find src -name django.po); do msgfmt --check-format -o $${po%.po}.mo $$po; done

# The web app's Arabic font (Amiri, SIL Open Font License), copied from the system package
# so that Arabic never falls back to whatever the reader's machine has. Not committed.
FONTS := src/dhakira/apps/web/static/web/fonts
fonts: system
	@mkdir -p $(FONTS)
	@cp -u "$$(fc-match -f '%{file}' 'Amiri:style=Regular')" $(FONTS)/Amiri-Regular.ttf
	@cp -u "$$(fc-match -f '%{file}' 'Amiri:style=Bold')" $(FONTS)/Amiri-Bold.ttf
	@cp -u /usr/share/doc/fonts-hosny-amiri/copyright $(FONTS)/Amiri-LICENSE.txt

# The demo: a synthetic dossier in ./demo-vault, served on http://127.0.0.1:$(PORT) (8000
# unless PORT= says another: `make demo PORT=8001`). A port another program holds is refused
# by `dhakira serve` in one line, before the passphrase is read.
demo: venv messages fonts $(DEMO_VAULT)/.built
	@echo ""
	@echo "Dhakira demo: open http://127.0.0.1:$(PORT) and log in as"
	@cat $(DEMO_SECRETS)/logins.txt
	@echo "(synthetic data only; the vault passphrase is in $(DEMO_SECRETS)/passphrase)"
	@echo ""
	@# The demo's accounts are minutes old: let them approve as a second person at once.
	DHAKIRA_ACCOUNT_SETTLING_HOURS=0 $(VENV)/bin/dhakira serve --vault $(DEMO_VAULT) --passphrase-file $(DEMO_SECRETS)/passphrase --port $(PORT)

$(DEMO_VAULT)/.built:
	$(PY) scripts/make-demo.py --vault $(DEMO_VAULT) --secrets $(DEMO_SECRETS)
	touch $@

clean-demo:
	rm -rf $(DEMO_VAULT) $(DEMO_SECRETS)

# The two legs one after the other; TEST_LEGS=2 runs them at once, each printed whole when it
# ends. On two cores that is slower (docs/testing.md, "Where the time goes").
TEST_LEGS ?= 1
test: venv messages fonts
	$(VENV)/bin/ruff check src tests bench scripts
	@$(MAKE) --no-print-directory -j$(TEST_LEGS) --output-sync=target test-sqlcipher test-postgres

test-sqlcipher:
	@echo "== tests on SQLCipher =="
	$(VENV)/bin/pytest $(PYTEST_ARGS)

test-postgres:
	@echo "== tests on PostgreSQL =="
	scripts/with-postgres $(VENV)/bin/pytest $(PYTEST_ARGS)

# Splink's Spark backend against DuckDB on a small local run (docs/linkage.md, "Beyond one
# machine"). Not part of `make test`: pyspark is about 430 MB and runs in a JVM. Installs a
# Java runtime when `java` is missing, and pyspark from its own hash-pinned lock file.
test-spark: venv $(VENV)/.spark-installed
	DHAKIRA_TEST_SPARK=1 $(VENV)/bin/pytest -n 0 tests/spark

$(VENV)/.spark-installed: requirements-spark.lock
	@command -v java >/dev/null 2>&1 || { echo "Installing openjdk-17-jre-headless"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq openjdk-17-jre-headless >/dev/null; }
	$(PY) -m pip install -q --require-hashes -r requirements-spark.lock
	touch $@

bench: venv
	$(PY) bench/run_all.py

# Remake both locks (keeping the versions pinned now unless pyproject.toml rules them out).
# Needs pip-tools, which is not itself a dependency: pip install pip-tools in any environment.
locks:
	CUSTOM_COMPILE_COMMAND="make locks" pip-compile -q --generate-hashes --strip-extras \
	  --allow-unsafe --no-emit-index-url --no-emit-find-links -o requirements.lock pyproject.toml
	CUSTOM_COMPILE_COMMAND="make locks" pip-compile -q --generate-hashes --strip-extras \
	  --allow-unsafe --no-emit-index-url --no-emit-find-links --extra dev \
	  -o requirements-dev.lock pyproject.toml

lint: venv
	$(VENV)/bin/ruff check src tests bench scripts
	$(VENV)/bin/mypy src/dhakira
