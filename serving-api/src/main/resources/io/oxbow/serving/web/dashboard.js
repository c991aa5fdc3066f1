// Oxbow dashboard: reads /api/v1 every few seconds and redraws. Every text from the data is set with
// textContent (never parsed as HTML). State for tests and the curious: window.oxbowDashboard.
// When the API asks for a key (401), the page shows a sign-in form; the key is kept in this tab's
// sessionStorage only (gone when the tab closes), sent only as "Authorization: Bearer", never put
// in a URL.
(function () {
  'use strict';
  const params = new URLSearchParams(location.search);
  const MINUTES = Number(params.get('minutes') || 60);
  const REFRESH_MS = Number(params.get('refresh') || 5000);
  const MINUTE = 60000;
  const HOUR = 3600000;
  const KEY_ITEM = 'oxbow.api-key';
  const state = { refreshes: 0, errors: 0, lastError: null, watermark: null, end: null, totals: {},
    needsKey: false };
  window.oxbowDashboard = state;

  const fmt = new Intl.NumberFormat('en', { maximumFractionDigits: 1 });
  const money = new Intl.NumberFormat('en', { maximumFractionDigits: 2, minimumFractionDigits: 2 });
  const hhmm = ms => new Date(ms).toISOString().substring(11, 16);
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
      ctx.fillText('batch ◂ ' + hhmm(w) + ' ▸ real time', px + 4, chart.chartArea.top + 11);
      ctx.restore();
    }
  };
  Chart.register(watermarkLine);
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;

  const timeAxis = { type: 'linear', ticks: { callback: v => hhmm(v), maxTicksLimit: 12 } };
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
      options: { indexAxis: 'y', plugins: { legend: { display: false } } }
    }),
    pages: new Chart(document.getElementById('chart-pages'), {
      type: 'bar', data: { labels: [], datasets: [{ label: 'views', data: [], backgroundColor: '#7048e8' }] },
      options: { indexAxis: 'y', plugins: { legend: { display: false } } }
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
  state.charts = charts;

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

  function query(view, from, to, extra) {
    const q = new URLSearchParams(Object.assign({ from: new Date(from).toISOString(), to: new Date(to).toISOString() }, extra));
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

  async function refresh() {
    const status = await get('/api/v1/status');
    const end = newestEnd(status);
    const from = end - MINUTES * MINUTE;
    state.end = end;
    state.watermark = status.watermark ? Date.parse(status.watermark) : null;
    const dayFrom = Math.floor((end - 24 * HOUR) / HOUR) * HOUR;
    const dayTo = Math.ceil(end / HOUR) * HOUR;
    const [perMinute, byStatus, totals, byBot, countries, pages, revenue, dlq] = await Promise.all([
      query('traffic', from, end, { granularity: 'minute', metrics: 'requests,visitors' }),
      query('traffic', from, end, { granularity: 'minute', groupBy: 'status_class', metrics: 'requests' }),
      query('traffic', from, end, { granularity: 'all', metrics: 'requests,visitors' }),
      query('traffic', from, end, { granularity: 'all', groupBy: 'is_bot', metrics: 'requests' }),
      query('traffic', from, end, { granularity: 'all', groupBy: 'country', metrics: 'requests', orderBy: '-requests', limit: '10' }),
      query('pages', dayFrom, dayTo, { granularity: 'all', groupBy: 'path', metrics: 'views', orderBy: '-views', limit: '10' }),
      query('revenue', dayFrom, dayTo, { granularity: 'hour', metrics: 'orders,revenue' }),
      // dead letters need the admin permission: a read-only key sees the rest
      get('/api/v1/dlq?limit=8').catch(e => {
        if (!(e instanceof Forbidden)) throw e;
        return { total: null, records: [], refused: String(e.message) };
      })
    ]);
    drawTraffic(perMinute, from, end);
    drawStatus(byStatus, from, end);
    drawKpis(totals, byStatus, byBot, revenue, status, dlq);
    drawBars(charts.countries, countries, 'country', 'requests');
    drawBars(charts.pages, pages, 'path', 'views');
    drawRevenue(revenue, dayFrom, dayTo);
    drawDlq(dlq);
    text('range', hhmm(from) + '–' + hhmm(end) + ' UTC (' + MINUTES + ' min)');
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

  function drawStatus(result, from, end) {
    const c = charts.status;
    for (const ds of c.data.datasets) {
      ds.data = result.rows.filter(r => r.dims.status_class === ds.label)
        .map(r => ({ x: Date.parse(r.window_start) + MINUTE / 2, y: num(r.metrics.requests) }));
    }
    c.options.scales.x.min = from; c.options.scales.x.max = end;
    c.update();
  }

  function drawKpis(totals, byStatus, byBot, revenue, status, dlq) {
    const row = totals.rows[0];
    const requests = row ? num(row.metrics.requests) : 0;
    state.totals.requests = requests;
    text('kpi-requests', fmt.format(requests));
    if (row) {
      const v = row.metrics.visitors;
      state.totals.visitors = v.estimate;
      text('kpi-visitors', fmt.format(Math.round(v.estimate)));
      text('kpi-visitors-bounds', 'distinct clients (' + fmt.format(Math.floor(v.lower)) + '–' + fmt.format(Math.ceil(v.upper)) + ')');
    } else {
      text('kpi-visitors', '0');
    }
    const errors = byStatus.rows.filter(r => r.dims.status_class === '4xx' || r.dims.status_class === '5xx')
      .reduce((s, r) => s + num(r.metrics.requests), 0);
    text('kpi-errors', requests ? fmt.format(100 * errors / requests) + ' %' : '–');
    const bots = byBot.rows.filter(r => r.dims.is_bot === 'true').reduce((s, r) => s + num(r.metrics.requests), 0);
    text('kpi-bots', requests ? fmt.format(100 * bots / requests) + ' %' : '–');
    const revenueSum = revenue.rows.reduce((s, r) => s + num(r.metrics.revenue), 0);
    const orders = revenue.rows.reduce((s, r) => s + num(r.metrics.orders), 0);
    text('kpi-revenue', money.format(revenueSum));
    text('kpi-orders', fmt.format(orders) + ' attributed orders, 24 h');
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

  function drawRevenue(result, from, to) {
    const c = charts.revenue;
    c.data.datasets[0].data = result.rows.map(r => ({ x: Date.parse(r.window_start) + HOUR / 2, y: num(r.metrics.revenue) }));
    c.data.datasets[1].data = result.rows.map(r => ({ x: Date.parse(r.window_start) + HOUR / 2, y: num(r.metrics.orders) }));
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

  async function loop() {
    try {
      await refresh();
      state.lastError = null;
      signout.hidden = !sessionStorage.getItem(KEY_ITEM);
    } catch (e) {
      if (e instanceof Unauthorized) {
        const hadKey = sessionStorage.getItem(KEY_ITEM) !== null;
        sessionStorage.removeItem(KEY_ITEM);
        askForKey(hadKey ? 'That key was not accepted: ' + e.message : '');
        return;
      }
      state.errors++;
      state.lastError = String(e);
      text('updated', 'update failed: ' + e.message);
    }
    timer = setTimeout(loop, REFRESH_MS);
  }
  loop();
})();
