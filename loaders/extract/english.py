"""English cluster news to entities and relations: rules, vocabularies and gazetteers, no statistical model.

Two passes over the sentences of a document:

1. mentions: regions (gazetteer resolver), organisations with a legal form, federal bodies
   (organisations gazetteer), institutions by head word, clusters (named, quoted, described),
   people (given name + surname), agreements and decrees; then every later occurrence of a name
   already seen (an acronym, a surname, a name without its legal form);
2. relations: sentence patterns from `loaders/patterns/en/relations.yaml` over those mentions, plus
   document context (references to "the cluster" resolve to the cluster the document is about; a
   cluster with no stated region takes the only region its sentence, paragraph or document names).

Vocabularies live in `loaders/patterns/en/*.yaml`; this module only runs them.
"""
from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from loaders.document import Paragraph
from loaders.exchange import Exchange
from loaders.extract.common import ClusterSalience, Mention, Registry, identity_key
from loaders.normalize import cyrillic_variants, split_legal_form
from loaders.regions import region

PATTERNS = Path(__file__).resolve().parent.parent / "patterns" / "en"
PARTY_LABELS = frozenset({"Region", "Enterprise", "Institution", "Cluster"})
ORG_LABELS = frozenset({"Enterprise", "Institution"})
_TOKEN_RE = re.compile(r"[^\W_]+(?:[-’'][^\W_]+)*-?")
_LEGAL_RE = re.compile(
    r"\b(?P<form>JSC|OJSC|PJSC|CJSC|OOO|LLC|ZAO|OAO|PAO|AO|NP|ANO|NPO|Ltd\.?|LTD)\s+"
    r"(?:(?P<q>[\"“«'])(?P<qname>[^\"”»']{2,80})[\"”»']|(?P<name>[A-Z0-9](?:[\w&\-’']|\.(?=\w))*(?:\s+(?:[A-Z0-9](?:[\w&\-’']|\.(?=\w))*|&))*))")
_LIST_GAP_RE = re.compile(r"^[\s,]*(?:(?:and|&|as\s+well\s+as|or)\s+)?(?:the\s+)?$", re.IGNORECASE)
_PUBLIC_KINDS = frozenset({"sez", "technopark", "fund", "association", "university", "college"})
_ENTERPRISE_KIND = "enterprise"  # heads such as Shipyard, Plant, Works name companies
_LEGAL_FORM_WORD = re.compile(r"JSC|OJSC|PJSC|CJSC|OOO|LLC|ZAO|OAO|PAO|AO|NP|ANO|NPO|Ltd|LTD")
_SPEECH_RE = re.compile(r"\b(?:said|says|noted|notes|added|adds|stressed|emphasized|emphasised|explained|commented|"
                        r"stated|told|according\s+to|summarized|summarised|announced)\s+"
                        r"(?P<g>[A-Z][a-z]+)\s+(?P<s>[A-Z][a-z]+(?:-[A-Z][a-z]+)?)\b(?!\s+[A-Z])")
_EXAMPLES_RE = re.compile(r"[^.;:]{0,60}?\b(?:among\s+them|among\s+which|including|such\s+as|in\s+particular|"
                          r"namely|for\s+example)\b[\s,:]*", re.IGNORECASE)
_STATE_CORP_RE = re.compile(r"\b(?:State|Federal|Development|for|of\s+the\s+Development)\b")
_GENERIC_TAIL_RE = re.compile(r"\s+(?:Corporation|Group|Company|Holding|Concern)$")
_HEAD_QUOTE_RE = re.compile(r"\b(?P<head>[A-Z][a-z]+|SEZ)\s+[\"“«](?P<name>[^\"”»]{2,80})[\"”»]")
_NEGATION_RE = re.compile(r"\b(?:not|n't|no\s+longer|never|neither|nor)\b[\w\s]{0,20}$", re.IGNORECASE)
_FILLER_RE = re.compile(r"\s*(?:,\s*)?(?:there\s+are\s+)?(?:the\s+)?(?:following\s+)?(?:companies|enterprises|"
                        r"organi[sz]ations|participants|members|firms|plants)?\s*:?\s*")
_DESCRIPTOR_RE = re.compile(r"\s*(?:the\s+)?(?:(?:[a-z][\w\-]*\s+){0,2}(?:producer|manufacturer|maker|company|plant|"
                            r"holding|developer|operator|supplier|shipyard)\s+)?")
_UNKNOWN_NAME_RE = re.compile(r"([A-Z][\w\-&]*(?:\s+(?:[A-Z0-9][\w\-&]*|of|and|for)){0,5}?)(?=\s*(?:,|\.|;|\)|$|"
                              r"\s+(?:and|as\s+well\s+as|along\s+with|which|who|that|are|is|have|has|will|were|"
                              r"from|in|located|based)\b))")
_ITEM_GAP_RE = re.compile(r"(?:\s+(?:from|in|based\s+in|located\s+in)\s+[^,;.]{1,60}?(?=,|\s+and\s))?\s*(?:,\s*(?:and\s+|as\s+well\s+as\s+|along\s+with\s+)?|\s+and\s+|\s+as\s+well\s+as\s+|"
                          r"\s+along\s+with\s+)(?:also\s+)?(?:the\s+)?")
_ITS_TITLE_RE = re.compile(r"\b(?:its|their)\s+(?P<t>(?:general\s+|executive\s+|managing\s+|deputy\s+)?(?:director|"
                           r"head|chairman|president|ceo|rector|director\s+general|manager))\b", re.IGNORECASE)
_ANCHOR_WORDS = ("anchor", "core", "backbone", "flagship", "key ", "base ", "basic ")
_MEMBER_WORDS = ("member", "join", "particip", "part ", "resident", "includ", "unite", "compris", "consist", "together",
                 "among", "enter")
_COORDINATE_WORDS = ("speciali", "organi", "manag", "coordinat", "operat", "run by", "administered")
_REGION_TITLES = frozenset({"Governor", "Deputy Governor", "First Deputy Governor", "Acting Governor"})
_QUOTED_RE = re.compile(r"[\"“«]([^\"”»]{2,80})[\"”»]")


# ---- vocabularies -------------------------------------------------------------------------------

def _load(name: str) -> Any:
    return yaml.safe_load((PATTERNS / name).read_text(encoding="utf-8"))


def _alternation(phrases: Iterable[str]) -> str:
    items = sorted({p.strip() for p in phrases if p.strip()}, key=len, reverse=True)
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in items)


@dataclass
class _Rules:
    titles: dict[str, str]
    title_re: re.Pattern[str]
    post_of_re: re.Pattern[str]  # "governor of (the) " right before a mention
    possessive_title_re: re.Pattern[str]  # ", the fund's director"
    plural_titles: dict[str, str]
    plural_title_re: re.Pattern[str]
    given: frozenset[str]
    not_surnames: frozenset[str]
    function_caps: frozenset[str]
    heads: dict[str, str]  # "University" -> "university"
    head_max: int
    head_first: frozenset[str]  # first words of the heads, a cheap pre-check per token
    appositive_re: re.Pattern[str]
    appositive_kinds: dict[str, str]
    acronym_univ: re.Pattern[str]
    generic: frozenset[str]
    cl_stop: frozenset[str]
    headline_verbs: frozenset[str]
    determiners: frozenset[str]
    ordinals: frozenset[str]
    postmod_preps: frozenset[str]
    planned_re: re.Pattern[str]
    active_re: re.Pattern[str]
    founded_re: re.Pattern[str]
    rel: dict[str, list[re.Pattern[str]]] = field(default_factory=dict)
    region_words: frozenset[str] = frozenset()  # first words of region names: "Altai", "Tula"


@lru_cache(maxsize=1)
def rules() -> _Rules:
    """Compile the English vocabularies once per process."""
    posts, names, inst, cl, rel, words = (_load(f) for f in ("posts.yaml", "names.yaml", "institutions.yaml",
                                                             "clusters.yaml", "relations.yaml", "words.yaml"))
    titles = {k.lower(): v for k, v in posts["titles"].items()}
    plurals = {k.lower(): v for k, v in posts["plurals"].items()}
    heads = dict(inst["heads"])
    app = {k.lower(): v for k, v in inst["named_by_apposition"].items()}
    return _Rules(
        titles=titles,
        title_re=re.compile(rf"\b(?:{_alternation(titles)})\b", re.IGNORECASE),
        possessive_title_re=re.compile(rf"\s*,\s+(?:the\s+)?(\w+)['’]s\s+({_alternation(titles)})\b", re.IGNORECASE),
        post_of_re=re.compile(rf"\b(?:{_alternation(titles)})\s+(?:of|at)\s+(?:the\s+)?$", re.IGNORECASE),
        plural_titles=plurals,
        plural_title_re=re.compile(rf"\b(?:{_alternation(plurals)})\b", re.IGNORECASE),
        given=frozenset(names["given_names"]),
        not_surnames=frozenset(names["not_surnames"]) | frozenset(heads),
        function_caps=frozenset(words["capitalised_function_words"]),
        heads=heads,
        head_max=max(len(h.split()) for h in heads),
        head_first=frozenset(h.split()[0] for h in heads),
        appositive_re=re.compile(
            rf"\b(?P<head>(?i:{_alternation(app)}))\b(?P<mid>\s+[a-z][a-z\s]{{0,30}}?)?(?:\s*,\s*|\s+)"
            r"(?P<q>[\"“«])?(?P<name>[A-Z][\w\-]+(?:\s+[A-Z][\w\-]+){0,2})[\"”»]?"),
        appositive_kinds=app,
        acronym_univ=re.compile(inst["acronym_university"]),
        generic=frozenset(w.lower() for w in cl["generic_modifiers"]),
        cl_stop=frozenset(w.lower() for w in [*cl["stop_words"], *words["headline_verbs"]]),
        headline_verbs=frozenset(w.lower() for w in words["headline_verbs"]),
        determiners=frozenset(cl["determiners"]),
        ordinals=frozenset(cl["ordinals"]) | frozenset(cl.get("name_strip_leading", ())),
        postmod_preps=frozenset(cl["postmod_preps"]),
        planned_re=re.compile(rf"\b(?:{_alternation(cl['planned_markers'])})\b", re.IGNORECASE),
        active_re=re.compile(rf"\b(?:{_alternation(cl['active_markers'])})\b", re.IGNORECASE),
        founded_re=re.compile(cl["founded"], re.IGNORECASE),
        rel={k: [re.compile(p, re.IGNORECASE if k != "decrees" else 0) for p in v] for k, v in rel.items()},
        region_words=_region_words(),
    )


