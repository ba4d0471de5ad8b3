import os
import re
import subprocess
import time
import urllib.request
import uuid

import pytest
from pyiceberg.catalog import load_catalog


@pytest.fixture(scope="session")
def floe_uri():
    uri = os.environ.get("FLOE_URI")
    if not uri:
        pytest.fail("FLOE_URI is not set: run the suite through scripts/test.sh")
    return uri


@pytest.fixture()
def catalog(floe_uri):
    """A PyIceberg REST catalog on Floe's embedded-default warehouse, 'demo'."""
    return load_catalog("floe", **{"type": "rest", "uri": floe_uri, "warehouse": "demo"})


@pytest.fixture()
def namespace(catalog):
    name = f"py_{uuid.uuid4().hex[:12]}"
    catalog.create_namespace(name)
    yield name
    for identifier in catalog.list_tables(name):
        catalog.drop_table(identifier)
    catalog.drop_namespace(name)


def bearer_request(uri, token_uri, credential, method, path, body=None):
    """Calls Floe's API with a token of `credential` (client_id:secret) from `token_uri`; returns
    (status, parsed JSON body or text)."""
    import json
    import urllib.error
    import urllib.parse
    import urllib.request

    client_id, secret = credential.split(":", 1)
    form = urllib.parse.urlencode({"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret})
    with urllib.request.urlopen(urllib.request.Request(token_uri, data=form.encode()), timeout=30) as response:
        token = json.load(response)["access_token"]
    request = urllib.request.Request(
        uri + path, method=method, data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            text = response.read().decode()
            return response.status, json.loads(text) if text else None
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def new_database(prefix):
    """A new database on the test PostgreSQL (FLOE_TEST_DATABASE_URL), as a JDBC URL."""
    url = os.environ["FLOE_TEST_DATABASE_URL"]
    host, port = re.match(r"jdbc:postgresql://([^:/]+):(\d+)/", url).groups()
    name = prefix + "_" + uuid.uuid4().hex[:12]
    subprocess.run(["psql", "-h", host, "-p", port, "-U", "postgres", "-qc", f"create database {name}"],
                   check=True, capture_output=True)
    return f"jdbc:postgresql://{host}:{port}/{name}?user=postgres"


def wait_ready(base, process, log_path, seconds=60):
    """Waits for `base`/health/ready to answer 200 while `process` runs; fails with its log."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(base + "/health/ready", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        assert process.poll() is None, open(log_path).read()
        assert time.monotonic() < deadline, f"not ready in {seconds} s: " + open(log_path).read()
        time.sleep(0.05)
