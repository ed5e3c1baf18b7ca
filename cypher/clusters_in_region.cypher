// name: clusters_in_region
// description: The clusters located in a region, with their industry, status, anchors, member count and the documents that place them there.
// param: region region — the region: ISO code (RU-TUL) or any name variant in English or Russian, any case (Tula Oblast, Tula region, Тульской области)
// returns: region, cluster, nameRu, industry, status, anchors, members, sources
// The region is matched exactly on iso, key, name, nameRu or an alias (case-insensitive); failing that,
// the best Region hit of the full-text indexes with every word required (the Russian one stems,
// so inflected forms match).
CALL () {
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
MATCH (g)<-[loc:LOCATED_IN]-(c:Cluster)
RETURN {iso: g.iso, name: g.name} AS region,
       c.name AS cluster,
       c.nameRu AS nameRu,
       c.industry AS industry,
       c.status AS status,
       [(e:Enterprise)-[:ANCHORS]->(c) | e.name] AS anchors,
       COUNT { (m)-[:MEMBER_OF|ANCHORS]->(c) WHERE m:Enterprise OR m:Institution } AS members,
       loc.sources AS sources
ORDER BY cluster
