// The file view of the review: render both texts with their spans, edit by offsets, keyboard shortcuts.
// Plain JavaScript, no library. Requests carry offsets only, never text.
"use strict";

(function () {
  const original = document.getElementById("original");
  if (!original) return;
  const pseudo = document.getElementById("pseudo");
  const fid = original.dataset.fid;
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const message = document.getElementById("message");
  let view = null;
  let current = -1;

  function say(text, bad) {
    message.textContent = text;
    message.className = "message" + (bad ? " bad" : "");
  }

  // Build a <pre> from text and non-overlapping spans; every piece carries its offset in data-s.
  function fill(pre, text, spans, ids) {
    const frag = document.createDocumentFragment();
    let pos = 0;
    spans.forEach(function (s, i) {
      if (s.start > pos) frag.appendChild(piece(text.slice(pos, s.start), pos));
      const m = piece(text.slice(s.start, s.end), s.start, "mark");
      m.className = "t-" + s.type + (s.origin === "added" ? " added" : "") + (s.accepted ? " accepted" : "");
      m.dataset.i = String(i);
      m.title = s.type + (s.origin === "added" ? " (toegevoegd)" : "");
      if (ids) m.id = ids + i;
      frag.appendChild(m);
      pos = s.end;
    });
    if (pos < text.length) frag.appendChild(piece(text.slice(pos), pos));
    pre.replaceChildren(frag);
  }

  function piece(text, start, tag) {
    const el = document.createElement(tag || "span");
    el.dataset.s = String(start);
    el.textContent = text;
    return el;
  }

  function render(v) {
    const t0 = performance.now();
    view = v;
    fill(original, v.original, v.spans, "o");
    fill(pseudo, v.pseudonymised, v.replaced.map(function (r, i) {
      return {start: r.start, end: r.end, type: r.type, origin: v.spans[i] ? v.spans[i].origin : "model"};
    }), "p");
    const status = document.getElementById("status");
    status.textContent = v.status_name + (v.reason ? ": " + v.reason : "");
    status.className = "badge s-" + v.status;
    const counts = {};
    v.spans.forEach(function (s) { counts[s.type] = (counts[s.type] || 0) + 1; });
    document.getElementById("counts").textContent = Object.keys(counts).sort().map(function (k) {
      return k + " " + counts[k];
    }).join(" · ") + (v.doubts.length ? "  |  twijfels: " + v.doubts.join("; ") : "");
    if (v.warning) say("Let op: " + v.warning, true);
    if (current >= v.spans.length) current = v.spans.length - 1;
    focus(current, false);
    document.body.dataset.renderMs = String(Math.round(performance.now() - t0));
  }

  function focus(i, scroll) {
    document.querySelectorAll("mark.current").forEach(function (m) { m.classList.remove("current"); });
    current = i;
    const label = document.getElementById("current");
    if (!view || i < 0 || i >= view.spans.length) { label.textContent = "—"; return; }
    const s = view.spans[i];
    const a = document.getElementById("o" + i);
    const b = document.getElementById("p" + i);
    [a, b].forEach(function (m) { if (m) m.classList.add("current"); });
    label.textContent = s.type + " " + (i + 1) + "/" + view.spans.length;
    document.getElementById("retype").value = s.type;
    if (scroll && a) a.scrollIntoView({block: "center"});
    if (scroll && b) b.scrollIntoView({block: "center"});
  }

  async function post(action, body) {
    const t0 = performance.now();
    const resp = await fetch("/api/f/" + fid + "/" + action, {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRF-Token": csrf},
      body: JSON.stringify(body),
    });
    const data = await resp.json();
    if (!resp.ok) { say(data.error || "mislukt", true); return null; }
    say("");
    render(data);
    document.body.dataset.editMs = String(Math.round(performance.now() - t0));
    return data;
  }

  // The selection in the original pane as offsets into the text.
  function selectionOffsets() {
    const sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
    const r = sel.getRangeAt(0);
    const start = offsetOf(r.startContainer, r.startOffset);
    const end = offsetOf(r.endContainer, r.endOffset);
    if (start === null || end === null || end <= start) return null;
    return {start: start, end: end};
  }

  function offsetOf(node, off) {
    if (!original.contains(node)) return null;
    if (node.nodeType === Node.TEXT_NODE) return Number(node.parentElement.dataset.s) + off;
    const child = node.childNodes[off];
    if (child && child.dataset) return Number(child.dataset.s);
    return view.original.length;
  }

  async function add() {
    const o = selectionOffsets();
    if (!o) { say("Selecteer eerst tekst in het originele bestand.", true); return; }
    const data = await post("add", {start: o.start, end: o.end, type: document.getElementById("add-type").value,
                                    batch: document.getElementById("add-batch").checked});
    if (data) { window.getSelection().removeAllRanges(); say(data.count + " vindplaats(en) toegevoegd."); }
  }

  function span() { return view && current >= 0 ? view.spans[current] : null; }

  async function onSpan(action, extra) {
    const s = span();
    if (!s) { say("Kies eerst een markering (n).", true); return; }
    const keep = current;
    const data = await post(action, Object.assign({start: s.start, end: s.end}, extra || {}));
    if (data && action === "accept") focus(Math.min(keep + 1, data.spans.length - 1), true);
    else if (data) say(data.count + " markering(en) aangepast.");
  }

  async function setStatus(status) {
    const data = await post("status", {status: status, reason: document.getElementById("reason").value});
    if (data) say(status === "approved" ? "Bestand goedgekeurd." : "Bestand achtergehouden.");
  }

  document.getElementById("add-btn").addEventListener("click", add);
  document.getElementById("accept-btn").addEventListener("click", function () { onSpan("accept"); });
  document.getElementById("remove-btn").addEventListener("click", function () { onSpan("remove"); });
  document.getElementById("retype-btn").addEventListener("click", function () {
    onSpan("retype", {type: document.getElementById("retype").value});
  });
  document.getElementById("approve-btn").addEventListener("click", function () { setStatus("approved"); });
  document.getElementById("withhold-btn").addEventListener("click", function () { setStatus("withheld"); });
  [original, pseudo].forEach(function (pre) {
    pre.addEventListener("click", function (ev) {
      const m = ev.target.closest("mark");
      if (m && window.getSelection().isCollapsed) focus(Number(m.dataset.i), true);
    });
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.target.matches("input, select, textarea") || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const n = view ? view.spans.length : 0;
    if (ev.key === "n" || ev.key === "j") focus(n ? (current + 1) % n : -1, true);
    else if (ev.key === "p" || ev.key === "k") focus(n ? (current - 1 + n) % n : -1, true);
    else if (ev.key === "y" || ev.key === "Enter") onSpan("accept");
    else if (ev.key === "x" || ev.key === "Delete") onSpan("remove");
    else if (ev.key === "t") onSpan("retype", {type: document.getElementById("retype").value});
    else if (ev.key === "a") add();
    else if (ev.key === "A") setStatus("approved");
    else return;
    ev.preventDefault();
  });

  fetch("/api/f/" + fid, {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (v) {
    render(v);
    document.body.dataset.ready = "1";
  });
})();
