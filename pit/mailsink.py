"""A real local SMTP server for development and tests: every message it accepts is written to a directory as an
.eml file, and one line is printed per message.

    python -m pit.mailsink --port 2525 --dir var/mail

`make run` starts it (pit.embedded.Smtp); tests start `MailSink` in-process on a free loopback port.
"""

import argparse
import itertools
import signal
import sys
import threading
import time
from email import message_from_bytes, policy
from pathlib import Path

from aiosmtpd.controller import Controller


class Handler:
    """aiosmtpd handler: store each message under `directory`, named by arrival time and a counter."""

    def __init__(self, directory: Path, echo: bool = False):
        self.directory = directory
        self.echo = echo
        self.counter = itertools.count(1)
        self.lock = threading.Lock()
        directory.mkdir(parents=True, exist_ok=True)

    async def handle_DATA(self, server, session, envelope):
        with self.lock:  # nanoseconds keep the order (and the names apart) across restarts of the server
            now = time.time_ns()  # one reading: a second ticking over between two would misorder the names
            stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(now // 10**9))
            name = f"{stamp}-{now % 10**9:09d}-{next(self.counter):04d}.eml"
        path = self.directory / name
        path.write_bytes(envelope.original_content or envelope.content)
        if self.echo:
            subject = message_from_bytes(envelope.original_content or b"", policy=policy.default)["Subject"]
            print(f"mail: {', '.join(envelope.rcpt_tos)} · {subject} → {path}", flush=True)
        return "250 Message accepted for delivery"


class MailSink:
    """The server, started and stopped in-process (tests) or by `main` (make run)."""

    def __init__(self, directory: Path, port: int = 0, echo: bool = False):
        self.handler = Handler(Path(directory), echo)
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=port or _free_port())

    @property
    def port(self) -> int:
        return self.controller.port

    def start(self) -> "MailSink":
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    def messages(self) -> list:
        """The messages received so far, oldest first, as email.message.EmailMessage objects."""
        files = sorted(self.handler.directory.glob("*.eml"))
        return [message_from_bytes(path.read_bytes(), policy=policy.default) for path in files]


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m pit.mailsink", description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", type=Path, required=True)
    parser.add_argument("--quiet", action="store_true", help="print nothing per message (test runs)")
    args = parser.parse_args(argv)
    sink = MailSink(args.dir, args.port, echo=not args.quiet).start()
    if not args.quiet:
        print(f"mail: SMTP on 127.0.0.1:{sink.port}, messages written to {args.dir}", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    sink.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
