"""Load benchmark of the list pages at a national registry's size (issue 13).

Usage::

    .venv/bin/python bench/load_lists.py [--database-url URL] [--participants N]
        [--seconds S] [--connections C] [--quick] [--pages participants,api]

Against a PostgreSQL database holding ``N`` participants (default 1,000,000; the
database is migrated and seeded first if it holds fewer), ``jembatan web`` runs
with 2 gunicorn workers on a loopback port, and a bounded load generator (asyncio,
``C`` concurrent connections for ``S`` seconds per page, in this process) asks for:

- ``baseline``: a minimal Django view returning a 50-row table from the same
  database (``bench/_loadurls.py``), asked by a visitor — the yardstick;
- ``baseline-in``: the same view asked with the officer's session, so Django loads
  the session and the user first — the yardstick of the signed-in pages;
- ``participants``: the participant list as a provincial officer sees it;
- ``vacancies``: the public vacancy list, as a visitor without an account sees it
  (kept per process for ``JEMBATAN_PUBLIC_CACHE_SECONDS``, core/public_cache.py);
- ``api``: the API's participant list (``/api/v1/participants``), same officer.

Printed per page: requests, errors, requests/s, p50/p95/p99 latency, the ratio of
its requests/s to the baseline's, and to its own yardstick's (a signed-in page
against ``baseline-in``); then the CPU time each request cost in the web server's
processes, in PostgreSQL's (when it runs on this machine) and in the client, read
from ``/proc`` before and after the page. Requests per second move by a quarter
between runs on a shared box; CPU per request moves much less, and says where the
time went. The goal (≥ 500 requests/s, p99 < 100 ms for the list
pages) is stated against the ratio: the client shares the machine's two cores
with the server and PostgreSQL, so absolute figures say as much about the box as
about Jembatan.

``--quick`` measures 2 seconds per page against whatever the database holds,
seeding 2,000 people into an empty one.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/jembatan_load"
OFFICER = "demo-province"
# page: (path, who asks, its yardstick). A yardstick is the minimal view asked the same way:
# by a visitor, or with the officer's session (Django loads the session and the user).
PAGES = {
    "baseline": ("/bench/baseline/", None, "baseline"),
    "baseline-in": ("/bench/baseline/", OFFICER, "baseline-in"),
    "participants": ("/peserta/", OFFICER, "baseline-in"),
    "vacancies": ("/lowongan/", None, "baseline"),
    "api": ("/api/v1/participants", OFFICER, "baseline-in"),
}


@dataclass(frozen=True)
class Cpu:
    """CPU seconds spent so far by the web server, PostgreSQL and this client.

    ``None`` where it cannot be read: no ``/proc`` (not Linux), or PostgreSQL on
    another machine."""

    web: float | None
    db: float | None
    client: float

    def __sub__(self, earlier: Cpu) -> Cpu:
        def spent(now: float | None, then: float | None) -> float | None:
            return None if now is None or then is None else now - then

        return Cpu(
            spent(self.web, earlier.web), spent(self.db, earlier.db), self.client - earlier.client
        )


def _stat(pid: int) -> tuple[str, int, float, float] | None:
    """A process's name, parent, own CPU seconds and its reaped children's (``/proc``)."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:  # gone meanwhile
        return None
    name = raw[raw.index("(") + 1 : raw.rindex(")")]
    fields = raw[raw.rindex(")") + 2 :].split()
    tick = os.sysconf("SC_CLK_TCK")
    own = (int(fields[11]) + int(fields[12])) / tick
    reaped = (int(fields[13]) + int(fields[14])) / tick
    return name, int(fields[1]), own, reaped


def _tree_cpu(stats: dict[int, tuple[str, int, float, float]], root: int) -> float:
    """CPU of ``root`` and its live children, and of the children it reaped (restarted)."""
    _name, _parent, own, reaped = stats[root]
    return own + reaped + sum(s[2] for s in stats.values() if s[1] == root)


def cpu_now(server: int) -> Cpu:
    """CPU used so far by the server ``server`` (gunicorn's master) and by PostgreSQL."""
    stats = {}
    proc = Path("/proc")
    for entry in proc.iterdir() if proc.is_dir() else ():
        if entry.name.isdigit() and (found := _stat(int(entry.name))) is not None:
            stats[int(entry.name)] = found
    masters = [
        pid
        for pid, (name, parent, *_rest) in stats.items()
        if name in ("postgres", "postmaster") and stats.get(parent, ("",))[0] != name
    ]
    db = sum(_tree_cpu(stats, pid) for pid in masters) if masters else None
    web = _tree_cpu(stats, server) if server in stats else None
    used = os.times()
    return Cpu(web, db, used.user + used.system)


