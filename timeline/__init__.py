"""timeline: a curated, cited chronology, read and exported from the command line."""

__version__ = "0.1.0"
