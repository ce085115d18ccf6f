/*
 * Cutover panels of the progress page (docs/cutovers.md "Progress"), loaded by progress.js (its EXTENSION_FILES) from
 * the same directory:
 *  - a DNS cutover (a snapshot with kind "DNS_CUTOVER", docs/snapshot-schema.md "Cutover snapshot"): green's share of
 *    the answers over time as a chart (a step line: hollow points when a change was asked for, filled ones when Route 53
 *    said INSYNC), "clients may still resolve blue until …", the steps with their state and waits, both sides, and the
 *    health checks. The gate's Approve / Roll back and "Roll back now" are the page's own (the snapshot speaks their
 *    members); the panels of a deployment that mean nothing here (stages, traffic, alarms, hooks) are hidden.
 *  - the switchover flag of a deployment (the host's "switchover" member): the parameter, its state and values.
 *
 * Security as in progress.js: every string from the snapshot is untrusted and only ever set with textContent or
 * setAttribute on non-URL attributes; no innerHTML, no eval, nothing fetched.
 */
(function () {
  'use strict';
  var SVG = 'http://www.w3.org/2000/svg';
  var W = 560, H = 140, PAD = 22;
  var HIDE_FOR_CUTOVER = ['stages', 'traffic', 'alarms', 'hooks'];
  var STATE_WORDS = { PENDING: 'not yet', CHECKING: 'checking green', SHIFTING: 'Route 53 applying the change',
    WAITING: 'waiting', AWAITING_GATE: 'waiting for a decision', DONE: 'done', ROLLED_BACK: 'rolled back',
    NOT_REACHED: 'not reached' };

  function svg(tag, attrs) {
    var e = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, String(attrs[k])); });
    return e;
  }
  function n(v) { return typeof v === 'number' && isFinite(v) ? v : null; }
  function ms(v) {
    if (v === null || v === undefined || v === '') return null;
    var t = Date.parse(String(v));
    return isNaN(t) ? null : t;
  }
  function clock(t) {
    if (t === null) return '';
    var d = new Date(t);
    function two(x) { return (x < 10 ? '0' : '') + x; }
    return two(d.getHours()) + ':' + two(d.getMinutes()) + ':' + two(d.getSeconds());
  }

  /** Green's share over time: one point per weight change, extended to now. */
  function chart(weights, now, text) {
    var pts = [];
    weights.forEach(function (w) {
      var t = ms(w.at), g = n(w.green);
      if (t !== null) pts.push({ t: t, g: g === null ? 0 : g, status: text(w.status) });
    });
    var box = svg('svg', { width: W, height: H, viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'class': 'ecsd-co-chart' });
    var title = svg('title');
    title.textContent = 'Green\'s share of DNS answers over time: ' + pts.map(function (p) {
      return p.g + ' % at ' + clock(p.t) + ' (' + p.status + ')';
    }).join(', ');
    box.appendChild(title);
    if (!pts.length) return box;
    var t0 = pts[0].t, t1 = Math.max(now || 0, pts[pts.length - 1].t);
    if (t1 <= t0) t1 = t0 + 1000;
    function x(t) { return PAD + (t - t0) * (W - 2 * PAD) / (t1 - t0); }
    function y(g) { return H - PAD - g * (H - 2 * PAD) / 100; }
    [0, 50, 100].forEach(function (g) {
      box.appendChild(svg('line', { x1: PAD, x2: W - PAD, y1: y(g), y2: y(g), 'class': 'ecsd-co-grid' }));
      var l = svg('text', { x: 2, y: y(g) + 4, 'class': 'ecsd-co-axis' });
      l.textContent = g + '%';
      box.appendChild(l);
    });
    var line = [];
    var last = null;
    pts.forEach(function (p) {
      if (last !== null) line.push(x(p.t).toFixed(1) + ',' + y(last).toFixed(1));
      line.push(x(p.t).toFixed(1) + ',' + y(p.g).toFixed(1));
      last = p.g;
    });
    line.push(x(t1).toFixed(1) + ',' + y(last).toFixed(1));
    box.appendChild(svg('polyline', { points: line.join(' '), 'class': 'ecsd-co-green', fill: 'none' }));
    pts.forEach(function (p) {
      box.appendChild(svg('circle', { cx: x(p.t).toFixed(1), cy: y(p.g).toFixed(1), r: 3.5,
        'class': p.status === 'INSYNC' ? 'ecsd-co-insync' : 'ecsd-co-requested' }));
    });
    return box;
  }

  function sideLine(el, text, name, side) {
    if (!side) return null;
    return el('p', { className: 'ecsd-co-side ecsd-co-' + name }, [
      el('strong', { text: name === 'blue' ? 'Blue' : 'Green' }), ' ',
      el('span', { text: text(side.target) }),
      el('span', { className: 'ecsd-muted', text: ' · set identifier ' + text(side.setIdentifier)
        + (side.answer ? ' · answers ' + text(side.answer) : '') }), ' · ',
      el('strong', { text: n(side.weight) === null ? 'no record' : 'weight ' + side.weight })]);
  }

  function renderCutover(body, raw, ctx) {
    var el = ctx.el, text = ctx.text, page = ctx.page;
    if (page && page.gridEl) {
      HIDE_FOR_CUTOVER.forEach(function (name) {
        var p = page.gridEl.querySelector('[data-section="' + name + '"]');
        if (p) p.hidden = true;
      });
    }
    var now = n(ctx.now) !== null ? ctx.now : Date.now();
    body.appendChild(el('p', { className: 'ecsd-co-record' }, [
      el('strong', { text: text(raw.record) + ' ' + text(raw.recordType) }),
      el('span', { className: 'ecsd-muted', text: ' in hosted zone ' + text(raw.hostedZoneId) + ' · answers cached '
        + text(raw.cacheSeconds) + ' s' })]));
    var until = ms(raw.clientsMayResolveOldUntil);
    if (until !== null) {
      var old = raw.oldSide === 'green' ? 'green' : 'blue';
      body.appendChild(el('p', { className: 'ecsd-co-ttl', 'data-side': old, text: (until > now
        ? 'Clients may still resolve ' + old + ' until ' + clock(until) + ' (' + ctx.fmtDuration(until - now) + ')'
        : 'No client resolves ' + old + ' any more (since ' + clock(until) + ')') }));
    }
    var weights = Array.isArray(raw.weights) ? raw.weights : [];
    body.appendChild(el('figure', { className: 'ecsd-co-figure' }, [chart(weights, now, text),
      el('figcaption', { className: 'ecsd-muted', text: 'Green\'s share of the answers; ○ change asked for, ● INSYNC' })]));
    [sideLine(el, text, 'blue', raw.blue), sideLine(el, text, 'green', raw.green)].forEach(function (p) { if (p) body.appendChild(p); });
    if (raw.greenDeployment) {
      body.appendChild(el('p', { className: 'ecsd-muted', text: 'Green\'s deployment first: ' + text(raw.greenDeployment) }));
    }
    var steps = Array.isArray(raw.steps) ? raw.steps : [];
    if (steps.length) {
      body.appendChild(el('ol', { className: 'ecsd-co-steps' }, steps.map(function (st) {
        var wait = ms(st.waitUntil);
        var extra = st.state === 'WAITING' && wait !== null && wait > now ? ' · ' + ctx.fmtDuration(wait - now) + ' left' : '';
        return el('li', { 'data-state': text(st.state) }, [
          el('strong', { text: 'green ' + text(st.greenPercent) + ' %' }), ' ',
          el('span', { text: (STATE_WORDS[st.state] || text(st.state)) + extra }),
          st.inSyncAt ? el('span', { className: 'ecsd-muted', text: ' · INSYNC ' + clock(ms(st.inSyncAt)) }) : null]);
      })));
    }
    var checks = Array.isArray(raw.healthChecks) ? raw.healthChecks.slice(-6) : [];
    if (checks.length) {
      body.appendChild(el('h3', { text: 'Health checks of green' }));
      body.appendChild(el('ul', { className: 'ecsd-co-checks' }, checks.map(function (h) {
        return el('li', { 'data-ok': h.ok ? 'true' : 'false' }, [
          el('span', { text: (h.ok ? 'OK' : 'FAILED') + ' before step ' + text(h.step) + ' (' + text(h.attempt) + '/' + text(h.attempts) + ')' }),
          el('span', { className: 'ecsd-muted ecsd-mono', text: ' ' + text(h.url) }),
          el('span', { text: (n(h.status) !== null ? ' → HTTP ' + h.status : '') + (h.detail ? ' · ' + text(h.detail) : '') })]);
      })));
    }
    return true;
  }

  var SWITCH_WORDS = { WAITING: 'not yet: set at ', FLIPPED: 'green works, blue stops', FLIPPED_BACK: 'set back: blue works again',
    NOT_FLIPPED: 'not changed', FAILED: 'failed' };

  function renderSwitchover(body, raw, ctx) {
    var sw = raw && raw.switchover;
    if (!sw || typeof sw !== 'object') return false;
    var el = ctx.el, text = ctx.text;
    body.appendChild(el('p', { className: 'ecsd-co-switch', 'data-status': text(sw.status) }, [
      el('strong', { className: 'ecsd-mono', text: text(sw.parameter) }), ' ',
      el('span', { text: (SWITCH_WORDS[sw.status] || text(sw.status)) + (sw.status === 'WAITING' ? text(sw.stage) : '') })]));
    body.appendChild(el('p', { className: 'ecsd-muted' }, [
      'green\'s value ', el('code', { text: text(sw.greenValue) }), ' · blue\'s value ', el('code', { text: text(sw.blueValue) }),
      sw.previousValue ? ' · before: ' : null, sw.previousValue ? el('code', { text: text(sw.previousValue) }) : null]));
    var times = [];
    if (sw.flippedAt) times.push('set to green ' + clock(ms(sw.flippedAt)));
    if (sw.flippedBackAt) times.push('set back ' + clock(ms(sw.flippedBackAt)));
    if (times.length) body.appendChild(el('p', { className: 'ecsd-muted', text: times.join(' · ') }));
    if (sw.detail) body.appendChild(el('p', { className: sw.status === 'FAILED' ? 'ecsd-error' : 'ecsd-muted', text: text(sw.detail) }));
    return true;
  }

  if (window.EcsDeployProgress && window.EcsDeployProgress.registerSection) {
    window.EcsDeployProgress.registerSection('dns-cutover', { title: 'DNS cutover', order: 5, wide: true,
      render: function (body, raw, ctx) { return raw && raw.kind === 'DNS_CUTOVER' ? renderCutover(body, raw, ctx) : false; } });
    window.EcsDeployProgress.registerSection('switchover', { title: 'Switchover flag', order: 8, wide: true, render: renderSwitchover });
  }
}());
