"""Letter furniture: doc numbers, addressee, signature, contact block, front matter.

These lines describe the document rather than form its content, so they become
document metadata and are kept out of headings, metrics and events.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final

from .clean import has_sentence_punctuation, outside_brackets, plain


META_KEYS: Final = (
    "办理结果", "公开属性", "答复类型", "联系人姓名", "联系人", "联系电话", "联系地址",
    "邮政编码", "抄送", "签发人", "办理单位", "会办单位", "主办单位",
)
_META_LINE: Final = re.compile(r"^(?:#+\s*)?(" + "|".join(META_KEYS) + r")\s*[：:]\s*(.*)$")
DOC_NUMBER: Final = re.compile(
    r"^(?:#+\s*)?([\u4e00-\u9fff]{1,10}[〔\[【(（]\s*\d{4}\s*[〕\]】)）]\s*(?:第\s*)?\d+\s*号)\s*$"
)
DOC_NUMBER_ANYWHERE: Final = re.compile(
    r"^(?:#+\s*)?(?:文号\s*[:：]\s*)?[\u4e00-\u9fff]{1,10}[〔\[【(（]\s*\d{4}\s*[〕\]】)）]\s*(?:第\s*)?\d+\s*号\s*$"
)
_REPLY_TITLE: Final = re.compile(r"^(?:#+\s*)?((?:关于)?对?.{2,80}?(?:建议|提案|议案|意见).{0,20}?的(?:答复|复函|回复)(?:[（(][^）)]{2,30}[）)])?)$")
_ADDRESSEE: Final = re.compile(r"^([\u4e00-\u9fff·、，,\s]{1,30}?(?:代表|委员|同志|先生|女士)们?)\s*[：:]\s*$")
_DATE_LINE: Final = re.compile(
    r"^\s*(?:#+\s*)?[（(]?\s*(?:(?P<who>[\u4e00-\u9fff（）()]{2,30}?)\s+)?"
    r"(?P<y>\d{4}|[〇○零一二三四五六七八九]{4})\s*年\s*(?P<m>\d{1,2}|[一二三四五六七八九十]{1,2})\s*月\s*"
    r"(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})\s*日\s*(?P<how>印发|签发|发布)?\s*[）)]?\s*$"
)
_CN_DATE_DIGITS: Final = {"〇": 0, "○": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
# page furniture of a web page: breadcrumbs, 来源 / 发布时间 / 字号 lines, print and share links,
# unfilled template fields
_BREADCRUMB: Final = re.compile(r"^(?:当前位置|您的位置|您现在的位置|所在位置|位置)\s*[:：>＞]|^首页\s*[>＞»›/]")
_CRUMB_SEP: Final = re.compile(r"\s*[>＞»›]\s*")
_FURNITURE: Final = re.compile(
    r"^[【\[(（]?\s*(?:来源|信息来源|文章来源|稿件来源|发布时间|发布日期|发文日期|更新时间|成文日期|作者|责任编辑|编辑|"
    r"浏览次数|浏览量|阅读次数|点击数|点击量|访问量|字号|字体|分享到|分享|打印|关闭|索引号|信息索引号|主题分类|发布机构|"
    r"文号|发文字号|发文机关|公开方式|公开范围|有效性|生成日期|所属机构|来源单位|标题)\s*[:：】\]]"
)
# the same fields after a date or a source on one line: 2024年03月05日 来源：某网 浏览次数：12
# (two patterns: at the start, matched there; after a separator, led by its class so that the
# regex engine skips ahead: as one, led by ^-or-a-class, it was tried at every position)
_FIELDS_INSIDE: Final = r"(?:来源|信息来源|文章来源|发布时间|发布日期|浏览次数|点击数|阅读次数|字号|责任编辑)\s*[:：]"
_FURNITURE_INSIDE: Final = re.compile(_FIELDS_INSIDE)  # matched at the start
_FURNITURE_AFTER_SEP: Final = re.compile(r"[\s|｜丨]" + _FIELDS_INSIDE)
_LINKS: Final = re.compile(r"^(?:[【\[]?\s*(?:打印本页|打印|关闭窗口|关闭|返回顶部|返回|收藏|分享|字号|大|中|小|默认|保存|纠错)\s*[】\]]?\s*)+$")
# unfilled template fields: the whole line, or dashes for a date (`--年--月`, looked for only
# where "--" stands: searched for anywhere, a pattern that cannot start from a literal is
# tried at every position)
_TEMPLATE: Final = re.compile(r"\{\w+\}$|(?:图片|视频|image|img)$|<!--.*-->$", re.I)  # matched at the start
_TEMPLATE_DASHES: Final = re.compile(r"-{2,}\s*年\s*-{1,}\s*月")
_PUBLISHED: Final = re.compile(
    r"(?:(?:发布时间|发布日期|发文日期|成文日期|日期|时间)\s*[:：]\s*|^)(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})"
)
# What every form has, in three parts: a character class alone lets the regex engine skip ahead
# to candidates, and so do words that each start with a literal; the Latin words (matched
# ignoring case) all hold a g, looked for first. As one pattern (re.I) it tried every position.
_FURNITURE_HINT_CHARS: Final = re.compile(r"[>＞»›:：】\]{}打关返收图视<扫篇©备纠首繁]")
_FURNITURE_HINT_WORDS: Final = re.compile(r"--|链接|相关|网站|版权|技术支持|无障碍|大\s*中")
_FURNITURE_HINT_LATIN: Final = re.compile(r"image|img|copyright|english", re.I)


def _furniture_hint(text: str) -> bool:
    return (
        _FURNITURE_HINT_CHARS.search(text) is not None
        or _FURNITURE_HINT_WORDS.search(text) is not None
        or ("g" in text or "G" in text) and _FURNITURE_HINT_LATIN.search(text) is not None
    )


# a page's footer and sharing links
_FOOTER: Final = re.compile(  # matched at the start
    r"扫一扫|手机扫|微信扫|上一篇|下一篇|相关链接|相关阅读|相关新闻|相关文章|网站地图|联系我们|版权所有|copyright|©"
    r"|技术支持|我要纠错|设为首页|加入收藏|无障碍|适老化|返回首页|繁体|简体|english",
    re.I,
)
# anywhere in the line; each holds 备, 手机打开 or 二维码, looked for first (the ICP needs re.I,
# which keeps the engine from skipping ahead: it would try every position)
_FOOTER_ANYWHERE: Final = re.compile(r"ICP备|公网安备|在手机打开|二维码", re.I)
_TITLE_FIELD: Final = re.compile(r"^标题\s*[:：]\s*(.+)$")
FURNITURE_EDGE: Final = 60  # lines at the top and the bottom of a page where its header and footer sit
_MIDDLE_HINT: Final = re.compile(r"[>＞»›:：】{}号日]")
MAX_FURNITURE: Final = 120  # characters; a longer line is text
_TITLE_LINE: Final = re.compile(
    r"^(?:#+\s*)?(?P<t>[^。；;！？!?：:]{4,60}?(?:总结|报告|通报|通知|公告|公报|答复|复函|回复|意见|方案|计划|规划|办法|情况|要点|纲要|综述|简报|说明|措施|决定|思路|打算|安排|汇报|回顾))"
    r"(?:\s*[（(][^（）()]{1,30}[）)])?\s*$"
)
_ENUMERATION: Final = re.compile(r"^\s*(?:[（(]\s*)?(?:[一二三四五六七八九十]{1,3}|\d{1,2})\s*(?:[、.．）)]|是)")
_CHAPTER_OR_NUMBER: Final = re.compile(r"^\s*(?:第\s*[0-9一二三四五六七八九十]{1,4}\s*[章篇节部]|\d{1,2}(?:\.\d{1,2})*(?:\s|$))")
_ATTACHMENT: Final = re.compile(r"^附件\s*\d{0,2}\s*[:：]")
MAX_TITLE_SEARCH: Final = 12  # non-blank lines at the top searched for the title line
_ISSUER: Final = re.compile(
    r"(委员会|局|厅|办公室|办公厅|政府|科委|人民政府|中心|分行|支行|银行|公司|部|处|院|所|协会|学会|联合会|商会|社|集团|管委会|办)$"
)
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
                # PyYAML only here: a text with front matter is rare, its import costs ~13 ms
                import yaml

                loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # safe_load's loader, in C
                data = yaml.load("\n".join(lines[1:k]), Loader=loader)  # noqa: S506
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


def _cn_date_number(text: str) -> int:
    """2025 / 二〇二五 / 十八 → int (0 when unreadable)."""
    if text.isdigit():
        return int(text)
    if all(ch in _CN_DATE_DIGITS for ch in text):  # 二〇二五: digit by digit
        return int("".join(str(_CN_DATE_DIGITS[ch]) for ch in text))
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + _CN_DATE_DIGITS.get(text[1:], 0)
    if text.endswith("十"):
        return 10 * _CN_DATE_DIGITS.get(text[:-1], 0)
    if "十" in text:
        tens, ones = text.split("十", 1)
        return 10 * _CN_DATE_DIGITS.get(tens, 0) + _CN_DATE_DIGITS.get(ones, 0)
    return 0


def date_line(text: str) -> tuple[str, str | None, str | None] | None:
    """(ISO date, issuer written before it, 印发/签发/发布) of a line that is only a date."""
    if "日" not in text or "月" not in text:
        return None  # what every date line holds
    m = _DATE_LINE.match(text)
    if not m:
        return None
    year, month, day = _cn_date_number(m.group("y")), _cn_date_number(m.group("m")), _cn_date_number(m.group("d"))
    if not (1900 <= year <= 2200 and 1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}", m.group("who"), m.group("how")


def is_furniture(text: str) -> bool:
    """A web page's furniture: breadcrumbs, 来源/发布时间/字号 lines, print links, template junk."""
    if not text or len(text) > MAX_FURNITURE or not _furniture_hint(text):
        return False
    if (
        _BREADCRUMB.search(text) or _FURNITURE.match(text)
        or (":" in text or "：" in text) and (_FURNITURE_INSIDE.match(text) or _FURNITURE_AFTER_SEP.search(text))
        or _LINKS.match(text) or _TEMPLATE.match(text) or "--" in text and _TEMPLATE_DASHES.search(text)
        or _FOOTER.match(text)
        or ("备" in text or "手机打开" in text or "二维码" in text) and _FOOTER_ANYWHERE.search(text)
    ):
        return True
    if not any(ch in text for ch in ">＞»›"):
        return False
    parts = _CRUMB_SEP.split(text)
    return len(parts) >= 3 and all(0 < len(p) <= 16 and not has_sentence_punctuation(p) for p in parts)


