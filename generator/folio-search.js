// Folio's search over the parts of its Pagefind index, as if they were one index.
// Written by `folio build` into pagefind/folio-search.js beside folio-search.json; the layout
// of the bundles is described in generator/search.py.
//
// Pagefind answers a word that an index lacks with the longest shorter word it has, so a
// part without the word would answer with near matches. Before searching the parts, each
// word of the query is looked up in two small bundles that are always loaded:
// - the delta holds the pages changed since their part was indexed plus the vocabulary of
//   every base part (the "old" pages): if no old page matches a word, no base part has it;
// - the directory holds each base part's vocabulary: the parts whose pages match every word
//   are the only parts that can have results.
// Then only those parts (and the delta) are searched, in one Pagefind search, and results
// that the delta supersedes, or that are vocabulary pages, are dropped. A page whose bytes
// changed but not what Pagefind reads of it is in its part and in the delta under one id:
// it is shown once.

const here = new URL(".", import.meta.url);

export async function open({ baseUrl = "/", excerptLength = 30 } = {}) {
  const [pagefind, manifest] = await Promise.all([
    import(new URL("pagefind.js", here).href),
    fetch(new URL("folio-search.json", here)).then((response) => response.json()),
  ]);
  const common = { baseUrl, excerptLength };
  await pagefind.options({ ...common, basePath: here.pathname });
  await pagefind.mergeIndex(new URL("delta/", here).pathname,
                            { ...common, mergeFilter: { folio_part: "delta" } });
  return new FolioSearch(pagefind, manifest, common);
}

const EXACT = /^\s*".+"\s*$/;
const WORDY = /[\p{L}\p{N}]/u;

export class FolioSearch {
  constructor(pagefind, manifest, options) {
    this.pagefind = pagefind;
    this.manifest = manifest;
    this.options = options;
    this.old = new Set(manifest.old);
    this.superseded = manifest.superseded;
    this.twins = manifest.twins || {};
    this.merged = new Map(); // part -> Promise of its mergeIndex
    this.filtersLoaded = new Set();
  }

  /** Facet counts of the whole archive: {region: {Europe: 12, …}, …}. */
  totals() {
    return this.manifest.filters;
  }

  /** The parts that can hold results for `query` (see the top of this file). */
  async partsFor(query) {
    if (EXACT.test(query)) return this.manifest.parts; // exact: Pagefind never falls back
    const words = query.split(/\s+/).filter((word) => WORDY.test(word));
    if (!words.length) return [];
    // unfiltered: the directory's and the delta's pages are told apart by their ids (a
    // filter would cost each bundle a request), and parts merged earlier add nothing
    const answers = await Promise.all(words.map((word) => this.pagefind.search(word)));
    let parts = null;
    for (const answer of answers) {
      const ids = answer.results.map((result) => result.id);
      if (!ids.some((id) => this.old.has(id))) return []; // a word no base part has
      const found = new Set(ids.map((id) => this.manifest.vocab[id]).filter(Boolean));
      parts = parts === null ? found : new Set([...parts].filter((part) => found.has(part)));
    }
    return [...parts];
  }

  async merge(parts) {
    await Promise.all(parts.map((part) => {
      if (!this.merged.has(part)) {
        this.merged.set(part, this.pagefind.mergeIndex(
          new URL(`parts/${part}/`, here).pathname,
          { ...this.options, mergeFilter: { folio_part: part } }));
      }
      return this.merged.get(part);
    }));
  }

  /**
   * Search: {results, total, counts, parts}. `filters` is {region: ["Europe"], …} (any of
   * a facet's values, all facets). Results are Pagefind's (call data() for url, excerpt,
   * meta). `counts` are facet counts of these results when withCounts (that loads every
   * searched part's filter index: a few requests a part), else null.
   */
  async search(query, filters = {}, { withCounts = false } = {}) {
    const parts = await this.partsFor(query);
    await this.merge(parts);
    if (withCounts && parts.some((part) => !this.filtersLoaded.has(part))) {
      await this.pagefind.filters();
      this.merged.forEach((_, part) => this.filtersLoaded.add(part));
    }
    const wanted = { folio_part: { any: ["delta", ...parts] } };
    for (const [key, values] of Object.entries(filters)) {
      if (values.length) wanted[key] = { any: values };
    }
    const answer = await this.pagefind.search(query, { filters: wanted });
    const results = [];
    const dropped = [];
    const seen = new Set();
    for (const result of answer.results) {
      if (this.old.has(result.id)) continue;
      if (this.superseded[result.id]) dropped.push(this.superseded[result.id]);
      else if (seen.has(result.id)) dropped.push(this.twins[result.id] || {});
      else {
        seen.add(result.id);
        results.push(result);
      }
    }
    return { results, total: results.length, parts,
             counts: withCounts ? this.counts(answer.filters, dropped) : null };
  }

  counts(filters, dropped) {
    const counts = {};
    for (const [key, values] of Object.entries(filters || {})) {
      if (key === "folio_part") continue;
      counts[key] = { ...values };
    }
    for (const page of dropped) {
      for (const [key, values] of Object.entries(page)) {
        for (const value of values) {
          if (counts[key] && counts[key][value]) counts[key][value] -= 1;
        }
      }
    }
    return counts;
  }
}
