"""The one state machine table, with its review step, and what is derived from it."""

from __future__ import annotations

from services.common.job_states import LEASED, SEED_STATUS, STAGE, TERMINAL, TRANSITIONS, JobStatus, predecessors


def test_review_is_entered_from_scraping_or_rendering_and_left_to_scraped_or_failed() -> None:
    """scraping -> review (uncertain facts, policy review), rendering -> review (the price recheck
    found the page's new price uncertain); review -> scraped (an answer) or failed."""
    assert predecessors(JobStatus.REVIEW) == {JobStatus.SCRAPING, JobStatus.RENDERING}
    assert TRANSITIONS[JobStatus.REVIEW] == {JobStatus.SCRAPED, JobStatus.FAILED}
    assert JobStatus.REVIEW in predecessors(JobStatus.SCRAPED)


def test_review_is_neither_leased_nor_terminal() -> None:
    """Nobody's lease holds a job in review, and it is not finished."""
    assert JobStatus.REVIEW not in LEASED and JobStatus.REVIEW not in TERMINAL


def test_every_status_has_a_seed_status_and_a_stage() -> None:
    """The seed path shows review as processing; the v1 stage of review is review."""
    assert set(SEED_STATUS) == set(JobStatus) == set(STAGE) == set(TRANSITIONS)
    assert SEED_STATUS[JobStatus.REVIEW] == "processing" and STAGE[JobStatus.REVIEW] == "review"
    assert set(SEED_STATUS.values()) == {"pending", "processing", "completed", "failed"}
