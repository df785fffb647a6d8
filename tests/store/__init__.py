"""Unit tests of store/: the rules, the model, import and export, on a fixed clock."""
