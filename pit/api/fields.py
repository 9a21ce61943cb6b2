"""Serializer fields the apps' input serializers share."""

from rest_framework import serializers


class OrgRelatedField(serializers.PrimaryKeyRelatedField):
    """An id of a row of the caller's organisation; another organisation's id reads as unknown."""

    default_error_messages = {
        "does_not_exist": "There is no {model} with id {pk_value}.",
        "incorrect_type": "Send the id as a whole number.",
    }

    def __init__(self, model, *, limit: dict | None = None, **kwargs):
        self.model, self.limit = model, limit or {}
        super().__init__(queryset=model.objects.all(), **kwargs)

    def get_queryset(self):
        return self.model.objects.for_org(self.context["request"].user.org).filter(**self.limit)

    def to_internal_value(self, data):
        if isinstance(data, bool) or not str(data).isdigit():
            self.fail("incorrect_type")
        try:
            return self.get_queryset().get(pk=int(data))
        except self.model.DoesNotExist:
            self.fail("does_not_exist", model=self.model._meta.verbose_name, pk_value=data)
