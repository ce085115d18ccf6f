/*
 * The group page of a release: several services released as one, in waves (docs/releases.md "The release page").
 * Shared like progress.js (docs/architecture.md D4): any host serves this file next to progress.js.
 *
 * Configuration from data attributes of every element with class "ecsr":
 *   data-snapshot-url   GET, the release snapshot JSON (docs/releases.md "The release snapshot")   required
 *   data-approve-url    POST {id, wave, hookId: "wave-N", comment} to approve the waiting wave's gate optional
 *   data-rollback-url   POST {id, wave, hookId: "wave-N", comment} to roll the release back there  optional
 *                       (hookId lets a host that speaks progress.js's {hookId, comment} answer it too: the CLI)
 *   data-release-id     the release's id in the host (sent as "id")                              optional
 *   data-csrf-header / data-csrf-token   the CSRF header and token                              optional
 *   data-poll-ms        poll interval (default 2000)                                             optional
 *
 * One column per wave, in order: the wave's state and its gate (with the approvals so far), and one card per service
 * side by side — cluster/service and region, state, current stage, the stages passed, green's share of production
 * traffic, and its outcome or revert.
 *
 * Security: every string from the snapshot or an answer is untrusted; it only ever reaches the page through
 * textContent / createTextNode (never innerHTML, outerHTML, insertAdjacentHTML or document.write).
 */
