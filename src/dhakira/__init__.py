"""Dhakira (ذاكرة): secure documentation and evidence for human-rights documenters."""

__version__ = "0.1.0"
