"""What a platform review asked of the deployment, pinned on the Terraform source.

Healthy and orderly on Fargate, production settings (WAF, trusted proxies, /readyz, seed
key), environments and state, readers of the images and schemas, and subscriptions that
follow the AWS cross-account patterns.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema

from tests.infra.hcl import TF_ROOT, Block, blocks, flat_list, load, unquote


def _text(relative: str) -> str:
    return (TF_ROOT / relative).read_text(encoding="utf-8")


def _resources(rtype: str, directory: Path | None = None) -> list[Block]:
    return blocks("resource", first_label=rtype, directory=directory)


def _variable(name: str) -> dict[str, Any]:
    (v,) = [b for b in blocks("variable", directory=TF_ROOT) if b.labels[0] == name]
    return v.body


def test_ecs_services_wait_for_the_listeners() -> None:
    """The target group ARN the services register in is output only after the listeners exist."""
    outputs = load(TF_ROOT / "modules" / "alb" / "outputs.tf")["output"]
    (tg,) = [o['"target_group_arn"'] for o in outputs if '"target_group_arn"' in o]
    assert flat_list(tg["depends_on"]) == [
        "${aws_lb_listener.https}",
        "${aws_lb_listener.http}",
        "${aws_lb_listener_rule.internal_paths}",
    ]
    assert "target_group_arn = module.alb.target_group_arn" in _text("compute.tf")


def test_readyz_is_answered_404_by_the_listener_and_the_health_check_uses_healthz() -> None:
    """A fixed 404 for /readyz on the HTTPS listener (highest priority); the target group's
    health check (which reaches tasks directly) stays on /healthz."""
    (rule,) = _resources("aws_lb_listener_rule")
    body = rule.body
    assert body["priority"] == 1
    action = body["action"][0]
    assert unquote(action["type"]) == "fixed-response"
    assert unquote(action["fixed_response"][0]["status_code"]) == "404"
    assert body["condition"][0]["path_pattern"][0]["values"] == "${var.internal_paths}"
    compute = _text("compute.tf")
    assert 'internal_paths      = ["/readyz", "/readyz/*"]' in compute
    assert 'health_check_path   = "/healthz"' in compute


def test_waf_rate_limits_per_ip_and_per_authorization_header() -> None:
    """The module's web ACL blocks above a rate per client IP and per Authorization header,
    and is associated with the load balancer."""
    (acl,) = _resources("aws_wafv2_web_acl")
    rules = {unquote(r["name"]): r for r in acl.body["rule"]}
    per_ip = rules["rate-per-ip"]["statement"][0]["rate_based_statement"][0]
    assert unquote(per_ip["aggregate_key_type"]) == "IP"
    per_key = rules["rate-per-credential"]["statement"][0]["rate_based_statement"][0]
    assert unquote(per_key["aggregate_key_type"]) == "CUSTOM_KEYS"
    assert unquote(per_key["custom_key"][0]["header"][0]["name"]) == "authorization"
    for name in ("rate-per-ip", "rate-per-credential"):
        assert "block" in rules[name]["action"][0]
    (assoc,) = _resources("aws_wafv2_web_acl_association")
    assert assoc.body["web_acl_arn"] == "${local.web_acl_arn}"


def test_the_api_requires_keys_on_the_seed_paths_and_trusts_only_the_vpc_as_proxy() -> None:
    """API_SEED_REQUIRE_KEY is on; FORWARDED_ALLOW_IPS is the VPC's CIDR (uvicorn's proxy
    headers are on by default, and uvicorn reads that variable when not given the option)."""
    import inspect

    import uvicorn

    compute = _text("compute.tf")
    assert 'API_SEED_REQUIRE_KEY = "true"' in compute
    assert "FORWARDED_ALLOW_IPS = module.network.cidr_block" in compute
    assert "proxy_headers" not in (TF_ROOT.parents[1] / "services" / "api" / "__main__.py").read_text(encoding="utf-8")
    source = inspect.getsource(uvicorn.Config.__init__)
    assert 'os.environ.get("FORWARDED_ALLOW_IPS"' in source
    assert inspect.signature(uvicorn.Config.__init__).parameters["proxy_headers"].default is True
    from services.api.settings import ApiSettings

    assert "seed_require_key" in ApiSettings.model_fields


def test_required_tags_and_their_propagation_to_the_sweepers_tasks() -> None:
    """tags has no default and must carry Environment and Owner; the scheduler hands the tags
    to the sweeper tasks it starts."""
    tags = _variable("tags")
    assert "default" not in tags
    assert '["Environment", "Owner"]' in tags["validation"][0]["condition"]
    sweeper = _text("sweeper.tf")
    assert 'propagate_tags          = "TASK_DEFINITION"' in sweeper
    assert "tags                    = local.tags" in sweeper
    assert "tags = local.tags" in _text("providers.tf")


def test_partial_s3_backend_and_two_environments() -> None:
    """backend "s3" {} with per-environment backend.hcl (S3 native locking) and tfvars that
    set the image tag once; prod runs a NAT gateway per zone."""
    assert re.search(r'backend "s3" \{\}', _text("backend.tf"))
    for env in ("dev", "prod"):
        backend = _text(f"envs/{env}/backend.hcl")
        assert "use_lockfile = true" in backend and "encrypt      = true" in backend
        assert f'key          = "productshot/{env}/terraform.tfstate"' in backend
        tfvars = _text(f"envs/{env}/terraform.tfvars")
        assert len(re.findall(r"^image_tag\s*=", tfvars, re.M)) == 1
        assert re.search(r'tags\s*=\s*\{ Environment = "' + env + r'", Owner = ', tfvars)
        assert re.search(r'renderer_generator\s*=\s*"(openai|offline)"', tfvars)
    assert "single_nat_gateway  = false" in _text("envs/prod/terraform.tfvars")
    compute = _text("compute.tf")
    assert 'check "production_network_survives_a_zone"' in compute
    assert '!= "prod" || !var.network.create_vpc || !var.network.single_nat_gateway' in compute


def test_interface_endpoints_and_the_existing_network_check() -> None:
    """Optional interface endpoints for ECR api/dkr, Logs, SQS, SSM, EventBridge, STS; a check
    block warns when a VPC has neither NAT nor the ECR endpoint."""
    network = _text("modules/network/main.tf")
    assert 'toset(["ecr.api", "ecr.dkr", "logs", "sqs", "ssm", "events", "sts"])' in network
    assert 'check "existing_network_reaches_aws"' in network
    assert "length(data.aws_nat_gateways.existing.ids) > 0 ||" in network
    (endpoint,) = [r for r in _resources("aws_vpc_endpoint") if r.labels[1] == "interface"]
    assert endpoint.body["private_dns_enabled"] is True


def test_certificate_and_hostname_make_the_printed_url_match_the_certificate() -> None:
    """With a Route 53 zone: an ACM certificate for the hostname with DNS validation and an
    alias record to the load balancer; api_url is https://<hostname>."""
    (cert,) = _resources("aws_acm_certificate")
    assert cert.body["domain_name"] == "${var.api_domain.hostname}"
    assert unquote(cert.body["validation_method"]) == "DNS"
    records = {r.labels[1]: r.body for r in _resources("aws_route53_record")}
    assert records["api"]["alias"][0]["name"] == "${module.alb.dns_name}"
    assert records["api"]["name"] == "${var.api_domain.hostname}"
    assert _resources("aws_acm_certificate_validation")
    (out,) = [o for o in blocks("output", directory=TF_ROOT) if o.labels[0] == "api_url"]
    assert unquote(out.body["value"]) == "https://${var.api_domain.hostname}"


