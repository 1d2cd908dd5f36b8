"""Similar units: the reviewed sentence of any article, any day, closest to a new one.

A sentence with no exact match in the memory may still be close to one a reviewer
translated before (a follow-up story that changes a word). This module finds, for many
sentences at once, the most similar reviewed or approved unit at or above a threshold.
Nothing here uses it: the pipeline shows it to the reviewer (a comment), never as text.

**Similarity** is word-level, on the source as :func:`normalized_words` gives it (the
language's matching normalisation, as :func:`~bilingual.memory.store.source_key` uses:
for Arabic, diacritics and tatweel dropped, letter variants unified): the Indel
similarity of the two word sequences, ``2 * common / (len(a) + len(b))`` with ``common``
their longest common subsequence (rapidfuzz computes it). One word changed in twenty
scores 95 %.

**The index** (``similar_keys``): MinHash over word trigrams, cut into :data:`BANDS`
bands of :data:`ROWS` values, each band one 64-bit key (locality-sensitive hashing).
Two sentences that share most word trigrams very likely share a band key; two
unrelated ones very rarely do. A look-up puts the queries' keys into a temporary table,
joins it with the index in one query, keeps the few candidates of each query that share
the most keys, and scores only those. Measured against SQLite FTS5 with its trigram
tokenizer (docs/benchmarks.md): a sentence's hundred-odd character trigrams each have
posting lists of a large part of the memory, so that scan costs far more than a join
of a dozen indexed keys. Units are keyed when added (:func:`index_units`), and an older
memory gets its keys in :func:`migrate`.
"""

from __future__ import annotations

import json
import sqlite3
import unicodedata
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from rapidfuzz.distance import Indel

from bilingual.lang import LANGUAGES

COUNTED = "u.status IN ('reviewed', 'approved') AND u.retired_at IS NULL"
"""Which units are ever suggested (as a condition on ``units u``): a reviewer's live work,
never a machine's, nor a unit retired by hand, by a later edit or by a retracted import."""

DEFAULT_THRESHOLD = 0.75
"""Similarity from which a unit is suggested."""

BANDS = 10
"""Keys per unit. Two sentences are candidates when they share one; more bands find
more distant relatives, at the cost of index size and look-up time."""
ROWS = 2
"""MinHash values per band: two sentences share a band with probability about J², J the
Jaccard similarity of their word-trigram sets (two unrelated sentences: almost never)."""
SHINGLE = 3
"""Words per shingle (trigrams: a changed word touches three shingles)."""
CANDIDATES = 3
"""Candidates scored per query: those sharing the most band keys with it."""

SCHEMA = """
CREATE TABLE similar_keys (
    key INTEGER NOT NULL, unit INTEGER NOT NULL, PRIMARY KEY (key, unit)
) WITHOUT ROWID
"""

