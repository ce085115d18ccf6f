/*
 * Progress page for one Amazon ECS service deployment (shared by the CLI demo and the Jenkins plugin).
 *
 * Configuration is read from data attributes of every element with class "ecsd" (usually one):
 *   data-snapshot-url   GET, returns the snapshot JSON (docs/snapshot-schema.md, schemaVersion 1)   required
 *   data-approve-url    POST {hookId, comment} to continue a waiting gate                            optional
 *   data-rollback-url   POST {hookId, comment} to roll back (the gate, or the deployment if no gate) optional
 *   data-abort-url      POST {comment} to roll the running deployment back now, no gate needed    optional
 *                       ("Roll back now": shown only while the deployment is PENDING/IN_PROGRESS, not
 *                       rolling back, not finished and not waiting at a gate; absent or empty = no button)
 *   data-csrf-header    request header name carrying the CSRF token (e.g. "Jenkins-Crumb")          optional
 *   data-csrf-token     the token value                                                           optional
 *   data-poll-ms        poll interval in milliseconds (default 2000)                               optional
 *   data-title          heading text (default: the service name from the snapshot)                optional
 *
 * Security: every string that comes from the snapshot or from a server answer is untrusted (image
 * names, reasons, user ids). It is only ever put into the page with textContent / createTextNode /
 * setAttribute on non-URL attributes; this file never uses innerHTML, outerHTML, insertAdjacentHTML
 * or document.write.
 * Nothing is fetched except the configured snapshot URL and the POST URLs (no CDN, no fonts).
 */
