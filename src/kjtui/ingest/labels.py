"""Metric labels: the short noun phrase of the text that says what a number counts.

A label is built only from words of the text, in three parts looked for in this order:

- the number's own clause: the words before it back to the clause break (a comma, a semicolon,
  an unclosed bracket, the end of the metric before it), with the period (截至年底, 2023年, 1-8月份),
  the filler words (累计, 共, 其中 …) and the verb that leads to the number (达到, 为 …) taken off;
- the thing counted after a classifier: `新培育3家国家级孵化器` → 国家级孵化器;
- the subject carried from an earlier clause of the same sentence (never across 。！？) when the
  own clause has none or only says how it changed: `…成交额达…亿元，同比增长12.6%` →
  成交额同比增长; `其中发明专利…件` after `专利申请…件` → 发明专利申请; a place in a ranked list →
  the place and what the list ranks.

Every step looks at one clause, and each clause is bounded by the metric before it, so the cost
per document stays linear.
"""

from __future__ import annotations

import bisect
import re
from typing import Final

MAX_LABEL: Final = 48
MAX_FOLLOWING: Final = 24  # characters of the counted thing after a classifier
SENTENCE_WINDOW: Final = 300  # a "sentence" without full stops is cut to this many characters


class Found:
    """A quantity found in a unit's clean text; `label` and `growth` are filled in here.

    A plain class, not a dataclass: compiled, its constructor is native (a dataclass's
    generated __init__ stays interpreted), and it is built once per number."""

    __slots__ = ("line", "raw", "value", "unit", "base_unit", "multiplier", "qualifier", "period", "label",
                 "context", "start", "end", "sentence_start", "growth")

    def __init__(
        self, line: int, raw: str, value: float, unit: str, base_unit: str, multiplier: float,
        qualifier: str | None, period: str | None, label: str, context: str, start: int, end: int,
        sentence_start: int = 0, growth: bool = False,
    ) -> None:
        self.line = line
        self.raw = raw
        self.value = value
        self.unit = unit
        self.base_unit = base_unit
        self.multiplier = multiplier
        self.qualifier = qualifier
        self.period = period
        self.label = label
        self.context = context
        self.start = start  # index in the unit's clean text (the qualifier before the number included)
        self.end = end
        self.sentence_start = sentence_start
        self.growth = growth


def _base(slot: Found) -> str:
    """台(套) counts what 台 counts."""
    base = slot.base_unit
    return base[: base.find("(")] if base.endswith(")") else base


# Units after which the text names the thing counted (3家国家级孵化器, 12个团队).
CLASSIFIERS: Final = frozenset(
    "家 个 项 名 所 件 支 台 套 篇 部 条 种 批 场 门 款 座 位 户 类 辆 架 处 栋 间 颗 株 张 块 份 册 "
    "家次 场次 批次 项次 台次 架次 岁".split()
)
# lengths of time: 连续8年位居全国第一, 10年来累计…, 3个工作日内办结
DURATIONS: Final = frozenset("年 个月 天 小时 分钟 周 个工作日 工作日".split())
_SINCE: Final = re.compile(r"^(?:以来|来|内|间|中)")

_TOKEN: Final = re.compile(r"[，,；;：:。！？!?\n(（)）]")
_STOP: Final = re.compile(r"[。！？!?\n]")
_SEMICOLON: Final = re.compile(r"[；;]")
_OPEN: Final = frozenset("(（")
_CLOSE: Final = frozenset(")）")

