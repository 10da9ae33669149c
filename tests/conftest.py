import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "data" / "corpus"
# The contract lives beside the repo (../shared/contract); CI copies shared/ there too.
CONTRACT = ROOT.parent / "shared" / "contract"


def graph_counts(store, read_only: bool = True) -> dict[str, int]:
    """Triples per source graph of a store directory, as a reader (or, ``read_only=False``, the
    next writer, which first rolls back an interrupted bulk load) sees them."""
    from graph.store import open_store
    with open_store(store, read_only=read_only) as st:
        return {g: st.count(g) for g in st.graphs()}


def seed(prefix: str) -> Path:
    """A bundled seed file by its number prefix, e.g. seed("004")."""
    return next(CORPUS.glob(f"{prefix}_*.txt"))


@pytest.fixture(scope="session")
def schema():
    """Validator factory for shared/contract/<name>.schema.json."""
    jsonschema = pytest.importorskip("jsonschema")

    def check(name: str, obj) -> None:
        path = CONTRACT / f"{name}.schema.json"
        if not path.exists():
            path = ROOT / "tests" / "contract" / f"{name}.schema.json"
        jsonschema.validate(obj, json.loads(path.read_text(encoding="utf-8")))
    return check
