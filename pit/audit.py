"""Audit trail: every domain write records who did what, before and after, in the same transaction."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction

from pit import context
from pit.models import AuditLog

SECRET_FIELDS = {"password"}


def snapshot(instance: models.Model) -> dict:
    """JSON-safe state of a row's concrete columns (foreign keys as their *_id values)."""
    data = {
        field.attname: getattr(instance, field.attname)
        for field in instance._meta.concrete_fields
        if field.attname not in SECRET_FIELDS
    }
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def record_rows(*, actor, org, action: str, table_name: str, record_ids, after=None) -> int:
    """One audit row per id, in one INSERT: for set-based writes (cascades, bulk loads)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record_rows must run inside the write's transaction")
    ctx = context.current()
    rows = [
        AuditLog(
            org_id=org.pk if hasattr(org, "pk") else org,
            user_id=actor.pk,
            action=action,
            table_name=table_name,
            record_id=str(record_id),
            after_state=after,
            ip_address=ctx.ip_address,
            user_agent=ctx.user_agent,
            request_id=ctx.request_id,
        )
        for record_id in record_ids
    ]
    AuditLog.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def record_each(*, actor, org, action: str, table_name: str, afters: dict) -> int:
    """One audit row per {record id: after state}, in one INSERT: for batch writes whose rows differ."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record_each must run inside the write's transaction")
    ctx = context.current()
    rows = [
        AuditLog(
            org_id=org.pk if hasattr(org, "pk") else org, user_id=actor.pk, action=action, table_name=table_name,
            record_id=str(record_id), after_state=after, ip_address=ctx.ip_address, user_agent=ctx.user_agent,
            request_id=ctx.request_id,
        )
        for record_id, after in afters.items()
    ]  # fmt: skip
    AuditLog.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def record(*, actor, org, action: str, instance=None, table_name=None, record_id=None, before=None, after=None):
    """Write one audit_log row; must run inside the caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must run inside the write's transaction")
    ctx = context.current()
    return AuditLog.objects.create(
        org_id=org.pk if hasattr(org, "pk") else org,
        user_id=actor.pk,
        action=action,
        table_name=table_name or instance._meta.db_table,
        record_id=str(record_id if record_id is not None else instance.pk),
        before_state=before,
        after_state=after,
        ip_address=ctx.ip_address,
        user_agent=ctx.user_agent,
        request_id=ctx.request_id,
    )
