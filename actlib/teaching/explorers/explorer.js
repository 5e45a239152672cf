// actlib explorers: the one drawing implementation.
//
// An anywidget ES module (`render({model, el})`), used twice:
//  * live in JupyterLab, where `model` is the widget's model and the kernel answers every
//    change of `state` with a new `frame`;
//  * in the static book page, where actlib's page code runs this file as a classic script
//    and gives `render` a small local model (`staticModel`) over the precomputed frames.
//
// The model holds three values:
//  * `spec`: what the explorer is (controls, views, texts), fixed;
//  * `state`: the index of every control's current value;
//  * `frame`: the data of the current state, as {s: skeleton, b: blobs}: the skeleton is
//    the views' data as JSON with every numeric array replaced by {"$": i, "e": encoding,
//    "n": length}, and b[i] holds the bytes (base64 text or a Uint8Array) of array i.
//
// A view kind is an entry of VIEWS: mount(box, view, ctx) builds its elements once and
// returns update(items), which draws one frame. Nothing here fetches anything.

const NS = "http://www.w3.org/2000/svg";
const DASH = { dashed: "7 4", dotted: "2 3" };
const MARGIN = { left: 58, right: 14, top: 12, bottom: 44 };

// ---- decoding ---------------------------------------------------------------------------

function b64bytes(s) {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function decodeArray(bytes, enc, n) {
  if (typeof bytes === "string") bytes = b64bytes(bytes);
  if (bytes.byteOffset % 4) bytes = bytes.slice();
  const buf = bytes.buffer, off = bytes.byteOffset;
  if (enc === "f4") return new Float32Array(buf, off, n);
  if (enc === "u8") return Float32Array.from(new Uint8Array(buf, off, n));
  if (enc === "b1") {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = (bytes[i >> 3] >> (i & 7)) & 1;
    return out;
  }
  const head = new Float32Array(buf, off, 2), lo = head[0], hi = head[1];
  const q16 = enc === "q16" || enc === "l16";
  const codes = q16 ? new Uint16Array(buf, off + 8, n) : new Uint8Array(buf, off + 8, n);
  const top = q16 ? 65534 : 254, step = (hi - lo) / top, out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const c = codes[i];
    if (c > top) { out[i] = NaN; continue; }
    const v = lo + c * step;
    out[i] = enc === "l16" ? Math.pow(10, v) : v;
  }
  return out;
}

function decodeFrame(wire) {
  const blobs = wire.b;
  const walk = (node) => {
    if (Array.isArray(node)) return node.map(walk);
    if (node && typeof node === "object") {
      if ("$" in node) {
        const a = decodeArray(blobs[node.$], node.e, node.n);
        return node.shape ? { data: a, shape: node.shape } : a;
      }
      const out = {};
      for (const k in node) out[k] = walk(node[k]);
      return out;
    }
    return node;
  };
  return walk(wire.s);
}

// ---- the local model of a static page ------------------------------------------------------

function staticModel(data) {
  const blob = b64bytes(data.blob);
  const offs = new Uint32Array(b64bytes(data.off).buffer);
  const rowBytes = b64bytes(data.rows);
  const rows = data.it === "u16" ? new Uint16Array(rowBytes.buffer) : new Uint32Array(rowBytes.buffer);
  const pad = data.it === "u16" ? 0xffff : 0xffffffff;
  const sizes = data.spec.controls.map((c) => (c.values || c.options).length);
  let state = data.spec.controls.map((c) => c.default);
  const handlers = {};
  const emit = (ev) => (handlers[ev] || []).slice().forEach((f) => f());
  const frame = () => {
    let k = 0;
    for (let i = 0; i < sizes.length; i++) k = k * sizes[i] + state[i];
    const r = k * data.rw, b = [];
    for (let j = 1; j < data.rw; j++) {
      const bi = rows[r + j];
      if (bi === pad) break;
      b.push(blob.subarray(offs[bi], offs[bi + 1]));
    }
    return { s: data.skel[rows[r]], b };
  };
  return {
    get(key) {
      if (key === "spec") return data.spec;
      if (key === "state") return state.slice();
      if (key === "frame") return frame();
      return undefined;
    },
    set(key, value) {
      if (key !== "state") return;
      state = value.slice();
      emit("change:state");
      emit("change:frame");
    },
    save_changes() {},
    on(ev, f) { (handlers[ev] = handlers[ev] || []).push(f); },
    off(ev, f) { handlers[ev] = (handlers[ev] || []).filter((g) => g !== f); },
  };
}

