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

import re

from loaders.document import Paragraph
from loaders.exchange import Exchange
from loaders.extract.common import Registry
from loaders.extract.en_mentions import Doc
from loaders.extract.en_relations import Relations
from loaders.morph import is_cyrillic
from loaders.normalize import cyrillic_person, cyrillic_variants


def extract(doc_id: str, paragraphs: list[Paragraph]) -> Exchange:
    """Entities and relations of the English paragraphs of one document."""
    d = Doc(doc_id, list(paragraphs))
    d.mentions_pass()
    Relations(d).run()
    _russian_aliases(d.reg)
    return d.reg.to_exchange()


def _russian_aliases(reg: Registry) -> None:
    """People and companies also get their likely Cyrillic spelling, so Russian articles find them."""
    for e in reg.entities("Official"):
        # only a known given name makes the spelling certain (Alexander -> Александр, not Александер)
        person = cyrillic_person(e.name)
        if person:
            reg.add_alias(e.key, person)
    for e in reg.entities("Enterprise"):
        # a multi-word company name is often English words, whose Cyrillic spelling would be noise;
        # a gazetteer's Cyrillic name beats a guessed one
        if (
            # plain words only: "Aviastar-SP", "AeroComposit" are brands spelled their own way
            re.fullmatch(r"[A-Z][a-z']+(?:-[A-Z]?[a-z']+)*", e.name)
            and not any(is_cyrillic(a) for a in e.aliases)
        ):
            for v in cyrillic_variants(e.name)[:1]:
                reg.add_alias(e.key, v)


def candidates(paragraphs: list[Paragraph]) -> int:
    """The candidate step alone (gazetteer and pattern mentions, no relations): the number of spans."""
    d = Doc("bench", list(paragraphs))
    d.mentions_pass()
    return sum(len(s.mentions) for s in d.sents)
