"""The example service on an ASGI stack: Starlette, served by uvicorn.

The same routes, validation and OpenAPI document as ``examples/service.py``
(whose request reading, refusals and OpenAPI builder it reuses), on the stack
people use to put a library behind an API:

- ``POST /score``: body ``{"as_of": "2026-11-24T12:00:00+00:00", "accounts": [...]}``;
  answers a JSON list of Score documents, one per account, in order.
- ``POST /gaps``: the same body; answers one PortfolioFindings document.
- ``GET /openapi.json``: the OpenAPI 3.1 description.

Refusals answer ``{"error": ...}``: 422 with every offending field, 400 for a
body that is not JSON, 411 without ``Content-Length``, 413 above the size limit,
404 for an unknown path, 405 for the wrong method.

Scoring is CPU work: each request runs it in Starlette's thread pool, so the
event loop keeps accepting connections while an answer is computed.

Needs the ``service`` extra (``python -m pip install ".[service]"`` from a
checkout). Run it with ``python examples/asgi_service.py --port 8000``, or
``uvicorn asgi_service:app`` from the ``examples`` folder.
"""

from __future__ import annotations

import argparse
import importlib.util
import socket
import sys
import threading
import time
from collections.abc import Awaitable, Callable, Sequence
from http import HTTPStatus
from pathlib import Path
from types import ModuleType
from typing import Any

try:
    import uvicorn
    from starlette.applications import Starlette
    from starlette.concurrency import run_in_threadpool
    from starlette.exceptions import HTTPException
    from starlette.requests import Request
    from starlette.responses import JSONResponse, Response
    from starlette.routing import Route
except ImportError:  # pragma: no cover - exercised by hand
    sys.exit(
        "this example needs the 'service' extra (Starlette and uvicorn): "
        'python -m pip install ".[service]" from a checkout of successkit'
    )

from successkit.errors import ValidationError


def _load_shared() -> ModuleType:
    """The framework-free parts of ``service.py``, which sits next to this file."""
    name = "successkit_example_service_core"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name("service.py"))
    if spec is None or spec.loader is None:  # pragma: no cover - the file ships with this one
        msg = "examples/service.py is missing"
        raise ImportError(msg)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


shared = _load_shared()
MAX_BODY_BYTES: int = shared.MAX_BODY_BYTES

Endpoint = Callable[[Request], Awaitable[Response]]


def _refusal(status: HTTPStatus, message: str, **headers: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=headers or None)


def _post_route(route: Callable[[Any], Any], max_body_bytes: int) -> Endpoint:
    async def endpoint(request: Request) -> Response:
        length_text = request.headers.get("content-length")
        if length_text is None:
            return _refusal(HTTPStatus.LENGTH_REQUIRED, "a Content-Length header is required")
        if not length_text.isdigit():
            return _refusal(HTTPStatus.BAD_REQUEST, f"bad Content-Length: {length_text}")
        if int(length_text) > max_body_bytes:
            return _refusal(
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                f"the body has {length_text} bytes, the limit is {max_body_bytes}",
                connection="close",
            )
        body = await request.body()
        try:
            # Parsing, validating and scoring are CPU work: off the event loop.
            result = await run_in_threadpool(lambda: route(shared.parse_body(body)))
        except shared.RequestError as error:
            return _refusal(error.status, error.message)
        except ValidationError as error:
            return JSONResponse(
                shared.problem_document(error), status_code=HTTPStatus.UNPROCESSABLE_ENTITY
            )
        return JSONResponse(result)

    return endpoint


async def _openapi(_request: Request) -> Response:
    return JSONResponse(shared.openapi_document())


async def _http_error(request: Request, error: Exception) -> Response:
    status = error.status_code if isinstance(error, HTTPException) else 500
    if status == HTTPStatus.METHOD_NOT_ALLOWED:
        allow = "GET" if request.url.path == "/openapi.json" else "POST"
        return _refusal(HTTPStatus.METHOD_NOT_ALLOWED, f"use {allow}", allow=allow)
    if status == HTTPStatus.NOT_FOUND:
        return _refusal(HTTPStatus.NOT_FOUND, f"no such path: {request.url.path}")
    return _refusal(HTTPStatus(status), HTTPStatus(status).phrase.lower())


def create_app(*, max_body_bytes: int = MAX_BODY_BYTES) -> Starlette:
    """The ASGI application.

    Args:
        max_body_bytes: bodies larger than this are refused with 413.
    """
    return Starlette(
        routes=[
            Route("/score", _post_route(shared.score, max_body_bytes), methods=["POST"]),
            Route("/gaps", _post_route(shared.gaps, max_body_bytes), methods=["POST"]),
            Route("/openapi.json", _openapi, methods=["GET"]),
        ],
        exception_handlers={HTTPException: _http_error},
    )


app = create_app()
"""The application ``uvicorn asgi_service:app`` serves."""


class RunningService:
    """A uvicorn server answering on a background thread; stop it with :meth:`stop`."""

    def __init__(self, application: Starlette, host: str = "127.0.0.1", port: int = 0) -> None:
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind((host, port))
        self.host, self.port = self._socket.getsockname()[:2]
        config = uvicorn.Config(application, log_level="warning", lifespan="off")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, daemon=True
        )

    @property
    def url(self) -> str:
        """The base address, e.g. ``http://127.0.0.1:51234``."""
        return f"http://{self.host}:{self.port}"

    def start(self, timeout: float = 10.0) -> RunningService:
        """Serve on the background thread; return once the server accepts connections."""
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                self.stop()
                msg = f"the service did not start within {timeout} s"
                raise RuntimeError(msg)
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        """Finish the requests under way, then stop serving and close the socket."""
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._socket.close()


def main(argv: Sequence[str] | None = None) -> int:
    """Serve until interrupted: ``python examples/asgi_service.py --port 8000``."""
    parser = argparse.ArgumentParser(description="successkit example ASGI service")
    parser.add_argument("--host", default="127.0.0.1", help="address (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    parser.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    args = parser.parse_args(argv)
    if args.workers > 1:
        # Several processes need the application by its import string.
        sys.path.insert(0, str(Path(__file__).parent))
        uvicorn.run("asgi_service:app", host=args.host, port=args.port, workers=args.workers)
    else:
        uvicorn.run(app, host=args.host, port=args.port)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
