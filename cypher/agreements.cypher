// name: agreements
// description: Agreements with their date, place, parties, signatories and concerned clusters, optionally only those touching a region or a cluster, or dated on or after a date.
// param: region region = null — only agreements a region is party to, or whose parties or clusters are located in it (ISO code or any name variant, any case)
// param: cluster string = null — only agreements concerning this cluster or with it as a party (name, Russian name or alias, any case)
// param: since date = null — only agreements dated on or after this ISO date (2018, 2018-06 or 2018-06-01), compared at the precision both dates have; undated agreements are then left out
// returns: agreement, date, place, parties, signatories, clusters, sources
OPTIONAL CALL () {
  WITH toLower(trim($region)) AS r
  CALL (r) {
    MATCH (g:Region)
    WHERE toLower(g.iso) = r OR toLower(g.key) = r OR toLower(g.name) = r OR toLower(g.nameRu) = r
       OR any(x IN coalesce(g.aliases, []) WHERE toLower(x) = r)
    RETURN g, 1.0e9 AS score
    UNION
    WITH r, [t IN split(r, ' ') WHERE t =~ '.*[\\p{L}\\p{N}].*'
             | '"' + replace(replace(t, '\\', '\\\\'), '"', '\\"') + '"'] AS terms
    WHERE size(terms) > 0
    UNWIND ['entity_search', 'entity_search_ru'] AS idx
    CALL db.index.fulltext.queryNodes(idx, reduce(q = head(terms), t IN tail(terms)[..31] | q + ' AND ' + t))
      YIELD node, score
    WITH node, score WHERE node:Region
    RETURN node AS g, score
  }
  RETURN g ORDER BY score DESC LIMIT 1
}
WITH g WHERE $region IS NULL OR g IS NOT NULL
WITH g, toLower(trim($cluster)) AS cq
MATCH (a:Agreement)
WHERE (g IS NULL
       OR exists { (g)-[:PARTY_TO]->(a) }
       OR exists { (a)<-[:PARTY_TO]-()-[:LOCATED_IN]->(g) }
       OR exists { (a)-[:CONCERNS]->(:Cluster)-[:LOCATED_IN]->(g) })
  AND (cq IS NULL
       OR exists { (a)-[:CONCERNS]-(c:Cluster) WHERE toLower(c.name) = cq OR toLower(c.nameRu) = cq
                     OR c.key = cq OR any(x IN coalesce(c.aliases, []) WHERE toLower(x) = cq) }
       OR exists { (a)<-[:PARTY_TO]-(c:Cluster) WHERE toLower(c.name) = cq OR toLower(c.nameRu) = cq
                     OR c.key = cq OR any(x IN coalesce(c.aliases, []) WHERE toLower(x) = cq) })
  AND ($since IS NULL
       OR (a.date IS NOT NULL AND
           left(toString(a.date), size($since)) >= left($since, size(toString(a.date)))))
RETURN a.title AS agreement, a.date AS date, a.place AS place,
       [(p)-[:PARTY_TO]->(a) | {name: p.name, label: labels(p)[0]}] AS parties,
       [(o:Official)-[:SIGNED]->(a) | o.name] AS signatories,
       [(a)-[:CONCERNS]->(c:Cluster) | c.name] AS clusters,
       reduce(s = [], r IN [(a)-[x]-() WHERE type(x) IN ['PARTY_TO', 'SIGNED', 'CONCERNS'] | x]
              | s + [d IN coalesce(r.sources, []) WHERE NOT d IN s]) AS sources
ORDER BY date DESC, agreement
