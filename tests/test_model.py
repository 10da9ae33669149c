from ingest.model import Para, line_at


def test_para_line_of_maps_offsets_back():
    p = Para("第一行第二行", "第一行第二行", 5, 6, None, ((0, 5), (3, 6)))
    assert [p.line_of(i) for i in range(6)] == [5, 5, 5, 6, 6, 6]
    assert line_at((), 3) is None


def test_ingest_error_survives_pickling_to_worker_processes():
    import pickle

    from ingest.errors import IngestError
    e = pickle.loads(pickle.dumps(IngestError("政策 文件.pdf", "page 3", "no text layer")))
    assert (e.file, e.place, e.problem) == ("政策 文件.pdf", "page 3", "no text layer")
    assert str(e) == "政策 文件.pdf (page 3): no text layer"
