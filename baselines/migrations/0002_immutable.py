from django.db import migrations

# A baseline is evidence of what was planned: once sealed, the database itself refuses to change it.
FORWARD = """
CREATE FUNCTION baseline_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Only the name and the reference flag of a sealed baseline may change (updated_at follows them).
    IF OLD.sealed AND (to_jsonb(NEW) - 'name' - 'is_reference' - 'updated_at')
                      IS DISTINCT FROM (to_jsonb(OLD) - 'name' - 'is_reference' - 'updated_at') THEN
        RAISE EXCEPTION 'baseline % is sealed: only its name and reference flag may change', OLD.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER baseline_immutable BEFORE UPDATE ON baseline
    FOR EACH ROW EXECUTE FUNCTION baseline_refuse_change();

-- Items and dependencies: never updated; deleted only together with their baseline (by the cascade, which runs
-- after the baseline row is gone); added only while their baseline is being captured (not yet sealed).
CREATE FUNCTION baseline_part_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND NOT EXISTS (SELECT 1 FROM baseline WHERE id = OLD.baseline_id) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION '% on % refused: a baseline never changes after capture', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE FUNCTION baseline_part_refuse_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM added JOIN baseline ON baseline.id = added.baseline_id WHERE baseline.sealed) THEN
        RAISE EXCEPTION 'INSERT on % refused: a baseline never changes after capture', TG_TABLE_NAME
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER baseline_item_immutable BEFORE UPDATE OR DELETE ON baseline_item
    FOR EACH ROW EXECUTE FUNCTION baseline_part_refuse_change();
CREATE TRIGGER baseline_item_sealed AFTER INSERT ON baseline_item REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION baseline_part_refuse_insert();
CREATE TRIGGER baseline_dependency_immutable BEFORE UPDATE OR DELETE ON baseline_dependency
    FOR EACH ROW EXECUTE FUNCTION baseline_part_refuse_change();
CREATE TRIGGER baseline_dependency_sealed AFTER INSERT ON baseline_dependency REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION baseline_part_refuse_insert();
"""
BACKWARD = """
DROP TRIGGER baseline_dependency_sealed ON baseline_dependency;
DROP TRIGGER baseline_dependency_immutable ON baseline_dependency;
DROP TRIGGER baseline_item_sealed ON baseline_item;
DROP TRIGGER baseline_item_immutable ON baseline_item;
DROP FUNCTION baseline_part_refuse_insert();
DROP FUNCTION baseline_part_refuse_change();
DROP TRIGGER baseline_immutable ON baseline;
DROP FUNCTION baseline_refuse_change();
"""

# The models say DO_NOTHING (Django must not delete items row by row: the trigger would refuse it); the database
# cascades instead, after the baseline row is gone.
CASCADE = """
DO $$
DECLARE fk record;
BEGIN
    FOR fk IN SELECT conrelid::regclass AS tbl, conname FROM pg_constraint
              WHERE contype = 'f' AND confrelid = 'baseline'::regclass
                AND conrelid IN ('baseline_item'::regclass, 'baseline_dependency'::regclass) LOOP
        EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', fk.tbl, fk.conname);
        EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I FOREIGN KEY (baseline_id) REFERENCES baseline (id) '
                       'ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED', fk.tbl, fk.conname);
    END LOOP;
END $$;
"""


class Migration(migrations.Migration):
    dependencies = [("baselines", "0001_initial")]
    operations = [migrations.RunSQL(CASCADE, migrations.RunSQL.noop), migrations.RunSQL(FORWARD, BACKWARD)]
