"""The example services under load: 50 clients posting to /score for 10 s, on 127.0.0.1.

Runs the ASGI service (Starlette on uvicorn, ``examples/asgi_service.py``) and,
as the reference in the same process, the standard-library one
(``examples/service.py``), each with the same clients and the same bodies, and
prints throughput, latency percentiles and the ratios between the two.

    python benchmarks/bench_service.py [--clients 50] [--seconds 10] [--accounts 1]

Every request is checked (status 200 and the account scored is the one posted);
the run fails if any answer is lost or wrong. Traffic goes to 127.0.0.1 only,
and each client stops after ``--seconds``.
"""

from __future__ import annotations

import argparse
import http.client
import importlib.util
import json
import statistics
import threading
import time
from pathlib import Path
from types import ModuleType
from typing import Any

from successkit import to_dict
from successkit.samples import DEMO_AS_OF, sample_portfolio

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"bench_{name}", EXAMPLES / f"{name}.py")
    if spec is None or spec.loader is None:
        raise ImportError(name)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def bodies(accounts: int) -> list[tuple[bytes, str]]:
    made = []
    for seed in range(8):
        chosen = sample_portfolio(accounts, seed=seed, as_of=DEMO_AS_OF).accounts
        body = {"as_of": DEMO_AS_OF.isoformat(), "accounts": [to_dict(a) for a in chosen]}
        made.append((json.dumps(body).encode(), chosen[0].id))
    return made


def load_test(
    host: str, port: int, posted: list[tuple[bytes, str]], clients: int, seconds: float
) -> dict[str, Any]:
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client(index: int) -> None:
        connection = http.client.HTTPConnection(host, port, timeout=60)
        sent = 0
        try:
            while time.monotonic() < stop_at:
                body, account_id = posted[(index + sent) % len(posted)]
                sent += 1
                started = time.perf_counter()
                connection.request("POST", "/score", body=body)
                answer = connection.getresponse()
                payload = json.loads(answer.read())
                elapsed = time.perf_counter() - started
                if answer.status != 200 or payload[0]["data"]["account_id"] != account_id:
                    with lock:
                        errors.append(f"{answer.status}")
                    return
                with lock:
                    latencies.append(elapsed)
        except (OSError, http.client.HTTPException) as error:
            with lock:
                errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    latencies.sort()
    percentile = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else latencies * 99
    return {
        "requests": len(latencies),
        "errors": errors,
        "throughput": len(latencies) / wall,
        "p50": percentile[49],
        "p99": percentile[98],
    }


def run_asgi(posted: list[tuple[bytes, str]], clients: int, seconds: float) -> dict[str, Any]:
    module = load("asgi_service")
    running = module.RunningService(module.create_app()).start()
    try:
        return load_test(running.host, running.port, posted, clients, seconds)
    finally:
        running.stop()


def run_stdlib(posted: list[tuple[bytes, str]], clients: int, seconds: float) -> dict[str, Any]:
    module = load("service")
    server = module.make_server("127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        return load_test(host, port, posted, clients, seconds)
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--accounts", type=int, default=1, help="accounts per request")
    args = parser.parse_args()
    posted = bodies(args.accounts)
    results = {
        "ASGI (Starlette + uvicorn)": run_asgi(posted, args.clients, args.seconds),
        "stdlib (ThreadingHTTPServer)": run_stdlib(posted, args.clients, args.seconds),
    }
    print(f"{args.clients} clients for {args.seconds:g} s, {args.accounts} account(s) per request")
    print(f"{'service':<30}{'requests':>10}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}")
    for name, result in results.items():
        print(
            f"{name:<30}{result['requests']:>10}{result['throughput']:>9.1f}"
            f"{result['p50'] * 1000:>9.1f}{result['p99'] * 1000:>9.1f}{len(result['errors']):>8}"
        )
    asgi, stdlib = results.values()
    print(
        f"ASGI / stdlib: throughput {asgi['throughput'] / stdlib['throughput']:.2f}x, "
        f"p99 {asgi['p99'] / stdlib['p99']:.2f}x"
    )
    return 1 if any(result["errors"] for result in results.values()) else 0


if __name__ == "__main__":
    raise SystemExit(main())
