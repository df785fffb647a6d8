"""The `cli` fixture (tests/cli/test_cli.py) for every command-line test module."""

from tests.cli.test_cli import cli

__all__ = ["cli"]
