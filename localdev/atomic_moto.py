"""moto's DynamoDB with one request at a time: ``python localdev/atomic_moto.py PORT`` (moto's venv).

moto's threaded server checks a ConditionExpression and applies the update without a
lock, so two concurrent conditional writes can both win (seen about once in a hundred
races). Real DynamoDB, and DynamoDB Local in LocalStack's container, are atomic per item.
scripts/local_aws.sh serves DynamoDB from this serialised moto, so local runs and the
exactly-once tests (which race claims on purpose) see DynamoDB's semantics.

moto's TransactWriteItems also deep-copies each table it touches, once per operation, to
roll back a cancelled transaction: a 100-operation transaction on a table of a few
thousand items took ten seconds, and the batches table's transactions (every row page,
every row move) grew slower with every item stored. Here a transaction backs up only the
items it names and puts them back when it is cancelled (requests are serialised, so
nothing else sees the table meanwhile).
"""

from __future__ import annotations

import copy
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


def _item_level_rollback() -> None:
    """Replace moto's whole-table backup in transact_write_items with a backup of the named items."""
    from moto.dynamodb import models
    from moto.dynamodb.models.table import Table

    class _NoTableCopy:
        """``copy`` for moto's module during a transaction: a table is "copied" as itself."""

        def __getattr__(self, name: str) -> Any:
            return getattr(copy, name)

        @staticmethod
        def deepcopy(obj: Any, memo: Any = None) -> Any:
            return obj if isinstance(obj, Table) else copy.deepcopy(obj, memo)

    original = models.DynamoDBBackend.transact_write_items

    def transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> None:
        saved = []
        for entry in transact_items:
            for op in entry.values():
                try:
                    table = self.get_table(op["TableName"])
                    names = [n for n in (table.hash_key_attr, table.range_key_attr) if n]
                    hash_key, range_key = self.get_keys_value(table, op.get("Key") or {n: op["Item"][n] for n in names})
                except Exception:  # noqa: BLE001, S112 - moto's own code reports a malformed operation
                    continue
                saved.append((table, hash_key, range_key, copy.deepcopy(table.get_item(hash_key, range_key))))
        models.copy = _NoTableCopy()  # type: ignore[assignment]
        try:
            original(self, transact_items)
        except Exception:
            for table, hash_key, range_key, item in reversed(saved):
                where = table.items[hash_key] if range_key else table.items
                key = range_key if range_key else hash_key
                if item is None:
                    where.pop(key, None)
                else:
                    where[key] = item
            raise
        finally:
            models.copy = copy  # type: ignore[assignment]

    models.DynamoDBBackend.transact_write_items = transact_write_items  # type: ignore[method-assign]


def main(port: int) -> None:
    _item_level_rollback()
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
