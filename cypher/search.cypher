// name: search
// description: Entities of any label whose name or alias matches the text, in English or Russian and in any grammatical case, best first (full-text indexes; the Russian one stems).
// param: text string — the words to look for (Lucene special characters are taken literally)
// param: limit integer(1..1000) = 20 — how many entities at most
// returns: label, name, nameRu, key, score, aliases
// Each word becomes a quoted Lucene term, so the user's text can never be read as query syntax.
WITH [t IN split(trim($text), ' ') WHERE t =~ '.*[\\p{L}\\p{N}].*'
      | '"' + replace(replace(t, '\\', '\\\\'), '"', '\\"') + '"'] AS terms
WHERE size(terms) > 0
UNWIND ['entity_search', 'entity_search_ru'] AS idx
CALL db.index.fulltext.queryNodes(idx, reduce(q = head(terms), t IN tail(terms)[..31] | q + ' OR ' + t))
  YIELD node, score
WITH node, max(score) AS score
RETURN labels(node)[0] AS label, node.name AS name, node.nameRu AS nameRu, node.key AS key, score,
       coalesce(node.aliases, []) AS aliases
ORDER BY score DESC, name
LIMIT $limit