def _region_words() -> frozenset[str]:
    from loaders.regions import all_regions

    return frozenset(v.split()[0].casefold() for r in all_regions() for v in r.variants_en if v.split())


# ---- per-document state -----------------------------------------------------------------------

@dataclass
class _Tok:
    text: str
    start: int
    end: int

    @property
    def cap(self) -> bool:
        return self.text[:1].isupper()


@dataclass
class _Sent:
    text: str
    para: int
    index: int
    toks: list[_Tok] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    nested_regions: list[Mention] = field(default_factory=list)  # regions inside an organisation's name
    chains: list[list[Mention]] = field(default_factory=list)  # cluster mentions coordinated together
    cluster_info: dict[int, dict[str, Any]] = field(default_factory=dict)  # mention start -> cluster facts

    def free(self, a: int, b: int, regions_inside: bool = False) -> bool:
        """No mention overlaps [a, b); with `regions_inside`, regions wholly inside it are allowed."""
        return all(m.end <= a or m.start >= b or regions_inside and m.label == "Region" and a <= m.start
                   and m.end <= b for m in self.mentions)

    def add(self, m: Mention) -> None:
        self.mentions.append(m)


def _tokens(text: str) -> list[_Tok]:
    return [_Tok(m.group(), m.start(), m.end()) for m in _TOKEN_RE.finditer(text)]


def _split(paragraphs: list[Paragraph]) -> list[_Sent]:
    try:
        from loaders.sentences import split_sentences
    except ImportError:  # the readers' splitter is the norm; a plain fallback keeps extraction usable
        split_sentences = None
    out: list[_Sent] = []
    for pi, p in enumerate(paragraphs):
        if split_sentences is not None:
            texts = [s.text for s in split_sentences(p.text, "en")]
        else:
            texts = [t for t in re.split(r"(?<=[.!?])\s+(?=[\"“A-Z])", p.text) if t.strip()]
        for t in texts:
            out.append(_Sent(text=t, para=pi, index=len(out), toks=_tokens(t)))
    return out


# ---- pass 1: mentions ---------------------------------------------------------------------------

