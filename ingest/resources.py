"""The package data — data/ of the repository: rules, SHACL shapes, the ontology, example profiles and
the bundled corpus — found through importlib.resources, never through a path relative to a module.

data/ is a package (data/__init__.py): a source checkout on sys.path imports it as ``data``; a wheel
or an editable install carries it as ``policygraph_data`` (pyproject.toml, package-dir). The
checkout's own copy comes first, so a checkout run in place (PYTHONPATH) reads its own rules even
where another copy of policygraph is installed.
"""
from __future__ import annotations

import os
from contextlib import AbstractContextManager
from functools import lru_cache
from importlib import import_module, resources
from importlib.resources.abc import Traversable
from pathlib import Path

PACKAGES = ("data", "policygraph_data")  # the checkout's data/, then the installed package


@lru_cache(maxsize=1)
def data_package() -> str:
    """The importable name of the package data (see the module's docstring).

    >>> data_package() in PACKAGES
    True
    """
    for name in PACKAGES:
        try:
            module = import_module(name)
        except ImportError:
            continue
        if getattr(module, "POLICYGRAPH_DATA", False):  # not some other ``data`` (a folder on sys.path)
            return name
    raise ModuleNotFoundError("policygraph's package data is missing (neither data/ of a source checkout "
                              "nor the installed policygraph_data): reinstall policygraph")


def data_file(*parts: str) -> Traversable:
    """A file or folder of the package data, e.g. ``data_file("rules", "furniture.yaml")``.

    >>> data_file("rules", "furniture.yaml").is_file()
    True
    """
    return resources.files(data_package()).joinpath(*parts)


def data_path(*parts: str) -> AbstractContextManager[Path]:
    """A context giving a real file-system path of package data (for code that needs a path:
    the parsing workers, rdflib), extracted to a temporary place only if the package is zipped."""
    return resources.as_file(data_file(*parts))


@lru_cache(maxsize=None)
def rules(name: str) -> dict:
    """The parsed ``data/rules/<name>.yaml`` (read once per process; do not modify it); raises
    ValueError naming the file when it is missing or not a mapping.

    >>> rules("furniture") is rules("furniture")
    True
    >>> rules("no_such_rules")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: .../rules/no_such_rules.yaml: cannot load rules: ...
    """
    import yaml  # here: the command line starts without it
    where = data_file("rules", f"{name}.yaml")
    try:
        text = where.read_text(encoding="utf-8")  # libyaml's C loader where built: same results, ~10x faster
        data = yaml.load(text, Loader=yaml.CSafeLoader) if hasattr(yaml, "CSafeLoader") else yaml.safe_load(text)
    except (OSError, yaml.YAMLError) as e:
        raise ValueError(f"{where}: cannot load rules: {e}") from e
    if not isinstance(data, dict):
        raise ValueError(f"{where}: expected a mapping at the top, got {type(data).__name__}")
    return data


def default_store() -> str:
    """POLICYGRAPH_STORE, else data/store of a source checkout (run in place or installed
    editable), else — an installed wheel, whose package folder is no place for a database — the
    user's data folder: $XDG_DATA_HOME/policygraph/store (~/.local/share/policygraph/store)."""
    if os.environ.get("POLICYGRAPH_STORE"):
        return os.environ["POLICYGRAPH_STORE"]
    with data_path() as root:
        if (root.parent / "pyproject.toml").is_file():  # data/ beside the project file: a checkout
            return str(root / "store")
    home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return str(Path(home) / "policygraph" / "store")