// ---- small helpers ------------------------------------------------------------------------

function el(tag, attrs, parent, ns) {
  const e = ns ? document.createElementNS(NS, tag) : document.createElement(tag);
  for (const k in attrs || {}) if (attrs[k] !== undefined && attrs[k] !== null) e.setAttribute(k, attrs[k]);
  if (parent) parent.appendChild(e);
  return e;
}
const sv = (tag, attrs, parent) => el(tag, attrs, parent, true);

function num(t) {
  // a tick label: at most 6 significant digits, a real minus sign
  return String(Number(t.toPrecision(6))).replace("-", "\u2212");
}

function fmtValue(v, spec) {
  // a control's value as the page shows it: 4 significant digits, or an integer
  if (spec.labels) return spec.labels[spec.values.indexOf(v)];
  return spec.integer ? String(Math.round(v)) : String(Number(v.toPrecision(4))).replace("-", "\u2212");
}

function fmtNote(template, values) {
  // "{0:.1f}", "{1:.0%}", "{0:.2e}", "{2:d}", "{0}" filled from values
  return template.replace(/\{(\d+)(?::([^}]*))?\}/g, (_, i, f) => {
    const v = values[+i];
    if (v === undefined || !isFinite(v)) return "\u2014";
    let s;
    const m = /^\.(\d+)([fe%])$/.exec(f || "");
    if (f === "d") s = String(Math.round(v));
    else if (m && m[2] === "f") s = v.toFixed(+m[1]);
    else if (m && m[2] === "%") s = (100 * v).toFixed(+m[1]) + "\u202f%";
    else if (m && m[2] === "e") s = v.toExponential(+m[1]).replace("e+", "e").replace("e-", "e\u2212");
    else s = String(Number(v.toPrecision(4)));
    return s.replace(/^-/, "\u2212");
  });
}

function ticks(lo, hi, n) {
  const span = hi - lo;
  if (!(span > 0)) return [lo];
  const raw = span / (n || 6), mag = Math.pow(10, Math.floor(Math.log10(raw)));
  let step = 10 * mag;
  for (const m of [1, 2, 2.5, 5, 10]) if (m * mag >= raw) { step = m * mag; break; }
  const out = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + 1e-9 * span; t += step) out.push(Math.round(t / step) * step + 0);
  return out;
}

function logTicks(lo, hi) {
  const a = Math.ceil(Math.log10(lo) - 1e-9), b = Math.floor(Math.log10(hi) + 1e-9);
  const stride = Math.max(1, Math.floor((b - a) / 6) + 1), out = [];
  for (let k = a; k <= b; k += stride) out.push(k);
  return out;
}

function supExp(k) {
  const sup = { "-": "\u207b", 0: "\u2070", 1: "\u00b9", 2: "\u00b2", 3: "\u00b3", 4: "\u2074", 5: "\u2075", 6: "\u2076", 7: "\u2077", 8: "\u2078", 9: "\u2079" };
  return "10" + String(k).split("").map((c) => sup[c]).join("");
}

