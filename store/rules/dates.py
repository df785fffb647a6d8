"""The date grammar of the command line and of the date inputs (DESIGN.md, "Dates").

    today, tomorrow, yesterday
    +3d, 3d, 2w, 1m, 1y, +3 (days), 3 days, in 3 days, in 2 weeks, in a week, in 1 month
                            (months and years by dateutil's relativedelta: 31 Jan + 1m is
                            28 Feb); at most OFFSET_MAX_YEARS ahead or back
    -3d, -3, 3 days ago, a week ago
    fri, friday, next fri   the next such weekday strictly after today: on a Tuesday, "tue"
                            and "next tue" are both a week ahead, "fri" and "next fri" both
                            this week's Friday (one rule, no guessing what "next" means)
    last fri                the latest Friday strictly before today
    next week               next Monday (a week ahead on a Monday); on a Sunday the week
                            that starts tomorrow is already "this week", so the Monday after
    in two weeks, three days
                            numbers as words, one to twenty, thirty, forty, fifty, sixty
    next month              the first of next month
    2026-12-03, 2026/12/03  ISO, year first
    dec 3, 3 dec, december 3, 3rd of december, dec 3 2027, 3 dec 27, "dec 3, 2027"
    3/12, 3.12, 3.12., 3-12, 3/12/2026, 3-12-26
                            day first or month first as the setting says
Without a year, a day of the year means its next occurrence on or after today, but one
more than six months away is refused as probably past ("3 Dec has passed; write
2027-12-03 for next year"); a two-digit year means 20xx. Case and surrounding whitespace
don't matter. Numeric dates are day first or month first as the date-order setting says;
until it is set, as the locale does (store/locale.py).

A next step's date (`parse_due`, `check_due`) is never in the past and never more than
HORIZON_YEARS ahead (`horizon`): later dates are typos, and every date computation stays
well inside the calendar.

`parse_when` (for --at, a moment that has passed) reads the same grammar looking back:
there a bare weekday ("fri") or a date without a year ("nov 20", "20/11") means the
latest such day on or before today, since the next one could never be logged.

Every failure is an `InputError` with one line for the user; no other exception
leaves these functions, whatever the text. Only the standard library's `re` and
`datetime` are imported up front: dateutil is imported where months are added, so the
quick command-line path stays fast.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from store.errors import InputError

EXAMPLES = "today, tomorrow, +3d, 2w, fri, next week, dec 3, 2026-12-03"
TIME_EXAMPLES = "now, 15:30, yesterday 15:30, fri 9:00, 2026-11-20T15:30"
# How far ahead an offset ("+3d", "2w", "in 6 months") may reach.
OFFSET_MAX_YEARS = 10
# How far ahead a next step, a snooze or an imported date may be.
HORIZON_YEARS = 10
# A date typed without a year further ahead than this is taken to be one that has passed.
YEARLESS_MAX_MONTHS = 6
# How far a moment given for --at may lie after now (clocks and typing take time).
FUTURE_TOLERANCE = timedelta(minutes=1)

_WEEKDAY_WORDS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTH_WORDS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
# Full names, three-letter abbreviations and a few common others.
_WEEKDAYS = {word[:size]: n for n, word in enumerate(_WEEKDAY_WORDS) for size in (3, len(word))}
_WEEKDAYS.update(tues=1, weds=2, thur=3, thurs=3)
_MONTHS = {word[:size]: n for n, word in enumerate(_MONTH_WORDS, 1) for size in (3, len(word))}
_MONTHS["sept"] = 9
# The longest month of each number in any year (February: 29).
_MONTH_DAYS = (0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)

_OFFSET_LIMIT = {
    "d": OFFSET_MAX_YEARS * 366,
    "w": OFFSET_MAX_YEARS * 53,
    "m": OFFSET_MAX_YEARS * 12,
    "y": OFFSET_MAX_YEARS,
}
_NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
}  # fmt: skip
_SIMPLE = {"today": 0, "tomorrow": 1, "tmrw": 1, "tmr": 1, "yesterday": -1}

# The patterns, matched with re.fullmatch against normalised text (lower case, single
# spaces, no commas). They are plain strings: `re` compiles each on first use and caches
# it, so importing this module compiles nothing (the quick command-line path stays fast).
_UNIT = r"(?P<unit>d|days?|w|wks?|weeks?|m|mos?|mths?|months?|y|yrs?|years?)"
_OFFSET = rf"(?P<in>in )?(?P<sign>[-+])?(?P<n>\d{{1,6}})(?: ?{_UNIT}(?P<ago> ago)?)?"
_ONE = rf"(?P<in>in )?(?:a|an|one) {_UNIT}(?P<ago> ago)?"
_ISO = r"(?P<y>\d{4})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})"
_DAY_MONTH = (
    r"(?P<d>\d{1,2})(?:st|nd|rd|th)? (?:of )?(?P<mon>[a-z]+)\.?(?: (?P<y>\d{2}|\d{4}))?"
    r"|(?P<mon2>[a-z]+)\.? (?P<d2>\d{1,2})(?:st|nd|rd|th)?(?: (?P<y2>\d{2}|\d{4}))?"
)
_NUMERIC = r"(?P<a>\d{1,2})(?P<sep>[-/.])(?P<b>\d{1,2})(?:(?P=sep)(?P<y>\d{2}|\d{4}))?(?P<dot>\.?)"
_LOOKS_NUMERIC = r"[\d ]*\d[-/.]\d[\d ./-]*"
_TIME = r"(?P<h>\d{1,2})(?::(?P<min>\d{2})(?::(?P<s>\d{2}))?)? ?(?P<ampm>am|pm)?"
_DATE_THEN_TIME = r"(?P<date>.+?) (?:at )?(?P<time>[\d:]+ ?(?:am|pm)?)"
_TIME_THEN_DATE = r"(?P<time>[\d:]+ ?(?:am|pm)?) (?:on )?(?P<date>.+?)"
# Longer text is no date: never spend time on it.
_MAX_LENGTH = 60
_ISO_DATETIME = r"\d{4}-\d{2}-\d{2}[t ]\d.*"


def _fullmatch(pattern: str, words: str) -> re.Match[str] | None:
    return re.fullmatch(pattern, words, re.ASCII)


def parse_date(text: str, today: date, *, day_first: bool = True) -> date:
    """The day `text` means, counted from `today`; InputError if it means none.

    `day_first` says how to read numeric dates: 3/12 is 3 December when True
    (the default), March 3 when False.
    """
    words = _normalise(text)
    try:
        day = _parse(words, today, day_first)
    except _Passed as passed:
        raise InputError(
            f"{passed.day.day} {_MONTH_WORDS[passed.day.month - 1][:3].title()} has passed; "
            f"write {passed.day.isoformat()} for next year"
        ) from None
    except _TooFar:
        raise InputError(
            f"can't read {_quote(text)} as a date: more than {OFFSET_MAX_YEARS} years away "
            "(try: +3d, 2w, 6m, 1y, 2027-06-30)"
        ) from None
    except OverflowError:  # counted past either end of the calendar
        raise InputError(
            f"can't read {_quote(text)} as a date: it falls outside the calendar "
            "(0001-01-01 to 9999-12-31)"
        ) from None
    except (ValueError, ArithmeticError):  # a day out of range
        day = None
    if day is None:
        raise InputError(_cannot_read(text, words, day_first))
    return day


def parse_due(text: str, today: date, *, day_first: bool = True) -> date:
    """A next step's date: `parse_date`, never before today nor after the horizon."""
    return check_due(parse_date(text, today, day_first=day_first), today)


