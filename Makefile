# Productshot: the commands. `make help` lists them.
SHELL := /bin/bash
URL ?=

.PHONY: help setup demo up down logs stats traces test unit-test localstack-test faults-test tf-check tf-localstack \
	bench bench-extraction bench-overlay bench-api bench-e2e bench-renderer bench-cost bench-archive bench-batch lint clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 18

setup: ## install everything (.venv, system packages, LocalStack's venv); quick when done
	@scripts/setup.sh

demo: ## whole pipeline once on the bundled sample page (or URL=...): image in out/, job JSON printed
	@scripts/demo.sh "$(URL)"

up: setup ## start local AWS, bootstrap, run the three services in the background
	@scripts/local_aws.sh start
	@set -a; . .run/aws.env; set +a; .venv/bin/python -m infra.bootstrap --api-key "demo:$${DEMO_API_KEY:-ps_demo_local_key}" | tail -n 1
	@scripts/services.sh start
	@echo "API key (tenant demo): $${DEMO_API_KEY:-ps_demo_local_key}"

down: ## stop the services and the local AWS
	@scripts/services.sh stop
	@scripts/local_aws.sh stop

logs: ## follow the services' logs
	@scripts/services.sh logs

stats: ## the dashboard's figures (jobs, time to image, stages, model, API) from the services' EMF log lines
	@.venv/bin/python -m localdev.stats $(STATS_ARGS)

traces: ## a job's trace as a tree (TRACES_ARGS=<jobId>), from the spans of services run with OTEL_TRACES_EXPORTER=jsonl
	@.venv/bin/python -m localdev.traces $(TRACES_ARGS)

test: ## every test: unit + LocalStack integration, starting and stopping what they need
	@scripts/run_tests.sh all

unit-test: ## unit tests only (no AWS)
	@scripts/run_tests.sh unit

localstack-test: ## the LocalStack integration tests alone
	@scripts/run_tests.sh integration

tf-check: ## terraform fmt, the schema check against hashicorp/aws 6.25, checkov (offline), structural tests
	@bash scripts/tf_check.sh

tf-localstack: ## apply the Terraform to LocalStack with tflocal (needs terraform + Docker)
	@bash scripts/tf_localstack.sh

faults-test: setup ## the fault-injection tests alone (duplicates, kills, outages, poison, bursts)
	@scripts/run_tests.sh faults

bench: bench-extraction bench-overlay bench-api bench-e2e bench-renderer bench-cost bench-archive bench-batch ## every benchmark (figures in docs/)

bench-batch: setup ## the 1,000-product sample shop through productshot batch: wall time, jobs/s, the shop's peak in flight
	.venv/bin/python bench/bench_batch.py --products 1000

bench-archive: setup ## batch ZIP of 1,000 images of 300 KB: wall time, MB/s, peak memory vs archive size
	.venv/bin/python bench/bench_batch_archive.py --images 1000 --size 300000

bench-extraction: setup ## extraction vs extruct + price-parser over the corpus; 5 MB page memory
	.venv/bin/python bench/bench_extraction.py

bench-overlay: setup ## overlay + encode vs the decode/encode floor and vs sharp
	npm install --prefix bench --no-audit --no-fund >/dev/null
	.venv/bin/python bench/bench_overlay.py --images 50

bench-api: setup ## the job store's own ceiling here, then 100 clients POST + GET for 30 s against one API process
	scripts/local_aws.sh start
	set -a; . .run/aws.env; set +a; .venv/bin/python -m infra.bootstrap | tail -n 1 && \
		.venv/bin/python bench/bench_store_ceiling.py --clients 64 --duration 30 && \
		.venv/bin/python bench/bench_api_load.py --clients 100 --duration 30

bench-e2e: setup ## POST -> completed latency over 200 jobs, per hop
	.venv/bin/python bench/bench_e2e.py --jobs 200

bench-renderer: setup ## one renderer, image server at 5 s latency, 100 jobs: wall time and peak RSS; the quality gate's CPU per image
	.venv/bin/python bench/bench_renderer_capacity.py
	.venv/bin/python bench/bench_quality_gate.py --images 20

bench-cost: setup ## what one job uses (AWS requests, bytes, CPU, logs), its cost per 1,000 images, the renderer at 500 and 1,000 in flight
	.venv/bin/python bench/bench_job_cost.py
	.venv/bin/python bench/cost_model.py
	.venv/bin/python bench/bench_renderer_capacity.py --jobs 500 --in-flight 500
	.venv/bin/python bench/bench_renderer_capacity.py --jobs 1000 --in-flight 1000

lint: ## ruff and mypy
	@.venv/bin/ruff check services infra localdev tests bench
	@.venv/bin/mypy services

clean: down ## remove what the local runs left (.run/, out/)
	rm -rf .run out
