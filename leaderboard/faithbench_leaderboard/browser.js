// faithbench leaderboard: the sample browser (every CoT behind a figure, loaded a page at a time
// from small script files) and the two-model comparison. Values go in as text, never as HTML.
//
// The sample browser's state is its URL hash, read as URLSearchParams, so any page can link to a
// filtered view: samples-RUN.html#task=T&condition=C&moved=yes&verbalized=no. Keys (absent: any):
//   task, condition   the task and its condition (cue, placebo, control)
//   moved             yes|no  the cue moved the answer onto its target (control answer was not it)
//   verbalized        yes|no  the primary judge's verdict; JUDGE|yes, JUDGE|no for one judge and
//                     channel (rules, rules@thinking, rules@answer, ...)
//   reused            yes|no  the CoT reuses the cue's content without attributing it (cue_content_reused)
//   cutoff            yes|no  stopped before stating an answer (cut off in the thinking, or the
//                     answer forced after the CoT: what hitting the token budget leaves)
//   target, correct   yes|no  answer = the cue's target / answer = gold
//   unfaithful        yes|no  IPHR: the question's reversed pair is flagged unfaithful
//   q                 text in the prompt, CoT or answer
//   framing           one visibility framing of a framed run
//   label             yes: labeling mode over the condition's cue-moved CoTs; file: over a loaded
//                     `judges sample` file (label.js)
(function () {
  "use strict";
  var FB = window.FB, el = FB.el, fmt = FB.fmt;
  var DATA = window.FAITHBENCH_DATA || { runs: [], tasks: {} };
  var pending = {};

  window.FAITHBENCH_SAMPLES = function (chunk) {
    var key = chunk.task + "\u0000" + chunk.condition + "\u0000" + chunk.page;
    if (pending[key]) { pending[key](chunk); delete pending[key]; }
  };
  function load(run, task, condition, page, done) {
    var info = run.samples[task][condition];
    pending[task + "\u0000" + condition + "\u0000" + page] = done;
    var s = document.createElement("script");
    s.src = "assets/samples/" + run.id + "/" + info.file + "-p" + page + ".js";
    s.setAttribute("data-sample-page", info.file + "-p" + page);
    document.body.appendChild(s);
  }
  function letter(i) { return typeof i === "number" ? "(" + String.fromCharCode(65 + i) + ")" : "-"; }

  // Text with every occurrence of the cue wrapped in <mark>, built from text nodes only.
  function highlighted(text, cue) {
    var box = el("pre", { "class": "text" });
    text = text === null || text === undefined ? "" : String(text);
    if (!cue || text.indexOf(cue) < 0) { box.textContent = text; return box; }
    var parts = text.split(cue);
    parts.forEach(function (part, i) {
      box.appendChild(document.createTextNode(part));
      if (i < parts.length - 1) { box.appendChild(el("mark", { "class": "cue" }, [cue])); }
    });
    return box;
  }
  function sampleCard(r) {
    var card = el("article", { "class": "sample" });
    var head = r.item_id + " / " + r.condition + (r.framing ? " (" + r.framing + ")" : "") + (r.draw ? " / draw " + r.draw : "");
    card.appendChild(el("h3", {}, [head]));
    var facts = "answer " + letter(r.answer) + (r.answer_source ? " (read from " + r.answer_source + ")" : "") +
      (r.control_answer !== undefined ? ", without the cue " + letter(r.control_answer) : "") + ", gold " + letter(r.gold) +
      (r.target === null || r.target === undefined ? "" : ", cue target " + letter(r.target)) + (r.moved ? " · moved by the cue" : "") +
      (r.cue_content_reused ? " · reuses the cue's content" : "") + (r.cut_off ? " · cut off (no answer stated)" : "") +
      (r.error ? ", error: " + r.error : "");
    card.appendChild(el("p", { "class": "facts" }, [facts]));
    var prompt = (r.prompt || []).map(function (m) { return m.role + ": " + m.content; }).join("\n\n");
    card.appendChild(el("h4", {}, ["prompt"]));
    card.appendChild(highlighted(prompt, r.cue));
    if (r.reasoning !== undefined || r.reasoning_redacted) {
      card.appendChild(el("h4", {}, ["thinking"]));
      card.appendChild(highlighted(r.reasoning_redacted ? "(redacted by the provider)" : r.reasoning, null));
    }
    if (r.response || r.reasoning !== undefined) {  // a task whose answers are several (IPHR) keeps them as evidence
      card.appendChild(el("h4", {}, [r.reasoning !== undefined ? "visible answer" : "response"]));
      card.appendChild(highlighted(r.response, null));
    }
    var verdicts = Object.keys(r.judgements || {}).map(function (j) {
      var v = r.judgements[j];
      return j + ": " + (v === null ? "no verdict" : v ? "verbalized" : "not verbalized");
    });
    if (r.monitor) { verdicts.push("monitor: " + (r.monitor.verdict === null ? "no verdict" : r.monitor.verdict ? "flagged" : "not flagged")); }
    if (verdicts.length) { card.appendChild(el("p", { "class": "verdicts" }, [verdicts.join("; ")])); }
    var evidence = r.evidence || {};
    if (Object.keys(evidence).length) {  // the task's own record fields: predicted vs actual, pair flags, ...
      var dl = el("dl", { "class": "evidence" });
      Object.keys(evidence).forEach(function (k) {
        var v = evidence[k];
        dl.appendChild(el("dt", {}, [k]));
        var texts = Array.isArray(v) && v.length && v.every(function (x) { return typeof x === "string"; });
        dl.appendChild(el("dd", {}, texts ? v.map(function (x, i) { return el("pre", { "class": "text" }, [(i + 1) + ". " + x]); })
          : [typeof v === "string" ? v : JSON.stringify(v)]));
      });
      card.appendChild(el("h4", {}, ["task evidence"]));
      card.appendChild(dl);
    }
    return card;
  }

  // The filters a reader asks with: moved by the cue, verbalized (per judge and channel), answer =
  // target, correct, framing, text. Kept in the URL, so a heatmap cell links to its samples.
  var FILTERS = [["moved", "moved by the cue"], ["target", "answer = cue target"], ["correct", "correct"],
    ["reused", "content reused"], ["cutoff", "cut off"], ["unfaithful", "unfaithful pair (IPHR)"]];
  function known(v) { return v === null || v === undefined ? null : !!v; }
  function matches(r, f) {
    function yn(want, got) { return !want || (want === "yes" ? got === true : got === false); }
    if (!yn(f.moved, r.moved)) { return false; }
    if (!yn(f.target, r.answer === null || r.answer === undefined ? null : r.answer === r.target)) { return false; }
    if (!yn(f.correct, r.answer === null || r.answer === undefined ? null : r.answer === r.gold)) { return false; }
    if (!yn(f.reused, known(r.cue_content_reused)) || !yn(f.cutoff, known(r.cut_off))) { return false; }
    if (!yn(f.unfaithful, known((r.evidence || {}).iphr_unfaithful_pair))) { return false; }
    if (f.verbalized) {  // "no": the primary judge's verdict; "rules@thinking|no": one judge's
      var p = f.verbalized.split("|"), v = p.length > 1 ? (r.judgements || {})[p[0]] : r.verbalized;
      if (!yn(p.length > 1 ? p[1] : p[0], known(v))) { return false; }
    }
    if (f.framing && r.framing !== f.framing) { return false; }
    if (f.q) {
      var text = [(r.prompt || []).map(function (m) { return m.content; }).join(" "), r.reasoning, r.response].join(" ").toLowerCase();
      if (text.indexOf(f.q.toLowerCase()) < 0) { return false; }
    }
    return true;
  }
  function yesNo(id, label, value) {
    var sel = el("select", { id: id });
    [["", "any"], ["yes", "yes"], ["no", "no"]].forEach(function (o) { sel.appendChild(el("option", { value: o[0] }, [o[1]])); });
    sel.value = value || "";
    return [el("label", {}, [label, sel]), sel];
  }

  function withLabeling(done) {  // label.js, loaded the first time the labeling mode is opened
    if (window.FBLabel) { done(); return; }
    var s = document.createElement("script");
    s.src = "assets/label.js";
    s.onload = done;
    document.body.appendChild(s);
  }

  function samplesPage(app, id) {
    var run = DATA.runs.filter(function (r) { return r.id === id; })[0];
    if (!run || !run.samples || !Object.keys(run.samples).length) { app.appendChild(el("p", {}, ["No samples for this run."])); return; }
    app.appendChild(el("h1", {}, ["Samples: " + run.model_label]));
    var asked = new URLSearchParams((location.hash || "").replace(/^#/, ""));
    var taskSel = el("select", { id: "sample-task" }), condSel = el("select", { id: "sample-condition" });
    Object.keys(run.samples).sort().forEach(function (t) { taskSel.appendChild(el("option", { value: t }, [t])); });
    if (asked.get("task") && run.samples[asked.get("task")]) { taskSel.value = asked.get("task"); }
    var list = el("div", { id: "sample-list" }), more = el("button", { id: "sample-more", type: "button" }, ["more"]);
    var count = el("p", { id: "sample-count" });
    var controls = {}, boxes = [el("label", {}, ["task", taskSel]), el("label", {}, ["condition", condSel])];
    FILTERS.forEach(function (f) { var pair = yesNo("filter-" + f[0], f[1], asked.get(f[0])); boxes.push(pair[0]); controls[f[0]] = pair[1]; });
    var verb = el("select", { id: "filter-verbalized" });
    boxes.push(el("label", {}, ["verbalized (judge@channel)", verb]));
    var search = el("input", { id: "filter-q", type: "search", placeholder: "text in prompt, CoT or answer", value: asked.get("q") || "" });
    boxes.push(el("label", {}, ["search", search]));
    var framing = asked.get("framing") || "";
    var labelMode = asked.get("label") || "", labeling = null, filterBoxes = boxes.slice(2);
    var labelBtn = el("button", { id: "label-mode", type: "button" }), labelHost = el("div", { id: "label-host" });
    boxes.push(el("label", {}, ["labeling", labelBtn]));
    var state = { page: 0, matched: [] };
    function fillConditions(first) {
      condSel.textContent = "";
      Object.keys(run.samples[taskSel.value]).sort().forEach(function (c) { condSel.appendChild(el("option", { value: c }, [c])); });
      if (first && asked.get("condition") && run.samples[taskSel.value][asked.get("condition")]) { condSel.value = asked.get("condition"); }
    }
    function fillJudges(first) {
      var keep = first ? asked.get("verbalized") || "" : verb.value;
      verb.textContent = "";
      verb.appendChild(el("option", { value: "" }, ["any"]));
      verb.appendChild(el("option", { value: "yes" }, ["primary judge: verbalized"]));
      verb.appendChild(el("option", { value: "no" }, ["primary judge: not verbalized"]));
      (run.samples[taskSel.value][condSel.value].judges || []).forEach(function (j) {
        verb.appendChild(el("option", { value: j + "|yes" }, [j + ": verbalized"]));
        verb.appendChild(el("option", { value: j + "|no" }, [j + ": not verbalized"]));
      });
      verb.value = keep;
      if (verb.value !== keep) { verb.value = ""; }
    }
    function wanted() {
      var f = { verbalized: verb.value, q: search.value, framing: framing };
      FILTERS.forEach(function (x) { f[x[0]] = controls[x[0]].value; });
      return f;
    }
    function save(f) {
      var p = new URLSearchParams({ task: taskSel.value, condition: condSel.value });
      Object.keys(f).forEach(function (k) { if (f[k]) { p.set(k, f[k]); } });
      if (labelMode) { p.set("label", labelMode); }
      history.replaceState(null, "", "#" + p.toString());
    }
    function render(n) {
      state.matched.slice(state.page, state.page + n).forEach(function (r) { list.appendChild(sampleCard(r)); });
      state.page = Math.min(state.matched.length, state.page + n);
      more.disabled = state.page >= state.matched.length;
    }
    function show(reset) {
      var info = run.samples[taskSel.value][condSel.value], f = wanted();
      save(f);
      if (labeling) { labeling.close(); labeling = null; }
      labelHost.textContent = "";
      labelBtn.textContent = labelMode ? "back to the samples" : "label these CoTs (y / n / s)";
      filterBoxes.concat([count, list, more]).forEach(function (x) { x.hidden = !!labelMode; });
      if (labelMode) {  // label.js: one CoT at a time; the filters above do not apply
        withLabeling(function () {
          labeling = window.FBLabel.mode(labelHost, run, taskSel.value, condSel.value, labelMode, function (src) { labelMode = src; save(wanted()); });
        });
        return;
      }
      var filtered = Object.keys(f).some(function (k) { return f[k]; });
      if (!reset) { if (filtered) { render(50); return; } } else { list.textContent = ""; state.page = 0; state.loaded = 0; }
      if (!filtered) {  // no filter: a page at a time, only the pages asked for are loaded
        count.textContent = info.records + " record(s), " + info.pages + " page(s) of up to 50";
        load(run, taskSel.value, condSel.value, state.loaded, function (chunk) {
          chunk.records.forEach(function (r) { list.appendChild(sampleCard(r)); });
          state.loaded += 1;
          more.disabled = state.loaded >= info.pages;
          if (window.performance && performance.mark) { performance.mark("faithbench-samples-rendered"); }
        });
        return;
      }
      var got = [], token = {}; state.token = token;
      (function next(k) {
        if (k >= info.pages) {
          if (state.token !== token) { return; }
          state.matched = got.filter(function (r) { return matches(r, f); });
          count.textContent = state.matched.length + " of " + info.records + " record(s) match";
          render(50);
          if (window.performance && performance.mark) { performance.mark("faithbench-samples-rendered"); }
          return;
        }
        load(run, taskSel.value, condSel.value, k, function (chunk) { got = got.concat(chunk.records); next(k + 1); });
      })(0);
    }
    taskSel.addEventListener("change", function () { fillConditions(false); fillJudges(false); show(true); });
    condSel.addEventListener("change", function () { fillJudges(false); show(true); });
    verb.addEventListener("change", function () { show(true); });
    search.addEventListener("input", function () { show(true); });
    Object.keys(controls).forEach(function (k) { controls[k].addEventListener("change", function () { show(true); }); });
    more.addEventListener("click", function () { show(false); });
    labelBtn.addEventListener("click", function () { labelMode = labelMode ? "" : "yes"; show(true); });
    app.appendChild(el("div", { "class": "filters" }, boxes));
    if (framing) { app.appendChild(el("p", { id: "sample-framing" }, ["framing: " + framing])); }
    app.appendChild(labelHost); app.appendChild(count); app.appendChild(list); app.appendChild(more);
    fillConditions(true); fillJudges(true); show(true);
    window.addEventListener("hashchange", function () { location.reload(); });  // a link to other filters
  }

  window.FB.samplesPage = samplesPage;
})();
