// The unscrape review page. Data arrives through `unscrapeReview.summary(...)` and
// `unscrapeReview.chunk(...)` from script files in review/ (file:// pages cannot fetch).
// Every piece of data reaches the DOM through text nodes or attributes set one by one:
// document text is never parsed as markup.
(function () {
  'use strict';

  var S = null; // the summary: figures, rules, histogram, chunk index
  var chunks = {}; // chunk number -> documents
  var waiting = {}; // chunk number -> callbacks
  var linesFiles = {}; // learned-lines file number -> {rule id: lines}
  var linesWaiting = {}; // learned-lines file number -> callbacks
  var state = { mode: 'side', doc: null, editAt: -1 };
  var KNOWN_STAGES = ['encoding', 'normalize', 'boilerplate', 'glue', 'extract'];

  window.unscrapeReview = {
    summary: function (data) {
      S = data;
      if (document.readyState === 'loading') {
        document.addEventListener('DOMContentLoaded', start);
      } else {
        start();
      }
    },
    chunk: function (number, docs) {
      // Left out of the data when they repeat what is known: the rule's reason, the path.
      docs.forEach(function (d) {
        if (d.id === undefined) d.id = d.path;
        d.edits.forEach(function (e) { if (e.reason === undefined) e.reason = S.rules[e.rule] ? S.rules[e.rule].reason : ''; });
      });
      chunks[number] = docs;
      var callbacks = waiting[number] || [];
      delete waiting[number];
      callbacks.forEach(function (f) { f(docs); });
    },
    // A learned-lines file: learned rule id -> {list, more}.
    lines: function (number, rules) {
      linesFiles[number] = rules;
      var callbacks = linesWaiting[number] || [];
      delete linesWaiting[number];
      callbacks.forEach(function (f) { f(rules); });
    },
    // For tests: the state of the page.
    state: function () { return { summary: S, mode: state.mode, doc: state.doc && state.doc.n, loadedChunks: Object.keys(chunks).length }; }
  };

  // ---- DOM helpers (text only) ----
  function el(tag, attrs) {
    var node = document.createElement(tag);
    setAttrs(node, attrs);
    for (var i = 2; i < arguments.length; i++) add(node, arguments[i]);
    return node;
  }
  function setAttrs(node, attrs) {
    if (!attrs) return;
    Object.keys(attrs).forEach(function (k) {
      var v = attrs[k];
      if (v === undefined || v === null || v === false) return;
      if (k === 'text') node.textContent = v;
      else if (k === 'onclick') node.addEventListener('click', v);
      else if (k === 'onchange') node.addEventListener('change', v);
      else if (k === 'style') Object.keys(v).forEach(function (p) { node.style.setProperty(p, v[p]); });
      else node.setAttribute(k, v === true ? '' : String(v));
    });
  }
  function add(node, child) {
    if (child === undefined || child === null || child === false) return;
    if (Array.isArray(child)) { child.forEach(function (c) { add(node, c); }); return; }
    node.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
  var SVGNS = 'http://www.w3.org/2000/svg';
  function svg(tag, attrs) {
    var node = document.createElementNS(SVGNS, tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') node.textContent = attrs[k];
      else node.setAttribute(k, String(attrs[k]));
    });
    for (var i = 2; i < arguments.length; i++) if (arguments[i]) node.appendChild(arguments[i]);
    return node;
  }
  function main() { return document.getElementById('main'); }
  function show() {
    var m = main();
    while (m.firstChild) m.removeChild(m.firstChild);
    var detail = document.getElementById('detail');
    if (detail) detail.textContent = '';
    for (var i = 0; i < arguments.length; i++) add(m, arguments[i]);
  }
  function fmt(n) { return Number(n).toLocaleString('en-US'); }
  function pct(part, whole) { return whole ? (100 * part / whole).toFixed(1) + '%' : '–'; }
  function mb(bytes) { return (bytes / 1e6).toFixed(2) + ' MB'; }
  function stageColor(stage) {
    if (KNOWN_STAGES.indexOf(stage) >= 0) return 'var(--' + stage + ')';
    var h = 0;
    for (var i = 0; i < stage.length; i++) h = (h * 31 + stage.charCodeAt(i)) % 360;
    return 'hsl(' + h + ',55%,45%)';
  }
  function stageChip(stage) {
    return el('span', { class: 'stage', style: { background: stageColor(stage) } }, stage);
  }
  function docLink(n, label) { return el('a', { href: '#/doc/' + n }, label || ('document ' + n)); }
  function ruleLink(id) { return el('a', { href: '#/rule/' + encodeURIComponent(id) }, id); }

  // A table whose columns sort on click. columns: {title, key, num, cell(row)}.
  function sortable(columns, rows, rowAttrs) {
    var order = { key: null, dir: 1 };
    var tbody = el('tbody');
    var heads = columns.map(function (c) {
      var th = el('th', { 'data-key': c.key }, c.title);
      th.addEventListener('click', function () {
        order.dir = order.key === c.key ? -order.dir : (c.num ? -1 : 1);
        order.key = c.key;
        heads.forEach(function (h) { h.className = ''; });
        th.className = order.dir > 0 ? 'sorted-asc' : 'sorted-desc';
        rows.sort(function (a, b) {
          var x = a[c.key], y = b[c.key];
          return (x < y ? -1 : x > y ? 1 : 0) * order.dir;
        });
        fill();
      });
      return th;
    });
    function fill() {
      while (tbody.firstChild) tbody.removeChild(tbody.firstChild);
      rows.forEach(function (r) {
        var tr = el('tr', rowAttrs ? rowAttrs(r) : null);
        columns.forEach(function (c) {
          add(tr, el('td', { class: c.num ? 'num' : (c.cls || null) }, c.cell ? c.cell(r) : (c.num ? fmt(r[c.key]) : r[c.key])));
        });
        add(tbody, tr);
      });
    }
    fill();
    return el('table', { class: 'sortable' }, el('thead', null, el('tr', null, heads)), tbody);
  }

  // ---- data access ----
  function chunkOf(n) {
    var lo = 0, hi = S.chunks.length - 1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1, c = S.chunks[mid];
      if (n < c.first) hi = mid - 1;
      else if (n >= c.first + c.docs) lo = mid + 1;
      else return mid;
    }
    return -1;
  }
  function loadChunk(number, callback) {
    if (chunks[number]) { callback(chunks[number]); return; }
    if (waiting[number]) { waiting[number].push(callback); return; }
    waiting[number] = [callback];
    var name = 'chunk-' + String(number).padStart(6, '0') + '.js';
    var s = document.createElement('script');
    s.src = 'review/' + name;
    s.onerror = function () { show(el('p', null, 'Cannot load review/' + name + '.')); };
    document.head.appendChild(s);
  }
  function loadLines(number, callback) {
    if (linesFiles[number]) { callback(linesFiles[number]); return; }
    if (linesWaiting[number]) { linesWaiting[number].push(callback); return; }
    linesWaiting[number] = [callback];
    var name = 'lines-' + String(number).padStart(6, '0') + '.js';
    var s = document.createElement('script');
    s.src = 'review/' + name;
    s.onerror = function () { var box = document.getElementById('learned-lines'); if (box) box.textContent = 'Cannot load review/' + name + '.'; };
    document.head.appendChild(s);
  }
  function withDoc(n, callback) {
    var c = chunkOf(n);
    if (c < 0) { callback(null); return; }
    loadChunk(c, function (docs) { callback(docs[n - S.chunks[c].first] || null); });
  }
  var rejected = {}; // rule id -> stage: whole rules rejected
  var rejectedLines = {}; // learned rule id -> lines rejected (kept by the next run)
  function storageKey() { return 'unscrape-review:' + (S ? S.summary.rules_digest : ''); }
  function linesKey() { return 'unscrape-review-lines:' + (S ? S.summary.rules_digest : ''); }
  function saveRejected() {
    try {
      localStorage.setItem(storageKey(), JSON.stringify(rejected));
      localStorage.setItem(linesKey(), JSON.stringify(rejectedLines));
    } catch (e) { /* file:// storage may be off */ }
    var count = Object.keys(rejected).length;
    Object.keys(rejectedLines).forEach(function (id) { count += rejectedLines[id].length; });
    document.getElementById('rejected-count').textContent = count ? '(' + count + ')' : '';
  }
  function setRejected(id, on) {
    if (on) rejected[id] = S.rules[id] ? S.rules[id].stage : ''; else delete rejected[id];
    saveRejected();
  }
  function lineRejected(id, text) { return !!rejectedLines[id] && rejectedLines[id].indexOf(text) >= 0; }
  function setLineRejected(id, text, on) {
    var list = (rejectedLines[id] || []).filter(function (t) { return t !== text; });
    if (on) list.push(text);
    if (list.length) rejectedLines[id] = list; else delete rejectedLines[id];
    saveRejected();
  }

  // ---- charts ----
  function barChart(title, items, width) {
    // items: {label, value, color, href}
    var barH = 16, gap = 4, labelW = 230, valueW = 60;
    var max = Math.max.apply(null, items.map(function (i) { return i.value; }).concat([1]));
    var height = items.length * (barH + gap) + 8;
    var g = svg('svg', { width: width, height: height, role: 'img', 'aria-label': title, class: 'chart' });
    items.forEach(function (it, k) {
      var y = k * (barH + gap) + 4;
      var w = Math.max(1, (width - labelW - valueW) * it.value / max);
      var a = svg('a', { href: it.href });
      a.appendChild(svg('text', { x: labelW - 6, y: y + barH - 4, 'text-anchor': 'end', text: it.label }));
      var rect = svg('rect', { x: labelW, y: y, width: w, height: barH, fill: it.color, 'data-label': it.label });
      rect.appendChild(svg('title', { text: it.label + ': ' + fmt(it.value) }));
      a.appendChild(rect);
      a.appendChild(svg('text', { x: labelW + w + 4, y: y + barH - 4, text: fmt(it.value) }));
      g.appendChild(a);
    });
    return el('figure', null, el('figcaption', null, el('strong', null, title)), g);
  }
  function histogram(title, buckets) {
    var W = 420, H = 180, pad = 28, n = buckets.length;
    var max = Math.max.apply(null, buckets.map(function (b) { return b.documents; }).concat([1]));
    var g = svg('svg', { width: W, height: H + pad, role: 'img', 'aria-label': title, class: 'chart' });
    var bw = (W - pad) / n;
    buckets.forEach(function (b, k) {
      var h = b.documents ? Math.max(2, (H - 20) * b.documents / max) : 0;
      var x = pad + k * bw;
      var label = (k * 100 / n) + '–' + ((k + 1) * 100 / n) + '%';
      var a = svg('a', { href: '#/removed/' + k });
      var rect = svg('rect', { x: x + 2, y: H - h, width: bw - 4, height: h, fill: '#d62728', 'data-bucket': k });
      rect.appendChild(svg('title', { text: label + ' removed: ' + fmt(b.documents) + ' documents' }));
      a.appendChild(rect);
      a.appendChild(svg('text', { x: x + bw / 2, y: H - h - 3, 'text-anchor': 'middle', text: fmt(b.documents) }));
      g.appendChild(a);
      g.appendChild(svg('text', { x: x + bw / 2, y: H + 14, 'text-anchor': 'middle', text: (k * 100 / n) + '%' }));
    });
    return el('figure', null, el('figcaption', null, el('strong', null, title)), g);
  }

  // ---- views ----
  function overview() {
    var s = S.summary;
    var cards = [
      ['documents', fmt(s.documents)], ['changed', fmt(s.documents_changed) + ' (' + pct(s.documents_changed, s.documents) + ')'],
      ['in', mb(s.bytes_in)], ['out', mb(s.bytes_out)], ['edits applied', fmt(s.edits.applied)],
      ['suspects', fmt(s.edits.suspect)], ['errors', fmt(s.errors)], ['documents to review', fmt(S.reviewed)]
    ].map(function (c) {
      return el('div', { class: 'card', 'data-figure': c[0] }, el('div', { class: 'v' }, c[1]), el('div', { class: 'k' }, c[0]));
    });
    var stageRows = Object.keys(S.stages).map(function (k) {
      var st = S.stages[k];
      return { stage: k, applied: st.applied, suspect: st.suspect, documents: st.documents, share: s.documents ? st.documents / s.documents : 0 };
    });
    var ruleRows = ruleList();
    var bars = ruleRows.slice().sort(function (a, b) { return (b.applied + b.suspect) - (a.applied + a.suspect); }).slice(0, 40).map(function (r) {
      return { label: r.rule, value: r.applied + r.suspect, color: stageColor(r.stage), href: '#/rule/' + encodeURIComponent(r.rule) };
    });
    var stageBars = stageRows.map(function (r) {
      return { label: r.stage, value: r.applied + r.suspect, color: stageColor(r.stage), href: '#/rules/' + encodeURIComponent(r.stage) };
    });
    var enc = Object.keys(s.encodings).map(function (k) { return { encoding: k, documents: s.encodings[k], share: s.encodings[k] / (s.documents || 1) }; });
    show(
      el('h1', null, 'Overview'),
      el('p', { class: 'note' }, 'unscrape ' + s.version + ' · stages: ' + s.stages.join(', ') + ' · rules ' + s.rules_digest),
      el('div', { class: 'cards', id: 'cards' }, cards),
      el('div', { class: 'charts' },
        barChart('Edits per stage', stageBars, 560),
        histogram('Share of each document removed (bytes)', S.removed)),
      barChart('Edits per rule' + (ruleRows.length > 40 ? ' (top 40)' : ''), bars, 760),
      el('h2', null, 'Stages'),
      sortable([
        { title: 'stage', key: 'stage', cell: function (r) { return el('a', { href: '#/rules/' + encodeURIComponent(r.stage) }, stageChip(r.stage)); } },
        { title: 'applied', key: 'applied', num: true }, { title: 'suspects', key: 'suspect', num: true },
        { title: 'documents touched', key: 'documents', num: true },
        { title: 'share of documents', key: 'share', num: true, cell: function (r) { return (100 * r.share).toFixed(1) + '%'; } }
      ], stageRows),
      el('h2', null, 'Rules'),
      rulesTable(ruleRows, false),
      el('h2', null, 'Encodings'),
      sortable([
        { title: 'encoding', key: 'encoding' }, { title: 'documents', key: 'documents', num: true },
        { title: 'share', key: 'share', num: true, cell: function (r) { return (100 * r.share).toFixed(1) + '%'; } }
      ], enc),
      el('h2', null, 'Errors (' + fmt(s.errors) + ')'),
      S.errors.length ? el('table', { id: 'errors' }, el('tr', null, el('th', null, 'input'), el('th', null, 'error')),
        S.errors.map(function (e) { return el('tr', null, el('td', { class: 'mono' }, e.path), el('td', null, e.error)); })) : el('p', null, 'None.'),
      s.errors > S.errors.length ? el('p', { class: 'note' }, 'All errors are in errors.jsonl.') : null
    );
  }
  function ruleList(stage) {
    return Object.keys(S.rules).filter(function (id) { return !stage || S.rules[id].stage === stage; }).map(function (id) {
      var r = S.rules[id];
      return { rule: id, stage: r.stage, applied: r.applied, suspect: r.suspect, documents: r.documents,
        share: S.summary.documents ? r.documents / S.summary.documents : 0, reason: r.reason };
    });
  }
  function rejectBox(id) {
    var box = el('input', { type: 'checkbox', 'data-rule': id, title: 'reject this rule (export an override that switches it off)' });
    box.checked = !!rejected[id];
    box.addEventListener('change', function () {
      setRejected(id, box.checked);
      var tr = box.closest('tr');
      if (tr) tr.classList.toggle('rejected', box.checked);
    });
    return el('label', null, box, ' reject');
  }
  function rulesTable(rows, withExamples) {
    var cols = [
      { title: 'rule', key: 'rule', cell: function (r) { return ruleLink(r.rule); } },
      { title: 'stage', key: 'stage', cell: function (r) { return stageChip(r.stage); } },
      { title: 'applied', key: 'applied', num: true }, { title: 'suspects', key: 'suspect', num: true },
      { title: 'documents touched', key: 'documents', num: true },
      { title: 'share of documents', key: 'share', num: true, cell: function (r) { return (100 * r.share).toFixed(1) + '%'; } },
      { title: 'reason', key: 'reason' }
    ];
    if (withExamples) cols.push({ title: 'examples', key: 'rule', cell: function (r) { return examples(r.rule); } });
    cols.push({ title: 'review', key: 'rule', cls: 'reject', cell: function (r) { return rejectBox(r.rule); } });
    return sortable(cols, rows, function (r) { return { class: rejected[r.rule] ? 'rejected' : null, 'data-rule': r.rule }; });
  }
  function visible(text) {
    // Changes that are only white space or invisible characters must still show.
    return text.replace(/[\u00a0]/g, '⍽').replace(/\t/g, '→').replace(/[\u200b-\u200f\u2060\ufeff\u00ad]/g, '¤')
      .replace(/\r/g, '␍').replace(/\n/g, '↵').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, '�');
  }
  function examples(id) {
    var r = S.rules[id];
    return el('ul', { class: 'examples' }, r.examples.map(function (x) {
      return el('li', null, docLink(x.n, '#' + x.n), ' ', el('span', { class: 'before mono' }, visible(x.before) || '∅'),
        ' → ', el('span', { class: 'after mono' }, visible(x.after) || '∅'), x.status === 'suspect' ? ' (suspect)' : '');
    }));
  }
  function rulesView(stage) {
    show(el('h1', null, stage ? 'Rules of stage ' + stage : 'Rules'),
      el('p', { class: 'note' }, 'Tick “reject” to switch a rule off in the next run; the override file is on the ', el('a', { href: '#/export' }, 'Rejected rules'), ' page. Open a learned rule (learned.*, one per site) to see each of its lines with the documents it was in, and reject single lines.'),
      rulesTable(ruleList(stage), true));
  }
  // A learned rule's lines, each with its document count and its own reject box (drawn when
  // its lines file has loaded).
  function learnedLines(id) {
    var ref = S.rules[id].learned;
    if (!ref) return null;
    var box = el('div', { id: 'learned-lines' }, el('h2', null, 'Learned lines (' + fmt(ref.count) + ')'), el('p', { class: 'note' }, 'Loading…'));
    loadLines(ref.file, function (rules) {
      if (!rules[id]) return;
      box.textContent = '';
      add(box, learnedTable(id, rules[id]));
    });
    return box;
  }
  function learnedTable(id, lines) {
    var rows = lines.list.map(function (l) {
      return { text: l.text, documents: l.documents, applied: l.applied, suspect: l.suspect, n: l.n };
    });
    var table = sortable([
      { title: 'line', key: 'text', cls: 'mono', cell: function (r) { return visible(r.text); } },
      { title: 'documents', key: 'documents', num: true },
      { title: 'applied', key: 'applied', num: true }, { title: 'suspects', key: 'suspect', num: true },
      { title: 'first seen', key: 'n', num: true, cell: function (r) { return docLink(r.n, '#' + r.n); } },
      { title: 'review', key: 'text', cls: 'reject', cell: function (r) {
        var box = el('input', { type: 'checkbox', 'data-learned-rule': id, 'data-line': r.text, title: 'reject this line (the next run keeps it)' });
        box.checked = lineRejected(id, r.text);
        box.addEventListener('change', function () {
          setLineRejected(id, r.text, box.checked);
          var tr = box.closest('tr');
          if (tr) tr.classList.toggle('rejected', box.checked);
        });
        return el('label', null, box, ' reject');
      } }
    ], rows, function (r) { return { class: lineRejected(id, r.text) ? 'rejected' : null }; });
    return [el('h2', null, 'Learned lines (' + fmt(lines.list.length) + ')'),
      el('p', { class: 'note' }, 'Each line this rule removed or reported, with the documents of this run it was in. A rejected line is kept by the next run (',
        el('code', null, 'keep'), ' in the exported file).' + (lines.more ? ' Only the first ' + S.limits.learned_lines + ' lines are listed; all edits are in edits.jsonl.' : '')),
      table];
  }
  function docList(ns, title, note) {
    var list = el('ol', { class: 'doclist' });
    var toLoad = {};
    ns.forEach(function (n) {
      var li = el('li', { 'data-n': n }, docLink(n, 'document ' + n));
      add(list, li);
      var c = chunkOf(n);
      if (c >= 0 && Object.keys(toLoad).length < 10) toLoad[c] = true;
      if (c >= 0 && toLoad[c]) {
        loadChunk(c, function (docs) {
          var d = docs[n - S.chunks[c].first];
          if (!d) return;
          var a = li.firstChild;
          a.textContent = d.path;
          add(li, el('span', { class: 'note' }, ' · ' + d.edits.length + ' edits · ' + fmt(d.bytes_in) + ' → ' + fmt(d.bytes_out) + ' bytes'));
        });
      }
    });
    return [el('h2', null, title), note ? el('p', { class: 'note' }, note) : null, list];
  }
  function ruleView(id) {
    var r = S.rules[id];
    if (!r) { show(el('p', null, 'No edits by rule ' + id + '.')); return; }
    show(el('h1', null, 'Rule ', el('span', { class: 'mono' }, id)),
      el('p', null, stageChip(r.stage), ' ', r.reason, ' ', rejectBox(id)),
      el('p', null, fmt(r.applied) + ' applied, ' + fmt(r.suspect) + ' suspects, in ' + fmt(r.documents) + ' documents (' + pct(r.documents, S.summary.documents) + ').'),
      learnedLines(id),
      el('h2', null, 'Examples'), examples(id),
      docList(r.docs, 'Documents touched', r.documents > r.docs.length ? 'The first ' + r.docs.length + ' of ' + fmt(r.documents) + '; all are in edits.jsonl.' : null));
  }
  function removedView(k) {
    var b = S.removed[k];
    if (!b) { show(el('p', null, 'No such bar.')); return; }
    var n = S.removed.length;
    show(el('h1', null, (k * 100 / n) + '–' + ((k + 1) * 100 / n) + '% of the document removed'),
      el('p', null, fmt(b.documents) + ' documents, ' + fmt(b.docs.length) + ' listed with edits.'),
      docList(b.docs, 'Documents', b.docs.length >= S.limits.list_docs ? 'The first ' + b.docs.length + '.' : null));
  }
  function docsView(c) {
    if (!S.chunks.length) { show(el('h1', null, 'Documents'), el('p', null, 'No document has edits.')); return; }
    c = Math.max(0, Math.min(c, S.chunks.length - 1));
    var info = S.chunks[c];
    var ns = [];
    for (var i = 0; i < info.docs; i++) ns.push(info.first + i);
    show(el('h1', null, 'Documents with edits'),
      el('div', { class: 'toolbar' },
        c > 0 ? el('a', { href: '#/docs/' + (c - 1) }, '← previous page') : null,
        'page ' + (c + 1) + ' of ' + S.chunks.length + ' (' + fmt(S.reviewed) + ' documents)',
        c + 1 < S.chunks.length ? el('a', { href: '#/docs/' + (c + 1) }, 'next page →') : null),
      el('div', null, docList(ns, 'Documents ' + info.first + '–' + (info.first + info.docs - 1))));
  }

  // ---- diff ----
  function parseDiff(text) {
    // Rows: {kind: ' '|'-'|'+'|'@', text, old, new}
    var rows = [], oldNo = 0, newNo = 0;
    var lines = text.split('\n');
    if (lines.length && lines[lines.length - 1] === '') lines.pop();
    lines.forEach(function (line) {
      if (line.startsWith('--- ') && rows.length === 0) return;
      if (line.startsWith('+++ ') && rows.length === 0) return;
      if (line.startsWith('@@')) {
        var m = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(line);
        if (m) { oldNo = +m[1]; newNo = +m[2]; }
        rows.push({ kind: '@', text: line });
      } else if (line.startsWith('\\')) {
        // "\ No newline at end of file"
      } else {
        var kind = line.charAt(0), body = line.slice(1);
        if (kind === '-') rows.push({ kind: '-', text: body, old: oldNo++ });
        else if (kind === '+') rows.push({ kind: '+', text: body, new: newNo++ });
        else rows.push({ kind: ' ', text: body, old: oldNo++, new: newNo++ });
      }
    });
    return rows;
  }
  var TOKEN = /\s+|[\p{L}\p{N}_]+|[^\s\p{L}\p{N}_]/gu;
  function tokens(s) { return s.match(TOKEN) || []; }
  // Word-level diff of two lines: segments {text, changed} for each side.
  function wordDiff(a, b) {
    var x = tokens(a), y = tokens(b), n = x.length, m = y.length;
    if (n * m > 250000) return [[{ text: a, changed: true }], [{ text: b, changed: true }]];
    var L = [];
    for (var i = 0; i <= n; i++) { L.push(new Uint32Array(m + 1)); }
    for (i = n - 1; i >= 0; i--) for (var j = m - 1; j >= 0; j--) L[i][j] = x[i] === y[j] ? L[i + 1][j + 1] + 1 : Math.max(L[i + 1][j], L[i][j + 1]);
    var left = [], right = [];
    function push(side, text, changed) {
      var last = side[side.length - 1];
      if (last && last.changed === changed) last.text += text; else side.push({ text: text, changed: changed });
    }
    i = 0; j = 0;
    while (i < n && j < m) {
      if (x[i] === y[j]) { push(left, x[i++], false); push(right, y[j++], false); }
      else if (L[i + 1][j] >= L[i][j + 1]) push(left, x[i++], true);
      else push(right, y[j++], true);
    }
    while (i < n) push(left, x[i++], true);
    while (j < m) push(right, y[j++], true);
    return [left, right];
  }
  // The edit a changed piece of text most likely came from: its text is in the edit's before
  // (deleted side) or after (inserted side). Unmatched pieces are drawn in the neutral colour.
  function findEdit(doc, text, side) {
    var t = text.trim(), contains = -1, within = -1, withinLen = 0;
    for (var k = 0; k < doc.edits.length; k++) {
      var e = doc.edits[k];
      if (e.status !== 'applied') continue;
      var hay = side === '-' ? e.before : e.after;
      if (t) {
        if (hay.trim() === t) return k;
        if (contains < 0 && hay.indexOf(t) >= 0) contains = k;
        // The piece holds the whole edit and more (two edits side by side, or context).
        if (hay.trim() && t.indexOf(hay.trim()) >= 0 && hay.trim().length > withinLen) { within = k; withinLen = hay.trim().length; }
      } else if (!e.before.trim() && !e.after.trim() && (text === '' ? e.before.indexOf('\n') >= 0 : hay.indexOf(text) >= 0)) {
        // White space or a blank line: only an edit that changed nothing but white space.
        if (contains < 0) contains = k;
      }
    }
    return contains >= 0 ? contains : within;
  }
  function editTitle(e) {
    return e.rule + ' (' + e.stage + ', ' + e.status + ', confidence ' + e.confidence.toFixed(2) + '): ' + e.reason;
  }
  function changedSpan(doc, text, side) {
    var k = findEdit(doc, text, side);
    var e = k >= 0 ? doc.edits[k] : null;
    var shown = text.trim() ? text : visible(text.replace(/ /g, '·')) || '∅';
    var span = el('span', { class: 'chg', 'data-side': side, 'data-edit': k, 'data-stage': e ? e.stage : '', 'data-rule': e ? e.rule : '',
      title: e ? editTitle(e) : (text ? 'no single edit matched; see the list of edits' : 'blank line removed (see the list of edits)'), style: { '--c': e ? stageColor(e.stage) : 'var(--other)' } }, shown);
    span.addEventListener('click', function () { selectEdit(k, span); });
    return span;
  }
  // Unchanged text, with suspects (not applied, so not in the diff) marked where they occur.
  function plainWithSuspects(doc, text) {
    var out = [], rest = text;
    var suspects = doc.edits.map(function (e, k) { return { e: e, k: k }; }).filter(function (s) { return s.e.status === 'suspect' && s.e.before.trim(); });
    while (rest) {
      var hit = null, at = -1;
      suspects.forEach(function (s) {
        var i = rest.indexOf(s.e.before);
        if (i >= 0 && (at < 0 || i < at)) { at = i; hit = s; }
      });
      if (!hit) { out.push(rest); break; }
      if (at > 0) out.push(rest.slice(0, at));
      (function (h) {
        var span = el('span', { class: 'suspect-mark', 'data-edit': h.k, 'data-rule': h.e.rule, title: 'suspect, not applied: ' + editTitle(h.e) + ' → ' + JSON.stringify(h.e.after) }, h.e.before);
        span.addEventListener('click', function () { selectEdit(h.k, span); });
        out.push(span);
      })(hit);
      rest = rest.slice(at + hit.e.before.length);
    }
    return out;
  }
  function segments(doc, segs, side) {
    return segs.map(function (s) { return s.changed ? changedSpan(doc, s.text, side) : plainWithSuspects(doc, s.text); });
  }
  function diffTable(doc, rows, mode) {
    var body = el('tbody');
    var i = 0;
    while (i < rows.length) {
      var r = rows[i];
      if (r.kind === '@') { add(body, el('tr', { class: 'hunk' }, el('td', { colspan: mode === 'side' ? 4 : 3 }, r.text))); i++; continue; }
      if (r.kind === ' ') {
        if (mode === 'side') add(body, el('tr', null, el('td', { class: 'ln' }, r.old), el('td', null, plainWithSuspects(doc, r.text)), el('td', { class: 'ln' }, r.new), el('td', null, plainWithSuspects(doc, r.text))));
        else add(body, el('tr', null, el('td', { class: 'ln' }, r.old), el('td', { class: 'ln' }, r.new), el('td', null, ' ', plainWithSuspects(doc, r.text))));
        i++; continue;
      }
      var dels = [], inss = [];
      while (i < rows.length && rows[i].kind === '-') dels.push(rows[i++]);
      while (i < rows.length && rows[i].kind === '+') inss.push(rows[i++]);
      var pairs = [];
      for (var k = 0; k < Math.max(dels.length, inss.length); k++) {
        var d = dels[k], a = inss[k];
        if (d && a) { var wd = wordDiff(d.text, a.text); pairs.push({ d: d, a: a, l: wd[0], r: wd[1] }); }
        else pairs.push({ d: d, a: a, l: d ? [{ text: d.text, changed: true }] : null, r: a ? [{ text: a.text, changed: true }] : null });
      }
      if (mode === 'side') {
        pairs.forEach(function (p) {
          add(body, el('tr', null,
            el('td', { class: 'ln' }, p.d ? p.d.old : ''), el('td', { class: p.d ? 'del' : '' }, p.l ? segments(doc, p.l, '-') : ''),
            el('td', { class: 'ln' }, p.a ? p.a.new : ''), el('td', { class: p.a ? 'ins' : '' }, p.r ? segments(doc, p.r, '+') : '')));
        });
      } else {
        pairs.forEach(function (p) { if (p.d) add(body, el('tr', null, el('td', { class: 'ln' }, p.d.old), el('td', { class: 'ln' }), el('td', { class: 'del' }, '-', segments(doc, p.l, '-')))); });
        pairs.forEach(function (p) { if (p.a) add(body, el('tr', null, el('td', { class: 'ln' }), el('td', { class: 'ln' }, p.a.new), el('td', { class: 'ins' }, '+', segments(doc, p.r, '+')))); });
      }
    }
    var head = mode === 'side'
      ? el('tr', null, el('th', { class: 'ln' }), el('th', null, 'original'), el('th', { class: 'ln' }), el('th', null, 'cleaned'))
      : el('tr', null, el('th', { class: 'ln' }), el('th', { class: 'ln' }), el('th', null, 'unified diff'));
    var cols = mode === 'side' ? [48, null, 48, null] : [48, 48, null];
    return el('table', { class: 'diff ' + mode, id: 'diff' },
      el('colgroup', null, cols.map(function (w) { return el('col', w ? { style: { width: w + 'px' } } : null); })),
      el('thead', null, head), body);
  }
  function selectEdit(k, span) {
    document.querySelectorAll('.chg.current, .suspect-mark.current').forEach(function (n) { n.classList.remove('current'); });
    document.querySelectorAll('#edits tr.selected').forEach(function (n) { n.classList.remove('selected'); });
    if (span) span.classList.add('current');
    var detail = document.getElementById('detail');
    if (k < 0 || !state.doc) { detail.textContent = span ? 'No single edit matched this change; see the list of edits.' : ''; return; }
    var e = state.doc.edits[k];
    var row = document.querySelector('#edits tr[data-edit="' + k + '"]');
    if (row) row.classList.add('selected');
    detail.textContent = '';
    add(detail, [el('div', null, stageChip(e.stage), ' ', el('strong', { class: 'mono' }, e.rule), ' · ', e.status, ' · line ', e.line),
      el('div', null, e.reason),
      el('div', { class: 'mono' }, el('span', { class: 'before' }, visible(e.before) || '∅'), ' → ', el('span', { class: 'after' }, visible(e.after) || '∅'))]);
  }
  function docView(n) {
    state.editAt = -1;
    withDoc(n, function (doc) {
      if (!doc) { show(el('h1', null, 'Document ' + n), el('p', null, 'Not in the review data.')); return; }
      state.doc = doc;
      var rows = parseDiff(doc.diff);
      var editsTable = el('table', { id: 'edits' }, el('thead', null, el('tr', null, ['stage', 'rule', 'line', 'before', 'after', 'reason', 'verdict'].map(function (h) { return el('th', null, h); }))),
        el('tbody', null, doc.edits.map(function (e, k) {
          var tr = el('tr', { 'data-edit': k, class: e.status === 'suspect' ? 'suspect' : null },
            el('td', null, stageChip(e.stage)), el('td', null, ruleLink(e.rule)), el('td', { class: 'num' }, e.line),
            el('td', { class: 'mono before' }, visible(e.before)), el('td', { class: 'mono after' }, visible(e.after)),
            el('td', null, e.reason), el('td', { class: 'verdict' }, e.status + (e.status === 'suspect' ? ' (not applied)' : '')));
          tr.addEventListener('click', function () { selectEdit(k, null); });
          return tr;
        })));
      var modeButton = el('button', { id: 'mode' }, state.mode === 'side' ? 'unified view (u)' : 'side-by-side view (u)');
      modeButton.addEventListener('click', function () { toggleMode(); });
      show(
        el('div', { class: 'toolbar' },
          n > 0 ? el('a', { href: '#/doc/' + (n - 1), id: 'prev' }, '← previous (p)') : null,
          el('span', null, 'document ' + (n + 1) + ' of ' + fmt(S.reviewed) + ' with edits'),
          n + 1 < S.reviewed ? el('a', { href: '#/doc/' + (n + 1), id: 'next' }, 'next (n) →') : null,
          modeButton),
        el('h1', { id: 'doc-title', class: 'mono' }, doc.path),
        el('p', { class: 'note' }, 'id ' + doc.id + ' · ' + doc.enc + ' · ' + fmt(doc.bytes_in) + ' → ' + fmt(doc.bytes_out) + ' bytes · input #' + doc.i + ' in documents.jsonl'),
        doc.changed ? diffTable(doc, rows, state.mode) : el('p', null, 'The text did not change; only suspects were reported.'),
        doc.diff_cut ? el('p', { class: 'note' }, 'The diff is cut here; the whole diff is in diffs/.') : null,
        el('h2', null, 'Edits (' + doc.edits.length + (doc.edits_left_out ? ' shown, ' + doc.edits_left_out + ' more in edits.jsonl' : '') + ')'),
        editsTable,
        el('div', { id: 'detail' }));
    });
  }
  function toggleMode() {
    state.mode = state.mode === 'side' ? 'unified' : 'side';
    if (state.doc) docView(state.doc.n);
  }
  function nextEdit(step) {
    var marks = Array.prototype.slice.call(document.querySelectorAll('#diff .chg, #diff .suspect-mark'));
    if (!marks.length) return;
    state.editAt = (state.editAt + step + marks.length) % marks.length;
    var span = marks[state.editAt];
    span.scrollIntoView({ block: 'center' });
    selectEdit(+span.getAttribute('data-edit'), span);
  }

  // ---- export ----
  // A TOML basic string: backslash, quote and every control character escaped.
  function tomlString(s) {
    return '"' + s.replace(/[\\"\u0000-\u001f\u007f]/g, function (c) {
      if (c === '\\' || c === '"') return '\\' + c;
      return '\\u' + ('000' + c.charCodeAt(0).toString(16).toUpperCase()).slice(-4);
    }) + '"';
  }
  var VALID_ID = /^[a-z0-9][a-z0-9.-]*\.v[0-9]+$/;
  function overrides() {
    var byStage = {};
    var ids = Object.keys(rejected).concat(Object.keys(rejectedLines).filter(function (id) { return !rejected[id]; }));
    ids.sort().forEach(function (id) {
      var stage = rejected[id] || (S.rules[id] && S.rules[id].stage) || (rejectedLines[id] ? 'boilerplate' : '');
      if (!stage || !VALID_ID.test(id)) return;
      var text = '\n[[rule]]\nid = ' + tomlString(id) + '\n';
      if (rejected[id]) text += 'enabled = false\n';
      else text += '# learned lines rejected in review: the next run keeps them\nkeep = [\n' +
        rejectedLines[id].slice().sort().map(function (t) { return '  ' + tomlString(t) + ',\n'; }).join('') + ']\n';
      (byStage[stage] = byStage[stage] || []).push(text);
    });
    return Object.keys(byStage).sort().map(function (stage) {
      var text = '# Written by the unscrape review page: rules rejected in review are switched off,\n' +
        '# learned lines rejected in review are kept (`keep`).\n' +
        '# Use: put this file in a folder and run `unscrape clean … --rules <folder>`.\n' +
        'stage = ' + tomlString(stage) + '\n' + byStage[stage].join('');
      return { stage: stage, name: 'review-' + stage + '.toml', text: text };
    });
  }
  function exportView() {
    var files = overrides();
    show(el('h1', null, 'Rejected rules and lines'),
      el('p', null, 'Each file below switches the rejected rules off and keeps the rejected learned lines. Save the files into one folder (say ', el('code', null, 'review-rules/'),
        ') and run ', el('code', null, 'unscrape clean … --rules review-rules'), '. Rule files hold one stage each, hence one file per stage.'),
      files.length ? null : el('p', { id: 'none-rejected' }, 'No rule or line is rejected yet: tick “reject” on the Rules page, or on a learned rule’s lines.'),
      files.map(function (f) {
        var ta = el('textarea', { readonly: true, 'data-file': f.name });
        ta.value = f.text;
        var link = el('a', { download: f.name, href: 'data:application/toml;charset=utf-8,' + encodeURIComponent(f.text) }, 'download ' + f.name);
        return el('section', null, el('h2', null, f.name), ta, el('p', null, link));
      }),
      files.length ? el('button', { id: 'clear-rejected', onclick: function () { rejected = {}; rejectedLines = {}; saveRejected(); exportView(); } }, 'clear all rejections') : null);
  }

  // ---- routing and keys ----
  function route() {
    var h = location.hash || '#/overview';
    var parts = h.slice(2).split('/');
    var view = parts[0], arg = parts.slice(1).join('/');
    ['overview', 'rules', 'docs', 'export'].forEach(function (v) {
      var a = document.getElementById('nav-' + v);
      if (a) a.className = (v === view || (v === 'rules' && view === 'rule') || (v === 'docs' && view === 'doc')) ? 'active' : '';
    });
    if (view !== 'doc') state.doc = null;
    if (view === 'rules') rulesView(arg ? decodeURIComponent(arg) : '');
    else if (view === 'rule') ruleView(decodeURIComponent(arg));
    else if (view === 'doc') docView(parseInt(arg, 10) || 0);
    else if (view === 'docs') docsView(parseInt(arg, 10) || 0);
    else if (view === 'removed') removedView(parseInt(arg, 10) || 0);
    else if (view === 'export') exportView();
    else overview();
  }
  function onKey(ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    var t = ev.target && ev.target.tagName;
    if (t === 'INPUT' || t === 'TEXTAREA') return;
    var n = state.doc ? state.doc.n : -1;
    if (ev.key === 'n' || ev.key === 'j') location.hash = '#/doc/' + Math.min(n + 1, Math.max(S.reviewed - 1, 0));
    else if (ev.key === 'p' || ev.key === 'k') location.hash = '#/doc/' + Math.max(n - 1, 0);
    else if (ev.key === 'e') nextEdit(1);
    else if (ev.key === 'E') nextEdit(-1);
    else if (ev.key === 'u') toggleMode();
    else if (ev.key === 'o') location.hash = '#/overview';
    else if (ev.key === 'r') location.hash = '#/rules';
    else return;
    ev.preventDefault();
  }
  function start() {
    try {
      var saved = localStorage.getItem(storageKey());
      if (saved) rejected = JSON.parse(saved) || {};
      var lines = localStorage.getItem(linesKey());
      if (lines) rejectedLines = JSON.parse(lines) || {};
    } catch (e) { rejected = {}; rejectedLines = {}; }
    saveRejected();
    window.addEventListener('hashchange', route);
    document.addEventListener('keydown', onKey);
    route();
  }
})();
