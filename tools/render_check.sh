#!/usr/bin/env bash
# Render the test factory's Arabic -> English + Vietnamese briefing with LibreOffice:
# writes docs/briefing-page1.png (page 1 at 80 dpi, shown in the README and in
# docs/briefing.md) and, with --keep DIR, leaves the DOCX and PDF in DIR for a closer look.
# Needs: soffice (libreoffice-writer-nogui), pdftoppm (poppler-utils), fonts-noto-core,
# fonts-dejavu-core. Usage: tools/render_check.sh [--keep DIR]
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-$root/.venv/bin/python}
soffice=$(command -v soffice || command -v libreoffice || true)
if [[ -z $soffice ]] || ! command -v pdftoppm >/dev/null; then
    echo "render_check: needs soffice and pdftoppm (apt-get install libreoffice-writer-nogui poppler-utils)" >&2
    exit 2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

PYTHONPATH="$root/tests${PYTHONPATH:+:$PYTHONPATH}" "$python" - "$work/briefing.docx" <<'PY'
import sys
from pathlib import Path

from briefing_factory import example_en_vi

from bilingual.docx_io import write_docx

write_docx(example_en_vi(), Path(sys.argv[1]))
PY

timeout 240 "$soffice" "-env:UserInstallation=file://$work/profile" --headless --norestore \
    --convert-to pdf --outdir "$work" "$work/briefing.docx" >/dev/null 2>&1
pdftoppm -png -r 80 -f 1 -l 1 -singlefile "$work/briefing.pdf" "$work/page1"
mkdir -p "$root/docs"
mv "$work/page1.png" "$root/docs/briefing-page1.png"
echo "wrote $root/docs/briefing-page1.png"

if [[ ${1:-} == --keep && -n ${2:-} ]]; then
    mkdir -p "$2"
    cp "$work/briefing.docx" "$work/briefing.pdf" "$2/"
    echo "kept briefing.docx and briefing.pdf in $2"
fi
