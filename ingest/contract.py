"""The parse contract (`policygraph parse --json`, tests/contract/parse.schema.json) as TypedDicts:
what ``ingest.serialize.parsed_file_to_dict`` makes of the model. Dates are ISO text.

The schema is the contract with other tools and lists the keys they rely on; these types list every
key the output has (tests/test_contract_types.py checks both against each other and the output).
"""
from __future__ import annotations

from typing import TypedDict

from .model import AgencyRole, AmountKind, FileFormat, LineageType, ProvisionKind


class AmountJSON(TypedDict):
    text: str
    value_yuan: int | None
    kind: AmountKind
    beneficiary: str | None
    purpose: str | None
    line: int | None
    min_yuan: int | None
    ratio: float | None
    base: str | None


class AgencyJSON(TypedDict):
    name: str
    text: str
    role: AgencyRole | None


class ConditionJSON(TypedDict):
    field: str
    op: str
    value: object
    unit: str | None
    text: str
    line: int | None


class MeasureJSON(TypedDict):
    text: str
    conditions: list[ConditionJSON]
    amounts: list[AmountJSON]
    benefit_formula: str | None
    beneficiary: str | None
    purpose: str | None
    line: int | None
    tier_group: str | None


class ProvisionJSON(TypedDict):
    id: str
    kind: ProvisionKind
    label: str | None
    heading: str | None
    text: str
    children: list[ProvisionJSON]
    amounts: list[AmountJSON]
    agencies: list[AgencyJSON]
    programmes: list[str]
    beneficiaries: list[str]
    conditions: list[ConditionJSON]
    benefit_formula: str | None
    measures: list[MeasureJSON]
    line_start: int
    line_end: int
    page: int | None


class RevisionJSON(TypedDict):
    kind: str
    date: str
    text: str


class ReferenceJSON(TypedDict):
    title: str
    doc_number: str | None
    text: str
    line: int | None


class LineageJSON(TypedDict):
    type: LineageType
    target_title: str | None
    target_doc_number: str | None
    text: str
    line: int | None


class EffectiveJSON(TypedDict):
    start: str | None
    end: str | None
    text: str | None
    line: int | None


class DocumentJSON(TypedDict):
    id: str
    title: str | None
    doc_type: str | None
    issuers: list[str]
    doc_number: str | None
    issue_date: str | None
    provisions: list[ProvisionJSON]
    revisions: list[RevisionJSON]
    references: list[ReferenceJSON]
    lineage: list[LineageJSON]
    doc_class: str | None
    region: str | None
    wrapper_title: str | None
    effective: EffectiveJSON
    source: str
    line_start: int
    line_end: int


class _FileRequired(TypedDict):
    source: str
    format: FileFormat
    documents: list[DocumentJSON]
    warnings: list[str]


class ParsedFileJSON(_FileRequired, total=False):
    sha256: str | None  # absent from a file that failed
    error: str  # only on a file that failed


class ParseResult(TypedDict):
    files: list[ParsedFileJSON]
