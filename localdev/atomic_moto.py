"""moto's DynamoDB with one request at a time: ``python localdev/atomic_moto.py PORT`` (moto's venv).

moto's threaded server checks a ConditionExpression and applies the update without a
lock, so two concurrent conditional writes can both win (seen about once in a hundred
races). Real DynamoDB, and DynamoDB Local in LocalStack's container, are atomic per item.
scripts/local_aws.sh serves DynamoDB from this serialised moto, so local runs and the
exactly-once tests (which race claims on purpose) see DynamoDB's semantics.
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Callable, Iterable
from typing import Any

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import WSGIRequestHandler, make_server


class _Quiet(WSGIRequestHandler):
    def log_request(self, *args: Any, **kwargs: Any) -> None:  # one line per call would drown the logs
        pass


def main(port: int) -> None:
    app = DomainDispatcherApplication(create_backend_app)
    lock = threading.Lock()

    def serialised(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        with lock:
            return list(app(environ, start_response))

    server = make_server("127.0.0.1", port, serialised, threaded=True, request_handler=_Quiet)
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    server.serve_forever()


if __name__ == "__main__":
    main(int(sys.argv[1]))
