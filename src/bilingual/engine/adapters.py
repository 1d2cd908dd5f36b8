"""Adapters: what each kind of model wants around the text, one adapter per kind.

An :class:`Adapter` knows which SentencePiece model encodes the source and which decodes
the target, and the special tokens of the package's kind (``ModelCard.kind``), for one
direction (a multilingual package is opened for one ``source -> target``):

* ``argos``: ``sentencepiece.model`` both ways; the metadata's ``target_prefix`` (if any)
  is forced first in the translation, as argos does;
* ``marian`` (OPUS-MT): ``source.spm`` / ``target.spm``; a multi-target model wants the
  target's token (``>>vie<<``) as the first source token;
* ``m2m100``: the source's token (``__ar__``) first in the source, the target's token
  (``__vi__``) first in the target prefix;
* ``nllb``: the same places (``arb_Arab`` first in the source, as CTranslate2's NLLB
  example and current transformers tokenizers put it; the legacy tokenizer put it after
  ``</s>``), the target's token (``vie_Latn``) first in the target prefix.

Models converted from transformers checkpoints do not have CTranslate2 add the source's
``</s>`` (their ``config.json`` has no ``add_source_eos``): the adapter appends it, as
the tokenizer did in training. Every such token counts towards the input length; none
reaches the output text.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bilingual.errors import ModelError
from bilingual.models import PackageInfo
from bilingual.models.card import KINDS

REINSTALL = "reinstall the package (`bilingual models install FILE` or `bilingual models import`)"


@dataclass(frozen=True)
class Adapter:
    """Tokens in and out of one model, for one direction."""

    kind: str
    source_sp: Any
    """``sentencepiece.SentencePieceProcessor`` (or a double) for the source text."""
    target_sp: Any
    """The one for the target: target prefixes are encoded and hypotheses decoded by it."""
    source_prefix: tuple[str, ...] = ()
    """Tokens before the source pieces (a language token)."""
    source_suffix: tuple[str, ...] = ()
    """Tokens after them (``</s>`` where CTranslate2 does not add it)."""
    target_prefix: tuple[str, ...] = ()
    """Tokens forced first in every translation (argos's prefix, a language token)."""
    added: int = 0
    """bos/eos CTranslate2 adds to each source itself (``config.json``)."""
    hidden: frozenset[str] = frozenset()
    """Language tokens: never part of an output text."""

    @property
    def specials(self) -> int:
        """Tokens each model input holds besides the text's pieces."""
        return len(self.source_prefix) + len(self.source_suffix) + self.added

    def encode(self, text: str) -> list[str]:
        pieces: list[str] = self.source_sp.encode(text, out_type=str)
        return pieces

    def encode_target(self, text: str) -> list[str]:
        pieces: list[str] = self.target_sp.encode(text, out_type=str)
        return pieces

    def source(self, pieces: Sequence[str]) -> list[str]:
        """The tokens CTranslate2 is given for these source pieces."""
        return [*self.source_prefix, *pieces, *self.source_suffix]

    def prefix(self, text: str | None) -> list[str]:
        """The target prefix forcing ``text`` (target language) first: the kind's forced
        tokens, then ``text``'s pieces."""
        return [*self.target_prefix, *(self.encode_target(text) if text else ())]

    def output(self, tokens: Sequence[str]) -> list[str]:
        """A hypothesis's tokens without the forced tokens and any language token."""
        n = len(self.target_prefix)
        if n and list(tokens[:n]) == list(self.target_prefix):
            tokens = tokens[n:]
        return [t for t in tokens if t not in self.hidden] if self.hidden else list(tokens)

    def avoided(self, texts: Sequence[str]) -> list[list[str]]:
        """The target token sequences that spell ``texts`` (renderings the translation
        must not take), for CTranslate2's ``suppress_sequences``: each text as given, with
        its first letter upper case (a sentence start) and lower case (inside one), each
        as a word that starts after a space and as one glued to what precedes it (after a
        quote or a bracket SentencePiece gives it no word-start mark, so other pieces).
        A sequence with a piece the tokenizer does not know is left out: CTranslate2
        would read it as the unknown token and suppress that instead."""
        out: list[list[str]] = []
        for text in texts:
            for variant in dict.fromkeys(_cases(" ".join(text.split()))):
                for pieces in (self.encode_target(variant), self._glued(variant)):
                    if pieces and pieces not in out and self._known(pieces):
                        out.append(pieces)
        return out

    def _glued(self, text: str) -> list[str]:
        """The pieces of ``text`` right after an opening quote, when the quote is a piece
        of its own ([] when it merges with the text's first letters)."""
        pieces = self.encode_target(f'"{text}')
        for k in range(1, len(pieces)):
            if "".join(pieces[:k]).replace("\u2581", "") == '"':
                rest = pieces[k:]
                return rest if "".join(rest).replace("\u2581", " ").strip() == text else []
        return []

    def _known(self, pieces: Sequence[str]) -> bool:
        if not hasattr(self.target_sp, "piece_to_id"):
            return True  # a test double: every piece is known
        unk = self.target_sp.unk_id()
        return all(self.target_sp.piece_to_id(p) != unk for p in pieces)

    def decode(self, pieces: Sequence[str]) -> str:
        """Text of target pieces: sentencepiece's own decoder, so "_" stays "_"."""
        return _text(self.target_sp, pieces)

    def decode_source(self, pieces: Sequence[str]) -> str:
        return _text(self.source_sp, pieces)


def _cases(text: str) -> tuple[str, ...]:
    """``text``, with its first letter upper case, and lower case."""
    if not text:
        return ()
    return (text, text[0].upper() + text[1:], text[0].lower() + text[1:])


def _text(sp: Any, pieces: Sequence[str]) -> str:
    text: str = sp.decode_pieces(list(pieces))
    # a piece the vocabulary lacks (a source piece copied by replace_unknowns) comes
    # back verbatim, word-boundary mark included
    return text.replace("\u2581", " ").strip()


# --------------------------------------------------------------------------- per kind


def read_json(path: Path) -> dict[str, Any]:
    """A JSON object file; ``{}`` when absent; a clear error when unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise ModelError(
            f"cannot read {path.name}: {exc}", where=str(path), fix=REINSTALL
        ) from None
    return data if isinstance(data, dict) else {}


def _vocabulary(model_dir: Path, side: str) -> set[str] | None:
    """The model's ``side`` (source/target) vocabulary, or None when it has no file."""
    for stem in ("shared_vocabulary", f"{side}_vocabulary"):
        for suffix, read in ((".json", _json_list), (".txt", _lines)):
            path = model_dir / f"{stem}{suffix}"
            if path.is_file():
                return read(path)
    return None


def target_vocabulary(info: PackageInfo) -> set[str] | None:
    """The model's target vocabulary (what CTranslate2 accepts in ``suppress_sequences``:
    it refuses any other token), or None when the package has no vocabulary file."""
    try:
        return _vocabulary(info.path / "model", "target")
    except (OSError, ValueError):
        return None


def _json_list(path: Path) -> set[str]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return {str(t) for t in data} if isinstance(data, list) else set()


def _lines(path: Path) -> set[str]:
    return set(path.read_text(encoding="utf-8").splitlines())


def _token(info: PackageInfo, code: str, role: str) -> str:
    token = info.card.language_tokens.get(code)
    if not token:
        raise ModelError(
            f"the {info.kind} model has no language token for {role} {code!r}",
            where=str(info.path / "metadata.json"),
            fix=f'add "{code}" to "language_tokens" in its "bilingual" card, or {REINSTALL}',
        )
    return token


def _check_vocabulary(info: PackageInfo, side: str, tokens: Sequence[str]) -> None:
    model_dir = info.path / "model"
    try:
        vocabulary = _vocabulary(model_dir, side)
    except (OSError, ValueError) as exc:
        raise ModelError(
            f"cannot read the model's vocabulary: {exc}", where=str(model_dir), fix=REINSTALL
        ) from None
    missing = [t for t in tokens if vocabulary is not None and t not in vocabulary]
    if missing:
        raise ModelError(
            f"the model's {side} vocabulary has no token {', '.join(missing)}",
            where=str(model_dir),
            fix='correct "language_tokens" in the package\'s card (metadata.json), or ' + REINSTALL,
        )


def special_tokens(
    info: PackageInfo,
    source: str,
    target: str,
    config: Mapping[str, Any],
    metadata: Mapping[str, Any],
) -> dict[str, tuple[str, ...]]:
    """The special tokens of ``info``'s kind for ``source -> target``: ``source_prefix``,
    ``source_suffix``, ``target_prefix``; checked against the model's vocabulary."""
    kind = info.kind
    if kind not in KINDS:
        raise ModelError(
            f"unknown model kind {kind!r} (the engine speaks {', '.join(KINDS)})",
            where=str(info.path / "metadata.json"),
            fix=f'set the card\'s "kind" to one of {", ".join(KINDS)}, or {REINSTALL}',
        )
    if not info.serves(source, target):
        served = ", ".join(f"{a}->{b}" for a, b in info.pairs)
        raise ModelError(
            f"the package does not translate {source}->{target} (it serves {served})",
            where=str(info.path),
            fix=f"install a model for {source}->{target}, or ask for a direction it serves",
        )
    if kind == "argos":
        forced = str(metadata.get("target_prefix") or "")
        return {"target_prefix": (forced,) if forced else ()}
    # converted from transformers: CTranslate2 adds no </s>; the tokenizer used to
    eos = () if config.get("add_source_eos") else (str(config.get("eos_token") or "</s>"),)
    source_prefix: tuple[str, ...] = ()
    target_prefix: tuple[str, ...] = ()
    if kind == "marian":
        multi_target = len({b for _, b in info.pairs}) > 1
        if multi_target or target in info.card.language_tokens:
            source_prefix = (_token(info, target, "target"),)
    else:  # m2m100, nllb
        source_prefix = (_token(info, source, "source"),)
        target_prefix = (_token(info, target, "target"),)
    _check_vocabulary(info, "source", source_prefix)
    _check_vocabulary(info, "target", target_prefix)
    return {"source_prefix": source_prefix, "source_suffix": eos, "target_prefix": target_prefix}


def _sentencepiece(info: PackageInfo, name: str, what: str) -> Any:
    import sentencepiece

    path = info.path / name
    if not path.is_file():
        raise ModelError(
            f"cannot load the {what} model: the {info.kind} package has no tokenizer file {name}",
            where=str(path),
            fix=f'correct the card\'s tokenizer names (metadata.json "bilingual"), or {REINSTALL}',
        )
    try:
        return sentencepiece.SentencePieceProcessor(model_file=str(path))
    except (RuntimeError, OSError, ValueError) as exc:
        raise ModelError(
            f"cannot load the {what} model's tokenizer {name}: {exc}",
            where=str(path),
            fix=REINSTALL,
        ) from None


def make_adapter(
    info: PackageInfo, source: str | None = None, target: str | None = None
) -> Adapter:
    """The adapter of an installed package for ``source -> target`` (default: its own
    pair). Raises :class:`~bilingual.errors.ModelError` (naming the package's path) for an
    unknown kind, a direction it does not serve, a missing tokenizer file or a language
    token the model's vocabulary lacks."""
    source = source or info.from_code
    target = target or info.to_code
    model_dir = info.path / "model"
    # CTranslate2 itself adds the bos/eos that model/config.json asks for
    # (add_source_bos / add_source_eos); they only count towards the input length here.
    config = read_json(model_dir / "config.json")
    metadata = read_json(info.path / "metadata.json")
    tokens = special_tokens(info, source, target, config, metadata)
    what = f"{source}->{target}"
    source_sp = _sentencepiece(info, info.card.source_tokenizer, what)
    target_sp = (
        source_sp
        if info.card.target_tokenizer == info.card.source_tokenizer
        else _sentencepiece(info, info.card.target_tokenizer, what)
    )
    return Adapter(
        kind=info.kind,
        source_sp=source_sp,
        target_sp=target_sp,
        added=int(bool(config.get("add_source_bos"))) + int(bool(config.get("add_source_eos"))),
        hidden=frozenset(info.card.language_tokens.values())
        if info.kind != "argos"
        else frozenset(),
        **tokens,
    )