// One plot box: an SVG with a plot area, axes from (xlim, ylim, scales), and a clip path.
function plotBox(box, view, ctx, opts) {
  const W = view.width || 640, H = view.height || 300, M = Object.assign({}, MARGIN, view.margin || {});
  const svg = sv("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": view.alt || view.title || ctx.spec.title,
    class: "actlib-plot" }, box);
  svg.style.maxWidth = W + "px";
  const clip = `${ctx.uid}-clip${ctx.index}`;
  const defs = sv("defs", {}, svg);
  sv("rect", { x: M.left, y: M.top, width: W - M.left - M.right, height: H - M.top - M.bottom }, sv("clipPath", { id: clip }, defs));
  sv("rect", { x: M.left, y: M.top, width: W - M.left - M.right, height: H - M.top - M.bottom, class: "plot-area" }, svg);
  const axes = sv("g", { class: "axes" }, svg);
  const layer = sv("g", { "clip-path": `url(#${clip})`, class: "data" }, svg);
  const P = { svg, axes, layer, W, H, M, pw: W - M.left - M.right, ph: H - M.top - M.bottom };
  P.setLimits = (xlim, ylim, ylog, xlog) => {
    P.xlim = xlim; P.ylim = ylim; P.ylog = !!ylog; P.xlog = !!xlog;
    const lx = (v) => (P.xlog ? Math.log10(v) : v), ly = (v) => (P.ylog ? Math.log10(v) : v);
    const x0 = lx(xlim[0]), x1 = lx(xlim[1]), y0 = ly(ylim[0]), y1 = ly(ylim[1]);
    P.px = (x) => M.left + ((lx(x) - x0) / (x1 - x0)) * P.pw;
    P.py = (y) => Math.max(-1e4, Math.min(1e4, M.top + ((y1 - ly(y)) / (y1 - y0)) * P.ph));
    drawAxes(P, view, opts || {});
  };
  return P;
}

function drawAxes(P, view, opts) {
  const g = P.axes, { M, W, H } = P;
  g.textContent = "";
  const xt = view.xticks ? view.xticks.map((t) => t[0]) : P.xlog ? logTicks(...P.xlim).map((k) => Math.pow(10, k)) : ticks(P.xlim[0], P.xlim[1], opts.nx || 6);
  const xl = view.xticks ? view.xticks.map((t) => t[1]) : P.xlog ? logTicks(...P.xlim).map(supExp) : xt.map(num);
  xt.forEach((t, i) => {
    const x = P.px(t).toFixed(1);
    if (!opts.nogrid) sv("line", { x1: x, x2: x, y1: M.top, y2: H - M.bottom, class: "grid" }, g);
    sv("text", { x, y: H - M.bottom + 16, "text-anchor": "middle" }, g).textContent = xl[i];
  });
  if (!opts.noy) {
    const ks = P.ylog ? logTicks(...P.ylim) : null;
    const yt = view.yticks ? view.yticks.map((t) => t[0]) : ks ? ks.map((k) => Math.pow(10, k)) : ticks(P.ylim[0], P.ylim[1], 5);
    const yl = view.yticks ? view.yticks.map((t) => t[1]) : ks ? ks.map(supExp) : yt.map(num);
    yt.forEach((t, i) => {
      const y = P.py(t).toFixed(1);
      if (!opts.nogrid) sv("line", { x1: M.left, x2: W - M.right, y1: y, y2: y, class: "grid" }, g);
      sv("text", { x: M.left - 6, y: (+y + 4).toFixed(1), "text-anchor": "end" }, g).textContent = yl[i];
    });
    if (!P.ylog && P.ylim[0] < 0 && P.ylim[1] > 0) {
      const y = P.py(0).toFixed(1);
      sv("line", { x1: M.left, x2: W - M.right, y1: y, y2: y, class: "zero" }, g);
    }
  }
  if (!P.xlog && !view.xticks && P.xlim[0] < 0 && P.xlim[1] > 0 && !opts.noy) {
    const x = P.px(0).toFixed(1);
    sv("line", { x1: x, x2: x, y1: M.top, y2: H - M.bottom, class: "zero" }, g);
  }
  if (view.xlabel) sv("text", { x: (M.left + P.pw / 2).toFixed(0), y: H - 8, "text-anchor": "middle", class: "label" }, g).textContent = view.xlabel;
  if (view.ylabel) sv("text", { transform: "rotate(-90)", x: (-(M.top + P.ph / 2)).toFixed(0), y: 15, "text-anchor": "middle", class: "label" }, g).textContent = view.ylabel;
}

