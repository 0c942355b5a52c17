// faithbench leaderboard: two runs side by side (compare.html#A,B). B - A comes with a paired 95%
// CI over the items both runs share, worked out at build time (pairs.py, one file per pair of
// runs); where the runs share no item, or the pair was not worked out, the page says so and
// combines the two CIs as if independent. Loaded by app.js on the compare page only.
// Values go in as text, never as HTML.
(function () {
  "use strict";
  var FB = window.FB, el = FB.el;
  var DATA = window.FAITHBENCH_DATA || { runs: [] };
  var SEP = "\u0000";
  var MIN_ITEMS = 10;  // faithbench.metrics.stats.MIN_ITEMS: a difference on fewer items is never bold
  var loaded = {}, waiting = {};

  window.FAITHBENCH_PAIR = function (pair) {
    var key = pair.a + "--" + pair.b;
    loaded[key] = pair.figures;
    (waiting[key] || []).forEach(function (cb) { cb(pair.figures); });
    delete waiting[key];
  };
  // The pair's figures as B - A for (a, b) in the order asked: the file holds them for the ids in
  // sorted order, so the other order negates each difference and swaps its limits.
  function pairFigures(a, b, done) {
    var known = (DATA.pairs || []).some(function (p) { return (p[0] === a && p[1] === b) || (p[0] === b && p[1] === a); });
    if (!known || a === b) { done(null); return; }
    var flip = a > b, key = flip ? b + "--" + a : a + "--" + b;
    function oriented(figs) {
      if (!flip) { return figs; }
      var out = {};
      Object.keys(figs).forEach(function (k) {
        var f = figs[k];
        out[k] = { n: f.n, a_only: f.b_only, b_only: f.a_only, method: f.method, value: f.value === null ? null : -f.value,
          ci_low: f.ci_high === null ? null : -f.ci_high, ci_high: f.ci_low === null ? null : -f.ci_low };
      });
      return out;
    }
    if (loaded[key]) { done(oriented(loaded[key])); return; }
    var first = !waiting[key];
    waiting[key] = (waiting[key] || []).concat([function (figs) { done(oriented(figs)); }]);
    if (!first) { return; }
    var s = document.createElement("script");
    s.src = "assets/pairs/" + encodeURIComponent(key) + ".js";
    s.setAttribute("data-pair-file", key);
    s.onerror = function () { delete waiting[key]; done(null); };
    document.body.appendChild(s);
  }

  // A run's figure: value [CI] n, or "undefined" with its n (never "- [-, -]").
  function figText(m) { return !m ? "-" : m.value === null || m.value === undefined ? "undefined, n=" + m.n : FB.ciText(m); }
  // A figure's name cell; its direction (build time, from the metrics) is drawn after the name
  // by the stylesheet (td[data-way]): ↑ higher is more faithful, ↓ lower is.
  function named(name) {
    var up = (DATA.directions || {})[name], td = el("td", { "class": "name" }, [name]);
    if (up === true || up === false) {
      td.setAttribute("data-way", up ? "↑" : "↓");
      td.setAttribute("title", up ? "higher is more faithful" : "lower is more faithful");
    }
    return td;
  }
  function signed(x, places) { return (Math.abs(x) < 0.5 * Math.pow(10, -places) ? 0 : x).toFixed(places); }
  // the units a figure's CI resamples: items, or its groups of items where fewer (IPHR: 100 pairs in 1 group)
  function units(m) { return m.n_groups === null || m.n_groups === undefined ? m.n : Math.min(m.n, m.n_groups); }
  function tooFew(ma, mb) { return Math.min(ma.n, mb.n) < MIN_ITEMS ? "too few items to conclude" : "too few comparison groups to conclude"; }
  function end(x, sign) { return x === null || x === undefined ? sign + "∞" : signed(x, 2); }  // unbounded, not 0.00
  // B - A and its interval: paired where the pair's file has the figure, else the two CIs
  // combined as if independent ("≈", said so).
  function diffCell(ma, mb, p, pairedKnown) {
    if (!ma || !mb || ma.value === null || mb.value === null) { return { text: "-", size: -1 }; }
    if (p && p.n > 0 && p.value !== null) {
      var text = signed(p.value, 3) + " [" + end(p.ci_low, "-") + ", " + end(p.ci_high, "+") + "] paired" + (p.method === "newcombe" ? " (Newcombe)" : "") + ", " + p.n + " shared items";
      if (p.a_only || p.b_only) { text += " (left out: " + p.a_only + " only in A, " + p.b_only + " only in B)"; }
      var fewPaired = p.n < MIN_ITEMS || Math.min(units(ma), units(mb)) < MIN_ITEMS;  // shown, not concluded from, as the run's own verdict
      if (fewPaired) { text += ", " + tooFew(ma, mb); }
      return { text: text, size: Math.abs(p.value), sig: !fewPaired && (p.ci_low > 0 || p.ci_high < 0), kind: "paired" };
    }
    var d = mb.value - ma.value, out = signed(d, 3), sig = false;
    var few = Math.min(units(ma), units(mb)) < MIN_ITEMS;
    var bounded = [ma.ci_low, ma.ci_high, mb.ci_low, mb.ci_high].every(function (v) { return v !== null && v !== undefined; });
    if (bounded) {
      var h = Math.sqrt(Math.pow((ma.ci_high - ma.ci_low) / 2, 2) + Math.pow((mb.ci_high - mb.ci_low) / 2, 2));
      out += " ≈[" + signed(d - h, 2) + ", " + signed(d + h, 2) + "]";
      sig = !few && (d - h > 0 || d + h < 0);
    } else if (ma.ci_low !== undefined && mb.ci_low !== undefined) {
      out += " ≈[-∞, +∞]";  // an end either figure cannot bound leaves the half-widths' sum unbounded (was NaN)
    }
    var why = p && p.n === 0 ? "items not shared" : p && p.value === null ? "paired difference undefined" : pairedKnown ? "not paired (no item rows)" : "not paired";
    if (few) { why += ", " + tooFew(ma, mb); }
    return { text: out + " " + why, size: Math.abs(d), sig: sig, kind: "independent" };
  }

  // Figures an observer model computes (build time: the predictive family's) compare only when
  // one observer read both runs: a self-observer is each model itself, so two of them differ.
  function observerKey(run) {
    var o = run.observer;
    return o ? o.label + " " + (o.weights_sha256 || "") + " " + JSON.stringify(o.args || {}) : "";
  }
  function comparable(name, ra, rb) {
    return (DATA.observed || []).indexOf(name) < 0 || observerKey(ra) === observerKey(rb);
  }
  var APART = { text: "not comparable (different observers)", size: -2, kind: "not-comparable" };

  // A cue as compared: a framed run's reference framing is the plain cue (so a framed and an
  // unframed run get a B - A for every cue); other framings keep their label.
  function cueKey(run, row) {
    return row.framing && row.framing !== (run.summary || {}).framing ? FB.cueLabel(row) : row.condition;
  }

  function comparePage(app) {
    app.appendChild(el("h1", {}, ["Compare two models"]));
    var a = el("select", { id: "compare-a" }), b = el("select", { id: "compare-b" });
    DATA.runs.forEach(function (run) {
      a.appendChild(el("option", { value: run.id }, [run.model_label]));
      b.appendChild(el("option", { value: run.id }, [run.model_label]));
    });
    var chosen = (location.hash || "").replace("#", "").split(",");
    var holder = el("div", { id: "compare-holder" });
    function byId(id) { return DATA.runs.filter(function (r) { return r.id === id; })[0]; }
    var unknown = chosen.filter(function (id) { return id && !byId(decodeURIComponent(id)); });
    if (chosen.length === 2 && !unknown.length) { a.value = decodeURIComponent(chosen[0]); b.value = decodeURIComponent(chosen[1]); }
    else if (DATA.runs.length > 1) { b.value = DATA.runs[1].id; }
    if (unknown.length) {  // a link to runs this site does not hold: said, never another run shown
      app.appendChild(el("p", { "class": "warning", id: "compare-unknown" }, ["No run with id " + unknown.map(decodeURIComponent).join(", ") + " on this site."]));
    }
    function render() {
      var ra = byId(a.value), rb = byId(b.value);
      history.replaceState(null, "", "#" + a.value + "," + b.value);
      if (!ra || !rb) { holder.textContent = ""; return; }
      pairFigures(ra.id, rb.id, function (pair) { draw(ra, rb, pair); });
    }
    function draw(ra, rb, pair) {
      holder.textContent = "";
      var figs = pair || {};
      var pooled = el("table", { id: "compare-pooled" });
      pooled.appendChild(el("tr", {}, ["pooled figure", ra.model_label, rb.model_label, "B - A [95% CI]"].map(function (h) { return el("th", {}, [h]); })));
      var names = Object.keys(((ra.summary || {}).aggregates) || {});
      Object.keys(((rb.summary || {}).aggregates) || {}).forEach(function (n) { if (names.indexOf(n) < 0) { names.push(n); } });
      names.forEach(function (n) {
        var ma = ((ra.summary || {}).aggregates || {})[n], mb = ((rb.summary || {}).aggregates || {})[n], d = comparable(n, ra, rb) ? diffCell(ma, mb, figs[n], !!pair) : APART;
        pooled.appendChild(el("tr", { "class": (d.sig ? "significant " : "") + (d.kind || ""), "data-figure": n }, [named(n),
          el("td", { "class": "num", "data-label": "A" }, [figText(ma)]), el("td", { "class": "num", "data-label": "B" }, [figText(mb)]),
          el("td", { "class": "num diff", "data-label": "B - A" }, [d.text])]));
      });
      holder.appendChild(pooled);
      holder.appendChild(el("p", { "class": "lede", id: "compare-note" }, [pair
        ? "↑ higher is more faithful, ↓ lower is. B - A [95% CI] paired: over the items both runs answered, each item's two contributions resampled together (cluster bootstrap over shared items), or Newcombe's interval where each run gives one 0/1 value per item; items only one run has are left out and counted. Bold: the interval excludes 0 and rests on at least " + MIN_ITEMS + " items (on fewer: \"too few items to conclude\", never bold). Figures the build does not pair say \"not paired\": their ≈ interval combines the two CIs as if independent."
        : "↑ higher is more faithful, ↓ lower is. These two runs share no item rows on this site (a run without its samples.jsonl, or a pair the build did not work out: sites of more than 12 runs with samples pair runs of one model only), so each ≈ interval combines the two 95% CIs as if independent, not paired; bold where it excludes 0 and both figures rest on at least " + MIN_ITEMS + " items."]));
      if (observerKey(ra) !== observerKey(rb)) {
        holder.appendChild(el("p", { "class": "lede", id: "compare-observers" }, ["A's predictive figures were read by observer " +
          ((ra.observer || {}).label || "none") + ", B's by " + ((rb.observer || {}).label || "none") +
          ": figures an observer computes (" + (DATA.observed || []).join(", ") + ") are not comparable between them, listed last, never as a difference."]));
      }
      holder.appendChild(el("h2", {}, ["Per cue, largest difference first"]));
      var table = el("table", { id: "compare" });
      table.appendChild(el("tr", {}, ["task", "cue", "figure", ra.model_label, rb.model_label, "B - A [95% CI]"].map(function (h) { return el("th", {}, [h]); })));
      var keys = [];
      [ra, rb].forEach(function (run) {
        var s = run.summary || { rows: [], columns: [] };
        s.rows.forEach(function (row) {
          s.columns.forEach(function (f) { if (row[f]) { var k = [row.task, cueKey(run, row), f].join(SEP); if (keys.indexOf(k) < 0) { keys.push(k); } } });
        });
      });
      function get(run, k) {
        var p = k.split(SEP), row = ((run.summary || {}).rows || []).filter(function (r) { return r.task === p[0] && cueKey(run, r) === p[1] && r[p[2]]; })[0];
        return row ? row[p[2]] : null;
      }
      keys.map(function (k) { return { k: k, a: get(ra, k), b: get(rb, k) }; })
        .map(function (x) { x.d = comparable(x.k.split(SEP)[2], ra, rb) ? diffCell(x.a, x.b, figs[x.k], !!pair) : APART; return x; })
        .sort(function (x, y) { return y.d.size - x.d.size; })
        .forEach(function (x) {
          var p = x.k.split(SEP);
          table.appendChild(el("tr", { "class": (x.d.sig ? "significant " : "") + (x.d.kind || "") }, [el("td", { "class": "name" }, [p[0]]),
            el("td", { "class": "name" }, [p[1]]), named(p[2]),
            el("td", { "class": "num", "data-label": "A" }, [figText(x.a)]), el("td", { "class": "num", "data-label": "B" }, [figText(x.b)]),
            el("td", { "class": "num diff", "data-label": "B - A" }, [x.d.text])]));
        });
      holder.appendChild(table);
      document.documentElement.setAttribute("data-compared", ra.id + "," + rb.id);
      document.documentElement.setAttribute("data-drawn", "1");
    }
    a.addEventListener("change", render); b.addEventListener("change", render);
    app.appendChild(el("div", { "class": "filters" }, [el("label", {}, ["model A", a]), el("label", {}, ["model B", b])]));
    app.appendChild(holder);
    render();
    window.addEventListener("hashchange", function () { location.reload(); });  // a link to another pair
  }

  FB.pairedCompare = comparePage;
})();
