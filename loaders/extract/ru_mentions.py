"""Entity mentions in Russian sentences: quoted names, legal forms, institution heads, clusters, people.

Each finder reads one sentence (tokens from natasha's segmenter, morphology from pymorphy3, regions
from the gazetteer) and returns `RuMention`s with sentence-relative offsets. Finders run in priority
order and never claim text an earlier finder claimed, so «ООО «X»» is an enterprise once, not also an
ORG fragment. Vocabularies live in `loaders/patterns/ru/*.yaml`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

from loaders.extract.ru_nlp import has_case, inflect_nomn, is_pos, lemma, parses, person_nominative, vocab
from loaders.regions import all_regions

ADJ = frozenset({"ADJF", "PRTF"})
NOUNLIKE = frozenset({"NOUN", "ADJF", "PRTF", "NUMR"})
# a word that can be a verb, adverb or function word does not continue a name ("кластера стали участники")
NOT_NOMINAL = frozenset({"VERB", "INFN", "PRTS", "GRND", "ADVB", "PREP", "CONJ", "PRCL", "NPRO"})
QUOTE_RE = re.compile(r"«((?:[^«»]|«[^«»]*»)+)»|“([^”]+)”|„([^“”]+)[“”]|\"([^\"]+)\"")
WORD_RE = re.compile(r"[\w][\w\-]*", re.UNICODE)
AFTER_ORG_RE = re.compile(
    r"\s*(?:\(|из|,?\s*(?:расположенн|находящ|базирующ|зарегистрированн|работающ|действующ)\w*\s+в)\s*")
# a plural participle after a list ("X и Y, работающие в ХМАО") places every item of the list
PLURAL_AFTER_RE = re.compile(r",\s*\w+(?:ие|ые)\s+в\s*")
RUSSIA_RE = re.compile(r"^(?:России|РФ|Российской\s+Федерации)\b")


@dataclass
class Tok:
    text: str
    start: int  # sentence-relative
    end: int


@dataclass
class Sent:
    idx: int  # position in the document
    text: str
    toks: list[Tok]
    title: bool = False  # the document's first paragraph (its headline)


@dataclass
class RuMention:
    label: str
    name: str
    start: int
    end: int
    surface: str
    props: dict[str, Any] = field(default_factory=dict)
    aliases: list[str] = field(default_factory=list)
    ref: str | None = None  # "cluster": the document's cluster; "regional": the region's own body
    regions: list[str] = field(default_factory=list)  # ISO codes the mention itself names
    post: tuple[str, RuMention | None, str | None] | None = None  # Official: (title, target, region iso)
    key: str | None = None
    described: bool = False  # a cluster named by description ("кластер средств реабилитации"), not by a proper name


@dataclass
class RegionHit:
    iso: str
    start: int
    end: int
    surface: str
    via: str = "name"


# ---- vocabularies, compiled once -------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _legal() -> tuple[re.Pattern[str], re.Pattern[str], dict[str, str]]:
    forms = vocab("enterprises")["legal_forms"]
    alt = "|".join(sorted(map(re.escape, forms), key=len, reverse=True))
    quoted = re.compile(rf"(?<![\w-])((?:{alt})(?:\s+(?:{alt}))?)\s*(?=[«“„\"])")
    bare = re.compile(rf"(?<![\w-])({alt})\s+((?:[A-ZА-ЯЁ][\w\-]*|[A-Z0-9&]+)(?:\s+(?:[A-Z][\w\-]*|[A-Z0-9&]+))*)")
    return quoted, bare, forms


@lru_cache(maxsize=1)
def _org_forms() -> re.Pattern[str]:
    forms = vocab("institutions")["org_forms"]
    alt = "|".join(sorted(map(re.escape, forms), key=len, reverse=True))
    return re.compile(rf"(?<![\w-])((?:(?:{alt})\s+)*(?:{alt}))\s*(?:[A-ZА-ЯЁ]{{2,4}}\s*)?(?=[«“„\"])")


@lru_cache(maxsize=1)
def _heads() -> dict[str, dict[str, Any]]:
    return {k.replace("ё", "е"): v for k, v in vocab("institutions")["heads"].items()}


@lru_cache(maxsize=1)
def _posts() -> list[tuple[tuple[str, ...], str, str | None]]:
    out = []
    for p in vocab("posts")["posts"]:
        out.append((tuple(lemma(w) for w in p["ru"].split()), p["en"], p.get("implies")))
    return sorted(out, key=lambda x: -len(x[0]))


@cache
def _set(name: str, key: str) -> frozenset[str]:
    return frozenset(w.replace("ё", "е") for w in vocab(name)[key])


# ---- helpers --------------------------------------------------------------------------------------

def _overlaps(a: int, b: int, spans: list[tuple[int, int]]) -> bool:
    return any(a < e and s < b for s, e in spans)


def _tok_index(toks: list[Tok], pos: int) -> int:
    """Index of the first token starting at or after `pos`."""
    for i, t in enumerate(toks):
        if t.start >= pos:
            return i
    return len(toks)


def _is_word(t: Tok) -> bool:
    return t.text[:1].isalnum()


def _capitalised(t: Tok, i: int) -> bool:
    return t.text[:1].isupper() and i > 0


def phrase_nominative(text: str, toks: list[Tok], head: int) -> str:
    """Inflect the head noun `toks[head]` and the adjectives before it to the nominative; the tail stays.

    'регионального Фонда развития промышленности' -> 'региональный Фонд развития промышленности'.
    """
    h = toks[head]
    hp = [p for p in parses(h.text) if p.tag.POS == "NOUN"]
    number = hp[0].tag.number if hp else None
    gender = hp[0].tag.gender if hp else None
    words = [inflect_nomn(t.text, ADJ, gender, number) for t in toks[:head]]
    words.append(inflect_nomn(h.text, frozenset({"NOUN"}), number=number))
    base = toks[0].start
    out = ""
    pos = base
    for t, w in zip(toks[: head + 1], words, strict=True):
        out += text[pos:t.start] + w
        pos = t.end
    out += text[pos:toks[-1].end]
    return out


def _quote_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, inner text) of each quoted name, outer quotes included in start/end."""
    out = []
    for m in QUOTE_RE.finditer(text):
        inner = next(g for g in m.groups() if g is not None)
        out.append((m.start(), m.end(), inner.strip()))
    return out


