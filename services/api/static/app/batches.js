// Batches (GET /v1/batches): the list on the home page, one batch's progress and results table.
// An API without batches answers 404: the panel then stays hidden and nothing else changes.
import { api, ApiError } from "./api.js";
import { $, el, showAlert, when } from "./dom.js";

const TERMINAL = ["completed", "failed", "cancelled"];
let timer = null;
let cursor = null;

export async function renderBatches() {
  let page;
  try {
    page = await api.batches();
  } catch (e) {
    $("batches-panel").hidden = true; // 404 (no batches here) or any other trouble: jobs still work
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
  if (timer) clearTimeout(timer);
  timer = null;
}

export function openBatch(id) {
  leaveBatch();
  cursor = null;
  $("batch-title").textContent = "Batch";
  $("batch-id").textContent = `Batch ${id}`;
  $("batch-rows").replaceChildren();
  $("batch-more").onclick = () => loadRows(id, true);
  $("batch-archive").onclick = () => archive(id);
  poll(id);
}

async function poll(id) {
  try {
    const batch = await api.batch(id);
    $("batch-title").textContent = (batch.metadata && batch.metadata.name) || "Batch";
    $("batch-progress").value = batch.progress || 0;
    $("batch-progress").textContent = `${Math.round((batch.progress || 0) * 100)}%`;
    const c = batch.counts || {};
    $("batch-status").textContent = `Status: ${batch.status} · ${batch.done} of ${batch.total} done` +
      ` (${c.completed || 0} completed, ${c.failed || 0} failed)` + (batch.error ? ` · ${batch.error.reason}` : "");
    $("batch-archive").hidden = !TERMINAL.includes(batch.status);
    await loadRows(id, false);
    if (!TERMINAL.includes(batch.status)) timer = setTimeout(() => poll(id), 3000);
  } catch (e) {
    showAlert(e instanceof ApiError ? e.words() : String(e));
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

async function archive(id) {
  try {
    const answer = await api.batchArchive(id);
    if (answer.status === "ready") window.location.assign(answer.url);
    else $("batch-status").textContent = "The ZIP is being built; try again in a moment.";
  } catch (e) {
    showAlert(e instanceof ApiError ? e.words() : String(e));
  }
}
