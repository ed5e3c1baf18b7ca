"""Relations in Russian sentences: trigger patterns over the sentence plus the mentions found in it.

Triggers are regular expressions in `loaders/patterns/ru/relations.yaml`. A trigger says which
relation the sentence states; the mentions of the right labels in the same sentence fill its ends,
and a cluster end that the sentence does not name ("кластера", "его") is the document's cluster.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from loaders.extract.common import Registry
from loaders.extract.ru_mentions import WORD_RE, RuMention, Sent, phrase_nominative
from loaders.extract.ru_nlp import has_case, lemma, parses, vocab

ORGS = frozenset({"Enterprise", "Institution"})
AUTHORITIES = frozenset({"ministry", "government"})
AGENCY = re.compile(r"(?:агентств|agency)", re.IGNORECASE)
QUOTED = re.compile(r"«(?:[^«»]|«[^«»]*»)*»")


@dataclass(frozen=True)
class Triggers:
    anchors: tuple[re.Pattern[str], ...]
    member_of: tuple[re.Pattern[str], ...]
    coordinates: tuple[re.Pattern[str], ...]
    located: re.Pattern[str]
    agr_noun: re.Pattern[str]
    agr_verb: re.Pattern[str]
    sign_verb: re.Pattern[str]
    negation: re.Pattern[str]
    negation_after: re.Pattern[str]


@lru_cache(maxsize=1)
def triggers() -> Triggers:
    v = vocab("relations")

    def comp(xs: list[str]) -> tuple[re.Pattern[str], ...]:
        return tuple(re.compile(x) for x in xs)

    return Triggers(comp(v["anchors"]), comp(v["member_of"]), comp(v["coordinates"]),
                    re.compile("|".join(v["located"])), re.compile(v["agreement"]["noun"]),
                    re.compile(v["agreement"]["verb"]), re.compile(v["agreement"]["sign_verb"]),
                    re.compile(v["negation"]), re.compile(v["negation_after"]))


def _low(text: str) -> str:
    return text.lower().replace("ё", "е")


def _in_parens(text: str, pos: int) -> bool:
    before = text[:pos]
    return before.count("(") > before.count(")")


def _subject_region(text: str, r: RuMention) -> bool:
    """'Мордовия и Чувашия создадут кластер': regions in the nominative opening the sentence are its subject."""
    before = WORD_RE.findall(text[:r.start])
    if any(w != "и" and not (w[:1].isupper() and len(w) > 1) for w in before):
        return False
    first = WORD_RE.findall(r.surface)[:1]
    return bool(first) and bool(parses(first[0])) and "nomn" in parses(first[0])[0].tag


def _nearest_is(pos: int, mine: list[int], others: list[int]) -> bool:
    """Whether the trigger nearest to `pos` (preferring triggers before it) is one of `mine`."""
    if not others:
        return True
    before = [p for p in mine + others if p <= pos]
    best = max(before) if before else min(mine + others, key=lambda p: abs(p - pos))
    return best in mine


def _any(pats: tuple[re.Pattern[str], ...], text: str) -> re.Match[str] | None:
    for p in pats:
        m = p.search(text)
        if m:
            return m
    return None


class RelationFinder:
    """Applies the relation rules to each sentence of a document, writing into its `Registry`."""

    def __init__(self, reg: Registry, doc_cluster: str | None, main_region: str | None) -> None:
        self.reg = reg
        self.doc_cluster = doc_cluster
        self.main_region = main_region
        self.trg = triggers()
        self._agreements: list[str] = []
        self._by_head: dict[str, str] = {}
        self._last_org: str | None = None
        self._agreement_evidence: dict[str, str] = {}
        self._last_enterprise: str | None = None
        self._cluster_names: set[str] = set()
        self._support_words = tuple(vocab("relations")["supporter_before"])
        self._parent_words = tuple(vocab("relations")["parent_before"])

    def sentence(self, s: Sent, ms: list[RuMention]) -> None:
        # quoted names collapse to «q» so that triggers read across them ("кластер «X», объединяющий")
        # (a quoted cluster name reads as the word "кластер": "участниками «Волжского кластера» стали")
        low = QUOTED.sub(lambda q: " кластер " if "кластер" in q.group(0) else "«q»", _low(s.text))
        ev = s.text
        named_clusters = [m for m in ms if m.label == "Cluster" and not m.ref and m.key]
        target = named_clusters[0].key if named_clusters else self.doc_cluster
        # the regions the sentence names on their own, not as part of an organisation's name
        inside = [(m.start, m.end) for m in ms if m.label != "Region"]
        free_regions = [m for m in ms if m.label == "Region" and not any(a <= m.start and m.end <= b and
                                                                          (a, b) != (m.start, m.end)
                                                                          for a, b in inside)]
        post_targets = {id(m.post[1]) for m in ms if m.label == "Official" and m.post and m.post[1]}
        # the organisations a membership / anchor / coordinator sentence can be about: not those in brackets
        # ("(группа компаний X)"), not a post's organisation, not a supporter ("при поддержке X")
        orgs = [m for m in ms if m.label in ORGS and m.key and not _in_parens(s.text, m.start)
                and id(m) not in post_targets and not self._supporter(s.text, m.start)
                and not self._parent(s.text, m.start)]
        # ministries and governments support clusters; they do not join or run them
        members = [m for m in orgs if m.props.get("kind") not in AUTHORITIES]

        # LOCATED_IN from names: "Фонд развития промышленности Тульской области", "тульского кластера"
        targets = [m.post[1] for m in ms if m.label == "Official" and m.post and m.post[1] is not None]
        for m in [*ms, *targets]:
            if m.label in {"Institution", "Enterprise", "Cluster"} and m.regions:
                key = m.key if m.ref != "cluster" else self.doc_cluster
                for iso in m.regions:
                    self._rel("LOCATED_IN", key, self._region(iso), ev)

        anchor = _any(self.trg.anchors, low)
        member = _any(self.trg.member_of, low)
        # "не заявили о вступлении в кластер": a denied membership is none
        if member and (self.trg.negation.search(low[max(0, member.start() - 40):member.end()])
                       or self.trg.negation_after.match(low[member.end():member.end() + 30])):
            member = None  # also "его участником не является", "участником кластера не станет"
        coord = _any(self.trg.coordinates, low)
        anchored: list[RuMention] = []
        if anchor and target:
            # "якорным станет X, а участниками — Y и Z": with both triggers, an organisation belongs to the
            # trigger of its own clause (the nearest one before it, else the nearest after)
            raw_low = _low(s.text)
            a_spans = [m.span() for p in self.trg.anchors for m in p.finditer(raw_low)]
            a_pos = [a for a, _ in a_spans]
            # "якорным резидентом кластера" also reads as "резидентом кластера": the anchor wins
            m_pos = [m.start() for p in self.trg.member_of for m in p.finditer(raw_low)
                     if not any(a <= m.start() < b for a, b in a_spans)] if member else []
            member = member if m_pos or not member else None
            for m in orgs:
                if m.label == "Enterprise" and _nearest_is(m.start, a_pos, m_pos):
                    anchored.append(m)
                    self._rel("ANCHORS", m.key, target, ev)
        self._cluster_names.update(m.name.casefold() for m in named_clusters)
        if target:
            self._cluster_names.add(self.reg.entity(target).name.casefold())
        if member and target:
            for m in members:
                # "В кластер вошли «Западная Сибирь», …": the cluster's own name repeated is not a member
                if m not in anchored and m.name.casefold() not in self._cluster_names:
                    self._rel("MEMBER_OF", m.key, target, ev)
            # "в состав кластера войдут предприятия Тульской и Калужской областей"
            for r in free_regions:
                self._rel("LOCATED_IN", target, r.key, ev)
        if coord and target:
            # an agency ("Агентство инвестиционного развития …") may run a cluster; a ministry never does
            agencies = [m for m in orgs if m.props.get("kind") == "government" and AGENCY.match(m.name)]
            for m in [*members, *agencies]:
                if m.label == "Institution":
                    self._rel("COORDINATES", m.key, target, ev)
        # "в Тульской области действуют кластеры «A», «B»"
        if named_clusters and self.trg.located.search(low) and not free_regions and self.main_region and re.search(
                r"(?:^|\s)в\s+(?:регионе|области|крае|республике)\b", low):
            for c in named_clusters:
                self._rel("LOCATED_IN", c.key, self._region(self.main_region), ev)
        if named_clusters and free_regions and self.trg.located.search(low):
            located = [r for r in free_regions if _subject_region(s.text, r)] + [r for r in free_regions
                       if re.search(r"(?:^|\s)(?:в|на)\s+(?:[\w-]+\s+){0,3}$", s.text[:r.start], re.IGNORECASE)]
            for r in located:
                for c in named_clusters:
                    self._rel("LOCATED_IN", c.key, r.key, ev)

        for m in ms:
            if m.label == "Official" and m.post and m.key:
                title, tgt, iso = m.post
                dst = None
                if tgt is not None:
                    # "со стороны компании – вице-президент X": the company named earlier in the sentence,
                    # else in the sentences before
                    earlier = [x.key for x in ms if x.label in ({"Enterprise"} if tgt.label == "Enterprise" else ORGS)
                               and x.key and x.end <= m.start and x.props.get("kind") not in AUTHORITIES]
                    last = earlier[-1] if earlier and tgt.label == "Enterprise" else (
                        self._last_enterprise if tgt.label == "Enterprise" else self._last_org)
                    dst = {"cluster": self.doc_cluster, "previous": last}.get(tgt.ref or "", tgt.key)
                if dst is None and iso:
                    dst = self._region(self.main_region if iso == "@main" else iso)
                if dst:
                    self._rel("HOLDS_POST", m.key, dst, ev, {"title": title})
                # a minister of a regional ministry serves in the region's government
                if tgt is not None and tgt.label == "Institution" and tgt.props.get("kind") in AUTHORITIES:
                    for iso in tgt.regions[:1]:
                        self._rel("HOLDS_POST", m.key, self._region(iso), ev, {"title": title})

        self._agreement(s, ms, _low(s.text), target)
        # what "её директор" in a later sentence refers to: the organisation named last (not an authority)
        named = [m for m in ms if m.label in ORGS and m.key and m.props.get("kind") not in AUTHORITIES]
        if named:
            self._last_org = named[-1].key
        companies = [m for m in ms if m.label == "Enterprise" and m.key]
        if companies:
            self._last_enterprise = companies[-1].key

    def finish(self) -> None:
        """Document-level facts: an agreement the text reports with no cluster in its sentence
        ("Соответствующее соглашение подписали ...") is about the cluster the text is about."""
        if not self.doc_cluster:
            return
        for key in self._agreements:
            if not self.reg.has_relation("CONCERNS", key) and key in self._agreement_evidence:
                self._rel("CONCERNS", key, self.doc_cluster, self._agreement_evidence[key])

    def _supporter(self, text: str, start: int) -> bool:
        before = _low(text[max(0, start - 40):start]).split()[-3:]
        return any(w.startswith(self._support_words) for w in before)

    def _parent(self, text: str, start: int) -> bool:
        """'..., входящее в ОАК': the group a company belongs to is not the subject of the sentence."""
        before = _low(text[max(0, start - 30):start]).split()[-3:]
        return any(w.startswith(self._parent_words) for w in before)

    def _agreement(self, s: Sent, ms: list[RuMention], low: str, target: str | None) -> None:
        noun = self.trg.agr_noun.search(low)
        signing = self.trg.sign_verb.search(low)
        if noun and self.trg.agr_verb.search(low):
            key = self._agreement_entity(s, noun)
        elif signing and self._agreements and re.search(r"\bдокумент", low):
            key = self._agreements[-1]  # "Документ подписали ...": the agreement named before
        else:
            return
        ev = s.text
        self._agreement_evidence.setdefault(key, ev)
        # "между Правительством края и Ассоциацией «... кластер»": a cluster between the parties is one
        between = low.find("между")
        verb = self.trg.agr_verb.search(low, between + 1) if between >= 0 else None
        seg = (between, verb.start() if verb else len(low)) if between >= 0 else (-1, -1)
        for m in ms:
            if m.label == "Official" and m.key and signing:
                self._rel("SIGNED", m.key, key, ev)
            elif m.label in {"Region", "Enterprise", "Institution"} and m.key:
                self._rel("PARTY_TO", m.key, key, ev)
            elif m.label == "Cluster":
                c = m.key if not m.ref else target
                if c:
                    self._rel("CONCERNS", key, c, ev)
                    if not m.ref and seg[0] < m.start < seg[1]:
                        self._rel("PARTY_TO", c, key, ev)
        if not any(m.label == "Cluster" for m in ms) and "кластер" in low and target:
            self._rel("CONCERNS", key, target, ev)

    def _agreement_entity(self, s: Sent, noun: re.Match[str]) -> str:
        """The agreement named at `noun`: 'соглашение о сотрудничестве ...' -> 'Соглашение о сотрудничестве ...'.

        One agreement per kind of document (соглашение, меморандум, ...) in a text: news name the same
        agreement several ways ("четырёхстороннее соглашение", "Соглашение о создании кластера «X»").
        """
        toks = [t for t in s.toks if t.start >= noun.start()]
        span = toks[:1]
        for t in toks[1:12]:
            if t.text in {",", ".", ";", ":", "(", "–", "—"} or lemma(t.text) in {"между", "подписать", "заключить"}:
                break
            if len(span) == 1 and lemma(t.text) not in {"о", "об", "по", "в"}:
                break
            # after "о сотрудничестве" only a genitive (or a quoted name) continues the title:
            # "Соглашение о сотрудничестве кластер заключил …" ends before "кластер"
            open_quote = sum(x.text == "«" for x in span) > sum(x.text == "»" for x in span)
            if len(span) >= 3 and not open_quote and t.text not in {"«", "»"} and not has_case(t.text, "gent"):
                break
            span.append(t)
        title = phrase_nominative(s.text, span, 0) if span else "Соглашение"
        title = title[:1].upper() + title[1:]
        head = lemma(span[0].text) if span else "соглашение"
        key = self._by_head.get(head)
        if key is None:
            key = self.reg.add("Agreement", title, props={"title": title})
            self._by_head[head] = key
            self._agreements.append(key)
        elif len(title) > len(self.reg.entity(key).name):
            self.reg.rename(key, title)  # the fuller title names it best
            self.reg.entity(key).props["title"] = title
        else:
            self.reg.add_alias(key, title)
        return key

    def _region(self, iso: str | None) -> str | None:
        if not iso:
            return None
        return "r-" + iso.lower().removeprefix("ru-")

    def _rel(self, type_: str, src: str | None, dst: str | None, ev: str, props: dict | None = None) -> None:
        if src and dst:
            self.reg.relate(type_, src, dst, ev, props)
