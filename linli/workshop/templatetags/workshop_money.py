from django import template

from linli.workshop.selectors import yuan as _yuan

register = template.Library()


@register.filter
def yuan(fen) -> str:
    """Integer fen shown as yuan: 31500 → 315.00."""
    return _yuan(fen)
