// What follows the race's scrub besides its chart (rmsviz.ui.scrub_follow): the race's table, the step inspector
// and the words beside the race's buttons show the value under the hand. The server wrote each value's words
// once; here a stylesheet of this script's own shows the value shown and hides the others (the kept value's words
// are the page's own, in a keyed container), a value's formulas, carried as LaTeX, are typeset when it is first
// shown, by the module Streamlit's st.latex typesets with, and the buttons' words are swapped. Nothing here calls
// the server.
//
// The value shown is the scrub box's (ui/scrub.js announces each change as the event rmsviz:scrub): a rerun
// that draws the words again (another step k) finds them following the box, since the stylesheet lives in the
// document's head, outside what Streamlit redraws.
(() => {
  if (window.__rmsvizScrubFollow) return;
  window.__rmsvizScrubFollow = true;

  const style = document.head.appendChild(document.createElement("style"));
  const parts = () => [...document.querySelectorAll("[data-rmsviz-follow]")];
  let shown = null, katex = null;

  // st.latex's own typesetter: Streamlit's rehype-katex module (the file the server named, beside Streamlit's
  // script, so that it resolves under any base path), whose KaTeX matches the page's KaTeX stylesheet.
  function typesetter(file) {
    if (!katex) {
      const main = document.querySelector('script[type="module"][src*="/static/js/index."]');
      katex = file && main ? import(new URL(file, main.src).href).then((m) => m.default({})) : Promise.resolve(null);
    }
    return katex;
  }

  // The plugin typesets a syntax tree (hast); written back as HTML here.
  // (no "<" before a letter or "/" in this file: Streamlit's sanitizer drops a script that has one, as markup)
  const escaped = (text) =>
    text.replace(/&/g, "&amp;").replace(/\x3c/g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  const attribute = (name) =>
    name === "className" ? "class" : name.replace(/^aria[A-Z]/, (a) => `aria-${a[4].toLowerCase()}`);
  function html(node) {
    if (node.type === "text") return escaped(node.value);
    const inner = (node.children || []).map(html).join("");
    if (node.type !== "element") return inner;
    const attributes = Object.entries(node.properties || {}).filter(([, v]) => v !== false && v != null)
      .map(([k, v]) => ` ${attribute(k)}="${escaped(Array.isArray(v) ? v.join(" ") : String(v))}"`).join("");
    return `\x3c${node.tagName}${attributes}>${inner}\x3c/${node.tagName}>`;
  }

  async function typeset(part, index) {
    const pending = part.querySelectorAll(`[data-rmsviz-follow-value="${index}"] [data-tex]:not([data-typeset])`);
    if (!pending.length) return;
    const plugin = await typesetter(part.dataset.katex);
    for (const line of pending) {
      line.dataset.typeset = "";
      if (!plugin) { line.textContent = line.dataset.tex; continue; }  // no typesetter to be found: the LaTeX
      const math = { type: "element", tagName: "div", properties: { className: ["math-display"] },
        children: [{ type: "text", value: line.dataset.tex }] };
      const tree = { type: "root", children: [math] };
      plugin(tree, { message() {} });
      line.innerHTML = html(tree);
    }
  }

  // Who is ahead at each step shown, at every value (the table part's data-steps: a JSON list, deflated, base64),
  // read once per list.
  const lists = new Map();
  function stepWords(text) {
    if (!lists.has(text)) {
      const bytes = Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
      const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate"));
      lists.set(text, new Response(stream).json());
    }
    return lists.get(text);
  }

  // The words beside the race's buttons (race_keys.js reads its data-steps at every step) at value ``index``: the
  // kept value's are the element's own, kept aside the first time.
  async function followSteps(index) {
    const keys = document.querySelector("[data-rmsviz-race-keys]");
    const table = document.querySelector("[data-rmsviz-follow][data-steps]");
    const mine = table && own(table, index), of = `${index}${mine ? " own" : ""}`;
    if (!keys || !table || keys.dataset.stepsOf === of) return;
    if (keys.dataset.keptSteps === undefined) keys.dataset.keptSteps = keys.dataset.steps;
    const words = mine ? null : (await stepWords(table.dataset.steps))[index];
    if (index !== shown) return;  // another key came first
    keys.dataset.steps = words ? JSON.stringify(words) : keys.dataset.keptSteps;
    keys.dataset.stepsOf = of;
  }

  // Whether value ``index`` shows the page's own words in ``part``: the kept value's; where the racers ran with
  // different values (no value is kept), the value the box starts at until the first move.
  let moved = false, box = null;
  const own = (part, index) =>
    index === Number(part.dataset.kept) || (!moved && index === Number(part.dataset.active));

  // Show value ``index`` (null: no scrub on the page) in every part that follows.
  function show(index) {
    shown = index;
    const here = parts();
    style.textContent = index === null ? "" : here.map((part) => {
      const name = part.dataset.rmsvizFollow;
      return own(part, index) ? "" : `.st-key-rmsviz-follow-${name}-kept {display: none !important}\n` +
        `[data-rmsviz-follow="${name}"] [data-rmsviz-follow-value="${index}"] {display: block !important}\n`;
    }).join("");
    here.forEach((part) => typeset(part, index));
    if (index !== null) followSteps(index);
  }

  const scrubBox = () => document.querySelector("[data-rmsviz-scrub] input");
  document.addEventListener("rmsviz:scrub", (event) => {
    moved = true;
    box = scrubBox();
    show(event.detail.index);
  });

  // The box holds the value shown: after a rerun (which may draw the parts and the buttons' words again), or with
  // no box left (scrub off), follow it. A new box (a rerun that drew another race) has not moved yet.
  setInterval(() => {
    const now = scrubBox();
    if (now !== box) {
      [box, moved] = [now, false];
      shown = undefined;
    }
    const index = now && parts().length ? Number(now.value) : null;
    if (index !== shown) show(index);
    else if (index !== null) {
      parts().forEach((part) => typeset(part, index));
      followSteps(index);
    }
  }, 250);
})();