class _Doc:
    def __init__(self, doc_id: str, paragraphs: list[Paragraph]) -> None:
        self.r = rules()
        self.reg = Registry(doc_id)
        self.sents = _split(paragraphs)
        self.salience = ClusterSalience()
        self.cluster_core: dict[str, tuple[str, ...]] = {}
        self.first_sentence: dict[str, int] = {}
        self.last_agreement: str | None = None
        self.by_head: dict[str, list[str]] = {}  # head word -> institutions named with it

    # -- helpers --
    def _note(self, key: str, s: _Sent) -> None:
        self.first_sentence.setdefault(key, s.index)

    def _cap_word(self, t: _Tok) -> bool:
        return t.cap and t.text not in self.r.function_caps

    def regions(self, s: _Sent) -> None:
        from loaders.regions import get_resolver, region

        for m in get_resolver().find(s.text, "en"):
            if _inside_word(s.text, m.start, m.end):
                continue  # "SUEK-Kuzbass" is a company, not the region
            rec = region(m.iso) if m.iso.startswith("RU-") or True else None
            key = self.reg.add_region(m.iso, rec.name, name_ru=rec.name_ru, surface=m.surface,
                                      props={"federalDistrict": rec.federal_district})
            self._note(key, s)
            s.add(Mention(key, "Region", m.start, m.end, m.surface))

    def legal_forms(self, s: _Sent) -> None:
        for m in _LEGAL_RE.finditer(s.text):
            if m.group("qname"):
                name, end = m.group("qname").strip(), m.end()
            else:
                toks = _tokens(m.group("name"))
                keep: list[_Tok] = []
                for i, t in enumerate(toks):
                    # "JSC Arnest Vladimir Guryanov": a given name followed by a capitalised word is a person
                    if keep and t.text in self.r.given and i + 1 < len(toks) and toks[i + 1].cap:
                        break
                    keep.append(t)
                if not keep:
                    continue
                base = m.start("name")
                name, end = m.group("name")[:keep[-1].end], base + keep[-1].end
            if not s.free(m.start(), end, regions_inside=True):
                continue
            surface = s.text[m.start():end]
            bare, form = split_legal_form(surface)
            bare = bare or name
            label, props = "Enterprise", {"legalForm": form or m.group("form").rstrip(".").upper()}
            last = bare.split()[-1].lower() if bare.split() else ""
            if last == "cluster":
                label, props = "Cluster", {}
            elif self._head_kind(bare) and (props["legalForm"] in ("NP", "ANO")
                                            or self._head_kind(bare) in _PUBLIC_KINDS):
                # non-profit forms carry associations, funds and institutes; a JSC "SEZ …" or "Technopark …"
                # is still the zone or park; a JSC "… Center" is a company
                label, props = "Institution", {"kind": self._head_kind(bare)}
            key = self.reg.add(label, bare, surface=surface, props=props)
            if label == "Cluster":
                self._cluster_meta(key, bare, s, m.start(), end, " ".join(bare.split()[:-1]))
            self._note(key, s)
            s.add(Mention(key, label, m.start(), end, surface))

    def _head_kind(self, name: str) -> str | None:
        words = name.split()
        for n in range(min(self.r.head_max, len(words)), 0, -1):
            for i in range(len(words) - n + 1):
                kind = self.r.heads.get(" ".join(words[i:i + n]))
                if kind:
                    return kind
        return None

    def known_orgs(self, s: _Sent) -> None:
        try:
            from loaders import organizations
        except ImportError:
            return
        for m in organizations.find(s.text, "en"):
            if _inside_word(s.text, m.start, m.end) or not s.free(m.start, m.end, regions_inside=True):
                continue
            rec = m.record
            surface = s.text[m.start:m.end]
            # the record's short forms (acronyms, "Minpromtorg") help later mentions; its long generated
            # variants do not, so only one- and two-word ones are kept
            short = [v for v in rec.variants if len(v.split()) <= 2 and not v.lower().startswith(("the ", "russia"))]
            label = rec.label if rec.label in ("Institution", "Enterprise") else "Institution"
            props = {"kind": rec.kind} if label == "Institution" else {}
            key = self.reg.add(label, rec.name, surface=surface, aliases=[rec.name_ru, *short][:8], props=props)
            self._note(key, s)
            s.add(Mention(key, label, m.start, m.end, surface))

    def institutions(self, s: _Sent) -> None:
        toks, r = s.toks, self.r
        i = 0
        while i < len(toks):
            head_n, kind = 0, None
            if toks[i].text not in r.head_first:
                i += 1
                continue
            for n in range(min(r.head_max, len(toks) - i), 0, -1):
                if not self._adjacent(s, toks, i, i + n - 1):
                    continue
                k = r.heads.get(" ".join(t.text for t in toks[i:i + n]))
                if k:
                    head_n, kind = n, k
                    break
            if not kind:
                i += 1
                continue
            j = self._prefix(s, toks, i)
            end_i = self._tail(s, toks, i + head_n)
            a, b = toks[j].start, toks[end_i - 1].end
            if j == i and end_i == i + head_n:
                i += head_n
                continue  # a bare head ("the Association") is a reference, resolved by the known-name pass
            if not s.free(a, b, regions_inside=True):
                i += head_n
                continue
            surface = s.text[a:b]
            label = "Institution"
            if re.match(r"\s*\(\s*(?:JSC|PJSC|OJSC|CJSC|LLC|OOO|AO|PAO|ZAO)\b", s.text[b:]):
                kind = _ENTERPRISE_KIND  # "Progress Rocket and Space Centre (JSC RSC Progress)" is a company
            if kind == _ENTERPRISE_KIND and all(t.text.lower() in r.generic for t in toks[j:i]) and end_i == i + head_n:
                i = end_i
                continue  # "New Plant", "Our Company": no name
            if kind == _ENTERPRISE_KIND or kind == "corporation" and not _STATE_CORP_RE.search(surface):
                label = "Enterprise"  # "VSMPO-AVISMA Corporation", "Baltic Shipyard"; not "Federal Corporation …"
            key = self._add_org(label, surface, kind)
            self._note(key, s)
            s.add(Mention(key, label, a, b, surface))
            i = end_i
        # lower-case regional bodies: "the government of Krasnoyarsk Krai", "Tomsk region administration"
        for rg in [m for m in s.mentions if m.label == "Region"]:
            bm = re.search(r"\b(government|administration)\s+of\s+(?:the\s+)?$", s.text[:rg.start])
            am = re.match(r"\s+(government|administration)\b(?!s)", s.text[rg.end:])
            if bm and s.free(bm.start(), rg.end, regions_inside=True):
                a, b, name = bm.start(), rg.end, f"{bm.group(1).capitalize()} of {rg.surface}"
            elif am and s.free(rg.start, rg.end + am.end(), regions_inside=True):
                a, b, name = rg.start, rg.end + am.end(), s.text[rg.start:rg.end + am.end()]
            else:
                continue
            key = self.reg.add("Institution", name, surface=s.text[a:b], props={"kind": "government"})
            self._note(key, s)
            s.add(Mention(key, "Institution", a, b, s.text[a:b]))
        # 'Association "Machine-Tool Builders of Prikamye"', 'SEZ "Tomsk"': a head word and a quoted name
        for m in _HEAD_QUOTE_RE.finditer(s.text):
            kind = r.heads.get(m.group("head")) or r.appositive_kinds.get(m.group("head").lower())
            if not kind or not s.free(m.start(), m.end(), regions_inside=True):
                continue
            label = "Enterprise" if kind == _ENTERPRISE_KIND else "Institution"
            name = m.group("name").strip()
            key = self.reg.add(label, name, surface=m.group(), props={"kind": kind} if label == "Institution" else None)
            self._note(key, s)
            s.add(Mention(key, label, m.start(), m.end(), m.group()))
        # "industrial technopark Azarovsky", "The second industrial technopark being created, Azarovsky,"
        for m in r.appositive_re.finditer(s.text):
            name = m.group("name")
            first = name.split()[0]
            if not all(w[:1].isupper() for w in name.split()) or not s.free(m.start("head"), m.end("head")):
                continue
            if first in r.function_caps or first in r.given or not s.free(m.start("name"), m.end("name")):
                continue
            if m.group("mid") and ("," not in s.text[m.end("mid"):m.start("name")] and not m.group("q")):
                continue  # "technopark being created Azarovsky" without a comma is not an apposition
            kind = r.appositive_kinds[m.group("head").lower()]
            key = self.reg.add("Institution", name, aliases=[f"{name} {m.group('head').lower()}"],
                               props={"kind": kind})
            self._note(key, s)
            s.add(Mention(key, "Institution", m.start("name"), m.end("name"), name))
        # acronyms shaped like university abbreviations ("VlSU", "NCFU")
        for t in toks:
            if r.acronym_univ.match(t.text) and sum(c.isupper() for c in t.text) >= 2 and s.free(t.start, t.end):
                key = self.reg.add("Institution", t.text, props={"kind": "university"})
                self._note(key, s)
                s.add(Mention(key, "Institution", t.start, t.end, t.text))

    def _add_org(self, label: str, surface: str, kind: str) -> str:
        """Register an organisation; 'X Corporation' / 'X Group' also answers to plain 'X'."""
        short = _GENERIC_TAIL_RE.sub("", surface)
        aliases = [short] if label == "Enterprise" and short != surface and len(short) >= 3 else []
        props = {"kind": kind} if label == "Institution" else None
        return self.reg.add(label, surface, aliases=aliases, props=props)

    def _adjacent(self, s: _Sent, toks: list[_Tok], a: int, b: int) -> bool:
        """Tokens a..b are separated by single spaces only."""
        return all(s.text[toks[k].end:toks[k + 1].start].strip() == "" for k in range(a, b))

    def _prefix(self, s: _Sent, toks: list[_Tok], i: int) -> int:
        j = i
        while j > 0:
            prev = toks[j - 1]
            gap = s.text[prev.end:toks[j].start]
            if gap.strip():
                break
            if self._in_person_or_org(s, prev):
                break
            pl = prev.text.lower()
            if pl in self.r.headline_verbs or pl in self.r.titles or (
                    prev.text in self.r.given and toks[j].text not in self.r.not_surnames) or (
                    j >= 2 and toks[j - 2].text in self.r.given and prev.text not in self.r.not_surnames):
                break  # a headline verb, a post or a person ends the name ("Governor Dmitry Milyaev Opens New Plant")
            if self._cap_word(prev):
                j -= 1
                continue
            # "Energy and Mechanical College": 'and' between two capitalised modifiers, not after a name
            if prev.text == "and" and j < i and j >= 2 and self._cap_word(toks[j - 2]) \
                    and not s.text[toks[j - 2].end:prev.start].strip() \
                    and (j < 3 or toks[j - 3].text not in self.r.given) \
                    and toks[j - 2].text not in self.r.given and not self._in_person_or_org(s, toks[j - 2]):
                j -= 2
                continue
            break
        return j

    def _in_person_or_org(self, s: _Sent, t: _Tok) -> bool:
        return any(m.start <= t.start < m.end and m.label != "Region" for m in s.mentions)

    def _tail(self, s: _Sent, toks: list[_Tok], k: int) -> int:
        """End token index of an of/for-complement ("of Industry and Trade of Russia"), trimmed to a capital."""
        r = self.r
        if k >= len(toks) or toks[k].text not in ("of", "for", "on") or s.text[toks[k - 1].end:toks[k].start].strip():
            return k
        last_cap = None
        n = k
        steps = 0
        while n < len(toks) and steps < 14:
            t = toks[n]
            gap = s.text[toks[n - 1].end:t.start]
            if gap.strip() and gap.strip() != ",":
                break
            if gap.strip() == "," and not (t.cap and t.text not in r.function_caps):
                break
            low = t.text.lower()
            if t.text in r.given and n + 1 < len(toks) and toks[n + 1].cap:
                break  # "Government of the Kaluga Region Vladimir Popov": a person follows the name
            if t.text == "No" or (t.cap and t.text in r.function_caps and t.text not in ("The",)) \
                    or self._in_person_or_org(s, t) or _LEGAL_FORM_WORD.fullmatch(t.text):
                break
            if low in ("and", ",") or gap.strip() == ",":
                # stop before a second coordinated name ("… of Nevinnomyssk and North-Caucasus Federal University")
                nxt = n + 1 if low == "and" else n
                nxt = nxt + 1 if nxt < len(toks) and toks[nxt].text == "the" else nxt
                run = nxt
                while run < len(toks) and toks[run].cap and run - nxt < 6:
                    run += 1
                if run - nxt >= 2 and r.heads.get(toks[run - 1].text):
                    break
                # "… and the Association of …": an article before a head word starts the next name
                if nxt > n and toks[nxt - 1].text == "the" and nxt < len(toks) and toks[nxt].text in r.heads:
                    break
                if nxt < len(toks) and toks[nxt].text in r.given:
                    break
            rg = next((m for m in s.mentions if m.label == "Region" and m.start <= t.start < m.end), None)
            if rg is not None:  # "of Rostov region": the whole region name belongs to the tail
                while n + 1 < len(toks) and toks[n + 1].end <= rg.end:
                    n += 1
                last_cap = n
            elif t.cap:
                last_cap = n
            elif low not in ("of", "for", "the", "and", "on", "&") and (low in r.cl_stop or last_cap is not None):
                break  # lower-case words belong to a name only before its proper part ("College of chemistry …")
            n += 1
            steps += 1
        return last_cap + 1 if last_cap is not None else k

    def persons(self, s: _Sent) -> None:
        toks, r = s.toks, self.r
        for m in _SPEECH_RE.finditer(s.text):
            g, sur = m.group("g"), m.group("s")
            if g in r.function_caps or g in r.not_surnames or sur in r.not_surnames or not s.free(m.start("g"), m.end("s")):
                continue
            key = self.reg.add("Official", f"{g} {sur}")
            self._note(key, s)
            s.add(Mention(key, "Official", m.start("g"), m.end("s"), f"{g} {sur}"))
        i = 0
        while i < len(toks) - 1:
            t = toks[i]
            if t.text not in r.given or not s.free(t.start, t.end):
                i += 1
                continue
            j = i + 1
            # optional patronymic
            if j + 1 < len(toks) and re.search(r"(?:ovich|evich|ich|ovna|evna|ichna)$", toks[j].text) \
                    and toks[j + 1].cap:
                j += 1
            sur = toks[j]
            if not (sur.cap and sur.text not in r.not_surnames and sur.text not in r.function_caps
                    and s.text[toks[j - 1].end:sur.start] == " " and s.free(sur.start, sur.end)
                    and not sur.text.isupper()):
                i += 1
                continue
            if j + 1 < len(toks) and toks[j + 1].text in r.heads and s.text[sur.end:toks[j + 1].start] == " ":
                i += 1  # "Vladimir State University"
                continue
            name = s.text[t.start:sur.end]
            key = self.reg.add("Official", f"{t.text} {sur.text}", surface=name)
            self._note(key, s)
            s.add(Mention(key, "Official", t.start, sur.end, name))
            i = j + 1

    # -- clusters --
    def clusters(self, s: _Sent) -> None:
        toks, r = s.toks, self.r
        for i, t in enumerate(toks):
            low = t.text.lower()
            if low == "association" and not t.cap or low == "partnership" and not t.cap:
                # "members of this association" in a cluster article: a reference to the cluster
                if i > 0 and toks[i - 1].text.lower() in ("this", "the", "our") and s.free(t.start, t.end):
                    s.add(Mention("", "Cluster", toks[i - 1].start, t.end, s.text[toks[i - 1].start:t.end], ref=True))
                continue
            if low not in ("cluster", "cluster's", "cluster’s") or not s.free(t.start, t.end):
                continue
            # premodifiers
            j = i
            while j > 0:
                prev = toks[j - 1]
                gap = s.text[prev.end:toks[j].start]
                if gap.strip() not in ("",) and not (gap.strip() in ("-",) and prev.text.endswith("-")):
                    break
                pl = prev.text.lower().rstrip("-")
                if not s.free(prev.start, prev.end):
                    # "the Chuvash electrical cluster": a region right before is part of the cluster's name
                    rg = next((m for m in s.mentions if m.label == "Region" and m.start <= prev.start < m.end
                               and m.end == prev.end), None)
                    if rg is not None:
                        while j > 0 and toks[j - 1].start >= rg.start:
                            j -= 1
                        if j > 0 and toks[j - 1].text.lower() in r.determiners:
                            j -= 1
                    break
                if pl == "and" and j < i and j >= 2 and toks[j - 2].text.lower() not in r.cl_stop \
                        and not toks[j - 2].text[:1].isdigit() and not s.text[toks[j - 2].end:prev.start].strip() \
                        and s.free(toks[j - 2].start, toks[j - 2].end):
                    j -= 2
                    continue
                if pl in r.cl_stop or prev.text[:1].isdigit() or (prev.cap and prev.text in r.function_caps
                                                                    and pl not in r.determiners):
                    break
                if pl in r.determiners:
                    j -= 1
                    break
                j -= 1
            # post-modifier: "cluster of food products", "cluster on the glass industry"
            k = i + 1
            post_end = i + 1
            titled = t.text == "Cluster"
            if k < len(toks) and toks[k].text.lower() in r.postmod_preps and not s.text[t.end:toks[k].start].strip():
                n = k + 1
                if n < len(toks) and toks[n].text.lower() in ("the",):
                    n += 1
                cand = n
                while n < len(toks):
                    w = toks[n]
                    if s.text[toks[n - 1].end:w.start].strip():
                        break
                    wl = w.text.lower()
                    if titled:  # "Cluster of Aviation and Unmanned Aerial Systems"
                        if w.text[:1].isdigit() or not (w.cap and w.text not in r.function_caps
                                                        or wl in ("and", "of", "the", "&")):
                            break
                        n += 1
                        continue
                    if w.cap or w.text[:1].isdigit() or (wl in r.cl_stop and wl != "and"):
                        break
                    if wl == "and" and n + 1 < len(toks) and toks[n + 1].text.lower() in ("a", "an", "the"):
                        break
                    n += 1
                while n > cand and toks[n - 1].text.lower() in ("and", "of", "the"):
                    n -= 1
                if n > cand:
                    post_end = n
            a, b = toks[j].start, toks[post_end - 1].end
            b_core = b
            # "the pharmaceutical cluster of the Kaluga Region": the region completes the name
            rm = re.match(r"\s+of\s+(?:the\s+)?", s.text[b:])
            if rm:
                rg = next((x for x in s.mentions if x.label == "Region" and x.start == b + rm.end()), None)
                if rg is not None:
                    b = rg.end
            if not s.free(a, b, regions_inside=True):
                continue
            words = [w.text for w in toks[j:post_end]]
            content = [w for w in words if w.lower().rstrip("-") not in r.generic and w.lower() not in r.cl_stop
                       and w.lower() not in ("the", "of", "on", "for", "and", "st") and not w.lower().startswith("cluster")]
            quoted = _QUOTED_RE.match(s.text[t.end:].lstrip()) if post_end == i + 1 else None
            if quoted:
                qa = t.end + s.text[t.end:].index(quoted.group(0))
                b = qa + len(quoted.group(0))
                content = [quoted.group(1)]
                words = [*words, quoted.group(0)]
            if not content:
                s.add(Mention("", "Cluster", a, b, s.text[a:b], ref=True))
                continue
            surface = s.text[a:b]
            k0 = j
            while k0 < i and (toks[k0].text.lower() in r.determiners or toks[k0].text.lower() in r.ordinals):
                k0 += 1
            if quoted:
                name = quoted.group(1)
            else:
                name = " ".join(s.text[toks[k0].start:b].split())
            short = [" ".join(s.text[toks[k0].start:b_core].split())] if b_core != b else []
            key = self.reg.add("Cluster", name, surface=surface, aliases=short)
            self._cluster_meta(key, name, s, a, b, " ".join(content))
            self._note(key, s)
            s.add(Mention(key, "Cluster", a, b, surface))

    def _cluster_meta(self, key: str, name: str, s: _Sent, a: int, b: int, content: str) -> None:
        r = self.r
        core = tuple(w.lower().rstrip("-") for w in re.findall(r"[\w\-]+", name)
                     if w.lower().rstrip("-") not in r.generic and w.lower() not in r.cl_stop
                     and w.lower() not in ("cluster", "the", "of", "on", "for", "and", "np", "ooo", "llc"))
        self.cluster_core.setdefault(key, core)
        info = s.cluster_info.setdefault(a, {})
        info["key"] = key
        words = [w for w in re.findall(r"[\w\-]+", content) if w.lower() not in r.generic
                 and w.casefold() not in r.region_words]
        industry = " ".join(w for w in words if not w[:1].isupper()) or " ".join(w.lower() for w in words)
        if industry and not _QUOTED_RE.search(s.text[a:b]):  # a quoted name says nothing about the industry
            self.reg.add("Cluster", name, into=key, props={"industry": industry.strip("- ")})
        after = s.text[b:]
        clause_end = re.search(r"[.;]|,\s+(?:and|but)\s|\s+and\s+(?:a|an|the)\s", after)
        after_clause = after[:clause_end.start()] if clause_end else after
        before = s.text[max(0, a - 60):a]
        status = None
        if r.planned_re.search(after_clause):
            status = "planned"
        elif r.active_re.search(after_clause):
            status = "active"
        elif r.planned_re.search(before.split(".")[-1]):
            status = "planned"
        if status:
            info["status"] = status
        fm = r.founded_re.search(after_clause)
        if fm:
            self.reg.add("Cluster", name, into=key, props={"founded": fm.group(1)})

    def agreements(self, s: _Sent) -> None:
        r = self.r
        for pat in r.rel["decrees"]:
            for m in pat.finditer(s.text):
                title = m.group().strip()
                key = self.reg.add("Agreement", title, props={"title": title})
                self._note(key, s)
                s.add(Mention(key, "Agreement", m.start(), m.end(), title))
        has_verb = any(p.search(s.text) for p in r.rel["agreement_verbs"])
        for pat in r.rel["agreement_nouns"]:
            for m in pat.finditer(s.text):
                before = s.text[max(0, m.start() - 12):m.start()].lower()
                is_ref = bool(re.search(r"\b(?:the|this|that|these|such|its)\s+$", before))
                if is_ref and self.last_agreement is not None or not has_verb:
                    if self.last_agreement is not None:
                        s.add(Mention(self.last_agreement, "Agreement", m.start(), m.end(), m.group(), ref=True))
                    continue
                tail = s.text[m.end():]
                bm = re.match(r"\s+(?:\w+\s+){0,4}?between\s+", tail)
                if bm:
                    stop = re.search(r"\s+(?:is|was|are|were|has|have|will|aimed|to|in\s+order)\b|[.;:]", tail[bm.end():])
                    title = m.group() + " between " + (tail[bm.end():bm.end() + stop.start()] if stop else tail[bm.end():])
                else:
                    pm = re.match(r"\s+(?:on|for|about|regarding|in)\s+[^,.;:“\"]{1,80}", tail)
                    title = m.group() + (pm.group() if pm else "")
                    title = re.split(r"\s+(?:is|was|are|were|has|have|will|which|that)\s", title)[0]
                title = " ".join(title.split())
                key = self.reg.add("Agreement", title, props={"title": title})
                self.last_agreement = key
                self._note(key, s)
                s.add(Mention(key, "Agreement", m.start(), m.end(), m.group()))
        refs = re.finditer(r"\b(?:the|this|that)\s+document\b", s.text, re.IGNORECASE)
        for m in refs:
            if self.last_agreement is not None:
                s.add(Mention(self.last_agreement, "Agreement", m.start(), m.end(), m.group(), ref=True))

    def enterprises_by_context(self, s: _Sent) -> None:
        """Names that only the context marks as companies: 'HAYAT is an anchor resident', 'company Arnest'."""
        for pat in self.r.rel["anchors"]:
            for m in pat.finditer(s.text):
                before = s.text[:m.start()]
                nm = re.search(r"(?:^|[\s,(])((?:[A-Z][\w&\-]*\s+){0,3}[A-Z][\w&\-]*)\s*$", before)
                if not nm:
                    continue
                a = nm.start(1)
                name = nm.group(1)
                words = name.split()
                while words and words[0] in self.r.function_caps:
                    words.pop(0)
                if not words:
                    continue
                name = " ".join(words)
                a = before.rindex(name)
                if not s.free(a, a + len(name)):
                    continue
                key = self.reg.add("Enterprise", name)
                self._note(key, s)
                s.add(Mention(key, "Enterprise", a, a + len(name), name))
        for m in re.finditer(r"(?<![\w-])(?P<n>[A-Z][\w&\-]*(?:\s+[A-Z][\w&\-]*){0,2})\s+(?:company|shipyard|plant|"
                             r"factory|works|holding|group|concern)\b", s.text):
            name = m.group("n")
            a = m.start("n")
            if name.split()[0] in self.r.function_caps or not s.free(a, a + len(name)) \
                    or any(w in self.r.not_surnames for w in name.split()):
                continue
            key = self.reg.add("Enterprise", name, surface=m.group())
            self._note(key, s)
            s.add(Mention(key, "Enterprise", a, m.end(), m.group()))
        for m in re.finditer(r"\b(?:the\s+)?(?:company|companies|firm|manufacturer|producer|plant|holding)\s+"
                             r"(?:[\"“«](?P<q>[^\"”»]{2,60})[\"”»]|(?P<n>[A-Z][\w&\-]*(?:\s+[A-Z][\w&\-]*){0,2}))",
                             s.text):
            name = m.group("q") or m.group("n")
            a = m.start("q") if m.group("q") else m.start("n")
            if name.split()[0] in self.r.function_caps or not s.free(a, a + len(name)):
                continue
            key = self.reg.add("Enterprise", name)
            self._note(key, s)
            s.add(Mention(key, "Enterprise", a, a + len(name), name))

    def parentheticals(self, s: _Sent) -> None:
        """'The Federal Road Transport Agency (Rosavtodor)': the bracketed short name is an alias."""
        for m in s.mentions:
            if m.ref or m.label in ("Region", "Agreement"):
                continue
            pm = re.match(r"\s*\(([A-Z][\w\-]{1,30}(?:\s+[A-Z][\w\-]*)?)\)", s.text[m.end:])
            if pm and pm.group(1) not in ("Russia",):
                self.reg.add_alias(m.key, pm.group(1))

    # -- known names --
    def known_names(self) -> None:
        names: dict[str, tuple[str, str]] = {}
        for e in self.reg.entities():
            if e.label in ("Region", "Agreement"):
                continue
            cands = [e.name, *e.aliases]
            if e.label == "Official":
                cands = [e.name.split()[-1]]
            elif e.label == "Cluster":
                cands = [c for c in cands if c[:1].isupper()]
            for c in cands:
                c = c.strip()
                if len(c) >= 3 and c[:1].isupper() and c not in self.r.function_caps and c not in self.r.heads:
                    names.setdefault(c, (e.key, e.label))
        if not names:
            return
        pat = re.compile(rf"(?<![\w-])(?:{_alternation(names)})(?![\w-])")
        for s in self.sents:
            for m in pat.finditer(s.text):
                if s.free(m.start(), m.end()):
                    key, label = names[" ".join(m.group().split())] if " ".join(m.group().split()) in names \
                        else names.get(m.group(), (None, None))
                    if key:
                        s.add(Mention(key, label, m.start(), m.end(), m.group()))
        # bare "the Association", "the Ministry" -> the only institution with that head in the document
        by_head = self.by_head
        for e in [*self.reg.entities("Institution"), *self.reg.entities("Enterprise")]:
            for h in self.r.heads:
                if re.search(rf"\b{re.escape(h)}\b", e.name):
                    by_head.setdefault(h, []).append(e.key)
        for s in self.sents:
            for m in re.finditer(r"\bthe\s+(?P<h>[A-Za-z]\w+)\b", s.text):
                keys = by_head.get(m.group("h").capitalize(), [])
                if len(set(keys)) == 1 and s.free(m.start("h"), m.end("h")):
                    s.add(Mention(keys[0], "Institution", m.start(), m.end(), m.group(), ref=True))

    def merge_clusters(self) -> None:
        """'Altai composite cluster' and 'Altai polymer cluster' are 'Altai Polymer Composite Cluster';
        'glass cluster' is 'cluster on the glass industry': a core that is an in-order part of another
        core with the same first word names the same cluster (never two items of one list)."""
        same_list: set[frozenset[str]] = set()
        for s in self.sents:
            cl = [m for m in sorted(s.mentions, key=lambda m: m.start) if m.label == "Cluster" and not m.ref]
            for x, y in itertools.pairwise(cl):
                if _LIST_GAP_RE.match(s.text[x.end:y.start]) or re.match(r"^\s*,\s*(?:and\s+)?(?:an?|the)\s+$",
                                                                         s.text[x.end:y.start]):
                    same_list.add(frozenset((x.key, y.key)))
        keys = [k for k in self.cluster_core if k in {e.key for e in self.reg.entities("Cluster")}]
        remap: dict[str, str] = {}
        for k in sorted(keys, key=lambda k: len(self.cluster_core[k])):
            ck = self.cluster_core[k]
            if not ck:
                continue
            targets = [o for o in keys if o != k and o not in remap and len(self.cluster_core[o]) >= len(ck)
                       and frozenset((k, o)) not in same_list
                       and (self.cluster_core[o][0] == ck[0] or len(ck) == 1)
                       and _subsequence(ck, self.cluster_core[o])]
            # nested candidates ('composite' in 'Altai composite' in 'Altai polymer composite') are one chain
            biggest = max(targets, key=lambda o: len(self.cluster_core[o]), default=None)
            if biggest is not None and all(_subsequence(self.cluster_core[o], self.cluster_core[biggest])
                                           for o in targets):
                remap[k] = biggest
        for k, o in remap.items():
            while o in remap:
                o = remap[o]
            self.reg.merge(o, k)
            self.salience.forget(k)
            for s in self.sents:
                for m in s.mentions:
                    if m.key == k:
                        m.key = o
                for info in s.cluster_info.values():
                    if info.get("key") == k:
                        info["key"] = o
        # display name: a proper (title-case) name beats a description
        for e in self.reg.entities("Cluster"):
            proper = [n for n in [e.name, *e.aliases] if all(w[:1].isupper() for w in n.split() if len(w) > 3)
                      and not identity_key(n).startswith(("first ", "the ")) and split_legal_form(n)[1] is None]
            if proper:
                self.reg.rename(e.key, max(proper, key=len))

    def merge_fuzzy(self) -> None:
        """Two spellings of one organisation ('SEZ' / 'SEZS'): near-identical names of the same label."""
        from rapidfuzz import fuzz

        for label in ("Institution", "Enterprise", "Official"):
            ents = self.reg.entities(label)
            for i, a in enumerate(ents):
                for b in ents[i + 1:]:
                    if a.key == b.key or b.key not in {e.key for e in self.reg.entities(label)}:
                        continue
                    if fuzz.token_sort_ratio(identity_key(a.name), identity_key(b.name)) >= 95:
                        self.reg.merge(a.key, b.key)
                        for s in self.sents:
                            for m in s.mentions:
                                if m.key == b.key:
                                    m.key = a.key

    def mentions_pass(self) -> None:
        for s in self.sents:
            self.regions(s)
            self.legal_forms(s)
            self.known_orgs(s)
            self.institutions(s)
            self.persons(s)
            self.clusters(s)
            self.enterprises_by_context(s)
            self.agreements(s)
            self.parentheticals(s)
        # regions inside an organisation's name are part of that name, not separate mentions
        for s in self.sents:
            orgs = [m for m in s.mentions if m.label in ("Enterprise", "Institution", "Cluster") and not m.ref]
            keep = []
            for m in s.mentions:
                if m.label == "Region" and any(o.start <= m.start and m.end <= o.end for o in orgs):
                    s.nested_regions.append(m)
                else:
                    keep.append(m)
            s.mentions = keep
        self.merge_clusters()
        self.merge_fuzzy()
        self.known_names()
        for s in self.sents:
            s.mentions.sort(key=lambda m: m.start)
            for m in s.mentions:
                if m.label == "Cluster" and not m.ref:
                    self.salience.see(m.key, s.index)