@dataclass(frozen=True)
class Figures:
    page: str
    requests: int
    errors: int
    seconds: float
    latencies: list[float]
    cpu: Cpu | None = None

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000

    def line(self, baseline: float, yardstick: Figures) -> str:
        ratio = self.rate / baseline if baseline else float("nan")
        own = self.rate / yardstick.rate if yardstick.rate else float("nan")
        return (
            f"{self.page:<13} {self.requests:>7,} req  {self.errors:>4} err  "
            f"{self.rate:>7,.0f} req/s  p50 {self.percentile(50):6.1f} ms  "
            f"p95 {self.percentile(95):6.1f} ms  p99 {self.percentile(99):6.1f} ms  "
            f"{ratio:5.2f}× baseline  {own:5.2f}× {yardstick.page}"
        )

    def cpu_line(self) -> str:
        """CPU milliseconds per request in the web server, PostgreSQL and the client."""
        if self.cpu is None or not self.requests:
            return f"{self.page:<13} CPU per request: not measured"

        def per(seconds: float | None) -> str:
            return "n/a" if seconds is None else f"{seconds * 1000 / self.requests:5.2f} ms"

        return (
            f"{self.page:<13} CPU per request: web {per(self.cpu.web)}  "
            f"PostgreSQL {per(self.cpu.db)}  client {per(self.cpu.client)}"
        )


def environment(database_url: str, var_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "_loadsite",
        "PYTHONPATH": f"{ROOT / 'bench'}:{ROOT}",
        "DATABASE_URL": database_url,
        "JEMBATAN_VAR_DIR": str(var_dir),
        "JEMBATAN_TWO_FACTOR_REQUIRED": "0",
        "PYTHONWARNINGS": "ignore",
    }


def jembatan(*args: str) -> list[str]:
    return [sys.executable, "-m", "jembatan.cli", *args]


def participants_in(env: dict[str, str]) -> int:
    code = "from jembatan.participants.models import Participant as P; print(P.objects.count())"
    found = subprocess.run(
        jembatan("shell", "-c", code), env=env, cwd=ROOT, capture_output=True, text=True
    )
    if found.returncode:
        return 0  # not migrated yet
    return int(found.stdout.strip().splitlines()[-1])


def prepare(env: dict[str, str], wanted: int) -> int:
    """Migrate, and seed up to ``wanted`` people if the database holds fewer."""
    subprocess.run(jembatan("migrate", "-v0"), env=env, cwd=ROOT, check=True)
    # The servers run with debug off: static files come from the collected manifest.
    subprocess.run(jembatan("collectstatic", "--no-input", "-v0"), env=env, cwd=ROOT, check=True)
    held = participants_in(env)
    if held < wanted:
        print(f"seeding {wanted:,} participants (the database holds {held:,}) …", flush=True)
        seed_env = {**env, "DJANGO_SETTINGS_MODULE": "config.settings.dev"}
        subprocess.run(
            jembatan("seed", "--participants", str(wanted)), env=seed_env, cwd=ROOT, check=True
        )
        held = participants_in(env)
    return held


async def _one(port: int, request: bytes) -> tuple[bool, float]:
    started = time.perf_counter()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(request)
    await writer.drain()
    answer = await reader.read()  # gunicorn's sync workers close after each answer
    writer.close()
    ok = answer.startswith(b"HTTP/1.1 200") or answer.startswith(b"HTTP/1.0 200")
    return ok, time.perf_counter() - started


async def _hammer(port: int, request: bytes, seconds: float, connections: int) -> Figures:
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds

    async def client() -> None:
        nonlocal errors
        while time.perf_counter() < deadline:
            try:
                ok, latency = await _one(port, request)
            except OSError:
                ok, latency = False, 0.0
            if ok:
                latencies.append(latency)
            else:
                errors += 1

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(connections)))
    return Figures("", len(latencies), errors, time.perf_counter() - started, latencies)


