"""Errors of the network. Messages are for a librarian: what went wrong and what to do."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from wenjin.errors import WenjinError


class NetworkError(WenjinError):
    pass


class PointNotFound(NetworkError):
    code = "point_not_found"

    def __init__(self, code: str) -> None:
        self.point_code = code
        super().__init__(
            f"没有代码为 {code} 的服务点，请用 `wenjin network show` 查看全部服务点代码",
            f"No service point with code {code}; `wenjin network show` lists every code",
        )


class DuplicatePointCode(NetworkError):
    code = "point_code_taken"

    def __init__(self, code: str) -> None:
        super().__init__(
            f"服务点代码 {code} 已被使用，代码在全网必须唯一，请换一个代码",
            f"Service point code {code} is already used; codes are unique in the network",
        )


class InvalidPoint(NetworkError):
    """A service point that breaks a rule of the network (bad code, kind, parent…)."""

    code = "point_invalid"

    def __init__(self, point_code: str, why_zh: str, why_en: str) -> None:
        self.point_code = point_code
        self.why_zh = why_zh
        self.why_en = why_en
        super().__init__(f"服务点 {point_code}：{why_zh}", f"Service point {point_code}: {why_en}")


class ParentCycle(NetworkError):
    code = "point_parent_cycle"

    def __init__(self, chain: Sequence[str]) -> None:
        path = " → ".join(chain)
        super().__init__(
            f"上级关系形成了环：{path}，一个服务点不能在自己的下级之下",
            f"Parents form a cycle: {path}; a point cannot sit under its own descendant",
        )


class PointHasActiveChildren(NetworkError):
    code = "point_has_active_children"

    def __init__(self, code: str, children: Sequence[str]) -> None:
        shown = ", ".join(children[:10]) + (" …" if len(children) > 10 else "")
        super().__init__(
            f"服务点 {code} 下还有在用的服务点（{shown}），请先停用或移走它们",
            f"Service point {code} still has active points under it ({shown}); "
            "deactivate or move them first",
        )


class InvalidHours(NetworkError):
    code = "hours_invalid"

    def __init__(self, value: object, why_zh: str, why_en: str) -> None:
        self.why_zh = why_zh
        self.why_en = why_en
        super().__init__(
            f"开放时间 {value!r} 无效：{why_zh}。写法如 09:00-17:00 或 休息/closed",
            f"Invalid opening hours {value!r}: {why_en}. Write e.g. 09:00-17:00 or closed",
        )


class InvalidWeekday(NetworkError):
    code = "weekday_invalid"

    def __init__(self, value: object) -> None:
        super().__init__(
            f"无法识别星期 {value!r}，可写 mon…sun、1…7（1 为周一）或 周一…周日，范围如 tue-sun",
            f"Unknown weekday {value!r}; use mon…sun, 1…7 (1 is Monday) or 周一…周日, "
            "ranges like tue-sun",
        )


class InvalidClosedDays(NetworkError):
    code = "closed_days_invalid"

    def __init__(self, value: object, why_zh: str, why_en: str) -> None:
        super().__init__(
            f"闭馆日 {value!r} 无效：{why_zh}", f"Invalid closed days {value!r}: {why_en}"
        )


class NeverOpen(NetworkError):
    """Asked for the next open day of a point that is closed on every weekday."""

    code = "point_never_open"

    def __init__(self, after: date) -> None:
        super().__init__(
            f"该服务点每周每天都闭馆，{after.isoformat()} 之后找不到开放日；请先设置开放时间",
            f"The point is closed every day of the week, so there is no open day after "
            f"{after.isoformat()}; set its opening hours first",
        )


class InvalidRoute(NetworkError):
    code = "route_invalid"

    def __init__(self, from_code: str, to_code: str, why_zh: str, why_en: str) -> None:
        super().__init__(
            f"物流线路 {from_code} → {to_code}：{why_zh}",
            f"Courier route {from_code} → {to_code}: {why_en}",
        )


class RouteNotFound(NetworkError):
    code = "route_not_found"

    def __init__(self, from_code: str, to_code: str) -> None:
        super().__init__(
            f"没有 {from_code} → {to_code} 的物流线路",
            f"No courier route from {from_code} to {to_code}",
        )


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a network file, located for the librarian who edits it."""

    where_zh: str
    where_en: str
    what_zh: str
    what_en: str

    @property
    def zh(self) -> str:
        return f"{self.where_zh}：{self.what_zh}" if self.where_zh else self.what_zh

    @property
    def en(self) -> str:
        return f"{self.where_en}: {self.what_en}" if self.where_en else self.what_en


class NetworkFileInvalid(NetworkError):
    """A network file (or ``NetworkData``) with problems: nothing of it was imported."""

    code = "network_file_invalid"

    def __init__(self, source: str, problems: Sequence[Problem]) -> None:
        self.source = source
        self.problems = list(problems)
        count = len(self.problems)
        lines_zh = "\n".join(f"  - {p.zh}" for p in self.problems)
        lines_en = "\n".join(f"  - {p.en}" for p in self.problems)
        super().__init__(
            f"{source} 有 {count} 处问题，未导入任何内容，请修改后重新导入：\n{lines_zh}",
            f"{source} has {count} problem(s); nothing was imported. Fix and import again:\n"
            f"{lines_en}",
        )
