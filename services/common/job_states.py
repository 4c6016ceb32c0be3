"""The job state machine: the one place that says which moves are allowed.

    pending ──▶ scraping ──▶ scraped ──▶ rendering ──▶ completed
       │           │  ▲         │            │
       │           ▼  │         │            │
       │          review ◀──────┼────────────┤
       │           │            │            │
       └───────────┴────────────┴────────────┴──▶ failed

A job given product data up front (no scraping) is created ``scraped``. A scraped job
whose printed facts are uncertain, under the caller's ``onUncertain: review`` policy, waits
in ``review`` until a person answers (``review`` -> ``scraped``) or its review deadline
passes or it is cancelled (``review`` -> ``failed``); nobody holds it, so it is not leased.
The renderer sends a job back to ``review`` (``rendering`` -> ``review``) when it re-reads an
aged page before printing and the page's price changed into one the policy puts in question
(the price against the page, docs/rendering.md). ``scraping`` and
``rendering`` are *leased* states: a worker holds the job until ``leaseExpiresAt``; when a
worker dies, the job can be claimed again once its lease has expired. ``failed`` goes
back to ``pending`` only through an explicit retry, which starts a new ``attempt``; every
message carries the attempt it belongs to, so a late message from an old attempt can
never move the new one.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "JobStatus",
    "TRANSITIONS",
    "LEASED",
    "TERMINAL",
    "SEED_STATUS",
    "STAGE",
    "predecessors",
    "advance_sources",
]


class JobStatus(StrEnum):
    PENDING = "pending"
    SCRAPING = "scraping"
    REVIEW = "review"
    SCRAPED = "scraped"
    RENDERING = "rendering"
    COMPLETED = "completed"
    FAILED = "failed"


TRANSITIONS: dict[JobStatus, frozenset[JobStatus]] = {
    JobStatus.PENDING: frozenset({JobStatus.SCRAPING, JobStatus.SCRAPED, JobStatus.FAILED}),
    JobStatus.SCRAPING: frozenset({JobStatus.SCRAPED, JobStatus.REVIEW, JobStatus.FAILED}),
    JobStatus.REVIEW: frozenset({JobStatus.SCRAPED, JobStatus.FAILED}),
    JobStatus.SCRAPED: frozenset({JobStatus.RENDERING, JobStatus.FAILED}),
    JobStatus.RENDERING: frozenset({JobStatus.COMPLETED, JobStatus.REVIEW, JobStatus.FAILED}),
    JobStatus.COMPLETED: frozenset(),
    JobStatus.FAILED: frozenset(),
}

LEASED: frozenset[JobStatus] = frozenset({JobStatus.SCRAPING, JobStatus.RENDERING})
TERMINAL: frozenset[JobStatus] = frozenset({JobStatus.COMPLETED, JobStatus.FAILED})

# The seed API's four statuses (GET /generative-ai-images/status/{jobId}).
SEED_STATUS: dict[JobStatus, str] = {
    JobStatus.PENDING: "pending",
    JobStatus.SCRAPING: "processing",
    JobStatus.REVIEW: "processing",  # the seed's clients know no review step; their jobs never use one
    JobStatus.SCRAPED: "processing",
    JobStatus.RENDERING: "processing",
    JobStatus.COMPLETED: "completed",
    JobStatus.FAILED: "failed",
}

# The pipeline stage a status belongs to (also the ``stage`` of a failure).
STAGE: dict[JobStatus, str] = {
    JobStatus.PENDING: "queued",
    JobStatus.SCRAPING: "scrape",
    JobStatus.REVIEW: "review",
    JobStatus.SCRAPED: "render",
    JobStatus.RENDERING: "render",
    JobStatus.COMPLETED: "done",
    JobStatus.FAILED: "done",
}


def advance_sources(to: JobStatus, from_: JobStatus | None = None) -> frozenset[JobStatus]:
    """The states a forward move to ``to`` may start from: ``from_`` alone when given (a
    person's review answer moves a job out of review only), else any predecessor but failed."""
    if from_ is not None:
        if to not in TRANSITIONS[from_]:
            raise ValueError(f"{from_} cannot move to {to}")
        return frozenset({from_})
    return predecessors(to) - {JobStatus.FAILED}


def predecessors(dst: JobStatus) -> frozenset[JobStatus]:
    """Every status from which ``dst`` may be reached in one move."""
    return frozenset(src for src, dsts in TRANSITIONS.items() if dst in dsts)
