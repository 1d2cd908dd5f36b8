"""Model management: list, find, install and remove argos translation packages.

Packages live in ``settings.packages_dir`` (``BILINGUAL_HOME/packages``), one entry per
package. The modules, lowest first:

* :mod:`~bilingual.models.locks`: the install and swap locks of a packages folder;
* :mod:`~bilingual.models.archive`: checking and unpacking an untrusted ``.argosmodel``
  zip within limits;
* :mod:`~bilingual.models.registry`: what is installed, and choosing the package for a
  pair (or each hop of a route);
* :mod:`~bilingual.models.install`: installing and removing, atomically and one at a time;
* :mod:`~bilingual.models.download`: downloading from a URL or the argos index;
* :mod:`~bilingual.models.importer`: ``bilingual models import``, an OPUS-MT release
  (:mod:`~bilingual.models.opus`) or a CTranslate2 folder (:mod:`~bilingual.models.ct2dir`)
  installed like an argos package; :mod:`~bilingual.models.licence` says their licences.
"""

from __future__ import annotations

from bilingual.models.archive import MAX_RATIO, MAX_UNPACKED_BYTES
from bilingual.models.download import (
    MAX_DOWNLOAD_BYTES,
    Progress,
    install_from_index,
    install_from_url,
)
from bilingual.models.importer import (
    IMPORT_KINDS,
    QUANTIZATIONS,
    ImportOptions,
    import_model,
    parse_pairs,
)
from bilingual.models.install import install_package_file, remove_package
from bilingual.models.licence import licence_label, licence_lines, non_commercial_notes
from bilingual.models.registry import (
    EN_VI_URL,
    PackageInfo,
    choose_package,
    find_package,
    installed_listing,
    installed_packages,
    package_reading,
    rank_packages,
    route_choices,
    route_packages,
)

__all__ = [
    "EN_VI_URL",
    "IMPORT_KINDS",
    "MAX_DOWNLOAD_BYTES",
    "MAX_RATIO",
    "MAX_UNPACKED_BYTES",
    "QUANTIZATIONS",
    "ImportOptions",
    "PackageInfo",
    "Progress",
    "choose_package",
    "find_package",
    "import_model",
    "install_from_index",
    "install_from_url",
    "install_package_file",
    "installed_listing",
    "installed_packages",
    "licence_label",
    "licence_lines",
    "non_commercial_notes",
    "package_reading",
    "parse_pairs",
    "rank_packages",
    "remove_package",
    "route_choices",
    "route_packages",
]
