from rest_framework.routers import SimpleRouter

from evidence.api import uploads, views

router = SimpleRouter()
router.register("evidence", views.EvidenceViewSet, basename="evidence")
router.register("reviews", views.ReviewViewSet, basename="review")
router.register("uploads", uploads.UploadViewSet, basename="upload")

urlpatterns = router.urls
