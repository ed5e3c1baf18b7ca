"""English extraction vocabularies and patterns: loaders/patterns/en compiled once per process,
and the small text predicates the mention and relation passes share."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from loaders.normalize import given_names

PATTERNS = Path(__file__).resolve().parent.parent / "patterns" / "en"
PARTY_LABELS = frozenset({"Region", "Enterprise", "Institution", "Cluster"})
ORG_LABELS = frozenset({"Enterprise", "Institution"})
TOKEN_RE = re.compile(r"[^\W_]+(?:[-’'][^\W_]+)*-?")
LEGAL_RE = re.compile(
    r"\b(?P<form>JSC|OJSC|PJSC|CJSC|OOO|LLC|ZAO|OAO|PAO|AO|NP|ANO|NPO|Ltd\.?|LTD)\s+"
    r"(?:(?P<q>[\"“«'])(?P<qname>[^\"”»']{2,80})[\"”»']|(?P<name>[A-Z0-9](?:[\w&\-’']|\.(?=\w))*(?:\s+(?:[A-Z0-9](?:[\w&\-’']|\.(?=\w))*|&))*))"
)
# "Chaplygin Foundry LLC", "Kola Trawl Fleet JSC": a legal form written after the capitalised name
LEGAL_POST_RE = re.compile(
    r"(?<![\w\-])(?P<name>[A-Z0-9][\w&\-’']*(?:\s+[A-Z0-9][\w&\-’']*){0,4})\s+"
    r"(?P<form>JSC|OJSC|PJSC|CJSC|LLC|Ltd\.?|LTD)(?![\w\-])"
)
# the auxiliaries between a subject and its membership verb ("X and Y are to join", "X has also joined")
AUX_BEFORE_RE = re.compile(
    r"(?:\s+(?:are|is|was|were|will|would|has|have|had|also|now|already|officially|to|plans?|intends?|"
    r"expected|be|soon))*\s*$"
)
# gazetteer kinds whose region is part of what the name means (an SEZ, a technopark), so it is stated
PLACED_KINDS = frozenset({"sez", "technopark"})
MONTH_RE = re.compile(r"(?:January|February|March|April|May|June|July|August|September|October|November|December)")
LIST_GAP_RE = re.compile(r"^[\s,]*(?:(?:and|&|as\s+well\s+as|or)\s+)?(?:the\s+)?$", re.IGNORECASE)
PUBLIC_KINDS = frozenset({"sez", "technopark", "fund", "association", "university", "college"})
ENTERPRISE_KIND = "enterprise"  # heads such as Shipyard, Plant, Works name companies
LEGAL_FORM_WORD = re.compile(r"JSC|OJSC|PJSC|CJSC|OOO|LLC|ZAO|OAO|PAO|AO|NP|ANO|NPO|Ltd|LTD")
SPEECH_RE = re.compile(
    r"\b(?:said|says|noted|notes|added|adds|stressed|emphasized|emphasised|explained|commented|"
    r"stated|told|according\s+to|summarized|summarised|announced)\s+"
    r"(?P<g>[A-Z][a-z]+)\s+(?P<s>[A-Z][a-z]+(?:-[A-Z][a-z]+)?)\b(?!\s+[A-Z])"
)
EXAMPLES_RE = re.compile(
    r"[^.;:]{0,60}?\b(?:among\s+them|among\s+which|including|such\s+as|in\s+particular|"
    r"namely|for\s+example)\b[\s,:]*",
    re.IGNORECASE,
)
STATE_CORP_RE = re.compile(r"\b(?:State|Federal|Development|for|of\s+the\s+Development)\b")
GENERIC_TAIL_RE = re.compile(r"\s+(?:Corporation|Group|Company|Holding|Concern)$")
HEAD_QUOTE_RE = re.compile(r"\b(?P<head>[A-Z][a-z]+|SEZ)\s+[\"“«](?P<name>[^\"”»]{2,80})[\"”»]")
# "has not joined", "has yet to join", "declined to join", "refused to become a member"
NEGATION_RE = re.compile(
    r"\b(?:not|n't|no\s+longer|never|neither|nor|yet(?=\s+to\b|\s*$)|declin(?:ed|es|ing)|refus(?:ed|es|ing))\b"
    r"[\w\s]{0,20}$",
    re.IGNORECASE,
)
FILLER_RE = re.compile(
    r"\s*(?:,\s*)?(?:there\s+are\s+)?(?:the\s+)?(?:following\s+)?"
    # "has admitted five new members:", "includes 12 companies:"
    r"(?:(?:\d+|two|three|four|five|six|seven|eight|nine|ten|several|more|other)\s+)?(?:new\s+|more\s+)?"
    r"(?:companies|enterprises|"
    r"organi[sz]ations|participants|members|firms|plants)?\s*:?\s*"
)
DESCRIPTOR_RE = re.compile(
    r"\s*(?:the\s+)?(?:[A-Z][\w\-]*-based\s+)?(?:(?:[a-z][\w\-]*\s+){0,2}(?:producer|manufacturer|maker|company|plant|"
    r"holding|developer|operator|supplier|shipyard)\s+)?"
    # a quoted name after an abbreviated legal form: NO "Innokam Cluster Development Center"
    r"(?:[A-Z]{2,4}\s+(?=[\"“«]))?[\"“«]?"
)
UNKNOWN_NAME_RE = re.compile(
    r"([A-Z][\w\-&]*(?:\s+(?:[A-Z0-9][\w\-&]*|of|and|for)){0,5}?)(?=\s*(?:,|\.|;|\)|$|"
    r"\s+(?:and|as\s+well\s+as|along\s+with|which|who|that|are|is|have|has|will|were|"
    r"from|in|located|based)\b))"
)
ITEM_GAP_RE = re.compile(
    r"(?:\s+(?:from|in|based\s+in|located\s+in)\s+[^,;.]{1,60}?(?=,|\s+and\s))?\s*(?:,\s*(?:and\s+|as\s+well\s+as\s+|along\s+with\s+)?|\s+and\s+|\s+as\s+well\s+as\s+|"
    r"\s+along\s+with\s+)(?:also\s+)?(?:the\s+)?"
)
ITS_TITLE_RE = re.compile(
    r"\b(?:its|their|whose)\s+(?P<t>(?:general\s+|executive\s+|managing\s+|deputy\s+)?(?:director|"
    r"head|chairman|president|ceo|rector|director\s+general|manager))\b",
    re.IGNORECASE,
)
ANCHOR_WORDS = ("anchor", "core", "backbone", "flagship", "key ", "base ", "basic ")
MEMBER_WORDS = (
    "member",
    "join",
    "particip",
    "part ",
    "resident",
    "includ",
    "unite",
    "compris",
    "consist",
    "together",
    "among",
    "enter",
    "admit",
    "accept",
    "welcom",
    "newcomer",
    "found",
    "initiated",
    "set up",
    "establish",
)
COORDINATE_WORDS = ("speciali", "organi", "manag", "coordinat", "operat", "run by", "administered")
CORPORATE_TITLES = frozenset(
    {
        "CEO",
        "General Director",
        "Director General",
        "Chairman of the Board",
        "Managing Director",
        "Executive Director",
        "Founder",
        "Owner",
    }
)
REGION_TITLES = frozenset({"Governor", "Deputy Governor", "First Deputy Governor", "Acting Governor"})
QUOTED_RE = re.compile(r"[\"“«]([^\"”»]{2,80})[\"”»]")


# ---- vocabularies -------------------------------------------------------------------------------


def load(name: str) -> Any:
    return yaml.safe_load((PATTERNS / name).read_text(encoding="utf-8"))


def alternation(phrases: Iterable[str]) -> str:
    items = sorted({p.strip() for p in phrases if p.strip()}, key=len, reverse=True)
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in items)


@dataclass
class Rules:
    """The English vocabularies, compiled: posts, names, head words, cluster words, relation triggers."""

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
    head_first: frozenset[str]
    head_word_re: re.Pattern[
        str
    ]  # any head word inside a name  # first words of the heads, a cheap pre-check per token
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
def rules() -> Rules:
    """Compile the English vocabularies once per process."""
    posts, names, inst, cl, rel, words = (
        load(f)
        for f in (
            "posts.yaml",
            "names.yaml",
            "institutions.yaml",
            "clusters.yaml",
            "relations.yaml",
            "words.yaml",
        )
    )
    titles = {k.lower(): v for k, v in posts["titles"].items()}
    plurals = {k.lower(): v for k, v in posts["plurals"].items()}
    heads = dict(inst["heads"])
    app = {k.lower(): v for k, v in inst["named_by_apposition"].items()}
    return Rules(
        titles=titles,
        title_re=re.compile(rf"\b(?:{alternation(titles)})\b", re.IGNORECASE),
        possessive_title_re=re.compile(
            rf"\s*,\s+(?:the\s+)?(\w+)['’]s\s+({alternation(titles)})\b", re.IGNORECASE
        ),
        post_of_re=re.compile(rf"\b(?:{alternation(titles)})\s+(?:of|at)\s+(?:the\s+)?$", re.IGNORECASE),
        plural_titles=plurals,
        plural_title_re=re.compile(rf"\b(?:{alternation(plurals)})\b", re.IGNORECASE),
        # the table's spellings too, except words that are more often something else ("German")
        given=frozenset(names["given_names"]) | (frozenset(given_names()) - frozenset(names["not_given"])),
        not_surnames=frozenset(names["not_surnames"]) | frozenset(heads),
        function_caps=frozenset(words["capitalised_function_words"]),
        heads=heads,
        head_max=max(len(h.split()) for h in heads),
        head_first=frozenset(h.split()[0] for h in heads),
        head_word_re=re.compile(rf"\b(?:{alternation(heads)})\b"),
        appositive_re=re.compile(
            rf"\b(?P<head>(?i:{alternation(app)}))\b(?P<mid>\s+[a-z][a-z\s]{{0,30}}?)?(?:\s*,\s*|\s+)"
            r"(?P<q>[\"“«])?(?P<name>[A-Z][\w\-]+(?:\s+[A-Z][\w\-]+){0,2})[\"”»]?"
        ),
        appositive_kinds=app,
        acronym_univ=re.compile(inst["acronym_university"]),
        generic=frozenset(w.lower() for w in cl["generic_modifiers"]),
        cl_stop=frozenset(w.lower() for w in [*cl["stop_words"], *words["headline_verbs"]]),
        headline_verbs=frozenset(w.lower() for w in words["headline_verbs"]),
        determiners=frozenset(cl["determiners"]),
        ordinals=frozenset(cl["ordinals"]) | frozenset(cl.get("name_strip_leading", ())),
        postmod_preps=frozenset(cl["postmod_preps"]),
        planned_re=re.compile(rf"\b(?:{alternation(cl['planned_markers'])})\b", re.IGNORECASE),
        active_re=re.compile(rf"\b(?:{alternation(cl['active_markers'])})\b", re.IGNORECASE),
        founded_re=re.compile(cl["founded"], re.IGNORECASE),
        rel={k: [re.compile(p, re.IGNORECASE if k != "decrees" else 0) for p in v] for k, v in rel.items()},
        region_words=region_words(),
    )


def region_words() -> frozenset[str]:
    from loaders.regions import all_regions

    return frozenset(v.split()[0].casefold() for r in all_regions() for v in r.variants_en if v.split())


# ---- per-document state -----------------------------------------------------------------------


@lru_cache(maxsize=1)
def regions_by_first_word() -> dict[str, frozenset[str]]:
    """'kaluga' -> {'RU-KLU'}: the regions whose English name starts with a word (an ambiguous word maps
    to several)."""
    from loaders.regions import all_regions

    out: dict[str, set[str]] = {}
    for rec in all_regions():
        for v in rec.variants_en:
            first = v.split()[0].casefold() if v.split() else ""
            if first and first not in ("republic", "city", "the", "federal"):
                out.setdefault(first, set()).add(rec.iso)
    return {k: frozenset(v) for k, v in out.items()}


def inside_word(text: str, a: int, b: int) -> bool:
    """A match that is only part of a hyphenated word ('UEC' in 'UEC-Kuznetsov')."""
    return (a > 1 and text[a - 1] == "-" and text[a - 2].isalnum()) or (
        b + 1 < len(text) and text[b] == "-" and text[b + 1].isalnum()
    )


def negated(text: str, pos: int) -> bool:
    return bool(NEGATION_RE.search(text[max(0, pos - 30) : pos]))


def subsequence(small: tuple[str, ...], big: tuple[str, ...]) -> bool:
    it = iter(big)
    return all(w in it for w in small)


# ---- pass 2: relations --------------------------------------------------------------------------
