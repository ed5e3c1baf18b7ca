// name: interregional_clusters
// description: Clusters located in several regions at once, with those regions and the documents that place the cluster there.
// param: min_regions integer(1..100) = 2 — the least number of regions a cluster must be located in
// returns: cluster, nameRu, industry, status, regions, count, sources
MATCH (c:Cluster)-[r:LOCATED_IN]->(g:Region)
WITH c, g, r ORDER BY g.iso
WITH c, collect({iso: g.iso, name: g.name}) AS regions,
     reduce(s = [], x IN collect(r) | s + [d IN x.sources WHERE NOT d IN s]) AS sources
WHERE size(regions) >= $min_regions
RETURN c.name AS cluster, c.nameRu AS nameRu, c.industry AS industry, c.status AS status,
       regions, size(regions) AS count, sources
ORDER BY count DESC, cluster
