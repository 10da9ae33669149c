"""Money for people, one way everywhere (the app, the command line, the reasons in answers):
万元 above ten thousand yuan.
"""
from __future__ import annotations

WAN = 10_000  # yuan in one 万


def yuan_text(v: float | None) -> str:
    """An amount of yuan as people write it: 万元 above ten thousand, digits grouped, at most two
    decimals; ``—`` for no amount.

    >>> yuan_text(1_000_000), yuan_text(482_470_000), yuan_text(12_345), yuan_text(500), yuan_text(None)
    ('100万元', '48,247万元', '1.23万元', '500元', '—')
    >>> yuan_text(1_500_000.0), yuan_text(2500.0)
    ('150万元', '2500元')
    """
    if v is None:
        return "—"
    if abs(v) < WAN:
        return f"{v:g}元"
    w = v / WAN
    return (f"{w:,.0f}" if w == int(w) else f"{w:,.2f}".rstrip("0").rstrip(".")) + "万元"
