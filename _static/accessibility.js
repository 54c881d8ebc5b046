/* Accessible names that upstream HTML leaves out, added when the page is parsed.
 *
 * - MyST task lists (onboarding checklists) write a disabled checkbox followed by its text,
 *   with nothing tying the two together: a screen reader announces "checkbox, not checked"
 *   with no name (axe: "label", critical). Wrapping the checkbox and its text in a <label>
 *   gives the checkbox its visible text as its name.
 * - Sphinx's graphviz extension embeds SVG diagrams as <object>, with the alt text only as
 *   fallback content, which assistive technology does not read as a name (axe: "object-alt").
 *   The fallback text becomes the object's label.
 *
 * Both are fixed here rather than in the source pages because they come from every use of
 * these tools; the theme-level fixes that need no script are in _templates/.
 *
 * Checklists can then be used as checklists: MyST writes the boxes disabled, so a reader could
 * not tick them. They are enabled, and each tick is kept in the browser's local storage (on
 * this device only, nothing is sent), keyed by the page and the item's text, so that a tick
 * survives a reload, a new visit and the reordering of the list. A button under the first list
 * clears the page's ticks.
 */
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  for (const box of document.querySelectorAll("input.task-list-item-checkbox")) {
    if (box.labels.length > 0 || box.closest("label")) continue;
    // <p><input> text</p> becomes <p><label><input> text</label></p>.
    const label = document.createElement("label");
    box.before(label);
    label.append(...siblingsAfter(label));
  }
  rememberTicks(document.querySelectorAll("input.task-list-item-checkbox"));
  for (const diagram of document.querySelectorAll('object[type="image/svg+xml"]')) {
    const fallback = diagram.textContent.trim();
    if (diagram.hasAttribute("aria-label") || !fallback) continue;
    diagram.setAttribute("role", "img");
    diagram.setAttribute("aria-label", fallback);
  }
});

function siblingsAfter(node) {
  const nodes = [];
  for (let next = node.nextSibling; next; next = next.nextSibling) nodes.push(next);
  return nodes;
}

const CLEAR_LABEL = {
  en: "Clear the ticks on this page (they are kept in this browser only)",
  fr: "Effacer les coches de cette page (elles ne sont gardées que dans ce navigateur)",
  ja: "このページのチェックを消す（チェックはこのブラウザーにのみ保存されます）",
};

function rememberTicks(boxes) {
  if (boxes.length === 0) return;
  let storage = null;
  try {
    storage = window.localStorage;
    storage.getItem("handbook-probe");
  } catch {
    storage = null; // storage refused (private mode, policy): the boxes still tick
  }
  const keyOf = (box) => `handbook-checklist:${location.pathname}:` +
    (box.closest("li")?.textContent ?? "").replace(/\s+/g, " ").trim();
  for (const box of boxes) {
    box.disabled = false;
    box.removeAttribute("disabled");
    if (storage?.getItem(keyOf(box)) === "1") box.checked = true;
    box.addEventListener("change", () => {
      if (!storage) return;
      if (box.checked) storage.setItem(keyOf(box), "1");
      else storage.removeItem(keyOf(box));
    });
  }
  const clear = document.createElement("button");
  clear.type = "button";
  clear.className = "handbook-checklist-clear";
  const language = (document.documentElement.lang || "en").slice(0, 2);
  clear.textContent = CLEAR_LABEL[language] ?? CLEAR_LABEL.en;
  clear.addEventListener("click", () => {
    for (const box of boxes) {
      box.checked = false;
      storage?.removeItem(keyOf(box));
    }
  });
  boxes[0].closest("ul")?.after(clear);
}
