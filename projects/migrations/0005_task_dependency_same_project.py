from django.db import migrations

# A dependency's two tasks belong to its project: composite foreign keys onto task (id, project_id), so even raw
# SQL cannot link tasks of different projects.
FORWARD = """
ALTER TABLE task_dependency ADD CONSTRAINT task_dependency_predecessor_project_fk
    FOREIGN KEY (predecessor_id, project_id) REFERENCES task (id, project_id) ON UPDATE CASCADE ON DELETE CASCADE;
ALTER TABLE task_dependency ADD CONSTRAINT task_dependency_successor_project_fk
    FOREIGN KEY (successor_id, project_id) REFERENCES task (id, project_id) ON UPDATE CASCADE ON DELETE CASCADE;
"""
BACKWARD = """
ALTER TABLE task_dependency DROP CONSTRAINT task_dependency_successor_project_fk;
ALTER TABLE task_dependency DROP CONSTRAINT task_dependency_predecessor_project_fk;
"""


class Migration(migrations.Migration):
    dependencies = [("projects", "0004_timeline_dependencies")]
    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