def horizon(today: date) -> date:
    """The latest date a next step may have: HORIZON_YEARS after `today` (28 February for
    29 February), and never past the calendar's last day."""
    year = today.year + HORIZON_YEARS
    if year > date.max.year:
        return date.max
    return date(year, today.month, min(today.day, 28 if today.month == 2 else 31))


def check_due(day: date, today: date) -> date:
    """`day` as a next step's date: InputError when it is before today or after the
    horizon."""
    if day < today:
        raise InputError(f"the next step date {day.isoformat()} is in the past")
    latest = horizon(today)
    if day > latest:
        raise InputError(
            f"the next step date {day.isoformat()} is more than {HORIZON_YEARS} years away "
            f"(the latest is {latest.isoformat()})"
        )
    return day


def parse_when(text: str, now: datetime, *, day_first: bool = True) -> datetime:
    """The moment a touch happened (`--at`), never after `now` (give or take a minute).

    "now"; "15:30" or "3pm" (today); a date of the grammar, looking back (that day at
    now's time of day); a date and a time ("yesterday 15:30", "fri at 9am", "3pm fri",
    "2026-11-20 14:00"); an ISO datetime ("2026-11-20T14:00", "...+01:00"). The result
    has now's tzinfo: a naive ISO datetime is read in it, one with an offset is converted
    to it. InputError for anything else, and for a moment more than FUTURE_TOLERANCE
    after now.
    """
    words = _normalise(text)
    try:
        moment = _parse_moment(words, now, day_first)
    except (ValueError, ArithmeticError, OSError):  # out of range; OSError: localtime()
        moment = None
    if moment is None:
        shown = _quote(text)
        if _fullmatch(_LOOKS_NUMERIC, words):
            raise InputError(
                f"can't read {shown} as a date or time ({_order(day_first)}; try: {TIME_EXAMPLES})"
            )
        raise InputError(f"can't read {shown} as a date or time (try: {TIME_EXAMPLES})")
    try:
        future = moment > now + FUTURE_TOLERANCE
    except OverflowError:  # now is within a minute of datetime.max
        future = False
    if future:
        raise InputError(
            f"a touch can't be logged in the future: {moment:%Y-%m-%d %H:%M} "
            f"is after now ({now:%Y-%m-%d %H:%M})"
        )
    return moment


