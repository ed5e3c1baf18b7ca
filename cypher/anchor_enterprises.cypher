// name: anchor_enterprises
// description: Enterprises that anchor a cluster (the anchor, core or base enterprise), with the clusters, the clusters' regions and the documents stating it.
// returns: enterprise, legalForm, inn, clusters, regions, sources
MATCH (e:Enterprise)-[r:ANCHORS]->(c:Cluster)
WITH e, c, r ORDER BY c.name
WITH e, collect(c.name) AS clusters, collect(c) AS cs,
     reduce(s = [], x IN collect(r) | s + [d IN x.sources WHERE NOT d IN s]) AS sources
RETURN e.name AS enterprise, e.legalForm AS legalForm, e.inn AS inn, clusters,
       COLLECT {
         MATCH (x:Cluster)-[:LOCATED_IN]->(g:Region) WHERE x IN cs
         WITH DISTINCT g ORDER BY g.iso
         RETURN {iso: g.iso, name: g.name}
       } AS regions,
       sources
ORDER BY size(clusters) DESC, enterprise
