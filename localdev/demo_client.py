"""Submit one product page to a running Productshot API, wait, download the image.

    python -m localdev.demo_client --api http://127.0.0.1:8000 --url URL [--out out/] [--api-key KEY]

Prints the final job JSON and the path of the downloaded image; exits 1 if the job failed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path

import aiohttp


async def run(api: str, url: str, out: Path, api_key: str | None, timeout: float) -> int:
    headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{api}/generative-ai-images/generate", json={"productUrl": url},
                             headers=headers) as resp:
            accepted = await resp.json()
            if resp.status != 202:
                print(f"submit failed: HTTP {resp.status} {accepted}", file=sys.stderr)
                return 1
        job_id = accepted["jobId"]
        print(f"submitted {url} -> job {job_id}", file=sys.stderr)
        deadline = time.monotonic() + timeout
        status: dict[str, object] = {}
        while time.monotonic() < deadline:
            async with http.get(f"{api}{accepted['statusUrl']}", headers=headers) as resp:
                status = await resp.json()
            if status.get("status") in ("completed", "failed"):
                break
            await asyncio.sleep(0.25)
        job: dict[str, object] = status
        async with http.get(f"{api}/v1/jobs/{job_id}", headers=headers) as resp:
            if resp.status == 200:
                job = await resp.json()
        print(json.dumps(job, indent=2, ensure_ascii=False))
        if status.get("status") != "completed":
            print(f"job did not complete: {status.get('status')} {status.get('error', '')}", file=sys.stderr)
            return 1
        out.mkdir(parents=True, exist_ok=True)
        path = out / f"{job_id}-{status['fileName']}"
        # The presigned URL carries its own signature: no API key goes to S3.
        async with http.get(str(status["imageUrl"])) as resp:
            resp.raise_for_status()
            path.write_bytes(await resp.read())
        print(f"image: {path.resolve()}")
        return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--api", default="http://127.0.0.1:8000", help="the API's base URL")
    parser.add_argument("--url", required=True, help="the product page to turn into an image")
    parser.add_argument("--out", type=Path, default=Path("out"), help="folder for the downloaded image")
    parser.add_argument("--api-key", default=None, help="bearer key for the API, when keys are enabled")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds to wait for the job")
    args = parser.parse_args(argv)
    return asyncio.run(run(args.api.rstrip("/"), args.url, args.out, args.api_key, args.timeout))


if __name__ == "__main__":
    sys.exit(main())
