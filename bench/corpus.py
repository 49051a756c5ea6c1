"""Write a deterministic synthetic Folio site for benchmarks (standard library only).

    python bench/corpus.py --n 1000 --seed 1 --out DIR [--format folio,hugo]

writes `DIR/folio.toml` and `DIR/content/articles/YYYY/MM/<slug>.md`, one file per article,
following the article contract (shared CONTENT.md). With `--format hugo` (or `folio,hugo`)
the same articles are also written as an equivalent Hugo site in `DIR/hugo/` (config.toml,
layouts, content), for comparing build times on equal work. The same `--n` and `--seed`
always give byte-identical files. Bodies use an invented vocabulary, so no real text is
reproduced.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import json
import random
import re
import shutil
import sys
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

CONFIG_TEXT = 'title = "Synthetic archive"\nbase_url = "https://example.org/"\n'

# --- vocabularies (ordered roughly by popularity; Zipf weights follow the order) ------------
# fmt: off

REGIONS = [
    "Middle East & North Africa", "United States", "Western Europe", "Russia & Eurasia",
    "East Asia", "Latin America & Caribbean", "Sub-Saharan Africa", "South Asia",
    "Eastern Europe", "Global", "Southeast Asia", "Canada", "Gulf States", "Levant",
    "Central Asia", "Balkans", "Caucasus", "Horn of Africa", "West Africa", "Southern Africa",
    "Central America", "Andean Countries", "Southern Cone", "Caribbean", "Oceania",
    "Pacific Islands", "Arctic", "Mediterranean", "Nordic Countries", "Baltic States",
    "Iberian Peninsula", "Indian Ocean", "Great Lakes (Africa)", "Sahel", "Côte d'Azur & Alps",
]

THEMES = [
    "War Agenda", "Terrorism", "Global Economy", "Law and Justice", "Media Disinformation",
    "Militarization & WMD", "Civil Rights", "Intelligence", "Oil and Energy", "History",
    "Environment", "Poverty & Social Inequality", "Crimes against Humanity", "Science",
    "Medicine", "Religion", "Culture, Society & History", "Biotechnology", "Women's Rights",
    "Global Health", "Food Security", "Financial Crisis", "Sanctions", "Regime Change",
    "Drone Warfare", "Nuclear Policy", "Humanitarian Crisis", "Refugees & Migration",
    "Elections", "Corruption", "Propaganda", "Surveillance", "Cyber Security",
    "Privatization", "Labour & Unions", "Trade Agreements", "Central Banking", "Debt Crisis",
    "Arms Industry", "Proxy Wars", "Colonial Legacy", "Indigenous Rights", "Water Rights",
    "Climate Policy", "Deforestation", "Mining", "Agriculture", "Pharmaceutical Industry",
    "Vaccines", "Public Health", "Education", "Housing", "Press Freedom", "Whistleblowers",
    "Prisons", "War Crimes", "Peace Movement", "Diplomacy", "United Nations",
    "International Law", "Sovereignty", "Geopolitics", "Pipelines", "Rare Earths",
    "Space Policy", "Chemical Weapons", "Occupation", "Land Reform", "Civil War", "Coups",
    "Protest Movements", "NGOs", "Think Tanks", "Lobbying", "Big Tech", "Censorship",
    "Urban Life", "Transport", "Fisheries", "Tourism",
]

REPORTS = [
    "THE SAHEL DOSSIER", "GULF WATCH", "PIPELINE POLITICS", "THE DEBT TRAP",
    "ARCTIC FRONTIER", "THE BALKAN FILES", "ISLAND NATIONS", "FOOD & FAMINE",
    "THE LONG WAR", "RIVERS IN DISPUTE", "BORDERLANDS", "THE ARMS BAZAAR",
    "CURRENCY WARS", "THE DRONE YEARS", "COASTAL STATES", "THE GRAIN CORRIDOR",
    "ENERGY SECURITY", "THE LITHIUM RUSH", "SHADOW BANKING", "THE REFUGEE ROUTES",
    "MEDIA ON TRIAL", "THE PANDEMIC YEARS", "CAUCASUS CROSSROADS", "THE ANDES REPORT",
    "OCEAN CLAIMS", "THE SURVEILLANCE STATE", "ELECTIONS UNDER PRESSURE", "DESERT WARS",
    "THE MINING BELT", "HORN OF AFRICA", "THE NUCLEAR QUESTION", "CLIMATE & CONFLICT",
    "THE STEPPE ECONOMY", "PORT CITIES", "THE TRADE WARS", "OCCUPIED LANDS",
    "THE SANCTIONS ERA", "CITIES IN CRISIS", "THE COLD PEACE", "Q&A: EXPERTS ANSWER",
]

# a few popular terms also appear spelled differently in case only (same term, same slug)
CASE_VARIANT_TERMS = {
    "Global Economy", "Terrorism", "Middle East & North Africa", "Western Europe",
    "PIPELINE POLITICS",
}
CASE_VARIANT_RATE = 0.03

PUBLISHERS = [
    ("Meridian Review", 0.88), ("Meridian Review News", 0.05), ("Harbour Press", 0.04),
    ("La Revue Méridienne", 0.02), ("Centre for Archive Studies", 0.01),
]

SOURCES = [
    "Meridian Review", "The Northern Ledger", "Southwind Dispatch", "Atlas Weekly",
    "Le Courrier de l'Est", "The Civic Record", "Andes Observer", "Balkan Chronicle",
    "Harbour Independent", "Steppe Times", "Red Sea Gazette", "The Coastal Herald",
    "Danube Review", "Orient Courier", "Baltic Monitor", "Nile Evening Post",
    "Caribbean Voice", "Sahel Tribune", "Highland Courier", "Tasman Times",
    "Zürcher Blatt", "Gazeta Północna", "Diário do Sul", "El Faro Austral",
    "La Voix du Fleuve", "Mekong Review", "The Ural Journal", "Kathmandu Weekly",
    "Arctic Circle Notes", "The Free Press Collective", "Mediterranean Notes",
    "Lakeside Bulletin", "The Plains Reporter", "Istanbul Analiz", "Pacific Dispatch",
    "Valley Gazette", "The Continental", "Riverbend Journal", "Monsoon Times",
    "The Quiet Observer",
]

FIRST_NAMES = [
    "Anna", "Peter", "Maria", "John", "Sara", "Michel", "Elena", "David", "Laura", "James",
    "Nadia", "Paul", "Helen", "Omar", "Julia", "Tom", "Irina", "Kwame", "Yuki", "Ravi",
    "Priya", "Chen", "Wei", "Olga", "Pavel", "Fatima", "Layla", "Tariq", "Hassan", "Amina",
    "Thabo", "Wanjiru", "José", "Inés", "João", "Sebastián", "Nicolás", "François",
    "Hélène", "Céline", "Jürgen", "Björn", "Søren", "Åsa", "Łukasz", "Małgorzata",
    "Ștefan", "Miloš", "Dušan", "Çağlar", "Gökhan", "Zoë", "Noël", "Mahdi", "Finian",
    "Diana", "Robert", "Susan", "Kevin", "Margaret", "Dr. Alan", "Prof. Ruth",
    "Rev. Samuel", "Gen. Victor",
]

LAST_NAMES = [
    "Hartley", "Moreau", "Kovacs", "Lindqvist", "Okafor", "Mensah", "Tanaka", "Nakamura",
    "Zhang", "Liu", "Sharma", "Iyer", "Haddad", "Khoury", "Mansour", "al-Amin", "Petrov",
    "Sokolova", "Novak", "Dvořák", "Horváth", "Popescu", "Jovanović", "Kowalski",
    "Wiśniewska", "Müller", "Schäfer", "Köhler", "Lefèvre", "Gauthier", "Bérubé",
    "Núñez", "González", "Peña", "Gonçalves", "Araújo", "Rossi", "Bianchi", "Ricci",
    "Öztürk", "Y\u0131lmaz", "Şahin", "Çelik", "Nguyen", "Tran", "Park", "Kim", "Dlamini",
    "Ndlovu", "Diallo", "Traoré", "Keïta", "O'Neill", "McKenna", "Fitzgerald", "Walker",
    "Hughes", "Fletcher", "Sinclair", "Whitaker", "Holloway", "Prescott", "Donovan",
    "Kaplan", "Weiss", "Rosen", "Meyer", "Brennan", "Carvalho", "Ferreira", "Salazar",
    "Quispe", "Mamani", "Abiodun", "Mwangi", "Rahman", "Qureshi", "Banerjee", "Reddy",
    "van der Berg", "de la Cruz",
]

# collective bylines: outlets, desks and editorial boards sign articles too
OUTLET_AUTHORS = [
    "Editorial Board", "Staff Reporter", "News Desk", "Steppe Times", "Southwind Dispatch",
    "Meridian Review", "Research Unit", "Correspondents Abroad",
]

VERBS = [
    "Rejects", "Confronts", "Expands", "Undermines", "Backs", "Denies", "Admits",
    "Prepares", "Funds", "Threatens", "Ignores", "Exposes", "Defends", "Abandons",
    "Blocks", "Arms", "Rewrites", "Fuels", "Derails", "Revisits", "Questions", "Renews",
]

OBJECTS = [
    "the Sanctions Regime", "a New Cold War", "the Oil Market", "Humanitarian Aid",
    "the Refugee Question", "Food Security", "the Gas Pipeline", "Debt Relief",
    "Press Freedom", "the Peace Talks", "the Nuclear Deal", "the Arms Trade",
    "the Vaccine Rollout", "the Election Results", "the Ceasefire", "Military Bases",
    "the Water Supply", "Civil Liberties", "the Opposition", "Public Debt",
    "Farmers' Protests", "Lithium Reserves", "the Grain Deal", "the Border Wall",
]

ADJECTIVES = [
    "Hidden", "Real", "Forgotten", "Coming", "Unspoken", "Dangerous", "Endless", "Silent",
    "Economic", "Strategic", "Unreported", "Quiet", "Long", "Strange", "Human", "Bitter",
]

NOUNS = [
    "War", "Crisis", "Agenda", "Collapse", "Legacy", "Cost", "Truth", "Logic", "Politics",
    "Economics", "Failure", "Battle", "Scandal", "Myth", "Dossier", "Return", "Silence",
]

# English glue words, most frequent first; the content words are invented below
FUNCTION_WORDS = [
    "the", "of", "and", "to", "in", "a", "that", "is", "for", "on", "with", "as", "by", "was",
    "it", "this", "are", "be", "from", "has", "have", "not", "which", "their", "its", "at",
    "an", "were", "or", "but", "been", "will", "they", "more", "who", "also", "than", "had",
    "all", "would", "these", "other", "into", "after", "over", "such", "can", "under", "while",
    "against", "between", "during", "without", "since", "about", "there", "what", "when",
    "only", "one", "new", "two", "most", "some", "many", "those", "could", "should", "may",
    "must", "being", "both", "each", "through", "before", "because", "where", "however",
    "even", "still", "then", "now", "our",
]

ONSETS = [
    "b", "br", "c", "ch", "d", "dr", "f", "g", "gr", "h", "k", "l", "m", "n", "p", "pr",
    "r", "s", "st", "sh", "t", "tr", "v", "w", "z", "",
]
VOWELS = ["a", "e", "i", "o", "u", "ai", "ea", "ou", "io", "y"]
CODAS = ["", "", "", "n", "r", "l", "s", "t", "m", "nd", "st", "rk", "ng"]

TLDS = ["org", "com", "net", "info"]

# recurring titles, so that several articles in one month share a title (and a slug base)
SERIES_TITLES = ["Selected Articles", "The Week in Review", "Letters to the Editor", "In Brief"]
SERIES_RATE = 0.02
# fmt: on


# --- helpers -----------------------------------------------------------------------------


def zipf_cum(n: int, s: float = 1.0) -> list[float]:
    """Cumulative Zipf weights for ranks 1..n."""
    return list(accumulate(1.0 / (rank**s) for rank in range(1, n + 1)))


class Weighted:
    """Draw from a fixed list with cumulative weights."""

    def __init__(self, items: Sequence[str], cum: Sequence[float]) -> None:
        self.items = list(items)
        self.cum = list(cum)
        self.total = self.cum[-1]

    def one(self, rng: random.Random) -> str:
        return self.items[bisect.bisect_right(self.cum, rng.random() * self.total)]

    def distinct(self, rng: random.Random, k: int) -> list[str]:
        k = min(k, len(self.items))
        out: list[str] = []
        while len(out) < k:
            x = self.one(rng)
            if x not in out:
                out.append(x)
        return out


def zipf(items: Sequence[str], s: float = 1.0) -> Weighted:
    return Weighted(items, zipf_cum(len(items), s))


def slugify(text: str, maxlen: int = 70) -> str:
    """ASCII slug: fold accents, lower-case, hyphens between runs of letters and digits."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
    if len(slug) > maxlen:
        slug = slug[:maxlen].rsplit("-", 1)[0]
    return slug or "article"


