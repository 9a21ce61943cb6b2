"""A column of a native PostgreSQL ENUM type, read and written as a Python TextChoices value."""

from django.db import migrations, models


class EnumField(models.TextField):
    """`EnumField("task_status_enum", TaskStatus)`. The type itself is created by `create_enum` in a migration."""

    def __init__(self, enum_name: str, choices_class=None, **kwargs):
        self.enum_name = enum_name
        if choices_class is not None:
            kwargs["choices"] = choices_class.choices
        super().__init__(**kwargs)

    def db_type(self, connection):
        return self.enum_name

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        return name, path, [self.enum_name, *args], kwargs


def _quote(label: str) -> str:
    return "'" + label.replace("'", "''") + "'"


def create_enum(name: str, labels) -> migrations.RunSQL:
    return migrations.RunSQL(
        f"CREATE TYPE {name} AS ENUM ({', '.join(_quote(label) for label in labels)})",
        f"DROP TYPE {name}",
    )


def add_enum_label(name: str, label: str, *, after: str | None = None) -> migrations.RunSQL:
    """PostgreSQL cannot drop an enum label, so this migration step is not reversible."""
    position = f" AFTER {_quote(after)}" if after else ""
    return migrations.RunSQL(f"ALTER TYPE {name} ADD VALUE IF NOT EXISTS {_quote(label)}{position}")
