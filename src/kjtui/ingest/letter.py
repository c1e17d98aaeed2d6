"""Letter furniture: doc numbers, addressee, signature, contact block, front matter.

These lines describe the document rather than form its content, so they become
document metadata and are kept out of headings, metrics and events.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final

import yaml

from .clean import has_sentence_punctuation, plain

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

META_KEYS = (
    "办理结果", "公开属性", "答复类型", "联系人姓名", "联系人", "联系电话", "联系地址",
    "邮政编码", "抄送", "签发人", "办理单位", "会办单位", "主办单位",
)
_META_LINE: Final = re.compile(r"^(?:#+\s*)?(" + "|".join(META_KEYS) + r")\s*[：:]\s*(.*)$")
DOC_NUMBER: Final = re.compile(
    r"^(?:#+\s*)?([\u4e00-\u9fff]{1,10}[〔\[【(（]\s*\d{4}\s*[〕\]】)）]\s*(?:第\s*)?\d+\s*号)\s*$"
)
_REPLY_TITLE: Final = re.compile(r"^(?:#+\s*)?((?:关于)?对?.{2,80}?(?:建议|提案|议案|意见).{0,20}?的(?:答复|复函|回复)(?:[（(][^）)]{2,30}[）)])?)$")
_ADDRESSEE: Final = re.compile(r"^([\u4e00-\u9fff·、，,\s]{1,30}?(?:代表|委员|同志|先生|女士)们?)\s*[：:]\s*$")
_DATE_LINE: Final = re.compile(r"^\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*(印发|签发)?\s*$")
_ISSUER: Final = re.compile(r"(委员会|局|厅|办公室|办公厅|政府|科委|人民政府|中心)$")
_RULE: Final = re.compile(r"^\s*(-{3,}|\*{3,}|_{3,})\s*$")


@dataclass(slots=True)
class LetterInfo:
    meta_lines: set[int] = field(default_factory=set)  # 1-based
    title: str | None = None
    year: int | None = None
    kind: str | None = None
    doc_number: str | None = None
    date: str | None = None
    addressee: str | None = None
    publisher: str | None = None
    meta: dict[str, str] = field(default_factory=dict)


def _front_matter(lines: list[str], info: LetterInfo) -> None:
    """YAML front matter (as written by `kjtui export`) supplies title and year."""
    if not lines or lines[0].strip() != "---":
        return
    for k in range(1, min(len(lines), 200)):
        if lines[k].strip() == "---":
            try:
                data = yaml.load("\n".join(lines[1:k]), Loader=_LOADER)
            except yaml.YAMLError:
                return
            if not isinstance(data, dict):
                return
            info.meta_lines.update(range(1, k + 2))
            if isinstance(data.get("title"), str):
                info.title = data["title"]
            year = data.get("year")
            if isinstance(year, int) and 1900 <= year <= 2200:
                info.year = year
            if isinstance(data.get("kind"), str):
                info.kind = data["kind"]
            return


def find_letter_parts(lines: list[str]) -> LetterInfo:
    info = LetterInfo()
    _front_matter(lines, info)
    n = len(lines)
    head_limit = min(n, 40)
    doc_number_at = None
    for idx in range(n):
        text = lines[idx].strip()
        if not text:
            continue
        no = idx + 1
        m = _META_LINE.match(text)
        if m:
            key = "联系人" if m.group(1) == "联系人姓名" else m.group(1)
            info.meta[key] = plain(m.group(2))
            info.meta_lines.add(no)
            continue
        if idx < head_limit:
            m = DOC_NUMBER.match(text)
            if m and info.doc_number is None:
                info.doc_number = re.sub(r"\s+", "", m.group(1))
                info.meta_lines.add(no)
                doc_number_at = idx
                continue
            m = _REPLY_TITLE.match(text)
            if m and info.title is None and not has_sentence_punctuation(m.group(1)):
                info.title = plain(m.group(1))
                info.meta_lines.add(no)
                continue
            m = _ADDRESSEE.match(plain(text))
            if m and info.addressee is None:
                info.addressee = m.group(1).strip()
                info.meta_lines.add(no)
                continue
    if doc_number_at is not None:
        # the issuing body stands just above the doc number
        for idx in range(doc_number_at - 1, max(-1, doc_number_at - 4), -1):
            text = plain(lines[idx].lstrip("#"))
            if text:
                if _ISSUER.search(text) and len(text) <= 30:
                    info.publisher = text
                    info.meta_lines.add(idx + 1)
                break
    _signature(lines, info)
    if info.doc_number or info.addressee:
        info.kind = info.kind or "reply"
    return info


def _signature(lines: list[str], info: LetterInfo) -> None:
    """The closing date, the signer above it, and the contact block below."""
    n = len(lines)
    start = int(n * 0.5)
    for idx in range(start, n):
        m = _DATE_LINE.match(lines[idx])
        if not m:
            continue
        year, month, day, issued = m.groups()
        iso = f"{int(year):04d}-{int(month):02d}-{int(day):02d}"
        info.meta_lines.add(idx + 1)
        if issued:
            info.meta.setdefault("印发日期", iso)
        elif info.date is None:
            info.date = iso
        for back in range(idx - 1, max(-1, idx - 4), -1):
            text = plain(lines[back].lstrip("#"))
            if text:
                if len(text) <= 30 and _ISSUER.search(text):
                    info.meta_lines.add(back + 1)
                    info.meta.setdefault("署名", text)
                break
    trailer = [no for no in info.meta_lines if no > start]
    if trailer:
        first = min(trailer)
        for idx in range(first, n):
            if _RULE.match(lines[idx]):
                info.meta_lines.add(idx + 1)
