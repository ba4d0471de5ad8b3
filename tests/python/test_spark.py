"""Spark SQL (local mode) against Floe as an Iceberg REST catalog, as a data engineer uses it."""
import glob
import os
import time
import uuid
from pathlib import Path
from urllib.parse import urlparse

import pytest
from pyspark.sql import SparkSession


@pytest.fixture(scope="module")
def spark(floe_uri):
    jars = os.environ.get("FLOE_ICEBERG_SPARK_JAR")
    if not jars:
        pytest.fail("FLOE_ICEBERG_SPARK_JAR is not set: run the suite through scripts/test.sh")
    session = (
        SparkSession.builder.master("local[2]")
        .appName("floe-spark-test")
        .config("spark.jars", jars)
        .config("spark.sql.extensions", "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions")
        .config("spark.sql.catalog.floe", "org.apache.iceberg.spark.SparkCatalog")
        .config("spark.sql.catalog.floe.type", "rest")
        .config("spark.sql.catalog.floe.uri", floe_uri)
        .config("spark.sql.catalog.floe.warehouse", "demo")
        .config("spark.sql.defaultCatalog", "floe")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate()
    )
    yield session
    session.stop()


def rows(spark, sql):
    return [tuple(row) for row in spark.sql(sql).collect()]


def test_spark_sql_lifecycle(spark):
    ns = f"spark_{uuid.uuid4().hex[:10]}"
    spark.sql(f"CREATE NAMESPACE floe.{ns}")
    spark.sql(f"CREATE TABLE floe.{ns}.orders (id BIGINT, item STRING) USING iceberg")
    spark.sql(f"INSERT INTO floe.{ns}.orders VALUES (1, 'apple'), (2, 'pear')")
    first = rows(spark, f"SELECT snapshot_id FROM floe.{ns}.orders.snapshots ORDER BY committed_at")[0][0]

    spark.sql(
        f"""MERGE INTO floe.{ns}.orders t
            USING (SELECT 2L AS id, 'PEAR' AS item UNION ALL SELECT 3L, 'plum') s
            ON t.id = s.id
            WHEN MATCHED THEN UPDATE SET t.item = s.item
            WHEN NOT MATCHED THEN INSERT *"""
    )
    spark.sql(f"ALTER TABLE floe.{ns}.orders ADD COLUMN qty INT")
    spark.sql(f"INSERT INTO floe.{ns}.orders VALUES (4, 'fig', 7)")

    assert rows(spark, f"SELECT id, item, qty FROM floe.{ns}.orders ORDER BY id") == [
        (1, "apple", None),
        (2, "PEAR", None),
        (3, "plum", None),
        (4, "fig", 7),
    ]
    assert rows(spark, f"SELECT id, item FROM floe.{ns}.orders VERSION AS OF {first} ORDER BY id") == [
        (1, "apple"),
        (2, "pear"),
    ]

    spark.sql(f"CREATE VIEW floe.{ns}.big_orders AS SELECT id, item FROM floe.{ns}.orders WHERE id > 1")
    assert rows(spark, f"SELECT count(*) FROM floe.{ns}.big_orders") == [(3,)]
    assert (ns, "big_orders") in [(r[0], r[1]) for r in rows(spark, f"SHOW VIEWS IN floe.{ns}")]

    location = rows(spark, f"SELECT file_path FROM floe.{ns}.orders.files")
    data_files = [Path(urlparse(row[0]).path) for row in location]
    assert data_files and all(path.exists() for path in data_files)

    spark.sql(f"DROP VIEW floe.{ns}.big_orders")
    spark.sql(f"DROP TABLE floe.{ns}.orders PURGE")
    assert rows(spark, f"SHOW TABLES IN floe.{ns}") == []
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(path.exists() for path in data_files):
        time.sleep(0.2)
    assert not any(path.exists() for path in data_files), "DROP TABLE PURGE left data files"
    spark.sql(f"DROP NAMESPACE floe.{ns}")
