#!/bin/sh
# The role PIT's web and workers connect as: no superuser, no BYPASSRLS, owns nothing (pit/rls.py).
# `manage.py migrate` (as the owner) grants it what it needs after every migration.
set -eu
psql -v ON_ERROR_STOP=1 -v password="$PIT_APP_PASSWORD" --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<'SQL'
CREATE ROLE pit_app LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE PASSWORD :'password';
SQL
