#!/usr/bin/env bash
# Floe's whole test suite. Installs what the tests need (Debian packages, Maven Central, PyPI),
# starts a PostgreSQL and a Floe server on loopback, runs every suite, stops what it started and
# prints one summary line: "N passed, N failed, N skipped".
#
#   bash scripts/test.sh
#
# Caches live under ~/.cache/floe (Python virtualenv) and ~/.m2 (Maven), so later runs are fast.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source "$root/bin/lib/java.sh"
source "$root/scripts/lib/seaweedfs.sh"
source "$root/scripts/lib/azurite.sh"
source "$root/scripts/lib/fakegcs.sh"
source "$root/scripts/lib/keycloak.sh"
source "$root/scripts/lib/openfga.sh"
source "$root/scripts/lib/opa.sh"
source "$root/scripts/lib/trino.sh"
source "$root/scripts/lib/nats.sh"
source "$root/scripts/lib/kafka.sh"
source "$root/scripts/lib/helm.sh"
source "$root/scripts/lib/promtool.sh"
home="${HOME:-$(getent passwd "$(id -u)" | cut -d: -f6)}"
cache="${XDG_CACHE_HOME:-$home/.cache}/floe"
work="$(mktemp -d /tmp/floe-test.XXXXXX)"
chmod 755 "$work"
log() { printf '\n=== %s\n' "$*"; }

