"""The warehouse's errors: each says what happened and what to do, in one line."""

from __future__ import annotations

from extract.errors import JokatsuError


class WarehouseBusy(JokatsuError):
    """Another process is writing the warehouse."""


class WarehouseError(JokatsuError):
    """The warehouse file cannot be opened, written or upgraded."""


class DataCheckFailed(JokatsuError):
    """A query under ``sql/checks`` returned rows: the run is not published."""


class StoreRefused(JokatsuError):
    """The database refused a batch's values (out of range, wrong type, a constraint): the
    content of a file is at fault, not the machine. Nothing of the batch was written."""