function linePath(P, x, y, bars) {
  let d = "", pen = "M";
  const base = (P.H - P.M.bottom).toFixed(1);
  for (let i = 0; i < x.length; i++) {
    const X = P.px(x[i]), Y = P.py(y[i]);
    if (!isFinite(X) || !isFinite(Y)) { pen = "M"; continue; }
    if (bars) { d += "M" + X.toFixed(1) + " " + base + "L" + X.toFixed(1) + " " + Y.toFixed(1); continue; }
    d += pen + X.toFixed(1) + " " + Y.toFixed(1);
    pen = "L";
  }
  return d;
}

function swatch(parent, color, style) {
  const s = sv("svg", { width: 26, height: 10, "aria-hidden": "true", class: "swatch" }, parent);
  if (style === "markers") sv("circle", { cx: 13, cy: 5, r: 3.5, fill: color }, s);
  else sv("line", { x1: 1, x2: 25, y1: 5, y2: 5, stroke: color, "stroke-width": style === "bars" ? 6 : 2.5, "stroke-dasharray": DASH[style] }, s);
}

function legend(box, entries) {
  // an HTML legend under the plot: off the data, wraps on a narrow screen
  box.textContent = "";
  entries.forEach(([label, color, style]) => {
    const item = el("span", { class: "actlib-legend-item" }, box);
    swatch(item, color, style);
    el("span", {}, item).textContent = label;
  });
}

// ---- view kinds ---------------------------------------------------------------------------

const VIEWS = {};

// Curves, bar stems, markers and reference lines over fixed axes.
VIEWS.lines = (box, view, ctx) => {
  const P = plotBox(box, view, ctx);
  const leg = el("div", { class: "actlib-legend" }, box);
  const notes = el("p", { class: "actlib-note" }, box);
  let limits = null;
  return (items) => {
    P.layer.textContent = "";
    const entries = [];
    const ax = items.find((it) => it.kind === "axes");
    const want = [ax && ax.xlim ? Array.from(ax.xlim) : view.xlim, ax && ax.ylim ? Array.from(ax.ylim) : view.ylim];
    if (JSON.stringify(want) !== limits) { limits = JSON.stringify(want); P.setLimits(want[0], want[1], view.yscale === "log", view.xscale === "log"); }
    items.forEach((it, i) => {
      if (it.kind === "axes") return;
      if (it.kind === "rule") {
        const a = it.x !== undefined ? { x1: P.px(it.x[0]), x2: P.px(it.x[0]), y1: P.M.top, y2: P.H - P.M.bottom } : { x1: P.M.left, x2: P.W - P.M.right, y1: P.py(it.y[0]), y2: P.py(it.y[0]) };
        sv("line", Object.assign(a, { class: "rule", "stroke-dasharray": DASH[it.style] }), P.layer);
        return;
      }
      if (it.kind === "note") { notes.textContent = fmtNote(it.text, it.values || []); return; }
      if (it.style === "markers") {
        const g = sv("g", { fill: it.color, "data-series": i }, P.layer);
        for (let j = 0; j < it.x.length; j++) {
          const X = P.px(it.x[j]), Y = P.py(it.y[j]);
          if (isFinite(X) && isFinite(Y)) sv("circle", { cx: X.toFixed(1), cy: Y.toFixed(1), r: 3.5 }, g);
        }
      } else {
        sv("path", { d: linePath(P, it.x, it.y, it.style === "bars"), stroke: it.color, fill: "none", "data-series": i,
          "stroke-width": it.style === "bars" ? 14 : 2.2, "stroke-dasharray": DASH[it.style] }, P.layer);
      }
      if (it.label) entries.push([it.label, it.color, it.style]);
    });
    if (view.legend !== false) legend(leg, entries);
  };
};

