"""Russian extraction: paragraphs of a Russian news text in, its entities and relations (an Exchange) out.

Steps per paragraph: natasha segments and tags PER/ORG/LOC (the only statistical, expensive step);
the regions gazetteer finds federal subjects; `ru_mentions` types mentions with vocabularies and
pymorphy3; then, per document, mentions become entities in a `Registry` (one per thing: references
such as "регионального Фонда развития промышленности" or "создаваемого кластера" resolved to the
entity they mean) and `ru_relations` reads the relations sentence by sentence.

Example:
>>> from loaders.document import Paragraph
>>> ex = extract("d.txt", [Paragraph("Якорным резидентом кластера «Северная верфь» станет АО «Балтика».", "ru")])
>>> names = {e.key: e.name for e in ex.entities}
>>> [(r.type, names[r.from_], names[r.to]) for r in ex.relations]
[('ANCHORS', 'Балтика', 'Северная верфь')]
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from loaders.document import Paragraph
from loaders.exchange import DocumentRef, Exchange
from loaders.extract.common import ClusterSalience, Registry, identity_key
from loaders.extract.ru_mentions import (
    WORD_RE,
    RegionHit,
    RuMention,
    Sent,
    SentenceFinder,
    Tok,
    cluster_status,
    has_cluster_word,
)
from loaders.extract.ru_nlp import lemma, natasha_models, parses, vocab
from loaders.extract.ru_relations import RelationFinder


def ner_only(paragraphs: list[Paragraph]) -> int:
    """Run natasha segmentation + NER only (the benchmark's baseline); returns the number of spans.

    Takes the same paragraphs as `extract` (the pipeline routes them), so both see the same text.
    """
    from natasha import Doc

    seg, ner = natasha_models()
    n = 0
    for p in paragraphs:
        if not p.text.strip():
            continue
        d = Doc(p.text)
        d.segment(seg)
        d.tag_ner(ner)
        n += len(d.spans)
    return n


def _sentences(paragraphs: list[Paragraph]) -> list[tuple[Sent, list[tuple[str, int, int]], list[RegionHit],
                                                          list[tuple[int, int, str, str, str, list[str]]]]]:
    """Sentences with their tokens, natasha NER spans, regions and gazetteer organisations
    (sentence-relative offsets; the gazetteers run once per paragraph)."""
    from natasha import Doc

    seg, ner = natasha_models()
    out = []
    for pi, p in enumerate(paragraphs):
        if not p.text.strip():
            continue
        d = Doc(p.text)
        d.segment(seg)
        d.tag_ner(ner)
        spans = [(s.type, s.start, s.stop) for s in d.spans]
        regions = _regions(p.text)
        orgs = _gazetteer_orgs(p.text)
        for s in d.sents:
            a0, b0 = s.start, s.stop
            toks = [Tok(t.text, t.start - a0, t.stop - a0) for t in s.tokens]
            sent = Sent(len(out), s.text, toks, title=pi == 0)
            out.append((sent,
                        [(ty, a - a0, b - a0) for ty, a, b in spans if a >= a0 and b <= b0],
                        [RegionHit(r.iso, r.start - a0, r.end - a0, r.surface, r.via) for r in regions
                         if r.start >= a0 and r.end <= b0],
                        [(a - a0, b - a0, *rest) for a, b, *rest in orgs if a >= a0 and b <= b0]))
    return out


def _regions(text: str) -> list[RegionHit]:
    from loaders.regions import get_resolver

    out = []
    for m in get_resolver().find(text, "ru"):
        via = m.via
        # "Свердловский областной колледж": an adjective of the region inside a name, not the region's name
        if lemma(m.surface.split()[-1]) in _ADJECTIVAL_TYPES:
            via = "adjective"
        out.append(RegionHit(m.iso, m.start, m.end, m.surface, via))
    return out


_ADJECTIVAL_TYPES = frozenset({"областной", "краевой", "республиканский", "окружной"})


def _gazetteer_orgs(text: str) -> list[tuple[int, int, str, str, str, list[str], str | None]]:
    """Well-known bodies from the organisations gazetteer: (start, end, label, name, kind, aliases, region
    ISO of one placed in a region, such as an SEZ)."""
    from loaders import organizations

    out = []
    for m in organizations.find(text, "ru"):
        r = m.record
        name = _nominative(m.surface) or r.name_ru
        # an SEZ's or technopark's region is what its name means; a university's is not stated by its name
        placed = r.region if r.kind in ("sez", "technopark") else None
        out.append((m.start, m.end, r.label, name, r.kind, [r.name_ru, r.name], placed))
    return out


@lru_cache(maxsize=50_000)
def _nominative(phrase: str) -> str:
    from loaders.normalize import nominative_ru

    return nominative_ru(phrase)


@lru_cache(maxsize=50_000)
def _latin(name: str) -> tuple[str, ...]:
    """Transliterations of a Cyrillic name (normalize.latin_variants when present)."""
    if not re.search("[а-яё]", name, re.IGNORECASE):
        return []
    try:
        from loaders.normalize import latin_variants

        return tuple(latin_variants(name))[:3]
    except ImportError:
        import cyrtranslit

        return (cyrtranslit.to_latin(name, "ru").replace("'", ""),)


@lru_cache(maxsize=50_000)
def _translate_cluster(name: str) -> str | None:
    """An English cluster name when every word is in the vocabulary ('Национальный аэрозольный кластер')."""
    table = vocab("clusters")["translate"]
    words = WORD_RE.findall(name)
    out = []
    for w in words:
        t = table.get(lemma(w)) or table.get(w.lower())
        if t is None:
            return None
        out.append(t)
    if not out:
        return None
    text = " ".join(out)
    return text[:1].upper() + text[1:]


class _Doc:
    """One document's mentions turned into entities."""

    def __init__(self, doc_id: str) -> None:
        self.reg = Registry(doc_id)
        self.salience = ClusterSalience()
        self.regions = Counter()

    def region(self, iso: str, surface: str | None = None) -> str:
        from loaders.regions import region

        rec = region(iso)
        return self.reg.add_region(iso, rec.name, name_ru=rec.name_ru, surface=surface,
                                   props={"federalDistrict": rec.federal_district})

    def add(self, m: RuMention, pos: int, title: bool) -> None:
        if m.label == "Region":
            m.key = self.region(m.props["iso"], m.surface)
            self.regions[m.props["iso"]] += 1
            return
        aliases = [a for a in m.aliases if a != m.name]
        if m.label == "Official" or m.label == "Enterprise":
            aliases += _latin(m.name)
        elif m.label == "Cluster":
            en = _translate_cluster(m.name)
            aliases += [en] if en else []
            aliases += _latin(m.name)
        m.key = self.reg.add(m.label, m.name, surface=m.surface, aliases=aliases, props=m.props)
        if m.label == "Cluster":
            self.salience.see(m.key, pos, 3 if title else 1)
        for iso in m.regions:
            self.region(iso)
            self.regions[iso] += 1


@lru_cache(maxsize=50_000)
def _core(name: str) -> frozenset[str]:
    regional = set(vocab("institutions")["regional_words"])
    from loaders.regions import get_resolver

    res = get_resolver()
    for r in res.find(name, "ru"):
        name = name[:r.start] + " " * (r.end - r.start) + name[r.end:]
    return frozenset(w for w in identity_key(name).split() if lemma(w) not in regional and w not in regional)


@lru_cache(maxsize=50_000)
def _names_region(name: str) -> bool:
    from loaders.regions import get_resolver

    return any(r.via == "name" for r in get_resolver().find(name, "ru"))


def _genitive_region(name_ru: str) -> str:
    """'Тульская область' -> 'Тульской области', 'Республика Башкортостан' -> 'Республики Башкортостан'."""
    out = []
    for w in name_ru.split():
        ps = [p for p in parses(w) if p.tag.POS in {"ADJF", "NOUN"}]
        typed = lemma(w) in {"область", "край", "республика", "округ"} or (ps and ps[0].tag.POS == "ADJF")
        form = ps[0].inflect({"gent"}) if typed and ps else None
        out.append(_case_like(w, form.word) if form else w)
    return " ".join(out)


def _case_like(src: str, word: str) -> str:
    return word[:1].upper() + word[1:] if src[:1].isupper() else word


_REGIONAL_TAIL = re.compile(r"\s+(?:региона|области|края|республики)\s*$")


def _resolve_regional(d: _Doc, refs: list[tuple[RuMention, int, bool]], main_region: str | None) -> None:
    """'регионального Фонда развития промышленности' -> the fund named with its region elsewhere in the
    document; with no such name, the body of the document's main region ('Фонд развития промышленности
    Тульской области'); with no region either, kept only if the name says more than 'правительство области'."""
    from loaders.regions import region

    regional = {w.lower() for w in vocab("institutions")["regional_words"]}
    for m, pos, title in refs:
        core = _core(m.name)
        cands = [e for e in d.reg.entities("Institution") if core and core <= _core(e.name)
                 and _names_region(e.name)]
        if len(cands) == 1:
            m.key = cands[0].key
            d.reg.add_alias(m.key, m.surface)
            d.reg.add_alias(m.key, m.name)
            continue
        bare = _REGIONAL_TAIL.search(m.name) is not None
        if main_region:
            words = [w for w in _REGIONAL_TAIL.sub("", m.name).split() if lemma(w) not in regional]
            if not words:
                continue
            base = " ".join(words)
            m.aliases = [*m.aliases, m.name]
            m.name = f"{base[:1].upper()}{base[1:]} {_genitive_region(region(main_region).name_ru)}"
            m.regions = [main_region]
        elif bare or len(core) < 2:
            continue
        d.add(m, pos, title)


@lru_cache(maxsize=50_000)
def _content_stems(name: str) -> frozenset[str]:
    """The industry words of a described cluster, as 6-letter lemma stems: 'кластер композитов' and
    'композитный кластер' both give {'композ'}."""
    v = vocab("clusters")
    skip = {"кластер", "и", *v["reference_words"], *v["nonspecific_adjectives"]}
    from loaders.regions import get_resolver

    for r in get_resolver().find(name, "ru"):
        name = name[:r.start] + " " * (r.end - r.start) + name[r.end:]
    skip.update(vocab("clusters")["process_words"])
    return frozenset(lemma(w)[:6] for w in WORD_RE.findall(name) if lemma(w) not in skip and len(w) > 2)


def _merge_described(d: _Doc, ms: list[RuMention]) -> None:
    """One cluster per thing: described clusters with the same industry words are one cluster."""
    first: dict[frozenset[str], str] = {}
    # proper names first, so that «Фармацевтический кластер Пермского края» keeps its name
    live = {e.key for e in d.reg.entities("Cluster")}

    def described_forms(m: RuMention) -> list[str]:
        # a proper name without the word ("Белгородское поле") is described by its alias
        # "агропромышленный кластер «Белгородское поле»"
        if m.described or has_cluster_word(m.name):
            return [m.name]
        return [a for a in d.reg.entity(m.key).aliases if has_cluster_word(a)] if m.key in live else []

    cands = [m for m in ms if m.label == "Cluster" and m.key and described_forms(m)]
    described = {m.key for m in cands if m.described}
    for m in sorted(cands, key=lambda m: m.described):
        stems = frozenset().union(*(_content_stems(f) for f in described_forms(m)))
        if not stems:
            continue
        # the same industry words, or a shorter description inside a longer one of the same cluster
        # ("кластер радиоэлектроники" / "кластер радиоэлектронных компонентов")
        same = [k for k in first if k <= stems or stems <= k]
        keep = first[same[0]] if len(same) == 1 else first.setdefault(stems, m.key)
        if keep != m.key and m.key in {e.key for e in d.reg.entities("Cluster")}:
            # a headline's short "кластер оборудования" and the body's "кластер нефтегазового оборудования":
            # the fuller description names the cluster
            if m.described and keep in described and len(same) == 1 and same[0] < stems:
                d.reg.merge(keep, m.key)
                d.reg.rename(keep, m.name)
                del first[same[0]]
                first[stems] = keep
                d.salience.forget(m.key, into=keep)
                m.key = keep
                continue
            d.reg.merge(keep, m.key)
            d.salience.forget(m.key, into=keep)
            m.key = keep
    # "создадут межрегиональный кластер" (no industry words) beside one described or named cluster: that one
    bare = {m.key for m in ms if m.label == "Cluster" and m.key and m.described and not _content_stems(m.name)}
    live = {e.key for e in d.reg.entities("Cluster")}
    others = live - bare
    if len(others) == 1:
        keep = next(iter(others))
        for m in ms:
            if m.label == "Cluster" and m.key in bare and m.key in live:
                d.reg.merge(keep, m.key)
                d.salience.forget(m.key, into=keep)
                live.discard(m.key)
            if m.key in bare:
                m.key = keep


def _resolve_heads(d: _Doc, refs: list[RuMention]) -> None:
    """'между фондом и ...', 'директор технопарка': the one institution of the document with that head noun."""
    for m in refs:
        same = [e for e in d.reg.entities("Institution")
                if any(lemma(w) == m.name for a in [e.name, *e.aliases] for w in WORD_RE.findall(a)[:1])]
        if len(same) == 1:
            m.key = same[0].key


def _resolve_surnames(d: _Doc, surnames: list[RuMention]) -> None:
    """'Пронин отметил' is the Дмитрий Пронин named before; a lone surname nobody owns is dropped."""
    full = [e for e in d.reg.entities("Official") if len(e.name.split()) > 1]
    for m in surnames:
        same = [e for e in full if lemma(e.name.split()[-1]) == lemma(m.name.split()[-1])]
        if len(same) == 1:
            m.key = same[0].key
            d.reg.add_alias(m.key, m.surface)


def extract(doc_id: str, paragraphs: list[Paragraph]) -> Exchange:
    """Entities and relations of the Russian paragraphs of one document (the first is the title)."""
    sents = _sentences(paragraphs)
    found: list[tuple[Sent, list[RuMention]]] = []
    for s, ner, regions, orgs in sents:
        finder = SentenceFinder(s, regions, ner, orgs)
        found.append((s, finder.run()))

    d = _Doc(doc_id)
    everything: list[RuMention] = []
    surnames: list[RuMention] = []
    head_refs: list[RuMention] = []
    regional_refs: list[tuple[RuMention, int, bool]] = []
    for s, ms in found:
        for m in ms:
            # post targets synthesised from "заместитель министра ... региона" are mentions too
            extra = [m.post[1]] if m.label == "Official" and m.post and m.post[1] and m.post[1].key is None \
                and m.post[1] not in ms else []
            for x in [*extra, m]:
                if x.ref == "cluster":
                    for iso in x.regions:
                        d.region(iso)
                    continue
                if x.ref == "surname":
                    surnames.append(x)
                    continue
                if x.ref == "head":
                    head_refs.append(x)
                    continue
                if x.ref == "previous":
                    continue  # "её директор": the relation finder knows what was named last
                if x.ref == "regional":
                    regional_refs.append((x, s.idx * 1000 + x.start, s.title))
                    everything.append(x)
                    continue
                d.add(x, s.idx * 1000 + x.start, s.title)
                everything.append(x)
    main_region = d.regions.most_common(1)[0][0] if d.regions else None
    _resolve_regional(d, regional_refs, main_region)
    _resolve_surnames(d, surnames)
    _resolve_heads(d, head_refs)
    _merge_described(d, everything)
    # merges may have dropped keys: point every mention at a live entity
    live = {e.key for e in d.reg.entities()}
    for m in everything:
        if m.key and m.key not in live:
            m.key = d.reg.find(m.label, m.name)

    doc_cluster = d.salience.about()
    if doc_cluster:
        # "Кластер создаётся ...", "создаваемого кластера": the status of the cluster the text is about
        for s, ms in found:
            if "status" in d.reg.entity(doc_cluster).props:
                break
            if any(m.ref == "cluster" for m in ms) and (status := cluster_status(s.text)):
                d.reg.entity(doc_cluster).props["status"] = status
    rf = RelationFinder(d.reg, doc_cluster, main_region)
    for s, ms in found:
        rf.sentence(s, ms)
    rf.finish()
    # "В кластер вошли «Западная Сибирь», …": the cluster's own quoted name read as a company is the cluster
    clusters = {c.name.casefold(): c.key for c in d.reg.entities("Cluster")}
    for e in d.reg.entities("Enterprise"):
        if e.name.casefold() in clusters:
            d.reg.merge(clusters[e.name.casefold()], e.key)
    return d.reg.to_exchange([DocumentRef(id=doc_id, lang="ru")])
