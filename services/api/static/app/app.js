// The web app's entry: sign-in, routing by location hash, the home lists and the new-image form.
import { api, ApiError, session } from "./api.js";
import { openBatch, leaveBatch, renderBatches } from "./batches.js";
import { $, clearAlert, el, showAlert, when } from "./dom.js";
import { deleteJob, downloadAll, leaveJob, openJob, retryJob, submitReview } from "./job.js";

const VIEWS = ["signin", "home", "new", "job", "batch"];
const OVERLAY = ["name", "price", "offer", "brand"];

function show(view) {
  for (const name of VIEWS) $(`view-${name}`).hidden = name !== view;
  $("nav").hidden = view === "signin";
  const heading = document.querySelector(`#view-${view} h1`);
  document.title = `${heading ? heading.textContent : "Productshot"} · Productshot`;
}

function words(error) {
  return error instanceof ApiError ? error.words() : [String(error.message || error)];
}

async function route() {
  clearAlert();
  leaveJob();
  leaveBatch();
  if (!session.get()) { show("signin"); $("api-key").focus(); return; }
  const [, view, id] = (window.location.hash || "#/").split("/");
  if (view === "jobs" && id) { show("job"); openJob(decodeURIComponent(id)); }
  else if (view === "batches" && id) { show("batch"); openBatch(decodeURIComponent(id)); }
  else if (view === "new") { show("new"); }
  else { show("home"); loadHome(); }
  $("main").focus({ preventScroll: true });
}

async function loadHome() {
  try {
    const page = await api.jobs(20);
    $("jobs-empty").hidden = page.items.length > 0;
    $("jobs-rows").replaceChildren(...page.items.map((job) => el("tr", {},
      el("td", {}, el("a", { href: `#/jobs/${job.jobId}` },
        (job.product && job.product.name) || job.productUrl || job.jobId)),
      el("td", { text: job.status }),
      el("td", { text: when(job.createdAt) }))));
  } catch (e) {
    if (e.status === 401) { session.clear(); route(); showAlert(words(e)); return; }
    showAlert(words(e));
  }
  renderBatches();
}

async function signIn(event) {
  event.preventDefault();
  const key = $("api-key").value.trim();
  if (!key) { showAlert("Type your API key."); return; }
  session.set(key);
  try {
    await api.jobs(1);
    $("api-key").value = "";
    window.location.hash = "#/";
    route();
  } catch (e) {
    session.clear();
    showAlert(words(e));
  }
}

function overlayFields() {
  const box = $("overlay-fields");
  box.replaceChildren(...OVERLAY.map((part) => el("div", { class: "row overlay" },
    el("div", {}, el("label", { for: `ov-${part}` }, `Print instead of the ${part}`),
      el("input", { type: "text", id: `ov-${part}`, maxlength: "200" })),
    el("label", { class: "choice" }, el("input", { type: "checkbox", id: `ov-${part}-hide` }), ` Hide the ${part}`))));
}

function jobBody(form) {
  const data = new FormData(form);
  const body = {
    formats: data.getAll("formats"),
    output: data.get("output"),
    style: data.get("style"),
    onUncertain: data.get("onUncertain"),
  };
  if (data.get("source") === "url") body.productUrl = String(data.get("productUrl") || "").trim();
  else {
    const product = {};
    for (const name of ["name", "price", "currency", "regularPrice", "offer", "brand", "imageUrl"]) {
      const value = String(data.get(name) || "").trim();
      if (value) product[name] = name === "currency" ? value.toUpperCase() : value;
    }
    body.product = product;
  }
  const overlay = {};
  for (const part of OVERLAY) {
    const text = $(`ov-${part}`).value.trim();
    if ($(`ov-${part}-hide`).checked) overlay[part] = { hide: true };
    else if (text) overlay[part] = { text };
  }
  if (Object.keys(overlay).length) body.overlay = overlay;
  return body;
}

async function submitJob(event) {
  event.preventDefault();
  clearAlert();
  const button = event.submitter || event.target.querySelector("button[type=submit]");
  button.disabled = true;
  try {
    const job = await api.create(jobBody(event.target));
    window.location.hash = `#/jobs/${job.jobId}`;
  } catch (e) {
    showAlert(words(e));
  } finally {
    button.disabled = false;
  }
}

function toggleSource() {
  const facts = document.querySelector("input[name=source]:checked").value === "facts";
  $("source-url").hidden = facts;
  $("source-facts").hidden = !facts;
}

document.addEventListener("DOMContentLoaded", () => {
  overlayFields();
  $("signin-form").addEventListener("submit", signIn);
  $("new-form").addEventListener("submit", submitJob);
  for (const radio of document.querySelectorAll("input[name=source]")) radio.addEventListener("change", toggleSource);
  $("review-form").addEventListener("submit", submitReview);
  $("download-all").addEventListener("click", downloadAll);
  $("retry").addEventListener("click", retryJob);
  $("delete").addEventListener("click", deleteJob);
  $("sign-out").addEventListener("click", () => { session.clear(); window.location.hash = "#/"; route(); });
  window.addEventListener("hashchange", route);
  route();
});
