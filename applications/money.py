"""The currency written beside an amount (a salary, an offer): one rule for every way in."""


def currency_beside(amounts, currency: str | None, default: str) -> str:
    """No amount, no currency; an amount without one is in `default` (the user's own)."""
    if all(amount is None for amount in amounts):
        return ""
    return (currency or "").strip().upper() or default
