"""The flow on a local Dask cluster of worker processes gives the same warehouse."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from flows.ingest import flow_for, ingest
from tests.conftest import SAMPLE
from tests.support import dump_warehouse

pytestmark = pytest.mark.usefixtures("prefect_harness")
FILES = [
    "000_b75168460d201e43.txt",
    "01_hokkaido_fy2019.pdf",
    "02_aomori_fy2020.pdf",
    "03_iwate_fy2021.xlsx",
    "05_akita_fy2023.docx",
    "06_yamagata_fy2019.txt",
    "bad_flyer.pdf",
]


def test_a_dask_cluster_gives_the_same_warehouse_as_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from distributed import LocalCluster
    from prefect.settings import PREFECT_API_URL
    from prefect_dask.task_runners import DaskTaskRunner

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name in FILES:
        shutil.copy(SAMPLE / name, inbox / name)
    # worker processes report their task runs to the same Prefect server
    monkeypatch.setenv("PREFECT_API_URL", str(PREFECT_API_URL.value()))
    with LocalCluster(  # type: ignore[no-untyped-call]
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        parameters = {"paths": [str(inbox)], "db": str(tmp_path / "dask.duckdb")}
        parameters["dask"] = cluster.scheduler_address
        flow = flow_for(parameters)
        assert isinstance(flow.task_runner, DaskTaskRunner)
        on_dask = flow(**parameters)
        workers = len(cluster.workers)
    single = ingest(paths=[inbox], db=tmp_path / "single.duckdb")
    assert workers == 2
    assert len(on_dask.loaded) == len(single.loaded) == 6
    assert dump_warehouse(tmp_path / "dask.duckdb") == dump_warehouse(tmp_path / "single.duckdb")