def _words_before(text: str, pos: int, n: int) -> list[str]:
    return WORD_RE.findall(text[max(0, pos - 80):pos])[-n:]


@lru_cache(maxsize=1)
def _status_patterns() -> list[tuple[str, re.Pattern[str]]]:
    return [(k, re.compile(v)) for k, v in vocab("clusters")["status"].items()]


def cluster_status(sentence: str) -> str | None:
    """'planned' or 'active' when the sentence says so ("создаётся", "действуют"), else None."""
    low = sentence.lower().replace("ё", "е")
    for status, pat in _status_patterns():
        if pat.search(low):
            return status
    return None


def _names_cluster(inner: str) -> bool:
    """Whether a quoted text is a cluster's name («Национальный аэрозольный кластер»), not a quotation
    that mentions clusters («Создание кластера позволит ...»): short, verbless, with the word "кластер"."""
    words = WORD_RE.findall(inner)
    if len(words) > 8 or re.search(r"[.!?;:]", inner):
        return False
    if any(parses(w) and parses(w)[0].tag.POS in {"VERB", "INFN", "GRND", "PRTS"} for w in words):
        return False
    return any(lemma(w) == "кластер" for w in words)


def _quoted_nominative(inner: str) -> str:
    """A quoted cluster name in the nominative; names already in it, or not headed by "кластер", stay as written.

    >>> _quoted_nominative("Нижегородского автомобильного кластера"), _quoted_nominative("Композиты без границ")
    ('Нижегородский автомобильный кластер', 'Композиты без границ')
    """
    toks = [Tok(m.group(0), m.start(), m.end()) for m in WORD_RE.finditer(inner)]
    head = next((k for k, t in enumerate(toks) if lemma(t.text) == "кластер"), None)
    if head is None or any("nomn" in p.tag for p in parses(toks[head].text)[:1]):
        return inner
    if not all(is_pos(t.text, ADJ) for t in toks[:head]):
        return inner
    return phrase_nominative(inner, toks[:head + 1], head) + inner[toks[head].end:]


def has_cluster_word(name: str) -> bool:
    return any(lemma(w) == "кластер" for w in WORD_RE.findall(name))


@lru_cache(maxsize=1)
def _list_triggers() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in vocab("enterprises")["list_triggers"])


@lru_cache(maxsize=1)
def _one_word_regions() -> dict[str, str]:
    """Lower-cased one-word Russian region names of 4+ letters ('югра', 'кузбасс', 'татарстан') -> ISO."""
    out: dict[str, str] = {}
    for rec in all_regions():
        for v in (*rec.variants_ru, rec.name_ru):
            if " " not in v and "-" not in v and len(v) >= 4 and v[:1].isupper() and not v.isupper():
                out.setdefault(v.lower(), rec.iso)
    return out


def _inst_kind(name: str, default: str = "other") -> str:
    heads = _heads()
    for w in WORD_RE.findall(name)[:3]:
        h = heads.get(lemma(w))
        if h:
            return h["kind"]
    return default


# ---- finders --------------------------------------------------------------------------------------

