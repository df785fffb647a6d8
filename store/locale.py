"""How numeric dates are read until the date-order setting is set: as the locale writes
them. 3/12 is March 12 in the United States and the territories that follow its usage,
the Philippines and a few Pacific states (en_US, es_US, fil_PH...); it is 3 December
everywhere else, and under C or POSIX (the locales that name no territory).
"""

from __future__ import annotations

import os
from collections.abc import Mapping

# Territories whose numeric dates are month first (3/12 is March 12): the United States
# and the territories that follow its usage, the Philippines, and a few Pacific states.
_MONTH_FIRST_TERRITORIES = frozenset(
    {"US", "PH", "AS", "GU", "MP", "PR", "UM", "VI", "FM", "MH", "PW"}
)


def locale_day_first(environ: Mapping[str, str] | None = None) -> bool:
    """How the locale writes numeric dates: False (month first) for the territories that
    write 3/12 for March 12 (en_US and the like), True (day first) for every other one, and
    for C, POSIX or no locale at all. The locale is the first of LC_ALL, LC_TIME and LANG
    that is set, as the C library reads them."""
    env = os.environ if environ is None else environ
    name = next((env[key] for key in ("LC_ALL", "LC_TIME", "LANG") if env.get(key)), "")
    territory = name.partition(".")[0].partition("@")[0].partition("_")[2]
    return territory.upper() not in _MONTH_FIRST_TERRITORIES
