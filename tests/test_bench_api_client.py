"""The API benchmark's own HTTP/1.1 client reads what servers send: Content-Length and chunked bodies,
keep-alive and `Connection: close`, and recovers from a dropped connection."""
from __future__ import annotations

import asyncio

from klaster.bench.api import HttpConnection

RESPONSES = [
    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"rows\":[]}",
    b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nX-Trailer: 1\r\n\r\n",
    b"HTTP/1.1 503 Service Unavailable\r\nconnection: close\r\ncontent-length: 4\r\n\r\nbusy",
    b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
]


async def _exchange() -> tuple[list[tuple[int, bytes]], int, list[bytes]]:
    """Four requests, then one the server drops, then one more; answers, connections opened, requests seen."""
    served = iter(RESPONSES[:3] + [None] + RESPONSES[3:])  # None: close without answering
    connections = 0
    seen: list[bytes] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal connections
        connections += 1
        while True:
            try:
                seen.append(await reader.readuntil(b"\r\n\r\n"))
            except asyncio.IncompleteReadError:
                break
            answer = next(served)
            if answer is None:
                break
            writer.write(answer)
            await writer.drain()
            if b"connection: close" in answer:
                break
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    conn = HttpConnection("127.0.0.1", port)
    request = f"GET /queries/stats HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode()
    answers = [await conn.get(request) for _ in range(3)]
    try:
        await conn.get(request)
        dropped = False
    except (OSError, asyncio.IncompleteReadError):
        dropped = True
    assert dropped, "a connection closed without an answer must fail the request"
    answers.append(await conn.get(request))
    conn.close()
    server.close()
    await server.wait_closed()
    return answers, connections, seen


def test_client_reads_lengths_chunks_and_reconnects() -> None:
    answers, connections, seen = asyncio.run(_exchange())
    assert answers == [(200, b'{"rows":[]}'), (200, b"hello, world"), (503, b"busy"), (200, b"")]
    # keep-alive for the first three, a new connection after `Connection: close`, another after the drop
    assert connections == 3
    assert len(seen) == 5 and all(s.startswith(b"GET /queries/stats HTTP/1.1\r\n") for s in seen)
