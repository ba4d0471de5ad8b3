import os
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
