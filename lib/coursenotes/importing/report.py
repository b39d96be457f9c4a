"""What an import did, file by file, and what it could not convert."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ImportReport:
    """Files written, left alone, or kept because the author edited them; conversions made and refused."""

    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # edited since the last import: not overwritten
    converted: list[str] = field(default_factory=list)  # `path: what was converted`
    not_converted: list[str] = field(default_factory=list)  # `path:line: what was left as it was, and why`

    def lines(self) -> list[str]:
        """The report as the CLI prints it."""
        out = [f"wrote {path}" for path in self.written]
        out += [f"kept {path}: you edited it since the last import; delete it to import it again" for path in self.kept]
        out += [f"converted {item}" for item in self.converted]
        out += [f"not converted {item}" for item in self.not_converted]
        summary = f"{len(self.written)} written, {len(self.unchanged)} unchanged, {len(self.kept)} kept"
        return [*out, f"{summary}, {len(self.not_converted)} thing(s) to convert by hand"]
