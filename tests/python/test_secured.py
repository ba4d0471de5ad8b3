"""PyIceberg and Spark against a Floe with OpenID Connect and OpenFGA on: clients get their tokens
from the provider with credential=client_id:secret, and see only what they were granted."""
import os
import uuid

import pyarrow as pa
import pytest
from pyiceberg.catalog import load_catalog
from pyarrow import fs
from pyiceberg.exceptions import ForbiddenError, NoSuchTableError
from pyiceberg.schema import Schema
from pyiceberg.types import LongType, NestedField
from pyspark.sql import SparkSession

from conftest import bearer_request


@pytest.fixture(scope="module")
def secured():
    names = ["FLOE_SECURED_URI", "FLOE_SECURED_TOKEN_URI", "FLOE_SECURED_CREDENTIAL", "FLOE_SECURED_OUTSIDER"]
    missing = [name for name in names if not os.environ.get(name)]
    if missing:
        pytest.fail(f"{missing} not set: run the suite through scripts/test.sh, which starts the secured server")
    return {name: os.environ[name] for name in names}


def catalog(secured, credential):
    return load_catalog(
        "secured",
        **{
            "type": "rest",
            "uri": secured["FLOE_SECURED_URI"],
            "warehouse": "secured",
            "credential": credential,
            "oauth2-server-uri": secured["FLOE_SECURED_TOKEN_URI"],
            "scope": "openid",
        },
    )


def test_pyiceberg_with_a_client_credential_owns_what_it_creates(secured):
    owner = catalog(secured, secured["FLOE_SECURED_CREDENTIAL"])
    namespace = f"py_{uuid.uuid4().hex[:10]}"
    owner.create_namespace(namespace)
    schema = Schema(NestedField(1, "id", LongType(), required=False))
    table = owner.create_table(f"{namespace}.events", schema=schema)
    table.append(pa.table({"id": pa.array([1, 2], pa.int64())}))
    assert owner.load_table(f"{namespace}.events").scan().to_arrow().num_rows == 2

    # a caller with a valid token but no grant sees no warehouse at all
    with pytest.raises(Exception) as refused:
        catalog(secured, secured["FLOE_SECURED_OUTSIDER"]).list_namespaces()
    assert "does not exist" in str(refused.value) or "NoSuch" in type(refused.value).__name__
    owner.purge_table(f"{namespace}.events")
    with pytest.raises(NoSuchTableError):
        owner.load_table(f"{namespace}.events")
    owner.drop_namespace(namespace)


def test_spark_with_a_client_credential(secured):
    jars = os.environ.get("FLOE_ICEBERG_SPARK_JAR")
    if not jars:
        pytest.fail("FLOE_ICEBERG_SPARK_JAR is not set: run the suite through scripts/test.sh")
    spark = (
        SparkSession.builder.master("local[2]")
        .appName("floe-spark-secured")
        .config("spark.jars", jars)
        .config("spark.sql.catalog.secured", "org.apache.iceberg.spark.SparkCatalog")
        .config("spark.sql.catalog.secured.type", "rest")
        .config("spark.sql.catalog.secured.uri", secured["FLOE_SECURED_URI"])
        .config("spark.sql.catalog.secured.warehouse", "secured")
        .config("spark.sql.catalog.secured.credential", secured["FLOE_SECURED_CREDENTIAL"])
        .config("spark.sql.catalog.secured.oauth2-server-uri", secured["FLOE_SECURED_TOKEN_URI"])
        .config("spark.sql.catalog.secured.scope", "openid")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate()
    )
    try:
        ns = f"spark_{uuid.uuid4().hex[:10]}"
        spark.sql(f"CREATE NAMESPACE secured.{ns}")
        spark.sql(f"CREATE TABLE secured.{ns}.t (id BIGINT) USING iceberg")
        spark.sql(f"INSERT INTO secured.{ns}.t VALUES (1), (2), (3)")
        assert spark.sql(f"SELECT count(*) FROM secured.{ns}.t").collect()[0][0] == 3
        spark.sql(f"DROP TABLE secured.{ns}.t PURGE")
        spark.sql(f"DROP NAMESPACE secured.{ns}")
    finally:
        spark.stop()


def management(secured, credential, method, path, body=None):
    return bearer_request(secured["FLOE_SECURED_URI"], secured["FLOE_SECURED_TOKEN_URI"], credential, method, path, body)


