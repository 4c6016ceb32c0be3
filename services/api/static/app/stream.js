// A job's server-sent events read with fetch() (EventSource cannot send the Authorization
// header, and the key never goes into a URL). Reconnects after a drop, with a growing pause;
// every connection starts with the job as it is now, so nothing is missed in between.
import { headers } from "./api.js";

function parse(block) {
  const event = { type: "message", data: "", retry: null };
  for (const line of block.split("\n")) {
    if (!line || line.startsWith(":")) continue;
    const at = line.indexOf(":");
    const field = at < 0 ? line : line.slice(0, at);
    const value = at < 0 ? "" : line.slice(at + 1).replace(/^ /, "");
    if (field === "event") event.type = value;
    else if (field === "data") event.data += (event.data ? "\n" : "") + value;
    else if (field === "retry") event.retry = Number(value);
  }
  return event;
}

// onEvent(type, data) for every event; returns stop().
export function follow(path, onEvent, onTrouble) {
  const control = new AbortController();
  let pause = 2000;
  let finished = false;

  async function connect() {
    const resp = await fetch(path, { headers: headers({ Accept: "text/event-stream" }),
      signal: control.signal, cache: "no-store", credentials: "omit" });
    if (!resp.ok) {
      let problem = {};
      try { problem = await resp.json(); } catch { /* not a problem body */ }
      const error = new Error(problem.detail || `The API answered ${resp.status}.`);
      error.permanent = resp.status === 404 || resp.status === 401;
      throw error;
    }
    const reader = resp.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value.replace(/\r\n?/g, "\n");
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const event = parse(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
        if (event.retry) pause = event.retry;
        if (event.data) {
          const data = JSON.parse(event.data);
          if (onEvent(event.type, data) === false) { finished = true; return; }
        }
      }
    }
  }

  (async () => {
    let wait = pause;
    while (!finished && !control.signal.aborted) {
      try {
        await connect();
        wait = pause; // a clean end (the server's time limit): reconnect soon
      } catch (error) {
        if (control.signal.aborted) return;
        if (error.permanent) { onTrouble(error.message, true); return; }
        onTrouble(`Connection lost; reconnecting… (${error.message})`, false);
        wait = Math.min(wait * 2, 30000);
      }
      if (!finished) await new Promise((r) => setTimeout(r, wait));
    }
  })();
  return () => control.abort();
}
