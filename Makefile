# The verbs people and CI use. `make run` and `make test` work on a fresh machine.
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= xhht_portal.settings.development

.PHONY: run install migrate demo serve-dev test test-fast lint format check messages messages-check clean serve backup restore reminders test-ops

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@PYTHON_BIN=$$(scripts/find_python.sh) && $$PYTHON_BIN -m venv $(VENV)
	$(PIP) install -q --disable-pip-version-check -r requirements-dev.txt
	@touch $@

install: $(VENV)/.installed

migrate: install
	$(PY) manage.py migrate --noinput -v0

demo: migrate
	$(PY) manage.py load_demo

## make run: install, migrate, load the plan and demo data, serve on 127.0.0.1:8000 (make run PORT=8001)
## with the background task worker (db_worker) beside it; Ctrl-C stops both.
run: demo
	@echo ""
	@echo "Cổng thông tin XHHT: http://$(HOST):$(PORT)/   (mật khẩu mẫu / demo password: xhht-demo-2026)"
	@echo "  xa.thanhson  cán bộ xã Thanh Sơn (commune officer)"
	@echo "  xa.namson    cán bộ xã Nam Sơn (commune officer)"
	@echo "  xa.thitran   cán bộ thị trấn Ba Chẽ (commune officer)"
	@echo "  phong.noivu  cán bộ Phòng Nội vụ (department officer)"
	@echo "  phong.gddt   Phòng GD&ĐT, người duyệt (Education Office reviewer)"
	@echo "  lanhdao      lãnh đạo (leadership, read-only)"
	@echo "  quantri      quản trị (administrator)"
	@echo "  tinh.lanhdao lãnh đạo tỉnh Quảng Ninh (province leadership, 2021–2030 plan)"
	@echo "  tinh.gddt    Sở GD&ĐT Quảng Ninh, người duyệt (province reviewer)"
	@echo "  xa.bache     cán bộ xã Ba Chẽ từ 1/7/2025 (commune officer)"
	@echo "  xa.bache.lanhdao  lãnh đạo xã Ba Chẽ (commune leadership)"
	@echo "  Tiến trình xử lý nền (background worker): manage.py db_worker, chạy cùng, Ctrl-C dừng cả hai."
	@echo ""
	@# The task worker beside the dev server: Ctrl-C (or the server stopping) stops both.
	@XHHT_AUTORELOAD_LOG_LEVEL=WARNING $(PY) manage.py db_worker --interval 1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

## make test: the whole suite, browser tests included (DATABASE_URL=postgres:///NAME for PostgreSQL),
## in parallel (pytest-xdist, one test database per worker; TEST_WORKERS=1 runs it in one process).
## Chromium is installed first when missing (as root), or the run stops at once saying what to do.
TEST_WORKERS ?= auto
test: install
	@scripts/ensure_chromium.sh
	DJANGO_SETTINGS_MODULE=xhht_portal.settings.test $(VENV)/bin/pytest -q -n $(TEST_WORKERS)

## make test-fast: everything but the browser tests, for the edit loop.
test-fast: install
	DJANGO_SETTINGS_MODULE=xhht_portal.settings.test $(VENV)/bin/pytest -q -n $(TEST_WORKERS) -m "not e2e"

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

check: install
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py check

## Translations: message ids are Vietnamese; locale/en holds the English.
messages: install
	$(PY) manage.py makemessages -l en --no-obsolete --add-location file -i ".venv/*" -i "staticfiles/*" -i "artifacts/*" -i "tests/*" -i "media/*"
	$(PY) manage.py compilemessages -l en -i ".venv"

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 artifacts

## Production on one machine (docs/DEPLOY.md): production settings, migrate, collectstatic, gunicorn
## on $(HOST):$(PORT) with deploy/gunicorn.conf.py, and the background task worker (db_worker) beside it. Needs DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS,
## from the environment or ENV_FILE=/etc/xhht/xhht.env (format: deploy/xhht.env.example).
ENV_FILE ?=
LOAD_ENV = set -a; [ -z "$(ENV_FILE)" ] || . "$(ENV_FILE)"; set +a
serve: install
	@$(LOAD_ENV); export DJANGO_SETTINGS_MODULE=xhht_portal.settings.production XHHT_BIND=$${XHHT_BIND:-$(HOST):$(PORT)}; \
	$(PY) manage.py migrate --noinput -v0 && \
	$(PY) manage.py collectstatic --noinput -v0 && \
	{ $(PY) manage.py db_worker --no-reload --interval 2 & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	  $(VENV)/bin/gunicorn -c deploy/gunicorn.conf.py xhht_portal.wsgi:application; }

## make backup [BACKUP_DIR=backups]: pg_dump (DATABASE_URL=postgres://…) or dumpdata (SQLite).
BACKUP_DIR ?= backups
backup: install
	@$(LOAD_ENV); scripts/backup.sh "$(BACKUP_DIR)"

## make restore FILE=backups/xhht-….pgdump|.json.gz: replaces the database's content with the backup.
restore: install
	@test -n "$(FILE)" || { echo "usage: make restore FILE=backups/xhht-YYYYmmdd-HHMMSS.pgdump" >&2; exit 2; }
	@$(LOAD_ENV); scripts/restore.sh "$(FILE)"

## make reminders: e-mail reminders for reports due soon or overdue (cron/systemd timer daily).
reminders: install
	@$(LOAD_ENV); $(PY) manage.py send_reminders

## make test-ops: the slow operational checks (backup round trips), skipped by `make test`.
test-ops: install
	DJANGO_SETTINGS_MODULE=xhht_portal.settings.test $(VENV)/bin/pytest -q -m ops
