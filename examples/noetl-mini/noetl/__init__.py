"""Miniature NoETL server package used as the build tool's example workspace."""

__version__ = "2.4.0"
