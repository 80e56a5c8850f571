"""Named points of a run that observers may watch (``scanned``, ``loaded-<n>``, ``checked``,
``published``). Nothing happens at a checkpoint unless a hook is installed: the crash tests
install one that stops the run there (``tests/paused_cli.py``). No Prefect here, so a hook
can be installed before Prefect is configured."""

from __future__ import annotations

from collections.abc import Callable

Checkpoint = Callable[[str], None]
_hooks: list[Checkpoint] = []


def on_checkpoint(hook: Checkpoint) -> Callable[[], None]:
    """Call ``hook(name)`` at each checkpoint; returns the function that removes it."""
    _hooks.append(hook)
    return lambda: _hooks.remove(hook)


def checkpoint(name: str) -> None:
    """Tell the installed hooks that the run has reached ``name``."""
    for hook in list(_hooks):
        hook(name)
