from django.db import migrations

from pit.fields import create_enum

# Frozen copy of the labels (migrations must not change when pit/enums.py does): PIT_DATABASE_SCHEMA_v0.1 section 2.
ENUMS = {
    "task_status_enum": ["not_started", "upcoming", "active", "due_today", "overdue", "completed", "blocked"],
    "quick_class_enum": ["quick_win", "medium_term", "long_term"],
    "project_type_enum": ["project", "operational_stream"],
    "evidence_type_enum": ["document", "photo", "video", "other"],
    "review_decision_enum": ["pending", "accepted", "rejected", "needs_clarification"],
    "notification_type_enum": ["email", "push", "internal_message"],
    "alert_severity_enum": ["green", "yellow", "red"],
    "ai_model_enum": ["gpt4o_mini", "gpt4_1", "gpt4o_large", "evidence_model", "scheduling_model"],
}


class Migration(migrations.Migration):
    dependencies = [("pit", "0002_audit_log_append_only")]
    operations = [create_enum(name, labels) for name, labels in ENUMS.items()]
