"""Batch counts stay exact when job events repeat, arrive late or belong to an old attempt."""

from __future__ import annotations

from services.batcher.counting import move_for, status_for_event
from services.common.batch import empty_counts


def _apply(counts: dict[str, int], item: list[object], observed: str, attempt: int) -> None:
    """What the store does in one transaction: conditional item write + count move."""
    move = move_for(str(item[0]), int(str(item[1])), observed, attempt)
    if move is None:
        return
    counts[move.from_] -= 1
    counts[move.to] += 1
    item[0], item[1] = move.to, move.attempt


def test_repeated_and_out_of_order_events_count_each_item_once() -> None:
    """Completed arriving before scraped, and each event twice, still leaves one completed item."""
    counts = empty_counts() | {"queued": 1}
    item: list[object] = ["queued", 0]
    for observed in ["pending", "completed", "scraped", "completed", "pending", "scraped"]:
        _apply(counts, item, observed, 1)
    assert item == ["completed", 1]
    assert counts["completed"] == 1
    assert sum(counts.values()) == 1
    assert all(v >= 0 for v in counts.values())


def test_a_retry_moves_a_failed_item_back_and_old_attempt_events_are_ignored() -> None:
    """Attempt 2's pending beats attempt 1's failed; a late attempt-1 event changes nothing."""
    assert move_for("failed", 1, "pending", 2) is not None
    assert move_for("pending", 2, "completed", 1) is None


def test_a_move_into_a_finished_state_is_marked_as_finishing() -> None:
    """Only the move from unfinished to finished grows ``done`` (and may complete the batch)."""
    move = move_for("rendering", 1, "failed", 1)
    assert move is not None and move.finishes
    again = move_for("failed", 1, "pending", 2)
    assert again is not None and not again.finishes


def test_a_cancelled_item_never_moves_again() -> None:
    """A cancelled item had no job, so no event can move it."""
    assert move_for("cancelled", 0, "pending", 1) is None


def test_job_events_map_to_item_statuses() -> None:
    """The batch follows the five job events; others are ignored."""
    assert status_for_event("ProductImageGenerated") == "completed"
    assert status_for_event("JobFailed") == "failed"
    assert status_for_event("BatchCompleted") is None
