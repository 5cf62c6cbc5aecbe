"""``pipeline check``'s report of one file: what held, what did not, and the
judges that were not there."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

RTL_LANGUAGES = ("ar", "he", "fa", "ur", "ps", "sd", "ug", "yi", "dv", "ckb")


@dataclass
class Report:
    path: Path
    problems: list[str] = field(default_factory=list)
    """Why the file is not ready; empty when it is."""
    passed: list[str] = field(default_factory=list)
    """What was checked and held."""
    skipped: list[str] = field(default_factory=list)
    """Judges that are not installed, with how to install them."""

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict:
        return {**asdict(self), "path": str(self.path), "ok": self.ok}

    def lines(self) -> list[str]:
        """The one-line summary, then every problem on its own line."""
        details = self.problems if len(self.problems) > 1 else []
        return [self.line(), *(f"  {problem}" for problem in details)]

    def line(self) -> str:
        if self.problems:
            return f"{self.path}: FAILED — {self.problems[0]}" + (
                f" (and {len(self.problems) - 1} more)" if len(self.problems) > 1 else "")
        text = f"{self.path}: ok — " + "; ".join(self.passed)
        if self.skipped:
            text += " — skipped: " + "; ".join(self.skipped)
        return text