_BATCH = 500  # units keyed per numpy pass: bounded memory (a 60-word unit makes 62 shingles)
_rng = np.random.default_rng(20261207)  # fixed: keys must be the same in every process
_MULT = _rng.integers(1, 2**63, size=BANDS * ROWS, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
_ADD = _rng.integers(0, 2**63, size=BANDS * ROWS, dtype=np.uint64)
_BAND_MULT = _rng.integers(1, 2**63, size=(BANDS, ROWS), dtype=np.uint64) * np.uint64(2) + 1
_EDGE = 0x9E3779B9  # the hash of the padding word before and after a sentence
_WORDS: dict[str, dict[str, tuple[str, int]]] = {}  # language -> word -> normalised
_WORDS_MAX = 200_000


@dataclass(frozen=True)
class Candidate:
    """The most similar unit found for one query."""

    unit_id: int
    score: float
    source: str
    target: str
    status: str
    article: str
    created_at: str
    origin: str


def _normalized(lang: str, word: str) -> tuple[str, int]:
    text = unicodedata.normalize("NFC", word)
    language = LANGUAGES.get(lang)
    if language is not None and language.source is not None:
        text = language.source.normalize(text)[0]
    return text, zlib.crc32(text.encode())


def normalized_words(lang: str, text: str) -> list[tuple[str, int]]:
    """The words of ``text`` as matching sees them (normalised one by one: the
    normalisation is per character, and a vocabulary repeats, so each word is worked out
    once and cached), with their stable hashes; words normalised away are dropped."""
    known = _WORDS.setdefault(lang, {})
    if len(known) >= _WORDS_MAX:
        known.clear()
    words = text.split()
    try:
        found = [known[w] for w in words]
    except KeyError:
        found = [known.get(w) or _remember(known, w, _normalized(lang, w)) for w in words]
    return [w for w in found if w[0]]


def _remember(
    known: dict[str, tuple[str, int]], word: str, value: tuple[str, int]
) -> tuple[str, int]:
    # a number is seldom seen twice (a TMX may end every unit with its own): not cached,
    # or the cache would grow with the units instead of the vocabulary
    if not any(ch.isdigit() for ch in word):
        known[word] = value
    return value


def pair_salt(source_lang: str, target_lang: str) -> int:
    """What a language pair mixes into its keys: a unit is only found for its own pair."""
    return zlib.crc32(f"{source_lang}>{target_lang}".encode())


def _signatures(hashes: Sequence[Sequence[int]], salts: Sequence[int]) -> Any:
    """Band keys (``len(hashes)`` x :data:`BANDS`, int64) of word-hash sequences, each
    row salted with its language pair (:func:`pair_salt`)."""
    starts: list[int] = []
    flat: list[int] = []
    for words in hashes:
        starts.append(len(flat))
        flat += [_EDGE, *words, _EDGE] if len(words) + 2 >= SHINGLE else [_EDGE, *words, _EDGE, 0]
    words_arr = np.asarray(flat, dtype=np.uint64)
    ends = np.asarray([*starts[1:], len(flat)], dtype=np.int64)
    begin = np.asarray(starts, dtype=np.int64)
    # shingle i spans words i..i+SHINGLE-1 of the same sentence
    counts = ends - begin - (SHINGLE - 1)
    first = np.repeat(begin, counts) + (
        np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    )
    shingles = np.zeros(len(first), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for k in range(SHINGLE):
            shingles = shingles * np.uint64(0x100000001B3) + words_arr[first + k]
        shingles ^= shingles >> np.uint64(29)
        mins = np.empty((len(hashes), BANDS * ROWS), dtype=np.uint64)
        offsets = np.cumsum(counts) - counts
        for j in range(BANDS * ROWS):
            values = shingles * _MULT[j] + _ADD[j]
            values ^= values >> np.uint64(31)
            mins[:, j] = np.minimum.reduceat(values, offsets)
        keys = np.zeros((len(hashes), BANDS), dtype=np.uint64)
        for b in range(BANDS):
            for r in range(ROWS):
                keys[:, b] = keys[:, b] * np.uint64(31) + mins[:, b * ROWS + r] * _BAND_MULT[b, r]
        keys ^= np.asarray(salts, dtype=np.uint64)[:, None] * np.uint64(0xC2B2AE3D27D4EB4F)
    return keys.view(np.int64)


def index_units(db: sqlite3.Connection, after: int) -> None:
    """Key every unit with an id above ``after`` (inside the caller's transaction): the
    rows :meth:`~bilingual.memory.store.TranslationMemory.add_units` just added."""
    cursor = db.execute(
        "SELECT u.id, u.source_lang, u.target_lang, u.source FROM units u WHERE u.id > ? "
        f"AND u.level = 'sentence' AND {COUNTED} ORDER BY u.id",
        (after,),
    )
    while True:
        rows = cursor.fetchmany(_BATCH)
        if not rows:
            return
        hashes = [[h for _, h in normalized_words(str(r[1]), str(r[3]))] for r in rows]
        keys = _signatures(hashes, [pair_salt(str(r[1]), str(r[2])) for r in rows])
        ids = [int(r[0]) for r in rows]
        # in key order: the B-tree is filled page by page, not at random places
        pairs = sorted((k, ids[i]) for i, row in enumerate(keys.tolist()) for k in row)
        db.executemany(
            "INSERT INTO similar_keys (key, unit) VALUES (?, ?) ON CONFLICT DO NOTHING", pairs
        )


def migrate(db: sqlite3.Connection) -> None:
    """The schema step that adds the index, keying every unit already stored."""
    db.execute(SCHEMA)
    index_units(db, 0)


@dataclass(frozen=True)
class Wanted:
    """One sentence to find a similar unit for."""

    source_lang: str
    source: str
    target_lang: str


def find_similar(
    db: sqlite3.Connection, queries: Sequence[Wanted], threshold: float = DEFAULT_THRESHOLD
) -> list[Candidate | None]:
    """The most similar counted unit (:data:`COUNTED`, sentence level, same languages)
    for each query at or above ``threshold``, else None: one join for all the queries."""
    words = [normalized_words(q.source_lang, q.source) for q in queries]
    out: list[Candidate | None] = [None] * len(queries)
    if not queries:
        return out
    salts = [pair_salt(q.source_lang, q.target_lang) for q in queries]
    keys = _signatures([[h for _, h in w] for w in words], salts)
    # the distinct keys go in as one sorted JSON array (json_each): one statement, the
    # index walked in order; measured faster than a temporary table filled row by row
    asked = np.asarray([bool(w) for w in words])
    distinct = np.unique(keys[asked])
    found = db.execute(
        "SELECT k.key, k.unit FROM json_each(?) j JOIN similar_keys k ON k.key = j.value",
        (json.dumps(distinct.tolist()),),
    ).fetchall()
    picked = _most_shared(keys, asked, found)
    units = _units(db, sorted({u for c in picked.values() for u in c}))
    for q, candidates in picked.items():
        out[q] = _best(queries[q], [w for w, _ in words[q]], candidates, units, threshold)
    return out


def _most_shared(keys: Any, asked: Any, found: Sequence[tuple[int, int]]) -> dict[int, list[int]]:
    """Query -> the :data:`CANDIDATES` units sharing the most keys with it (the newest
    first among equals), from the ``(key, unit)`` rows of the join: counted with numpy,
    as a large memory returns hundreds of thousands of rows."""
    if not found:
        return {}
    pairs = np.asarray(found, dtype=np.int64)
    order = np.argsort(pairs[:, 0], kind="stable")
    posted, units = pairs[order, 0], pairs[order, 1]
    flat = keys.ravel()
    query = np.repeat(np.arange(len(keys)), keys.shape[1])
    flat, query = flat[np.repeat(asked, keys.shape[1])], query[np.repeat(asked, keys.shape[1])]
    left = np.searchsorted(posted, flat, "left")
    hits = np.searchsorted(posted, flat, "right") - left
    total = int(hits.sum())
    where = np.repeat(left, hits) + (np.arange(total) - np.repeat(np.cumsum(hits) - hits, hits))
    both = (np.repeat(query, hits) << 32) | units[where]
    pair, shared = np.unique(both, return_counts=True)
    q, unit = pair >> 32, pair & 0xFFFFFFFF
    ranked = np.lexsort((-unit, -shared, q))  # by query, then most shared, then newest
    q, unit = q[ranked], unit[ranked]
    starts = np.searchsorted(q, q, "left")
    keep = (np.arange(len(q)) - starts) < CANDIDATES
    out: dict[int, list[int]] = {}
    for a, b in zip(q[keep].tolist(), unit[keep].tolist(), strict=True):
        out.setdefault(a, []).append(b)
    return out


_COLUMNS = (
    "u.id, u.source_lang, u.target_lang, u.source, u.target, u.status, u.article, "
    "u.created_at, u.origin"
)


def _units(db: sqlite3.Connection, ids: Sequence[int]) -> dict[int, tuple[Any, ...]]:
    """The counted sentence units among ``ids``, by id, each row ending with its source's
    normalised words (worked out once, however many queries it is a candidate for)."""
    found: dict[int, tuple[Any, ...]] = {}
    for row in db.execute(
        f"SELECT {_COLUMNS} FROM json_each(?) j JOIN units u ON u.id = j.value "
        f"WHERE u.level = 'sentence' AND {COUNTED}",
        (json.dumps(list(ids)),),
    ):
        words = [w for w, _ in normalized_words(str(row[1]), str(row[3]))]
        found[int(row[0])] = (*row, words)
    return found


def _best(
    query: Wanted,
    words: Sequence[str],
    candidates: Sequence[int],
    units: dict[int, tuple[Any, ...]],
    threshold: float,
) -> Candidate | None:
    best: tuple[float, bool, int] | None = None
    for unit_id in candidates:
        row = units.get(unit_id)
        if row is None or row[1] != query.source_lang or row[2] != query.target_lang:
            continue
        score = Indel.normalized_similarity(words, row[9])
        rank = (score, row[5] == "approved", unit_id)
        if score >= threshold and (best is None or rank > best):
            best = rank
    if best is None:
        return None
    row = units[best[2]]
    return Candidate(
        int(row[0]), best[0], str(row[3]), str(row[4]), str(row[5]), str(row[6]), str(row[7]),
        str(row[8]),
    )  # fmt: skip
