"""ingest.readers: every format read into physical lines (+ pages), every bad input an IngestError."""
from __future__ import annotations

import re
import shutil
import subprocess
import zipfile

import pytest

import docgen
from ingest import readers_pdf
from ingest.errors import IngestError
from ingest.readers import read_file
from ingest.readers_text import NOT_TEXT

TABLE = [("序号", "平台类别", "奖补金额"), ("1", "国家级重点实验室", "500万元"), ("2", "省级技术创新中心", "100万元")]
TITLE = "青岛市人民政府"
FOOTER = re.compile(r"—\s*\d+\s*—")


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def body_text(raw) -> str:
    """A PDF's text without its page footers, whitespace removed."""
    return squash("".join(line for line in raw.lines if not FOOTER.fullmatch(line.strip())))


@pytest.fixture(scope="module")
def seed():
    return docgen.seed_text("000", 3000)


@pytest.fixture(scope="module")
def pdfs(seed, tmp_path_factory):
    """The same seed text as a TrueType (UMing) and a CFF (Noto) PDF with footers and a table."""
    out = tmp_path_factory.mktemp("pdf")
    made = {}
    for font in ("uming", "noto"):
        try:
            made[font] = docgen.make_pdf(seed, out / f"{font}.pdf", font=font,
                                         letter_spaced_title=TITLE, table_rows=TABLE)
        except FileNotFoundError as e:
            pytest.skip(str(e))
    return made


def raises_naming(path, *fragments, **kw):
    with pytest.raises(IngestError) as info:
        read_file(path, **kw)
    message = str(info.value)
    assert str(path) in message
    for fragment in fragments:
        assert fragment in message, message
    return info.value


# ---------------------------------------------------------------- text files

