"""ChangeProg's load scenario: `make load`.

Builds a PostgreSQL database (the demo programme and, by default, the large generated portfolio: LOAD_SIZE=large
or demo; the built database is kept as a template and copied for each run, --rebuild makes it afresh), starts
Redis for the cache, two gunicorn instances with production settings and nginx in front of them on loopback, then
runs the mixed locust scenario (scripts/locustfile.py): 50 users started over 20 s, then 60 s of steady use.
Sign-in is reported apart from browsing, and only the time after the last user has started is "steady".

It runs three times: steady; with one of the two app instances stopped a third of the way in and started again
two thirds in (nginx sends its requests to the other); and with PostgreSQL restarted a third of the way in. It
reports throughput, the median and 95th percentile and errors, and fails if a request fails in the steady run,
or outside the switch-over or restart windows in the others. Needs root (pg_ctlcluster), nginx and redis-server.
"""

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
WORK = ROOT / "var" / "load"
PORT = int(os.environ.get("LOAD_PORT", "8765"))
APP_PORTS = (PORT + 1, PORT + 2)
HOST = f"http://127.0.0.1:{PORT}"
USERS, SECONDS = int(os.environ.get("LOAD_USERS", "50")), int(os.environ.get("LOAD_SECONDS", "60"))
RAMP = int(os.environ.get("LOAD_RAMP_SECONDS", "20"))
SIZE = os.environ.get("LOAD_SIZE", "large")
REDIS_PORT = int(os.environ.get("REDIS_PORT", "6379"))
ADMIN_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://changeprog:changeprog@127.0.0.1:5432/changeprog")
sys.path.insert(0, str(ROOT / "scripts"))
import scratch_db  # noqa: E402  # the scripts' own helper, beside this file

# This checkout's own load databases (scripts/scratch_db.py): never another's, never one it did not make.
DATABASE_URL = scratch_db.url(ADMIN_URL, "load")
BASE = f"load_{SIZE}_base"
PASSWORD = "load-test-password-0123"  # noqa: S105  # nosec B105 - the throwaway load database's demo users
# Each run's office users record updates on days of their own, counted back from today in bands of this many
# days (an item takes one update per date; the locustfile skips the first of each month, when the generated
# portfolio has its own updates, and no item's updates may precede its time on record, from 2025 there).
BAND = 200
GRACE = 5  # seconds after a switch-over or restart in which stragglers may still fail
SIGN_IN = {"login form", "sign in"}
ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "changeprog.settings",
    "DATABASE_URL": DATABASE_URL,
    "CACHE_URL": f"redis://127.0.0.1:{REDIS_PORT}/3",
    "DEBUG": "0",
    "SECRET_KEY": "load-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz-0123456789",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "false",
    "SESSION_COOKIE_SECURE": "false",
    "CSRF_COOKIE_SECURE": "false",
    "CONN_MAX_AGE": "60",
    "LOG_LEVEL": "WARNING",
    "DEMO_PASSWORD": PASSWORD,
}


def run(*args, **kwargs):
    return subprocess.run(args, cwd=ROOT, env=ENV, check=True, **kwargs)  # noqa: S603  # nosec B603


def manage(*args, **kwargs):
    return run(str(BIN / "python"), "manage.py", *args, **kwargs)


