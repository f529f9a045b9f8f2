"""Reading documents: formats, metadata, and files the user has to fix."""

import datetime as dt
import hashlib

import pytest

from magchain.errors import MagchainError
from magchain.ingest import documents
from magchain.ingest.documents import published_date, read_document

ARTICLE = ("Rare earth magnet output climbs\nPublished: June 12, 2025\n"
           "Lynas Rare Earths said its Kalgoorlie plant has a nameplate capacity of 12,000 tonnes "
           "per year. ") + "Further details were not given. " * 8


def test_text_file_metadata(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    document = read_document(path)
    assert document.text == ARTICLE
    assert document.metadata.title == "Rare earth magnet output climbs"
    assert document.metadata.published == dt.date(2025, 6, 12)
    assert document.metadata.sha256 == hashlib.sha256(ARTICLE.encode()).hexdigest()
    assert document.metadata.notes == ()


@pytest.mark.parametrize("text, date", [
    ("Title\n2025-06-12 Reuters - Prices rose.", dt.date(2025, 6, 12)),
    ("Title\nPrices rose in 2025.", None),
    ("Body text. " * 100 + "Posted 3 March 2024 by staff", dt.date(2024, 3, 3)),
])
def test_published_date_forms(text, date):
    assert published_date(text) == date


def test_markdown_is_text(tmp_path):
    path = tmp_path / "a.md"
    path.write_text("# Title\n\nBody.", encoding="utf-8")
    assert read_document(path).metadata.title == "# Title"


def test_cp1252_falls_back_with_a_note(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes("Vacuumschmelze’s plant – 2,000 t".encode("cp1252"))
    document = read_document(path)
    assert "’" in document.text
    assert "cp1252" in document.metadata.notes[0]


def test_binary_file_is_rejected(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    with pytest.raises(MagchainError, match=r"a\.txt.*binary"):
        read_document(path)


def test_empty_file_is_rejected(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"")
    with pytest.raises(MagchainError, match=r"a\.txt.*empty"):
        read_document(path)


def test_whitespace_only_file_is_rejected(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("  \n\n ", encoding="utf-8")
    with pytest.raises(MagchainError, match="no text"):
        read_document(path)


def test_huge_file_is_rejected(tmp_path, monkeypatch):
    monkeypatch.setattr(documents, "MAX_BYTES", 100)
    path = tmp_path / "a.txt"
    path.write_text("x" * 101, encoding="utf-8")
    with pytest.raises(MagchainError, match=r"a\.txt.*limit.*Split"):
        read_document(path)


def test_missing_and_unsupported_files(tmp_path):
    with pytest.raises(MagchainError, match="not found"):
        read_document(tmp_path / "missing.txt")
    path = tmp_path / "a.docx"
    path.write_bytes(b"PK")
    with pytest.raises(MagchainError, match="unsupported"):
        read_document(path)


HTML = ("<html><head><title>Magnet plant opens</title><script>var x = 1;</script></head><body>"
        "<nav><a href='/'>Home</a></nav><article>"
        + "".join(f"<p>Paragraph {i}: Noveon Magnetics began commercial production of sintered "
                  f"magnets at its San Marcos plant in Texas this spring.</p>" for i in range(4))
        + "</article></body></html>")


def test_html_article_text_and_title(tmp_path):
    path = tmp_path / "a.html"
    path.write_text(HTML, encoding="utf-8")
    document = read_document(path)
    assert "San Marcos" in document.text
    assert "var x" not in document.text
    assert document.metadata.title == "Magnet plant opens"


def test_html_fallback_parser_without_trafilatura(tmp_path, monkeypatch):
    monkeypatch.setattr(documents, "_trafilatura_text", lambda html: None)
    path = tmp_path / "a.html"
    path.write_text(HTML, encoding="utf-8")
    text = read_document(path).text
    assert text.count("Paragraph") == 4 and "Home" not in text


def test_html_without_an_article_is_rejected(tmp_path):
    path = tmp_path / "a.html"
    path.write_text("<html><head><title>Home</title></head><body><nav><a href='/'>Home</a>"
                    "</nav><script>track()</script></body></html>", encoding="utf-8")
    with pytest.raises(MagchainError, match=r"a\.html.*no article text"):
        read_document(path)


def _pdf_with_text(line: str) -> bytes:
    """A one-page PDF whose text layer holds `line` (built by hand: no PDF writer needed)."""
    stream = f"BT /F1 12 Tf 20 100 Td ({line}) Tj ET".encode()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 400 200] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>"),
               b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def test_pdf_text(tmp_path):
    pytest.importorskip("pypdf")
    path = tmp_path / "a.pdf"
    path.write_bytes(_pdf_with_text("MP Materials produced 45,000 tonnes in 2024."))
    document = read_document(path)
    assert "45,000 tonnes" in document.text
    assert document.metadata.format == "pdf"


def test_pdf_without_a_text_layer_is_rejected(tmp_path):
    pypdf = pytest.importorskip("pypdf")
    path = tmp_path / "a.pdf"
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=200, height=200)
    with path.open("wb") as f:
        writer.write(f)
    with pytest.raises(MagchainError, match="no text"):  # a scanned page with no text layer
        read_document(path)


def test_corrupt_pdf_is_rejected(tmp_path):
    pytest.importorskip("pypdf")
    path = tmp_path / "a.pdf"
    path.write_bytes(b"%PDF-1.4 this is not really a pdf")
    with pytest.raises(MagchainError, match=r"a\.pdf"):
        read_document(path)
