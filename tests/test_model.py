import doctest

import ingest.errors
import ingest.model
import ingest.patterns
from ingest.model import Para, line_at


def test_doctests():
    for mod in (ingest.model, ingest.patterns, ingest.errors):
        assert doctest.testmod(mod).failed == 0


def test_para_line_of_maps_offsets_back():
    p = Para("第一行第二行", "第一行第二行", 5, 6, None, ((0, 5), (3, 6)))
    assert [p.line_of(i) for i in range(6)] == [5, 5, 5, 6, 6, 6]
    assert line_at((), 3) is None
