// Oxbow dashboard: the visits and referrers part. Reads the views `visits` (human visits are those
// whose bot_reason is "none") and `referrers` by name; a server without one of them (an older
// deployment, a views file without it: GET /api/v1/views lists what exists) gets a notice in the
// panels that need it instead of failing queries. Ratios over zero visits read "–".
// Loaded before dashboard.js, which calls window.OxbowVisits(helpers) once.
window.OxbowVisits = function (h) {
  'use strict';
  const HUMAN = 'bot_reason:none';
  // what each part of this file reads from a view; a view lacking one of them counts as absent
  const NEEDS = {
    visits: { dimensions: ['referrer_domain', 'bot_reason'],
      metrics: ['visits', 'bounces', 'duration_ms', 'page_views', 'entry_pages'] },
    referrers: { dimensions: ['referrer_domain'], metrics: ['requests', 'visitors'] }
  };
  const TOP = 10;
  const missing = { visits: 'not checked yet', referrers: 'not checked yet' };

  /** Why {@code name} cannot be used (null when it can): absent, or lacking a dimension or metric. */
  function lacks(views, name) {
    const view = views.find(v => v.name === name);
    if (!view) return 'No ' + name + ' view on this server.';
    const absent = NEEDS[name].dimensions.filter(d => !view.dimensions.includes(d))
      .concat(NEEDS[name].metrics.filter(m => !view.metrics.some(x => x.name === m)));
    return absent.length ? 'The ' + name + ' view has no ' + absent.join(', ') + '.' : null;
  }

  /** Takes the answer of GET /api/v1/views and shows a notice in each panel whose view is unusable. */
  function useViews(views) {
    missing.visits = lacks(views, 'visits');
    missing.referrers = lacks(views, 'referrers');
    document.querySelectorAll('[data-needs]').forEach(el => {
      const why = missing[el.dataset.needs];
      el.hidden = !why;
      el.textContent = why ? (el.dataset.prefix || '') + why : '';
    });
    document.getElementById('chart-entries').parentElement.hidden = !!missing.visits;
    document.getElementById('bot-reasons').hidden = !!missing.visits;
    document.getElementById('chart-referrers').parentElement.hidden = !!missing.referrers;
    return { visits: missing.visits, referrers: missing.referrers };
  }

  const ratio = (part, whole) => whole ? part / whole : null;

  /** The human visits of [from, to): visits, bounce rate (%), average duration (ms), pages per visit. */
  async function headline(from, to) {
    if (missing.visits) return null;
    const r = await h.query('visits', from, to, { granularity: 'all', filter: [HUMAN],
      metrics: 'visits,bounces,duration_ms,page_views' });
    const row = r.rows[0];
    const total = m => row ? h.num(row.metrics[m]) : 0;
    const visits = total('visits');
    const bounceShare = ratio(total('bounces'), visits);
    return { visits: visits, bounceRate: bounceShare === null ? null : 100 * bounceShare,
      avgDurationMs: ratio(total('duration_ms'), visits), pagesPerVisit: ratio(total('page_views'), visits) };
  }

  /** Top referring domains by requests (requests without a referrer left out), with their visits. */
  async function topReferrers(hourFrom, hourTo) {
    if (missing.referrers) return [];
    const r = await h.query('referrers', hourFrom, hourTo, { granularity: 'all', groupBy: 'referrer_domain',
      metrics: 'requests,visitors', orderBy: '-requests', limit: String(TOP + 1) });
    const top = r.rows.filter(row => row.dims.referrer_domain !== null).slice(0, TOP)
      .map(row => ({ domain: row.dims.referrer_domain, requests: h.num(row.metrics.requests),
        visitors: Math.round(h.num(row.metrics.visitors)), visits: null }));
    if (missing.visits || top.length === 0) return top;
    const v = await h.query('visits', hourFrom, hourTo, { granularity: 'all', groupBy: 'referrer_domain',
      metrics: 'visits', filter: [HUMAN].concat(top.map(t => 'referrer_domain:' + t.domain)) });
    const visits = new Map(v.rows.map(row => [row.dims.referrer_domain, h.num(row.metrics.visits)]));
    top.forEach(t => { t.visits = visits.get(t.domain) || 0; });
    return top;
  }

  /** The panels' data: top referrers (whole hours), top entry pages and visits by bot reason. */
  async function panels(from, to, hourFrom, hourTo) {
    const [referrers, entries, reasons] = await Promise.all([
      topReferrers(hourFrom, hourTo),
      missing.visits ? null : h.query('visits', from, to, { granularity: 'all', filter: [HUMAN], metrics: 'entry_pages' }),
      missing.visits ? null : h.query('visits', from, to, { granularity: 'all', groupBy: 'bot_reason',
        metrics: 'visits', orderBy: '-visits' })
    ]);
    const entryRow = entries && entries.rows[0];
    return { referrers: referrers,
      entries: entryRow ? entryRow.metrics.entry_pages.items.map(i => ({ page: i.item, visits: i.estimate })) : [],
      reasons: reasons ? reasons.rows.map(r => ({ reason: r.dims.bot_reason, visits: h.num(r.metrics.visits) })) : [] };
  }

  // every bar keeps its label; the referrers chart also needs its legend (three series per domain)
  const barOptions = legend => {
    const o = JSON.parse(JSON.stringify(h.namedBars));
    if (legend) o.plugins.legend = { display: true, position: 'bottom' };
    return o;
  };
  const charts = {
    referrers: new Chart(document.getElementById('chart-referrers'), {
      type: 'bar',
      data: { labels: [], datasets: [
        { label: 'requests', data: [], backgroundColor: '#1c7ed6' },
        { label: 'visitors', data: [], backgroundColor: '#2f9e44' },
        { label: 'visits (human)', data: [], backgroundColor: '#f08c00' }] },
      options: barOptions(true)
    }),
    entries: new Chart(document.getElementById('chart-entries'), {
      type: 'bar', data: { labels: [], datasets: [{ label: 'visits', data: [], backgroundColor: '#7048e8' }] },
      options: barOptions(false)
    })
  };

  /** 45 s, 2 min 5 s, 1 h 3 min; "–" for no value. */
  function durationText(ms) {
    if (ms === null || ms === undefined) return '–';
    if (ms < 60000) return h.fmt.format(ms / 1000) + ' s';
    const s = Math.round(ms / 1000);
    if (s < 3600) return Math.floor(s / 60) + ' min ' + (s % 60) + ' s';
    return Math.floor(s / 3600) + ' h ' + Math.floor((s % 3600) / 60) + ' min';
  }

  /** The four visit cards and, when comparing, their change from the previous period. */
  function drawKpis(now, before, comparing) {
    const v = now || { visits: null, bounceRate: null, avgDurationMs: null, pagesPerVisit: null };
    h.text('kpi-visits', v.visits === null ? '–' : h.fmt.format(v.visits));
    h.text('kpi-bounce', v.bounceRate === null ? '–' : h.fmt.format(v.bounceRate) + ' %');
    h.text('kpi-duration', durationText(v.avgDurationMs));
    h.text('kpi-pages-per-visit', v.pagesPerVisit === null ? '–' : h.fmt.format(v.pagesPerVisit));
    h.text('kpi-visits-note', missing.visits ? missing.visits : 'human visits');
    const was = comparing && now ? (before || {}) : undefined;
    const prev = key => was === undefined ? undefined : (was[key] === undefined ? null : was[key]);
    h.drawDelta('visits', v.visits, prev('visits'), false);
    h.drawDelta('bounce', v.bounceRate, prev('bounceRate'), true);
    h.drawDelta('duration', v.avgDurationMs, prev('avgDurationMs'), false, durationText);
    h.drawDelta('pages-per-visit', v.pagesPerVisit, prev('pagesPerVisit'), false);
  }

  function drawPanels(p) {
    const r = charts.referrers;
    r.data.labels = p.referrers.map(t => t.domain);
    r.data.datasets[0].data = p.referrers.map(t => t.requests);
    r.data.datasets[1].data = p.referrers.map(t => t.visitors);
    r.data.datasets[2].data = missing.visits ? [] : p.referrers.map(t => t.visits);
    r.data.datasets[2].hidden = !!missing.visits;
    r.update();
    charts.entries.data.labels = p.entries.map(e => e.page);
    charts.entries.data.datasets[0].data = p.entries.map(e => e.visits);
    charts.entries.update();
    const total = p.reasons.reduce((s, r) => s + r.visits, 0);
    const flagged = p.reasons.filter(r => r.reason !== 'none');
    const body = document.querySelector('#bot-reasons tbody');
    body.replaceChildren();
    for (const r of flagged) {
      const tr = document.createElement('tr');
      [r.reason === null ? '(none)' : r.reason, h.fmt.format(r.visits), h.fmt.format(100 * r.visits / total) + ' %']
        .forEach(value => { const td = document.createElement('td'); td.textContent = value; tr.append(td); });
      body.append(tr);
    }
    if (flagged.length === 0) {
      const td = document.createElement('td');
      td.colSpan = 3;
      td.className = 'muted';
      td.textContent = total ? 'no visit flagged by behaviour' : 'no visits';
      const tr = document.createElement('tr');
      tr.append(td);
      body.append(tr);
    }
  }

  return { useViews: useViews, headline: headline, panels: panels, drawKpis: drawKpis, drawPanels: drawPanels,
    charts: charts, durationText: durationText };
};
