// Oxbow dashboard: reads /api/v1 every few seconds and redraws. Every text from the data is set with
// textContent (never parsed as HTML). State for tests and the curious: window.oxbowDashboard.
// The date range (a preset ending at the newest data, or a custom from/to in UTC) and "compare with
// the previous period" live in the URL's query string (?range=7d&compare=1, or
// ?range=custom&from=...&to=...), so a view can be shared and reloaded; each range is drawn at the
// finest granularity giving at most MAX_POINTS buckets.
// The visits and referrers cards and panels are drawn by visits.js (window.OxbowVisits), which needs
// the views visits and referrers and says so where the server lacks one (GET /api/v1/views).
// When the API asks for a key (401), the page shows a sign-in form; the key is kept in this tab's
// sessionStorage only (gone when the tab closes), sent only as "Authorization: Bearer", never put
// in a URL.
(function () {
  'use strict';
  const params = new URLSearchParams(location.search);
  const REFRESH_MS = Number(params.get('refresh') || 5000);
  const MINUTE = 60000;
  const HOUR = 3600000;
  const DAY = 86400000;
  const KEY_ITEM = 'oxbow.api-key';
  const PRESETS = {
    '1h': { ms: HOUR, label: '1 h' }, '24h': { ms: 24 * HOUR, label: '24 h' },
    '7d': { ms: 7 * DAY, label: '7 days' }, '30d': { ms: 30 * DAY, label: '30 days' },
    '1y': { ms: 365 * DAY, label: '1 year' } };
  // finest first; week and month are calendar buckets (their length here only picks and places them)
  const GRANULARITIES = [['minute', MINUTE], ['5m', 5 * MINUTE], ['hour', HOUR], ['day', DAY],
    ['week', 7 * DAY], ['month', 30 * DAY]];
  const MAX_POINTS = 400;
  const state = { refreshes: 0, errors: 0, lastError: null, watermark: null, end: null, totals: {},
    needsKey: false, choice: readChoice(), granularity: null, from: null, to: null, span: HOUR,
    compare: null, rangeText: '' };
  window.oxbowDashboard = state;

  const fmt = new Intl.NumberFormat('en', { maximumFractionDigits: 1 });
  const money = new Intl.NumberFormat('en', { maximumFractionDigits: 2, minimumFractionDigits: 2 });
  const iso = ms => new Date(ms).toISOString();
  const hhmm = ms => iso(ms).substring(11, 16);
  const floorTo = (ms, unit) => Math.floor(ms / unit) * unit;
  const ceilTo = (ms, unit) => Math.ceil(ms / unit) * unit;

  /** The range chosen in the URL: a preset, a custom from/to, or (older links) ?minutes=N. */
  function readChoice() {
    const p = new URLSearchParams(location.search);
    const compare = p.get('compare') === '1';
    const range = p.get('range');
    const from = Date.parse(p.get('from') || '');
    const to = Date.parse(p.get('to') || '');
    if (range === 'custom' && from < to) return { preset: 'custom', from: from, to: to, compare: compare };
    if (PRESETS[range]) return { preset: range, compare: compare };
    const minutes = Number(p.get('minutes'));
    if (minutes > 0) return { preset: 'minutes', span: minutes * MINUTE, compare: compare };
    return { preset: '1h', compare: compare };
  }

  /** Puts the choice in the URL (keeping its other parameters) without reloading. */
  function writeChoice() {
    const c = state.choice;
    const p = new URLSearchParams(location.search);
    ['range', 'from', 'to', 'compare', 'minutes'].forEach(k => p.delete(k));
    if (c.preset === 'minutes') p.set('minutes', String(c.span / MINUTE)); else p.set('range', c.preset);
    if (c.preset === 'custom') { p.set('from', iso(c.from)); p.set('to', iso(c.to)); }
    if (c.compare) p.set('compare', '1');
    history.replaceState(null, '', location.pathname + '?' + p.toString() + location.hash);
  }

  /** The finest granularity drawing {@code span} in at most MAX_POINTS buckets: [name, ms]. */
  function granularityFor(span) {
    return GRANULARITIES.find(g => span / g[1] <= MAX_POINTS) || GRANULARITIES[GRANULARITIES.length - 1];
  }

  /** The period shown: [from, to) and its granularity; a preset ends at the bucket after {@code end}. */
  function period(end) {
    const c = state.choice;
    if (c.preset === 'custom') {
      return { from: c.from, to: c.to, g: granularityFor(c.to - c.from), label: duration(c.to - c.from) };
    }
    const span = c.preset === 'minutes' ? c.span : PRESETS[c.preset].ms;
    const g = granularityFor(span);
    const to = g[1] <= DAY ? ceilTo(end, g[1]) : end;
    return { from: to - span, to: to, g: g, label: c.preset === 'minutes' ? duration(span) : PRESETS[c.preset].label };
  }

  function duration(ms) {
    if (ms % DAY === 0) return (ms / DAY) + (ms === DAY ? ' day' : ' days');
    if (ms % HOUR === 0) return (ms / HOUR) + ' h';
    return Math.round(ms / MINUTE) + ' min';
  }

  /** "09:00–10:00 UTC (1 h)" within a day, else with the dates of both ends. */
  function rangeText(from, to, label) {
    const dt = ms => iso(ms).substring(0, 10) + ' ' + hhmm(ms);
    const sameDay = to - from <= DAY && iso(from).substring(0, 10) === iso(to - 1).substring(0, 10);
    return (sameDay ? hhmm(from) + '–' + hhmm(to) : dt(from) + ' – ' + dt(to)) + ' UTC (' + label + ')';
  }

  /** A time axis tick: the time within a day, the date and time within 3 days, else the date. */
  function tickText(v) {
    const s = iso(v);
    if (state.span <= DAY) return s.substring(11, 16);
    if (state.span <= 3 * DAY) return s.substring(5, 10) + ' ' + s.substring(11, 16);
    return state.span < 180 * DAY ? s.substring(5, 10) : s.substring(0, 10);
  }
  const text = (id, value) => { document.getElementById(id).textContent = value; };
  const num = v => (v === null || v === undefined) ? 0 : (typeof v === 'object' ? v.estimate : Number(v));

  // Draws the batch watermark as a dashed vertical line on time axes.
  const watermarkLine = {
    id: 'watermarkLine',
    afterDatasetsDraw(chart) {
      const w = state.watermark;
      const x = chart.scales.x;
      if (w === null || !x || x.type !== 'linear' || w < x.min || w > x.max) return;
      const px = x.getPixelForValue(w);
      const ctx = chart.ctx;
      ctx.save();
      ctx.strokeStyle = '#d9480f';
      ctx.setLineDash([5, 4]);
      ctx.beginPath();
      ctx.moveTo(px, chart.chartArea.top);
      ctx.lineTo(px, chart.chartArea.bottom);
      ctx.stroke();
      ctx.fillStyle = '#d9480f';
      ctx.font = '11px system-ui';
      ctx.fillText('batch ◂ ' + tickText(w) + ' ▸ real time', px + 4, chart.chartArea.top + 11);
      ctx.restore();
    }
  };
  Chart.register(watermarkLine);
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;

  const timeAxis = { type: 'linear', ticks: { callback: v => tickText(v), maxTicksLimit: 12 } };
  // every bar of a top-N chart keeps its label (Chart.js would skip every other one when crowded)
  const namedBars = { indexAxis: 'y', plugins: { legend: { display: false } },
    scales: { y: { ticks: { autoSkip: false } } } };
  const charts = {
    traffic: new Chart(document.getElementById('chart-traffic'), {
      type: 'line',
      data: { datasets: [
        { label: 'requests', data: [], borderColor: '#1c7ed6', pointRadius: 0, yAxisID: 'y' },
        { label: 'visitors', data: [], borderColor: '#2f9e44', pointRadius: 0, yAxisID: 'y' }] },
      options: { parsing: false, scales: { x: timeAxis, y: { beginAtZero: true } } }
    }),
    status: new Chart(document.getElementById('chart-status'), {
      type: 'bar',
      data: { datasets: ['2xx', '3xx', '4xx', '5xx'].map((c, i) => ({
        label: c, data: [], backgroundColor: ['#40c057', '#74c0fc', '#fab005', '#fa5252'][i] })) },
      options: { parsing: false, scales: { x: Object.assign({ stacked: true, offset: false }, timeAxis),
        y: { stacked: true, beginAtZero: true } } }
    }),
    countries: new Chart(document.getElementById('chart-countries'), {
      type: 'bar', data: { labels: [], datasets: [{ label: 'requests', data: [], backgroundColor: '#1c7ed6' }] },
      options: namedBars
    }),
    pages: new Chart(document.getElementById('chart-pages'), {
      type: 'bar', data: { labels: [], datasets: [{ label: 'views', data: [], backgroundColor: '#7048e8' }] },
      options: JSON.parse(JSON.stringify(namedBars))
    }),
    revenue: new Chart(document.getElementById('chart-revenue'), {
      type: 'bar',
      data: { datasets: [
        { label: 'revenue', data: [], backgroundColor: '#f08c00', yAxisID: 'y' },
        { label: 'orders', data: [], type: 'line', borderColor: '#495057', yAxisID: 'y1', pointRadius: 2 }] },
      options: { parsing: false, scales: { x: timeAxis, y: { beginAtZero: true },
        y1: { beginAtZero: true, position: 'right', grid: { drawOnChartArea: false } } } }
    })
  };
  const visits = window.OxbowVisits({ query: query, drawDelta: drawDelta,
    text: text, num: num, fmt: fmt, namedBars: namedBars });
  state.charts = Object.assign(charts, visits.charts);

  class Unauthorized extends Error {}
  class Forbidden extends Error {}

  async function get(path) {
    const key = sessionStorage.getItem(KEY_ITEM);
    const headers = key ? { Authorization: 'Bearer ' + key } : {};
    const response = await fetch(path, { cache: 'no-store', headers: headers, credentials: 'omit' });
    const body = await response.json();
    if (response.status === 401) throw new Unauthorized(body.error || 'an API key is required');
    if (response.status === 403) throw new Forbidden(path + ': ' + (body.error || 403));
    if (!response.ok) throw new Error(path + ': ' + (body.error || response.status));
    return body;
  }

  const signin = document.getElementById('signin');
  const signout = document.getElementById('signout');
  let timer = null;

  function askForKey(message) {
    state.needsKey = true;
    signin.hidden = false;
    document.querySelector('main').hidden = true;
    signout.hidden = true;
    text('signin-error', message || '');
    document.getElementById('api-key').focus();
  }

  signin.addEventListener('submit', event => {
    event.preventDefault();
    const input = document.getElementById('api-key');
    const key = input.value.trim();
    input.value = '';
    if (!key) return;
    sessionStorage.setItem(KEY_ITEM, key);
    state.needsKey = false;
    signin.hidden = true;
    document.querySelector('main').hidden = false;
    clearTimeout(timer);
    loop();
  });

  signout.addEventListener('click', event => {
    event.preventDefault();
    sessionStorage.removeItem(KEY_ITEM);
    clearTimeout(timer);
    askForKey('');
  });

  /** A query of {@code view} over [from, to); an array value in {@code extra} repeats its parameter. */
  function query(view, from, to, extra) {
    const q = new URLSearchParams({ from: new Date(from).toISOString(), to: new Date(to).toISOString() });
    for (const [k, v] of Object.entries(extra || {})) {
      (Array.isArray(v) ? v : [v]).forEach(x => q.append(k, x));
    }
    return get('/api/v1/views/' + view + '/query?' + q.toString());
  }

  function newestEnd(status) {
    let end = null;
    for (const v of ['traffic', 'pages', 'errors']) {
      const s = status.views && status.views[v];
      if (!s) continue;
      for (const t of [s.speed_newest, s.watermark]) {
        if (t) end = Math.max(end || 0, Date.parse(t));
      }
    }
    return end === null ? Math.ceil(Date.now() / MINUTE) * MINUTE : Math.ceil(end / MINUTE) * MINUTE;
  }

  /**
   * The headline numbers of [from, to): requests, visitors, error rate, bot share, revenue, and the
   * human visits (null without a visits view).
   */
  async function headline(from, to) {
    const [totals, byStatus, byBot, revenue, humanVisits] = await Promise.all([
      query('traffic', from, to, { granularity: 'all', metrics: 'requests,visitors' }),
      query('traffic', from, to, { granularity: 'all', groupBy: 'status_class', metrics: 'requests' }),
      query('traffic', from, to, { granularity: 'all', groupBy: 'is_bot', metrics: 'requests' }),
      query('revenue', floorTo(from, HOUR), ceilTo(to, HOUR), { granularity: 'all', metrics: 'orders,revenue' }),
      visits.headline(from, to)
    ]);
    const sum = (rows, metric, keep) => rows.filter(keep).reduce((s, r) => s + num(r.metrics[metric]), 0);
    const row = totals.rows[0];
    const requests = row ? num(row.metrics.requests) : 0;
    const errors = sum(byStatus.rows, 'requests', r => r.dims.status_class === '4xx' || r.dims.status_class === '5xx');
    const bots = sum(byBot.rows, 'requests', r => r.dims.is_bot === 'true');
    return { requests: requests, visitors: row ? row.metrics.visitors : null,
      errorRate: requests ? 100 * errors / requests : null, botShare: requests ? 100 * bots / requests : null,
      revenue: sum(revenue.rows, 'revenue', () => true), orders: sum(revenue.rows, 'orders', () => true),
      visits: humanVisits };
  }

  async function refresh(generation) {
    const status = await get('/api/v1/status');
    const catalog = await get('/api/v1/views');
    if (generation !== loops) return;
    state.missing = visits.useViews(catalog.views);
    const end = newestEnd(status);
    const p = period(end);
    const from = p.from;
    const to = p.to;
    const span = to - from;
    const g = p.g[0];
    // the pages and revenue views have one-hour windows: they are read over whole hours
    const hourFrom = floorTo(from, HOUR);
    const hourTo = ceilTo(to, HOUR);
    const hourly = p.g[1] < HOUR ? 'hour' : g;
    const [perBucket, byStatus, current, previous, countries, pages, revenue, dlq, visitPanels] = await Promise.all([
      query('traffic', from, to, { granularity: g, metrics: 'requests,visitors' }),
      query('traffic', from, to, { granularity: g, groupBy: 'status_class', metrics: 'requests' }),
      headline(from, to),
      state.choice.compare ? headline(from - span, from) : null,
      query('traffic', from, to, { granularity: 'all', groupBy: 'country', metrics: 'requests', orderBy: '-requests', limit: '10' }),
      query('pages', hourFrom, hourTo, { granularity: 'all', groupBy: 'path', metrics: 'views', orderBy: '-views', limit: '10' }),
      query('revenue', hourFrom, hourTo, { granularity: hourly, metrics: 'orders,revenue' }),
      // dead letters need the admin permission: a read-only key sees the rest
      get('/api/v1/dlq?limit=8').catch(e => {
        if (!(e instanceof Forbidden)) throw e;
        return { total: null, records: [], refused: String(e.message) };
      }),
      visits.panels(from, to, hourFrom, hourTo)
    ]);
    if (generation !== loops) return; // the range changed meanwhile: the newer refresh draws
    Object.assign(state, { end: end, from: from, to: to, span: span, granularity: g,
      watermark: status.watermark ? Date.parse(status.watermark) : null });
    state.compare = previous ? { current: current, previous: previous } : null;
    document.querySelectorAll('.per').forEach(e => { e.textContent = g; });
    text('per-revenue', hourly);
    drawTraffic(perBucket, from, to);
    drawStatus(byStatus, from, to, p.g[1]);
    drawKpis(current, previous, status, dlq);
    drawBars(charts.countries, countries, 'country', 'requests');
    drawBars(charts.pages, pages, 'path', 'views');
    drawRevenue(revenue, hourFrom, hourTo, hourly === 'hour' ? HOUR : p.g[1]);
    drawDlq(dlq);
    visits.drawKpis(current.visits, previous ? previous.visits : null, previous !== null);
    visits.drawPanels(visitPanels);
    state.visits = visitPanels;
    state.rangeText = rangeText(from, to, p.label);
    text('range', state.rangeText);
    text('updated', 'updated ' + new Date().toISOString().substring(11, 19));
    state.refreshes++;
  }

  function drawTraffic(result, from, end) {
    const c = charts.traffic;
    c.data.datasets[0].data = result.rows.map(r => ({ x: Date.parse(r.window_start), y: num(r.metrics.requests) }));
    c.data.datasets[1].data = result.rows.map(r => ({ x: Date.parse(r.window_start), y: num(r.metrics.visitors) }));
    c.options.scales.x.min = from; c.options.scales.x.max = end;
    c.update();
  }

  function drawStatus(result, from, end, bucket) {
    const c = charts.status;
    for (const ds of c.data.datasets) {
      ds.data = result.rows.filter(r => r.dims.status_class === ds.label)
        .map(r => ({ x: Date.parse(r.window_start) + bucket / 2, y: num(r.metrics.requests) }));
    }
    c.options.scales.x.min = from; c.options.scales.x.max = end;
    c.update();
  }

  // One headline's change from the previous period, under its number: a percentage of the previous
  // value, or percentage points for a share (points); empty when not comparing. {@code format}
  // writes the previous value (default: a number).
  function drawDelta(id, current, previous, points, format) {
    const el = document.getElementById('delta-' + id);
    el.className = 'delta';
    if (previous === undefined) { el.textContent = ''; return; }
    if (current === null || previous === null) { el.textContent = 'previous period: –'; return; }
    const change = points ? current - previous : (previous === 0 ? null : 100 * (current - previous) / previous);
    const was = ' vs previous period (' + (format ? format(previous) : fmt.format(previous)) + (points ? ' %)' : ')');
    if (change === null) {
      el.textContent = (current === 0 ? '= 0' : 'new') + was;
      return;
    }
    const arrow = change > 0 ? '▲ ' : change < 0 ? '▼ ' : '= ';
    el.textContent = arrow + fmt.format(Math.abs(change)) + (points ? ' pp' : ' %') + was;
    if (!points && change !== 0) el.classList.add(change > 0 ? 'up' : 'down');
  }

  function drawKpis(now, before, status, dlq) {
    const requests = now.requests;
    state.totals.requests = requests;
    text('kpi-requests', fmt.format(requests));
    const v = now.visitors;
    if (v) {
      state.totals.visitors = v.estimate;
      text('kpi-visitors', fmt.format(Math.round(v.estimate)));
      text('kpi-visitors-bounds', 'distinct clients (' + fmt.format(Math.floor(v.lower)) + '–' + fmt.format(Math.ceil(v.upper)) + ')');
    } else {
      text('kpi-visitors', '0');
    }
    text('kpi-errors', now.errorRate === null ? '–' : fmt.format(now.errorRate) + ' %');
    text('kpi-bots', now.botShare === null ? '–' : fmt.format(now.botShare) + ' %');
    text('kpi-revenue', money.format(now.revenue));
    text('kpi-orders', fmt.format(now.orders) + ' attributed orders');
    const was = before || {};
    const visitors = x => x ? Math.round(x.estimate) : 0;
    drawDelta('requests', requests, before ? was.requests : undefined, false);
    drawDelta('visitors', visitors(v), before ? visitors(was.visitors) : undefined, false);
    drawDelta('errors', now.errorRate, before ? was.errorRate : undefined, true);
    drawDelta('bots', now.botShare, before ? was.botShare : undefined, true);
    drawDelta('revenue', now.revenue, before ? was.revenue : undefined, false);
    text('kpi-dlq', dlq.total === null ? 'admin only' : fmt.format(dlq.total));
    const lag = status.lag && status.lag.stream_processor;
    text('kpi-lag', lag && lag.records !== null && lag.records !== undefined
      ? 'stream lag ' + fmt.format(lag.records) + ' records, ' + fmt.format(lag.seconds) + ' s' : 'stream lag n/a');
  }

  function drawBars(chart, result, dim, metric) {
    chart.data.labels = result.rows.map(r => r.dims[dim] === null ? '(none)' : r.dims[dim]);
    chart.data.datasets[0].data = result.rows.map(r => num(r.metrics[metric]));
    chart.update();
  }

  function drawRevenue(result, from, to, bucket) {
    const c = charts.revenue;
    c.data.datasets[0].data = result.rows.map(r => ({ x: Date.parse(r.window_start) + bucket / 2, y: num(r.metrics.revenue) }));
    c.data.datasets[1].data = result.rows.map(r => ({ x: Date.parse(r.window_start) + bucket / 2, y: num(r.metrics.orders) }));
    c.options.scales.x.min = from; c.options.scales.x.max = to;
    c.update();
  }

  function drawDlq(dlq) {
    const body = document.querySelector('#dlq tbody');
    body.replaceChildren();
    for (const d of dlq.records) {
      const tr = document.createElement('tr');
      const cells = [d.time ? d.time.substring(11, 19) : '', d.reason || '(none)', d.raw];
      cells.forEach((v, i) => {
        const td = document.createElement('td');
        td.textContent = i === 2 && v.length > 160 ? v.substring(0, 160) + '…' : v;
        if (i === 2) td.className = 'raw';
        tr.append(td);
      });
      body.append(tr);
    }
  }

  // the picker: a preset or the compare box applies at once; a custom range on "Apply"
  const preset = document.getElementById('range-preset');
  const custom = document.getElementById('custom-range');
  const compare = document.getElementById('compare');
  const local = ms => iso(ms).substring(0, 16);
  function showChoice() {
    const c = state.choice;
    preset.value = c.preset === 'minutes' ? '' : c.preset;
    custom.hidden = c.preset !== 'custom';
    compare.checked = c.compare;
    if (c.preset === 'custom') {
      document.getElementById('range-from').value = local(c.from);
      document.getElementById('range-to').value = local(c.to);
    }
  }
  function apply(choice) {
    state.choice = choice;
    writeChoice();
    showChoice();
    clearTimeout(timer);
    if (!state.needsKey) loop();
  }
  preset.addEventListener('change', () => {
    if (preset.value !== 'custom') {
      apply({ preset: preset.value, compare: compare.checked });
      return;
    }
    custom.hidden = false;
    document.getElementById('range-from').value = local(state.from === null ? Date.now() - DAY : state.from);
    document.getElementById('range-to').value = local(state.to === null ? Date.now() : state.to);
  });
  document.getElementById('picker').addEventListener('submit', event => {
    event.preventDefault();
    const from = Date.parse(document.getElementById('range-from').value + 'Z');
    const to = Date.parse(document.getElementById('range-to').value + 'Z');
    if (!(from < to)) {
      text('updated', 'custom range: from must be before to');
      return;
    }
    apply({ preset: 'custom', from: from, to: to, compare: compare.checked });
  });
  compare.addEventListener('change', () => apply(Object.assign({}, state.choice, { compare: compare.checked })));
  showChoice();

  let loops = 0;
  async function loop() {
    const generation = ++loops;
    try {
      await refresh(generation);
      if (generation !== loops) return;
      state.lastError = null;
      signout.hidden = !sessionStorage.getItem(KEY_ITEM);
    } catch (e) {
      if (e instanceof Unauthorized) {
        const hadKey = sessionStorage.getItem(KEY_ITEM) !== null;
        sessionStorage.removeItem(KEY_ITEM);
        askForKey(hadKey ? 'That key was not accepted: ' + e.message : '');
        return;
      }
      if (generation !== loops) return;
      state.errors++;
      state.lastError = String(e);
      text('updated', 'update failed: ' + e.message);
    }
    timer = setTimeout(loop, REFRESH_MS);
  }
  loop();
})();
