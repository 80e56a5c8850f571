"""The base of every error this project raises on purpose (every layer may import it).

Each subclass carries a message a clerk or an operator can act on; the command line prints
it in one line (``jokatsu: <message>``) and the flow quarantines a file with it.
"""

from __future__ import annotations


class JokatsuError(Exception):
    """Base class of every error this project raises on purpose."""
