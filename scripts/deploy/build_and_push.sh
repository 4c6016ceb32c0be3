#!/usr/bin/env bash
# Build the four images (api, scraper, renderer, batcher) and push them to the deployment's ECR
# repositories under one tag. The repositories come from `terraform output` (run in
# infra/terraform after the first apply), so nothing is typed twice.
#
#   scripts/deploy/build_and_push.sh <tag>
#   e.g. scripts/deploy/build_and_push.sh "$(git describe --tags --always)"
#
# Then put the same tag in infra/terraform/envs/<env>/terraform.tfvars (image_tag, the one
# place it is set) and apply. Tags are immutable in ECR: a tag already pushed is refused
# there, so a new build needs a new tag. Needs docker (with buildx), the AWS CLI v2 and
# terraform; set TF_DIR to run terraform output elsewhere.
set -euo pipefail
tag="${1:?usage: $0 <tag>}"
[[ "$tag" =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ && "$tag" != latest ]] \
  || { echo "tag must be a Docker tag other than 'latest' (repositories are immutable)" >&2; exit 2; }
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TF_DIR="${TF_DIR:-$ROOT/infra/terraform}"
urls="$(terraform -chdir="$TF_DIR" output -json ecr_repository_urls)"
registry="$(python3 -c 'import json,sys; print(next(iter(json.load(sys.stdin).values())).split("/")[0])' <<<"$urls")"
region="$(cut -d. -f4 <<<"$registry")"
aws ecr get-login-password --region "$region" | docker login --username AWS --password-stdin "$registry"

for service in api scraper renderer batcher; do
  repo="$(python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$service" <<<"$urls")"
  echo "== $service -> $repo:$tag"
  # linux/amd64: the task definitions run X86_64 Fargate tasks.
  docker buildx build --platform linux/amd64 -f "$ROOT/docker/Dockerfile.$service" \
    -t "$repo:$tag" --provenance=false --push "$ROOT"
done
echo "pushed api, scraper, renderer and batcher as $tag; set image_tag = \"$tag\" in envs/<env>/terraform.tfvars and apply"
