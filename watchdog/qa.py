"""Foreman QA (PIT_DATABASE_SCHEMA_v0.1 section 14): the database checked against the document, and each project's
data against the hierarchy's rules. Every check is one set-based query, whatever the number of rows.

A schema check returns a list of problems; a data check returns {project_id: [problems]}.
"""

import re
from collections import defaultdict

from django.apps import apps
from django.db import connection

from pit import schema
from pit.enums import PG_ENUMS

SNAKE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
SAMPLE = 20  # problems listed per check; the count says how many there were


def _rows(sql: str, params=None) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, [] if params is None else params)  # [] so %% always means %
        return cursor.fetchall()


def _columns() -> dict[tuple[str, str], tuple[str, bool]]:
    rows = _rows(
        """
        SELECT table_name, column_name,
               CASE WHEN data_type = 'USER-DEFINED' THEN udt_name
                    WHEN data_type = 'numeric' THEN format('numeric(%%s,%%s)', numeric_precision, numeric_scale)
                    WHEN data_type = 'character varying' THEN format('character varying(%%s)', character_maximum_length)
                    ELSE data_type END,
               is_nullable = 'YES'
        FROM information_schema.columns WHERE table_schema = current_schema()
        """
    )
    return {(table, column): (kind, nullable) for table, column, kind, nullable in rows}


def _pit_tables() -> list[str]:
    return [name for (name,) in _rows("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")]


def check_tables_exist() -> list[str]:
    present = set(_pit_tables())
    return [f"table {table} is missing" for table in schema.TABLES if table not in present]


def _column_problems(timestamps: bool) -> list[str]:
    columns = _columns()
    problems = []
    for table, spec in schema.TABLES.items():
        for column, kind in spec.items():
            if column.endswith("_at") != timestamps:
                continue
            found = columns.get((table, column))
            if found is None:
                problems.append(f"{table}.{column} is missing")
            elif found[0] != kind:
                problems.append(f"{table}.{column} is {found[0]}, the document says {kind}")
    return problems


def check_columns() -> list[str]:
    return _column_problems(timestamps=False)


def check_timestamps() -> list[str]:
    return _column_problems(timestamps=True)


def _foreign_key_columns() -> list[tuple[str, str]]:
    """Every foreign-key column the models declare on the document's tables."""
    return [
        (model._meta.db_table, field.column)
        for model in apps.get_models()
        if model._meta.db_table in schema.TABLES
        for field in model._meta.concrete_fields
        if field.is_relation
    ]


def check_foreign_keys_enforced() -> list[str]:
    enforced = set(
        _rows(
            """
            SELECT c.conrelid::regclass::text, a.attname FROM pg_constraint c
            JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY(c.conkey)
            WHERE c.contype = 'f' AND c.convalidated
            """
        )
    )
    quoted = {(table.strip('"'), column) for table, column in enforced}
    return [f"{t}.{c} has no enforced foreign key" for t, c in _foreign_key_columns() if (t, c) not in quoted]


def check_nullable_foreign_keys() -> list[str]:
    columns = _columns()
    allowed = ", ".join(sorted(f"{t}.{c}" for t, c in schema.NULLABLE_FOREIGN_KEYS))
    return [
        f"{table}.{column} allows NULL; only {allowed} may"
        for table, column in _foreign_key_columns()
        if columns.get((table, column), ("", False))[1] and (table, column) not in schema.NULLABLE_FOREIGN_KEYS
    ]


def check_enums() -> list[str]:
    labels = defaultdict(list)
    for name, label in _rows(
        "SELECT t.typname, e.enumlabel FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid ORDER BY e.enumsortorder"
    ):
        labels[name].append(label)
    problems = []
    for name, choices in PG_ENUMS.items():
        if name not in labels:
            problems.append(f"enum {name} is not defined")
        elif labels[name] != list(choices.values):
            problems.append(f"enum {name} has {labels[name]}, the document says {list(choices.values)}")
    return problems


def check_snake_case() -> list[str]:
    own = [t for t in _pit_tables() if not t.startswith(("django_", "auth_"))]
    problems = [f"table {t!r} is not snake_case" for t in own if not SNAKE.match(t)]
    problems += [f"column {t}.{c!r} is not snake_case" for (t, c) in _columns() if t in own and not SNAKE.match(c)]
    return problems


def check_audit_log_protected() -> list[str]:
    found = _rows("SELECT 1 FROM pg_trigger WHERE tgname = 'audit_log_append_only' AND tgenabled <> 'D'")
    return [] if found else ["audit_log accepts UPDATE and DELETE: the append-only trigger is missing or disabled"]


SCHEMA_CHECKS = {
    "every_table_exists": check_tables_exist,
    "columns_match_document": check_columns,
    "timestamp_fields_present": check_timestamps,
    "every_fk_enforced": check_foreign_keys_enforced,
    "no_unexpected_nullable_fk": check_nullable_foreign_keys,
    "enums_defined": check_enums,
    "snake_case_names": check_snake_case,
    "audit_log_append_only": check_audit_log_protected,
}
