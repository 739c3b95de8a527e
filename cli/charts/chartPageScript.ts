/**
 * The browser side of chartPage.ts, as the text of a script (the page is one file, so nothing is bundled
 * or fetched): reads the page's JSON, builds the headings, tables and one uPlot chart per TimeChart, and
 * exposes `window.sqsFailsafeCharts` for tests and live views. Plain ES2020 that every current browser runs.
 */
export const CHART_PAGE_SCRIPT = `
(function () {
  'use strict';
  var page = JSON.parse(document.getElementById('sqs-failsafe-chart-page').textContent);
  var root = document.getElementById('page');
  var charts = [];

  function element(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  function table(spec) {
    var node = element('table');
    if (spec.caption) node.appendChild(element('caption', spec.caption));
    if (spec.header.some(function (cell) { return cell !== ''; })) {
      var head = node.appendChild(element('tr'));
      spec.header.forEach(function (cell) { head.appendChild(element('th', cell)); });
    }
    spec.rows.forEach(function (row) {
      var line = node.appendChild(element('tr'));
      row.forEach(function (cell) { line.appendChild(element('td', cell)); });
    });
    return node;
  }

  /** The plot's width: its box's content width, measured once the page is laid out. */
  function width(box) {
    return Math.max(300, box.clientWidth - 16);
  }

  /** The box of a chart, laid out with the rest of the page before any plot is drawn in it. */
  function chartBox(spec, section, container) {
    var box = container.appendChild(element('div', undefined, 'chart'));
    box.id = 'chart-' + spec.id;
    box.appendChild(element('h3', spec.title + (spec.unit ? ' (' + spec.unit + ')' : '')));
    if (spec.note) box.appendChild(element('p', spec.note));
    return function draw() { chart(spec, section, box); };
  }

  function chart(spec, section, box) {
    var labels = spec.yLabels || null;
    var keys = labels ? Object.keys(labels).map(Number).sort(function (a, b) { return a - b; }) : null;
    var stepped = uPlot.paths.stepped({ align: 1 });
    var options = {
      width: width(box),
      height: 220,
      scales: {
        x: { time: false },
        y: keys ? { range: [keys[0] - 0.5, keys[keys.length - 1] + 1.5] } : { range: function (u, min, max) { return [0, Math.max(1, max * 1.1)]; } },
      },
      axes: [
        { label: section.timeLabel },
        keys
          ? { splits: function () { return keys; }, values: function (u, splits) { return splits.map(function (v) { return labels[v] || ''; }); }, size: 24 + 7 * Math.max.apply(null, keys.map(function (k) { return labels[k].length; })) }
          : { size: 60 },
      ],
      series: [{ label: 'time (s)' }].concat(spec.series.map(function (series) {
        return {
          label: series.label,
          stroke: series.color,
          width: 2,
          paths: series.stepped || keys ? stepped : undefined,
          points: { show: false },
        };
      })),
    };
    var data = [section.times].concat(spec.series.map(function (series) { return series.values; }));
    var plot = new uPlot(options, data, box);
    charts.push({ id: spec.id, plot: plot });
  }

  var drawings = [];
  var header = root.appendChild(element('header'));
  header.appendChild(element('h1', page.title));
  if (page.subtitle) header.appendChild(element('p', page.subtitle, 'subtitle'));
  page.sections.forEach(function (section) {
    var block = root.appendChild(element('section'));
    block.appendChild(element('h2', section.heading));
    (section.paragraphs || []).forEach(function (text) { block.appendChild(element('p', text)); });
    (section.tables || []).forEach(function (spec) { block.appendChild(table(spec)); });
    var grid = block.appendChild(element('div', undefined, 'charts'));
    section.charts.forEach(function (spec) { drawings.push(chartBox(spec, section, grid)); });
  });
  drawings.forEach(function (draw) { draw(); });
  window.addEventListener('resize', function () {
    charts.forEach(function (entry) { entry.plot.setSize({ width: width(entry.plot.root.parentNode), height: 220 }); });
  });

  window.sqsFailsafeCharts = {
    charts: charts,
    update: function (id, times, values) {
      var found = charts.find(function (entry) { return entry.id === id; });
      if (found) found.plot.setData([times].concat(values));
    },
  };
})();
`;