def test_txt_lines_are_the_files_lines(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes("第一行\r\n第二行\r第三行\n\n第五行\x0c续\n".encode())
    raw = read_file(path)
    assert raw.lines == ("第一行", "第二行", "第三行", "", "第五行\x0c续")
    assert raw.pages == (None,) * 5 and raw.format == "txt" and raw.encoding == "utf-8"


def test_seed_txt_line_numbers_match_the_file(seed, tmp_path):
    path = tmp_path / "seed.md"
    path.write_text(seed + "\n", encoding="utf-8")  # a final newline ends the last line
    raw = read_file(path)
    assert raw.format == "md"
    assert list(raw.lines) == seed.split("\n")


@pytest.mark.parametrize("encoding, kw, label", [
    ("gbk", {}, "gbk"),
    ("big5", {"traditional": True}, "big5"),
    ("utf-16-le", {"bom": True}, "utf-16-le"),
    ("utf-16-be", {"bom": True}, "utf-16-be"),
    ("utf-16-le", {}, "utf-16-le"),
    ("utf-16-be", {}, "utf-16-be"),
    ("utf-8", {"bom": True}, "utf-8-sig"),
])
def test_encodings_round_trip(seed, tmp_path, encoding, kw, label):
    path = tmp_path / f"{encoding}.txt"
    written = docgen.write_encoded(seed, path, encoding, **kw)
    raw = read_file(path)
    assert raw.encoding == label
    assert raw.lines == tuple(written.split("\n"))


def test_gb18030_beyond_gbk(tmp_path):
    path = tmp_path / "gb18030.txt"
    docgen.write_encoded("第一条 㐀字在GBK之外。\n第二条 本办法自发布之日起施行。", path, "gb18030")
    raw = read_file(path)
    assert raw.encoding == "gb18030" and raw.lines[0] == "第一条 㐀字在GBK之外。"


def test_mixed_encodings_name_the_first_bad_byte(seed, tmp_path):
    path = tmp_path / "mixed.txt"
    head = seed[:300].encode("utf-8")
    path.write_bytes(head + seed[300:900].encode("gbk"))
    error = raises_naming(path, NOT_TEXT)
    assert error.place == f"byte {len(head)}"


def test_utf8_cut_mid_character_keeps_the_rest(tmp_path):
    path = tmp_path / "cut.txt"
    path.write_bytes("第一条\n第二条".encode()[:-1])
    raw = read_file(path)
    assert raw.lines == ("第一条", "第二") and "incomplete UTF-8" in raw.warnings[0]


@pytest.mark.parametrize("name", ["garbage.txt", "garbage.md"])
def test_binary_garbage_with_a_text_name(tmp_path, name):
    raises_naming(docgen.write_garbage(tmp_path / name), "binary data")


def test_control_bytes_without_nul_are_binary(tmp_path):
    path = tmp_path / "ctrl.txt"
    path.write_bytes(bytes(range(1, 32)) * 50)
    raises_naming(path, "binary data")


def test_huge_single_line(tmp_path):
    path = tmp_path / "huge.txt"
    path.write_text("科技" * 1_000_000, encoding="utf-8")
    assert [len(line) for line in read_file(path).lines] == [2_000_000]


@pytest.mark.parametrize("name", ["empty.txt", "empty.pdf", "empty.docx", "empty.html"])
def test_zero_byte_files(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"")
    raises_naming(path, "empty file")


def test_unsupported_extension_is_quoted(tmp_path):
    path = tmp_path / "policy.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    raises_naming(path, "'.doc'")


def test_missing_file(tmp_path):
    raises_naming(tmp_path / "nope.txt", "cannot read file")


# ---------------------------------------------------------------- PDF

def test_truetype_and_cff_pdfs_read_the_same_text(pdfs, seed):
    uming, noto = read_file(pdfs["uming"]), read_file(pdfs["noto"])
    assert uming.format == noto.format == "pdf"
    assert body_text(uming) == body_text(noto)
    # the letter-spaced title comes out without spurious spaces; then the seed, then the table
    assert uming.lines[0] == TITLE
    table_lines = ["\t".join(row) for row in TABLE]
    assert list(uming.lines[-4:-1]) == list(noto.lines[-4:-1]) == table_lines
    assert body_text(uming) == squash(TITLE + seed + "".join(table_lines))


def test_cff_fixture_is_the_pdfminer_empty_case(pdfs):
    """Proves the Noto fixture exercises the bug read_file must survive (pdfminer.six#1072)."""
    import pdfplumber

    with pdfplumber.open(pdfs["noto"]) as pdf:
        assert not (pdf.pages[0].extract_text() or "").strip()
    assert squash(read_file(pdfs["noto"]).lines[1])


def test_pdf_pages_recorded(pdfs):
    import pypdfium2 as pdfium

    for path in pdfs.values():
        raw = read_file(path)
        n = len(pdfium.PdfDocument(str(path)))
        assert n >= 3 and len(raw.pages) == len(raw.lines)
        assert list(raw.pages) == sorted(raw.pages) and raw.pages[0] == 1 and raw.pages[-1] == n
        footers = [(line, page) for line, page in zip(raw.lines, raw.pages) if FOOTER.fullmatch(line)]
        assert [f"— {page} —" for _, page in footers] == [line for line, _ in footers]
        assert len(footers) == n


def test_pdfium_empty_page_falls_back_to_pdfminer(pdfs, monkeypatch):
    reference = read_file(pdfs["uming"])
    monkeypatch.setattr(readers_pdf, "_pdfium_text", lambda textpage: "")
    raw = read_file(pdfs["uming"])
    assert any("text from pdfminer" in w for w in raw.warnings)
    # pdfminer spaces out the letter-spaced title; squashed, the text is the same
    assert body_text(raw) == body_text(reference)


@pytest.mark.parametrize("finder", ["pdfium", "pdfplumber"])
def test_table_finders_agree(tmp_path, monkeypatch, finder):
    monkeypatch.setattr(readers_pdf, "TABLE_FINDER", finder)
    rows = TABLE + [("3", "市级新型研发机构（含高校、科研院所与企业共建的各类研发平台）" * 2, "50万元")]
    box = "专栏1 重点实验室建设\n到2028年，新建省级以上重点实验室20家。"
    raw = read_file(docgen.make_pdf("第一条 平台奖补。", tmp_path / "t.pdf", table_rows=rows, framed_box=box))
    tabbed = [line for line in raw.lines if "\t" in line]
    # the wrapped CJK cell comes back in one piece; the framed 专栏 box is text, not a table
    assert tabbed == ["\t".join(r) for r in rows]
    assert "专栏1 重点实验室建设" in raw.lines


def test_text_layer_that_decodes_to_nothing_is_an_error(pdfs, monkeypatch):
    """Text objects, but neither extractor gets text from them: an error, never a silent empty."""
    monkeypatch.setattr(readers_pdf, "_pdfium_text", lambda textpage: "")
    monkeypatch.setattr(readers_pdf, "_plumber_text", lambda path, pages, warnings: {i: "" for i in pages})
    raises_naming(pdfs["noto"], "no text found")


def test_500_page_pdf(tmp_path):
    text = "\n".join(f"第{k}条 给予最高{k}万元奖补。" for k in range(1, 501))
    raw = read_file(docgen.make_pdf(text, tmp_path / "long.pdf", page_break_every=1))
    assert raw.pages[-1] == 500 and raw.lines[-2] == "第500条 给予最高500万元奖补。"


def test_long_pdf_read_in_two_processes_is_read_the_same(tmp_path, monkeypatch):
    """forks=2 reads the later half of the pages in a forked process: same lines, pages, tables and
    fallback warnings as one process (pdfium's text patched away on two pages, one in each half)."""
    text = "\n".join(f"第{k}条 对首次认定的企业给予最高{k}万元奖补。" for k in range(1, 121))
    pdf = docgen.make_pdf(text, tmp_path / "long.pdf", page_break_every=4, table_rows=TABLE, table_every=8)
    one = read_file(pdf)
    assert one.pages[-1] >= readers_pdf.FORK_MIN_PAGES
    assert read_file(pdf, forks=2) == one
    assert sum("\t" in line for line in one.lines) >= 10
    real = readers_pdf._pdfium_text
    monkeypatch.setattr(readers_pdf, "_pdfium_text", lambda tp: "" if "第5条" in real(tp) or "第101条" in real(tp) else real(tp))
    fallback = read_file(pdf, forks=2)
    assert fallback == read_file(pdf) and any("text from pdfminer" in w for w in fallback.warnings)


@pytest.fixture(scope="module")
def scanned(tmp_path_factory):
    return docgen.make_scanned_pdf("青岛市人民政府\n科技创新行动计划", tmp_path_factory.mktemp("scan") / "scan.pdf")


def test_scanned_pdf_needs_ocr(scanned):
    raises_naming(scanned, "pages 1-1", "no text layer", "--ocr")


@pytest.mark.skipif(not shutil.which("tesseract"), reason="tesseract not installed")
def test_scanned_pdf_with_ocr(scanned):
    langs = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True).stdout
    if "chi_sim" not in langs:
        pytest.skip("tesseract-ocr-chi-sim not installed")
    raw = read_file(scanned, ocr=True)
    assert "人民政府" in squash("".join(raw.lines)) and set(raw.pages) == {1}
    assert any("OCR" in w for w in raw.warnings)


