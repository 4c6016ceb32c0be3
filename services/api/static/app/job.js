// One job: live progress, its facts, the review of uncertain facts, its images and actions.
import { api, ApiError } from "./api.js";
import { $, el, saveBlob, showAlert } from "./dom.js";
import { follow } from "./stream.js";

const STAGES = [["queued", "Queued"], ["scrape", "Reading the page"], ["review", "Your review"],
  ["render", "Making the images"], ["done", "Done"]];
const FACTS = ["name", "brand", "price", "currency", "regularPrice", "offer", "availability"];
const LABELS = { name: "Name", brand: "Brand", price: "Price", currency: "Currency",
  regularPrice: "Regular price", offer: "Offer", availability: "Availability" };
const EXT = { "image/jpeg": "jpg", "image/png": "png", "image/webp": "webp" };
// The API's error.stage in words ("Failed while reading the product page: ...").
const FAILED_WHILE = { queued: "queuing the job", scrape: "reading the product page",
  review: "waiting for your review", render: "making the images" };

let stop = null;
let shown = { id: null, images: "", review: "" };
const blobs = [];

export function leaveJob() {
  if (stop) stop();
  stop = null;
  blobs.splice(0).forEach((url) => URL.revokeObjectURL(url));
}

export function openJob(id) {
  leaveJob();
  shown = { id, images: "", review: "" };
  $("job-title").textContent = "Job";
  $("job-id").textContent = `Job ${id}`;
  $("job-status").textContent = "Loading…";
  delete $("job-status").dataset.status; // not the previous job's (or attempt's) status while loading
  for (const part of ["job-error", "review-form", "job-results", "facts-title", "download-all", "retry", "delete"]) {
    $(part).hidden = true;
  }
  $("job-facts").replaceChildren();
  $("job-images").replaceChildren();
  $("job-stages").replaceChildren();
  stop = follow(`/v1/jobs/${encodeURIComponent(id)}/events`, (type, data) => {
    if (type === "gone") { $("job-status").textContent = "This job has been deleted."; return false; }
    render(data);
    return !["completed", "failed"].includes(data.status);
  }, (message, permanent) => {
    $("job-status").textContent = message;
    if (permanent) showAlert(message);
  });
}

function render(job) {
  const product = job.product || {};
  $("job-title").textContent = product.name || job.productUrl || "Job";
  // A failed job is "done"; its progress stops at the stage that failed (error.stage).
  const failedAt = job.status === "failed" && job.error ? job.error.stage : null;
  const current = STAGES.findIndex(([stage]) => stage === (failedAt || job.stage));
  // A job that never waited for review skipped that stage once it is past it.
  const waited = Boolean((job.timestamps || {}).review);
  const past = (i) => i < current || job.status === "completed";
  $("job-stages").replaceChildren(...STAGES.map(([stage, label], i) => {
    const skipped = stage === "review" && past(i) && !waited;
    return el("li", {
      class: skipped ? "skipped" : past(i) ? "done" : i === current ? (failedAt ? "failed" : "current") : "",
      "aria-current": i === current ? "step" : false,
      text: skipped ? `${label} (not needed)` : i === current && failedAt ? `${label} (failed)` : label,
    });
  }));
  const words = { pending: "Queued", scraping: "Reading the product page…", review: "Waiting for your review",
    scraped: "Facts ready; starting the images…", rendering: "Making the images…",
    completed: "Completed", failed: "Failed" };
  $("job-status").textContent = `Status: ${words[job.status] || job.status}`;
  $("job-status").dataset.status = job.status;
  renderFacts(job);
  renderError(job);
  renderReview(job);
  renderImages(job);
  $("download-all").hidden = job.images.length === 0;
  $("retry").hidden = job.status !== "failed";
  $("delete").hidden = !["completed", "failed"].includes(job.status);
}