def test_a_reader_gets_read_only_credentials_and_cannot_commit(secured):
    names = ["FLOE_TEST_S3_ENDPOINT", "FLOE_TEST_S3_ACCESS_KEY", "FLOE_TEST_S3_SECRET_KEY", "FLOE_TEST_S3_ROLE_ARN",
             "FLOE_SECURED_READER"]
    missing = [name for name in names if not os.environ.get(name)]
    if missing:
        pytest.fail(f"{missing} not set: run the suite through scripts/test.sh")
    endpoint = os.environ["FLOE_TEST_S3_ENDPOINT"]
    bucket = f"floe-secured-{uuid.uuid4().hex[:10]}"
    fs.S3FileSystem(access_key=os.environ["FLOE_TEST_S3_ACCESS_KEY"], secret_key=os.environ["FLOE_TEST_S3_SECRET_KEY"],
                    endpoint_override=endpoint, scheme="http", region="us-east-1",
                    allow_bucket_creation=True).create_dir(bucket)
    owner = secured["FLOE_SECURED_CREDENTIAL"]
    warehouse = f"s3_{uuid.uuid4().hex[:8]}"
    status, body = management(secured, owner, "POST", "/management/v1/projects/default/warehouses", {
        "name": warehouse,
        "storage-profile": {"type": "s3", "bucket": bucket, "key-prefix": "lake", "region": "us-east-1",
                            "endpoint": endpoint, "path-style-access": True, "role-arn": os.environ["FLOE_TEST_S3_ROLE_ARN"]},
        "storage-credential": {"type": "s3-access-key", "access-key-id": os.environ["FLOE_TEST_S3_ACCESS_KEY"],
                               "secret-access-key": os.environ["FLOE_TEST_S3_SECRET_KEY"]},
    })
    assert status == 201, body
    prefix = body["id"]

    def vended(credential):
        return load_catalog(f"vended-{credential.split(':')[0]}", **{
            "type": "rest", "uri": secured["FLOE_SECURED_URI"], "warehouse": warehouse, "credential": credential,
            "oauth2-server-uri": secured["FLOE_SECURED_TOKEN_URI"], "scope": "openid",
            "header.X-Iceberg-Access-Delegation": "vended-credentials"})

    writer = vended(owner)
    writer.create_namespace("sales")
    table = writer.create_table("sales.orders", schema=Schema(NestedField(1, "id", LongType(), required=False)))
    table.append(pa.table({"id": pa.array([1, 2, 3], pa.int64())}))
    status, found = management(secured, owner, "GET", f"/management/v1/warehouses/{prefix}/namespaces/sales/tables/orders")
    assert status == 200, found
    status, me = management(secured, os.environ["FLOE_SECURED_READER"], "GET", "/management/v1/whoami")
    reader_id = me["id"]
    # the table's owner (its creator) grants select
    status, body = management(secured, owner, "POST", f"/management/v1/permissions/table/{found['id']}/assignments",
                              {"writes": [{"principal": reader_id, "relation": "select"}]})
    assert status == 204, body

    reader = vended(os.environ["FLOE_SECURED_READER"]).load_table("sales.orders")
    assert reader.scan().to_arrow().num_rows == 3
    scoped = fs.S3FileSystem(
        access_key=reader.io.properties["s3.access-key-id"], secret_key=reader.io.properties["s3.secret-access-key"],
        session_token=reader.io.properties["s3.session-token"], endpoint_override=endpoint, scheme="http", region="us-east-1")
    location = reader.location().removeprefix("s3://")
    # read-only: the reader's credential may read the table's files but write none
    data_file = next(iter(reader.scan().plan_files())).file.file_path.removeprefix("s3://")
    with scoped.open_input_stream(data_file) as stream:
        assert len(stream.read()) > 0
    with pytest.raises(OSError):
        with scoped.open_output_stream(f"{location}/data/forged.parquet") as stream:
            stream.write(b"not yours")
    # and a commit is refused
    with pytest.raises(ForbiddenError):
        with reader.transaction() as transaction:
            transaction.set_properties(owner="reader")
    # the writer's credential writes
    writable = writer.load_table("sales.orders")
    assert "s3.session-token" in writable.io.properties
    writer.purge_table("sales.orders")
    writer.drop_namespace("sales")
