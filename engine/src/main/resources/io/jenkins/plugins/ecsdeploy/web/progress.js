/*
 * Progress page for one Amazon ECS service deployment (shared by the CLI demo and the Jenkins plugin; docs/cli.md
 * "The progress page", docs/architecture.md D4).
 *
 * Configuration is read from data attributes of every element with class "ecsd" (usually one):
 *   data-snapshot-url   GET, returns the snapshot JSON (docs/snapshot-schema.md, schemaVersion 1)   required
 *   data-approve-url    POST {hookId, comment} to continue a waiting gate                            optional
 *   data-rollback-url   POST {hookId, comment} to roll back (the gate, or the deployment if no gate) optional
 *   data-abort-url      POST {comment} to roll the running deployment back now, no gate needed    optional
 *                       ("Roll back now": shown only while the deployment is PENDING/IN_PROGRESS, not
 *                       rolling back, not finished, not waiting at a gate and no gate was rolled back;
 *                       absent or empty = no button)
 *   data-csrf-header    request header name carrying the CSRF token (e.g. "Jenkins-Crumb")          optional
 *   data-csrf-token     the token value                                                           optional
 *   data-poll-ms        poll interval in milliseconds (default 2000)                               optional
 *   data-title          heading text (default: the service name from the snapshot)                optional
 *
 * EXTENSION POINT (for other features' panels, e.g. canary analysis, DNS cut-over):
 *   1. put the code in a NEW file next to this one, e.g. web/canary-analysis.js (+ canary-analysis.css if needed);
 *   2. add its base name to EXTENSION_FILES below (one small edit here): this script loads NAME.js (and NAME.css
 *      when listed with a ".css" flag) from the same directory, so every host (CLI, Jenkins) serves it unchanged;
 *   3. in that file call
 *        window.EcsDeployProgress.registerSection('canary-analysis', {
 *          title: 'Canary analysis',      // the panel's heading (text)
 *          order: 50,                     // panels sort by order; core panels use 10-90 (see CORE_ORDER)
 *          wide: true,                    // optional: span the whole grid row
 *          render: function (body, raw, ctx) { ... }   // body: the panel's element (emptied before each call);
 *        });                                           // raw: the snapshot JSON as served (your own members too);
 *                                                      // ctx: {now, normalized, el, text, fmtDuration, page}
 *      render() runs after every poll; return false to hide the panel for this snapshot. Build DOM with ctx.el /
 *      textContent only (no innerHTML: a unit test checks every web asset).
 *
 * Security: every string that comes from the snapshot or from a server answer is untrusted (image
 * names, reasons, user ids). It is only ever put into the page with textContent / createTextNode /
 * setAttribute on non-URL attributes; this file never uses innerHTML, outerHTML, insertAdjacentHTML
 * or document.write.
 * Nothing is fetched except the configured snapshot URL, the POST URLs and this directory's own assets (the
 * extension files, the favicons; no CDN, no fonts).
 */
