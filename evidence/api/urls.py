from rest_framework.routers import SimpleRouter

from evidence.api import views

router = SimpleRouter()
router.register("evidence", views.EvidenceViewSet, basename="evidence")
router.register("reviews", views.ReviewViewSet, basename="review")

urlpatterns = router.urls