def test_event_readers_get_the_images_and_decrypt_them_only_through_s3() -> None:
    """event_readers feed the bucket policy (GetObject on jobs/*), the key policy (Decrypt via
    S3) and the schema registry policy."""
    s3 = _text("modules/s3-bucket/main.tf")
    assert 'resources = ["${aws_s3_bucket.this[0].arn}/${var.readers.prefix}*"]' in s3
    assert 'actions   = ["s3:GetObject"]' in s3
    storage = _text("storage.tf")
    assert "prefix          = local.bucket.images_prefix" in storage
    kms = _text("kms.tf")
    assert 'Sid       = "ReaderAccountsDecryptImagesThroughS3"' in kms
    (policy,) = _resources("aws_schemas_registry_policy")
    assert policy.body["registry_name"] == "${aws_schemas_registry.this[0].name}"
    messaging = _text("messaging.tf")
    assert "reader_account_ids     = var.event_readers.account_ids" in messaging


def test_no_bus_policy_invites_other_accounts_to_put_targets_on_our_bus() -> None:
    """The old rule-manager bus policy is gone: AWS does not deliver to a cross-account target
    another account attached to our bus. Our own rules do it (event-subscription)."""
    assert not _resources("aws_cloudwatch_event_bus_policy", TF_ROOT / "modules" / "event-bus")
    assert "rule_manager" not in _text("modules/event-bus/variables.tf")
    assert 'module "event_subscriptions"' in _text("messaging.tf")


