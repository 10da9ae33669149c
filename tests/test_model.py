from ingest.model import Para, line_at


def test_para_line_of_maps_offsets_back():
    p = Para("第一行第二行", "第一行第二行", 5, 6, None, ((0, 5), (3, 6)))
    assert [p.line_of(i) for i in range(6)] == [5, 5, 5, 6, 6, 6]
    assert line_at((), 3) is None
