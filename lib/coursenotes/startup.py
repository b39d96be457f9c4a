"""What the command line does before anything heavy loads: keep imports to what a build uses."""

from __future__ import annotations

import sys

# jsonschema (under nbformat) imports these, when installed, only for string format checks ("uri",
# "color", "duration", ...) that notebook schemas never use: rfc3987_syntax builds a grammar for over a
# second, and the others (arrow and dateutil under isoduration) cost a tenth of one.
UNUSED_FORMAT_CHECKERS = (
    "rfc3987_syntax",
    "rfc3987",
    "rfc3986_validator",
    "rfc3339_validator",
    "fqdn",
    "webcolors",
    "jsonpointer",
    "uri_template",
    "isoduration",
)


def skip_unused_format_checkers() -> None:
    """Mark those modules absent (a module some other import already loaded stays): jsonschema skips their formats."""
    for name in UNUSED_FORMAT_CHECKERS:
        sys.modules.setdefault(name, None)  # type: ignore[arg-type]
