"""PyIceberg and Spark against a Floe with OpenID Connect and OpenFGA on: clients get their tokens
from the provider with credential=client_id:secret, and see only what they were granted."""
import os
import uuid

import pyarrow as pa
import pytest
from pyiceberg.catalog import load_catalog
from pyiceberg.exceptions import NoSuchTableError
from pyiceberg.schema import Schema
from pyiceberg.types import LongType, NestedField
from pyspark.sql import SparkSession


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
