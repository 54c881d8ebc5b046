/* Tables and figures that fit the reader's screen, phone included.
 *
 * - A table wider than the text column would hide its last columns, often the answer, off
 *   the screen's edge. Each of its cells gets its column's header as data-label, and the table
 *   the class handbook-stacked: _static/handbook.css then lays each row out as a card of
 *   "header: value" lines. Whether a table is too wide is measured, not guessed, again when
 *   the window changes size (a phone turned sideways fits more). ARIA roles keep the table's
 *   structure for screen readers, which CSS display changes would otherwise hide.
 * - A figure drawn at build time scrolls in its own box when its text would otherwise shrink
 *   below 11 px (_ext/handbook/rendering/svg_figures.py); the box gets handbook-overflows while it does, which
 *   shows the "scroll sideways" hint.
 * - Any other box that scrolls sideways (an equation, code) gets tabindex="0" while it does,
 *   so that keyboard users can scroll it.
 */
"use strict";
(() => {
  const ROLES = [["table", "table"], ["thead, tbody", "rowgroup"], ["tr", "row"],
                 ["thead th", "columnheader"], ["tbody th", "rowheader"], ["tbody td", "cell"]];

  const headers = (table) => Array.from(
    table.querySelectorAll(":scope > thead > tr:last-child > th"),
    (cell) => cell.textContent.trim());

  const prepare = (table) => {
    const names = headers(table);
    if (names.length < 2) return false;
    for (const row of table.querySelectorAll(":scope > tbody > tr")) {
      Array.from(row.children).forEach((cell, index) => {
        if (names[index] && index > 0) cell.dataset.label = names[index];
      });
    }
    for (const [selector, role] of ROLES) {
      for (const element of [table, ...table.querySelectorAll(selector)]) {
        if (element.matches(selector)) element.setAttribute("role", role);
      }
    }
    return true;
  };

  const SCROLLERS = "article div.math, article div.highlight pre, "
    + "article .pst-scrollable-table-container";
  const tables = [];
  const figures = [];

  const fit = () => {
    for (const table of tables) {
      table.classList.remove("handbook-stacked");
      const box = table.closest(".pst-scrollable-table-container") ?? table.parentElement;
      if (table.scrollWidth > box.clientWidth + 1) table.classList.add("handbook-stacked");
    }
    for (const figure of figures) {
      figure.classList.toggle("handbook-overflows", figure.scrollWidth > figure.clientWidth + 1);
    }
    // A box that scrolls sideways (a wide equation, code, a table not stacked) must be
    // reachable with the keyboard to be scrolled (WCAG 2.1.1; axe scrollable-region-focusable).
    for (const box of document.querySelectorAll(SCROLLERS)) {
      const scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.tabIndex = 0;
        box.dataset.handbookFocusable = "";
      } else if (!scrolls && "handbookFocusable" in box.dataset) {
        box.removeAttribute("tabindex");
        delete box.dataset.handbookFocusable;
      }
    }
  };

  document.addEventListener("DOMContentLoaded", () => {
    for (const table of document.querySelectorAll("article.bd-article table")) {
      if (prepare(table)) tables.push(table);
    }
    figures.push(...document.querySelectorAll(".handbook-figure-scroll"));
    fit();
    let pending = null;
    window.addEventListener("resize", () => {
      cancelAnimationFrame(pending);
      pending = requestAnimationFrame(fit);
    });
  });
})();
