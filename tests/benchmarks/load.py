"""The API benchmark's load, from a process of its own: the server shares the machine with
its clients, never its interpreter. ``wrk`` (Debian's package) where it is installed, which
costs the machine least; otherwise this module run as a process, with a few httpx clients on
threads. Either prints one JSON line: requests, seconds, latencies and failures.

    python -m tests.benchmarks.load --port P --clients 4 --requests 3000 --kind pay --prefix w1-
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

#: The payment every POST books, and the page every GET reads.
PAYMENT_PATH = "/api/v1/beschikkingen/B-1/payments"
PAYMENT_BODY = '{"amount": "1.00", "paid_on": "2025-01-01", "reason": "bench"}'
RECONCILIATION_PATH = "/api/v1/reports/tranches"

#: wrk's script: what to ask and the bearer token from the environment, a new Idempotency-Key
#: for every POST (prefix, thread, number), and a summary that counts every answer other than
#: the one expected as a failure.
WRK_SCRIPT = """
local threads = {}
function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end
function init(args)
  number = 0
  failed = 0
  headers = {}
  headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
  headers["Content-Type"] = "application/json"
  if os.getenv("BENCH_COOKIE") ~= "" then headers["Cookie"] = os.getenv("BENCH_COOKIE") end
end
request = function()
  number = number + 1
  if os.getenv("BENCH_KIND") == "pay" then
    headers["Idempotency-Key"] = os.getenv("BENCH_PREFIX") .. id .. "-" .. number
    return wrk.format("POST", os.getenv("BENCH_PATH"), headers, os.getenv("BENCH_BODY"))
  end
  headers["Idempotency-Key"] = nil
  return wrk.format("GET", os.getenv("BENCH_PATH"), headers)
end
response = function(status, headers, body)
  if status ~= tonumber(os.getenv("BENCH_STATUS")) then failed = failed + 1 end
end
function done(summary, latency, requests)
  local failures = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout
  for _, thread in ipairs(threads) do failures = failures + thread:get("failed") end
  io.write(string.format(
    '{"requests": %d, "seconds": %f, "p50_ms": %f, "p95_ms": %f, "p99_ms": %f, "failed": %d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000, failures))
end
"""


@dataclass(frozen=True)
class Load:
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    failed: int
    client: str

    @property
    def rate(self) -> float:
        return self.requests / self.seconds


def run(
    port: int,
    token: str,
    *,
    kind: str,
    clients: int,
    requests: int,
    prefix: str = "",
    path: str = RECONCILIATION_PATH,
    cookie: str = "",
    seconds: int | None = None,
) -> Load:
    """``requests`` payments (``kind='pay'``) or GETs of ``path`` (the reconciliation unless
    told; a dashboard page with its session ``cookie``) from a second process; wrk runs for
    ``seconds``, else for the time that many take at a rough guess, and says how many it
    made (an answer slower than 30 s counts as failed)."""
    status = "201" if kind == "pay" else "200"
    env = {**os.environ, "BENCH_TOKEN": token, "BENCH_KIND": kind, "BENCH_PREFIX": prefix}
    env |= {"BENCH_PATH": PAYMENT_PATH if kind == "pay" else path, "BENCH_COOKIE": cookie}
    wrk = shutil.which("wrk")
    if wrk is None:
        command = [sys.executable, "-m", "tests.benchmarks.load", "--port", str(port)]
        command += ["--kind", kind, "--clients", str(clients), "--requests", str(requests)]
        command += ["--prefix", prefix]
        answer = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
        return Load(**json.loads(answer.stdout), client="Python clients (wrk not installed)")
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "load.lua"
        script.write_text(WRK_SCRIPT, encoding="utf-8")
        seconds = seconds or max(3, requests // 300)
        command = [wrk, "-t1", f"-c{clients}", f"-d{seconds}s", "--timeout", "30s"]
        command += ["-s", str(script), f"http://127.0.0.1:{port}/"]
        asked = {"BENCH_STATUS": status, "BENCH_BODY": PAYMENT_BODY}
        answer = subprocess.run(
            command, env={**env, **asked}, capture_output=True, text=True, check=True
        )
    summary = [line for line in answer.stdout.splitlines() if line.startswith("{")][-1]
    return Load(**json.loads(summary), client="wrk")


def _threads(port: int, token: str, kind: str, clients: int, requests: int, prefix: str) -> dict:
    """The fallback: ``clients`` httpx clients on threads, ``requests`` in all."""
    import httpx

    latencies: list[float] = []
    failed = 0
    lock = threading.Lock()
    expected = 201 if kind == "pay" else 200

    def client_loop(number: int) -> None:
        nonlocal failed
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        if cookie := os.environ.get("BENCH_COOKIE"):
            headers["Cookie"] = cookie
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers=headers, timeout=10) as c:
            for index in range(number, requests, clients):
                start = time.perf_counter()
                if kind == "pay":
                    key = {"Idempotency-Key": f"{prefix}{index}"}
                    answer = c.post(PAYMENT_PATH, content=PAYMENT_BODY, headers=key)
                else:
                    answer = c.get(os.environ["BENCH_PATH"])
                elapsed = (time.perf_counter() - start) * 1000
                with lock:
                    latencies.append(elapsed)
                    failed += answer.status_code != expected

    threads = [threading.Thread(target=client_loop, args=(n,)) for n in range(clients)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - start
    return {
        "requests": requests,
        "seconds": seconds,
        "p50_ms": statistics.median(latencies),
        "p95_ms": statistics.quantiles(latencies, n=100)[94],
        "p99_ms": p99(latencies),
        "failed": failed,
    }


def p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[98]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--kind", choices=["pay", "get"], required=True)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--prefix", default="")
    options = parser.parse_args()
    token = os.environ["BENCH_TOKEN"]
    figures = _threads(
        options.port, token, options.kind, options.clients, options.requests, options.prefix
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
