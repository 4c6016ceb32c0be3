"""The QA report: each check of an image, its score, its threshold, and what was done.

Stored with the job (``qa``), shown on ``GET /v1/jobs/{id}`` and carried by the
``ProductImageGenerated`` event, so a person can see why an image was published as it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["CheckResult", "QAReport", "ACTIONS"]

# What the gate did about an image: nothing, re-laid its text on a stronger backdrop,
# asked the model again, composited the real product photo, skipped a check it cannot run,
# or failed the job.
ACTIONS = ("none", "relaid", "regenerated", "composited", "skipped", "failed")


@dataclass(frozen=True, slots=True)
class CheckResult:
    """One measurement against its threshold. ``higher_is_better`` says which way passes."""

    check: str  # "ocr.price", "ocr.currency", "ocr.offer", "ocr.name", "fidelity.inliers", ...
    score: float | None  # None when the check could not run (see ``note``)
    threshold: float
    passed: bool
    higher_is_better: bool = True
    note: str = ""  # what was expected and read, or why it was skipped

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"check": self.check, "score": None if self.score is None else round(self.score, 4),
                                "threshold": self.threshold, "passed": self.passed,
                                "direction": "min" if self.higher_is_better else "max"}
        if self.note:
            data["note"] = self.note[:300]
        return data


@dataclass(slots=True)
class QAReport:
    """The checks of one stored image (or of the scene all of a job's images share)."""

    subject: str  # "scene" or a format ("square", ...)
    checks: list[CheckResult] = field(default_factory=list)
    action: str = "none"
    passed: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {"subject": self.subject, "passed": self.passed, "action": self.action,
                "checks": [c.to_dict() for c in self.checks]}

    @staticmethod
    def all_passed(checks: list[CheckResult]) -> bool:
        return all(c.passed for c in checks)


def qa_document(reports: list[QAReport], price_recheck: dict[str, Any] | None = None) -> dict[str, Any]:
    """The ``qa`` field of the job and of ProductImageGenerated: every report, the verdict, and
    the price recheck's entry (quality/price_recheck.py) when there was one."""
    document: dict[str, Any] = {"passed": all(r.passed for r in reports), "images": [r.to_dict() for r in reports]}
    if price_recheck is not None:
        document["priceRecheck"] = price_recheck
    return document


def failure_reason(failed: list[QAReport]) -> str:
    """One sentence a person can act on, naming each failed image and check."""
    parts = []
    for report in failed:
        checks = [c for c in report.checks if not c.passed and not c.check.endswith(".first")]
        named = "; ".join(f"{c.check} {c.note}" if c.note else c.check for c in checks)
        parts.append(f"{report.subject}: {named or 'check failed'}")
    return "quality gate: " + " | ".join(parts)


def cached_scene_report(qa: dict[str, Any] | None) -> QAReport:
    """The scene's report stored when the (cached) scene was generated and gated."""
    for image in (qa or {}).get("images") or []:
        if image.get("subject") == "scene":
            checks = [CheckResult(c["check"], c.get("score"), c["threshold"], c["passed"],
                                  c.get("direction", "min") == "min", c.get("note", ""))
                      for c in image.get("checks") or []]
            return QAReport("scene", checks, str(image.get("action", "none")), bool(image.get("passed", True)))
    return QAReport("scene", [CheckResult("fidelity", None, 0.0, True, note="skipped: cached scene, no report")],
                    "skipped")