(function () {
  'use strict';

  // The stages come from the snapshot's expectedStages (the engine's list per strategy, EcsStages; empty for ROLLING,
  // which reports none). This copy of the engine's order is only for a host whose snapshot has no expectedStages.
  var ECS_STAGES = ['RECONCILE_SERVICE', 'PRE_SCALE_UP', 'SCALE_UP', 'POST_SCALE_UP', 'TEST_TRAFFIC_SHIFT',
    'POST_TEST_TRAFFIC_SHIFT', 'PRE_PRODUCTION_TRAFFIC_SHIFT', 'PRODUCTION_TRAFFIC_SHIFT', 'POST_PRODUCTION_TRAFFIC_SHIFT',
    'BAKE_TIME', 'CLEAN_UP'];
  var TERMINAL_STATUSES = ['SUCCESSFUL', 'STOPPED', 'ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED'];

  // ---------- small DOM helpers: text only ----------
  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        var v = attrs[k];
        if (v === null || v === undefined || v === false) return;
        if (k === 'text') e.textContent = String(v);
        else if (k === 'className') e.className = v;
        else e.setAttribute(k, String(v));
      });
    }
    (children || []).forEach(function (c) {
      if (c === null || c === undefined) return;
      e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    });
    return e;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function str(v) { return v === null || v === undefined ? '' : String(v); }
  function num(v) { return typeof v === 'number' && isFinite(v) ? v : null; }
  function first() { for (var i = 0; i < arguments.length; i++) { if (arguments[i] !== undefined && arguments[i] !== null) return arguments[i]; } return null; }

  // Timestamps may come as ISO-8601 strings or epoch numbers (seconds or milliseconds).
  function toMillis(v) {
    if (v === null || v === undefined || v === '') return null;
    if (typeof v === 'number') return v < 1e11 ? v * 1000 : v;
    var t = Date.parse(v);
    return isNaN(t) ? null : t;
  }
  function fmtDuration(ms) {
    if (ms === null || ms < 0) return '';
    var s = Math.floor(ms / 1000), h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
    if (h > 0) return h + 'h ' + m + 'm';
    if (m > 0) return m + 'm ' + (sec < 10 ? '0' : '') + sec + 's';
    return sec + 's';
  }
  function fmtPercent(v) {
    var n = num(v);
    if (n === null) return '–';
    return (Math.round(n * 10) / 10) + '%';
  }
  function fmtTime(ms) {
    if (ms === null) return '';
    var d = new Date(ms);
    return d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  }
  // Time of day (UTC) for tables; the full timestamp goes into the cell's title.
  function fmtClock(ms) {
    if (ms === null) return '';
    return new Date(ms).toISOString().substring(11, 19) + 'Z';
  }

  // ---------- snapshot normalisation (the one place that knows the JSON field names) ----------
  function side(raw) {
    raw = raw || {};
    var tasks = raw.tasks || {};
    var images = raw.images || raw.containerImages || null;
    var imageList = [];
    if (Array.isArray(images)) {
      images.forEach(function (i) {
        if (i && typeof i === 'object') imageList.push((i.container ? i.container + '=' : '') + str(i.image));
        else imageList.push(str(i));
      });
    } else if (images && typeof images === 'object') {
      Object.keys(images).forEach(function (k) { imageList.push(k + '=' + str(images[k])); });
    } else if (raw.image) {
      imageList.push(str(raw.image));
    }
    return {
      revisionArn: Array.isArray(raw.revisionArns) ? raw.revisionArns.map(str).join(', ')
        : str(first(raw.revisionArn, raw.serviceRevisionArn)),
      taskDefinition: str(first(raw.taskDefinition, raw.taskDefinitionArn)),
      images: imageList,
      requested: num(first(raw.requestedTasks, raw.requested, tasks.requested)),
      running: num(first(raw.runningTasks, raw.running, tasks.running)),
      pending: num(first(raw.pendingTasks, raw.pending, tasks.pending)),
      production: num(first(raw.productionTrafficPercent, raw.productionWeight, raw.production)),
      test: num(first(raw.testTrafficPercent, raw.testWeight, raw.test))
    };
  }

  function normalize(s) {
    s = s || {};
    var out = {
      deploymentArn: str(s.deploymentArn),
      cluster: str(first(s.cluster, s.clusterArn)),
      service: str(first(s.service, s.serviceName, s.serviceArn)),
      strategy: str(s.strategy),
      status: str(s.status),
      statusReason: str(s.statusReason),
      current: str(first(s.lifecycleStage, s.currentStage)),
      // "now" is optional: a host whose clock is not the browser's (the demo runs in virtual time) adds it.
      now: toMillis(s.now),
      updatedAt: toMillis(s.updatedAt),
      startedAt: toMillis(first(s.startedAt, s.createdAt)),
      blue: side(s.blue || s.source),
      green: side(s.green || s.target),
      stages: [],
      plannedStages: Array.isArray(s.expectedStages) ? s.expectedStages.map(str) : null,
      rollback: s.rollback && typeof s.rollback === 'object' ? { cause: str(s.rollback.cause), reason: str(s.rollback.reason) } : null,
      hooks: [],
      alarms: [],
      alarmsTriggered: [],
      circuitBreaker: s.circuitBreaker || null,
      gates: [],
      outcome: null,
      events: Array.isArray(s.events) ? s.events : []
    };
    (Array.isArray(s.stages) ? s.stages : (Array.isArray(s.stageHistory) ? s.stageHistory : [])).forEach(function (st) {
      if (!st) return;
      out.stages.push({
        name: str(first(st.stage, st.name)),
        enteredAt: toMillis(first(st.enteredAt, st.startedAt, st.at)),
        leftAt: toMillis(first(st.leftAt, st.endedAt)),
        // false: no poll saw it, but the deployment passed it between two polls (snapshot-schema.md "stages")
        observed: st.observed !== false
      });
    });
    (Array.isArray(s.hooks) ? s.hooks : []).forEach(function (h) {
      if (!h) return;
      out.hooks.push({
        hookId: str(h.hookId), stage: str(h.stage), targetType: str(h.targetType),
        target: str(first(h.targetArn, h.hookTargetArn, h.functionArn)), status: str(h.status),
        expiresAt: toMillis(h.expiresAt), gate: !!h.gate
      });
    });
    var alarms = s.alarms;
    if (Array.isArray(alarms)) {
      alarms.forEach(function (a) {
        if (a && typeof a === 'object') out.alarms.push({ name: str(a.name), state: str(first(a.state, a.status)) });
        else out.alarms.push({ name: str(a), state: '' });
      });
    } else if (alarms && typeof alarms === 'object') {
      (alarms.names || alarms.alarmNames || []).forEach(function (n) { out.alarms.push({ name: str(n), state: '' }); });
      out.alarmsTriggered = (alarms.triggered || alarms.triggeredAlarmNames || []).map(str);
      if (alarms.status) out.alarmStatus = str(alarms.status);
    }
    out.alarms.forEach(function (a) {
      if (!a.state) a.state = out.alarmsTriggered.indexOf(a.name) >= 0 ? 'ALARM' : (out.alarmStatus || '');
    });
    (Array.isArray(s.gates) ? s.gates : []).forEach(function (g) {
      if (!g) return;
      var d = g.decision || {};
      out.gates.push({
        stage: str(g.stage), hookId: str(g.hookId), status: str(first(g.state, g.status)),
        expiresAt: toMillis(g.expiresAt),
        awaitingSince: toMillis(first(g.awaitingSince, g.since, g.awaitingAt)),
        action: str(first(d.action, g.action)),
        by: str(first(d.by, d.decidedBy, g.decidedBy, g.by)),
        comment: str(first(d.comment, g.comment)),
        decidedAt: toMillis(first(d.at, d.decidedAt, g.decidedAt)),
        timeoutMinutes: num(g.timeoutMinutes), timeoutAction: str(g.timeoutAction)
      });
    });
    out.gates.forEach(function (g) {
      if (!g.status) g.status = g.action ? 'DECIDED' : 'AWAITING_ACTION';
      if (!g.action && g.status === 'CONTINUED') g.action = 'CONTINUE';
      if (!g.action && g.status === 'ROLLED_BACK') g.action = 'ROLLBACK';
    });
    // Without a host-supplied "now", use the browser clock, but never earlier than the last event.
    if (out.now === null) out.now = Math.max(Date.now(), out.updatedAt || 0);
    if (s.outcome && typeof s.outcome === 'object' && s.outcome.kind) {
      out.outcome = { kind: str(s.outcome.kind), cause: str(s.outcome.cause), reason: str(s.outcome.reason),
        decidedBy: str(s.outcome.decidedBy), plainWords: str(s.outcome.plainWords), warning: str(s.outcome.warning) };
    }
    return out;
  }

  function isAwaiting(g) { return g.status === 'AWAITING_ACTION' || g.status === 'AWAITING' || g.status === 'WAITING'; }

  // ---------- rendering ----------
  function Page(root) {
    this.root = root;
    this.cfg = {
      snapshotUrl: root.getAttribute('data-snapshot-url'),
      approveUrl: root.getAttribute('data-approve-url'),
      rollbackUrl: root.getAttribute('data-rollback-url'),
      abortUrl: root.getAttribute('data-abort-url') || null,
      csrfHeader: root.getAttribute('data-csrf-header'),
      csrfToken: root.getAttribute('data-csrf-token'),
      pollMs: parseInt(root.getAttribute('data-poll-ms') || '2000', 10) || 2000,
      title: root.getAttribute('data-title')
    };
    this.snapshot = null;
    this.busy = false;
    this.message = null;
    this.renderedGateKey = null;
    // "Roll back now": idle → confirm (second step) → sending → sent; kept across polls (the page re-renders often)
    this.abortState = 'idle';
    this.renderedAbortKey = null;
    this.build();
  }

  Page.prototype.build = function () {
    var root = this.root;
    clear(root);
    this.titleEl = el('h1', { text: this.cfg.title || 'Deployment' });
    this.subtitleEl = el('div', { className: 'ecsd-muted ecsd-mono' });
    this.pillEl = el('span', { className: 'ecsd-status-pill', role: 'status', 'aria-live': 'polite', tabindex: '-1', text: 'loading…' });
    root.appendChild(el('div', { className: 'ecsd-header' }, [
      el('div', null, [this.titleEl, this.subtitleEl]), this.pillEl
    ]));
    this.errorEl = el('p', { className: 'ecsd-error', role: 'alert', hidden: 'hidden' });
    root.appendChild(this.errorEl);
    this.outcomeEl = el('section', { className: 'ecsd-outcome', 'aria-live': 'polite', hidden: 'hidden' });
    root.appendChild(this.outcomeEl);
    this.gateEl = el('section', { className: 'ecsd-gate', 'aria-labelledby': 'ecsd-gate-title', hidden: 'hidden' });
    root.appendChild(this.gateEl);
    this.abortEl = el('section', { className: 'ecsd-abort', 'aria-label': 'Roll back now', hidden: 'hidden' });
    var self = this;
    this.abortEl.addEventListener('keydown', function (e) {
      if ((e.key === 'Escape' || e.key === 'Esc') && self.abortState === 'confirm') { e.preventDefault(); self.cancelAbort(); }
    });
    root.appendChild(this.abortEl);

    this.stagesEl = el('ol', { className: 'ecsd-stages' });
    this.trafficEl = el('div');
    this.revisionsEl = el('div', { className: 'ecsd-revisions' });
    this.hooksEl = el('div');
    this.alarmsEl = el('div');
    this.decisionsEl = el('div');
    this.eventsEl = el('div');
    root.appendChild(el('div', { className: 'ecsd-grid' }, [
      el('section', { className: 'ecsd-panel', 'aria-label': 'Stages' }, [el('h2', { text: 'Stages' }), this.stagesEl]),
      el('section', { className: 'ecsd-panel', 'aria-label': 'Traffic and tasks' }, [
        el('h2', { text: 'Traffic' }), this.trafficEl, el('h2', { text: 'Revisions and tasks' }), this.revisionsEl
      ]),
      el('section', { className: 'ecsd-panel ecsd-span', 'aria-label': 'Gates' }, [el('h2', { text: 'Gates and decisions' }), this.decisionsEl]),
      el('section', { className: 'ecsd-panel', 'aria-label': 'Alarms' }, [el('h2', { text: 'Alarms and circuit breaker' }), this.alarmsEl]),
      el('section', { className: 'ecsd-panel', 'aria-label': 'Hooks' }, [el('h2', { text: 'Lifecycle hooks' }), this.hooksEl]),
      el('section', { className: 'ecsd-panel ecsd-span', 'aria-label': 'Recent events' }, [el('h2', { text: 'Recent events' }), this.eventsEl])
    ]));
    this.footerEl = el('p', { className: 'ecsd-footer ecsd-muted' });
    root.appendChild(this.footerEl);
  };

  Page.prototype.render = function (raw) {
    var s = normalize(raw);
    this.snapshot = s;
    if (!this.cfg.title) this.titleEl.textContent = (s.service || 'Deployment') + (s.strategy ? ' · ' + s.strategy : '');
    this.subtitleEl.textContent = s.deploymentArn;
    var awaiting = s.gates.filter(isAwaiting);
    var pillText, pillKind;
    if (s.outcome) { pillText = s.outcome.kind; pillKind = s.outcome.kind; }
    else if (awaiting.length && !s.outcome) { pillText = 'WAITING FOR APPROVAL'; pillKind = 'WAITING'; }
    else if (s.rollback) { pillText = 'ROLLING BACK (' + s.rollback.cause + ')'; pillKind = 'ROLLING_BACK'; }
    else { pillText = (s.status || 'IN_PROGRESS') + (s.current ? ' · ' + s.current : ''); pillKind = 'RUNNING'; }
    this.pillEl.textContent = pillText;
    this.pillEl.setAttribute('data-kind', pillKind);
    this.renderOutcome(s);
    this.renderGate(s, s.outcome ? [] : awaiting);
    this.renderAbort(s, awaiting);
    this.renderStages(s);
    this.renderTraffic(s);
    this.renderRevisions(s);
    this.renderDecisions(s);
    this.renderHooks(s);
    this.renderAlarms(s);
    this.renderEvents(s);
    this.footerEl.textContent = 'Snapshot at ' + fmtTime(s.now !== null ? s.now : Date.now())
      + (s.outcome ? ' · final' : ' · refreshing every ' + Math.round(this.cfg.pollMs / 100) / 10 + ' s');
  };

  Page.prototype.renderOutcome = function (s) {
    var o = s.outcome, box = this.outcomeEl;
    clear(box);
    if (!o) { box.hidden = true; return; }
    box.hidden = false;
    box.setAttribute('data-kind', o.kind);
    box.appendChild(el('h2', { className: 'ecsd-outcome-kind', text: o.kind }));
    var parts = [];
    if (o.cause) parts.push('cause ' + o.cause);
    if (o.decidedBy) parts.push('by ' + o.decidedBy);
    // the engine's plain words for the outcome (Outcome.plainWords), the same text the CLI and the plugin show
    box.appendChild(el('p', { className: 'ecsd-outcome-reason', text: o.plainWords || o.reason || s.statusReason || '' }));
    if (o.warning) box.appendChild(el('p', { className: 'ecsd-outcome-warning', role: 'alert', text: 'Warning: ' + o.warning }));
    if (parts.length) box.appendChild(el('p', { className: 'ecsd-outcome-detail', text: parts.join(' · ') }));
  };

  Page.prototype.renderGate = function (s, awaiting) {
    var box = this.gateEl, self = this;
    var g = awaiting[0];
    var key = g ? g.hookId + '|' + g.stage : null;
    if (key === this.renderedGateKey) { // keep the comment the user is typing and the focus
      if (g && this.gateExpiresEl) this.gateExpiresEl.textContent = expiryText(g, s);
      return;
    }
    this.renderedGateKey = key;
    // keyboard users: when the box they were in goes away (decided), keep focus on the page's status, not <body>
    var hadFocus = box.contains(document.activeElement);
    clear(box);
    this.gateExpiresEl = null;
    if (!g) {
      box.hidden = true;
      if (hadFocus) this.pillEl.focus();
      return;
    }
    box.hidden = false;
    box.setAttribute('data-hook-id', g.hookId);
    box.appendChild(el('h2', { id: 'ecsd-gate-title', text: 'Approval needed at ' + g.stage }));
    box.appendChild(el('p', { text: 'The deployment is paused. Green is running' + (s.green.test !== null ? ' with ' + fmtPercent(s.green.test) + ' of test traffic' : '')
      + (s.green.production !== null ? ' and ' + fmtPercent(s.green.production) + ' of production traffic' : '') + '.' }));
    this.gateExpiresEl = el('p', { className: 'ecsd-muted', text: expiryText(g, s) });
    box.appendChild(this.gateExpiresEl);
    var comment = el('input', { type: 'text', name: 'comment', maxlength: '500', autocomplete: 'off' });
    var approve = el('button', { type: 'button', className: 'ecsd-btn ecsd-btn-approve', 'data-action': 'approve', text: 'Approve' });
    var rollback = el('button', { type: 'button', className: 'ecsd-btn ecsd-btn-rollback', 'data-action': 'rollback', text: 'Roll back' });
    if (!this.cfg.approveUrl) approve.disabled = true;
    if (!this.cfg.rollbackUrl) rollback.disabled = true;
    this.messageEl = el('p', { className: 'ecsd-message', role: 'status', 'aria-live': 'polite' });
    approve.addEventListener('click', function () { self.decide('approve', self.cfg.approveUrl, g, comment.value, [approve, rollback]); });
    rollback.addEventListener('click', function () { self.decide('rollback', self.cfg.rollbackUrl, g, comment.value, [approve, rollback]); });
    box.appendChild(el('div', { className: 'ecsd-gate-actions' }, [
      el('label', null, ['Comment (optional)', comment]), approve, rollback
    ]));
    box.appendChild(this.messageEl);
  };

  // A deployment "Roll back now" may stop: ECS takes StopServiceDeployment(ROLLBACK) while PENDING or IN_PROGRESS
  // (ecs-api-facts §5d). At a gate the gate's own Roll back decides instead (it records the gate decision).
  function canRollBackNow(s, awaiting) {
    return !s.outcome && !s.rollback && (s.status === 'PENDING' || s.status === 'IN_PROGRESS') && awaiting.length === 0;
  }

  Page.prototype.renderAbort = function (s, awaiting) {
    var box = this.abortEl, self = this;
    if (!this.cfg.abortUrl) { box.hidden = true; return; }
    var show = !s.outcome && (this.abortState === 'sending' || this.abortState === 'sent' || canRollBackNow(s, awaiting));
    if (!show && this.abortState !== 'sending') { this.abortState = 'idle'; this.abortText = null; }
    var key = show ? this.abortState : 'hidden';
    if (key === this.renderedAbortKey) return; // keep the comment being typed and the focus
    this.renderedAbortKey = key;
    var hadFocus = box.contains(document.activeElement);
    clear(box);
    if (!show) {
      box.hidden = true;
      if (hadFocus) this.pillEl.focus();
      return;
    }
    box.hidden = false;
    box.setAttribute('data-state', this.abortState);
    this.abortMessageEl = el('p', { className: 'ecsd-message', role: 'status', 'aria-live': 'polite' });
    if (this.abortState === 'idle') {
      var start = el('button', { type: 'button', className: 'ecsd-btn ecsd-btn-rollback', 'data-action': 'rollback-now', text: 'Roll back now' });
      start.addEventListener('click', function () {
        self.abortState = 'confirm';
        self.renderAbort(self.snapshot, self.snapshot.gates.filter(isAwaiting));
      });
      box.appendChild(el('div', { className: 'ecsd-abort-actions' }, [
        el('span', { className: 'ecsd-muted', text: 'Something wrong? Stop this deployment and return all traffic to the previous revision.' }),
        start
      ]));
      if (hadFocus) start.focus();
      return;
    }
    // the second step: say what happens, optional comment, confirm or cancel (keyboard: Tab, Enter, Escape)
    box.appendChild(el('h2', { id: 'ecsd-abort-title', text: 'Roll back ' + (s.service || 'this deployment') + ' now?' }));
    box.setAttribute('aria-labelledby', 'ecsd-abort-title');
    box.appendChild(el('p', { text: 'ECS stops this deployment and moves all traffic back to the revision that ran before ('
      + 'StopServiceDeployment with ROLLBACK). This cannot be undone; deploy again to retry.' }));
    var comment = el('input', { type: 'text', name: 'abort-comment', maxlength: '500', autocomplete: 'off' });
    var confirm = el('button', { type: 'button', className: 'ecsd-btn ecsd-btn-rollback', 'data-action': 'rollback-now-confirm', text: 'Yes, roll back now' });
    var cancel = el('button', { type: 'button', className: 'ecsd-btn ecsd-btn-cancel', 'data-action': 'rollback-now-cancel', text: 'Cancel' });
    var busy = this.abortState !== 'confirm';
    if (busy) { confirm.disabled = true; cancel.disabled = true; comment.disabled = true; }
    cancel.addEventListener('click', function () { self.cancelAbort(); });
    confirm.addEventListener('click', function () { self.rollBackNow(comment.value); });
    box.appendChild(el('div', { className: 'ecsd-gate-actions' }, [
      el('label', null, ['Comment (optional)', comment]), confirm, cancel
    ]));
    box.appendChild(this.abortMessageEl);
    if (this.abortText) {
      this.abortMessageEl.textContent = this.abortText.text;
      if (this.abortText.error) this.abortMessageEl.setAttribute('data-kind', 'error');
    }
    if (this.abortState === 'confirm') comment.focus();
  };

  Page.prototype.cancelAbort = function () {
    this.abortState = 'idle';
    this.abortText = null;
    this.renderAbort(this.snapshot, this.snapshot.gates.filter(isAwaiting));
    var b = this.abortEl.querySelector('button');
    if (b) b.focus();
  };

  Page.prototype.rollBackNow = function (comment) {
    var self = this;
    if (!this.cfg.abortUrl || this.abortState !== 'confirm') return;
    this.abortState = 'sending';
    this.abortText = { text: 'Sending rollback…', error: false };
    this.renderAbort(this.snapshot, this.snapshot.gates.filter(isAwaiting));
    var headers = { 'Content-Type': 'application/json', 'Accept': 'application/json' };
    if (this.cfg.csrfHeader && this.cfg.csrfToken) headers[this.cfg.csrfHeader] = this.cfg.csrfToken;
    function done(state, text, error) {
      self.abortState = state;
      self.abortText = { text: text, error: error };
      self.renderedAbortKey = null; // show the answer even when the state did not change
      self.renderAbort(self.snapshot, self.snapshot.gates.filter(isAwaiting));
      if (error) { var c = self.abortEl.querySelector('button[data-action=rollback-now-confirm]'); if (c) c.focus(); }
      self.poll(true);
    }
    fetch(this.cfg.abortUrl, {
      method: 'POST', headers: headers, credentials: 'same-origin', cache: 'no-store',
      body: JSON.stringify({ comment: comment || '' })
    }).then(function (r) {
      return r.text().then(function (t) {
        var body = null;
        try { body = t ? JSON.parse(t) : null; } catch (e) { body = null; }
        return { ok: r.ok, status: r.status, body: body };
      });
    }).then(function (res) {
      var m = res.body && (res.body.message || res.body.result || res.body.error);
      if (res.ok) done('sent', str(m || 'Rollback requested.'), false);
      else done('confirm', 'Refused (HTTP ' + res.status + ')' + (m ? ': ' + str(m) : ''), true);
    }, function (err) {
      done('confirm', 'Could not send: ' + str(err && err.message), true);
    });
  };

  function expiryText(g, s) {
    if (g.expiresAt === null) return '';
    var now = s.now !== null ? s.now : Date.now();
    return 'If nobody decides, the gate times out in ' + fmtDuration(g.expiresAt - now)
      + (g.timeoutAction ? ' and the deployment will ' + (g.timeoutAction === 'CONTINUE' ? 'continue' : 'roll back') : '') + '.';
  }

  Page.prototype.decide = function (what, url, gate, comment, buttons) {
    var self = this;
    if (!url || this.busy) return;
    this.busy = true;
    buttons.forEach(function (b) { b.disabled = true; });
    this.messageEl.removeAttribute('data-kind');
    this.messageEl.textContent = what === 'approve' ? 'Sending approval…' : 'Sending rollback…';
    var headers = { 'Content-Type': 'application/json', 'Accept': 'application/json' };
    if (this.cfg.csrfHeader && this.cfg.csrfToken) headers[this.cfg.csrfHeader] = this.cfg.csrfToken;
    fetch(url, {
      method: 'POST', headers: headers, credentials: 'same-origin', cache: 'no-store',
      body: JSON.stringify({ hookId: gate.hookId, stage: gate.stage, comment: comment || '' })
    }).then(function (r) {
      return r.text().then(function (t) {
        var body = null;
        try { body = t ? JSON.parse(t) : null; } catch (e) { body = null; }
        return { ok: r.ok, status: r.status, body: body };
      });
    }).then(function (res) {
      self.busy = false;
      var m = res.body && (res.body.message || res.body.result || res.body.error);
      if (res.ok) {
        self.messageEl.textContent = str(m || (what === 'approve' ? 'Approved.' : 'Rollback requested.'));
      } else {
        self.messageEl.setAttribute('data-kind', 'error');
        self.messageEl.textContent = 'Refused (HTTP ' + res.status + ')' + (m ? ': ' + str(m) : '');
        buttons.forEach(function (b) { b.disabled = false; });
      }
      self.poll(true);
    }, function (err) {
      self.busy = false;
      self.messageEl.setAttribute('data-kind', 'error');
      self.messageEl.textContent = 'Could not send: ' + str(err && err.message);
      buttons.forEach(function (b) { b.disabled = false; });
    });
  };

  Page.prototype.renderStages = function (s) {
    var list = this.stagesEl;
    clear(list);
    var names = s.plannedStages ? s.plannedStages.slice() : ECS_STAGES.slice();
    var byName = {};
    s.stages.forEach(function (st) {
      if (names.indexOf(st.name) < 0) names.push(st.name);
      // a stage can be entered more than once (rollback walks back); keep the first entry and the last exit
      var prev = byName[st.name];
      if (!prev) byName[st.name] = { enteredAt: st.enteredAt, leftAt: st.leftAt, observed: st.observed };
      else if (!prev.observed && st.observed) byName[st.name] = { enteredAt: st.enteredAt, leftAt: st.leftAt, observed: true };
      else if (st.observed) prev.leftAt = st.leftAt;
    });
    var now = s.now !== null ? s.now : Date.now();
    var currentIdx = names.indexOf(s.current);
    var finished = !!s.outcome || TERMINAL_STATUSES.indexOf(s.status) >= 0;
    // How far the deployment went forward: a rollback ends in CLEAN_UP, but the stages between the last one reached
    // and CLEAN_UP were never reached, not merely unseen.
    var furthest = -1;
    names.forEach(function (n, i) { if (byName[n] && n !== 'CLEAN_UP') furthest = Math.max(furthest, i); });
    var rolledBack = !!s.rollback || (s.outcome && s.outcome.kind !== 'SUCCEEDED');
    if (rolledBack) currentIdx = Math.min(currentIdx < 0 ? furthest : currentIdx, furthest);
    names.forEach(function (name, i) {
      var h = byName[name], state, time = '', title = null;
      if (name === s.current && !finished) {
        state = 'current';
        time = h && h.enteredAt !== null ? fmtDuration(now - h.enteredAt) + ' in stage' : 'now';
      } else if (h && !h.observed) {
        // the engine knows it happened (a later stage was seen) but no poll caught it: no duration to show
        state = 'passed'; time = 'passed'; title = 'passed between two polls';
      } else if (h) {
        state = 'done';
        var end = h.leftAt !== null ? h.leftAt : (finished ? null : now);
        time = h.enteredAt !== null && end !== null ? fmtDuration(end - h.enteredAt) : '';
      } else if (currentIdx >= 0 && i < currentIdx) {
        // ECS reports only the current stage; one shorter than a poll interval (or not run) is never seen.
        // RECONCILE_SERVICE runs only when more than one revision is active (ecs-api-facts §3b): maybe not at all.
        state = 'skipped';
        if (name === 'RECONCILE_SERVICE') {
          time = 'not run'; title = 'runs only when more than one service revision is active; no poll saw it';
        } else {
          time = 'not seen';
        }
      } else {
        state = finished || rolledBack ? 'skipped' : 'upcoming';
        time = finished || rolledBack ? 'not reached' : '';
      }
      list.appendChild(el('li', { className: 'ecsd-stage', 'data-stage': name, 'data-state': state, title: title,
        'aria-current': state === 'current' ? 'step' : null }, [
        stageName(name),
        el('span', { className: 'ecsd-stage-time', text: time })
      ]));
    });
  };

  // Stage names may only break after an underscore (a <wbr> element, never markup from a string).
  function stageName(name) {
    var span = el('span', { className: 'ecsd-stage-name' });
    name.split('_').forEach(function (part, i, all) {
      span.appendChild(document.createTextNode(part + (i < all.length - 1 ? '_' : '')));
      if (i < all.length - 1) span.appendChild(document.createElement('wbr'));
    });
    return span;
  }

  function trafficRow(label, green, blue) {
    var g = num(green), b = num(blue);
    if (g !== null && b === null) b = Math.max(0, 100 - g);
    if (b !== null && g === null) g = Math.max(0, 100 - b);
    var row = el('div', { className: 'ecsd-traffic-row' });
    row.appendChild(el('div', { className: 'ecsd-traffic-label' }, [
      el('span', { text: label }),
      el('span', { className: 'ecsd-traffic-values', text: 'blue ' + fmtPercent(b) + ' · green ' + fmtPercent(g) })
    ]));
    var bar = el('div', { className: 'ecsd-bar', role: 'img', 'aria-label': label + ': blue ' + fmtPercent(b) + ', green ' + fmtPercent(g) });
    var bs = el('span', { className: 'ecsd-bar-blue' }), gs = el('span', { className: 'ecsd-bar-green' });
    bs.style.width = (b === null ? 0 : Math.min(100, b)) + '%';
    gs.style.width = (g === null ? 0 : Math.min(100, g)) + '%';
    bar.appendChild(bs); bar.appendChild(gs);
    row.appendChild(bar);
    return row;
  }

  Page.prototype.renderTraffic = function (s) {
    clear(this.trafficEl);
    this.trafficEl.appendChild(trafficRow('Production traffic', s.green.production, s.blue.production));
    this.trafficEl.appendChild(trafficRow('Test traffic', s.green.test, s.blue.test));
  };

  function kv(pairs) {
    var dl = el('dl', { className: 'ecsd-kv' });
    pairs.forEach(function (p) {
      if (p[1] === null || p[1] === '' || p[1] === undefined) return;
      dl.appendChild(el('dt', { text: p[0] }));
      dl.appendChild(el('dd', { className: p[2] || null, text: p[1] }));
    });
    return dl;
  }
  function tasksText(r) {
    if (r.running === null && r.requested === null) return '';
    return str(r.running === null ? '?' : r.running) + ' running of ' + str(r.requested === null ? '?' : r.requested)
      + (r.pending ? ', ' + r.pending + ' pending' : '');
  }

  Page.prototype.renderRevisions = function (s) {
    var box = this.revisionsEl;
    clear(box);
    [['blue', 'Blue (current)', s.blue], ['green', 'Green (new)', s.green]].forEach(function (x) {
      var r = x[2];
      box.appendChild(el('div', { className: 'ecsd-rev', 'data-side': x[0] }, [
        el('h3', { text: x[1] }),
        kv([
          ['Tasks', tasksText(r)],
          ['Image', r.images.join(', '), 'ecsd-mono ecsd-image'],
          ['Revision', r.revisionArn, 'ecsd-mono'],
          ['Task definition', r.taskDefinition !== r.revisionArn ? r.taskDefinition : '', 'ecsd-mono']
        ])
      ]));
    });
  };

  // nowrap: indexes of columns that must not wrap (times, short states)
  function table(headers, rows, emptyText, nowrap) {
    if (!rows.length) return el('p', { className: 'ecsd-empty', text: emptyText });
    nowrap = nowrap || [];
    var cls = function (i) { return nowrap.indexOf(i) >= 0 ? 'ecsd-nowrap' : null; };
    var thead = el('thead', null, [el('tr', null, headers.map(function (h, i) { return el('th', { scope: 'col', className: cls(i), text: h }); }))]);
    var tbody = el('tbody', null, rows.map(function (r) {
      return el('tr', null, r.map(function (c, i) { return el('td', { className: cls(i), text: c }); }));
    }));
    return el('div', { className: 'ecsd-table-wrap' }, [el('table', null, [thead, tbody])]);
  }

  Page.prototype.renderDecisions = function (s) {
    clear(this.decisionsEl);
    var rows = s.gates.map(function (g) {
      var what = isAwaiting(g) ? 'waiting' : (g.action === 'CONTINUE' ? 'approved'
        : (g.action === 'ROLLBACK' ? 'rolled back' : (g.status === 'TIMED_OUT' ? 'timed out' : g.status.toLowerCase())));
      return [g.stage, what, g.by, g.comment, g.decidedAt !== null ? fmtClock(g.decidedAt) : ''];
    });
    this.decisionsEl.appendChild(table(['Stage', 'Decision', 'By', 'Comment', 'At'], rows, 'No gates in this deployment.', [1, 4]));
  };

  Page.prototype.renderHooks = function (s) {
    clear(this.hooksEl);
    var gateState = {};
    s.gates.forEach(function (g) { if (!isAwaiting(g)) gateState[g.hookId] = g.status; });
    var rows = s.hooks.map(function (h) {
      // a gate decided through the engine may be ahead of the hook status ECS last reported
      var status = h.targetType === 'PAUSE' && gateState[h.hookId] ? gateState[h.hookId] : h.status;
      return [h.stage, h.targetType === 'PAUSE' ? 'pause (gate)' : (h.target || h.targetType), status];
    });
    this.hooksEl.appendChild(table(['Stage', 'Hook', 'Status'], rows, 'No lifecycle hooks have run yet.'));
  };

  Page.prototype.renderAlarms = function (s) {
    clear(this.alarmsEl);
    var rows = s.alarms.map(function (a) { return [a.name, a.state]; });
    this.alarmsEl.appendChild(table(['Alarm', 'State'], rows, 'No CloudWatch alarms are watched by this deployment.'));
    var cb = s.circuitBreaker;
    if (cb && typeof cb === 'object' && (cb.triggered || num(cb.failureCount) !== null)) {
      var txt = 'Circuit breaker: ' + (cb.triggered ? 'triggered' : 'watching')
        + (num(cb.failureCount) !== null ? ' · ' + cb.failureCount + ' failed tasks' : '')
        + (num(cb.threshold) !== null ? ' (threshold ' + cb.threshold + ')' : '');
      this.alarmsEl.appendChild(el('p', { className: 'ecsd-muted', text: txt }));
    }
  };

  Page.prototype.renderEvents = function (s) {
    clear(this.eventsEl);
    var rows = s.events.slice(-12).reverse().map(function (e) {
      return [fmtClock(toMillis(e && e.at)), str(e && e.text)];
    });
    this.eventsEl.appendChild(table(['At', 'Event'], rows, 'No events yet.', [0]));
  };

  Page.prototype.showError = function (text) {
    if (!text) { this.errorEl.hidden = true; this.errorEl.textContent = ''; return; }
    this.errorEl.hidden = false;
    this.errorEl.textContent = text;
  };

  Page.prototype.poll = function (once) {
    var self = this;
    if (!this.cfg.snapshotUrl) { this.showError('No snapshot URL configured (data-snapshot-url).'); return; }
    fetch(this.cfg.snapshotUrl, { headers: { 'Accept': 'application/json' }, credentials: 'same-origin', cache: 'no-store' })
      .then(function (r) {
        if (!r.ok) throw new Error('HTTP ' + r.status);
        return r.json();
      })
      .then(function (json) {
        self.showError(null);
        self.render(json);
        return !!(self.snapshot && self.snapshot.outcome);
      }, function (err) {
        self.showError('Cannot load the deployment state: ' + str(err && err.message) + '. Retrying.');
        return false;
      })
      .then(function (done) {
        if (once) return;
        if (!done) { self.timer = setTimeout(function () { self.poll(false); }, self.cfg.pollMs); }
      });
  };

  function start() {
    var roots = document.querySelectorAll('.ecsd[data-snapshot-url]');
    for (var i = 0; i < roots.length; i++) {
      if (roots[i].getAttribute('data-ecsd-started')) continue;
      roots[i].setAttribute('data-ecsd-started', 'true');
      new Page(roots[i]).poll(false);
    }
  }

  // Exposed for tests and for hosts that add the root element later.
  window.EcsDeployProgress = { start: start, normalize: normalize };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
}());