function renderFacts(job) {
  const product = job.product || {};
  const inReview = job.review ? Object.keys(job.review.facts) : [];
  const rows = FACTS.filter((name) => product[name]).flatMap((name) => {
    const sure = job.confidence && job.confidence[name] !== undefined
      ? ` (${Math.round(job.confidence[name] * 100)}% sure)` : "";
    const held = inReview.includes(name) ? " · not printed until you check it below" : "";
    return [el("dt", { text: LABELS[name] }), el("dd", { class: held ? "held" : false, text: `${product[name]}${sure}${held}` })];
  });
  for (const name of job.hiddenFacts || []) {
    rows.push(el("dt", { text: LABELS[name] || name }), el("dd", { text: "left off the image" }));
  }
  $("facts-title").hidden = rows.length === 0;
  $("job-facts").replaceChildren(...rows);
}

function renderError(job) {
  const box = $("job-error");
  box.hidden = !job.error;
  if (job.error) {
    box.replaceChildren(el("p", { text: `Failed while ${FAILED_WHILE[job.error.stage] || job.error.stage}: ${job.error.reason}` }),
      el("p", { class: "muted", text: `Reference: ${job.error.traceId}` }));
  }
}

function renderReview(job) {
  const form = $("review-form");
  if (!job.review) { form.hidden = true; return; }
  const key = `${job.jobId}:${job.attempt}:${Object.keys(job.review.facts).join(",")}`;
  form.hidden = false;
  if (shown.review === key) return; // keep what the person has typed
  shown.review = key;
  const sets = Object.entries(job.review.facts).map(([name, fact]) => factChoice(name, fact, job));
  $("review-facts").replaceChildren(...sets);
}

// One choice per value: a page often offers the same price from an element and its parent.
function distinct(candidates) {
  const best = new Map();
  for (const c of candidates) {
    const seen = best.get(c.value);
    if (!seen || c.confidence > seen.confidence) best.set(c.value, c);
  }
  return [...best.values()];
}

function factChoice(name, fact, job) {
  const label = LABELS[name] || name;
  const group = `fact-${name}`;
  const candidates = distinct(fact.candidates.length ? fact.candidates
    : [{ value: fact.value ?? "", source: fact.source, context: "", confidence: fact.confidence }]);
  const options = candidates.map((c, i) => el("label", { class: "candidate" },
    el("input", { type: "radio", name: group, value: `pick:${i}`, "data-value": c.value,
      checked: c.value === fact.value }),
    el("span", { class: "value", text: c.value }),
    el("span", { class: "muted", text: ` ${c.source}${c.path ? ` · ${c.path}` : ""} · ${Math.round(c.confidence * 100)}%` }),
    c.context ? el("q", { class: "context", text: c.context }) : null));
  const other = el("input", { type: "text", id: `${group}-other`, name: `${group}-other`,
    inputmode: name.toLowerCase().includes("price") ? "decimal" : false, "aria-label": `Correct ${label}` });
  other.addEventListener("input", () => { document.querySelector(`input[name=${group}][value=other]`).checked = true; });
  const extra = [];
  if (name === "price" && !Object.hasOwn(job.review.facts, "currency")) {
    extra.push(el("label", { for: "fact-currency" }, "Currency"),
      el("input", { type: "text", id: "fact-currency", maxlength: "3", value: (job.product || {}).currency || "" }));
  }
  return el("fieldset", { class: "fact", "data-fact": name },
    el("legend", { text: `${label}: the page is unsure (${Math.round(fact.confidence * 100)}% sure)` }),
    ...options,
    el("label", { class: "candidate" }, el("input", { type: "radio", name: group, value: "other" }),
      el("span", { text: "Something else: " }), other),
    el("label", { class: "candidate" }, el("input", { type: "radio", name: group, value: "hide" }),
      el("span", { text: "Leave it off the image" })),
    ...extra);
}

