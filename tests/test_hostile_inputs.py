"""Hostile input files: every reader bounded, refusing clearly, losing nothing.

Each reader of a file someone else made (articles as text, Markdown, HTML and DOCX; the
glossary's YAML; TMX, XLIFF, TBX and CSV termbases; ``bilingual.toml``; briefing JSON;
reviewed DOCX briefings) is fed zip bombs, XML entities, deep nesting, huge lines and
cells, huge counts of small elements, NUL bytes and invalid UTF-8. Each must give a
correct result or a :class:`BilingualError` that names the file: never another
exception, never text silently dropped. Sizes are chosen so each case runs in about a
second; no case allocates gigabytes (the limits are lowered where a test needs a big file).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from bilingual import _zip
from bilingual.docx_io.reader import read_docx
from bilingual.errors import BilingualError
from bilingual.glossary.store import load_glossary
from bilingual.glossary.termbase import import_termbase
from bilingual.ingest import read_article
from bilingual.json_io import read_json
from bilingual.memory.store import TranslationMemory
from bilingual.memory.tmx import import_tmx
from bilingual.project import read_project
from bilingual.readers import read_source
from bilingual.review import read_review
from bilingual.xliff.read import read_xliff

AR = "قال الأمين العام للأمم المتحدة إن المؤتمر سيعقد في نيويورك الأسبوع المقبل."
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DEEP = 50_000
MANY = 200_000
SOME = 60_000
"""Many elements for the readers whose library spends a few microseconds on each."""


# -- DOCX: zip bombs and DTDs ------------------------------------------------------------


def _docx(text: str = AR) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _rezip(data: bytes, parts: dict[str, bytes | Callable[[zipfile.ZipFile], None]]) -> bytes:
    """``data`` (a DOCX) with some parts replaced or added; a callable writes its own."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            if info.filename not in parts:
                dst.writestr(info, src.read(info))
        for name, part in parts.items():
            if callable(part):
                part(dst)
            else:
                dst.writestr(name, part)
    return out.getvalue()


def _bomb(zf: zipfile.ZipFile) -> None:
    """A ``word/document.xml`` of 48 MiB of spaces (it deflates about 1000 times),
    written in chunks: a real bomb has the same shape, 3 GiB instead."""
    head = f'<?xml version="1.0"?><w:document xmlns:w="{W}"><w:body>'.encode()
    with zf.open("word/document.xml", "w", force_zip64=True) as fh:
        fh.write(head)
        chunk = b" " * (1 << 20)
        for _ in range(48):
            fh.write(chunk)
        fh.write(b"</w:body></w:document>")


