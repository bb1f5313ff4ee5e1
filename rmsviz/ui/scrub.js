// Scrub mode (rmsviz.ui.scrub): a chart holds its curves for every value of one setting, packed in its
// layout.meta (figures.scrub.packed), and a scrub slider whose steps name the values; the race chart, or the
// decay page's two. Here the frames are unpacked once per chart, and the range box beside the charts (which the
// keys drive: a chart's own slider takes none) and each chart's scrub slider show the value under the hand on
// every such chart; on the race the step animation's frames and the moving points follow the path shown; Keep
// links to this page with that value as the setting.
// Nothing here calls the server. The range box is a form control, so the race's keys (race_keys.js) leave
// its arrows, Home and End to it.
//
// Installed once per page; the charts and the box are looked up when something happens, since a rerun may
// replace both.
(() => {
  if (window.__rmsvizScrub) return;
  window.__rmsvizScrub = true;

  const BOX = "[data-rmsviz-scrub]";
  const box = () => document.querySelector(BOX);
  const scrubAt = (gd) => (gd._fullLayout && gd._fullLayout.sliders || []).findIndex((s) => s.name === "scrub");
  const charts = () => [...document.querySelectorAll(".js-plotly-plot")].filter((gd) => scrubAt(gd) >= 0);
  // A chart's scrub slider follows the box once the keys rest this long (ms): moving it is a relayout, 25–40 ms
  // of blocked page in headless Chromium on the race at 200 steps, which on every key would hold back the
  // next key's paths.
  const REST = 250;

  // A deflated string of figures.scrub.packed (base64, its URL alphabet): its bytes, inflated.
  async function inflated(text) {
    const bytes = Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate"));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  }

  // figures.scrub.packed undone: the frames, each packed array a Float64Array again (rows of one where it has
  // a shape), every number to the last bit. The prediction is the packer's float64 arithmetic, from the two
  // numbers before in its array, or (``across``) the same number in the two frames before; the difference is
  // added to its bits as two 32-bit halves with a carry.
  async function unpacked(packed) {
    const [json, shuffled] = await Promise.all([inflated(packed.frames), inflated(packed.arrays)]);
    const frames = JSON.parse(new TextDecoder().decode(json));
    const n = shuffled.length / 8, bytes = new Uint8Array(shuffled.length), across = packed.across;
    for (let k = 0; k < 8; k++) for (let i = 0; i < n; i++) bytes[i * 8 + k] = shuffled[k * n + i];
    const zigzag = new Uint32Array(bytes.buffer), values = new Float64Array(n), bits = new Uint32Array(values.buffer);
    const guess = new Float64Array(1), guessed = new Uint32Array(guess.buffer);
    let end = 0;
    const take = ({ packed: size, shape }) => {
      const start = end;
      end += size;
      for (let i = start; i < end; i++) {
        // how many numbers of its sequence (its array, or its place in every frame) come before it, how far apart
        const step = across || 1, place = across ? Math.floor(i / across) : i - start;
        guess[0] = place >= 2 ? 2 * values[i - step] - values[i - 2 * step] : place === 1 ? values[i - step] : 0;
        if (!Number.isFinite(guess[0])) guess[0] = 0;
        const lo = zigzag[2 * i], hi = zigzag[2 * i + 1], sign = -(lo & 1);
        const low = guessed[0] + ((((lo >>> 1) | (hi << 31)) ^ sign) >>> 0);
        bits[2 * i] = low;
        bits[2 * i + 1] = guessed[1] + (((hi >>> 1) ^ sign) >>> 0) + (low > 0xffffffff ? 1 : 0);
      }
      const array = values.subarray(start, end);
      if (!shape) return array;
      const [rows, columns] = shape.split(",").map(Number);
      return Array.from({ length: rows }, (_, r) => array.subarray(r * columns, (r + 1) * columns));
    };
    for (const frame of frames) {
      for (const trace of frame.data) {
        for (const [key, value] of Object.entries(trace)) {
          if (value && value.packed !== undefined) trace[key] = take(value);
        }
      }
    }
    return frames;
  }

  // A chart's frames, unpacked once per figure (a rerun may draw a new one on the same chart).
  function scrubbed(gd) {
    const packed = gd.layout.meta.scrub;
    if (!gd.__rmsvizFrames || gd.__rmsvizFrames.packed !== packed) {
      gd.__rmsvizFrames = { packed, frames: unpacked(packed) };
    }
    return gd.__rmsvizFrames.frames;
  }

  // Chart ``gd`` at value ``index``: its scrubbed curves, and on the race the frames and the moving points of
  // the scrubbed racers; with ``slide``, its scrub slider too once the keys rest (not when it moved itself).
  async function follow(gd, index, slide) {
    const frame = (await scrubbed(gd))[index], options = gd.layout.meta.scrub.options, s = scrubAt(gd);
    const steps = gd._transitionData._frames;
    let shown = frame;
    if (steps.length) {  // the race: the step animation's frames and the moving points follow the path shown
      const racers = steps[0].traces.length;
      const markers = frame.traces.map((t) => t + racers);  // figures.race: each racer's point comes after the paths
      for (const f of steps) {
        const k = Number(f.name);
        f.traces.forEach((t, j) => {
          const r = markers.indexOf(t);
          if (r >= 0) f.data[j] = { ...f.data[j], x: [frame.data[r].x[k]], y: [frame.data[r].y[k]] };
        });
      }
      const k = Number(gd._fullLayout.sliders[0].steps[gd._fullLayout.sliders[0].active || 0].label);
      const points = frame.data.map(({ x, y }) => ({ x: [x[k]], y: [y[k]] }));
      shown = { ...frame, data: [...frame.data, ...points], traces: [...frame.traces, ...markers] };
    }
    window.Plotly.animate(gd, [shown], options);
    clearTimeout(gd.__rmsvizSlide);  // a slider that moved itself must not be sent back by an earlier key
    const slid = () => window.Plotly.relayout(gd, { [`sliders[${s}].active`]: index });
    if (slide) gd.__rmsvizSlide = setTimeout(slid, REST);
    said(gd, index);
  }

  // The box, its words and the Keep link for the value shown.
  function said(gd, index) {
    const here = box();
    if (!here) return;
    const step = gd.layout.sliders[scrubAt(gd)].steps[index];
    const words = `${here.dataset.symbol} = ${step.label}`;
    const input = here.querySelector("input"), output = here.querySelector("output");
    if (Number(input.value) !== index) input.value = index;
    input.setAttribute("aria-valuetext", words);
    output.textContent = words;
    const link = here.querySelector("[data-keep-link]");
    const query = new URLSearchParams(window.location.search);
    JSON.parse(here.dataset.keys).forEach((key) => query.set(key, step.value));
    link.href = `?${query}`;
    link.textContent = here.dataset.keep.replace("{symbol}", here.dataset.symbol).replace("{value}", step.label);
    link.hidden = index === Number(input.defaultValue);  // the value the race ran with is kept already
  }

  // What else on the page shows numbers of the value under the hand (the step inspector, the race's table)
  // listens for this event: ``detail.index`` is the index of that value among the scrub's values.
  const shown = (index) => document.dispatchEvent(new CustomEvent("rmsviz:scrub", { detail: { index } }));

  document.addEventListener("input", (event) => {
    if (!event.target.closest || !event.target.closest(BOX)) return;
    if (window.Plotly) charts().forEach((gd) => follow(gd, Number(event.target.value), true));
    shown(Number(event.target.value));
  });

  // Each chart's frames unpacked before the first key (again once a rerun drew a new figure); its own slider (its
  // steps call nothing: method "skip") listened to once per chart, and every chart follows it.
  setInterval(() => charts().forEach((gd) => {
    scrubbed(gd);
    if (gd.__rmsvizScrub || !gd.on) return;
    gd.__rmsvizScrub = true;
    gd.on("plotly_sliderchange", (event) => {
      if (event.slider.name !== "scrub") return;
      const index = event.slider.steps.indexOf(event.step);
      charts().forEach((other) => follow(other, index, other !== gd));
      shown(index);
    });
  }), 250);
})();
