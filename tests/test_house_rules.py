"""The rules of the house, checked on the code of ``src/bilingual`` as it stands.

* Imports run one way: every module sits on a floor (:data:`FLOORS`, lowest first) and
  imports only modules on lower floors, so there is no cycle and nothing runs back up.
  Lazy imports inside functions count like any other.
* No module over 600 lines; no function over 80 lines without a ``# long:`` comment that
  says why.
* Every module starts with a docstring; the library never prints and never exits (only
  the CLI may); python-docx objects are never typed ``Any``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "bilingual"

FLOORS: tuple[tuple[str, ...], ...] = (
    # foundations: no knowledge of any stage
    (
        "bilingual",
        "bilingual.errors",
        "bilingual._text",
        "bilingual.progress",
        "bilingual.signature",
        "bilingual.lang.base",
        "bilingual.memory",
    ),
    (
        "bilingual.lang.ar",
        "bilingual.lang.en",
        "bilingual.lang.vi",
        "bilingual.project",
        "bilingual.shell",
        "bilingual._xml",
    ),
    ("bilingual.lang", "bilingual._zip", "bilingual._coreprops"),
    ("bilingual.routes",),
    # the model and the settings
    (
        "bilingual._fs",
        "bilingual.discovery",
        "bilingual.readers.base",
        "bilingual.readers.decode",
        "bilingual.config",
        "bilingual.document.article",
        "bilingual.document.segment",
        "bilingual.document.names",
        "bilingual.memory.names",
        "bilingual.memory.diagnose",
        "bilingual.memory.similar",
    ),
    (
        "bilingual.document.briefing",
        "bilingual.memory.schema",
        "bilingual.readers.text",
        "bilingual.readers.markdown",
        "bilingual.consistency.text",
    ),
    ("bilingual.consistency.report",),
    ("bilingual.readers.html", "bilingual.readers.docx"),
    ("bilingual.readers",),
    ("bilingual.document",),
    # stages, in the order data flows through them
    (
        "bilingual.ingest",
        "bilingual.segment",
        "bilingual.glossary.term",
        "bilingual.models.locks",
        "bilingual.models.card",
        "bilingual.models.languages",
        "bilingual.memory.store",
    ),
    ("bilingual.models.archive", "bilingual.models.registry", "bilingual.memory.manage"),
    ("bilingual.models.install", "bilingual.models.licence"),
    (
        "bilingual.models.download",
        "bilingual.models.opus",
        "bilingual.models.ct2dir",
        "bilingual.models.calibrate",
    ),
    ("bilingual.models.importer",),
    ("bilingual.models",),
    ("bilingual.confidence", "bilingual.glossary.avoid"),
    ("bilingual.engine.decoding", "bilingual.engine.longtext", "bilingual.engine.adapters"),
    ("bilingual.engine.batching",),
    ("bilingual.engine.translator",),
    ("bilingual.engine.loading",),
    (
        "bilingual.glossary.match",
        "bilingual.glossary.yamlfile",
        "bilingual.glossary.yamlemit",
        "bilingual.glossary.tbrecord",
        "bilingual.engine",
        "bilingual.qa",
        "bilingual.align",
        "bilingual.alternatives",
    ),
    ("bilingual.glossary.termcheck",),
    (
        "bilingual.glossary.store",
        "bilingual.names.detect",
        "bilingual.glossary.tbcsv",
        "bilingual.glossary.tbx",
        "bilingual.enforce",
        "bilingual.json_io",
        "bilingual.docx_io.ooxml",
        "bilingual.docx_io.spool",
        "bilingual.memory.tmx",
    ),
    (
        "bilingual.glossary.edit",
        "bilingual.translate",
        "bilingual.calibrate",
        "bilingual.cluster",
        "bilingual.assemble",
        "bilingual.docx_io.styles",
        "bilingual.memory.cache",
    ),
    (
        "bilingual.docx_io.findings",
        "bilingual.docx_io.pieces",
        "bilingual.docx_io.approval",
        "bilingual.glossary.termbase",
        "bilingual.glossary.manage",
        "bilingual.names.keep",
        "bilingual.names.suggest",
    ),
    (
        "bilingual.docx_io.names",
        "bilingual.names.reviewed",
        "bilingual.docx_io.alternatives",
        "bilingual.docx_io.similar",
    ),
    (
        "bilingual.glossary",
        "bilingual.names",
        "bilingual.publish.edition",
        "bilingual.publish.html_style",
        "bilingual.publish.soffice",
        "bilingual.docx_io.sections",
        "bilingual.docx_io.reader",
        "bilingual.docx_io.anchors",
        "bilingual.review_tables",
        "bilingual.recall",
        "bilingual.consistency.check",
    ),
    (
        "bilingual.docx_io.writer",
        "bilingual.publish.docx_article",
        "bilingual.publish.pdf",
        "bilingual.review",
        "bilingual.publish.html_out",
        "bilingual.xliff.write",
        "bilingual.consistency",
    ),
    (
        "bilingual.docx_io",
        "bilingual.guard",
        "bilingual.xliff.read",
        "bilingual.publish.docx_digest",
    ),
    ("bilingual.xliff", "bilingual.publish.docx_out"),
    # the run, and the command line over it
    ("bilingual.pipeline.options",),
    ("bilingual.pipeline.jobs", "bilingual.pipeline.write", "bilingual.pipeline.names"),
    ("bilingual.pipeline.run",),
    ("bilingual.pipeline",),
    # publishing reads what the run wrote (briefings, memory) and renders it for readers
    (
        "bilingual.publish.check",
        "bilingual.publish.gather",
    ),
    ("bilingual.publish.gate",),
    ("bilingual.publish.run",),
    ("bilingual.publish",),
    ("bilingual.cli._wrap",),
    ("bilingual.cli._common",),
    (
        "bilingual.cli.translate",
        "bilingual.cli.models",
        "bilingual.cli.glossary",
        "bilingual.cli.review",
        "bilingual.cli.memory",
        "bilingual.cli.publish",
        "bilingual.cli.memory_manage",
    ),
    ("bilingual.cli.exchange",),
    ("bilingual.cli",),
    ("bilingual.__main__",),
)
FLOOR = {module: n for n, floor in enumerate(FLOORS) for module in floor}

MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 80


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def trees() -> Iterator[tuple[str, Path, ast.Module]]:
    for name, path in MODULES.items():
        yield name, path, ast.parse(path.read_text(encoding="utf-8"), str(path))


def imports(tree: ast.Module) -> set[str]:
    """The bilingual modules a module imports, at the top or inside functions."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # ``from bilingual.lang import ar`` imports the module bilingual.lang.ar
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        found.update(n for n in names if n in MODULES)
    return found


