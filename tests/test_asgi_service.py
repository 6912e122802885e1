"""The ASGI example service, over real HTTP on 127.0.0.1, alone and under load."""

from __future__ import annotations

import http.client
import importlib.util
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

pytest.importorskip("starlette", reason="the service extra is not installed")
pytest.importorskip("uvicorn", reason="the service extra is not installed")

from successkit import HealthScorer, detect_portfolio, to_dict
from successkit.samples import DEMO_AS_OF, sample_portfolio

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

CLIENTS = 50
LOAD_SECONDS = 3.0
MAX_REQUESTS_PER_CLIENT = 40


def load_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("asgi_service", EXAMPLES / "asgi_service.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def service() -> Iterator[tuple[ModuleType, Any]]:
    module = load_module()
    running = module.RunningService(module.create_app(max_body_bytes=200_000)).start()
    try:
        yield module, running
    finally:
        running.stop()


def call(
    running: Any, method: str, path: str, body: bytes | None = None, **headers: str
) -> tuple[int, dict[str, str], Any]:
    connection = http.client.HTTPConnection(running.host, running.port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers)
        answer = connection.getresponse()
        payload = answer.read()
        return answer.status, dict(answer.getheaders()), json.loads(payload)
    finally:
        connection.close()


def request_body(count: int = 2, seed: int = 0) -> bytes:
    accounts = sample_portfolio(count, seed=seed, as_of=DEMO_AS_OF).accounts
    document = {"as_of": DEMO_AS_OF.isoformat(), "accounts": [to_dict(a) for a in accounts]}
    return json.dumps(document).encode()


def test_score_answers_what_the_library_computes(service: tuple[ModuleType, Any]) -> None:
    _, running = service
    status, headers, scores = call(running, "POST", "/score", request_body(3))
    assert status == 200
    assert headers["content-type"] == "application/json"
    expected = [
        to_dict(HealthScorer()(a, as_of=DEMO_AS_OF))
        for a in sample_portfolio(3, as_of=DEMO_AS_OF).accounts
    ]
    assert scores == json.loads(json.dumps(expected))


def test_gaps_answers_what_the_library_finds(service: tuple[ModuleType, Any]) -> None:
    _, running = service
    status, _, found = call(running, "POST", "/gaps", request_body(3))
    assert status == 200
    expected = detect_portfolio(sample_portfolio(3, as_of=DEMO_AS_OF).accounts, as_of=DEMO_AS_OF)
    assert found == json.loads(json.dumps(to_dict(expected)))


def test_the_openapi_document_is_the_stdlib_services(service: tuple[ModuleType, Any]) -> None:
    module, running = service
    status, _, document = call(running, "GET", "/openapi.json")
    assert status == 200
    assert document == json.loads(json.dumps(module.shared.openapi_document()))
    assert set(document["paths"]) == {"/score", "/gaps"}


def test_refusals_name_what_is_wrong(service: tuple[ModuleType, Any]) -> None:
    _, running = service
    status, _, problem = call(running, "POST", "/score", b'{"as_of": "2026-11-24", "x": 1}')
    assert status == 422
    fields = {e["field"] for e in problem["errors"]}
    assert {"x", "accounts", "as_of"} <= fields
    assert call(running, "POST", "/score", b"{not json")[0] == 400
    assert call(running, "POST", "/score", b"x" * 200_001)[0] == 413
    status, headers, problem = call(running, "GET", "/score")
    assert (status, headers["allow"]) == (405, "POST")
    status, headers, _ = call(running, "POST", "/openapi.json", b"{}")
    assert (status, headers["allow"]) == (405, "GET")
    status, _, problem = call(running, "GET", "/nowhere")
    assert status == 404
    assert problem == {"error": "no such path: /nowhere"}


def test_a_missing_content_length_is_refused(service: tuple[ModuleType, Any]) -> None:
    _, running = service
    connection = http.client.HTTPConnection(running.host, running.port, timeout=10)
    try:
        connection.putrequest("POST", "/score")
        connection.endheaders()
        answer = connection.getresponse()
        assert answer.status == 411
        assert json.loads(answer.read())["error"].startswith("a Content-Length")
    finally:
        connection.close()


def test_fifty_clients_lose_no_answer(service: tuple[ModuleType, Any]) -> None:
    """50 clients, each on its own keep-alive connection, for a bounded time and count."""
    _, running = service
    bodies = [request_body(1, seed=seed) for seed in range(5)]
    expected_ids = [json.loads(body)["accounts"][0]["data"]["id"] for body in bodies]
    sent = [0] * CLIENTS
    good = [0] * CLIENTS
    errors: list[str] = []
    latencies: list[float] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + LOAD_SECONDS

    def client(index: int) -> None:
        connection = http.client.HTTPConnection(running.host, running.port, timeout=30)
        try:
            while time.monotonic() < stop_at and sent[index] < MAX_REQUESTS_PER_CLIENT:
                which = (index + sent[index]) % len(bodies)
                started = time.perf_counter()
                sent[index] += 1
                connection.request(
                    "POST", "/score", body=bodies[which], headers={"Content-Type": "x"}
                )
                answer = connection.getresponse()
                payload = json.loads(answer.read())
                elapsed = time.perf_counter() - started
                if (
                    answer.status != 200
                    or payload[0]["data"]["account_id"] != (expected_ids[which])
                ):
                    with lock:
                        errors.append(f"client {index}: {answer.status} {payload!r:.200}")
                    return
                good[index] += 1
                with lock:
                    latencies.append(elapsed)
        except (OSError, http.client.HTTPException) as error:
            with lock:
                errors.append(f"client {index}: {error!r}")
        finally:
            connection.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=LOAD_SECONDS + 60)
    assert not any(thread.is_alive() for thread in threads)
    assert errors == []
    assert sum(sent) == sum(good) == len(latencies)  # every request answered, and rightly
    assert all(count >= 1 for count in good)  # nobody starved
