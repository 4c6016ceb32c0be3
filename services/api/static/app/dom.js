// Small DOM helpers: elements are built with textContent only (never innerHTML with data).
export const $ = (id) => document.getElementById(id);

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    if (name === "text") node.textContent = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

export function showAlert(lines) {
  const box = $("alert");
  box.replaceChildren(...[].concat(lines).map((line) => el("p", { text: line })));
  box.hidden = false;
}

export function clearAlert() {
  const box = $("alert");
  box.hidden = true;
  box.replaceChildren();
}

export function when(iso) {
  return iso ? new Date(iso).toLocaleString() : "";
}

export function saveBlob(blob, name) {
  const url = URL.createObjectURL(blob);
  const link = el("a", { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
