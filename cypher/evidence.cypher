// name: evidence
// description: The sentences and documents that state a fact between two entities: one row per sentence, for one relationship type or all of them.
// param: from string — the entity the relationship starts from (name or alias, any case)
// param: type string = null — the relationship type (ANCHORS, MEMBER_OF, LOCATED_IN, SIGNED, PARTY_TO, CONCERNS, HOLDS_POST, COORDINATES; any case); null for every type
// param: to string — the entity the relationship points to (name, alias or a region's ISO code, any case)
// returns: from, type, to, sentence, document, title, lang, date
// Names are matched exactly (case-insensitive) on name, nameRu, aliases or ISO code: a fact is only
// as certain as the two ends it joins.
WITH toLower(trim($from)) AS fq, toLower(trim($to)) AS tq, toUpper(trim($type)) AS rtype
MATCH (x:Region|Cluster|Enterprise|Institution|Official|Agreement)
WHERE toLower(x.name) = fq OR toLower(x.nameRu) = fq OR toLower(x.iso) = fq
   OR any(a IN coalesce(x.aliases, []) WHERE toLower(a) = fq)
MATCH (x)-[r:ANCHORS|MEMBER_OF|LOCATED_IN|SIGNED|PARTY_TO|CONCERNS|HOLDS_POST|COORDINATES]->(y)
WHERE (rtype IS NULL OR type(r) = rtype)
  AND (toLower(y.name) = tq OR toLower(y.nameRu) = tq OR toLower(y.iso) = tq
       OR any(a IN coalesce(y.aliases, []) WHERE toLower(a) = tq))
UNWIND r.evidence AS sid
MATCH (s:Sentence {id: sid})
OPTIONAL MATCH (d:Document {id: s.docId})
RETURN x.name AS from, type(r) AS type, y.name AS to, s.text AS sentence, d.id AS document,
       d.title AS title, d.lang AS lang, d.date AS date
ORDER BY type, document, sentence
