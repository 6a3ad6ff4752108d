"""ChangeProg's load scenario: `make load`.

Builds a PostgreSQL database with the demo programme, starts gunicorn on loopback with production settings,
then runs the mixed locust scenario (scripts/locustfile.py) twice with 50 users for 60 seconds: once steady,
and once with PostgreSQL restarted in the middle. It reports throughput, the 95th percentile and errors, and
fails if any request fails in the steady run, or outside the restart window in the second.
The restart needs root (pg_ctlcluster), as CI has.
"""

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
HOST = f"http://127.0.0.1:{PORT}"
USERS, SECONDS = int(os.environ.get("LOAD_USERS", "50")), int(os.environ.get("LOAD_SECONDS", "60"))
ADMIN_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://changeprog:changeprog@127.0.0.1:5432/changeprog")
sys.path.insert(0, str(ROOT / "scripts"))
import scratch_db  # noqa: E402  # the scripts' own helper, beside this file

# This checkout's own load database (scripts/scratch_db.py): never another's, never one it did not make.
DATABASE_URL = scratch_db.url(ADMIN_URL, "load")
PASSWORD = "load-test-password-0123"  # noqa: S105  # nosec B105 - the throwaway load database's demo users
GRACE = 5  # seconds after PostgreSQL is back in which stragglers may still fail
ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "changeprog.settings",
    "DATABASE_URL": DATABASE_URL,
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


def prepare() -> dict:
    scratch_db.recreate(ADMIN_URL, "load", "load test")
    manage = [str(BIN / "python"), "manage.py"]
    run(*manage, "migrate", "--noinput", "-v0")
    run(*manage, "load_demo", stdout=subprocess.DEVNULL)
    run(*manage, "collectstatic", "--noinput", "-v0")
    found = run(
        *manage,
        "shell",
        "-c",
        "from workstreams.models import Programme, Project; from reporting.models import Report; "
        "p = Programme.objects.get(code='T2025'); "
        "from workstreams.models import OPEN_LIFECYCLES; "
        "print(p.pk, ','.join(str(i) for i in Project.objects.filter(workstream__programme=p, "
        "lifecycle__in=OPEN_LIFECYCLES).order_by('pk').values_list('pk', flat=True)), "
        "Report.objects.filter(programme=p).exclude(status='draft').order_by('-meeting_date').first().pk)",
        capture_output=True,
        text=True,
    )
    programme, projects, report = found.stdout.split()[-3:]
    return {"LOAD_PROGRAMME": programme, "LOAD_PROJECTS": projects, "LOAD_REPORT": report}


def start_gunicorn():
    server = subprocess.Popen(  # noqa: S603  # nosec B603
        [
            str(BIN / "gunicorn"),
            "changeprog.wsgi",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            "3",
            "--threads",
            "4",
            "--timeout",
            "30",
            # Longer than any client's pause between requests: a connection gunicorn closes just as the client
            # reuses it is reset (behind a proxy, keep the proxy's idle timeout below this).
            "--keep-alive",
            "10",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=ENV,
        stdout=(WORK / "gunicorn.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    for _ in range(60):
        try:
            with urllib.request.urlopen(f"{HOST}/healthz", timeout=2) as response:  # noqa: S310  # nosec B310
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("gunicorn did not answer /healthz")


def locust(log: Path, ids: dict, *, days_back_from: int = 0):
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
            "25",
            "-t",
            f"{SECONDS}s",
            "--host",
            HOST,
            "--only-summary",
            "--stop-timeout",
            "5",
            "--loglevel",
            "ERROR",
        ],
        cwd=ROOT,
        env={**ENV, **ids, "LOAD_LOG": str(log), "LOAD_PASSWORD": PASSWORD, "LOAD_DAYS_BACK_FROM": str(days_back_from)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def analyse(log: Path, window=None) -> dict:
    rows = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
    if not rows:
        raise SystemExit(f"No requests were recorded in {log}")
    times = sorted(r["ms"] for r in rows)
    span = max(r["t"] for r in rows) - min(r["t"] for r in rows)
    failed = [r for r in rows if not r["ok"]]
    result = {
        "requests": len(rows),
        "requests_per_second": round(len(rows) / span, 1) if span else None,
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[int(0.95 * (len(times) - 1))], 1),
        "errors": len(failed),
    }
    if window:
        start, end = window
        first = min(r["t"] for r in rows)
        result["restart_window"] = [round(start - first, 1), round(end - first, 1)]
        result["restart_window_s"] = round(end - start, 1)
        result["errors_in_window"] = sum(1 for r in failed if start <= r["t"] <= end + GRACE)
        result["errors_outside_window"] = result["errors"] - result["errors_in_window"]
        result["outside"] = [
            {"at": round(r["t"] - first, 1), "name": r["name"], "error": r.get("error", "")}
            for r in failed
            if not start <= r["t"] <= end + GRACE
        ][:20]
        after = [r for r in rows if r["t"] > end + GRACE]
        result["after_restart_ok"] = sum(1 for r in after if r["ok"])
    return result


def restart_postgres():
    lines = subprocess.run(["pg_lsclusters", "--no-header"], capture_output=True, text=True, check=True).stdout  # noqa: S607  # nosec
    version, cluster = lines.split()[:2]
    ctl = shutil.which("pg_ctlcluster")
    subprocess.run([ctl, "--skip-systemctl-redirect", version, cluster, "stop", "--", "-m", "fast"], check=True)  # noqa: S603  # nosec B603
    time.sleep(3)
    subprocess.run([ctl, "--skip-systemctl-redirect", version, cluster, "start"], check=True)  # noqa: S603  # nosec B603


def main():
    WORK.mkdir(parents=True, exist_ok=True)
    print(f"== Preparing a PostgreSQL database and gunicorn on {HOST}", flush=True)
    ids = prepare()
    server = start_gunicorn()
    report = {"made_at": datetime.now(UTC).isoformat(), "users": USERS, "seconds": SECONDS}
    try:
        print(f"== Steady: {USERS} users for {SECONDS} s", flush=True)
        steady_log = WORK / "steady.jsonl"
        locust(steady_log, ids).wait()
        report["steady"] = analyse(steady_log)
        print(f"   {report['steady']}", flush=True)

        print(f"== With PostgreSQL restarted after {SECONDS // 3} s", flush=True)
        restart_log = WORK / "restart.jsonl"
        # Its updates go on earlier days than the steady run's, which used the same projects (one per date).
        runner = locust(restart_log, ids, days_back_from=1000)
        time.sleep(SECONDS // 3)
        down = time.time()
        restart_postgres()
        up = time.time()
        runner.wait()
        report["restart"] = analyse(restart_log, window=(down, up))
        print(f"   {report['restart']}", flush=True)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    (WORK / "load-result.json").write_text(json.dumps(report, indent=2))
    failures = []
    if report["steady"]["errors"]:
        failures.append(f"{report['steady']['errors']} errors in the steady run")
    if report["restart"]["errors_outside_window"]:
        failures.append(f"{report['restart']['errors_outside_window']} errors outside the restart window")
    if not report["restart"]["after_restart_ok"]:
        failures.append("no successful request after PostgreSQL came back")
    print("Load scenario: " + ("passed." if not failures else "FAILED: " + "; ".join(failures)))
    print(f"Figures written to {(WORK / 'load-result.json').relative_to(ROOT)}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
