"""Writing notifications in bulk: one INSERT ... SELECT FROM unnest(...) per fan-out, whatever its size.

Django's bulk_create builds a model instance and adapts every column of every row; a fan-out to 10,000 people (two
channels each) spent most of its time there. Here each row is three integers (person, kind, subject), sent as
PostgreSQL array literals built with one `join`; what the rows share (titles, links, the channel and delivery state
of each kind) travels once, and PostgreSQL looks it up by position.
"""

from django.db import connection

from notifications.models import Delivery

INSERT = """
INSERT INTO notification (user_id, type, delivery, title, link, subject_table, subject_id, event, message,
                          is_read, created_at, delivered_at, next_attempt_at, attempts, last_error)
SELECT r.user_id, ((%(kind_type)s::text[])[r.kind])::notification_type_enum, (%(kind_delivery)s::text[])[r.kind],
       (%(title)s::text[])[r.subject], (%(link)s::text[])[r.subject], (%(subject_table)s::text[])[r.subject],
       (%(subject_id)s::bigint[])[r.subject], %(event)s, %(message)s, false, %(now)s,
       CASE WHEN (%(kind_delivery)s::text[])[r.kind] = 'sent' THEN %(now)s::timestamptz END,
       CASE WHEN (%(kind_delivery)s::text[])[r.kind] = 'pending' THEN %(now)s::timestamptz END,
       0, ''
FROM unnest(%(user_id)s::bigint[], %(kind)s::int[], %(subject)s::int[]) AS r(user_id, kind, subject)
RETURNING id, delivery
"""


def _literal(numbers: list[int]) -> str:
    return "{" + ",".join(map(str, numbers)) + "}"


class Batch:
    """The rows of one fan-out: `subject(...)` once per subject, then `add(...)` per person and channel."""

    def __init__(self, event: str, message: str, now):
        self.event, self.message, self.now = event, message, now
        self.subjects = {"title": [], "link": [], "subject_table": [], "subject_id": []}
        self.kinds: dict[tuple[str, str], int] = {}
        self.rows = {"user_id": [], "kind": [], "subject": []}

    def subject(self, *, title: str, link: str, subject_table: str, subject_id: int) -> int:
        for name, value in zip(self.subjects, (title, link, subject_table, subject_id), strict=True):
            self.subjects[name].append(value)
        return len(self.subjects["title"])  # its number: PostgreSQL arrays count from 1

    def add(self, user_id: int, channel: str, delivery: str, subject: int) -> None:
        kind = self.kinds.setdefault((channel, delivery), len(self.kinds) + 1)
        self.rows["user_id"].append(user_id)
        self.rows["kind"].append(kind)
        self.rows["subject"].append(subject)

    def write(self) -> tuple[list[int], list[int]]:
        """Insert the rows; returns (every new id, the ids whose delivery is pending)."""
        if not self.rows["user_id"]:
            return [], []
        params = {name: _literal(values) for name, values in self.rows.items()} | self.subjects
        params |= {"kind_type": [channel for channel, _ in self.kinds], "kind_delivery": [d for _, d in self.kinds]}
        params |= {"event": self.event, "message": self.message, "now": self.now}
        with connection.cursor() as cursor:
            cursor.execute(INSERT, params)
            written = cursor.fetchall()
        return [pk for pk, _ in written], [pk for pk, state in written if state == Delivery.PENDING]
