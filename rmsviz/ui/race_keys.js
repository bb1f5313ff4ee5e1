// The race's keyboard and clicker (rmsviz.ui.race_keys): play, pause, step forward and back, restart,
// from the buttons beside the chart and from the keys anywhere on the page. It runs in the page itself
// (st.html, not an iframe), talks to the chart through plotly.js (window.Plotly, which Streamlit's chart
// loads), and never calls the server: a step is one Plotly.animate to the frame of that step.
//
// Streamlit may mount this script again on a rerun: everything is installed once per page (the flag on
// window) and looks the chart and the buttons up when a key or a click comes, since a rerun may replace both.
(() => {
  if (window.__rmsvizRaceKeys) return;
  window.__rmsvizRaceKeys = true;

  const BOX = "[data-rmsviz-race-keys]";
  const FORMS = "input, textarea, select, button, a[href], [contenteditable], [role=slider], [role=combobox], [role=listbox], [role=option], [role=spinbutton], [role=textbox]";
  // A presenter's clicker sends Page Down / Page Up (some send arrows, and "." or "b" to blank the screen).
  const KEYS = {
    ArrowRight: "forward", PageDown: "forward",
    ArrowLeft: "back", PageUp: "back",
    " ": "toggle", k: "toggle", K: "toggle",
    Home: "restart",  // not R: Streamlit's own key to run the page again
    End: "end",
  };
  const PLAY = { frame: { duration: 60, redraw: false }, transition: { duration: 0 }, fromcurrent: true, mode: "immediate" };
  const JUMP = { frame: { duration: 0, redraw: false }, transition: { duration: 0 }, mode: "immediate" };

  const box = () => document.querySelector(BOX);
  // The animated chart: the first on the page with a step slider (the race, or its panels).
  const chart = () => [...document.querySelectorAll(".js-plotly-plot")].find(
    (gd) => gd._fullLayout && gd._fullLayout.sliders && gd._fullLayout.sliders.length);
  const slider = (gd) => gd._fullLayout.sliders[0];
  const shown = (gd) => slider(gd).active || 0;
  const frameAt = (gd, index) => slider(gd).steps[index].args[0][0];
  // plotly.js's own animation loop, whoever started it (these keys, or the chart's Play button)
  const playing = (gd) => Boolean(gd._transitionData && gd._transitionData._animationRaf);

  function go(gd, index) {
    const last = slider(gd).steps.length - 1;
    window.Plotly.animate(gd, [frameAt(gd, Math.max(0, Math.min(last, index)))], JUMP);
  }

  function act(action) {
    const gd = chart();
    if (!gd || !window.Plotly) return false;
    const last = slider(gd).steps.length - 1;
    if (action === "forward") go(gd, shown(gd) + 1);
    else if (action === "back") go(gd, shown(gd) - 1);
    else if (action === "restart") go(gd, 0);
    else if (action === "end") go(gd, last);
    else if (action === "toggle" && playing(gd)) window.Plotly.animate(gd, [null], JUMP);
    else if (action === "toggle") {
      // from the last step, Play starts over
      const frames = shown(gd) >= last ? slider(gd).steps.map((step) => step.args[0][0]) : null;
      window.Plotly.animate(gd, frames, PLAY);
    }
    return true;
  }

  document.addEventListener("keydown", (event) => {
    const action = KEYS[event.key];
    if (!action || event.defaultPrevented || event.ctrlKey || event.altKey || event.metaKey) return;
    if (!box() || (event.target.closest && event.target.closest(FORMS))) return;  // typing, or a control's own keys
    if (act(action)) event.preventDefault();  // Page Down and space would scroll the page
  });
  document.addEventListener("click", (event) => {
    const button = event.target.closest && event.target.closest(`${BOX} button[data-action]`);
    if (button) act(button.dataset.action);
  });

  // What the step shown is, in words, beside the buttons: read from the chart's slider, so that its own
  // Play button and a drag of its slider are followed too. The live region (for screen readers) speaks
  // once the step has stopped moving, not at every frame of a play.
  let said = null, before = null;
  setInterval(() => {
    const gd = chart(), here = box();
    if (!gd || !here) return;
    const index = shown(gd);
    const words = JSON.parse(here.dataset.steps || "[]")[index] || "";
    const status = here.querySelector("[data-status]");
    if (status.textContent !== words) status.textContent = words;
    const moving = playing(gd);  // the toggle shows Play or Pause
    here.querySelectorAll("[data-when]").forEach((part) => { part.hidden = (part.dataset.when === "playing") !== moving; });
    if (index === before && index !== said) {
      here.querySelector("[data-live]").textContent = words;
      said = index;
    }
    before = index;
  }, 250);
})();
