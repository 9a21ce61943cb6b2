"""Backup and restore drill at scale: seed, pit_backup, pit_restore into a new database, print the figures.

python -m pit.embedded test -- python bench/backup.py [--projects 100] [--tasks 100000]
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from harness import migrate

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=100)
    parser.add_argument("--tasks", type=int, default=100_000)
    args = parser.parse_args()

    import psycopg
    from django.db import connection

    from pit import backup, demo

    migrate()
    started = time.perf_counter()
    demo.seed_projects(demo.seed_organisations(1, extra_staff=20), projects=args.projects, tasks=args.tasks)
    print(f"seeded {args.projects} projects, {args.tasks:,} tasks in {time.perf_counter() - started:.1f} s")

    with tempfile.TemporaryDirectory() as root:
        made = backup.backup(Path(root))
        print(f"backup   {made.seconds:>7.1f} s  {made.bytes / 2**20:>8.1f} MiB  {made.tables} tables")
        params = connection.settings_dict
        server = f"postgresql://{params['USER']}@{params['HOST']}:{params['PORT']}"
        with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS bench_restore WITH (FORCE)")
            conn.execute("CREATE DATABASE bench_restore")
        env = {**os.environ, "DATABASE_URL": f"{server.replace('postgresql', 'postgres')}/bench_restore"}
        clock = time.perf_counter()
        result = subprocess.run([sys.executable, "manage.py", "pit_restore", str(made.path)], cwd=ROOT, env=env)
        print(f"restore  {time.perf_counter() - clock:>7.1f} s  (verified every table; exit {result.returncode})")


if __name__ == "__main__":
    main()