_SPACES: Final = re.compile(r"\s\s*")  # \s+, written so that the regex engine can skip ahead to a space
# a bracket kept in a label: a short name part such as (培育) (承) (套); others (编号…, 2023年) go
_BRACKET: Final = re.compile(r"[(（]([^()（）]{0,40})[)）]")
_SHORT_NAME_PART: Final = re.compile(r"^[\u4e00-\u9fff]{1,4}$")
_RANK: Final = re.compile(r"第\d+(?:位|名)[、，,]?")
_ENUM_LEAD: Final = re.compile(r"^(?:\d{1,2}[.．、]|[一二三四五六七八九十]{1,3}[、.．]|[(（][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十]{1,2}是)")
# periods, taken out of labels (the metric's `period` field keeps the one that applies)
_PERIOD: Final = re.compile(
    r"(?:预计)?(?:截至|截止|到|至)\s*(?:目前|今年|年底|年末|\d{4}\s*年(?:\s*\d{1,2}\s*月)?(?:[底末初]|份)?|\d{1,2}\s*月(?:[底末初]|份)?)"
    r"|(?<![较比\d])\d{4}\s*(?:年(?!度)(?:[底末初]|全年|上半年|下半年|以来|来)?|全年)(?:的(?=$))?"
    r"|^\d{4}\s*年度"
    r"|\d{1,2}\s*[—–\-~至]\s*\d{1,2}\s*月份?"
    r"|今年以来|全年|年内|当年|上半年|下半年|前三季度|[一二三四]季度|目前"
)
# what every period holds: a character, or a word; apart, each pattern lets the regex engine
# skip ahead (as one, a class beside words, it was tried at every position)
_PERIOD_HINT_CHARS: Final = re.compile(r"[0-9截今季]")
_PERIOD_HINT_WORDS: Final = re.compile(r"全年|年内|当年|半年|目前|年底|年末")
_ENUM_FIRST: Final = frozenset("0123456789一二三四五六七八九十(（")
_PLACE_LAST: Final = frozenset("市区县省州镇乡村道国盟旗")
_ADVERBIAL_FIRST: Final = frozenset("平每年人月日全总其")
_PREDICATE_LEAD_FIRST: Final = frozenset("可将预有能仍继持保按占高低快慢超")
_LEAD_FLUFF: Final = re.compile(
    r"^(?:其中|累计|共计|共有|合计|总计|全年|年内|当年|另外|此外|同时|并且?|已经|已|共|计|和|及|与|、|其(?![他它])|分别|实际"
    r"|预计|力争|确保|以来|来|含|包括|我们|现有|目前|为|是|将|还|也|均|都|又|再|约|达|的|按照|按|对于|对)+"
)
_LEAD_FLUFF_FIRST: Final = frozenset("、与为也他以全共其再分力包又及另合同含和均实对将已年并当总我按是来此现的目确累约计达还都预")
_TAIL_FLUFF_WORD: Final = (
    r"(?:达到了?|已达|高达|达|提高到|增长到|增加到|下降到|降至|增至|到|约为|分别为|分别是|均为|为|是|约|累计|共计|合计|总计|共有|共|计|分别|已有|拥有|现有|还有|均有|都有|超过|超|逾|近|至|从|由"
    r"|突破|在|了|已|将|仅|不低于|不少于|不超过|不到|最高|最多|最低|保持)"
)
# the words at the end: one, then more (as `(?:…)+$`, led by a repeat, the pattern had no first
# character for the regex engine to skip ahead to: it was tried at every position, ~6x slower)
_TAIL_FLUFF: Final = re.compile(_TAIL_FLUFF_WORD + _TAIL_FLUFF_WORD + "*$")
_FLUFF_LAST: Final = frozenset("到达为约计共别有过超逾近至从由破在了已将仅是于少高多低持")
_GROWTH: Final = re.compile(
    r"(?:比上年|较上年度?|同比|环比|比去年|较去年)?(?:分别)?"
    r"(?:增长|增加|提高|提升|上升|下降|减少|降低|增幅|降幅)(?:了|约|达|为)?$"
)
_GROWTH_LAST: Final = frozenset("长加高升降少低幅了约达为")
# a copula that introduces the named items: …排名前五位的区是滨海新区(3487家)
_COPULA: Final = re.compile(r"(?:分别为|分别是|(?<![作成认因以称视即较更尤只就但还总不都也])[是为])")
# where the subject of a sentence's first clause ends
_PREDICATE: Final = re.compile(r"分别|(?<![作成认因以称视即较更尤只就但还总不都也])[是为]|位居|居|达到|达|排名第|同比|比上年|较上年")
_PLACE: Final = re.compile(
    r"^(?:[\u4e00-\u9fff]{0,5}(?:市|区|县|省|州|镇|乡|村|街道|园区|新区|盟|旗)|全国|全省|全市|全区|全县|本市|本区|我市|我区|我省|我县)$"
)
_PREPOSITION_LEAD: Final = tuple("在向对从由给与于")
# words that say how, not what: a clause made only of them takes the subject of the sentence
_ADVERBIAL: Final = re.compile(r"^(?:平均|每年|年均|人均|平均每年|每月|月均|日均|全部|总共|其中)+$")
# a clause that starts like a predicate has lost its subject to an earlier clause
_PREDICATE_LEAD: Final = re.compile(r"^(?:可|将|预计|有望|可望|能|仍|继续|持续|保持|按计划|占|高于|低于|快于|慢于|超出)")
# a growth said only against a base: 同比2020年增长, 较上年同期增长
_COMPARISON: Final = re.compile(r"^(?:同比|环比|比|较)(?:\d{4}年(?:末|底|初)?|上年|去年|年初|上年末|上年同期|去年同期)?(?:同期)?$")
# what separates the numbers that 分别 hands out: 分别达到612家和498家
_RESPECTIVE_GAP: Final = re.compile(r"\s*(?:、|和|及|与|,|，)?\s*")
# attributes: 营收 after 共有高新技术企业… means the enterprises' revenue
_ATTRIBUTE: Final = re.compile(
    r"^(?:总|年|平均|累计)?(?:总数|数量|总量|金额|总额|余额|规模|收入|营收|营业收入|产值|总产值|占比|比重|比例|利润|税收|面积|人数|投入|投资|资金|经费"
    r"|增速|增幅|成交额|交易额|销售额|贡献率|覆盖率|增加值|均值|总值|数|额|量)$"
)
# a label must say more than these
_EMPTY_WORDS: Final = frozenset(
    "的 为 达 共 有 是 和 及 与 在 新增 完成 实现 达到 累计 共计 合计 其中 提供 开展 举办 组织 培育 引进 获批 认定 支持 服务 帮助 "
    "带动 吸引 覆盖 惠及 涉及 受理 发放 形成 建成 新建 设立 推出 观看 获得 荣获 超过 突破 约 近 超 逾 分别 全年 目前".split()
)
# the words after a number: Chinese, quotes, Latin letters, and ordinals (获第2届…奖)
_POST_RUN: Final = re.compile(r"[\u4e00-\u9fff“”《》A-Za-z·]+(?:(?<=第)\d+[\u4e00-\u9fff“”《》A-Za-z·]+)*")
# where the thing counted ends and the sentence goes on about it
# (led by a class of each word's first character, then the word's rest: the regex engine skips
# ahead to candidates; words led by a look-behind were tried at every position). The words:
# 等 (not 高等 平等 对等 同等 优等, nor 等级), 中 before 位排居名, 在 (not 存在 现在 所在 正在 实在,
# nor 在线), 共计 累计 分别 同比 比上年 较上年 其中 达到 占
_POST_STOP: Final = re.compile(
    r"[等中在共累分同比较其达占]"
    r"(?:(?<=等)(?<![高平对同优]等)(?!级)|(?<=中)(?=[位排居名])|(?<=在)(?<![存现所正实]在)(?!线)"
    r"|(?<=[共累])计|(?<=分)别|(?<=同)比|(?<=[比较])上年|(?<=其)中|(?<=达)到|(?<=占))"
)
_POST_TAIL_WORD: Final = r"(?:之中|中的|中|的|内|和|及|与|或|、)"
_POST_TAIL: Final = re.compile(_POST_TAIL_WORD + _POST_TAIL_WORD + "*$")  # one, then more: as _TAIL_FLUFF
# a preposition that the number's clause ends on: …为17048家企业提供… keeps who did it for whom
# a clause ending on what something has (首期规模51亿元的X基金): the X after 的 owns it, it is no object
_OWNED_TAIL: Final = re.compile(r"(?:规模|总额|金额|额度|余额|收入|资金|总量|数量|面积|比例|占比|比重|增速|价值|投入|支出|营收|产值|利润)$")
# a share that a subsidy is paid at: …按其投入的10%给予补助
_REWARD: Final = re.compile(r"\s*(?:给予|予以|进行)?(后补助|补助|奖励|资助|补贴|贴息)")
_BY_SHARE: Final = re.compile(r"按照?其?|的$")
_NEXT_NUMBER: Final = re.compile(r"[ \t\u3000]*[0-9]")
_POST_TAIL_LAST: Final = frozenset("中的内和及与或、")
_PREP_TAIL: Final = re.compile(r"(?:为|向|对|给|与|同)$")
# verbs that lead to a count: 新培育3家… → the label is what was培育, not the verb
_LEAD_VERBS: Final = tuple(
    "培育 引进 获批 新增 认定 组织 遴选 吸引 支持 培养 推动 助力 服务 推荐 建成 新建 组建 落地 引育 孵化 举办 开展 完成 实现 "
    "审核通过 帮助 带动 惠及 覆盖 发放 设立 承接 扶持 拥有 有 获得 获 申报 入选 评选 入库 认证 建设 打造 布局 集聚 聚集 培训 "
    "登记 受理 签约 签订 达成 促成 资助 奖励 补贴 兑现 共建 参与 参加 吸纳 聘请 招引 引入 成立 新设 立项 评定 授牌 命名 "
    "征集 收集 走访 调研 对接 辅导 指导 挖掘 储备 备案 新认定 新培育 提出 制定 出台 发布 印发 推出 开设 设置 形成".split()
)
_QUOTE_CHARS: Final = "“”\"'"


