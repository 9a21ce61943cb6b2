from django.urls import path

from interchange import views

app_name = "interchange"

urlpatterns = [
    path("import/", views.upload, name="upload"),
    path("import/<int:pk>/", views.preview, name="preview"),
    path("import/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("import/<int:pk>/discard/", views.discard, name="discard"),
    path("import/template.xlsx", views.template, {"kind": "xlsx"}, name="template_xlsx"),
    path("import/template.csv", views.template, {"kind": "csv"}, name="template_csv"),
    path("projects/<int:pk>/plan.xml", views.export_mspdi, name="export_mspdi"),
    path("projects/<int:pk>/plan.xlsx", views.export_xlsx, name="export_xlsx"),
]
