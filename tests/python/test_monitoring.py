"""The monitoring kit in deploy/monitoring: the alert rules pass `promtool check rules` and their
unit tests (`promtool test rules`); every query of the rules and of the Grafana dashboard parses
as PromQL, and names only metrics that a running Floe exports (or, for the few that appear only
with a broker, OpenFGA or a vended credential, that the code registers)."""
import glob
import json
import os
import re
import subprocess
import urllib.request

import pytest
import yaml

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
MONITORING = os.path.join(ROOT, "deploy", "monitoring")
RULES = os.path.join(MONITORING, "floe-alerts.yaml")
DASHBOARD = os.path.join(MONITORING, "floe-dashboard.json")
METRIC = re.compile(r"\b((?:floe|hikaricp|cache|jvm|process)_[a-z0-9_]+)\b")
# Grafana's variables, replaced by what Grafana would put there before the query is parsed
GRAFANA_VARIABLES = {"$__rate_interval": "1m", "$__range": "1h", "$instance": ".*"}
# series that exist only with a broker (events), OpenFGA, once a credential was vended or once a
# task has run; the Java tests scrape them (BacklogTest, S3StorageTest, the OpenFGA tests). None:
# Micrometer's, after the first garbage collection
CONDITIONAL = {
    "jvm_gc_pause_seconds_sum": None,
    "floe_task_runs_seconds_count": "floe.task.runs",
    "floe_events_undelivered": "floe.events.undelivered",
    "floe_openfga_requests_total": "floe.openfga.requests",
    "floe_credentials_vend_seconds_bucket": "floe.credentials.vend",
    "floe_credentials_vend_seconds_count": "floe.credentials.vend",
}


def promtool(*args, cwd=None):
    binary = os.environ.get("FLOE_TEST_PROMTOOL")
    if not binary:
        pytest.fail("FLOE_TEST_PROMTOOL is not set: run the suite through scripts/test.sh")
    return subprocess.run([binary, *args], capture_output=True, text=True, timeout=120, cwd=cwd)


def rule_queries():
    with open(RULES) as f:
        groups = yaml.safe_load(f)["groups"]
    return {rule["alert"]: rule["expr"] for group in groups for rule in group["rules"]}


def dashboard_queries():
    with open(DASHBOARD) as f:
        dashboard = json.load(f)
    queries = {}
    for panel in dashboard["panels"]:
        for target in panel.get("targets", []):
            queries[f"{panel['title']} {target['refId']}"] = target["expr"]
    return dashboard, queries


def exported_metrics(floe_uri):
    # a request first, so that the request histogram has series
    urllib.request.urlopen(floe_uri + "/v1/config?warehouse=demo", timeout=10).read()
    with urllib.request.urlopen(floe_uri + "/metrics", timeout=10) as response:
        text = response.read().decode()
    return {re.split(r"[{ ]", line, 1)[0] for line in text.splitlines() if line and not line.startswith("#")}


def registered_in_code(meter):
    for path in glob.glob(os.path.join(ROOT, "floe-*", "src", "main", "java", "**", "*.java"), recursive=True):
        with open(path) as f:
            if f'"{meter}"' in f.read():
                return True
    return False


def test_rules_pass_promtool_check():
    result = promtool("check", "rules", RULES)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"SUCCESS: {len(rule_queries())} rules found" in result.stdout


def test_rules_pass_their_unit_tests():
    result = promtool("test", "rules", "floe-alerts.test.yaml", cwd=MONITORING)
    assert result.returncode == 0, result.stdout + result.stderr
    # every alert is exercised by at least one unit test that expects it to fire
    with open(os.path.join(MONITORING, "floe-alerts.test.yaml")) as f:
        tests = yaml.safe_load(f)["tests"]
    fired = {case["alertname"] for test in tests for case in test["alert_rule_test"] if case["exp_alerts"]}
    assert fired == set(rule_queries())


def test_every_alert_links_its_runbook_section():
    with open(os.path.join(ROOT, "docs", "operations.md")) as f:
        headings = {line.lstrip("#").strip().lower() for line in f if line.startswith("###")}
    with open(RULES) as f:
        groups = yaml.safe_load(f)["groups"]
    for group in groups:
        for rule in group["rules"]:
            anchor = rule["annotations"]["runbook"].split("#", 1)[1]
            assert anchor in headings, f"{rule['alert']}: docs/operations.md has no section '### {anchor}'"


def test_dashboard_is_well_formed():
    dashboard, queries = dashboard_queries()
    assert dashboard["uid"] and dashboard["title"] == "Floe"
    assert queries, "the dashboard has no queries"
    ids = [panel["id"] for panel in dashboard["panels"]]
    assert len(ids) == len(set(ids)), "panel ids repeat"
    for panel in dashboard["panels"]:
        grid = panel["gridPos"]
        assert 0 <= grid["x"] and grid["x"] + grid["w"] <= 24, panel["title"]
        if panel["type"] != "row":
            assert panel["datasource"]["uid"] == "${datasource}", panel["title"]


@pytest.mark.parametrize("source", ["rules", "dashboard"])
def test_queries_parse_and_name_exported_metrics(floe_uri, source):
    queries = rule_queries() if source == "rules" else dashboard_queries()[1]
    exported = exported_metrics(floe_uri)
    for name, expr in queries.items():
        query = expr
        for variable, value in GRAFANA_VARIABLES.items():
            query = query.replace(variable, value)
        parsed = promtool("--experimental", "promql", "format", query)
        assert parsed.returncode == 0, f"{name}: {parsed.stderr}"
        for metric in METRIC.findall(query):
            if metric in CONDITIONAL:
                assert CONDITIONAL[metric] is None or registered_in_code(CONDITIONAL[metric]), f"{name}: no code registers {metric}"
            else:
                assert metric in exported, f"{name}: Floe exports no {metric}"
