"""The examples run for real: the scripts as subprocesses, the service over HTTP."""

from __future__ import annotations

import importlib.util
import json
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from types import ModuleType
from typing import Any

import jsonschema
import pytest

from successkit import HealthScorer, detect_portfolio, to_dict
from successkit.model import Account
from successkit.samples import sample_portfolio
from successkit.scoring import Score
from successkit.serialization import json_schema

AS_OF = datetime(2026, 11, 24, 12, 0, tzinfo=timezone.utc)  # as in conftest.py
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def run_example(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own scripts, run with this interpreter
        [sys.executable, *args], capture_output=True, text=True, check=False, timeout=120
    )


def load_service() -> ModuleType:
    spec = importlib.util.spec_from_file_location("example_service", EXAMPLES / "service.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- custom_scorecard.py -----------------------------------------------------------


def test_custom_scorecard_writes_a_png_and_counts_bands(tmp_path: Path) -> None:
    target = tmp_path / "chart.png"
    done = run_example(str(EXAMPLES / "custom_scorecard.py"), str(target))
    assert done.returncode == 0, done.stderr
    assert target.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    lines = done.stdout.splitlines()
    assert lines[0].startswith("300 accounts scored")
    counts = {}
    for line in lines:
        parts = line.split()
        if parts and parts[0] in {"green", "amber", "red"}:
            counts[parts[0]] = (int(parts[1]), int(parts[2]))
    assert set(counts) == {"green", "amber", "red"}
    # Every account falls in exactly one band, and SMB accounts are a part of all.
    assert sum(total for total, _ in counts.values()) == 300
    assert all(0 <= smb <= total for total, smb in counts.values())


# --- crm_csv_import.py -------------------------------------------------------------

SEVERITY_RANK = {"critical": 0, "warning": 1, "info": 2}


def test_crm_import_prints_each_accounts_findings_most_severe_first() -> None:
    done = run_example(
        str(EXAMPLES / "crm_csv_import.py"), str(EXAMPLES / "crm_export"), "--as-of", "2026-11-24"
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert out.startswith("6 accounts from crm_export")
    for account_id in ("northwind", "bluepeak", "harbor", "quanta", "meridian", "fernleaf"):
        assert f"\n{account_id} (" in out
    # Northwind uploaded its list and sent the invitations (functional milestones),
    # yet 95 attendees against 300: the success gap of the email example in the literature.
    assert "success_gap: Success gap on 'Fill the winter gala'" in out
    assert "event_attendees is 95 attendees against a target of 300" in out
    # Quanta's overdue commitments: one on the customer's side, one on ours.
    assert "Share two years of sales history (due 2026-08-31, Jon Reyes)" in out
    assert "Finish the ERP integration (due 2026-09-30, Priya Nair)" in out
    # Within each account, severities never go up.
    for block in out.split("\n\n")[1:]:
        ranks = [
            SEVERITY_RANK[line.strip()[1:].split("]")[0]]
            for line in block.splitlines()
            if line.startswith("  [")
        ]
        assert ranks == sorted(ranks)


def test_crm_import_refuses_a_naive_datetime() -> None:
    done = run_example(str(EXAMPLES / "crm_csv_import.py"), "--as-of", "2026-11-24T12:00")
    assert done.returncode == 2
    assert "UTC offset" in done.stderr


# --- service.py --------------------------------------------------------------------


# Eight sample accounts, contacts and all, are about 210 kB of JSON.
BODY_LIMIT = 400_000


@pytest.fixture(scope="module")
def service() -> Iterator[tuple[ModuleType, str]]:
    module = load_service()
    server = module.make_server("127.0.0.1", 0, max_body_bytes=BODY_LIMIT)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    try:
        yield module, f"http://{host}:{port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
    assert not thread.is_alive()


def call(url: str, body: bytes | None = None, method: str = "POST") -> tuple[int, Any]:
    request = urllib.request.Request(  # noqa: S310 - a local test server
        url, data=body, method=method, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        with error:
            return error.code, json.loads(error.read())


def request_body(accounts: list[Account]) -> bytes:
    document = {"as_of": AS_OF.isoformat(), "accounts": [to_dict(a) for a in accounts]}
    return json.dumps(document).encode()


ACCOUNTS = list(sample_portfolio(8, seed=3, as_of=AS_OF).accounts)


def test_score_answers_what_the_library_computes(service: tuple[ModuleType, str]) -> None:
    _, base = service
    status, documents = call(base + "/score", request_body(ACCOUNTS))
    assert status == 200
    expected = [to_dict(HealthScorer()(a, as_of=AS_OF)) for a in ACCOUNTS]
    assert documents == json.loads(json.dumps(expected))
    schema = json_schema(Score)
    for document in documents:
        jsonschema.validate(document, schema)


def test_gaps_answers_what_the_library_finds(service: tuple[ModuleType, str]) -> None:
    _, base = service
    status, document = call(base + "/gaps", request_body(ACCOUNTS))
    assert status == 200
    expected = to_dict(detect_portfolio(ACCOUNTS, as_of=AS_OF))
    assert document == json.loads(json.dumps(expected))
    assert document["data"]["accounts"] == len(ACCOUNTS)


def test_an_empty_portfolio_is_fine(service: tuple[ModuleType, str]) -> None:
    _, base = service
    assert call(base + "/score", request_body([])) == (200, [])


def test_every_bad_field_is_named_by_its_json_path(service: tuple[ModuleType, str]) -> None:
    _, base = service
    good = to_dict(ACCOUNTS[0])
    bad = json.loads(json.dumps(good))
    bad["data"]["contract"]["arr"] = 12000.5  # a float would lose money
    bad["data"]["colour"] = "red"
    body = json.dumps({"as_of": AS_OF.isoformat(), "accounts": [good, bad]}).encode()
    status, problem = call(base + "/score", body)
    assert status == 422
    fields = {e["field"]: e for e in problem["errors"]}
    assert set(fields) == {"accounts[1].data.contract.arr", "accounts[1].data.colour"}
    assert fields["accounts[1].data.colour"]["value"] == "'red'"
    assert fields["accounts[1].data.contract.arr"]["value"] == "12000.5"
    assert all(e["expected"] for e in problem["errors"])


def test_a_bad_body_lists_as_of_unknown_and_missing_keys(service: tuple[ModuleType, str]) -> None:
    _, base = service
    body = json.dumps({"as_of": "2026-11-24T12:00:00", "extra": 1}).encode()
    status, problem = call(base + "/gaps", body)
    assert status == 422
    assert {e["field"] for e in problem["errors"]} == {"as_of", "extra", "accounts"}
    status, problem = call(base + "/gaps", b'{"as_of": "2026-11-24T12:00:00Z", "accounts": {}}')
    assert status == 422
    assert [e["field"] for e in problem["errors"]] == ["accounts"]
    status, problem = call(base + "/gaps", b'{"as_of": 5, "accounts": []}')
    assert (status, [e["field"] for e in problem["errors"]]) == (422, ["as_of"])
    status, problem = call(base + "/gaps", b'{"as_of": "soon", "accounts": []}')
    assert (status, [e["field"] for e in problem["errors"]]) == (422, ["as_of"])
    status, problem = call(base + "/score", b"[1, 2]")
    assert status == 422
    assert problem["errors"][0]["value"] == "[1, 2]"


def test_a_z_suffix_is_utc(service: tuple[ModuleType, str]) -> None:
    _, base = service
    body = json.dumps({"as_of": "2026-11-24T12:00:00Z", "accounts": [to_dict(ACCOUNTS[0])]})
    status, (document,) = call(base + "/score", body.encode())
    assert status == 200
    assert document["data"]["as_of"] == "2026-11-24T12:00:00+00:00"


def test_repeated_keys_are_refused_as_invalid(service: tuple[ModuleType, str]) -> None:
    _, base = service
    status, problem = call(base + "/score", b'{"as_of": "x", "as_of": "y", "accounts": []}')
    assert status == 422
    assert problem["errors"]


def test_non_json_is_400(service: tuple[ModuleType, str]) -> None:
    _, base = service
    assert call(base + "/score", b"as_of=today")[0] == 400
    assert call(base + "/gaps", b"\xff\xfe{")[0] == 400


def test_unknown_paths_and_wrong_methods(service: tuple[ModuleType, str]) -> None:
    _, base = service
    assert call(base + "/health", b"{}")[0] == 404
    assert call(base + "/nowhere", method="GET")[0] == 404
    assert call(base + "/score", method="GET") == (405, {"error": "use POST"})
    assert call(base + "/openapi.json", b"{}")[0] == 405


def test_a_body_above_the_limit_is_413(service: tuple[ModuleType, str]) -> None:
    _, base = service
    status, problem = call(base + "/score", b" " * (BODY_LIMIT + 1))
    assert status == 413
    assert str(BODY_LIMIT) in problem["error"]


def raw_request(base: str, head: str) -> bytes:
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as connection:
        connection.sendall(head.encode("ascii"))
        chunks = []
        while chunk := connection.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_a_body_without_a_usable_length_is_refused(service: tuple[ModuleType, str]) -> None:
    _, base = service
    answer = raw_request(base, "POST /score HTTP/1.1\r\nHost: x\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 411")
    answer = raw_request(base, "POST /score HTTP/1.1\r\nHost: x\r\nContent-Length: -3\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 400")
    answer = raw_request(base, "POST /score HTTP/1.1\r\nHost: x\r\nContent-Length: ten\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 400")


def test_openapi_describes_both_routes_with_the_librarys_schemas(
    service: tuple[ModuleType, str],
) -> None:
    _, base = service
    status, document = call(base + "/openapi.json", method="GET")
    assert status == 200
    assert document["openapi"].startswith("3.1")
    assert set(document["paths"]) == {"/score", "/gaps"}
    for route in ("/score", "/gaps"):
        responses = document["paths"][route]["post"]["responses"]
        assert {"200", "400", "413", "422"} <= set(responses)
    schemas = document["components"]["schemas"]
    for name in ("Account", "Score", "PortfolioFindings"):
        library = json_schema(name)
        # Every definition of the library's schema is embedded, references moved.
        assert set(library["$defs"]) <= set(schemas)
        envelope = schemas[f"{name}Document"]
        assert envelope["properties"]["data"] == {"$ref": f"#/components/schemas/{name}"}
    # The embedded schemas still validate what the service answers.
    registry_schema = {"$ref": "#/components/schemas/ScoreDocument", **document}
    (score,) = call(base + "/score", request_body(ACCOUNTS[:1]))[1]
    jsonschema.Draft202012Validator(registry_schema).validate(score)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(registry_schema).validate({**score, "type": "Account"})


def test_clashing_definitions_are_refused() -> None:
    module = load_service()
    into = {"Band": {"enum": ["red"]}}
    with pytest.raises(ValueError, match="'Band'"):
        module._hoisted("ScoreDocument", json_schema("Score"), into)


def test_long_values_are_cut_in_problem_documents() -> None:
    module = load_service()
    assert module._shown("x" * 500).endswith("...")
    assert len(module._shown("x" * 500)) == 200


def test_main_serves_until_interrupted(monkeypatch: pytest.MonkeyPatch) -> None:
    module = load_service()
    served = []

    def interrupted(self: Any) -> None:
        served.append(self.server_address[1])
        raise KeyboardInterrupt

    monkeypatch.setattr(module.SuccessKitServer, "serve_forever", interrupted)
    assert module.main(["--port", "0"]) == 0
    assert len(served) == 1
    assert served[0] > 0
