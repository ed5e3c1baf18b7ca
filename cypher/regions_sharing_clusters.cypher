// name: regions_sharing_clusters
// description: Pairs of regions that share at least one cluster (the cluster is located in both), with the shared clusters' names; each pair once, most shared first.
// param: region region = null — only the pairs that include this region (ISO code or any name variant, any case); it is then always regionA
// returns: regionA, regionB, clusters, count
// Without a region, each pair appears once with regionA the smaller ISO code.
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
MATCH (a:Region)<-[:LOCATED_IN]-(c:Cluster)-[:LOCATED_IN]->(b:Region)
WHERE a <> b AND CASE WHEN g IS NULL THEN a.iso < b.iso ELSE a = g END
WITH a, b, c ORDER BY c.name
WITH a, b, collect(DISTINCT c.name) AS clusters
RETURN {iso: a.iso, name: a.name} AS regionA,
       {iso: b.iso, name: b.name} AS regionB,
       clusters,
       size(clusters) AS count
ORDER BY count DESC, regionA.iso, regionB.iso
