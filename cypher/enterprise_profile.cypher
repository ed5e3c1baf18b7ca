// name: enterprise_profile
// description: One enterprise: its clusters (as anchor or member), regions, people holding posts there, agreements it is party to, and the documents naming it; each fact with its sources.
// param: name string — the enterprise's name or an alias, with or without legal form, any case (Arnest, АО «Арнест»); failing an exact match, the best full-text hit
// returns: enterprise, clusters, regions, officials, agreements, documents
CALL () {
  WITH toLower(trim($name)) AS q
  CALL (q) {
    MATCH (e:Enterprise)
    WHERE toLower(e.name) = q OR toLower(e.nameRu) = q OR e.key = q
       OR any(x IN coalesce(e.aliases, []) WHERE toLower(x) = q)
    RETURN e, 1.0e9 AS score
    UNION
    WITH q, [t IN split(q, ' ') WHERE t =~ '.*[\\p{L}\\p{N}].*'
             | '"' + replace(replace(t, '\\', '\\\\'), '"', '\\"') + '"'] AS terms
    WHERE size(terms) > 0
    UNWIND ['entity_search', 'entity_search_ru'] AS idx
    CALL db.index.fulltext.queryNodes(idx, reduce(s = head(terms), t IN tail(terms)[..31] | s + ' OR ' + t))
      YIELD node, score
    WITH node, score WHERE node:Enterprise
    RETURN node AS e, score
  }
  RETURN e ORDER BY score DESC, e.name LIMIT 1
}
RETURN
  {name: e.name, nameRu: e.nameRu, legalForm: e.legalForm, inn: e.inn, ogrn: e.ogrn,
   aliases: coalesce(e.aliases, [])} AS enterprise,
  [(e)-[r:ANCHORS|MEMBER_OF]->(c:Cluster)
     | {name: c.name, role: CASE type(r) WHEN 'ANCHORS' THEN 'anchor' ELSE 'member' END, sources: r.sources}]
    AS clusters,
  [(e)-[r:LOCATED_IN]->(g:Region) | {iso: g.iso, name: g.name, sources: r.sources}] AS regions,
  [(o:Official)-[h:HOLDS_POST]->(e) | {name: o.name, post: h.title, sources: h.sources}] AS officials,
  [(e)-[r:PARTY_TO]->(a:Agreement)
     | {title: a.title, date: a.date, place: a.place, parties: [(p)-[:PARTY_TO]->(a) | p.name],
        sources: r.sources}] AS agreements,
  [(e)-[:MENTIONED_IN]->(d:Document) | {id: d.id, title: d.title, lang: d.lang, date: d.date}] AS documents
