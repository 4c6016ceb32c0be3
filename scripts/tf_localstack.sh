#!/usr/bin/env bash
# make tf-localstack: apply infra/terraform to LocalStack with tflocal.
#
# Needs a terraform (or tofu) binary, tflocal (pip install terraform-local) and either a
# running LocalStack at $AWS_ENDPOINT_URL or a Docker engine to start the one in
# docker/compose.yaml. Machines without them (like the ones this project is built on)
# cannot run it; the script says what is missing and exits 2.
#
# Only what LocalStack's free edition serves is applied (-target): KMS, SQS, EventBridge
# (bus, rules, targets, archive, bus policy), DynamoDB, S3 and SSM. ECS, ECR, the ALB,
# autoscaling and the schema registry are Pro features and are left out.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
ENDPOINT="${AWS_ENDPOINT_URL:-http://localhost:4566}"
WORK="$ROOT/.run/tf-localstack"
ACTION="${1:-apply}"   # apply | destroy

missing=()
TF_BIN=""
if command -v terraform >/dev/null 2>&1; then TF_BIN=terraform
elif command -v tofu >/dev/null 2>&1; then TF_BIN=tofu
else missing+=("terraform (or tofu) >= 1.6 on PATH: https://developer.hashicorp.com/terraform/install")
fi
command -v tflocal >/dev/null 2>&1 || missing+=("tflocal: pip install terraform-local")

localstack_up() { curl -fsS "$ENDPOINT/_localstack/health" >/dev/null 2>&1; }
docker_ok=0
if docker info >/dev/null 2>&1; then docker_ok=1; fi
if ! localstack_up && [[ $docker_ok == 0 ]]; then
  missing+=("LocalStack at $ENDPOINT, or a Docker engine to start docker/compose.yaml's localstack service")
fi
if (( ${#missing[@]} )); then
  echo "tf-localstack cannot run here; missing:" >&2
  printf '  - %s\n' "${missing[@]}" >&2
  echo "Nothing was applied. make tf-check covers what can be checked without them." >&2
  exit 2
fi

if ! localstack_up; then
  echo "starting LocalStack (docker compose)"
  docker compose -f docker/compose.yaml up -d localstack || exit 1
  for _ in $(seq 1 60); do localstack_up && break; sleep 2; done
  localstack_up || { echo "LocalStack did not become healthy at $ENDPOINT" >&2; exit 1; }
fi

# A working copy keeps tflocal's provider override and .terraform/ out of the source tree;
# the relative paths topology.tf and messaging.tf use are preserved.
mkdir -p "$WORK/infra" "$WORK/services/common"
rsync -a --delete --exclude .terraform --exclude '*.tfstate*' infra/terraform/ "$WORK/infra/terraform/" 2>/dev/null \
  || { rm -rf "$WORK/infra/terraform"; cp -R infra/terraform "$WORK/infra/terraform"; }
cp infra/topology.json "$WORK/infra/topology.json"
# Local state for LocalStack: the partial S3 backend is for real environments.
rm -f "$WORK/infra/terraform/backend.tf"
rm -rf "$WORK/services/common/event_schemas"
[[ -d services/common/event_schemas ]] && cp -R services/common/event_schemas "$WORK/services/common/"

export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-test}" AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-test}"
export AWS_DEFAULT_REGION="${AWS_REGION:-us-east-1}" AWS_ENDPOINT_URL="$ENDPOINT" TF_CMD="$TF_BIN"
cd "$WORK/infra/terraform"
vars=(
  -var "aws_region=$AWS_DEFAULT_REGION"
  -var "image_tag=localstack"
  -var 'api_domain={hostname="api.localstack.test",certificate_arn="arn:aws:acm:us-east-1:000000000000:certificate/localstack"}'
  -var 'tags={Environment="localstack",Owner="local"}'
  -var "renderer_generator=offline"
  -var "protect_from_destroy=false"
  -var "create_schema_registry=false"
)
targets=(
  -target=aws_kms_key.this -target=aws_kms_alias.this
  -target=module.queues -target=module.extra_queues -target=module.event_bus
  -target=module.jobs_table -target=module.images_bucket -target=aws_ssm_parameter.this
)
tflocal init -input=false || exit 1
case "$ACTION" in
  apply) tflocal apply -input=false -auto-approve "${vars[@]}" "${targets[@]}" ;;
  destroy) tflocal destroy -input=false -auto-approve "${vars[@]}" "${targets[@]}" ;;
  *) echo "usage: $0 [apply|destroy]" >&2; exit 2 ;;
esac