class SentenceFinder:
    """All mentions of one sentence; `run()` returns them in text order."""

    def __init__(self, sent: Sent, regions: list[RegionHit], ner: list[tuple[str, int, int]],
                 orgs: list[tuple[int, int, str, str, str, list[str], str | None]]) -> None:
        self.s = sent
        self.text = sent.text
        self.toks = sent.toks
        self.regions = regions
        self.ner = ner
        self.gaz_orgs = orgs  # (start, end, label, name, kind, aliases, region) from the gazetteer
        self.claimed: list[tuple[int, int]] = []
        self.out: list[RuMention] = []
        self.quotes = _quote_spans(self.text)
        self.skipped_quotes: list[tuple[int, int]] = []

    def _add(self, m: RuMention) -> RuMention:
        if m.label == "Cluster" and not m.ref and "status" not in m.props:
            status = cluster_status(self.text)
            if status:
                m.props = {**m.props, "status": status}
        if m.label != "Region" and not m.regions:
            # a region written inside a quoted name: the organisation or cluster is named after it
            m.regions = [r.iso for r in self.regions if r.via == "name" and m.start <= r.start and r.end <= m.end
                         and any(q[0] <= r.start and r.end <= q[1] for q in self.quotes)]
        self.out.append(m)
        self.claimed.append((m.start, m.end))
        return m

    def _region_at(self, a: int, b: int) -> list[RegionHit]:
        return [r for r in self.regions if r.start >= a and r.end <= b]

    def run(self) -> list[RuMention]:
        for r in self.regions:
            self._add(RuMention("Region", r.iso, r.start, r.end, r.surface, props={"iso": r.iso},
                                ref=None, regions=[r.iso]))
        # Region adjectives ("тульского") are not naming mentions of a place by themselves here, nor are
        # regions inside a quoted name («Фармацевтический кластер Пермского края»): that name carries them.
        quoted = [(q[0], q[1]) for q in self.quotes]
        self.out = [m for m in self.out if not self._adjectival(m)
                    and not any(a <= m.start and m.end <= b for a, b in quoted)]
        self.claimed = [(m.start, m.end) for m in self.out]
        self.legal_forms()
        self.org_forms()
        self.gazetteer_orgs()
        self.clusters()
        self.institutions()
        self.quoted()
        self.ner_orgs()
        self.company_word_names()
        self.people()
        self.list_items()
        self.enterprise_regions()
        return sorted(self.out, key=lambda m: m.start)

    def enterprise_regions(self) -> None:
        """Regions written next to an organisation: 'тульское предприятие ООО «X»', 'предприятие Тульской
        области ООО «X»', 'ООО «X» (Тульская область)', 'ООО «X» из Брянской области', 'ООО «X», расположенное
        в Костромской области', 'со стороны Чувашии станет ООО «X»'."""
        for m in self.out:
            if m.label not in {"Enterprise", "Institution"} or m.ref or m.regions:
                continue  # a region the name itself carries (or the gazetteer knows) is the place
            for r in self.regions:
                if (r.end <= m.start and m.start - r.end <= 40 and self._region_before(r, m)) or (
                        r.start >= m.end and AFTER_ORG_RE.fullmatch(self.text[m.end:r.start])):
                    m.regions.append(r.iso)
                    if r.start >= m.end and PLURAL_AFTER_RE.fullmatch(self.text[m.end:r.start]):
                        self._place_list_before(m, r.iso)
            if not m.regions:
                self._named_after_region(m)

    def _place_list_before(self, last: RuMention, iso: str) -> None:
        """The organisations coordinated before `last` ('X, Y и Z, работающие в …') share its region."""
        cur = last
        for m in sorted((x for x in self.out if x.end <= last.start), key=lambda x: x.start, reverse=True):
            if m.label not in {"Enterprise", "Institution"} or not re.fullmatch(r"\s*(?:,|и)\s*",
                                                                                 self.text[m.end:cur.start]):
                break
            if iso not in m.regions:
                m.regions.append(iso)
            cur = m

    def _named_after_region(self, m: RuMention) -> None:
        """'ЮграКомпозит', 'Кузбасс-Пласт': an organisation whose name starts with a one-word region name is
        in that region."""
        words = WORD_RE.findall(m.name)
        if not words:
            return
        w = words[0]
        for v, iso in _one_word_regions().items():
            if w.lower().startswith(v) and len(w) > len(v) and (w[len(v)] == "-" or w[len(v)].isupper()):
                m.regions.append(iso)
                return

    def _region_before(self, r: RegionHit, m: RuMention) -> bool:
        company = _set("enterprises", "company_words")
        between = WORD_RE.findall(self.text[r.end:m.start])
        before = WORD_RE.findall(self.text[max(0, r.start - 25):r.start])[-1:]
        if r.via == "adjective":
            return len(between) == 1 and lemma(between[0]) in company
        if not between:
            return bool(before) and lemma(before[0]) in company
        return bool(re.search(r"со\s+стороны\s+$", self.text[:r.start])) and not re.search(
            r"[,;:]", self.text[r.end:m.start])

    def _adjectival(self, m: RuMention) -> bool:
        return any(r.via == "adjective" and r.start == m.start for r in self.regions)

    # enterprises with a legal form: ООО «Презент упаковка», АО Арнест
    def legal_forms(self) -> None:
        quoted, bare, forms = _legal()
        for m in quoted.finditer(self.text):
            q = next((q for q in self.quotes if q[0] == m.end()), None)
            if q is None or _overlaps(m.start(), q[1], self.claimed):
                continue
            form = m.group(1).split()[0]
            name = q[2]
            surface = self.text[m.start():q[1]]
            if has_cluster_word(name):
                self._add(RuMention("Cluster", name, m.start(), q[1], surface, aliases=[surface]))
            else:
                self._add(RuMention("Enterprise", name, m.start(), q[1], surface,
                                    props={"legalForm": forms[form]}, aliases=[surface]))
        for m in bare.finditer(self.text):
            if _overlaps(m.start(), m.end(), self.claimed):
                continue
            name = m.group(2)
            self._add(RuMention("Enterprise", name, m.start(), m.end(), m.group(0),
                                props={"legalForm": forms[m.group(1)]}))

    # АНО ДПО «Институт экономики знаний», ФГБОУ ВО «...», НП «... кластер»
    def org_forms(self) -> None:
        for m in _org_forms().finditer(self.text):
            q = next((q for q in self.quotes if q[0] == m.end()), None)
            if q is None or _overlaps(m.start(), q[1], self.claimed):
                continue
            surface = self.text[m.start():q[1]]
            if has_cluster_word(q[2]):
                self._add(RuMention("Cluster", q[2], m.start(), q[1], surface, aliases=[surface]))
            else:
                kind = _inst_kind(q[2])
                # an АНО / НП "Агентство ..." is a non-profit, not a government agency
                kind = "other" if kind in {"government", "ministry"} else kind
                self._add(RuMention("Institution", q[2], m.start(), q[1], surface,
                                    props={"kind": kind}, aliases=[surface]))

    def gazetteer_orgs(self) -> None:
        for a, b, label, name, kind, aliases, region_iso in self.gaz_orgs:
            # "Министерство сельского хозяйства и продовольствия Ростовской области" is a longer regional
            # name that merely begins like a federal one
            nxt = re.match(r"\s+и\s+([\w-]+)", self.text[b:])
            if nxt and has_case(nxt.group(1), "gent", NOUNLIKE) and nxt.group(1)[:1].islower():
                continue
            # "Белгородский (региональный) фонд развития промышленности": a region adjective before a
            # lower-case federal name makes it the region's own body, left to the institution rule
            pre = re.search(r"(\w+)\s+(?:\w+\s+)?$", self.text[max(0, a - 40):a])
            if self.text[a:a + 1].islower() and pre and any(
                    r.via == "adjective" and r.surface[:1].isupper() and r.end <= a and a - r.end <= 16
                    for r in self.regions):
                continue
            if not _overlaps(a, b, self.claimed):
                props = {"kind": kind} if label == "Institution" else {}
                # "ОЭЗ «Дубна»" is in Moscow Oblast, whatever city the text names near it
                self._add(RuMention(label, name, a, b, self.text[a:b], props=props, aliases=aliases,
                                    regions=[region_iso] if region_iso else []))

    # clusters: кластер «X», кластеры «A», «B» и «C», described "кластер средств реабилитации",
    # references "создаваемого кластера", "тульский кластер"
    def clusters(self) -> None:
        toks = self.toks
        reference = _set("clusters", "reference_words")
        nonspecific = _set("clusters", "nonspecific_adjectives")
        adjf = frozenset({"ADJF"})
        for i, t in enumerate(toks):
            if lemma(t.text) != "кластер" or _overlaps(t.start, t.end, self.claimed):
                continue
            if _overlaps(t.start, t.end, [(q[0], q[1]) for q in self.quotes]):
                continue  # inside a quoted name: that name is the mention
            # adjectives (and "и" between them) to the left, up to a word that only points
            # ("создаваемого", "этот"): those stay out of the name
            j = i
            while j > 0:
                prev = toks[j - 1]
                if prev.text == "и" and j > 1 and is_pos(toks[j - 2].text, adjf):
                    j -= 1
                    continue
                if not is_pos(prev.text, adjf) or lemma(prev.text) in reference:
                    break
                j -= 1
            while j < i and toks[j].text == "и":
                j += 1
            left = toks[j:i]
            in_region = [lt for lt in left if any(r.start <= lt.start < r.end for r in self.regions)]
            regions = [r.iso for r in self.regions if any(r.start <= lt.start < r.end for lt in left)]
            specific = [lt for lt in left if lt.text != "и" and lemma(lt.text) not in nonspecific
                        and lt not in in_region]
            plural = any(p.tag.number == "plur" for p in parses(t.text)[:1])
            # quoted names right after the cluster word
            names = self._quoted_list(t.end)
            if names:
                for a, b, inner in names:
                    surface = self.text[toks[j].start:b] if (a, b) == names[0][:2] else self.text[a:b]
                    self._add(RuMention("Cluster", inner, a, b, surface, aliases=[surface], regions=list(regions)))
                self.claimed.append((t.start, t.end))
                continue
            tail = self._genitive_tail(i + 1, stop=_set("clusters", "tail_stop"))
            if not tail and i + 2 < len(toks) and toks[i + 1].text.lower() == "по":
                # "кластер по производству композитных материалов"
                dat = self._dative_head(i + 2)
                if dat:
                    tail = [toks[i + 1], *dat]
                    tail += self._genitive_tail(i + 2 + len(dat), stop=_set("clusters", "tail_stop"))
            k = i + 1 + len(tail)
            if tail and k + 1 < len(toks) and toks[k].text.lower() == "для":
                # "кластер оборудования для нефтегазовой отрасли": the purpose belongs to the name
                purpose = self._genitive_tail(k + 1, stop=_set("clusters", "tail_stop"), max_len=3)
                if purpose and is_pos(purpose[-1].text, frozenset({"NOUN"})):
                    tail = [*tail, toks[k], *purpose]
            if (specific or tail) and not plural:
                span = toks[j:i + 1 + len(tail)]
                name = phrase_nominative(self.text, span, i - j)
                if j == 0 or not left:
                    name = name[:1].lower() + name[1:] if not toks[j].text[1:2].isupper() else name
                a, b = span[0].start, span[-1].end
                self._add(RuMention("Cluster", name, a, b, self.text[a:b], aliases=[self.text[a:b]],
                                    regions=regions, described=True))
            elif not plural:
                self._add(RuMention("Cluster", "", toks[j].start, t.end, self.text[toks[j].start:t.end],
                                    ref="cluster", regions=regions))

    def _quoted_list(self, pos: int) -> list[tuple[int, int, str]]:
        """Quoted names starting at `pos` (after spaces), continued by ', ' / ' и ' / ', а также '."""
        out: list[tuple[int, int, str]] = []
        for a, b, inner in self.quotes:
            gap = self.text[pos:a]
            if a < pos:
                continue
            if (not out and gap.strip() == "") or (out and re.fullmatch(r"\s*(?:,|и|,\s*и|,\s*а также)\s*", gap)):
                out.append((a, b, inner))
                pos = b
            elif a > pos:
                break
        return out

    def _genitive_tail(self, i: int, stop: frozenset[str] = frozenset(), max_len: int = 6) -> list[Tok]:
        """Tokens from `i` that continue a noun phrase in the genitive ('средств реабилитации')."""
        toks = self.toks
        out: list[Tok] = []
        k = i
        while k < len(toks) and len(out) < max_len:
            t = toks[k]
            if any(r.start <= t.start < r.end for r in self.regions) or not _is_word(t):
                break
            if t.text == "и" and out and k + 1 < len(toks) and has_case(toks[k + 1].text, "gent", NOUNLIKE):
                out.append(t)
                k += 1
                continue
            if not has_case(t.text, "gent", NOUNLIKE) or lemma(t.text) in stop or t.text[:1].isupper() or any(
                    p.tag.POS in NOT_NOMINAL for p in parses(t.text)):
                break
            out.append(t)
            k += 1
        while out and (out[-1].text == "и" or is_pos(out[-1].text, ADJ)):
            out.pop()
        return out

    def _dative_head(self, i: int) -> list[Tok]:
        """Adjectives and a noun in the dative from `i` ('производству', 'химической промышленности')."""
        out: list[Tok] = []
        for t in self.toks[i:i + 4]:
            if not _is_word(t) or not has_case(t.text, "datv", NOUNLIKE) or any(
                    p.tag.POS in NOT_NOMINAL for p in parses(t.text)):
                break
            out.append(t)
            if is_pos(t.text, frozenset({"NOUN"})):
                return out
        return []

    # quoted names in other contexts: «X» after a company word or an institution head
    def quoted(self) -> None:
        company = _set("enterprises", "company_words")
        not_org = _set("enterprises", "not_org_before")
        heads = _heads()
        media = {w.lower() for w in vocab("enterprises")["media"]}
        for a, b, inner in self.quotes:
            if _overlaps(a, b, self.claimed):
                continue
            before = [lemma(w) for w in _words_before(self.text, a, 2)]
            last = before[-1] if before else ""
            owner = self._bracketed_after(a)
            if owner is not None:
                owner.aliases.append(inner)
                self.claimed.append((a, b))
                continue
            if inner.lower() in media:
                continue
            if _names_cluster(inner) and last not in not_org:
                name = _quoted_nominative(inner)
                self._add(RuMention("Cluster", name, a, b, self.text[a:b],
                                    aliases=[inner] if name != inner else []))
            elif last in not_org:
                self.skipped_quotes.append((a, b))
                self.claimed.append((a, b))
            elif last in heads and last not in company:
                start = self.text[:a].rstrip().rfind(" ") + 1  # the head word: "технопарка «Центр»"
                surface = self.text[start:b]
                kind = heads[last]["kind"]
                self._add(RuMention("Institution", inner, start, b, surface, props={"kind": kind},
                                    aliases=[surface]))
            elif last in company or any(n[0] == "ORG" and n[1] < b and a < n[2] for n in self.ner):
                self._add(RuMention("Enterprise", inner, a, b, self.text[a:b]))

    # institutions by head noun: Министерство промышленности и торговли Тульской области,
    # регионального Фонда развития промышленности, Ассоциации кластеров, технопарков и ОЭЗ России
    def institutions(self) -> None:
        toks = self.toks
        heads = _heads()
        regional = _set("institutions", "regional_words")
        buildings = _set("institutions", "building_words")
        for i, t in enumerate(toks):
            lem = lemma(t.text)
            h = heads.get(lem)
            if h is None or _overlaps(t.start, t.end, self.claimed):
                continue
            if not t.text.isupper() and not any(p.tag.POS == "NOUN" for p in parses(t.text)[:2]):
                continue
            if i > 0 and lemma(toks[i - 1].text) in buildings:
                continue  # "в Доме Правительства": a building, not the body
            j = i
            # "Белгородский региональный фонд …": a capitalised region adjective starts the name (and places it)
            while j > 0 and is_pos(toks[j - 1].text, frozenset({"ADJF"})) and (
                    not _overlaps(toks[j - 1].start, toks[j - 1].end, self.claimed)
                    or self._region_adjective(toks[j - 1], regional) is not None):
                j -= 1
            tail, regions, russia, ref_regional = self._inst_tail(i + 1)
            left = toks[j:i]
            # a sentence-initial region adjective ("Свердловский областной колледж …") still starts a name
            cap = _capitalised(t, i) or any(_capitalised(lt, k + j) or k + j == 0 and self._region_adjective(
                lt, regional) for k, lt in enumerate(left)) or t.text.isupper()
            if not tail and not (cap and left):
                # a bare "фондом", "технопарка": the document's one fund or technopark, resolved later
                if not left and t.text.islower() and any(p.tag.number == "sing" for p in parses(t.text)[:1]):
                    self.out.append(RuMention("Institution", lem, t.start, t.end, t.text, ref="head"))
                continue
            # "регионального Фонда" points at the region's fund; "Свердловский областной колледж" is a name
            if any(lemma(lt.text) in regional for lt in left) and not any(
                    _capitalised(lt, k + j) for k, lt in enumerate(left)):
                ref_regional = True
            if not (h.get("strong") or cap or regions or russia or (ref_regional and tail)):
                continue
            span = toks[j:i + 1 + len(tail)]
            a, b = span[0].start, span[-1].end
            if not regions:
                regions = list(dict.fromkeys(r.iso for lt in left if (r := self._region_adjective(lt, regional))))
            name = phrase_nominative(self.text, span, i - j)
            name = name[:1].upper() + name[1:]
            # "Ассоциация межрегионального промышленного кластера ...": the cluster word is part of the name
            self.out = [m for m in self.out if not (m.ref == "cluster" and a <= m.start and m.end <= b)]
            self._add(RuMention("Institution", name, a, b, self.text[a:b], props={"kind": h["kind"]},
                                aliases=[self.text[a:b]], regions=regions,
                                ref="regional" if ref_regional and not regions else None))

    def _region_adjective(self, tok: Tok, regional: frozenset[str]) -> RegionHit | None:
        """The capitalised region adjective `tok` belongs to ("Белгородский", also read with a following
        "региональный" as "Белгородский региональный"), if any."""
        for r in self.regions:
            if r.start <= tok.start < r.end and r.surface[:1].isupper() and (
                    r.via == "adjective" or lemma(WORD_RE.findall(r.surface)[-1]) in regional):
                return r
        return None

    def _inst_tail(self, i: int) -> tuple[list[Tok], list[str], bool, bool]:
        """The genitive tail of an institution name: (tokens, region ISO codes, names Russia, says 'региона')."""
        toks = self.toks
        out: list[Tok] = []
        regions: list[str] = []
        russia = regional = False
        k = i
        while k < len(toks) and len(out) < 12:
            t = toks[k]
            reg = next((r for r in self.regions if r.start <= t.start < r.end), None)
            if reg is not None:
                if reg.via == "adjective" or not out and t.text == "и":
                    break
                regions.append(reg.iso)
                while k < len(toks) and toks[k].start < reg.end:
                    out.append(toks[k])
                    k += 1
                # coordinated regions: "Тульской и Калужской областей" stay one tail
                if k + 1 < len(toks) and toks[k].text == "и" and any(
                        r.start == toks[k + 1].start for r in self.regions):
                    out.append(toks[k])
                    k += 1
                    continue
                break
            rm = RUSSIA_RE.match(self.text[t.start:])
            if rm:
                russia = True
                while k < len(toks) and toks[k].start < t.start + rm.end():
                    out.append(toks[k])
                    k += 1
                break
            if _overlaps(t.start, t.end, self.claimed) and not any(
                    m.ref == "cluster" and m.start <= t.start < m.end for m in self.out):
                break
            if t.text == "," and out and k + 1 < len(toks):
                # "кластеров, технопарков", "инженерных, климатических систем": a comma inside a list of
                # the same part of speech, case and number
                nxt = toks[k + 1]
                prev = [p for p in parses(out[-1].text) if p.tag.POS in {"NOUN", "ADJF"} and "gent" in p.tag]
                # nouns of one list may differ in number when "и" closes it ("Министерство инвестиций,
                # промышленности и науки")
                closed = prev and prev[0].tag.POS == "NOUN" and re.match(r"[^,.;«»]{0,40}\sи\s", self.text[nxt.end:])
                same = prev and any(p.tag.POS == prev[0].tag.POS and "gent" in p.tag
                                    and (p.tag.number == prev[0].tag.number or closed) for p in parses(nxt.text))
                if same and nxt.text[:1].islower():
                    out.append(t)
                    k += 1
                    continue
                break
            if t.text == "и" and out and k + 1 < len(toks):
                nxt = toks[k + 1]
                if has_case(nxt.text, "gent", NOUNLIKE) or nxt.text.isupper() or RUSSIA_RE.match(
                        self.text[nxt.start:]):
                    out.append(t)
                    k += 1
                    continue
                break
            if t.text == "имени":
                # "университет имени В. Я. Горина": initials and the surname belong to the name
                n = k + 1
                while n + 1 < len(toks) and len(toks[n].text) == 1 and toks[n].text.isupper() \
                        and toks[n + 1].text == ".":
                    n += 2
                if n < len(toks) and toks[n].text[:1].isupper() and _is_word(toks[n]):
                    out.extend(toks[k:n + 1])
                    k = n + 1
                    break
            if not _is_word(t) or (not out and any(p.tag.POS in NOT_NOMINAL for p in parses(t.text)[:1])):
                break
            if t.text.isupper() and len(t.text) <= 5 and out:
                out.append(t)
                k += 1
                continue
            # "Фонд содействия кредитованию малого бизнеса": a dative object after "содействия", "поддержки"
            dative_ok = bool(out) and lemma(out[-1].text) in {"содействие", "поддержка", "помощь"} \
                and has_case(t.text, "datv", NOUNLIKE)
            if not dative_ok and (not has_case(t.text, "gent", NOUNLIKE) or (
                    t.text[:1].isupper() and not out and lemma(t.text) in _heads())):
                break
            if any(s[1] <= t.start < s[2] and s[0] == "PER" for s in self.ner):
                break
            out.append(t)
            if lemma(t.text) in {"регион", "область", "край", "республика"}:
                regional = True
                k += 1
                break
            k += 1
        while out and (out[-1].text in {"и", ","} or (is_pos(out[-1].text, ADJ) and not regions and not russia)):
            out.pop()
        return out, regions, russia, regional

    # natasha ORG spans not explained by a rule above: companies ("Группы ПТК", "ML GROUP")
    def ner_orgs(self) -> None:
        company = _set("enterprises", "company_words")
        not_org = _set("enterprises", "not_org_before")
        strip = sorted(vocab("enterprises")["strip_prefixes"], key=len, reverse=True)
        media = {w.lower() for w in vocab("enterprises")["media"]}
        source_words = _set("enterprises", "source_words")
        for typ, a, b in self.ner:
            first_lemma = lemma(WORD_RE.findall(self.text[a:b])[0]) if WORD_RE.search(self.text[a:b]) else ""
            # natasha sometimes tags "Группы Агроплюс" as a place; a company word in front settles it
            if typ != "ORG" and not (typ == "LOC" and first_lemma in company and " " in self.text[a:b].strip()):
                continue
            # natasha drops the closing quote: «Name -> «Name»
            if self.text[a:b].count("«") > self.text[a:b].count("»") and b < len(self.text) and self.text[b] == "»":
                b += 1
            if _overlaps(a, b, self.claimed) or _overlaps(a, b, self.skipped_quotes):
                continue
            before = [lemma(w) for w in _words_before(self.text, a, 1)]
            if before and before[0] in not_org:
                continue
            surface = self.text[a:b]
            name = surface.strip("«»\"“” ")
            # "ЮЖНО-САХАЛИНСК, 12 марта.": a dateline in capitals is a city, not a company
            if surface.isupper() and "«" not in surface and (
                    re.match(r"\s*,\s*\d{1,2}\s", self.text[b:])
                    or not self.text[:a].strip() and re.match(r"\s*[—–]\s", self.text[b:])):
                continue  # also "ЮЖНО-САХАЛИНСК — …" opening a paragraph
            # news agencies and platforms quoted as sources are not companies of the story
            after = [lemma(w) for w in WORD_RE.findall(self.text[b:b + 30])[:1]]
            if name.lower() in media or (before and before[0] in source_words) or (after and after[0] in source_words):
                continue
            # "Ассоциация ... («ИКСЭл»)": an abbreviation in brackets is another name of what precedes it
            owner = self._bracketed_after(a)
            if owner is not None:
                owner.aliases.append(name)
                self.claimed.append((a, b))
                continue
            # "группа компаний ML GROUP" -> "ML GROUP"
            pre = self.text[max(0, a - 20):a].lower()
            for p in strip:
                if name.lower().startswith(p.lower() + " "):
                    name = name[len(p) + 1:]
                    break
            words = WORD_RE.findall(name)
            if not words:
                continue
            first = words[0]
            latin = bool(re.search(r"[A-Za-z]", name)) and not re.search(r"[а-яё]", name, re.IGNORECASE)
            company_ctx = lemma(first) in company or any(w in pre for w in ("компани", "групп", "предприят", "холдинг"))
            if lemma(first) in _heads() or has_cluster_word(name):
                continue
            if not (latin or company_ctx or len(words) <= 3 and any(w.isupper() and len(w) > 1 for w in words)):
                continue
            if lemma(first) in company and not first.isupper():
                toks = [Tok(w.group(0), w.start(), w.end()) for w in WORD_RE.finditer(name)]
                name = phrase_nominative(name, toks, 0)
            self._add(RuMention("Enterprise", name, a, b, surface, aliases=[surface]))

    def company_word_names(self) -> None:
        """'компания ЮграКомпозит', 'предприятие Тобольск-Полимермаш': an unquoted name shaped like a brand
        (a hyphen between capitals, or a capital inside the word) after a company word is a company."""
        company = _set("enterprises", "company_words")
        toks = self.toks
        for i in range(1, len(toks)):
            t = toks[i]
            w = t.text
            if not (w[:1].isupper() and (re.search(r"-[А-ЯЁA-Z]", w) or re.search(r"[а-яёa-z][А-ЯЁA-Z]", w))):
                continue
            if lemma(toks[i - 1].text) not in company:
                continue
            # "Кузбасс-Пласт": a region name inside the word is part of the company's name
            inner = [m for m in self.out if m.label == "Region" and t.start <= m.start and m.end <= t.end]
            spans = {(m.start, m.end) for m in inner}
            if _overlaps(t.start, t.end, [c for c in self.claimed if c not in spans]) or inner and "-" not in w:
                continue
            self.out = [m for m in self.out if m not in inner]
            self.claimed = [c for c in self.claimed if c not in spans]
            self._add(RuMention("Enterprise", w, t.start, t.end, w, aliases=[w]))

    def list_items(self) -> None:
        """'Среди участников — ООО «А», Приосколье и Белгородский бекон': after a membership or anchor
        statement, capitalised list items that nothing else marks are organisations (institutions when
        their first word is an institution's head word)."""
        low = self.text.lower().replace("ё", "е")
        not_names = frozenset(vocab("enterprises")["list_not_names"])
        for rx in _list_triggers():
            for tm in rx.finditer(low):
                pos = tm.end()
                while pos < len(self.text):
                    sep = re.match(r"\s*(?:,\s*(?:а\s+также\s+|и\s+)?|\s+и\s+|\s+а\s+также\s+)", self.text[pos:])
                    if sep and pos > tm.end():
                        pos += sep.end()
                    elif pos > tm.end():
                        break
                    # a mention here, perhaps after lower-case words ("компания «Петровакс Фарм»")
                    known = next(
                        (
                            m
                            for m in sorted(self.out, key=lambda x: x.start)
                            if m.end > pos
                            and m.start <= pos + 30
                            and re.fullmatch(r"[\sа-яёa-z\-]*", self.text[pos : max(pos, m.start)])
                        ),
                        None,
                    )
                    if known is not None and known.label == "Official" and not known.post and not re.sub(
                            r"\s|\bи\b", "", self.text[pos:known.start]):
                        # "…, АО «Сигма» и Тобольск-Полимермаш": a member list holds organisations, not people
                        self.out.remove(known)
                        self.claimed = [c for c in self.claimed if c != (known.start, known.end)]
                        known = None
                    if known is not None:
                        pos = known.end
                        continue
                    im = re.match(
                        r"([А-ЯЁA-Z][\w\-]*(?:\s+(?!и\s|а\s)[\w\-]+){0,5}?)(?=\s*(?:,|\.|;|:|\(|$|\s+и\s|\s+а\s+также\s))",
                        self.text[pos:],
                    )
                    if not im:
                        break
                    a, b = pos + im.start(1), pos + im.end(1)
                    words = im.group(1).split()
                    if words[0] in not_names or _overlaps(a, b, self.claimed) or any(
                        w[:1].isdigit() for w in words
                    ):
                        break
                    name = im.group(1)
                    kind = _inst_kind(name, default="")
                    if kind:
                        self._add(RuMention("Institution", name, a, b, name, props={"kind": kind}))
                    else:
                        self._add(RuMention("Enterprise", name, a, b, name, aliases=[name]))
                    pos = b

    def _bracketed_after(self, a: int) -> RuMention | None:
        """The organisation mention that ends right before '(' + position `a`, if any."""
        m = re.search(r"\(\s*[«\"“]?\s*$", self.text[:a])
        if not m:
            return None
        end = len(self.text[:m.start()].rstrip())
        return next((x for x in self.out if x.end == end and x.label in {"Institution", "Enterprise", "Cluster"}),
                    None)

    # people: natasha PER spans, in the nominative, with the post written next to them
    def people(self) -> None:
        for typ, a, b in self.ner:
            if typ != "PER" or _overlaps(a, b, self.claimed):
                continue
            words = WORD_RE.findall(self.text[a:b])
            # "университет имени Н. Э. Баумана" names a namesake, not a person in the news
            if not words or lemma((_words_before(self.text, a, 1) or [""])[0]) in {"имя", "им"}:
                continue
            full = [w for w in words if len(w) > 1]
            written = person_nominative(words)
            # the schema's name is given name + surname: "Василий Юрьевич Голубев" -> "Василий Голубев"
            kept = [w for w in written.split() if not any("Patr" in p.tag for p in parses(w)[:2])]
            name = " ".join(kept) if len(kept) >= 2 else written
            m = RuMention("Official", name, a, b, self.text[a:b], aliases=[written] if written != name else [])
            m.post = self._post(a, b)
            if len(full) < 2 and m.post is None:
                m.ref = "surname"
            self._add(m)

    def _post(self, a: int, b: int) -> tuple[str, RuMention | None, str | None] | None:
        """The post written before the name ('заместитель министра ... Дмитрий Пронин') or after it
        ('Дмитрий Пронин, губернатор Тульской области')."""
        toks = self.toks
        i = _tok_index(toks, a)
        lem = [lemma(t.text) for t in toks]
        posts = _posts()
        # before: the nearest title whose gap to the name holds no clause boundary
        for s in range(i - 1, max(-1, i - 16), -1):
            for seq, en, implies in posts:
                n = len(seq)
                if s + n <= i and tuple(lem[s:s + n]) == seq:
                    end = s + n
                    # a longer title around the same word: "заместитель министра" over "министр",
                    # "врио главы" over "глава"; the organisation starts after the last title word
                    for s2 in range(max(0, s - 3), s + 1):
                        for seq2, en2, implies2 in posts:
                            n2 = len(seq2)
                            if n2 >= n and s2 < s and s2 + n2 > s and s2 + n2 <= i and tuple(
                                    lem[s2:s2 + n2]) == seq2:
                                en, implies, n = en2, implies2, n2
                                end = max(end, s2 + n2)
                                break
                    gap_a = toks[end - 1].end
                    if self._clean_gap(gap_a, a):
                        return self._post_target(en, implies, gap_a, a, toks[end - 1])
            if not _is_word(toks[s]) and toks[s].text not in {"«", "»", "-", "–"} and not _overlaps(
                    toks[s].start, toks[s].end, self.claimed) and not self._list_comma(s):
                break
        # after: "Имя Фамилия, титул организации,"
        j = _tok_index(toks, b)
        if j < len(toks) and toks[j].text in {",", "—", "–", "-", "("}:
            for seq, en, implies in posts:
                n = len(seq)
                if tuple(lem[j + 1:j + 1 + n]) == seq:
                    end = next((t.start for t in toks[j + 1 + n:] if t.text in {",", ".", ";", "(", ")", "–", "—"}
                                and not _overlaps(t.start, t.end, self.claimed)), len(self.text))
                    return self._post_target(en, implies, toks[j + n].end, end, toks[j + n])
        return None

    def _owner_before(self, title_tok: Tok) -> RuMention | None:
        """The organisation a title with no organisation after it belongs to: a bare head noun earlier in
        the clause ("со стороны фонда документ подписал его директор"), else, after a possessive pronoun
        ("её директор"), the organisation named last before this sentence (resolved by the document)."""
        i = _tok_index(self.toks, title_tok.start)
        # the first word of the title
        k = i
        while k > 0 and self.toks[k - 1].text not in {",", ":", ";", "–", "—", "."}:
            k -= 1
        clause = [m for m in self.out if m.ref == "head" and self.toks[k].start <= m.start < title_tok.start]
        if clause:
            return clause[-1]
        company = _set("enterprises", "company_words")
        lo = k
        while lo > 0 and self.toks[lo - 1].text not in {":", ";", "."}:
            lo -= 1
        for t in reversed(self.toks[lo:i]):
            if lemma(t.text) in company and t.text.islower() and not _overlaps(t.start, t.end, self.claimed):
                return RuMention("Enterprise", "", t.start, t.end, t.text, ref="previous")
        words = [t.text.lower() for t in self.toks[max(0, i - 4):i]]
        if any(w in {"его", "её", "ее", "их"} for w in words):
            return RuMention("Institution", "", title_tok.start, title_tok.start, "", ref="previous")
        return None

    def _list_comma(self, k: int) -> bool:
        """A comma inside a list of genitive nouns ("промышленности, торговли и предпринимательства")."""
        toks = self.toks
        return toks[k].text == "," and k + 1 < len(toks) and toks[k + 1].text[:1].islower() and has_case(
            toks[k + 1].text, "gent", frozenset({"NOUN"}))

    def _clean_gap(self, a: int, b: int) -> bool:
        """Whether the words between a title and a name can be the organisation of the post: no clause
        boundary and no verb; a comma only inside a list of genitive nouns ("промышленности, торговли и")."""
        toks = self.toks
        for k, t in enumerate(toks):
            if not a <= t.start < b or _overlaps(t.start, t.end, self.claimed):
                continue
            if self._list_comma(k):
                continue
            if t.text in {",", ".", ";", ":", "(", ")"} or is_pos(t.text, frozenset({"VERB", "INFN"})):
                return False
        return True

    def _post_target(self, title: str, implies: str | None, a: int, b: int,
                     title_tok: Tok) -> tuple[str, RuMention | None, str | None]:
        # the organisation named in the post; a bare "кластера" is the document's cluster
        inside = [m for m in self.out if m.start >= a and m.end <= b and m.label in
                  {"Enterprise", "Institution", "Cluster"}]
        # "Глава Республики Мордовия": the region may begin inside the title itself
        regions = [r for r in self.regions if r.end > title_tok.start and r.start < b and r.via == "name"]
        if not self.text[a:b].strip():
            owner = self._owner_before(title_tok)
            if owner is not None:
                return title, owner, None
        if inside:
            return title, inside[0], None
        if implies and implies != "region" and not self.text[a:b].strip() and implies in _heads():
            # a bare "министра X": the document's one ministry (resolved with the other head references)
            return title, RuMention("Institution", implies, title_tok.start, title_tok.end, title_tok.text,
                                    props={"kind": _heads()[implies]["kind"]}, ref="head"), None
        if implies and implies != "region":
            gap = self.text[a:b].strip()
            if gap and not regions and not re.search(r"\b(?:региона|области|края|республики)\b", gap):
                gap_ok = has_case(gap.split()[0], "gent", NOUNLIKE)
                if not gap_ok:
                    return title, None, None
            if gap:
                head = implies[:1].upper() + implies[1:]
                name = f"{head} {gap}"
                ref = "regional" if not regions and re.search(r"\b(?:региона|области|края|республики)\b", gap) \
                    else None
                m = RuMention("Institution", name, title_tok.start, b, f"{implies} {gap}",
                              props={"kind": _heads().get(implies, {}).get("kind", "other")},
                              aliases=[f"{implies} {gap}"], regions=[r.iso for r in regions], ref=ref)
                return title, m, None
        if regions:
            return title, None, regions[0].iso
        if implies == "region" or re.fullmatch(r"\s*(?:региона|области|края|республики)\s*", self.text[a:b]):
            return title, None, "@main"
        return title, None, None