def _strip_bracket(m: re.Match[str]) -> str:
    inner = m.group(1)
    return m.group(0) if _SHORT_NAME_PART.match(inner) else ""


def clean_clause(text: str, squeezed: bool = False) -> str:
    """A clause before a number → its noun phrase: no period, fillers, leading verb or bracket notes.
    `squeezed`: the caller has taken the white space out already."""
    label = text if squeezed or _SPACES.search(text) is None else _SPACES.sub("", text)
    if "(" in label or "（" in label:
        label = _BRACKET.sub(_strip_bracket, label)
    if "第" in label:
        label = _RANK.sub("", label)
    if _PERIOD_HINT_CHARS.search(label) is not None or (
        ("年" in label or "目前" in label) and _PERIOD_HINT_WORDS.search(label) is not None  # each word holds one
    ):
        label = _PERIOD.sub("", label)
    label = label.strip(" ，,、；;：:（(）)·-—")
    if label and label[0] in _ENUM_FIRST:
        m = _ENUM_LEAD.match(label)
        if m:
            label = label[m.end():]
    if label and label[0] in _LEAD_FLUFF_FIRST:
        m = _LEAD_FLUFF.match(label)
        if m:
            label = label[m.end():]
    label = strip_tail(label)
    return _balance_quotes(label.strip(" ，,、；;：:（(·-—"))


