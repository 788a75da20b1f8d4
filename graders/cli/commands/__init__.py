"""CLI commands; see ``graders/cli/__init__.py`` for the protocol."""
