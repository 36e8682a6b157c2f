"""Single source of the package version (read by pyproject and written to every manifest)."""

__version__ = "0.1.0"