// Histograms stacked one above the other (one row per layer), sharing an x range that the
// frame gives; each row is scaled to its own largest bin, its label on the left and its
// note on the right.
VIEWS.histograms = (box, view, ctx) => {
  const P = plotBox(box, Object.assign({ margin: { left: 70, right: 196 } }, view), ctx, { noy: true, nogrid: true });
  P.setLimits([0, 1], [0, 1]);
  const notes = el("p", { class: "actlib-note" }, box);
  return (items) => {
    P.layer.textContent = "";
    const rows = items.filter((it) => it.kind === "hist");
    const range = rows.length ? rows[0].range : [0, 1];
    P.setLimits([range[0], range[1]], [0, 1]);
    const n = rows.length, rh = P.ph / Math.max(n, 1);
    const lab = sv("g", { class: "row-labels" }, P.svg);
    P.svg.querySelectorAll("g.row-labels").forEach((g) => g !== lab && g.remove());
    rows.forEach((it, r) => {
      const c = it.counts, m = Math.max(...c, 1e-30), bw = P.pw / c.length, y0 = P.M.top + (r + 1) * rh;
      let d = "M" + P.M.left.toFixed(1) + " " + y0.toFixed(1);
      for (let j = 0; j < c.length; j++) {
        const y = (y0 - (0.88 * rh * c[j]) / m).toFixed(1);
        d += "L" + (P.M.left + j * bw).toFixed(1) + " " + y + "L" + (P.M.left + (j + 1) * bw).toFixed(1) + " " + y;
      }
      d += "L" + (P.M.left + P.pw).toFixed(1) + " " + y0.toFixed(1) + "Z";
      sv("path", { d, fill: it.color, "fill-opacity": 0.55, stroke: it.color, "stroke-width": 1.2, "data-series": r }, P.layer);
      if (it.marks) for (const v of it.marks) {
        const x = P.px(v).toFixed(1);
        sv("line", { x1: x, x2: x, y1: (y0 - rh).toFixed(1), y2: y0.toFixed(1), class: "rule", "stroke-dasharray": "2 3" }, P.layer);
      }
      sv("text", { x: P.M.left - 6, y: (y0 - rh / 2 + 4).toFixed(1), "text-anchor": "end" }, lab).textContent = it.label;
      if (it.note) sv("text", { x: P.W - P.M.right + 6, y: (y0 - rh / 2 + 4).toFixed(1), class: "row-note" }, lab).textContent = fmtNote(it.note.text, it.note.values || []);
    });
    items.forEach((it) => { if (it.kind === "note") notes.textContent = fmtNote(it.text, it.values || []); });
  };
};

// Colour maps: 2 colours for binary maps, else a sequential ramp.
const RAMPS = {
  binary: [[233, 237, 242], [201, 65, 12]],
  viridis: [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]],
  diverging: [[29, 124, 206], [246, 246, 246], [214, 92, 11]],
};
function ramp(name, t) {
  const stops = RAMPS[name] || RAMPS.viridis;
  if (!isFinite(t)) return [128, 128, 128];
  t = Math.max(0, Math.min(1, t)) * (stops.length - 1);
  const i = Math.min(Math.floor(t), stops.length - 2), f = t - i, a = stops[i], b = stops[i + 1];
  return [a[0] + f * (b[0] - a[0]), a[1] + f * (b[1] - a[1]), a[2] + f * (b[2] - a[2])];
}

function raster(values, rows, cols, color) {
  const c = document.createElement("canvas");
  c.width = cols; c.height = rows;
  const g = c.getContext("2d"), img = g.createImageData(cols, rows);
  for (let k = 0; k < rows * cols; k++) {
    const rgb = color(k);
    img.data[4 * k] = rgb[0]; img.data[4 * k + 1] = rgb[1]; img.data[4 * k + 2] = rgb[2]; img.data[4 * k + 3] = 255;
  }
  g.putImageData(img, 0, 0);
  return c.toDataURL();
}

