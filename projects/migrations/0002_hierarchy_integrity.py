from django.db import migrations

# The hierarchy is the database's to keep, not only the application's: composite foreign keys make a
# deliverable's project its milestone's, and a task's milestone and project its deliverable's. Chosen over
# triggers because they are declarative, checked by PostgreSQL's own referential integrity on every write
# (raw SQL and bulk loads included), index-backed by the unique constraints they reference, and ON UPDATE
# CASCADE moves a re-parented subtree in one statement.
FORWARD = """
ALTER TABLE deliverable ADD CONSTRAINT deliverable_milestone_hierarchy_fk
    FOREIGN KEY (milestone_id, project_id) REFERENCES milestone (id, project_id) ON UPDATE CASCADE;
ALTER TABLE task ADD CONSTRAINT task_deliverable_hierarchy_fk
    FOREIGN KEY (deliverable_id, milestone_id, project_id)
    REFERENCES deliverable (id, milestone_id, project_id) ON UPDATE CASCADE;
"""
BACKWARD = """
ALTER TABLE task DROP CONSTRAINT task_deliverable_hierarchy_fk;
ALTER TABLE deliverable DROP CONSTRAINT deliverable_milestone_hierarchy_fk;
"""


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]
    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
