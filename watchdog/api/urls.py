from rest_framework.routers import SimpleRouter

from watchdog.api import views

router = SimpleRouter()
router.register("alerts", views.AlertViewSet, basename="alert")

urlpatterns = router.urls