(function () {
  'use strict';

  // Other features' files, loaded from this script's directory (see EXTENSION POINT above): 'name' loads name.js,
  // {name: 'x', css: true} also x.css.
  var EXTENSION_FILES = [{ name: 'analysis', css: true }, { name: 'cutover', css: true }];

  // The stages come from the snapshot's expectedStages (the engine's list per strategy, EcsStages; empty for ROLLING,
  // which reports none). This copy of the engine's order is only for a host whose snapshot has no expectedStages.
  var ECS_STAGES = ['RECONCILE_SERVICE', 'PRE_SCALE_UP', 'SCALE_UP', 'POST_SCALE_UP', 'TEST_TRAFFIC_SHIFT',
    'POST_TEST_TRAFFIC_SHIFT', 'PRE_PRODUCTION_TRAFFIC_SHIFT', 'PRODUCTION_TRAFFIC_SHIFT', 'POST_PRODUCTION_TRAFFIC_SHIFT',
    'BAKE_TIME', 'CLEAN_UP'];
  var TERMINAL_STATUSES = ['SUCCESSFUL', 'STOPPED', 'ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED'];
  var CORE_ORDER = { stages: 10, traffic: 20, gates: 30, alarms: 40, hooks: 60, events: 90 };

  // this script's own URL: the extension files and favicons sit next to it
  var SCRIPT_BASE = (function () {
    var s = document.currentScript && document.currentScript.src;
    return s ? s.replace(/[^/]*$/, '') : null;
  }());

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

  // Long tokens (ARNs, image names, texts with them) may only break after '/', ':', ',', '=' or '_' (a <wbr>), never
  // inside a word — not at a hyphen either ("us-east-1"): each piece between two break points is a nowrap span.
  // "public.ecr.aws/nginx/nginx:1.28" breaks as "public.ecr.aws/ nginx/ nginx:1.28". Spaces stay ordinary breaks.
  function breakable(text, breakAfter) {
    var span = el('span');
    var chars = breakAfter || '/:,=_';
    var buf = '';
    var s = str(text);
    function flush() {
      if (!buf) return;
      // words with a hyphen get their own nowrap piece; plain text stays a text node (ordinary line breaking)
      var parts = buf.split(/(\s+)/);
      parts.forEach(function (p) {
        if (!p) return;
        if (/\s/.test(p) || p.indexOf('-') < 0) span.appendChild(document.createTextNode(p));
        else span.appendChild(el('span', { className: 'ecsd-nobr', text: p }));
      });
      buf = '';
    }
    for (var i = 0; i < s.length; i++) {
      buf += s.charAt(i);
      if (chars.indexOf(s.charAt(i)) >= 0 && i < s.length - 1) {
        flush();
        span.appendChild(document.createElement('wbr'));
      }
    }
    flush();
    return span;
  }

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
  function fmtMinutes(ms) {
    var m = Math.ceil(ms / 60000);
    return m >= 120 ? Math.floor(m / 60) + ' h ' + (m % 60) + ' min' : m + ' min';
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
  function fmtHourMinute(ms) {
    return new Date(ms).toISOString().substring(11, 16) + ' UTC';
  }

  // ---------- snapshot normalisation (the one place that knows the JSON field names) ----------
  function side(raw) {
    raw = raw || {};
    var tasks = raw.tasks || {};
    var images = raw.images || raw.containerImages || null;
    var imageList = [];
    if (Array.isArray(images)) {
      images.forEach(function (i) {
        if (i && typeof i === 'object') imageList.push({ container: str(i.container), image: str(i.image) });
        else imageList.push({ container: '', image: str(i) });
      });
    } else if (images && typeof images === 'object') {
      Object.keys(images).forEach(function (k) { imageList.push({ container: k, image: str(images[k]) }); });
    } else if (raw.image) {
      imageList.push({ container: '', image: str(raw.image) });
    }
    return {
      revisionArn: Array.isArray(raw.revisionArns) ? raw.revisionArns.map(str).join(', ')
        : str(first(raw.revisionArn, raw.serviceRevisionArn)),
      taskDefinition: str(first(raw.taskDefinition, raw.taskDefinitionArn)),
      revisionName: str(raw.revisionName),
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
      virtualTime: s.virtualTime && typeof s.virtualTime === 'object' ? { speed: num(s.virtualTime.speed) } : null,
      updatedAt: toMillis(s.updatedAt),
      startedAt: toMillis(first(s.startedAt, s.createdAt)),
      blue: side(s.blue || s.source),
      green: side(s.green || s.target),
      stages: [],
      plannedStages: Array.isArray(s.expectedStages) ? s.expectedStages.map(str) : null,
      stageLabels: s.stageLabels && typeof s.stageLabels === 'object' ? s.stageLabels : {},
      revisionDescription: str(s.revisionDescription),
      imageChanges: Array.isArray(s.imageChanges) ? s.imageChanges : [],
      progress: s.progress && typeof s.progress === 'object' ? s.progress : null,
      rollback: s.rollback && typeof s.rollback === 'object' ? { cause: str(s.rollback.cause), reason: str(s.rollback.reason),
        startedAt: toMillis(s.rollback.startedAt) } : null,
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
        observed: st.observed !== false,
        // true: entered while the deployment rolled back or stopped (the rollback path)
        rollback: st.rollback === true
      });
    });
    (Array.isArray(s.hooks) ? s.hooks : []).forEach(function (h) {
      if (!h) return;
      out.hooks.push({
        hookId: str(h.hookId), stage: str(h.stage), targetType: str(h.targetType),
        target: str(first(h.targetArn, h.hookTargetArn, h.functionArn)), status: str(h.status),
        expiresAt: toMillis(h.expiresAt), timeoutAction: str(h.timeoutAction), gate: !!h.gate
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
      // a snapshot from before gates[].timeoutAction: the gate's PAUSE hook says it
      if (!g.timeoutAction) out.hooks.forEach(function (h) { if (h.hookId === g.hookId && h.timeoutAction) g.timeoutAction = h.timeoutAction; });
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
  function label(s, stage) { var l = s.stageLabels[stage]; return l ? str(l) : stage; }
  function noTraffic(s) {
    return s.blue.production === null && s.green.production === null && s.blue.test === null && s.green.test === null;
  }

  // "Canary 1/2 · 10 % · bake 3m 12s left · about 14 min to go": the engine's StepProgress (snapshot "progress",
  // absolute times) read on the page's clock.
  function stepText(s) {
    var p = s.progress;
    if (!p) {
      if (s.strategy === 'ROLLING' && !s.outcome) {
        var g = s.green;
        return 'Rolling update' + (g.requested === null ? '' : ' · ' + (g.running || 0) + ' of ' + g.requested + ' new tasks running');
      }
      return '';
    }
    if (p.phase === 'FINISHED') return '';
    var t = str(p.label) + ' ' + p.step + '/' + p.steps;
    if (num(p.percent) !== null) t += ' · ' + (Math.round(p.percent * 10) / 10) + ' %';
    else if (p.phase === 'BEFORE_PRODUCTION' || p.phase === 'AT_GATE') t += ' · no production traffic yet';
    if (p.phase === 'ROLLING_BACK') return t + ' · rolling back';
    if (p.phase === 'CLEAN_UP') return t + ' · cleaning up';
    var rest = (num(p.remainingMinutes) || 0) * 60000;
    if (p.phase === 'AT_GATE') return t + ' · waiting for a decision' + (rest > 0 ? ', then about ' + fmtMinutes(rest) : '');
    var ends = toMillis(p.bakeEndsAt), go = rest;
    if (ends !== null) {
      var left = ends - s.now;
      t += ' · ' + str(p.bakeName) + ' ' + (left > 0 ? fmtDuration(left) + ' left' : 'ending');
      if (left > 0) go += left;
    }
    return t + ' · ' + (go < 60000 ? 'less than a minute to go' : 'about ' + fmtMinutes(go) + ' to go');
  }

  // Who serves production: "Blue (current)" / "Green (new)" until green is live, then "Blue (previous)" /
  // "Green (live)"; after a rollback "Blue (live again)" / "Green (rolled back)".
  function sideLabels(s) {
    if (s.outcome && s.outcome.kind === 'SUCCEEDED') return ['Blue (previous)', 'Green (live)'];
    if (s.rollback || s.outcome) return ['Blue (live again)', 'Green (rolled back)'];
    if (s.green.production !== null && s.green.production >= 100) return ['Blue (kept ready)', 'Green (live)'];
    return ['Blue (current)', 'Green (new)'];
  }

  // ---------- sections other files register (EXTENSION POINT) ----------
  var SECTIONS = [];
  var PAGES = [];
  function registerSection(name, def) {
    if (!name || !def || typeof def.render !== 'function') throw new Error('registerSection(name, {render}) expected');
    SECTIONS = SECTIONS.filter(function (x) { return x.name !== name; });
    SECTIONS.push({ name: String(name), title: str(def.title || name), order: num(def.order) === null ? 50 : def.order,
      wide: !!def.wide, render: def.render });
    PAGES.forEach(function (p) { p.placeSections(); if (p.raw) p.renderSections(p.raw, p.snapshot); });
  }
  function loadExtensions() {
    if (!SCRIPT_BASE) return;
    EXTENSION_FILES.forEach(function (f) {
      var name = typeof f === 'string' ? f : f.name;
      if (!/^[a-z0-9-]+$/.test(name)) return;
      if (f && f.css) document.head.appendChild(el('link', { rel: 'stylesheet', href: SCRIPT_BASE + name + '.css' }));
      document.head.appendChild(el('script', { src: SCRIPT_BASE + name + '.js' }));
    });
  }

  // ---------- rendering ----------
  function Page(root) {
    this.root = root;
    this.cfg = {
      snapshotUrl: root.getAttribute('data-snapshot-url'),
      approveUrl: root.getAttribute('data-approve-url'),
      rollbackUrl: root.getAttribute('data-rollback-url'),
      abortUrl: root.getAttribute('data-abort-url') || null,
      redeployUrl: root.getAttribute('data-redeploy-url') || null,
      csrfHeader: root.getAttribute('data-csrf-header'),
      csrfToken: root.getAttribute('data-csrf-token'),
      pollMs: parseInt(root.getAttribute('data-poll-ms') || '2000', 10) || 2000,
      title: root.getAttribute('data-title')
    };
    this.snapshot = null;
    this.raw = null;
    this.busy = false;
    this.renderedGateKey = null;
    // decisions this page sent and ECS applied: never offered again, whatever a late poll still shows
    this.decided = {};
    this.rolledBackHere = false;
    this.openVisits = {};
    this.notifiedGates = {};
    this.baseTitle = document.title;
    // "Roll back now": idle → confirm (second step) → sending → sent; kept across polls (the page re-renders often)
    this.abortState = 'idle';
    this.renderedAbortKey = null;
    this.build();
    PAGES.push(this);
  }

  Page.prototype.build = function () {
    var root = this.root, self = this;
    clear(root);
    this.titleEl = el('h1', { text: this.cfg.title || 'Deployment' });
    this.revisionEl = el('p', { className: 'ecsd-revision' });
    this.subtitleEl = el('div', { className: 'ecsd-muted ecsd-mono ecsd-arn' });
    this.pillEl = el('span', { className: 'ecsd-status-pill', role: 'status', 'aria-live': 'polite', tabindex: '-1', text: 'loading…' });
    this.stepEl = el('p', { className: 'ecsd-step', 'aria-live': 'off' });
    this.clockEl = el('span', { className: 'ecsd-clock', hidden: 'hidden' });
    root.appendChild(el('div', { className: 'ecsd-header' }, [
      el('div', { className: 'ecsd-header-text' }, [this.titleEl, this.revisionEl, this.subtitleEl]),
      el('div', { className: 'ecsd-header-side' }, [this.pillEl, this.clockEl])
    ]));
    root.appendChild(this.stepEl);
    this.errorEl = el('p', { className: 'ecsd-error', role: 'alert', hidden: 'hidden' });
    root.appendChild(this.errorEl);
    this.outcomeEl = el('section', { className: 'ecsd-outcome', 'aria-live': 'polite', hidden: 'hidden' });
    root.appendChild(this.outcomeEl);
    // what this page just did ("Approved by …; the deployment goes on"): outside the gate box, so it stays after it
    this.noticeEl = el('p', { className: 'ecsd-notice', role: 'status', 'aria-live': 'polite', hidden: 'hidden' });
    root.appendChild(this.noticeEl);
    this.gateEl = el('section', { className: 'ecsd-gate', 'aria-labelledby': 'ecsd-gate-title', hidden: 'hidden' });
    root.appendChild(this.gateEl);
    this.abortEl = el('section', { className: 'ecsd-abort', 'aria-label': 'Roll back now', hidden: 'hidden' });
    this.abortEl.addEventListener('keydown', function (e) {
      if ((e.key === 'Escape' || e.key === 'Esc') && self.abortState === 'confirm') { e.preventDefault(); self.cancelAbort(); }
    });
    root.appendChild(this.abortEl);
    // "Redeploy this revision" (optional host URL): after a success, deploy this revision again later (the undo of a
    // later, bad deployment) — the host starts it through its own gates (Jenkins: a new build of the job)
    this.redeployEl = el('section', { className: 'ecsd-redeploy', 'aria-label': 'Redeploy this revision', hidden: 'hidden' });
    this.redeployEl.addEventListener('keydown', function (e) {
      if ((e.key === 'Escape' || e.key === 'Esc') && self.redeployState === 'confirm') { e.preventDefault(); self.redeployState = 'idle'; self.renderRedeploy(self.snapshot); }
    });
    root.appendChild(this.redeployEl);

    this.stagesTitleEl = el('h2', { text: 'Stages' });
    this.stagesEl = el('ol', { className: 'ecsd-stages' });
    this.rollbackPathEl = el('div', { className: 'ecsd-rollback-path', hidden: 'hidden' });
    this.rollingEl = el('div', { className: 'ecsd-rolling', hidden: 'hidden' });
    this.trafficTitleEl = el('h2', { text: 'Traffic' });
    this.trafficEl = el('div');
    this.revisionsEl = el('div', { className: 'ecsd-revisions' });
    this.hooksEl = el('div');
    this.alarmsEl = el('div');
    this.decisionsEl = el('div');
    this.eventsEl = el('div');
    this.gridEl = el('div', { className: 'ecsd-grid' });
    var core = [
      ['stages', el('section', { className: 'ecsd-panel', 'aria-label': 'Stages' }, [this.stagesTitleEl, this.rollingEl, this.stagesEl, this.rollbackPathEl])],
      ['traffic', el('section', { className: 'ecsd-panel', 'aria-label': 'Traffic and tasks' }, [
        this.trafficTitleEl, this.trafficEl, el('h2', { text: 'Revisions and tasks' }), this.revisionsEl])],
      ['gates', el('section', { className: 'ecsd-panel ecsd-span', 'aria-label': 'Gates' }, [el('h2', { text: 'Gates and decisions' }), this.decisionsEl])],
      ['alarms', el('section', { className: 'ecsd-panel', 'aria-label': 'Alarms' }, [el('h2', { text: 'Alarms and circuit breaker' }), this.alarmsEl])],
      ['hooks', el('section', { className: 'ecsd-panel', 'aria-label': 'Hooks' }, [el('h2', { text: 'Lifecycle hooks' }), this.hooksEl])],
      ['events', el('section', { className: 'ecsd-panel ecsd-span', 'aria-label': 'Recent events' }, [el('h2', { text: 'Recent events' }), this.eventsEl])]
    ];
    this.corePanels = core.map(function (c) { c[1].setAttribute('data-section', c[0]); return { order: CORE_ORDER[c[0]], node: c[1] }; });
    this.sectionEls = {};
    root.appendChild(this.gridEl);
    this.placeSections();
    this.footerEl = el('p', { className: 'ecsd-footer ecsd-muted' });
    root.appendChild(this.footerEl);
    this.notifyEl = el('div', { className: 'ecsd-notify', hidden: 'hidden' });
    root.appendChild(this.notifyEl);
    this.renderNotifyOffer();
  };

  // Core panels and registered sections, in order (a section keeps its element across polls).
  Page.prototype.placeSections = function () {
    var self = this, items = this.corePanels.slice();
    SECTIONS.forEach(function (sec) {
      var box = self.sectionEls[sec.name];
      if (!box) {
        box = { body: el('div', { className: 'ecsd-section-body' }) };
        box.node = el('section', { className: 'ecsd-panel' + (sec.wide ? ' ecsd-span' : ''), 'data-section': sec.name,
          'aria-label': sec.title }, [el('h2', { text: sec.title }), box.body]);
        self.sectionEls[sec.name] = box;
      }
      items.push({ order: sec.order, node: box.node });
    });
    items.sort(function (a, b) { return a.order - b.order; });
    items.forEach(function (i) { self.gridEl.appendChild(i.node); });
  };

  Page.prototype.renderSections = function (raw, s) {
    var self = this;
    SECTIONS.forEach(function (sec) {
      var box = self.sectionEls[sec.name];
      if (!box) return;
      clear(box.body);
      var shown;
      try {
        shown = sec.render(box.body, raw, { now: s.now, normalized: s, el: el, text: str, fmtDuration: fmtDuration, page: self });
      } catch (e) {
        box.body.appendChild(el('p', { className: 'ecsd-error', text: 'This panel failed: ' + str(e && e.message) }));
      }
      box.node.hidden = shown === false;
    });
  };

  Page.prototype.render = function (raw) {
    var s = normalize(raw);
    this.snapshot = s;
    this.raw = raw;
    var self = this;
    this.renders = (this.renders || 0) + 1;
    this.root.setAttribute('data-renders', String(this.renders)); // tests wait for polls by this count, not by the clock
    if (!this.cfg.title) this.titleEl.textContent = (s.service || 'Deployment') + (s.strategy ? ' · ' + s.strategy : '');
    clear(this.subtitleEl);
    this.subtitleEl.appendChild(breakable(s.deploymentArn));
    this.renderRevisionLine(s);
    var awaiting = s.gates.filter(function (g) { return isAwaiting(g) && !self.decided[g.hookId]; });
    var pillText, pillKind;
    if (s.outcome) { pillText = s.outcome.kind; pillKind = s.outcome.kind; }
    else if (awaiting.length) { pillText = 'WAITING FOR APPROVAL'; pillKind = 'WAITING'; }
    else if (s.rollback) { pillText = 'ROLLING BACK (' + s.rollback.cause + ')'; pillKind = 'ROLLING_BACK'; }
    else { pillText = (s.status || 'IN_PROGRESS') + (s.current ? ' · ' + label(s, s.current) : ''); pillKind = 'RUNNING'; }
    this.pillEl.textContent = pillText;
    this.pillEl.setAttribute('data-kind', pillKind);
    var step = stepText(s);
    this.stepEl.textContent = step;
    this.stepEl.hidden = !step;
    if (s.virtualTime) {
      this.clockEl.hidden = false;
      this.clockEl.textContent = 'virtual time' + (s.virtualTime.speed ? ' ×' + s.virtualTime.speed : '');
      this.clockEl.setAttribute('title', 'The sandbox runs on the simulator\'s clock: durations, deadlines and times on this '
        + 'page are in that virtual time' + (s.virtualTime.speed ? ', ' + s.virtualTime.speed + ' times faster than real time' : '') + '.');
    } else {
      this.clockEl.hidden = true;
    }
    this.renderOutcome(s);
    this.renderGate(s, s.outcome ? [] : awaiting);
    this.renderAbort(s, awaiting);
    this.renderRedeploy(s);
    this.renderStages(s);
    this.renderTraffic(s);
    this.renderRevisions(s);
    this.renderDecisions(s);
    this.renderHooks(s);
    this.renderAlarms(s);
    this.renderEvents(s);
    // ---- extension point: sections registered by other files (see EXTENSION POINT at the top) ----
    this.renderSections(raw, s);
    this.renderAttention(s, awaiting);
    if (s.outcome) this.noticeEl.hidden = true;
    this.footerEl.textContent = 'Snapshot at ' + fmtTime(s.now !== null ? s.now : Date.now())
      + (s.virtualTime ? ' (virtual time)' : '')
      + (s.outcome ? ' · final' : ' · refreshing every ' + Math.round(this.cfg.pollMs / 100) / 10 + ' s');
  };

  Page.prototype.renderRevisionLine = function (s) {
    var box = this.revisionEl;
    clear(box);
    var name = s.green.revisionName || '';
    if (!name && !s.imageChanges.length) { box.hidden = true; return; }
    box.hidden = false;
    box.appendChild(el('span', { className: 'ecsd-muted', text: 'Deploying ' }));
    if (name) box.appendChild(el('strong', { className: 'ecsd-nowrap', text: name }));
    if (s.blue.revisionName) box.appendChild(el('span', { className: 'ecsd-muted', text: ' (was ' + s.blue.revisionName + ')' }));
    s.imageChanges.forEach(function (c) {
      if (!c) return;
      var li = el('span', { className: 'ecsd-image-change' }, [
        el('span', { className: 'ecsd-muted', text: str(c.container) + ' ' }),
        c.from ? el('code', null, [breakable(c.from, '/')]) : el('span', { className: 'ecsd-muted', text: '(new)' }),
        ' → ',
        el('code', null, [breakable(c.to, '/')])
      ]);
      box.appendChild(li);
    });
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
    box.appendChild(el('p', { className: 'ecsd-outcome-reason' }, [breakable(o.plainWords || o.reason || s.statusReason || '')]));
    if (o.warning) box.appendChild(el('p', { className: 'ecsd-outcome-warning', role: 'alert', text: 'Warning: ' + o.warning }));
    if (parts.length) box.appendChild(el('p', { className: 'ecsd-outcome-detail', text: parts.join(' · ') }));
  };

  // A gate nobody can miss: the tab's title and icon change while one waits; optionally a browser notification.
  Page.prototype.renderAttention = function (s, awaiting) {
    var g = awaiting[0];
    var waiting = !!g && !s.outcome;
    var base = this.baseTitle || (s.service ? s.service + ' deployment' : 'Deployment');
    document.title = waiting ? '⏸ Approval needed · ' + base : base;
    this.root.setAttribute('data-attention', waiting ? 'gate' : 'none');
    this.setFavicon(waiting ? 'favicon-wait.svg' : 'favicon.svg');
    if (waiting && !this.notifiedGates[g.hookId]) {
      this.notifiedGates[g.hookId] = true;
      if (window.Notification && Notification.permission === 'granted' && this.wantNotifications) {
        try {
          new Notification('Approval needed: ' + (s.service || 'deployment'), {
            body: label(s, g.stage) + ' (' + g.stage + ') waits for Approve or Roll back. ' + expiryText(g, s), tag: 'ecsd-' + g.hookId });
        } catch (e) { /* a browser that refuses notifications outside a service worker: the title still says it */ }
      }
    }
  };

  Page.prototype.setFavicon = function (name) {
    if (!SCRIPT_BASE || this.favicon === name) return;
    this.favicon = name;
    var link = document.querySelector('link[data-ecsd-icon]');
    if (!link) {
      link = el('link', { rel: 'icon', type: 'image/svg+xml', 'data-ecsd-icon': 'true' });
      document.head.appendChild(link);
    }
    link.setAttribute('href', SCRIPT_BASE + name);
  };

  // The offer of browser notifications (optional; asks the browser only on a click).
  Page.prototype.renderNotifyOffer = function () {
    var box = this.notifyEl, self = this;
    clear(box);
    if (!window.Notification || Notification.permission === 'denied') { box.hidden = true; return; }
    box.hidden = false;
    var cb = el('input', { type: 'checkbox', name: 'notify' });
    cb.checked = !!this.wantNotifications;
    cb.addEventListener('change', function () {
      if (!cb.checked) { self.wantNotifications = false; return; }
      if (Notification.permission === 'granted') { self.wantNotifications = true; return; }
      Notification.requestPermission().then(function (p) {
        self.wantNotifications = p === 'granted';
        cb.checked = self.wantNotifications;
        if (p === 'denied') self.renderNotifyOffer();
      });
    });
    box.appendChild(el('label', { className: 'ecsd-notify-label' }, [cb, ' Notify me in this browser when a gate waits']));
  };

  function expiryText(g, s) {
    if (g.expiresAt === null) return '';
    var now = s.now !== null ? s.now : Date.now();
    var action = g.timeoutAction === 'CONTINUE' ? 'Continues' : (g.timeoutAction === 'ROLLBACK' ? 'Rolls back' : 'Times out');
    return action + ' at ' + fmtHourMinute(g.expiresAt) + (s.virtualTime ? ' (virtual time)' : '')
      + ' if nobody decides (in ' + fmtDuration(Math.max(0, g.expiresAt - now)) + ').';
  }

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
    box.appendChild(el('h2', { id: 'ecsd-gate-title' }, ['Approval needed: ' + label(s, g.stage) + ' ',
      el('span', { className: 'ecsd-stage-ecs', text: g.stage })]));
    box.appendChild(el('p', { text: 'The deployment is paused. Green is running' + (s.green.test !== null ? ' with ' + fmtPercent(s.green.test) + ' of test traffic' : '')
      + (s.green.production !== null ? ' and ' + fmtPercent(s.green.production) + ' of production traffic' : '') + '.' }));
    this.gateExpiresEl = el('p', { className: 'ecsd-gate-timeout', text: expiryText(g, s) });
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
  // (StopServiceDeployment API reference). At a gate the gate's own Roll back decides instead (it records the gate
  // decision); once a gate was rolled back (here or elsewhere) there is nothing left to roll back: no stale offer.
  Page.prototype.canRollBackNow = function (s, awaiting) {
    var gateRolledBack = s.gates.some(function (g) { return g.status === 'ROLLED_BACK' || g.action === 'ROLLBACK'; });
    return !s.outcome && !s.rollback && !gateRolledBack && !this.rolledBackHere
      && (s.status === 'PENDING' || s.status === 'IN_PROGRESS') && awaiting.length === 0;
  };

  Page.prototype.renderAbort = function (s, awaiting) {
    var box = this.abortEl, self = this;
    if (!this.cfg.abortUrl) { box.hidden = true; return; }
    var show = !s.outcome && (this.abortState === 'sending' || this.abortState === 'sent' || this.canRollBackNow(s, awaiting));
    if (this.abortState === 'sent' && (s.rollback || s.outcome)) show = false; // ECS shows the rollback: the notice says it
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

  Page.prototype.renderRedeploy = function (s) {
    var box = this.redeployEl, self = this;
    var show = !!this.cfg.redeployUrl && !!s.outcome && s.outcome.kind === 'SUCCEEDED' && !!s.green.taskDefinition;
    var state = this.redeployState || 'idle';
    var key = show ? state + '|' + (this.redeployText ? this.redeployText.text : '') : 'hidden';
    if (key === this.renderedRedeployKey) return;
    this.renderedRedeployKey = key;
    clear(box);
    if (!show) { box.hidden = true; return; }
    box.hidden = false;
    box.setAttribute('data-state', state);
    var name = s.green.revisionName || s.green.taskDefinition;
    if (state === 'idle' || state === 'sent') {
      var start = el('button', { type: 'button', className: 'ecsd-btn ecsd-btn-cancel', 'data-action': 'redeploy', text: 'Redeploy this revision' });
      start.addEventListener('click', function () { self.redeployState = 'confirm'; self.redeployText = null; self.renderRedeploy(self.snapshot); });
      box.appendChild(el('div', { className: 'ecsd-abort-actions' }, [
        el('span', { className: 'ecsd-muted', text: 'Deploy ' + name + ' again later, e.g. to undo a bad deployment that came after it.' }),
        start
      ]));
    } else {
      box.appendChild(el('h2', { id: 'ecsd-redeploy-title', text: 'Redeploy ' + name + ' to ' + (s.service || 'this service') + '?' }));
      box.setAttribute('aria-labelledby', 'ecsd-redeploy-title');
      box.appendChild(el('p', { text: 'A new build of this job deploys ' + name + ' through the same steps and gates as any deployment of it.' }));
      var confirm = el('button', { type: 'button', className: 'ecsd-btn ecsd-btn-approve', 'data-action': 'redeploy-confirm', text: 'Yes, redeploy ' + name });
      var cancel = el('button', { type: 'button', className: 'ecsd-btn ecsd-btn-cancel', 'data-action': 'redeploy-cancel', text: 'Cancel' });
      if (state === 'sending') { confirm.disabled = true; cancel.disabled = true; }
      cancel.addEventListener('click', function () { self.redeployState = 'idle'; self.redeployText = null; self.renderRedeploy(self.snapshot); });
      confirm.addEventListener('click', function () { self.redeploy(); });
      box.appendChild(el('div', { className: 'ecsd-gate-actions' }, [confirm, cancel]));
      if (state === 'confirm') confirm.focus();
    }
    var msg = el('p', { className: 'ecsd-message', role: 'status', 'aria-live': 'polite' });
    if (this.redeployText) {
      msg.textContent = this.redeployText.text;
      if (this.redeployText.error) msg.setAttribute('data-kind', 'error');
    }
    box.appendChild(msg);
  };

  Page.prototype.redeploy = function () {
    var self = this;
    if (!this.cfg.redeployUrl || this.redeployState !== 'confirm') return;
    this.redeployState = 'sending';
    this.redeployText = { text: 'Sending…', error: false };
    this.renderRedeploy(this.snapshot);
    function done(state, text, error) {
      self.redeployState = state;
      self.redeployText = { text: text, error: error };
      self.renderRedeploy(self.snapshot);
    }
    post(this.cfg.redeployUrl, this.cfg, {}).then(function (res) {
      var m = res.body && (res.body.message || res.body.result || res.body.error);
      if (res.ok) done('sent', '✓ ' + str(m || 'Redeploy requested.'), false);
      else done('confirm', 'Refused (HTTP ' + res.status + ')' + (m ? ': ' + str(m) : ''), true);
    }, function (err) {
      done('confirm', 'Could not send: ' + str(err && err.message), true);
    });
  };

  Page.prototype.cancelAbort = function () {
    this.abortState = 'idle';
    this.abortText = null;
    this.renderAbort(this.snapshot, this.snapshot.gates.filter(isAwaiting));
    var b = this.abortEl.querySelector('button');
    if (b) b.focus();
  };

  function post(url, cfg, body) {
    var headers = { 'Content-Type': 'application/json', 'Accept': 'application/json' };
    if (cfg.csrfHeader && cfg.csrfToken) headers[cfg.csrfHeader] = cfg.csrfToken;
    return fetch(url, { method: 'POST', headers: headers, credentials: 'same-origin', cache: 'no-store', body: JSON.stringify(body) })
      .then(function (r) {
        return r.text().then(function (t) {
          var parsed = null;
          try { parsed = t ? JSON.parse(t) : null; } catch (e) { parsed = null; }
          return { ok: r.ok, status: r.status, body: parsed };
        });
      });
  }

  Page.prototype.notice = function (text, kind) {
    this.noticeEl.hidden = false;
    this.noticeEl.textContent = text;
    if (kind) this.noticeEl.setAttribute('data-kind', kind); else this.noticeEl.removeAttribute('data-kind');
  };

  Page.prototype.rollBackNow = function (comment) {
    var self = this;
    if (!this.cfg.abortUrl || this.abortState !== 'confirm') return;
    this.abortState = 'sending';
    this.abortText = { text: 'Sending rollback…', error: false };
    this.renderAbort(this.snapshot, this.snapshot.gates.filter(isAwaiting));
    function done(state, text, error) {
      self.abortState = state;
      self.abortText = { text: text, error: error };
      self.renderedAbortKey = null; // show the answer even when the state did not change
      if (!error) {
        self.rolledBackHere = true;
        self.notice('✓ ' + text + ' ECS now moves all traffic back to the previous revision.', 'done');
      }
      self.renderAbort(self.snapshot, self.snapshot.gates.filter(isAwaiting));
      if (error) { var c = self.abortEl.querySelector('button[data-action=rollback-now-confirm]'); if (c) c.focus(); }
      self.poll(true);
    }
    post(this.cfg.abortUrl, this.cfg, { comment: comment || '' }).then(function (res) {
      var m = res.body && (res.body.message || res.body.result || res.body.error);
      if (res.ok) done('sent', str(m || 'Rollback requested.'), false);
      else done('confirm', 'Refused (HTTP ' + res.status + ')' + (m ? ': ' + str(m) : ''), true);
    }, function (err) {
      done('confirm', 'Could not send: ' + str(err && err.message), true);
    });
  };

  Page.prototype.decide = function (what, url, gate, comment, buttons) {
    var self = this;
    if (!url || this.busy) return;
    this.busy = true;
    buttons.forEach(function (b) { b.disabled = true; });
    this.messageEl.removeAttribute('data-kind');
    this.messageEl.textContent = what === 'approve' ? 'Sending approval…' : 'Sending rollback…';
    post(url, this.cfg, { hookId: gate.hookId, stage: gate.stage, comment: comment || '' }).then(function (res) {
      self.busy = false;
      var m = res.body && (res.body.message || res.body.result || res.body.error);
      if (res.ok) {
        // the decision is applied: the gate box goes (no stale offer while ECS catches up) and a confirmation stays
        self.decided[gate.hookId] = true;
        if (what === 'rollback') self.rolledBackHere = true;
        var stageName = label(self.snapshot, gate.stage);
        self.notice('✓ ' + str(m || (what === 'approve' ? 'Approved.' : 'Rollback requested.')) + ' '
          + (what === 'approve' ? 'The deployment goes on past ' + stageName + '.'
            : 'ECS rolls the deployment back; all traffic returns to the previous revision.'), 'done');
        self.render(self.raw);
        self.pillEl.focus();
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

  // One stage's visits, summed: a stage entered more than once (each canary/linear step, a rollback's re-run) counts
  // the time of each visit, not first entry to last exit.
  function visitsOf(s, name, rollback) {
    return s.stages.filter(function (st) { return st.name === name && st.rollback === rollback; });
  }
  function totalOf(visits, now, finished) {
    var t = 0, any = false;
    visits.forEach(function (v) {
      if (!v.observed || v.enteredAt === null) return;
      var end = v.leftAt !== null ? v.leftAt : (finished ? null : now);
      if (end === null) return;
      t += Math.max(0, end - v.enteredAt);
      any = true;
    });
    return any ? t : null;
  }

  Page.prototype.stageRow = function (s, name, state, visits, opts) {
    var self = this;
    var now = s.now !== null ? s.now : Date.now();
    var finished = !!s.outcome || TERMINAL_STATUSES.indexOf(s.status) >= 0;
    var li = el('li', { className: 'ecsd-stage', 'data-stage': name, 'data-state': state, title: opts.title || null,
      'data-path': opts.rollback ? 'rollback' : 'forward', 'data-undone': opts.undone ? 'true' : null,
      'aria-current': state === 'current' ? 'step' : null });
    var names = el('span', { className: 'ecsd-stage-names' }, [
      el('span', { className: 'ecsd-stage-label', text: label(s, name) }), stageName(name)]);
    var total = totalOf(visits, now, finished);
    var open = state === 'current' && visits.length ? visits[visits.length - 1] : null;
    // the current stage: the time of this visit ("in stage"); any other: the sum of its visits
    var time = opts.time !== undefined ? opts.time : open && open.enteredAt !== null ? fmtDuration(now - open.enteredAt) + ' in stage'
      : (total === null ? '' : fmtDuration(total));
    var right = el('span', { className: 'ecsd-stage-time', text: time });
    li.appendChild(names);
    li.appendChild(right);
    var notes = [];
    if (opts.undone) notes.push('undone by the rollback');
    if (notes.length) li.appendChild(el('span', { className: 'ecsd-stage-note', text: notes.join(' · ') }));
    var seen = visits.filter(function (v) { return v.observed; });
    if (seen.length > 1) {
      // each visit on demand: a <details> that stays open across polls
      var key = (opts.rollback ? 'rb:' : '') + name;
      var d = el('details', { className: 'ecsd-visits' });
      if (this.openVisits[key]) d.open = true;
      d.addEventListener('toggle', function () { self.openVisits[key] = d.open; });
      d.appendChild(el('summary', { text: seen.length + ' visits, ' + fmtDuration(total || 0) + ' in all' }));
      var ol = el('ol');
      seen.forEach(function (v) {
        var end = v.leftAt !== null ? v.leftAt : (finished ? null : now);
        ol.appendChild(el('li', { text: fmtClock(v.enteredAt) + ' · ' + (end === null ? '?' : fmtDuration(end - v.enteredAt))
          + (v.leftAt === null && !finished ? ' (now)' : '') }));
      });
      d.appendChild(ol);
      li.appendChild(d);
    }
    return li;
  };

  Page.prototype.renderStages = function (s) {
    var list = this.stagesEl, self = this;
    clear(list);
    var rolling = s.strategy === 'ROLLING';
    var names = s.plannedStages ? s.plannedStages.slice() : (rolling ? [] : ECS_STAGES.slice());
    s.stages.forEach(function (st) {
      if (!st.rollback && names.indexOf(st.name) < 0) names.push(st.name);
    });
    this.renderRolling(s, rolling);
    this.stagesTitleEl.hidden = rolling && names.length === 0;
    var finished = !!s.outcome || TERMINAL_STATUSES.indexOf(s.status) >= 0;
    var turned = !!s.rollback || (s.outcome && s.outcome.kind !== 'SUCCEEDED');
    var last = s.stages.length ? s.stages[s.stages.length - 1] : null;
    var currentForward = last && !last.rollback && last.name === s.current && !finished;
    // How far the deployment went forward (stages seen or passed); earlier stages never seen were "not seen".
    var furthest = -1;
    names.forEach(function (n, i) { if (visitsOf(s, n, false).length) furthest = Math.max(furthest, i); });
    names.forEach(function (name, i) {
      var visits = visitsOf(s, name, false);
      var state, opts = {};
      if (currentForward && name === s.current) {
        state = 'current';
      } else if (visits.length && !visits.some(function (v) { return v.observed; })) {
        // the engine knows it happened (a later stage was seen) but no poll caught it: no duration to show
        state = 'passed'; opts.time = 'passed'; opts.title = 'passed between two polls';
      } else if (visits.length) {
        state = 'done';
      } else if (i < furthest) {
        // ECS reports only the current stage; one shorter than a poll interval (or not run) is never seen.
        // RECONCILE_SERVICE runs only when more than one revision is active (docs/engine.md "Stages"): maybe not at all.
        state = 'skipped';
        if (name === 'RECONCILE_SERVICE') {
          opts.time = 'not run'; opts.title = 'runs only when more than one service revision is active; no poll saw it';
        } else {
          opts.time = 'not seen';
        }
      } else {
        state = finished || turned ? 'skipped' : 'upcoming';
        opts.time = finished || turned ? 'not reached' : '';
      }
      // forward progress a rollback took back: drawn in the rollback's colour, said in words
      opts.undone = turned && (state === 'done' || state === 'passed');
      list.appendChild(self.stageRow(s, name, state, visits, opts));
    });
    // the rollback path: the stages ECS ran while rolling back, in their order, in the rollback's own colour
    var box = this.rollbackPathEl;
    clear(box);
    var back = [];
    s.stages.forEach(function (st) { if (st.rollback && back.indexOf(st.name) < 0) back.push(st.name); });
    if (!turned && !back.length) { box.hidden = true; return; }
    box.hidden = false;
    box.appendChild(el('h3', { className: 'ecsd-rollback-title', text: 'Rollback' + (s.rollback && s.rollback.cause ? ' · ' + s.rollback.cause : '') }));
    if (s.rollback && s.rollback.reason) box.appendChild(el('p', { className: 'ecsd-rollback-reason' }, [breakable(s.rollback.reason)]));
    var ol = el('ol', { className: 'ecsd-stages ecsd-stages-rollback' });
    back.forEach(function (name) {
      var visits = visitsOf(s, name, true);
      var state = last && last.rollback && last.name === name && !finished && last.leftAt === null ? 'current' : 'done';
      ol.appendChild(self.stageRow(s, name, state, visits, { rollback: true }));
    });
    if (!back.length) ol.appendChild(el('li', { className: 'ecsd-empty', text: 'ECS reported no stages while rolling back.' }));
    box.appendChild(ol);
  };

  // ROLLING: ECS reports no lifecycle stages; the progress is the new tasks running.
  Page.prototype.renderRolling = function (s, rolling) {
    var box = this.rollingEl;
    clear(box);
    if (!rolling) { box.hidden = true; return; }
    box.hidden = false;
    box.appendChild(el('h2', { text: 'Rolling update' }));
    var g = s.green, b = s.blue;
    var want = g.requested, run = g.running === null ? 0 : g.running;
    var pct = want ? Math.min(100, Math.round(run * 100 / want)) : (s.outcome && s.outcome.kind === 'SUCCEEDED' ? 100 : 0);
    var bar = el('div', { className: 'ecsd-bar', role: 'img', 'aria-label': 'new tasks running: ' + run + ' of ' + str(want === null ? '?' : want) });
    var fill = el('span', { className: 'ecsd-bar-green' });
    fill.style.width = pct + '%';
    bar.appendChild(fill);
    box.appendChild(el('p', { className: 'ecsd-rolling-text', text: (want === null ? 'Waiting for ECS to start new tasks.'
      : run + ' of ' + want + ' new tasks running') + (b.running ? ' · ' + b.running + ' old still running' : '') }));
    box.appendChild(bar);
    box.appendChild(el('p', { className: 'ecsd-muted', text: 'ECS replaces the tasks in place: a rolling update reports no '
      + 'lifecycle stages and moves no traffic weights.' }));
  };

  // Stage names may only break after an underscore (a <wbr> element, never markup from a string).
  function stageName(name) {
    var span = el('span', { className: 'ecsd-stage-name ecsd-stage-ecs' });
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
    // no weights at all (a rolling update): no empty bars, a sentence instead
    var none = noTraffic(s);
    this.trafficTitleEl.hidden = none;
    if (none) return;
    this.trafficEl.appendChild(trafficRow('Production traffic', s.green.production, s.blue.production));
    this.trafficEl.appendChild(trafficRow('Test traffic', s.green.test, s.blue.test));
  };

  function kv(pairs) {
    var dl = el('dl', { className: 'ecsd-kv' });
    pairs.forEach(function (p) {
      if (p[1] === null || p[1] === '' || p[1] === undefined) return;
      dl.appendChild(el('dt', { text: p[0] }));
      var dd = el('dd', { className: p[2] || null });
      if (typeof p[1] === 'string') dd.appendChild(breakable(p[1])); else dd.appendChild(p[1]);
      dl.appendChild(dd);
    });
    return dl;
  }
  function tasksText(r) {
    if (r.running === null && r.requested === null) return '';
    return str(r.running === null ? '?' : r.running) + ' running of ' + str(r.requested === null ? '?' : r.requested)
      + (r.pending ? ', ' + r.pending + ' pending' : '');
  }
  // Images one per line; a long name breaks only after '/', never inside a word or a tag.
  function imageList(images) {
    if (!images.length) return '';
    var ul = el('ul', { className: 'ecsd-images' });
    images.forEach(function (i) {
      ul.appendChild(el('li', { className: 'ecsd-image' }, [
        i.container ? el('span', { className: 'ecsd-muted', text: i.container + ' ' }) : null,
        el('code', null, [breakable(i.image, '/')])
      ]));
    });
    return ul;
  }

  Page.prototype.renderRevisions = function (s) {
    var box = this.revisionsEl;
    clear(box);
    var labels = sideLabels(s);
    [['blue', labels[0], s.blue], ['green', labels[1], s.green]].forEach(function (x) {
      var r = x[2];
      box.appendChild(el('div', { className: 'ecsd-rev', 'data-side': x[0] }, [
        el('h3', { text: x[1] + (r.revisionName ? ' · ' + r.revisionName : '') }),
        kv([
          ['Tasks', tasksText(r)],
          ['Images', imageList(r.images), 'ecsd-image-cell'],
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
      return el('tr', null, r.map(function (c, i) {
        var td = el('td', { className: cls(i) });
        if (c && typeof c === 'object') td.appendChild(c); else td.appendChild(breakable(c));
        return td;
      }));
    }));
    return el('div', { className: 'ecsd-table-wrap' }, [el('table', null, [thead, tbody])]);
  }

  Page.prototype.renderDecisions = function (s) {
    clear(this.decisionsEl);
    var rows = s.gates.map(function (g) {
      var what = isAwaiting(g) ? 'waiting' : (g.action === 'CONTINUE' ? 'approved'
        : (g.action === 'ROLLBACK' ? 'rolled back' : (g.status === 'TIMED_OUT' ? 'timed out' : g.status.toLowerCase())));
      return [label(s, g.stage), what, g.by, g.comment, g.decidedAt !== null ? fmtClock(g.decidedAt) : ''];
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
      return [label(s, h.stage), h.targetType === 'PAUSE' ? 'pause (gate)' : (h.target || h.targetType), status];
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

  // Exposed for tests, for hosts that add the root element later, and for other features' sections.
  window.EcsDeployProgress = { start: start, normalize: normalize, registerSection: registerSection, stepText: stepText };
  loadExtensions();
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
}());