def measure(
    port: int, page: str, path: str, cookie: str, seconds: float, conns: int, server: int = 0
) -> Figures:
    headers = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
    if cookie:
        headers += f"Cookie: {cookie}\r\n"
    request = (headers + "\r\n").encode()
    asyncio.run(_hammer(port, request, min(1.0, seconds), conns))  # warm-up, not counted
    before = cpu_now(server)
    figures = asyncio.run(_hammer(port, request, seconds, conns))
    used = cpu_now(server) - before
    return Figures(page, figures.requests, figures.errors, figures.seconds, figures.latencies, used)


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_LOAD_DATABASE_URL", ""))
    parser.add_argument("--participants", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument(
        "--pages",
        default=",".join(PAGES),
        help="comma-separated pages to ask (their yardsticks are always asked too)",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.participants, args.seconds = 2_000, 2.0
    args.database_url = args.database_url or DEFAULT_URL
    wanted = {p.strip() for p in args.pages.split(",") if p.strip()}
    unknown = wanted - set(PAGES)
    if unknown:
        parser.error(f"unknown page(s): {', '.join(sorted(unknown))}; known: {', '.join(PAGES)}")
    wanted |= {"baseline"} | {PAGES[p][2] for p in wanted}
    args.pages = [p for p in PAGES if p in wanted]  # in the table's order
    return args


def _sessions(base: str, visitor: type) -> dict[str | None, str]:
    """A cookie header per person who asks (none for a visitor)."""
    cookies: dict[str | None, str] = {None: ""}
    for user in {u for _path, u, _y in PAGES.values() if u}:
        person = visitor()
        person.sign_in(base, user, os.environ.get("JEMBATAN_DEMO_PASSWORD", "jembatan-demo"))
        cookies[user] = "; ".join(f"{c.name}={c.value}" for c in person.jar)
    return cookies


def _measure_all(env: dict[str, str], args: argparse.Namespace) -> list[Figures]:
    """Start ``jembatan web --workers 2`` and ask every page for ``args.seconds``."""
    os.environ.update({k: env[k] for k in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")})
    sys.path[:0] = [str(ROOT / "bench"), str(ROOT)]
    from jembatan.demo.processes import Visitor, free_port, wait_until

    port = free_port()
    server = subprocess.Popen(
        [*jembatan("web", "--workers", "2"), "--bind", f"127.0.0.1:{port}"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until(lambda: _alive(Visitor, base), timeout=60, what="the web server")
        cookies = _sessions(base, Visitor)
        return [
            measure(port, page, path, cookies[user], args.seconds, args.connections, server.pid)
            for page, (path, user, _yardstick) in PAGES.items()
            if page in args.pages
        ]
    finally:
        server.terminate()
        server.wait(timeout=30)


def report(results: list[Figures]) -> None:
    """Each page's figures, against the anonymous baseline and against its own yardstick."""
    by_page = {f.page: f for f in results}
    baseline = by_page["baseline"].rate
    for figures in results:
        print(figures.line(baseline, by_page[PAGES[figures.page][2]]))
    lists = [f for f in results if not f.page.startswith("baseline")]
    print(
        "goal (≥ 500 req/s, p99 < 100 ms): "
        + ", ".join(
            f"{f.page} {'met' if f.rate >= 500 and f.percentile(99) < 100 else 'not met'}"
            for f in lists
        )
    )
    print(f"median list/baseline ratio: {statistics.median(f.rate / baseline for f in lists):.2f}")
    own = [f.rate / by_page[PAGES[f.page][2]].rate for f in lists]
    print(f"median list/yardstick ratio: {statistics.median(own):.2f}")
    for figures in results:
        print(figures.cpu_line())


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    if not args.database_url.startswith("postgres"):
        print("load_lists: PostgreSQL only (give --database-url postgres://…)", file=sys.stderr)
        return 2
    var_dir = Path(os.environ.get("BENCH_LOAD_VAR_DIR", "/tmp/jembatan-bench-load"))
    var_dir.mkdir(parents=True, exist_ok=True)
    env = environment(args.database_url, var_dir)
    _create_database(args.database_url)
    held = prepare(env, args.participants)
    print(
        f"load: {held:,} participants, 2 gunicorn workers, {args.connections} connections, "
        f"{args.seconds:.0f} s per page",
        flush=True,
    )
    results = _measure_all(env, args)
    report(results)
    return 0 if all(f.errors == 0 for f in results) else 1


def _alive(visitor: type, base: str) -> bool:
    try:
        return bool(visitor().get(f"{base}/healthz").status == 200)
    except OSError:
        return False


def _create_database(url: str) -> None:
    """Create the benchmark's database if it does not exist (psql, trust auth)."""
    name = url.rsplit("/", 1)[-1]
    server = url.rsplit("/", 1)[0] + "/postgres"
    exists = subprocess.run(
        ["psql", server, "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],
        capture_output=True,
        text=True,
    )
    if exists.stdout.strip() != "1":
        subprocess.run(["psql", server, "-qc", f'CREATE DATABASE "{name}"'], check=True)


if __name__ == "__main__":
    sys.exit(main())
