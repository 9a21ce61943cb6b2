import pytest
from django.core.management import call_command

from evidence import storage
from evidence.models import Evidence, EvidenceReview
from pit import embedded
from pit.enums import ReviewDecision


@pytest.mark.django_db
def test_seed_demo_fills_the_review_queue_with_real_files():
    call_command("seed_demo", "--projects", "2", "--tasks", "60", "--seed", "5")
    items = list(Evidence.objects.all())
    assert len(items) >= 8
    states = {item.review_state for item in items}
    assert {ReviewDecision.PENDING, ReviewDecision.ACCEPTED, ReviewDecision.REJECTED} <= states
    assert all(item.ai_score is not None for item in items)
    assert EvidenceReview.objects.filter(decision=ReviewDecision.REJECTED).exclude(comment="").exists()
    assert storage.open_object(items[0].file_url).read(4) in {b"%PDF", b"\xff\xd8\xff\xe0", b"\xff\xd8\xff\xe1"}


def test_the_embedded_s3_starts_on_loopback_creates_its_bucket_and_stops(tmp_path):
    s3 = embedded.S3(tmp_path / "s3", tmp_path / "s3.log")
    s3.start()
    try:
        client = s3._client()
        assert embedded.S3.BUCKET in {b["Name"] for b in client.list_buckets()["Buckets"]}
        client.put_object(Bucket=embedded.S3.BUCKET, Key="k", Body=b"proof")
        assert client.get_object(Bucket=embedded.S3.BUCKET, Key="k")["Body"].read() == b"proof"
        assert s3.env()["S3_ENDPOINT_URL"].startswith("http://127.0.0.1:")
        keys = s3.keys
    finally:
        s3.stop()
    assert s3.proc.poll() is not None
    restarted = embedded.S3(tmp_path / "s3", tmp_path / "s3.log")
    assert restarted._keys() == keys  # the same data directory keeps its keys
