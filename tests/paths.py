"""Where the tests find the project, their fixtures and the shared import corpus."""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent  # the project's checkout
FIXTURES = TESTS / "fixtures"
IMPORT_FIXTURES = FIXTURES / "import"
# Real contact exports beside the checkout (not part of the project; some are GPL).
CORPUS = ROOT.parent / "shared" / "import-corpus"
