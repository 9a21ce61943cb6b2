"""The evidence pre-score (AI job "evidence_prescore", model `evidence_model`).

`facts(evidence)` gathers what any scorer needs (the file's type and size, text from a PDF/DOCX, a photo's capture
time, duplicates elsewhere). The offline provider, `score(facts)`, is a deterministic rule-based scorer, not a
learned model: five checks worth 100 points, each listed in the feedback. An HTTP model gets the same facts as a
prompt and answers JSON {"score": 0-100, "feedback": "..."}.
"""

import functools
import json
import re
import tempfile
import zipfile
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta
from xml.etree import ElementTree

from pypdf import PdfReader
from pypdf.errors import PyPdfError

from evidence import storage
from evidence.inspection import DOCX
from evidence.models import Evidence
from pit.ai import AiBadResponse, AiResult
from pit.enums import EvidenceType

JOB = "evidence_prescore"
TEXT_FROM_MB = 25  # larger documents are not read for text (the scorer says so)
TEXT_PAGES = 20
EXCERPT = 4000
STOPWORDS = {"the", "and", "for", "with", "from", "into", "onto", "that", "this", "task", "work", "done", "stage"}
# Words in a task's name/description that say which kind of proof suits it.
TYPE_HINTS = {
    EvidenceType.PHOTO: {"photo", "photos", "install", "installed", "inspection", "inspect", "site", "repair",
                         "build", "paint", "fence", "pipe", "roof", "clean", "survey", "damage", "signage"},
    EvidenceType.DOCUMENT: {"report", "plan", "policy", "document", "contract", "approval", "review", "audit",
                            "design", "specification", "budget", "minutes", "procurement", "register", "certificate"},
    EvidenceType.VIDEO: {"video", "demo", "demonstration", "training", "walkthrough", "test", "testing"},
}  # fmt: skip
PLAUSIBLE_BYTES = {EvidenceType.DOCUMENT: 1024, EvidenceType.PHOTO: 10_000, EvidenceType.VIDEO: 100_000}


def keywords(*texts: str) -> list[str]:
    words = re.findall(r"[a-z0-9]{4,}", " ".join(texts).lower())
    return sorted({word for word in words if word not in STOPWORDS})


def facts_of(items: list[Evidence]) -> dict[int, dict]:
    """Facts for many versions at once: one query for duplicates, texts read from S3 a few at a time."""
    duplicates = defaultdict(list)
    same_bytes = (
        Evidence.objects.filter(sha256__in={item.sha256 for item in items})
        .values_list("sha256", "task_id", "task__project__org_id", "task__name")
    )  # fmt: skip
    for sha256, task_id, org_id, task_name in same_bytes:
        duplicates[sha256].append((task_id, org_id, task_name))
    read = _readers().map if len(items) > 1 else map  # S3 round trips overlap on the readers' own connections
    texts = dict(zip([item.pk for item in items], read(extract_text, items), strict=True))
    return {item.pk: _facts(item, duplicates[item.sha256], texts[item.pk]) for item in items}


def _facts(evidence: Evidence, same_bytes: list, text: str) -> dict:
    task = evidence.task
    org_id = task.project.org_id
    others = [name for task_id, other_org, name in same_bytes if other_org == org_id and task_id != task.pk]
    return {
        "file_type": evidence.file_type,
        "mime": evidence.mime,
        "size": evidence.size_bytes,
        "filename": evidence.filename,
        "task_name": task.name,
        "task_description": task.description or "",
        "task_keywords": keywords(task.name, task.deliverable.name),
        "start_date": task.start_date.isoformat() if task.start_date else None,
        "end_date": task.end_date.isoformat() if task.end_date else None,
        "taken_at": evidence.metadata.get("taken_at"),
        "text": text[:EXCERPT],
        "duplicate_of_tasks": sorted(set(others))[:3],
    }


@functools.cache
def _readers() -> ThreadPoolExecutor:
    """Kept for the life of the process: each thread keeps its boto3 connection (making one costs ~0.25 s)."""
    return ThreadPoolExecutor(max_workers=4, thread_name_prefix="evidence-text")


def facts(evidence: Evidence) -> dict:
    return facts_of([evidence])[evidence.pk]


