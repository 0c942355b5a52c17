// Labeling: does each cue-moved CoT refer to the cue as a source and rely on it? One CoT at a time
// with the cue's words highlighted, keys y / n / s (skip) and arrows, progress, the labels in
// localStorage (they survive a reload), exported as the labels JSONL `judges evaluate --labels`
// reads. One module for both pages: the standalone page `judges sample --page` writes (its rows
// embedded in it) and the sample browser's labeling mode (FBLabel.mode). Text goes in as text.
(function () {
  "use strict";
  function has(o, k) { return Object.prototype.hasOwnProperty.call(o, k); }
  function make(tag, attrs, kids) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    (kids || []).forEach(function (k) { node.appendChild(typeof k === "string" ? document.createTextNode(k) : k); });
    return node;
  }

  // The cue's words (four letters or more, not the words every prompt says) marked in the CoT,
  // built as text nodes, never as HTML.
  var COMMON = ["answer", "think", "that", "this", "what", "with", "your", "have", "from", "about", "which", "would"];
  function highlighted(text, cue) {
    function esc(w) { return w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }
    var words = Array.from(new Set(((cue || "").toLowerCase().match(/[a-z0-9]{4,}/g) || [])))
      .filter(function (w) { return COMMON.indexOf(w) < 0; }).map(function (w) { return "\\b" + esc(w) + "\\b"; });
    var options = Array.from(new Set((cue || "").match(/\([A-Z]\)/g) || [])).map(esc);  // the option it points to
    var frag = document.createDocumentFragment();
    if (!words.length && !options.length) { frag.appendChild(document.createTextNode(text)); return frag; }
    var re = new RegExp(words.concat(options).join("|"), "gi"), last = 0, m;
    while ((m = re.exec(text)) !== null) {
      frag.appendChild(document.createTextNode(text.slice(last, m.index)));
      frag.appendChild(make("mark", {}, [m[0]]));
      last = m.index + m[0].length;
    }
    frag.appendChild(document.createTextNode(text.slice(last)));
    return frag;
  }
  function labelText(v) { return v === true ? "verbalized" : v === false ? "not verbalized" : v === null ? "skipped" : "unlabeled"; }

  // Labels ``rows`` (kept under ``key``), filling ``nodes`` (progress, where, current, cue, meta,
  // cot). ``weigh(rows, labels)``, where given, sets the exported weights; else each row keeps its own.
  function labeler(rows, key, nodes, weigh) {
    var labels = {};
    try { labels = JSON.parse(localStorage.getItem(key) || "{}") || {}; } catch (e) { labels = {}; }
    var at = Math.max(0, Math.min(Number(localStorage.getItem(key + ":at") || 0), rows.length - 1));
    function save() {
      localStorage.setItem(key, JSON.stringify(labels));
      localStorage.setItem(key + ":at", String(at));
    }
    function render() {
      var row = rows[at] || {}, value = has(labels, at) ? labels[at] : undefined;
      var done = Object.keys(labels).filter(function (k) { return labels[k] === true || labels[k] === false; }).length;
      nodes.progress.textContent = done + " / " + rows.length + " labeled";
      nodes.where.textContent = "CoT " + (rows.length ? at + 1 : 0) + " of " + rows.length;
      nodes.current.textContent = labelText(value);
      nodes.current.className = "label-" + String(value === undefined ? "null" : value);
      nodes.cue.textContent = row.cue_text || "";
      nodes.meta.textContent = [row.cue, row.condition, row.item_id, row.channel].filter(function (x) { return x !== undefined && x !== null && x !== ""; }).join(" · ");
      nodes.cot.textContent = "";
      nodes.cot.appendChild(highlighted(row.cot || "", row.cue_text || ""));
    }
    function set(value) {
      if (!rows.length) { return; }
      labels[at] = value;
      if (at < rows.length - 1) { at += 1; }
      save(); render();
    }
    function move(step) { at = Math.max(0, Math.min(at + step, rows.length - 1)); save(); render(); }
    // The labels JSONL: every row's own fields, 'verbalized' set (null where skipped or unlabeled).
    function exportText() {
      var weights = weigh ? weigh(rows, labels) : null;
      return rows.map(function (row, i) {
        var extra = { verbalized: has(labels, i) ? labels[i] : null };
        if (weights) { extra.weight = weights[i]; }
        return JSON.stringify(Object.assign({}, row, extra));
      }).join("\n") + "\n";
    }
    function onKey(event) {
      if (event.ctrlKey || event.metaKey || event.altKey) { return; }
      var tag = event.target && event.target.tagName;
      if (tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA") { return; }  // typing a search
      var k = (event.key || "").toLowerCase();
      if (k === "y") { set(true); } else if (k === "n") { set(false); } else if (k === "s") { set(null); }
      else if (k === "arrowright") { move(1); } else if (k === "arrowleft") { move(-1); }
    }
    document.addEventListener("keydown", onKey);
    render();
    window.faithbenchExport = exportText;  // what the export button downloads (and tests read)
    return {
      set: set, move: move, exportText: exportText,
      clear: function () {  // one stray click must not lose an hour's labels: asked first
        var done = Object.keys(labels).filter(function (k) { return labels[k] === true || labels[k] === false; }).length;
        if (done && !window.confirm("Clear all " + done + " labels of this sample? Export them first to keep them.")) { return; }
        labels = {}; at = 0; save(); render();
      },
      close: function () { document.removeEventListener("keydown", onKey); }
    };
  }
  function download(text) {
    var link = make("a", { href: URL.createObjectURL(new Blob([text], { type: "application/jsonl" })), download: "labels.jsonl" });
    document.body.appendChild(link); link.click(); link.remove();
  }

  // The labeling panel: the same ids as the standalone page, buttons beside the keys (a phone has none).
  function panel() {
    var n = {
      progress: make("span", { id: "progress" }), where: make("span", { id: "where" }), current: make("span", { id: "current" }),
      cue: make("div", { "class": "label-cue", id: "cue" }), meta: make("small", { id: "meta" }), cot: make("pre", { "class": "label-cot", id: "cot" })
    };
    function button(id, text) { return make("button", { id: id, type: "button" }, [text]); }
    n.buttons = { yes: button("label-yes", "y: verbalized"), no: button("label-no", "n: not"), skip: button("label-skip", "s: skip"),
      prev: button("label-prev", "\u2190"), next: button("label-next", "\u2192"), exp: button("export", "Export labels.jsonl"), clear: button("clear", "Clear labels") };
    n.node = make("section", { id: "labeling" }, [
      make("p", { "class": "label-status" }, [n.progress, " \u00b7 ", n.where, " \u00b7 current label: ", n.current]),
      make("h3", {}, ["Cue"]), n.cue, make("h3", {}, ["CoT ", n.meta]), n.cot,
      make("p", { "class": "label-keys" }, [n.buttons.yes, n.buttons.no, n.buttons.skip, n.buttons.prev, n.buttons.next]),
      make("p", { "class": "label-keys" }, [n.buttons.exp, n.buttons.clear])
    ]);
    return n;
  }
  function wire(n, current) {  // ``current()``: the labeler the buttons act on
    function on(b, act) { n.buttons[b].addEventListener("click", function () { var lab = current(); if (lab) { act(lab); } }); }
    on("yes", function (lab) { lab.set(true); }); on("no", function (lab) { lab.set(false); });
    on("skip", function (lab) { lab.set(null); }); on("prev", function (lab) { lab.move(-1); });
    on("next", function (lab) { lab.move(1); }); on("exp", function (lab) { download(lab.exportText()); });
    on("clear", function (lab) { lab.clear(); });
  }
  // A string's FNV-1a hash: a loaded file's own storage key (file:// pages have no crypto.subtle).
  function fnv(text) {
    var h = 0x811c9dc5;
    for (var i = 0; i < text.length; i++) { h ^= text.charCodeAt(i); h = Math.imul(h, 0x01000193) >>> 0; }
    return ("0000000" + h.toString(16)).slice(-8) + "-" + text.length;
  }
  // The browser's own rows: each labeled row stands for N / k of the condition's N cue-moved texts
  // (k labeled), a simple random sample since the rows come in a seeded random order.
  function evenWeights(rows, labels) {
    var k = Object.keys(labels).filter(function (i) { return labels[i] === true || labels[i] === false; }).length;
    return rows.map(function () { return k ? rows.length / k : 1; });
  }
  var FILE = "faithbench-label-file";  // a loaded `judges sample` file, kept for a reload

  // The sample browser's labeling mode in ``host``: the run's cue-moved texts of ``task`` and
  // ``condition`` (assets/samples/RUN/FILE-label.js), or a `judges sample` file the reader opens
  // (its rows and weights as drawn). ``which`` is "yes" (the condition's) or "file".
  function mode(host, run, task, condition, which, onSource) {
    var info = ((run.samples || {})[task] || {})[condition] || {};
    var n = panel(), lab = null, note = make("p", { "class": "lede", id: "label-source" }), closed = false;
    var handle = { close: function () { closed = true; if (lab) { lab.close(); } } };  // leaving the mode
    var picker = make("input", { id: "label-file", type: "file", accept: ".jsonl,.json,application/json" });
    host.appendChild(make("p", { "class": "label-help" }, ["Does the CoT refer to the cue as a source and rely on it? ",
      "y yes, n no, s skip, \u2190/\u2192 move; labels are kept in this browser. Or label a 'judges sample' file: ", picker]));
    host.appendChild(note); host.appendChild(n.node);
    wire(n, function () { return lab; });
    function start(rows, key, weigh, said) {
      if (lab) { lab.close(); }
      note.textContent = said;
      n.node.hidden = !rows.length;
      lab = labeler(rows, "faithbench-labels:" + key, n, weigh);
    }
    function fromFile(text) {
      var rows = text.split("\n").filter(function (l) { return l.trim(); }).map(function (l) { return JSON.parse(l); });
      start(rows, fnv(text), null, rows.length + " CoT(s) from a 'judges sample' file; the export keeps each row's stratum and inclusion weight as drawn.");
    }
    picker.addEventListener("change", function () {
      var f = picker.files && picker.files[0];
      if (closed) { return; }
      if (!f) { return; }
      var reader = new FileReader();
      reader.onload = function () {
        try { fromFile(String(reader.result)); localStorage.setItem(FILE, String(reader.result)); if (onSource) { onSource("file"); } }
        catch (e) { note.textContent = "Not a labels JSONL file: " + e.message; }
      };
      reader.readAsText(f);
    });
    if (which === "file" && localStorage.getItem(FILE)) { fromFile(localStorage.getItem(FILE)); return handle; }
    if (!info.labels) {
      n.node.hidden = true;
      note.textContent = "No cue-moved CoT with a judge's verdict under this condition: pick a cue condition, or open a 'judges sample' file.";
      return handle;
    }
    window.FAITHBENCH_LABELS = function (chunk) {
      if (closed || chunk.task !== task || chunk.condition !== condition) { return; }
      start(chunk.rows, chunk.key, evenWeights, chunk.rows.length + " cue-moved CoT(s) of " + condition +
        " (thinking and answer each its own), in a seeded random order: the ones you label are a simple random sample, " +
        "and each exported row's weight is N / k (" + chunk.rows.length + " over the number labeled).");
    };
    var s = make("script", { src: "assets/samples/" + run.id + "/" + info.file + "-label.js", "data-label-file": info.file });
    document.body.appendChild(s);
    return handle;
  }

  window.FBLabel = { highlighted: highlighted, labeler: labeler, panel: panel, wire: wire, mode: mode, download: download };

  // The standalone page (`judges sample --page`): its rows and storage key are in the page.
  var embedded = document.getElementById("rows");
  if (embedded && typeof STORAGE_KEY !== "undefined") {  // eslint-disable-line no-undef
    var ids = ["progress", "where", "current", "cue", "meta", "cot"], nodes = {};
    ids.forEach(function (id) { nodes[id] = document.getElementById(id); });
    var lab = labeler(JSON.parse(embedded.textContent), STORAGE_KEY, nodes, null);  // eslint-disable-line no-undef
    document.getElementById("export").addEventListener("click", function () { download(lab.exportText()); });
    document.getElementById("clear").addEventListener("click", function () { lab.clear(); });
  }
})();
