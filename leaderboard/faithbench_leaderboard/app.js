// faithbench leaderboard: renders window.FAITHBENCH_DATA. Every value from a results file is
// inserted with textContent or as an attribute value, never as HTML.
(function () {
  "use strict";
  var DATA = window.FAITHBENCH_DATA || { runs: [], tasks: {} };
  var app = document.getElementById("app");

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) {
      node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }
  function fmt(v) { return v === null || v === undefined ? "-" : Number(v).toFixed(3); }
  function provenance(run, task) {
    var t = run.tasks[task] || {};
    return "command: " + run.command + "\nfaithbench " + run.faithbench_version + ", " + run.date +
      (task ? "\ntask " + task + " v" + (t.version || "?") + " (config " + (t.config_hash || "?") + ")" : "");
  }
  function cell(run, m, task) {
    var title = provenance(run, task) + (m && m.judge ? "\nverbalization judge: " + m.judge : "") +
      (m && m.observer ? "\nobserver: " + m.observer : "") + (m && m.note ? "\n" + m.note : "");
    var td = el("td", { "class": "num", "title": title });
    if (!m) { td.appendChild(el("span", { "class": "empty" }, ["-"])); return td; }
    if (run.observer && run.observer.smoke_test && m.observer) {  // not a measurement: not ranked
      td.appendChild(el("span", { "class": "empty smoke" }, ["smoke test"]));
      return td;
    }
    td.appendChild(el("span", { "class": "value" }, [fmt(m.value)]));
    td.appendChild(el("span", { "class": "ci" }, [" [" + fmt(m.ci_low) + ", " + fmt(m.ci_high) + "]"]));
    td.appendChild(el("span", { "class": "n" }, [" n=" + m.n]));
    return td;
  }
  function find(run, task, condition, metric) {
    for (var i = 0; i < run.metrics.length; i++) {
      var m = run.metrics[i];
      if (m.task === task && m.condition === condition && m.metric === metric) { return m; }
    }
    return null;
  }
  function modelLink(run) { return el("a", { href: "model-" + run.id + ".html" }, [run.model_label]); }
  function taskLink(task) { return el("a", { href: "task-" + DATA.tasks[task].slug + ".html" }, [task]); }

  // A sortable runs x metrics table for one task and condition.
  function metricTable(runs, task, condition) {
    var metrics = (DATA.tasks[task] && DATA.tasks[task].metrics[condition]) || [];
    var table = el("table", { id: "leaderboard" });
    var head = el("tr");
    head.appendChild(el("th", {}, ["model"]));
    metrics.forEach(function (name, i) {
      var th = el("th", { "class": "sortable", "data-col": String(i) }, [name, el("span", { "class": "arrow" }, [""])]);
      head.appendChild(th);
    });
    table.appendChild(el("thead", {}, [head]));
    var body = el("tbody");
    runs.forEach(function (run) {
      var tr = el("tr", { "data-run": run.id });
      tr.appendChild(el("td", { "class": "model" }, [modelLink(run)]));
      metrics.forEach(function (name) { tr.appendChild(cell(run, find(run, task, condition, name), task)); });
      body.appendChild(tr);
    });
    table.appendChild(body);
    var state = { col: -1, dir: 1 };
    head.querySelectorAll("th.sortable").forEach(function (th) {
      th.addEventListener("click", function () {
        var col = Number(th.getAttribute("data-col"));
        state.dir = state.col === col ? -state.dir : -1;  // first click: highest first
        state.col = col;
        var rows = Array.prototype.slice.call(body.children);
        rows.sort(function (a, b) {
          var va = parseFloat(a.children[col + 1].querySelector(".value") ? a.children[col + 1].querySelector(".value").textContent : "NaN");
          var vb = parseFloat(b.children[col + 1].querySelector(".value") ? b.children[col + 1].querySelector(".value").textContent : "NaN");
          if (isNaN(va)) { return 1; } if (isNaN(vb)) { return -1; }
          return state.dir * (va - vb);
        });
        rows.forEach(function (r) { body.appendChild(r); });
        head.querySelectorAll(".arrow").forEach(function (a) { a.textContent = ""; });
        th.querySelector(".arrow").textContent = state.dir > 0 ? "\u25b2" : "\u25bc";
      });
    });
    return table;
  }

  function filters(onChange, fixedTask) {
    var box = el("div", { "class": "filters" });
    var taskSel = el("select", { id: "task-filter" });
    Object.keys(DATA.tasks).sort().forEach(function (t) { taskSel.appendChild(el("option", { value: t }, [t])); });
    var condSel = el("select", { id: "cue-filter" });
    function fillConditions() {
      condSel.textContent = "";
      var conditions = Object.keys(DATA.tasks[taskSel.value].metrics);
      conditions.forEach(function (c) { condSel.appendChild(el("option", { value: c }, [c])); });
      if (conditions.indexOf(taskSel.value) >= 0) { condSel.value = taskSel.value; }  // the task's cue
    }
    if (fixedTask) { taskSel.value = fixedTask; taskSel.disabled = true; }
    else if (DATA.tasks.suggested_answer) { taskSel.value = "suggested_answer"; }
    fillConditions();
    taskSel.addEventListener("change", function () { fillConditions(); onChange(taskSel.value, condSel.value); });
    condSel.addEventListener("change", function () { onChange(taskSel.value, condSel.value); });
    box.appendChild(el("label", {}, ["task", taskSel]));
    box.appendChild(el("label", {}, ["cue / condition", condSel]));
    return { node: box, task: function () { return taskSel.value; }, condition: function () { return condSel.value; } };
  }

  // Representational (x) vs predictive (y) faithfulness, one point per model x cue.
  function scatter(runs) {
    var pts = [];
    runs.forEach(function (run) {
      (run.faithfulness || []).forEach(function (row) {
        if (row.articulation && row.predictive_within && row.articulation.value !== null && row.predictive_within.value !== null) {
          pts.push({ x: row.articulation.value, y: row.predictive_within.value, label: run.model_label + " / " + row.condition });
        }
      });
    });
    var box = el("div", { id: "scatter" });
    var W = 560, H = 360, P = 48, NS = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(NS, "svg");
    svg.setAttribute("width", W); svg.setAttribute("height", H); svg.setAttribute("role", "img");
    var ymin = Math.min(0, Math.min.apply(null, pts.map(function (p) { return p.y; }).concat([0])));
    function sx(x) { return P + x * (W - 2 * P); }
    function sy(y) { return H - P - (y - ymin) / (1 - ymin) * (H - 2 * P); }
    function line(x1, y1, x2, y2) {
      var l = document.createElementNS(NS, "line");
      l.setAttribute("x1", x1); l.setAttribute("y1", y1); l.setAttribute("x2", x2); l.setAttribute("y2", y2);
      l.setAttribute("class", "axis"); svg.appendChild(l);
    }
    function text(x, y, s, anchor) {
      var t = document.createElementNS(NS, "text");
      t.setAttribute("x", x); t.setAttribute("y", y); t.setAttribute("text-anchor", anchor || "middle");
      t.textContent = s; svg.appendChild(t);
      return t;
    }
    line(P, H - P, W - P, H - P); line(P, P, P, H - P);
    text(W / 2, H - 12, "representational: articulation (cue verbalized when it moved the answer)");
    text(14, H / 2, "predictive: P_within").setAttribute("transform", "rotate(-90 14 " + (H / 2) + ")");
    [0, 0.5, 1].forEach(function (v) { text(sx(v), H - P + 16, String(v)); });
    [ymin, 1].forEach(function (v) { text(P - 8, sy(v) + 4, v.toFixed(1), "end"); });
    pts.forEach(function (p) {
      var c = document.createElementNS(NS, "circle");
      c.setAttribute("cx", sx(p.x)); c.setAttribute("cy", sy(p.y)); c.setAttribute("r", 7);
      var title = document.createElementNS(NS, "title"); title.textContent = p.label; c.appendChild(title);
      svg.appendChild(c);
    });
    box.appendChild(svg);
    if (!pts.length) { box.appendChild(el("p", { "class": "empty" }, ["No run has both articulation and P_within yet."])); }
    return box;
  }

  // Monitorability (g-mean², solid) and articulation (dashed) against hint difficulty, per model.
  var COLORS = ["#1f5fbf", "#c0392b", "#2e8b57", "#8e44ad", "#d35400", "#16a085", "#7f8c8d", "#b7950b"];
  function curvePoints(run, metric) {
    return run.metrics.filter(function (m) {
      return m.task === "hint_difficulty" && m.metric === metric && m.difficulty !== null && m.difficulty !== undefined && m.value !== null;
    }).sort(function (a, b) { return a.difficulty - b.difficulty; });
  }
  function difficultyCurve(runs) {
    var shown = runs.filter(function (run) { return curvePoints(run, "hint_articulation").length || curvePoints(run, "gmean2").length; });
    var box = el("div", { id: "difficulty" });
    if (!shown.length) { box.appendChild(el("p", { "class": "empty" }, ["No run of hint_difficulty yet (g-mean² needs --monitor-model)."])); return box; }
    var W = 560, H = 320, P = 48, NS = "http://www.w3.org/2000/svg", top = 2;
    var svg = document.createElementNS(NS, "svg");
    svg.setAttribute("width", W); svg.setAttribute("height", H); svg.setAttribute("role", "img");
    function sx(x) { return P + x / top * (W - 2 * P); }
    function sy(y) { return H - P - y * (H - 2 * P); }
    function node(tag, attrs) {
      var n = document.createElementNS(NS, tag);
      Object.keys(attrs).forEach(function (k) { n.setAttribute(k, attrs[k]); });
      svg.appendChild(n); return n;
    }
    node("line", { x1: P, y1: H - P, x2: W - P, y2: H - P, "class": "axis" });
    node("line", { x1: P, y1: P, x2: P, y2: H - P, "class": "axis" });
    node("text", { x: W / 2, y: H - 12, "text-anchor": "middle" }).textContent = "hint difficulty (0: the letter, 1: a sum, 2: a multi-step decode)";
    [0, 1, 2].forEach(function (v) { node("text", { x: sx(v), y: H - P + 16, "text-anchor": "middle" }).textContent = String(v); });
    [0, 0.5, 1].forEach(function (v) { node("text", { x: P - 8, y: sy(v) + 4, "text-anchor": "end" }).textContent = String(v); });
    var legend = el("ul", { "class": "legend" });
    shown.forEach(function (run, i) {
      var color = COLORS[i % COLORS.length];
      [["gmean2", "", "g-mean²"], ["hint_articulation", "6 4", "articulation"]].forEach(function (spec) {
        var pts = curvePoints(run, spec[0]);
        if (!pts.length) { return; }
        node("polyline", { points: pts.map(function (m) { return sx(m.difficulty) + "," + sy(m.value); }).join(" "),
          fill: "none", stroke: color, "stroke-width": 2, "stroke-dasharray": spec[1], "class": "curve" });
        pts.forEach(function (m) {
          var c = node("circle", { cx: sx(m.difficulty), cy: sy(m.value), r: 5, fill: color, "class": "curve-point" });
          var t = document.createElementNS(NS, "title");
          t.textContent = run.model_label + ": " + spec[2] + " at level " + m.difficulty + " = " + fmt(m.value) +
            " [" + fmt(m.ci_low) + ", " + fmt(m.ci_high) + "] n=" + m.n;
          c.appendChild(t);
        });
      });
      var swatch = el("span", { "class": "swatch", style: "background:" + color }, []);
      legend.appendChild(el("li", {}, [swatch, run.model_label + " (solid: g-mean², dashed: articulation)"]));
    });
    box.appendChild(svg);
    box.appendChild(legend);
    return box;
  }

  function indexPage() {
    app.appendChild(el("h1", {}, ["Leaderboard"]));
    var holder = el("div", { id: "table-holder" });
    var f = filters(function (task, condition) {
      holder.textContent = "";
      holder.appendChild(metricTable(DATA.runs, task, condition));
    });
    app.appendChild(f.node);
    app.appendChild(holder);
    holder.appendChild(metricTable(DATA.runs, f.task(), f.condition()));
    app.appendChild(el("h2", {}, ["Representational vs predictive faithfulness"]));
    // predictive figures are comparable only under one observer: one plot per observer, and a
    // smoke test (the default observer) is never plotted
    var byObserver = {};
    var order = [];
    DATA.runs.forEach(function (run) {
      var obs = run.observer;
      if (!obs || obs.smoke_test) { return; }
      var key = obs.label + " " + (obs.weights_sha256 || "") + " " + JSON.stringify(obs.args || {});
      if (!Object.prototype.hasOwnProperty.call(byObserver, key)) { byObserver[key] = { label: obs.label, runs: [] }; order.push(key); }
      byObserver[key].runs.push(run);
    });
    if (!order.length) { app.appendChild(el("p", { "class": "empty" }, ["No run has predictive figures from a chosen observer (--observer); smoke tests are not plotted."])); }
    order.forEach(function (key) {
      app.appendChild(el("h3", {}, ["observer: " + byObserver[key].label]));
      app.appendChild(scatter(byObserver[key].runs));
    });
    app.appendChild(el("h2", {}, ["Monitorability and articulation vs hint difficulty"]));
    app.appendChild(difficultyCurve(DATA.runs));
    app.appendChild(el("h2", {}, ["Tasks"]));
    var ul = el("ul");
    Object.keys(DATA.tasks).sort().forEach(function (t) { ul.appendChild(el("li", {}, [taskLink(t)])); });
    app.appendChild(ul);
  }

  function taskPage(task) {
    app.appendChild(el("h1", {}, ["Task: " + task]));
    var holder = el("div", { id: "table-holder" });
    var f = filters(function (t, condition) {
      holder.textContent = "";
      holder.appendChild(metricTable(DATA.runs, task, condition));
    }, task);
    app.appendChild(f.node);
    app.appendChild(holder);
    holder.appendChild(metricTable(DATA.runs, task, f.condition()));
  }

  function modelPage(id) {
    var run = DATA.runs.filter(function (r) { return r.id === id; })[0];
    if (!run) { app.appendChild(el("p", {}, ["Unknown run."])); return; }
    app.appendChild(el("h1", {}, ["Model: " + run.model_label]));
    app.appendChild(el("pre", { "class": "prov", id: "provenance" }, [
      "command: " + run.command + "\nfaithbench " + run.faithbench_version + " (git " + (run.git_hash || "?") +
      ")\ndate: " + run.date + "\nmodel args: " + JSON.stringify(run.model_args)]));
    var table = el("table", { id: "model-metrics" });
    table.appendChild(el("tr", {}, ["task", "version", "condition", "metric", "value [95% CI] n"].map(function (h) { return el("th", {}, [h]); })));
    run.metrics.forEach(function (m) {
      var tr = el("tr");
      tr.appendChild(el("td", {}, [taskLink(m.task)]));
      tr.appendChild(el("td", {}, [(run.tasks[m.task] || {}).version || "?"]));
      tr.appendChild(el("td", {}, [m.condition]));
      tr.appendChild(el("td", {}, [m.metric]));
      tr.appendChild(cell(run, m, m.task));
      table.appendChild(tr);
    });
    app.appendChild(table);
    app.appendChild(el("h2", {}, ["Representational vs predictive faithfulness"]));
    if (run.observer) {
      app.appendChild(el("p", { id: "observer" }, ["observer: " + run.observer.label + (run.observer.smoke_test ? " (smoke test: not a measurement)" : "")]));
    }
    app.appendChild(scatter([run]));
    if (curvePoints(run, "hint_articulation").length || curvePoints(run, "gmean2").length) {
      app.appendChild(el("h2", {}, ["Monitorability and articulation vs hint difficulty"]));
      app.appendChild(difficultyCurve([run]));
    }
    var channelRows = (run.faithfulness || []).filter(function (row) { return row.channel; });
    if (channelRows.length) {  // a reasoning model: figures judged on its thinking and on its answer
      app.appendChild(el("h2", {}, ["By channel (thinking vs visible answer)"]));
      var ct = el("table", { id: "channels" });
      ct.appendChild(el("tr", {}, ["task", "condition", "channel", "figure", "value [95% CI] n"].map(function (h) { return el("th", {}, [h]); })));
      channelRows.forEach(function (row) {
        Object.keys(row).forEach(function (k) {
          if (k === "task" || k === "condition" || k === "channel") { return; }
          var tr = el("tr", {}, [el("td", {}, [row.task]), el("td", {}, [row.condition]), el("td", {}, [row.channel]), el("td", {}, [k])]);
          tr.appendChild(cell(run, row[k], row.task));
          ct.appendChild(tr);
        });
      });
      app.appendChild(ct);
    }
  }

  var page = document.body.getAttribute("data-page");
  var key = document.body.getAttribute("data-key");
  if (page === "task") { taskPage(key); } else if (page === "model") { modelPage(key); } else { indexPage(); }
  document.getElementById("footer").appendChild(document.createTextNode(
    "Built by faithbench " + DATA.faithbench_version + " on " + DATA.generated + " from " + DATA.runs.length + " result file(s)."));
})();
