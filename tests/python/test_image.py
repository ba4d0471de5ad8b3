"""The container image that `bin/floe image` builds: an OCI image with the distribution and the
shared libraries it needs, no shell, run as an unprivileged user. It is unpacked with umoci and
run with runc (an OCI runtime) on the host's network, against the test PostgreSQL, and probed."""
import json
import os
import re
import socket
import subprocess
import tarfile
import urllib.request
import uuid

import pytest
from conftest import new_database, wait_ready

TAG = "0.1.0-SNAPSHOT"


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    image = os.environ.get("FLOE_TEST_IMAGE")
    if not image:
        pytest.fail("FLOE_TEST_IMAGE is not set: run the suite through scripts/test.sh")
    work = tmp_path_factory.mktemp("image")
    with tarfile.open(image) as archive:
        archive.extractall(work / "layout", filter="tar")
    subprocess.run(["umoci", "unpack", "--image", f"{work / 'layout'}:{TAG}", str(work / "bundle")],
                   check=True, capture_output=True)
    return work / "bundle"


def test_the_image_holds_no_shell_and_runs_as_an_unprivileged_user(bundle):
    rootfs = bundle / "rootfs"
    assert (rootfs / "opt/floe/runtime/bin/java").exists()
    assert (rootfs / "opt/floe/lib/floe.aot").exists()
    for shell in ("bin/sh", "bin/bash", "usr/bin/sh", "bin/busybox"):
        assert not (rootfs / shell).exists(), shell
    config = json.loads((bundle / "config.json").read_text())
    assert config["process"]["user"]["uid"] == 10001
    assert config["process"]["args"][:4] == [
        "/opt/floe/runtime/bin/java", "@/opt/floe/lib/jvm.options", "@/opt/floe/lib/container.args", "io.floe.server.Main"]
    assert config["process"]["args"][4:] == ["serve"]
    assert "floe:x:10001:10001" in (rootfs / "etc/passwd").read_text()


def test_it_serves_against_an_external_postgresql(bundle, tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = json.loads((bundle / "config.json").read_text())
    process = config["process"]
    process["terminal"] = False
    process["env"] = [e for e in process["env"] if not e.startswith("FLOE_BIND_ADDRESS=")] + [
        f"FLOE_DATABASE_URL={new_database('image')}", f"FLOE_PORT={port}", "FLOE_BIND_ADDRESS=127.0.0.1",
        # the JVM refuses to start unless it can use the AOT cache at its new path
        "JDK_JAVA_OPTIONS=-XX:AOTMode=on"]
    # the host's network, so that the container reaches the test PostgreSQL on loopback and the
    # test reaches it; a read-only root file system with a tmpfs on /tmp, as the chart runs it
    config["linux"]["namespaces"] = [n for n in config["linux"]["namespaces"] if n["type"] != "network"]
    config["root"]["readonly"] = True
    config["mounts"] = [m for m in config["mounts"] if m["destination"] != "/tmp"] + [
        {"destination": "/tmp", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "nodev", "mode=1777"]}]
    (bundle / "config.json").write_text(json.dumps(config))
    name = "floe-test-" + uuid.uuid4().hex[:8]
    log = open(tmp_path / "container.log", "w")
    container = subprocess.Popen(["runc", "run", "--bundle", str(bundle), name], stdout=log, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_ready(base, container, tmp_path / "container.log")
        with urllib.request.urlopen(base + "/v1/config?warehouse=demo", timeout=5) as response:
            assert response.status == 200
        state = json.loads(subprocess.run(["runc", "state", name], capture_output=True, text=True, check=True).stdout)
        status = open(f"/proc/{state['pid']}/status").read()
        assert re.search(r"^Uid:\s+10001\b", status, re.M), "the server runs as user 10001"
    finally:
        subprocess.run(["runc", "kill", name, "TERM"], capture_output=True)
        try:
            container.wait(timeout=30)
        except subprocess.TimeoutExpired:
            subprocess.run(["runc", "kill", name, "KILL"], capture_output=True)
            container.wait(timeout=10)
        subprocess.run(["runc", "delete", "--force", name], capture_output=True)
    assert "stopped" in open(tmp_path / "container.log").read()