def describe(day: date, today: date) -> str:
    """The preview of a date, e.g. "Fri 27 Nov 2026 (in 3 days)". Plain ASCII, no locale."""
    from store.rules.format import day as day_text

    name = day_text(day)
    ahead = (day - today).days
    if ahead == 0:
        when = "today"
    elif ahead == 1:
        when = "tomorrow"
    elif ahead == -1:
        when = "yesterday, in the past"
    elif ahead > 0:
        when = f"in {_span(ahead)}"
    else:
        when = f"{_span(-ahead)} ago, in the past"
    return f"{name} ({when})"


# -- internals ---------------------------------------------------------------------------


def _span(days: int) -> str:
    if days >= 14 and days % 7 == 0:
        return f"{days // 7} weeks"
    return f"{days} days"


def _normalise(text: str) -> str:
    """Lower case, single spaces, no commas."""
    return " ".join(text.lower().replace(",", " ").split())


def _parse(words: str, today: date, day_first: bool, *, past: bool = False) -> date | None:
    """The day `words` (normalised) means, or None; may raise ValueError or OverflowError.

    `past` is for a moment that happened (--at): a bare weekday or a date without a year
    then means the latest such day on or before today rather than the next one.
    """
    if not words or len(words) > _MAX_LENGTH:
        return None
    simple = _SIMPLE.get(words)
    if simple is not None:
        return today + timedelta(days=simple)
    if words == "next week":  # on a Sunday the coming week is "this week"
        return today + timedelta(days=7 - today.weekday() + (7 if today.weekday() == 6 else 0))
    if words == "next month":
        return date(today.year + today.month // 12, today.month % 12 + 1, 1)
    if (weekday := _weekday(words, today, past)) is not None:
        return weekday
    if (offset := _offset(words)) is not None:
        return _add(today, *offset)
    if match := _fullmatch(_ISO, words):
        return date(int(match["y"]), int(match["m"]), int(match["d"]))
    if match := _fullmatch(_DAY_MONTH, words):
        month = _MONTHS.get(match["mon"] or match["mon2"])
        if month is None:
            return None
        year = match["y"] or match["y2"]
        return _day_of(month, int(match["d"] or match["d2"]), year, today, past)
    if match := _fullmatch(_NUMERIC, words):
        if match["dot"] and (match["sep"] != "." or match["y"] is not None):
            return None
        first, second = int(match["a"]), int(match["b"])
        day, month = (first, second) if day_first else (second, first)
        return _day_of(month, day, match["y"], today, past)
    return None


def _offset(words: str) -> tuple[int, str] | None:
    """The count and unit of "+3d", "3 days", "in a week", "-2w", "2 weeks ago"; a bare
    "+3" or "-3" counts days. None for anything else, a bare number among them."""
    words = " ".join(str(_NUMBER_WORDS.get(word, word)) for word in words.split())
    match = _fullmatch(_OFFSET, words) or _fullmatch(_ONE, words)
    if match is None:
        return None
    groups = match.groupdict()
    into, sign, unit, ago = groups["in"], groups.get("sign"), groups["unit"], groups["ago"]
    if (
        (unit is None and (sign is None or into))  # "3", "in 3"
        or (ago and (into or sign))  # "in 3 days ago", "+3d ago"
        or (into and sign == "-")  # "in -3d"
        or ("n" not in groups and not (into or ago))  # "a week": ahead or ago?
    ):
        return None
    count = int(groups.get("n") or 1)
    return (-count if ago or sign == "-" else count), unit or "d"


def _weekday(words: str, today: date, past: bool) -> date | None:
    """ "fri", "next fri": the next Friday strictly after today; "last fri": the latest one
    strictly before today; with `past`, a bare "fri" is the latest on or before today."""
    head, _, name = words.rpartition(" ")
    weekday = _WEEKDAYS.get(name)
    if weekday is None or head not in ("", "next", "last"):
        return None
    if head == "last":
        return today - timedelta(days=(today.weekday() - weekday - 1) % 7 + 1)
    if past and not head:
        return today - timedelta(days=(today.weekday() - weekday) % 7)
    return today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)


