"""Staffroom: a professional learning network server for teachers."""

__version__ = "0.1.0"
