/**
 * The page script (assets/docs.js), plain ES2017 so any browser runs it from a file:// URL.
 * Routing, search and lineage highlighting; the pages themselves are rendered at build time.
 * Its pure part is exposed as `SP01Docs` so tests run the very code that ships.
 */
export const SITE_SCRIPT = String.raw`(function () {
  'use strict';

  function parseRoute(hash) {
    var path = String(hash || '').replace(/^#!?\/?/, '');
    try { path = decodeURIComponent(path); } catch (e) { /* keep it as written */ }
    if (path === '') return { route: 'overview', focus: null };
    if (path.indexOf('lineage/') === 0) return { route: 'lineage', focus: path.slice('lineage/'.length) };
    return { route: path, focus: null };
  }

  /** Every node reachable from start along edges (parents or children), start excluded. */
  function reach(start, edges) {
    var seen = {};
    var out = [];
    var stack = (edges[start] || []).slice();
    while (stack.length) {
      var id = stack.pop();
      if (seen[id] || id === start) continue;
      seen[id] = true;
      out.push(id);
      var next = edges[id] || [];
      for (var i = 0; i < next.length; i++) stack.push(next[i]);
    }
    return out.sort();
  }

  /** Classes for one highlighted node: which nodes and edges are up- or downstream of it. */
  function lineageClasses(focus, parents, children) {
    var up = {}, down = {};
    reach(focus, parents).forEach(function (id) { up[id] = true; });
    reach(focus, children).forEach(function (id) { down[id] = true; });
    return {
      node: function (id) { return id === focus ? 'focus' : up[id] ? 'up' : down[id] ? 'down' : 'dim'; },
      edge: function (from, to) {
        if (up[from] && (up[to] || to === focus)) return 'up';
        if ((down[from] || from === focus) && down[to]) return 'down';
        return 'dim';
      }
    };
  }

  function matches(haystack, query) {
    var terms = String(query || '').toLowerCase().split(/\s+/).filter(Boolean);
    for (var i = 0; i < terms.length; i++) if (haystack.indexOf(terms[i]) < 0) return false;
    return true;
  }

  var api = { parseRoute: parseRoute, reach: reach, lineageClasses: lineageClasses, matches: matches };
  if (typeof globalThis !== 'undefined') globalThis.SP01Docs = api;
  if (typeof document === 'undefined') return;

  var data = JSON.parse(document.getElementById('docs-data').textContent);
  var pages = {};
  Array.prototype.forEach.call(document.querySelectorAll('section.page'), function (section) {
    pages[section.getAttribute('data-route')] = section;
  });
  document.documentElement.className += ' js';

  function paint(svg, focus) {
    var classes = focus ? lineageClasses(focus, data.parents, data.children) : null;
    Array.prototype.forEach.call(svg.querySelectorAll('g.ln'), function (g) {
      ['focus', 'up', 'down', 'dim'].forEach(function (c) { g.classList.remove(c); });
      if (classes) g.classList.add(classes.node(g.getAttribute('data-id')));
    });
    Array.prototype.forEach.call(svg.querySelectorAll('path.le'), function (p) {
      ['up', 'down', 'dim'].forEach(function (c) { p.classList.remove(c); });
      if (classes) p.classList.add(classes.edge(p.getAttribute('data-from'), p.getAttribute('data-to')));
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll('svg.lineage'), function (svg) {
    var pinned = svg.getAttribute('data-focus');
    paint(svg, pinned);
    Array.prototype.forEach.call(svg.querySelectorAll('g.ln'), function (g) {
      g.addEventListener('mouseenter', function () { paint(svg, g.getAttribute('data-id')); });
      g.addEventListener('mouseleave', function () { paint(svg, svg.getAttribute('data-focus')); });
    });
  });

  function show() {
    var target = parseRoute(location.hash);
    var page = pages[target.route] || pages['not-found'];
    Object.keys(pages).forEach(function (route) { pages[route].hidden = pages[route] !== page; });
    var svg = document.getElementById('lineage-full');
    if (svg) {
      if (target.focus) svg.setAttribute('data-focus', target.focus); else svg.removeAttribute('data-focus');
      paint(svg, target.focus);
      var label = document.getElementById('lineage-focus');
      if (label) label.textContent = target.focus ? 'Highlighting ' + target.focus + ': upstream and downstream.' : '';
    }
    Array.prototype.forEach.call(document.querySelectorAll('a.leaf'), function (a) {
      var active = a.getAttribute('href') === '#!/' + target.route;
      a.classList.toggle('active', active);
      if (active) {
        for (var el = a.parentElement; el; el = el.parentElement) if (el.tagName === 'DETAILS') el.open = true;
      }
    });
    var title = page.querySelector('h1');
    document.title = (title ? title.firstChild.textContent.trim() + ' · ' : '') + data.project + ' docs';
    if (target.focus && svg) {
      var box = svg.querySelector('g.ln.focus');
      if (box && box.scrollIntoView) box.scrollIntoView({ block: 'center', inline: 'center' });
    } else {
      window.scrollTo(0, 0);
    }
  }
  window.addEventListener('hashchange', show);
  show();

  var search = document.getElementById('search');
  var count = document.getElementById('search-count');
  search.addEventListener('input', function () {
    var query = search.value;
    var shown = 0;
    Array.prototype.forEach.call(document.querySelectorAll('a.leaf'), function (a) {
      var hit = matches(a.getAttribute('data-search'), query);
      a.parentElement.hidden = !hit;
      if (hit) shown++;
    });
    Array.prototype.forEach.call(document.querySelectorAll('#tree details'), function (d) {
      var any = d.querySelector('li:not([hidden]) > a.leaf');
      d.parentElement.hidden = !any && d.parentElement.tagName === 'LI';
      if (query) d.open = Boolean(any);
    });
    count.textContent = query ? shown + ' match' + (shown === 1 ? '' : 'es') : '';
  });
  document.addEventListener('keydown', function (e) {
    if (e.key === '/' && document.activeElement !== search) { e.preventDefault(); search.focus(); }
  });
})();
`;
