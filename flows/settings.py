"""Configuration in one place: ``jokatsu.toml`` (or the file ``JOKATSU_CONFIG`` names), then
environment variables ``JOKATSU_*``, which win.

    # jokatsu.toml
    inbox = "/srv/jokatsu/inbox"
    db = "/srv/jokatsu/warehouse.duckdb"
    cron = "0 2 * * *"
    timezone = "Asia/Tokyo"
    read_seconds = 120
    read_memory_mb = 2048
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import Field, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from flows.limits import DEFAULT_LIMITS, MB, BundleLimits, Limits, ReadLimits

CONFIG_ENV = "JOKATSU_CONFIG"
DEFAULT_CONFIG = Path("jokatsu.toml")


class Settings(BaseSettings):
    """Where the nightly run reads and writes, when it runs, its per-file limits and where it
    reads (the local pool or a Dask cluster)."""

    # Defaults are not validated: they are valid (tested), and checking the default cron would
    # import Prefect (0.7 s) into every command, even a run that finds nothing new.
    model_config = SettingsConfigDict(env_prefix="JOKATSU_", extra="forbid", validate_default=False)

    inbox: Path = Path("data/sample")
    db: Path = Path("data/warehouse.duckdb")
    corrections: Path = Path("data/corrections")
    cron: str = "0 2 * * *"
    timezone: str = "Asia/Tokyo"
    deployment_name: str = "nightly"
    read_seconds: float = Field(default=DEFAULT_LIMITS.seconds, gt=0)
    read_memory_mb: int = Field(default=DEFAULT_LIMITS.memory_mb, ge=256)
    read_max_mb: int = Field(default=DEFAULT_LIMITS.max_bytes // MB, ge=1)
    workers: int = Field(default=DEFAULT_LIMITS.workers, ge=1)
    files_per_worker: int = Field(default=DEFAULT_LIMITS.files_per_worker, ge=1)
    read_ahead: int = Field(default=DEFAULT_LIMITS.read_ahead, ge=0)
    reader_niceness: int = Field(default=DEFAULT_LIMITS.niceness, ge=0, le=19)
    pdf_max_mb: int = Field(default=DEFAULT_LIMITS.reading.pdf_max_bytes // MB, ge=1)
    pdf_max_pages: int = Field(default=DEFAULT_LIMITS.reading.pdf_max_pages, ge=1)
    scan_max_pages: int = Field(default=DEFAULT_LIMITS.reading.scan_max_pages, ge=1)
    scan_max_pixels: int = Field(default=DEFAULT_LIMITS.reading.scan_max_pixels, ge=1)
    convert_seconds: float = Field(default=DEFAULT_LIMITS.reading.convert_seconds, gt=0)
    bundle_max_members: int = Field(default=DEFAULT_LIMITS.reading.bundle.max_members, ge=1)
    bundle_max_mb: int = Field(default=DEFAULT_LIMITS.reading.bundle.max_total_bytes // MB, ge=1)
    bundle_max_depth: int = Field(default=DEFAULT_LIMITS.reading.bundle.max_depth, ge=1)
    corrections_max_mb: int = Field(default=DEFAULT_LIMITS.corrections_max_bytes // MB, ge=1)
    corrections_seconds: float = Field(default=DEFAULT_LIMITS.corrections_seconds, gt=0)
    dask: str | None = None  # a Dask scheduler's address: read there instead of the local pool

    @field_validator("cron")
    @classmethod
    def _cron_is_valid(cls, value: str) -> str:
        from prefect.client.schemas.schedules import CronSchedule

        try:
            CronSchedule(cron=value)
        except ValueError:
            raise ValueError(f"{value!r} is not a cron expression like '0 2 * * *'") from None
        return value

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"{value!r} is not a time zone like 'Asia/Tokyo'") from None
        return value

    @property
    def limits(self) -> Limits:
        return Limits(
            seconds=self.read_seconds,
            memory_mb=self.read_memory_mb,
            max_bytes=self.read_max_mb * MB,
            workers=self.workers,
            files_per_worker=self.files_per_worker,
            read_ahead=self.read_ahead,
            niceness=self.reader_niceness,
            reading=ReadLimits(
                pdf_max_bytes=self.pdf_max_mb * MB,
                pdf_max_pages=self.pdf_max_pages,
                scan_max_pages=self.scan_max_pages,
                scan_max_pixels=self.scan_max_pixels,
                convert_seconds=self.convert_seconds,
                bundle=BundleLimits(
                    max_members=self.bundle_max_members,
                    max_total_bytes=self.bundle_max_mb * MB,
                    max_depth=self.bundle_max_depth,
                ),
            ),
            corrections_max_bytes=self.corrections_max_mb * MB,
            corrections_seconds=self.corrections_seconds,
        )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml = TomlConfigSettingsSource(settings_cls, toml_file=config_path())
        return init_settings, env_settings, toml


# The settings that change a run: each is a parameter of the ingest flow, of the same name.
RUN_SETTINGS = (
    "db",
    "corrections",
    "read_seconds",
    "read_memory_mb",
    "read_max_mb",
    "workers",
    "files_per_worker",
    "read_ahead",
    "reader_niceness",
    "pdf_max_mb",
    "pdf_max_pages",
    "scan_max_pages",
    "scan_max_pixels",
    "convert_seconds",
    "bundle_max_members",
    "bundle_max_mb",
    "bundle_max_depth",
    "corrections_max_mb",
    "corrections_seconds",
    "dask",
)


def flow_parameters(
    settings: Settings,
    paths: Sequence[Path] | None = None,
    retry_quarantined: bool = False,
    absolute: bool = False,
) -> dict[str, Any]:
    """The ``ingest`` flow's parameters, plain JSON values, from the settings: the one place
    settings become a run (``jokatsu ingest``, ``jokatsu accuracy`` and the nightly
    deployment all use it). ``paths`` default to the setting ``inbox``; ``absolute`` resolves
    the paths (a deployment runs wherever it is served from)."""

    def where(path: Path) -> str:
        return str(path.resolve() if absolute else path)

    parameters: dict[str, Any] = {
        "paths": [where(path) for path in paths or [settings.inbox]],
        "retry_quarantined": retry_quarantined,
    }
    for name in RUN_SETTINGS:
        value = getattr(settings, name)
        parameters[name] = where(value) if isinstance(value, Path) else value
    return parameters


def run_settings(parameters: Mapping[str, Any]) -> Settings:
    """The settings of a run from the flow's parameters, the inverse of
    :func:`flow_parameters` (each of :data:`RUN_SETTINGS` by its name, so the list is written
    once; typed by Prefect already; nothing is read from the file or the environment: the
    parameters are the run's settings)."""
    return Settings.model_construct(**{name: parameters[name] for name in RUN_SETTINGS})


def config_path() -> Path:
    """The settings file: ``$JOKATSU_CONFIG`` or ``./jokatsu.toml`` (it may not exist)."""
    return Path(os.environ.get(CONFIG_ENV, DEFAULT_CONFIG))


def load_settings(**overrides: Any) -> Settings:
    """Settings from the file and the environment; explicit overrides (CLI options) win."""
    return Settings(**{k: v for k, v in overrides.items() if v is not None})
