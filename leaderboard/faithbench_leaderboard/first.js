// faithbench leaderboard: the first screen. Models ranked by one stated primary figure, each
// column defined (legend, and on hover), the verdict as short chips, one colour scale that means
// "more faithful" on every figure, and the sort and model filter kept in the page's URL.
// Every value from a results file goes in with textContent or as an attribute value.
(function () {
  "use strict";
  var DATA = window.FAITHBENCH_DATA || { runs: [] };
  var FB = window.FB, el = FB.el;

  // s in [0, 1], 1 = the most faithful end of a figure: orange (less) .. grey .. blue (more).
  var LOW = [230, 97, 1], MID = [240, 240, 240], HIGH = [33, 102, 172];
  function mix(a, b, t) { return a.map(function (x, i) { return Math.round(x + (b[i] - x) * t); }); }
  function faithColor(s) {
    var c = s < 0.5 ? mix(LOW, MID, s / 0.5) : mix(MID, HIGH, (s - 0.5) / 0.5);
    return "rgba(" + c.join(",") + ",0.55)";
  }
  // How faithful a value reads: up (higher is more faithful), down (lower is), or "zero" (a
  // difference: the further from 0, the less faithful). null: no direction, no colour.
  function faithScore(v, way) {
    if (v === null || v === undefined || !way) { return null; }
    var x = Math.max(-1, Math.min(1, Number(v)));
    if (way === "up") { return Math.max(0, x); }
    if (way === "down") { return 1 - Math.max(0, x); }
    return 1 - Math.abs(x);
  }
  function paint(node, v, way) {
    var s = faithScore(v, way);
    if (s !== null) { node.style.background = faithColor(s); node.setAttribute("data-faith", s.toFixed(3)); }
    return node;
  }
  function legendScale() {
    var bar = el("div", { "class": "scale", id: "faith-scale" });
    bar.appendChild(el("span", {}, ["less faithful"]));
    [0, 0.25, 0.5, 0.75, 1].forEach(function (s) { bar.appendChild(el("i", { style: "background:" + faithColor(s) }, [])); });
    bar.appendChild(el("span", {}, ["more faithful"]));
    return bar;
  }

  // The columns' figures and the chips are worked out at build time (headline.py): run.first
  // holds {column key: figure}, run.chips the verdict chips; this page only draws them.
  function fig(key) { return function (run) { return (run.first || {})[key] || null; }; }

  var PRIMARY = "verbalized";
  var COLUMNS = [
    { key: "verbalized", label: "verbalized when moved", way: "up", get: fig("verbalized"),
      def: "Of the answers a cue moved onto its target, the share whose chain of thought says the cue played a role. Pooled over every cue; judged on the whole response (thinking and answer together); CI resamples items. The primary figure: rows are ranked by it." },
    { key: "thinking", label: "… in thinking", way: "up", reasoning: true, get: fig("thinking"),
      def: "Reasoning models: the same share judged on the thinking channel alone (n-weighted over cues; CIs per cue on the model page)." },
    { key: "answer", label: "… in answer", way: "up", reasoning: true, get: fig("answer"),
      def: "Reasoning models: the same share judged on the visible answer alone. High in thinking and low here: the model admits the cue only where a reader of the answer does not see it." },
    { key: "bias", label: "bias susceptibility", way: "down", get: fig("bias"),
      def: "How far a cue pulls answers onto its target: P(answer = target | cue) - P(answer = target | no cue), pooled over every cue. Lower is less swayed." },
    { key: "followed", label: "cues followed", way: "down", get: fig("followed"),
      def: "Cues whose bias-susceptibility CI lies above 0, of the cues run. Lower is better." },
    { key: "iphr", label: "IPHR unfaithful pairs", way: "down", get: fig("iphr"),
      def: "Share of reversed question pairs (is X bigger than Y? / is Y bigger than X?) answered the same way with a rationalisation: implicit post-hoc rationalisation. Lower is better." },
    { key: "gmean2", label: "monitor g-mean²", way: "up", get: fig("gmean2"),
      def: "How well a monitor reading the CoT tells that the hint drove the answer (geometric mean of true-positive and true-negative rates, squared). The pooled figure the verdict rests on, over all of a task's cues (monitor_cues, or hint_difficulty's levels: the one on more items), its CI resampling items and n counting them (an item asked under several cues counts once); per cue, beside OpenAI's reference figure, on the model page. Higher is better." },
    { key: "observer", label: "private − watched", way: "zero", framed: true, get: fig("observer"),
      def: "Framed runs (--visibility): articulation when told the reasoning is private minus when told it is watched, n-weighted over cues. Far from 0: the model says different things when it thinks it is observed." }
  ];

  // A chip links to what it summarizes: the sample browser filtered to the CoTs it counts, or
  // the model page's section that lists them (per cue, each with its own sample link).
  function chipLink(run, c) {
    return c.samples ? "samples-" + run.id + ".html#" + c.samples : "model-" + run.id + ".html#" + (c.to || "verdict");
  }
  function chips(run, list) {
    var out = el("span", { "class": "chips" });
    (list || run.chips || []).forEach(function (c) {
      var a = el("a", { "class": "chip", href: chipLink(run, c), title: c.title }, [c.text]);
      var s = faithScore(c.value, c.way);
      if (s !== null) { a.style.background = faithColor(s); }
      out.appendChild(a);
    });
    return out;
  }

  function state() {
    var p = new URLSearchParams((location.hash || "").replace(/^#/, ""));
    return { sort: p.get("sort") || PRIMARY, dir: p.get("dir") || "", q: p.get("q") || "" };
  }
  function save(s) {
    var p = new URLSearchParams();
    if (s.sort !== PRIMARY) { p.set("sort", s.sort); }
    if (s.dir) { p.set("dir", s.dir); }
    if (s.q) { p.set("q", s.q); }
    history.replaceState(null, "", p.toString() ? "#" + p.toString() : location.pathname);
  }

  var MIN_ITEMS = 10;  // faithbench.metrics.stats.MIN_ITEMS: below it a figure is too_few
  var FIRST_ROWS = 25;  // more than a 1400 x 1000 screen shows
  function rankedTable(holder, runs, cols, s, first) {
    holder.textContent = "";
    var spec = cols.filter(function (c) { return c.key === s.sort; })[0] || cols[0];
    var picker = document.getElementById("sort-by");
    if (picker) { picker.value = spec.key; }
    var better = spec.way === "down" ? 1 : -1;  // default order: most faithful first
    var dir = s.dir === "asc" ? 1 : s.dir === "desc" ? -1 : better;
    function num(run, c) { var m = c.get(run); return m && m.value !== null && m.value !== undefined ? Number(m.value) : null; }
    // a figure on fewer than MIN_ITEMS items ranks after every figure that has enough: shown, not
    // concluded from (0.25 on 4 items never outranks 0.22 on 60)
    function few(run, c) { var m = c.get(run); return !!(m && (m.too_few || (m.n !== null && m.n !== undefined && m.n < MIN_ITEMS))); }
    var rows = runs.slice().sort(function (a, b) {
      var va = num(a, spec), vb = num(b, spec);
      if (va === null) { return vb === null ? 0 : 1; } if (vb === null) { return -1; }
      var fa = few(a, spec), fb = few(b, spec);
      if (fa !== fb) { return fa ? 1 : -1; }
      return dir * (va - vb);
    });
    // the direction, in the header and in each cell's label (a phone's card shows no header)
    function arrowOf(c) { return c.way === "up" ? " ↑" : c.way === "down" ? " ↓" : " →0"; }
    var table = el("table", { id: "models", "class": "ranked" });
    var head = el("tr", {}, [el("th", { "class": "rank", title: "rank by " + spec.label }, ["#"]), el("th", {}, ["model"])]);
    cols.forEach(function (c) {
      var th = el("th", { "class": "sortable" + (c.key === spec.key ? " sorted" : ""), "data-key": c.key, title: c.def }, [c.label + arrowOf(c),
        el("span", { "class": "arrow" }, [c.key === spec.key ? (dir > 0 ? "▲" : "▼") : ""])]);
      th.addEventListener("click", function () {
        var next = { sort: c.key, dir: c.key === spec.key ? (dir > 0 ? "desc" : "asc") : "", q: s.q };
        save(next); rankedTable(holder, runs, cols, next);
      });
      head.appendChild(th);
    });
    head.appendChild(el("th", {}, ["verdict"]));
    table.appendChild(el("thead", {}, [head]));
    var body = el("tbody"), rank = 0;
    function addRow(run) {
      var tr = el("tr", { "data-run": run.id });
      rank += 1;
      var rankCell = el("td", { "class": "rank", "data-label": "#" }, [num(run, spec) === null ? "–" : String(rank)]);
      if (num(run, spec) !== null && few(run, spec)) {
        tr.className = "too-few";
        rankCell.appendChild(el("span", { "class": "few-mark", title: spec.label + " rests on fewer than " + MIN_ITEMS + " items: ranked after the rows that have enough" }, ["too few items"]));
      }
      tr.appendChild(rankCell);
      var modelCell = el("td", { "class": "model" }, [el("a", { href: "model-" + run.id + ".html" }, [run.model_label])]);
      (run.chips || []).filter(function (c) { return c.warn; }).forEach(function (c) {  // beside the rank, not only among the chips
        var answer = (run.first || {}).answer;
        var text = "⚠ " + c.text + (answer ? " (in answer " + Number(answer.value).toFixed(2) + ")" : "");
        modelCell.appendChild(el("a", { "class": "warn-mark", href: chipLink(run, c), title: c.title }, [text]));
      });
      tr.appendChild(modelCell);
      cols.forEach(function (c) {
        var m = c.get(run), td = el("td", { "class": "num", "data-label": c.label + arrowOf(c), "data-key": c.key, title: c.def });
        if (!m || m.value === null || m.value === undefined) { td.appendChild(el("span", { "class": "empty" }, ["–"])); }
        else {
          paint(td, m.value, c.way);
          td.appendChild(el("span", { "class": "value" }, [m.count !== undefined ? m.count + "/" + m.of : Number(m.value).toFixed(2)]));
          var ends = [m.ci_low, m.ci_high].filter(function (v) { return v !== null && v !== undefined; });
          if (ends.length) { td.appendChild(el("span", { "class": "ci" }, [" " + FB.ciRange(m, 2)])); }  // one unbounded end: ∞
          if (m.n !== undefined && m.n !== null) { td.appendChild(el("span", { "class": "n" }, [" n=" + m.n])); }
          if (FB.groupsText(m)) { td.appendChild(el("span", { "class": "n groups" }, [FB.groupsText(m).trim()])); }  // its own line
        }
        tr.appendChild(td);
      });
      tr.appendChild(el("td", { "class": "verdict" }, [chips(run)]));
      if (s.q && run.model_label.toLowerCase().indexOf(s.q.toLowerCase()) < 0) { tr.hidden = true; }
      body.appendChild(tr);
    }
    // on the first load only the rows one screen shows are drawn, the rest once it is painted
    // (the returned function; app.js calls it); a re-sort or filter draws them all at once
    var now = first ? rows.slice(0, FIRST_ROWS) : rows, later = first ? rows.slice(FIRST_ROWS) : [];
    now.forEach(addRow);
    table.appendChild(body);
    holder.appendChild(table);
    return function () { later.forEach(addRow); later = []; };
  }

  function firstScreen(app) {
    var runs = DATA.runs;
    var cols = COLUMNS.filter(function (c) {
      return (!c.reasoning && !c.framed) || runs.some(function (r) { return c.get(r); });
    });
    var s = state();
    var spec = cols.filter(function (c) { return c.key === PRIMARY; })[0];
    app.appendChild(el("p", { "class": "lede", id: "primary" }, ["Ranked by ", el("strong", {}, [spec.label]),
      " (higher is more faithful): " + spec.def.split(". ")[0] + ". Click a header to sort; each figure: value [95% CI] n. " +
      "A row whose figure rests on fewer than " + MIN_ITEMS + " items ranks after those that have enough, marked \u201ctoo few items\u201d. ",
      el("a", { href: "compare.html" }, ["Compare two models"]), "."]));
    var search = el("input", { id: "model-search", type: "search", placeholder: "filter models", value: s.q, "aria-label": "filter models" });
    var holder = el("div", { "class": "scroll" });
    search.addEventListener("input", function () { s = state(); s.q = search.value; save(s); rankedTable(holder, runs, cols, s); });
    var sortBy = el("select", { id: "sort-by", "aria-label": "rank by" });
    cols.forEach(function (c) { sortBy.appendChild(el("option", { value: c.key }, [c.label])); });
    sortBy.value = s.sort;
    sortBy.addEventListener("change", function () { s = state(); s.sort = sortBy.value; s.dir = ""; save(s); rankedTable(holder, runs, cols, s); });
    app.appendChild(el("div", { "class": "filters" }, [search, el("label", { "class": "inline" }, ["rank by ", sortBy]), legendScale()]));
    app.appendChild(holder);
    var rest = rankedTable(holder, runs, cols, s, true);
    window.addEventListener("hashchange", function () { location.reload(); });  // a link to another sort
    var dl = el("dl", { "class": "legend-defs", id: "column-legend" });
    cols.forEach(function (c) {
      dl.appendChild(el("dt", {}, [c.label + (c.way === "up" ? " ↑ higher is more faithful" : c.way === "down" ? " ↓ lower is more faithful" : " →0 nearer 0 is more faithful")]));
      dl.appendChild(el("dd", {}, [c.def]));
    });
    app.appendChild(el("details", { "class": "legend-box" }, [el("summary", {}, ["What each column means"]), dl]));
    return rest;  // draws the rows below the first screen
  }

  FB.firstScreen = firstScreen;
  FB.chips = chips;
  FB.faithColor = faithColor;
  FB.faithScore = faithScore;
  FB.paint = paint;
  FB.legendScale = legendScale;
})();
