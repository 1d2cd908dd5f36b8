"""Reading one glossary YAML text safely, and saying where it is broken.

ruamel.yaml's round-trip loader keeps the line of every key (so each problem points at
its line) and the user's comments (so :mod:`bilingual.glossary.edit` can rewrite a
file), but it trusts its input: nested anchors and aliases ("billion laughs") build a
document that is tiny as a graph and astronomically large once walked, and deep nesting
overflows its recursive composer. So the event stream is checked first, in one pass that
costs as little as parsing: aliases may add at most :data:`MAX_ALIAS_VALUES` values to a
file, an alias may not sit inside its own anchor, an anchor is defined once, and nothing
nests deeper than :data:`MAX_DEPTH`. A few small aliases (``en: &hanoi Hanoi`` then
``note: *hanoi``) keep working.

A syntax error is reported at the line where the problem starts (the quote or bracket
that is never closed, not the end of the file) with a hint for that kind of error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bilingual.errors import printable

if TYPE_CHECKING:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError

MAX_ALIAS_VALUES = 1000
"""How many values all the aliases (``*name``) of one file may stand for together."""
MAX_DEPTH = 20
"""How deep lists and mappings may nest (a glossary needs 4: file, terms, term, forms)."""

_BAD_CHAR = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
"""What no glossary string may hold: a lone surrogate cannot be written as UTF-8, and XML
1.0 (so DOCX) forbids the C0 controls other than tab and line breaks, and U+FFFE/U+FFFF."""


@dataclass(frozen=True)
class YamlProblem:
    """Why a text is not usable YAML: its 1-based line, what is wrong, how to fix it."""

    line: int
    what: str
    fix: str


def yaml_loader() -> YAML:
    """ruamel.yaml's round-trip loader, set up the way glossary files are read and written."""
    from ruamel.yaml import YAML  # lazy: keeps `bilingual --help` fast

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never fold long Arabic lines
    return yaml


def bad_char(text: str) -> str | None:
    """The first character of ``text`` no glossary string may hold, named; else None."""
    m = _BAD_CHAR.search(text)
    if m is None:
        return None
    code = ord(m.group())
    kind = "a lone surrogate" if 0xD800 <= code <= 0xDFFF else "the control character"
    return f"{kind if code < 0xFFFE else 'the non-character'} U+{code:04X}"


def load_yaml(text: str) -> tuple[Any, YamlProblem | None]:
    """Parse ``text``: the round-trip data and None, or None and why it is not usable."""
    from ruamel.yaml.error import MarkedYAMLError, YAMLError
    from ruamel.yaml.reader import ReaderError

    try:
        problem = _check_line_nesting(text) or _check_events(yaml_loader(), text)
        if problem is not None:
            return None, problem
        return yaml_loader().load(text), None
    except MarkedYAMLError as exc:
        return None, _syntax_problem(exc, text)
    except ReaderError as exc:
        # a raw control character in the file; position counts characters
        line = text.count("\n", 0, max(0, exc.position)) + 1
        char = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1])
        what = f"the character U+{char:04X} is not allowed in a glossary file"
        return None, YamlProblem(
            line, what, "delete it (an editor may show it as a box, or as ^ and a letter)"
        )
    except YAMLError as exc:
        return None, YamlProblem(1, f"YAML error: {printable(str(exc))}", "fix the YAML syntax")
    except (ValueError, TypeError, KeyError, OverflowError) as exc:
        # a value that its tag or its look makes a date, number or bool it cannot be
        # (`!!int abc`, `2025-13-45`): ruamel raises without saying where
        what = f"a value cannot be read: {printable(str(exc))}"
        fix = 'quote the value to keep it as text (en: "...")'
        return None, YamlProblem(_unreadable_line(text), what, fix)


def _unreadable_line(text: str) -> int:
    """The line of the first scalar that ruamel cannot construct (1 when none is found)."""
    from ruamel.yaml.nodes import ScalarNode

    yaml = yaml_loader()
    todo = [yaml.compose(text)]  # nesting and aliases were bounded by _check_events
    seen: set[int] = set()
    while todo:
        node = todo.pop()
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, ScalarNode):
            try:
                yaml.constructor.construct_object(node, deep=True)
            except (ValueError, TypeError, KeyError, OverflowError):
                return int(node.start_mark.line) + 1
        elif isinstance(node.value, list):
            for item in reversed(node.value):
                todo.extend(reversed(item) if isinstance(item, tuple) else [item])
    return 1


def _too_deep(line: int) -> YamlProblem:
    return YamlProblem(
        line,
        f"lists and mappings nest more than {MAX_DEPTH} deep",
        "a glossary term is a mapping of text values and lists of text",
    )


def _check_line_nesting(text: str) -> YamlProblem | None:
    """Refuse a line that opens more than :data:`MAX_DEPTH` brackets, before ruamel sees it.

    ruamel's scanner looks up to 1024 characters ahead for a key, at a cost that grows
    with the square of the open brackets: a line of 1000 ``[`` takes it a second. Only a
    bracket run on one line costs that, and none belongs in a glossary.
    """
    for number, line in enumerate(text.splitlines(), start=1):
        if line.count("[") + line.count("{") <= MAX_DEPTH:
            continue
        depth = 0
        for char in line:
            depth = depth + 1 if char in "[{" else max(0, depth - 1) if char in "]}" else depth
            if depth > MAX_DEPTH:
                return _too_deep(number)
    return None


