#!/usr/bin/env bash
# make demo: build the provider, start the local Authress fake, and walk
# through plan, apply, list, import and destroy. Everything happens in a
# temporary folder, and the fake is stopped on exit, whatever happens.
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
terraform_bin=${TERRAFORM:-terraform}
work=$(mktemp -d)
fake_pid=""
started=$SECONDS

cleanup() {
  if [ -n "$fake_pid" ]; then
    kill "$fake_pid" 2>/dev/null || true
    wait "$fake_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

bold=$(printf '\033[1m'); dim=$(printf '\033[2m'); reset=$(printf '\033[0m')
[ -t 1 ] || { bold=""; dim=""; reset=""; }
step_number=0
# step prints a numbered heading; say explains what the step is about to show.
step() { step_number=$((step_number + 1)); printf '\n%s%d. %s%s\n' "$bold" "$step_number" "$*" "$reset"; }
say() { printf '%s   %s%s\n' "$dim" "$*" "$reset"; }
indent() { sed 's/^/   /'; }

printf '%sThe Authress provider, end to end, against a local fake of the Authress API.%s\n' "$bold" "$reset"
say "No Authress account is needed and nothing leaves this machine. Terraform: $("$terraform_bin" version 2>/dev/null | head -1)"

step "Build the provider and the Authress fake"
say "Both are compiled from this repository into a temporary folder."
go build -o "$work/bin/terraform-provider-authress" "$repo"
go build -o "$work/bin/fakeauthress" "$repo/internal/fakeauthress/cmd/fakeauthress"

step "Start the fake Authress API"
say "It listens on 127.0.0.1 and hands out a service client access key, as an Authress account would."
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
say "AUTHRESS_API_URL=$AUTHRESS_API_URL; AUTHRESS_KEY holds the access key (not shown)."
say "The provider reads both from the environment, so main.tf has an empty provider block."

# dev_overrides makes Terraform use the provider just built instead of
# downloading it from the registry.
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
export CHECKPOINT_DISABLE=1
cp "$repo"/examples/demo/main.tf "$repo"/examples/demo/okta-signing.pem "$work/"
cd "$work"
tf() { "$terraform_bin" "$@" 2> >(grep -v -e 'Provider development overrides' -e 'dev_overrides' >&2); }

step "terraform plan"
say "main.tf declares two connections, an OAuth2 one (Google) and a SAML one (Okta). Authress has none"
say "yet, so Terraform plans to create both. The client secret is hidden: it is a sensitive value."
tf plan -input=false -no-color -compact-warnings -out=demo.tfplan | sed -n '/Terraform will perform/,$p' | indent

step "terraform apply"
say "The provider signs a short-lived token with the access key and creates the two connections."
tf apply -input=false -no-color -compact-warnings demo.tfplan | grep -E 'Creat|Apply complete' | indent
say "Terraform now tracks:"
tf state list | indent
say "And the connection as Terraform stored it (terraform state show):"
tf state show -no-color authress_connection.google | indent

step "Someone creates a connection by hand, outside Terraform"
say "As an admin would in the Authress portal (here, a request straight to the fake):"
curl -fsS -X POST "$AUTHRESS_API_URL/_fake/connections" -H 'Content-Type: application/json' \
  -d '{"connectionId":"azure-by-hand","authenticationUrl":"https://login.microsoftonline.com/contoso/oauth2/v2.0/authorize","data":{"name":"Azure AD (made by hand)","tenantId":"contoso"}}' \
  | jq -c '{connectionId, type, name: .data.name}' | indent

step "List every connection with the authress_connections data source"
say "The data source follows the API's pages and sees all three, managed by Terraform or not:"
tf apply -input=false -no-color -compact-warnings -auto-approve -refresh-only >/dev/null
tf output -no-color connections | indent

step "terraform import adopts the hand-made connection"
say "main.tf has a resource for it (authress_connection.adopted) whose settings match; import links the"
say "two by connection id, without changing anything in Authress."
tf import -input=false -no-color -var adopt_connection_id=azure-by-hand 'authress_connection.adopted[0]' azure-by-hand \
  | grep -E 'Importing|Import successful' | indent
say "A plan after the import finds nothing to change:"
if tf plan -input=false -no-color -compact-warnings -var adopt_connection_id=azure-by-hand -detailed-exitcode >/dev/null; then
  say "No changes. Your infrastructure matches the configuration."
else
  echo "   unexpected: the plan after the import is not empty"; exit 1
fi

step "terraform destroy"
say "Deletes the three connections Terraform now manages."
tf destroy -input=false -no-color -compact-warnings -auto-approve -var adopt_connection_id=azure-by-hand \
  | grep -E 'Destroying|Destroy complete' | indent
say "API calls the fake answered during the demo:"
curl -fsS "$AUTHRESS_API_URL/_fake/stats" | jq -r '.requests | to_entries[] | "\(.value)\t\(.key)"' | indent

step "Clean up"
say "The fake is stopped and the temporary folder removed: nothing is left running or written to the repository."
say "Done in $((SECONDS - started)) s."
