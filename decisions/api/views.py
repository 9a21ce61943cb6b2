"""The decisions domain over the API: the organisation's decision log with its filters, a decision with its options
and comments, commenting (RAISE_DECISIONS) and deciding (DECIDE). Another organisation's decision is a 404."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response

from accounts.permissions import DECIDE, RAISE_DECISIONS
from decisions import selectors
from decisions.api import serializers
from decisions.models import Decision
from decisions.services import comments as comment_services
from decisions.services import decision as decision_services
from pit.api import sync
from pit.api.views import ApiViewSet

PEOPLE = ("owner", "assigned_to", "escalated_to", "project")


@extend_schema_view(
    list=extend_schema(parameters=[sync.PARAMETER, serializers.DecisionQuery]),
    retrieve=extend_schema(responses=serializers.DecisionDetailOut),
)
class DecisionViewSet(ApiViewSet):
    """Decisions are never deleted: `deleted` is always empty."""

    serializer_class = serializers.DecisionOut
    filter_backends = [OrderingFilter]
    ordering_fields = ["created_at", "updated_at", "title"]
    ordering = ["-created_at"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema is generated without a user
            return Decision.objects.none()
        if self.action != "list":
            return Decision.objects.for_org(self.org).select_related(*PEOPLE)
        query = serializers.DecisionQuery(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        rows = selectors.decision_list(self.org, query.validated_data, now=timezone.now())
        return rows.only(*selectors.LIST_COLUMNS, "updated_at")  # and what sync reads

    def tombstones(self, since) -> list[dict]:
        return []

    def answer(self, decision, *, status_code=status.HTTP_200_OK) -> Response:
        decision = self.get_queryset().get(pk=decision.pk)
        page = selectors.decision_page(decision)
        data = serializers.DecisionDetailOut(decision, context={"page": page, "request": self.request}).data
        return self.conditional(data, status_code=status_code)

    def retrieve(self, request, *args, **kwargs):
        """The decision with its options (the chosen one marked), comments and the tasks it blocks."""
        return self.answer(self.get_object())

    @extend_schema(request=serializers.CommentIn, responses={201: serializers.DecisionDetailOut})
    @action(detail=True, methods=["post"], filter_backends=[])
    def comments(self, request, pk=None):
        """Comment (on an option with `option_id`, or as a reply with `parent`); @mentions are told."""
        self.require(RAISE_DECISIONS)
        decision = self.object_for_write()
        comment_services.add_comment(actor=request.user, decision=decision, **self.validated(serializers.CommentIn))
        return self.answer(decision, status_code=status.HTTP_201_CREATED)

    @extend_schema(request=serializers.DecideIn, responses=serializers.DecisionDetailOut)
    @action(detail=True, methods=["post"], filter_backends=[])
    def decide(self, request, pk=None):
        """Take the decision: the chosen option and why. The tasks it blocked are free to complete."""
        self.require(DECIDE)
        decision = self.object_for_write()
        decision_services.decide(actor=request.user, decision=decision, **self.validated(serializers.DecideIn))
        return self.answer(decision)
