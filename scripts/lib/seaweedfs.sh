# SeaweedFS: an Apache-2.0 S3 server that enforces STS session policies, used by the storage tests.
# Built once from the Go module proxy into the cache; started on loopback only; stopped by PID.
#   source scripts/lib/seaweedfs.sh; seaweedfs_build CACHE; seaweedfs_start WEED DIR
source "$(dirname "${BASH_SOURCE[0]}")/services.sh"
seaweedfs_version="v0.0.0-20261109003541-7506e5f91cd6"

# Builds weed into $1/seaweedfs/<version>/weed unless it is there; prints its path.
seaweedfs_build() {
  local dir="$1/seaweedfs/$seaweedfs_version"
  if [[ -x "$dir/weed" ]]; then echo "$dir/weed"; return 0; fi
  command -v go >/dev/null || { echo "seaweedfs: Go 1.26+ is needed to build the S3 test server (Debian 12 ships 1.19)" >&2; return 1; }
  mkdir -p "$dir/src"
  # A wrapper module: SeaweedFS's own go.mod has a replace directive, which `go install` refuses.
  cat >"$dir/src/go.mod" <<GOMOD
module floe.test/seaweedfs

go 1.26

require github.com/seaweedfs/seaweedfs $seaweedfs_version

replace github.com/tyler-smith/go-bip39 => github.com/cosmos/go-bip39 v1.0.0
GOMOD
  printf 'package main\n\nimport _ "github.com/seaweedfs/seaweedfs/weed"\n' >"$dir/src/tools.go"
  echo "seaweedfs: building weed from the Go module proxy (first run only, a few minutes)" >&2
  (cd "$dir/src" && GOFLAGS=-mod=mod GOPATH="$1/go" GOCACHE="$1/go-build" \
     go build -o "$dir/weed.tmp" github.com/seaweedfs/seaweedfs/weed >&2) || return 1
  mv "$dir/weed.tmp" "$dir/weed"
  echo "$dir/weed"
}

# Starts `weed mini` on 127.0.0.1 with an IAM config that has one admin identity (with an IAM
# policy too, which GetFederationToken hands on to its tokens), STS and a role that vended
# credentials assume. Sessions last at most $SEAWEEDFS_MAX_SESSION (30s by default)
# whatever a client asks for, so an expiry test takes seconds, not STS's 15 minutes.
#   seaweedfs_start WEED DIR   -> sets seaweedfs_pid, seaweedfs_endpoint, seaweedfs_access_key,
#                                 seaweedfs_secret_key, seaweedfs_role_arn
seaweedfs_start() {
  local weed="$1" dir="$2"
  mkdir -p "$dir/data"
  local ports
  ports=($(python3 -c '
import socket
socks = []
for _ in range(12):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
for s in socks: s.close()'))
  seaweedfs_access_key="floe-admin"
  seaweedfs_secret_key="$(python3 -c 'import secrets; print(secrets.token_hex(20))')"
  seaweedfs_role_arn="arn:aws:iam::000000000000:role/FloeVended"
  local signing_key
  signing_key="$(python3 -c 'import base64, secrets; print(base64.b64encode(secrets.token_bytes(32)).decode())')"
  cat >"$dir/iam.json" <<IAM
{
  "identities": [
    {"name": "floe-admin",
     "credentials": [{"accessKey": "$seaweedfs_access_key", "secretKey": "$seaweedfs_secret_key"}],
     "actions": ["Admin", "Read", "List", "Tagging", "Write"],
     "policyNames": ["FullAccess"]}
  ],
  "sts": {"tokenDuration": "12h", "maxSessionLength": "${SEAWEEDFS_MAX_SESSION:-30s}",
          "issuer": "floe-test-sts", "signingKey": "$signing_key"},
  "roles": [
    {"roleName": "FloeVended", "roleArn": "$seaweedfs_role_arn",
     "trustPolicy": {"Version": "2012-10-17",
                     "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"}]},
     "attachedPolicies": ["FullAccess"]}
  ],
  "policies": [
    {"name": "FullAccess",
     "document": {"Version": "2012-10-17",
                  "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}}
  ]
}
IAM
  chmod 600 "$dir/iam.json"
  "$weed" mini -dir="$dir/data" -ip=127.0.0.1 -ip.bind=127.0.0.1 \
    -master.port="${ports[0]}" -master.port.grpc="${ports[1]}" \
    -volume.port="${ports[2]}" -volume.port.grpc="${ports[3]}" \
    -filer.port="${ports[4]}" -filer.port.grpc="${ports[5]}" \
    -s3.port="${ports[6]}" -s3.port.grpc="${ports[7]}" \
    -admin.port="${ports[8]}" -admin.port.grpc="${ports[9]}" -admin.ui=false \
    -s3.config="$dir/iam.json" -s3.iam.config="$dir/iam.json" -s3.iam.readOnly=false \
    -webdav=false -s3.port.iceberg=0 -s3.port.lance=0 >"$dir/weed.log" 2>&1 &
  seaweedfs_pid=$!
  seaweedfs_endpoint="http://127.0.0.1:${ports[6]}"
  wait_for_http "$seaweedfs_endpoint/status" "$seaweedfs_pid" "$dir/weed.log" seaweedfs
}

seaweedfs_stop() { stop_pid "${seaweedfs_pid:-}"; }
