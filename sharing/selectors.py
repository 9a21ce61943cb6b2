from sharing.models import ShareLink


def links_for(org, kind: str, subject_id: int):
    """A subject's links, newest first, with who made them (one query)."""
    return ShareLink.objects.for_org(org).filter(kind=kind, subject_id=subject_id).select_related("created_by")