def test_subscriptions_use_a_role_for_buses_and_other_accounts_only() -> None:
    """The target gets a role exactly for a bus or another account's queue/function; the
    role may do one thing on one ARN; the receiver admits only that role."""
    main = _text("modules/event-subscription/main.tf")
    assert re.search(r'use_role\s+= var\.create && \(local\.target_kind == "bus" \|\| local\.cross_account\)', main)
    assert "role_arn       = local.use_role ? aws_iam_role.delivery[0].arn : null" in main
    assert "resources = [local.target_arn]" in main
    receiver = _text("modules/event-receiver/main.tf")
    assert (
        'sender_role = "arn:${data.aws_partition.current.partition}:iam::${var.sender.account_id}:'
        'role/${var.sender.rule_name}-delivery"'
    ) in receiver
    assert receiver.count('variable = "aws:PrincipalArn"') == 1
    for example in ("same-account", "other-account"):
        assert (TF_ROOT / "modules" / "event-subscription" / "examples" / example / "main.tf").exists()


# Keywords that change validation between draft-04 and draft-07: none may be used, so the
# draft-04 copy the registry holds validates exactly what the draft-07 file does.
_DRAFT6_PLUS = {"const", "contains", "propertyNames", "if", "then", "else"}


def _keywords(node: Any, found: set[str]) -> set[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            found.add(key)
            if key in ("exclusiveMinimum", "exclusiveMaximum") and not isinstance(value, bool):
                found.add(f"{key}(number)")
            if key != "properties":
                _keywords(value, found)
            else:
                for sub in value.values():
                    _keywords(sub, found)
    elif isinstance(node, list):
        for item in node:
            _keywords(item, found)
    return found


def test_event_schemas_mean_the_same_as_draft_04_which_the_registry_accepts() -> None:
    """The registry takes OpenAPI 3 or JSON Schema Draft 4: each draft-07 file uses no
    draft-06/07 validation keyword, and its registered form (draft-04 $schema, $id -> id)
    is a valid draft-04 schema that accepts the file's own examples."""
    schema_dir = TF_ROOT.parents[1] / "services" / "common" / "event_schemas"
    files = sorted(schema_dir.glob("*/v*.json"))
    assert files
    for path in files:
        schema = json.loads(path.read_text(encoding="utf-8"))
        used = _keywords(schema, set())
        assert not used & (_DRAFT6_PLUS | {"exclusiveMinimum(number)", "exclusiveMaximum(number)"}), path
        registered = {k: v for k, v in schema.items() if k not in ("$schema", "$id")}
        registered["$schema"] = "http://json-schema.org/draft-04/schema#"
        if "$id" in schema:
            registered["id"] = schema["$id"]
        jsonschema.Draft4Validator.check_schema(registered)
        for example in schema.get("examples", []):
            jsonschema.Draft4Validator(registered).validate(example)
    bus = _text("modules/event-bus/main.tf")
    assert '{ "$schema" = "http://json-schema.org/draft-04/schema#" }' in bus
    assert 'type          = "JSONSchemaDraft4"' in bus
