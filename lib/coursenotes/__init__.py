"""coursenotes: a static course-notes blog whose posts run their code at build time."""

__version__ = "0.1.0"