def _page_furniture(lines: list[str], info: LetterInfo) -> None:
    n = len(lines)
    for idx, line in enumerate(lines):
        if len(line) > MAX_FURNITURE + 8 or "。" in line:
            continue  # furniture is short and never a sentence
        if FURNITURE_EDGE <= idx < n - FURNITURE_EDGE and _MIDDLE_HINT.search(line) is None:
            continue  # inside the text only fields, crumbs, 文号 and dates are looked for
        text = line.strip()
        if not text or len(text) > MAX_FURNITURE or (idx + 1) in info.meta_lines:
            continue
        if is_furniture(text):
            info.meta_lines.add(idx + 1)
            named = _TITLE_FIELD.match(text)
            if named and info.title is None and len(named.group(1).strip()) >= 4:
                info.title = plain(named.group(1))  # an information table's 标题：…
            m = _PUBLISHED.search(text)
            if m and 1 <= int(m.group(2)) <= 12 and 1 <= int(m.group(3)) <= 31:
                info.meta.setdefault("发布时间", f"{int(m.group(1)):04d}-{int(m.group(2)):02d}-{int(m.group(3)):02d}")
            continue
        if text.endswith("号") and DOC_NUMBER_ANYWHERE.match(text):
            info.meta_lines.add(idx + 1)  # a 文号 line is never a heading
            continue
        found = date_line(text) if "日" in text[-6:] else None
        if found is not None and (found[1] is None or _ISSUER.search(found[1])):
            info.meta_lines.add(idx + 1)  # a line that is only a date is never a heading
            info.meta.setdefault("发布时间" if found[2] is None else "印发日期", found[0])


