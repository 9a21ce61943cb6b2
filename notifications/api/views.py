"""The notifications domain over the API: a person's own in-app notifications (anyone else's is a 404) and the
devices their push notifications go to. Every write is a service call."""

import django_filters as filters
from django.db.models import F
from django.db.models.functions import Coalesce
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from notifications import selectors, services
from notifications.api import serializers
from notifications.models import Device, Notification
from pit.api.views import ApiView, ApiViewSet
from pit.tenancy import get_for_org_or_404


class NotificationFilter(filters.FilterSet):
    unread = filters.BooleanFilter(field_name="read_at", lookup_expr="isnull", label="Only unread (true) or read")

    class Meta:
        model = Notification
        fields = ["unread", "event"]


class NotificationViewSet(ApiViewSet):
    """Your notifications, newest first. Nothing is ever deleted: `deleted` is always empty."""

    serializer_class = serializers.NotificationOut
    filterset_class = NotificationFilter
    ordering_fields = ["created_at"]
    ordering = ["-created_at"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema is generated without a user
            return Notification.objects.none()
        # a notification changes only when it is read: that is its `updated_at` for sync and ETags
        return services.inbox_of(self.request.user).annotate(updated_at=Coalesce(F("read_at"), F("created_at")))

    def tombstones(self, since) -> list[dict]:
        return []

    def lock(self, obj):
        return self.get_queryset().select_for_update(of=("self",)).get(pk=obj.pk)

    @extend_schema(responses=serializers.UnreadCountOut, parameters=[])
    @action(detail=False, url_path="unread-count", filter_backends=[], pagination_class=None)
    def unread_count(self, request):
        """The bell's number: your unread notifications."""
        return self.conditional({"unread": selectors.unread_count(request.user)})

    @extend_schema(request=None, responses=serializers.NotificationOut)
    @action(detail=True, methods=["post"], url_path="read", filter_backends=[])
    def mark_read(self, request, pk=None):
        """Mark it read (already read: nothing changes)."""
        notification = self.object_for_write()
        services.mark_read(user=request.user, notification=notification)
        return self.respond(notification)

    @extend_schema(request=None, responses=serializers.MarkedOut)
    @action(detail=False, methods=["post"], url_path="read-all", filter_backends=[], pagination_class=None)
    def mark_all_read(self, request):
        """Mark all your unread notifications read."""
        return Response({"marked": services.mark_all_read(user=request.user)})


class DevicesView(ApiView):
    @extend_schema(request=serializers.DeviceIn, responses={201: serializers.DeviceOut})
    def post(self, request):
        """Register this phone (or refresh it: the same token is the same device) for push notifications."""
        data = self.validated(serializers.DeviceIn)
        try:
            device = services.register_device(user=request.user, **data)
        except ValueError as error:  # the service's word on a token it cannot use
            raise ValidationError({"token": [str(error)]}) from None
        return Response(serializers.DeviceOut(device).data, status=status.HTTP_201_CREATED)


class DeviceView(ApiView):
    @extend_schema(request=None, responses={204: None}, parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH)])
    def delete(self, request, pk: str):
        """Stop push notifications to one of your devices (signing out of the app)."""
        devices = Device.objects.filter(user=request.user, retired_at__isnull=True)
        device = get_for_org_or_404(devices, self.org, pk=pk)
        services.retire_device(device=device, reason="removed by its owner", actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