def test_every_module_has_a_floor() -> None:
    assert sorted(set(MODULES) - set(FLOOR)) == [], "add new modules to FLOORS"
    assert sorted(set(FLOOR) - set(MODULES)) == [], "FLOORS names a module that is gone"


def test_imports_only_run_down() -> None:
    upward = [
        f"{name} (floor {FLOOR[name]}) imports {target} (floor {FLOOR[target]})"
        for name, _, tree in trees()
        for target in sorted(imports(tree) - {name})
        if FLOOR[target] >= FLOOR[name]
    ]
    assert upward == []


def test_the_floor_check_would_see_an_upward_import() -> None:
    tree = ast.parse("def f():\n    from bilingual.pipeline import translate_articles\n")
    assert imports(tree) == {"bilingual.pipeline"}


def test_module_and_function_sizes() -> None:
    too_long: list[str] = []
    for name, path, tree in trees():
        source = path.read_text(encoding="utf-8").splitlines()
        if len(source) > MAX_MODULE_LINES:
            too_long.append(f"{name}: {len(source)} lines")
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                end = node.end_lineno or node.lineno
                body = source[node.lineno - 1 : end]
                if end - node.lineno + 1 > MAX_FUNCTION_LINES and not any(
                    "# long:" in line for line in body
                ):
                    too_long.append(f"{name}.{node.name}: {end - node.lineno + 1} lines")
    assert too_long == []


def test_every_module_starts_with_a_docstring() -> None:
    assert [name for name, _, tree in trees() if not ast.get_docstring(tree)] == []


@pytest.mark.parametrize("name", sorted(n for n in MODULES if n not in FLOORS[-2] + FLOORS[-1]))
def test_the_library_never_prints_or_exits(name: str) -> None:
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    calls = [
        ast.unparse(node.func)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and ast.unparse(node.func) in ("print", "exit", "quit", "sys.exit", "os._exit")
    ]
    assert calls == []


def test_python_docx_objects_are_never_typed_any() -> None:
    offenders = [
        f"{name}:{node.lineno}"
        for name, _, tree in trees()
        if name.startswith("bilingual.docx_io")
        for node in ast.walk(tree)
        if (isinstance(node, ast.Name) and node.id == "Any")
        or (isinstance(node, ast.Attribute) and node.attr == "Any")
    ]
    assert offenders == []
