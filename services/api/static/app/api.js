// The /v1 client: the API key from sessionStorage in the Authorization header on every call.
// No cookie is ever set or sent, so another site cannot make this browser act for the user (CSRF).
const KEY = "productshot.apiKey";

export const session = {
  get: () => sessionStorage.getItem(KEY),
  set: (key) => sessionStorage.setItem(KEY, key),
  clear: () => sessionStorage.removeItem(KEY),
};

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
  // The API's own words: its detail, then each field error ("productUrl: must start with ...").
  words() {
    const lines = [this.message];
    for (const e of this.problem.errors || []) lines.push(`${e.field}: ${e.message}`);
    return lines;
  }
}

export function headers(extra = {}) {
  const key = session.get();
  return { ...(key ? { Authorization: `Bearer ${key}` } : {}), ...extra };
}

// The answer itself (errors thrown as ApiError), for a caller that needs its headers too.
async function send(method, path, body, extra = {}) {
  const init = { method, headers: headers(extra), credentials: "omit", cache: "no-store" };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers["Content-Type"] = "application/json";
  }
  const resp = await fetch(path, init);
  if (!resp.ok) {
    let problem = {};
    try { problem = await resp.json(); } catch { problem = { detail: `The API answered ${resp.status}.` }; }
    throw new ApiError(resp.status, problem);
  }
  return resp;
}

export async function call(method, path, body, extra = {}) {
  const resp = await send(method, path, body, extra);
  if (resp.status === 204) return null;
  const type = resp.headers.get("Content-Type") || "";
  return type.includes("json") ? resp.json() : resp.blob();
}

// GET /archive: 202 {"status": "building"} with Retry-After (seconds) until 200 ready or failed.
async function batchArchive(id) {
  const resp = await send("GET", `/v1/batches/${encodeURIComponent(id)}/archive`);
  return { answer: await resp.json(), retryAfter: Number(resp.headers.get("Retry-After")) || 0 };
}

export const api = {
  jobs: (limit = 20) => call("GET", `/v1/jobs?limit=${limit}`),
  job: (id) => call("GET", `/v1/jobs/${encodeURIComponent(id)}`),
  create: (body) => call("POST", "/v1/jobs", body, { "Idempotency-Key": crypto.randomUUID() }),
  review: (id, answer) => call("POST", `/v1/jobs/${encodeURIComponent(id)}/review`, answer,
    { "Idempotency-Key": crypto.randomUUID() }),
  retry: (id) => call("POST", `/v1/jobs/${encodeURIComponent(id)}/retry`),
  remove: (id) => call("DELETE", `/v1/jobs/${encodeURIComponent(id)}`),
  image: (id, format) => call("GET", `/v1/jobs/${encodeURIComponent(id)}/images/${encodeURIComponent(format)}`),
  zip: (id) => call("GET", `/v1/jobs/${encodeURIComponent(id)}/images.zip`),
  batches: () => call("GET", "/v1/batches?limit=20"),
  batch: (id) => call("GET", `/v1/batches/${encodeURIComponent(id)}`),
  batchItems: (id, cursor) => call("GET", `/v1/batches/${encodeURIComponent(id)}/items?limit=100` +
    (cursor ? `&cursor=${encodeURIComponent(cursor)}` : "")),
  batchArchive,
};
