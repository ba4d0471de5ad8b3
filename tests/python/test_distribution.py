"""The distribution that `bin/floe dist` builds (the client suites run against it too): it starts
from its AOT cache on its trimmed runtime, against an external PostgreSQL, and its commands work."""
import json
import os
import socket
import subprocess
import urllib.request

import pytest
from conftest import new_database, wait_ready


def dist():
    path = os.environ.get("FLOE_TEST_DIST")
    if not path:
        pytest.fail("FLOE_TEST_DIST is not set: run the suite through scripts/test.sh")
    return path


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def floe(*args, env=None, timeout=120):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("FLOE_")}
    environment.update(env or {})
    return subprocess.run([os.path.join(dist(), "bin", "floe"), *args], env=environment, capture_output=True,
                          text=True, timeout=timeout)


def test_the_runtime_is_trimmed_and_the_cache_is_there():
    modules = subprocess.run([os.path.join(dist(), "runtime", "bin", "java"), "--list-modules"],
                             capture_output=True, text=True, check=True).stdout
    names = {line.split("@")[0] for line in modules.split()}
    assert {"java.base", "java.sql", "java.net.http", "jdk.unsupported"} <= names
    assert "jdk.compiler" not in names and "jdk.jshell" not in names and "java.compiler" not in names
    assert os.path.getsize(os.path.join(dist(), "lib", "floe.aot")) > 10 * 1024 * 1024


def test_it_serves_from_its_aot_cache_against_postgresql(tmp_path):
    url = new_database("dist")
    migrated = floe("migrate", env={"FLOE_DATABASE_URL": url, "FLOE_DATA_DIR": str(tmp_path)})
    assert migrated.returncode == 0, migrated.stdout + migrated.stderr
    assert "migration(s) applied to an empty database" in migrated.stdout
    port = free_port()
    log = open(tmp_path / "floe.log", "w")
    # AOTMode=on: the JVM refuses to start unless it can use the cache, so this proves it is used
    environment = {k: v for k, v in os.environ.items() if not k.startswith("FLOE_")}
    environment.update({"FLOE_DATABASE_URL": url, "FLOE_DATA_DIR": str(tmp_path), "FLOE_PORT": str(port),
                        "FLOE_JAVA_OPTS": "-XX:AOTMode=on"})
    process = subprocess.Popen([os.path.join(dist(), "bin", "floe"), "serve"], env=environment, stdout=log,
                               stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_ready(base, process, tmp_path / "floe.log")

        def call(method, path, body=None):
            request = urllib.request.Request(base + path, method=method,
                                             data=None if body is None else json.dumps(body).encode(),
                                             headers={"Content-Type": "application/json"})
            with urllib.request.urlopen(request, timeout=10) as response:
                return json.load(response)

        prefix = call("GET", "/v1/config?warehouse=demo")["overrides"]["prefix"]
        call("POST", f"/v1/{prefix}/namespaces", {"namespace": ["dist"]})
        schema = {"type": "struct", "schema-id": 0,
                  "fields": [{"id": 1, "name": "id", "required": True, "type": "long"}]}
        created = call("POST", f"/v1/{prefix}/namespaces/dist/tables", {"name": "t", "schema": schema})
        loaded = call("GET", f"/v1/{prefix}/namespaces/dist/tables/t")
        assert loaded["metadata"]["table-uuid"] == created["metadata"]["table-uuid"]
    finally:
        process.terminate()
        assert process.wait(timeout=30) in (0, 143)
    text = open(tmp_path / "floe.log").read()
    assert "stopped" in text
    assert "[ERROR]" not in text


def test_its_commands_work(tmp_path):
    reference = floe("config", "reference")
    assert reference.returncode == 0
    assert reference.stdout.startswith("| key | default | meaning |")
    bad = floe("config", "check", env={"FLOE_PORT": "http"})
    assert bad.returncode == 2
    assert "FLOE_PORT must be an integer" in bad.stderr
