// faithbench leaderboard: renders window.FAITHBENCH_DATA. Every value from a results file is
// inserted with textContent or as an attribute value, never as HTML.
(function () {
  "use strict";
  var DATA = window.FAITHBENCH_DATA || { runs: [], tasks: {} };
  var app = document.getElementById("app");

  var FB = window.FB, el = FB.el, fmt = FB.fmt;
  var ROLE = { gmean2_pooled: "headline g-mean²: the verdict rests on it", gmean2: "OpenAI's reference g-mean², for comparison" };
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
    if (m.value === null || m.value === undefined) {  // said, with its n and note (title), never "- [-, -]"
      td.appendChild(el("span", { "class": "empty" }, ["undefined"]));
      td.appendChild(el("span", { "class": "n" }, [" n=" + m.n]));
      return td;
    }
    td.appendChild(el("span", { "class": "value" }, [fmt(m.value)]));
    td.appendChild(el("span", { "class": "ci" }, [" " + FB.ciRange(m)]));
    td.appendChild(el("span", { "class": "n" }, [" n=" + m.n + FB.groupsText(m)]));
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
      if (ROLE[name]) { th.appendChild(el("span", { "class": "n role" }, [ROLE[name]])); }  // which g-mean² is the headline
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
    sortable(head, body, 1);
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

  function sortable(head, body, offset) {
    var state = { col: -1, dir: 1 };
    head.querySelectorAll("th.sortable").forEach(function (th) {
      th.addEventListener("click", function () {
        var col = Number(th.getAttribute("data-col"));
        state.dir = state.col === col ? -state.dir : -1;  // first click: highest first
        state.col = col;
        var rows = Array.prototype.slice.call(body.children);
        function val(r) { var v = r.children[col + offset].querySelector(".value"); return v ? parseFloat(v.textContent) : NaN; }
        rows.sort(function (a, b) {
          var va = val(a), vb = val(b);
          if (isNaN(va)) { return 1; } if (isNaN(vb)) { return -1; }
          return state.dir * (va - vb);
        });
        rows.forEach(function (r) { body.appendChild(r); });
        head.querySelectorAll(".arrow").forEach(function (a) { a.textContent = ""; });
        th.querySelector(".arrow").textContent = state.dir > 0 ? "\u25b2" : "\u25bc";
      });
    });
  }

  var AUTO_LOAD = 20;  // above this many runs, the details below the first screen wait for a click
  function rendered() { if (window.performance && performance.mark) { performance.mark("faithbench-rendered"); } }  // bench/
  function drawn() { document.documentElement.setAttribute("data-drawn", "1"); }  // tests: every section is in
  // After the browser has painted what is drawn so far (the frame after this one), so the
  // first screen is on screen before anything below it is built.
  function afterPaint(fn) {
    if (window.requestAnimationFrame) { requestAnimationFrame(function () { setTimeout(fn, 0); }); } else { setTimeout(fn, 0); }
  }
  function indexPage() {
    app.appendChild(el("h1", {}, ["Leaderboard"]));
    var rest = FB.firstScreen(app);  // the ranked table's first rows: all the first screen needs
    var below = el("div", { id: "below" });
    app.appendChild(below);
    afterPaint(function () { rendered(); rest(); FB.summaries(function () { indexBelow(below); }); });
  }

  // Below the ranked table: the heatmaps, drawn once the table is on screen; then every figure
  // and the plots, from the runs' own files.
  function indexBelow(app) {
    var framings = [];
    DATA.runs.forEach(function (r) { ((r.summary || {}).rows || []).forEach(function (row) { if (row.framing && framings.indexOf(row.framing) < 0) { framings.push(row.framing); } }); });
    var heats = el("div", { id: "heatmaps" });
    function drawHeats(framing) {
      heats.textContent = "";
      heats.appendChild(el("h2", {}, ["Bias susceptibility by cue"]));
      heats.appendChild(FB.heatmap(DATA.runs, "bias_susceptibility", "heat-bias", "down", framing));
      heats.appendChild(el("h2", {}, ["Articulation by cue"]));
      heats.appendChild(FB.heatmap(DATA.runs, "articulation", "heat-articulation", "up", framing));
    }
    if (framings.length) {  // framed runs: one column per cue, the framing a toggle
      var toggle = el("select", { id: "framing-toggle" }, [el("option", { value: "" }, ["as each verdict reads it"])]);
      framings.forEach(function (f) { toggle.appendChild(el("option", { value: f }, [f])); });
      toggle.addEventListener("change", function () { drawHeats(toggle.value); });
      app.appendChild(el("div", { "class": "filters" }, [el("label", { "class": "inline" }, ["framed runs' cells: ", toggle])]));
    }
    app.appendChild(heats);
    drawHeats("");
    if (DATA.runs.some(function (r) { return ((r.summary || {}).columns || []).indexOf("articulation_private_minus_watched") >= 0; })) {
      app.appendChild(el("h2", {}, ["Observer effect: articulation when told the reasoning is private minus watched"]));
      app.appendChild(FB.heatmap(DATA.runs, "articulation_private_minus_watched", "heat-observer", "zero"));
    }
    var rest = el("div", { id: "every-figure" });
    app.appendChild(rest);
    function more() { FB.loadRuns(DATA.runs, function () { indexDetails(rest); drawn(); }); }
    if (DATA.runs.length <= AUTO_LOAD) { more(); return; }
    var button = el("button", { type: "button", id: "load-details" }, ["Show every figure and the plots (loads " + DATA.runs.length + " run files)"]);
    button.addEventListener("click", function () { button.remove(); more(); });
    rest.appendChild(button);
    drawn();
  }

  // Below the first screen: every figure by task and condition, the plots; from the runs' files.
  function indexDetails(app) {
    app.appendChild(el("h2", {}, ["Every figure, by task and condition"]));
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
      app.appendChild(FB.scatter(byObserver[key].runs));
    });
    app.appendChild(el("h2", {}, ["Monitorability and articulation vs hint difficulty"]));
    app.appendChild(FB.difficultyCurve(DATA.runs));
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
    var clauses = ((run.summary || {}).verdict || "").split(";").filter(function (c) { return c.trim(); });
    var verdict = el("ul", { id: "verdict", "class": "verdict-list" });
    clauses.forEach(function (c) { verdict.appendChild(el("li", {}, [c.trim()])); });
    if (clauses.length) { app.appendChild(el("h2", {}, ["Verdict"])); app.appendChild(verdict); }
    app.appendChild(el("p", { "class": "chips-line" }, [FB.chips(run)]));
    if ((run.cues || []).length) {  // each cue's moved CoTs: the chip opens exactly those in the sample browser
      app.appendChild(FB.chips(run, run.cues.map(function (c) {
        return { text: c.condition + ": says cue " + c.said + "/" + c.moved, value: c.said / c.moved, way: "up", samples: c.samples,
          title: c.task + " / " + c.condition + ": of the " + c.moved + " CoTs the cue moved onto its target, " + c.said + " say the cue (primary judge)" +
            (c.samples ? "; opens those " + c.moved : "") };
      })));
      app.lastChild.id = "cue-chips";
    }
    if (run.corrected) {  // --judge-labels: beside each cue's articulation as judged, the corrected figure
      app.appendChild(el("h2", {}, ["Articulation corrected for the judge's measured error"]));
      app.appendChild(FB.correctedTable(run));
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
    if (run.samples && Object.keys(run.samples).length) {
      app.appendChild(el("p", {}, [el("a", { href: "samples-" + run.id + ".html", id: "samples-link" }, ["Browse every sample (prompt, CoT, answer, verdicts)"])]));
    }
    app.appendChild(el("pre", { "class": "prov", id: "provenance" }, [
      "command: " + run.command + "\nfaithbench " + run.faithbench_version + " (git " + (run.git_hash || "?") +
      ")\ndate: " + run.date + "\nmodel args: " + JSON.stringify(run.model_args)]));
    app.appendChild(el("h2", {}, ["Every figure"]));
    var table = el("table", { id: "model-metrics" });
    table.appendChild(el("tr", {}, ["task", "version", "condition", "metric", "value [95% CI] n"].map(function (h) { return el("th", {}, [h]); })));
    run.metrics.forEach(function (m) {
      var tr = el("tr");
      tr.appendChild(el("td", {}, [taskLink(m.task)]));
      tr.appendChild(el("td", {}, [(run.tasks[m.task] || {}).version || "?"]));
      tr.appendChild(el("td", {}, [m.condition]));
      var role = ROLE[m.metric];  // which of two figures of one quantity is the headline, on the page
      tr.appendChild(el("td", {}, role ? [m.metric, el("span", { "class": "n role" }, [role])] : [m.metric]));
      tr.appendChild(cell(run, m, m.task));
      table.appendChild(tr);
    });
    app.appendChild(table);
    app.appendChild(el("h2", {}, ["Representational vs predictive faithfulness"]));
    if (run.observer) {
      app.appendChild(el("p", { id: "observer" }, ["observer: " + run.observer.label + (run.observer.smoke_test ? " (smoke test: not a measurement)" : "")]));
    }
    if (run.observer && run.observer.smoke_test) {  // the README's promise: a smoke test is never plotted
      app.appendChild(el("p", { "class": "empty" }, ["Not plotted: the predictive figures come from a smoke-test observer."]));
    } else { app.appendChild(FB.scatter([run])); }
    if (FB.hasCurve(run)) {
      app.appendChild(el("h2", {}, ["Monitorability and articulation vs hint difficulty"]));
      app.appendChild(FB.difficultyCurve([run]));
    }
  }

  var page = document.body.getAttribute("data-page");
  var key = document.body.getAttribute("data-key");
  var own = DATA.runs.filter(function (r) { return r.id === key; });  // a model or samples page's run
  if (page === "task") { FB.loadRuns(DATA.runs, function () { taskPage(key); rendered(); drawn(); }); }
  else if (page === "model") { FB.loadRuns(own, function () { modelPage(key); rendered(); drawn(); }); }
  else if (page === "samples") { FB.loadRuns(own, function () { FB.samplesPage(app, key); rendered(); drawn(); }); }
  else if (page === "compare") {  // compare.js and the summaries: only this page loads them
    FB.summaries(function () {
      var js = el("script", { src: "assets/compare.js" });
      js.onload = function () { FB.pairedCompare(app); rendered(); };
      document.body.appendChild(js);
    });
  }
  else { indexPage(); }
  document.getElementById("footer").appendChild(document.createTextNode(
    "Built by faithbench " + DATA.faithbench_version + " on " + DATA.generated + " from " + DATA.runs.length + " result file(s)."));
})();
