"""``gc_paused``: cyclic GC off while building many acyclic objects (its own module, so that the
question layer can use it without importing the RDF loader and rdflib)."""
from __future__ import annotations

import gc
from contextlib import contextmanager


@contextmanager
def gc_paused():
    """Cyclic GC off while building: the model is acyclic, and at 10k documents the collector
    would otherwise rescan millions of fresh objects over and over."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
