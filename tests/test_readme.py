"""Every shell command in README.md and docs/*.md runs as written on a fresh clone, and
every relative link in them leads somewhere.

The ```bash blocks are taken from each page in order and run, section by section (a ``#``
or ``##`` heading starts a new shell in the clone's root; a ``cd`` holds until the section
ends), in a copy of the git-tracked files with ``.venv`` pointing at the virtual
environment the tests run in, a fresh ``BILINGUAL_HOME`` and that environment's ``bin``
first on ``PATH`` (for a bare ``bilingual`` or ``python3``). Each page gets its own clone
and home: the README's own install command fills the home, and a docs page runs that
command first, as a reader who followed the README's set-up would have. Each command must
exit 0. Only the commands in :data:`SKIPPED` are not run, each for the reason given there;
a command naming ``../shared`` runs only where ``../shared`` exists.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, SHARED

SKIPPED = {
    # command prefix: why the test does not run it
    "python3 -m venv": "makes a virtual environment; the test runs in one already",
    ".venv/bin/pip install": "installs from the package index (network)",
    "pip install 'bilingual[ray]'": "installs Ray from the package index (network)",
    "/tmp/venv-train/": "builds the test models: torch from the network, about 30 minutes",
    "python3 tools/build_kind_models.py --bench": "writes ~1.2 GB of random-weight bench models",
    "bilingual models install ar en": "downloads from the argos index (network)",
    "bilingual models install https://": "downloads from a URL (network; the URL is elided)",
    "bilingual models install /media/usb/": "the path stands for the user's own copy",
    "bilingual models import /media/usb/": "the path stands for the user's own copy",
    "bilingual models install translate-ar_en-1_0.argosmodel": (
        "the real model, a copy the user has (docs/cluster.md)"
    ),
    "ct2-transformers-converter": "converts a checkpoint from the Hugging Face hub (network)",
    "bilingual translate archive/": "the folder stands for the user's archive; decodes on Ray",
    "bilingual translate /shared/archive/": "an archive on a Ray cluster's shared disk",
    "ray start": "starts a node of a Ray cluster (the cluster's machines)",
    "export BILINGUAL_HOME=/shared/": "a model home shared by a Ray cluster's machines",
    ".venv/bin/ruff": "lint and format checks: the CI runs them on the repository itself",
    ".venv/bin/mypy": "the type check: the CI runs it on the repository itself",
    ".venv/bin/pytest": "the whole test suite, this test included",
}

README = REPO / "README.md"
PAGES = [README, *sorted((REPO / "docs").glob("*.md"))]
"""The pages whose commands run and whose links are checked."""


def _name(page: Path) -> str:
    return page.relative_to(REPO).as_posix()


def page_commands(page: Path) -> list[tuple[str, list[str]]]:
    """(section heading, its shell command lines) for every section of ``page`` with a
    bash block. Headings count only outside code blocks (a ``# comment`` in a TOML block
    is none)."""
    sections: list[tuple[str, list[str]]] = []
    heading, fence = "(top)", None
    for line in page.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if fence is None and re.match(r"##? ", line):
            heading = line.lstrip("# ").strip()
        elif fence is None and stripped.startswith("```"):
            fence = stripped[3:].strip()
            if fence == "bash" and (not sections or sections[-1][0] != heading):
                sections.append((heading, []))
        elif fence is not None and stripped == "```":
            fence = None
        elif fence == "bash" and stripped and not stripped.startswith("#"):
            sections[-1][1].append(stripped)
    return sections


def readme_commands() -> list[tuple[str, list[str]]]:
    return page_commands(README)


def setup_commands() -> list[str]:
    """The README's set-up install command: what a docs page's commands take as done."""
    setup = [lines for heading, lines in readme_commands() if heading.startswith("Set up")]
    assert setup, "README.md has no 'Set up' section with commands"
    return [line for line in setup[0] if " models install " in line]


def _skipped_by(part: str) -> str | None:
    """The :data:`SKIPPED` prefix that leaves ``part`` out, if any."""
    command = re.sub(r"^\.\./", "", part.strip())  # ../.venv/bin/x is .venv/bin/x
    for prefix in SKIPPED:
        if command.startswith(prefix) or part.strip().startswith(prefix):
            return prefix
    return None


def _script(lines: list[str], used: set[str], skipped: list[str]) -> str:
    """A bash script running ``lines`` in order, stopping at the first that fails; the
    parts of a ``&&`` chain in :data:`SKIPPED` are left out of it."""
    out = ["set -u"]
    for line in lines:
        parts = line.split(" && ")
        kept = []
        for part in parts:
            prefix = _skipped_by(part)
            if prefix is None:
                kept.append(part)
                continue
            used.add(prefix)
            skipped.append(f"{part.strip()}  ({SKIPPED[prefix]})")
        if not kept:
            continue
        command = " && ".join(kept)
        out.append(command)  # its own line: a trailing "# comment" ends here
        out.append(
            f'rc=$?; if [ $rc -ne 0 ]; then echo "command exited $rc: "'
            f"{shlex.quote(command)} >&2; exit 1; fi"
        )
    return "\n".join(out) + "\n"


def _clone(dest: Path) -> Path:
    """The git-tracked files of the repository, as a fresh clone has them."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout: no list of the files a fresh clone holds")
    for name in listed.decode("utf-8", "surrogateescape").split("\0"):
        source = REPO / name
        if name and source.is_file():
            target = dest / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    # the pages' ".venv/bin/..." is the environment these tests run in
    (dest / ".venv").symlink_to(Path(sys.prefix), target_is_directory=True)
    if SHARED.is_dir():
        (dest.parent / "shared").symlink_to(SHARED, target_is_directory=True)
    return dest


