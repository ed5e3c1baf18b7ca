"""The Neo4j Browser guide: one slide per named query with its description, its parameters as
`:param` lines and its Cypher, both runnable with a click (`:guide http://localhost:8000/guide`)."""
from __future__ import annotations

import json
from html import escape

from api.registry import NamedQuery

# Example values so every slide runs as is on the seed graph; a parameter not listed here gets its default.
EXAMPLES: dict[str, dict[str, object]] = {
    "clusters_in_region": {"region": "Тульской области"},
    "cluster_profile": {"cluster": "National Aerosol Cluster"},
    "enterprise_profile": {"name": "Arnest"},
    "official_profile": {"name": "Alexey Dyumin"},
    "search": {"text": "Тульской"},
    "connection": {"a": "Alexey Dyumin", "b": "Arnest"},
    "evidence": {"from": "Arnest", "type": "ANCHORS", "to": "National Aerosol Cluster"},
}


def _cypher_literal(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    return json.dumps(str(value), ensure_ascii=False)  # a double-quoted string is valid Cypher


def param_lines(query: NamedQuery) -> str:
    example = EXAMPLES.get(query.name, {})
    return "\n".join(f":param {p.name} => {_cypher_literal(example.get(p.name, p.default))}"
                     for p in query.params)


def _slide(query: NamedQuery) -> str:
    rows = "".join(
        f"<li><code>{escape(p.name)}</code> <em>{escape(p.type)}</em>"
        f"{'' if p.required else ' = ' + escape(_cypher_literal(p.default))}: {escape(p.meaning)}</li>"
        for p in query.params
    )
    params = ""
    if query.params:
        params = (f"<p>Parameters:</p><ul>{rows}</ul><p>Set them (click, then run):</p>"
                  f'<pre mode="cypher" class="pre-scrollable code runnable">{escape(param_lines(query))}</pre>')
    return f"""
    <slide class="row-fluid">
      <div class="col-sm-3">
        <h3>{escape(query.name)}</h3>
        <p class="lead">{escape(query.description)}</p>
        <p>Columns: {escape(", ".join(query.returns))}</p>
        <p>API: <code>GET /queries/{escape(query.name)}</code></p>
      </div>
      <div class="col-sm-9">
        {params}
        <pre mode="cypher" class="pre-scrollable code runnable">{escape(query.text.strip())}</pre>
      </div>
    </slide>"""


def render_guide(queries: list[NamedQuery]) -> str:
    """The guide as HTML in the Browser's slide format (article.guide > carousel > slide)."""
    index = "".join(f"<li><b>{escape(q.name)}</b>: {escape(q.description)}</li>" for q in queries)
    intro = f"""
    <slide class="row-fluid">
      <div class="col-sm-3">
        <h3>Klaster: named queries</h3>
        <p class="lead">Russia's industrial clusters as a graph: regions, clusters, enterprises, institutions,
        officials and agreements, each fact with the sentences that state it.</p>
      </div>
      <div class="col-sm-9">
        <p>One slide per question. Click a <code>:param</code> block to set the parameters, then the query
        to run it. The same queries are served as JSON and CSV by the Klaster API.</p>
        <ol>{index}</ol>
      </div>
    </slide>"""
    slides = "".join(_slide(q) for q in queries)
    return f"""<article class="guide">
  <carousel class="deck container-fluid">{intro}{slides}
  </carousel>
</article>
"""