class _Passed(ValueError):
    """A date without a year whose next occurrence is more than YEARLESS_MAX_MONTHS
    away: most likely one that has just passed."""

    def __init__(self, day: date) -> None:
        super().__init__(day.isoformat())
        self.day = day


class _TooFar(ValueError):
    """An offset beyond OFFSET_MAX_YEARS: a typo, not a plan."""


def _add(today: date, count: int, unit: str) -> date:
    letter = unit[0]
    if abs(count) > _OFFSET_LIMIT[letter]:
        raise _TooFar
    if letter == "d":
        return today + timedelta(days=count)
    if letter == "w":
        return today + timedelta(weeks=count)
    from dateutil.relativedelta import relativedelta  # lazily: the quick CLI path stays fast

    delta = relativedelta(months=count) if letter == "m" else relativedelta(years=count)
    try:
        result: date = today + delta
    except ValueError:  # dateutil's "year 10000 is out of range"
        raise OverflowError("date value out of range") from None
    return result


def _day_of(month: int, day: int, year: str | None, today: date, past: bool) -> date | None:
    """`day` of `month` in `year` (two digits: 20xx); without a year, the next such day on
    or after today (with `past`, the latest on or before today)."""
    if not 1 <= month <= 12 or not 1 <= day <= _MONTH_DAYS[month]:
        return None
    if year is not None:
        return date(int(year) + (2000 if len(year) == 2 else 0), month, day)
    step = -1 if past else 1
    for candidate in range(today.year, today.year + 9 * step, step):  # 29 February: 8 years
        try:
            found = date(candidate, month, day)
        except ValueError:
            continue
        if past and found <= today:
            return found
        if not past and found >= today:
            if found > _months_after(today, YEARLESS_MAX_MONTHS):
                raise _Passed(found)
            return found
    return None


def _months_after(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it is shorter)."""
    from calendar import monthrange

    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    if year > date.max.year:
        return date.max
    return date(year, month + 1, min(day.day, monthrange(year, month + 1)[1]))


def _parse_moment(words: str, now: datetime, day_first: bool) -> datetime | None:
    if words == "now":
        return now
    if len(words) > _MAX_LENGTH:
        return None
    if match := _fullmatch(_TIME, words):
        clock = _clock(match)
        return None if clock is None else datetime.combine(now.date(), clock, now.tzinfo)
    if _fullmatch(_ISO_DATETIME, words):
        try:
            return _iso_moment(words, now)
        except ValueError:
            pass  # perhaps "2026-11-20 3pm": the rules below
    for pattern in (_DATE_THEN_TIME, _TIME_THEN_DATE):
        if match := _fullmatch(pattern, words):
            time_match = _fullmatch(_TIME, match["time"])
            clock = None if time_match is None else _clock(time_match)
            if clock is not None:
                day = _parse(match["date"], now.date(), day_first, past=True)
                return None if day is None else datetime.combine(day, clock, now.tzinfo)
    day = _parse(words, now.date(), day_first, past=True)
    return None if day is None else datetime.combine(day, now.timetz())


def _clock(match: re.Match[str]) -> time | None:
    """The time of day a `_TIME` match means: it needs minutes or am/pm ("3" is no time)."""
    hour = int(match["h"])
    minute = int(match["min"] or 0)
    second = int(match["s"] or 0)
    if match["min"] is None and match["ampm"] is None:
        return None
    if match["ampm"] is not None:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if match["ampm"] == "pm" else 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    return time(hour, minute, second)


def _iso_moment(words: str, now: datetime) -> datetime:
    moment = datetime.fromisoformat(words.upper().replace(" ", "T", 1))
    if moment.tzinfo is None:
        return moment.replace(tzinfo=now.tzinfo)
    if now.tzinfo is None:  # a naive now is taken as local time
        return moment.astimezone().replace(tzinfo=None)
    return moment.astimezone(now.tzinfo)


def _order(day_first: bool) -> str:
    return "numeric dates are day/month/year" if day_first else "numeric dates are month/day/year"


def _quote(text: str) -> str:
    """`text` as it may appear in an error line: safe for the terminal, not too long."""
    from store.rules.text import clean  # lazily: only an error needs it

    shown = clean(text.strip())
    if len(shown) > 40:
        shown = shown[:37] + "..."
    return f"'{shown}'"


def _cannot_read(text: str, words: str, day_first: bool) -> str:
    if not words:
        return f"a date is required (try: {EXAMPLES})"
    if _fullmatch(_LOOKS_NUMERIC, words):
        return f"can't read {_quote(text)} as a date ({_order(day_first)}; try: {EXAMPLES})"
    return f"can't read {_quote(text)} as a date (try: {EXAMPLES})"