def _attachments(lines: list[str], info: LetterInfo) -> None:
    """`附件：1.某某名单` and the numbered names under it list attachments, not headings."""
    idx = 0
    n = len(lines)
    while idx < n:
        if "附件" not in lines[idx]:
            idx += 1
            continue
        text = lines[idx].strip()
        if not (text.startswith("附件") and _ATTACHMENT.match(text)):
            idx += 1
            continue
        info.meta_lines.add(idx + 1)
        k = idx + 1
        while k < n and k <= idx + 20:
            item = lines[k].strip()
            if item and not (_ENUMERATION.match(item) and len(item) <= 60 and "。" not in item):
                break
            if item:
                info.meta_lines.add(k + 1)
            k += 1
        idx = k


def _title_line(lines: list[str], info: LetterInfo) -> None:
    """The document's own title: a short line near the top that names a kind of document
    (…工作总结, …情况通报, …的答复) before the text begins."""
    seen = 0
    for idx, line in enumerate(lines):
        text = line.strip()
        if not text or (idx + 1) in info.meta_lines:
            continue
        seen += 1
        if seen > MAX_TITLE_SEARCH or has_sentence_punctuation(outside_brackets(text).rstrip("。")) and "。" in text:
            return
        if _ENUMERATION.match(text.lstrip("#")) or _CHAPTER_OR_NUMBER.match(text.lstrip("#")):
            return  # the headings have begun
        m = _TITLE_LINE.match(text)
        if m and not has_sentence_punctuation(m.group("t")):
            info.title = plain(text.lstrip("#"))
            info.meta_lines.add(idx + 1)
            _sender_above(lines, idx, info)
            return


