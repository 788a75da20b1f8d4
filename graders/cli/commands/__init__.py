"""CLI commands; see ``graders/cli.py`` for the protocol."""
