"""One file's failure, classified once: the file's fault (quarantined, or only reported and
read again next run) or the machine's (the run stops, no file is blamed).

:func:`file_fault` is the one function from an exception to an outcome; the reader pool
(:meth:`flows.guard.GuardedReader.result`) and the stages (:func:`flows.stages.guard`) both
ask it. Every reason code is one of :data:`extract.errors.ReasonCode`.
"""

from __future__ import annotations

from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass

from pebble import ProcessExpired

from extract.errors import FileLimitExceeded, JokatsuError, QuarantineError, ReasonCode
from flows.files import FileUnavailable
from flows.limits import Limits
from transform.errors import ParseError

DEFAULT_LIMITS = Limits()

# The quarantine reason for an exception nobody planned for (a reader or transform bug): no
# exception text reaches the clerk; the exception itself goes to the run's log.
UNEXPECTED_REASON = (
    "想定外のエラーで読めませんでした。ファイルは隔離して保管しています。jokatsu の担当者に"
    "連絡してください（実行ログに詳細があります）。"
)


class ReaderCrashed(QuarantineError):
    """A file's fault raised as an exception, with ``detail`` for the run's log: an
    exception nobody planned for (a reader or transform bug, sent back from the worker as
    this), or a worker that died on the file."""

    code: ReasonCode = "unexpected_error"

    def __init__(self, message: str, code: ReasonCode | None = None, detail: str = "") -> None:
        super().__init__(message, code)
        self.detail = detail

    def __reduce__(self) -> tuple[type[ReaderCrashed], tuple[str, ReasonCode, str]]:  # type: ignore[override]
        return (type(self), (str(self), self.code, self.detail))


@dataclass(frozen=True)
class Fault:
    """A file's fault: the reason a clerk reads, its stable code, whether the file is
    recorded as quarantined (its content is at fault) or only reported (vanished, no
    permission: read again next run), and a detail for the run's log only."""

    reason: str
    code: ReasonCode
    recorded: bool = True
    detail: str = ""

    def error(self) -> QuarantineError:
        """The fault as the quarantine error the reader pool raises."""
        if self.code in ("time_limit", "memory_limit"):
            return FileLimitExceeded(self.reason, self.code)
        return ReaderCrashed(self.reason, self.code, self.detail)


def exception_detail(exc: BaseException) -> str:
    """An unplanned exception in one line, for the run's log (never for a reason)."""
    return f"{type(exc).__name__}: {str(exc)[:300]}"


def file_fault(exc: Exception, limits: Limits = DEFAULT_LIMITS) -> Fault | None:
    """What one file's exception means: its :class:`Fault`, or None when it is the
    machine's trouble (``OSError``, a :class:`JokatsuError` that blames no file, the pool
    that cannot run), which stops the run."""
    if isinstance(exc, QuarantineError):
        return Fault(str(exc), exc.code, detail=getattr(exc, "detail", ""))
    if isinstance(exc, FileUnavailable):
        return Fault(str(exc), "file_unavailable", recorded=False)
    if isinstance(exc, ParseError):  # a value of the file that escaped normalising
        return Fault(
            str(
                QuarantineError(f"値を読めませんでした: {exc}。記入を確かめて送り直してください。")
            ),
            "field_unreadable",
        )
    if isinstance(exc, FutureTimeout):
        return Fault(
            f"読み取りとチェックが制限時間（{limits.seconds:.0f} 秒）を超えたため止め"
            "ました（壊れたファイルか、読み手を止めるために作られたファイルの可能性があり"
            "ます）。保存し直して送り直してください。",
            "time_limit",
        )
    if isinstance(exc, MemoryError):
        return Fault(
            f"読み取りとチェックに使えるメモリ（{limits.memory_mb} MB）を超えたため"
            "止めました（際限なく展開される圧縮データなど）。保存し直して送り直してください。",
            "memory_limit",
        )
    if isinstance(exc, ProcessExpired):
        return Fault(
            "このファイルを読む処理が異常終了しました。ファイルは隔離して保管しています。"
            "jokatsu の担当者に連絡してください。",
            "reader_died",
            detail=f"reader process exit code {exc.exitcode}",
        )
    if isinstance(exc, RecursionError):
        return Fault(
            "ファイルの入れ子が深すぎて読めません（壊れたファイルか、読み手を止めるために作られた"
            "ファイルです）。保存し直して送り直してください。",
            "nested_too_deeply",
        )
    if isinstance(exc, JokatsuError | OSError):
        return None
    return Fault(UNEXPECTED_REASON, "unexpected_error", detail=exception_detail(exc))
