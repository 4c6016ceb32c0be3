"""Submit one product page to a running Productshot API, wait, download the images.

    python -m localdev.demo_client --api http://127.0.0.1:8000 --url URL --api-key KEY
        [--formats square,landscape,story] [--output jpeg|png|webp] [--out out/]

Uses the versioned API (POST /v1/jobs, GET /v1/jobs/{id}); downloads every image through
its presigned URL; prints the final job JSON and the image paths. Exits 1 if the job failed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path
from typing import Any

import aiohttp

_EXT = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}


async def _wait(http: aiohttp.ClientSession, url: str, timeout: float) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    job: dict[str, Any] = {}
    while time.monotonic() < deadline:
        async with http.get(url) as resp:
            job = await resp.json()
        if job.get("status") in ("completed", "failed"):
            return job
        await asyncio.sleep(0.25)
    return job


async def run(api: str, url: str, out: Path, api_key: str, formats: list[str], output: str, timeout: float) -> int:
    headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
    async with aiohttp.ClientSession(headers=headers) as http:
        body = {"productUrl": url, "formats": formats, "output": output}
        async with http.post(f"{api}/v1/jobs", json=body) as resp:
            accepted = await resp.json()
            if resp.status != 202:
                print(f"submit failed: HTTP {resp.status} {json.dumps(accepted)}", file=sys.stderr)
                return 1
            location = resp.headers.get("Location") or f"/v1/jobs/{accepted['jobId']}"
        job_id = accepted["jobId"]
        print(f"submitted {url} -> job {job_id}", file=sys.stderr)
        job = await _wait(http, f"{api}{location}", timeout)
    print(json.dumps(job, indent=2, ensure_ascii=False))
    if job.get("status") != "completed":
        print(f"job did not complete: {job.get('status')} {json.dumps(job.get('error'))}", file=sys.stderr)
        return 1
    await asyncio.to_thread(out.mkdir, parents=True, exist_ok=True)
    # Presigned URLs carry their own signature: no API key goes to S3.
    async with aiohttp.ClientSession() as s3:
        for image in job.get("images", []):
            path = out / f"{job_id}-{image['format']}.{_EXT.get(image['contentType'], 'img')}"
            async with s3.get(image["url"]) as resp:
                resp.raise_for_status()
                data = await resp.read()
            await asyncio.to_thread(path.write_bytes, data)
            print(f"image: {path.resolve()} ({image['width']}x{image['height']}, {image['size']} bytes)")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--api", default="http://127.0.0.1:8000", help="the API's base URL")
    parser.add_argument("--url", required=True, help="the product page to turn into images")
    parser.add_argument("--api-key", default="", help="bearer key for the API (make up / make demo print it)")
    parser.add_argument("--formats", default="square,landscape,story", help="comma-separated formats")
    parser.add_argument("--output", default="jpeg", choices=["jpeg", "png", "webp"], help="image encoding")
    parser.add_argument("--out", type=Path, default=Path("out"), help="folder for the downloaded images")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds to wait for the job")
    args = parser.parse_args(argv)
    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    return asyncio.run(run(args.api.rstrip("/"), args.url, args.out, args.api_key, formats, args.output,
                           args.timeout))


if __name__ == "__main__":
    sys.exit(main())
