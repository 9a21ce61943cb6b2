"""The decisions pages (included at the site root by pit/urls.py)."""

from django.urls import path

from decisions.views import decisions, links, outcomes, people

app_name = "decisions"

urlpatterns = [
    path("decisions/", decisions.decision_list, name="list"),
    path("decisions/new/", decisions.decision_create, name="create"),
    path("decisions/<int:pk>/", decisions.decision_detail, name="detail"),
    path("decisions/<int:pk>/edit/", decisions.decision_edit, name="edit"),
    path("decisions/<int:pk>/decide/", decisions.decide, name="decide"),
    path("decisions/<int:pk>/defer/", decisions.defer, name="defer"),
    path("decisions/<int:pk>/escalate/", decisions.escalate, name="escalate"),
    path("decisions/<int:pk>/status/", decisions.change_status, name="status"),
    path("decisions/<int:pk>/assign/", decisions.assign, name="assign"),
    path("decisions/<int:pk>/comments/", decisions.comment, name="comment"),
    path("decision-comments/<int:pk>/edit/", decisions.comment_edit, name="comment_edit"),
    path("outcomes/", outcomes.outcome_list, name="outcomes"),
    path("outcomes/new/", outcomes.outcome_create, name="outcome_create"),
    path("outcomes/<int:pk>/", outcomes.outcome_detail, name="outcome"),
    path("outcomes/<int:pk>/edit/", outcomes.outcome_edit, name="outcome_edit"),
    path("outcomes/<int:pk>/status/", outcomes.outcome_status, name="outcome_status"),
    path("outcomes/<int:pk>/hypotheses/new/", outcomes.hypothesis_create, name="hypothesis_create"),
    path("hypotheses/<int:pk>/edit/", outcomes.hypothesis_edit, name="hypothesis_edit"),
    path("hypotheses/<int:pk>/status/", outcomes.hypothesis_status, name="hypothesis_status"),
    path("stakeholders/", people.stakeholder_list, name="stakeholders"),
    path("stakeholders/new/", people.stakeholder_create, name="stakeholder_create"),
    path("stakeholders/<int:pk>/edit/", people.stakeholder_edit, name="stakeholder_edit"),
    path("credits/", people.credit_report, name="credits"),
    path("tasks/<int:pk>/isms/", links.isms_add, name="isms_add"),
    path("tasks/<int:pk>/risks/", links.risk_add, name="risk_add"),
    path("isms-links/<int:pk>/delete/", links.link_remove, {"kind": "isms"}, name="isms_remove"),
    path("risk-links/<int:pk>/delete/", links.link_remove, {"kind": "risk"}, name="risk_remove"),
]
