"""PIT_DATABASE_SCHEMA_v0.1 (docs/seeds/000_0df349077b8102fb.txt) as data: what the database must contain.

Types are PostgreSQL's names as information_schema reports them; an enum column gives its type's name.
The Foreman QA run (`manage.py pit_qa`) and the schema tests compare the live database with this.
"""

TS = "timestamp with time zone"
ID = "bigint"
TEXT, DATE, INT, BOOL, JSONB, MONEY = "text", "date", "integer", "boolean", "jsonb", "numeric(12,2)"

HIERARCHY_DATES = {"start_date": DATE, "end_date": DATE, "progress_percent": INT}
STAMPS = {"created_at": TS, "updated_at": TS}

TABLES: dict[str, dict[str, str]] = {
    "project": {
        "id": ID, "org_id": ID, "division_id": ID, "name": TEXT, "description": TEXT, "type": "project_type_enum",
        "owner_id": ID, **HIERARCHY_DATES, "quick_class": "quick_class_enum", "capex_total": MONEY,
        "opex_total": MONEY, "status": TEXT, **STAMPS, "deleted_at": TS,
    },
    "milestone": {
        "id": ID, "project_id": ID, "name": TEXT, "description": TEXT, "owner_id": ID, **HIERARCHY_DATES,
        "capex_total": MONEY, "opex_total": MONEY, "order_index": INT, **STAMPS, "deleted_at": TS,
    },
    "deliverable": {
        "id": ID, "milestone_id": ID, "project_id": ID, "name": TEXT, "description": TEXT, "owner_id": ID,
        **HIERARCHY_DATES, "order_index": INT, **STAMPS, "deleted_at": TS,
    },
    "task": {
        "id": ID, "deliverable_id": ID, "milestone_id": ID, "project_id": ID, "name": TEXT, "description": TEXT,
        "task_type": TEXT, "cluster_id": ID, "owner_id": ID, "assignees": JSONB, "status": "task_status_enum",
        **HIERARCHY_DATES, "duration_days": INT, "quick_class": "quick_class_enum", "requires_evidence": BOOL,
        "capex_cost": MONEY, "opex_cost": MONEY, "fy_allocation": INT, "order_index": INT, **STAMPS,
        "deleted_at": TS,
    },
    "task_cluster": {"id": ID, "project_id": ID, "name": TEXT, "description": TEXT, "created_by": ID, **STAMPS},
    "task_cluster_template": {"id": ID, "name": TEXT, "description": TEXT, "template_json": JSONB, **STAMPS},
    "evidence": {
        "id": ID, "task_id": ID, "uploaded_by": ID, "file_url": TEXT, "file_type": "evidence_type_enum",
        "metadata": JSONB, **STAMPS, "deleted_at": TS,
    },
    "evidence_review": {
        "id": ID, "evidence_id": ID, "reviewer_id": ID, "decision": "review_decision_enum", "comment": TEXT,
        "ai_score": INT, "ai_feedback": TEXT, **STAMPS,
    },
    "timeline_cache": {"id": ID, "project_id": ID, "data": JSONB, "zoom_level": TEXT, **STAMPS},
    "gantt_state": {
        "id": ID, "user_id": ID, "project_id": ID, "zoom_level": TEXT, "viewport_start": DATE,
        "viewport_end": DATE, **STAMPS,
    },
    "watchdog_alert": {
        "id": ID, "project_id": ID, "severity": "alert_severity_enum", "code": TEXT, "message": TEXT,
        "data": JSONB, "detected_at": TS, "resolved_at": TS,
    },
    "watchdog_scan_log": {
        "id": ID, "started_at": TS, "finished_at": TS, "projects_scanned": INT, "issues_detected": INT,
        "ai_summary": TEXT,
    },
    "qa_result": {
        "id": ID, "project_id": ID, "run_at": TS, "overall_status": TEXT, "passed_tests": JSONB,
        "failed_tests": JSONB, "autofix_actions": JSONB, "model_used": "ai_model_enum",
    },
    "isms_link": {"id": ID, "task_id": ID, "criteria_code": TEXT, "criteria_version": TEXT, "created_at": TS},
    "risk_link": {"id": ID, "task_id": ID, "risk_id": TEXT, "created_at": TS},
    "skills_credit": {"id": ID, "task_id": ID, "user_id": ID, "credit_value": INT, "created_at": TS},
    "user": {"id": ID, "name": TEXT, "email": "character varying(254)", "role": TEXT, "org_id": ID},
    "team": {"id": ID, "name": TEXT, "org_id": ID, "manager_id": ID},
    "team_membership": {"id": ID, "team_id": ID, "user_id": ID, "role": TEXT},
    "notification": {
        "id": ID, "user_id": ID, "type": "notification_type_enum", "title": TEXT, "message": TEXT, "link": TEXT,
        "is_read": BOOL, "created_at": TS,
    },
    "audit_log": {
        "id": ID, "user_id": ID, "action": TEXT, "table_name": TEXT, "record_id": TEXT, "before_state": JSONB,
        "after_state": JSONB, "created_at": TS,
    },
    "organisation": {"id": ID},
    "division": {"id": ID, "org_id": ID},
}  # fmt: skip

# The document names two foreign-key columns without *_id (task_cluster.created_by, evidence.uploaded_by); the
# columns carry the document's names.
NULLABLE_FOREIGN_KEYS = {("project", "division_id"), ("task", "cluster_id"), ("watchdog_alert", "acknowledged_by_id")}

# Section 13 and the per-table index lists: (table, columns or expression) that some index must cover, leading.
INDEXES = [
    ("project", "org_id"), ("project", "owner_id"), ("project", "status"), ("project", "start_date, end_date"),
    ("milestone", "project_id"), ("milestone", "start_date, end_date"),
    ("deliverable", "milestone_id"), ("deliverable", "project_id"),
    ("task", "project_id, status"), ("task", "owner_id"), ("task", "start_date"), ("task", "end_date"),
    ("task", "status"), ("task", "project_id, start_date"),
    ("evidence", "task_id"), ("watchdog_alert", "severity"), ("qa_result", "project_id"),
]  # fmt: skip
GIST_INDEXES = [("task", "daterange(start_date, end_date")]

# Domain tables whose every write goes through an audited service.
AUDITED_TABLES = ["project", "milestone", "deliverable", "task", "evidence"]
