"""The watchdog's alerts over the API: the organisation's alerts by tab (open by default) with the alerts page's
filters, and acknowledge / snooze for those allowed to resolve alerts. Another organisation's alert is a 404."""

from django.db.models import F, OuterRef, Subquery, TextField
from django.db.models.functions import Cast, Coalesce, Greatest
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter

from accounts.permissions import RESOLVE_ALERTS
from pit.api import sync
from pit.api.views import ApiViewSet
from pit.models import AuditLog
from watchdog import selectors, services
from watchdog.api import serializers
from watchdog.models import WatchdogAlert

PEOPLE = ("project", "owner", "acknowledged_by")


def last_change():
    """When the alert last changed: the scan's timestamps, or a person's acknowledge/snooze (in the audit log)."""
    audited = AuditLog.objects.filter(
        table_name=WatchdogAlert._meta.db_table, record_id=Cast(OuterRef("pk"), TextField())
    ).order_by("-created_at")
    stamps = [Coalesce(F(name), F("detected_at")) for name in ("resolved_at", "acknowledged_at")]
    return Greatest(F("detected_at"), F("severity_changed_at"), *stamps, Subquery(audited.values("created_at")[:1]))


@extend_schema_view(list=extend_schema(parameters=[sync.PARAMETER, serializers.AlertQuery]))
class AlertViewSet(ApiViewSet):
    """Alerts are resolved by the scan, never deleted: `deleted` is always empty."""

    serializer_class = serializers.AlertOut
    filter_backends = [OrderingFilter]
    ordering_fields = ["detected_at", "severity", "severity_changed_at"]
    ordering = ["-severity", "-detected_at"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema is generated without a user
            return WatchdogAlert.objects.none()
        if self.action == "list":
            query = serializers.AlertQuery(data=self.request.query_params)
            query.is_valid(raise_exception=True)
            rows = selectors.alerts(self.org, query.validated_data, self.org.today())
        else:  # one alert, whatever its tab
            rows = WatchdogAlert.objects.for_org(self.org).select_related(*PEOPLE)
        return rows.annotate(updated_at=last_change())

    def tombstones(self, since) -> list[dict]:
        return []

    def lock(self, obj):
        return self.get_queryset().select_for_update(of=("self",)).get(pk=obj.pk)

    def act(self, service, input_class):
        self.require(RESOLVE_ALERTS)
        alert = self.object_for_write()
        service(actor=self.request.user, alert=alert, **self.validated(input_class))
        return self.respond(alert)

    @extend_schema(request=serializers.AcknowledgeIn, responses=serializers.AlertOut)
    @action(detail=True, methods=["post"], filter_backends=[])
    def acknowledge(self, request, pk=None):
        """Say what is being done: it leaves the open list until it gets worse."""
        return self.act(services.acknowledge, serializers.AcknowledgeIn)

    @extend_schema(request=serializers.SnoozeIn, responses=serializers.AlertOut)
    @action(detail=True, methods=["post"], filter_backends=[])
    def snooze(self, request, pk=None):
        """Hide it from the open list until a date (it comes back earlier if it gets worse)."""
        return self.act(services.snooze, serializers.SnoozeIn)
