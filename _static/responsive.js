/* Tables and figures that fit the reader's screen, phone included.
 *
 * - A table wider than the text column would hide its last columns, often the answer, off
 *   the screen's edge. Each of its cells gets its column's header as data-label, and the table
 *   the class handbook-stacked: _static/handbook.css then lays each row out as a card of
 *   "header: value" lines. Whether a table is too wide is measured, not guessed, again when
 *   the window changes size (a phone turned sideways fits more). ARIA roles keep the table's
 *   structure for screen readers, which CSS display changes would otherwise hide.
 * - A figure drawn at build time scrolls in its own box when its text would otherwise shrink
 *   below 11 px (_ext/svg_figures.py); the box gets handbook-overflows while it does, which
 *   shows the "scroll sideways" hint.
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
