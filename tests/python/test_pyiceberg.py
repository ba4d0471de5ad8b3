"""PyIceberg end to end against Floe: the calls a data engineer makes in a notebook."""
import time
from pathlib import Path
from urllib.parse import urlparse

import pyarrow as pa
import pytest
from pyiceberg.exceptions import NamespaceNotEmptyError, NoSuchTableError
from pyiceberg.schema import Schema
from pyiceberg.types import LongType, NestedField, StringType


def local_path(location: str) -> Path:
    return Path(urlparse(location).path)


def test_create_append_read_evolve_time_travel_and_purge(catalog, namespace):
    schema = Schema(
        NestedField(1, "id", LongType(), required=False),
        NestedField(2, "name", StringType(), required=False),
    )
    table = catalog.create_table(f"{namespace}.events", schema=schema)
    assert (namespace, "events") in catalog.list_tables(namespace)

    first = pa.table({"id": pa.array([1, 2, 3], pa.int64()), "name": pa.array(["a", "b", "c"])})
    table.append(first)
    first_snapshot = table.current_snapshot().snapshot_id
    assert table.scan().to_arrow().sort_by("id").to_pylist() == first.to_pylist()

    with table.update_schema() as update:
        update.add_column("score", LongType())
    second = pa.table(
        {
            "id": pa.array([4], pa.int64()),
            "name": pa.array(["d"]),
            "score": pa.array([40], pa.int64()),
        }
    )
    table.append(second)

    reloaded = catalog.load_table(f"{namespace}.events")
    assert [field.name for field in reloaded.schema().fields] == ["id", "name", "score"]
    rows = reloaded.scan().to_arrow().sort_by("id").to_pylist()
    assert len(rows) == 4
    assert rows[0]["score"] is None and rows[3]["score"] == 40
    assert len(reloaded.history()) == 2

    travelled = reloaded.scan(snapshot_id=first_snapshot).to_arrow().sort_by("id")
    assert travelled.column("id").to_pylist() == [1, 2, 3]

    data_files = [local_path(task.file.file_path) for task in reloaded.scan().plan_files()]
    metadata_file = local_path(reloaded.metadata_location)
    assert all(path.exists() for path in data_files) and metadata_file.exists()

    with pytest.raises(NamespaceNotEmptyError):
        catalog.drop_namespace(namespace)

    catalog.purge_table(f"{namespace}.events")
    with pytest.raises(NoSuchTableError):
        catalog.load_table(f"{namespace}.events")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and (metadata_file.exists() or any(p.exists() for p in data_files)):
        time.sleep(0.2)
    assert not metadata_file.exists(), "the purge left the metadata file"
    assert not any(path.exists() for path in data_files), "the purge left data files"


def test_properties_and_rename(catalog, namespace):
    schema = Schema(NestedField(1, "id", LongType(), required=False))
    table = catalog.create_table(f"{namespace}.src", schema=schema, properties={"owner": "floe"})
    with table.transaction() as transaction:
        transaction.set_properties(stage="bronze")
    catalog.rename_table(f"{namespace}.src", f"{namespace}.dst")
    renamed = catalog.load_table(f"{namespace}.dst")
    assert renamed.properties["owner"] == "floe" and renamed.properties["stage"] == "bronze"
    with pytest.raises(NoSuchTableError):
        catalog.load_table(f"{namespace}.src")
