"""The answers' `--json` contracts as TypedDicts: eligibility and ask (eligibility.schema.json),
status (status.schema.json), overlaps (overlaps.schema.json), diff and search (no schema yet).

The schemas are the contract with other tools and list the keys they rely on; these types list every
key the answers have (tests/test_contract_types.py checks both against each other and the output).
Dates are ISO text; amounts are yuan.
"""
from __future__ import annotations

from typing import Literal, TypedDict

from ingest.contract import AgencyJSON, ApplicationWindowJSON, JurisdictionJSON
from ingest.model import ConditionState, Status, Verdict


class DocumentRef(TypedDict):
    id: str
    title: str | None
    source: str
    doc_number: str | None
    issue_date: str | None
    jurisdiction: JurisdictionJSON | None


class _ProvisionRefRequired(TypedDict):
    id: str
    label: str | None
    heading: str | None
    line_start: int
    line_end: int
    page: int | None


class ProvisionRef(_ProvisionRefRequired, total=False):
    text: str  # left out where only the citation is wanted


# ---- eligibility and ask ----------------------------------------------------------------------------

class MeasureRef(TypedDict, total=False):
    text: str
    line: int | None
    beneficiary: str | None
    purpose: str | None
    tier_group: str | None


class ConditionResult(TypedDict):
    field: str
    op: str
    value: object
    text: str
    line: int | None
    state: ConditionState
    implicit: bool


class Benefit(TypedDict):
    text: str
    max_yuan: int | None
    formula: str | None
    basis: str | None


class ClauseRef(TypedDict):
    text: str
    line: int | None
    provision: str


class Tier(TypedDict):
    text: str
    verdict: Verdict
    max_yuan: int | None
    line: int | None


class _ResultRequired(TypedDict):
    verdict: Verdict
    document: DocumentRef
    provision: ProvisionRef
    measure: MeasureRef
    conditions: list[ConditionResult]
    deciding_fields: list[str]
    benefit: Benefit
    agencies: list[AgencyJSON]
    status: Status
    applicable: bool
    no_stacking: list[ClauseRef]


class MeasureWindow(ApplicationWindowJSON, total=False):
    via: DocumentRef  # the call for applications (申报通知) citing the measure's document that states it


class EligibilityResult(_ResultRequired, total=False):
    application_windows: list[MeasureWindow]  # its provision's, else its document's, else a citing call's
    tiers: list[Tier]  # alternative measures of one provision (分档), the best one answering
    also_in: list[str]  # other documents restating the same measure


class NoStackingTotal(TypedDict):
    document: str
    rule: ClauseRef
    sum_yuan: int
    combined_yuan: int


class Discretionary(TypedDict):
    count: int
    best_single_yuan: int | None


class Combined(TypedDict):
    eligible_max_yuan: int
    possible_max_yuan: int
    no_stacking: list[NoStackingTotal]
    restatements_merged: int
    discretionary: Discretionary
    explain: dict[str, str]


class RelatedDocument(DocumentRef):
    doc_type: str | None


class RelatedReading(TypedDict):
    document: RelatedDocument
    provision: ProvisionRef
    measure: MeasureRef
    max_yuan: int | None
    note: str


class EligibilityReport(TypedDict):
    as_of: str
    profile: dict[str, object]
    derived: dict[str, object]
    results: list[EligibilityResult]
    combined: Combined
    related_reading: list[RelatedReading]


class Understood(TypedDict):
    field: str | None
    value: object
    text: str


class AskReport(EligibilityReport):
    question: str
    understood: list[Understood]


# ---- status ------------------------------------------------------------------------------------------

class _EvidenceRequired(TypedDict):
    text: str
    line: int | None


class Evidence(_EvidenceRequired, total=False):
    document: str  # the document that repeals, replaces or amends this one
    title: str | None
    kind: str


class _StatusRequired(DocumentRef):
    status: Status
    effective_start: str | None
    effective_end: str | None
    superseded_by: list[str]
    amended_by: list[str]
    supersedes: list[str]
    evidence: list[Evidence]
    same_work: list[str]
    doc_type: str | None
    issuers: list[str]


class StatusEntry(_StatusRequired, total=False):
    chain: list[str]  # with_details: the lineage chain, oldest first
    override_candidates: list[dict[str, object]]
    possibly_displaced_by: list[dict[str, object]]


class StatusReport(TypedDict):
    as_of: str
    documents: list[StatusEntry]


# ---- overlaps ----------------------------------------------------------------------------------------

class Difference(TypedDict):
    a_text: str
    b_text: str
    a_line: int | None
    b_line: int | None


class DocumentOverlap(TypedDict):
    a: str
    b: str
    similarity: float
    relation: Literal["duplicate", "revision", "overlap"]
    shared_provisions: int
    score: float  # summed rarity weight of the shared provisions
    differences: list[Difference]


class _SideRequired(TypedDict):
    document: str
    title: str | None
    provision: str
    label: str | None
    line_start: int
    line_end: int
    text: str


class ProvisionSide(_SideRequired, total=False):
    status: Status  # on a conflict's sides


class ProvisionOverlap(TypedDict):
    a: ProvisionSide
    b: ProvisionSide
    similarity: float
    weight: float  # log((N + 1) / (k + 1)) for a clause met in k other documents of N


class OverlapTotals(TypedDict):
    documents: int
    overlaps: int
    provisions: int


class Conflict(TypedDict):
    a: ProvisionSide
    b: ProvisionSide
    beneficiary: str | None
    purpose: str | None
    reason: str
    a_text: str
    b_text: str
    no_stacking: list[ClauseRef]
    resolution: str | None


class OverlapsReport(TypedDict):
    as_of: str
    threshold: float
    min_similarity: float
    template_documents: int | None
    limit: int | None
    offset: int
    total: OverlapTotals
    documents: list[DocumentOverlap]
    provisions: list[ProvisionOverlap]
    conflicts: list[Conflict]


# ---- diff (新旧对照) and search ------------------------------------------------------------------------

class ClauseText(TypedDict):
    id: str
    label: str | None
    line_start: int
    line_end: int
    text: str


class TokenDifference(Difference):
    context: str  # the text of a just before the difference


class ClauseChange(TypedDict):
    change: Literal["same", "changed", "added", "removed"]
    a: ClauseText | None
    b: ClauseText | None
    similarity: float
    differences: list[TokenDifference]


class DiffReport(TypedDict):
    a: DocumentRef
    b: DocumentRef
    summary: dict[str, int]  # change → clauses
    clauses: list[ClauseChange]


class SearchHit(TypedDict):
    score: float
    document: DocumentRef
    provision: ProvisionRef
    snippet: str
    status: Status | None


class SearchResult(TypedDict):
    query: str
    as_of: str
    total: int
    hits: list[SearchHit]
