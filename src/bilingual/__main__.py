"""``python -m bilingual``: the same as the ``bilingual`` command."""

from bilingual.cli import main

main()
