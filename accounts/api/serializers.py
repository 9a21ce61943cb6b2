"""Shapes of the sign-in and `me` endpoints. No rules here: authenticate() and the services decide."""

from rest_framework import serializers

from accounts.models import ApiToken, User
from accounts.permissions import perms_of


class TokenInput(serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(trim_whitespace=False, style={"input_type": "password"})
    device_name = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default="", help_text="Shown on the sessions page."
    )


class OrganisationOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    slug = serializers.CharField()
    time_zone = serializers.CharField()
    today = serializers.SerializerMethodField(help_text="Today's date where the organisation is.")

    def get_today(self, org) -> str:
        return org.today().isoformat()


class MeOut(serializers.ModelSerializer):
    org = OrganisationOut()
    permissions = serializers.SerializerMethodField(help_text="What this person's role allows (the matrix).")

    class Meta:
        model = User
        fields = ["id", "name", "email", "role", "org", "permissions"]

    def get_permissions(self, user) -> list[str]:
        return sorted(perms_of(user))


class TokenOut(serializers.ModelSerializer):
    token = serializers.CharField(help_text="Send as “Authorization: Bearer <token>”. Shown only this once.")
    user = MeOut()

    class Meta:
        model = ApiToken
        fields = ["id", "token", "prefix", "device_name", "created_at", "expires_at", "user"]