# ---------------------------------------------------------------- prerequisites
need=()
command -v mvn >/dev/null || need+=(maven)
[[ -x /usr/lib/postgresql/15/bin/initdb ]] || need+=(postgresql-15)
ls -d /usr/lib/jvm/java-17-openjdk-* >/dev/null 2>&1 || need+=(openjdk-17-jdk-headless)
command -v curl >/dev/null || need+=(curl)
command -v npm >/dev/null || need+=(npm)
command -v openssl >/dev/null || need+=(openssl)
command -v python3 >/dev/null || need+=(python3 python3-venv)
# the container image: built with umoci, run with runc
command -v umoci >/dev/null || need+=(umoci)
command -v runc >/dev/null || need+=(runc)
if ((${#need[@]})); then
  log "installing Debian packages: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q && apt-get install -y -q "${need[@]}" || { echo "cannot install ${need[*]}"; exit 1; }
fi
java_home="$(floe_java_home)" || exit 1
java17_home="$(floe_java17_home)" || exit 1
export JAVA_HOME="$java_home"
# no client in the suites may look for cloud instance credentials off this machine
export AWS_EC2_METADATA_DISABLED=true
rm -rf "$root"/*/target/surefire-reports "$root"/*/target/surefire-reports-*

# ---------------------------------------------------------------- services we start, stopped on exit
pg_dir="$work/postgres"
floe_pid=""
secured_pid=""
cleanup() {
  if [[ -n "$floe_pid" ]] && kill -0 "$floe_pid" 2>/dev/null; then
    kill "$floe_pid"; wait "$floe_pid" 2>/dev/null
  fi
  if [[ -n "$secured_pid" ]] && kill -0 "$secured_pid" 2>/dev/null; then
    kill "$secured_pid"; wait "$secured_pid" 2>/dev/null
  fi
  seaweedfs_stop
  azurite_stop
  azurite_stop_oauth
  fakegcs_stop
  keycloak_stop
  openfga_stop
  opa_stop
  trino_stop
  if [[ -f "$pg_dir/postmaster.pid" ]]; then
    as_pg /usr/lib/postgresql/15/bin/pg_ctl -D "$pg_dir" -m fast -w stop >/dev/null 2>&1
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# PostgreSQL refuses to run as root: run it as the postgres user the Debian package creates.
as_pg() {
  if [[ "$(id -u)" == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

log "starting PostgreSQL 15 on loopback"
mkdir -p "$pg_dir"
[[ "$(id -u)" == 0 ]] && chown postgres:postgres "$pg_dir"
as_pg /usr/lib/postgresql/15/bin/initdb -D "$pg_dir" -U postgres -A trust -E UTF8 --locale=C >"$work/initdb.log" 2>&1 \
  || { cat "$work/initdb.log"; exit 1; }
pg_port="$(free_port)"
as_pg /usr/lib/postgresql/15/bin/pg_ctl -D "$pg_dir" -l "$pg_dir/server.log" -w \
  -o "-p $pg_port -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c fsync=off -c max_connections=200" start >/dev/null \
  || { cat "$pg_dir/server.log"; exit 1; }
export FLOE_TEST_DATABASE_URL="jdbc:postgresql://127.0.0.1:$pg_port/postgres?user=postgres"

log "starting Keycloak $keycloak_version (an OpenID provider) on loopback, in the background"
keycloak_install "$cache" || { echo "cannot install Keycloak"; exit 1; }
keycloak_launch "$work/keycloak" "$java_home" || { echo "cannot start Keycloak"; exit 1; }

[[ -x /usr/local/go/bin/go ]] && export PATH="$PATH:/usr/local/go/bin"
# OpenFGA and OPA are built once from the Go module proxy, meanwhile (no-ops once cached)
(openfga_build "$cache" >"$work/openfga-build.log" 2>&1) & openfga_build_pid=$!
(opa_build "$cache" >"$work/opa-build.log" 2>&1) & opa_build_pid=$!
# the event tests' brokers: NATS from the Go module proxy, Kafka's jars from Maven Central; the
# tests start and stop them themselves (they take them down on purpose)
(nats_build "$cache" >"$work/nats-build.log" 2>&1) & nats_build_pid=$!
(kafka_install "$cache" >"$work/kafka-install.log" 2>&1) & kafka_install_pid=$!
# Helm, for the chart's tests
(helm_build "$cache" >"$work/helm-build.log" 2>&1) & helm_build_pid=$!
# promtool, for the alert rules' checks and unit tests
(promtool_build "$cache" >"$work/promtool-build.log" 2>&1) & promtool_build_pid=$!

log "starting SeaweedFS, an S3 server that enforces STS session policies, on loopback"
weed="$(seaweedfs_build "$cache")" || { echo "cannot build SeaweedFS"; exit 1; }
seaweedfs_start "$weed" "$work/seaweedfs" || exit 1
export FLOE_TEST_S3_ENDPOINT="$seaweedfs_endpoint" FLOE_TEST_S3_ACCESS_KEY="$seaweedfs_access_key" \
  FLOE_TEST_S3_SECRET_KEY="$seaweedfs_secret_key" FLOE_TEST_S3_ROLE_ARN="$seaweedfs_role_arn"

log "starting Azurite $azurite_version (Azure Storage emulator) on loopback"
azurite_install "$cache" || { echo "cannot install Azurite"; exit 1; }
azurite_start "$work/azurite" || exit 1
export FLOE_TEST_AZURITE_ENDPOINT="$azurite_endpoint" FLOE_TEST_AZURITE_ACCOUNT="$azurite_account" \
  FLOE_TEST_AZURITE_KEY="$azurite_key"
# a second Azurite on HTTPS with OAuth, for warehouses that use an identity (user-delegation SAS)
KEYTOOL="$java_home/bin/keytool" tls_make_certificate "$work/tls" || { echo "cannot make a test certificate"; exit 1; }
azurite_start_oauth "$work/azurite-oauth" "$work/tls/cert.pem" "$work/tls/key.pem" || exit 1
export FLOE_TEST_AZURITE_OAUTH_ENDPOINT="$azurite_oauth_endpoint" FLOE_TEST_TLS_DIR="$work/tls"
# the module tests trust only the test certificate; Azurite 3.35 knows SAS versions up to 2025-07-05
test_jvm_args="-Djavax.net.ssl.trustStore=$work/tls/trust.p12 -Djavax.net.ssl.trustStorePassword=floe-test"
test_jvm_args+=" -Djavax.net.ssl.trustStoreType=PKCS12 -DAZURE_STORAGE_SAS_SERVICE_VERSION=2025-07-05"

log "starting fake-gcs-server $fakegcs_version (a GCS JSON API stand-in) on loopback"
fakegcs_build "$cache" || { echo "cannot build fake-gcs-server"; exit 1; }
fakegcs_start "$work/fake-gcs" || exit 1
export FLOE_TEST_GCS_ENDPOINT="$fakegcs_endpoint"

log "starting OpenFGA $openfga_version (the authorization server) on loopback, in memory"
wait "$openfga_build_pid"
openfga_build "$cache" || { echo "cannot build OpenFGA:"; cat "$work/openfga-build.log"; exit 1; }
openfga_start "$work/openfga" || exit 1
export FLOE_TEST_OPENFGA_URL="$openfga_endpoint"

log "the OPA policies for Trino, with opa test (OPA $opa_version)"
wait "$opa_build_pid"
opa_build "$cache" || { echo "cannot build OPA:"; cat "$work/opa-build.log"; exit 1; }
"$opa_bin" test "$root/opa/floe" --format json > "$work/opa-test.json"
opa_status=$?
"$opa_bin" test "$root/opa/floe" | tail -n 1

log "waiting for Keycloak"
keycloak_wait || exit 1
export FLOE_TEST_KEYCLOAK_URL="$keycloak_url"

log "waiting for the NATS build and the Kafka jars"
wait "$nats_build_pid"
nats_build "$cache" || { echo "cannot build NATS:"; cat "$work/nats-build.log"; exit 1; }
wait "$kafka_install_pid"
kafka_install "$cache" || { echo "cannot fetch Kafka:"; cat "$work/kafka-install.log"; exit 1; }
export FLOE_TEST_NATS_SERVER="$nats_bin" FLOE_TEST_KAFKA_CLASSPATH="$cache/kafka/$kafka_version/classpath.txt"
wait "$helm_build_pid"
helm_build "$cache" || { echo "cannot build Helm:"; cat "$work/helm-build.log"; exit 1; }
export FLOE_TEST_HELM="$helm_bin"
wait "$promtool_build_pid"
promtool_build "$cache" || { echo "cannot build promtool:"; cat "$work/promtool-build.log"; exit 1; }
export FLOE_TEST_PROMTOOL="$promtool_bin"

# ---------------------------------------------------------------- the server's own tests (Java 21+)
log "building Floe and running its module tests (JDK $(basename "$java_home"))"
mvn -B -ntp install "-Dfloe.test.jvm.args=$test_jvm_args" 2>&1 | tee "$work/maven-modules.log" | grep -E "Tests run:|FAIL|ERROR|BUILD|FAULT SUITE"
modules_status=${PIPESTATUS[0]}
if ((modules_status)); then
  # a failed module test stops the install before the later modules' jars: build them without
  # their tests, so the other suites still run and the summary counts every failure
  log "module tests failed: building the rest without tests to run the other suites"
  mvn -B -ntp -q install -DskipTests >"$work/maven-rest.log" 2>&1 \
    || { echo "cannot build Floe:"; tail -50 "$work/maven-rest.log"; exit 1; }
fi

# ---------------------------------------------------------------- the distribution
log "building the distribution (trimmed runtime, AOT cache from a training run)"
dist_dir="$(FLOE_DIST_SKIP_BUILD=1 bash "$root/scripts/dist/build.sh" "$work/dist" 2>"$work/dist.log")" \
  || { echo "cannot build the distribution:"; cat "$work/dist.log"; exit 1; }
image_tar="$(bash "$root/scripts/dist/image.sh" "$dist_dir" "$work/image" 2>>"$work/dist.log")" \
  || { echo "cannot build the container image:"; cat "$work/dist.log"; exit 1; }
grep -E "^(dist|image):" "$work/dist.log"
export FLOE_TEST_DIST="$dist_dir" FLOE_TEST_IMAGE="$image_tar"

# ---------------------------------------------------------------- a Floe server for the client suites
log "starting Floe from the distribution against the test PostgreSQL"
psql_url="postgresql://postgres@127.0.0.1:$pg_port/postgres"
"$java_home/bin/java" -version >/dev/null 2>&1
createdb_sql="create database floe_clients"
as_pg /usr/lib/postgresql/15/bin/psql "$psql_url" -qc "$createdb_sql" >/dev/null
floe_port="$(free_port)"
FLOE_SECRET_KEYS="1:$(python3 -c 'import base64, secrets; print(base64.b64encode(secrets.token_bytes(32)).decode())')" \
FLOE_PORT="$floe_port" \
FLOE_DATABASE_URL="jdbc:postgresql://127.0.0.1:$pg_port/floe_clients?user=postgres" \
FLOE_DATA_DIR="$work/floe-data" \
  "$dist_dir/bin/floe" serve >"$work/floe.log" 2>&1 &
floe_pid=$!
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$floe_port/health/ready" >/dev/null && break
  kill -0 "$floe_pid" 2>/dev/null || break
  sleep 0.5
done
if ! curl -sf "http://127.0.0.1:$floe_port/health/ready" >/dev/null; then
  echo "Floe did not start:"; cat "$work/floe.log"; exit 1
fi
export FLOE_URI="http://127.0.0.1:$floe_port"

# ---------------------------------------------------------------- Iceberg's own suites, on Java 17
log "Iceberg CatalogTests and ViewCatalogTests through RESTCatalog (JDK $(basename "$java17_home"))"
mvn -B -ntp -Pclient-tests -pl floe-client-tests test \
  -Dfloe.uri="$FLOE_URI" -Dfloe.client.java="$java17_home/bin/java" 2>&1 \
  | tee "$work/maven-clients.log" | grep -E "Tests run:|FAIL|ERROR\]|BUILD"
clients_status=${PIPESTATUS[0]}

# ---------------------------------------------------------------- a second Floe, with OpenID Connect and OpenFGA
log "starting a secured Floe: tokens from Keycloak, grants in OpenFGA"
keycloak_realm floe-clients || { echo "cannot make the Keycloak realm"; exit 1; }
for client in admin catalog-tests outsider reader trino opa alice; do
  keycloak_client floe-clients "$client" "$client-secret" floe 3600 || { echo "cannot make the Keycloak client $client"; exit 1; }
done
as_pg /usr/lib/postgresql/15/bin/psql "$psql_url" -qc "create database floe_secured" >/dev/null
secured_port="$(free_port)"
FLOE_SECRET_KEYS="1:$(python3 -c 'import base64, secrets; print(base64.b64encode(secrets.token_bytes(32)).decode())')" \
FLOE_PORT="$secured_port" \
FLOE_DATABASE_URL="jdbc:postgresql://127.0.0.1:$pg_port/floe_secured?user=postgres" \
FLOE_DATA_DIR="$work/floe-secured-data" \
FLOE_OPENID_PROVIDER_URI="$keycloak_issuer" FLOE_OPENID_AUDIENCE=floe \
FLOE_AUTHZ_BACKEND=openfga FLOE_OPENFGA_ENDPOINT="$openfga_endpoint" FLOE_OPENFGA_STORE=floe-clients \
  "$root/bin/floe" serve >"$work/floe-secured.log" 2>&1 &
secured_pid=$!
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$secured_port/health/ready" >/dev/null && break
  kill -0 "$secured_pid" 2>/dev/null || break
  sleep 0.5
done
secured_uri="http://127.0.0.1:$secured_port"
curl -sf "$secured_uri/health/ready" >/dev/null || { echo "the secured Floe did not start:"; cat "$work/floe-secured.log"; exit 1; }
# the administrator bootstraps, then lets the test client create warehouses in the default project:
# the client owns what it creates, and the suites run as that owner
admin_token="$(keycloak_token "$keycloak_issuer" admin admin-secret)"
tests_token="$(keycloak_token "$keycloak_issuer" catalog-tests catalog-tests-secret)"
curl -sf -X POST -H "Authorization: Bearer $admin_token" "$secured_uri/management/v1/bootstrap" || { echo "cannot bootstrap"; exit 1; }
tests_id="$(curl -sf -H "Authorization: Bearer $tests_token" "$secured_uri/management/v1/whoami" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')"
project_id="$(curl -sf -H "Authorization: Bearer $admin_token" "$secured_uri/management/v1/projects/default" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')"
curl -sf -X POST -H "Authorization: Bearer $admin_token" -H 'Content-Type: application/json' \
  -d "{\"writes\":[{\"principal\":\"$tests_id\",\"relation\":\"create\"}]}" \
  "$secured_uri/management/v1/permissions/project/$project_id/assignments" || { echo "cannot grant"; exit 1; }
mkdir -p "$work/secured-warehouse"
curl -sf -X POST -H "Authorization: Bearer $tests_token" -H 'Content-Type: application/json' \
  -d "{\"name\":\"secured\",\"storage-profile\":{\"type\":\"local\",\"root\":\"$work/secured-warehouse\"}}" \
  "$secured_uri/management/v1/projects/default/warehouses" >/dev/null || { echo "cannot create the secured warehouse"; exit 1; }

log "Iceberg CatalogTests and ViewCatalogTests with OpenID Connect and OpenFGA, as the warehouse's owner"
# the first run's reports stay apart: summarize.py counts surefire-reports*
mv "$root/floe-client-tests/target/surefire-reports" "$root/floe-client-tests/target/surefire-reports-plain" 2>/dev/null
mvn -B -ntp -Pclient-tests -pl floe-client-tests test -Dtest='IcebergCatalogTest,IcebergViewCatalogTest' \
  -Dfloe.uri="$secured_uri" -Dfloe.client.java="$java17_home/bin/java" \
  -Dfloe.credential=catalog-tests:catalog-tests-secret -Dfloe.oauth2.uri="$keycloak_issuer/protocol/openid-connect/token" \
  2>&1 | tee "$work/maven-clients-secured.log" | grep -E "Tests run:|FAIL|ERROR\]|BUILD"
secured_clients_status=${PIPESTATUS[0]}
export FLOE_SECURED_URI="$secured_uri" FLOE_SECURED_TOKEN_URI="$keycloak_issuer/protocol/openid-connect/token" \
  FLOE_SECURED_CREDENTIAL=catalog-tests:catalog-tests-secret FLOE_SECURED_OUTSIDER=outsider:outsider-secret \
  FLOE_SECURED_READER=reader:reader-secret

# ---------------------------------------------------------------- Trino with OPA access control against the secured Floe
log "Trino $trino_version with OPA access control (OPA $opa_version) against the secured Floe"
principal_id() { curl -sf -H "Authorization: Bearer $(keycloak_token "$keycloak_issuer" "$1" "$1-secret")" "$secured_uri/management/v1/whoami" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'; }
floe_grant() { # type id principal relation
  curl -sf -X POST -H "Authorization: Bearer $admin_token" -H 'Content-Type: application/json' \
    -d "{\"writes\":[{\"principal\":\"$3\",\"relation\":\"$4\"}]}" "$secured_uri/management/v1/permissions/$1/$2/assignments"
}
trino_status=1
trino_install "$cache" || echo "cannot install Trino"
(
  set -e
  [[ -n "${trino_home:-}" ]]
  # the connector's own identity creates (and owns) the warehouse; the bridge may read anyone's rights
  floe_grant project "$project_id" "$(principal_id trino)" create
  floe_grant server floe "$(principal_id opa)" manage_grants
  curl -sf --aws-sigv4 "aws:amz:us-east-1:s3" --user "$seaweedfs_access_key:$seaweedfs_secret_key" \
    -X PUT "$seaweedfs_endpoint/trino-lake" >/dev/null
  curl -sf -X POST -H "Authorization: Bearer $(keycloak_token "$keycloak_issuer" trino trino-secret)" -H 'Content-Type: application/json' \
    -d "{\"name\":\"trino-lake\",\"storage-profile\":{\"type\":\"s3\",\"bucket\":\"trino-lake\",\"key-prefix\":\"lake\",
         \"region\":\"us-east-1\",\"endpoint\":\"$seaweedfs_endpoint\",\"path-style-access\":true,\"role-arn\":\"$seaweedfs_role_arn\"},
         \"storage-credential\":{\"type\":\"s3-access-key\",\"access-key-id\":\"$seaweedfs_access_key\",
         \"secret-access-key\":\"$seaweedfs_secret_key\"}}" \
    "$secured_uri/management/v1/projects/default/warehouses" > "$work/trino-warehouse.json"
)
trino_setup_status=$?
if ((trino_setup_status == 0)); then
  FLOE_URI="$secured_uri" FLOE_OPA_TOKEN_URI="$keycloak_issuer/protocol/openid-connect/token" FLOE_OPA_CLIENT_ID=opa \
    FLOE_OPA_CLIENT_SECRET=opa-secret FLOE_OPA_CATALOGS='{"lake":"trino-lake"}' opa_start "$work/opa" "$root/opa/floe"
  trino_configure "$work/trino"
  cat >"$work/trino/etc/catalog/lake.properties" <<PROPS
connector.name=iceberg
iceberg.catalog.type=rest
iceberg.rest-catalog.uri=$secured_uri
iceberg.rest-catalog.warehouse=trino-lake
iceberg.rest-catalog.security=OAUTH2
iceberg.rest-catalog.oauth2.credential=trino:trino-secret
iceberg.rest-catalog.oauth2.server-uri=$keycloak_issuer/protocol/openid-connect/token
iceberg.rest-catalog.oauth2.scope=openid
iceberg.rest-catalog.vended-credentials-enabled=true
fs.native-s3.enabled=true
s3.endpoint=$seaweedfs_endpoint
s3.region=us-east-1
s3.path-style-access=true
PROPS
  cat >"$work/trino/etc/access-control.properties" <<PROPS
access-control.name=opa
opa.policy.uri=$opa_endpoint/v1/data/floe/allow
opa.policy.batched-uri=$opa_endpoint/v1/data/floe/batch
opa.policy.row-filters-uri=$opa_endpoint/v1/data/floe/rowFilters
opa.policy.column-masking-uri=$opa_endpoint/v1/data/floe/columnMask
PROPS
  trino_launch "$work/trino" "$java_home" && trino_wait && trino_status=0
fi
if ((trino_status == 0)); then
  export FLOE_TRINO_URL="$trino_url" FLOE_TRINO_ADMIN_USER="$(principal_id admin)" FLOE_TRINO_ALICE_USER="$(principal_id alice)" \
    FLOE_TRINO_WAREHOUSE="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$work/trino-warehouse.json")"
else
  echo "Trino or OPA could not be set up: the Trino test fails"
fi

# ---------------------------------------------------------------- PyIceberg and Spark SQL end to end
log "PyIceberg and Spark SQL (local mode, JDK $(basename "$java17_home")) end to end"
venv="$cache/venv"
requirements="$root/tests/python/requirements.txt"
if ! cmp -s "$requirements" "$venv/requirements.txt" 2>/dev/null; then
  rm -rf "$venv"
  python3 -m venv "$venv" && "$venv/bin/pip" install -q -r "$requirements" && cp "$requirements" "$venv/requirements.txt" \
    || { echo "cannot install the Python test requirements"; exit 1; }
fi
spark_jar_artifact="org.apache.iceberg:iceberg-spark-runtime-3.5_2.12:1.11.0"
spark_jar="$cache/jars/iceberg-spark-runtime-3.5_2.12-1.11.0.jar"
if [[ ! -f "$spark_jar" ]]; then
  mvn -B -q dependency:copy -Dartifact="$spark_jar_artifact" -DoutputDirectory="$cache/jars" \
    || { echo "cannot fetch $spark_jar_artifact"; exit 1; }
fi
JAVA_HOME="$java17_home" FLOE_ICEBERG_SPARK_JAR="$spark_jar" \
  "$venv/bin/pytest" -q "$root/tests/python" --junitxml="$work/pytest.xml" -p no:cacheprovider
python_status=$?

# ---------------------------------------------------------------- summary
log "summary"
python3 "$root/scripts/summarize.py" "$root" "$work/pytest.xml" "$work/opa-test.json"
summary_status=$?
if [[ -s "$work/floe.log" ]] && grep -q "\[ERROR\]" "$work/floe.log"; then
  echo "errors logged by the Floe server during the client suites:"; grep -A3 "\[ERROR\]" "$work/floe.log" | head -40
fi
# the S3 secret went to that server in warehouse requests: it must never come back out in its log
secret_status=0
if grep -qF "$seaweedfs_secret_key" "$work/floe.log"; then
  echo "FAILED: the S3 secret key appears in the Floe server's log"; secret_status=1
fi
if ((modules_status || clients_status || secured_clients_status || python_status || opa_status || summary_status || secret_status)); then
  echo "FAILED (modules=$modules_status clients=$clients_status secured clients=$secured_clients_status python=$python_status opa=$opa_status)"
  exit 1
fi
exit 0