// Small multiples of matrices (e.g. samples × units of each layer), side by side.
VIEWS.heatmaps = (box, view, ctx) => {
  const W = view.width || 640, H = view.height || 220, top = 8, bottom = 40, gap = 10, left = 10;
  const svg = sv("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": view.alt || view.title || "", class: "actlib-plot" }, box);
  svg.style.maxWidth = W + "px";
  const leg = el("div", { class: "actlib-legend" }, box);
  const notes = el("p", { class: "actlib-note" }, box);
  if (view.legend) legend(leg, view.legend.map((e) => [e[0], e[1], "bars"]));
  return (items) => {
    svg.textContent = "";
    const tiles = items.filter((it) => it.kind === "grid");
    const n = Math.max(tiles.length, view.tiles || 1), tw = (W - left - gap * (n - 1) - 4) / n;
    tiles.forEach((it, i) => {
      const [r, c] = it.values.shape, v = it.values.data, lo = it.vmin, hi = it.vmax;
      const x = left + i * (tw + gap), h = Math.min(H - top - bottom, (tw * r) / c * (view.stretch || 1));
      const href = raster(v, r, c, (k) => (view.palette === "binary" ? RAMPS.binary[v[k] > 0.5 ? 1 : 0] : ramp(view.palette, (v[k] - lo) / (hi - lo))));
      sv("image", { x: x.toFixed(1), y: top, width: tw.toFixed(1), height: h.toFixed(1), href, preserveAspectRatio: "none", class: "raster", "data-series": i }, svg);
      sv("rect", { x: x.toFixed(1), y: top, width: tw.toFixed(1), height: h.toFixed(1), class: "frame" }, svg);
      sv("text", { x: (x + tw / 2).toFixed(1), y: (top + h + 15).toFixed(1), "text-anchor": "middle" }, svg).textContent = it.label;
      if (it.note) sv("text", { x: (x + tw / 2).toFixed(1), y: (top + h + 31).toFixed(1), "text-anchor": "middle", class: "row-note" }, svg).textContent = fmtNote(it.note.text, it.note.values || []);
    });
    items.forEach((it) => { if (it.kind === "note") notes.textContent = fmtNote(it.text, it.values || []); });
  };
};

