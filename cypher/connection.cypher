// name: connection
// description: The shortest paths between two entities of any label, through the domain relationships (up to 6 steps), each step with the sentences and documents that state it.
// param: a string — the first entity's name or alias, any label, English or Russian, any case
// param: b string — the second entity's name or alias
// param: limit integer(1..1000) = 10 — how many shortest paths at most
// returns: from, to, length, steps
// Each end is matched exactly on name, nameRu or an alias (case-insensitive), else by the best
// full-text hit with every word required.
CALL () {
  UNWIND [['a', toLower(trim($a))], ['b', toLower(trim($b))]] AS end
  CALL (end) {
    WITH end[1] AS q
    CALL (q) {
      MATCH (n:Region|Cluster|Enterprise|Institution|Official|Agreement)
      WHERE toLower(n.name) = q OR toLower(n.nameRu) = q OR toLower(n.iso) = q
         OR any(x IN coalesce(n.aliases, []) WHERE toLower(x) = q)
      RETURN n, 1.0e9 AS score
      UNION
      WITH q, [t IN split(q, ' ') WHERE t =~ '.*[\\p{L}\\p{N}].*'
               | '"' + replace(replace(t, '\\', '\\\\'), '"', '\\"') + '"'] AS terms
      WHERE size(terms) > 0
      UNWIND ['entity_search', 'entity_search_ru'] AS idx
      CALL db.index.fulltext.queryNodes(idx, reduce(s = head(terms), t IN tail(terms)[..31] | s + ' AND ' + t))
        YIELD node, score
      RETURN node AS n, score
    }
    RETURN n ORDER BY score DESC, n.name LIMIT 1
  }
  RETURN collect(CASE end[0] WHEN 'a' THEN n END)[0] AS x, collect(CASE end[0] WHEN 'b' THEN n END)[0] AS y
}
WITH x, y WHERE x IS NOT NULL AND y IS NOT NULL AND x <> y
MATCH p = allShortestPaths((x)-[:ANCHORS|MEMBER_OF|LOCATED_IN|SIGNED|PARTY_TO|CONCERNS|HOLDS_POST|COORDINATES*..6]-(y))
WITH x, y, p LIMIT $limit
RETURN {name: x.name, label: labels(x)[0]} AS from,
       {name: y.name, label: labels(y)[0]} AS to,
       length(p) AS length,
       [r IN relationships(p) |
          {from: startNode(r).name, type: type(r), to: endNode(r).name, post: r.title,
           sources: r.sources,
           evidence: COLLECT { MATCH (s:Sentence) WHERE s.id IN r.evidence RETURN s.text }}] AS steps