def _with_dtd(data: bytes) -> bytes:
    """``data`` with a DTD in its document part: an entity stands for words of the text."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        xml = zf.read("word/document.xml").decode()
    head, _, rest = xml.partition("?>")
    doctype = '<!DOCTYPE w:document [<!ENTITY un "United Nations">]>'
    rest = rest.replace("المتحدة", "المتحدة &un;", 1)
    return _rezip(data, {"word/document.xml": f"{head}?>{doctype}{rest}".encode()})


def _read_article_docx(path: Path) -> object:
    return read_article(path)


DOCX_READERS: dict[str, Callable[[Path], object]] = {
    "article": _read_article_docx,
    "briefing": read_docx,
    "review": read_review,
}


@pytest.mark.parametrize("reader", DOCX_READERS)
def test_a_docx_zip_bomb_is_refused_before_it_inflates(tmp_path: Path, reader: str) -> None:
    path = tmp_path / "bomb.docx"
    path.write_bytes(_rezip(_docx(), {"word/document.xml": _bomb}))
    assert path.stat().st_size < 1 << 20
    with pytest.raises(BilingualError, match="zip bomb") as caught:
        DOCX_READERS[reader](path)
    assert "bomb.docx" in str(caught.value)
    assert "word/document.xml" in str(caught.value)


@pytest.mark.parametrize(
    ("limit", "value", "expected"),
    [("MAX_UNPACKED_BYTES", 20_000, "would inflate to"), ("MAX_ENTRIES", 5, "entries")],
)
def test_a_docx_beyond_the_size_limits_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, limit: str, value: int, expected: str
) -> None:
    monkeypatch.setattr(_zip, limit, value)
    path = tmp_path / "big.docx"
    path.write_bytes(_docx())  # python-docx's template: 30 kB in 13 parts
    for reader in DOCX_READERS.values():
        with pytest.raises(BilingualError, match=expected) as caught:
            reader(path)
        assert "big.docx" in str(caught.value)


def test_an_ordinary_docx_is_within_the_limits(tmp_path: Path) -> None:
    path = tmp_path / "fine.docx"
    path.write_bytes(_docx())
    with zipfile.ZipFile(path) as zf:
        assert _zip.docx_problem(zf) is None
    assert AR in read_article(path).paragraphs[0].text


@pytest.mark.parametrize("reader", DOCX_READERS)
def test_a_dtd_in_a_docx_part_is_refused(tmp_path: Path, reader: str) -> None:
    path = tmp_path / "entities.docx"
    path.write_bytes(_with_dtd(_docx()))
    with pytest.raises(BilingualError, match="DTD") as caught:
        DOCX_READERS[reader](path)
    assert "entities.docx" in str(caught.value)
    assert "word/document.xml" in str(caught.value)


def test_a_dtd_in_an_xml_part_with_another_name_is_refused(tmp_path: Path) -> None:
    """python-docx parses a part by its content type, whatever its name."""
    data = _docx()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        types = zf.read("[Content_Types].xml").decode()
        rels = zf.read("word/_rels/document.xml.rels").decode()
    kind = "application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"
    types = types.replace("/word/settings.xml", "/word/settings.bin")
    assert kind in types
    rels = rels.replace('Target="settings.xml"', 'Target="settings.bin"')
    settings = f'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><w:settings xmlns:w="{W}"/>'
    path = tmp_path / "renamed.docx"
    path.write_bytes(
        _rezip(
            data,
            {
                "[Content_Types].xml": types.encode(),
                "word/_rels/document.xml.rels": rels.encode(),
                "word/settings.xml": b"",
                "word/settings.bin": settings.encode(),
            },
        )
    )
    with pytest.raises(BilingualError, match=r"word/settings\.bin"):
        read_article(path)


def test_a_damaged_part_python_docx_keeps_as_bytes_is_refused_by_name(tmp_path: Path) -> None:
    """``commentsExtended.xml`` is parsed by bilingual itself, after python-docx opened
    the file: a damaged one was an XMLSyntaxError traceback in review import."""
    data = _docx()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        rels = zf.read("word/_rels/document.xml.rels").decode()
        types = zf.read("[Content_Types].xml").decode()
    office = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    rels = rels.replace(
        "</Relationships>",
        '<Relationship Id="rIdX" Target="commentsExtended.xml" Type="http://schemas.'
        'microsoft.com/office/2011/relationships/commentsExtended"/>'
        f'<Relationship Id="rIdY" Target="comments.xml" Type="{office}/comments"/>'
        "</Relationships>",
    )
    kind = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
    types = types.replace(
        "</Types>", f'<Override PartName="/word/comments.xml" ContentType="{kind}"/></Types>'
    )
    comments = (
        f'<w:comments xmlns:w="{W}"><w:comment w:id="1" w:author="A"><w:p><w:r><w:t>'
        "x</w:t></w:r></w:p></w:comment></w:comments>"
    )
    path = tmp_path / "damaged.docx"
    path.write_bytes(
        _rezip(
            data,
            {
                "[Content_Types].xml": types.encode(),
                "word/_rels/document.xml.rels": rels.encode(),
                "word/comments.xml": comments.encode(),
                "word/commentsExtended.xml": b"<w15:commentsEx xmlns:w15='x'><a></w15:commentsEx>",
            },
        )
    )
    with pytest.raises(BilingualError, match=r"commentsExtended\.xml is not well-formed") as caught:
        read_review(path)
    assert "damaged.docx" in str(caught.value)


# -- XML entities in TMX and TBX ---------------------------------------------------------

TU = (
    '<tu><tuv xml:lang="ar"><seg>حضر أكثر من مئة مندوب.</seg></tuv>'
    '<tuv xml:lang="en"><seg>More than &n; delegates attended.</seg></tuv></tu>'
)


def _tmx(doctype: str, body: str = TU) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n{doctype}\n<tmx version="1.4">'
        f'<header srclang="ar" segtype="sentence" datatype="plaintext" adminlang="en" '
        f'creationtool="t" creationtoolversion="1" o-tmf="t"/><body>{body}</body></tmx>'
    ).encode()


ENTITY_DOCTYPES = {
    "external": '<!DOCTYPE tmx [<!ENTITY n SYSTEM "file:///etc/hostname">]>',
    "internal": '<!DOCTYPE tmx SYSTEM "tmx14.dtd" [<!ENTITY n "a hundred">]>',
    "undeclared": '<!DOCTYPE tmx SYSTEM "tmx14.dtd">',
    "parameter": '<!DOCTYPE tmx [<!ENTITY % p SYSTEM "http://example.invalid/x.dtd"> %p;]>',
    "bomb": "<!DOCTYPE tmx ["
    + "".join(f'<!ENTITY n{k + 1} "{("&n" + str(k) + ";") * 10}">' for k in range(9)).replace(
        "&n0;", "lol"
    )
    + '<!ENTITY n "&n9;">]>',
}


@pytest.mark.parametrize("doctype", ENTITY_DOCTYPES)
def test_a_tmx_with_entities_is_refused_and_stores_nothing(tmp_path: Path, doctype: str) -> None:
    path = tmp_path / "entities.tmx"
    path.write_bytes(_tmx(ENTITY_DOCTYPES[doctype]))
    with TranslationMemory(tmp_path / "memory.sqlite") as memory:
        with pytest.raises(BilingualError, match="entities") as caught:
            import_tmx(memory, path)
        assert list(memory.units()) == []
    assert "entities.tmx" in str(caught.value)


def test_a_tmx_whose_doctype_only_names_the_dtd_is_imported(tmp_path: Path) -> None:
    path = tmp_path / "cat-tool.tmx"
    path.write_bytes(_tmx('<!DOCTYPE tmx SYSTEM "tmx14.dtd">', TU.replace("&n;", "100")))
    with TranslationMemory(tmp_path / "memory.sqlite") as memory:
        assert import_tmx(memory, path).added == 1
        [unit] = memory.units()
    assert unit.target == "More than 100 delegates attended."


TBX = (
    '<?xml version="1.0"?>\n{doctype}\n<martif type="TBX"><text><body><termEntry>'
    '<langSet xml:lang="ar"><tig><term>مندوب</term></tig></langSet>'
    '<langSet xml:lang="en"><tig><term>{en}</term></tig></langSet>'
    "</termEntry></body></text></martif>"
)


@pytest.mark.parametrize(
    ("doctype", "en", "refused"),
    [
        ('<!DOCTYPE martif SYSTEM "TBXcoreStructV02.dtd">', "delegate", False),
        ('<!DOCTYPE martif SYSTEM "TBXcoreStructV02.dtd">', "&d;", True),
        ('<!DOCTYPE martif [<!ENTITY d SYSTEM "file:///etc/hostname">]>', "&d;", True),
    ],
)
def test_a_tbx_doctype_is_accepted_its_entities_refused(
    tmp_path: Path, doctype: str, en: str, refused: bool
) -> None:
    path = tmp_path / "terms.tbx"
    path.write_text(TBX.format(doctype=doctype, en=en), encoding="utf-8")
    if refused:
        with pytest.raises(BilingualError, match="entities") as caught:
            import_termbase([path], folder=tmp_path / "glossary")
        assert "terms.tbx" in str(caught.value)
    else:
        report = import_termbase([path], folder=tmp_path / "glossary")
        assert report.imported == 1


# -- CSV: one huge cell ------------------------------------------------------------------


def test_a_csv_row_with_a_huge_cell_is_reported_and_the_rest_imported(tmp_path: Path) -> None:
    path = tmp_path / "terms.csv"
    huge = "x" * (1 << 20)
    path.write_text(f"ar,en\nمؤتمر,conference\nمندوب,{huge}\nوفد,delegation\n", encoding="utf-8")
    report = import_termbase([path], folder=tmp_path / "glossary")
    assert report.imported == 2
    [skipped] = report.skipped
    assert (skipped.file, skipped.line) == (path, 3)
    assert "1,048,576 characters" in skipped.reason


def test_a_csv_with_an_unclosed_quote_keeps_the_rows_before_it(tmp_path: Path) -> None:
    path = tmp_path / "terms.csv"
    rest = "".join(f"وفد{n},delegation {n}\n" for n in range(2000))
    path.write_text(f'ar,en\nمؤتمر,conference\nمندوب,"{"x" * 20000}\n{rest}', encoding="utf-8")
    report = import_termbase([path], folder=tmp_path / "glossary")
    assert report.imported == 1
    assert [s.line for s in report.skipped] == [3]


# -- HTML: captions by figure, not by src ------------------------------------------------

FIGURES = {
    "shared": '<img src="photo.jpg" alt="">',
    "data-src": '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" data-src="{n}.jpg">',
    "data-lazy-src": '<img src="data:image/gif;base64,R0lGOD=" data-lazy-src="{n}.jpg">',
    "srcset": '<img srcset="{n}-400.jpg 400w, {n}-800.jpg 800w">',
    "picture": '<picture><source srcset="{n}.webp 1x"><img src="data:,"></picture>',
    "noscript": '<img src="data:," data-src="{n}.jpg"><noscript><img src="{n}.jpg"></noscript>',
}


def _page(figures: list[str], aside: int = 0) -> bytes:
    """A page with these figures between paragraphs; figure ``aside`` (1-based) sits in
    a share box, which trafilatura leaves out of the main text."""
    parts = [f"<p>{AR} {AR}</p>"]
    for n, figure in enumerate(figures, start=1):
        caption = f"الصورة رقم {n} من المؤتمر"
        html = f"<figure>{figure.format(n=n)}<figcaption>{caption}</figcaption></figure>"
        parts.append(f'<div class="social-share">{html}</div>' if n == aside else html)
        parts.append(f"<p>{AR} الفقرة {n}.</p>")
    body = "\n".join(parts)
    return (
        '<html><head><meta charset="utf-8"><title>t</title></head><body><article>'
        f"<h1>عنوان</h1>{body}</article></body></html>"
    ).encode()


def _captions(data: bytes, path: Path) -> list[str]:
    return [b.text for b in read_source(path, data).blocks if b.kind == "caption"]


@pytest.mark.parametrize("kind", FIGURES)
def test_each_figure_keeps_its_own_caption(tmp_path: Path, kind: str) -> None:
    captions = _captions(_page([FIGURES[kind]] * 3), tmp_path / "page.html")
    assert captions == [f"الصورة رقم {n} من المؤتمر" for n in (1, 2, 3)]


def test_figures_keep_their_captions_in_a_page_mixing_them(tmp_path: Path) -> None:
    captions = _captions(_page(list(FIGURES.values()) * 2), tmp_path / "page.html")
    assert captions == [f"الصورة رقم {n} من المؤتمر" for n in range(1, 2 * len(FIGURES) + 1)]


def test_a_caption_that_cannot_be_placed_is_reported(tmp_path: Path) -> None:
    source = read_source(tmp_path / "page.html", _page([FIGURES["shared"]] * 3, aside=2))
    captions = [b.text for b in source.blocks if b.kind == "caption"]
    assert captions == ["الصورة رقم 1 من المؤتمر", "الصورة رقم 3 من المؤتمر"]
    [notice] = source.notices
    assert "image 2" in notice
    assert "الصورة رقم 2 من المؤتمر" in notice


# -- every reader under hostile sizes and structures -------------------------------------


def _docx_with(document_xml: bytes) -> bytes:
    return _rezip(_docx(), {"word/document.xml": document_xml})


def _document_xml(inner: bytes) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}"><w:body>'.encode()
        + inner
        + b"</w:body></w:document>"
    )


def _paragraph(text: bytes) -> bytes:
    return b"<w:p><w:r><w:t>" + text + b"</w:t></w:r></w:p>"


def _types_without_styles() -> bytes:
    with zipfile.ZipFile(io.BytesIO(_docx())) as zf:
        types = zf.read("[Content_Types].xml").decode()
    styles = '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats'
    start = types.index(styles)
    return (types[:start] + types[types.index("/>", start) + 2 :]).encode()


ARB = AR.encode()
LINE = ARB * 15_000  # one line of 2 MB
DOCX_CASES = {
    "deep": _docx_with(_document_xml(b"<w:sdt>" * DEEP + _paragraph(ARB) + b"</w:sdt>" * DEEP)),
    "many": _docx_with(_document_xml(_paragraph(ARB) + b"<w:p/>" * MANY)),
    "line": _docx_with(_document_xml(_paragraph(LINE))),
    "nul": _docx_with(_document_xml(_paragraph(ARB + b"\0"))),
    "utf8": _docx_with(_document_xml(_paragraph(ARB + b"\xff\xfe"))),
    # parts python-docx reads only when asked: an AttributeError from inside it, before
    "core": _rezip(_docx(), {"docProps/core.xml": b'<?xml version="1.0"?><other/>'}),
    "types": _rezip(_docx(), {"[Content_Types].xml": _types_without_styles()}),
}


def _tmx_body(inner: bytes) -> bytes:
    head = b'<?xml version="1.0"?><tmx version="1.4"><header srclang="ar"/><body>'
    return head + inner + b"</body></tmx>"


def _xliff(inner: bytes) -> bytes:
    return (
        b'<?xml version="1.0"?><xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" '
        b'version="2.1" srcLang="ar" trgLang="en"><file id="f1">' + inner + b"</file></xliff>"
    )


def _tbx(inner: bytes) -> bytes:
    return (
        b'<?xml version="1.0"?><martif type="TBX"><text><body>' + inner + b"</body></text></martif>"
    )


TU_OK = (
    '<tu><tuv xml:lang="ar"><seg>مندوب</seg></tuv><tuv xml:lang="en"><seg>delegate</seg></tuv></tu>'
).encode()
UNIT = b'<unit id="p1.s1"><segment><source>x</source><target>y</target></segment></unit>'
ENTRY = TBX.format(doctype="", en="delegate").encode().split(b"<body>")[1].split(b"</body>")[0]

CASES: dict[str, tuple[str, dict[str, bytes]]] = {
    "text": (
        "article.txt",
        {
            "line": LINE,
            "many": ARB + b"\n" * MANY,
            "nul": ARB + b"\0",
            "utf8": ARB + b"\xff\xfe\n",
        },
    ),
    "markdown": (
        "article.md",
        {
            "deep-quote": b">" * DEEP + b" " + ARB,
            "deep-list": b"- " * DEEP + ARB,
            "deep-brackets": ARB + b"[" * (DEEP // 5) + b"]" * (DEEP // 5),
            "deep-emphasis": ARB + b"*_" * (DEEP // 5),
            "line": LINE,
            "many": ARB + b"\n\n" + b"- x\n" * SOME,
            "many-empty": ARB + b"\n\n" + b"- \n" * SOME,
            "nul": ARB + b"\0",
            "utf8": ARB + b"\xff\xfe\n",
        },
    ),
    "html": (
        "article.html",
        {
            "deep": b"<html><body>" + b"<div>" * DEEP + ARB + b"</div>" * DEEP + b"</body></html>",
            "many": b"<html><body><article><p>" + ARB + b"</p>" + b"<p></p>" * MANY + b"</article>"
            b"</body></html>",
            "many-items": b"<html><body><article><p>"
            + ARB
            + b"</p><ul>"
            + b"<li></li>" * MANY
            + b"</ul></article></body></html>",
            "nul": b"<html><body><p>" + ARB + b"\0</p></body></html>",
            "utf8": b'<html><head><meta charset="utf-8"></head><body><p>'
            + ARB
            + b"\xff</p></body></html>",
        },
    ),
    "docx": ("article.docx", DOCX_CASES),
    "review": ("briefing.docx", DOCX_CASES),
    "briefing": ("read-back.docx", DOCX_CASES),
    "yaml": (
        "terms.yaml",
        {
            "deep-flow": b"[" * DEEP + b"]" * DEEP,
            "deep-block": b"".join(b" " * i + b"- \n" for i in range(0, 2000)),
            "line": b"- id: a\n  ar: " + LINE[: len(LINE) // 20] + b"\n",
            "many": b"- {}\n" * 2000,
            "nul": b"- id: a\0\n",
            "utf8": b"- id: \xff\n",
        },
    ),
    "tmx": (
        "memory.tmx",
        {
            "deep": _tmx_body(b"<tu>" + b"<x>" * DEEP + b"</x>" * DEEP + b"</tu>"),
            "many": _tmx_body(TU_OK + b"<tu/>" * SOME),
            "line": _tmx_body(TU_OK.replace(b"delegate", LINE)),
            "nul": _tmx_body(TU_OK.replace(b"delegate", b"dele\0gate")),
            "utf8": _tmx_body(TU_OK.replace(b"delegate", b"dele\xffgate")),
        },
    ),
    "xliff": (
        "briefing.en.xlf",
        {
            "deep": _xliff(b"<group>" * DEEP + b"</group>" * DEEP),
            "many": _xliff(UNIT * SOME),
            "nul": _xliff(UNIT.replace(b"y", b"\0")),
            "utf8": _xliff(UNIT.replace(b"y", b"\xff")),
        },
    ),
    "tbx": (
        "terms.tbx",
        {
            "deep": _tbx(b"<termEntry>" * DEEP + b"</termEntry>" * DEEP),
            "many": _tbx(ENTRY + b"<termEntry/>" * SOME),
            "nul": _tbx(ENTRY.replace(b"delegate", b"\0")),
            "utf8": _tbx(ENTRY.replace(b"delegate", b"\xff")),
        },
    ),
    "csv": (
        "terms.csv",
        {
            "cell": "ar,en\nمندوب,delegate\n".encode() + b"x" * len(LINE) + b",y\n",
            "many": "ar,en\nمندوب,delegate\n".encode() + b",\n" * MANY,
            "quotes": "ar,en\nمندوب,delegate\n".encode() + b'"' * (1 << 20),
            "nul": "ar,en\nمندوب,dele\0gate\n".encode(),
            "utf8": "ar,en\nمندوب,".encode() + b"dele\xffgate\n",
        },
    ),
    "toml": (
        "bilingual.toml",
        {
            "deep-array": b"targets = " + b"[" * DEEP + b"]" * DEEP,
            "deep-table": b"a = " + b"{b = " * DEEP + b"1" + b"}" * DEEP,
            "line": b'targets = ["en"]\n# ' + LINE + b"\n",
            "nul": b'targets = ["en\0"]',
            "utf8": b'targets = ["\xff"]',
        },
    ),
    "json": (
        "briefing.json",
        {
            "deep-array": b"[" * DEEP + b"]" * DEEP,
            "deep-object": b'{"a":' * DEEP + b"1" + b"}" * DEEP,
            "line": b'{"schema": "' + LINE + b'"}',
            "nul": b'{"schema\0": 1}',
            "utf8": b'{"schema": "\xff"}',
        },
    ),
}


def _call(reader: str, path: Path) -> object:
    folder = path.parent
    if reader in ("text", "markdown", "html", "docx"):
        return read_article(path)
    if reader == "review":
        return read_review(path)
    if reader == "briefing":
        return read_docx(path)
    if reader == "yaml":
        return load_glossary(folder)
    if reader == "tmx":
        with TranslationMemory(folder.parent / "memory.sqlite") as memory:
            return import_tmx(memory, path)
    if reader == "xliff":
        return read_xliff(path, folders=[folder])
    if reader in ("tbx", "csv"):
        return import_termbase([path], folder=folder.parent / "glossary")
    if reader == "toml":
        return read_project(path)
    return read_json(path)


@pytest.mark.parametrize(
    ("reader", "case"), [(reader, case) for reader, (_, cases) in CASES.items() for case in cases]
)
def test_a_hostile_file_is_read_or_refused_by_name(tmp_path: Path, reader: str, case: str) -> None:
    name, cases = CASES[reader]
    folder = tmp_path / "in"
    folder.mkdir()
    path = folder / name
    path.write_bytes(cases[case])
    try:
        _call(reader, path)
    except BilingualError as exc:
        assert name in str(exc)


# -- limits that say so instead of losing text -------------------------------------------


@pytest.mark.parametrize("depth", [20, DEEP])
def test_markdown_nested_deeper_than_the_parser_reads_is_refused_at_the_line(
    tmp_path: Path, depth: int
) -> None:
    """markdown-it skips what lies deeper than its maxNesting: the text would be lost."""
    data = f"{AR}\n\n{'>' * depth} {AR}\n\nبعد الاقتباس.\n".encode()
    with pytest.raises(BilingualError, match="too deep") as caught:
        read_source(tmp_path / "deep.md", data)
    assert f"{tmp_path / 'deep.md'}:3" in str(caught.value)


def test_a_markdown_html_block_nested_deeper_than_the_parser_reads_is_refused(
    tmp_path: Path,
) -> None:
    data = f"{AR}\n\n{'<div>' * 300}{AR}{'</div>' * 300}\n\nبعد.\n".encode()
    with pytest.raises(BilingualError, match="HTML nested") as caught:
        read_source(tmp_path / "deep.md", data)
    assert f"{tmp_path / 'deep.md'}:3" in str(caught.value)


def test_markdown_nested_as_deep_as_articles_go_is_read(tmp_path: Path) -> None:
    data = f"{'>' * 5} {AR}\n\n- أ\n  - ب\n    - ج\n\nبعد القائمة.\n".encode()
    texts = [b.text for b in read_source(tmp_path / "ok.md", data).blocks if b.text]
    assert texts == [AR, "أ", "ب", "ج", "بعد القائمة."]


def test_html_nested_deeper_than_the_parser_reads_is_refused(tmp_path: Path) -> None:
    """libxml2's HTML parser keeps 255 levels and drops the text below without a word."""
    deep = b"<div>" * 300 + ARB + b"</div>" * 300
    data = b"<html><body><article><p>" + ARB + b"</p>" + deep + b"</article></body></html>"
    with pytest.raises(BilingualError, match="levels deep") as caught:
        read_source(tmp_path / "deep.html", data)
    assert "deep.html" in str(caught.value)


