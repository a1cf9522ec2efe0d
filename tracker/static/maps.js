// Influence maps (issue 6): draws the server's map with Cytoscape.js, sorts and pages the
// tables, exports PNG and SVG. The server has already laid the map out and decided what the
// viewer may see; this file only draws it. Without JavaScript (or without the vendor library)
// the page still has the tables, the legend and the CSV links.
(() => {
  "use strict";

  const PAGE_SIZE = 200;
  // Shapes by layer, so the map does not rely on colour alone.
  const SHAPES = { senior: "diamond", teacher: "ellipse", support: "round-rectangle", other: "triangle" };

  function cssVar(name, fallback) {
    const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    return value || fallback;
  }

  // -- the map ---------------------------------------------------------------------------------

  function readData() {
    const block = document.getElementById("map-data");
    if (!block) return null;
    try {
      return JSON.parse(block.textContent);
    } catch (error) {
      return null;
    }
  }

  // Spread large maps out: the server's 0..1000 box is too tight for hundreds of nodes.
  function spread(count) {
    return Math.max(1.4, Math.sqrt(count / 30));
  }

  // Schools-only maps have few, large nodes; person maps many small ones.
  function schoolsOnly(nodes) {
    return nodes.length > 0 && nodes.every((n) => n.kind === "school");
  }

  function sizer(nodes) {
    const sizes = nodes.map((n) => Number(n.size) || 0);
    const lo = Math.min(...sizes, 0);
    const hi = Math.max(...sizes, 1);
    let [small, large] = nodes.length > 150 ? [10, 36] : [14, 46];
    if (schoolsOnly(nodes)) [small, large] = [30, 90];
    return (n) => small + ((Number(n.size) || 0) - lo) / (hi - lo || 1) * (large - small);
  }

  function nodeClasses(n) {
    const classes = [`kind-${n.kind}`, `layer-${n.layer || "other"}`];
    if (n.head) classes.push("head");
    if (n.role_holder) classes.push("role-holder");
    if (n.broker) classes.push("broker");
    if (n.articulation_point) classes.push("articulation");
    if (n.isolate) classes.push("isolate");
    if (n.change) classes.push(`change-${n.change}`);
    return classes.join(" ");
  }

  function edgeClasses(e) {
    const classes = [`kind-${e.kind}`];
    if (e.directed) classes.push("directed");
    if (e.reciprocated) classes.push("reciprocated");
    if (e.change) classes.push(`change-${e.change}`);
    return classes.join(" ");
  }

  function elements(data) {
    const scale = spread(data.nodes.length);
    const size = sizer(data.nodes);
    const out = [];
    // A cluster with people in it (a school) is drawn as a box around them; one without (the
    // sociogram's layers) as a label at its centre.
    const filled = new Set(data.nodes.filter((n) => n.kind === "person").map((n) => n.school));
    const clusters = new Set();
    for (const c of data.clusters || []) {
      const box = filled.has(c.id);
      if (box) clusters.add(c.id);
      // A layer's label goes at the left end of its row.
      const row = data.nodes.filter((n) => n.layer === c.id).map((n) => n.x);
      const x = box || !row.length ? c.x : Math.min(...row) - 40;
      out.push({
        group: "nodes",
        data: { id: `cluster:${c.id}`, label: c.label, kind: "cluster", label_size: Math.round(12 * scale) },
        position: { x: x * scale, y: c.y * scale },
        classes: box ? "cluster" : "cluster cluster-label",
        selectable: false,
        grabbable: false,
      });
    }
    const ids = new Set();
    for (const n of data.nodes) {
      ids.add(n.id);
      const parent = n.kind === "person" && clusters.has(n.school) ? `cluster:${n.school}` : undefined;
      out.push({
        group: "nodes",
        data: { ...n, parent, shown_size: size(n), shape: SHAPES[n.layer] || (n.kind === "school" ? "round-hexagon" : "ellipse") },
        position: { x: n.x * scale, y: n.y * scale },
        classes: nodeClasses(n),
        grabbable: false,
      });
    }
    const weights = data.edges.map((e) => Number(e.weight) || 1);
    const top = Math.max(...weights, 1);
    const widest = schoolsOnly(data.nodes) ? 14 : 5;
    for (const e of data.edges) {
      if (!ids.has(e.source) || !ids.has(e.target)) continue;
      out.push({
        group: "edges",
        data: { ...e, shown_width: 1 + widest * ((Number(e.weight) || 1) / top) },
        classes: edgeClasses(e),
      });
    }
    return out;
  }

  function stylesheet(large, scale) {
    const colour = (name, fallback) => cssVar(`--map-${name}`, fallback);
    const style = [
      {
        selector: "node",
        style: {
          "background-color": colour("other", "#5b6577"),
          "border-width": 1,
          "border-color": "#ffffff",
          label: "data(label)",
          "font-size": large ? 11 : Math.round(10 * Math.min(scale, 2.5)),
          "min-zoomed-font-size": large ? 9 : 6,
          "text-valign": "bottom",
          "text-margin-y": 3,
          color: "#1d2433",
          "text-outline-color": "#ffffff",
          "text-outline-width": 2,
        },
      },
      { selector: "node[shown_size]", style: { width: "data(shown_size)", height: "data(shown_size)", shape: "data(shape)" } },
      { selector: "node.layer-senior", style: { "background-color": colour("senior", "#7b3fa0") } },
      { selector: "node.layer-teacher", style: { "background-color": colour("teacher", "#1f6f8b") } },
      { selector: "node.layer-support", style: { "background-color": colour("support", "#b85c00") } },
      { selector: "node.kind-school", style: { "background-color": colour("school", "#12344d"), "font-size": Math.round(12 * scale), "font-weight": "bold" } },
      {
        selector: "node.cluster",
        style: {
          shape: "round-rectangle",
          "background-color": colour("cluster", "#eef2f6"),
          "background-opacity": 0.55,
          "border-width": 1,
          "border-style": "dashed",
          "border-color": colour("cluster-line", "#9aa4b5"),
          label: "data(label)",
          "font-size": "data(label_size)",
          "font-weight": "bold",
          "min-zoomed-font-size": 4,
          color: colour("cluster-ink", "#41506a"),
          "text-valign": "top",
          "text-halign": "center",
          "text-margin-y": -4,
          padding: 14,
        },
      },
      {
        selector: "node.cluster-label",
        style: { "background-opacity": 0, "border-width": 0, width: 1, height: 1, "text-valign": "center", "text-halign": "left", "font-size": "data(label_size)", color: colour("cluster-ink", "#41506a") },
      },
      { selector: "node.role-holder", style: { "border-width": 3, "border-color": colour("role-holder", "#d4a000") } },
      { selector: "node.head", style: { "border-width": 5, "border-style": "double", "border-color": colour("head", "#111827") } },
      { selector: "node.broker", style: { "outline-width": 3, "outline-color": colour("broker", "#e4572e"), "outline-offset": 2 } },
      { selector: "node.articulation", style: { "underlay-color": colour("articulation", "#e4572e"), "underlay-padding": 7, "underlay-opacity": 0.35, "underlay-shape": "ellipse" } },
      { selector: "node.isolate", style: { "border-width": 2, "border-style": "dashed", "border-color": colour("isolate", "#b3261e") } },
      { selector: "node.change-gained", style: { "underlay-color": colour("gained", "#23734a"), "underlay-padding": 6, "underlay-opacity": 0.4 } },
      { selector: "node.change-lost", style: { opacity: 0.8, "border-width": 3, "border-style": "dashed", "border-color": colour("lost", "#b3261e"), "underlay-color": colour("lost", "#b3261e"), "underlay-padding": 6, "underlay-opacity": 0.3 } },
      {
        selector: "edge",
        style: {
          width: "data(shown_width)",
          "line-color": colour("mixed", "#8b93a3"),
          "target-arrow-color": colour("mixed", "#8b93a3"),
          "source-arrow-color": colour("mixed", "#8b93a3"),
          "curve-style": large ? "straight" : "bezier",
          "arrow-scale": 0.8,
          opacity: large ? 0.5 : 0.75,
        },
      },
    ];
    for (const kind of ["advice", "coaching", "group", "role", "training", "transfer"]) {
      const c = colour(kind, "#8b93a3");
      style.push({ selector: `edge.kind-${kind}`, style: { "line-color": c, "target-arrow-color": c, "source-arrow-color": c } });
    }
    style.push(
      { selector: "edge.directed", style: { "target-arrow-shape": "triangle" } },
      { selector: "edge.reciprocated", style: { "source-arrow-shape": "triangle", "line-outline-width": 1.5, "line-outline-color": cssVar("--ink", "#1d2433") } },
      { selector: "edge.kind-transfer", style: { "target-arrow-shape": "triangle-backcurve", "arrow-scale": 1.2 } },
      { selector: "edge.change-same", style: { opacity: 0.3 } },
      { selector: "edge.change-gained", style: { "line-color": colour("gained", "#23734a"), "target-arrow-color": colour("gained", "#23734a"), "source-arrow-color": colour("gained", "#23734a"), opacity: 0.95, width: 3 } },
      { selector: "edge.change-lost", style: { "line-color": colour("lost", "#b3261e"), "target-arrow-color": colour("lost", "#b3261e"), "source-arrow-color": colour("lost", "#b3261e"), "line-style": "dashed", "line-dash-pattern": [6, 4], opacity: 0.95, width: 3 } },
      { selector: ".faded", style: { opacity: 0.12 } },
      { selector: "node:selected", style: { "border-width": 4, "border-color": "#f2b705", "border-style": "solid" } },
    );
    return style;
  }

  function describe(node) {
    const d = node.data();
    const flags = [
      d.head && "head",
      d.role_holder && "role holder",
      d.broker && "broker",
      d.articulation_point && "only link (articulation point)",
      d.isolate && "isolated",
      d.change && d.change !== "same" && `tie ${d.change}`,
    ].filter(Boolean);
    const parts = [d.label];
    if (d.kind === "person") {
      if (d.school_name) parts.push(d.school_name);
      if (d.layer) parts.push(d.layer);
    }
    parts.push(`${d.in_degree || 0} nominations received`, `${node.degree(false)} ties on this map`);
    if (flags.length) parts.push(flags.join(", "));
    return parts.join(" · ");
  }

  function focusOn(cy, node, details) {
    cy.elements().removeClass("faded");
    if (!node) {
      if (details) details.textContent = details.dataset.empty || "";
      return;
    }
    const near = node.closedNeighborhood();
    cy.elements().not(near).not(".cluster").addClass("faded");
    if (details) details.textContent = describe(node);
  }

  function keyboard(cy, container) {
    const step = 60;
    container.addEventListener("keydown", (event) => {
      const moves = { ArrowLeft: [step, 0], ArrowRight: [-step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
      if (moves[event.key]) {
        const [x, y] = moves[event.key];
        cy.panBy({ x, y });
      } else if (event.key === "+" || event.key === "=") {
        zoom(cy, 1.25);
      } else if (event.key === "-") {
        zoom(cy, 0.8);
      } else if (event.key === "0") {
        cy.fit(undefined, 20);
      } else {
        return;
      }
      event.preventDefault();
    });
  }

  function zoom(cy, factor) {
    cy.zoom({ level: cy.zoom() * factor, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
  }

  // Cytoscape adds a <style> element (its container must be position: relative) unless one
  // with this id exists. Our CSP refuses inline styles and tracker.css already has the rule,
  // so an empty marker with that id keeps it from trying.
  function markStylesheet() {
    const id = "__________cytoscape_stylesheet";
    if (document.getElementById(id)) return;
    const marker = document.createElement("meta");
    marker.id = id;
    document.head.append(marker);
  }

  function drawMap(section, data) {
    const container = section.querySelector("[data-map-canvas]");
    const status = section.querySelector("[data-map-status]");
    if (typeof window.cytoscape !== "function") {
      if (status) status.textContent = status.dataset.missing || "The map library is not installed.";
      return null;
    }
    markStylesheet();
    container.replaceChildren();
    const large = data.nodes.length > 150;
    const cy = window.cytoscape({
      container,
      elements: elements(data),
      style: stylesheet(large, spread(data.nodes.length)),
      layout: { name: "preset", fit: true, padding: 24 },
      minZoom: 0.05,
      maxZoom: 4,
      boxSelectionEnabled: false,
      autoungrabify: true,
      textureOnViewport: large,
      hideEdgesOnViewport: data.edges.length > 1500,
      motionBlur: false,
    });
    const details = section.querySelector("[data-map-details]");
    cy.on("tap", "node", (event) => {
      if (!event.target.hasClass("cluster")) focusOn(cy, event.target, details);
    });
    cy.on("tap", (event) => {
      if (event.target === cy) focusOn(cy, null, details);
    });
    keyboard(cy, container);
    for (const button of section.querySelectorAll("[data-zoom]")) {
      button.hidden = false;
      button.addEventListener("click", () => {
        const how = button.dataset.zoom;
        if (how === "fit") cy.fit(undefined, 24);
        else zoom(cy, how === "in" ? 1.25 : 0.8);
      });
    }
    container.setAttribute("role", "img");
    container.setAttribute("aria-label", container.dataset.alt || "Influence map");
    container.tabIndex = 0;
    const shown = cy.nodes().not(".cluster");
    container.dataset.nodes = String(shown.length);
    container.dataset.edges = String(cy.edges().length);
    container.dataset.rendered = "true";
    if (status) status.textContent = "";
    return cy;
  }

  // -- exports ---------------------------------------------------------------------------------

  function download(blob, name) {
    const url = URL.createObjectURL(blob);
    const link = document.createElement("a");
    link.href = url;
    link.download = name;
    link.hidden = true;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  function fileName(data, extension) {
    return `influence-map-${data.view}-${data.at}.${extension}`;
  }

  // Sharp enough to print, but no larger than about 3000 pixels a side.
  function exportScale(cy) {
    const box = cy.elements().boundingBox();
    return Math.min(2, 3000 / Math.max(box.w, box.h, 1));
  }

  function enableExports(section, cy, data) {
    for (const button of section.querySelectorAll("[data-export]")) {
      const format = button.dataset.export;
      if (format === "svg" && typeof cy.svg !== "function") continue;
      button.hidden = false;
      button.addEventListener("click", () => {
        if (format === "png") {
          const blob = cy.png({ output: "blob", full: true, bg: "#ffffff", scale: exportScale(cy) });
          download(blob, fileName(data, "png"));
        } else {
          const svg = cy.svg({ full: true, bg: "#ffffff", scale: 1 });
          download(new Blob([svg], { type: "image/svg+xml" }), fileName(data, "svg"));
        }
      });
    }
  }

  // -- the tables ------------------------------------------------------------------------------

  function sortKey(cell) {
    const raw = cell ? (cell.dataset.sort ?? cell.textContent.trim()) : "";
    const number = Number(raw);
    return raw !== "" && Number.isFinite(number) ? { n: number } : { s: raw.toLowerCase() };
  }

  function compare(a, b) {
    if ("n" in a && "n" in b) return a.n - b.n;
    if ("n" in a) return -1;
    if ("n" in b) return 1;
    return a.s.localeCompare(b.s, "en-GB");
  }

  function pager(table) {
    const body = table.tBodies[0];
    const nav = document.querySelector(`[data-pager-for="${table.id}"]`);
    const state = { page: 0 };
    const render = () => {
      const rows = Array.from(body.rows);
      const pages = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));
      state.page = Math.min(state.page, pages - 1);
      rows.forEach((row, i) => { row.hidden = Math.floor(i / PAGE_SIZE) !== state.page; });
      if (!nav) return;
      nav.hidden = pages === 1;
      const first = state.page * PAGE_SIZE + 1;
      const last = Math.min(rows.length, first + PAGE_SIZE - 1);
      nav.querySelector("[data-pager-status]").textContent = `Rows ${first}–${last} of ${rows.length}`;
      nav.querySelector("[data-pager=prev]").disabled = state.page === 0;
      nav.querySelector("[data-pager=next]").disabled = state.page >= pages - 1;
    };
    if (nav) {
      nav.querySelector("[data-pager=prev]").addEventListener("click", () => { state.page -= 1; render(); });
      nav.querySelector("[data-pager=next]").addEventListener("click", () => { state.page += 1; render(); });
    }
    render();
    return (page) => { state.page = page; render(); };
  }

  function sortable(table) {
    const headers = Array.from(table.tHead.rows[0].cells);
    const body = table.tBodies[0];
    const goTo = pager(table);
    const announce = table.querySelector("[data-sort-status]");
    headers.forEach((th, column) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      button.append(...th.childNodes);
      th.append(button);
      button.addEventListener("click", () => {
        const ascending = th.getAttribute("aria-sort") !== "ascending";
        for (const other of headers) other.removeAttribute("aria-sort");
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        const keyed = Array.from(body.rows, (row) => [sortKey(row.cells[column]), row]);
        keyed.sort((a, b) => (ascending ? 1 : -1) * compare(a[0], b[0]));
        body.append(...keyed.map(([, row]) => row));
        goTo(0);
        if (announce) announce.textContent = `, sorted by ${button.textContent.trim()} ${ascending ? "ascending" : "descending"}`;
      });
    });
  }

  // -- the filter form -------------------------------------------------------------------------

  // Shorter bookmarks: leave out empty fields, and a group of boxes that are all ticked (the
  // server reads both as "no filter"), so the URL holds only the filters actually chosen.
  function tidyFilters(form) {
    form.addEventListener("formdata", (event) => {
      const fields = event.formData;
      for (const [name, value] of Array.from(fields.entries())) {
        if (value === "") fields.delete(name);
      }
      for (const group of form.querySelectorAll("fieldset")) {
        const boxes = group.querySelectorAll("input[type=checkbox]");
        if (boxes.length && Array.from(boxes).every((box) => box.checked)) fields.delete(boxes[0].name);
      }
    });
  }

  // -- start -----------------------------------------------------------------------------------

  function start() {
    for (const form of document.querySelectorAll("form.map-filters")) tidyFilters(form);
    for (const table of document.querySelectorAll("table[data-sortable]")) sortable(table);
    const section = document.querySelector("[data-map]");
    const data = readData();
    if (!section || !data) return;
    // Let the page (and its tables) paint first: a map of 500 people takes a moment to draw.
    requestAnimationFrame(() => {
      const cy = drawMap(section, data);
      if (cy) enableExports(section, cy, data);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
