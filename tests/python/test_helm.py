"""The Helm chart: helm lint and helm template pass, the manifests it renders are what the chart
promises, and each is valid against the Kubernetes API's schemas (kubernetes-validate, which
carries the schemas of every Kubernetes release; the ServiceMonitor is a CRD of the Prometheus
Operator and has none there, so its required fields are checked here instead)."""
import os
import subprocess

import kubernetes_validate
import pytest
import yaml

CHART = os.path.join(os.path.dirname(__file__), "..", "..", "deploy", "helm", "floe")
KUBERNETES_VERSION = "1.33.0"
URL = "jdbc:postgresql://postgres:5432/floe"


def helm(*args, check=True):
    binary = os.environ.get("FLOE_TEST_HELM")
    if not binary:
        pytest.fail("FLOE_TEST_HELM is not set: run the suite through scripts/test.sh")
    result = subprocess.run([binary, *args], capture_output=True, text=True, timeout=120)
    if check and result.returncode != 0:
        pytest.fail(f"helm {' '.join(args)} failed: {result.stdout}{result.stderr}")
    return result


def render(*sets):
    args = ["template", "lake", CHART]
    for value in sets:
        args += ["--set", value]
    documents = [d for d in yaml.safe_load_all(helm(*args).stdout) if d]
    return {(d["kind"], d["metadata"]["name"]): d for d in documents}


def by_kind(manifests, kind):
    return [m for (k, _), m in manifests.items() if k == kind]


def env_of(container):
    return {e["name"]: e.get("value") for e in container.get("env", [])}


def test_lint_passes_and_a_database_is_required():
    result = helm("lint", CHART, "--strict", "--set", f"database.url={URL}")
    assert "0 chart(s) failed" in result.stdout
    missing = helm("template", "lake", CHART, check=False)
    assert missing.returncode != 0
    assert "database.url (or database.existingSecret) is required" in missing.stderr


def test_defaults_render_a_deployment_with_probes_migrations_and_secrets():
    manifests = render(f"database.url={URL}", "database.password=pw", "secretKeys.value=1:a2V5")
    kinds = sorted({kind for kind, _ in manifests})
    assert kinds == ["Deployment", "HorizontalPodAutoscaler", "PodDisruptionBudget", "Secret", "Service", "ServiceAccount"]
    deployment = manifests[("Deployment", "lake-floe")]
    pod = deployment["spec"]["template"]["spec"]
    server = pod["containers"][0]
    assert server["args"] == ["serve"]
    assert server["readinessProbe"]["httpGet"]["path"] == "/health/ready"
    assert server["livenessProbe"]["httpGet"]["path"] == "/health"
    assert pod["initContainers"][0]["args"] == ["migrate"]
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert server["securityContext"]["readOnlyRootFilesystem"] is True
    assert {ref["secretRef"]["name"] for ref in server["envFrom"]} == {"lake-floe-database", "lake-floe-secret-keys"}
    environment = env_of(server)
    assert environment["FLOE_BIND_ADDRESS"] == "0.0.0.0"
    assert environment["FLOE_SHUTDOWN_DELAY_SECONDS"] == "5"
    assert "FLOE_DATABASE_URL" not in environment, "credentials travel in Secrets only"
    secret = manifests[("Secret", "lake-floe-database")]
    assert secret["stringData"]["FLOE_DATABASE_URL"] == URL
    assert manifests[("Secret", "lake-floe-secret-keys")]["stringData"]["FLOE_SECRET_KEYS"] == "1:a2V5"
    assert "replicas" not in deployment["spec"], "the autoscaler owns the replica count"


def test_options_render_a_migration_job_a_service_monitor_and_openfga():
    manifests = render(
        "database.existingSecret=floe-db", "migrations.mode=job", "serviceMonitor.enabled=true",
        "authorization.backend=openfga", "authorization.openfga.endpoint=http://openfga:8080",
        "authorization.openfga.existingSecret=floe-openfga", "openid.issuer=https://id.example/realms/lake",
        "autoscaling.enabled=false", "replicaCount=3", "events.natsUrl=nats://nats:4222",
        "tracing.otlpEndpoint=http://otel:4318/v1/traces", "tracing.sampleRatio=0.1")
    assert not by_kind(manifests, "Secret"), "an existing Secret is used, none made"
    job = manifests[("Job", "lake-floe-migrate")]
    assert job["metadata"]["annotations"]["helm.sh/hook"] == "pre-install,pre-upgrade"
    assert job["spec"]["template"]["spec"]["containers"][0]["args"] == ["migrate"]
    deployment = manifests[("Deployment", "lake-floe")]
    assert deployment["spec"]["replicas"] == 3
    pod = deployment["spec"]["template"]["spec"]
    assert "initContainers" not in pod
    environment = env_of(pod["containers"][0])
    assert environment["FLOE_AUTHZ_BACKEND"] == "openfga"
    assert environment["FLOE_OPENFGA_ENDPOINT"] == "http://openfga:8080"
    assert environment["FLOE_OPENID_PROVIDER_URI"] == "https://id.example/realms/lake"
    assert environment["FLOE_EVENTS_NATS_URL"] == "nats://nats:4222"
    assert environment["FLOE_TRACING_OTLP_ENDPOINT"] == "http://otel:4318/v1/traces"
    assert environment["FLOE_TRACING_SAMPLE_RATIO"] == "0.1"
    monitor = manifests[("ServiceMonitor", "lake-floe")]
    assert monitor["spec"]["endpoints"][0]["path"] == "/metrics"
    assert monitor["spec"]["selector"]["matchLabels"] == deployment["spec"]["selector"]["matchLabels"]
    assert not by_kind(manifests, "HorizontalPodAutoscaler")
    # the Job's pod must not be selected by the Service or the disruption budget
    job_labels = job["spec"]["template"]["metadata"]["labels"]
    selector = manifests[("Service", "lake-floe")]["spec"]["selector"]
    assert not all(job_labels.get(k) == v for k, v in selector.items())


def test_a_job_without_an_existing_secret_is_refused():
    result = helm("template", "lake", CHART, "--set", f"database.url={URL}", "--set", "migrations.mode=job", check=False)
    assert result.returncode != 0
    assert "migrations.mode=job needs database.existingSecret" in result.stderr


@pytest.mark.parametrize("sets", [
    (f"database.url={URL}", "database.password=pw", "secretKeys.value=1:a2V5"),
    ("database.existingSecret=floe-db", "migrations.mode=job", "serviceMonitor.enabled=true", "autoscaling.enabled=false",
     "authorization.backend=openfga", "authorization.openfga.endpoint=http://openfga:8080"),
])
def test_every_manifest_is_valid_against_the_kubernetes_schemas(sets):
    manifests = render(*sets)
    validated = 0
    for (kind, name), manifest in manifests.items():
        if kind == "ServiceMonitor":
            assert manifest["apiVersion"] == "monitoring.coreos.com/v1"
            assert manifest["spec"]["endpoints"] and manifest["spec"]["selector"]["matchLabels"]
            continue
        kubernetes_validate.validate(manifest, KUBERNETES_VERSION, strict=True)
        validated += 1
    assert validated >= 5
    broken = dict(manifests[("Deployment", "lake-floe")])
    broken["spec"] = dict(broken["spec"], replicas="three")
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, KUBERNETES_VERSION, strict=True)