def strip_tail(label: str) -> str:
    return _TAIL_FLUFF.sub("", label) if label and label[-1] in _FLUFF_LAST else label


def _balance_quotes(label: str) -> str:
    """The clause cut may fall inside “…”: close what it opened, open what it closed."""
    if "“" not in label and "”" not in label:
        return label
    opened, closed = label.count("“"), label.count("”")
    if label.startswith("”"):
        label, closed = label[1:], closed - 1
    if closed > opened:
        label = "“" * (closed - opened) + label
    elif opened > closed:
        label = label + "”" * (opened - closed)
    return label


def _compress_list(label: str, counted: bool = False) -> str:
    """`协调解决A、B、C等各类需求` → `协调解决A等各类需求`: a list in a label keeps its first item;
    a long list that a classifier counts (`大赛设A、B和C3个赛道`) keeps its first item and 等."""
    first = label.find("、")
    if first == -1:
        return label
    etc = label.rfind("等")
    if etc > first:
        return label[:first] + label[etc:]
    if counted and len(label) > 16:
        return label[:first] + "等"
    return label


def _strip_parallel_list(topic: str) -> str:
    """`高新区、南开区、西青区、武清区通过…评价入库数` → `通过…评价入库数`: the items that a list
    of places names are the metrics' own labels; the topic is what follows them."""
    items = topic.split("、")
    if len(items) < 3:
        return topic
    heads = items[:-1]
    last_chars = {item[-1:] for item in heads}
    if len(last_chars) != 1 or any(len(item) > 8 or not item for item in heads):
        return topic
    tail = items[-1]
    ch = heads[0][-1]
    k = tail.find(ch, 0, 9)
    return tail[k + 1:] if k != -1 and k + 1 < len(tail) else tail


def _merge_overlap(part: str, whole: str) -> str:
    """`发明专利` + `专利申请` → `发明专利申请`: a part named under 其中 takes the rest of the whole's name."""
    for k in range(min(len(part), 6), 1, -1):
        at = whole.find(part[-k:])
        if at != -1:
            rest = whole[at + k:]
            if len(rest) > 4 or rest.startswith(("及", "和", "与", "、", "等")):
                return ""  # 子基金 in 子基金及直投项目 is one of two, not a kind of the whole
            return part + rest if rest else part
    return ""


def _join(subject: str, own: str) -> str:
    if not subject:
        return own
    if own.startswith(subject):
        return own
    return subject[: max(0, MAX_LABEL - len(own))] + own


def is_empty_label(label: str) -> bool:
    return len(label) <= 1 or label in _EMPTY_WORDS


def clause_breaks(text: str) -> list[int]:
    """Where the clause breaks stand (_TOKEN: ，,；;：:。！？!?, line ends and brackets)."""
    return [m.start() for m in _TOKEN.finditer(text)]


