"""English extraction, pass 1: mentions of the six labels in each sentence, and one entity per thing.

Regions come from the gazetteer resolver, federal bodies from the organisations gazetteer, the rest from
legal forms, head words, cluster phrases and given names (`loaders/patterns/en/*.yaml`); afterwards every
later occurrence of a known name (an acronym, a surname, a name without its legal form) is a mention too.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import Any

from loaders.document import Paragraph
from loaders.extract.common import ClusterSalience, Mention, Registry, identity_key
from loaders.extract.en_vocab import (
    ENTERPRISE_KIND,
    GENERIC_TAIL_RE,
    HEAD_QUOTE_RE,
    LEGAL_FORM_WORD,
    LEGAL_POST_RE,
    LEGAL_RE,
    LIST_GAP_RE,
    MONTH_RE,
    PLACED_KINDS,
    PUBLIC_KINDS,
    QUOTED_RE,
    SPEECH_RE,
    STATE_CORP_RE,
    TOKEN_RE,
    alternation,
    inside_word,
    rules,
    subsequence,
)
from loaders.normalize import split_legal_form
from loaders.regions import region


@dataclass
class Tok:
    """A word with its offsets in the sentence."""

    text: str
    start: int
    end: int

    @property
    def cap(self) -> bool:
        return self.text[:1].isupper()


@dataclass
class Sent:
    """A sentence of the document with the mentions found in it (offsets are sentence-relative)."""

    text: str
    para: int
    index: int
    toks: list[Tok] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    nested_regions: list[Mention] = field(default_factory=list)  # regions inside an organisation's name
    region_matches: list[Any] | None = None  # the region resolver's raw matches (given to the org gazetteer)
    chains: list[list[Mention]] = field(default_factory=list)  # cluster mentions coordinated together
    cluster_info: dict[int, dict[str, Any]] = field(default_factory=dict)  # mention start -> cluster facts

    def free(self, a: int, b: int, regions_inside: bool = False) -> bool:
        """No mention overlaps [a, b); with `regions_inside`, regions wholly inside it are allowed."""
        return all(
            m.end <= a
            or m.start >= b
            or regions_inside
            and m.label == "Region"
            and a <= m.start
            and m.end <= b
            for m in self.mentions
        )

    def add(self, m: Mention) -> None:
        self.mentions.append(m)


def tokens(text: str) -> list[Tok]:
    return [Tok(m.group(), m.start(), m.end()) for m in TOKEN_RE.finditer(text)]


def split_paragraphs(paragraphs: list[Paragraph]) -> list[Sent]:
    try:
        from loaders.sentences import split_sentences
    except ImportError:  # the readers' splitter is the norm; a plain fallback keeps extraction usable
        split_sentences = None
    out: list[Sent] = []
    for pi, p in enumerate(paragraphs):
        if split_sentences is not None:
            texts = [s.text for s in split_sentences(p.text, "en")]
        else:
            texts = [t for t in re.split(r"(?<=[.!?])\s+(?=[\"“A-Z])", p.text) if t.strip()]
        for t in texts:
            out.append(Sent(text=t, para=pi, index=len(out), toks=tokens(t)))
    return out


# ---- pass 1: mentions ---------------------------------------------------------------------------


class Doc:
    """One document's sentences, its entity registry and the mention pass over it."""

    def __init__(self, doc_id: str, paragraphs: list[Paragraph]) -> None:
        self.r = rules()
        self.reg = Registry(doc_id)
        self.sents = split_paragraphs(paragraphs)
        self.salience = ClusterSalience()
        self.cluster_core: dict[str, tuple[str, ...]] = {}
        self.first_sentence: dict[str, int] = {}
        self.last_agreement: str | None = None
        self.last_agreement_at = -1  # the sentence that named it
        self.decrees: set[str] = set()  # Agreement keys that are decrees: no parties, not about a cluster
        self.by_head: dict[str, list[str]] = {}  # head word -> institutions named with it

    # -- helpers --
    def _note(self, key: str, s: Sent) -> None:
        self.first_sentence.setdefault(key, s.index)

    def _cap_word(self, t: Tok) -> bool:
        return t.cap and t.text not in self.r.function_caps

    def regions(self, s: Sent) -> None:
        from loaders.regions import get_resolver

        s.region_matches = get_resolver().find(s.text, "en")
        for m in s.region_matches:
            if inside_word(s.text, m.start, m.end):
                continue  # "SUEK-Kuzbass" is a company, not the region
            rec = region(m.iso) if m.iso.startswith("RU-") or True else None
            key = self.reg.add_region(
                m.iso,
                rec.name,
                name_ru=rec.name_ru,
                surface=m.surface,
                props={"federalDistrict": rec.federal_district},
            )
            self._note(key, s)
            s.add(Mention(key, "Region", m.start, m.end, m.surface))

    def legal_forms(self, s: Sent) -> None:
        for m in LEGAL_RE.finditer(s.text):
            if m.group("qname"):
                name, end = m.group("qname").strip(), m.end()
            else:
                toks = tokens(m.group("name"))
                keep: list[Tok] = []
                for i, t in enumerate(toks):
                    # "JSC Arnest Vladimir Guryanov": a given name followed by a capitalised word is a person
                    if keep and t.text in self.r.given and i + 1 < len(toks) and toks[i + 1].cap:
                        break
                    keep.append(t)
                if not keep:
                    continue
                base = m.start("name")
                name, end = m.group("name")[: keep[-1].end], base + keep[-1].end
            if not s.free(m.start(), end, regions_inside=True):
                continue
            surface = s.text[m.start() : end]
            bare, form = split_legal_form(surface)
            bare = bare or name
            label, props = "Enterprise", {"legalForm": form or m.group("form").rstrip(".").upper()}
            last = bare.split()[-1].lower() if bare.split() else ""
            if last == "cluster":
                label, props = "Cluster", {}
            elif self._head_kind(bare) and (
                props["legalForm"] in ("NP", "ANO") or self._head_kind(bare) in PUBLIC_KINDS
            ):
                # non-profit forms carry associations, funds and institutes; a JSC "SEZ …" or "Technopark …"
                # is still the zone or park; a JSC "… Center" is a company
                label, props = "Institution", {"kind": self._head_kind(bare)}
            key = self.reg.add(label, bare, surface=surface, props=props)
            if label == "Cluster":
                self._cluster_meta(key, bare, s, m.start(), end, " ".join(bare.split()[:-1]))
            self._note(key, s)
            s.add(Mention(key, label, m.start(), end, surface))
        for m in LEGAL_POST_RE.finditer(s.text):
            words = m.group("name").split()
            # "The Kola Trawl Fleet JSC": a leading function word or a form word is not part of the name
            while words and (words[0] in self.r.function_caps or LEGAL_FORM_WORD.fullmatch(words[0])):
                words.pop(0)
            if not words or any(w in self.r.given for w in words[:1]) and len(words) > 1:
                continue
            a = m.end("name") - len(" ".join(words))
            surface = s.text[a : m.end()]
            if not s.free(a, m.end(), regions_inside=True):
                continue
            bare = " ".join(words)
            key = self.reg.add(
                "Enterprise", bare, surface=surface, props={"legalForm": split_legal_form(surface)[1] or m.group("form").rstrip(".").upper()},
            )
            self._note(key, s)
            s.add(Mention(key, "Enterprise", a, m.end(), surface))

    def _head_kind(self, name: str) -> str | None:
        words = name.split()
        for n in range(min(self.r.head_max, len(words)), 0, -1):
            for i in range(len(words) - n + 1):
                kind = self.r.heads.get(" ".join(words[i : i + n]))
                if kind:
                    return kind
        return None

    def known_orgs(self, s: Sent) -> None:
        try:
            from loaders import organizations
        except ImportError:
            return
        for m in organizations.find(s.text, "en", s.region_matches):
            if inside_word(s.text, m.start, m.end) or not s.free(m.start, m.end, regions_inside=True):
                continue
            rec = m.record
            surface = s.text[m.start : m.end]
            if rec.label == "Enterprise" and self._longer_name(s.text, m.end):
                continue  # "Gazprom Neftekhim Salavat" is not Gazprom
            # the record's short forms (acronyms, "Minpromtorg") help later mentions; its long generated
            # variants do not, so only one- and two-word ones are kept
            short = [
                v
                for v in rec.variants
                if len(v.split()) <= 2 and not v.lower().startswith(("the ", "russia"))
            ]
            label = rec.label if rec.label in ("Institution", "Enterprise") else "Institution"
            props = {"kind": rec.kind} if label == "Institution" else {}
            key = self.reg.add(
                label, rec.name, surface=surface, aliases=[rec.name_ru, *short][:8], props=props
            )
            self._note(key, s)
            s.add(Mention(key, label, m.start, m.end, surface))
            if rec.region and rec.kind in PLACED_KINDS and not self.reg.has_relation("LOCATED_IN", key):
                # "Dubna SEZ" is in Moscow Oblast, whatever city the text names near it
                place = region(rec.region)
                rkey = self.reg.add_region(
                    place.iso, place.name, name_ru=place.name_ru, props={"federalDistrict": place.federal_district}
                )
                self.reg.relate("LOCATED_IN", key, rkey, s.text)

    def institutions(self, s: Sent) -> None:
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
                k = r.heads.get(" ".join(t.text for t in toks[i : i + n]))
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
                kind = ENTERPRISE_KIND  # "Progress Rocket and Space Centre (JSC RSC Progress)" is a company
            if (
                kind == ENTERPRISE_KIND
                and all(t.text.lower() in r.generic for t in toks[j:i])
                and end_i == i + head_n
            ):
                i = end_i
                continue  # "New Plant", "Our Company": no name
            if kind == ENTERPRISE_KIND and re.search(r"\bMinister\s+of\s+(?:the\s+)?$", s.text[:a]):
                i = end_i
                continue  # "Minister of Fisheries and Agro-Industrial Complex": the ministry's remit
            if kind == ENTERPRISE_KIND or kind == "corporation" and not STATE_CORP_RE.search(surface):
                label = (
                    "Enterprise"  # "VSMPO-AVISMA Corporation", "Baltic Shipyard"; not "Federal Corporation …"
                )
            key = self._add_org(label, surface, kind)
            self._note(key, s)
            s.add(Mention(key, label, a, b, surface))
            i = end_i
        # lower-case regional bodies: "the government of Krasnoyarsk Krai", "Tomsk region administration"
        for rg in [m for m in s.mentions if m.label == "Region"]:
            bm = re.search(r"\b(government|administration)\s+of\s+(?:the\s+)?$", s.text[: rg.start])
            am = re.match(r"\s+(government|administration)\b(?!s)", s.text[rg.end :])
            if bm and s.free(bm.start(), rg.end, regions_inside=True):
                a, b, name = bm.start(), rg.end, f"{bm.group(1).capitalize()} of {rg.surface}"
            elif am and s.free(rg.start, rg.end + am.end(), regions_inside=True):
                a, b, name = rg.start, rg.end + am.end(), s.text[rg.start : rg.end + am.end()]
            else:
                continue
            key = self.reg.add("Institution", name, surface=s.text[a:b], props={"kind": "government"})
            self._note(key, s)
            s.add(Mention(key, "Institution", a, b, s.text[a:b]))
        # 'Association "Machine-Tool Builders of Prikamye"', 'SEZ "Tomsk"': a head word and a quoted name
        for m in HEAD_QUOTE_RE.finditer(s.text):
            kind = r.heads.get(m.group("head")) or r.appositive_kinds.get(m.group("head").lower())
            if not kind or not s.free(m.start(), m.end(), regions_inside=True):
                continue
            label = "Enterprise" if kind == ENTERPRISE_KIND else "Institution"
            name = m.group("name").strip()
            key = self.reg.add(
                label, name, surface=m.group(), props={"kind": kind} if label == "Institution" else None
            )
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
            if m.group("mid") and ("," not in s.text[m.end("mid") : m.start("name")] and not m.group("q")):
                continue  # "technopark being created Azarovsky" without a comma is not an apposition
            kind = r.appositive_kinds[m.group("head").lower()]
            key = self.reg.add(
                "Institution", name, aliases=[f"{name} {m.group('head').lower()}"], props={"kind": kind}
            )
            self._note(key, s)
            s.add(Mention(key, "Institution", m.start("name"), m.end("name"), name))
        # acronyms shaped like university abbreviations ("VlSU", "NCFU")
        for t in toks:
            if (
                r.acronym_univ.match(t.text)
                and sum(c.isupper() for c in t.text) >= 2
                and s.free(t.start, t.end)
            ):
                key = self.reg.add("Institution", t.text, props={"kind": "university"})
                self._note(key, s)
                s.add(Mention(key, "Institution", t.start, t.end, t.text))

    def _add_org(self, label: str, surface: str, kind: str) -> str:
        """Register an organisation; 'X Corporation' / 'X Group' also answers to plain 'X'."""
        short = GENERIC_TAIL_RE.sub("", surface)
        aliases = [short] if label == "Enterprise" and short != surface and len(short) >= 3 else []
        props = {"kind": kind} if label == "Institution" else None
        return self.reg.add(label, surface, aliases=aliases, props=props)

    def _adjacent(self, s: Sent, toks: list[Tok], a: int, b: int) -> bool:
        """Tokens a..b are separated by single spaces only."""
        return all(s.text[toks[k].end : toks[k + 1].start].strip() == "" for k in range(a, b))

    def _prefix(self, s: Sent, toks: list[Tok], i: int) -> int:
        j = i
        while j > 0:
            prev = toks[j - 1]
            gap = s.text[prev.end : toks[j].start]
            if gap.strip():
                break
            if self._in_person_or_org(s, prev) or prev.text.endswith("-based"):
                break  # "Samara-based Volzhsky Pipe Plant": the place descriptor is not in the name
            pl = prev.text.lower()
            if (
                pl in self.r.headline_verbs
                or pl in self.r.titles
                or (prev.text in self.r.given and toks[j].text not in self.r.not_surnames)
                or (j >= 2 and toks[j - 2].text in self.r.given and prev.text not in self.r.not_surnames)
            ):
                # a headline verb, a post or a person ends the name ("Governor Dmitry Milyaev Opens New …")
                break
            if self._cap_word(prev):
                j -= 1
                continue
            # "Energy and Mechanical College": 'and' between two capitalised modifiers, not after a name
            if (
                prev.text == "and"
                and j < i
                and j >= 2
                and self._cap_word(toks[j - 2])
                and not s.text[toks[j - 2].end : prev.start].strip()
                and (j < 3 or toks[j - 3].text not in self.r.given)
                and toks[j - 2].text not in self.r.given
                and not self._in_person_or_org(s, toks[j - 2])
                and not self._after_list_comma(s, toks, j - 2)
                # "Geoterm and Kamchatka State Technical University": a place word starts the second name
                and not any(m.label == "Region" and m.start <= toks[j].start < m.end for m in s.mentions)
                # "Kuibyshev Azot and Samara Polymer Group": two-word names on both sides of a company head
                and not (
                    self.r.heads.get(toks[i].text) == ENTERPRISE_KIND
                    and i - j >= 2
                    and j >= 3
                    and self._cap_word(toks[j - 3])
                    and not s.text[toks[j - 3].end : toks[j - 2].start].strip()
                )
            ):
                j -= 2
                continue
            break
        return j

    def _after_list_comma(self, s: Sent, toks: list[Tok], k: int) -> bool:
        """The capitalised run ending at token k follows a comma: 'X, Angara Composites and Baikal Tool
        Works' coordinates two names, unlike 'Energy and Mechanical College'."""
        while k > 0 and self._cap_word(toks[k - 1]) and not s.text[toks[k - 1].end : toks[k].start].strip():
            k -= 1
        return k > 0 and s.text[toks[k - 1].end : toks[k].start].strip() == ","

    def _in_person_or_org(self, s: Sent, t: Tok) -> bool:
        return any(m.start <= t.start < m.end and m.label != "Region" for m in s.mentions)

    def _tail(self, s: Sent, toks: list[Tok], k: int) -> int:
        """End token index of an of/for-complement ("of Industry and Trade of Russia"), trimmed to a
        capitalised word."""
        r = self.r
        if (
            k >= len(toks)
            or toks[k].text not in ("of", "for", "on")
            or s.text[toks[k - 1].end : toks[k].start].strip()
        ):
            return k
        last_cap = None
        n = k
        steps = 0
        while n < len(toks) and steps < 14:
            t = toks[n]
            gap = s.text[toks[n - 1].end : t.start]
            if gap.strip() and gap.strip() != ",":
                break
            if gap.strip() == "," and not (t.cap and t.text not in r.function_caps):
                break
            low = t.text.lower()
            if t.text in r.given and n + 1 < len(toks) and toks[n + 1].cap:
                break  # "Government of the Kaluga Region Vladimir Popov": a person follows the name
            if (
                t.text == "No"
                or MONTH_RE.fullmatch(t.text)  # "… University on September 5": a date, not the name
                or (t.cap and t.text in r.function_caps and t.text not in ("The",))
                or self._in_person_or_org(s, t)
                or LEGAL_FORM_WORD.fullmatch(t.text)
            ):
                break
            if low in ("and", ",") or gap.strip() == ",":
                # stop before a second coordinated name
                # ("… of Nevinnomyssk and North-Caucasus Federal University")
                nxt = n + 1 if low == "and" else n
                nxt = nxt + 1 if nxt < len(toks) and toks[nxt].text == "the" else nxt
                run = nxt
                while run < len(toks) and toks[run].cap and run - nxt < 6:
                    run += 1
                # "Ministry of Fisheries and Agro-Industrial Complex of …": a ministry's remit may end in a
                # company head word, which starts no second name there
                remit = r.heads.get(toks[k - 1].text) == "ministry"
                if run - nxt >= 2 and r.heads.get(toks[run - 1].text) and not (
                    remit and r.heads.get(toks[run - 1].text) == ENTERPRISE_KIND
                ):
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
            elif low not in ("of", "for", "the", "and", "on", "&") and (
                low in r.cl_stop or last_cap is not None
            ):
                # lower-case words belong to a name only before its proper part ("College of chemistry …")
                break
            n += 1
            steps += 1
        return last_cap + 1 if last_cap is not None else k

    def persons(self, s: Sent) -> None:
        toks, r = s.toks, self.r
        for m in SPEECH_RE.finditer(s.text):
            g, sur = m.group("g"), m.group("s")
            if (
                g in r.function_caps
                or g in r.not_surnames
                or sur in r.not_surnames
                or not s.free(m.start("g"), m.end("s"))
            ):
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
            if (
                j + 1 < len(toks)
                and re.search(r"(?:ovich|evich|ich|ovna|evna|ichna)$", toks[j].text)
                and toks[j + 1].cap
            ):
                j += 1
            sur = toks[j]
            if not (
                sur.cap
                and sur.text not in r.not_surnames
                and sur.text not in r.function_caps
                and s.text[toks[j - 1].end : sur.start] == " "
                and s.free(sur.start, sur.end)
                and not sur.text.isupper()
            ):
                i += 1
                continue
            if (
                j + 1 < len(toks)
                and toks[j + 1].text in r.heads
                and s.text[sur.end : toks[j + 1].start] == " "
            ):
                i += 1  # "Vladimir State University"
                continue
            name = s.text[t.start : sur.end]
            key = self.reg.add("Official", f"{t.text} {sur.text}", surface=name)
            self._note(key, s)
            s.add(Mention(key, "Official", t.start, sur.end, name))
            i = j + 1

    # -- clusters --
    def clusters(self, s: Sent) -> None:
        toks, r = s.toks, self.r
        for i, t in enumerate(toks):
            low = t.text.lower()
            if low == "association" and not t.cap or low == "partnership" and not t.cap:
                # "members of this association" in a cluster article: a reference to the cluster
                # "the new association", "this regional association" too
                k = i - 1
                if k > 0 and toks[k].text.lower() in r.generic and toks[k].text.lower() not in r.determiners:
                    k -= 1
                if k >= 0 and toks[k].text.lower() in ("this", "the", "our") and s.free(t.start, t.end):
                    s.add(
                        Mention("", "Cluster", toks[k].start, t.end, s.text[toks[k].start : t.end], ref=True)
                    )
                continue
            if low not in ("cluster", "cluster's", "cluster’s") or not s.free(t.start, t.end):
                continue
            # premodifiers
            j = i
            while j > 0:
                prev = toks[j - 1]
                gap = s.text[prev.end : toks[j].start]
                if gap.strip() not in ("",) and not (gap.strip() in ("-",) and prev.text.endswith("-")):
                    break
                pl = prev.text.lower().rstrip("-")
                if not s.free(prev.start, prev.end):
                    # "the Chuvash electrical cluster": a region right before is part of the cluster's name
                    rg = next(
                        (
                            m
                            for m in s.mentions
                            if m.label == "Region"
                            and m.start <= prev.start < m.end
                            and m.end in (prev.end, prev.end - 2)
                        ),
                        None,
                    )
                    if rg is not None:
                        while j > 0 and toks[j - 1].start >= rg.start:
                            j -= 1
                        if j > 0 and toks[j - 1].text.lower() in r.determiners:
                            j -= 1
                    break
                if (
                    pl == "and"
                    and j < i
                    and j >= 2
                    and toks[j - 2].text.lower() not in r.cl_stop
                    and not toks[j - 2].text[:1].isdigit()
                    and not s.text[toks[j - 2].end : prev.start].strip()
                    and s.free(toks[j - 2].start, toks[j - 2].end)
                ):
                    j -= 2
                    continue
                if (
                    pl in r.cl_stop
                    or prev.text[:1].isdigit()
                    or (prev.cap and prev.text in r.function_caps and pl not in r.determiners)
                ):
                    break
                if pl in r.determiners:
                    j -= 1
                    break
                j -= 1
            # post-modifier: "cluster of food products", "cluster on the glass industry"
            k = i + 1
            post_end = i + 1
            titled = t.text == "Cluster"
            if (
                k < len(toks)
                and toks[k].text.lower() in r.postmod_preps
                and not s.text[t.end : toks[k].start].strip()
            ):
                n = k + 1
                if n < len(toks) and toks[n].text.lower() in ("the",):
                    n += 1
                cand = n
                while n < len(toks):
                    w = toks[n]
                    if s.text[toks[n - 1].end : w.start].strip():
                        break
                    wl = w.text.lower()
                    if titled:  # "Cluster of Aviation and Unmanned Aerial Systems"
                        if w.text[:1].isdigit() or MONTH_RE.fullmatch(w.text) or not (
                            w.cap and w.text not in r.function_caps or wl in ("and", "of", "the", "&")
                        ):
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
            content = [
                w
                for w in words
                if w.lower().rstrip("-") not in r.generic
                and w.lower() not in r.cl_stop
                and w.lower() not in ("the", "of", "on", "for", "and", "st")
                and not w.lower().startswith("cluster")
            ]
            quoted = QUOTED_RE.match(s.text[t.end :].lstrip()) if post_end == i + 1 else None
            if quoted:
                qa = t.end + s.text[t.end :].index(quoted.group(0))
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
                name = " ".join(s.text[toks[k0].start : b].split())
            short = [" ".join(s.text[toks[k0].start : b_core].split())] if b_core != b else []
            key = self.reg.add("Cluster", name, surface=surface, aliases=short)
            self._cluster_meta(key, name, s, a, b, " ".join(content))
            self._note(key, s)
            s.add(Mention(key, "Cluster", a, b, surface))

    def _cluster_meta(self, key: str, name: str, s: Sent, a: int, b: int, content: str) -> None:
        r = self.r
        core = tuple(
            w.lower().rstrip("-")
            for w in re.findall(r"[\w\-]+", name)
            if w.lower().rstrip("-") not in r.generic
            and w.lower() not in r.cl_stop
            and w.lower() not in ("cluster", "the", "of", "on", "for", "and", "np", "ooo", "llc")
        )
        self.cluster_core.setdefault(key, core)
        info = s.cluster_info.setdefault(a, {})
        info["key"] = key
        words = [
            w
            for w in re.findall(r"[\w\-]+", content)
            if w.lower() not in r.generic and w.casefold() not in r.region_words and w not in ("s", "S")
        ]
        industry = " ".join(w for w in words if not w[:1].isupper()) or " ".join(w.lower() for w in words)
        if industry and not QUOTED_RE.search(s.text[a:b]):  # a quoted name says nothing about the industry
            self.reg.add("Cluster", name, into=key, props={"industry": industry.strip("- ")})
        after = s.text[b:]
        clause_end = re.search(r"[.;]|,\s+(?:and|but)\s|\s+and\s+(?:a|an|the)\s", after)
        after_clause = after[: clause_end.start()] if clause_end else after
        before = s.text[max(0, a - 60) : a]
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

    def agreements(self, s: Sent) -> None:
        r = self.r
        for pat in r.rel["decrees"]:
            for m in pat.finditer(s.text):
                title = m.group().strip()
                key = self.reg.add("Agreement", title, props={"title": title})
                self.decrees.add(key)
                self._note(key, s)
                s.add(Mention(key, "Agreement", m.start(), m.end(), title))
        has_verb = any(p.search(s.text) for p in r.rel["agreement_verbs"])
        for pat in r.rel["agreement_nouns"]:
            for m in pat.finditer(s.text):
                before = s.text[max(0, m.start() - 12) : m.start()].lower()
                is_ref = bool(re.search(r"\b(?:the|this|that|these|such|its)\s+$", before))
                if is_ref and self.last_agreement is not None or not has_verb:
                    if self.last_agreement is not None:
                        s.add(
                            Mention(self.last_agreement, "Agreement", m.start(), m.end(), m.group(), ref=True)
                        )
                    continue
                tail = s.text[m.end() :]
                bm = re.match(r"\s+(?:\w+\s+){0,4}?between\s+", tail)
                if bm:
                    # the parties end at a verb, or at the time and place of signing ("on September 5 in …")
                    stop = re.search(
                        r"\s+(?:is|was|are|were|has|have|will|aimed|to|in\s+order)\b|[.;:]"
                        r"|\s+(?:on|in|at|during)\s+(?:the\s+)?(?=[A-Z0-9])(?!(?:the\s+)?(?:Development|Industry|Creation)\b)",
                        tail[bm.end() :],
                    )
                    title = (
                        m.group()
                        + " between "
                        + (tail[bm.end() : bm.end() + stop.start()] if stop else tail[bm.end() :])
                    )
                else:
                    pm = re.match(r"\s+(?:on|for|about|regarding|in)\s+[^,.;:“\"]{1,80}", tail)
                    title = m.group() + (pm.group() if pm else "")
                    title = re.split(r"\s+(?:is|was|are|were|has|have|will|which|that)\s", title)[0]
                title = " ".join(title.split())
                key = self.reg.add("Agreement", title, props={"title": title})
                self.last_agreement = key
                self.last_agreement_at = s.index
                self._note(key, s)
                s.add(Mention(key, "Agreement", m.start(), m.end(), m.group()))
        # "A cooperation agreement was concluded … . It was signed by …": the pronoun right after
        pm = re.match(
            r"\s*(?P<p>It)\s+(?:was|has\s+been|had\s+been|will\s+be)\s+(?:signed|inked|concluded)\b", s.text
        )
        if pm and self.last_agreement is not None and self.last_agreement_at == s.index - 1:
            s.add(Mention(self.last_agreement, "Agreement", pm.start("p"), pm.end("p"), "It", ref=True))
        refs = re.finditer(r"\b(?:the|this|that)\s+document\b", s.text, re.IGNORECASE)
        for m in refs:
            if self.last_agreement is not None:
                s.add(Mention(self.last_agreement, "Agreement", m.start(), m.end(), m.group(), ref=True))

    def enterprises_by_context(self, s: Sent) -> None:
        """Names that only the context marks as companies: 'HAYAT is an anchor resident', 'company Arnest'."""
        for pat in self.r.rel["anchors"]:
            for m in pat.finditer(s.text):
                before = s.text[: m.start()]
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
        for m in re.finditer(
            r"(?<![\w-])(?P<n>[A-Z][\w&\-]*(?:\s+[A-Z][\w&\-]*){0,2})\s+(?:company|shipyard|plant|"
            r"factory|works|holding|group|concern)\b",
            s.text,
        ):
            name = m.group("n")
            a = m.start("n")
            if (
                name.split()[0] in self.r.function_caps
                or not s.free(a, a + len(name))
                or any(w in self.r.not_surnames for w in name.split())
            ):
                continue
            key = self.reg.add("Enterprise", name, surface=m.group())
            self._note(key, s)
            s.add(Mention(key, "Enterprise", a, m.end(), m.group()))
        for m in re.finditer(
            r"\b(?:the\s+)?(?:company|companies|firm|manufacturer|producer|plant|holding)\s+"
            r"(?:[\"“«](?P<q>[^\"”»]{2,60})[\"”»]|(?P<n>[A-Z][\w&\-]*(?:\s+[A-Z][\w&\-]*){0,2}))",
            s.text,
        ):
            name = m.group("q") or m.group("n")
            a = m.start("q") if m.group("q") else m.start("n")
            if name.split()[0] in self.r.function_caps or not s.free(a, a + len(name)):
                continue
            key = self.reg.add("Enterprise", name)
            self._note(key, s)
            s.add(Mention(key, "Enterprise", a, a + len(name), name))

    def parentheticals(self, s: Sent) -> None:
        """'The Federal Road Transport Agency (Rosavtodor)': the bracketed short name is an alias."""
        for m in s.mentions:
            if m.ref or m.label in ("Region", "Agreement"):
                continue
            pm = re.match(r"\s*\(([A-Z][\w\-]{1,30}(?:\s+[A-Z][\w\-]*)?)\)", s.text[m.end :])
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
                if (
                    len(c) >= 3
                    and c[:1].isupper()
                    and c not in self.r.function_caps
                    and c not in self.r.heads
                ):
                    names.setdefault(c, (e.key, e.label))
        if not names:
            return
        pat = re.compile(rf"(?<![\w-])(?:{alternation(names)})(?![\w-])")
        for s in self.sents:
            for m in pat.finditer(s.text):
                if s.free(m.start(), m.end()):
                    key, label = (
                        names[" ".join(m.group().split())]
                        if " ".join(m.group().split()) in names
                        else names.get(m.group(), (None, None))
                    )
                    if key and not (label == "Enterprise" and self._longer_name(s.text, m.end())):
                        s.add(Mention(key, label, m.start(), m.end(), m.group()))
        # bare "the Association", "the Ministry" -> the only institution with that head in the document
        by_head = self.by_head
        for e in [*self.reg.entities("Institution"), *self.reg.entities("Enterprise")]:
            found = self.r.head_word_re.findall(e.name)
            for h in dict.fromkeys([*found, *(f.split()[-1] for f in found)]):
                by_head.setdefault(h, []).append(e.key)
        for s in self.sents:
            for m in re.finditer(r"\bthe\s+(?P<h>[A-Za-z]\w+)\b", s.text):
                keys = by_head.get(m.group("h").capitalize(), [])
                if len(set(keys)) == 1 and s.free(m.start("h"), m.end("h")):
                    s.add(Mention(keys[0], "Institution", m.start(), m.end(), m.group(), ref=True))

    def _longer_name(self, text: str, end: int) -> bool:
        """A known company name followed by another capitalised word is part of a longer name
        ("Avtotor Electronics" is not the Avtotor group), unless that word is a post, a person, a
        headline verb or a generic company word ("NLMK President", "NLMK Group")."""
        nm = re.match(r" ([A-Z][a-z][\w\-]*)", text[end:])
        if not nm:
            return False
        w = nm.group(1)
        return not (
            w.lower() in self.r.titles
            or w.lower() in self.r.headline_verbs
            or w in self.r.given
            or w in self.r.not_surnames
            or w in self.r.function_caps
            or GENERIC_TAIL_RE.match(" " + w)
        )

    def merge_clusters(self) -> None:
        """'Altai composite cluster' and 'Altai polymer cluster' are 'Altai Polymer Composite Cluster';
        'glass cluster' is 'cluster on the glass industry': a core that is an in-order part of another
        core with the same first word names the same cluster (never two items of one list)."""
        same_list: set[frozenset[str]] = set()
        for s in self.sents:
            cl = [m for m in sorted(s.mentions, key=lambda m: m.start) if m.label == "Cluster" and not m.ref]
            for x, y in itertools.pairwise(cl):
                if LIST_GAP_RE.match(s.text[x.end : y.start]) or re.match(
                    r"^\s*,\s*(?:and\s+)?(?:an?|the)\s+$", s.text[x.end : y.start]
                ):
                    same_list.add(frozenset((x.key, y.key)))
        keys = [k for k in self.cluster_core if k in {e.key for e in self.reg.entities("Cluster")}]
        remap: dict[str, str] = {}
        for k in sorted(keys, key=lambda k: len(self.cluster_core[k])):
            ck = self.cluster_core[k]
            if not ck:
                continue
            targets = [
                o
                for o in keys
                if o != k
                and o not in remap
                and len(self.cluster_core[o]) >= len(ck)
                and frozenset((k, o)) not in same_list
                and (self.cluster_core[o][0] == ck[0] or len(ck) == 1)
                and subsequence(ck, self.cluster_core[o])
            ]
            # nested candidates ('composite' in 'Altai composite' in 'Altai polymer composite') are one chain
            biggest = max(targets, key=lambda o: len(self.cluster_core[o]), default=None)
            if biggest is not None and all(
                subsequence(self.cluster_core[o], self.cluster_core[biggest]) for o in targets
            ):
                remap[k] = biggest
        for k, o in remap.items():
            while o in remap:
                o = remap[o]
            self._merge_cluster_into(o, k)
        self._merge_headline_cluster()
        # a Title-Case headline capitalises descriptions: "Creates Equipment Cluster" over a body's "oil and
        # gas equipment cluster" is no proper name, and the body's fuller description names the cluster
        head = [s for s in self.sents if s.para == 0]
        words = [w for s in head for w in s.text.split() if len(w) > 3]
        title_case = len(words) >= 3 and sum(w[:1].isupper() for w in words) >= 0.7 * len(words)
        def bare(n: str) -> str:
            return re.sub(r"^(?:the|an?)\s+", "", identity_key(n))

        body_names = {bare(m.surface) for s in self.sents if s.para > 0 for m in s.mentions if m.label == "Cluster"}
        head_only = (
            {bare(m.surface) for s in head for m in s.mentions if m.label == "Cluster"} - body_names
            if title_case
            else set()
        )
        demoted: set[str] = set()
        for e in self.reg.entities("Cluster"):
            for h in [n for n in [e.name, *e.aliases] if bare(n) in head_only]:
                core = set(bare(h).split()) - {"cluster", "of", "and", "for", "on"}
                body = [
                    n
                    for n in [e.name, *e.aliases]
                    if bare(n) in body_names and bare(n) == identity_key(n) and core < set(bare(n).split())
                ]
                if body:
                    demoted.add(bare(h))
                    if bare(e.name) in head_only:
                        self.reg.rename(e.key, max(body, key=len))
        # display name: a proper (title-case) name beats a description
        for e in self.reg.entities("Cluster"):
            proper = [
                n
                for n in [e.name, *e.aliases]
                if bare(n) not in demoted
                and all(w[:1].isupper() for w in n.split() if len(w) > 3)
                and not identity_key(n).startswith(("first ", "the "))
                and split_legal_form(n)[1] is None
            ]
            if proper:
                self.reg.rename(e.key, max(proper, key=len))

    def _merge_headline_cluster(self) -> None:
        """'Irkutsk aircraft cluster to get support' over a body that names only the 'Irkutsk Aviation
        Cluster': a cluster only the headline names, when the body names exactly one cluster and both
        start with the same word (the place), is that cluster in other words."""
        title = {m.key for s in self.sents if s.para == 0 for m in s.mentions if m.label == "Cluster" and not m.ref}
        body = {m.key for s in self.sents if s.para > 0 for m in s.mentions if m.label == "Cluster" and not m.ref}
        live = {e.key for e in self.reg.entities("Cluster")}
        only_title = (title - body) & live
        body &= live
        if len(only_title) == 1 and len(body) == 1:
            k, o = next(iter(only_title)), next(iter(body))
            ck, co = self.cluster_core.get(k) or [], self.cluster_core.get(o) or []
            if not ck or not co or ck[0] != co[0]:
                return
        elif len(live) == 2:
            # "a cluster of consumer electronics" and "the Kaliningrad Electronics Cluster", the document's
            # only two clusters, end with the same industry word: one cluster, the proper name kept
            k, o = sorted(live, key=lambda x: self.reg.entity(x).name[:1].isupper())
            ck, co = self.cluster_core.get(k) or [], self.cluster_core.get(o) or []
            if not ck or not co or ck[-1] != co[-1] or not self.reg.entity(o).name[:1].isupper():
                return
        else:
            return
        self._merge_cluster_into(o, k)

    def _merge_cluster_into(self, keep: str, gone: str) -> None:
        """Fold cluster `gone` into `keep`: the registry entry, salience, and every mention of it."""
        self.reg.merge(keep, gone)
        self.salience.forget(gone)
        for s in self.sents:
            for m in s.mentions:
                if m.key == gone:
                    m.key = keep
            for info in s.cluster_info.values():
                if info.get("key") == gone:
                    info["key"] = keep

    def merge_fuzzy(self) -> None:
        """Two spellings of one organisation ('SEZ' / 'SEZS'): near-identical names of the same label."""
        from rapidfuzz import fuzz

        for label in ("Institution", "Enterprise", "Official"):
            ents = self.reg.entities(label)
            for i, a in enumerate(ents):
                for b in ents[i + 1 :]:
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
            orgs = [
                m for m in s.mentions if m.label in ("Enterprise", "Institution", "Cluster") and not m.ref
            ]
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
