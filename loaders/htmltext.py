"""The main text of an HTML page as paragraphs, with its title and date; menus, headers, footers,
sidebars, forms and scripts are dropped. Rules (tags, class words, selectors) come from the
`html` section of `loaders/gazetteer/boilerplate.yaml`.

>>> page = HtmlPage.parse("<html><title>T | Site</title><nav>Home</nav><article><h1>Big news</h1>"
...                       "<p>The cluster grew.</p></article><footer>(c) Site</footer></html>")
>>> page.title, page.paragraphs
('Big news', ['Big news', 'The cluster grew.'])
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from loaders.dates import parse_date

RULES_FILE = Path(__file__).parent / "gazetteer" / "boilerplate.yaml"
BLOCK_TAGS = frozenset((
    "p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl",
    "dt", "dd", "blockquote", "pre", "table", "tbody", "thead", "tfoot", "tr", "figcaption", "figure",
    "address", "center", "summary", "details", "hr", "caption", "body", "html",
))
DATE_META = ("article:published_time", "og:published_time", "datepublished", "date", "pubdate",
             "publishdate", "dc.date", "dc.date.issued", "dcterms.created", "sailthru.date")
# An <article> with less text than this is a teaser card, not the page's article.
MIN_ARTICLE_CHARS = 80
_SPACE = re.compile(r"\s+")
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)""", re.IGNORECASE)


@dataclass(frozen=True)
class _HtmlRules:
    drop_tags: tuple[str, ...]
    noise_attr: re.Pattern[str]
    main_selectors: tuple[str, ...]
    max_link_density: float
    min_links_for_menu: int


@lru_cache(maxsize=1)
def _rules() -> _HtmlRules:
    data = yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))["html"]
    return _HtmlRules(tuple(data["drop_tags"]), re.compile(data["noise_attr"], re.IGNORECASE),
                      tuple(data["main_selectors"]), float(data["max_link_density"]),
                      int(data["min_links_for_menu"]))


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in a <meta> tag within its first 4 KB."""
    m = _CHARSET.search(data[:4096])
    return m.group(1).decode("ascii", "replace") if m else None


def looks_like_html(text: str) -> bool:
    head = text[:2000].lower()
    return head.lstrip().startswith(("<!doctype html", "<html")) or any(
        tag in head for tag in ("<body", "<p>", "<p ", "<div", "<article", "<br"))


def _clean(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


@dataclass(frozen=True)
class HtmlPage:
    title: str | None
    date: str | None
    paragraphs: list[str]

    @classmethod
    def parse(cls, html: str) -> HtmlPage:
        from selectolax.lexbor import LexborHTMLParser

        tree = LexborHTMLParser(html)
        title = _title(tree)
        date = _date(tree)
        rules = _rules()
        for tag in rules.drop_tags:
            for node in tree.css(tag):
                node.decompose()
        body = tree.body or tree.root
        if body is None:
            return cls(title, date, [])
        _drop_noise(body, rules)
        root, explicit = _main_node(body, rules)
        lines: list[str] = []
        current = [""]
        # Inside a marked-up article a list of links is content (members, documents); elsewhere a menu.
        _walk(root, lines, current, rules, drop_menus=not explicit)
        lines.append(current[0])
        paragraphs = [p for p in (_clean(x) for x in lines) if p]
        if title and (not paragraphs or _clean(title) not in paragraphs[:3]):
            paragraphs.insert(0, _clean(title))
        return cls(title, date, paragraphs)


def _title(tree: Any) -> str | None:
    """The headline: the article's <h1>, else og:title, else the page's first <h1>, else <title>
    without the site name (a site logo is often the page's first <h1>)."""
    for selector in ("article h1, main h1, [role=main] h1", 'meta[property="og:title"]', "h1"):
        node = tree.css_first(selector)
        text = _clean((node.attributes.get("content") or "") if node is not None and node.tag == "meta"
                      else node.text() if node is not None else "")
        if text:
            return text
    node = tree.css_first("title")
    if node is not None and _clean(node.text()):
        parts = re.split(r"\s+[|—–-]\s+", _clean(node.text()))
        return max(parts, key=len)  # the headline is the longest part; the site name is short
    return None


def _date(tree: Any) -> str | None:
    for node in tree.css("meta"):
        attrs = node.attributes
        key = (attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or "").lower()
        if key in DATE_META and (date := parse_date(attrs.get("content") or "")):
            return date
    for node in tree.css("time, [itemprop=datePublished]"):
        value = node.attributes.get("datetime") or node.attributes.get("content") or node.text()
        if date := parse_date(value or ""):
            return date
    return None


def _drop_noise(body: Any, rules: _HtmlRules) -> None:
    total = len(body.text()) or 1
    doomed: list[Any] = []
    doomed_ids: set[int] = set()
    for node in body.css("[class], [id]"):  # document order: ancestors come before descendants
        attrs = node.attributes
        words = f"{attrs.get('class') or ''} {attrs.get('id') or ''}"
        if not rules.noise_attr.search(words) or _has_ancestor_in(node, doomed_ids):
            continue
        if len(node.text()) < 0.5 * total:  # a wrapper holding most of the page is layout, not furniture
            doomed.append(node)
            doomed_ids.add(node.mem_id)
    for node in doomed:
        node.decompose()


def _has_ancestor_in(node: Any, ids: set[int]) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.mem_id in ids:
            return True
        parent = parent.parent
    return False


def _main_node(body: Any, rules: _HtmlRules) -> tuple[Any, bool]:
    """The element holding the article, and whether the page marked it up as such."""
    for selector in rules.main_selectors:
        found = body.css(selector)
        if found:
            best = max(found, key=lambda n: len(n.text()))
            if len(_clean(best.text())) >= MIN_ARTICLE_CHARS:
                return best, True
    # The densest block: the element whose own paragraphs and text lines hold the most text.
    scores: dict[int, tuple[int, Any]] = {}
    for node in body.css("p, br"):
        parent = node.parent
        if parent is None:
            continue
        weight = len(_clean(node.text())) if node.tag == "p" else len(_clean(parent.text(deep=False)))
        old = scores.get(parent.mem_id, (0, parent))
        scores[parent.mem_id] = (old[0] + weight, parent)
    if not scores:
        return body, False
    return max(scores.values(), key=lambda pair: pair[0])[1], False


def _is_menu(node: Any, rules: _HtmlRules) -> bool:
    links = node.css("a")
    if len(links) < rules.min_links_for_menu:
        return False
    text = len(_clean(node.text()))
    link_text = sum(len(_clean(a.text())) for a in links)
    return text == 0 or link_text / text >= rules.max_link_density


def _walk(node: Any, lines: list[str], current: list[str], rules: _HtmlRules, drop_menus: bool) -> None:
    """Appends the text under `node` to `lines`, one entry per block element."""
    for child in node.iter(include_text=True):
        tag = child.tag
        if tag == "-text":
            current[0] += child.text(deep=False) or ""
            continue
        if tag in ("-comment", "#comment") or not child.is_element_node:
            continue
        if tag == "br":
            lines.append(current[0])
            current[0] = ""
            continue
        block = tag in BLOCK_TAGS
        if (drop_menus and block and tag in ("ul", "ol", "div", "section", "table", "p", "dl")
                and _is_menu(child, rules)):
            continue
        if block:
            lines.append(current[0])
            current[0] = ""
        elif tag in ("td", "th"):
            current[0] += " "
        _walk(child, lines, current, rules, drop_menus)
        if block:
            lines.append(current[0])
            current[0] = ""