// A 2-D field over a rectangle: a classifier's likeliest class at its confidence, or a
// scalar on a palette; with data points, the lines where first-layer units switch on
// (dashed where a unit is dead) and curves through the plane.
VIEWS.field = (box, view, ctx) => {
  const P = plotBox(box, Object.assign({ width: 420, height: 400 }, view), ctx);
  P.setLimits(view.xlim, view.ylim);
  const leg = el("div", { class: "actlib-legend" }, box);
  const notes = el("p", { class: "actlib-note" }, box);
  const colors = view.colors || ["#1d7cce", "#d65c0b", "#248e35", "#7557ce"];
  const rgb = colors.map((h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16)));
  return (items) => {
    P.layer.textContent = "";
    const entries = (view.legend || []).map((e) => [e[0], e[1], "bars"]);
    items.forEach((it, i) => {
      if (it.kind === "field") {
        let href;
        if (it.classes === 1) {
          const [r, c] = it.values.shape, v = it.values.data;
          href = raster(v, r, c, (k) => ramp(view.palette, (v[k] - it.vmin) / (it.vmax - it.vmin)));
        } else {
          const [r, c] = it.codes.shape, v = it.codes.data, L = it.levels;
          href = raster(v, r, c, (k) => {
            const cls = Math.min(Math.floor(v[k] / L), it.classes - 1), conf = (v[k] - cls * L) / (L - 1);
            const a = 0.12 + 0.55 * conf;           // blend the class colour with white
            return rgb[cls].map((x) => 255 + a * (x - 255));
          });
        }
        sv("image", { x: P.M.left, y: P.M.top, width: P.pw, height: P.ph, href, preserveAspectRatio: "none", class: "raster field" }, P.layer);
      } else if (it.kind === "points") {
        const g = sv("g", { class: "points" }, P.layer);
        for (let j = 0; j < it.x.length; j++) {
          sv("circle", { cx: P.px(it.x[j]).toFixed(1), cy: P.py(it.y[j]).toFixed(1), r: 2.6, fill: colors[it.cls[j]] }, g);
        }
        (it.labels || []).forEach((l, k) => entries.push([l, colors[k], "markers"]));
      } else if (it.kind === "units") {
        const [x0, x1] = P.xlim, [y0, y1] = P.ylim;
        let dead = 0;
        for (let j = 0; j < it.a.length; j++) {
          const a = it.a[j], b = it.b[j], c = it.c[j], pts = [];
          if (Math.abs(b) > 1e-12) for (const x of [x0, x1]) { const y = -(a * x + c) / b; if (y >= y0 && y <= y1) pts.push([x, y]); }
          if (Math.abs(a) > 1e-12) for (const y of [y0, y1]) { const x = -(b * y + c) / a; if (x >= x0 && x <= x1) pts.push([x, y]); }
          const isDead = it.dead[j] > 0.5;
          dead += isDead;
          if (pts.length < 2) continue;
          sv("line", { x1: P.px(pts[0][0]).toFixed(1), y1: P.py(pts[0][1]).toFixed(1), x2: P.px(pts[1][0]).toFixed(1), y2: P.py(pts[1][1]).toFixed(1),
            class: isDead ? "unit dead" : "unit", "stroke-dasharray": isDead ? "5 4" : null, "data-series": i }, P.layer);
        }
        entries.push([view.unitLabel, "currentColor", "solid"]);
        if (dead) entries.push([view.deadLabel, "#c9410c", "dashed"]);
      } else if (it.kind === "series") {
        sv("path", { d: linePath(P, it.x, it.y), stroke: it.color, fill: "none", "stroke-width": 2, "stroke-dasharray": DASH[it.style], "data-series": i }, P.layer);
        const g = sv("g", { fill: it.color }, P.layer);
        for (let j = 0; j < it.x.length; j++) {
          const X = P.px(it.x[j]), Y = P.py(it.y[j]);
          if (isFinite(X) && isFinite(Y) && X >= P.M.left && X <= P.W - P.M.right && Y >= P.M.top && Y <= P.H - P.M.bottom) sv("circle", { cx: X.toFixed(1), cy: Y.toFixed(1), r: j === 0 ? 4.5 : 3 }, g);
        }
        if (it.label) entries.push([it.label, it.color, it.style === "markers" ? "markers" : it.style]);
      } else if (it.kind === "note") notes.textContent = fmtNote(it.text, it.values || []);
    });
    legend(leg, entries);
  };
};

// ---- controls and the whole explorer -------------------------------------------------------

let counter = 0;

