from django.urls import path

from calendars import views

app_name = "calendars"

urlpatterns = [
    path("calendar/", views.org_calendar, name="org"),
    path("calendar/holidays/load/", views.load_year, name="load_year"),
    path("calendar/holidays/add/", views.holiday_add, name="holiday_add"),
    path("calendar/holidays/<int:pk>/rename/", views.holiday_rename, name="holiday_rename"),
    path("calendar/holidays/<int:pk>/remove/", views.holiday_remove, name="holiday_remove"),
    path("projects/<int:pk>/calendar/", views.project_calendar, name="project"),
    path("calendar/exceptions/<int:pk>/remove/", views.exception_remove, name="exception_remove"),
]