def test_encrypted_with_user_password(seed, tmp_path):
    path = docgen.make_pdf(seed[:200], tmp_path / "locked.pdf", user_password="u", owner_password="o")
    raises_naming(path, "encrypted PDF (password required)")


@pytest.mark.skipif(not shutil.which("qpdf"), reason="qpdf not installed")
def test_aes_encryption_user_and_owner_only(pdfs, tmp_path):
    raises_naming(docgen.make_qpdf_encrypted(pdfs["uming"], tmp_path / "aes.pdf", user_password="u"),
                  "encrypted PDF")
    owner_only = docgen.make_qpdf_encrypted(pdfs["uming"], tmp_path / "aes_owner.pdf")
    assert body_text(read_file(owner_only)) == body_text(read_file(pdfs["uming"]))


def test_owner_password_only_reads(seed, tmp_path):
    path = docgen.make_pdf(seed[:200], tmp_path / "owner.pdf", owner_password="o")
    assert squash("".join(read_file(path).lines)).startswith(squash(seed[:20]))


@pytest.mark.parametrize("fraction", [0.3, 0.9])
def test_truncated_pdf(pdfs, tmp_path, fraction):
    path = docgen.make_truncated_pdf(pdfs["uming"], tmp_path / f"cut{fraction}.pdf", fraction)
    raises_naming(path, "PDF")


def test_garbage_with_a_pdf_name(tmp_path):
    raises_naming(docgen.write_garbage(tmp_path / "garbage.pdf"), "not a PDF")


def test_pdf_header_but_corrupt_body(tmp_path):
    path = tmp_path / "corrupt.pdf"
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 20)
    raises_naming(path, "unreadable PDF")