function render({ model, el: root }) {
  const spec = model.get("spec");
  const uid = root.id || `${spec.id}-w${++counter}`;
  root.classList.add("actlib-explorer");
  root.querySelectorAll(".actlib-fallback").forEach((e) => { e.hidden = true; });
  const main = el("div", { class: "actlib-body" }, root);
  if (spec.title) el("p", { class: "actlib-title" }, main).textContent = spec.title;
  const ctrls = el("div", { class: "actlib-controls" }, main);
  let state = model.get("state");
  const outputs = [], inputs = [];
  let timer = null;
  const setIndex = (i, idx) => {
    state = state.slice();
    state[i] = idx;
    const c = spec.controls[i];
    if (c.kind === "slider") {
      const text = fmtValue(c.values[idx], c);
      outputs[i].textContent = text;
      inputs[i].value = String(idx);
      inputs[i].setAttribute("aria-valuetext", `${c.label} = ${text}`);
    } else inputs[i].value = String(idx);
    model.set("state", state);
    model.save_changes();
  };
  spec.controls.forEach((c, i) => {
    const id = `${uid}-c${i}`;
    const wrap = el("div", { class: "actlib-ctl" }, ctrls);
    el("label", { for: id }, wrap).textContent = c.label;
    if (c.kind === "slider") {
      const text = fmtValue(c.values[state[i]], c);
      const inp = el("input", { type: "range", id, min: 0, max: c.values.length - 1, step: 1, value: state[i],
        "data-control": c.name, "aria-valuetext": `${c.label} = ${text}` }, wrap);
      const out = el("output", { for: id, "data-output": i }, wrap);
      out.textContent = text;
      inp.addEventListener("input", () => setIndex(i, +inp.value));
      inputs[i] = inp; outputs[i] = out;
      if (c.play) {
        const btn = el("button", { type: "button", class: "actlib-play", "aria-pressed": "false", "aria-label": `Play: step through ${c.label}` }, wrap);
        btn.textContent = "\u25b6";
        const stop = () => { clearInterval(timer); timer = null; btn.setAttribute("aria-pressed", "false"); btn.textContent = "\u25b6"; };
        btn.addEventListener("click", () => {
          if (timer) return stop();
          if (state[i] === c.values.length - 1) setIndex(i, 0);
          btn.setAttribute("aria-pressed", "true"); btn.textContent = "\u275a\u275a";
          timer = setInterval(() => (state[i] >= c.values.length - 1 ? stop() : setIndex(i, state[i] + 1)), c.interval || 450);
        });
      }
    } else {
      const sel = el("select", { id, "data-control": c.name }, wrap);
      c.options.forEach((o, k) => { const opt = el("option", { value: k }, sel); opt.textContent = o; });
      sel.value = String(state[i]);
      sel.addEventListener("change", () => setIndex(i, +sel.value));
      inputs[i] = sel;
    }
  });
  const grid = el("div", { class: "actlib-views" }, main);
  const updates = spec.views.map((v, k) => {
    const box = el("div", { class: `actlib-view actlib-${v.kind}` }, grid);
    box.style.flex = `1 1 ${v.width || 640}px`;
    box.style.maxWidth = `${v.width || 640}px`;
    if (v.title) el("p", { class: "actlib-view-title" }, box).textContent = v.title;
    return VIEWS[v.kind](box, v, { spec, uid, index: k });
  });
  let last = null;
  const redraw = () => {
    const t0 = performance.now();
    last = decodeFrame(model.get("frame"));
    last.views.forEach((items, k) => updates[k](items));
    root.__actlib.lastDrawMs = performance.now() - t0;
    root.__actlib.draws += 1;
  };
  const plain = (node) => (ArrayBuffer.isView(node) ? Array.from(node) : Array.isArray(node) ? node.map(plain)
    : node && typeof node === "object" ? Object.fromEntries(Object.entries(node).map(([k, v]) => [k, plain(v)])) : node);
  const onState = () => {
    // another view of the same widget (or Python's set()) moved a control
    const s = model.get("state");
    s.forEach((idx, i) => { if (idx !== state[i]) { state[i] = idx; const c = spec.controls[i]; inputs[i].value = String(idx);
      if (c.kind === "slider") { const t = fmtValue(c.values[idx], c); outputs[i].textContent = t; inputs[i].setAttribute("aria-valuetext", `${c.label} = ${t}`); } } });
  };
  root.__actlib = {
    data: spec.meta || {}, spec, draws: 0, lastDrawMs: 0,
    frame: () => plain(last),
    current: () => plain(last.views[0]).filter((it) => it.x && it.y).map((it) => ({ label: it.label, x: it.x, y: it.y })),
    values: () => Object.fromEntries(spec.controls.filter((c) => c.kind === "slider").map((c) => [c.name, c.values[state[spec.controls.indexOf(c)]]])),
    choice: () => { const i = spec.controls.findIndex((c) => c.kind === "choice"); return i < 0 ? null : spec.controls[i].options[state[i]]; },
    state: () => Object.fromEntries(spec.controls.map((c, i) => [c.name, c.kind === "slider" ? c.values[state[i]] : c.options[state[i]]])),
    set: (name, idx) => setIndex(spec.controls.findIndex((c) => c.name === name), idx),
  };
  model.on("change:frame", redraw);
  model.on("change:state", onState);
  redraw();
  return () => { clearInterval(timer); model.off("change:frame", redraw); model.off("change:state", onState); };
}

// The static page: mount every explorer whose data block is next to this script.
function mountStatic(root) {
  if (root.__actlib) return;
  const data = JSON.parse(root.querySelector("script.actlib-data").textContent);
  render({ model: staticModel(data), el: root });
}

export default { render };