export function reviewAnswer() {
  const answer = { accept: [], hide: [], product: {} };
  const problems = [];
  for (const set of document.querySelectorAll("#review-facts fieldset[data-fact]")) {
    const name = set.dataset.fact;
    const picked = set.querySelector(`input[name=fact-${name}]:checked`);
    const scraped = set.querySelector(`input[name=fact-${name}][checked]`);
    if (!picked) { problems.push(`${LABELS[name] || name}: pick a value, type one, or leave it off.`); continue; }
    if (picked.value === "hide") answer.hide.push(name);
    else {
      const value = picked.value === "other" ? $(`fact-${name}-other`).value.trim() : picked.dataset.value;
      if (!value) { problems.push(`${LABELS[name] || name}: type the right value.`); continue; }
      if (picked === scraped) answer.accept.push(name);
      else answer.product[name] = value;
    }
  }
  const currency = $("fact-currency");
  if (currency && currency.value.trim() && answer.product.price) answer.product.currency = currency.value.trim().toUpperCase();
  for (const part of ["accept", "hide"]) if (!answer[part].length) delete answer[part];
  if (!Object.keys(answer.product).length) delete answer.product;
  return { answer, problems };
}

function renderImages(job) {
  const key = job.images.map((i) => `${i.format}:${i.size}`).join(",");
  $("job-results").hidden = job.images.length === 0;
  if (key === shown.images) return;
  shown.images = key;
  $("job-images").replaceChildren(...job.images.map((image) => imageCard(job, image)));
}

function imageCard(job, image) {
  const name = `productshot-${job.jobId.slice(0, 8)}-${image.format}.${EXT[image.contentType] || "bin"}`;
  const img = el("img", { alt: `${image.format} image of ${(job.product || {}).name || "the product"}`,
    width: image.width, height: image.height });
  api.image(job.jobId, image.format).then((blob) => {
    const url = URL.createObjectURL(blob);
    blobs.push(url);
    img.src = url;
  }).catch((e) => showAlert(e instanceof ApiError ? e.words() : String(e)));
  return el("figure", { class: "image" }, img,
    el("figcaption", { text: `${image.format} · ${image.width}×${image.height} · ${Math.round(image.size / 1024)} kB` }),
    el("div", { class: "actions" },
      el("button", { type: "button", "data-download": image.format, onclick: async () => {
        try { saveBlob(await api.image(job.jobId, image.format), name); } catch (e) { showAlert(e.words ? e.words() : String(e)); }
      } }, `Download ${image.format}`),
      el("button", { type: "button", onclick: () => copyLink(job.jobId, image.format) }, `Copy link (${image.format})`)));
}

async function copyLink(id, format) {
  try {
    const fresh = await api.job(id); // a new presigned link, valid from now
    const image = fresh.images.find((i) => i.format === format);
    await navigator.clipboard.writeText(image.url);
    $("copied").textContent = `Link to the ${format} image copied; it works until ${new Date(image.urlExpiresAt).toLocaleString()}.`;
  } catch (e) {
    $("copied").textContent = `Could not copy the link: ${e.message || e}`;
  }
}

export async function downloadAll() {
  try { saveBlob(await api.zip(shown.id), `productshot-${shown.id.slice(0, 8)}.zip`); }
  catch (e) { showAlert(e.words ? e.words() : String(e)); }
}

export async function submitReview(event) {
  event.preventDefault();
  const { answer, problems } = reviewAnswer();
  if (problems.length) { showAlert(problems); return; }
  try {
    await api.review(shown.id, answer);
    $("review-form").hidden = true;
    openJob(shown.id); // the stream ended? follow again from the job as it is now
  } catch (e) { showAlert(e instanceof ApiError ? e.words() : String(e)); }
}

let retrying = false;

export async function retryJob() {
  if (retrying) return; // a second press while the first is on its way would only be refused
  retrying = true;
  try {
    await api.retry(shown.id);
    openJob(shown.id);
    $("job-status").focus(); // the pressed button is hidden now: keep the keyboard's place on the page
  } catch (e) {
    showAlert(e.words ? e.words() : String(e));
    // Retried meanwhile (another tab) or failed again: show the job as it is now, not as it was.
    if (e.status === 409 || e.status === 503) openJob(shown.id);
  } finally {
    retrying = false;
  }
}

export async function deleteJob() {
  if (!window.confirm("Delete this job and its images?")) return;
  try { await api.remove(shown.id); leaveJob(); window.location.hash = "#/"; }
  catch (e) { showAlert(e.words ? e.words() : String(e)); }
}