def extract_text(evidence: Evidence) -> str:
    if evidence.mime not in {"application/pdf", DOCX, "text/plain"} or evidence.size_bytes > TEXT_FROM_MB * 2**20:
        return ""
    with tempfile.TemporaryFile() as copy:
        body = storage.open_object(evidence.file_url)
        for chunk in iter(lambda: body.read(1 << 20), b""):
            copy.write(chunk)
        copy.seek(0)
        try:
            if evidence.mime == "application/pdf":
                pages = PdfReader(copy).pages[:TEXT_PAGES]
                return "\n".join(page.extract_text() or "" for page in pages)
            if evidence.mime == DOCX:
                with zipfile.ZipFile(copy) as docx:
                    return " ".join(ElementTree.fromstring(docx.read("word/document.xml")).itertext())
            return copy.read(EXCERPT * 4).decode("utf-8", errors="replace")
        except (PyPdfError, zipfile.BadZipFile, KeyError, ElementTree.ParseError, ValueError):
            return ""


def score(facts: dict) -> AiResult:
    """The offline provider: deterministic, every point explained."""
    checks = [_type_fits(facts), _content(facts), _unique(facts), _size(facts)]
    total = sum(points for points, _ in checks)
    feedback = "\n".join(f"{points:+d} {reason}" for points, reason in checks)
    return AiResult(score=total, text=f"Rule-based pre-score {total}/100 (offline evidence scorer):\n{feedback}")


def _type_fits(facts: dict) -> tuple[int, str]:
    words = set(keywords(facts["task_name"], facts["task_description"]))
    wanted = {kind for kind, hints in TYPE_HINTS.items() if words & hints}
    kind = facts["file_type"]
    if kind == EvidenceType.OTHER:
        return 5, "the file is neither a document, a photo nor a video"
    if not wanted or kind in wanted:
        return 25, f"a {kind} suits this task"
    return 10, f"a {kind} is unusual for this task (expected {' or '.join(sorted(wanted))})"


def _content(facts: dict) -> tuple[int, str]:
    if facts["file_type"] == EvidenceType.DOCUMENT:
        return _mentions(facts)
    if facts["file_type"] == EvidenceType.PHOTO:
        return _taken_in_window(facts)
    return 15, "video content is not checked offline"


def _mentions(facts: dict) -> tuple[int, str]:
    text = facts["text"].lower()
    if not text.strip():
        return 5, "no text could be read from the document"
    subject = facts["task_keywords"]
    found = [word for word in subject if word in text]
    if subject and len(found) * 2 >= len(subject):
        return 30, f"the text mentions the task's subject ({', '.join(found)})"
    if found:
        return 15, f"the text mentions part of the task's subject ({', '.join(found)})"
    return 0, "the text does not mention the task's subject"


def _taken_in_window(facts: dict) -> tuple[int, str]:
    if not facts["taken_at"]:
        return 10, "the photo has no capture time (EXIF)"
    taken = datetime.fromisoformat(facts["taken_at"]).date()
    start = date.fromisoformat(facts["start_date"]) - timedelta(days=7)
    end = date.fromisoformat(facts["end_date"]) + timedelta(days=7)
    if start <= taken <= end:
        return 30, f"the photo was taken on {taken:%d %b %Y}, within the task's dates"
    return 0, f"the photo was taken on {taken:%d %b %Y}, outside the task's dates"


def _unique(facts: dict) -> tuple[int, str]:
    if facts["duplicate_of_tasks"]:
        return 0, f"the same file is evidence of another task ({', '.join(facts['duplicate_of_tasks'])})"
    return 25, "the file is not evidence of any other task"


def _size(facts: dict) -> tuple[int, str]:
    least = PLAUSIBLE_BYTES.get(facts["file_type"], 1)
    if facts["size"] >= least:
        return 20, "the size is plausible"
    return 5, f"the file is very small for a {facts['file_type']} ({facts['size']} bytes)"


def prompt(facts: dict) -> list[dict]:
    return [
        {"role": "system", "content": "You pre-screen evidence that a project task was done. Answer only JSON: "
         '{"score": <0-100, how likely a reviewer accepts it>, "feedback": "<short reasons>"}.'},
        {"role": "user", "content": json.dumps(facts)},
    ]  # fmt: skip


def parse(text: str) -> AiResult:
    match = re.search(r"\{.*\}", text, re.S)
    try:
        answer = json.loads(match.group(0) if match else text)
        value = int(answer["score"])
    except (ValueError, KeyError, TypeError):
        raise AiBadResponse("the model did not answer with a JSON score") from None
    if not 0 <= value <= 100:
        raise AiBadResponse(f"the model's score {value} is outside 0-100")
    return AiResult(score=value, text=str(answer.get("feedback", ""))[:2000])
