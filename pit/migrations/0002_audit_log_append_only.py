from django.db import migrations

# The audit trail is evidence: the database itself refuses to change or remove a row of it.
FORWARD = """
CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
"""
BACKWARD = """
DROP TRIGGER audit_log_append_only ON audit_log;
DROP FUNCTION audit_log_refuse_change();
"""


class Migration(migrations.Migration):
    dependencies = [("pit", "0001_initial")]
    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
