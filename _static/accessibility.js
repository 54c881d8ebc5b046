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