def build_base(rebuild: bool):
    """The built database for this size, kept as the template each run copies (a marker file says it is whole)."""
    marker = WORK / f"{BASE}.built"
    if not rebuild and marker.exists() and scratch_db.exists(ADMIN_URL, BASE):
        return
    marker.unlink(missing_ok=True)
    started = time.perf_counter()
    print(f"== Building the {SIZE} load database (kept for later runs; --rebuild makes it afresh)", flush=True)
    scratch_db.recreate(ADMIN_URL, BASE, "load test")
    env = {**ENV, "DATABASE_URL": scratch_db.url(ADMIN_URL, BASE)}
    python = str(BIN / "python")
    subprocess.run([python, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)  # noqa: S603  # nosec B603
    subprocess.run([python, "manage.py", "load_demo"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)  # noqa: S603  # nosec B603
    if SIZE != "demo":
        subprocess.run([python, "manage.py", "generate_portfolio", "--size", SIZE], cwd=ROOT, env=env, check=True)  # noqa: S603  # nosec B603
    marker.write_text(
        json.dumps({"database": scratch_db.name(BASE), "built_in_s": round(time.perf_counter() - started)})
    )
    print(f"   built in {time.perf_counter() - started:.0f} s", flush=True)


IDS = """
from workstreams.models import OPEN_LIFECYCLES, Programme, Project
from reporting.models import Report
programmes = list(Programme.objects.order_by("pk").values_list("pk", flat=True))
projects = []
for programme in programmes:  # the office's projects: one open project in each programme in turn
    found = Project.objects.filter(workstream__programme=programme, lifecycle__in=OPEN_LIFECYCLES).order_by("pk")
    projects += list(found.values_list("pk", flat=True)[:3])
reports = list(Report.objects.exclude(status="draft").order_by("-meeting_date").values_list("pk", flat=True)[:20])
print(",".join(map(str, programmes)), ",".join(map(str, projects)), ",".join(map(str, reports)))
"""


def prepare(rebuild: bool) -> dict:
    build_base(rebuild)
    scratch_db.recreate(ADMIN_URL, "load", "load test", template=BASE)
    manage("migrate", "--noinput", "-v0")
    manage("collectstatic", "--noinput", "-v0")
    found = manage("shell", "-c", IDS, capture_output=True, text=True)
    programmes, projects, reports = found.stdout.split()[-3:]
    return {"LOAD_PROGRAMMES": programmes, "LOAD_PROJECTS": projects, "LOAD_REPORTS": reports}


def start_redis():
    run("bash", "scripts/redis-setup.sh", stdout=subprocess.DEVNULL)
    run("redis-cli", "-p", str(REDIS_PORT), "-n", "3", "flushdb", stdout=subprocess.DEVNULL)


def wait_for(url: str, what: str, process=None):
    for _ in range(120):
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310  # nosec B310
                if response.status == 200:
                    return
        except OSError:
            if process is not None and process.poll() is not None:
                break
            time.sleep(0.5)
    raise SystemExit(f"{what} did not answer {url}")


def start_gunicorn(port: int):
    server = subprocess.Popen(  # noqa: S603  # nosec B603
        [
            str(BIN / "gunicorn"),
            "changeprog.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            os.environ.get("LOAD_WORKERS", "2"),
            "--threads",
            os.environ.get("LOAD_THREADS", "4"),
            "--timeout",
            "30",
            # Longer than nginx keeps an idle connection to it (keepalive_timeout below): a connection gunicorn
            # closes just as nginx reuses it would be reset.
            "--keep-alive",
            "75",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=ENV,
        stdout=(WORK / f"gunicorn-{port}.log").open("a"),
        stderr=subprocess.STDOUT,
    )
    wait_for(f"http://127.0.0.1:{port}/healthz", f"gunicorn on {port}", server)
    return server


NGINX = """
worker_processes 1;
daemon off;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {work}/nginx-body;
  proxy_temp_path {work}/nginx-proxy;
  fastcgi_temp_path {work}/nginx-fastcgi;
  uwsgi_temp_path {work}/nginx-uwsgi;
  scgi_temp_path {work}/nginx-scgi;
  upstream changeprog {{
    server 127.0.0.1:{a} max_fails=1 fail_timeout=5s;
    server 127.0.0.1:{b} max_fails=1 fail_timeout=5s;
    keepalive 32;
    keepalive_timeout 60s;
  }}
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://changeprog;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      # An instance that refuses or drops a connection is skipped and the request tried on the other.
      proxy_next_upstream error timeout http_502 http_503;
      proxy_connect_timeout 2s;
      proxy_read_timeout 30s;
    }}
  }}
}}
"""


def start_nginx():
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        raise SystemExit("nginx is not installed (Debian: apt-get install nginx-light).")
    conf = WORK / "nginx.conf"
    conf.write_text(NGINX.format(work=WORK, a=APP_PORTS[0], b=APP_PORTS[1], port=PORT))
    proxy = subprocess.Popen(  # noqa: S603  # nosec B603
        [nginx, "-p", str(WORK), "-e", str(WORK / "nginx-error.log"), "-c", str(conf)],
        stdout=(WORK / "nginx.log").open("a"),
        stderr=subprocess.STDOUT,
    )
    wait_for(f"{HOST}/healthz", "nginx", proxy)
    return proxy


def locust(log: Path, ids: dict, *, band: int):
    """The scenario for RAMP + SECONDS; `band` keeps each run's status updates on dates of its own."""
    log.unlink(missing_ok=True)
    return subprocess.Popen(  # noqa: S603  # nosec B603
        [
            str(BIN / "locust"),
            "-f",
            "scripts/locustfile.py",
            "--headless",
            "-u",
            str(USERS),
            "-r",
            str(USERS / RAMP if RAMP else USERS),
            "-t",
            f"{RAMP + SECONDS}s",
            "--host",
            HOST,
            "--only-summary",
            "--stop-timeout",
            "5",
            "--loglevel",
            "ERROR",
        ],
        cwd=ROOT,
        env={**ENV, **ids, "LOAD_LOG": str(log), "LOAD_PASSWORD": PASSWORD, "LOAD_DAYS_BACK_FROM": str(band * BAND)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def figures(rows: list) -> dict:
    if not rows:
        return {"requests": 0}
    times = sorted(r["ms"] for r in rows)
    span = max(r["t"] for r in rows) - min(r["t"] for r in rows)
    return {
        "requests": len(rows),
        "requests_per_second": round(len(rows) / span, 1) if span else None,
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[int(0.95 * (len(times) - 1))], 1),
        "errors": sum(1 for r in rows if not r["ok"]),
    }


def cpu_seconds() -> dict:
    """CPU seconds used so far by each kind of process on the machine (Linux /proc), to say where a run's time went."""
    tick = os.sysconf("SC_CLK_TCK")
    kinds = ("gunicorn", "locust", "postgres", "redis", "nginx")
    used = dict.fromkeys(kinds, 0.0)
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
            command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        kind = next((k for k in kinds if k in command or k in stat.split(")", 1)[0]), None)
        if kind:
            used[kind] += (int(fields[11]) + int(fields[12])) / tick
    return used


def timed(runner) -> dict:
    """Wait for the locust run, and say how many CPU seconds each kind of process used meanwhile."""
    import resource

    before, children = cpu_seconds(), resource.getrusage(resource.RUSAGE_CHILDREN)
    runner.wait()
    after, done = cpu_seconds(), resource.getrusage(resource.RUSAGE_CHILDREN)
    used = {kind: round(after[kind] - before[kind], 1) for kind in after}
    # locust has ended by now, so its time is read from the finished children instead.
    used["locust"] = round(done.ru_utime + done.ru_stime - children.ru_utime - children.ru_stime, 1)
    return used


def analyse(log: Path, windows=()) -> dict:
    """Sign-in apart; browsing "steady" from when the last user has started; errors inside and outside `windows`
    (start, end) of a switch-over or restart."""
    rows = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
    if not rows:
        raise SystemExit(f"No requests were recorded in {log}")
    first = min(r["t"] for r in rows)
    browsing = [r for r in rows if r["name"] not in SIGN_IN]
    result = {
        "sign_in": figures([r for r in rows if r["name"] in SIGN_IN]),
        "steady": figures([r for r in browsing if r["t"] >= first + RAMP]),
        "ramp_up": figures([r for r in browsing if r["t"] < first + RAMP]),
        "by_page": {
            name: figures([r for r in browsing if r["name"] == name and r["t"] >= first + RAMP])
            for name in sorted({r["name"] for r in browsing})
        },
    }
    if windows:
        failed = [r for r in rows if not r["ok"]]

        def inside(r):
            return any(start <= r["t"] <= end + GRACE for start, end in windows)

        result["windows_s"] = [[round(start - first, 1), round(end - first, 1)] for start, end in windows]
        result["errors_in_windows"] = sum(1 for r in failed if inside(r))
        result["errors_outside_windows"] = sum(1 for r in failed if not inside(r))
        result["outside"] = [
            {"at": round(r["t"] - first, 1), "name": r["name"], "error": r.get("error", "")}
            for r in failed
            if not inside(r)
        ][:20]
        last = max(end for _, end in windows)
        result["ok_after_last_window"] = sum(1 for r in rows if r["t"] > last + GRACE and r["ok"])
    return result


def restart_postgres():
    lines = subprocess.run(["pg_lsclusters", "--no-header"], capture_output=True, text=True, check=True).stdout  # noqa: S607  # nosec
    version, cluster = lines.split()[:2]
    ctl = shutil.which("pg_ctlcluster")
    subprocess.run([ctl, "--skip-systemctl-redirect", version, cluster, "stop", "--", "-m", "fast"], check=True)  # noqa: S603  # nosec B603
    time.sleep(3)
    subprocess.run([ctl, "--skip-systemctl-redirect", version, cluster, "start"], check=True)  # noqa: S603  # nosec B603


def stop(process, timeout=30):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rebuild", action="store_true", help="build the load database afresh")
    parser.add_argument("--only", choices=["steady", "switch-over", "restart"], action="append")
    options = parser.parse_args()
    chosen = options.only or ["steady", "switch-over", "restart"]
    WORK.mkdir(parents=True, exist_ok=True)
    print(f"== Preparing the {SIZE} PostgreSQL database, Redis, two gunicorn instances and nginx on {HOST}", flush=True)
    ids = prepare(options.rebuild)
    start_redis()
    servers = [start_gunicorn(port) for port in APP_PORTS]
    proxy = start_nginx()
    report = {
        "made_at": datetime.now(UTC).isoformat(),
        "size": SIZE,
        "users": USERS,
        "ramp_s": RAMP,
        "seconds": SECONDS,
        "app_instances": len(APP_PORTS),
        "cpus": os.cpu_count(),
    }
    at = (RAMP + SECONDS) // 3
    try:
        if "steady" in chosen:
            print(f"== Steady: {USERS} users started over {RAMP} s, then {SECONDS} s", flush=True)
            cpu = timed(locust(WORK / "steady.jsonl", ids, band=0))
            report["steady"] = {**analyse(WORK / "steady.jsonl"), "cpu_seconds": cpu}
            print(f"   {json.dumps(report['steady'])}", flush=True)
        if "switch-over" in chosen:
            print(f"== One app instance stopped after {at} s and started again after {2 * at} s", flush=True)
            runner = locust(WORK / "switch-over.jsonl", ids, band=1)
            time.sleep(at)
            down = time.time()
            stop(servers[0])
            stopped = time.time()
            time.sleep(at)
            back = time.time()
            servers[0] = start_gunicorn(APP_PORTS[0])
            started = time.time()
            runner.wait()
            report["switch_over"] = analyse(WORK / "switch-over.jsonl", windows=[(down, stopped), (back, started)])
            print(f"   {json.dumps(report['switch_over'])}", flush=True)
        if "restart" in chosen:
            print(f"== PostgreSQL restarted after {at} s", flush=True)
            runner = locust(WORK / "restart.jsonl", ids, band=2)
            time.sleep(at)
            down = time.time()
            restart_postgres()
            up = time.time()
            runner.wait()
            report["restart"] = analyse(WORK / "restart.jsonl", windows=[(down, up)])
            print(f"   {json.dumps(report['restart'])}", flush=True)
    finally:
        stop(proxy)
        for server in servers:
            stop(server)
    (WORK / "load-result.json").write_text(json.dumps(report, indent=2))
    failures = []
    if "steady" in report:
        steady = report["steady"]["steady"]
        errors = report["steady"]["steady"]["errors"] + report["steady"]["sign_in"]["errors"]
        if errors:
            failures.append(f"{errors} errors in the steady run")
        if (steady.get("requests_per_second") or 0) < 100:
            failures.append(f"{steady.get('requests_per_second')} requests a second, not 100")
        if steady.get("p95_ms", 0) > 300:
            failures.append(f"95th percentile {steady['p95_ms']} ms, over 300")
    for name in ("switch_over", "restart"):
        if name in report:
            if report[name]["errors_outside_windows"]:
                failures.append(f"{report[name]['errors_outside_windows']} errors outside the {name} windows")
            if not report[name]["ok_after_last_window"]:
                failures.append(f"no successful request after the {name}")
    print("Load scenario: " + ("passed." if not failures else "FAILED: " + "; ".join(failures)))
    print(f"Figures written to {(WORK / 'load-result.json').relative_to(ROOT)}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
