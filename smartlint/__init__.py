"""smartlint: a linter for Marketo smart lists."""

__version__ = "0.1.0"