def test_the_pages_have_commands_and_every_skip_is_used() -> None:
    assert sum(len(lines) for _, lines in readme_commands()) >= 10
    assert setup_commands(), "the README's set-up installs no models"
    used: set[str] = set()
    for page in PAGES:
        for _, lines in page_commands(page):
            _script(lines, used, [])
    assert used == set(SKIPPED), f"SKIPPED entries no page's command needs: {set(SKIPPED) - used}"


@pytest.mark.parametrize("page", [p for p in PAGES if page_commands(p)], ids=_name)
def test_every_command_runs_on_a_fresh_clone(page: Path, tmp_path: Path) -> None:
    sections = page_commands(page)
    if not any(_script(lines, set(), []).count("rc=$?") for _, lines in sections):
        pytest.skip(f"every command of {_name(page)} is in SKIPPED")
    if page != README:  # a reader of a docs page has done the README's set-up
        sections = [("set-up (README.md)", setup_commands()), *sections]
    clone = _clone(tmp_path / "clone")
    env = {
        **os.environ,
        "BILINGUAL_HOME": str(tmp_path / "home"),
        "PATH": f"{Path(sys.prefix) / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
        "BILINGUAL_THREADS": "2",
    }
    for name in [
        k
        for k in env
        if k.startswith("BILINGUAL_") and k not in ("BILINGUAL_HOME", "BILINGUAL_THREADS")
    ]:
        del env[name]  # the pages' commands run with the defaults a new user has
    skipped: list[str] = []
    ran = 0
    for heading, lines in sections:
        needs_shared = [line for line in lines if "../shared" in line]
        if needs_shared and not SHARED.is_dir():
            skipped.extend(f"{line}  (needs ../shared, absent)" for line in needs_shared)
            lines = [line for line in lines if "../shared" not in line]
        script = _script(lines, set(), skipped)
        ran += script.count("rc=$?")
        proc = subprocess.run(
            ["bash", "-c", script],
            cwd=clone,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
        )
        assert proc.returncode == 0, (
            f"section {heading!r} of {_name(page)}:\n{proc.stderr[-3000:]}\n{proc.stdout[-2000:]}"
        )
    if page == README:
        assert ran >= 8, f"only {ran} README commands ran; skipped: {skipped}"
        assert (clone / "desk" / "output" / "001_sample_meeting.docx").is_file()


# ---- links ---------------------------------------------------------------------------

_LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_CODE_SPAN = re.compile(r"(`+).*?\1")


def _prose(page: Path) -> list[str]:
    """The lines of ``page`` outside code blocks, with code spans blanked."""
    lines, fence = [], False
    for line in page.read_text(encoding="utf-8").splitlines():
        if line.strip().startswith("```"):
            fence = not fence
            continue
        if not fence:
            lines.append(_CODE_SPAN.sub("``", line))
    return lines


def anchors(page: Path) -> set[str]:
    """The anchors GitHub gives the headings of ``page``: lower case, punctuation dropped,
    spaces as hyphens, a repeated one numbered ``-1``, ``-2``..."""
    seen: dict[str, int] = {}
    out: set[str] = set()
    fence = False
    for line in page.read_text(encoding="utf-8").splitlines():
        if line.strip().startswith("```"):
            fence = not fence
            continue
        match = re.match(r"#{1,6} (.*)", line)
        if fence or not match:
            continue
        text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", match.group(1).strip())
        slug = re.sub(r"[^\w\- ]", "", text.lower()).replace(" ", "-")
        out.add(f"{slug}-{seen[slug]}" if slug in seen else slug)
        seen[slug] = seen.get(slug, 0) + 1
    return out


def test_every_relative_link_leads_to_a_file_and_heading_that_exist() -> None:
    broken = []
    for page in PAGES:
        for line in _prose(page):
            for target in _LINK.findall(line):
                if re.match(r"[a-z][a-z0-9+.-]*:", target):  # https:, mailto:
                    continue
                path, _, anchor = target.partition("#")
                dest = (page.parent / path).resolve() if path else page
                if not dest.exists():
                    broken.append(f"{_name(page)}: {target} (no such file)")
                elif anchor and dest.suffix == ".md" and anchor not in anchors(dest):
                    broken.append(f"{_name(page)}: {target} (no such heading)")
    assert not broken, "\n".join(broken)


def test_the_docs_named_in_the_source_exist() -> None:
    """A message or docstring that sends the reader to a page names one that exists
    (``Install the real models (docs/models.md: ...)``)."""
    missing = []
    for source in sorted((REPO / "src").rglob("*.py")):
        text = source.read_text(encoding="utf-8")
        for named in sorted(set(re.findall(r"\b((?:docs|bench)/[\w.-]+\.md)\b", text))):
            if not (REPO / named).is_file():
                missing.append(f"{source.relative_to(REPO)}: {named}")
    assert not missing, "\n".join(missing)
