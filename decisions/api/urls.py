from rest_framework.routers import SimpleRouter

from decisions.api import views

router = SimpleRouter()
router.register("decisions", views.DecisionViewSet, basename="decision")

urlpatterns = router.urls
