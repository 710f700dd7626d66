"""ehtui: a keyboard-first terminal application for Early Help practitioners."""

__version__ = "0.1.0"
