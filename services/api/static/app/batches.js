// Batches (GET /v1/batches): the list on the home page, one batch's progress and results table.
// If the list cannot be read the panel stays hidden; the rest of the app works without it.
import { api, ApiError } from "./api.js";
import { $, el, showAlert, when } from "./dom.js";

const TERMINAL = ["completed", "failed", "cancelled"];
const POLL_MS = 3000;
let timer = null;
let cursor = null;
let visit = 0; // bumped when the batch page is left or opened again: older loops stop

export async function renderBatches() {
  let page;
  try {
    page = await api.batches();
  } catch (e) {
    $("batches-panel").hidden = true;
    return;
  }
  const rows = (page.batches || []).map((b) => el("tr", {},
    el("td", {}, el("a", { href: `#/batches/${b.batchId}` }, (b.metadata && b.metadata.name) || b.batchId.slice(0, 8))),
    el("td", { text: b.status }),
    el("td", {}, el("progress", { max: "1", value: String(b.progress || 0),
      "aria-label": `${b.done} of ${b.total} done` }), ` ${b.done}/${b.total}`),
    el("td", { text: when(b.createdAt) })));
  $("batches-rows").replaceChildren(...rows);
  $("batches-panel").hidden = rows.length === 0;
}

export function leaveBatch() {
  visit += 1;
  if (timer) clearTimeout(timer);
  timer = null;
}

function later(mine, ms, then) {
  if (timer) clearTimeout(timer);
  timer = setTimeout(() => { timer = null; if (mine === visit) then(); }, ms);
}

function words(e) {
  return e instanceof ApiError ? e.words() : [String(e.message || e)];
}

export function openBatch(id) {
  leaveBatch();
  const mine = visit;
  cursor = null;
  $("batch-title").textContent = "Batch";
  $("batch-id").textContent = `Batch ${id}`;
  $("batch-rows").replaceChildren();
  $("batch-archive").disabled = false;
  $("batch-archive-status").textContent = "";
  $("batch-more").onclick = () => loadRows(id, true).catch((e) => showAlert(words(e)));
  $("batch-archive").onclick = () => archive(id, mine);
  poll(id, mine);
}

// The batch and its first rows, again every POLL_MS until it has ended or the page is left.
async function poll(id, mine) {
  try {
    const batch = await api.batch(id);
    if (mine !== visit) return;
    $("batch-title").textContent = (batch.metadata && batch.metadata.name) || "Batch";
    $("batch-progress").value = batch.progress || 0;
    $("batch-progress").textContent = `${Math.round((batch.progress || 0) * 100)}%`;
    const c = batch.counts || {};
    $("batch-status").textContent = `Status: ${batch.status} · ${batch.done} of ${batch.total} done` +
      ` (${c.completed || 0} completed, ${c.failed || 0} failed)` + (batch.error ? ` · ${batch.error.reason}` : "");
    await loadRows(id, false);
    if (mine !== visit) return;
    const ended = TERMINAL.includes(batch.status);
    $("batch-archive").hidden = !ended;
    if (!ended) later(mine, POLL_MS, () => poll(id, mine));
  } catch (e) {
    if (mine !== visit) return;
    showAlert(words(e));
    // A passing outage (network, 5xx) does not end the refresh; a refusal (404, 401) does.
    if (!(e instanceof ApiError) || e.status >= 500) later(mine, POLL_MS, () => poll(id, mine));
  }
}

async function loadRows(id, more) {
  const page = await api.batchItems(id, more ? cursor : null);
  cursor = page.next;
  const rows = page.items.map((r) => el("tr", {},
    el("td", { text: String(r.row) }),
    el("td", {}, r.jobId ? el("a", { href: `#/jobs/${r.jobId}` }, (r.product && r.product.name) || r.productUrl || r.jobId)
      : (r.productUrl || "")),
    el("td", { text: r.duplicateOf ? `${r.status} (same as row ${r.duplicateOf})` : r.status }),
    el("td", { text: r.product && r.product.price ? `${r.product.price} ${r.product.currency || ""}` : "" }),
    el("td", { text: r.error || "" })));
  if (more) $("batch-rows").append(...rows);
  else $("batch-rows").replaceChildren(...rows);
  $("batch-more").hidden = !cursor;
}

// The batch ZIP: asked for, then asked again after each Retry-After until it is built; then the
// browser goes to its presigned URL. The ZIP (application/zip) downloads and the page stays;
// a navigation is not a fetch, so the storage's origin needs no CORS and no place in the CSP.
async function archive(id, mine) {
  const button = $("batch-archive");
  const note = $("batch-archive-status");
  button.disabled = true;
  note.textContent = "Building the ZIP…";
  try {
    const { answer, retryAfter } = await api.batchArchive(id);
    if (mine !== visit) return;
    if (answer.status === "building") {
      later(mine, Math.min(Math.max(retryAfter, 1), 30) * 1000, () => archive(id, mine));
      return;
    }
    button.disabled = false;
    if (answer.status === "ready") {
      note.textContent = `ZIP ready: ${answer.count} images` + (answer.missing ? ` (${answer.missing} gone)` : "") +
        `; the link works until ${new Date(answer.expiresAt).toLocaleString()}.`;
      window.location.assign(answer.url);
    } else {
      note.textContent = `The ZIP could not be built (${answer.error}); press the button to try again.`;
    }
  } catch (e) {
    if (mine !== visit) return;
    button.disabled = false;
    note.textContent = "";
    showAlert(words(e));
  }
}
