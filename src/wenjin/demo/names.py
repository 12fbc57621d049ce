"""Names of places and people for the demo, with their pinyin.

Place names carry their pinyin by hand: a converter reads 龙都 as "long dou" and
would print it on every English sign. People's names are composed from common
surnames and given-name characters that have one reading only, so that the
pinyin a converter gives is the one a cataloguer would write.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Town:
    """A subdistrict (街道) or town (镇) of Zhucheng and the branch library named after it."""

    code: str
    name: str  # 昌城镇
    pinyin: str  # Changcheng
    subdistrict: bool  # 街道 (city) rather than 镇
    villages: int  # 农家书屋 in the town
    courier_weekdays: tuple[int, ...]  # the days the central library's van calls

    @property
    def name_en(self) -> str:
        return f"{self.pinyin} {'Subdistrict' if self.subdistrict else 'Town'}"


# Zhucheng's three subdistricts and ten towns; 237 village reading rooms between them.
TOWNS: tuple[Town, ...] = (
    Town("MZ", "密州街道", "Mizhou", True, 12, (1, 2, 3, 4, 5)),
    Town("LD", "龙都街道", "Longdu", True, 16, (1, 2, 3, 4, 5)),
    Town("SW", "舜王街道", "Shunwang", True, 20, (1, 3, 5)),
    Town("ZG", "枳沟镇", "Zhigou", False, 20, (2, 5)),
    Town("JY", "贾悦镇", "Jiayue", False, 21, (2, 5)),
    Town("SQ", "石桥子镇", "Shiqiaozi", False, 19, (1, 4)),
    Town("XZ", "相州镇", "Xiangzhou", False, 20, (1, 4)),
    Town("CC", "昌城镇", "Changcheng", False, 20, (3, 6)),
    Town("BC", "百尺河镇", "Baichihe", False, 20, (3, 6)),
    Town("XX", "辛兴镇", "Xinxing", False, 18, (2, 5)),
    Town("LJ", "林家村镇", "Linjiacun", False, 17, (1, 4)),
    Town("HH", "皇华镇", "Huanghua", False, 18, (3, 6)),
    Town("TL", "桃林镇", "Taolin", False, 16, (2, 5)),
)

TOWNS_BY_CODE = {town.code: town for town in TOWNS}


# ---------------------------------------------------------------------------
# Villages: names are composed the way villages in the hills and plains of
# south-east Shandong are named (王家庄, 程戈庄, 前石河, 柳沟, 东店子 …).

VILLAGE_SURNAMES: tuple[tuple[str, str], ...] = (
    ("王", "wang"), ("李", "li"), ("张", "zhang"), ("刘", "liu"), ("陈", "chen"),
    ("杨", "yang"), ("赵", "zhao"), ("孙", "sun"), ("马", "ma"), ("高", "gao"),
    ("徐", "xu"), ("郭", "guo"), ("丁", "ding"), ("臧", "zang"), ("管", "guan"),
    ("邱", "qiu"), ("韩", "han"), ("姜", "jiang"), ("宋", "song"), ("隋", "sui"),
    ("庄", "zhuang"), ("葛", "ge"), ("邢", "xing"), ("孟", "meng"), ("程", "cheng"),
    ("冯", "feng"), ("于", "yu"), ("袁", "yuan"), ("董", "dong"), ("薛", "xue"),
    ("崔", "cui"), ("窦", "dou"), ("邴", "bing"), ("鹿", "lu"), ("贺", "he"),
    ("林", "lin"), ("秦", "qin"), ("荆", "jing"), ("岳", "yue"), ("卢", "lu"),
)  # fmt: skip

# after 家: 王家庄, 王家疃, 王家沟 …
VILLAGE_AFTER_JIA: tuple[tuple[str, str], ...] = (
    ("庄", "zhuang"), ("庄子", "zhuangzi"), ("疃", "tuan"), ("沟", "gou"), ("河", "he"),
    ("岭", "ling"), ("屯", "tun"), ("楼", "lou"), ("洼", "wa"), ("埠", "bu"),
    ("官庄", "guanzhuang"), ("营", "ying"), ("店", "dian"), ("坡", "po"), ("泊", "po"),
)  # fmt: skip

# after a bare surname: 程戈庄, 孟疃, 马庄 …
VILLAGE_AFTER_SURNAME: tuple[tuple[str, str], ...] = (
    ("戈庄", "gezhuang"), ("疃", "tuan"), ("庄", "zhuang"), ("村", "cun"),
    ("家村", "jiacun"), ("家庄子", "jiazhuangzi"), ("哥庄", "gezhuang"),
)  # fmt: skip

VILLAGE_DIRECTIONS: tuple[tuple[str, str], ...] = (
    ("东", "dong"), ("西", "xi"), ("南", "nan"), ("北", "bei"), ("前", "qian"),
    ("后", "hou"), ("上", "shang"), ("下", "xia"), ("大", "da"), ("小", "xiao"),
)  # fmt: skip

VILLAGE_PLACES: tuple[tuple[str, str], ...] = (
    ("岭", "ling"), ("庄", "zhuang"), ("河崖", "heya"), ("石河", "shihe"), ("营", "ying"),
    ("店子", "dianzi"), ("沟", "gou"), ("泊", "po"), ("坡", "po"), ("埠", "bu"),
    ("官庄", "guanzhuang"), ("梁", "liang"), ("山", "shan"), ("洼", "wa"), ("寨", "zhai"),
    ("岔河", "chahe"), ("古县", "guxian"), ("石门", "shimen"), ("黄埠", "huangbu"),
    ("柳沟", "liugou"), ("河东", "hedong"), ("土山", "tushan"), ("草泊", "caopo"),
)  # fmt: skip

VILLAGE_FEATURES: tuple[tuple[str, str], ...] = (
    ("石", "shi"), ("柳", "liu"), ("杨", "yang"), ("槐", "huai"), ("枣", "zao"),
    ("桑", "sang"), ("梨", "li"), ("杏", "xing"), ("桃", "tao"), ("松", "song"),
    ("柏", "bai"), ("龙", "long"), ("凤", "feng"), ("鹿", "lu"), ("白", "bai"),
    ("黄", "huang"), ("青", "qing"), ("红", "hong"), ("金", "jin"), ("双", "shuang"),
    ("三", "san"), ("五", "wu"), ("七", "qi"), ("马", "ma"), ("牛", "niu"),
    ("泉", "quan"), ("花", "hua"), ("芦", "lu"), ("瓦", "wa"), ("兴", "xing"),
)  # fmt: skip

VILLAGE_FEATURE_ENDINGS: tuple[tuple[str, str], ...] = (
    ("河", "he"), ("沟", "gou"), ("岭", "ling"), ("庄", "zhuang"), ("泉", "quan"),
    ("山", "shan"), ("峪", "yu"), ("坡", "po"), ("岗", "gang"), ("湾", "wan"),
    ("林", "lin"), ("园", "yuan"), ("庄子", "zhuangzi"), ("堂", "tang"), ("峰", "feng"),
)  # fmt: skip


# ---------------------------------------------------------------------------
# School libraries joined to the one card: (code, name, English, level, town).
# Schools in the three city subdistricts hang under the central library.


@dataclass(frozen=True)
class School:
    code: str
    name: str
    name_en: str
    level: str  # primary, junior, senior
    town: str  # town code

    @property
    def in_city(self) -> bool:
        return TOWNS_BY_CODE[self.town].subdistrict


SCHOOLS: tuple[School, ...] = (
    School("MZ-S01", "诸城市第一中学图书馆", "Zhucheng No. 1 High School Library", "senior", "MZ"),
    School("LD-S01", "诸城市实验中学图书馆", "Zhucheng Experimental High School Library", "senior", "LD"),
    School("LD-S02", "诸城繁华中学图书馆", "Zhucheng Fanhua High School Library", "senior", "LD"),
    School("MZ-S02", "诸城市实验初级中学图书馆", "Zhucheng Experimental Junior Middle School Library", "junior", "MZ"),
    School("LD-S03", "诸城市龙城中学图书馆", "Zhucheng Longcheng Middle School Library", "junior", "LD"),
    School("SW-S01", "诸城市舜王街道初级中学图书馆", "Shunwang Junior Middle School Library", "junior", "SW"),
    School("MZ-S03", "诸城市实验小学图书馆", "Zhucheng Experimental Primary School Library", "primary", "MZ"),
    School("MZ-S04", "诸城市密州街道北关小学图书馆", "Beiguan Primary School Library, Mizhou", "primary", "MZ"),
    School("MZ-S05", "诸城市东坡小学图书馆", "Zhucheng Dongpo Primary School Library", "primary", "MZ"),
    School("CC-S01", "诸城市昌城镇初级中学图书馆", "Changcheng Junior Middle School Library", "junior", "CC"),
    School("ZG-S01", "诸城市枳沟镇初级中学图书馆", "Zhigou Junior Middle School Library", "junior", "ZG"),
    School("BC-S01", "诸城市百尺河镇初级中学图书馆", "Baichihe Junior Middle School Library", "junior", "BC"),
    School("XZ-S01", "诸城市相州镇中心小学图书馆", "Xiangzhou Central Primary School Library", "primary", "XZ"),
    School("JY-S01", "诸城市贾悦镇中心小学图书馆", "Jiayue Central Primary School Library", "primary", "JY"),
    School("XX-S01", "诸城市辛兴镇中心小学图书馆", "Xinxing Central Primary School Library", "primary", "XX"),
    School("TL-S01", "诸城市桃林镇中心小学图书馆", "Taolin Central Primary School Library", "primary", "TL"),
)  # fmt: skip


# ---------------------------------------------------------------------------
# Rotating book stations (图书流动站): 32, seven of them opened in 2020 (the
# report: 新建7处图书流动站, 流通图书798册), at communities, hospitals, the fire
# brigade, barracks, enterprises.


@dataclass(frozen=True)
class Station:
    code: str
    host: str  # where the shelf stands
    host_en: str
    host_kind: str  # community, hospital, barracks, enterprise, care_home, museum
    town: str
    opened: int  # year

    @property
    def name(self) -> str:
        return f"{self.host}图书流动站"

    @property
    def name_en(self) -> str:
        return f"{self.host_en} Book Station"


STATIONS: tuple[Station, ...] = (
    Station("MZ-L01", "密州街道东关社区", "Dongguan Community", "community", "MZ", 2013),
    Station("MZ-L02", "密州街道西关社区", "Xiguan Community", "community", "MZ", 2013),
    Station("MZ-L03", "密州街道南关社区", "Nanguan Community", "community", "MZ", 2014),
    Station("MZ-L04", "密州街道北关社区", "Beiguan Community", "community", "MZ", 2014),
    Station("LD-L01", "龙都街道和平社区", "Heping Community", "community", "LD", 2015),
    Station("LD-L02", "龙都街道府前社区", "Fuqian Community", "community", "LD", 2015),
    Station("LD-L03", "龙都街道兴华社区", "Xinghua Community", "community", "LD", 2016),
    Station("LD-L04", "龙都街道龙源社区", "Longyuan Community", "community", "LD", 2017),
    Station("SW-L01", "舜王街道舜耕社区", "Shungeng Community", "community", "SW", 2017),
    Station("MZ-L05", "诸城市社会福利中心", "Zhucheng Social Welfare Centre", "care_home", "MZ", 2016),
    Station("LD-L05", "诸城市人民医院", "Zhucheng People's Hospital", "hospital", "LD", 2020),
    Station("MZ-L06", "诸城市中医医院", "Zhucheng Hospital of Traditional Chinese Medicine", "hospital", "MZ", 2020),
    Station("LD-L06", "诸城市妇幼保健院", "Zhucheng Maternal and Child Health Hospital", "hospital", "LD", 2020),
    Station("MZ-L07", "诸城市消防救援大队", "Zhucheng Fire and Rescue Brigade", "barracks", "MZ", 2020),
    Station("LD-L07", "武警诸城中队", "Zhucheng Armed Police Squadron", "barracks", "LD", 2018),
    Station("SW-L02", "诸城市人武部民兵训练基地", "Zhucheng Militia Training Base", "barracks", "SW", 2019),
    Station("LD-L08", "得利斯集团", "Delisi Group", "enterprise", "LD", 2016),
    Station("LD-L09", "诸城经济开发区汽车产业园", "Zhucheng Automobile Industrial Park", "enterprise", "LD", 2018),
    Station("LD-L10", "诸城恐龙博物馆", "Zhucheng Dinosaur Museum", "museum", "LD", 2019),
    Station("ZG-L01", "枳沟镇枳沟社区", "Zhigou Community", "community", "ZG", 2014),
    Station("ZG-L02", "王尽美故居纪念馆", "Wang Jinmei Former Residence Memorial", "museum", "ZG", 2018),
    Station("JY-L01", "贾悦镇贾悦社区", "Jiayue Community", "community", "JY", 2015),
    Station("JY-L02", "贾悦镇卫生院", "Jiayue Town Health Centre", "hospital", "JY", 2020),
    Station("SQ-L01", "石桥子镇石桥社区", "Shiqiao Community", "community", "SQ", 2016),
    Station("XZ-L01", "相州镇相州社区", "Xiangzhou Community", "community", "XZ", 2015),
    Station("XZ-L02", "诸城市第二人民医院", "Zhucheng No. 2 People's Hospital", "hospital", "XZ", 2020),
    Station("CC-L01", "昌城镇昌城社区", "Changcheng Community", "community", "CC", 2016),
    Station("BC-L01", "百尺河镇百尺河社区", "Baichihe Community", "community", "BC", 2017),
    Station("BC-L02", "百尺河镇敬老院", "Baichihe Care Home", "care_home", "BC", 2020),
    Station("XX-L01", "辛兴镇辛兴社区", "Xinxing Community", "community", "XX", 2017),
    Station("LJ-L01", "林家村镇林家村社区", "Linjiacun Community", "community", "LJ", 2018),
    Station("HH-L01", "皇华镇皇华社区", "Huanghua Community", "community", "HH", 2019),
)  # fmt: skip


# ---------------------------------------------------------------------------
# People: authors, editors, translators.

SURNAMES: tuple[str, ...] = tuple(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭于董萧程袁田潘蔡蒋余杜叶"
    "苏魏丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚"
    "邵万钱严武戴孔汤臧隋管葛"
)
# Common surnames first: the first twenty cover half of all Chinese.
SURNAME_WEIGHTS: tuple[float, ...] = tuple(
    8.0 if i < 5 else 4.0 if i < 20 else 1.5 if i < 50 else 0.8 for i in range(len(SURNAMES))
)

GIVEN_NAME_CHARACTERS: tuple[str, ...] = tuple(
    "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华玉萍红建文辉力斌宇浩凯晨鹏欣雪琳丹蕾颖"
    "晓海波林峰飞鑫云庆春国立志德俊东亮新宏光成兰梅婷倩阳利青燕永树荣福祥瑞嘉怡佳子涵雨梓"
    "思铭博昊轩晴岩松金秋冬月星辰凡"
)

# Transliterated foreign names for translated books, by the country prefix a
# Chinese catalogue writes before them ([美] 约翰·史密斯).
FOREIGN_NAMES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "美": (
        ("约翰", "詹姆斯", "玛丽", "伊丽莎白", "威廉", "托马斯", "艾米莉", "乔治", "安娜", "大卫", "罗伯特", "琳达"),
        ("史密斯", "约翰逊", "布朗", "米勒", "戴维斯", "威尔逊", "安德森", "泰勒", "摩尔", "怀特", "克拉克", "沃克"),
    ),
    "英": (
        ("查尔斯", "简", "亨利", "夏洛特", "爱德华", "露西", "彼得", "凯瑟琳", "理查德", "艾玛"),
        ("格林", "霍尔", "伍德", "哈里斯", "马丁", "汤普森", "罗宾逊", "赖特", "休斯", "爱德华兹"),
    ),
    "法": (
        ("让", "皮埃尔", "玛丽", "克洛德", "安娜", "米歇尔", "雅克", "苏菲"),
        ("马丁", "贝尔纳", "杜邦", "勒鲁", "莫罗", "罗兰", "西蒙", "加尼耶"),
    ),
    "日": (
        ("健一", "直子", "裕子", "和也", "美香", "隆", "惠子", "诚", "翔太", "明美"),
        ("佐藤", "铃木", "高桥", "田中", "渡边", "伊藤", "山本", "中村", "小林", "加藤"),
    ),
    "俄": (
        ("伊万", "尼古拉", "安娜", "娜塔莎", "谢尔盖", "亚历山大", "米哈伊尔", "叶莲娜"),
        ("伊万诺夫", "彼得罗夫", "斯米尔诺夫", "索科洛夫", "波波夫", "帕夫洛夫", "莫罗佐夫"),
    ),
    "德": (
        ("汉斯", "克劳斯", "莫妮卡", "沃尔夫冈", "乌尔里希", "彼得拉"),
        ("穆勒", "施密特", "施耐德", "菲舍尔", "韦伯", "迈尔", "瓦格纳"),
    ),
}  # fmt: skip

ENGLISH_GIVEN_NAMES: tuple[str, ...] = (
    "James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda", "David",
    "Elizabeth", "William", "Susan", "Richard", "Sarah", "Thomas", "Karen", "Daniel", "Emily",
    "Andrew", "Laura", "Peter", "Helen", "Mark", "Anna", "George", "Rachel",
)  # fmt: skip
ENGLISH_SURNAMES: tuple[str, ...] = (
    "Smith", "Johnson", "Brown", "Taylor", "Miller", "Wilson", "Moore", "Clark", "Walker",
    "Hall", "Young", "King", "Wright", "Hill", "Green", "Baker", "Adams", "Nelson", "Carter",
    "Mitchell", "Roberts", "Turner", "Phillips", "Campbell", "Parker", "Evans", "Edwards",
)  # fmt: skip
