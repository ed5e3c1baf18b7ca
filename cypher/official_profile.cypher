// name: official_profile
// description: One person: the posts they hold, the agreements they signed (with parties and co-signers), and the documents naming them; each fact with its sources.
// param: name string — the person's name as written or an alias or transliteration, any case (Alexey Dyumin, Алексей Дюмин); failing an exact match, the best full-text hit
// returns: official, posts, agreements, coSigners, documents
CALL () {
  WITH toLower(trim($name)) AS q
  CALL (q) {
    MATCH (o:Official)
    WHERE toLower(o.name) = q OR o.key = q OR any(x IN coalesce(o.aliases, []) WHERE toLower(x) = q)
    RETURN o, 1.0e9 AS score
    UNION
    WITH q, [t IN split(q, ' ') WHERE t =~ '.*[\\p{L}\\p{N}].*'
             | '"' + replace(replace(t, '\\', '\\\\'), '"', '\\"') + '"'] AS terms
    WHERE size(terms) > 0
    UNWIND ['entity_search', 'entity_search_ru'] AS idx
    CALL db.index.fulltext.queryNodes(idx, reduce(s = head(terms), t IN tail(terms)[..31] | s + ' AND ' + t))
      YIELD node, score
    WITH node, score WHERE node:Official
    RETURN node AS o, score
  }
  RETURN o ORDER BY score DESC, o.name LIMIT 1
}
RETURN
  {name: o.name, aliases: coalesce(o.aliases, [])} AS official,
  [(o)-[h:HOLDS_POST]->(org) | {post: h.title, at: org.name, atLabel: labels(org)[0], sources: h.sources}]
    AS posts,
  [(o)-[s:SIGNED]->(a:Agreement)
     | {title: a.title, date: a.date, place: a.place, parties: [(p)-[:PARTY_TO]->(a) | p.name],
        sources: s.sources}] AS agreements,
  COLLECT {
    MATCH (o)-[:SIGNED]->(a:Agreement)<-[:SIGNED]-(other:Official)
    WHERE other <> o
    RETURN {name: other.name, agreement: a.title} AS co ORDER BY co.name
  } AS coSigners,
  [(o)-[:MENTIONED_IN]->(d:Document) | {id: d.id, title: d.title, lang: d.lang, date: d.date}] AS documents
