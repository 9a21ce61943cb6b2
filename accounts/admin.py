from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django import forms
from django.contrib import admin, messages
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.db.models.functions import Lower

from accounts import services
from accounts.models import ApiToken, Division, Organisation, Team, TeamMembership, User, UserSession
from accounts.permissions import ADMINISTER, has_perm
from pit.admin import OrgScopedAdmin


@admin.register(Organisation)
class OrganisationAdmin(OrgScopedAdmin):
    list_display = ["name", "slug", "time_zone", "fy_start_month", "created_at"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def has_add_permission(self, request):
        return request.user.is_superuser  # new tenants are a platform decision

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Division)
class DivisionAdmin(OrgScopedAdmin):
    list_display = ["name", "org", "created_at"]
    list_filter = ["org"]
    search_fields = ["name"]
    autocomplete_fields = ["org"]
    list_select_related = ["org"]


class UserAdminForm(forms.ModelForm):
    password = forms.CharField(
        label="Initial password",
        widget=forms.PasswordInput,
        required=False,
        help_text="Only when adding a person. Leave empty to have them use “Forgotten your password?”.",
    )

    class Meta:
        model = User
        fields = ["email", "name", "role", "org", "is_active"]


@admin.register(User)
class UserAdmin(OrgScopedAdmin):
    form = UserAdminForm
    change_password_form = AdminPasswordChangeForm
    list_display = ["name", "email", "role", "org", "is_active", "last_login"]
    list_filter = ["role", "is_active", "org"]
    search_fields = ["name", "email"]
    autocomplete_fields = ["org"]
    list_select_related = ["org"]
    ordering = ["name"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(is_system=False)

    def get_fields(self, request, obj=None):
        fields = [f for f in ["email", "name", "role", "org", "is_active"] if f not in self.get_exclude(request, obj)]
        return fields + (["password"] if obj is None else [])

    def save_model(self, request, obj, form, change):
        if not change:
            raw = form.cleaned_data.get("password")
            obj.set_password(raw) if raw else obj.set_unusable_password()
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data and not obj.is_active:
            services.revoke_all_sessions(actor=request.user, user=obj, reason="deactivated")


class TeamMembershipInline(admin.TabularInline):
    model = TeamMembership
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Team)
class TeamAdmin(OrgScopedAdmin):
    list_display = ["name", "manager", "org"]
    list_filter = ["org"]
    search_fields = ["name"]
    autocomplete_fields = ["org", "manager"]
    list_select_related = ["manager", "org"]
    inlines = [TeamMembershipInline]


@admin.register(UserSession)
class UserSessionAdmin(OrgScopedAdmin):
    list_display = ["user", "ip_address", "user_agent", "last_active_at", "expires_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["user__email", "ip_address"]
    list_select_related = ["user"]
    readonly_fields = [f.name for f in UserSession._meta.fields]

    def has_add_permission(self, request):
        return False


# Successful sign-ins are in the audit log (LOGIN) and the session list; axes keeps only the failures.
admin.site.unregister([AccessAttempt, AccessLog, AccessFailureLog])


@admin.register(AccessAttempt)
class SignInLockoutAdmin(AccessAttemptAdmin):
    """Failed sign-ins (django-axes). Org admins see their own people's and unlock them; deleting is unlocking."""

    actions = ["unlock"]

    def has_module_permission(self, request):
        return has_perm(request.user, ADMINISTER)

    def has_view_permission(self, request, obj=None):
        return has_perm(request.user, ADMINISTER)

    def has_delete_permission(self, request, obj=None):
        return has_perm(request.user, ADMINISTER)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset  # attempts on unknown accounts and per-address lockouts are the operator's
        emails = User.objects.filter(org=request.user.org_id).annotate(lower=Lower("email")).values("lower")
        return queryset.filter(username__in=emails)

    def get_actions(self, request, action_location=admin.ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location=action_location)
        return {name: action for name, action in actions.items() if name == "unlock"}

    @admin.action(description="Unlock: forget the selected failed sign-ins")
    def unlock(self, request, queryset):
        count = services.unlock_sign_ins(actor=request.user, attempts=queryset)
        messages.success(request, f"Unlocked {count} sign-in record{'s' if count != 1 else ''}.")

    def delete_model(self, request, obj):
        services.unlock_sign_ins(actor=request.user, attempts=AccessAttempt.objects.filter(pk=obj.pk))


@admin.register(ApiToken)
class ApiTokenAdmin(OrgScopedAdmin):
    list_display = ["user", "device_name", "prefix", "last_used_at", "expires_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["user__email", "device_name", "prefix"]
    list_select_related = ["user"]
    readonly_fields = [f.name for f in ApiToken._meta.fields]

    def has_add_permission(self, request):
        return False
