"""Real server and worker processes, for the scale-out drill and the load benchmark.

``WebProcess`` is ``jembatan web`` (gunicorn) on its own port, ``WorkerProcess``
is ``jembatan worker`` with a fixed worker id, both started as separate operating
system processes against the test's database and file storage, as two machines
would run them. ``Visitor`` is a person with a browser's cookie jar who signs in
and submits forms over HTTP, so every request crosses a process boundary.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)


def database_url(settings_dict: Mapping[str, Any]) -> str:
    """The URL of the database ``settings_dict`` describes (the test database, for the drill)."""
    user = settings_dict.get("USER") or "postgres"
    password = settings_dict.get("PASSWORD") or ""
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    auth = f"{user}:{urllib.parse.quote(password)}" if password else user
    return f"postgres://{auth}@{host}:{port}/{settings_dict['NAME']}"


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Process:
    """One child process, its output kept in a file for the failure message."""

    name: str
    command: list[str]
    env: dict[str, str]
    log_path: Path
    popen: subprocess.Popen[bytes] | None = None
    log: IO[bytes] | None = field(default=None, repr=False)

    def start(self) -> Process:
        self.log = self.log_path.open("ab")
        self.popen = subprocess.Popen(  # noqa: S603 (our own command line, no shell)
            self.command, cwd=BASE_DIR, env=self.env, stdout=self.log, stderr=subprocess.STDOUT
        )
        return self

    @property
    def pid(self) -> int:
        assert self.popen is not None
        return self.popen.pid

    def kill_hard(self) -> None:
        """``kill -9``: no clean-up, no goodbye, as a machine losing power."""
        os.kill(self.pid, signal.SIGKILL)
        assert self.popen is not None
        self.popen.wait(timeout=10)

    def stop(self) -> None:
        if self.popen is not None and self.popen.poll() is None:
            self.popen.terminate()
            try:
                self.popen.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(timeout=5)
        if self.log is not None:
            self.log.close()

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:]


def environment(*, db_url: str, var_dir: Path, **extra: str) -> dict[str, str]:
    """What every process of the drill shares: one database, one file storage."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.demo",
        DATABASE_URL=db_url,
        JEMBATAN_VAR_DIR=str(var_dir),
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def web_process(name: str, *, port: int, env: dict[str, str], logs: Path) -> Process:
    """``jembatan web`` with one gunicorn worker on ``port``."""
    command = [sys.executable, "-m", "jembatan.cli", "web", "--workers", "1"]
    web_env = {**env, "JEMBATAN_BIND": f"127.0.0.1:{port}"}
    return Process(name, command, web_env, logs / f"{name}.log")


def worker_process(worker_id: str, *, env: dict[str, str], logs: Path) -> Process:
    """``jembatan worker`` under a fixed id, beating every second, polling often."""
    command = [
        sys.executable,
        "-m",
        "jembatan.cli",
        "worker",
        "--no-reload",
        "--worker-id",
        worker_id,
        "--interval",
        "0.2",
        "--beat",
        "1",
    ]
    return Process(worker_id, command, env, logs / f"{worker_id}.log")


def wait_until(check: Any, *, timeout: float, what: str, every: float = 0.2) -> Any:
    """Poll ``check()`` until it returns something true; fail naming ``what`` after ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"Timed out after {timeout:.0f} s waiting for {what}")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Keep a redirect as the answer: the drill reads where a form sends the person."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


@dataclass
class Answer:
    status: int
    body: bytes
    headers: Mapping[str, str]

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


class Visitor:
    """A person with one cookie jar, talking to whichever web process a URL names."""

    def __init__(self) -> None:
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )

    def request(
        self, url: str, *, data: bytes | None = None, headers: Mapping[str, str] | None = None
    ) -> Answer:
        req = urllib.request.Request(url, data=data, headers=dict(headers or {}))  # noqa: S310
        try:
            with self.opener.open(req, timeout=60) as response:
                return Answer(response.status, response.read(), dict(response.headers))
        except urllib.error.HTTPError as error:
            return Answer(error.code, error.read(), dict(error.headers))

    def get(self, url: str) -> Answer:
        return self.request(url)

    def csrf(self, url: str) -> str:
        """Open the form at ``url`` and return its CSRF token."""
        page = self.get(url)
        assert page.status == 200, f"{url} answered {page.status}"
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert match, f"{url} has no form with a CSRF token"
        return match.group(1)

    def post(
        self,
        url: str,
        fields: Mapping[str, str | list[str]],
        *,
        files: Mapping[str, tuple[str, bytes]] | None = None,
        form_url: str | None = None,
    ) -> Answer:
        """Submit a form the way a browser does (multipart when it carries files)."""
        token = self.csrf(form_url or url)
        pairs = [("csrfmiddlewaretoken", token)]
        for name, value in fields.items():
            pairs += [(name, v) for v in (value if isinstance(value, list) else [value])]
        if not files:
            body = urllib.parse.urlencode(pairs).encode()
            kind = "application/x-www-form-urlencoded"
        else:
            body, kind = _multipart(pairs, files)
        return self.request(url, data=body, headers={"Content-Type": kind, "Referer": url})

    def sign_in(self, base: str, username: str, password: str) -> None:
        answer = self.post(f"{base}/akun/masuk/", {"username": username, "password": password})
        assert answer.status == 302, f"{username} could not sign in: {answer.status}"


def _multipart(
    pairs: list[tuple[str, str]], files: Mapping[str, tuple[str, bytes]]
) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts: list[bytes] = []
    for name, value in pairs:
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
        parts.append(f"{head}{value}\r\n".encode())
    for name, (file_name, content) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{file_name}"\r\nContent-Type: application/octet-stream\r\n\r\n'
        )
        parts.append(head.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"
