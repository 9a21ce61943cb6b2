"""The Gantt in a real browser, beside two client-side Gantts drawing the same plan.

For projects of 1,000 / 5,000 / 20,000 tasks it opens PIT's Gantt (month zoom, gunicorn with production settings) and
the same plan (same rows, dates and finish-to-start links) in dhtmlx-gantt and frappe-gantt (pinned in
bench/package.json, installed here with `npm ci`, served from a static server on 127.0.0.1), in Debian's Chromium at
1400x900, and prints per page the median of the runs of:

    painted   navigation start -> two animation frames after the load event (ms), for a returning person (the
              page's static files in the browser's cache: PIT's CSS and JS, the peers' libraries) who opens the
              chart from another page of the same site in the same tab, as one moves around an application (PIT:
              the project's page, whose Gantt link a person follows; a peer: a blank page of its server)
    new tab   the same, opening the chart in a new tab. A new tab starts on about:blank, and PIT's pages carry
              Cross-Origin-Opener-Policy: same-origin (the peers' static pages do not), so Chromium moves PIT's page
              to a new renderer process once the response arrives, and the page is drawn by a cold process. The
              "blank page" rows are the floor: a blank page of the static server, without and with that header
    1st visit the same as "new tab" for the first visit, with an empty cache (one sample)
    TTFB      navigation start -> first byte of the page (ms)
    HTML      the page's HTML (KiB); all = everything the visit fetched, its cache aside (KiB)
    DOM/SVG   elements in the document / of them inside SVG
    heap      JS heap used after a garbage collection (MiB)
    scroll    one scripted scroll to the bottom (80 px a frame for 3 s): frames drawn, p95 and worst frame (ms)

python bench/gantt_browser.py --sizes 1000 5000 20000 --runs 11   # inside `python -m pit.embedded test --`
"""

import argparse
import http.server
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import harness

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
WORK = ROOT / "var" / "bench-gantt"
CHROMIUM = os.environ.get("PIT_CHROMIUM", "/usr/bin/chromium")
sys.path.insert(0, str(ROOT))
from tests.browser.conftest import FLAGS  # noqa: E402  (the browser tests' Chromium flags)

VIEWPORT = {"width": 1400, "height": 900}
# The page says when it has painted on the console: waiting for it with a function (wait_for_function) would load
# Playwright's injected script into the page, about 20 ms of the main thread, between the load event and the paint.
PAINTED = """addEventListener("load", () => requestAnimationFrame(() => requestAnimationFrame(() => {
  window.__painted = performance.now(); console.debug("painted " + location.href); })));"""
FIGURES = """() => {
  const nav = performance.getEntriesByType("navigation")[0];
  return { painted: window.__painted, ttfb: nav.responseStart,
           dom: document.getElementsByTagName("*").length, svg: document.querySelectorAll("svg *").length };
}"""
SCROLL = """async ([scroller, step]) => {
  const frames = [];
  let last = performance.now();
  const end = last + 3000;
  while (performance.now() < end) {
    STEP;
    await new Promise((resolve) => requestAnimationFrame(resolve));
    const now = performance.now();
    frames.push(now - last);
    last = now;
  }
  await new Promise((resolve) => setTimeout(resolve, 300));
  frames.sort((a, b) => a - b);
  return { frames: frames.length, p95: frames[Math.floor(frames.length * 0.95)], worst: frames[frames.length - 1] };
}"""
TOOLS = {  # how to scroll each one down by `step` px, and what proves it drew bars
    "PIT": ('const el = document.querySelector("#gantt"); el.scrollTop += step', "svg.gantt a.b"),
    "dhtmlx-gantt": ("gantt.scrollTo(null, gantt.getScrollState().y + step)", ".gantt_task_line"),
    "frappe-gantt": ('const el = document.querySelector(".gantt-container"); el.scrollTop += step', ".bar-wrapper"),
}
LIBRARIES = {
    "dhtmlx-gantt": ("/node_modules/dhtmlx-gantt/codebase/dhtmlxgantt.js",
                     "/node_modules/dhtmlx-gantt/codebase/dhtmlxgantt.css", "dhtmlx"),
    "frappe-gantt": ("/node_modules/frappe-gantt/dist/frappe-gantt.umd.js",
                     "/node_modules/frappe-gantt/dist/frappe-gantt.css", "frappe"),
}  # fmt: skip


FLOOR = (("blank page", "/blank.html", "/start.html"), ("blank + COOP", "/blank-coop.html", "/start-coop.html"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def npm_ci() -> None:
    stamp = BENCH / "node_modules" / ".package-lock.json"
    lock = BENCH / "package-lock.json"
    if not stamp.exists() or stamp.stat().st_mtime < lock.stat().st_mtime:
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts"], cwd=BENCH, check=True)


class Files(http.server.SimpleHTTPRequestHandler):
    """The peers' pages: /node_modules/ and /peers/ from bench/, /data/ and the generated pages from var/."""

    def translate_path(self, path):
        path = path.split("?", 1)[0]
        for prefix, base in (("/node_modules/", BENCH / "node_modules"), ("/peers/", BENCH / "peers")):
            if path.startswith(prefix):
                return str(base / path[len(prefix) :])
        return str(WORK / path.lstrip("/").removeprefix("data/"))

    def end_headers(self):
        if not self.path.startswith("/node_modules/"):  # the plan and its page are fresh each visit, as PIT's are
            self.send_header("Cache-Control", "no-store")
        if "-coop" in self.path:  # the floor's blank page with PIT's header
            self.send_header("Cross-Origin-Opener-Policy", "same-origin")
        super().end_headers()

    def log_message(self, *args):
        pass


def static_server() -> str:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Files)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}"


