"""Trino with OPA access control against Floe: a user sees and reads what Floe grants it, with
the row filters and column masks Floe keeps for the table. Trino, OPA, Keycloak and the secured
Floe are started by scripts/test.sh on loopback."""
import json
import os
import time
import urllib.request

import pytest
from conftest import bearer_request


@pytest.fixture(scope="module")
def env():
    names = ["FLOE_TRINO_URL", "FLOE_TRINO_ADMIN_USER", "FLOE_TRINO_ALICE_USER", "FLOE_SECURED_URI",
             "FLOE_SECURED_TOKEN_URI", "FLOE_TRINO_WAREHOUSE"]
    missing = [name for name in names if not os.environ.get(name)]
    if missing:
        pytest.fail(f"{missing} not set: run the suite through scripts/test.sh, which starts Trino and OPA")
    return {name: os.environ[name] for name in names}


def trino(env, user, sql):
    """Runs a statement as a Trino user; returns (rows, error message or None)."""
    request = urllib.request.Request(
        env["FLOE_TRINO_URL"] + "/v1/statement", data=sql.encode(), method="POST",
        headers={"X-Trino-User": user, "X-Trino-Catalog": "lake"})
    with urllib.request.urlopen(request, timeout=120) as response:
        result = json.load(response)
    rows = []
    while True:
        rows.extend(result.get("data", []))
        if "error" in result:
            return rows, result["error"]["message"]
        if "nextUri" not in result:
            return rows, None
        time.sleep(0.05)
        with urllib.request.urlopen(result["nextUri"], timeout=120) as response:
            result = json.load(response)


def ok(env, user, sql):
    rows, error = trino(env, user, sql)
    assert error is None, f"{sql}: {error}"
    return rows


def floe(env, method, path, body=None):
    return bearer_request(env["FLOE_SECURED_URI"], env["FLOE_SECURED_TOKEN_URI"], "admin:admin-secret", method, path, body)


def test_trino_enforces_floe_grants_row_filters_and_column_masks(env):
    admin, alice = env["FLOE_TRINO_ADMIN_USER"], env["FLOE_TRINO_ALICE_USER"]
    ok(env, admin, "CREATE SCHEMA lake.sales")
    ok(env, admin, "CREATE TABLE lake.sales.orders (id BIGINT, region VARCHAR, email VARCHAR)")
    ok(env, admin, "INSERT INTO lake.sales.orders VALUES (1, 'EU', 'a@x.eu'), (2, 'US', 'b@x.us'), (3, 'EU', 'c@x.eu')")
    ok(env, admin, "CREATE TABLE lake.sales.customers (id BIGINT)")
    ok(env, admin, "INSERT INTO lake.sales.customers VALUES (1)")

    # nothing granted: alice is refused
    _, error = trino(env, alice, "SELECT count(*) FROM lake.sales.orders")
    assert error is not None and "Access Denied" in error, error

    prefix = env["FLOE_TRINO_WAREHOUSE"]
    status, table = floe(env, "GET", f"/management/v1/warehouses/{prefix}/namespaces/sales/tables/orders")
    assert status == 200, table
    status, body = floe(env, "POST", f"/management/v1/permissions/table/{table['id']}/assignments",
                        {"writes": [{"principal": alice, "relation": "select"}]})
    assert status == 204, body

    assert ok(env, alice, "SELECT count(*) FROM lake.sales.orders") == [[3]]
    _, error = trino(env, alice, "SELECT count(*) FROM lake.sales.customers")
    assert error is not None and "Access Denied" in error, error
    _, error = trino(env, alice, "INSERT INTO lake.sales.orders VALUES (4, 'EU', 'd@x.eu')")
    assert error is not None and "Access Denied" in error, error
    # listings show alice only what she may see
    assert ok(env, alice, "SHOW TABLES FROM lake.sales") == [["orders"]]

    status, body = floe(env, "PUT", f"/management/v1/warehouses/{prefix}/namespaces/sales/tables/orders/data-policy", {
        "row-filters": [{"principal": alice, "expression": "region = 'EU'"}],
        "column-masks": [{"principal": alice, "column": "email", "expression": "'***'"}],
    })
    assert status == 200, body
    assert ok(env, alice, "SELECT id, region, email FROM lake.sales.orders ORDER BY id") == [
        [1, "EU", "***"], [3, "EU", "***"]]
    # the owner sees the table as it is
    assert ok(env, admin, "SELECT id, email FROM lake.sales.orders ORDER BY id") == [
        [1, "a@x.eu"], [2, "b@x.us"], [3, "c@x.eu"]]
