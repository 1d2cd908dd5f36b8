"""Routes: the hops that reach the target languages, read from text such as ``ar-en-vi``.

A route is written as language codes joined by ``-``, one chain per comma (nothing a
shell would interpret):

* ``ar-en``: Arabic into English;
* ``ar-en-vi``: Arabic into English, then the English on into Vietnamese (targets en and
  vi; the default for ``--to en,vi``, and the behaviour before routes existed);
* ``ar-vi``: Arabic straight into Vietnamese (target vi; the default for ``--to vi``);
* ``ar-en,ar-vi``: both straight from the Arabic (targets en and vi).

Every code after the first of a chain is a target, in the order written; a chain starts
at the articles' language or at a language an earlier chain reached, and no language is
reached twice. A hop is a pair ``(source, target)``; a route is the tuple of its hops in
order, from which :class:`bilingual.translate.Route` is built (one translator per hop).

Without a route the targets decide (:func:`default_route`): English from the source and
every other target from the English; without English among them, each target straight
from the source.

A route and a target list are resolved like every setting (argument, ``BILINGUAL_*``
variable, project file, default) and then together (:func:`settle_route`): given at the
same level they must agree; at different levels, the higher one decides, except that a
route from a lower level is kept when it reaches exactly the targets given above it.

The model of a hop may be chosen by package name (``--model ar-en=NAME``):
:func:`parse_model_choices` reads those; :mod:`bilingual.models.registry` applies them.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence

from bilingual.errors import RouteError
from bilingual.lang import LANGUAGES

Pair = tuple[str, str]
"""One hop: ``(source, target)`` language codes."""

PIVOT = "en"
"""The language the default route goes through for the other targets."""
DEFAULT_TARGETS: tuple[str, ...] = ("en",)

SYNTAX = (
    "write language codes joined by '-', one chain per comma: ar-en-vi (through English), "
    "ar-vi (direct), ar-en,ar-vi (both from Arabic)"
)


def _known(code: str, text: str, option: str, example: str = "") -> str:
    if code not in LANGUAGES:
        raise RouteError(
            f"unknown language {code!r} in {text!r}",
            option=option,
            fix=f"use the codes bilingual knows: {', '.join(LANGUAGES)}{example}",
        )
    return code


def format_route(pairs: Sequence[Pair]) -> str:
    """The route as it is written: ``ar-en-vi``, ``ar-vi``, ``ar-en,ar-vi``
    (``parse_route(format_route(p)) == p``)."""
    chains: list[list[str]] = []
    for a, b in pairs:
        if chains and chains[-1][-1] == a:
            chains[-1].append(b)
        else:
            chains.append([a, b])
    return ",".join("-".join(chain) for chain in chains)


def route_targets(pairs: Sequence[Pair]) -> tuple[str, ...]:
    """The languages a route reaches, in hop order."""
    return tuple(b for _, b in pairs)


def check_route(
    pairs: Sequence[Pair], source: str, *, text: str | None = None, option: str = "--route"
) -> None:
    """Raise :class:`RouteError` unless every hop starts at ``source`` or at a language
    an earlier hop reached, and every language is reached once."""
    shown = text if text is not None else format_route(pairs)
    if not pairs:
        raise RouteError("the route has no hop", option=option, fix=SYNTAX)
    reached = {source}
    for a, b in pairs:
        _known(a, shown, option)
        _known(b, shown, option)
        if a not in reached:
            raise RouteError(
                f"route {shown!r}: the hop {a}-{b} starts from {a}, which nothing before it "
                "reaches",
                option=option,
                fix=f"start every chain at {source} (the articles' language) or at a language "
                f"an earlier chain reaches; {SYNTAX}",
            )
        if b in reached:
            again = "goes back to the source" if b == source else f"reaches {b} twice"
            raise RouteError(f"route {shown!r} {again}", option=option, fix=SYNTAX)
        reached.add(b)


def parse_route(text: str, source: str, *, option: str = "--route") -> tuple[Pair, ...]:
    """``ar-en-vi`` -> ``(("ar", "en"), ("en", "vi"))``; :class:`RouteError` names what
    is wrong (see the module docstring for the syntax)."""
    spec = text.strip().lower()
    pairs: list[Pair] = []
    for chain in spec.split(","):
        codes = [code.strip() for code in chain.split("-")]
        if len(codes) < 2 or not all(codes):
            raise RouteError(
                f"route {text!r}: {chain.strip()!r} is not two or more codes joined by '-'",
                option=option,
                fix=SYNTAX,
            )
        pairs.extend(itertools.pairwise(_known(code, text, option) for code in codes))
    check_route(pairs, source, text=text, option=option)
    return tuple(pairs)


def parse_targets(
    value: str | Sequence[str], source: str, *, option: str = "--to"
) -> tuple[str, ...]:
    """``en,vi`` (or a list of codes) -> ``("en", "vi")``: known codes, not the source,
    each once."""
    items = value.split(",") if isinstance(value, str) else list(value)
    langs = tuple(code.strip().lower() for code in items if code.strip())
    shown = value if isinstance(value, str) else ",".join(value)
    fix = "give target codes separated by commas: en, vi, or en,vi"
    if not langs:
        raise RouteError("no target language given", option=option, fix=fix)
    for code in langs:
        _known(code, shown, option, " (targets: en, vi, or en,vi)")
    if source in langs:
        raise RouteError(
            f"{source} is the articles' language, not a target", option=option, fix=fix
        )
    if len(set(langs)) != len(langs):
        raise RouteError(f"a target is given twice in {shown!r}", option=option, fix=fix)
    return langs


def default_route(source: str, targets: Sequence[str]) -> tuple[Pair, ...]:
    """The route when none is given: :data:`PIVOT` (English) from the source and every
    other target from it; without English among the targets, each from the source."""
    if PIVOT in targets and source != PIVOT:
        return ((source, PIVOT), *((PIVOT, t) for t in targets if t != PIVOT))
    return tuple((source, t) for t in targets)


def _rank(origin: str) -> int:
    """0 for an argument, 1 for a ``BILINGUAL_*`` variable, 2 for the project file."""
    if origin == "argument":
        return 0
    return 1 if origin.startswith("BILINGUAL_") else 2


def _option(origin: str, flag: str, key: str) -> str:
    """How a message names where a value came from."""
    if origin == "argument":
        return flag
    return origin if origin.startswith("BILINGUAL_") else f"{key} in {origin}"


def settle_route(
    source: str,
    route: tuple[str, str] | None,
    targets: tuple[str | Sequence[str], str] | None,
) -> tuple[Pair, ...]:
    """The run's route from a route and a target list, each ``(value, origin)`` or None
    (origin: ``argument``, the variable's name or the project file's name); see the
    module docstring for how the two are reconciled."""
    langs: tuple[str, ...] | None = None
    if targets is not None:
        langs = parse_targets(targets[0], source, option=_option(targets[1], "--to", "targets"))
    if route is None:
        return default_route(source, langs or DEFAULT_TARGETS)
    option = _option(route[1], "--route", "route")
    pairs = parse_route(route[0], source, option=option)
    if targets is None or langs is None or set(langs) == set(route_targets(pairs)):
        return pairs
    if _rank(route[1]) < _rank(targets[1]):
        return pairs
    if _rank(targets[1]) < _rank(route[1]):
        return default_route(source, langs)
    reached = ",".join(route_targets(pairs))
    raise RouteError(
        f"the route {route[0]!r} reaches {reached}, but the targets are {','.join(langs)}",
        option=option,
        fix=f"give the targets the route reaches ({reached}), or leave them out: a route "
        "sets the targets",
    )


def parse_model_choices(values: Iterable[str], *, option: str = "--model") -> tuple[Pair, ...]:
    """``ar-en=NAME`` items -> ``(("ar-en", "NAME"), ...)``: the package to use for a
    pair, by its name in ``bilingual models list``; a pair given twice is an error."""
    out: dict[str, str] = {}
    fix = "write PAIR=NAME, e.g. ar-en=translate-ar_en-1_0 (names: bilingual models list)"
    for item in values:
        pair, sep, name = item.partition("=")
        codes = [code.strip().lower() for code in pair.split("-")]
        if not sep or not name.strip() or len(codes) != 2 or codes[0] == codes[1]:
            raise RouteError(f"model choice {item!r} is not PAIR=NAME", option=option, fix=fix)
        key = "-".join(_known(code, item, option) for code in codes)
        if key in out:
            raise RouteError(f"the model for {key} is chosen twice", option=option, fix=fix)
        out[key] = name.strip()
    return tuple(out.items())