def test_corrupted_pdfs_read_or_raise_ingest_error(seed, tmp_path):
    """Seeded byte flips, cuts and splices: a RawText or an IngestError, nothing else.
    (Seeds 1-3 of this mutator once raised an uncaught PdfiumError 'Failed to load page'.)"""
    import random

    src = docgen.make_pdf(seed[:800], tmp_path / "small.pdf").read_bytes()  # no table: pdfplumber is slow
    rng, path, outcomes = random.Random(3), tmp_path / "mutant.pdf", set()
    for _ in range(60):
        data = bytearray(src)
        at = rng.randrange(len(data))
        mode = rng.choice(("flip", "cut", "splice"))
        if mode == "flip":
            for _ in range(rng.randint(1, 50)):
                data[rng.randrange(len(data))] = rng.randrange(256)
        elif mode == "cut":
            del data[at:at + rng.randint(1, 5000)]
        else:
            data[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 500)))
        path.write_bytes(bytes(data))
        try:
            read_file(path)
            outcomes.add("read")
        except IngestError as e:
            assert str(path) in str(e)
            outcomes.add("error")
    assert outcomes == {"read", "error"}


def test_file_name_with_spaces_and_chinese(pdfs, seed, tmp_path):
    pdf = tmp_path / "青岛 科技 政策 (2024).pdf"
    shutil.copy(pdfs["uming"], pdf)
    assert read_file(pdf).source == str(pdf)
    txt = tmp_path / "政策 文件.txt"
    txt.write_text(seed, encoding="gbk")
    assert read_file(txt).lines[1] == seed.split("\n")[1]
    bad = tmp_path / "坏 文件.pdf"
    bad.write_bytes(b"")
    raises_naming(bad, "empty file")


# ---------------------------------------------------------------- DOCX

def test_docx_paragraphs_and_tables_in_body_order(seed, tmp_path):
    text = "\n".join(seed.split("\n")[:12]).rstrip("\n")
    raw = read_file(docgen.make_docx(text, tmp_path / "a.docx", table_rows=TABLE, table_after=4))
    src = text.split("\n")
    assert raw.format == "docx" and raw.pages == (None,) * len(raw.lines)
    assert list(raw.lines) == src[:4] + ["\t".join(r) for r in TABLE] + src[4:]


def test_docx_merged_cells_and_soft_breaks(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("第一条 申报条件：").add_run().add_break()
    document.paragraphs[0].add_run("（一）依法注册。")
    table = document.add_table(rows=2, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "平台类别"
    table.cell(0, 2).text = "金额"
    for c, text in enumerate(("1", "重点实验室", "500万元")):
        table.cell(1, c).text = text
    path = tmp_path / "merged.docx"
    document.save(path)
    assert read_file(path).lines == ("第一条 申报条件：", "（一）依法注册。", "平台类别\t金额", "1\t重点实验室\t500万元")


@pytest.mark.parametrize("kind", ["garbage", "other_zip"])
def test_docx_that_is_not_a_docx(tmp_path, kind):
    path = tmp_path / f"{kind}.docx"
    if kind == "garbage":
        docgen.write_garbage(path)
    else:
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("readme.txt", "not a word document")
    raises_naming(path, "not a valid DOCX")


# ---------------------------------------------------------------- HTML

@pytest.mark.parametrize("encoding, meta", [("utf-8", True), ("gbk", True), ("gbk", False)])
def test_html_body_text_without_boilerplate(seed, tmp_path, encoding, meta):
    text = "\n".join(seed.split("\n")[:20])
    path = docgen.make_html(text, tmp_path / "page.html", encoding=encoding, meta_charset=meta,
                            table_rows=TABLE)
    raw = read_file(path)
    paras = [line.strip() for line in text.split("\n") if line.strip()]
    assert list(raw.lines) == paras + ["\t".join(r) for r in TABLE]
    joined = "".join(raw.lines)
    for noise in ("不应出现", "当前位置", "栏目", "版权所有", "分享到", "打印", "门户网站"):
        assert noise not in joined


def test_html_declared_charset_wrong(seed, tmp_path):
    path = docgen.make_html(seed[:300], tmp_path / "lying.html", encoding="gbk")
    path.write_bytes(path.read_bytes().replace(b'charset="gbk"', b'charset="utf-8"'))
    raw = read_file(path)
    assert raw.encoding == "gbk" and "wrong" in raw.warnings[0]
    assert squash("".join(raw.lines)) == squash(seed[:300])


def test_html_content_div_with_an_unlucky_class_is_kept(seed, tmp_path):
    path = tmp_path / "unlucky.html"
    body = "".join(f"<p>{line}</p>" for line in seed.split("\n")[:10] if line.strip())
    path.write_text(f"<html><body><div class='main-nav-content'>{body}</div></body></html>", encoding="utf-8")
    assert squash("".join(read_file(path).lines)) == squash("".join(seed.split("\n")[:10]))


def test_html_binary_garbage(tmp_path):
    raises_naming(docgen.write_garbage(tmp_path / "garbage.html"), "binary data")
