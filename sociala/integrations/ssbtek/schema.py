"""The committed SSBTEK contract (``contract/``), compiled once with lxml.

Two imports of the main schema are not available as published files; ``contract/stand-ins`` supplies
them to the compiler (see ``contract/README.md``). They declare only answer types (the unemployment
funds' payments and Transportstyrelsen's vehicles), so a request is always validated against the
published types alone.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from lxml import etree

CONTRACT = Path(__file__).resolve().parent / "contract"
MAIN_SCHEMA = CONTRACT / "se/forsakringskassan/schema/integration/ssbt/_11/sammansatt_bastjanst_v11.xsd"
STAND_INS = {
    "UnemploymentBenefitPaymentService.xsd": CONTRACT
    / "stand-ins/UnemploymentBenefitPaymentService.standin.xsd",
    "HamtaUppgifterResponder_1.0.xsd": CONTRACT / "stand-ins/HamtaUppgifterResponder_1.0.standin.xsd",
}

SSBT = "http://schema.forsakringskassan.se/integration/ssbt/11"
AF = "http://api.arbetsformedlingen.se/arbetssokande/ersattningsstod/v2"
SKV = "http://beskattningws.ws.service.bs.zg.rsv.se/"
SO = "http://INT014.UBPService.Schemas"


class ContractViolation(ValueError):
    """A message does not follow the contract; ``errors`` lists the validator's findings."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors[:5]))
        self.errors = errors


class _StandInResolver(etree.Resolver):
    """Answers the two imports that have no published copy with their stand-ins; nothing else."""

    def resolve(self, system_url, public_id, context):
        name = (system_url or "").rsplit("/", 1)[-1]
        stand_in = STAND_INS.get(name)
        if stand_in is not None and not Path(system_url).exists():
            return self.resolve_filename(str(stand_in), context)
        return None


@lru_cache(maxsize=1)
def contract_schema() -> etree.XMLSchema:
    """The compiled ssbt/11 schema with its imports."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    parser.resolvers.add(_StandInResolver())
    document = etree.parse(str(MAIN_SCHEMA), parser)  # noqa: S320 - our own committed file
    return etree.XMLSchema(document)


def validate(element: etree._Element) -> None:
    """Raise ContractViolation unless ``element`` (a hamtaBastjanstInformation… element) is valid."""
    schema = contract_schema()
    if not schema.validate(etree.ElementTree(element)):
        raise ContractViolation([f"line {e.line}: {e.message}" for e in schema.error_log])