def q(text: str | None) -> str:
    """A YAML scalar: JSON string syntax is valid YAML; None becomes null."""
    return "null" if text is None else json.dumps(text, ensure_ascii=False)


def invented_words(count: int) -> list[str]:
    """A fixed invented vocabulary (same for every seed), in a stable order."""
    rng = random.Random(20240917)
    seen: set[str] = set(FUNCTION_WORDS)
    words: list[str] = []
    while len(words) < count:
        n_syll = rng.choices((1, 2, 3), weights=(5, 6, 2))[0]
        w = "".join(
            rng.choice(ONSETS) + rng.choice(VOWELS) + rng.choice(CODAS) for _ in range(n_syll)
        )
        if 2 <= len(w) <= 12 and w not in seen:
            seen.add(w)
            words.append(w)
    return words


# --- article generation ------------------------------------------------------------------


class Corpus:
    """Generates articles one at a time from a single seeded random stream."""

    POOL_SIZE = 1 << 17

    def __init__(self, n: int, seed: int) -> None:
        self.rng = rng = random.Random(seed)
        vocab = FUNCTION_WORDS + invented_words(4000)
        # Sentences are slices of one long Zipf-distributed word stream: cheap and realistic.
        self.pool = rng.choices(vocab, cum_weights=zipf_cum(len(vocab), 1.0), k=self.POOL_SIZE)
        names = invented_words(4300)[4000:]
        self.proper = [w.capitalize() for w in names]  # invented places and people
        self.regions = zipf(REGIONS, 0.9)
        self.themes = zipf(THEMES, 0.8)
        self.reports = zipf(REPORTS, 0.9)
        self.sources = zipf(SOURCES, 0.8)
        self.publishers = Weighted(
            [p for p, _ in PUBLISHERS], list(accumulate(w for _, w in PUBLISHERS))
        )
        self.author_names = self._author_names(max(5, min(n // 5, 5000)))
        self.authors = zipf(self.author_names, 1.0)
        # every name in the pool is used at least once, in a seeded order
        self.first_use = list(self.author_names)
        rng.shuffle(self.first_use)
        self.start = dt.date(2010, 1, 1)
        self.days = (dt.date(2024, 12, 31) - self.start).days + 1
        self.used_paths: set[str] = set()

    def _author_names(self, k: int) -> list[str]:
        rng = self.rng
        pairs = [(first, last) for first in FIRST_NAMES for last in LAST_NAMES]
        rng.shuffle(pairs)
        names = list(OUTLET_AUTHORS[:3])
        initials = "ABCDEFGHJKLMNPRSTW"
        i = 0
        while len(names) < k:  # beyond the plain pairs, add middle initials
            first, last = pairs[i % len(pairs)]
            if i < len(pairs):
                names.append(f"{first} {last}")
            else:
                names.append(f"{first} {initials[(i // len(pairs) - 1) % len(initials)]}. {last}")
            i += 1
        names[10:10] = OUTLET_AUTHORS[3:]  # some outlets sign often, not most often
        return names[:k]

    def date(self) -> dt.date:
        # density rises over the years: inverse CDF of a pdf proportional to (1 + 2t)
        x = self.rng.random()
        frac = ((1 + 8 * x) ** 0.5 - 1) / 2
        return self.start + dt.timedelta(days=min(self.days - 1, int(frac * self.days)))

    def term(self, name: str) -> str:
        """A term as written, now and then with different capitals."""
        rng = self.rng
        if name in CASE_VARIANT_TERMS and rng.random() < CASE_VARIANT_RATE:
            options = [v for v in (name.lower(), name.upper(), name.title()) if v != name]
            return rng.choice(options)
        return name

    # -- text ----------------------------------------------------------------------------

    def words(self, k: int) -> list[str]:
        start = int(self.rng.random() * (self.POOL_SIZE - k))
        return self.pool[start : start + k]

    def sentence(self, lo: int = 6, hi: int = 26) -> list[str]:
        # hot path: rng.random() arithmetic instead of randint(), which is much slower
        rand = self.rng.random
        ws = self.words(lo + int(rand() * (hi - lo + 1)))
        k = len(ws)
        if rand() < 0.4:
            ws[int(rand() * k)] = self.proper[int(rand() * len(self.proper))]
        if k > 10 and rand() < 0.5:
            ws[3 + int(rand() * (k - 6))] += ","
        ws[0] = ws[0].capitalize()
        ws[-1] += "?" if rand() < 0.04 else "."
        return ws

    def url(self, year: int) -> str:
        rng = self.rng
        domain = slugify(self.sources.one(rng)).replace("-", "")
        path = "-".join(self.words(rng.randint(2, 5)))
        tld = TLDS[rng.randrange(len(TLDS))]
        return f"https://www.{domain}.{tld}/{year}/{path}/{rng.randint(100, 99999)}"

    def paragraph(self, year: int, budget: int) -> tuple[str, int]:
        """A paragraph of at most about `budget` words; returns (markdown, words)."""
        rng = self.rng
        words: list[str] = []
        for _ in range(2 + int(rng.random() * 5)):
            room = budget - len(words)
            if room < 3:
                break
            words += self.sentence(min(6, room), max(3, min(26, room)))
        count = len(words)
        if count > 8 and rng.random() < 0.3:  # inline link over 2-4 words
            a = rng.randrange(count - 5)
            b = a + rng.randint(2, 4)
            anchor = " ".join(w.rstrip(",.?") for w in words[a:b])
            words[a:b] = [f"[{anchor}]({self.url(year)})"]
        if rng.random() < 0.15:
            i = rng.randrange(len(words))
            if "[" not in words[i] and words[i][-1].isalpha():
                words[i] = f"*{words[i]}*" if rng.random() < 0.6 else f"**{words[i]}**"
        return " ".join(words), count

    def heading(self) -> str:
        rng = self.rng
        text = " ".join(w.capitalize() for w in self.words(rng.randint(2, 6)))
        return ("## " if rng.random() < 0.85 else "### ") + text

    def body(self, year: int) -> str:
        """Markdown body of 500-1500 words (whitespace-separated, markup aside)."""
        rng = self.rng
        target = rng.randint(510, 1470)
        has_headings = rng.random() < 0.5
        has_list = rng.random() < 0.35
        has_quote = rng.random() < 0.4
        has_note = rng.random() < 0.1
        has_table = rng.random() < 0.03
        parts: list[str] = []
        words = 0
        n_par = 0
        next_heading = rng.randint(3, 6)
        while target - words >= 3:
            if has_headings and n_par == next_heading and target - words > 20:
                parts.append(self.heading())
                words += parts[-1].count(" ")
                next_heading += rng.randint(3, 6)
            text, count = self.paragraph(year, target - words)
            if n_par == 1 and has_note:
                text += "[^1]"
            parts.append(text)
            words += count
            n_par += 1
            if n_par == 2 and has_quote and words + 40 < target:
                quote = [w for _ in range(rng.randint(1, 3)) for w in self.sentence()]
                parts.append("> " + " ".join(quote))
                words += len(quote)
            if n_par == 3 and has_list and words + 60 < target:
                numbered = rng.random() < 0.3
                items = []
                for j in range(rng.randint(3, 6)):
                    item = self.sentence(4, 12)
                    words += len(item)
                    items.append((f"{j + 1}. " if numbered else "- ") + " ".join(item))
                parts.append("\n".join(items))
            if n_par == 4 and has_table and words + 30 < target:
                rows = [f"| Item | {year - 2} | {year - 1} | {year} |", "|---|---:|---:|---:|"]
                for _ in range(rng.randint(2, 5)):
                    label = " ".join(self.words(rng.randint(1, 3))).capitalize()
                    values = " | ".join(str(rng.randint(1, 9999)) for _ in range(3))
                    rows.append(f"| {label} | {values} |")
                    words += 5
                parts.append("\n".join(rows))
        if has_note:
            parts.append(f"[^1]: {' '.join(self.sentence(5, 12))} <{self.url(year)}>")
        return "\n\n".join(parts) + "\n"

    def title(self) -> str:
        rng = self.rng
        actor = rng.choice(self.proper[:120])
        verb, obj = rng.choice(VERBS), rng.choice(OBJECTS)
        place = rng.choice(self.proper[120:])
        adj, noun = rng.choice(ADJECTIVES), rng.choice(NOUNS)
        if rng.random() < SERIES_RATE:
            return rng.choice(SERIES_TITLES)
        form = rng.random()
        if form < 0.25:
            text = f"{actor} {verb} {obj}"
        elif form < 0.45:
            text = f"{actor} {verb} {obj}: The {adj} {noun} of {place}"
        elif form < 0.60:
            text = f"The {adj} {noun} of {place}"
        elif form < 0.70:
            text = f"Why {actor} {verb} {obj}"
        elif form < 0.80:
            text = f"{place}: {actor} {verb} {obj}"
        elif form < 0.88:
            text = f"Video: {actor} {verb} {obj} in {place}"
        elif form < 0.95:
            text = f"{noun} in {place}? {actor} {verb} {obj}"
        else:
            quoted = " ".join(self.words(rng.randint(2, 5))).capitalize()
            text = f"\u201c{quoted}\u201d: {actor} {verb} {obj}"
        return text

    def entry(self, i: int) -> Entry:
        """Draw article number `i` (the draws' order is fixed: it defines the corpus)."""
        rng = self.rng
        date = self.date()
        title = self.title()
        base = slugify(title)
        folder = f"content/articles/{date.year:04d}/{date.month:02d}"
        slug, k = base, 1
        while f"{folder}/{slug}" in self.used_paths:
            k += 1
            slug = f"{base}-{k}"
        self.used_paths.add(f"{folder}/{slug}")

        first = self.first_use[i] if i < len(self.first_use) else self.authors.one(rng)
        n_authors = rng.choices((1, 2, 3), weights=(85, 12, 3))[0]
        authors = [first]
        while len(authors) < n_authors:
            a = self.authors.one(rng)
            if a not in authors:
                authors.append(a)
        regions = self.regions.distinct(rng, rng.choices((1, 2, 3), weights=(60, 30, 10))[0])
        themes = self.themes.distinct(rng, rng.choices((1, 2, 3), weights=(35, 40, 25))[0])
        r = rng.random()
        reports = self.reports.distinct(rng, 0 if r < 0.4 else 1 if r < 0.9 else 2)

        publisher = self.publishers.one(rng)
        source = publisher if rng.random() < 0.1 else self.sources.one(rng)
        src_date: dt.date | None = date - dt.timedelta(days=rng.choice((0, 0, 0, 1, 1, 2, 3, 7)))
        if rng.random() < 0.03:
            src_date = None
        src_url: str | None = None
        if rng.random() < 0.85:
            domain = slugify(source).replace("-", "")
            src_url = f"https://www.{domain}.{TLDS[len(domain) % 3]}/{date.year}/{slug}/"
        holder = authors[0] if rng.random() < 0.25 else source
        copyright_ = f"{holder}, {(src_date or date).year}"
        summary = " ".join(self.sentence(12, 30)) if rng.random() < 0.9 else None
        # terms as written (now and then in other capitals), then the body: in this order
        regions = [self.term(v) for v in regions]
        themes = [self.term(v) for v in themes]
        reports = [self.term(v) for v in reports]
        return Entry(
            folder=folder,
            slug=slug,
            date=date,
            title=title,
            authors=authors,
            regions=regions,
            themes=themes,
            reports=reports,
            publisher=publisher,
            source=source,
            source_url=src_url,
            source_date=src_date,
            copyright=copyright_,
            summary=summary,
            body=self.body(date.year),
        )

    def article(self, i: int) -> tuple[str, str]:
        """Return (relative path, Folio file text) for article number `i`."""
        entry = self.entry(i)
        return f"{entry.folder}/{entry.slug}.md", folio_text(entry)


@dataclass(frozen=True, slots=True)
class Entry:
    """One article's data, written out by `folio_text` or `hugo_text`."""

    folder: str  # content/articles/YYYY/MM
    slug: str
    date: dt.date
    title: str
    authors: list[str]
    regions: list[str]
    themes: list[str]
    reports: list[str]
    publisher: str
    source: str
    source_url: str | None
    source_date: dt.date | None
    copyright: str
    summary: str | None
    body: str


def _flow(values: list[str]) -> str:
    return "[" + ", ".join(q(v) for v in values) + "]"


def folio_text(e: Entry) -> str:
    """The article as a Folio content file (the article contract)."""
    lines = ["---", f"title: {q(e.title)}", f"date: {e.date.isoformat()}",
             *_term_lines(e), *_attribution_lines(e), f"slug: {e.slug}", "---", "", e.body]
    return "\n".join(lines)


def hugo_text(e: Entry) -> str:
    """The same article for Hugo: taxonomies as front matter lists, the rest as params.

    `years` feeds a Hugo taxonomy that stands in for Folio's year archives.
    """
    lines = ["---", f"title: {q(e.title)}", f"date: {e.date.isoformat()}",
             f"slug: {q(e.slug)}", *_term_lines(e), f'years: ["{e.date.year}"]',
             *_attribution_lines(e), "---", "", e.body]
    return "\n".join(lines)


def _term_lines(e: Entry) -> list[str]:
    """The article's taxonomies, as both Folio and Hugo read them."""
    return [f"authors: {_flow(e.authors)}", f"regions: {_flow(e.regions)}",
            f"themes: {_flow(e.themes)}", f"reports: {_flow(e.reports)}"]


def _attribution_lines(e: Entry) -> list[str]:
    """Publisher, source, copyright and the summary when there is one (both formats)."""
    lines = [
        f"publisher: {q(e.publisher)}",
        "source:",
        f"  name: {q(e.source)}",
        f"  url: {q(e.source_url)}",
        f"  date: {e.source_date.isoformat() if e.source_date else 'null'}",
        f"copyright: {q(e.copyright)}",
    ]
    if e.summary is not None:
        lines.append(f"summary: {q(e.summary)}")
    return lines


# --- the equivalent Hugo site (OUT/hugo) -------------------------------------------------
# The same pages as Folio's default theme, so both do the same work: every article with its
# byline, attribution box and linked terms; home, term and year lists paginated 10 to a page
# (Folio's per_page) with cards; every taxonomy's terms with their counts; a 404 page. Hugo
# extras Folio has no counterpart for are off: RSS, sitemap, robots.txt, the /articles/
# section list and pagination's /page/1/ aliases. Years are a Hugo taxonomy standing in for
# Folio's year archives (/years/2019/ for /2019/, /years/ for /archives/). Term links come
# from `.GetTerms` (building them with `urlize` is no faster in Hugo 0.168 and gets names with
# "&" wrong).

HUGO_CONFIG = """\
baseURL = "https://example.org/"
title = "Synthetic archive"
summaryLength = 40
capitalizeListTitles = false
disableKinds = ["RSS", "sitemap", "robotsTXT"]

[pagination]
  pagerSize = 10
  disableAliases = true

[permalinks.page]
  articles = "/:year/:month/:slug/"

[taxonomies]
  region = "regions"
  theme = "themes"
  author = "authors"
  report = "reports"
  year = "years"
"""

HUGO_SECTION = """\
---
title: Articles
build:
  render: never
  list: always
---
"""

HUGO_FILES = {
    "layouts/_default/baseof.html": """\
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ block "title" . }}{{ site.Title }}{{ end }}</title>
<link rel="canonical" href="{{ .Permalink }}">
<link rel="stylesheet" href="{{ "assets/site.css" | relURL }}">
</head>
<body>
<header class="masthead">
  <p class="site-title"><a href="{{ "/" | relURL }}">{{ site.Title }}</a></p>
  <nav class="site-nav"><ul>
    <li><a href="{{ "/" | relURL }}">Latest</a></li>
    {{- range slice "regions" "themes" "authors" "reports" }}
    <li><a href="{{ printf "/%s/" . | relURL }}">{{ . | title }}</a></li>
    {{- end }}
    <li><a href="{{ "/years/" | relURL }}">Archives</a></li>
  </ul></nav>
</header>
<main id="main">
{{ block "main" . }}{{ end }}
</main>
<footer class="site-footer">
  <p>{{ site.Title }}: {{ len site.RegularPages }} republished articles, each with its
  original source and copyright.</p>
</footer>
</body>
</html>
""",
    "layouts/partials/terms.html": """\
{{- range $i, $term := .page.GetTerms .tax }}{{ if $i }} · {{ end -}}
<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>{{ end -}}
""",
    "layouts/partials/byline.html": """\
{{- $terms := .GetTerms "authors" }}{{ $n := len $terms -}}
By {{ range $i, $term := $terms -}}
{{ if $i }}{{ if eq (add $i 1) $n }} and {{ else }}, {{ end }}{{ end -}}
<a class="author" href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>
{{- end -}}
""",
    "layouts/partials/attribution.html": """\
<aside class="attribution" aria-label="Source and copyright">
  <h2 class="attribution-title">Source and copyright</h2>
  <dl>
    {{- with .Params.source }}{{ if .name }}
    <div class="attribution-source"><dt>Original source</dt>
    <dd>{{ with .url }}<a href="{{ . }}" rel="noopener">{{ $.Params.source.name }}</a>
    {{- else }}{{ .name }}{{ end }}
    {{- with .date }}, <time datetime="{{ time.Format "2006-01-02" . }}">
    {{- time.Format "2 January 2006" . }}</time>{{ end }}</dd></div>
    {{- end }}{{ end }}
    {{- with .Params.publisher }}
    <div class="attribution-publisher"><dt>Published by</dt>
    <dd>{{ . }}, <time datetime="{{ $.Date.Format "2006-01-02" }}">
    {{- $.Date.Format "2 January 2006" }}</time></dd></div>
    {{- end }}
    {{- with .Params.copyright }}
    <div class="attribution-copyright"><dt>Copyright</dt><dd>© {{ . }}</dd></div>
    {{- end }}
  </dl>
</aside>
""",
    "layouts/partials/card.html": """\
<article class="card">
  {{ with .Params.regions }}<p class="kicker">
  {{- partial "terms.html" (dict "tax" "regions" "page" $) }}</p>{{ end }}
  <h2 class="card-title"><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
  <p class="meta">{{ partial "byline.html" . }} · <time datetime="{{ .Date.Format "2006-01-02" }}">
  {{- .Date.Format "2 January 2006" }}</time></p>
  <p class="summary">{{ .Summary }}</p>
  {{ with .Params.source.name }}<p class="card-source">Source: {{ . }}</p>{{ end }}
</article>
""",
    "layouts/_default/single.html": """\
{{ define "title" }}{{ .Title }} · {{ site.Title }}{{ end }}
{{ define "main" }}
<article class="article">
  <header class="article-header">
    {{ with .Params.regions }}<p class="kicker">
    {{- partial "terms.html" (dict "tax" "regions" "page" $) }}</p>{{ end }}
    <h1>{{ .Title }}</h1>
    <p class="meta">{{ partial "byline.html" . }} ·
    {{- " " }}<time datetime="{{ .Date.Format "2006-01-02" }}">
    {{- .Date.Format "2 January 2006" }}</time></p>
  </header>
  {{ partial "attribution.html" . }}
  <div class="article-body">
  {{ .Content }}
  </div>
  <footer class="article-footer">
    <p class="credit">Originally published by {{ .Params.source.name }}.
    {{- " " }}© {{ .Params.copyright }}.</p>
    <dl class="article-terms">
    {{- range $tax := slice "regions" "themes" "authors" "reports" }}
    {{- with index $.Params $tax }}
      <div><dt><a href="{{ printf "/%s/" $tax | relURL }}">{{ $tax | title }}</a></dt>
      <dd><ul class="terms">{{ range $.GetTerms $tax -}}
      <li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul></dd></div>
    {{- end }}
    {{- end }}
    </dl>
  </footer>
</article>
<nav class="article-nav" aria-label="More articles">
  {{ with .PrevInSection }}<a class="older" rel="prev" href="{{ .RelPermalink }}">
  {{- "" }}Previous article {{ .Title }}</a>{{ end }}
  {{ with .NextInSection }}<a class="newer" rel="next" href="{{ .RelPermalink }}">
  {{- "" }}Next article {{ .Title }}</a>{{ end }}
</nav>
{{ end }}
""",
    # one template for taxonomies and terms: Hugo's lookup order for taxonomy.html and
    # term.html changed in 0.146, while every version falls back to list.html
    "layouts/_default/list.html": """\
{{ define "title" }}{{ .Title }} · {{ site.Title }}{{ end }}
{{ define "main" }}
{{- if eq .Kind "taxonomy" }}
<header class="list-header">
  <h1 class="page-title">{{ .Title }}</h1>
  <p class="count">{{ len .Data.Terms }} {{ lower .Title }}</p>
</header>
<ul class="term-index">
{{- range .Data.Terms.Alphabetical }}
  <li><a href="{{ .Page.RelPermalink }}">{{ .Page.LinkTitle }}</a>
  {{- " " }}<span class="term-count">{{ .Count }}</span></li>
{{- end }}
</ul>
{{- else }}
<header class="list-header">
  {{ with .Parent }}<p class="kicker"><a href="{{ .RelPermalink }}">{{ .Title }}</a></p>{{ end }}
  <h1 class="page-title">{{ .Title }}</h1>
  <p class="count">{{ len .Pages }} articles</p>
</header>
{{ $pager := .Paginate .Pages }}
<div class="card-list">
{{ range $pager.Pages }}{{ partial "card.html" . }}
{{ end }}
</div>
{{ template "_internal/pagination.html" . }}
{{- end }}
{{ end }}
""",
    "layouts/index.html": """\
{{ define "main" }}
{{ $pager := .Paginate site.RegularPages }}
<h1 class="page-title">{{ if eq $pager.PageNumber 1 }}Latest articles
{{- else }}Articles, page {{ $pager.PageNumber }}{{ end }}</h1>
<div class="card-list">
{{ range $pager.Pages }}{{ partial "card.html" . }}
{{ end }}
</div>
{{ template "_internal/pagination.html" . }}
{{ end }}
""",
    "layouts/404.html": """\
{{ define "title" }}Page not found · {{ site.Title }}{{ end }}
{{ define "main" }}
<h1 class="page-title">Page not found</h1>
<p>The page you asked for is not in this archive.
<a href="{{ "/" | relURL }}">Latest articles</a>.</p>
{{ end }}
""",
    "static/assets/site.css": """\
body { font-family: Georgia, serif; max-width: 46rem; margin: 0 auto; padding: 1rem; }
.site-nav ul { display: flex; gap: 1rem; list-style: none; padding: 0; }
.attribution { border: 1px solid #ccc; padding: .5rem 1rem; background: #f7f7f7; }
.pagination { display: flex; gap: .5rem; list-style: none; padding: 0; }
""",
}


def write_hugo_skeleton(root: Path) -> None:
    """config.toml, layouts and the section file of the Hugo site in `root`."""
    files = {"config.toml": HUGO_CONFIG, "content/articles/_index.md": HUGO_SECTION}
    files.update(HUGO_FILES)
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")


FORMATS = ("folio", "hugo")


def generate(
    n: int, seed: int, out: Path, *, force: bool = False, formats: Sequence[str] = ("folio",)
) -> None:
    """Write a synthetic site of `n` articles into `out` (deterministic for `n` and `seed`).

    `formats`: "folio" writes the Folio site into `out`, "hugo" the same articles as a Hugo
    site into `out/hugo`. Refuses to write over existing articles unless `force` (then they
    are removed first).
    """
    out = Path(out)
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown or not formats:
        raise ValueError(f"unknown format(s): {', '.join(unknown) or 'none given'}")
    roots = {fmt: out if fmt == "folio" else out / fmt for fmt in FORMATS if fmt in formats}
    for root in roots.values():
        articles = root / "content" / "articles"
        if articles.exists() and any(p.name != "_index.md" for p in articles.iterdir()):
            if not force:
                raise FileExistsError(f"{articles} is not empty")
            shutil.rmtree(articles)
    out.mkdir(parents=True, exist_ok=True)
    if "folio" in roots:
        (out / "folio.toml").write_text(CONFIG_TEXT, encoding="utf-8", newline="\n")
    if "hugo" in roots:
        write_hugo_skeleton(roots["hugo"])
    writers = [(root, folio_text if fmt == "folio" else hugo_text) for fmt, root in roots.items()]
    corpus = Corpus(n, seed)
    made: set[Path] = set()
    for i in range(n):
        entry = corpus.entry(i)
        rel = f"{entry.folder}/{entry.slug}.md"
        for root, text in writers:
            folder = root / entry.folder
            if folder not in made:
                folder.mkdir(parents=True, exist_ok=True)
                made.add(folder)
            with open(root / rel, "w", encoding="utf-8", newline="\n") as f:
                f.write(text(entry))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="number of articles (default 1000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--out", type=Path, required=True, help="site folder to write")
    parser.add_argument(
        "--format",
        default="folio",
        help="folio (into OUT), hugo (into OUT/hugo) or folio,hugo (default folio)",
    )
    parser.add_argument("--force", action="store_true", help="replace existing articles")
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("--n must be at least 1")
    formats = [f.strip() for f in args.format.split(",") if f.strip()]
    if not formats or not set(formats) <= set(FORMATS):
        parser.error(f"--format: choose from {', '.join(FORMATS)} (comma-separated)")
    try:
        generate(args.n, args.seed, args.out, force=args.force, formats=formats)
    except FileExistsError as exc:
        parser.error(f"{exc} (use --force to replace)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
