"""The apps depend one way: the import contract in pyproject.toml holds (as `make lint`
checks it)."""

from pathlib import Path

import pytest

cli = pytest.importorskip("importlinter.cli", reason="import-linter is in the dev extras")

ROOT = Path(__file__).resolve().parent.parent


def test_the_apps_depend_one_way(monkeypatch):
    monkeypatch.chdir(ROOT)
    status = cli.lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True)
    assert status == cli.EXIT_STATUS_SUCCESS
