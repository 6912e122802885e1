"""`import successkit` loads no layer; every public name still resolves on first use."""

from __future__ import annotations

import subprocess
import sys

import pytest

import successkit


def _loaded_after(code: str) -> list[str]:
    probe = (
        f"import sys; {code}; "
        "print(sorted(m for m in sys.modules if m.startswith('successkit.') "
        "and m not in ('successkit._version', 'successkit.errors')))"
    )
    result = subprocess.run(  # noqa: S603 - runs this interpreter on a fixed snippet
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    return eval(result.stdout)  # noqa: S307 - a list literal printed by the probe


def test_import_successkit_loads_only_the_version_and_the_errors():
    assert _loaded_after("import successkit") == []


def test_first_use_of_a_model_name_loads_the_model_not_scoring():
    loaded = _loaded_after("import successkit; successkit.Goal")
    assert "successkit.model" in loaded
    assert not any(m.startswith(("successkit.scoring", "successkit.detection")) for m in loaded)


@pytest.mark.parametrize("name", successkit.__all__)
def test_every_public_name_resolves(name):
    value = getattr(successkit, name)
    assert value is not None
    if isinstance(value, type) and name != "display":
        assert value.__name__ == name


@pytest.mark.parametrize("name", ["model", "scoring", "detection", "serialization", "loaders"])
def test_layers_are_reachable_as_attributes(name):
    assert getattr(successkit, name).__name__ == f"successkit.{name}"


def test_an_unknown_name_is_an_attribute_error_naming_it():
    with pytest.raises(AttributeError, match="no_such_thing"):
        successkit.no_such_thing  # noqa: B018 - the lookup is the test


def test_dir_lists_the_public_names():
    assert dir(successkit) == sorted(successkit.__all__)
