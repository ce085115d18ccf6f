/*
 * Canary analysis panel of the progress page (docs/analysis.md "On the page"): for each gate the analysis owns, its
 * verdict and what it did (or, in a dry run, would have done), and every measurement as it arrives — each metric's value
 * on green and on blue, the limit and the verdict — with a small chart per metric (green, blue and the limit over the
 * measurements). Loaded by progress.js (its EXTENSION_FILES) from the same directory; reads the snapshot's "analyses"
 * member (docs/snapshot-schema.md).
 *
 * Security as in progress.js: every string from the snapshot is untrusted and only ever set with textContent or
 * setAttribute on non-URL attributes; no innerHTML, no eval, nothing fetched.
 */
(function () {
  'use strict';
  var SVG = 'http://www.w3.org/2000/svg';
  var W = 220, H = 64, PAD = 4;

  function svg(tag, attrs) {
    var e = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, String(attrs[k])); });
    return e;
  }
  function n(v) { return typeof v === 'number' && isFinite(v) ? v : null; }
  function fmt(v) {
    if (n(v) === null) return 'no data';
    var a = Math.abs(v);
    var d = a >= 100 ? 1 : a >= 1 ? 3 : 4;
    return String(Number(v.toFixed(d)));
  }
  function stepOf(runs, i) {
    var k = 0;
    for (var j = 0; j <= i; j++) if (runs[j].stage === runs[i].stage) k++;
    return k;
  }

  /** One metric's values over every measurement of every gate, in order. */
  function series(runs, metric) {
    var out = [];
    runs.forEach(function (r) {
      (r.measurements || []).forEach(function (m) {
        (m.values || []).forEach(function (v) {
          if (v.metric === metric) out.push(v);
        });
      });
    });
    return out;
  }

  function chart(values, name) {
    var all = [];
    values.forEach(function (v) { [v.green, v.blue, v.limit].forEach(function (x) { if (n(x) !== null) all.push(x); }); });
    var box = svg('svg', { width: W, height: H, viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'class': 'ecsd-an-chart' });
    var title = svg('title');
    title.textContent = name + ': green, blue and the limit over ' + values.length + ' measurement(s)';
    box.appendChild(title);
    if (!all.length) return box;
    var lo = Math.min.apply(null, all.concat([0]));
    var hi = Math.max.apply(null, all);
    if (hi === lo) hi = lo + 1;
    function x(i) { return values.length < 2 ? W / 2 : PAD + i * (W - 2 * PAD) / (values.length - 1); }
    function y(v) { return H - PAD - (v - lo) * (H - 2 * PAD) / (hi - lo); }
    [['limit', 'ecsd-an-limit'], ['blue', 'ecsd-an-blue'], ['green', 'ecsd-an-green']].forEach(function (k) {
      var pts = [];
      values.forEach(function (v, i) { if (n(v[k[0]]) !== null) pts.push(x(i).toFixed(1) + ',' + y(v[k[0]]).toFixed(1)); });
      if (pts.length > 1) box.appendChild(svg('polyline', { points: pts.join(' '), 'class': k[1], fill: 'none' }));
      values.forEach(function (v, i) {
        if (n(v[k[0]]) !== null && k[0] !== 'limit') {
          box.appendChild(svg('circle', { cx: x(i).toFixed(1), cy: y(v[k[0]]).toFixed(1), r: 2.5, 'class': k[1] + (v.verdict === 'FAIL' && k[0] === 'green' ? ' ecsd-an-fail' : '') }));
        }
      });
    });
    return box;
  }

  function verdictText(r) {
    if (!r.verdict) return 'measuring ' + (r.measurements || []).length + '/' + r.measurementsPlanned;
    var did = { CONTINUE: r.dryRun ? 'would have continued' : 'continued', ROLLBACK: r.dryRun ? 'would have rolled back' : 'rolled back',
      ASK: r.dryRun ? 'would have asked a person' : 'asks a person to decide' }[r.action] || String(r.action || '');
    return r.verdict + ' — ' + did;
  }

  function render(body, raw, ctx) {
    var runs = Array.isArray(raw && raw.analyses) ? raw.analyses : [];
    if (!runs.length) return false;
    var el = ctx.el, text = ctx.text;
    var metrics = [];
    runs.forEach(function (r) {
      (r.measurements || []).forEach(function (m) {
        (m.values || []).forEach(function (v) { if (metrics.indexOf(v.metric) < 0) metrics.push(v.metric); });
      });
    });
    if (metrics.length) {
      var charts = el('div', { className: 'ecsd-an-charts' });
      metrics.forEach(function (name) {
        var vs = series(runs, name);
        var last = vs[vs.length - 1];
        charts.appendChild(el('figure', { className: 'ecsd-an-figure' }, [
          chart(vs, text(name)),
          el('figcaption', {}, [el('strong', { text: text(name) }), ' ',
            el('span', { className: 'ecsd-an-green-text', text: 'green ' + fmt(last.green) }), ' · ',
            el('span', { className: 'ecsd-an-blue-text', text: 'blue ' + fmt(last.blue) }), ' · limit ' + text(last.condition)])
        ]));
      });
      body.appendChild(charts);
    }
    runs.forEach(function (r, i) {
      var head = el('p', { className: 'ecsd-an-head' }, [
        el('strong', { text: text(r.stage) + ' · step ' + stepOf(runs, i) }), ' ',
        el('span', { className: 'ecsd-an-verdict', 'data-verdict': text(r.verdict || 'MEASURING'), text: verdictText(r) }),
        r.dryRun ? el('span', { className: 'ecsd-muted', text: ' (dry run: reports only)' }) : null]);
      body.appendChild(head);
      if (r.reason) body.appendChild(el('p', { className: 'ecsd-an-reason', text: text(r.reason) }));
      var rows = [];
      (r.measurements || []).forEach(function (m) {
        (m.values || []).forEach(function (v) {
          rows.push(el('tr', { 'data-verdict': text(v.verdict) }, [
            el('td', { text: m.index + '/' + r.measurementsPlanned }), el('td', { text: text(v.metric) }),
            el('td', { text: fmt(v.green) + (n(v.greenSamples) !== null ? ' (' + fmt(v.greenSamples) + ')' : '') }),
            el('td', { text: fmt(v.blue) + (n(v.blueSamples) !== null ? ' (' + fmt(v.blueSamples) + ')' : '') }),
            el('td', { text: text(v.condition) + (n(v.limit) !== null && /blue$/.test(text(v.condition)) ? ' = ' + fmt(v.limit) : '') }),
            el('td', { text: text(v.verdict) + (v.note ? ': ' + text(v.note) : '') })]));
        });
      });
      if (rows.length) {
        body.appendChild(el('table', { className: 'ecsd-an-table' }, [
          el('thead', {}, [el('tr', {}, ['#', 'metric', 'green (samples)', 'blue (samples)', 'limit', 'verdict'].map(function (h) {
            return el('th', { scope: 'col', text: h });
          }))]),
          el('tbody', {}, rows)]));
      }
    });
    return true;
  }

  if (window.EcsDeployProgress && window.EcsDeployProgress.registerSection) {
    window.EcsDeployProgress.registerSection('analysis', { title: 'Canary analysis', order: 35, wide: true, render: render });
  }
}());
