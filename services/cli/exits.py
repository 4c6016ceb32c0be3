"""The exit codes of ``productshot`` (documented in --help and docs/cli.md)."""

from __future__ import annotations

OK = 0  # success (a batch: every item completed)
FAILED = 1  # the job failed, or the batch failed / was cancelled
USAGE = 2  # bad arguments, unreadable input or config file
API = 3  # the API refused (problem+json), auth failed, or it could not be reached
TIMEOUT = 4  # --timeout passed before the job or batch reached a terminal state
PARTIAL = 5  # batch completed but some items failed or were cancelled
INTERRUPTED = 130  # Ctrl-C; the job or batch keeps running server-side

HELP = ("Exit codes: 0 success; 1 job/batch failed; 2 usage error; 3 API, auth or network error; "
        "4 timed out waiting; 5 batch completed with failed items; 130 interrupted (Ctrl-C).")
