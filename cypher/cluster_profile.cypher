// name: cluster_profile
// description: Everything the graph knows about one cluster: anchors, members by kind, regions, coordinator, officials, agreements, each fact with the documents that state it.
// param: cluster string — the cluster's name, Russian name or an alias (any case); failing an exact match, the best full-text hit
// returns: cluster, anchors, members, regions, coordinators, officials, agreements, documents
CALL () {
  WITH toLower(trim($cluster)) AS q
  CALL (q) {
    MATCH (c:Cluster)
    WHERE toLower(c.name) = q OR toLower(c.nameRu) = q OR c.key = q
       OR any(x IN coalesce(c.aliases, []) WHERE toLower(x) = q)
    RETURN c, 1.0e9 AS score
    UNION
    WITH q, [t IN split(q, ' ') WHERE t =~ '.*[\\p{L}\\p{N}].*'
             | '"' + replace(replace(t, '\\', '\\\\'), '"', '\\"') + '"'] AS terms
    WHERE size(terms) > 0
    UNWIND ['entity_search', 'entity_search_ru'] AS idx
    CALL db.index.fulltext.queryNodes(idx, reduce(s = head(terms), t IN tail(terms)[..31] | s + ' AND ' + t))
      YIELD node, score
    WITH node, score WHERE node:Cluster
    RETURN node AS c, score
  }
  RETURN c ORDER BY score DESC, c.name LIMIT 1
}
CALL (c) {
  OPTIONAL MATCH (m)-[r:MEMBER_OF|ANCHORS]->(c)
  WITH m, collect(r) AS rels WHERE m IS NOT NULL
  WITH CASE WHEN m:Enterprise THEN 'enterprise' ELSE coalesce(m.kind, 'other') END AS kind, m,
       reduce(s = [], r IN rels | s + [d IN r.sources WHERE NOT d IN s]) AS sources
  ORDER BY kind, m.name
  WITH kind, collect({name: m.name, sources: sources}) AS items
  RETURN collect({kind: kind, members: items}) AS members
}
CALL (c) {
  OPTIONAL MATCH (c)-[r1:PARTY_TO]->(a1:Agreement)
  OPTIONAL MATCH (a2:Agreement)-[r2:CONCERNS]->(c)
  WITH [x IN collect({a: a1, r: r1}) + collect({a: a2, r: r2}) WHERE x.a IS NOT NULL] AS facts
  UNWIND (CASE WHEN facts = [] THEN [null] ELSE facts END) AS fact
  WITH fact.a AS a, collect(fact.r) AS rels WHERE a IS NOT NULL
  ORDER BY a.date, a.title
  RETURN collect({title: a.title, date: a.date, place: a.place,
                  parties: [(p)-[:PARTY_TO]->(a) | p.name],
                  signatories: [(o:Official)-[:SIGNED]->(a) | o.name],
                  sources: reduce(s = [], r IN rels | s + [d IN r.sources WHERE NOT d IN s])}) AS agreements
}
RETURN
  {name: c.name, nameRu: c.nameRu, industry: c.industry, status: c.status, founded: c.founded,
   aliases: coalesce(c.aliases, [])} AS cluster,
  [(e:Enterprise)-[r:ANCHORS]->(c) | {name: e.name, sources: r.sources}] AS anchors,
  members,
  [(c)-[r:LOCATED_IN]->(g:Region) | {iso: g.iso, name: g.name, sources: r.sources}] AS regions,
  [(i:Institution)-[r:COORDINATES]->(c) | {name: i.name, sources: r.sources}] AS coordinators,
  [(o:Official)-[h:HOLDS_POST]->(org)
     WHERE org = c OR exists { (org)-[:ANCHORS|MEMBER_OF|COORDINATES]->(c) }
     | {name: o.name, post: h.title, at: org.name, sources: h.sources}] AS officials,
  agreements,
  [(c)-[:MENTIONED_IN]->(d:Document) | {id: d.id, title: d.title, lang: d.lang, date: d.date}] AS documents
