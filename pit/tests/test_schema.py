"""After `migrate`, the database is PIT_DATABASE_SCHEMA_v0.1: checked against the seed document itself."""

import hashlib
import re
from pathlib import Path

import pytest
from django.db import connection

from pit import schema
from pit.enums import PG_ENUMS
from pit.fields import add_enum_label
from watchdog import qa

# The canonical schema document, copied into the repository so a clean clone can check itself against it.
REPO = Path(__file__).resolve().parents[2]
DOCUMENT = REPO / "docs" / "seeds" / "000_0df349077b8102fb.txt"
SHARED = REPO.parent / "shared" / "seeds" / DOCUMENT.name
DOCUMENT_SHA256 = "2260bc05abb6b761935f"
DOC_TYPES = {"TEXT": schema.TEXT, "DATE": schema.DATE, "INT": schema.INT, "NUMERIC(12,2)": schema.MONEY,
             "JSONB": schema.JSONB, "BOOLEAN": schema.BOOL, "TIMESTAMPTZ": schema.TS}  # fmt: skip


def document_tables() -> dict[str, dict[str, str | None]]:
    """{table: {column: type or None}} read from the seed document's sections 3-12."""
    tables, current = {}, None
    for line in DOCUMENT.read_text().splitlines():
        heading = re.match(r"^\d+\.\d+ ([a-z_]+)$", line.strip())
        if heading:
            current = tables.setdefault(heading.group(1), {})
            continue
        column = re.match(r"^([a-z_]+)(?:\s+(\S+))?", line)
        if current is None or not column or line.startswith("Indexes") or " " in line.strip()[:1]:
            continue
        if not re.match(r"^[a-z_]+(\s{2,}|$)", line):
            continue
        name, kind = column.group(1), column.group(2)
        if kind in ("PK", "FK"):
            kind = schema.ID
        elif kind and kind.endswith("_enum"):
            pass
        else:
            kind = DOC_TYPES.get(kind or "", schema.TS if name.endswith("_at") else None)
        current[name] = kind
    return {name: cols for name, cols in tables.items() if cols}


def test_the_repositorys_copy_is_the_seed_document():
    copy = DOCUMENT.read_bytes()
    assert hashlib.sha256(copy).hexdigest().startswith(DOCUMENT_SHA256)
    if SHARED.exists():  # next to the shared seeds (development machines), the copy must still be identical
        assert SHARED.read_bytes() == copy


def test_pit_schema_transcribes_every_table_and_column_of_the_document():
    doc = document_tables()
    assert set(doc) == set(schema.TABLES) - {"organisation", "division"}
    for table, columns in doc.items():
        for column, kind in columns.items():
            assert column in schema.TABLES[table], f"{table}.{column} is in the document but not in pit/schema.py"
            if kind and column not in ("created_by", "uploaded_by"):
                assert schema.TABLES[table][column] == kind, f"{table}.{column}"


@pytest.mark.django_db
@pytest.mark.parametrize("check", list(qa.SCHEMA_CHECKS))
def test_migrated_database_passes_every_schema_check(check):
    assert qa.SCHEMA_CHECKS[check]() == []


@pytest.mark.django_db
def test_every_index_of_the_document_exists():
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename, indexdef FROM pg_indexes WHERE schemaname = current_schema()")
        defs = cursor.fetchall()
    for table, columns in schema.INDEXES:
        assert any(t == table and f"({columns}" in d for t, d in defs), f"no index on {table} ({columns})"
    gist = [d for t, d in defs if t == "task" and "USING gist" in d]
    assert gist and "daterange(start_date, end_date, '[]'::text)" in gist[0]


@pytest.mark.django_db
def test_enum_labels_are_the_documents_in_order():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT t.typname, array_agg(e.enumlabel ORDER BY e.enumsortorder) FROM pg_type t "
            "JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname"
        )
        found = dict(cursor.fetchall())
    assert found["task_status_enum"] == [
        "not_started",
        "upcoming",
        "active",
        "due_today",
        "overdue",
        "completed",
        "blocked",
    ]
    assert {name: found[name] for name in PG_ENUMS} == {name: list(c.values) for name, c in PG_ENUMS.items()}


@pytest.mark.usefixtures("table_owner")
def test_adding_an_enum_label_is_an_ordinary_migration_step():
    operation = add_enum_label("task_status_enum", "on_hold", after="blocked")
    with connection.schema_editor() as editor:
        operation.database_forwards("projects", editor, None, None)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT array_agg(enumlabel ORDER BY enumsortorder) FROM pg_enum "
            "WHERE enumtypid = 'task_status_enum'::regtype"
        )
        assert cursor.fetchone()[0][-2:] == ["blocked", "on_hold"]
    assert "on_hold" in qa.check_enums()[0]  # and the QA run notices the code has not caught up
