"""Whether a text is an email address: the shape every mail program accepts (one @,
something before it, a domain with a dot after it, no spaces, no brackets or commas).
Not a deliverability check: `anna@example.com` passes whether or not it exists."""

from __future__ import annotations

import re

from store.errors import InputError

_LOCAL_BAD = re.compile(r'[\s()<>\[\]\\,;:"\x00-\x1f\x7f]')
_DOMAIN_LABEL = re.compile(r"^(?!-)[^\s()<>\[\]\\,;:\"@_!#$%&'*+/=?^`{|}~\x00-\x1f\x7f]+(?<!-)$")


# The common shape, checked in one match (a large import checks every address).
_PLAIN = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@"
                    r"([A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,}\.?")  # fmt: skip


def email_problem(text: str) -> str | None:
    """Why `text` is not an email address, or None when it is one (or is empty)."""
    if not text or _PLAIN.fullmatch(text):
        return None
    if any(ch.isspace() for ch in text):
        return "it has a space in it"
    if "@" not in text:
        return "it has no @"
    local, _, domain = text.rpartition("@")
    if "@" in local:
        return "it has more than one @"
    if not local:
        return "nothing before the @"
    if not domain:
        return "nothing after the @"
    if _LOCAL_BAD.search(local) or local.startswith(".") or local.endswith(".") or ".." in local:
        return "what comes before the @ can't be an address"
    labels = domain.removesuffix(".").split(".")
    if len(labels) < 2:
        return "its domain has no dot (like example.com)"
    if not all(_DOMAIN_LABEL.match(label) for label in labels) or labels[-1].isdigit():
        return "what comes after the @ is not a domain"
    return None


def check_email(text: str) -> str:
    """`text` when it is an email address (or empty); else a one-line InputError."""
    problem = email_problem(text)
    if problem is not None:
        shown = text if len(text) <= 60 else text[:57] + "..."
        raise InputError(f"{shown!r} is not an email address ({problem})")
    return text
