// Scrub mode (rmsviz.ui.scrub): a chart holds its curves for every value of one setting, in its scrub slider's
// steps (figures.scrub); the race chart, or the decay page's two. Here the range box beside them (which the keys
// drive: a chart's own slider takes none) shows the value under the hand on every such chart, and on the race
// the step animation's frames and the moving points follow the path shown; Keep links to this page with that
// value as the setting.
// Nothing here calls the server. The range box is a form control, so the race's keys (race_keys.js) leave
// its arrows, Home and End to it.
//
// Installed once per page; the chart and the box are looked up when something happens, since a rerun may
// replace both.
(() => {
  if (window.__rmsvizScrub) return;
  window.__rmsvizScrub = true;

  const BOX = "[data-rmsviz-scrub]";
  const box = () => document.querySelector(BOX);
  const scrubAt = (gd) => (gd._fullLayout && gd._fullLayout.sliders || []).findIndex((s) => s.name === "scrub");
  const charts = () => [...document.querySelectorAll(".js-plotly-plot")].filter((gd) => scrubAt(gd) >= 0);
  // a path as figures.scrub writes it: a float64 typed array, base64 encoded
  const decode = (a) => a && a.bdata ? new Float64Array(Uint8Array.from(atob(a.bdata), (c) => c.charCodeAt(0)).buffer) : a;

  // The frames and the moving points of the scrubbed racers onto the paths of step ``index``; with ``paths``,
  // the paths too (the chart's own slider has drawn them already).
  function follow(gd, index, paths) {
    const s = scrubAt(gd), step = gd.layout.sliders[s].steps[index];
    const [[frame], options] = step.args;
    if (!gd._transitionData._frames.length) {  // no step animation (the decay page): the step's frame is all
      if (paths) window.Plotly.animate(gd, [frame], options).then(() => window.Plotly.relayout(gd, { [`sliders[${s}].active`]: index }));
      said(gd, index);
      return;
    }
    const xs = frame.data.map((d) => decode(d.x)), ys = frame.data.map((d) => decode(d.y));
    const racers = gd._transitionData._frames.length ? gd._transitionData._frames[0].traces.length : 0;
    const markers = frame.traces.map((t) => t + racers);  // figures.race: each racer's point comes after the paths
    for (const f of gd._transitionData._frames) {
      const k = Number(f.name);
      f.traces.forEach((t, j) => {
        const r = markers.indexOf(t);
        if (r >= 0) f.data[j] = { ...f.data[j], x: [xs[r][k]], y: [ys[r][k]] };
      });
    }
    const steps = gd._fullLayout.sliders[0].steps, k = Number(steps[gd._fullLayout.sliders[0].active || 0].label);
    const points = xs.map((x, r) => ({ x: [x[k]], y: [ys[r][k]] }));
    if (paths) {  // one frame: the paths and the points together
      // the chart's slider follows once the paths are drawn: a relayout first would delay them
      window.Plotly.animate(gd, [{ data: [...frame.data, ...points], traces: [...frame.traces, ...markers] }], options)
        .then(() => window.Plotly.relayout(gd, { [`sliders[${s}].active`]: index }));
    } else {  // after the slider's own frame
      window.Plotly.animate(gd, [{ data: points, traces: markers }], { ...options, mode: "afterall" });
    }
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

  // A chart's own slider: listen once per chart (a rerun draws a new one); the other charts follow it.
  setInterval(() => charts().forEach((gd) => {
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
