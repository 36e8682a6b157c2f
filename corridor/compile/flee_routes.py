"""Candidate routes of Flee's route choice, enumerated once per origin.

Flee 3.1 (``moving.calculateLinkWeight``) walks the link graph from an agent's location for every
agent that needs a route: each outgoing link is a candidate, and while ``awareness_level`` allows,
the walk goes one hop deeper, never back to a place already on the route, with markers looked
through (they give no candidate and use no step). Every prefix is a candidate of its own.
The set of candidates depends only on the graph, so corridor enumerates it once, on all links, and
on each day masks the candidates that use a closed link; the weight of a candidate depends only on
its end point and accumulated distance, so it is computed once per origin per round, not per agent.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class CandidateRoutes:
    """All candidates, grouped by origin (CSR: ``start[o]:start[o+1]``)."""

    start: np.ndarray  # int32 [n_loc + 1]
    nodes: np.ndarray  # int32 [n_cand, max_len]: locations after the origin (-1 padded)
    links: np.ndarray  # int32 [n_cand, max_len]: the link of each hop (-1 padded)
    length: np.ndarray  # int32 [n_cand]
    dcum: np.ndarray  # float64 [n_cand]: accumulated km to the candidate's end point
    last: np.ndarray  # int32 [n_cand]: end point

    @property
    def max_len(self) -> int:
        return int(self.nodes.shape[1])


def enumerate_candidates(
    n_loc: int,
    out_start: np.ndarray,
    out_link: np.ndarray,
    link_end: np.ndarray,
    link_dist: np.ndarray,
    marker: np.ndarray,
    awareness: int,
) -> CandidateRoutes:
    """Enumerate Flee's candidate routes for every origin (awareness 0: one per outgoing link)."""
    per_origin: list[list[tuple[list[int], list[int], float]]] = []
    for origin in range(n_loc):
        found: list[tuple[list[int], list[int], float]] = []
        for k in range(out_start[origin], out_start[origin + 1]):
            link = int(out_link[k])
            if awareness == 0:
                found.append(([int(link_end[link])], [link], float(link_dist[link])))
            else:
                _walk(link, 0.0, [origin], [], [], 1, awareness, out_start, out_link, link_end,
                      link_dist, marker, found)  # fmt: skip
        per_origin.append(found)
    max_len = max((len(c[0]) for found in per_origin for c in found), default=1)
    n_cand = sum(len(f) for f in per_origin)
    nodes = np.full((n_cand, max_len), -1, dtype=np.int32)
    links = np.full((n_cand, max_len), -1, dtype=np.int32)
    length = np.zeros(n_cand, dtype=np.int32)
    dcum = np.zeros(n_cand, dtype=np.float64)
    start = np.zeros(n_loc + 1, dtype=np.int32)
    c = 0
    for origin, found in enumerate(per_origin):
        start[origin] = c
        for route_nodes, route_links, dist in found:
            nodes[c, : len(route_nodes)] = route_nodes
            links[c, : len(route_links)] = route_links
            length[c] = len(route_nodes)
            dcum[c] = dist
            c += 1
    start[n_loc] = c
    last = nodes[np.arange(n_cand), np.maximum(length - 1, 0)] if n_cand else np.zeros(0, np.int32)
    return CandidateRoutes(start, nodes, links, length, dcum, last.astype(np.int32))


def _walk(
    link: int,
    prior: float,
    visited: list[int],
    nodes: list[int],
    links: list[int],
    step: int,
    awareness: int,
    out_start: np.ndarray,
    out_link: np.ndarray,
    link_end: np.ndarray,
    link_dist: np.ndarray,
    marker: np.ndarray,
    found: list[tuple[list[int], list[int], float]],
) -> None:
    end = int(link_end[link])
    here = prior + float(link_dist[link])
    route_nodes = [*nodes, end]
    route_links = [*links, link]
    if not marker[end]:
        found.append((route_nodes, route_links, here))
    else:
        step -= 1  # a marker is looked through: it uses no step
    if awareness > step:
        for k in range(out_start[end], out_start[end + 1]):
            nxt = int(out_link[k])
            if int(link_end[nxt]) in visited:
                continue  # no loops back to a place already on the route
            _walk(nxt, here, [*visited, end], route_nodes, route_links, step + 1, awareness,
                  out_start, out_link, link_end, link_dist, marker, found)  # fmt: skip