@lru_cache(maxsize=1)
def _regions_by_first_word() -> dict[str, frozenset[str]]:
    """'kaluga' -> {'RU-KLU'}: the regions whose English name starts with a word (ambiguous words map to several)."""
    from loaders.regions import all_regions

    out: dict[str, set[str]] = {}
    for rec in all_regions():
        for v in rec.variants_en:
            first = v.split()[0].casefold() if v.split() else ""
            if first and first not in ("republic", "city", "the", "federal"):
                out.setdefault(first, set()).add(rec.iso)
    return {k: frozenset(v) for k, v in out.items()}


def _inside_word(text: str, a: int, b: int) -> bool:
    """A match that is only part of a hyphenated word ('UEC' in 'UEC-Kuznetsov')."""
    return (a > 1 and text[a - 1] == "-" and text[a - 2].isalnum()) or \
        (b + 1 < len(text) and text[b] == "-" and text[b + 1].isalnum())


def _negated(text: str, pos: int) -> bool:
    return bool(_NEGATION_RE.search(text[max(0, pos - 30):pos]))


def _subsequence(small: tuple[str, ...], big: tuple[str, ...]) -> bool:
    it = iter(big)
    return all(w in it for w in small)


# ---- pass 2: relations --------------------------------------------------------------------------

class _Relations:
    def __init__(self, d: _Doc) -> None:
        self.d, self.r, self.reg = d, d.r, d.reg
        self.para_named: dict[int, list[str]] = {}  # paragraph -> clusters named so far, in order
        self.doc_regions: dict[str, None] = {}
        self.para_regions: dict[int, dict[str, None]] = {}
        for s in d.sents:
            for m in [*s.mentions, *s.nested_regions]:
                if m.label == "Region":
                    self.doc_regions.setdefault(m.key)
                    self.para_regions.setdefault(s.para, {}).setdefault(m.key)

    # -- mention helpers --
    def resolve_refs(self, s: _Sent, prev: _Sent | None) -> None:
        """'the cluster', 'this association': the cluster named in this sentence, else the one named last
        before it (titles aside), else the one the document is about."""
        recent = [m.key for m in s.mentions if m.label == "Cluster" and not m.ref]
        if not recent:
            recent = self.last_named()
        target = self.d.salience.resolve(recent)
        for m in s.mentions:
            if m.label == "Cluster" and m.ref:
                m.key = target or ""
        s.mentions = [m for m in s.mentions if m.key]

    def chain_before(self, s: _Sent, pos: int, labels: Iterable[str], max_gap: int = 30,
                     allow_relative: bool = False) -> list[Mention]:
        labels = set(labels)
        cands = [m for m in s.mentions if m.end <= pos]
        if not cands:
            return []
        last = max(cands, key=lambda m: m.end)
        gap = s.text[last.end:pos]
        ok = len(gap) <= max_gap and not re.search(r"[.;:]", gap)
        if not ok and allow_relative:
            ok = bool(re.match(r"^\s*,?\s*(?:which|who|that)\b", gap)) and len(gap) <= 160
        if not ok or last.label not in labels:
            return []
        chain = [last]
        others = sorted((m for m in cands if m is not last), key=lambda m: m.end, reverse=True)
        for m in others:
            if m.end > chain[0].start:
                continue
            if m.label in labels and _LIST_GAP_RE.match(s.text[m.end:chain[0].start]):
                chain.insert(0, m)
            elif m.end <= chain[0].start:
                break
        return chain

    def chain_after(self, s: _Sent, pos: int, labels: Iterable[str], max_gap: int = 12) -> list[Mention]:
        labels = set(labels)
        cands = sorted((m for m in s.mentions if m.start >= pos), key=lambda m: m.start)
        if not cands or cands[0].label not in labels or len(s.text[pos:cands[0].start]) > max_gap:
            return []
        chain = [cands[0]]
        for m in cands[1:]:
            if m.start < chain[-1].end:
                continue
            if m.label in labels and _LIST_GAP_RE.match(s.text[chain[-1].end:m.start]):
                chain.append(m)
            else:
                break
        return chain

    def first_after(self, s: _Sent, pos: int, labels: Iterable[str], within: int = 80) -> Mention | None:
        labels = set(labels)
        seg = s.text[pos:pos + within]
        stop = re.search(r"[.;]", seg)
        limit = pos + (stop.start() if stop else within)
        for m in sorted(s.mentions, key=lambda m: m.start):
            if m.start >= pos and m.start <= limit and m.label in labels:
                return m
        return None

    # -- rules --
    def run(self) -> None:
        prev = None
        for s in self.d.sents:
            self.resolve_refs(s, prev)
            self.holds_post(s)
            self.holds_post_context(s, prev)
            low = s.text.lower()
            # cheap keyword checks first: most sentences state none of these relations
            if any(w in low for w in _ANCHOR_WORDS):
                self.anchors(s, prev)
            if any(w in low for w in _MEMBER_WORDS):
                self.member_of(s, prev)
            if any(w in low for w in _COORDINATE_WORDS):
                self.coordinates(s)
            self.agreements(s, prev)
            self.located_in(s)
            named = [m.key for m in s.mentions if m.label == "Cluster" and not m.ref]
            if named:
                self.para_named.setdefault(s.para, []).extend(named)
            prev = s
        self.agreement_inferences()
        self.located_defaults()
        self.cluster_status()

    def agreement_inferences(self) -> None:
        """What an agreement implies: a signatory's organisation or region is a party; a cluster the
        agreement is about lies in every region party to it."""
        rels = self.reg.relations()
        posts: dict[str, list[str]] = {}
        for r in rels:
            if r.type == "HOLDS_POST":
                posts.setdefault(r.src, []).append(r.dst)
        for r in rels:
            if r.type == "SIGNED":
                for org in posts.get(r.src, []):
                    if self.reg.entity(org).label in PARTY_LABELS:
                        for ev in r.evidence:
                            self.reg.relate("PARTY_TO", org, r.dst, ev)
        rels = self.reg.relations()
        located = {(r.src, r.dst) for r in rels if r.type == "LOCATED_IN"}
        for p in [r for r in rels if r.type == "PARTY_TO"]:
            ent = self.reg.entity(p.src)
            if ent.label == "Institution" and ent.props.get("kind") == "government":
                for src, region in located:
                    if src == p.src:  # a regional government signs for its region
                        for ev in p.evidence:
                            self.reg.relate("PARTY_TO", region, p.dst, ev)
        rels = self.reg.relations()
        for c in (r for r in rels if r.type == "CONCERNS"):
            for p in (r for r in rels if r.type == "PARTY_TO" and r.dst == c.src):
                if self.reg.entity(p.src).label == "Region":
                    for ev in c.evidence:
                        self.reg.relate("LOCATED_IN", c.dst, p.src, ev)

    def holds_post(self, s: _Sent) -> None:
        consumed: set[int] = set()
        pending = []
        for t in self.r.title_re.finditer(s.text):
            title = self.r.titles[" ".join(t.group().lower().split())]
            om = re.match(r"\s+(?:of|at)\s+(?:the\s+)?", s.text[t.end():])
            target = None
            if om:
                at = (t.end() + om.end(), t.end() + len(om.group().rstrip()) - len("the") * om.group().rstrip()
                      .endswith("the"))
                target = next((m for m in s.mentions if m.start in at and m.label in PARTY_LABELS), None)
                if target is None:
                    target = self.ministry_from_title(s, t, title)
            if target is not None:
                person = next((m for m in s.mentions if m.label == "Official"
                               and re.fullmatch(r"\s*,?\s*", s.text[target.end:m.start])
                               and m.start >= target.end), None)
                if person is None:
                    person = self.person_after(s, target.end)
                if person is not None:
                    self.reg.relate("HOLDS_POST", person.key, target.key, s.text, {"title": title})
                    consumed.add(person.start)
                    continue
                pending.append((t, title, target))
            else:
                # "Kaluga Region Governor Vladislav Shapsha"
                before = [m for m in s.mentions if m.end <= t.start() and m.label in PARTY_LABELS
                          and not s.text[m.end:t.start()].strip()]
                after = [m for m in s.mentions if m.label == "Official" and m.start >= t.end()
                         and not s.text[t.end():m.start].strip()]
                if before and after:
                    self.reg.relate("HOLDS_POST", after[0].key, before[-1].key, s.text, {"title": title})
                    consumed.add(after[0].start)
                elif title in _REGION_TITLES:
                    # "Kaluga Governor Vladislav Shapsha", "Governor of Kaluga …": a governor's place is a region
                    pm = re.search(r"([A-Z][a-z]+(?:-[A-Z][a-z]+)?)\s+$", s.text[:t.start()])
                    if pm is None:
                        pm = re.match(r"\s+of\s+([A-Z][a-z]+(?:-[A-Z][a-z]+)?),?\s", s.text[t.end():])
                        after = [m for m in s.mentions if m.label == "Official" and pm is not None
                                 and m.start == t.end() + pm.end()]
                    isos = _regions_by_first_word().get(pm.group(1).casefold(), frozenset()) \
                        if pm and after else frozenset()
                    if len(isos) == 1:
                        iso = next(iter(isos))
                        rec = region(iso)
                        key = self.reg.add_region(iso, rec.name, name_ru=rec.name_ru, surface=pm.group(1),
                                                  props={"federalDistrict": rec.federal_district})
                        self.reg.relate("HOLDS_POST", after[0].key, key, s.text, {"title": title})
                        consumed.add(after[0].start)
        for t, title, target in pending:
            # "Vladimir Popov, Deputy Governor of the Kaluga Region"; "X, a member of Y – Director of Z"
            people = [m for m in s.mentions if m.label == "Official" and m.end <= t.start()
                      and t.start() - m.end <= 70 and m.start not in consumed]
            if not people:
                continue
            p = people[-1]
            gap = s.text[p.end:t.start()]
            if not gap.lstrip().startswith(",") or any(m.label == "Official" and p.end <= m.start < t.start()
                                                       for m in s.mentions):
                continue
            if len(gap) > 6 and not re.search(r"[–—-]|,\s*(?:the|a|an)?\s*$", gap):
                continue
            self.reg.relate("HOLDS_POST", p.key, target.key, s.text, {"title": title})
            consumed.add(p.start)
        # "governors of Tula, Kaluga and Samara regions Alexey Dyumin, Vladislav Shapsha and Dmitry Azarov"
        for t in self.r.plural_title_re.finditer(s.text):
            om = re.match(r"\s+of\s+(?:the\s+)?", s.text[t.end():])
            if not om:
                continue
            targets = self.chain_after(s, t.end() + om.end(), PARTY_LABELS, max_gap=0)
            if not targets:
                continue
            people = self.chain_after(s, targets[-1].end, {"Official"}, max_gap=3)
            if len(people) == len(targets):
                title = self.r.plural_titles[" ".join(t.group().lower().split())]
                for p, tg in zip(people, targets):
                    self.reg.relate("HOLDS_POST", p.key, tg.key, s.text, {"title": title})

    def holds_post_context(self, s: _Sent, prev: _Sent | None) -> None:
        """Posts whose organisation is named only by context: 'its general director, X', 'X, who heads the
        center', 'X, the fund's director', 'ministers …: X (Perm Krai), Y (Udmurt Republic)'."""
        r = self.r
        for m in _ITS_TITLE_RE.finditer(s.text):
            title = r.titles.get(" ".join(m.group("t").lower().split()))
            person = next((x for x in s.mentions if x.label == "Official" and x.start >= m.end()
                           and re.fullmatch(r"\s*,?\s*", s.text[m.end():x.start])), None)
            if not title or person is None:
                continue
            orgs = [(x.end, x.key) for x in s.mentions
                    if x.label in ("Enterprise", "Institution", "Cluster") and x.end <= m.start()]
            for hm in re.finditer(r"\bthe\s+([a-z]\w+)\b", s.text[:m.start()]):
                keys = self.d.by_head.get(hm.group(1).capitalize(), [])
                if len(set(keys)) == 1:
                    orgs.append((hm.end(), keys[0]))  # "from the side of the corporation – by its director"
            if not orgs and prev is not None:
                orgs = [(0, x.key) for x in prev.mentions if x.label in ("Enterprise", "Institution", "Cluster")][:1]
            if orgs:
                self.reg.relate("HOLDS_POST", person.key, max(orgs)[1], s.text, {"title": title})
        for p in (x for x in s.mentions if x.label == "Official"):
            tail = s.text[p.end:]
            hm = re.match(r"\s*,\s+who\s+(?:heads|leads|chairs|directs)\s+(?:the\s+)?", tail)
            if hm:
                tg = next((x for x in s.mentions if x.start in (p.end + hm.end(), p.end + hm.end() - 4)
                           and x.label in PARTY_LABELS), None)
                if tg is None:  # "who heads the center": the only institution with that head word
                    wm = re.match(r"(\w+)", tail[hm.end():])
                    keys = self.d.by_head.get(wm.group(1).capitalize(), []) if wm else []
                    tg = Mention(keys[0], "Institution", 0, 0, "") if len(set(keys)) == 1 else None
                if tg is not None:
                    self.reg.relate("HOLDS_POST", p.key, tg.key, s.text, {"title": "Head"})
            pm = r.possessive_title_re.match(tail)
            if pm:
                keys = self.d.by_head.get(pm.group(1).capitalize(), [])
                title = r.titles.get(" ".join(pm.group(2).lower().split()))
                if pm.group(1).lower() == "cluster":
                    key = self.context_cluster(s, prev, fallback=True)
                else:
                    key = keys[0] if len(set(keys)) == 1 else None
                if key and title:
                    self.reg.relate("HOLDS_POST", p.key, key, s.text, {"title": title})
        # "ministers of industry of three regions: Alexander Borisov (Perm Krai), Timur Ganiev (Udmurt Republic)"
        pt = r.plural_title_re.search(s.text)
        if pt:
            title = r.plural_titles[" ".join(pt.group().lower().split())]
            for p in (x for x in s.mentions if x.label == "Official" and x.start > pt.end()):
                rm = re.match(r"\s*\(\s*", s.text[p.end:])
                if rm:
                    rg = next((x for x in s.mentions if x.label == "Region" and x.start == p.end + rm.end()), None)
                    if rg is not None:
                        self.reg.relate("HOLDS_POST", p.key, rg.key, s.text, {"title": title})

    def person_after(self, s: _Sent, pos: int) -> Mention | None:
        """An unknown person right after a post ('Governor of X Gleb Nikitin'): two capitalised words."""
        m = re.match(r"\s*,?\s*([A-Z][a-z]+(?:-[A-Z][a-z]+)?)\s+([A-Z][a-z]+(?:-[A-Z][a-z]+)?)\b", s.text[pos:])
        if not m or m.group(1) in self.r.function_caps or m.group(2) in self.r.not_surnames \
                or m.group(1) in self.r.not_surnames:
            return None
        a, b = pos + m.start(1), pos + m.end(2)
        if not s.free(a, b):
            return None
        name = f"{m.group(1)} {m.group(2)}"
        key = self.reg.add("Official", name)
        men = Mention(key, "Official", a, b, name)
        s.add(men)
        s.mentions.sort(key=lambda x: x.start)
        return men

    def ministry_from_title(self, s: _Sent, t: re.Match[str], title: str) -> Mention | None:
        """'Deputy Minister of Industry and Trade of the Tula Region' names a ministry."""
        if "Minister" not in title:
            return None
        m = re.match(r"\s+of\s+((?:[A-Z]\w+)(?:\s+(?:and|&)\s+[A-Z]\w+|\s+[A-Z]\w+)*)", s.text[t.end():])
        if not m:
            return None
        words = m.group(1).split()
        for k, w in enumerate(words):
            if w in self.r.given and k > 0:  # "Minister of Forestry Dmitry Maslodudov"
                cut = t.end() + m.start(1) + len(" ".join(words[:k]))
                m = re.match(r"\s+of\s+(.+)", s.text[t.end():cut])
                break
        if not m:
            return None
        end = t.end() + m.end()
        name = f"Ministry of {m.group(1)}"
        region = None
        rm = re.match(r"\s+of\s+(?:the\s+)?", s.text[end:])
        fm = re.match(r"\s+of\s+(?:Russia|the\s+Russian\s+Federation|the\s+RF)\b", s.text[end:])
        if fm:
            name, end, rm = f"{name} of Russia", end + fm.end(), None
        if rm:
            region = next((x for x in s.mentions if x.label == "Region" and x.start == end + rm.end()), None)
            if region is not None:
                name = f"{name} of {region.surface}"
                end = region.end
        key = self.reg.add("Institution", name, props={"kind": "ministry"})
        if region is not None:
            self.reg.relate("LOCATED_IN", key, region.key, s.text)
        return Mention(key, "Institution", t.start(), end, name)

    def cluster_target(self, s: _Sent, pos: int, within: int = 90) -> Mention | None:
        m = self.first_after(s, pos, {"Cluster"}, within)
        return m

    def context_cluster(self, s: _Sent, prev: _Sent | None, fallback: bool = False) -> str | None:
        """The cluster a clause without an object means: one named in this or the previous sentence, else
        the document's; when neither sentence speaks of a cluster, the document's only if `fallback`."""
        here = [m for m in s.mentions if m.label == "Cluster"]
        before = [m for m in prev.mentions if m.label == "Cluster"] if prev is not None else []
        if not here and not before:
            return self.d.salience.about() if fallback else None
        keys = list(dict.fromkeys(m.key for m in here)) or list(dict.fromkeys(m.key for m in before))
        return keys[0] if len(keys) == 1 else self.d.salience.resolve(self.last_named())

    def last_named(self) -> list[str]:
        """The cluster named most recently in the body (the title paragraph only when nothing else is)."""
        body = [k for p, keys in sorted(self.para_named.items()) if p > 0 for k in keys]
        return body[-1:] or self.para_named.get(0, [])[-1:]

    def subjects_before(self, s: _Sent, pos: int, labels: Iterable[str]) -> list[Mention]:
        """The coordinated subject ending right before `pos`, also across an apposition
        ('VSMPO-AVISMA, the world's biggest producer of titanium, is …')."""
        subs = self.chain_before(s, pos, labels, max_gap=4)
        if not subs:
            am = re.search(r",[^,;.]{1,90},\s*$", s.text[:pos])
            if am:
                subs = self.chain_before(s, am.start(), labels, max_gap=1)
        return subs

    def anchors(self, s: _Sent, prev: _Sent | None = None) -> None:
        for pat in self.r.rel["anchors"]:
            for m in pat.finditer(s.text):
                subs = self.subjects_before(s, m.start(), {"Enterprise"})
                subs = self.coordinated_unknowns(s, subs) + subs
                if not subs:
                    continue
                om = re.match(r"\s*(?:of|in|for)\s+", s.text[m.end():])
                if om:
                    target = self.first_after(s, m.end(), {"Cluster", "Institution", "Enterprise"}, 100)
                    key = target.key if target is not None and target.label == "Cluster" else None
                elif re.search(r"\b(?:its|their)\b", m.group()) or not re.search(r"resident", m.group()):
                    # "X will be its anchor", "X will serve as the anchor enterprise": the cluster in context
                    key = self.context_cluster(s, prev, fallback=True)
                else:
                    key = None  # "X is an anchor resident" (of a SEZ or park) says nothing about a cluster
                if key:
                    for e in subs:
                        self.reg.relate("ANCHORS", e.key, key, s.text)
        for pat in self.r.rel["anchors_inverse"]:
            for m in pat.finditer(s.text):
                cl = self.first_after(s, m.start(), {"Cluster"}, m.end() - m.start())
                if cl is None:
                    before = self.chain_before(s, m.start(), {"Cluster"}, max_gap=12)
                    cl = before[-1] if before else None
                key = cl.key if cl is not None else None
                if key is None and re.search(r"\b(?:its|their)\s+$", s.text[max(0, m.start() - 8):m.start()],
                                             re.IGNORECASE):
                    key = self.context_cluster(s, prev, fallback=True)
                if key is None:
                    continue
                for e in self.names_list_after(s, m.end(), {"Enterprise"}):
                    self.reg.relate("ANCHORS", e.key, key, s.text)

    def member_of(self, s: _Sent, prev: _Sent | None = None) -> None:
        for pat in self.r.rel["member_of"]:
            for m in pat.finditer(s.text):
                if _negated(s.text, m.start()):
                    continue  # "Sibur … is not participating in the cluster"
                subs = self.chain_before(s, m.start(), ORG_LABELS, max_gap=25, allow_relative=True)
                if not subs:
                    continue
                subs = self.coordinated_unknowns(s, subs) + subs
                target = self.first_after(s, m.end(), {"Cluster", "Institution", "Enterprise", "Region"}, 60)
                if target is not None and target.label == "Cluster":
                    key = target.key
                elif target is None and not re.match(r"\s*(?:of|in)\s", s.text[m.end():]) or \
                        re.match(r"\s+(?:of|in)\s+(?:it|them)\b", s.text[m.end():]):
                    # "… have also joined to train engineers", "… are also members and will …"
                    bare = bool(re.match(r"\s*(?:to\s|as\s|,|\.|;|$|and\s|in\s+(?:it|them)\b)", s.text[m.end():]))
                    key = self.context_cluster(s, prev, fallback=bare)
                else:
                    key = None
                if key:
                    for e in subs:
                        self.reg.relate("MEMBER_OF", e.key, key, s.text)
        for pat in self.r.rel["member_of_inverse"]:
            for m in pat.finditer(s.text):
                if _negated(s.text, m.start()):
                    continue
                inside = self.first_after(s, m.start(), {"Cluster"}, m.end() - m.start())
                before = self.chain_before(s, m.start(), {"Cluster"}, max_gap=12)
                if inside is not None:
                    key = inside.key
                elif before:
                    key = before[-1].key
                elif re.search(r"\b(?:its|their|other|among)\b", s.text[max(0, m.start() - 12):m.end()], re.IGNORECASE):
                    key = self.context_cluster(s, prev, fallback=True)
                else:
                    key = None
                if key is None:
                    continue
                pos = m.end()
                fm = _FILLER_RE.match(s.text[pos:])
                members = self.names_list_after(s, pos + (fm.end() if fm else 0), ORG_LABELS)
                # "The cluster includes 15 participants, among them PJSC KAMAZ and JSC Tatneft"
                em = _EXAMPLES_RE.match(s.text[pos:])
                if not members and em:
                    members = self.names_list_after(s, pos + em.end(), ORG_LABELS)
                for e in members:
                    self.reg.relate("MEMBER_OF", e.key, key, s.text)

    def names_list_after(self, s: _Sent, pos: int, labels: Iterable[str]) -> list[Mention]:
        """A coordinated list of organisations starting at `pos`: known mentions, and capitalised names
        that only their place in the list marks as organisations ('Baltic Shipyard, Vyborg Shipyard and
        the propulsion manufacturer Zvezda-Energetika')."""
        labels = set(labels)
        out: list[Mention] = []
        while pos < len(s.text):
            dm = _DESCRIPTOR_RE.match(s.text[pos:])
            start = pos + (dm.end() if dm else 0)
            known = next((m for m in s.mentions if start <= m.start <= start + 1), None)
            if known is not None:
                if known.label not in labels:
                    break
                item = known
            else:
                um = _UNKNOWN_NAME_RE.match(s.text[start:])
                if not um or um.group(1).split()[0] in self.r.function_caps or \
                        any(w in self.r.given or w in self.r.not_surnames and w not in self.r.heads
                            for w in um.group(1).split()):
                    break
                a, b = start + um.start(1), start + um.end(1)
                if not s.free(a, b):
                    break
                name = um.group(1)
                kind = self.d._head_kind(name)
                label = "Institution" if kind and kind != _ENTERPRISE_KIND else "Enterprise"
                if label not in labels:
                    break
                key = self.reg.add(label, name, props={"kind": kind} if label == "Institution" else None)
                item = Mention(key, label, a, b, name)
                s.add(item)
                s.mentions.sort(key=lambda x: x.start)
            out.append(item)
            gm = _ITEM_GAP_RE.match(s.text[item.end:])
            if not gm:
                break
            pos = item.end + gm.end()
        return out

    def name_after(self, s: _Sent, pos: int) -> list[Mention]:
        """'… will be Rostselmash, one of …': an unknown capitalised name in object position is a company."""
        m = re.match(r"\s*(?:the\s+)?(?:company\s+)?([A-Z][\w\-&]*(?:\s+[A-Z][\w\-&]*){0,2})(?=[\s,.;)]|$)", s.text[pos:])
        if not m:
            return []
        a, b = pos + m.start(1), pos + m.end(1)
        name = m.group(1)
        if name.split()[0] in self.r.function_caps or not s.free(a, b) \
                or any(w in self.r.not_surnames or w in self.r.given for w in name.split()):
            return []
        key = self.reg.add("Enterprise", name)
        men = Mention(key, "Enterprise", a, b, name)
        s.add(men)
        s.mentions.sort(key=lambda x: x.start)
        return [men]

    def coordinated_unknowns(self, s: _Sent, chain: list[Mention]) -> list[Mention]:
        """'Tatneft and Sibur have become members': a capitalised name coordinated with a known
        organisation, in subject position, is an organisation of the same kind."""
        if not chain:
            return []
        out: list[Mention] = []
        pos = chain[0].start
        while True:
            m = re.search(r"(?:^|(?<=[\s,]))((?:[A-Z][\w\-]*)(?:\s+[A-Z][\w\-]*){0,2})(?:\s*,\s*|\s+and\s+|,\s+and\s+)$",
                          s.text[:pos])
            if not m or m.group(1).split()[0] in self.r.function_caps or not s.free(m.start(1), m.end(1)):
                break
            name = m.group(1)
            if any(w in self.r.not_surnames or w in self.r.given for w in name.split()):
                break
            label = chain[0].label if chain[0].label in ORG_LABELS else "Enterprise"
            key = self.reg.add(label, name, props={"kind": "other"} if label == "Institution" else None)
            men = Mention(key, label, m.start(1), m.end(1), name)
            s.add(men)
            out.insert(0, men)
            pos = m.start(1)
        if out:
            s.mentions.sort(key=lambda x: x.start)
        return out

    def coordinates(self, s: _Sent) -> None:
        for pat in self.r.rel["coordinates"]:
            for m in pat.finditer(s.text):
                # "X is/will be the specialised organisation of C", "X has been named the cluster's …"
                pos, cl = m.start(), self.first_after(s, m.end(), {"Cluster"}, 40)
                poss = [x for x in s.mentions if x.label == "Cluster" and x.end <= pos and pos - x.end <= 3]
                if poss:
                    pos, cl = poss[-1].start, poss[-1]
                subs = self.chain_before(s, pos, {"Institution", "Enterprise"}, max_gap=40)
                if subs and re.search(r"\b(?:is|was|be|been|become|became|becomes|as|acts|serves|appointed|named|"
                                      r"designated|chosen|selected)\b|,",
                                      s.text[subs[-1].end:pos]):
                    cl = cl or self._ref_cluster(s)
                    if cl is not None:
                        for e in subs:
                            self.reg.relate("COORDINATES", e.key, cl.key, s.text)
                    continue
                # "The specialised organisation of C will be X", "The functions of … are given to X"
                vm = re.match(r"[^.;]{0,80}?\b(?:(?:will\s+be|are|is|were|was|have\s+been|has\s+been)\s+(?:performed|"
                              r"carried\s+out|exercised|given|assigned|entrusted|transferred|delegated)\s+(?:by|to)|is|"
                              r"will\s+be|became|becomes|has\s+become|was)\s+(?:the\s+)?", s.text[m.end():])
                if vm:
                    inst = self.names_list_after(s, m.end() + vm.end(), {"Institution", "Enterprise"})
                    cl = self.first_after(s, m.end(), {"Cluster"}, vm.end()) or self._ref_cluster(s)
                    if cl is not None:
                        for e in inst:
                            self.reg.relate("COORDINATES", e.key, cl.key, s.text)
        # "The cluster is managed by X"
        for pat in self.r.rel["coordinates_by"]:
            for m in pat.finditer(s.text):
                before = self.chain_before(s, m.start(), {"Cluster"}, max_gap=4)
                cl = before[-1] if before else None
                if cl is None:
                    continue
                for e in self.names_list_after(s, m.end(), {"Institution", "Enterprise"}):
                    self.reg.relate("COORDINATES", e.key, cl.key, s.text)
        # "X is coordinating the cluster development"
        for pat in self.r.rel["coordinates_verb"]:
            for m in pat.finditer(s.text):
                subs = self.chain_before(s, m.start(), {"Institution", "Enterprise"}, max_gap=3)
                cl = self.first_after(s, m.end(), {"Cluster"}, 3)
                if cl is not None:
                    for e in subs:
                        self.reg.relate("COORDINATES", e.key, cl.key, s.text)

    def _ref_cluster(self, s: _Sent) -> Mention | None:
        key = self.d.salience.about()
        return Mention(key, "Cluster", 0, 0, "", ref=True) if key else None

    def agreements(self, s: _Sent, prev: _Sent | None = None) -> None:
        ags = [m for m in s.mentions if m.label == "Agreement"]
        if not ags:
            return
        has_sign = any(p.search(s.text) for p in self.r.rel["signed"])
        if has_sign:
            for p in (m for m in s.mentions if m.label == "Official"):
                self.reg.relate("SIGNED", p.key, ags[0].key, s.text)
        for a in ags:
            if a.ref or self.reg.entity(a.key).props.get("title", "").lower().startswith(("decree", "government decree")):
                continue
            tail = s.text[a.end:]
            bm = re.match(r"\s+(?:\w+\s+){0,4}?between\s+", tail)
            parties: list[Mention] = []
            if bm:
                parties = self.chain_after(s, a.end + bm.end(), PARTY_LABELS, max_gap=4)
            else:
                vm = None
                for p in self.r.rel["agreement_verbs"]:
                    vm = vm or next((x for x in p.finditer(s.text) if x.end() <= a.start), None)
                if vm:
                    parties = self.chain_before(s, vm.start(), PARTY_LABELS, max_gap=200)
                    parties = [m for m in parties if not self._post_target(s, m)]
            # "… was signed by A and B", "A signed an agreement with B"
            for rx in (r"^[^.;]*?\b(?:signed|concluded)\s+by\s+(?:the\s+)?", r"^\s+(?:\w+\s+){0,3}?with\s+(?:the\s+)?"):
                wm = re.search(rx, tail)
                if wm:
                    parties += [m for m in self.chain_after(s, a.end + wm.end(), PARTY_LABELS, max_gap=4)
                                if not self._post_target(s, m)]
            for p in parties:
                self.reg.relate("PARTY_TO", p.key, a.key, s.text)
            # what the agreement is about: the one cluster its sentence names (not as a party) …
            others = {m.key for m in s.mentions if m.label == "Cluster"} - {p.key for p in parties}
            if not others and prev is not None and prev.para == s.para and not a.ref:
                # "A and B have agreed to create the X Cluster. The cooperation agreement was signed …"
                named = {m.key for m in prev.mentions if m.label == "Cluster" and not m.ref}
                if len(named) == 1 and re.search(r"\b(?:agree\w*|creat\w*|develop\w*|establish\w*)\b", prev.text):
                    others = named
            if len(others) == 1 and not self.reg.entity(a.key).props.get("title", "").lower().startswith("memorand"):
                self.reg.relate("CONCERNS", a.key, next(iter(others)), s.text)
            # … or a cluster named in its on/for-clause
            cm = re.match(r"\s+(?:on|for|about|regarding|to)\s+[^.;:]{0,110}", tail)
            if cm:
                clause = re.split(r"\s+(?:between|with|by|which|that|was|were|is|are|has|have|will)\s", cm.group())[0]
                cl = self.first_after(s, a.end, {"Cluster"}, len(clause))
                if cl is not None and cl.end <= a.end + len(clause) + 1:
                    self.reg.relate("CONCERNS", a.key, cl.key, s.text)

    def _post_target(self, s: _Sent, m: Mention) -> bool:
        """A region named as someone's post ('governor of Tula region') is not itself a party."""
        return bool(self.r.post_of_re.search(s.text[max(0, m.start - 40):m.start]))

    def located_in(self, s: _Sent) -> None:
        regions = [m for m in s.mentions if m.label == "Region"]
        # "X in/from the Y region", "Tula region company X"
        for m in s.mentions:
            if m.label not in ("Enterprise", "Institution", "Cluster") or m.ref:
                continue
            gm = re.match(r"\s*,?\s*(?:located\s+|based\s+)?(?:in|from)\s+(?:the\s+)?(?:[^,;.]{0,40}?\s(?:of|in)\s+)?"
                          r"(?:the\s+)?", s.text[m.end:])
            if gm:
                rg = next((x for x in regions if x.start == m.end + gm.end()), None)
                if rg is not None:
                    self.reg.relate("LOCATED_IN", m.key, rg.key, s.text)
        # a cluster's facilities / members in regions
        if regions and any(p.search(s.text) for p in self.r.rel["facility_words"]) \
                and any(p.search(s.text) for p in self.r.rel["cluster_context"]):
            fw = min(x.start() for p in self.r.rel["facility_words"] for x in p.finditer(s.text))
            named = list(dict.fromkeys(m.key for m in s.mentions if m.label == "Cluster"))
            key = named[0] if len(named) == 1 else (None if named else self.d.salience.about())
            if key:
                for rg in regions:
                    if rg.start > fw and not self._post_target(s, rg):
                        self.reg.relate("LOCATED_IN", key, rg.key, s.text)
        # organisations named after a region
        for m in s.nested_regions:
            org = next((o for o in s.mentions if o.start <= m.start and m.end <= o.end and o.label != "Region"), None)
            if org is not None:
                self.reg.relate("LOCATED_IN", org.key, m.key, s.text)

    def located_defaults(self) -> None:
        reg = self.reg
        first_words: dict[str, set[str]] = {}
        for e in reg.entities("Region"):
            for n in [e.name, *e.aliases]:
                w = n.split()[0] if n.split() else ""
                if w[:1].isupper():
                    first_words.setdefault(w, set()).add(e.key)
        sents = self.d.sents
        for e in [*reg.entities("Cluster"), *reg.entities("Institution")]:
            if reg.has_relation("LOCATED_IN", e.key):
                continue
            si = self.d.first_sentence.get(e.key)
            if si is None:
                continue
            s = sents[si]
            words = [w for n in [e.name, *e.aliases] for w in n.split()[:1]]
            named = {k for w in words for k in first_words.get(w, ())}
            if len(named) == 1:
                reg.relate("LOCATED_IN", e.key, next(iter(named)), s.text)
                continue
            if e.label == "Institution" and e.props.get("kind") not in ("technopark", "sez", "college", "university"):
                continue
            if e.label == "Institution" and any(w in ("Russia", "Russian", "Federal") for w in e.name.split()):
                continue
            sent_regions = {m.key for m in s.mentions if m.label == "Region"}
            scope = sent_regions or set(self.para_regions.get(s.para, {})) or set(self.doc_regions)
            if len(scope) == 1:
                reg.relate("LOCATED_IN", e.key, next(iter(scope)), s.text)

    def cluster_status(self) -> None:
        status: dict[str, str] = {}
        for s in self.d.sents:
            cl = sorted((m for m in s.mentions if m.label == "Cluster" and not m.ref), key=lambda m: m.start)
            # a status stated before a coordinated list holds for every item
            groups: list[list[Mention]] = []
            for m in cl:
                if groups and re.match(r"^\s*,?\s*(?:and\s+)?(?:an?|the)?\s*$", s.text[groups[-1][-1].end:m.start]):
                    groups[-1].append(m)
                else:
                    groups.append([m])
            for g in groups:
                st = next((s.cluster_info[m.start].get("status") for m in g
                           if s.cluster_info.get(m.start, {}).get("status")), None)
                for m in g:
                    if st and m.key not in status:
                        status[m.key] = st
        for e in self.reg.entities("Cluster"):
            e.props.setdefault("status", status.get(e.key, "active"))


# ---- entry points -------------------------------------------------------------------------------

def extract(doc_id: str, paragraphs: list[Paragraph]) -> Exchange:
    """Entities and relations of the English paragraphs of one document."""
    d = _Doc(doc_id, list(paragraphs))
    d.mentions_pass()
    _Relations(d).run()
    _russian_aliases(d.reg)
    return d.reg.to_exchange()


def _russian_aliases(reg: Registry) -> None:
    """People and companies also get their likely Cyrillic spelling, so Russian articles find them."""
    for e in [*reg.entities("Official"), *reg.entities("Enterprise")]:
        # a multi-word company name is often English words, whose Cyrillic spelling would be noise
        if re.fullmatch(r"[A-Za-z][A-Za-z\s\-']+", e.name) and (e.label == "Official" or " " not in e.name):
            for v in cyrillic_variants(e.name)[:1]:
                reg.add_alias(e.key, v)


def candidates(paragraphs: list[Paragraph]) -> int:
    """The candidate step alone (gazetteer and pattern mentions, no relations): the number of spans."""
    d = _Doc("bench", list(paragraphs))
    d.mentions_pass()
    return sum(len(s.mentions) for s in d.sents)