class Labeller:
    """Labels for the quantities of one unit's clean text."""

    def __init__(
        self, text: str, fallback: str = "", ends: list[int] | None = None, breaks: list[int] | None = None,
    ) -> None:
        """`ends`: where [。！？!?；;\n] stand in `text`, `breaks`: clause_breaks(text), when the
        caller has found them already."""
        self.text = text
        self.fallback = fallback
        self.tok_pos: list[int] = breaks if breaks is not None else clause_breaks(text)
        semicolon = ";" in text or "；" in text
        if ends is None:
            self.stops = [m.start() for m in _STOP.finditer(text)]
            self.semis = [m.start() for m in _SEMICOLON.finditer(text)] if semicolon else []
        elif semicolon:  # the sentence ends are the stops and the semicolons
            self.stops = [k for k in ends if text[k] not in "；;"]
            self.semis = [k for k in ends if text[k] in "；;"]
        else:
            self.stops = ends
            self.semis = []
        self.brackets = "(" in text or "（" in text
        self._topics: dict[int, str] = {}

    # -- text geometry ----------------------------------------------------------------------
    def sentence_start(self, pos: int) -> int:
        k = bisect.bisect_left(self.stops, pos)
        s = self.stops[k - 1] + 1 if k else 0
        return max(s, pos - SENTENCE_WINDOW)

    def segment_start(self, s0: int, pos: int) -> int:
        """Just after the last ； before `pos` in the sentence (its start if none)."""
        k = bisect.bisect_left(self.semis, pos)
        return max(s0, self.semis[k - 1] + 1) if k else s0

    def clause_start(self, end: int, floor: int) -> int:
        """Back from `end` to just after the clause break (not inside a closed bracket)."""
        pos, text = self.tok_pos, self.text
        k = bisect.bisect_left(pos, end) - 1
        depth = 0
        while k >= 0 and pos[k] >= floor:
            ch = text[pos[k]]
            if ch in _CLOSE:
                depth += 1
            elif ch in _OPEN:
                if depth:
                    depth -= 1
                else:
                    return pos[k] + 1
            elif not depth:
                return pos[k] + 1
            k -= 1
        return floor

    def depth(self, s0: int, pos: int) -> int:
        text = self.text
        opened = max(text.rfind("(", s0, pos), text.rfind("（", s0, pos))
        if opened == -1:
            return 0
        closed = max(text.rfind(")", s0, pos), text.rfind("）", s0, pos))
        return 1 if opened > closed else 0

    def topic(self, s0: int, limit: int) -> str:
        """The subject of the first clause with content of the sentence part (up to ；) before
        `limit`: `1-8月份，高新区、南开区…通过科技型中小企业评价入库数分别居…` →
        通过科技型中小企业评价入库数."""
        s0 = self.segment_start(s0, limit)
        cached = self._topics.get(s0)
        if cached is not None:
            return cached
        pos, text = self.tok_pos, self.text
        k = bisect.bisect_left(pos, s0)
        start, depth, topic = s0, 0, ""
        while start < limit:
            end = limit
            while k < len(pos) and pos[k] < limit:
                ch = text[pos[k]]
                if ch in _OPEN:
                    depth += 1
                elif ch in _CLOSE:
                    depth = max(0, depth - 1)
                elif not depth:
                    end = pos[k]
                    k += 1
                    break
                k += 1
            topic = _subject_of(self.text[start:end])
            if len(topic) >= 2:
                break
            topic = ""
            if end >= limit:
                break
            start = end + 1
        self._topics[s0] = topic
        return topic

    def clause_before(self, cs: int, s0: int) -> str:
        """The subject of the clause just before the one starting at `cs`."""
        if cs - 1 <= s0:
            return ""
        return _subject_of(self.text[self.clause_start(cs - 1, s0):cs - 1])

    def following(self, end: int) -> tuple[str, int]:
        """The words after a number up to where the sentence goes on about them, and their end."""
        m = _POST_RUN.match(self.text, end, min(len(self.text), end + MAX_FOLLOWING))
        if not m:
            return "", end
        run = m.group()
        stop = _POST_STOP.search(run)
        if stop:
            run = run[: stop.start()]
        consumed = len(run)
        if not stop and run[-1] not in "和及与或、" and _NEXT_NUMBER.match(self.text, m.end()) is not None:
            consumed = 0  # …提供各类信贷支持16918亿元: the words also name the next number
        if run and run[-1] in _POST_TAIL_LAST:
            run = _POST_TAIL.sub("", run)
        run = strip_tail(run)
        lead = 1 if run.startswith("的") else 0
        run = run[lead:]
        if not run or not ("\u4e00" <= run[0] <= "\u9fff" or run[0] in "“《"):
            return "", end
        return _balance_quotes(run), end + consumed

    def duration_tail(self, end: int) -> str:
        """What went on for a length of time: `连续8年位居全国第一` → 位居全国第一."""
        m = _POST_RUN.match(self.text, end, min(len(self.text), end + MAX_FOLLOWING))
        if not m:
            return ""
        run = m.group()
        since = _SINCE.match(run)
        if since:
            run = run[since.end():]
        return clean_clause(run)

    # -- labels -----------------------------------------------------------------------------
    def assign(self, slots: list[Found]) -> None:
        text = self.text
        sentence = -1
        floor = 0
        previous: list[Found] = []  # labelled slots of the current sentence
        depths: list[int] = []
        total = ""  # the whole that 其中 … parts belong to
        parts_at = -1  # where the 其中 clause of this sentence starts
        respective: dict[int, tuple[str, str]] = {}  # slot → (subject, how it changed) from 分别
        stops = self.stops
        for i, slot in enumerate(slots):
            start = slot.start
            k = bisect.bisect_left(stops, start)
            s0 = max(stops[k - 1] + 1 if k else 0, start - SENTENCE_WINDOW)
            if s0 != sentence:
                sentence, floor, previous, depths, total, parts_at = s0, s0, [], [], "", -1
            floor = max(floor, s0)
            named = start - 1 >= floor and text[start - 1] in _OPEN  # 滨海新区(3487家)
            end = start - 1 if named else start
            cs = self.clause_start(end, floor)
            raw = text[cs:end]
            if cs == floor and previous and "、" in raw:
                raw = raw[raw.rfind("、") + 1:]  # …约2万平方米全部投入使用、2期建筑面积约55万平方米
            depth = 0 if named or not self.brackets else self.depth(s0, start)
            post = ""
            post_end = slot.end
            base = _base(slot)
            duration = base in DURATIONS
            if base in CLASSIFIERS:
                post, post_end = self.following(slot.end)
            elif duration:
                post = self.duration_tail(slot.end)
            if "其中" in raw[:4]:
                parts_at = cs
                total = _last_label(previous, depths, depth, base, same_unit=True)
                if not total and depth:  # （其中国家级6家）: a part of what the bracket explains
                    total = _last_label(previous, depths, 0, base, same_unit=True)
            elif parts_at != -1 and _has_semicolon(text, parts_at, cs):
                parts_at, total = -1, ""
            own, topic_here, from_post = self._own(raw, post, duration)
            if "分别" in raw and i not in respective:
                self._respective(slots, i, previous, depths, own, respective)
            if i in respective:
                subject_of, change = respective[i]
                slot.label = _join(subject_of, change if change else "")[:MAX_LABEL]
                slot.growth = bool(change)
                previous.append(slot)
                depths.append(depth)
                floor = max(floor, slot.end)
                continue
            # inside brackets (博士45人、硕士75人) the subject is what the bracket explains
            subject = ""
            if previous:
                subject = _last_label(previous, depths, 0, base, same_unit=False) if depth else ""
                subject = subject or _last_label(previous, depths, depth, base, same_unit=False)
                if subject and self.semis and _has_semicolon(text, previous[-1].end, cs):
                    subject = self.topic(s0, cs) or subject  # a part after ； with a subject of its own
            label = own
            growth = _GROWTH.search(label) if label and label[-1] in _GROWTH_LAST else None
            reward = _REWARD.match(text, slot.end, slot.end + 8) if base == "%" and slot.end < len(text) else None
            if reward is not None:  # 按其研发投入的10%给予补助 → 研发投入补助
                label, from_post = _BY_SHARE.sub("", own) + reward.group(1), True
            elif not own and not post:
                loose, _ = self.following(slot.end)  # 超六成企业…, 1亿元的持股计划贷款
                if loose:
                    label, from_post = loose, True
            elif not post and (
                own in _EMPTY_WORDS or text.startswith("的", slot.end) and _OWNED_TAIL.search(own) is None
            ):
                loose, _ = self.following(slot.end)
                if loose:  # 实现5.4倍放大效应, 提供近1亿元的持股计划贷款
                    label, from_post = own + loose, True
            if growth:
                slot.growth = True
                head = label[: growth.start()]
                if not head or _PREDICATE_LEAD.match(head) or _COMPARISON.match(head):
                    carried = subject or self.clause_before(cs, s0) or self.topic(s0, cs) or self.fallback
                    label = _join(carried, label)
            elif len(label) <= 1 or label in _EMPTY_WORDS:
                last = previous[-1] if previous else None
                if last is not None and last.growth and not post:
                    label, slot.growth = last.label, True  # 分别增长 164% 和 87%
                elif label in _EMPTY_WORDS:
                    carried = subject or self.topic(s0, cs)
                    label = _join(carried, label) if carried else ""
                elif subject:  # 累计达58家 after …企业新增12家 → …企业累计
                    label = _join(_NEW.sub("", subject), "累计" if _TOTAL.match(raw.lstrip()) else "")
                else:
                    label = self.topic(s0, cs)
            elif not from_post and len(label) <= 9 and label[-1] in _PLACE_LAST and _PLACE.match(label):
                loose = self.following(slot.end)[0] if not post and text.startswith("的", slot.end) else ""
                topic = loose or topic_here or self._place_topic(s0, cs, named) or ("" if depth else self.fallback)
                if topic and topic != label:
                    label = label + topic  # 全区 + what the sentence (or else the section) is about
            elif parts_at != -1 and total and not from_post:
                merged = _merge_overlap(label, total)
                if merged:
                    label = merged
                elif label[-1] in "级型类":  # 国家级 + 大学科技园
                    label = label + _drop_lead_verb(total)
                elif len(label) <= 2:
                    label = _join(total, label)
            elif len(label) <= 6 and label[0] in _ADVERBIAL_FIRST and _ADVERBIAL.match(label):
                label = _join(self.topic(s0, cs) or subject, label)
            elif not from_post and (
                len(label) <= 2
                or len(label) <= 7 and _ATTRIBUTE.match(label) is not None
                or len(label) == 4 and bool(subject) and _ATTRIBUTE.match(label[2:]) is not None
                and label[:2] not in subject  # 资助金额 after …基金项目2180项; not 投决金额 after 投决…
                or len(label) <= 5 and bool(subject) and label.startswith(_ACTIVITY_VERBS)  # 服务项目
                or label[0] in _PREDICATE_LEAD_FIRST and _PREDICATE_LEAD.match(label) is not None
                or len(label) == 4 and label[:2] in _TWO_VERBS and label[2:] in _TWO_VERBS and bool(subject)
            ):
                label = _join(subject or self.topic(s0, cs) or (self.fallback if len(label) <= 2 else ""), label)
            elif cs > s0 and text[s0:s0 + 1] == "《" and not label.startswith("《") and (
                _VERB_LEAD.match(label) or from_post and len(label) <= 2
            ):
                lead = self._lead_title(s0)
                if lead:
                    label = _join(lead, label)
            if len(label) <= 1 or label in _EMPTY_WORDS:
                label = self.fallback
            slot.label = label[:MAX_LABEL]
            previous.append(slot)
            depths.append(depth)
            floor = max(floor, post_end if post else slot.end)

    def _respective(
        self, slots: list[Found], i: int, previous: list[Found], depths: list[int], own: str,
        out: dict[int, tuple[str, str]],
    ) -> None:
        """`新认定A 86家、B 54家，累计分别达到612家和498家`: the numbers after 分别 take, in
        order, the names of as many numbers before them."""
        group = [i]
        j = i + 1
        while j < len(slots):
            gap = _RESPECTIVE_GAP.fullmatch(self.text, slots[j - 1].end, slots[j].start)
            if gap is None:
                break
            group.append(j)
            j += 1
        names = [p.label for p, d in zip(previous, depths) if not p.growth and d == 0 and p.label]
        if len(group) < 2 or len(names) < len(group):
            return
        growth = _GROWTH.search(own) if own and own[-1] in _GROWTH_LAST else None
        change = own[growth.start():] if growth else ""
        if not change and own and not is_empty_label(own):
            return  # 分别 with a name of its own: not a hand-out
        for k, idx in enumerate(group):
            out[idx] = (names[len(names) - len(group) + k], change)

    def _place_topic(self, s0: int, cs: int, named: bool) -> str:
        """What a list of places ranks; nothing when the sentence's subject is itself a place."""
        topic = self.topic(s0, cs)
        return "" if len(topic) < 4 or _PLACE.match(topic) else topic

    def _own(self, raw: str, post: str, duration: bool) -> tuple[str, str, bool]:
        """The label the number's own clause gives, a topic found in it (…的区是滨海新区), and
        whether the label is the thing named after the number."""
        squeezed = _SPACES.sub("", raw) if _SPACES.search(raw) is not None else raw
        prep = _PREP_TAIL.search(squeezed) if post and squeezed and squeezed[-1] in "为向对给与同" else None
        pre = clean_clause(squeezed[: prep.start()] if prep else squeezed, True)
        topic = ""
        if pre and not prep and ("是" in pre or "为" in pre):
            copulas = list(_COPULA.finditer(pre))
            m = copulas[-1] if copulas else None
            if m is not None and m.start() >= 2 and 0 < len(pre) - m.end() <= 8:
                topic = _strip_parallel_list(clean_clause(pre[: m.start()]))
                pre = clean_clause(pre[m.end():])
        if duration:
            return pre + post, topic, False
        if not post:
            pre = _compress_list(pre[:-1] if pre.endswith("的") else pre)
            if pre.startswith(_DROP_VERBS) and _OWNED_TAIL.search(pre) is None and not pre.endswith("率"):
                for verb in _DROP_VERBS:  # not from 促成合同金额: the amount is what the verb brought about
                    if pre.startswith(verb) and len(pre) - len(verb) >= 3:
                        return pre[len(verb):], topic, False
            return pre, topic, False
        if not pre:
            return post, topic, True
        quote = pre.find("“")
        if quote > 0 and pre.endswith(("等", "”")) and pre.count("“") >= 2:
            # 立项实施了“A”、“B”等5个重大专项: the verb before the quoted names, and the thing counted
            verb = strip_tail(pre[:quote].rstrip("了"))
            return verb[-4:] + post, topic, True
        if prep:  # 高企贷为17048家企业提供… → 高企贷为企业提供…
            return _compress_list(pre, True) + prep.group() + post, topic, True
        if pre.startswith(_PREPOSITION_LEAD):  # 向科技部推荐13811家企业
            return _compress_list(pre, True) + post, topic, True
        at = pre.rfind("在")
        if at != -1 and _PLACE.match(pre[at + 1:]):
            return pre[at + 1:] + post, topic, True
        if pre.endswith(_LEAD_VERBS) and len(post) >= 2 and not pre.endswith("的"):
            return post, topic, True
        return _compress_list(pre, True) + post, topic, True

    def _lead_title(self, s0: int) -> str:
        """A sentence that opens with 《…》 has that policy as its subject."""
        text = self.text
        k = s0
        while k < len(text) and text[k].isspace():
            k += 1
        if not text.startswith("《", k):
            return ""
        close = text.find("》", k, k + 60)
        return text[k:close + 1] if close != -1 else ""


