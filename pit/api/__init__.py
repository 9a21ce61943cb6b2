"""The API's machinery, shared by every app's `api/` package (DESIGN.md section 6).

Each app's views subclass `pit.api.views.ApiViewSet` (or `ApiView`) and get, without writing it again: one JSON error
shape, cursor pagination, `updated_since` sync with tombstones, ETags and 304s, `If-Match` (412 on a stale write) and
`Idempotency-Key` replays. The kernel imports no domain app.
"""
