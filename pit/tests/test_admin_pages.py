"""Every admin list and change page renders with a query count that does not grow with the data.

Each page is measured on a small database, then again on the same object after the data has grown several times
over; the counts must be equal. Tenant models are viewed as the demo organisation's admin, platform ledgers as a
superuser.
"""

import datetime

import pytest
from axes.models import AccessAttempt
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from accounts.models import ApiToken, User, UserSession
from evidence.models import Evidence, EvidenceReview
from notifications.models import ChannelSetting, DeliveryAttempt, Device, Notification, Preference
from pit.demo import seed_domains, seed_organisations, seed_projects
from pit.enums import AiModel, AlertSeverity, EvidenceType
from pit.models import AiCallLog, AiRoute
from pit.tenancy import org_path_of
from projects.models import (
    ApprovedBudget,
    GanttState,
    IsmsLink,
    Project,
    RiskLink,
    SkillsCredit,
    Task,
    TaskDependency,
    TimelineCache,
)
from sharing.models import ShareLink
from watchdog.models import QaResult, WatchdogAlert, WatchdogScanLog, WatchdogSettings

pytestmark = pytest.mark.django_db
WEEKS_13 = datetime.timedelta(days=91)

MODELS = sorted(admin.site._registry, key=lambda m: m._meta.label)


def _grow(orgs, rounds: int) -> None:
    """Adds projects with full hierarchies and a few rows of every satellite table per organisation."""
    seed_projects(orgs, projects=2 * len(orgs), tasks=30 * len(orgs), seed=rounds)
    today = datetime.date(2026, 11, 23)
    for task in Task.objects.select_related("project").order_by("-id")[: 3 * len(orgs)]:
        user = User.objects.filter(org_id=task.project.org_id, is_system=False).first()
        evidence = Evidence.objects.create(
            task=task, uploaded_by=user, file_url=f"evidence/{task.pk}.pdf", file_type=EvidenceType.DOCUMENT
        )
        EvidenceReview.objects.create(evidence=evidence, reviewer=user, comment="Looks complete")
        WatchdogAlert.objects.create(
            project_id=task.project_id, org_id=task.project.org_id, subject_table="task", subject_id=task.pk,
            owner_id=task.owner_id, severity=AlertSeverity.YELLOW, code="c", message="m",
        )  # fmt: skip
        QaResult.objects.create(project_id=task.project_id, overall_status="passed")
        notification = Notification.objects.create(user=user, title=f"About {task.name}")
        DeliveryAttempt.objects.create(notification=notification, channel="email", outcome="sent")
        Device.objects.create(user=user, platform="android", token=f"t-{task.pk}", last_seen_at=timezone.now())
        org_id = task.project.org_id
        Preference.objects.get_or_create(org_id=org_id, user=user, event="mentioned", channel="email", enabled=False)
        ChannelSetting.objects.get_or_create(org_id=org_id, user=user, channel="email", digest=True)
        IsmsLink.objects.create(task=task, criteria_code="A.5.1", criteria_version="2022")
        RiskLink.objects.create(task=task, risk_id=f"R-{task.pk}")
        SkillsCredit.objects.create(task=task, user=user, credit_value=2)
        GanttState.objects.update_or_create(
            user=user,
            project_id=task.project_id,
            defaults={"zoom_level": "week", "viewport_start": today, "viewport_end": today + WEEKS_13},
        )
        sibling = Task.objects.filter(deliverable_id=task.deliverable_id).exclude(pk=task.pk).first()
        if sibling and not TaskDependency.objects.filter(predecessor=sibling, successor=task).exists():
            TaskDependency.objects.create(project_id=task.project_id, predecessor=sibling, successor=task)
        TimelineCache.objects.update_or_create(project_id=task.project_id, zoom_level="week", defaults={"data": {}})
        UserSession.objects.create(
            user=user, session_key=f"s-{task.pk}", ip_address="127.0.0.1", expires_at=timezone.now()
        )
        ShareLink.objects.create(
            org_id=task.project.org_id, kind="project_gantt", subject_id=task.project_id, label="Reader",
            token_hash=f"{task.pk:064d}", expires_at=timezone.now(), created_by=user,
        )  # fmt: skip
        AccessAttempt.objects.create(
            username=f"guess{task.pk}@example.com", ip_address="192.0.2.1", failures_since_start=1
        )
        ApiToken.objects.create(user=user, key_hash=f"h-{task.pk}", prefix="pit_x", expires_at=timezone.now())
    WatchdogScanLog.objects.create(org=orgs[0], projects_scanned=2, issues_detected=1)
    for org in orgs:
        AiRoute.objects.update_or_create(org=org, job="summary", defaults={"model": AiModel.GPT4O_MINI})
        AiCallLog.objects.create(org=org, job="summary", model=AiModel.GPT4O_MINI, provider="offline", latency_ms=3,
                                 outcome="ok")  # fmt: skip
        WatchdogSettings.objects.get_or_create(org=org, defaults={"thresholds": {"TASK_OVERDUE": {"red_days": 5}}})
        for project in Project.objects.filter(org=org).order_by("-id")[:2]:
            ApprovedBudget.objects.get_or_create(project=project, financial_year=2027 + rounds)
    seed_domains(orgs, seed=rounds)  # each domain app's demo rows


def _page_urls(model, user) -> dict[str, str]:
    """The model's list page and the change page of its first row (rows a roll-up rewrites get new ids as the data
    grows: the page is named by what it is, not by its url)."""
    admin_class = admin.site._registry[model]
    info = (model._meta.app_label, model._meta.model_name)
    urls = {f"{model.__name__} list": reverse("admin:{}_{}_changelist".format(*info))}
    request = type("Request", (), {"user": user})()
    obj = admin_class.get_queryset(request).order_by("pk").first()
    if obj is not None:
        urls[f"{model.__name__} change"] = reverse("admin:{}_{}_change".format(*info), args=[obj.pk])
    return urls


@pytest.fixture
def viewers(client):
    orgs = seed_organisations(2)
    _grow(orgs, 1)
    org_admin = User.objects.get(email="admin@demo.pit.example")
    superuser = User.objects.create_superuser("root@pit.example", "x", name="Root", org=orgs[0])
    return orgs, org_admin, superuser


def test_every_admin_page_has_a_query_count_independent_of_the_data(client, viewers, count_queries):
    orgs, org_admin, superuser = viewers
    viewer = {model: org_admin if org_path_of(model) else superuser for model in MODELS}
    assert sum(len(_page_urls(model, user)) for model, user in viewer.items()) > 2 * len(MODELS) - 3  # rows to open

    def measure():
        counts = {}
        for model, user in viewer.items():
            client.force_login(user)
            counts |= {page: count_queries(url) for page, url in _page_urls(model, user).items()}
        return counts

    measure()  # warm the per-process caches (content types, admin log) so both runs start alike
    small = measure()
    for rounds in (2, 3, 4):
        _grow(orgs, rounds)
    large = measure()
    assert Task.objects.count() >= 4 * 60
    assert small.keys() == large.keys()
    grown = {page: (small[page], large[page]) for page in small if small[page] != large[page]}
    assert not grown, f"query counts grew with the data: {grown}"


def test_a_tenant_list_shows_only_the_admins_organisation(client, viewers):
    orgs, org_admin, _ = viewers
    client.force_login(org_admin)
    response = client.get(reverse("admin:projects_project_changelist"))
    names = {p.name for p in response.context["cl"].result_list}
    assert names and names == set(orgs[0].projects.values_list("name", flat=True))