(function () {
  'use strict';

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  function stateClass(s) {
    s = String(s || '').toLowerCase();
    if (s === 'succeeded' || s === 'continued' || s === 'reverted') return 'ok';
    if (s.indexOf('rolled') === 0 || s.indexOf('fail') >= 0 || s === 'not_revertible') return 'bad';
    if (s === 'waiting' || s === 'at_gate' || s === 'waiting_at_gate') return 'wait';
    if (s.indexOf('rolling') === 0 || s === 'reverting') return 'warn';
    return 'run';
  }

  function post(cfg, url, body) {
    var headers = { 'Content-Type': 'application/json', 'Accept': 'application/json' };
    if (cfg.csrfHeader && cfg.csrfToken) headers[cfg.csrfHeader] = cfg.csrfToken;
    return fetch(url, { method: 'POST', headers: headers, credentials: 'same-origin', cache: 'no-store', body: JSON.stringify(body) })
      .then(function (r) {
        return r.text().then(function (t) {
          var msg = t;
          try { msg = JSON.parse(t).message || t; } catch (e) { /* plain text */ }
          return { ok: r.ok, message: msg };
        });
      });
  }

  function serviceCard(s) {
    var card = el('div', 'ecsr-service ecsr-' + stateClass(s.state));
    card.appendChild(el('div', 'ecsr-service-name', s.name));
    card.appendChild(el('div', 'ecsr-service-where', (s.cluster || 'default') + '/' + (s.service || '') + ' · ' + (s.region || '')));
    card.appendChild(el('div', 'ecsr-service-state', s.state));
    var d = s.deployment || {};
    if (d.lifecycleStage) card.appendChild(el('div', 'ecsr-service-stage', 'stage: ' + d.lifecycleStage));
    var stages = (d.stages || []).map(function (x) { return x.name; });
    if (stages.length) {
      var ol = el('ol', 'ecsr-stages');
      stages.forEach(function (n) { ol.appendChild(el('li', null, n)); });
      card.appendChild(ol);
    }
    var green = d.green || {};
    if (green.productionTrafficPercent !== undefined && green.productionTrafficPercent !== null) {
      var bar = el('div', 'ecsr-traffic');
      var fill = el('div', 'ecsr-traffic-green');
      var pct = Math.max(0, Math.min(100, Number(green.productionTrafficPercent) || 0));
      fill.style.width = pct + '%';
      bar.appendChild(fill);
      card.appendChild(bar);
      card.appendChild(el('div', 'ecsr-traffic-text', 'new revision: ' + pct + ' % of production traffic'));
    }
    if (s.outcome) card.appendChild(el('div', 'ecsr-service-outcome', s.outcome));
    if (s.note) card.appendChild(el('div', 'ecsr-service-note', s.note));
    return card;
  }

  function gateBox(cfg, raw, w, tally, refresh) {
    var box = el('div', 'ecsr-gate ecsr-' + stateClass(w.gate));
    box.appendChild(el('div', 'ecsr-gate-title', 'Gate: ' + w.gate + (w.gateDecidedBy ? ' by ' + w.gateDecidedBy : '')));
    if (tally) box.appendChild(el('div', 'ecsr-gate-tally', tally));
    if (w.gate === 'WAITING' && !raw.outcome && (cfg.approveUrl || cfg.rollbackUrl)) {
      var comment = el('input', 'ecsr-comment');
      comment.setAttribute('type', 'text');
      comment.setAttribute('placeholder', 'Comment (optional)');
      comment.setAttribute('aria-label', 'Comment for the gate of wave ' + (w.index + 1));
      box.appendChild(comment);
      var msg = el('div', 'ecsr-message');
      var send = function (url) {
        post(cfg, url, { id: cfg.releaseId, wave: String(w.index + 1), hookId: 'wave-' + (w.index + 1), comment: comment.value }).then(function (a) {
          msg.textContent = (a.ok ? '' : 'Refused: ') + a.message;
          refresh();
        }, function (e) { msg.textContent = 'Not sent: ' + e; });
      };
      if (cfg.approveUrl) {
        var ok = el('button', 'ecsr-approve', 'Approve wave ' + (w.index + 1));
        ok.setAttribute('type', 'button');
        ok.addEventListener('click', function () { send(cfg.approveUrl); });
        box.appendChild(ok);
      }
      if (cfg.rollbackUrl) {
        var no = el('button', 'ecsr-rollback', 'Roll back the release');
        no.setAttribute('type', 'button');
        no.addEventListener('click', function () { send(cfg.rollbackUrl); });
        box.appendChild(no);
      }
      box.appendChild(msg);
    }
    return box;
  }

  function render(root, cfg, raw, refresh) {
    while (root.firstChild) root.removeChild(root.firstChild);
    var head = el('div', 'ecsr-head ecsr-' + stateClass(raw.status));
    head.appendChild(el('h2', null, 'Release ' + (raw.name || '') + ': ' + raw.status));
    if (raw.outcome) head.appendChild(el('p', 'ecsr-outcome', raw.outcome.reason));
    else if (raw.reason) head.appendChild(el('p', 'ecsr-outcome', raw.reason));
    if (raw.causeService) head.appendChild(el('p', 'ecsr-cause', 'Caused by: ' + raw.causeService));
    root.appendChild(head);
    var tallies = {};
    (raw.waveGates || []).forEach(function (g) { tallies[g.wave - 1] = g.tally; });
    var waves = el('div', 'ecsr-waves');
    (raw.waves || []).forEach(function (w) {
      var col = el('section', 'ecsr-wave ecsr-' + stateClass(w.state));
      col.appendChild(el('h3', null, 'Wave ' + (w.index + 1) + ' · ' + w.state));
      var row = el('div', 'ecsr-services');
      (raw.services || []).filter(function (s) { return s.wave === w.index; }).forEach(function (s) {
        row.appendChild(serviceCard(s));
      });
      col.appendChild(row);
      if (w.gate && w.gate !== 'NONE') col.appendChild(gateBox(cfg, raw, w, tallies[w.index], refresh));
      waves.appendChild(col);
    });
    root.appendChild(waves);
  }

  function start(root) {
    var cfg = {
      snapshotUrl: root.getAttribute('data-snapshot-url'),
      approveUrl: root.getAttribute('data-approve-url'),
      rollbackUrl: root.getAttribute('data-rollback-url'),
      releaseId: root.getAttribute('data-release-id'),
      csrfHeader: root.getAttribute('data-csrf-header'),
      csrfToken: root.getAttribute('data-csrf-token'),
      pollMs: Number(root.getAttribute('data-poll-ms')) || 2000
    };
    var timer = null;
    function refresh() {
      fetch(cfg.snapshotUrl, { headers: { 'Accept': 'application/json' }, credentials: 'same-origin', cache: 'no-store' })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (raw) {
          if (raw) {
            var focused = document.activeElement && root.contains(document.activeElement);
            if (!focused) render(root, cfg, raw, refresh);
            if (raw.outcome && timer) { clearInterval(timer); timer = null; }
          }
        }, function () { /* the next poll tries again */ });
    }
    refresh();
    timer = setInterval(refresh, cfg.pollMs);
  }

  window.EcsDeployRelease = { render: render };
  document.addEventListener('DOMContentLoaded', function () {
    Array.prototype.forEach.call(document.querySelectorAll('.ecsr'), start);
  });
  if (document.readyState !== 'loading') {
    Array.prototype.forEach.call(document.querySelectorAll('.ecsr'), function (r) { if (!r.hasAttribute('data-started')) { r.setAttribute('data-started', '1'); start(r); } });
  }
}());
