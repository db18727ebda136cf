"""Labels beside the codes the API returns: the marketplace's controlled lists, the UN's
seventeen Sustainable Development Goals and the SPDX licences cities use most.

The API answers in English, as the programme's own pages do; a code no list knows keeps
itself as its label, so nothing stored is ever dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.db.models import TextChoices

from icc.marketplace.vocabulary import SDG_TARGET

# The names the United Nations gives its goals.
SDG_GOALS: dict[int, str] = {
    1: "No poverty",
    2: "Zero hunger",
    3: "Good health and well-being",
    4: "Quality education",
    5: "Gender equality",
    6: "Clean water and sanitation",
    7: "Affordable and clean energy",
    8: "Decent work and economic growth",
    9: "Industry, innovation and infrastructure",
    10: "Reduced inequalities",
    11: "Sustainable cities and communities",
    12: "Responsible consumption and production",
    13: "Climate action",
    14: "Life below water",
    15: "Life on land",
    16: "Peace, justice and strong institutions",
    17: "Partnerships for the goals",
}

# Full names from the SPDX licence list, for the identifiers public-sector software uses most.
SPDX_NAMES: dict[str, str] = {
    "AGPL-3.0-only": "GNU Affero General Public License v3.0 only",
    "AGPL-3.0-or-later": "GNU Affero General Public License v3.0 or later",
    "Apache-2.0": "Apache License 2.0",
    "BSD-2-Clause": 'BSD 2-Clause "Simplified" License',
    "BSD-3-Clause": 'BSD 3-Clause "New" or "Revised" License',
    "CC-BY-4.0": "Creative Commons Attribution 4.0 International",
    "CC-BY-SA-4.0": "Creative Commons Attribution Share Alike 4.0 International",
    "CC0-1.0": "Creative Commons Zero v1.0 Universal",
    "EPL-2.0": "Eclipse Public License 2.0",
    "EUPL-1.1": "European Union Public License 1.1",
    "EUPL-1.2": "European Union Public License 1.2",
    "GPL-2.0-only": "GNU General Public License v2.0 only",
    "GPL-2.0-or-later": "GNU General Public License v2.0 or later",
    "GPL-3.0-only": "GNU General Public License v3.0 only",
    "GPL-3.0-or-later": "GNU General Public License v3.0 or later",
    "ISC": "ISC License",
    "LGPL-2.1-only": "GNU Lesser General Public License v2.1 only",
    "LGPL-2.1-or-later": "GNU Lesser General Public License v2.1 or later",
    "LGPL-3.0-only": "GNU Lesser General Public License v3.0 only",
    "LGPL-3.0-or-later": "GNU Lesser General Public License v3.0 or later",
    "MIT": "MIT License",
    "MPL-2.0": "Mozilla Public License 2.0",
    "Unlicense": "The Unlicense",
}
_OPERATORS = {"AND": "and", "OR": "or", "WITH": "with"}


def choice_label(choices: type[TextChoices], code: str) -> str:
    """The label of ``code`` in ``choices``, or the code itself when the list does not hold it."""
    return str(dict(choices.choices).get(code, code))


def choice_labels(choices: type[TextChoices], codes: Iterable[str]) -> list[tuple[str, str]]:
    return [(code, choice_label(choices, code)) for code in codes]


def sdg_goal_of(target: str) -> int | None:
    match = SDG_TARGET.match(target)
    return int(match.group("goal")) if match else None


def licence_label(expression: str) -> str:
    """An SPDX expression in words: "EUPL-1.2 OR MIT" reads "European Union Public License 1.2 or MIT License"."""
    return " ".join(_OPERATORS.get(token) or SPDX_NAMES.get(token, token) for token in re.split(r"\s+", expression))
