// The viewer switched between light and dark (the ⋮ menu, or the system's setting): run the page again, so that
// what the server chose for the theme (the charts' contour lines, the chips' text, the GIF) follows at once.
// Streamlit changes the page's colours in the browser but does not run the script again (streamlit#11920):
// this presses its own rerun key, R, for the viewer. Installed once per page (rmsviz.ui.theme).
(() => {
  if (window.__rmsvizTheme) return;
  window.__rmsvizTheme = true;
  // null while the page has no background colour yet (transparent as it loads): no switch to see
  const dark = (app) => {
    const [r, g, b, alpha = 1] = getComputedStyle(app).backgroundColor.match(/[\d.]+/g).map(Number);
    return alpha === 0 ? null : r + g + b < 3 * 128;
  };
  let was = null;
  setInterval(() => {
    const app = document.querySelector(".stApp");
    const now = app && dark(app);
    if (now === null) return;
    if (was !== null && now !== was) {
      document.body.dispatchEvent(new KeyboardEvent("keydown", { key: "r", code: "KeyR", keyCode: 82, bubbles: true }));
    }
    was = now;
  }, 500);
})();
