// faithbench leaderboard: shared helpers and the charts (inline SVG, no library, no network).
// Every value from a results file goes in with textContent or as an attribute value, never as HTML.
(function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";
  var COLORS = ["#1f5fbf", "#c0392b", "#2e8b57", "#8e44ad", "#d35400", "#16a085", "#7f8c8d", "#b7950b"];

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) {
      node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }
  function fmt(v) { return v === null || v === undefined ? "-" : Number(v).toFixed(3); }
  // eight named colours, then golden-angle hues: 100 models get 100 distinct colours, no repeats
  function color(i) { return i < COLORS.length ? COLORS[i] : "hsl(" + Math.round((i * 137.508) % 360) + ",60%,42%)"; }
  function svgRoot(w, h) {
    var svg = document.createElementNS(NS, "svg");
    svg.setAttribute("width", w); svg.setAttribute("height", h); svg.setAttribute("role", "img");
    svg.setAttribute("viewBox", "0 0 " + w + " " + h);  // scales down on a narrow screen
    return svg;
  }
  function node(svg, tag, attrs, text) {
    var n = document.createElementNS(NS, tag);
    Object.keys(attrs).forEach(function (k) { n.setAttribute(k, attrs[k]); });
    if (text !== undefined) { n.textContent = text; }
    svg.appendChild(n);
    return n;
  }
  function tip(target, text) {
    var t = document.createElementNS(NS, "title"); t.textContent = text; target.appendChild(t);
  }
  // a figure's interval; an end the data cannot bound (null beside a value) is -∞ / +∞, as the
  // terminal prints it, never "-" (read as a missing number) or 0 (Number(null))
  function ciRange(m, places) {
    function end(v, sign) {
      if (v === null || v === undefined) { return m.value === null || m.value === undefined ? "-" : sign + "∞"; }
      return places === undefined ? fmt(v) : Number(v).toFixed(places);
    }
    return "[" + end(m.ci_low, "-") + ", " + end(m.ci_high, "+") + "]";
  }
  // the groups a figure's CI resamples (IPHR: comparison groups), after its n
  function groupsText(m) { var g = m.n_groups; return g === null || g === undefined ? "" : " in " + g + (g === 1 ? " group" : " groups"); }
  function ciText(m) { return fmt(m.value) + " " + ciRange(m) + " n=" + m.n + groupsText(m); }

  // Representational (articulation, x) vs predictive (P_within, y): one labelled point per model
  // x cue, coloured by model, with a legend; hover gives the values with CIs.
  function scatter(runs) {
    var pts = [];
    runs.forEach(function (run, i) {
      (run.faithfulness || []).forEach(function (row) {
        if (row.channel || !row.articulation || !row.predictive_within) { return; }
        if (row.articulation.value === null || row.predictive_within.value === null) { return; }
        pts.push({ x: row.articulation.value, y: row.predictive_within.value, run: i, model: run.model_label,
          xl: row.articulation.ci_low, xh: row.articulation.ci_high, yl: row.predictive_within.ci_low, yh: row.predictive_within.ci_high,
          cue: cueLabel(row), detail: "articulation " + ciText(row.articulation) + "\nP_within " + ciText(row.predictive_within) });
      });
    });
    var box = el("div", { id: "scatter" });
    var W = 620, H = 380, P = 52, svg = svgRoot(W, H);
    // the y axis spans the data, CIs included, padded by 5% of its range: no point on or under an axis
    var ys = [0, 1];
    pts.forEach(function (p) { ys.push(p.y); [p.yl, p.yh].forEach(function (v) { if (v !== null && v !== undefined) { ys.push(v); } }); });
    var lo = Math.min.apply(null, ys), hi = Math.max.apply(null, ys), pad = 0.05 * (hi - lo);
    var ymin = lo - pad, ymax = hi + pad;
    function sx(x) { return P + x * (W - 2 * P); }
    function sy(y) { return H - P - (y - ymin) / (ymax - ymin) * (H - 2 * P); }
    node(svg, "line", { x1: P, y1: H - P, x2: W - P, y2: H - P, "class": "axis" });
    node(svg, "line", { x1: P, y1: P, x2: P, y2: H - P, "class": "axis" });
    node(svg, "text", { x: W / 2, y: H - 12, "text-anchor": "middle" }, "representational: articulation (cue verbalized when it moved the answer)");
    node(svg, "text", { x: 14, y: H / 2, "text-anchor": "middle", transform: "rotate(-90 14 " + (H / 2) + ")" }, "predictive: P_within");
    [0, 0.5, 1].forEach(function (v) { node(svg, "text", { x: sx(v), y: H - P + 16, "text-anchor": "middle" }, String(v)); });
    // ticks at round steps (0.1, 0.2, 0.25, 0.5), the axis's ends included
    var step = [0.1, 0.2, 0.25, 0.5, 1].filter(function (st) { return (ymax - ymin) / st <= 6; })[0] || 1, ticks = [ymin];
    for (var t = Math.ceil(ymin / step) * step; t < ymax; t += step) { if (t - ymin > step / 3 && ymax - t > step / 3) { ticks.push(t); } }
    ticks.push(ymax);
    ticks.forEach(function (v) {
      node(svg, "text", { x: P - 8, y: sy(v) + 4, "text-anchor": "end", "class": "y-tick" }, (Math.abs(v) < 1e-9 ? 0 : v).toFixed(2));
    });
    if (ymin < 0 && ymax > 0) { node(svg, "line", { x1: P, y1: sy(0), x2: W - P, y2: sy(0), "class": "zero" }); }
    // an end the data cannot bound (null) runs to the axis's edge, dashed: never left off, which
    // drew P_within [-∞, 1] as a point with no whisker, nor drawn to 0 (Number(null))
    function ends(l, h, a, b) { var no = function (v) { return v === null || v === undefined; }; return [no(l) ? a : l, no(h) ? b : h, no(l) || no(h)]; }
    pts.forEach(function (p) {
      p.ex = ends(p.xl, p.xh, 0, 1); p.ey = ends(p.yl, p.yh, ymin, ymax);
    });
    pts.forEach(function (p) {  // 95% CI whiskers on both axes, then the point
      [[sx(p.ex[0]), sx(p.ex[1]), sy(p.y), sy(p.y), p.ex[2]], [sx(p.x), sx(p.x), sy(p.ey[0]), sy(p.ey[1]), p.ey[2]]].forEach(function (l) {
        node(svg, "line", { x1: l[0], x2: l[1], y1: l[2], y2: l[3], stroke: color(p.run), "class": "error-bar" + (l[4] ? " unbounded" : "") });
      });
    });
    // a label goes where it overlaps no other label and no point (right, left, above, below);
    // where none is free it is left off: the point's tooltip and the list under the plot name it
    var boxes = pts.map(function (p) { return [sx(p.x) - 6, sy(p.y) - 6, sx(p.x) + 6, sy(p.y) + 6]; });
    var whiskers = [];  // CI lines: a label avoids them where it can (never at the cost of a label)
    pts.forEach(function (p) {
      whiskers.push([sx(p.ex[0]), sy(p.y) - 1, sx(p.ex[1]), sy(p.y) + 1]);
      whiskers.push([sx(p.x) - 1, sy(p.ey[1]), sx(p.x) + 1, sy(p.ey[0])]);
    });
    function clear(b, list) { return list.every(function (o) { return b[2] <= o[0] || o[2] <= b[0] || b[3] <= o[1] || o[3] <= b[1]; }); }
    function free(b) { return b[0] >= 0 && b[2] <= W && b[1] >= 0 && b[3] <= H && clear(b, boxes); }
    var unlabelled = [];
    pts.forEach(function (p) {
      var c = node(svg, "circle", { cx: sx(p.x), cy: sy(p.y), r: 6, style: "fill:" + color(p.run), "class": "point" });
      tip(c, p.model + " / " + p.cue + "\n" + p.detail);
      var w = 6 * p.cue.length + 4, h = 12, x = sx(p.x), y = sy(p.y);
      var spots = [[x + 8, y - h - 2], [x + 8, y + 2], [x - 8 - w, y - h - 2], [x - 8 - w, y + 2], [x - w / 2, y - 8 - h], [x - w / 2, y + 8]];
      var open = spots.filter(function (s) { return free([s[0], s[1], s[0] + w, s[1] + h]); });
      var spot = open.filter(function (s) { return clear([s[0], s[1], s[0] + w, s[1] + h], whiskers); })[0] || open[0];
      if (!spot) { unlabelled.push(p); return; }
      boxes.push([spot[0], spot[1], spot[0] + w, spot[1] + h]);
      node(svg, "text", { x: spot[0] + 2, y: spot[1] + h - 2, "class": "point-label" }, p.cue);
    });
    box.appendChild(svg);
    var legend = el("ul", { "class": "legend" });
    runs.forEach(function (run, i) {
      if (!pts.some(function (p) { return p.run === i; })) { return; }
      legend.appendChild(el("li", {}, [el("span", { "class": "swatch", style: "background:" + color(i) }, []), run.model_label]));
    });
    box.appendChild(legend);
    if (unlabelled.length) {
      var named = unlabelled.slice(0, 12).map(function (p) { return p.model + " / " + p.cue + " (" + fmt(p.x) + ", " + fmt(p.y) + ")"; });
      if (unlabelled.length > 12) { named.push("and " + (unlabelled.length - 12) + " more"); }
      box.appendChild(el("p", { "class": "unlabelled" }, ["Not labelled (no free room; hover a point): " + named.join("; ")]));
    }
    if (!pts.length) { box.appendChild(el("p", { "class": "empty" }, ["No run has both articulation and P_within yet."])); }
    return box;
  }

  // A cue as shown: its condition, and the framing it ran under in a framed run (as build.py names it).
  function cueLabel(row) { return row.condition + (row.framing ? " (" + row.framing + ")" : ""); }

  // A model x cue heatmap of one summary figure; an undefined cell is grey and says so.
  // framing: which framing a framed run's cells show ("": the one its verdict reads); one column
  // per cue whatever the framings, the framing a toggle (app.js), never 3 more columns per cue.
  function shownRows(run, framing) {
    var ref = (run.summary || {}).framing;
    return ((run.summary || {}).rows || []).filter(function (r) {
      return !r.framing || r.framing === (framing || ref);
    });
  }
  function plainKey(row) { return row.task + " / " + row.condition; }
  // a column's header: the task and its cue, the name once where they share it ("authority")
  function keyLabel(key) { var p = key.split(" / "); return p.length === 2 && p[0] === p[1] ? p[0] : key; }
  function heatmap(runs, figure, id, way, framing) {
    var cues = [];
    runs.forEach(function (run) {
      shownRows(run, framing).forEach(function (row) {
        var key = plainKey(row);
        if (row[figure] && cues.indexOf(key) < 0) { cues.push(key); }
      });
    });
    var table = el("table", { id: id, "class": "heatmap" });
    var head = el("tr", {}, [el("th", {}, ["model"])]);
    cues.forEach(function (c) { head.appendChild(el("th", { "class": "cue", title: "task / cue: " + c }, [keyLabel(c)])); });
    table.appendChild(el("thead", {}, [head]));
    var body = el("tbody");
    runs.forEach(function (run) {
      var tr = el("tr", {}, [el("td", { "class": "model" }, [run.model_label])]);
      var rows = shownRows(run, framing);
      cues.forEach(function (c) {
        var row = rows.filter(function (r) { return plainKey(r) === c && r[figure]; })[0];
        var m = row && row[figure];
        var td = el("td", { "class": "heat" });
        if (!m || m.value === null) {
          td.appendChild(el("span", { "class": "empty" }, [m ? "undefined" : "-"]));
          td.setAttribute("title", m ? "undefined (n=" + m.n + ")" : "not measured");
        } else {
          FB.paint(td, m.value, way);  // first.js: one scale, "more faithful", on every figure
          var shown = el("span", { "class": "value" }, [Number(m.value).toFixed(2)]);
          var pages = run.has_samples;
          if (pages) {  // the samples behind the cell: this cue's answers it moved
            var q = new URLSearchParams({ task: row.task, condition: row.condition, moved: "yes" });
            if (row.framing) { q.set("framing", row.framing); }
            var said = m.moved !== undefined ? m.n + " items, " + m.moved + " moved CoTs: opens the " + m.moved + " CoTs" : "opens the CoTs the cue moved";
            shown = el("a", { href: "samples-" + run.id + ".html#" + q.toString(), "class": "cell-link", title: said }, [shown]);
          }
          td.appendChild(shown);
          td.setAttribute("title", run.model_label + " / " + keyLabel(c) + (row.framing ? " (" + row.framing + ")" : "") + ": " + figure + " " + ciText(m) +
            (m.moved !== undefined ? " (" + m.n + " items, " + m.moved + " moved CoTs)" : ""));
        }
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    table.appendChild(body);
    return table;
  }

  // Monitorability (g-mean², solid) and articulation (dashed) against hint difficulty, per model.
  function curvePoints(run, metric) {
    return run.metrics.filter(function (m) {
      return m.metric === metric && m.difficulty !== null && m.difficulty !== undefined && m.value !== null;  // any task whose values carry a difficulty
    }).sort(function (a, b) { return a.difficulty - b.difficulty; });
  }
  // the pooled g-mean² the verdict rests on (issue 28); a run from before it has only the reference's
  function gmeanKey(run) { return curvePoints(run, "gmean2_pooled").length ? "gmean2_pooled" : "gmean2"; }
  function hasCurve(run) { return curvePoints(run, "hint_articulation").length || curvePoints(run, gmeanKey(run)).length; }
  function difficultyCurve(runs) {
    var shown = runs.filter(hasCurve);
    var box = el("div", { id: "difficulty" });
    if (!shown.length) { box.appendChild(el("p", { "class": "empty" }, ["No run of hint_difficulty yet (g-mean² needs --monitor-model)."])); return box; }
    var W = 560, H = 320, P = 48, top = 2, svg = svgRoot(W, H);
    function sx(x) { return P + x / top * (W - 2 * P); }
    function sy(y) { return H - P - y * (H - 2 * P); }
    node(svg, "line", { x1: P, y1: H - P, x2: W - P, y2: H - P, "class": "axis" });
    node(svg, "line", { x1: P, y1: P, x2: P, y2: H - P, "class": "axis" });
    node(svg, "text", { x: W / 2, y: H - 12, "text-anchor": "middle" }, "hint difficulty (0: the letter, 1: a sum, 2: a multi-step decode)");
    [0, 1, 2].forEach(function (v) { node(svg, "text", { x: sx(v), y: H - P + 16, "text-anchor": "middle" }, String(v)); });
    [0, 0.5, 1].forEach(function (v) { node(svg, "text", { x: P - 8, y: sy(v) + 4, "text-anchor": "end" }, String(v)); });
    var legend = el("ul", { "class": "legend" });
    shown.forEach(function (run, i) {
      [[gmeanKey(run), "", "g-mean²"], ["hint_articulation", "6 4", "articulation"]].forEach(function (spec) {
        var pts = curvePoints(run, spec[0]);
        if (!pts.length) { return; }
        node(svg, "polyline", { points: pts.map(function (m) { return sx(m.difficulty) + "," + sy(m.value); }).join(" "),
          fill: "none", stroke: color(i), "stroke-width": 2, "stroke-dasharray": spec[1], "class": "curve" });
        pts.forEach(function (m) {
          var c = node(svg, "circle", { cx: sx(m.difficulty), cy: sy(m.value), r: 5, fill: color(i), "class": "curve-point" });
          tip(c, run.model_label + ": " + spec[2] + " at level " + m.difficulty + " = " + fmt(m.value) +
            " " + ciRange(m) + " n=" + m.n);
        });
      });
      legend.appendChild(el("li", {}, [el("span", { "class": "swatch", style: "background:" + color(i) }, []),
        run.model_label + " (solid: g-mean²" + (gmeanKey(run) === "gmean2_pooled" ? ", pooled" : "") + ", dashed: articulation)"]));
    });
    box.appendChild(svg);
    box.appendChild(legend);
    return box;
  }

  // Articulation corrected for the judge's measured error (leaderboard build --judge-labels),
  // beside the figure as judged, marked as corrected; "not identified" where Se + Sp <= 1.
  function correctedTable(run) {
    var c = run.corrected, box = el("div", { id: "corrected" });
    if (!c || !c.rows || !c.rows.length) { return box; }
    var first = c.rows[0];
    box.appendChild(el("p", { "class": "lede" }, ["Corrected for judge '" + c.judge + "' (Rogan-Gladen): sensitivity " +
      fmt(first.sensitivity) + ", specificity " + fmt(first.specificity) + " on " + first.n_labels + " labeled CoTs (" + c.labels +
      "); the CI resamples the labels and the run together. " + (first.note || "")]));
    function est(e, few) {  // few: under 10 moved CoTs or labels of a kind (too_few): shown, not concluded from
      if (!e || e.value === null || e.value === undefined) {
        return el("span", { "class": "empty not-identified" }, [e && e.why === "not identified" ? "not identified (sensitivity + specificity ≤ 1)" : "undefined"]);
      }
      return el("span", { "class": "value" + (few ? " too-few" : "") }, [fmt(e.value) + " [" + fmt(e.ci_low) + ", " + fmt(e.ci_high) + "] corrected" + (few ? " · too few to conclude" : "")]);
    }
    var table = el("table", { id: "corrected-table" });
    table.appendChild(el("tr", {}, ["task", "cue", "articulation as judged", "articulation corrected", "V as judged", "V corrected", "n"].map(function (h) { return el("th", {}, [h]); })));
    c.rows.forEach(function (r) {
      var raw = (run.metrics || []).filter(function (m) { return m.task === r.task && m.condition === r.condition && m.metric === "articulation"; })[0];
      table.appendChild(el("tr", { "data-cue": r.task + "/" + r.condition }, [el("td", {}, [r.task]), el("td", {}, [r.condition]),
        el("td", { "class": "num raw" }, [!raw ? "-" : raw.value === null ? "undefined" : ciText(raw)]), el("td", { "class": "num corrected" }, [est(r.articulation, r.too_few)]),
        el("td", { "class": "num" }, [fmt(r.uncorrected_V)]), el("td", { "class": "num" }, [est(r.V, r.too_few)]), el("td", { "class": "num" }, [String(r.n)])]));
    });
    box.appendChild(table);
    return box;
  }

  // data.js packs each summary figure as [value, ci_low, ci_high, n, {rest}] (build.py): unpacked
  // here, before any page reads it, so every page reads figures as objects.
  function unpack(a) {
    if (!Array.isArray(a)) { return a; }
    var out = { value: a[0], ci_low: a[1], ci_high: a[2], n: a[3] };
    Object.keys(a[4] || {}).forEach(function (k) { out[k] = a[4][k]; });
    return out;
  }
  // The summaries (assets/summaries.js) are loaded and unpacked when a section first reads them
  // (heatmaps, compare), after the first screen, which reads only run.first and run.chips. A run
  // whose own file is already in keeps its full summary.
  var places = [], summaryState = { done: false, waiting: [] };
  window.FAITHBENCH_SUMMARIES = function (got) {
    places = got.places || [];
    ((window.FAITHBENCH_DATA || {}).runs || []).forEach(function (run) {
      if (run.loaded) { return; }
      var s = got.summaries[run.id] || null;
      run.summary = s;
      if (!s) { return; }
      s.rows = (s.rows || []).map(function (packed) {  // [place, {figure: [...]}] -> a summary row
        var p = places[packed[0]], row = { task: p[0], condition: p[1] };
        if (p[2] !== null) { row.framing = p[2]; }
        Object.keys(packed[1]).forEach(function (k) { row[k] = unpack(packed[1][k]); });
        return row;
      });
      Object.keys(s.aggregates || {}).forEach(function (k) { s.aggregates[k] = unpack(s.aggregates[k]); });
    });
    summaryState.done = true;
    summaryState.waiting.forEach(function (cb) { cb(); });
    summaryState.waiting = [];
  };
  function summaries(done) {
    if (summaryState.done) { done(); return; }
    summaryState.waiting.push(done);
    if (summaryState.waiting.length > 1) { return; }
    var s = document.createElement("script");
    s.src = "assets/summaries.js";
    document.body.appendChild(s);
  }
  ((window.FAITHBENCH_DATA || {}).runs || []).forEach(function (run) {  // the first screen's figures
    Object.keys(run.first || {}).forEach(function (k) { run.first[k] = unpack(run.first[k]); });
  });

  // A run's own file (assets/runs/ID.js: every figure, the tables, its sample index), added to
  // its entry in FAITHBENCH_DATA; done() once every run asked for is in.
  var waiting = {};
  window.FAITHBENCH_RUN = function (full) {
    var run = (window.FAITHBENCH_DATA || { runs: [] }).runs.filter(function (r) { return r.id === full.id; })[0];
    if (!run) { return; }
    Object.keys(full).forEach(function (k) { run[k] = full[k]; });
    run.loaded = true;
    (waiting[full.id] || []).forEach(function (cb) { cb(); });
    delete waiting[full.id];
  };
  function loadRuns(runs, done) {
    var left = runs.filter(function (r) { return !r.loaded; }), count = left.length;
    if (!count) { done(); return; }
    left.forEach(function (run) {
      var asked = waiting[run.id];
      waiting[run.id] = (asked || []).concat([function () { count -= 1; if (!count) { done(); } }]);
      if (asked) { return; }
      var s = document.createElement("script");
      s.src = "assets/runs/" + encodeURIComponent(run.id) + ".js";
      s.setAttribute("data-run-file", run.id);
      document.body.appendChild(s);
    });
  }

  window.FB = { loadRuns: loadRuns, el: el, fmt: fmt, cueLabel: cueLabel, ciText: ciText, ciRange: ciRange, groupsText: groupsText, color: color, scatter: scatter, heatmap: heatmap,
    difficultyCurve: difficultyCurve, hasCurve: hasCurve, correctedTable: correctedTable, summaries: summaries };
})();
