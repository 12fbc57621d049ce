"""The demo catalogue: realistic Chinese and English records with their copies, as pymarc records.

    network = demo_network(seed=2020)
    for generated in generate_catalogue(network, scale=SCALES["small"], seed=2020):
        generated.record      # pymarc.Record, CNMARC or MARC21, holdings in 905/952
        generated.flavour     # MarcFlavour
        generated.holdings    # the copies, as Holding values

Records come in a fixed order with 001 control numbers ``ZC00000001`` …; the same
seed and scale give the same records, copies and barcodes every time, which is what
makes saving them again an update rather than a duplicate.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from pymarc import Record

from wenjin.catalog.states import MarcFlavour
from wenjin.demo.holdings import Holding, HoldingsPlanner
from wenjin.demo.marc import CATALOGUING_AGENCY, build_record
from wenjin.demo.network import DemoNetwork
from wenjin.demo.scales import Scale
from wenjin.demo.titles import Title, TitleStream

# The source the demo's records are saved under (matching is by source + 001).
DEMO_SOURCE = CATALOGUING_AGENCY


@dataclass
class GeneratedRecord:
    title: Title
    holdings: list[Holding]
    record: Record
    flavour: MarcFlavour

    @property
    def control_number(self) -> str:
        return self.title.control_number


def generate_catalogue(
    network: DemoNetwork, *, scale: Scale, seed: int = 2020, count: int | None = None
) -> Iterator[GeneratedRecord]:
    """The first ``count`` records (default: the whole catalogue of ``scale``) in order."""
    planner = HoldingsPlanner(network, scale=scale, seed=seed)
    stream = TitleStream(seed)
    for title in stream.titles(scale.titles if count is None else min(count, scale.titles)):
        holdings = planner.plan(title)
        record, flavour = build_record(title, holdings)
        yield GeneratedRecord(title, holdings, record, flavour)
