// name: stats
// description: What the graph holds: node counts per label, relationship counts per type, documents and sentences loaded, and the time of the last load.
// returns: labels, relationships, documents, sentences, lastLoad
// Labels and types are spelled out so every count comes from Neo4j's count store, not a scan.
RETURN
  [{label: 'Region', count: COUNT { (:Region) }},
   {label: 'Cluster', count: COUNT { (:Cluster) }},
   {label: 'Enterprise', count: COUNT { (:Enterprise) }},
   {label: 'Institution', count: COUNT { (:Institution) }},
   {label: 'Official', count: COUNT { (:Official) }},
   {label: 'Agreement', count: COUNT { (:Agreement) }},
   {label: 'Document', count: COUNT { (:Document) }},
   {label: 'Sentence', count: COUNT { (:Sentence) }}] AS labels,
  [{type: 'ANCHORS', count: COUNT { ()-[:ANCHORS]->() }},
   {type: 'MEMBER_OF', count: COUNT { ()-[:MEMBER_OF]->() }},
   {type: 'LOCATED_IN', count: COUNT { ()-[:LOCATED_IN]->() }},
   {type: 'SIGNED', count: COUNT { ()-[:SIGNED]->() }},
   {type: 'PARTY_TO', count: COUNT { ()-[:PARTY_TO]->() }},
   {type: 'CONCERNS', count: COUNT { ()-[:CONCERNS]->() }},
   {type: 'HOLDS_POST', count: COUNT { ()-[:HOLDS_POST]->() }},
   {type: 'COORDINATES', count: COUNT { ()-[:COORDINATES]->() }},
   {type: 'MENTIONED_IN', count: COUNT { ()-[:MENTIONED_IN]->() }},
   {type: 'HAS_SENTENCE', count: COUNT { ()-[:HAS_SENTENCE]->() }}] AS relationships,
  COUNT { (:Document) } AS documents,
  COUNT { (:Sentence) } AS sentences,
  COLLECT { MATCH (d:Document) WHERE d.loadedAt IS NOT NULL
            RETURN d.loadedAt ORDER BY d.loadedAt DESC LIMIT 1 }[0] AS lastLoad
