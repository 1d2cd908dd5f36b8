"""``bilingual review import``: a reviewer's corrections in briefing DOCX files, into the memory."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from bilingual.cli._common import (
    EXIT_ERROR,
    GLOSSARY_OPTION,
    MEMORY_OPTION,
    console,
    handled,
    print_error,
    review_app,
    shown,
    workspace,
)

# The options `review import` and `import xliff` share, declared once.
DryRun = Annotated[
    bool, typer.Option("--dry-run", help="Report what would be imported; write nothing.")
]
WordDiff = Annotated[
    bool, typer.Option("--diff", help="Show a word diff of every changed sentence.")
]


@review_app.command("import")
def review_import(
    files: Annotated[
        list[Path], typer.Argument(help="Reviewed briefing .docx files.", readable=False)
    ],
    dry_run: DryRun = False,
    diff: WordDiff = False,
    reject_changes: Annotated[
        bool,
        typer.Option(
            "--reject-changes",
            help="Read the text as it was before the reviewer's tracked changes.",
        ),
    ] = False,
    approve: Annotated[
        bool,
        typer.Option(
            "--approve",
            help="The reviewer signed the briefings off: store every sentence as approved, "
            "unchanged ones too.",
        ),
    ] = False,
    memory: Annotated[Path | None, MEMORY_OPTION] = None,
    glossary: Annotated[Path | None, GLOSSARY_OPTION] = None,
) -> None:
    """Store every corrected sentence as a reviewed unit; report changes per article.

    Edits to the Arabic column are ignored and reported; the glossary is never changed,
    but a rendering the reviewer replaced is reported with the command that would
    update it.
    """
    from bilingual.errors import BilingualError
    from bilingual.glossary.store import load_glossary
    from bilingual.glossary.term import EMPTY
    from bilingual.review import read_review

    failed = 0
    with handled():
        space, said = review_space(files, glossary=glossary, memory=memory)
        for line in said:
            console(stderr=True).print(line, markup=False)
        terms = load_glossary(space.glossary_dir) if space.glossary_dir else EMPTY
        reviews = []
        for file in files:
            try:
                # the JSON bilingual wrote with it: beside it, else in the output folder
                # (a briefing sent back by mail and saved elsewhere)
                twin = file.with_suffix(".json")
                if not twin.is_file():
                    twin = space.out_dir / twin.name
                reviews.append(
                    read_review(
                        file,
                        glossary=terms,
                        reject_changes=reject_changes,
                        approve=approve,
                        twin=twin,
                    )
                )
            except BilingualError as exc:
                print_error(exc.message)
                failed += 1
        assert space.memory is not None
        report_and_store(reviews, space.memory, diff=diff, dry_run=dry_run)
    if failed:
        raise typer.Exit(EXIT_ERROR)


def review_space(
    files: list[Path], *, glossary: Path | None, memory: Path | None
) -> tuple[Any, list[str]]:
    """The glossary and memory the briefings were made with, and what to say about them.

    A briefing in a project is imported into that project's memory, from any folder;
    outside every project the memory is the one its run wrote beside it
    (``memory.sqlite`` in its output folder). A memory named by ``--memory``,
    ``BILINGUAL_MEMORY`` or the project is used as given (a new one is said to be new);
    a default one that is not there is refused: the edits would go into a memory no run
    reads."""
    import os
    from dataclasses import replace

    from bilingual.config import MEMORY_FILE, resolve_workspace
    from bilingual.errors import ReviewError
    from bilingual.project import find_project

    here = find_project(Path.cwd())
    theirs = find_project(files[0].parent) if files else None
    named = memory is not None or bool(os.environ.get("BILINGUAL_MEMORY"))
    said: list[str] = []
    if not named and theirs is not None and (here is None or here.file != theirs.file):
        given = Path.cwd() / glossary if glossary is not None else None
        space = resolve_workspace(project=theirs, cwd=theirs.root, glossary=given)
        said.append(f"the briefing's project {shown(theirs.file)}: its glossary and memory")
    else:
        space = workspace(glossary=glossary, memory=memory)
        if not named and here is None and files:
            space = replace(space, memory=files[0].parent / MEMORY_FILE)
    named = named or space.project is not None
    assert space.memory is not None
    if not space.memory.exists() and not named:
        raise ReviewError(
            f"no translation memory beside the briefing ({space.memory}) and no project: "
            "the corrections would go into a memory no run reads",
            where=str(files[0]) if files else None,
            fix="give the memory the briefing was made with: --memory PATH (a new file "
            "there starts a new memory), or run from its project",
        )
    if space.glossary_dir is None:
        said.append(
            "warning: no glossary: a reviewer's change to a glossary rendering is not reported"
        )
    return space, said


def report_and_store(reviews: list[Any], memory: Path, *, diff: bool, dry_run: bool) -> None:
    """Show each review, then put them all into the memory in one go (unless a dry run):
    the tail that `review import` and `import xliff` share."""
    from bilingual.memory.store import TranslationMemory
    from bilingual.review import store_reviews

    for review in reviews:
        print_review(review, diff)
    if dry_run:
        console().print(f"--dry-run: nothing written to {shown(memory)}", markup=False)
    elif reviews:
        new = not memory.exists()
        with TranslationMemory(memory) as tm:
            added = sum(store_reviews(tm, reviews))
        if new:
            console().print(f"created a new memory at {shown(memory)}", markup=False)
        console().print(f"{added} new unit(s) in {shown(memory)}", markup=False)


def print_review(review: Any, diff: bool) -> None:
    from bilingual.review import row_messages

    out = console()
    changed = [c for c in review.changed if c.level == "sentence"]
    out.print(
        f"{shown(review.path)}: {len(changed)} sentence(s) changed, {review.unchanged} unchanged "
        f"kept or approved, {len(review.paragraph_changes)} paragraph(s) merged or split, "
        f"{len(review.unmappable)} unmappable",
        markup=False,
    )
    for change in review.paragraph_changes:
        out.print(
            f"  {change.segment_id} ({change.lang}): sentences merged or split; stored as one "
            "paragraph-level unit",
            markup=False,
        )
    for seg in review.source_edits:
        out.print(
            f"  {seg}: the source column was edited; ignored (the source is read-only)",
            markup=False,
        )
    for message in review.unmappable:
        out.print(f"  unmappable: {message}", markup=False)
    for message in row_messages(review):
        out.print(f"  {message}", markup=False)
    if review.ticked:
        ticked = ", ".join(review.ticked)
        out.print(f"  approved (box ticked), as the document has them: {ticked}", markup=False)
    if diff:
        for change in review.changed:
            out.print(f"  {change.segment_id} ({change.lang}): {change.diff()}", markup=False)
    for notice in review.terms:
        out.print(
            f"  term {notice.term_id} ({notice.lang}): the reviewer replaced {notice.rendering!r} "
            f"in {notice.segment_id}; to change the glossary: {notice.command}",
            markup=False,
        )
    for name in review.names:
        out.print(
            f"  name {name.source} ({name.target_lang}): the reviewer's {name.rendering!r} "
            f"({name.segment}) is kept for it from now on, in every article",
            markup=False,
        )