def pit_server() -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = os.environ | {"ALLOWED_HOSTS": "127.0.0.1", "DEBUG": "0", "SECURE_SSL_REDIRECT": "0"}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "pit.wsgi", "-b", f"127.0.0.1:{port}", "-w", "3", "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("gunicorn did not start")


def warm_up(url: str, cookie: dict) -> None:
    """Each gunicorn worker's first request pays for imports and connections: not a visit's cost."""
    for _ in range(6):
        request = urllib.request.Request(url, headers={"Cookie": f"{cookie['name']}={cookie['value']}"})
        urllib.request.urlopen(request, timeout=60).read()


def session_cookie(user, base: str) -> dict:
    from django.conf import settings

    client = harness.signed_in_client(user)
    return {"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
            "url": base}  # fmt: skip


def write_plan(project, size: int) -> None:
    """PIT's rows of the project (tree order) with parents and dates, and its links, for the peers."""
    from datetime import date, timedelta

    from projects.gantt import chart
    from projects.gantt import chart as c

    data, _ = chart.chart(project, "month")
    rows, parent = [], {}
    for row in data["rows"]:
        kind, key = row[c.KIND], f"{row[c.KIND]}{row[c.ID]}"
        up = {"m": None, "d": parent.get("m"), "t": parent.get("d")}[kind]
        parent[kind] = key
        after = (date.fromisoformat(row[c.END]) + timedelta(days=1)).isoformat()  # peers' ends are exclusive
        rows.append({"id": key, "kind": kind, "name": row[c.NAME], "start": row[c.START], "end": row[c.END],
                     "after": after, "progress": row[c.PROGRESS], "parent": up})  # fmt: skip
    links = [[f"t{link[0]}", f"t{link[1]}"] for link in data["links"]]
    (WORK / f"plan-{size}.js").write_text("window.PLAN = " + json.dumps({"rows": rows, "links": links}) + ";\n")
    template = (BENCH / "peers" / "page.html").read_text()
    for tool, (library, css, name) in LIBRARIES.items():
        page = template.format(title=tool, css=css, library=library, size=size, tool=name)
        (WORK / f"{name}-{size}.html").write_text(page)
    return len(rows), len(links)


def visit(page, url: str) -> None:
    with page.expect_console_message(lambda message: message.text == f"painted {url}"):  # not the empty tab's
        page.goto(url, wait_until="load")


def open_once(context, url: str, timeout_s: float, before: str | None = None) -> dict:
    """One visit: in a new tab, or in a tab showing `before` first."""
    page = context.new_page()
    try:
        page.set_default_timeout(timeout_s * 1000)
        if before:
            visit(page, before)
        loaded = []

        def finished(request):
            loaded.append(request.sizes()["responseBodySize"])

        page.on("requestfinished", finished)
        visit(page, url)
        figures = page.evaluate(FIGURES) | {"all": sum(loaded)}
        page.remove_listener("requestfinished", finished)  # windows still coming must not ask a closed page
        cdp = context.new_cdp_session(page)
        cdp.send("HeapProfiler.collectGarbage")
        figures["heap"] = cdp.send("Runtime.getHeapUsage")["usedSize"]
        return figures
    finally:
        page.close()


def scroll_once(context, url: str, tool: str, timeout_s: float) -> dict:
    step_js, bars = TOOLS[tool]
    page = context.new_page()
    try:
        page.set_default_timeout(timeout_s * 1000)
        page.goto(url, wait_until="load")
        page.wait_for_selector(bars, state="attached")
        result = page.evaluate(SCROLL.replace("STEP", step_js), [None, 80])
        result["bars"] = page.locator(bars).count()
        return result
    finally:
        page.close()


def html_bytes(url: str, cookie: dict | None) -> int:
    headers = {"Cookie": f"{cookie['name']}={cookie['value']}"} if cookie else {}
    return len(urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=60).read())


def measure(browser, tool: str, url: str, before: str, cookie, runs: int, timeout_s: float) -> dict:
    """The first visit (empty browser cache), then `runs` visits of a returning person (static files cached) from
    `before` in the same tab, and `runs` in a new tab."""
    context = browser.new_context(locale="en-AU", viewport=VIEWPORT)
    try:
        if cookie:
            context.add_cookies([cookie])
        context.add_init_script(PAINTED)
        first = open_once(context, url, timeout_s)
        samples = [open_once(context, url, timeout_s, before) for _ in range(runs)]
        new_tab = [open_once(context, url, timeout_s)["painted"] for _ in range(runs)]
        scroll = scroll_once(context, url, tool, timeout_s) if tool in TOOLS else None
    except Exception as error:  # a peer that cannot draw this size in time is reported, not fatal
        return {"error": f"{type(error).__name__}: {str(error)[:80]}"}
    finally:
        context.close()
    figures = {key: statistics.median(s[key] for s in samples) for key in samples[0]} | {
        "html": html_bytes(url, cookie)
    }
    spread = (min(s["painted"] for s in samples), max(s["painted"] for s in samples))
    return figures | {
        "scroll": scroll,
        "first": first["painted"],
        "spread": spread,
        "new_tab": statistics.median(new_tab),
    }


