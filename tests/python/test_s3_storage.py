"""Engines without static keys: PyIceberg writes and reads an S3 warehouse with what Floe vends.

The S3 server is SeaweedFS, started by scripts/test.sh on loopback; it enforces STS session
policies, so a credential scoped to one table cannot reach another's files.
"""
import json
import os
import urllib.error
import urllib.request
import uuid

import pyarrow as pa
import pytest
from pyarrow import fs
from pyiceberg.catalog import load_catalog
from pyiceberg.schema import Schema
from pyiceberg.types import LongType, NestedField, StringType

SCHEMA = Schema(
    NestedField(1, "id", LongType(), required=False),
    NestedField(2, "name", StringType(), required=False),
)
ROWS = pa.table({"id": pa.array([1, 2, 3], pa.int64()), "name": pa.array(["a", "b", "c"])})


@pytest.fixture(scope="module")
def s3():
    endpoint = os.environ.get("FLOE_TEST_S3_ENDPOINT")
    if not endpoint:
        pytest.fail("FLOE_TEST_S3_ENDPOINT is not set: run the suite through scripts/test.sh")
    return {
        "endpoint": endpoint,
        "access_key": os.environ["FLOE_TEST_S3_ACCESS_KEY"],
        "secret_key": os.environ["FLOE_TEST_S3_SECRET_KEY"],
        "role_arn": os.environ["FLOE_TEST_S3_ROLE_ARN"],
    }


def admin_fs(s3):
    return fs.S3FileSystem(
        access_key=s3["access_key"],
        secret_key=s3["secret_key"],
        endpoint_override=s3["endpoint"],
        scheme="http",
        region="us-east-1",
        allow_bucket_creation=True,
    )


def request(floe_uri, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(
        floe_uri + path, data=data, method=method, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.fixture(scope="module")
def s3_warehouse(floe_uri, s3):
    """An S3 warehouse in its own bucket; Floe holds the only long-lived key."""
    bucket = f"floe-py-{uuid.uuid4().hex[:10]}"
    admin_fs(s3).create_dir(bucket)
    name = f"s3_{uuid.uuid4().hex[:8]}"
    status, body = request(
        floe_uri,
        "POST",
        "/management/v1/projects/default/warehouses",
        {
            "name": name,
            "storage-profile": {
                "type": "s3",
                "bucket": bucket,
                "key-prefix": "lake",
                "region": "us-east-1",
                "endpoint": s3["endpoint"],
                "path-style-access": True,
                "role-arn": s3["role_arn"],
            },
            "storage-credential": {
                "type": "s3-access-key",
                "access-key-id": s3["access_key"],
                "secret-access-key": s3["secret_key"],
            },
        },
    )
    assert status == 201, body
    assert s3["secret_key"] not in body
    return {"name": name, "bucket": bucket}


def catalog_for(floe_uri, warehouse, delegation, **extra):
    # no s3.* keys and no AWS variables: everything comes from Floe's responses
    return load_catalog(
        f"floe-{delegation}",
        **{
            "type": "rest",
            "uri": floe_uri,
            "warehouse": warehouse,
            "header.X-Iceberg-Access-Delegation": delegation,
            **extra,
        },
    )


def test_appends_and_reads_with_vended_credentials_only(floe_uri, s3, s3_warehouse):
    catalog = catalog_for(floe_uri, s3_warehouse["name"], "vended-credentials")
    namespace = f"vended_{uuid.uuid4().hex[:8]}"
    catalog.create_namespace(namespace)
    table = catalog.create_table(f"{namespace}.events", schema=SCHEMA)
    assert table.location().startswith(f"s3://{s3_warehouse['bucket']}/lake/")
    assert "s3.session-token" in table.io.properties
    assert table.io.properties["s3.access-key-id"] != s3["access_key"]

    table.append(ROWS)
    table.append(pa.table({"id": pa.array([4], pa.int64()), "name": pa.array(["d"])}))
    reloaded = catalog.load_table(f"{namespace}.events")
    assert reloaded.scan().to_arrow().sort_by("id").column("id").to_pylist() == [1, 2, 3, 4]

    data_files = [task.file.file_path for task in reloaded.scan().plan_files()]
    assert len(data_files) == 2
    info = admin_fs(s3).get_file_info([path.removeprefix("s3://") for path in data_files])
    assert all(item.type == fs.FileType.File for item in info)

    # the credential reaches this table only
    other = catalog.create_table(f"{namespace}.other", schema=SCHEMA)
    other.append(ROWS)
    scoped = fs.S3FileSystem(
        access_key=table.io.properties["s3.access-key-id"],
        secret_key=table.io.properties["s3.secret-access-key"],
        session_token=table.io.properties["s3.session-token"],
        endpoint_override=s3["endpoint"],
        scheme="http",
        region="us-east-1",
    )
    other_file = next(iter(other.scan().plan_files())).file.file_path.removeprefix("s3://")
    with pytest.raises(OSError):
        with scoped.open_input_stream(other_file) as stream:
            stream.read()
    with scoped.open_input_stream(data_files[0].removeprefix("s3://")) as stream:
        assert stream.read(4) == b"PAR1"

    catalog.drop_table(f"{namespace}.events")
    catalog.drop_table(f"{namespace}.other")
    catalog.drop_namespace(namespace)


def test_appends_and_reads_with_remote_signing_only(floe_uri, s3, s3_warehouse):
    catalog = catalog_for(floe_uri, s3_warehouse["name"], "remote-signing")
    namespace = f"signed_{uuid.uuid4().hex[:8]}"
    catalog.create_namespace(namespace)
    table = catalog.create_table(f"{namespace}.events", schema=SCHEMA)
    properties = table.io.properties
    assert properties["s3.signer"] == "S3V4RestSigner"
    assert properties["s3.signer.endpoint"].endswith(f"/namespaces/{namespace}/tables/events/sign")
    assert not any(key in properties for key in ("s3.access-key-id", "s3.secret-access-key", "s3.session-token"))
    assert type(table.io).__name__ == "FsspecFileIO"

    table.append(ROWS)
    reloaded = catalog.load_table(f"{namespace}.events")
    assert reloaded.scan().to_arrow().sort_by("id").column("id").to_pylist() == [1, 2, 3]
    data_file = next(iter(reloaded.scan().plan_files())).file.file_path
    info = admin_fs(s3).get_file_info(data_file.removeprefix("s3://"))
    assert info.type == fs.FileType.File

    # the table's signer refuses another table's files
    other = catalog.create_table(f"{namespace}.other", schema=SCHEMA)
    status, body = request(
        floe_uri,
        "POST",
        "/" + properties["s3.signer.endpoint"],
        {
            "region": "us-east-1",
            "method": "GET",
            "uri": f"{s3['endpoint']}/{other.location().removeprefix('s3://')}/data/x.parquet",
            "headers": {},
        },
    )
    assert status == 403, body
    assert "outside the table's location" in body

    catalog.drop_table(f"{namespace}.events")
    catalog.drop_table(f"{namespace}.other")
    catalog.drop_namespace(namespace)