MAX_SENDER: Final = 30  # characters of a sender's name set above a title


def _sender_above(lines: list[str], title_at: int, info: LetterInfo) -> None:
    """The organisation named alone above a document's title (`某市科学技术局` / `关于…的答复`) is
    the sender, letter furniture like the signature: the publisher, never a heading. Only when
    every line above the title is such a name (or furniture already)."""
    found: list[int] = []
    for idx in range(title_at):
        if (idx + 1) in info.meta_lines:
            continue
        text = plain(lines[idx].lstrip("#").strip("* "))
        if not text:
            continue
        if len(text) > MAX_SENDER or len(found) >= 2 or has_sentence_punctuation(text) or not _ISSUER.search(text):
            return
        found.append(idx)
    for idx in found:
        info.meta_lines.add(idx + 1)
    if found and info.publisher is None:
        info.publisher = plain(lines[found[0]].lstrip("#").strip("* "))


def find_letter_parts(lines: list[str]) -> LetterInfo:
    info = LetterInfo()
    _front_matter(lines, info)
    n = len(lines)
    head_limit = min(n, 40)
    doc_number_at = None
    for idx in range(n):
        line = lines[idx]
        if idx >= head_limit and "：" not in line and ":" not in line:
            continue  # below the head only 联系人：… fields are looked for
        text = line.strip()
        if not text:
            continue
        no = idx + 1
        m = _META_LINE.match(text) if ("：" in text or ":" in text) else None
        if m:
            key = "联系人" if m.group(1) == "联系人姓名" else m.group(1)
            info.meta[key] = plain(m.group(2))
            info.meta_lines.add(no)
            continue
        if idx < head_limit:
            # each pattern is asked only of a line that holds what it needs: 号 ends a doc number,
            # 复 is in 答复, 复函 and 回复, and an addressee ends on a colon (plain() adds none)
            m = DOC_NUMBER.match(text) if "号" in text else None
            if m and info.doc_number is None:
                info.doc_number = re.sub(r"\s+", "", m.group(1))
                info.meta_lines.add(no)
                doc_number_at = idx
                continue
            m = _REPLY_TITLE.match(text) if "复" in text else None
            if m and info.title is None and not has_sentence_punctuation(m.group(1)):
                info.title = plain(m.group(1))
                info.meta_lines.add(no)
                _sender_above(lines, idx, info)
                continue
            m = _ADDRESSEE.match(plain(text)) if ("：" in text or ":" in text) else None
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
    _page_furniture(lines, info)
    _attachments(lines, info)
    if info.title is None:
        _title_line(lines, info)
    if info.date is None and "发布时间" in info.meta:
        info.date = info.meta["发布时间"]  # the page's own date
    if info.doc_number or info.addressee:
        info.kind = info.kind or "reply"
    return info


def _signature(lines: list[str], info: LetterInfo) -> None:
    """The closing date, the signer above it, and the contact block below."""
    n = len(lines)
    start = int(n * 0.5)
    for idx in range(start, n):
        found = date_line(lines[idx])
        if found is None:
            continue
        iso, who, issued = found
        if who is not None and not _ISSUER.search(who):
            continue
        info.meta_lines.add(idx + 1)
        if who is not None:
            info.meta.setdefault("署名", who)
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
