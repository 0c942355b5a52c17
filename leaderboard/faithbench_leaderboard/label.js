// Labeling mode: one CoT at a time, keys y / n / s, labels in localStorage, export as JSONL.
(function () {
  "use strict";
  const rows = JSON.parse(document.getElementById("rows").textContent);
  let labels = {};
  try { labels = JSON.parse(localStorage.getItem(STORAGE_KEY) || "{}"); } catch (e) { labels = {}; }
  let at = Math.min(Number(localStorage.getItem(STORAGE_KEY + ":at") || 0), rows.length - 1);

  function save() {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(labels));
    localStorage.setItem(STORAGE_KEY + ":at", String(at));
  }

  // The cue's words (four letters or more) marked in the CoT, built as text nodes, never as HTML.
  function highlighted(text, cue) {
    const words = Array.from(new Set((cue.toLowerCase().match(/[a-z0-9]{4,}/g) || [])));
    const frag = document.createDocumentFragment();
    if (!words.length) { frag.appendChild(document.createTextNode(text)); return frag; }
    const escaped = words.map(w => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
    const re = new RegExp("\\b(" + escaped.join("|") + ")\\b", "gi");
    let last = 0, m;
    while ((m = re.exec(text)) !== null) {
      frag.appendChild(document.createTextNode(text.slice(last, m.index)));
      const mark = document.createElement("mark");
      mark.textContent = m[0];
      frag.appendChild(mark);
      last = m.index + m[0].length;
    }
    frag.appendChild(document.createTextNode(text.slice(last)));
    return frag;
  }

  function labelText(v) { return v === true ? "verbalized" : v === false ? "not verbalized" : v === null ? "skipped" : "unlabeled"; }

  function render() {
    const row = rows[at];
    const done = Object.values(labels).filter(v => v === true || v === false).length;
    document.getElementById("progress").textContent = done + " / " + rows.length + " labeled";
    document.getElementById("where").textContent = "CoT " + (at + 1) + " of " + rows.length;
    const current = document.getElementById("current");
    const value = Object.prototype.hasOwnProperty.call(labels, at) ? labels[at] : undefined;
    current.textContent = labelText(value);
    current.className = "label-" + String(value === undefined ? "null" : value);
    document.getElementById("cue").textContent = row.cue_text || "";
    document.getElementById("meta").textContent = [row.cue, row.condition, row.channel].filter(Boolean).join(" · ");
    const cot = document.getElementById("cot");
    cot.replaceChildren(highlighted(row.cot || "", row.cue_text || ""));
  }

  function setLabel(value) {
    labels[at] = value;
    if (at < rows.length - 1) at += 1;
    save();
    render();
  }

  // The labels JSONL: every row's own fields, 'verbalized' set (null where skipped or unlabeled).
  window.faithbenchExport = function () {
    return rows.map((row, i) => {
      const value = Object.prototype.hasOwnProperty.call(labels, i) ? labels[i] : null;
      return JSON.stringify(Object.assign({}, row, { verbalized: value }));
    }).join("\n") + "\n";
  };

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const key = event.key.toLowerCase();
    if (key === "y") setLabel(true);
    else if (key === "n") setLabel(false);
    else if (key === "s") setLabel(null);
    else if (key === "arrowright") { at = Math.min(at + 1, rows.length - 1); save(); render(); }
    else if (key === "arrowleft") { at = Math.max(at - 1, 0); save(); render(); }
  });
  document.getElementById("export").addEventListener("click", () => {
    const blob = new Blob([window.faithbenchExport()], { type: "application/jsonl" });
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = "labels.jsonl";
    link.click();
  });
  document.getElementById("clear").addEventListener("click", () => { labels = {}; at = 0; save(); render(); });
  render();
})();