def test_an_html_page_of_too_many_elements_is_refused_at_once(tmp_path: Path) -> None:
    data = b"<html><body><article><p>" + ARB + b"</p>" + b"<p></p>" * MANY + b"</article></body>"
    with pytest.raises(BilingualError, match="HTML elements") as caught:
        read_source(tmp_path / "many.html", data)
    assert "many.html" in str(caught.value)


@pytest.mark.parametrize("name", ["many.md", "many.txt"])
def test_an_article_of_too_many_lines_is_refused_before_it_is_parsed(
    tmp_path: Path, name: str
) -> None:
    data = ARB + b"\n\n" + b"- x\n" * SOME
    with pytest.raises(BilingualError, match="lines of text") as caught:
        read_source(tmp_path / name, data)
    assert name in str(caught.value)


def test_a_word_file_of_too_many_paragraphs_is_refused_before_it_is_read(
    tmp_path: Path,
) -> None:
    paragraphs = b"".join(_paragraph(b"%d %d" % (n, n * 7919 % 10007)) for n in range(SOME))
    path = tmp_path / "many.docx"
    path.write_bytes(_docx_with(_document_xml(_paragraph(ARB) + paragraphs)))
    with zipfile.ZipFile(path) as zf:
        assert _zip.docx_problem(zf) is None  # no zip bomb: many real paragraphs
    with pytest.raises(BilingualError, match="paragraphs and tables") as caught:
        read_article(path)
    assert "many.docx" in str(caught.value)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("briefing.json", b"[" * DEEP + b"]" * DEEP),
        ("briefing.json", b'{"a":' * DEEP + b"1" + b"}" * DEEP),
        ("bilingual.toml", b"targets = " + b"[" * DEEP + b"]" * DEEP),
        ("bilingual.toml", b"a = " + b"{b = " * DEEP + b"1" + b"}" * DEEP),
    ],
)
def test_deep_json_and_toml_are_refused_by_name(tmp_path: Path, name: str, data: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(BilingualError, match="nest") as caught:
        read_json(path) if name.endswith(".json") else read_project(path)
    assert name in str(caught.value)
