from django.db import migrations

from pit import rls

# My work ranks a person's open tasks by their live status. Like task_ids_of_person (0007), this runs as the tables'
# owner so the assignees index can be used, and applies the organisation rule itself; it also returns the columns the
# ranking reads, so the task rows are not read a second time under the policy.
OPEN_TASKS_OF_PERSON = f"""
CREATE OR REPLACE FUNCTION open_tasks_of_person(person bigint)
RETURNS TABLE (id bigint, status task_status_enum, start_date date, end_date date)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT t.id, t.status, t.start_date, t.end_date FROM task t
  WHERE (t.owner_id = person OR t.assignees @> jsonb_build_array(person))
    AND t.deleted_at IS NULL AND t.status <> 'completed'
    AND (coalesce(current_setting('{rls.ALL}', true), '') = 'on'
         OR t.project_id IN (SELECT p.id FROM project p WHERE p.org_id = nullif(current_setting('{rls.ORG}', true), '')::bigint))
$$
"""


class Migration(migrations.Migration):
    dependencies = [("projects", "0007_api_sync_indexes")]

    operations = [migrations.RunSQL(OPEN_TASKS_OF_PERSON, "DROP FUNCTION IF EXISTS open_tasks_of_person(bigint)")]
