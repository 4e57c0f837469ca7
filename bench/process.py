"""The bench's own programs as child processes, run from the project root with this Python:
manage.py, bench/prepare.py (which answers in JSON) and gunicorn."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from bench.report import fail

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
GUNICORN = str(Path(PY).with_name("gunicorn"))
LOGS = ROOT / "var" / "bench"


def manage(env, *args, capture=False):
    result = subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [PY, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else sys.stderr,
    )
    return result.stdout


def prepare(env, *args):
    out = subprocess.run(  # noqa: S603 - our own script with fixed arguments
        [PY, "bench/prepare.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        stdout=subprocess.PIPE,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def memory(pid):
    """A process's resident memory now and at its peak (VmRSS, VmHWM), in MB, from /proc."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0]) / 1024  # kB
    return {"rss_mb": fields["VmRSS"], "peak_mb": fields["VmHWM"]}


def reset_peak(pid):
    """Start the process's peak (VmHWM) again from its resident memory now (Linux 4.0+:
    writing 5 to clear_refs); False where that is not allowed."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    except OSError:
        return False
    return True


class Server:
    """gunicorn in its own process group on loopback; stopped (the whole group) on exit."""

    def __init__(self, env, port, workers):
        LOGS.mkdir(parents=True, exist_ok=True)
        self.base = f"http://127.0.0.1:{port}"
        self.log = open(LOGS / f"gunicorn-{port}.log", "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(  # noqa: S603 - fixed arguments
            [
                GUNICORN,
                "config.wsgi:application",
                f"--bind=127.0.0.1:{port}",
                f"--workers={workers}",
                "--timeout=60",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=self.log,
            start_new_session=True,
        )

    def wait_ready(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                fail(f"gunicorn stopped; see {self.log.name}")
            try:
                if httpx.get(f"{self.base}/healthz", timeout=2).status_code < 500:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        fail(f"gunicorn did not answer on {self.base}; see {self.log.name}")

    def workers(self):
        """The process ids of gunicorn's workers (the children of its master)."""
        pids = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # pid (comm) state ppid ...: comm may hold spaces, so read after its ")".
            if int(stat.rsplit(")", 1)[1].split()[1]) == self.process.pid:
                pids.append(int(entry.name))
        return sorted(pids)

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()