COLUMNS = ("tasks:>6", "page:<14", "painted ms:>10", "min-max:>11", "new tab:>7", "1st visit:>9", "TTFB ms:>7",
           "HTML KiB:>8", "all KiB:>8", "DOM:>7", "SVG:>7", "heap MiB:>8")  # fmt: skip
HEADER = " ".join(f"{{:{spec.split(':')[1]}}}".format(spec.split(":")[0]) for spec in COLUMNS)
HEADER += "  scroll: frames p95/worst ms"


def line(size: int | str, tool: str, f: dict) -> str:
    if "error" in f:
        return f"{size:>6} {tool:<14} did not finish ({f['error']})"
    s = f["scroll"] or {}
    values = (size, tool, f"{f['painted']:.0f}", f"{f['spread'][0]:.0f}-{f['spread'][1]:.0f}", f"{f['new_tab']:.0f}",
              f"{f['first']:.0f}", f"{f['ttfb']:.0f}", f"{f['html'] / 1024:.0f}", f"{f['all'] / 1024:.0f}",
              f"{f['dom']:.0f}", f"{f['svg']:.0f}", f"{f['heap'] / 1048576:.1f}")  # fmt: skip
    cells = " ".join(f"{{:{spec.split(':')[1]}}}".format(value) for spec, value in zip(COLUMNS, values, strict=True))
    return f"{cells}  {s['frames']:>4} {s['p95']:.0f}/{s['worst']:.0f} ({s['bars']} bars drawn)" if s else cells


def seed(sizes: list[int]):
    from django.db import connection

    from accounts.models import User
    from pit import demo
    from projects.models import Project

    orgs = demo.seed_organisations(1, extra_staff=5)
    projects = {size: Project.objects.get(pk=demo.seed_projects(orgs, projects=1, tasks=size, seed=7 + size)[0])
                for size in sizes}  # fmt: skip
    with connection.cursor() as cursor:  # settled tables, as autovacuum leaves them, not its work during a visit
        cursor.execute("VACUUM ANALYZE")
    return User.objects.get(org=orgs[0], email__startswith="admin@"), projects


def run(admin, projects: dict, runs: int, peers: bool = True, timeout_s: float = 120) -> None:
    from datetime import timedelta

    from playwright.sync_api import sync_playwright

    from projects.gantt import state

    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # the ORM is used between browser calls, in sync code
    if WORK.exists():
        shutil.rmtree(WORK)
    WORK.mkdir(parents=True)
    for name in ("start", "blank", "start-coop", "blank-coop"):
        (WORK / f"{name}.html").write_text('<!doctype html><html lang="en"><title>Blank</title><p>A blank page.</p>')
    if peers:
        npm_ci()
    files = static_server()
    server, base = pit_server()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
            cookie = session_cookie(admin, base)
            print(HEADER, flush=True)
            for name, page, before in FLOOR:  # what any page costs here: the harness, and PIT's COOP header
                print(line("", name, measure(browser, name, files + page, files + before, None, runs, timeout_s)))
            for size, project in projects.items():
                gantt_state = state.load(admin, project)
                start = (project.start_date - timedelta(days=7)).isoformat()  # the first rows' bars are in view
                state.apply(gantt_state, {"zoom": "month", "start": start}, project, admin.org.today())
                state.save(gantt_state)
                rows, links = write_plan(project, size)
                pages = [("PIT", f"{base}/projects/{project.pk}/gantt/", f"{base}/projects/{project.pk}/", cookie)]
                for page_url in pages[0][1:3]:  # the chart and the page it is opened from
                    warm_up(page_url, cookie)
                if peers:
                    pages += [(tool, f"{files}/{name}-{size}.html", f"{files}/start.html", None)
                              for tool, (*_, name) in LIBRARIES.items()]  # fmt: skip
                for tool, url, before, page_cookie in pages:
                    slow = tool == "frappe-gantt" and size > 5000  # minutes a run: one is enough
                    figures = measure(browser, tool, url, before, page_cookie, 1 if slow else runs, timeout_s)
                    print(line(size, tool, figures), flush=True)
                print(f"{'':>6} ({rows:,} rows, {links:,} links)", flush=True)
            browser.close()
    finally:
        server.terminate()
        server.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 5_000, 20_000])
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--no-peers", action="store_true", help="PIT only")
    args = parser.parse_args()
    harness.migrate()
    admin, projects = seed(args.sizes)
    run(admin, projects, args.runs, peers=not args.no_peers)


if __name__ == "__main__":
    main()
