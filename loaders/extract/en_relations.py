"""English extraction, pass 2: relations from sentence patterns over the mentions, and document context.

Triggers are data (`loaders/patterns/en/relations.yaml`); references such as "the cluster" resolve to the
cluster named in the sentence, else the one named last, else the one the document is about.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from loaders.extract.common import Mention
from loaders.extract.en_mentions import Doc, Sent
from loaders.extract.en_vocab import (
    ANCHOR_WORDS,
    AUX_BEFORE_RE,
    COORDINATE_WORDS,
    CORPORATE_TITLES,
    DESCRIPTOR_RE,
    ENTERPRISE_KIND,
    EXAMPLES_RE,
    FILLER_RE,
    ITEM_GAP_RE,
    ITS_TITLE_RE,
    LIST_GAP_RE,
    MEMBER_WORDS,
    ORG_LABELS,
    PARTY_LABELS,
    REGION_TITLES,
    UNKNOWN_NAME_RE,
    negated,
    regions_by_first_word,
)
from loaders.normalize import split_legal_form
from loaders.regions import get_resolver, region

# "Minister of Industry and Trade", "… of Investment, Industry and Science", "… of Fisheries and
# Agro-Industrial Complex": the remit of a ministry, commas only inside an and-list
_CAPS = r"[A-Z][\w\-]*(?:\s+[A-Z][\w\-]*)*"
MINISTER_OF_RE = re.compile(
    rf"\s+of\s+({_CAPS}(?:(?:,\s+{_CAPS})+(?=\s+(?:and|&)\s))?(?:\s+(?:and|&)\s+[A-Z][\w\-]*|\s+[A-Z][\w\-]*)*)"
)


class Relations:
    """The relation pass over a Doc whose mentions are found; writes into the Doc's registry."""

    def __init__(self, d: Doc) -> None:
        self.d, self.r, self.reg = d, d.r, d.reg
        # the first word of every title, singular and plural: a cheap test before the title regexes
        self.title_words = tuple({t.split()[0].lower() for t in [*self.r.titles, *self.r.plural_titles]})
        self.para_named: dict[int, list[str]] = {}  # paragraph -> clusters named so far, in order
        self.doc_regions: dict[str, None] = {}
        self.para_regions: dict[int, dict[str, None]] = {}
        for s in d.sents:
            for m in [*s.mentions, *s.nested_regions]:
                if m.label == "Region":
                    self.doc_regions.setdefault(m.key)
                    self.para_regions.setdefault(s.para, {}).setdefault(m.key)

    # -- mention helpers --
    def resolve_refs(self, s: Sent, prev: Sent | None) -> None:
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

    def chain_before(
        self, s: Sent, pos: int, labels: Iterable[str], max_gap: int = 30, allow_relative: bool = False
    ) -> list[Mention]:
        labels = set(labels)
        cands = [m for m in s.mentions if m.end <= pos]
        if not cands:
            return []
        last = max(cands, key=lambda m: m.end)
        gap = s.text[last.end : pos]
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
            if m.label in labels and LIST_GAP_RE.match(s.text[m.end : chain[0].start]):
                chain.insert(0, m)
            elif m.end <= chain[0].start:
                break
        return chain

    def chain_after(self, s: Sent, pos: int, labels: Iterable[str], max_gap: int = 12) -> list[Mention]:
        labels = set(labels)
        cands = sorted((m for m in s.mentions if m.start >= pos), key=lambda m: m.start)
        if not cands or cands[0].label not in labels or len(s.text[pos : cands[0].start]) > max_gap:
            return []
        chain = [cands[0]]
        for m in cands[1:]:
            if m.start < chain[-1].end:
                continue
            if m.label in labels and LIST_GAP_RE.match(s.text[chain[-1].end : m.start]):
                chain.append(m)
            else:
                break
        return chain

    def first_after(self, s: Sent, pos: int, labels: Iterable[str], within: int = 80) -> Mention | None:
        labels = set(labels)
        seg = s.text[pos : pos + within]
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
            low = s.text.lower()
            # a post needs a title word (title_re and plural_title_re match only text containing one)
            if any(w in low for w in self.title_words):
                self.holds_post(s)
            self.holds_post_context(s, prev)
            # cheap keyword checks first: most sentences state none of these relations
            if any(w in low for w in ANCHOR_WORDS):
                self.anchors(s, prev)
            if any(w in low for w in MEMBER_WORDS):
                self.member_of(s, prev)
            if any(w in low for w in COORDINATE_WORDS):
                self.coordinates(s)
            self.agreements(s, prev)
            self.located_in(s)
            named = [m.key for m in s.mentions if m.label == "Cluster" and not m.ref]
            if named:
                self.para_named.setdefault(s.para, []).extend(named)
            prev = s
        self.posts_by_default()
        self.agreement_inferences()
        self.located_defaults()
        self.cluster_status()

    def document_region(self, s: Sent) -> str | None:
        """The region a post without a place serves: the only region of the sentence, else of the
        document, else the region of the dateline's city ("LIPETSK, March 14 —")."""
        here = {m.key for m in s.mentions if m.label == "Region"}
        if len(here) == 1:
            return next(iter(here))
        if here:
            return None  # several regions in the sentence: which one is not said
        regions = self.reg.entities("Region")
        if len(regions) == 1:
            return regions[0].key
        for sent in self.d.sents[:3]:
            dm = re.match(r"\s*([A-Z][A-Za-z\-]+(?:\s+[A-Z][A-Za-z\-]+)?)\s*,\s*(?:\d|[A-Z][a-z]+\.?\s+\d)", sent.text)
            if dm:
                iso = get_resolver().city_region(dm.group(1).title())
                key = next((e.key for e in regions if e.props.get("iso") == iso), None)
                if key:
                    return key
        return None

    def posts_by_default(self) -> None:
        """Posts the text gives without a place: 'Governor X' and 'regional industry minister X' serve the
        document's region; 'X, headed by rector Y' and a bare 'rector Y' the (only) university."""
        r = self.r
        for s in self.d.sents:
            for p in (x for x in s.mentions if x.label == "Official"):
                if self.reg.has_relation("HOLDS_POST", src=p.key):
                    continue
                before = s.text[max(0, p.start - 80) : p.start]
                base = max(0, p.start - 80)
                hm = re.search(
                    r",\s+(?:headed|led|chaired)\s+by\s+(?:its\s+)?(?P<t>[a-z][a-z\s\-]{0,30}?)?\s*$", before
                )
                if hm:
                    comma = base + hm.start()
                    org = next(
                        (
                            x
                            for x in s.mentions
                            if x.label in ("Enterprise", "Institution", "Cluster")
                            and x.end <= comma
                            and not s.text[x.end : comma].strip()
                        ),
                        None,
                    )
                    title = r.titles.get(" ".join((hm.group("t") or "").split()).lower(), "Head")
                    if org is not None:
                        self.reg.relate("HOLDS_POST", p.key, org.key, s.text, {"title": title})
                        continue
                tm = re.search(
                    r"(?P<reg>\b(?:[Rr]egional|the\s+region['’]s)\s+(?:[a-z\-]+\s+){0,3}?)?"
                    r"(?P<t>\b(?:[Aa]cting\s+|[Dd]eputy\s+|[Ff]irst\s+[Dd]eputy\s+|[Vv]ice[\s\-])?"
                    r"(?:[Gg]overnor|[Mm]inister|[Rr]ector))"
                    # "Regional Minister of Forestry X"
                    r"(?:\s+(?:of|for)\s+[A-Za-z]+(?:\s+(?:and|&)\s+[A-Za-z]+)?)?\s*,?\s*$",
                    before,
                )
                if not tm:
                    continue
                title = r.titles.get(" ".join(tm.group("t").lower().replace("-", " ").split()))
                word = tm.group("t").split()[-1].lower().replace("vice-", "")
                if not title:
                    continue
                if word == "rector":
                    unis = {e.key for e in self.reg.entities("Institution") if e.props.get("kind") == "university"}
                    if len(unis) == 1:
                        self.reg.relate("HOLDS_POST", p.key, next(iter(unis)), s.text, {"title": title})
                elif word == "governor" or tm.group("reg"):
                    key = self.document_region(s)
                    if key:
                        self.reg.relate("HOLDS_POST", p.key, key, s.text, {"title": title})

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

    def holds_post(self, s: Sent) -> None:
        consumed: set[int] = set()
        pending = []
        for t in self.r.title_re.finditer(s.text):
            title = self.r.titles[" ".join(t.group().lower().split())]
            om = re.match(r"\s+(?:of|at)\s+(?:the\s+)?", s.text[t.end() :])
            target = None
            if om:
                at = (
                    t.end() + om.end(),
                    t.end() + len(om.group().rstrip()) - len("the") * om.group().rstrip().endswith("the"),
                )
                target = next((m for m in s.mentions if m.start in at and m.label in PARTY_LABELS), None)
                if target is None:
                    target = self.ministry_from_title(s, t, title)
                if target is None and title in CORPORATE_TITLES and re.search(r",\s*$", s.text[: t.start()]):
                    # "said Ivan Sokolov, CEO of Togliattikauchuk": the unknown name after a company post
                    made = self.name_after(s, t.end() + om.end())
                    target = made[0] if made else None
            if target is not None:
                person = next(
                    (
                        m
                        for m in s.mentions
                        if m.label == "Official"
                        and re.fullmatch(r"\s*,?\s*", s.text[target.end : m.start])
                        and m.start >= target.end
                    ),
                    None,
                )
                if person is None:
                    person = self.person_after(s, target.end)
                if person is not None:
                    self.reg.relate("HOLDS_POST", person.key, target.key, s.text, {"title": title})
                    consumed.add(person.start)
                    continue
                pending.append((t, title, target))
            else:
                # "Kaluga Region Governor Vladislav Shapsha"
                before = [
                    m
                    for m in s.mentions
                    if m.end <= t.start()
                    and m.label in PARTY_LABELS
                    and re.fullmatch(r"(?:['’]s)?\s*", s.text[m.end : t.start()])
                ]
                after = [
                    m
                    for m in s.mentions
                    if m.label == "Official" and m.start >= t.end() and not s.text[t.end() : m.start].strip()
                ]
                if before and after:
                    self.reg.relate("HOLDS_POST", after[0].key, before[-1].key, s.text, {"title": title})
                    consumed.add(after[0].start)
                elif (
                    after
                    and title in CORPORATE_TITLES
                    and (pm := re.search(r"(?<![\w-])([A-Z][\w\-]+)['’]s\s+$", s.text[: t.start()]))
                ):
                    # "Rostselmash's CEO Valery Maltsev": the possessor of a company post is a company
                    name = pm.group(1)
                    if name not in self.r.not_surnames and name.casefold() not in regions_by_first_word():
                        key = self.reg.add("Enterprise", name)
                        s.add(Mention(key, "Enterprise", pm.start(1), pm.end(1), name))
                        s.mentions.sort(key=lambda x: x.start)
                        self.reg.relate("HOLDS_POST", after[0].key, key, s.text, {"title": title})
                        consumed.add(after[0].start)
                elif title in REGION_TITLES:
                    # "Kaluga Governor Vladislav Shapsha", "Governor of Kaluga …": a governor's place is
                    # a region
                    pm = re.search(r"([A-Z][a-z]+(?:-[A-Z][a-z]+)?)\s+$", s.text[: t.start()])
                    if pm is None:
                        pm = re.match(r"\s+of\s+([A-Z][a-z]+(?:-[A-Z][a-z]+)?),?\s", s.text[t.end() :])
                        after = [
                            m
                            for m in s.mentions
                            if m.label == "Official" and pm is not None and m.start == t.end() + pm.end()
                        ]
                    isos = (
                        regions_by_first_word().get(pm.group(1).casefold(), frozenset())
                        if pm and after
                        else frozenset()
                    )
                    if len(isos) == 1:
                        iso = next(iter(isos))
                        rec = region(iso)
                        key = self.reg.add_region(
                            iso,
                            rec.name,
                            name_ru=rec.name_ru,
                            surface=pm.group(1),
                            props={"federalDistrict": rec.federal_district},
                        )
                        self.reg.relate("HOLDS_POST", after[0].key, key, s.text, {"title": title})
                        consumed.add(after[0].start)
        for t, title, target in pending:
            # "Vladimir Popov, Deputy Governor of the Kaluga Region"; "X, a member of Y – Director of Z"
            people = [
                m
                for m in s.mentions
                if m.label == "Official"
                and m.end <= t.start()
                and t.start() - m.end <= 70
                and m.start not in consumed
            ]
            if not people:
                continue
            p = people[-1]
            gap = s.text[p.end : t.start()]
            if not gap.lstrip().startswith(",") or any(
                m.label == "Official" and p.end <= m.start < t.start() for m in s.mentions
            ):
                continue
            if len(gap) > 6 and not re.search(r"[–—-]|,\s*(?:the|a|an)?\s*$", gap):
                continue
            self.reg.relate("HOLDS_POST", p.key, target.key, s.text, {"title": title})
            consumed.add(p.start)
        # "governors of Tula, Kaluga and Samara regions Alexey Dyumin, Vladislav Shapsha and Dmitry Azarov"
        for t in self.r.plural_title_re.finditer(s.text):
            om = re.match(r"\s+of\s+(?:the\s+)?", s.text[t.end() :])
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

    def holds_post_context(self, s: Sent, prev: Sent | None) -> None:
        """Posts whose organisation is named only by context: 'its general director, X', 'X, who heads the
        center', 'X, the fund's director', 'ministers …: X (Perm Krai), Y (Udmurt Republic)'."""
        r = self.r
        for m in ITS_TITLE_RE.finditer(s.text):
            title = r.titles.get(" ".join(m.group("t").lower().split()))
            person = next(
                (
                    x
                    for x in s.mentions
                    if x.label == "Official"
                    and x.start >= m.end()
                    and re.fullmatch(r"\s*,?\s*", s.text[m.end() : x.start])
                ),
                None,
            )
            if not title or person is None:
                continue
            orgs = [
                (x.end, x.key)
                for x in s.mentions
                if x.label in ("Enterprise", "Institution", "Cluster") and x.end <= m.start()
            ]
            for hm in re.finditer(r"\bthe\s+([a-z]\w+)\b", s.text[: m.start()]):
                keys = self.d.by_head.get(hm.group(1).capitalize(), [])
                if len(set(keys)) == 1:
                    orgs.append((hm.end(), keys[0]))  # "from the side of the corporation – by its director"
            if not orgs and prev is not None:
                orgs = [
                    (0, x.key) for x in prev.mentions if x.label in ("Enterprise", "Institution", "Cluster")
                ][:1]
            if orgs:
                self.reg.relate("HOLDS_POST", person.key, max(orgs)[1], s.text, {"title": title})
        for p in (x for x in s.mentions if x.label == "Official"):
            tail = s.text[p.end :]
            hm = re.match(r"\s*,\s+who\s+(?:heads|leads|chairs|directs)\s+(?:the\s+)?", tail)
            if hm:
                tg = next(
                    (
                        x
                        for x in s.mentions
                        if x.start in (p.end + hm.end(), p.end + hm.end() - 4) and x.label in PARTY_LABELS
                    ),
                    None,
                )
                if tg is None:  # "who heads the center": the only institution with that head word
                    wm = re.match(r"(\w+)", tail[hm.end() :])
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
        # "ministers of industry of three regions: Alexander Borisov (Perm Krai), Timur Ganiev (Udmurt
        # Republic)"
        pt = r.plural_title_re.search(s.text)
        if pt:
            title = r.plural_titles[" ".join(pt.group().lower().split())]
            for p in (x for x in s.mentions if x.label == "Official" and x.start > pt.end()):
                rm = re.match(r"\s*\(\s*", s.text[p.end :])
                if rm:
                    rg = next(
                        (x for x in s.mentions if x.label == "Region" and x.start == p.end + rm.end()), None
                    )
                    if rg is not None:
                        self.reg.relate("HOLDS_POST", p.key, rg.key, s.text, {"title": title})

    def person_after(self, s: Sent, pos: int) -> Mention | None:
        """An unknown person right after a post ('Governor of X Gleb Nikitin'): two capitalised words."""
        m = re.match(
            r"\s*,?\s*([A-Z][a-z]+(?:-[A-Z][a-z]+)?)\s+([A-Z][a-z]+(?:-[A-Z][a-z]+)?)\b", s.text[pos:]
        )
        if (
            not m
            or m.group(1) in self.r.function_caps
            or m.group(2) in self.r.not_surnames
            or m.group(1) in self.r.not_surnames
        ):
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

    def ministry_from_title(self, s: Sent, t: re.Match[str], title: str) -> Mention | None:
        """'Deputy Minister of Industry and Trade of the Tula Region' names a ministry."""
        if "Minister" not in title:
            return None
        m = MINISTER_OF_RE.match(s.text[t.end() :])
        if not m:
            return None
        words = m.group(1).split()
        for k, w in enumerate(words):
            if w in self.r.given and k > 0:  # "Minister of Forestry Dmitry Maslodudov"
                cut = t.end() + m.start(1) + len(" ".join(words[:k]))
                m = re.match(r"\s+of\s+(.+)", s.text[t.end() : cut])
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

    def cluster_target(self, s: Sent, pos: int, within: int = 90) -> Mention | None:
        m = self.first_after(s, pos, {"Cluster"}, within)
        return m

    def context_cluster(self, s: Sent, prev: Sent | None, fallback: bool = False) -> str | None:
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

    def subjects_before(self, s: Sent, pos: int, labels: Iterable[str]) -> list[Mention]:
        """The coordinated subject ending right before `pos`, also across an apposition
        ('VSMPO-AVISMA, the world's biggest producer of titanium, is …')."""
        subs = self.chain_before(s, pos, labels, max_gap=4)
        # "X, a branch of PJSC Y, is the core enterprise": the subject is X, not the owner named inside
        ap = re.search(r",\s+(?:a|an|the|one)\s+[^,;.]{1,80},\s*$", s.text[:pos])
        if subs and ap and all(m.start > ap.start() for m in subs):
            subs = (
                self.chain_before(s, ap.start(), labels, max_gap=1)
                or ("Enterprise" in labels and self.name_before(s, ap.start()))
                or subs
            )
        if not subs:
            am = re.search(r",[^,;.]{1,90},\s*$", s.text[:pos])
            if am:
                subs = self.chain_before(s, am.start(), labels, max_gap=1)
        return subs

    def anchors(self, s: Sent, prev: Sent | None = None) -> None:
        for pat in self.r.rel["anchors"]:
            for m in pat.finditer(s.text):
                subs = self.subjects_before(s, m.start(), {"Enterprise"})
                subs = self.coordinated_unknowns(s, subs) + subs
                if not subs:
                    continue
                om = re.match(r"\s*(?:of|in|for)\s+", s.text[m.end() :])
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
                if key is None and re.search(
                    r"\b(?:its|their)\s+$", s.text[max(0, m.start() - 8) : m.start()], re.IGNORECASE
                ):
                    key = self.context_cluster(s, prev, fallback=True)
                if key is None:
                    continue
                for e in self.names_list_after(s, m.end(), {"Enterprise"}):
                    self.reg.relate("ANCHORS", e.key, key, s.text)

    def member_of(self, s: Sent, prev: Sent | None = None) -> None:
        for pat in self.r.rel["member_of"]:
            for m in pat.finditer(s.text):
                if negated(s.text, m.start()) or re.search(
                    r"\b(?:may|might|could)\s+(?:\w+\s+)?$", s.text[max(0, m.start() - 20) : m.start()]
                ):
                    continue  # "Sibur … is not participating in the cluster", "it may join later"
                subs = self.chain_before(s, m.start(), ORG_LABELS, max_gap=25, allow_relative=True)
                subs = self.subject_unknown(s, m.start()) or subs
                if not subs:
                    continue
                subs = self.coordinated_unknowns(s, subs) + subs
                target = self.first_after(s, m.end(), {"Cluster", "Institution", "Enterprise", "Region"}, 60)
                if target is not None and target.label == "Cluster":
                    key = target.key
                elif (
                    target is None
                    and not re.match(r"\s*(?:of|in)\s", s.text[m.end() :])
                    or re.match(r"\s+(?:of|in)\s+(?:it|them)\b", s.text[m.end() :])
                ):
                    # "… have also joined to train engineers", "… are also members and will …"
                    bare = bool(
                        re.match(r"\s*(?:to\s|as\s|,|\.|;|$|and\s|in\s+(?:it|them)\b)", s.text[m.end() :])
                    )
                    key = self.context_cluster(s, prev, fallback=bare)
                else:
                    key = None
                if key:
                    for e in subs:
                        self.reg.relate("MEMBER_OF", e.key, key, s.text)
        for pat in self.r.rel["member_of_inverse"]:
            for m in pat.finditer(s.text):
                if negated(s.text, m.start()):
                    continue
                inside = self.first_after(s, m.start(), {"Cluster"}, m.end() - m.start())
                before = self.chain_before(s, m.start(), {"Cluster"}, max_gap=12)
                if inside is not None:
                    key = inside.key
                elif before:
                    key = before[-1].key
                elif re.search(
                    r"\b(?:its|their|other|among|founding|newcomers|new|the\s+cluster)\b",
                    s.text[max(0, m.start() - 12) : m.end()],
                    re.IGNORECASE,
                ) or (m.start() == 0 and s.text[:1].isupper()):
                    key = self.context_cluster(s, prev, fallback=True)
                elif re.search(
                    r"\b(?:it|they)\s+(?:now\s+|already\s+|also\s+)?$",
                    s.text[max(0, m.start() - 16) : m.start()],
                    re.IGNORECASE,
                ):
                    key = self.context_cluster(
                        s, prev
                    )  # "The cluster was created in 2019. Today it includes …"
                else:
                    key = None
                if key is None:
                    continue
                pos = m.end()
                fm = FILLER_RE.match(s.text[pos:])
                members = self.names_list_after(s, pos + (fm.end() if fm else 0), ORG_LABELS)
                # "The cluster includes 15 participants, among them PJSC KAMAZ and JSC Tatneft"
                em = EXAMPLES_RE.match(s.text[pos:])
                if not members and em:
                    members = self.names_list_after(s, pos + em.end(), ORG_LABELS)
                for e in members:
                    self.reg.relate("MEMBER_OF", e.key, key, s.text)

    def subject_unknown(self, s: Sent, pos: int) -> list[Mention]:
        """'Togliattikauchuk will join the cluster': an unknown capitalised name right before the auxiliary
        of a membership verb is the joining company."""
        am = AUX_BEFORE_RE.search(s.text[:pos])
        if not am:
            return []
        end = am.start()
        # "Kuibyshev Azot, a producer of caprolactam, joined …": the subject is before the apposition
        ap = re.search(r",\s+(?:a|an|the|one\s+of\s+the)\s+[^,;.()]{1,80},\s*$", s.text[:end])
        if ap and not any(m.start >= ap.start() and m.end <= end for m in s.mentions if m.label in ORG_LABELS):
            end = ap.start()
        # "Kuibyshev Azot from Tolyatti of Samara Oblast joined …": the subject is before its place
        rg = next((m for m in s.mentions if m.label == "Region" and m.end == end), None)
        if rg is not None:
            fm = re.search(r"\s+(?:from|in)\s+(?:[A-Z][\w\-]*\s+(?:of|in)\s+)?(?:the\s+)?$", s.text[: rg.start])
            if not fm:
                return []
            end = fm.start()
            subs = self.subject_at(s, end)
            for e in subs:
                self.reg.relate("LOCATED_IN", e.key, rg.key, s.text)
            return subs
        return self.subject_at(s, end)

    def subject_at(self, s: Sent, end: int) -> list[Mention]:
        """The organisation (known, else an unknown capitalised name) ending at `end`."""
        if any(m.label in ORG_LABELS and m.end == end for m in s.mentions):
            return self.chain_before(s, end, ORG_LABELS, max_gap=0)
        nm = re.search(r"(?:^|(?<=[\s,]))((?:[A-Z][\w\-&]*)(?:\s+[A-Z][\w\-&]*){0,3})$", s.text[:end])
        if not nm:
            return []
        words = nm.group(1).split()
        if words[0] in self.r.function_caps or any(w in self.r.not_surnames or w in self.r.given for w in words):
            return []
        if not s.free(nm.start(1), nm.end(1)):
            return []
        return self.name_before(s, end)

    def names_list_after(self, s: Sent, pos: int, labels: Iterable[str]) -> list[Mention]:
        """A coordinated list of organisations starting at `pos`: known mentions, and capitalised names
        that only their place in the list marks as organisations ('Baltic Shipyard, Vyborg Shipyard and
        the propulsion manufacturer Zvezda-Energetika')."""
        labels = set(labels)
        out: list[Mention] = []
        while pos < len(s.text):
            dm = DESCRIPTOR_RE.match(s.text[pos:])
            start = pos + (dm.end() if dm else 0)
            known = next(
                (
                    m
                    for m in s.mentions
                    if pos <= m.start <= start + 1
                    and not s.text[pos : m.start].strip(" ,")
                    or start <= m.start <= start + 1
                ),
                None,
            )
            if known is not None and known.label == "Region" and re.match(r" [A-Z][a-z]", s.text[known.end :]):
                known = None  # "Sakhalin Energy": a place word starting a company's name
            pm = re.match(r"['’]s\s+(?:[a-z\-]+\s+){1,2}(?=[A-Z])", s.text[known.end :]) if known else None
            if pm is not None and known is not None:
                pos = known.end + pm.end()  # "RusHydro's subsidiary Sakhalinenergo": the subsidiary is the item
                continue
            if known is not None:
                if known.label not in labels:
                    break
                item = known
            else:
                um = UNKNOWN_NAME_RE.match(s.text[start:])
                if (
                    not um
                    or um.group(1).split()[0] in self.r.function_caps
                    or any(
                        w in self.r.given or w in self.r.not_surnames and w not in self.r.heads
                        for w in um.group(1).split()
                    )
                ):
                    break
                a, b = start + um.start(1), start + um.end(1)
                if not s.free(a, b, regions_inside=True):
                    break
                s.mentions = [x for x in s.mentions if not (x.label == "Region" and a <= x.start and x.end <= b)]
                name = um.group(1)
                kind = self.d._head_kind(name)
                label = "Institution" if kind and kind != ENTERPRISE_KIND else "Enterprise"
                if label not in labels:
                    break
                key = self._add_unknown(label, name, kind)
                item = Mention(key, label, a, b, name)
                s.add(item)
                s.mentions.sort(key=lambda x: x.start)
            out.append(item)
            # "Lipetsk Pipe Plant Svobodny Sokol, …": a proper name after the head word stays in the item
            end = item.end
            tm = re.match(r"(?:\s+[A-Z][\w\-]*){1,3}(?=,)", s.text[end:])
            if tm and s.free(end, end + tm.end()) and not any(
                w in self.r.given or w in self.r.function_caps for w in tm.group().split()
            ):
                end += tm.end()
            gm = ITEM_GAP_RE.match(s.text[end:])
            if not gm:
                break
            pos = end + gm.end()
        return out

    def _add_unknown(self, label: str, name: str, kind: str | None) -> str:
        """A name only its place marks as an organisation; a legal form written after it ('Telebalt
        LLC') is split off as for one written before."""
        if label == "Enterprise":
            bare, form = split_legal_form(name)
            if form and bare:
                return self.reg.add(label, bare, surface=name, props={"legalForm": form})
        return self.reg.add(label, name, props={"kind": kind} if label == "Institution" else None)

    def name_after(self, s: Sent, pos: int) -> list[Mention]:
        """'… will be Rostselmash, one of …': an unknown capitalised name in object position is a company."""
        m = re.match(
            r"\s*(?:the\s+)?(?:company\s+)?([A-Z][\w\-&]*(?:\s+[A-Z][\w\-&]*){0,2})(?=[\s,.;)]|$)",
            s.text[pos:],
        )
        if not m:
            return []
        a, b = pos + m.start(1), pos + m.end(1)
        name = m.group(1)
        if (
            name.split()[0] in self.r.function_caps
            or not s.free(a, b)
            or any(w in self.r.not_surnames or w in self.r.given for w in name.split())
        ):
            return []
        key = self.reg.add("Enterprise", name)
        men = Mention(key, "Enterprise", a, b, name)
        s.add(men)
        s.mentions.sort(key=lambda x: x.start)
        return [men]

    def name_before(self, s: Sent, pos: int) -> list[Mention]:
        """'Avtotor Electronics, a subsidiary of …, was named …': an unknown capitalised name in subject
        position, right before an apposition, is a company."""
        m = re.search(r"(?:^|(?<=[\s,]))((?:[A-Z][\w\-&]*)(?:\s+[A-Z][\w\-&]*){0,3})$", s.text[:pos])
        if not m:
            return []
        a, b, name = m.start(1), m.end(1), m.group(1)
        words = name.split()
        if words[0] in self.r.function_caps or words[0] in ("The", "A", "An") or words[0].endswith("-based"):
            words = words[1:]
            if not words:
                return []
            a = b - len(" ".join(words))
            name = s.text[a:b]
        if any(w in self.r.not_surnames or w in self.r.given for w in words):
            return []
        s.mentions = [x for x in s.mentions if not (a <= x.start and x.end <= b)]
        key = self.reg.add("Enterprise", name)
        men = Mention(key, "Enterprise", a, b, name)
        s.add(men)
        s.mentions.sort(key=lambda x: x.start)
        return [men]

    def coordinated_unknowns(self, s: Sent, chain: list[Mention]) -> list[Mention]:
        """'Tatneft and Sibur have become members': a capitalised name coordinated with a known
        organisation, in subject position, is an organisation of the same kind."""
        if not chain:
            return []
        out: list[Mention] = []
        pos = chain[0].start
        while True:
            m = re.search(
                r"(?:^|(?<=[\s,]))((?:[A-Z][\w\-]*)(?:\s+[A-Z][\w\-]*){0,2})(?:\s*,\s*|\s+and\s+|,\s+and\s+)$",
                s.text[:pos],
            )
            if m and not s.free(m.start(1), m.end(1)):
                # "Volzhsky Pipe Plant, Togliattikauchuk and …": a known organisation earlier in the list
                known = [x for x in s.mentions if x.label in ORG_LABELS and x.end == m.end(1)]
                if known:
                    out.insert(0, known[0])
                    pos = known[0].start
                    continue
                break
            if not m or m.group(1).split()[0] in self.r.function_caps:
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

    def coordinates(self, s: Sent) -> None:
        for pat in self.r.rel["coordinates"]:
            for m in pat.finditer(s.text):
                # "X is/will be the specialised organisation of C", "X has been named the cluster's …"
                pos, cl = m.start(), self.first_after(s, m.end(), {"Cluster"}, 40)
                poss = [x for x in s.mentions if x.label == "Cluster" and x.end <= pos and pos - x.end <= 3]
                if poss:
                    pos, cl = poss[-1].start, poss[-1]
                subs = self.chain_before(s, pos, {"Institution", "Enterprise"}, max_gap=40)
                if subs and re.search(
                    r"\b(?:is|was|be|been|become|became|becomes|remains|remained|as|acts|serves|appointed|named|"
                    r"designated|chosen|selected)\b|,",
                    s.text[subs[-1].end : pos],
                ):
                    cl = cl or self._ref_cluster(s)
                    if cl is not None:
                        for e in subs:
                            self.reg.relate("COORDINATES", e.key, cl.key, s.text)
                    continue
                # "The specialised organisation of C will be X", "The functions of … are given to X"
                vm = re.match(
                    r"[^.;]{0,80}?\b(?:(?:will\s+be|are|is|were|was|have\s+been|has\s+been)\s+(?:performed|"
                    r"carried\s+out|exercised|given|assigned|entrusted|transferred|delegated)\s+(?:by|to)|is|"
                    r"will\s+be|became|becomes|has\s+become|was)\s+(?:the\s+)?",
                    s.text[m.end() :],
                )
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

    def _ref_cluster(self, s: Sent) -> Mention | None:
        key = self.d.salience.about()
        return Mention(key, "Cluster", 0, 0, "", ref=True) if key else None

    def agreements(self, s: Sent, prev: Sent | None = None) -> None:
        ags = [m for m in s.mentions if m.label == "Agreement"]
        if not ags:
            return
        has_sign = any(p.search(s.text) for p in self.r.rel["signed"])
        if has_sign:
            signed = next((m for m in ags if m.key not in self.d.decrees), None)
            for p in (m for m in s.mentions if m.label == "Official" and signed is not None):
                self.reg.relate("SIGNED", p.key, signed.key, s.text)
        for a in ags:
            if a.ref or a.key in self.d.decrees:
                continue
            tail = s.text[a.end :]
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
            for rx in (
                r"^[^.;]*?\b(?:signed|concluded)\s+by\s+(?:the\s+)?",
                r"^\s+(?:\w+\s+){0,3}?with\s+(?:the\s+)?",
            ):
                wm = re.search(rx, tail)
                if wm:
                    parties += [
                        m
                        for m in self.chain_after(s, a.end + wm.end(), PARTY_LABELS, max_gap=4)
                        if not self._post_target(s, m)
                    ]
            for p in parties:
                self.reg.relate("PARTY_TO", p.key, a.key, s.text)
            # what the agreement is about: the one cluster its sentence names (not as a party) …
            others = {m.key for m in s.mentions if m.label == "Cluster"} - {p.key for p in parties}
            if not others and prev is not None and prev.para == s.para and not a.ref:
                # "A and B have agreed to create the X Cluster. The cooperation agreement was signed …"
                named = {m.key for m in prev.mentions if m.label == "Cluster" and not m.ref}
                if len(named) == 1 and re.search(
                    r"\b(?:agree\w*|creat\w*|develop\w*|establish\w*)\b", prev.text
                ):
                    others = named
            if len(others) == 1 and not self.reg.entity(a.key).props.get("title", "").lower().startswith(
                "memorand"
            ):
                self.reg.relate("CONCERNS", a.key, next(iter(others)), s.text)
            # … or a cluster named in its on/for-clause
            cm = re.match(r"\s+(?:on|for|about|regarding|to)\s+[^.;:]{0,110}", tail)
            if cm:
                clause = re.split(
                    r"\s+(?:between|with|by|which|that|was|were|is|are|has|have|will)\s", cm.group()
                )[0]
                cl = self.first_after(s, a.end, {"Cluster"}, len(clause))
                if cl is not None and cl.end <= a.end + len(clause) + 1:
                    self.reg.relate("CONCERNS", a.key, cl.key, s.text)

    def _post_target(self, s: Sent, m: Mention) -> bool:
        """A region named as someone's post ('governor of Tula region') is not itself a party."""
        return bool(self.r.post_of_re.search(s.text[max(0, m.start - 40) : m.start]))

    def located_in(self, s: Sent) -> None:
        regions = [m for m in s.mentions if m.label == "Region"]
        # "X in/from the Y region", "Tula region company X"
        for m in s.mentions:
            if m.label not in ("Enterprise", "Institution", "Cluster") or m.ref:
                continue
            gm = re.match(
                r"\s*,?\s*(?:located\s+|based\s+)?(?:in|from)\s+(?:the\s+)?(?:[^,;.]{0,40}?\s(?:of|in)\s+)?"
                r"(?:the\s+)?",
                s.text[m.end :],
            )
            if gm:
                rg = next((x for x in regions if x.start == m.end + gm.end()), None)
                if rg is not None:
                    self.reg.relate("LOCATED_IN", m.key, rg.key, s.text)
        # a cluster's facilities / members in regions
        if (
            regions
            and any(p.search(s.text) for p in self.r.rel["facility_words"])
            and any(p.search(s.text) for p in self.r.rel["cluster_context"])
        ):
            fw = min(x.start() for p in self.r.rel["facility_words"] for x in p.finditer(s.text))
            named = list(dict.fromkeys(m.key for m in s.mentions if m.label == "Cluster"))
            key = named[0] if len(named) == 1 else (None if named else self.d.salience.about())
            if key:
                for rg in regions:
                    if rg.start > fw and not self._post_target(s, rg):
                        self.reg.relate("LOCATED_IN", key, rg.key, s.text)
        # organisations named after a region
        for m in s.nested_regions:
            org = next(
                (o for o in s.mentions if o.start <= m.start and m.end <= o.end and o.label != "Region"), None
            )
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
            if e.label == "Institution" and e.props.get("kind") not in (
                "technopark",
                "sez",
                "college",
                "university",
            ):
                continue
            if e.label == "Institution" and any(
                w in ("Russia", "Russian", "Federal") for w in e.name.split()
            ):
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
                if groups and re.match(
                    r"^\s*,?\s*(?:and\s+)?(?:an?|the)?\s*$", s.text[groups[-1][-1].end : m.start]
                ):
                    groups[-1].append(m)
                else:
                    groups.append([m])
            for g in groups:
                st = next(
                    (
                        s.cluster_info[m.start].get("status")
                        for m in g
                        if s.cluster_info.get(m.start, {}).get("status")
                    ),
                    None,
                )
                for m in g:
                    if st and m.key not in status:
                        status[m.key] = st
        for e in self.reg.entities("Cluster"):
            e.props.setdefault("status", status.get(e.key, "active"))


# ---- entry points -------------------------------------------------------------------------------
