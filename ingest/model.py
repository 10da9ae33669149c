"""The frozen data model that flows from ``ingest`` to ``graph``.

Every stage returns new objects; nothing here is mutated after construction.
Line numbers are 1-based lines of the source file as read (for a PDF: of its
extracted text, with the page alongside).
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date
from typing import Literal, get_args

# (char_offset_in_text, source_line) pairs, ascending: the source line on which
# the character at char_offset (and every later one up to the next pair) sits.
LineMap = tuple[tuple[int, int], ...]

# ---- closed vocabularies (the JSON Schemas in tests/contract list the same values: tests/test_contract_types.py)
FileFormat = Literal["txt", "md", "pdf", "docx", "html"]
AmountKind = Literal["cap", "annual_cap", "fixed", "range", "ratio", "fraction", "fund", "threshold", "target", "other"]
AgencyRole = Literal["lead", "responsible", "cooperating", "interpreting", "issuing", "mentioned"]
ProvisionKind = Literal["part", "chapter", "section", "article", "paragraph", "item", "box", "attachment", "preamble",
                        "other"]
LineageType = Literal["repeals", "amends", "revises", "replaces", "overrides_inconsistent", "implements", "based_on"]
Status = Literal["in_force", "partly_superseded", "superseded", "repealed", "expired", "not_yet_effective", "unknown"]
Verdict = Literal["eligible", "possible", "ineligible"]
ConditionState = Literal["met", "unmet", "unknown"]
STATUSES: tuple[Status, ...] = get_args(Status)
VERDICTS: tuple[Verdict, ...] = get_args(Verdict)


def line_at(line_map: LineMap, offset: int, default: int | None = None) -> int | None:
    """Source line of character ``offset`` of a text carrying ``line_map``.

    >>> line_at(((0, 10), (5, 11)), 7)
    11
    >>> line_at(((0, 10), (5, 11)), 0)
    10
    """
    if not line_map:
        return default
    i = bisect_right(line_map, offset, key=_offset) - 1  # no list of offsets: a document's map has thousands
    return line_map[max(i, 0)][1]


def _offset(pair: tuple[int, int]) -> int:
    return pair[0]


@dataclass(frozen=True, slots=True)
class RawText:
    """A file as read: its physical lines, each with the page it came from."""

    source: str
    format: FileFormat
    lines: tuple[str, ...]
    pages: tuple[int | None, ...]  # same length as lines
    encoding: str | None = None
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Para:
    """A logical line after cleaning: hard wraps joined, furniture removed.

    ``text`` keeps the original characters (for display); ``norm`` is the
    matching form (simplified, half-width digits/ASCII, no spaces between CJK).
    ``line_map`` maps offsets of ``text`` back to source lines.
    """

    text: str
    norm: str
    line_start: int
    line_end: int
    page: int | None = None
    line_map: LineMap = ()

    def line_of(self, offset: int) -> int:
        return line_at(self.line_map, offset, self.line_start) or self.line_start


@dataclass(frozen=True, slots=True)
class TextMap:
    source: str
    format: FileFormat
    paras: tuple[Para, ...]
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Span:
    source: str
    line_start: int
    line_end: int
    page: int | None = None


# What an amount is to a firm: only a benefit is money it may get (eligibility, totals, conflicts).
AmountRole = Literal["benefit", "penalty", "fee", "liability_limit", "obligation", "threshold", "target", "fund",
                     "other"]
AMOUNT_ROLES: tuple[str, ...] = get_args(AmountRole)


@dataclass(frozen=True, slots=True)
class Amount:
    text: str
    value_yuan: int | None  # the amount (for a range: the upper bound)
    kind: AmountKind
    beneficiary: str | None = None
    purpose: str | None = None
    line: int | None = None
    min_yuan: int | None = None  # lower bound of a range
    ratio: float | None = None  # for ratio/fraction kinds: 0.10, 1/3 …
    base: str | None = None  # what a ratio applies to: 新增额, 实际支付 …
    role: AmountRole = "benefit"  # 罚款 → penalty, 收费 → fee, 赔偿限额 → liability_limit …


@dataclass(frozen=True, slots=True)
class AgencyMention:
    name: str  # canonical
    text: str  # surface form
    role: AgencyRole | None = None


@dataclass(frozen=True, slots=True)
class Condition:
    field: str  # see data/rules/condition_fields.yaml
    op: str  # >= > <= < == in between has is
    value: object = None  # number, str, bool, or (lo, hi) for between
    unit: str | None = None
    text: str = ""
    line: int | None = None


WindowKind = Literal["range", "deadline", "yearly", "rolling"]


@dataclass(frozen=True, slots=True)
class ApplicationWindow:
    """When one may apply (ingest/extract/windows.py): a dated ``range`` (申报时间：…至…), a
    ``deadline`` (于…前报送), a ``yearly`` window by month-day (每年3月: 03-01 … 03-31) or ``rolling``
    (常年受理). ``text`` is the sentence that states it."""

    kind: WindowKind
    text: str
    start: date | None = None
    end: date | None = None
    time_end: str | None = None  # "18:00" on the end date, when the text gives a time
    yearly_start: str | None = None  # MM-DD, yearly windows
    yearly_end: str | None = None
    late_refused: bool = False  # 逾期不予受理
    line: int | None = None


@dataclass(frozen=True, slots=True)
class Measure:
    """One benefit a provision grants and the conditions it is granted under.

    A provision may grant several (a 500万 and a 1000万 award in one sentence), and a
    measure in tiers yields one Measure per tier sharing ``tier_group``: a firm gets the
    one tier it falls in, never the sum.
    """

    text: str
    conditions: tuple[Condition, ...] = ()
    amounts: tuple[Amount, ...] = ()
    benefit_formula: str | None = None  # grammar in data/rules/condition_fields.yaml
    beneficiary: str | None = None
    purpose: str | None = None
    line: int | None = None
    tier_group: str | None = None


@dataclass(frozen=True, slots=True)
class Provision:
    id: str  # path id: chp_2/art_12/para_2/item_3
    kind: ProvisionKind
    label: str | None
    heading: str | None
    text: str
    span: Span
    children: tuple["Provision", ...] = ()
    amounts: tuple[Amount, ...] = ()
    agencies: tuple[AgencyMention, ...] = ()
    programmes: tuple[str, ...] = ()
    beneficiaries: tuple[str, ...] = ()
    conditions: tuple[Condition, ...] = ()
    benefit_formula: str | None = None
    measures: tuple[Measure, ...] = ()
    line_map: LineMap = field(default=(), compare=False)
    windows: tuple[ApplicationWindow, ...] = ()  # 申报/受理 windows this provision states

    def walk(self):
        """This provision and all its descendants, depth first."""
        yield self
        for c in self.children:
            yield from c.walk()


@dataclass(frozen=True, slots=True)
class Validity:
    start: date | None = None
    end: date | None = None
    text: str | None = None
    line: int | None = None


@dataclass(frozen=True, slots=True)
class Revision:
    """One entry of a history block (题注), oldest first on a document."""

    kind: str  # 通过|批准|修正|修订|公布|发布|颁布|印发 (data/rules/history.yaml)
    date: date
    text: str
    by: str | None = None  # the body that adopted, approved or issued: 全国人民代表大会常务委员会
    line: int | None = None


@dataclass(frozen=True, slots=True)
class Reference:
    title: str
    doc_number: str | None
    text: str
    line: int | None = None


@dataclass(frozen=True, slots=True)
class Lineage:
    type: LineageType
    target_title: str | None
    target_doc_number: str | None
    text: str
    line: int | None = None


@dataclass(frozen=True, slots=True)
class Jurisdiction:
    """Where a document applies: a division (GB/T 2260 ``code``) or zone, or the whole country."""

    name: str
    level: Literal["national", "province", "city", "county", "zone"]
    key: str  # the code, or zone:NAME for a zone without one (ingest.places)
    parents: tuple[str, ...] = ()  # names of the enclosing divisions, nearest first
    excludes: tuple[str, ...] = ()  # keys of divisions or zones the document leaves out (不含…)
    exclude_names: tuple[str, ...] = ()

    @property
    def code(self) -> str | None:
        return self.key if self.key.isdigit() and self.level != "national" else None


@dataclass(frozen=True, slots=True)
class DocMeta:
    """What ``ingest.meta.describe`` finds in a document's paragraphs."""

    title: str | None
    doc_type: str | None = None  # 条例/办法/细则/规定/意见/通知/方案/行动计划/措施/决定 …
    doc_class: str | None = None  # 法律/行政法规/地方性法规/规章/司法解释/规范性文件
    issuers: tuple[str, ...] = ()
    doc_number: str | None = None  # normalised: 青政字〔2024〕20号
    issue_date: date | None = None
    validity: Validity = Validity()
    revisions: tuple[Revision, ...] = ()
    region: str | None = None
    wrapper_title: str | None = None
    body_start: int = 0  # index of the first paragraph that belongs to the provisions
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Document:
    id: str
    title: str | None
    doc_type: str | None
    issuers: tuple[str, ...]
    doc_number: str | None
    issue_date: date | None
    validity: Validity
    span: Span
    provisions: tuple[Provision, ...] = ()
    revisions: tuple[Revision, ...] = ()
    references: tuple[Reference, ...] = ()
    lineage: tuple[Lineage, ...] = ()
    doc_class: str | None = None  # 法律/行政法规/地方性法规/规章/司法解释/规范性文件
    region: str | None = None  # e.g. 青岛市
    wrapper_title: str | None = None  # the 印发…的通知 a policy came in
    jurisdiction: Jurisdiction | None = None  # where it applies (ingest.jurisdiction)

    def walk(self):
        for p in self.provisions:
            yield from p.walk()


@dataclass(frozen=True, slots=True)
class ParsedFile:
    source: str
    format: FileFormat
    documents: tuple[Document, ...]
    warnings: tuple[str, ...] = ()
    sha256: str | None = None
