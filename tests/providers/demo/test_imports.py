"""The demo provider's modules import each other one way only.

`models`, `tasks` and `voices` once imported each other's private names; what they
share now lives in the leaf modules `roster` and `replies`, under public names.
"""

from __future__ import annotations

import itertools

import grimp


def test_no_demo_module_imports_one_that_imports_it_back() -> None:
    graph = grimp.build_graph("roundtable")
    demo = sorted(m for m in graph.modules if m.startswith("roundtable.providers.demo."))

    cycles = [
        (a, b)
        for a, b in itertools.combinations(demo, 2)
        if graph.chain_exists(importer=a, imported=b) and graph.chain_exists(importer=b, imported=a)
    ]

    assert len(demo) >= 8
    assert cycles == []


def test_the_shared_pieces_are_leaves_of_the_demo_provider() -> None:
    graph = grimp.build_graph("roundtable")
    for leaf in ("roundtable.providers.demo.roster", "roundtable.providers.demo.replies"):
        imported = graph.find_modules_directly_imported_by(leaf)
        demo_imports = {m for m in imported if m.startswith("roundtable.providers.demo.")}
        assert demo_imports <= {"roundtable.providers.demo.arithmetic"}, (leaf, demo_imports)
