#!/usr/bin/env bash
# make demo: build the provider, start the local Authress fake, and walk
# through plan, apply, list, import and destroy. Everything happens in a
# temporary folder, and the fake is stopped on exit, whatever happens.
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
terraform_bin=${TERRAFORM:-terraform}
work=$(mktemp -d)
fake_pid=""

cleanup() {
  if [ -n "$fake_pid" ]; then
    kill "$fake_pid" 2>/dev/null || true
    wait "$fake_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

bold=$(printf '\033[1m'); reset=$(printf '\033[0m')
[ -t 1 ] || { bold=""; reset=""; }
step() { printf '\n%s==> %s%s\n' "$bold" "$*" "$reset"; }

step "Building the provider and the local Authress fake"
go build -o "$work/bin/terraform-provider-authress" "$repo"
go build -o "$work/bin/fakeauthress" "$repo/internal/fakeauthress/cmd/fakeauthress"

step "Starting the fake Authress API on 127.0.0.1"
"$work/bin/fakeauthress" -env-file "$work/fake.env" >"$work/fake.out" 2>&1 &
fake_pid=$!
for _ in $(seq 1 100); do
  [ -s "$work/fake.env" ] && break
  kill -0 "$fake_pid" 2>/dev/null || { cat "$work/fake.out"; exit 1; }
  sleep 0.05
done
[ -s "$work/fake.env" ] || { echo "the fake did not start"; exit 1; }
set -a
# shellcheck disable=SC1091
. "$work/fake.env"
set +a
echo "API: $AUTHRESS_API_URL (access key in AUTHRESS_KEY, not shown)"

step "Pointing Terraform at the freshly built provider (dev_overrides)"
cat >"$work/terraformrc" <<RC
provider_installation {
  dev_overrides {
    "registry.terraform.io/authress-community/authress" = "$work/bin"
  }
  direct {}
}
RC
export TF_CLI_CONFIG_FILE="$work/terraformrc"
export TF_IN_AUTOMATION=1
cp "$repo"/examples/demo/main.tf "$repo"/examples/demo/okta-signing.pem "$work/"
cd "$work"
tf() { "$terraform_bin" "$@" 2> >(grep -v -e 'Provider development overrides' -e 'dev_overrides' >&2); }

step "terraform plan: two connections to create"
tf plan -input=false -no-color -compact-warnings -out=demo.tfplan | sed -n '/Terraform will perform/,$p'

step "terraform apply"
tf apply -input=false -no-color -compact-warnings demo.tfplan | grep -E 'Creat|Apply complete'
echo "Created:"
tf state list | sed 's/^/  /'
tf output -no-color

step "Someone creates a connection by hand, outside Terraform"
curl -fsS -X POST "$AUTHRESS_API_URL/_fake/connections" -H 'Content-Type: application/json' \
  -d '{"connectionId":"azure-by-hand","authenticationUrl":"https://login.microsoftonline.com/contoso/oauth2/v2.0/authorize","data":{"name":"Azure AD (made by hand)","tenantId":"contoso"}}' \
  | jq -c '{connectionId, type, name: .data.name}'

step "The authress_connections data source lists all three"
tf apply -input=false -no-color -compact-warnings -auto-approve -refresh-only >/dev/null
tf output -no-color connections

step "terraform import adopts the hand-made connection"
tf import -input=false -no-color -var adopt_connection_id=azure-by-hand 'authress_connection.adopted[0]' azure-by-hand | grep -E 'Import|import'
echo "Plan after import (the configuration matches, so nothing to change):"
tf plan -input=false -no-color -compact-warnings -var adopt_connection_id=azure-by-hand -detailed-exitcode >/dev/null && echo "  No changes."

step "terraform destroy"
tf destroy -input=false -no-color -compact-warnings -auto-approve -var adopt_connection_id=azure-by-hand | grep -E 'Destroy|destroyed'
echo "API calls the fake answered during the demo:"
curl -fsS "$AUTHRESS_API_URL/_fake/stats" | jq -r '.requests | to_entries[] | "  \(.value)\t\(.key)"'

step "Stopping the fake; nothing is left running or written to the repository"
