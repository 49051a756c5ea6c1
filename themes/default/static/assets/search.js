// The search page: a form, facets (region, theme, author) and results, over Folio's parted
// Pagefind index (pagefind/folio-search.js). The query and the chosen facets live in the
// address (?q=…&region=…), so a search can be shared and the header's box can submit to it.

const root = document.getElementById("search");
const form = root.querySelector("form");
const input = root.querySelector("input[name=q]");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const more = document.getElementById("search-more");
const facetsBox = document.getElementById("search-facets");
const FACETS = { region: "Region", theme: "Theme", author: "Author" };
const PAGE = 5; // results drawn at a time (each fetches its fragment)
const FEW = 12; // values shown per facet before "Show all"
const opened = new Set(); // facets shown whole

let engine = null; // set by start(); run() waits for it
let ready = null;
let current = { results: [], shown: 0 };
let serial = 0;

function chosen() {
  const filters = {};
  for (const box of facetsBox.querySelectorAll("input[type=checkbox]:checked")) {
    (filters[box.name] = filters[box.name] || []).push(box.value);
  }
  return filters;
}

function remember(query, filters) {
  const params = new URLSearchParams();
  if (query) params.set("q", query);
  for (const [key, values] of Object.entries(filters)) values.forEach((v) => params.append(key, v));
  const address = params.toString() ? `?${params}` : location.pathname;
  history.replaceState(null, "", address);
}

function drawFacets(counts, selected) {
  facetsBox.replaceChildren();
  for (const [key, title] of Object.entries(FACETS)) {
    const values = counts[key];
    if (!values || !Object.keys(values).length) continue;
    const group = document.createElement("fieldset");
    group.className = "facet";
    const legend = document.createElement("legend");
    legend.textContent = title;
    group.append(legend);
    const entries = Object.entries(values)
      .filter(([value, count]) => count > 0 || (selected[key] || []).includes(value))
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    const box = document.createElement("div");
    box.className = "facet-values";
    const whole = opened.has(key) || entries.length <= FEW + 2;
    const shown = whole ? entries : entries.filter(([value], index) =>
      index < FEW || (selected[key] || []).includes(value));
    for (const [value, count] of shown) {
      const label = document.createElement("label");
      const check = document.createElement("input");
      Object.assign(check, { type: "checkbox", name: key, value,
                             checked: (selected[key] || []).includes(value) });
      const number = document.createElement("span");
      number.className = "facet-count";
      number.textContent = count.toLocaleString();
      label.append(check, ` ${value} `, number);
      box.append(label);
    }
    group.append(box);
    if (!whole) {
      const all = document.createElement("button");
      all.type = "button";
      all.className = "facet-all";
      all.textContent = `Show all ${entries.length.toLocaleString()}`;
      all.addEventListener("click", () => {
        opened.add(key);
        drawFacets(counts, chosen());
      });
      group.append(all);
    }
    facetsBox.append(group);
  }
}

// An excerpt is Pagefind's text with <mark> around the matched words: keep those and text only.
function excerptNodes(html) {
  const parsed = new DOMParser().parseFromString(`<p>${html}</p>`, "text/html").body;
  const nodes = [];
  for (const node of parsed.firstChild ? parsed.firstChild.childNodes : []) {
    if (node.nodeType === Node.TEXT_NODE) nodes.push(document.createTextNode(node.textContent));
    else if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      nodes.push(mark);
    } else nodes.push(document.createTextNode(node.textContent));
  }
  return nodes;
}

async function drawResult(result) {
  const data = await result.data();
  const item = document.createElement("li");
  item.className = "search-result";
  const heading = document.createElement("h2");
  const link = document.createElement("a");
  link.href = data.url;
  link.textContent = data.meta.title || data.url;
  heading.append(link);
  const meta = document.createElement("p");
  meta.className = "search-result-meta";
  meta.textContent = [data.meta.date, data.meta.source].filter(Boolean).join(" · ");
  const excerpt = document.createElement("p");
  excerpt.className = "search-result-excerpt";
  excerpt.append(...excerptNodes(data.excerpt || ""));
  item.append(heading, meta, excerpt);
  return item;
}

async function showMore() {
  const batch = current.results.slice(current.shown, current.shown + PAGE);
  const items = await Promise.all(batch.map(drawResult));
  list.append(...items);
  current.shown += batch.length;
  more.hidden = current.shown >= current.results.length;
}

async function run() {
  const mine = ++serial;
  await ready;
  if (mine !== serial) return;
  const query = input.value.trim();
  const filters = chosen();
  remember(query, filters);
  if (!query) {
    list.replaceChildren();
    more.hidden = true;
    status.textContent = "";
    drawFacets(engine.totals(), filters);
    return;
  }
  status.textContent = "Searching…";
  const found = await engine.search(query, filters);
  if (mine !== serial) return;
  current = { results: found.results, shown: 0 };
  list.replaceChildren();
  const count = found.total.toLocaleString();
  status.textContent = found.total === 0 ? `No results for “${query}”.`
    : `${count} result${found.total === 1 ? "" : "s"} for “${query}”.`;
  await showMore();
  // facet counts for these results: needs each searched part's filter index, so after
  const counted = await engine.search(query, filters, { withCounts: true });
  if (mine === serial) drawFacets(counted.counts, filters);
}

let timer = null;
function later() {
  clearTimeout(timer);
  timer = setTimeout(run, 250);
}

async function start(selected) {
  const bundle = new URL(root.dataset.bundle, location.href);
  const { open } = await import(new URL("folio-search.js", bundle).href);
  engine = await open({ baseUrl: root.dataset.baseUrl, excerptLength: 30 });
  drawFacets(engine.totals(), selected);
  // the filters start open beside the results on a wide screen, folded under them on a phone
  const filters = document.getElementById("search-filters");
  if (filters && (matchMedia("(min-width: 52rem)").matches || Object.keys(selected).length)) {
    filters.open = true;
  }
  root.classList.add("search-ready");
}

const params = new URLSearchParams(location.search);
const selected = {};
for (const key of Object.keys(FACETS)) {
  if (params.getAll(key).length) selected[key] = params.getAll(key);
}
input.value = params.get("q") || "";
form.addEventListener("submit", (event) => { event.preventDefault(); run(); });
input.addEventListener("input", later);
facetsBox.addEventListener("change", run);
more.addEventListener("click", showMore);
ready = start(selected);
ready.catch((error) => {
  status.textContent = "Search could not be loaded. Browse the archive from the menu instead.";
  console.error(error);
});
if (input.value) run();
