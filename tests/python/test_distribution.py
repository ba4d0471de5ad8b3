"""The distribution that `bin/floe dist` builds (the client suites run against it too): it starts
from its AOT cache on its trimmed runtime, against an external PostgreSQL, and its commands work."""
import json
import os
import socket
import subprocess
import urllib.error
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
    # Floe's own log set-up (slf4j.provider in jvm.options), and nothing from SLF4J about finding it
    assert "SLF4J" not in text
    lines = [line for line in text.splitlines() if line and not line.startswith(("WARNING:", "\tat ", "Caused by"))]
    assert lines and all(line[:4].isdigit() and " [" in line for line in lines), text


def test_its_json_logs_carry_request_ids(tmp_path):
    url = new_database("distjson")
    assert floe("migrate", env={"FLOE_DATABASE_URL": url}).returncode == 0
    port = free_port()
    environment = {k: v for k, v in os.environ.items() if not k.startswith("FLOE_")}
    environment.update({"FLOE_DATABASE_URL": url, "FLOE_DATA_DIR": str(tmp_path), "FLOE_PORT": str(port),
                        "FLOE_LOG_FORMAT": "json"})
    with open(tmp_path / "floe.log", "w") as log:
        process = subprocess.Popen([os.path.join(dist(), "bin", "floe"), "serve"], env=environment, stdout=log,
                                   stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_ready(base, process, tmp_path / "floe.log")
        with urllib.request.urlopen(base + "/v1/config?warehouse=demo", timeout=10) as response:
            prefix = json.load(response)["overrides"]["prefix"]
        # a client's mistake is logged at info
        request = urllib.request.Request(f"{base}/v1/{prefix}/namespaces", method="POST",
                                         data=b'{"namespace": "not-a-list"}',
                                         headers={"X-Request-ID": "dist-log-1", "Content-Type": "application/json"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=10)
        assert refused.value.code == 400
    finally:
        process.terminate()
        assert process.wait(timeout=30) in (0, 143)
    lines = [json.loads(line) for line in open(tmp_path / "floe.log").read().splitlines()
             if line and not line.startswith("WARNING:")]
    assert any(line.get("mdc", {}).get("request-id") == "dist-log-1" for line in lines), lines
    assert all(line.get("level") for line in lines)


def test_its_commands_work(tmp_path):
    reference = floe("config", "reference")
    assert reference.returncode == 0
    assert reference.stdout.startswith("| key | default | meaning |")
    bad = floe("config", "check", env={"FLOE_PORT": "http"})
    assert bad.returncode == 2
    assert "FLOE_PORT must be an integer" in bad.stderr


def test_the_storage_sdks_are_plugins_that_an_idle_server_never_opens(tmp_path):
    lib = os.path.join(dist(), "lib")
    classpath = open(os.path.join(lib, "classpath")).read().split()
    assert classpath[0].startswith("floe-server-")
    for sdk in ("s3-", "sts-", "azure-core-", "google-cloud-storage-", "floe-storage-s3-", "iceberg-aws-", "kafka-clients-",
                "jnats-", "bcprov-", "openfga-sdk-", "floe-events-", "floe-authz-openfga-"):
        assert not any(jar.startswith(sdk) for jar in classpath), sdk + " is on the class path"
    plugins = sorted(os.listdir(os.path.join(lib, "plugins")))
    assert plugins == ["floe-authz-openfga", "floe-events-kafka", "floe-events-nats", "floe-storage-adls",
                       "floe-storage-gcs", "floe-storage-s3"]
    for plugin in plugins:
        jars = open(os.path.join(lib, "plugins", plugin, "classpath")).read().split()
        assert jars[0].startswith(plugin + "-"), "the module's jar comes first"
        assert len(jars) > 1 and all(os.path.isfile(os.path.join(lib, "plugins", plugin, jar)) for jar in jars)
        assert not set(jars[1:]) & set(classpath), "a jar is in one place only"

    url = new_database("plugins")
    assert floe("migrate", env={"FLOE_DATABASE_URL": url, "FLOE_DATA_DIR": str(tmp_path)}).returncode == 0
    port = free_port()
    environment = {k: v for k, v in os.environ.items() if not k.startswith("FLOE_")}
    environment.update({"FLOE_DATABASE_URL": url, "FLOE_DATA_DIR": str(tmp_path), "FLOE_PORT": str(port)})
    log = open(tmp_path / "floe.log", "w")
    process = subprocess.Popen([os.path.join(dist(), "bin", "floe"), "serve"], env=environment, stdout=log,
                               stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_ready(base, process, tmp_path / "floe.log")
        fd_dir = f"/proc/{process.pid}/fd"
        opened = set()
        for fd in os.listdir(fd_dir):
            try:
                opened.add(os.readlink(os.path.join(fd_dir, fd)))
            except OSError:
                pass
        plugin_jars = sorted(os.path.relpath(path, os.path.join(lib, "plugins")) for path in opened
                             if path.startswith(os.path.realpath(os.path.join(lib, "plugins"))))
        # the module jars, read for their kinds; the events and authorization plugins are not asked
        # for storage kinds, nor used when not configured
        assert plugin_jars == [f"{plugin}/{plugin}-0.1.0-SNAPSHOT.jar" for plugin in plugins if "storage" in plugin], \
            plugin_jars

        def create_warehouse(profile):
            request = urllib.request.Request(base + "/management/v1/projects/default/warehouses", method="POST",
                                             data=json.dumps({"name": "w", "storage-profile": profile}).encode(),
                                             headers={"Content-Type": "application/json"})
            try:
                urllib.request.urlopen(request, timeout=30)
                return 201, ""
            except urllib.error.HTTPError as error:
                return error.code, json.load(error)["error"]["message"]

        status, message = create_warehouse({"type": "nfs", "root": "/x"})
        assert status == 400 and all(kind in message for kind in ("s3", "adls", "gcs", "local")), message
        # the S3 kind, from its plugin, checks its own fields
        status, message = create_warehouse({"type": "s3", "region": "us-east-1", "colour": "blue"})
        assert status == 400 and "colour" in message, message
    finally:
        process.terminate()
        assert process.wait(timeout=30) in (0, 143)
    assert "[ERROR]" not in open(tmp_path / "floe.log").read()


def test_the_event_and_authorization_plugins_run_from_the_distribution(tmp_path):
    """OpenFGA (model written by `floe authz migrate`, then enforced) and NATS, each from its plugin."""
    openfga = os.environ.get("FLOE_TEST_OPENFGA_URL")
    nats_server = os.environ.get("FLOE_TEST_NATS_SERVER")
    if not openfga or not nats_server:
        pytest.fail("FLOE_TEST_OPENFGA_URL and FLOE_TEST_NATS_SERVER are not set: run the suite through scripts/test.sh")
    nats_port = free_port()
    nats = subprocess.Popen([nats_server, "-a", "127.0.0.1", "-p", str(nats_port), "-js", "-sd", str(tmp_path / "js")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = new_database("plugins_secured")
    port = free_port()
    store = "dist-" + os.urandom(4).hex()
    settings = {"FLOE_DATABASE_URL": url, "FLOE_DATA_DIR": str(tmp_path), "FLOE_PORT": str(port),
                "FLOE_AUTHZ_BACKEND": "openfga", "FLOE_OPENFGA_ENDPOINT": openfga, "FLOE_OPENFGA_STORE": store,
                "FLOE_EVENTS_NATS_URL": f"nats://127.0.0.1:{nats_port}"}
    process = None
    try:
        assert floe("migrate", env=settings).returncode == 0
        migrated = floe("authz", "migrate", env=settings)
        assert migrated.returncode == 0, migrated.stdout + migrated.stderr
        assert "written" in migrated.stdout, migrated.stdout
        environment = {k: v for k, v in os.environ.items() if not k.startswith("FLOE_")}
        environment.update(settings)
        log = open(tmp_path / "floe.log", "w")
        process = subprocess.Popen([os.path.join(dist(), "bin", "floe"), "serve"], env=environment, stdout=log,
                                   stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        wait_ready(base, process, tmp_path / "floe.log")
        # enforced: an anonymous caller may not create a project
        request = urllib.request.Request(base + "/management/v1/projects", method="POST",
                                         data=json.dumps({"name": "p"}).encode(),
                                         headers={"Content-Type": "application/json"})
        try:
            urllib.request.urlopen(request, timeout=30)
            raise AssertionError("an anonymous caller created a project under OpenFGA")
        except urllib.error.HTTPError as error:
            assert error.code in (401, 403), error.code
        with urllib.request.urlopen(base + "/metrics", timeout=30) as response:
            metrics = response.read().decode()
        requests = [line for line in metrics.splitlines() if line.startswith("floe_openfga_requests_total")]
        assert requests and float(requests[0].split()[-1]) > 0, requests
        text = open(tmp_path / "floe.log").read()
        assert "authorization: OpenFGA at" in text, text
        assert any("publishing to" in line and "nats" in line for line in text.splitlines()), text
        opened = {os.readlink(os.path.join(f"/proc/{process.pid}/fd", fd)) for fd in os.listdir(f"/proc/{process.pid}/fd")
                  if os.path.islink(os.path.join(f"/proc/{process.pid}/fd", fd))}
        plugins = os.path.realpath(os.path.join(dist(), "lib", "plugins"))
        assert any(path.startswith(plugins + "/floe-events-nats/jnats-") for path in opened)
        # asked for its name, the Kafka plugin opens its own jar, never its client's: Kafka is not configured
        assert not any(path.startswith(plugins + "/floe-events-kafka/kafka-clients-") for path in opened)
    finally:
        if process:
            process.terminate()
            process.wait(timeout=30)
        nats.terminate()
        nats.wait(timeout=30)
    assert "[ERROR]" not in open(tmp_path / "floe.log").read()
