"""Kinds of service point."""

from __future__ import annotations

from enum import StrEnum


class PointKind(StrEnum):
    """What a service point is. The value is the stable code used in files and the API."""

    NETWORK = "network"  # the root: the network as an organisation (e.g. 诸城市图书馆总分馆)
    CENTRAL = "central"  # 中心馆 / 总馆
    BUILDING = "building"  # one building of a library with several (新馆, 老馆)
    BRANCH = "branch"  # 镇图书馆 (town branch)
    SCHOOL = "school"  # 学校图书馆
    VILLAGE = "village"  # 农家书屋 (village reading room)
    STATION = "station"  # 图书流动站 (rotating book station)
    SELF_SERVICE = "self_service"  # 24小时自助图书馆
    SCENIC = "scenic"  # 景区书房
    BOOKMOBILE = "bookmobile"  # 流动图书车

    @property
    def label_zh(self) -> str:
        return _LABELS[self][0]

    @property
    def label_en(self) -> str:
        return _LABELS[self][1]


_LABELS: dict[PointKind, tuple[str, str]] = {
    PointKind.NETWORK: ("总分馆体系", "Library network"),
    PointKind.CENTRAL: ("中心馆", "Central library"),
    PointKind.BUILDING: ("馆舍", "Library building"),
    PointKind.BRANCH: ("镇图书馆", "Town branch library"),
    PointKind.SCHOOL: ("学校图书馆", "School library"),
    PointKind.VILLAGE: ("农家书屋", "Village reading room"),
    PointKind.STATION: ("图书流动站", "Rotating book station"),
    PointKind.SELF_SERVICE: ("24小时自助图书馆", "24-hour self-service library"),
    PointKind.SCENIC: ("景区书房", "Scenic-spot reading room"),
    PointKind.BOOKMOBILE: ("流动图书车", "Bookmobile"),
}