# what a place or body does: 建成…中心15家，服务项目超过300项 → the centres' projects
_ACTIVITY_VERBS: Final = ("服务", "带动", "吸引", "孵化", "接待", "培训", "辐射", "吸纳", "入驻", "集聚")
# verbs before the thing a number counts, dropped from the label (建成概念验证中心15家 → 概念验证中心)
_DROP_VERBS: Final = (
    "建成", "新建", "组建", "布局", "明确", "引进", "新认定", "认定", "培育", "新培育", "获批", "实现", "完成", "举办",
    "开展", "组织", "推动", "设立", "成立", "打造", "建设", "遴选", "促成", "出台", "制定", "实施", "立项", "评选",
)
# 通过认定, 完成验收: a clause of two verbs names no thing; it takes the subject before it
_TWO_VERBS: Final = frozenset(
    "通过 完成 验收 获批 立项 结题 办结 答复 认定 认证 备案 入库 签约 落地 投产 开工 建成 上市 审核 评审 受理".split()
)
_NEW: Final = re.compile(r"(?:新增|净增|增加)$")
_TOTAL: Final = re.compile(r"(?:累计|总计|合计|共计)")
_VERB_LEAD: Final = re.compile(r"^(?:从|提出|荣获|获得|获|聚焦|围绕|通过|推动|实施|出台|发布|印发|支持|新增|完成|实现|形成)")
_DIGIT: Final = re.compile(r"\d")


def _subject_of(clause: str) -> str:
    """A clause's subject: up to its predicate (是, 为, 达到, 分别 …) or its first number."""
    if "第" in clause:
        clause = _RANK.sub("", clause)
    d = _DIGIT.search(clause)
    if d:
        clause = clause[: d.start()]
    m = _PREDICATE.search(clause)
    if m and m.start() >= 2:
        clause = clause[: m.start()]
    return _strip_parallel_list(clean_clause(clause))


def _drop_lead_verb(label: str) -> str:
    """建成众创空间 → 众创空间."""
    for verb in _LEAD_VERBS:
        if len(verb) >= 2 and label.startswith(verb) and len(label) > len(verb) + 1:
            return label[len(verb):]
    return label


def _last_label(previous: list[Found], depths: list[int], depth: int, base: str, same_unit: bool) -> str:
    for slot, d in zip(reversed(previous), reversed(depths)):
        if not slot.growth and d == depth and slot.label and (not same_unit or _base(slot) == base):
            return slot.label
    if same_unit:
        return _last_label(previous, depths, depth, base, False)
    return ""


def _has_semicolon(text: str, start: int, end: int) -> bool:
    return text.find("；", start, end) != -1 or text.find(";", start, end) != -1
