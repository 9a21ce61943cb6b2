"""Admin base: org-scoped for non-superusers, governed by the permission matrix, every save audited."""

from django.contrib import admin
from django.db import transaction

from accounts.permissions import ADMINISTER, has_perm
from pit import audit
from pit.models import AiCallLog, AiRoute, AuditLog, JobRun
from pit.tenancy import org_of, org_path_of


class OrgScopedAdmin(admin.ModelAdmin):
    list_per_page = 50
    show_full_result_count = False  # a COUNT(*) over a large table on every page is wasted work

    def _allowed(self, request) -> bool:
        if org_path_of(self.model) is None:  # platform ledgers belong to no tenant: superusers only
            return request.user.is_superuser
        return has_perm(request.user, ADMINISTER)

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)

    def has_add_permission(self, request):
        return self._allowed(request)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request)

    def get_queryset(self, request):
        return self.scope(request, super().get_queryset(request))

    def scope(self, request, queryset):
        path = org_path_of(queryset.model)
        if request.user.is_superuser or path is None:
            return queryset
        return queryset.filter(**{path: request.user.org_id})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        path = org_path_of(db_field.related_model)
        if field is not None and path and not request.user.is_superuser:
            field.queryset = field.queryset.filter(**{path: request.user.org_id})
        return field

    def get_exclude(self, request, obj=None):
        exclude = list(super().get_exclude(request, obj) or [])
        if not request.user.is_superuser and any(f.name == "org" for f in self.model._meta.fields):
            exclude.append("org")  # an org admin works in their own organisation only
        return exclude

    def save_model(self, request, obj, form, change):
        if not change and not request.user.is_superuser and any(f.name == "org" for f in obj._meta.fields):
            obj.org_id = request.user.org_id
        with transaction.atomic():
            before = audit.snapshot(type(obj)._base_manager.get(pk=obj.pk)) if change else None
            super().save_model(request, obj, form, change)
            audit.record(
                actor=request.user,
                org=org_of(obj),
                action="UPDATE" if change else "CREATE",
                instance=obj,
                before=before,
                after=audit.snapshot(obj),
            )

    def delete_model(self, request, obj):
        with transaction.atomic():
            before, org, pk = audit.snapshot(obj), org_of(obj), obj.pk
            super().delete_model(request, obj)
            audit.record(actor=request.user, org=org, action="DELETE", instance=obj, record_id=pk, before=before)

    def save_formset(self, request, form, formset, change):
        """Inline rows are audited like the parent: one row per created, changed or deleted child."""
        with transaction.atomic():
            instances = formset.save(commit=False)
            for obj in formset.deleted_objects:
                self.delete_model(request, obj)
            for obj in instances:
                self.save_model(request, obj, None, change=obj.pk is not None)
            formset.save_m2m()

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


class ReadOnlyAdmin(OrgScopedAdmin):
    """Ledgers written by the system: looked at, never edited."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(JobRun)
class JobRunAdmin(ReadOnlyAdmin):
    list_display = ["name", "started_at", "finished_at", "rows_changed"]
    list_filter = ["name"]
    date_hierarchy = "started_at"


@admin.register(AuditLog)
class AuditLogAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "user", "action", "table_name", "record_id", "ip_address"]
    list_filter = ["action", "table_name"]
    search_fields = ["record_id", "user__email", "request_id"]
    list_select_related = ["user"]
    date_hierarchy = "created_at"


@admin.register(AiRoute)
class AiRouteAdmin(OrgScopedAdmin):
    list_display = ["job", "model", "provider", "org"]
    list_filter = ["job", "model"]


@admin.register(AiCallLog)
class AiCallLogAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "job", "model", "provider", "outcome", "latency_ms", "subject"]
    list_filter = ["job", "model", "provider", "outcome"]
    search_fields = ["subject", "detail"]
    date_hierarchy = "created_at"