def _check_events(yaml: YAML, text: str) -> YamlProblem | None:
    """Refuse alias bombs, self-containing aliases, redefined anchors and deep nesting.

    Walks the parser's events once, keeping for each anchor the number of values it
    stands for, so the cost is that of parsing, whatever the aliases would expand to.
    """
    from ruamel.yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent, ScalarEvent

    sizes: dict[str, int] = {}  # anchor -> values it stands for, once its node is closed
    defined: dict[str, int] = {}  # anchor -> line
    stack: list[list[Any]] = []  # open collections: [anchor, values so far]
    added = 0
    for event in yaml.parse(text):
        line = event.start_mark.line + 1
        anchor = getattr(event, "anchor", None)
        if isinstance(event, AliasEvent):
            if anchor in defined and anchor not in sizes:
                return YamlProblem(
                    line,
                    f"alias *{anchor} is inside the value it stands for",
                    f"an alias cannot contain itself: write the value out instead of *{anchor}",
                )
            size = sizes.get(str(anchor), 1)  # undefined: the loader reports it
            added += size
            if added > MAX_ALIAS_VALUES:
                return YamlProblem(
                    line,
                    f"aliases stand for more than {MAX_ALIAS_VALUES} values (*{anchor} "
                    f"alone for {size})",
                    "write the values out: nested anchors (&name) and aliases (*name) are "
                    "refused beyond a few small ones",
                )
        elif isinstance(event, ScalarEvent | CollectionStartEvent):
            size = 1
            if anchor is not None:
                if anchor in defined:
                    return YamlProblem(
                        line,
                        f"anchor &{anchor} is defined twice (first at line {defined[anchor]})",
                        "give each anchor its own name",
                    )
                defined[anchor] = line
                if isinstance(event, ScalarEvent):
                    sizes[anchor] = 1
            if isinstance(event, CollectionStartEvent):
                if len(stack) >= MAX_DEPTH:
                    return _too_deep(line)
                stack.append([anchor, 1])
                continue
        elif isinstance(event, CollectionEndEvent):
            anchor, size = stack.pop()
            if anchor is not None:
                sizes[anchor] = size
        else:
            continue
        if stack:
            stack[-1][1] += size
    return None


_HINTS: tuple[tuple[str, str], ...] = (
    ("escape character", "inside \"...\" write a backslash as \\\\, or use '...' quotes"),
    (
        "quoted scalar",
        'close the quote opened on this line; inside "..." write a quote '
        "as \\\", inside '...' as ''",
    ),
    ("flow sequence", "close the '[' opened on this line with ']', items separated by ','"),
    ("flow mapping", "close the '{' opened on this line with '}', entries separated by ','"),
    ("duplicate key", "keep one of the two keys"),
    ("'\\t'", "indent with spaces, not tabs"),
    (
        "mapping values are not allowed",
        "quote the value if it contains ': ' (en: \"a: b\"), or check the indentation of this line",
    ),
    (
        "could not find expected ':'",
        "write `key: value`; text that goes on from the line "
        "above must be indented under its key, or the value quoted",
    ),
    (
        "expected <block end>",
        "check the indentation: the keys of a term line up under `id:`, each term starts with `- `",
    ),
    (
        "undefined alias",
        "quote a value that starts with '*', or define the anchor (&name) before its alias (*name)",
    ),
    (
        "block scalar",
        "write `|` or `>` (optionally with `-`), then the text indented on the following lines",
    ),
    (
        "cannot start any token",
        "quote the value: it starts with a character YAML reserves (@ ` % ! & * |)",
    ),
)
_DEFAULT_HINT = "fix the YAML syntax at this line; quote values containing ': ' or ' #'"
_STARTS_AT_CONTEXT = ("while scanning", "flow sequence", "flow mapping")
"""Errors found after the fact: the context (the quote, the bracket, the key) is where
the problem starts; for the others the problem mark is the line to fix."""


def _syntax_problem(exc: MarkedYAMLError, text: str) -> YamlProblem:
    context = str(exc.context or "")
    what = " ".join(str(exc.problem or exc.context or "").split())
    mark = exc.problem_mark or exc.context_mark
    if exc.context_mark is not None and any(s in context for s in _STARTS_AT_CONTEXT):
        mark = exc.context_mark
        what = f"{context}: {what}"
    line = mark.line + 1 if mark is not None else 1
    about = f"{context} {what}"
    quote = _open_quote_line(text, line) if "quoted scalar" not in about else None
    if quote is not None:
        what = f"{what} at line {line}, where a quoted value opened here ends"
        line, about = quote, "quoted scalar"
    fix = next((hint for key, hint in _HINTS if key in about), _DEFAULT_HINT)
    last = max(1, len(text.splitlines()))
    return YamlProblem(min(max(line, 1), last), f"YAML syntax error: {printable(what)}", fix)


def _open_quote_line(text: str, line: int) -> int | None:
    """The line where a quoted value that spans lines and ends at ``line`` starts: most
    likely a quote left open, whose text swallowed the lines up to the next quote."""
    from ruamel.yaml.error import YAMLError
    from ruamel.yaml.tokens import ScalarToken

    found = None
    try:
        for token in yaml_loader().scan(text):
            if token.start_mark.line + 1 >= line:
                break
            if (
                isinstance(token, ScalarToken)
                and token.style in ('"', "'")
                and token.end_mark.line > token.start_mark.line
                and token.end_mark.line + 1 >= line - 1
            ):
                found = token.start_mark.line + 1
    except YAMLError:
        pass  # the scan stops where the error is; what it saw before is enough
    return found
