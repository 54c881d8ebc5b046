/* Load the search index and language data when the reader first reaches for search.
 *
 * The theme puts searchindex.js (every word of the handbook, growing with each page) and
 * language_data.js (stop words, stemmer, our Japanese word splitter) in every page's <head>;
 * _templates/layout.html takes them out and this script loads them the first time a search
 * field gets focus (the search dialog focuses its field when it opens, by click or Ctrl+K), or
 * at once when the address carries a query (?q=...). A query typed before the index arrives
 * waits in searchtools.js's queue (Search.deferQuery) and runs when it does.
 */
"use strict";
(() => {
  // The site's root as the browser resolved it from this script's own address
  // (<root>/_static/search-on-demand.js): right on every page, including the 404 page, which
  // is served at any address and whose relative content_root would point to the wrong place.
  const root = new URL("..", document.currentScript.src).href;
  document.documentElement.dataset.content_root = root;

  const addScript = (path) =>
    new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = root + path;
      script.onload = resolve;
      script.onerror = () => reject(new Error(`could not load ${script.src}`));
      document.head.appendChild(script);
    });

  let loading = null;
  const loadSearch = () => {
    if (loading === null) {
      // The full search page (search.html) loads both itself.
      const loaded = document.querySelector('script[src$="searchindex.js"]');
      // language_data.js first: searchindex.js runs any queued query as soon as it arrives.
      loading = loaded
        ? Promise.resolve()
        : addScript("_static/language_data.js").then(() => addScript("searchindex.js"));
      loading.catch((error) => console.error(`[handbook search] ${error.message}`));
    }
    return loading;
  };

  document.addEventListener("focusin", (event) => {
    if (event.target instanceof HTMLInputElement && event.target.name === "q") loadSearch();
  });
  if (new URLSearchParams(window.location.search).has("q")) loadSearch();
})();

/* Search snippets from the article only. Sphinx's searchtools.js takes a result's snippet
 * from the page's [role="main"], which in this theme also holds the article header: the
 * colour-mode menu ("System Settings Light Dark") and the buttons. The article element is the
 * page's own text. */
(() => {
  if (typeof Search === "undefined" || typeof Search.htmlToText !== "function") return;
  const sphinxHtmlToText = Search.htmlToText;
  Search.htmlToText = (htmlString, anchor) => {
    const page = new DOMParser().parseFromString(htmlString, "text/html");
    const article = page.querySelector("article.bd-article");
    if (!article) return sphinxHtmlToText(htmlString, anchor);
    for (const removed of article.querySelectorAll(".headerlink, script, style")) removed.remove();
    const block = anchor ? article.querySelector(anchor) : null;
    return (block ?? article).textContent;
  };
})();

/* A Japanese query on the English or French edition: words the Japanese edition holds
 * (ニュートリノ) may not be in these pages at all. Under the results' summary, a link offers the
 * same search in the Japanese edition, which the page's <link rel="alternate" hreflang="ja">
 * announces (only builds of every language, make html-all, have one). */
(() => {
  const JAPANESE = /[\u3040-\u30ff\u3400-\u9fff\uff66-\uff9f]/;
  if ((document.documentElement.lang || "").startsWith("ja")) return;
  const japanese = document.querySelector('link[rel="alternate"][hreflang="ja"]');
  if (!japanese) return;
  // This edition's root is where its _static/ is; English is at the site's root, the other
  // editions in a folder beside ja/.
  const root = new URL("..", document.querySelector('script[src*="search-on-demand.js"]').src);
  const english = (document.documentElement.lang || "en").startsWith("en");
  const editionRoot = new URL(english ? "ja/" : "../ja/", root);
  const queryOf = () => {
    const field = document.querySelector("#pst-search-dialog[open] input[name=q]")
      ?? document.querySelector(".bd-search-container input[name=q]");
    return (field?.value || new URLSearchParams(location.search).get("q") || "").trim();
  };
  const offer = () => {
    const summary = document.querySelector("#search-results .search-summary");
    if (!summary || summary.nextElementSibling?.classList.contains("handbook-search-ja")) return;
    const query = queryOf();
    if (!JAPANESE.test(query)) return;
    const note = document.createElement("p");
    note.className = "handbook-search-ja";
    note.lang = "ja";
    const link = document.createElement("a");
    link.href = `${new URL("search.html", editionRoot).href}?q=${encodeURIComponent(query)}`;
    link.hreflang = "ja";
    link.textContent = `日本語版で「${query}」を検索する`;
    note.append(link);
    summary.after(note);
  };
  new MutationObserver(offer).observe(document.body, {childList: true, subtree: true});
})();

/* The language switcher of the search page (_templates/layout.html) leads to the same search in
 * the other edition: each link carries the query, as typed in the page's field or, before any
 * typing, as the address gave it (?q=...). Without this script the links open the other
 * edition's search page empty. */
(() => {
  const form = document.querySelector(".bd-search-container");
  const links = document.querySelectorAll(".handbook-languages a[hreflang]");
  if (!form || links.length === 0) return;
  const field = form.querySelector("input[name=q]");
  const keepQuery = () => {
    const query = (field?.value || new URLSearchParams(location.search).get("q") || "").trim();
    for (const link of links) {
      const target = new URL(link.href);
      if (query) target.searchParams.set("q", query);
      else target.searchParams.delete("q");
      link.href = target.href;
    }
  };
  keepQuery();
  field?.addEventListener("input", keepQuery);
})();
