"""Structural rules over the parsed HCL of infra/terraform (root and every module).

These run without Terraform or providers: they read the .tf files with python-hcl2 and
check the properties a reviewer would otherwise check by eye.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from services.common.topology import load_topology
from tests.infra.hcl import TF_ROOT, Block, blocks, flat_list, load, module_dirs, tf_files, unquote

# Actions that touch data; a policy must name the resources for these, never "*".
DATA_PLANE_PREFIXES = (
    "sqs:",
    "dynamodb:",
    "s3:",
    "events:PutEvents",
    "ssm:GetParameter",
    "kms:Decrypt",
    "kms:GenerateDataKey",
    "kms:Encrypt",
    "secretsmanager:GetSecretValue",
    "logs:PutLogEvents",
    "logs:CreateLogStream",
    "ecr:BatchGetImage",
    "ecr:GetDownloadUrlForLayer",
)


def _resources(rtype: str) -> list[Block]:
    return blocks("resource", first_label=rtype)


def _module_ids() -> list[str]:
    return [str(p.relative_to(TF_ROOT)) or "root" for p in module_dirs()]


@pytest.mark.parametrize("path", tf_files(), ids=lambda p: str(p.relative_to(TF_ROOT)))
def test_every_file_parses(path: Path) -> None:
    """Every .tf file is valid HCL (a syntax error fails here, not only in checkov's count)."""
    assert isinstance(load(path), dict)


@pytest.mark.parametrize("directory", module_dirs(), ids=_module_ids())
def test_module_layout(directory: Path) -> None:
    """Root and modules have main/variables/outputs/versions.tf; modules have a README with an hcl example."""
    names = {p.name for p in directory.glob("*.tf")}
    assert {"variables.tf", "outputs.tf", "versions.tf"} <= names
    if directory != TF_ROOT:
        assert "main.tf" in names
        readme = (directory / "README.md").read_text(encoding="utf-8")
        assert re.search(r"```hcl\n.*source\s*=", readme, re.S), (
            f"{directory.name}/README.md lacks a usage example"
        )


@pytest.mark.parametrize("directory", module_dirs(), ids=_module_ids())
def test_versions_pinned(directory: Path) -> None:
    """A Terraform floor of at least 1.6 and hashicorp/aws pinned to one 6.x line (~> 6.N).

    Which floor each directory needs, and that the pin matches the schema the offline
    check validates against, is proven in test_schema_modules_versions.py.
    """
    (terraform,) = load(directory / "versions.tf")["terraform"]
    assert re.fullmatch(r">= 1\.([6-9]|[1-9][0-9])", unquote(terraform["required_version"]))
    aws = terraform["required_providers"][0]["aws"]
    assert unquote(aws["source"]) == "hashicorp/aws"
    version = unquote(aws["version"])
    assert re.fullmatch(r"~> 6\.\d+", version), version


def test_every_variable_has_type_and_description() -> None:
    """Every variable declares a type and a non-empty description."""
    missing = [
        b.address
        for b in blocks("variable")
        if "type" not in b.body or not unquote(b.body.get("description", ""))
    ]
    assert not missing


def test_no_variable_is_typed_any() -> None:
    """Variables use precise types (object({... optional(...)})) rather than any."""
    assert not [b.address for b in blocks("variable") if "any" in str(b.body["type"])]


def test_every_output_has_description() -> None:
    """Every output says what it is."""
    assert not [b.address for b in blocks("output") if not unquote(b.body.get("description", ""))]


def test_queues_are_encrypted_and_have_a_dlq() -> None:
    """Every queue is encrypted; every queue that is not itself a DLQ has a redrive policy."""
    queues = _resources("aws_sqs_queue")
    assert queues
    for q in queues:
        assert "sqs_managed_sse_enabled" in q.body or "kms_master_key_id" in q.body, q.address
        if q.labels[1] != "dlq":
            assert "redrive_policy" in q.body, q.address


def test_queue_modules_without_dlq_are_dead_letter_queues() -> None:
    """A queue module call that turns its DLQ off is one whose queues serve as DLQs of event targets."""
    for call in blocks("module"):
        if unquote(call.body["source"]).endswith("sqs-queue") and "create_dlq" in call.body:
            assert call.body["create_dlq"] is False
            assert call.labels[0] == "extra_queues"
            assert "local.extra_queues" in call.body["for_each"]


def _statements(doc: Block) -> list[dict[str, Any]]:
    found = list(doc.body.get("statement", []))
    for dynamic in doc.body.get("dynamic", []):
        for label, inner in dynamic.items():
            if unquote(label) == "statement":
                found.extend(inner["content"])
    return found


XRAY_TRACE_ACTIONS = ["xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules",
                      "xray:GetSamplingTargets"]


def test_policies_scope_data_plane_actions() -> None:
    """No Allow statement grants a data-plane action on "*" or uses an action wildcard like sqs:*."""
    docs = blocks("data", first_label="aws_iam_policy_document")
    assert len(docs) >= 12
    assert {"sweeper", "sweeper_scheduler", "redrive_operator"} <= {d.labels[1] for d in docs}
    for doc in docs:
        for st in _statements(doc):
            if unquote(st.get("effect", "Allow")) == "Deny":
                continue
            actions = flat_list(st.get("actions", []))
            assert not [a for a in actions if isinstance(a, str) and a.endswith(":*")], doc.address
            data_plane = [a for a in actions if isinstance(a, str) and a.startswith(DATA_PLANE_PREFIXES)]
            resources = flat_list(st.get("resources", []))
            if data_plane:
                assert "*" not in resources, f"{doc.address}: {data_plane} on *"
            if resources == ["*"]:
                # Actions that name no resource type, so "*" is the only resource they take.
                assert actions in (["ecr:GetAuthorizationToken"], XRAY_TRACE_ACTIONS), doc.address


def test_roles_get_policies_only_from_policy_documents() -> None:
    """Inline role policies come from policy documents (or a module input fed by one); no managed policies."""
    assert not _resources("aws_iam_role_policy_attachment")
    assert not _resources("aws_iam_policy_attachment")
    for rp in [*_resources("aws_iam_role_policy"), *_resources("aws_iam_policy")]:
        policy = rp.body["policy"]
        assert re.fullmatch(
            r"\$\{(data\.aws_iam_policy_document\.\w+(\[0\])?\.json|var\.task_role_policy_json)\}", policy
        ), rp.address
    for call in blocks("module", first_label="services"):
        assert call.body["task_role_policy_json"] == "${each.value.policy_json}"
    (sweeper,) = blocks("module", first_label="sweeper")
    assert sweeper.body["task_role_policy_json"] == "${data.aws_iam_policy_document.sweeper.json}"


def test_one_task_role_per_service_and_a_separate_execution_role() -> None:
    """Each service gets its own policy document; the execution role is not any task role."""
    (call,) = blocks("module", first_label="services")
    compute = (TF_ROOT / "compute.tf").read_text(encoding="utf-8")
    for service in ("api", "scraper", "renderer", "batcher"):
        assert re.search(rf"policy_json\s+= data\.aws_iam_policy_document\.{service}\.json", compute), service
    assert call.body["execution_role_arn"] == "${aws_iam_role.execution.arn}"
    (task_role,) = [r for r in _resources("aws_iam_role") if r.labels[1] == "task"]
    assert task_role.body["name"] == '"${var.name}-task"'


def _doc(name: str) -> dict[str, dict[str, Any]]:
    """The named root policy document's statements by sid: {"actions", "resources", "conditions"}."""
    (doc,) = [d for d in blocks("data", first_label="aws_iam_policy_document") if d.labels[1] == name]
    found = {}
    for st in _statements(doc):
        assert unquote(st.get("effect", "Allow")) == "Allow", doc.address
        found[unquote(st["sid"])] = {
            "actions": sorted(flat_list(st["actions"])),
            "resources": flat_list(st["resources"]),
            "conditions": {
                unquote(c["variable"]): (unquote(c["test"]), flat_list(c["values"]))
                for c in st.get("condition", [])
            },
        }
    return found


KMS_VIA_DYNAMODB = {
    "actions": ["kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKey"],
    "resources": ["${aws_kms_key.this.arn}"],
    "conditions": {"kms:ViaService": ("StringEquals", ["${local.dynamodb_kms_via}"])},
}


def test_sweeper_task_role_has_exactly_what_the_sweeper_calls() -> None:
    """Query on the status index only, Get/Update on the jobs table; for stalled batches Scan on
    the queued-rows index, Query on tenant-createdAt and Get/Update on the batches table; send
    to scrape-requests and batch-work, PutEvents on the bus as the scraper/renderer sources, and
    the tables' key through DynamoDB: nothing else, nothing on "*". Queues, the jobs index and
    sources come from topology.json's services.sweeper."""
    assert _doc("sweeper") == {
        "FindStuckJobs": {
            "actions": ["dynamodb:Query"],
            "resources": ["${local.svc_index_arns.sweeper}"],
            "conditions": {},
        },
        "Jobs": {
            "actions": ["dynamodb:GetItem", "dynamodb:UpdateItem"],
            "resources": ["${module.jobs_table.table_arn}"],
            "conditions": {},
        },
        "FindStalledBatches": {
            "actions": ["dynamodb:Scan"],
            "resources": ["${module.batches_table.table_arn}/index/${local.sweeper_queued_index}"],
            "conditions": {},
        },
        "TenantBatches": {
            "actions": ["dynamodb:Query"],
            "resources": ["${module.batches_table.table_arn}/index/${local.sweeper_tenant_index}"],
            "conditions": {},
        },
        "BatchHeads": {
            "actions": ["dynamodb:GetItem", "dynamodb:UpdateItem"],
            "resources": ["${module.batches_table.table_arn}"],
            "conditions": {},
        },
        "Redrive": {
            "actions": ["sqs:GetQueueUrl", "sqs:SendMessage"],
            "resources": ["${local.svc_send_arns.sweeper}"],
            "conditions": {},
        },
        "PublishEvents": {
            "actions": ["events:PutEvents"],
            "resources": ["${local.bus_arn}"],
            "conditions": {"events:source": ("StringEquals", ["${local.services.sweeper.event_sources}"])},
        },
        "UseDataKey": KMS_VIA_DYNAMODB,
    }
    sweeper_tf = (TF_ROOT / "sweeper.tf").read_text(encoding="utf-8")
    assert "sweeper_status_index = one(local.services.sweeper.indexes)" in sweeper_tf
    assert load_topology()["services"]["sweeper"]["queries_indexes"] == ["status-createdAt"]
    adapter = TF_ROOT.parents[1] / "services" / "common" / "adapters" / "dynamo_job_store.py"
    job_store = adapter.read_text(encoding="utf-8")
    assert 'status_index: str = "status-createdAt"' in job_store
    assert load_topology()["services"]["sweeper"]["sends_to"] == ["scrape-requests", "batch-work"]
    batch_store = (adapter.parent / "dynamo_batch_store.py").read_text(encoding="utf-8")
    for local_name, index in (("sweeper_queued_index", "queued-rows"), ("sweeper_tenant_index", "tenant-createdAt")):
        assert f'g.name if g.name == "{index}"' in sweeper_tf.split(f"{local_name} = ", 1)[1].splitlines()[0]
        assert f'"{index}"' in batch_store
    assert "merge(local.common_environment, local.batch_environment)" in sweeper_tf


def test_sweeper_scheduler_role_runs_only_the_sweeper() -> None:
    """Scheduler's role: RunTask on the sweeper's family on this cluster, PassRole on its two roles to ECS."""
    assert _doc("sweeper_scheduler") == {
        "RunSweeperTask": {
            "actions": ["ecs:RunTask"],
            "resources": ["${local.sweeper_task_definition_family_arn}"],
            "conditions": {"ecs:cluster": ("ArnEquals", ["${aws_ecs_cluster.this.arn}"])},
        },
        "PassSweeperRoles": {
            "actions": ["iam:PassRole"],
            "resources": ["${module.sweeper.task_role_arn}", "${aws_iam_role.execution.arn}"],
            "conditions": {"iam:PassedToService": ("StringEquals", ["ecs-tasks.amazonaws.com"])},
        },
    }
    sweeper_tf = (TF_ROOT / "sweeper.tf").read_text(encoding="utf-8")
    assert re.search(
        r'sweeper_task_definition_family_arn = "arn:\$\{local\.partition\}:ecs:\$\{var\.aws_region\}:'
        r'\$\{local\.account_id\}:task-definition/\$\{local\.sweeper_name\}:\*"',
        sweeper_tf,
    )
    (module,) = blocks("module", first_label="sweeper")
    assert module.body["name"] == "${local.sweeper_name}"
    (assume,) = [
        d for d in blocks("data", first_label="aws_iam_policy_document") if d.labels[1] == "scheduler_assume"
    ]
    (st,) = assume.body["statement"]
    assert flat_list(st["principals"][0]["identifiers"]) == ["scheduler.amazonaws.com"]
    assert unquote(st["condition"][0]["variable"]) == "aws:SourceAccount"


def test_redrive_operator_policy_scoped_to_the_work_queues_their_dlqs_and_the_table() -> None:
    """The operators' redrive policy: DLQ drain and move tasks on the DLQs, send on the work queues,
    Get/Update on the table; an aws_iam_policy whose ARN is an output."""
    dlqs = ["${[for k in sort(keys(module.queues)) : module.queues[k].dlq_arn]}"]
    queues = ["${[for k in sort(keys(module.queues)) : module.queues[k].queue_arn]}"]
    assert _doc("redrive_operator") == {
        "DrainDeadLetterQueues": {
            "actions": sorted(
                [
                    "sqs:StartMessageMoveTask",
                    "sqs:ListMessageMoveTasks",
                    "sqs:ReceiveMessage",
                    "sqs:DeleteMessage",
                    "sqs:GetQueueAttributes",
                    "sqs:GetQueueUrl",
                ]
            ),
            "resources": dlqs,
            "conditions": {},
        },
        "RefillWorkQueues": {
            "actions": ["sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:SendMessage"],
            "resources": queues,
            "conditions": {},
        },
        "RetryFailedJobs": {
            "actions": ["dynamodb:GetItem", "dynamodb:UpdateItem"],
            "resources": ["${module.jobs_table.table_arn}"],
            "conditions": {},
        },
        "UseDataKey": KMS_VIA_DYNAMODB,
    }
    (policy,) = [r for r in _resources("aws_iam_policy") if r.path.parent == TF_ROOT]
    assert policy.labels[1] == "redrive_operator"
    assert policy.body["count"] == "${var.create_redrive_operator_policy ? 1 : 0}"
    (output,) = [o for o in blocks("output") if o.labels[0] == "redrive_operator_policy_arn"]
    assert output.body["value"] == "${try(aws_iam_policy.redrive_operator[0].arn, null)}"


def test_sweeper_is_a_scheduled_fargate_task() -> None:
    """EventBridge Scheduler starts the sweeper's task definition on the cluster (Fargate, private
    subnets, its own security group, no public IP) with a retry policy; the task logs with retention."""
    (schedule,) = _resources("aws_scheduler_schedule")
    body = schedule.body
    assert body["count"] == "${var.create_sweeper ? 1 : 0}"
    assert body["schedule_expression"] == "${var.sweeper_schedule_expression}"
    assert body["state"] == '${var.create_services ? "ENABLED" : "DISABLED"}'
    assert unquote(body["flexible_time_window"][0]["mode"]) == "OFF"
    (target,) = body["target"]
    assert target["arn"] == "${aws_ecs_cluster.this.arn}"
    assert target["role_arn"] == "${aws_iam_role.sweeper_scheduler[0].arn}"
    assert target["retry_policy"]
    ecs = target["ecs_parameters"][0]
    assert ecs["task_definition_arn"] == "${module.sweeper.task_definition_arn}"
    assert unquote(ecs["launch_type"]) == "FARGATE" and ecs["task_count"] == 1
    net = ecs["network_configuration"][0]
    assert net["subnets"] == "${module.network.private_subnet_ids}"
    assert flat_list(net["security_groups"]) == ["${module.sweeper.security_group_id}"]
    assert net["assign_public_ip"] is False
    (module,) = blocks("module", first_label="sweeper")
    m = module.body
    assert m["create"] == "${var.create_sweeper}" and m["create_service"] is False
    assert m["log_retention_days"] == "${var.log_retention_days}"
    assert m["subnet_ids"] == "${module.network.private_subnet_ids}"
    assert flat_list(m["egress_ports"]) == [443]
    (variable,) = [v for v in blocks("variable") if v.labels[0] == "sweeper_schedule_expression"]
    assert unquote(variable.body["default"]) == "rate(5 minutes)" and variable.body["validation"]
    iam = (TF_ROOT / "iam.tf").read_text(encoding="utf-8")
    assert "var.create_sweeper ? [local.sweeper_name] : []" in iam, (
        "the execution role writes the sweeper's logs"
    )


def test_kms_key_rotates_and_has_no_public_principal() -> None:
    """The customer-managed key rotates; its policy names the principal "*" only in the event
    readers' organisation statement, bound by aws:PrincipalOrgID and to decryption through S3."""
    for key in _resources("aws_kms_key"):
        assert key.body["enable_key_rotation"] is True
        policy = re.sub(r"Resource\s*=\s*\"\*\"", "", key.body["policy"])
        assert policy.count('"*"') == 1
        org = policy[policy.index('"*"') :]
        org = org[: org.index("}]")]
        assert '"aws:PrincipalOrgID" = var.event_readers.organization_id' in org
        assert '"kms:ViaService" = "s3.${var.aws_region}.amazonaws.com"' in org
        assert 'Action = "kms:Decrypt"' in org


def _single(directory: str, rtype: str) -> Block:
    (block,) = blocks("resource", first_label=rtype, directory=TF_ROOT / "modules" / directory)
    return block


def test_bucket_is_private_encrypted_tls_only_with_lifecycle() -> None:
    """Every bucket: public access blocked, owner enforced, SSE, TLS-only policy, lifecycle expiry."""
    buckets = _resources("aws_s3_bucket")
    assert [b.path.parent.name for b in buckets] == ["s3-bucket"]
    pab = _single("s3-bucket", "aws_s3_bucket_public_access_block").body
    for flag in ("block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"):
        assert pab[flag] is True
    own = _single("s3-bucket", "aws_s3_bucket_ownership_controls").body
    assert unquote(own["rule"][0]["object_ownership"]) == "BucketOwnerEnforced"
    sse = _single("s3-bucket", "aws_s3_bucket_server_side_encryption_configuration").body
    assert sse["rule"][0]["apply_server_side_encryption_by_default"]
    lifecycle = _single("s3-bucket", "aws_s3_bucket_lifecycle_configuration").body
    (expiry,) = lifecycle["dynamic"]  # one expiry rule per prefix of var.lifecycle_prefixes
    assert expiry['"rule"']["for_each"] == "${var.lifecycle_prefixes}"
    (content,) = expiry['"rule"']["content"]
    assert content["filter"][0]["prefix"] == "${rule.value}"
    assert content["expiration"][0]["days"] == "${var.lifecycle_expiration_days}"
    assert lifecycle["rule"][0]["abort_incomplete_multipart_upload"][0]["days_after_initiation"] == 1
    (policy_doc,) = blocks(
        "data", first_label="aws_iam_policy_document", directory=TF_ROOT / "modules" / "s3-bucket"
    )
    statements = {unquote(st["sid"]): st for st in policy_doc.body["statement"]}
    assert set(statements) == {"DenyInsecureTransport", "DenyOtherEncryption"}
    deny = statements["DenyInsecureTransport"]
    assert unquote(deny["effect"]) == "Deny"
    assert unquote(deny["condition"][0]["variable"]) == "aws:SecureTransport"
    assert flat_list(deny["condition"][0]["values"]) == ["false"]
    # Uploads asking for another encryption than the bucket's default are refused; none asked is fine.
    other = statements["DenyOtherEncryption"]
    assert unquote(other["effect"]) == "Deny" and flat_list(other["actions"]) == ["s3:PutObject"]
    assert unquote(other["condition"][0]["test"]) == "StringNotEqualsIfExists"
    assert unquote(other["condition"][0]["variable"]) == "s3:x-amz-server-side-encryption"
    kms_only = policy_doc.body["dynamic"][0]['"statement"']["content"][0]
    assert unquote(kms_only["sid"]) == "DenyOtherKmsKey"
    assert unquote(kms_only["condition"][0]["variable"]) == "s3:x-amz-server-side-encryption-aws-kms-key-id"


def test_log_groups_have_retention() -> None:
    """Every CloudWatch log group sets retention_in_days (and a KMS key input)."""
    groups = _resources("aws_cloudwatch_log_group")
    assert len(groups) >= 2
    for g in groups:
        assert "retention_in_days" in g.body, g.address
        assert "kms_key_id" in g.body, g.address


def test_table_on_demand_with_ttl_pitr_and_encryption() -> None:
    """The DynamoDB table is on-demand, with TTL, point-in-time recovery and SSE."""
    (table,) = _resources("aws_dynamodb_table")
    assert unquote(table.body["billing_mode"]) == "PAY_PER_REQUEST"
    assert table.body["point_in_time_recovery"][0]["enabled"] is True
    assert table.body["server_side_encryption"][0]["enabled"] is True
    assert table.body["ttl"][0]["attribute_name"]


def test_ecr_scans_on_push_with_immutable_tags_and_lifecycle() -> None:
    """ECR repositories scan on push, keep tags immutable and have a lifecycle policy."""
    repo = _single("ecr", "aws_ecr_repository").body
    assert repo["image_scanning_configuration"][0]["scan_on_push"] is True
    assert unquote(repo["image_tag_mutability"]) == "IMMUTABLE"
    assert _single("ecr", "aws_ecr_lifecycle_policy")


def test_ecs_cluster_service_and_task_definition() -> None:
    """Container Insights on; services roll back failed deployments, run privately; tasks are hardened."""
    (cluster,) = _resources("aws_ecs_cluster")
    setting = cluster.body["setting"][0]
    assert (unquote(setting["name"]), unquote(setting["value"])) == ("containerInsights", "enabled")
    service = _single("ecs-service", "aws_ecs_service").body
    breaker = service["deployment_circuit_breaker"][0]
    assert breaker["enable"] is True and breaker["rollback"] is True
    assert service["network_configuration"][0]["assign_public_ip"] is False
    assert unquote(service["launch_type"]) == "FARGATE"
    main = (TF_ROOT / "modules" / "ecs-service" / "main.tf").read_text(encoding="utf-8")
    for needle in (
        "readonlyRootFilesystem = true",
        "initProcessEnabled = true",
        "healthCheck = {",
        "stopTimeout            = var.stop_timeout",
        'logDriver = "awslogs"',
    ):
        assert needle in main


def test_the_openai_key_reaches_the_renderer_by_one_path() -> None:
    """The renderer reads the SecureString itself at start-up (its parameter's name in
    RENDERER_OPENAI_API_KEY_SSM_PARAMETER, ssm:GetParameter on its task role); no task
    definition injects it (`secrets` empty, the execution role reads no parameter), and
    "offline" sets no parameter at all."""
    compute = (TF_ROOT / "compute.tf").read_text(encoding="utf-8")
    assert (
        "RENDERER_OPENAI_API_KEY_SSM_PARAMETER = "
        "local.ssm_parameters[one(local.services.renderer.parameters)].name"
    ) in compute
    assert 'var.renderer_generator == "openai" ? {' in compute
    assert "RENDERER_OPENAI_API_KEY " not in compute and "RENDERER_OPENAI_API_KEY=" not in compute
    assert re.findall(r"^\s*secrets\s*=\s*(.*)$", compute, re.M) == ["{}", "{}", "{}", "{}", "each.value.secrets"]
    execution = _doc("execution")
    assert not [sid for sid, st in execution.items() if any(a.startswith("ssm:") for a in st["actions"])]
    renderer = (TF_ROOT / "iam.tf").read_text(encoding="utf-8")
    assert 'sid       = "ReadOpenAiKey"' in renderer and "resources = local.svc_parameter_arns.renderer" in renderer
    (param,) = _resources("aws_ssm_parameter")
    assert unquote(param.body["type"]) == "SecureString"
    assert "value" in param.body["lifecycle"][0]["ignore_changes"][0]
    assert 'var.renderer_generator == "openai"' in param.body["for_each"]


def test_the_placeholder_terraform_writes_is_the_one_the_renderer_refuses() -> None:
    """The SSM placeholder value and the renderer's UNSET_PARAMETER_VALUE are the same string,
    so a key nobody set stops the renderer at start-up instead of failing renders with 401."""
    from services.renderer.generation.factory import UNSET_PARAMETER_VALUE

    (param,) = _resources("aws_ssm_parameter")
    assert unquote(param.body["value"]) == UNSET_PARAMETER_VALUE


def test_services_get_the_settings_they_read() -> None:
    """Every service gets the environment variables services/common/settings.py reads, by their names."""
    compute = (TF_ROOT / "compute.tf").read_text(encoding="utf-8")
    for name in (
        "AWS_REGION",
        "PRODUCTSHOT_JOBS_TABLE",
        "PRODUCTSHOT_BUCKET",
        "PRODUCTSHOT_EVENT_BUS",
        "PRODUCTSHOT_SCRAPE_QUEUE",
        "PRODUCTSHOT_RENDER_QUEUE",
        "PRODUCTSHOT_LOG_LEVEL",
        "PRODUCTSHOT_BATCHES_TABLE",
        "PRODUCTSHOT_BATCH_QUEUE",
        "PRODUCTSHOT_BATCH_TTL_HOURS",
        "API_PORT",
        "RENDERER_MODEL",
    ):
        assert re.search(rf"\b{name}\s+=", compute), name
    assert re.search(r"API_HOST\s+= \"0\.0\.0\.0\"", compute), "the API must listen on all interfaces"
    # A batch lives as long as its images (CommonSettings.batch_ttl_hours' default).
    assert "PRODUCTSHOT_BATCH_TTL_HOURS = tostring(local.bucket.lifecycle_expiration_days * 24)" in compute
    for service in ("api", "batcher"):
        spec = compute[compute.index(f"    {service} = {{"):]
        assert "local.batch_environment" in spec[: spec.index("load_balancer")], service
    for worker in ("scraper", "renderer", "batcher"):
        assert f'"services.common.healthcheck", "--file", "/tmp/productshot-{worker}.health"' in compute


def test_autoscaling_policies() -> None:
    """Workers scale on queue backlog per task, the API on CPU and ALB requests per target."""
    policies = {b.labels[1]: b.body for b in _resources("aws_appautoscaling_policy")}
    assert set(policies) == {"cpu", "requests", "backlog"}
    backlog = policies["backlog"]["target_tracking_scaling_policy_configuration"][0]
    metrics = backlog["customized_metric_specification"][0]["metrics"]
    assert [unquote(m["id"]) for m in metrics] == ["visible", "tasks", "backlog_per_task"]
    compute = (TF_ROOT / "compute.tf").read_text(encoding="utf-8")
    assert compute.count("queue_backlog = {") == 3
    assert "cpu_target_percent = var.services.api.cpu_target_percent" in compute
    assert "request_count = {" in compute


def test_alb_https_with_redirect() -> None:
    """The ALB terminates TLS with a certificate and a modern policy; HTTP only redirects to HTTPS."""
    listeners = {b.labels[1]: b.body for b in _resources("aws_lb_listener")}
    https, http = listeners["https"], listeners["http"]
    assert unquote(https["protocol"]) == "HTTPS" and https["certificate_arn"] and https["ssl_policy"]
    action = http["default_action"][0]
    assert unquote(action["type"]) == "redirect"
    assert unquote(action["redirect"][0]["protocol"]) == "HTTPS"
    (lb,) = _resources("aws_lb")
    assert lb.body["drop_invalid_header_fields"] is True


def test_event_targets_have_retry_policy_and_dlq() -> None:
    """Every EventBridge target has a retry policy and a dead-letter queue; the bus has an archive."""
    targets = _resources("aws_cloudwatch_event_target")
    assert {t.path.parent.name for t in targets} == {"event-bus", "event-subscription", "event-receiver"}
    for t in targets:
        assert t.body["dead_letter_config"], t.address
        # The receiver's rule forwards within the subscriber's account (EventBridge's default
        # retries); the rules on Productshot's bus bound them explicitly.
        assert t.body.get("retry_policy") or t.path.parent.name == "event-receiver", t.address
    assert _resources("aws_cloudwatch_event_archive")
    assert _resources("aws_cloudwatch_event_bus_policy")


def test_queue_policies_only_admit_their_rules() -> None:
    """Queue policies let events.amazonaws.com send only when the source is the rule
    (aws:SourceArn), or another account's delivery role only by its exact ARN (aws:PrincipalArn)."""
    for directory in ("event-bus", "event-subscription", "event-receiver"):
        for doc in blocks(
            "data", first_label="aws_iam_policy_document", directory=TF_ROOT / "modules" / directory
        ):
            if doc.labels[1] not in ("queue", "dlq"):
                continue
            (st,) = doc.body["statement"]
            assert flat_list(st["actions"]) == ["sqs:SendMessage"]
            variable = unquote(st["condition"][0]["variable"])
            assert variable in ("aws:SourceArn", '${local.via_bus ? "aws:SourceArn" : "aws:PrincipalArn"}'), doc.address


def test_schemas_registered_from_the_schema_folder() -> None:
    """Every services/common/event_schemas/<DetailType>/v<N>.json is registered through fileset()."""
    messaging = (TF_ROOT / "messaging.tf").read_text(encoding="utf-8")
    assert 'event_schema_dir = "${path.module}/../../services/common/event_schemas"' in messaging
    assert 'fileset(local.event_schema_dir, "*/v*.json")' in messaging
    (schema,) = _resources("aws_schemas_schema")
    assert unquote(schema.body["type"]) == "JSONSchemaDraft4"


def test_alarms_cover_dlqs_queue_age_and_5xx_on_an_encrypted_topic() -> None:
    """Alarms on DLQ depth, oldest message age and the API 5xx rate notify an encrypted SNS topic
    (the services' own metrics have theirs in observability.tf, tests/infra/test_metric_catalogue.py)."""
    alarms = {b.labels[1] for b in _resources("aws_cloudwatch_metric_alarm")}
    assert {"dlq_depth", "oldest_message", "http_5xx_rate"} <= alarms
    (topic,) = _resources("aws_sns_topic")
    assert topic.body["kms_master_key_id"] == "${var.kms_key_arn}"


def test_checkov_skips_carry_a_reason() -> None:
    """Each in-code checkov skip names a check and says why."""
    for path in tf_files():
        for line in path.read_text(encoding="utf-8").splitlines():
            if "checkov:skip" in line:
                assert re.fullmatch(r"\s*#checkov:skip=CKV2?_AWS_\d+:.{20,}", line), f"{path}: {line}"


def test_every_event_schema_file_gets_a_registry_name() -> None:
    """Each event_schemas/<DetailType>/v<N>.json matches the fileset and gives a valid schema name."""
    schema_dir = TF_ROOT.parent.parent / "services" / "common" / "event_schemas"
    files = sorted(p.relative_to(schema_dir) for p in schema_dir.glob("*/v*.json"))
    assert files, "no event schemas to register"
    for rel in files:
        name = f"productshot.{rel.parent}.{rel.stem}"
        assert re.fullmatch(r"productshot\.[A-Za-z]+\.v\d+", name), name
        assert len(name) <= 385


# Set by Terraform for a setting the services do not read yet (reported to the API's
# owner): with a name prefix, the API must be told its api-keys parameter's name.
PENDING_ENVIRONMENT: set[str] = set()
# Read by uvicorn itself (uvicorn.Config's forwarded_allow_ips default), not a settings class.
READ_BY_UVICORN = {"FORWARDED_ALLOW_IPS"}


def _env_names(settings_class: type) -> set[str]:
    prefix = settings_class.model_config.get("env_prefix", "")
    names = set()
    for field_name, info in settings_class.model_fields.items():
        alias = info.validation_alias
        choices = getattr(alias, "choices", None)
        if isinstance(alias, str):
            names.add(alias)
        elif choices:
            names |= {c for c in choices if isinstance(c, str)}
        else:
            names.add(f"{prefix}{field_name}".upper())
    return names


def test_every_environment_variable_terraform_sets_is_read_by_a_service() -> None:
    """Each variable in the task definitions is a field of a settings class (no typo, no dead setting)."""
    from services.api.settings import ApiSettings
    from services.common.settings import CommonSettings
    from services.renderer.generation.settings import GenerationSettings
    from services.renderer.settings import RendererSettings
    from services.scraper.settings import ScraperSettings

    known = set().union(
        *(
            _env_names(c)
            for c in (CommonSettings, ApiSettings, ScraperSettings, RendererSettings, GenerationSettings)
        )
    )
    compute = (TF_ROOT / "compute.tf").read_text(encoding="utf-8")
    start = compute.index("common_environment = {")
    set_by_terraform = set(re.findall(r"\b([A-Z][A-Z0-9_]+)\s*=(?!=)", compute[start:]))
    assert set_by_terraform - known - READ_BY_UVICORN == PENDING_ENVIRONMENT
    assert not PENDING_ENVIRONMENT & known, "now read by a service: drop it from PENDING_ENVIRONMENT"
