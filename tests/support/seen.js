// What a sighted person sees on the page, measured with getComputedStyle (tests/support/seen.py).
// One expression: an object of checks, each called by name from Python.
(() => {
  const parse = (value) => {
    const m = value.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const p = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
    return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
  };

  // `top`, with its alpha, painted over an opaque `bottom`.
  const over = (top, bottom) => ({
    r: top.r * top.a + bottom.r * (1 - top.a),
    g: top.g * top.a + bottom.g * (1 - top.a),
    b: top.b * top.a + bottom.b * (1 - top.a),
    a: 1,
  });

  // What is painted behind an element: walk up until an opaque background colour (a
  // transparent one shows its parent's), then paint from the white canvas down.
  const backgroundOf = (el) => {
    const layers = [];
    for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
      const colour = parse(getComputedStyle(node).backgroundColor);
      if (colour && colour.a > 0) layers.push(colour);
      if (colour && colour.a === 1) break;
    }
    let painted = { r: 255, g: 255, b: 255, a: 1 };
    for (const layer of layers.reverse()) painted = over(layer, painted);
    return painted;
  };

  // WCAG 2.1 relative luminance and contrast ratio.
  const luminance = (c) => {
    const f = (v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  };
  const contrast = (a, b) => {
    const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };

  const css = (c) => `rgb(${Math.round(c.r)}, ${Math.round(c.g)}, ${Math.round(c.b)})`;

  // Shown: a box larger than Bootstrap's 1px .visually-hidden, not hidden, not transparent.
  const shown = (el) => {
    const box = el.getBoundingClientRect();
    return (
      box.width > 1 &&
      box.height > 1 &&
      getComputedStyle(el).visibility !== "hidden" &&
      el.checkVisibility({ opacityProperty: true })
    );
  };

  const describe = (el) => {
    const label = el.innerText || el.value || el.getAttribute("aria-label") || "";
    const text = label.trim().replace(/\s+/g, " ").slice(0, 40);
    return `<${el.tagName.toLowerCase()} class="${el.className}"> “${text}”`;
  };

  const BUTTONS =
    "button, input[type=submit], input[type=button], input[type=reset], a.btn, [role=button]";

  // Every shown, enabled button (and link styled as one): its text, each piece in the colour
  // of the element holding it, against what is behind that element.
  const unreadableButtons = (minimum) => {
    const problems = [];
    for (const button of document.querySelectorAll(BUTTONS)) {
      if (!shown(button) || button.disabled) continue;
      const pieces = [];
      if (button.tagName === "INPUT") {
        if (button.value.trim()) pieces.push([button, button.value.trim()]);
      } else {
        const walker = document.createTreeWalker(button, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const holder = node.parentElement;
          if (node.data.trim() && shown(holder)) pieces.push([holder, node.data.trim()]);
        }
      }
      if (!pieces.length) {
        // Only an icon may stand without text (the menu toggle): something must be drawn.
        const parts = [button, ...button.querySelectorAll("*")];
        const drawn =
          button.querySelector("img, svg") ||
          parts.some((e) => getComputedStyle(e).backgroundImage !== "none");
        if (!drawn) problems.push(`${describe(button)}: no visible text`);
        continue;
      }
      for (const [holder, text] of pieces) {
        const fg = parse(getComputedStyle(holder).color);
        const bg = backgroundOf(holder);
        const ratio = contrast(over(fg, bg), bg);
        if (ratio < minimum) {
          problems.push(
            `${describe(button)}: “${text.slice(0, 30)}” ${css(fg)} on ${css(bg)}` +
              ` is ${ratio.toFixed(2)}:1`,
          );
        }
      }
    }
    return problems;
  };

  const KIND = /^(btn|nav-link|page-link|form-|dropdown-item|navbar-|skip-link|list-group)/;

  // The element with keyboard focus: its kind and its best focus indicator (outline or
  // box-shadow) against what is next to it.
  const focused = () => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    // Marked when first focused: meeting a marked element again means Tab went round the page.
    const again = el.hasAttribute("data-walk-focused");
    el.setAttribute("data-walk-focused", "");
    // Bootstrap eases its ring in (a transition): measure the ring as it ends up.
    for (const animation of el.getAnimations()) animation.finish();
    const style = getComputedStyle(el);
    const classes = [...el.classList].filter((c) => KIND.test(c)).sort();
    const kind = [el.tagName.toLowerCase(), el.type || "", ...classes].join(" ").trim();
    // An outline drawn outside the box, and a box-shadow, sit on the parent's background;
    // an outline drawn inside (negative offset) and an inset shadow on the element's own.
    const outside = backgroundOf(el.parentElement || el);
    const inside = backgroundOf(el);
    const found = [];
    if (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 1) {
      const colour = parse(style.outlineColor);
      const beside = parseFloat(style.outlineOffset) < 0 ? inside : outside;
      if (colour) {
        found.push([`outline ${style.outlineWidth}`, contrast(over(colour, beside), beside), beside]);
      }
    }
    const shadows = style.boxShadow === "none" ? [] : style.boxShadow.split(/,(?![^(]*\))/);
    for (const shadow of shadows) {
      const colour = parse(shadow);
      // A shadow of no blur and no spread draws nothing.
      const lengths = shadow.replace(/rgba?\([^)]*\)/, "").trim().split(/\s+/).map(parseFloat);
      if (!colour || lengths.slice(2).every((n) => !n)) continue;
      const under = shadow.includes("inset") ? inside : outside;
      found.push(["box-shadow", contrast(over(colour, under), under), under]);
    }
    const best = found.sort((a, b) => b[1] - a[1])[0];
    return {
      again,
      kind,
      what: describe(el),
      indicator: best ? best[0] : "none",
      ratio: best ? best[1] : 0,
      against: css(best ? best[2] : outside),
    };
  };

  const brokenImages = () =>
    [...document.images]
      .filter((img) => !img.complete || img.naturalWidth === 0)
      .map((img) => `${img.getAttribute("src")} (alt “${img.alt}”) shows nothing`);

  const markupProblems = () => {
    const problems = [];
    const ids = new Map();
    for (const el of document.querySelectorAll("[id]")) ids.set(el.id, (ids.get(el.id) || 0) + 1);
    for (const [id, count] of ids) if (count > 1) problems.push(`id="${id}" ${count} times`);
    for (const el of document.querySelectorAll("[name='']")) {
      problems.push(`<${el.tagName.toLowerCase()}> with an empty name=""`);
    }
    // aria-label names only elements that may have a name (ARIA 1.2 prohibits it on p, and
    // on span and div without a role): screen readers pass over it there.
    const unnamed = "p[aria-label], span[aria-label]:not([role]), div[aria-label]:not([role])";
    for (const el of document.querySelectorAll(unnamed)) {
      const label = el.getAttribute("aria-label");
      problems.push(`aria-label on a <${el.tagName.toLowerCase()}>: “${label}”`);
    }
    let level = 0;
    for (const heading of document.querySelectorAll("h1, h2, h3, h4, h5, h6")) {
      const next = Number(heading.tagName[1]);
      if (next > level + 1) {
        problems.push(`<h${next}> “${heading.textContent.trim()}” after <h${level}>`);
      }
      level = next;
    }
    for (const table of document.querySelectorAll("table:not([role=presentation])")) {
      if (!table.querySelector("th")) {
        const text = table.textContent.trim().replace(/\s+/g, " ").slice(0, 40);
        problems.push(`a table without header cells: “${text}”`);
      }
    }
    return problems;
  };

  const openDetails = () => {
    document.querySelectorAll("details").forEach((d) => {
      d.open = true;
    });
  };

  const reset = () => {
    if (document.activeElement) document.activeElement.blur();
    window.scrollTo(0, 0);
  };

  return { unreadableButtons, focused, brokenImages, markupProblems, openDetails, reset };
})()
