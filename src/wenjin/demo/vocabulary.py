"""What the demo catalogue is made of: publishers, subject sections by CLC class, classics.

A *section* is a shelf of a county library: a CLC class (中图法) with title
patterns, the words that fill them, its publishers, subject headings, how its
books are authored, priced and sized, and who reads them (the ``group`` decides
which service points hold them: farming for village reading rooms, children's
books for primary schools …). A slot value may carry its own CLC number after a
bar (``"小麦|S512.1"``): the book then takes that class.

Publishers carry their real ISBN registrant prefixes (checked against the ISBN
agency's ranges by python-stdnum in the tests), with the year a newer prefix
came into use.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

# ---------------------------------------------------------------------------
# Publishers


@dataclass(frozen=True)
class Publisher:
    key: str
    name: str
    place: str
    place_en: str
    prefixes: tuple[tuple[str, int], ...]  # ("7-5063", 1987): registrant and first year used
    english: bool = False

    def prefix_for(self, year: int) -> str:
        usable = [prefix for prefix, since in self.prefixes if since <= year]
        return usable[-1] if usable else self.prefixes[0][0]

    def capacity(self, year: int) -> int:
        """How many title numbers the registrant range in use in ``year`` holds."""
        group, registrant = self.prefix_for(year).split("-")
        return 10 ** (9 - len(group) - len(registrant))


def _cn(key: str, name: str, place: str, place_en: str, *prefixes: tuple[str, int]) -> Publisher:
    return Publisher(key, name, place, place_en, prefixes)


def _en(key: str, name: str, place: str, *prefixes: tuple[str, int]) -> Publisher:
    return Publisher(key, name, place, place, prefixes, english=True)


PUBLISHERS: dict[str, Publisher] = {
    p.key: p
    for p in (
        _cn("rmwx", "人民文学出版社", "北京", "Beijing", ("7-02", 1980)),
        _cn("zuojia", "作家出版社", "北京", "Beijing", ("7-5063", 1980), ("7-5212", 2016)),
        _cn("cjwy", "长江文艺出版社", "武汉", "Wuhan", ("7-5354", 1980)),
        _cn("shiyue", "北京十月文艺出版社", "北京", "Beijing", ("7-5302", 1980)),
        _cn("cqcbs", "重庆出版社", "重庆", "Chongqing", ("7-5366", 1980), ("7-229", 2009)),
        _cn("shyw", "上海译文出版社", "上海", "Shanghai", ("7-5327", 1980)),
        _cn("yilin", "译林出版社", "南京", "Nanjing", ("7-5447", 1980)),
        _cn("nanhai", "南海出版公司", "海口", "Haikou", ("7-5442", 1980)),
        _cn("swyg", "商务印书馆", "北京", "Beijing", ("7-100", 1980)),
        _cn("zhsj", "中华书局", "北京", "Beijing", ("7-101", 1980)),
        _cn("sanlian", "生活·读书·新知三联书店", "北京", "Beijing", ("7-108", 1980)),
        _cn("renmin", "人民出版社", "北京", "Beijing", ("7-01", 1980)),
        _cn("shrm", "上海人民出版社", "上海", "Shanghai", ("7-208", 1980)),
        _cn("kexue", "科学出版社", "北京", "Beijing", ("7-03", 1980)),
        _cn("gaojiao", "高等教育出版社", "北京", "Beijing", ("7-04", 1980)),
        _cn("beida", "北京大学出版社", "北京", "Beijing", ("7-301", 1980)),
        _cn("renda", "中国人民大学出版社", "北京", "Beijing", ("7-300", 1980)),
        _cn("qinghua", "清华大学出版社", "北京", "Beijing", ("7-302", 1980)),
        _cn("jixie", "机械工业出版社", "北京", "Beijing", ("7-111", 1980)),
        _cn("youdian", "人民邮电出版社", "北京", "Beijing", ("7-115", 1980)),
        _cn("dianzi", "电子工业出版社", "北京", "Beijing", ("7-121", 1980)),
        _cn("huagong", "化学工业出版社", "北京", "Beijing", ("7-122", 1980)),
        _cn("weisheng", "人民卫生出版社", "北京", "Beijing", ("7-117", 1980)),
        _cn("nongye", "中国农业出版社", "北京", "Beijing", ("7-109", 1980)),
        _cn("jindun", "金盾出版社", "北京", "Beijing", ("7-5082", 1980)),
        _cn("nongke", "中国农业科学技术出版社", "北京", "Beijing", ("7-5116", 1980)),
        _cn("linye", "中国林业出版社", "北京", "Beijing", ("7-5038", 1980)),
        _cn("sdkj", "山东科学技术出版社", "济南", "Jinan", ("7-5331", 1980)),
        _cn("renjiao", "人民教育出版社", "北京", "Beijing", ("7-107", 1980)),
        _cn("sdjy", "山东教育出版社", "济南", "Jinan", ("7-5328", 1980)),
        _cn("sdrm", "山东人民出版社", "济南", "Jinan", ("7-209", 1980)),
        _cn("qilu", "齐鲁书社", "济南", "Jinan", ("7-5333", 1980)),
        _cn("qingdao", "青岛出版社", "青岛", "Qingdao", ("7-5436", 1980)),
        _cn("mingtian", "明天出版社", "济南", "Jinan", ("7-5332", 1980)),
        _cn("jieli", "接力出版社", "南宁", "Nanning", ("7-5448", 1980)),
        _cn("21sj", "二十一世纪出版社", "南昌", "Nanchang", ("7-5391", 1980)),
        _cn("zhongshao", "中国少年儿童出版社", "北京", "Beijing", ("7-5007", 1980), ("7-5148", 2010)),
        _cn("shaoer", "少年儿童出版社", "上海", "Shanghai", ("7-5324", 1980)),
        _cn("zheshao", "浙江少年儿童出版社", "杭州", "Hangzhou", ("7-5342", 1980)),
        _cn("xinlei", "新蕾出版社", "天津", "Tianjin", ("7-5307", 1980)),
        _cn("zhongxin", "中信出版社", "北京", "Beijing", ("7-5086", 1988), ("7-5217", 2017)),
        _cn("baike", "中国大百科全书出版社", "北京", "Beijing", ("7-5000", 1980)),
        _cn("cishu", "上海辞书出版社", "上海", "Shanghai", ("7-5326", 1980)),
        _cn("waiyan", "外语教学与研究出版社", "北京", "Beijing", ("7-5600", 1980), ("7-5135", 2012)),
        _cn("renmei", "人民美术出版社", "北京", "Beijing", ("7-102", 1980)),
        _cn("renyin", "人民音乐出版社", "北京", "Beijing", ("7-103", 1980)),
        _cn("zhongqing", "中国青年出版社", "北京", "Beijing", ("7-5006", 1980)),
        _en("penguin", "Penguin Books", "London", ("0-14", 1980)),
        _en("oup", "Oxford University Press", "Oxford", ("0-19", 1980)),
        _en("cup", "Cambridge University Press", "Cambridge", ("0-521", 1980), ("1-107", 2010)),
        _en("harper", "HarperCollins", "New York", ("0-06", 1980)),
        _en("vintage", "Vintage Books", "New York", ("0-679", 1980)),
        _en("scholastic", "Scholastic", "New York", ("0-439", 1980)),
        _en("oreilly", "O'Reilly Media", "Sebastopol, CA", ("0-596", 1980), ("1-4493", 2011), ("1-4920", 2016)),
        _en("aw", "Addison-Wesley", "Boston", ("0-201", 1980), ("0-321", 2001)),
        _en("mit", "MIT Press", "Cambridge, Mass.", ("0-262", 1980)),
        _en("princeton", "Princeton University Press", "Princeton", ("0-691", 1980)),
        _en("bloomsbury", "Bloomsbury", "London", ("0-7475", 1980), ("1-4088", 2008)),
        _en("littlebrown", "Little, Brown", "New York", ("0-316", 1980)),
        _en("bantam", "Bantam Books", "New York", ("0-553", 1980)),
        _en("wiley", "Wiley", "Hoboken, NJ", ("0-471", 1980), ("1-118", 2011)),
    )
}  # fmt: skip

# When a section's publishers have used up their ISBN ranges (a house with a 4-digit
# registrant has only 10,000 numbers), the book goes to a large house of the same
# field whose 2-digit registrant holds a million.
FALLBACK_PUBLISHERS: dict[str, tuple[str, ...]] = {
    "I": ("rmwx",),
    "B": ("renmin",),
    "C": ("renmin",),
    "D": ("renmin",),
    "F": ("renmin",),
    "K": ("renmin",),
    "Z": ("renmin",),
    "G": ("gaojiao",),
    "H": ("gaojiao",),
    "english": ("penguin", "oup"),
}
DEFAULT_FALLBACK_PUBLISHERS = ("kexue",)

# Books published in Zhucheng itself without an ISBN (内部资料): the local collection is full of them.
LOCAL_ISSUERS: tuple[tuple[str, str], ...] = (
    ("诸城市政协文史资料委员会", "诸城"),
    ("中共诸城市委党史研究院", "诸城"),
    ("诸城市地方史志办公室", "诸城"),
    ("诸城市文化和旅游局", "诸城"),
    ("诸城市图书馆", "诸城"),
)


# ---------------------------------------------------------------------------
# Sections


@dataclass(frozen=True)
class Section:
    key: str
    group: str  # who reads it; service points hold books by group
    weight: float  # share of the catalogue's titles
    classes: tuple[str, ...]  # CLC numbers when no slot value brings its own
    templates: tuple[str, ...]
    slots: Mapping[str, tuple[str, ...]]
    publishers: tuple[str, ...]
    subjects: tuple[tuple[str, ...], ...] = ()  # 606: $a, then $x, $y, $z (templates)
    roles: tuple[tuple[str, float], ...] = (("著", 1.0),)  # "ORG" means a corporate body
    orgs: tuple[str, ...] = ()
    audience: str = "adult"  # adult, teen, child
    pages: tuple[int, int] = (160, 420)
    price: float = 1.0  # factor on the price of an ordinary book of the year
    summaries: tuple[str, ...] = ()
    series: tuple[str, ...] = ()
    foreign: bool = False  # translated: a foreign author and a Chinese translator
    english: bool = False  # an English-language book (MARC21)
    reference: bool = False  # 工具书: not lent
    local: bool = False  # 地方文献
    years: tuple[int, int] = (1980, 2020)
    extra: Mapping[str, str] = field(default_factory=dict)


# Words shared by several sections
_PLACES = (
    "黄河", "沂蒙", "潍河", "北方", "平原", "小城", "故乡", "山村", "海边", "江南", "塞北",
    "长街", "老街", "古镇", "东北", "胶东", "鲁南", "草原", "高原", "县城", "运河", "山乡",
)  # fmt: skip
_NOUNS = (
    "麦田", "月光", "河流", "石榴树", "槐花", "炊烟", "灯火", "桃花", "白杨", "大雪", "北风",
    "星空", "高粱地", "土地", "老屋", "渡口", "远方", "少年", "父亲", "母亲", "姐姐", "故人",
    "归途", "山河", "人间", "烟火", "长夜", "黎明", "春风", "晚霞", "潮水", "灯塔", "旷野",
    "小巷", "庭院", "木船", "铁路", "车站", "村庄", "黄昏", "雨季", "麦浪", "芦苇", "石桥",
    "古井", "风筝", "镜子", "钟声", "信件", "飞鸟", "苹果园", "向日葵", "雪原", "海岸",
)  # fmt: skip
_ADJECTIVES = (
    "遥远的", "温暖的", "沉默的", "漫长的", "明亮的", "寂静的", "燃烧的", "奔跑的", "消失的",
    "迟到的", "倔强的", "孤独的", "最后的", "无尽的", "远去的", "不眠的", "回家的", "秘密的",
)  # fmt: skip
_TIMES = (
    "往事", "岁月", "故事", "人家", "风云", "纪事", "之歌", "记忆", "年代", "春秋", "四十年",
    "编年史", "传奇", "光阴", "笔记", "日记", "家书",
)  # fmt: skip
_SEASONS = ("春天", "夏天", "秋天", "冬天", "雨季", "早春", "深秋")
_FICTION_TEMPLATES = (
    "{place}{time}", "{adj}{noun}", "{noun}与{noun2}", "{place}的{noun}", "{noun}{time}",
    "我的{noun}", "{noun}之上", "{noun}深处", "穿过{noun}的{noun2}", "{place}的{season}",
    "{adj}{season}", "{noun}", "{place}", "{noun}里的{noun2}", "等待{noun}",
)  # fmt: skip
_FICTION_SLOTS = {
    "place": _PLACES, "noun": _NOUNS, "noun2": _NOUNS, "adj": _ADJECTIVES,
    "time": _TIMES, "season": _SEASONS,
}  # fmt: skip

_ANIMALS = (
    "小熊", "小兔", "狐狸", "小猫", "小狗", "小猪", "刺猬", "松鼠", "大象", "小鹿", "企鹅",
    "恐龙", "小马", "猴子", "熊猫", "小老鼠", "青蛙", "蜗牛", "萤火虫", "小海豚",
)  # fmt: skip
_CHILD_NAMES = (
    "米小圈",
    "皮卡",
    "豆豆",
    "乐乐",
    "小雨",
    "丁丁",
    "冬冬",
    "果果",
    "阳阳",
    "朵朵",
    "小米",
    "点点",
)
_CHILD_THINGS = (
    "魔法", "星星", "月亮", "彩虹", "秘密", "森林", "城堡", "书包", "风筝", "雪人", "梦想",
    "红雨伞", "小火车", "气球", "时间机器", "种子", "灯笼", "勇气",
)  # fmt: skip
_ADVENTURES = ("历险记", "奇遇记", "日记", "旅行记", "大冒险", "成长记", "的一天")
_ABILITIES = ("飞", "唱歌", "说话", "画画", "跳舞", "变色", "发光", "隐身")

_CROPS = (
    "小麦|S512.1", "玉米|S513", "花生|S565.2", "大豆|S565.1", "甘薯|S531", "棉花|S562",
    "谷子|S515", "马铃薯|S532", "大蒜|S633.4", "生姜|S632.5", "烟草|S572", "高粱|S514",
)  # fmt: skip
_VEGETABLES = (
    "黄瓜|S642.2", "番茄|S641.2", "辣椒|S641.3", "茄子|S641.1", "西葫芦|S642.9", "韭菜|S633.3",
    "大白菜|S634.1", "芹菜|S636.3", "菠菜|S636.1", "萝卜|S631.1", "西瓜|S651", "甜瓜|S652",
)  # fmt: skip
_FRUITS = (
    "苹果|S661.1", "梨|S661.2", "桃|S662.1", "葡萄|S663.1", "樱桃|S662.5", "草莓|S668.4",
    "板栗|S664.2", "核桃|S664.1", "蓝莓|S663.9", "猕猴桃|S663.4", "山楂|S661.5",
)  # fmt: skip
_LIVESTOCK = (
    "生猪|S828", "肉牛|S823.9", "奶牛|S823.9", "肉羊|S826.9", "山羊|S827", "肉鸡|S831.4",
    "蛋鸡|S831.4", "鸭|S834", "鹅|S835", "肉兔|S829.1", "蜜蜂|S894", "狐貉|S865.2",
)  # fmt: skip
_FISH = (
    "鲤鱼|S965.116",
    "草鱼|S965.112",
    "鲫鱼|S965.117",
    "泥鳅|S965.128",
    "南美白对虾|S968.22",
    "甲鱼|S966.5",
)
_MACHINES = (
    "拖拉机|S219",
    "联合收割机|S225",
    "播种机|S223",
    "植保无人机|S252",
    "玉米收获机|S225.5",
)

_DISEASES = (
    "高血压|R544.1", "糖尿病|R587.1", "冠心病|R541.4", "脑卒中|R743.3", "痛风|R589.7",
    "胃病|R573", "颈椎病|R681.5", "腰椎间盘突出症|R681.5", "骨质疏松症|R681", "失眠|R749.7",
    "慢性支气管炎|R562.2", "过敏性鼻炎|R765.21", "脂肪肝|R575.5", "老年痴呆|R749.16",
)  # fmt: skip
_PEOPLE_GROUPS = ("老年人", "儿童", "孕产妇", "中年人", "青少年", "上班族", "女性", "婴幼儿")
_HERBS = ("艾草", "枸杞", "金银花", "黄芪", "当归", "蒲公英", "山药", "菊花", "丹参", "三七")

_LANGUAGES = (
    "Python|TP311.561", "Java|TP312.8", "C语言|TP312.8", "C++|TP312.8", "JavaScript|TP312.8",
    "Go语言|TP312.8", "PHP|TP312.8", "C#|TP312.8", "Visual Basic|TP312.8",
)  # fmt: skip
_SUBJECTS_SCHOOL = ("语文", "数学", "英语", "物理", "化学", "生物", "历史", "地理", "道德与法治")
_GRADES = (
    "一年级",
    "二年级",
    "三年级",
    "四年级",
    "五年级",
    "六年级",
    "七年级",
    "八年级",
    "九年级",
    "高一",
    "高二",
    "高三",
)

_DYNASTIES = (
    "先秦|K22", "秦汉|K23", "三国|K236", "魏晋南北朝|K235", "隋唐|K24", "大唐|K242", "两宋|K244",
    "宋代|K244", "元朝|K247", "明朝|K248", "大明|K248", "清代|K249", "晚清|K252", "民国|K258",
)  # fmt: skip
_HISTORICAL_PEOPLE = (
    "苏轼", "李白", "杜甫", "王阳明", "曾国藩", "林则徐", "张骞", "郑和", "孔子", "孟子",
    "诸葛亮", "李清照", "辛弃疾", "王羲之", "刘墉", "张择端", "袁隆平", "钱学森", "邓稼先",
    "华罗庚", "范仲淹", "欧阳修", "司马光", "戚继光", "左宗棠", "蒲松龄", "孙思邈",
)  # fmt: skip
_PROVINCES = (
    "山东", "云南", "四川", "西藏", "新疆", "浙江", "福建", "广西", "贵州", "甘肃", "海南",
    "江苏", "安徽", "湖南", "内蒙古", "青海", "陕西", "山西", "河南", "江西",
)  # fmt: skip

_SPORTS = (
    "乒乓球",
    "羽毛球",
    "篮球",
    "足球",
    "太极拳",
    "广场舞",
    "游泳",
    "八段锦",
    "健身气功",
    "象棋",
    "围棋",
)
_INSTRUMENTS = (
    "古筝",
    "二胡",
    "钢琴",
    "笛子",
    "葫芦丝",
    "吉他",
    "小提琴",
    "古琴",
    "琵琶",
    "电子琴",
)
_CALLIGRAPHERS = ("颜真卿", "柳公权", "欧阳询", "王羲之", "赵孟頫", "褚遂良", "苏轼", "米芾")
_SCRIPTS = ("楷书", "行书", "隶书", "草书", "篆书")

_LAWS = (
    "民法典", "劳动合同法", "土地管理法", "农村土地承包法", "道路交通安全法", "婚姻家庭编",
    "消费者权益保护法", "未成年人保护法", "食品安全法", "环境保护法", "治安管理处罚法",
)  # fmt: skip

_LOCAL_TOPICS = (
    "苏轼与密州", "超然台", "常山", "潍河", "诸城古琴", "茂腔", "恐龙化石", "舜帝文化",
    "刘墉家族", "张择端与《清明上河图》", "王尽美", "臧克家", "东武古城", "诸城民间剪纸",
    "诸城辣丝子", "诸城烧肉", "诸城方言", "诸城古村落", "诸城老照片", "诸城红色记忆",
    "诸城名人", "诸城民间故事", "诸城地名", "诸城非物质文化遗产", "密州出猎", "诸城书法",
)  # fmt: skip


SECTIONS: tuple[Section, ...] = (
    # I 文学 -----------------------------------------------------------------
    Section(
        "I247.5", "fiction", 7.0, ("I247.5", "I247.57"), _FICTION_TEMPLATES, _FICTION_SLOTS,
        ("rmwx", "zuojia", "cjwy", "shiyue", "zhongqing", "sdrm", "qingdao"),
        subjects=(("长篇小说", "", "中国", "当代"),),
        summaries=(
            "本书是一部长篇小说，以{place}为背景，讲述了几代人在时代变迁中的命运沉浮。",
            "小说围绕{noun}展开，描写了普通人的奋斗、亲情与乡愁。",
        ),
    ),
    Section(
        "I247.7", "fiction", 2.0, ("I247.7", "I247.8"),
        ("{noun}：中短篇小说集", "{noun}及其他", "{adj}{noun}：小说集", "{place}小说选"),
        _FICTION_SLOTS, ("rmwx", "zuojia", "cjwy", "shiyue"),
        subjects=(("短篇小说", "小说集", "中国", "当代"), ("中篇小说", "小说集", "中国", "当代")),
    ),
    Section(
        "I267", "fiction", 3.5, ("I267", "I266"),
        ("{noun}与{noun2}", "在{place}的日子", "{season}的{noun}", "人间{noun}", "{adj}时光",
         "{noun}集", "走过{place}", "{noun}随笔"),
        _FICTION_SLOTS, ("rmwx", "zuojia", "cjwy", "sanlian", "shiyue", "sdrm", "zhongqing"),
        subjects=(("散文集", "", "中国", "当代"),),
        pages=(180, 320),
    ),
    Section(
        "I227", "fiction", 0.8, ("I227", "I226"),
        ("{noun}诗集", "{noun}集", "{place}诗抄", "给{noun}的诗", "{adj}{noun}：诗选"),
        _FICTION_SLOTS, ("rmwx", "zuojia", "cjwy", "shiyue"),
        subjects=(("诗集", "", "中国", "当代"),),
        pages=(90, 220),
    ),
    Section(
        "I2-classical", "fiction", 1.2, ("I222", "I207.22", "I242.1"),
        ("{person}诗词选注", "{person}诗文选", "{dynasty_name}诗选", "{dynasty_name}散文选读", "古诗词{noun}"),
        {"person": ("苏轼", "李白", "杜甫", "李清照", "辛弃疾", "王维", "白居易", "陆游", "欧阳修"),
         "dynasty_name": ("唐", "宋", "元明", "先秦", "汉魏"), "noun": ("鉴赏辞典", "精选", "名篇", "三百首")},
        ("zhsj", "rmwx", "qilu", "shrm"),
        subjects=(("古典诗歌", "诗集", "中国"),),
        roles=(("选注", 3.0), ("编注", 2.0), ("评注", 1.0)),
    ),
    Section(
        "I-foreign", "fiction", 4.0, ("I712.45",),
        _FICTION_TEMPLATES, _FICTION_SLOTS,
        ("shyw", "yilin", "nanhai", "rmwx", "cjwy", "zhongxin"),
        subjects=(("长篇小说", "", "{country}", "现代"),),
        foreign=True,
        summaries=("这是一部畅销全球的小说，讲述了关于{noun}与成长的动人故事。",),
    ),
    Section(
        "I287", "children", 6.0, ("I287.5", "I287.7", "I287.45"),
        ("{animal}的{thing}", "{child}上学记", "{child}的{thing}", "{animal}{adventure}",
         "{thing}王国", "会{ability}的{animal}", "{animal}和{animal2}", "{animal}找{thing}",
         "{child}{adventure}", "{thing}里的{animal}"),
        {"animal": _ANIMALS, "animal2": _ANIMALS, "child": _CHILD_NAMES, "thing": _CHILD_THINGS,
         "adventure": _ADVENTURES, "ability": _ABILITIES},
        ("mingtian", "jieli", "21sj", "zhongshao", "zheshao", "xinlei", "shaoer", "sdjy"),
        subjects=(("儿童小说", "长篇小说", "中国", "当代"), ("童话", "", "中国", "当代")),
        audience="child", pages=(60, 200), price=0.7,
        series=("{child}成长系列", "中国原创儿童文学精品", "冰心奖获奖作家书系"),
        summaries=("{child}和{animal}一起经历了一段奇妙的旅程，故事充满想象力，适合小学生阅读。",),
    ),
    Section(
        "I287.8", "children", 2.5, ("I287.8",),
        ("{animal}的{thing}", "我爱{thing}", "{animal}睡不着", "{animal}去上学", "你好，{animal}"),
        {"animal": _ANIMALS, "thing": _CHILD_THINGS},
        ("mingtian", "jieli", "21sj", "zhongshao", "xinlei"),
        subjects=(("图画故事", "", "中国", "当代"),),
        audience="child", pages=(24, 40), price=0.8,
        series=("启发精选绘本", "幼儿情绪管理绘本"),
    ),
    # K 历史地理 ----------------------------------------------------------------
    Section(
        "K2", "history", 3.0, ("K20",),
        ("{dynasty}史", "{dynasty}{topic}", "中国{topic2}史话", "话说{dynasty}", "{dynasty}那些事儿",
         "{dynasty}社会生活史", "{dynasty}的{topic3}"),
        {"dynasty": _DYNASTIES, "topic": ("风云", "人物", "兴衰", "往事", "三百年", "一百年"),
         "topic2": ("科技", "服饰", "饮食", "建筑", "交通", "书院", "科举"),
         "topic3": ("官场", "战争", "文人", "商人", "城市")},
        ("zhsj", "renmin", "sanlian", "shrm", "sdrm", "qilu", "beida"),
        subjects=(("中国历史", "通俗读物"),),
    ),
    Section(
        "K82", "history", 2.0, ("K825", "K827", "K826"),
        ("{person}传", "{person}评传", "{person}的一生", "{person}：{epithet}", "我的{relation}"),
        {"person": _HISTORICAL_PEOPLE, "relation": ("父亲", "母亲", "祖父", "老师"),
         "epithet": ("一个时代的背影", "千古风流人物", "家国情怀", "人生与智慧")},
        ("renmin", "zhsj", "sanlian", "zuojia", "cjwy", "sdrm"),
        subjects=(("{person}", "传记"),),
    ),
    Section(
        "K92", "travel", 1.5, ("K928.9", "K92"),
        ("{province}旅游", "{province}自助游", "走遍{province}", "{province}古镇游", "中国{x}地图册"),
        {"province": _PROVINCES, "x": ("交通", "分省", "旅游", "地形")},
        ("sdrm", "qingdao", "shrm", "sanlian", "renmin"),
        subjects=(("旅游指南", "", "{province}"),),
        pages=(120, 300), price=1.2,
    ),
    # B 哲学 -------------------------------------------------------------------
    Section(
        "B2", "philosophy", 1.5, ("B222.2",),
        ("{book}{x}", "{book}{x}", "读{book}"),
        {"book": ("论语|B222.2", "孟子|B222.5", "老子|B223.1", "庄子|B223.5", "荀子|B222.6",
                  "韩非子|B226.5", "墨子|B224", "周易|B221", "传习录|B248.2"),
         "x": ("译注", "今注今译", "通解", "精读", "别裁", "心得", "导读")},
        ("zhsj", "qilu", "shrm", "beida", "sdrm", "renda"),
        subjects=(("{book}", "研究"),), roles=(("译注", 2.0), ("著", 2.0), ("解读", 1.0)),
    ),
    Section(
        "B84", "psychology", 2.0, ("B84", "B842", "B844"),
        ("{x}心理学", "心理{y}", "{emotion}的力量", "与{emotion}和解", "{x}心理学入门"),
        {"x": ("社会", "儿童", "积极", "发展", "教育", "认知", "情绪"),
         "y": ("调适", "健康", "自助手册", "韧性", "急救"),
         "emotion": ("焦虑", "情绪", "习惯", "专注", "自律", "内向", "坚持", "孤独")},
        ("zhongxin", "renda", "beida", "jixie", "renmin", "qinghua"),
        subjects=(("心理学", "通俗读物"),), foreign=False, price=1.2,
    ),
    Section(
        "B82", "philosophy", 1.0, ("B821", "B825"),
        ("{virtue}的智慧", "做{adj}的自己", "人生{x}", "{virtue}与人生"),
        {"virtue": ("宽容", "感恩", "诚信", "忍耐", "孝道", "节俭", "勤奋"),
         "adj": ("更好", "快乐", "从容", "有温度"), "x": ("十讲", "感悟", "笔记", "智慧")},
        ("zhongqing", "zhongxin", "renmin", "sdrm"),
        subjects=(("人生哲学", "通俗读物"),),
    ),
    # C 社会 / D 政治法律 -----------------------------------------------------------
    Section(
        "D92", "law", 2.5, ("D923", "D922.2", "D920.5"),
        ("{law}释义", "{law}问答", "{law}案例解读", "农民{x}法律知识", "{law}条文解读与案例", "图解{law}"),
        {"law": _LAWS, "x": ("维权", "必备", "实用", "常用")},
        ("renmin", "renda", "beida", "sdrm", "jindun"),
        subjects=(("法律", "基本知识", "中国"),), roles=(("编", 2.0), ("主编", 2.0), ("ORG", 1.0)),
        orgs=("本书编写组", "全国人大常委会法制工作委员会民法室", "山东省司法厅普法办公室"),
        pages=(120, 400),
    ),
    Section(
        "D6", "law", 1.2, ("D61", "D63", "D422.6"),
        ("乡村治理{x}", "基层党建{x}", "{x}学习读本", "新时代{y}"),
        {"x": ("案例选编", "实务", "干部读本", "100问", "工作手册"),
         "y": ("村干部工作指南", "基层治理", "社区工作")},
        ("renmin", "sdrm", "renda", "zhongqing"),
        subjects=(("农村", "基层组织", "中国"),), roles=(("编", 1.0), ("ORG", 2.0)),
        orgs=("本书编写组", "中共山东省委党校", "山东省民政厅"),
        years=(2005, 2020),
    ),
    # F 经济 ---------------------------------------------------------------------
    Section(
        "F32", "rural", 2.0, ("F320.3", "F323", "F324"),
        ("乡村振兴{x}", "农村{topic}", "家庭农场{y}", "农民专业合作社{y}", "{topic}100问", "农村电商{y}"),
        {"x": ("战略解读", "实践案例", "干部读本", "知识问答"),
         "topic": ("土地流转", "金融", "创业", "电子商务", "集体经济", "产业融合"),
         "y": ("经营管理", "实用指南", "操作手册", "创办与管理")},
        ("nongye", "renmin", "nongke", "jindun", "sdrm"),
        subjects=(("农业经济", "研究", "中国"),), roles=(("主编", 2.0), ("编著", 2.0)),
        pages=(120, 260), years=(2008, 2020),
    ),
    Section(
        "F2", "economy", 3.0, ("F272", "F713.5", "F830.59", "F27"),
        ("{x}管理", "{x}营销", "{x}理财", "一本书读懂{x}", "{x}实战", "{x}的逻辑"),
        {"x": ("企业", "团队", "家庭", "股票", "基金", "品牌", "网络", "财务", "人力资源", "小微企业", "连锁经营")},
        ("zhongxin", "jixie", "renda", "beida", "qinghua", "dianzi"),
        subjects=(("企业管理", "通俗读物"), ("家庭管理", "财务管理")),
        roles=(("著", 3.0), ("编著", 1.0)), price=1.3,
    ),
    # G 文化教育 ----------------------------------------------------------------
    Section(
        "G63", "teen", 3.5, ("G634", "G633", "G624"),
        ("{grade}{subject}同步练习", "{subject}阅读训练", "中考{subject}总复习", "高考{subject}真题详解",
         "{grade}{subject}课课练", "{subject}知识清单", "{subject}满分作文" ),
        {"grade": _GRADES, "subject": _SUBJECTS_SCHOOL},
        ("renjiao", "sdjy", "gaojiao", "beida", "qingdao"),
        subjects=(("{subject}课", "中小学", "教学参考资料"),),
        roles=(("主编", 3.0), ("编", 1.0)), audience="teen", pages=(120, 260), price=0.9,
        years=(1995, 2020),
    ),
    Section(
        "G61", "family", 2.0, ("G78", "G61"),
        ("{adj}父母{verb}", "如何培养孩子的{quality}", "好{parent}胜过好老师", "{age}孩子{x}", "陪孩子{verb2}"),
        {"adj": ("智慧", "温和", "正面管教的", "不吼不叫的"), "verb": ("这样做", "课堂", "必修课", "指南"),
         "quality": ("专注力", "自信心", "阅读习惯", "好习惯", "情商", "学习力"),
         "parent": ("妈妈", "爸爸"), "age": ("0-3岁", "3-6岁", "小学阶段", "青春期"),
         "x": ("养育指南", "家庭教育", "成长手册"), "verb2": ("读书", "长大", "走过青春期")},
        ("zhongqing", "zhongxin", "sdjy", "qingdao", "jieli"),
        subjects=(("家庭教育", "通俗读物"),),
    ),
    Section(
        "G8", "sport", 1.0, ("G84", "G85", "G88"),
        ("{sport}入门", "{sport}技巧图解", "{sport}基础教程", "跟我学{sport}"),
        {"sport": _SPORTS}, ("renmin", "huagong", "qingdao", "sdkj"),
        subjects=(("{sport}", "基本知识"),), roles=(("编著", 2.0), ("主编", 1.0)), pages=(90, 220),
    ),
    Section(
        "G12", "culture", 1.5, ("G122", "G127", "K892"),
        ("中国{x}文化", "{place}民俗", "中国传统{y}", "{y}里的中国"),
        {"x": ("茶", "酒", "节日", "饮食", "家风", "礼仪", "书院", "姓氏"),
         "place": ("齐鲁", "山东", "胶东", "江南", "北京", "潍坊"),
         "y": ("节日", "节气", "手工艺", "建筑", "民居")},
        ("zhsj", "sanlian", "sdrm", "qilu", "shrm", "renmin"),
        subjects=(("文化", "研究", "中国"), ("风俗习惯", "", "{place}")),
    ),
    # H 语言 -------------------------------------------------------------------
    Section(
        "H31", "language", 2.5, ("H319.4", "H31", "H313"),
        ("{level}英语{x}", "英语{skill}{y}", "{level}英语词汇{z}", "每天读点英文{w}"),
        {"level": ("小学", "初中", "高中", "大学", "职场", "实用", "零起点"),
         "x": ("语法", "阅读", "写作", "听力", "口语"), "skill": ("口语", "语法", "阅读", "写作"),
         "y": ("一本通", "大全", "速成", "进阶"), "z": ("手册", "速记", "21天"),
         "w": ("名篇", "短文", "美文")},
        ("waiyan", "gaojiao", "shyw", "cishu", "qinghua"),
        subjects=(("英语", "自学参考资料"),), roles=(("编著", 2.0), ("主编", 2.0)),
    ),
    Section(
        "H1", "language", 1.2, ("H12", "H136.3", "H193"),
        ("{x}成语故事", "汉字{y}", "常用{z}", "说文解字{w}"),
        {"x": ("中华", "少儿", "图说", "趣味"), "y": ("的故事", "演变", "书写规范", "文化"),
         "z": ("错别字辨析", "多音字", "歇后语", "谚语"), "w": ("入门", "精读", "通释")},
        ("swyg", "zhsj", "cishu", "renjiao", "sdjy"),
        subjects=(("汉语", "通俗读物"),),
    ),
    Section(
        "Z-ref", "reference", 0.8, ("H164", "H316", "Z227", "Z32"),
        ("{x}词典", "{y}大辞典", "中国{z}大全", "{x}大词典"),
        {"x": ("成语", "古汉语常用字", "现代汉语规范", "英汉双解", "同义词反义词", "歇后语"),
         "y": ("中国历史", "中国文学", "中医", "农业", "中国地名"),
         "z": ("名胜", "姓氏", "民俗", "菜谱")},
        ("swyg", "cishu", "baike", "zhsj"),
        subjects=(("{x}", "词典"),), roles=(("主编", 2.0), ("ORG", 1.0)),
        orgs=("本书编委会", "辞书编纂委员会"),
        pages=(600, 1800), price=2.8, reference=True,
    ),
    # J 艺术 -------------------------------------------------------------------
    Section(
        "J29", "art", 1.5, ("J292.1", "J292.3"),
        ("{calligrapher}{script}字帖", "{script}入门", "{calligrapher}书法精选", "硬笔{script}练习"),
        {"calligrapher": _CALLIGRAPHERS, "script": _SCRIPTS},
        ("renmei", "renmin", "sdrm", "qingdao"),
        subjects=(("汉字", "法书", "中国"),), roles=(("编", 2.0), ("书", 1.0)), pages=(48, 120),
    ),
    Section(
        "J6", "art", 1.2, ("J632", "J624", "J64"),
        ("{instrument}入门教程", "{instrument}基础教程", "{instrument}考级曲集", "跟我学{instrument}"),
        {"instrument": _INSTRUMENTS}, ("renyin", "renmin", "shrm"),
        subjects=(("{instrument}", "奏法"),), roles=(("编著", 2.0), ("编", 1.0)), pages=(80, 200),
    ),
    Section(
        "J2", "art", 1.0, ("J212", "J222", "J214"),
        ("{x}国画技法", "素描基础{y}", "儿童{z}", "{x}写意画法"),
        {"x": ("山水", "花鸟", "工笔", "人物"), "y": ("教程", "入门"), "z": ("简笔画", "水彩画", "创意美术")},
        ("renmei", "renmin", "qingdao", "sdkj"),
        subjects=(("中国画", "绘画技法"),), roles=(("编绘", 2.0), ("著", 1.0)), pages=(60, 160),
    ),
    # N O P Q 科学 ---------------------------------------------------------------
    Section(
        "Q-popsci", "popsci", 2.5, ("Q95-49", "Q94-49", "P1-49", "N49", "Q915.864"),
        ("{thing}的秘密", "恐龙{x}", "动物{y}", "植物{y}", "地球{z}", "我的第一本{w}", "{thing}百科"),
        {"thing": ("昆虫", "海洋", "星空", "宇宙", "人体", "鸟类", "森林", "天气", "恐龙"),
         "x": ("百科", "大揭秘", "王国", "图鉴", "时代"), "y": ("世界", "百科", "图鉴", "小百科"),
         "z": ("的故事", "探秘", "简史"), "w": ("科学书", "百科全书", "地理书")},
        ("kexue", "zhongshao", "21sj", "jieli", "shaoer", "mingtian", "huagong"),
        subjects=(("科学知识", "儿童读物"),), audience="child", pages=(48, 160), price=1.1,
        series=("十万个为什么", "少儿科普名人名著书系", "小牛顿科学馆"),
    ),
    Section(
        "O", "science", 1.5, ("O1-49", "O4-49", "O6-49", "P18"),
        ("趣味{x}", "{x}之美", "{x}简史", "从零开始学{x}", "给孩子讲{x}"),
        {"x": ("数学|O1-49", "物理|O4-49", "化学|O6-49", "天文|P1-49", "地理|K90-49", "量子力学|O413-49",
               "相对论|O412.1-49", "几何|O18-49")},
        ("kexue", "gaojiao", "renmin", "qinghua", "beida", "zhongxin"),
        subjects=(("{x}", "普及读物"),),
    ),
    # R 医药卫生 -----------------------------------------------------------------
    Section(
        "R5", "health", 2.5, ("R5",),
        ("{disease}防治{n}问", "{disease}患者{x}", "专家谈{disease}", "{disease}的中西医治疗", "{disease}饮食调养"),
        {"disease": _DISEASES, "n": ("100", "200", "300", "120", "260"), "x": ("必读", "生活指导", "家庭护理")},
        ("weisheng", "jindun", "sdkj", "huagong", "kexue"),
        subjects=(("{disease}", "防治"),), roles=(("主编", 3.0), ("编著", 2.0)),
        pages=(100, 260),
        summaries=("本书以问答形式介绍了{disease}的病因、症状、诊断、治疗和预防知识，通俗易懂，适合患者及家属阅读。",),
    ),
    Section(
        "R15", "health", 2.0, ("R151", "R161", "R212"),
        ("{group}营养{x}", "{group}养生{y}", "吃出健康：{group}{x}", "{herb}的妙用", "四季{y}"),
        {"group": _PEOPLE_GROUPS, "x": ("与膳食", "食谱", "指南", "宜忌"), "y": ("保健", "食疗", "手册"),
         "herb": _HERBS},
        ("weisheng", "jindun", "huagong", "sdkj", "qingdao"),
        subjects=(("营养卫生", "基本知识"), ("养生（中医）", "基本知识")),
        roles=(("主编", 2.0), ("编著", 2.0)), pages=(120, 280),
    ),
    Section(
        "R24", "health", 1.5, ("R24", "R245", "R28"),
        ("中医{x}", "经络穴位{y}", "{herb}入药{z}", "图解{x}"),
        {"x": ("养生", "推拿", "艾灸", "刮痧", "食疗", "拔罐"), "y": ("按摩", "速查", "图解"),
         "herb": _HERBS, "z": ("验方", "手册")},
        ("weisheng", "jindun", "sdkj", "huagong"),
        subjects=(("中医学", "基本知识"),), roles=(("主编", 3.0), ("编著", 1.0)),
    ),
    Section(
        "R17", "family", 1.0, ("R174", "R715.3"),
        ("{x}育儿{y}", "孕产期{z}", "新手妈妈{y}", "宝宝{w}"),
        {"x": ("科学", "轻松", "0-3岁"), "y": ("百科", "指南", "全书"), "z": ("保健", "营养", "40周"),
         "w": ("辅食", "护理", "疾病预防")},
        ("weisheng", "huagong", "zhongqing", "qingdao"),
        subjects=(("婴幼儿", "哺育"),), roles=(("主编", 2.0), ("编著", 1.0)),
    ),
    # S 农业 -------------------------------------------------------------------
    Section(
        "S5", "farming", 2.4, ("S5",),
        ("{crop}高产栽培技术", "{crop}优质高效栽培", "{crop}生产实用技术问答", "图说{crop}高效栽培",
         "{crop}新品种及配套栽培技术", "{crop}规模化种植技术"),
        {"crop": _CROPS},
        ("nongye", "jindun", "huagong", "sdkj", "nongke"),
        subjects=(("{crop}", "栽培技术"),), roles=(("主编", 3.0), ("编著", 3.0), ("ORG", 1.0)),
        orgs=("山东省农业科学院作物研究所", "潍坊市农业技术推广站", "中国农业科学院作物科学研究所"),
        pages=(80, 220), price=0.8,
        summaries=("本书介绍了{crop}的品种选择、整地播种、肥水管理、病虫害防治和收获贮藏等实用技术，内容通俗易懂，适合广大农民和基层农技人员阅读。",),
        series=("新农村建设丛书", "农民致富技术丛书", "现代农业实用技术丛书"),
    ),
    Section(
        "S6", "farming", 2.4, ("S6",),
        ("大棚{vegetable}种植技术", "{vegetable}栽培技术", "{fruit}优质丰产栽培", "{fruit}整形修剪图解",
         "{vegetable}设施栽培", "{fruit}病虫害防治"),
        {"vegetable": _VEGETABLES, "fruit": _FRUITS},
        ("nongye", "jindun", "huagong", "sdkj", "nongke", "linye"),
        subjects=(("{vegetable}", "蔬菜园艺"), ("{fruit}", "果树园艺")),
        roles=(("主编", 3.0), ("编著", 3.0)), pages=(80, 220), price=0.8,
        summaries=("本书系统介绍了设施栽培的茬口安排、育苗、定植和田间管理技术，配有大量图片，便于农民朋友学习掌握。",),
        series=("新农村建设丛书", "果蔬高效栽培丛书"),
    ),
    Section(
        "S8", "farming", 2.0, ("S8",),
        ("{animal}养殖技术", "{animal}科学饲养", "{animal}常见病防治", "{animal}规模化养殖场管理",
         "{animal}健康养殖技术问答", "{fish}养殖技术"),
        {"animal": _LIVESTOCK, "fish": _FISH},
        ("nongye", "jindun", "huagong", "sdkj", "nongke"),
        subjects=(("{animal}", "饲养管理"), ("{fish}", "淡水养殖")),
        roles=(("主编", 3.0), ("编著", 3.0)), pages=(80, 220), price=0.8,
        summaries=("本书介绍了{animal}的品种、饲料配制、饲养管理和疫病防治技术，适合养殖户和基层畜牧兽医人员阅读。",),
    ),
    Section(
        "S4", "farming", 1.0, ("S43",),
        ("{crop}病虫害防治图谱", "农药安全使用{x}", "{crop}病虫害识别与防治", "{machine}使用与维修"),
        {"crop": _CROPS, "x": ("技术", "知识问答", "手册"), "machine": _MACHINES},
        ("nongye", "jindun", "huagong", "sdkj"),
        subjects=(("{crop}", "病虫害防治"),), roles=(("主编", 2.0), ("编著", 2.0)), pages=(60, 180),
    ),
    # T 工业技术 -----------------------------------------------------------------
    Section(
        "TP3", "computing", 3.0, ("TP3",),
        ("{language}程序设计", "{language}编程从入门到精通", "{language}核心技术", "深入浅出{language}",
         "{language}项目实战", "零基础学{language}", "{language}数据分析"),
        {"language": _LANGUAGES},
        ("qinghua", "jixie", "youdian", "dianzi", "gaojiao", "kexue"),
        subjects=(("程序语言", "程序设计"),), roles=(("编著", 3.0), ("著", 2.0), ("主编", 1.0)),
        pages=(250, 620), price=1.7, years=(1995, 2020),
    ),
    Section(
        "TP18", "computing", 1.0, ("TP18", "TP181", "TP391"),
        ("人工智能{x}", "机器学习{y}", "深度学习{y}", "{z}从入门到实践"),
        {"x": ("导论", "基础", "简史", "通识"), "y": ("实战", "入门", "原理与实践"),
         "z": ("大数据", "数据挖掘", "计算机视觉", "自然语言处理")},
        ("qinghua", "jixie", "youdian", "dianzi", "kexue"),
        subjects=(("人工智能", "研究"),), roles=(("著", 2.0), ("编著", 2.0)),
        pages=(220, 520), price=1.8, years=(2005, 2020),
    ),
    Section(
        "TP317", "office", 1.5, ("TP317.1", "TP316.7", "TP3-49"),
        ("{app}办公应用从入门到精通", "{app}实用技巧", "电脑入门{x}", "老年人学{y}", "手机{y}使用指南"),
        {"app": ("Office", "Excel", "Word", "PowerPoint", "WPS Office"),
         "x": ("一本通", "与提高", "很简单"), "y": ("电脑", "上网", "五笔打字", "电脑绘图")},
        ("qinghua", "youdian", "dianzi", "jixie"),
        subjects=(("办公自动化", "应用软件"),), roles=(("编著", 3.0), ("主编", 1.0)),
        pages=(160, 420), price=1.3, years=(1998, 2020),
    ),
    Section(
        "TS97", "cooking", 1.5, ("TS972.1", "TS972.12", "TS972.13"),
        ("家常菜{n}例", "{region}菜谱", "{x}面点制作", "{group}营养餐", "一学就会的{y}"),
        {"n": ("888", "1000", "500", "365", "100"), "region": ("鲁菜", "川菜", "粤菜", "家常"),
         "x": ("中式", "北方", "花样"), "group": ("儿童", "老人", "孕妇"), "y": ("家常菜", "快手菜", "面食")},
        ("qingdao", "huagong", "jindun", "sdkj"),
        subjects=(("菜谱", "", "中国"),), roles=(("编著", 2.0), ("主编", 1.0)), pages=(120, 240), price=1.1,
    ),
    Section(
        "TS9", "craft", 0.6, ("TS935", "TS938", "J528"),
        ("{x}编织{y}", "剪纸{z}", "手工{z}"),
        {"x": ("棒针", "钩针", "草柳"), "y": ("基础", "花样大全"), "z": ("入门", "图案精选", "技法")},
        ("huagong", "jindun", "qingdao"),
        subjects=(("手工艺品", "制作"),), roles=(("编著", 2.0),), pages=(60, 160),
    ),
    Section(
        "U-TU", "technique", 1.0, ("U471", "U472", "TU241", "TM92"),
        ("汽车{x}", "{y}维修技术", "农村{z}", "家用电器{w}"),
        {"x": ("驾驶技巧", "维修入门", "构造与原理", "保养百问"), "y": ("汽车", "农机", "家电", "摩托车"),
         "z": ("住宅设计图集", "建房指南"), "w": ("维修", "选购与使用")},
        ("jixie", "huagong", "jindun", "dianzi"),
        subjects=(("汽车", "维修"),), roles=(("编著", 2.0), ("主编", 1.0)), price=1.3,
    ),
    Section(
        "E", "military", 0.8, ("E19", "E92", "E29"),
        ("{x}战争史", "兵器{y}", "{z}战役", "中国军事{w}"),
        {"x": ("第二次世界大战", "抗日", "解放", "朝鲜"), "y": ("百科", "大全", "图鉴"),
         "z": ("淮海", "辽沈", "平津", "孟良崮", "莱芜"), "w": ("百科", "简史")},
        ("renmin", "zhongqing", "shrm", "sdrm"),
        subjects=(("战争史", "", "中国"),),
    ),
    Section(
        "X", "environment", 0.6, ("X7", "X32", "X24"),
        ("垃圾分类{x}", "生态{y}", "绿色{z}", "节能减排{x}"),
        {"x": ("知识读本", "从我做起", "手册"), "y": ("文明", "农业", "乡村建设"), "z": ("生活", "家园", "发展")},
        ("huagong", "kexue", "renmin", "linye"),
        subjects=(("垃圾处理", "普及读物"),), roles=(("编", 2.0), ("编著", 1.0)), pages=(80, 200),
    ),
    Section(
        "Z", "general", 0.5, ("Z228", "Z22"),
        ("{x}百科全书", "中国少年儿童{y}", "{z}文库"),
        {"x": ("少儿", "学生", "家庭", "生活"), "y": ("百科全书", "知识全书"), "z": ("大众", "青少年")},
        ("baike", "zhongshao", "sdjy"),
        subjects=(("百科全书", "", "中国"),), roles=(("主编", 2.0), ("ORG", 1.0)),
        orgs=("本书编委会",), pages=(300, 800), price=1.8,
    ),
    # 诸城地方文献 ---------------------------------------------------------------
    Section(
        "local", "local", 0.4, ("K295.24",),
        ("{topic}", "{topic}研究", "{topic}文化丛书", "诸城文史资料（第{n}辑）", "诸城{topic2}",
         "{topic}史话"),
        {"topic": _LOCAL_TOPICS, "topic2": ("年鉴", "市志", "大事记", "地名志", "民间故事集", "非遗名录"),
         "n": tuple(str(n) for n in range(1, 40))},
        ("sdrm", "qilu", "qingdao", "sdjy"),
        subjects=(("地方史", "史料", "诸城"), ("文化史", "", "诸城")),
        roles=(("编", 2.0), ("主编", 2.0), ("ORG", 2.0)),
        orgs=("诸城市政协文史资料委员会", "中共诸城市委党史研究院", "诸城市地方史志编纂委员会", "诸城市文化和旅游局"),
        local=True, price=1.4,
        summaries=("本书收录了有关{topic}的史料、研究文章和图片，是了解诸城历史文化的重要地方文献。",),
        series=("诸城历史文化丛书", "诸城文史资料"),
    ),
)  # fmt: skip

# Countries of translated books: (prefix in 200$f, CLC class of its modern fiction, 102$a)
FOREIGN_COUNTRIES: tuple[tuple[str, str, str], ...] = (
    ("美", "I712.45", "美国"),
    ("英", "I561.45", "英国"),
    ("法", "I565.45", "法国"),
    ("日", "I313.45", "日本"),
    ("俄", "I512.45", "俄罗斯"),
    ("德", "I516.45", "德国"),
)


# ---------------------------------------------------------------------------
# English books (MARC21)


@dataclass(frozen=True)
class EnglishSection:
    key: str
    group: str
    weight: float
    clc: tuple[str, ...]
    templates: tuple[str, ...]
    slots: Mapping[str, tuple[str, ...]]
    publishers: tuple[str, ...]
    subject: str  # 650 $a
    fiction: bool = False
    audience: str = "adult"
    pages: tuple[int, int] = (180, 480)


_EN_ADJ = (
    "Silent",
    "Last",
    "Hidden",
    "Golden",
    "Broken",
    "Distant",
    "Quiet",
    "Secret",
    "Lost",
    "Winter",
    "Summer",
    "Burning",
)
_EN_NOUN = (
    "Harbour",
    "Garden",
    "River",
    "Orchard",
    "Station",
    "Lighthouse",
    "Letters",
    "Island",
    "Road",
    "Bridge",
    "House",
    "Valley",
    "Mountain",
    "Archive",
)

ENGLISH_SECTIONS: tuple[EnglishSection, ...] = (
    EnglishSection(
        "fiction", "english", 1.0, ("I712.45", "I561.45"),
        ("The {adj} {noun}", "{name}'s {noun}", "A {noun} in {place}", "The {noun} of {noun2}", "{adj} {noun}"),
        {"adj": _EN_ADJ, "noun": _EN_NOUN, "noun2": _EN_NOUN,
         "name": ("Clara", "Oliver", "Grace", "Henry", "Lucy", "Samuel", "Alice", "Thomas"),
         "place": ("Winter", "Paris", "Shanghai", "the North", "Maine", "Yorkshire")},
        ("penguin", "harper", "vintage", "bloomsbury", "littlebrown", "bantam"),
        "Families", fiction=True,
    ),
    EnglishSection(
        "nonfiction", "english", 0.5, ("C", "F0", "B84", "K1", "Q-49"),
        ("An Introduction to {topic}", "{topic}: A Very Short Introduction", "Understanding {topic}",
         "The Cambridge Companion to {topic}", "Principles of {topic}"),
        {"topic": ("Economics", "Psychology", "Linguistics", "World History", "Evolution", "Ecology",
                   "Philosophy", "Sociology", "Climate Change", "Chinese Art")},
        ("oup", "cup", "princeton", "wiley", "mit"),
        "{topic}",
    ),
    EnglishSection(
        "computing", "english", 0.3, ("TP311.561", "TP312.8", "TP18"),
        ("Learning {lang}", "{lang} Cookbook", "Programming {lang}", "Effective {lang}", "{lang} in Practice"),
        {"lang": ("Python", "Java", "Go", "Rust", "JavaScript", "SQL", "C++")},
        ("oreilly", "aw", "wiley", "mit"),
        "{lang} (Computer program language)",
    ),
    EnglishSection(
        "readers", "english", 0.6, ("H319.4",),
        ("Oxford Bookworms Library: The {adj} {noun}", "Graded Reader: {name} and the {noun}",
         "English Reading for {level} Learners", "{level} English Vocabulary in Use"),
        {"adj": _EN_ADJ, "noun": _EN_NOUN, "name": ("Tom", "Anna", "Jack", "Mei", "Sam"),
         "level": ("Elementary", "Intermediate", "Advanced", "Young")},
        ("oup", "cup", "scholastic"),
        "English language",
        audience="teen", pages=(64, 160),
    ),
)  # fmt: skip


# ---------------------------------------------------------------------------
# Classics: real books every county library holds, with many copies.


@dataclass(frozen=True)
class Classic:
    title: str
    responsibility: tuple[
        tuple[str, str], ...
    ]  # (name, role); a [国籍] prefix marks a foreign author
    publisher: str
    clc: str
    year: int
    group: str
    popularity: float
    isbn: str | None = None  # the real ISBN where known; otherwise one is generated
    audience: str = "adult"
    other_title: str | None = None
    edition: str | None = None
    pages: int = 360
    price_fen: int | None = None
    english: bool = False
    reference: bool = False
    local: bool = False
    subject: tuple[str, ...] = ()


CLASSICS: tuple[Classic, ...] = (
    Classic("红楼梦", (("曹雪芹", "著"), ("高鹗", "续")), "rmwx", "I242.47", 2008, "fiction", 40, "9787020002207", pages=1606, price_fen=5970, subject=("章回小说", "", "中国", "清代")),
    Classic("三国演义", (("罗贯中", "著"),), "rmwx", "I242.43", 1998, "fiction", 35, pages=1000, price_fen=3980, subject=("章回小说", "", "中国", "明代")),
    Classic("水浒传", (("施耐庵", "著"), ("罗贯中", "著")), "rmwx", "I242.43", 1997, "fiction", 32, pages=1300, price_fen=4750, subject=("章回小说", "", "中国", "明代")),
    Classic("西游记", (("吴承恩", "著"),), "rmwx", "I242.43", 2010, "fiction", 38, pages=1230, price_fen=4600, subject=("章回小说", "", "中国", "明代")),
    Classic("平凡的世界", (("路遥", "著"),), "shiyue", "I247.57", 2012, "fiction", 50, "9787530212004", pages=1256, price_fen=10800, subject=("长篇小说", "", "中国", "当代")),
    Classic("活着", (("余华", "著"),), "zuojia", "I247.57", 2012, "fiction", 50, "9787506365437", pages=191, price_fen=2000, subject=("长篇小说", "", "中国", "当代")),
    Classic("许三观卖血记", (("余华", "著"),), "zuojia", "I247.57", 2012, "fiction", 20, pages=252, price_fen=2500),
    Classic("人生", (("路遥", "著"),), "shiyue", "I246.57", 2012, "fiction", 22, pages=220, price_fen=2600),
    Classic("围城", (("钱锺书", "著"),), "rmwx", "I246.57", 1991, "fiction", 28, pages=359, price_fen=1900),
    Classic("骆驼祥子", (("老舍", "著"),), "rmwx", "I246.57", 2000, "fiction", 30, pages=230, price_fen=1500),
    Classic("四世同堂", (("老舍", "著"),), "rmwx", "I246.57", 2012, "fiction", 15, pages=1050, price_fen=6800),
    Classic("茶馆", (("老舍", "著"),), "rmwx", "I234", 2008, "fiction", 12, pages=120, price_fen=1200),
    Classic("雷雨", (("曹禺", "著"),), "rmwx", "I234", 2008, "fiction", 12, pages=160, price_fen=1500),
    Classic("边城", (("沈从文", "著"),), "shiyue", "I246.5", 2008, "fiction", 22, pages=180, price_fen=1800),
    Classic("白鹿原", (("陈忠实", "著"),), "rmwx", "I247.5", 2012, "fiction", 30, pages=680, price_fen=3900),
    Classic("红高粱家族", (("莫言", "著"),), "zuojia", "I247.5", 2012, "fiction", 25, pages=480, price_fen=3900),
    Classic("蛙", (("莫言", "著"),), "zuojia", "I247.5", 2012, "fiction", 18, pages=340, price_fen=3200),
    Classic("秦腔", (("贾平凹", "著"),), "zuojia", "I247.5", 2005, "fiction", 12, pages=566, price_fen=3900),
    Classic("尘埃落定", (("阿来", "著"),), "rmwx", "I247.5", 1998, "fiction", 15, pages=420, price_fen=2800),
    Classic("额尔古纳河右岸", (("迟子建", "著"),), "shiyue", "I247.5", 2005, "fiction", 14, pages=260, price_fen=2300),
    Classic("狼图腾", (("姜戎", "著"),), "cjwy", "I247.5", 2004, "fiction", 18, pages=408, price_fen=3280),
    Classic("穆斯林的葬礼", (("霍达", "著"),), "shiyue", "I247.5", 2012, "fiction", 16, pages=600, price_fen=3980),
    Classic("红岩", (("罗广斌", "著"), ("杨益言", "著")), "zhongqing", "I247.5", 2000, "fiction", 20, pages=620, price_fen=2800),
    Classic("三体", (("刘慈欣", "著"),), "cqcbs", "I247.55", 2008, "fiction", 40, "9787536692930", pages=302, price_fen=2300),
    Classic("呐喊", (("鲁迅", "著"),), "rmwx", "I210.6", 2005, "fiction", 25, pages=160, price_fen=1200),
    Classic("朝花夕拾", (("鲁迅", "著"),), "rmwx", "I210.4", 2006, "fiction", 30, pages=120, price_fen=1000),
    Classic("家", (("巴金", "著"),), "rmwx", "I246.57", 2013, "fiction", 18, pages=400, price_fen=2500),
    Classic("城南旧事", (("林海音", "著"),), "zhongqing", "I247.81", 2010, "children", 30, pages=200, price_fen=2000, audience="child"),
    Classic("文化苦旅", (("余秋雨", "著"),), "cjwy", "I267", 2014, "fiction", 22, pages=340, price_fen=3600),
    Classic("目送", (("龙应台", "著"),), "sanlian", "I267", 2009, "fiction", 20, pages=260, price_fen=3600),
    Classic("我们仨", (("杨绛", "著"),), "sanlian", "I267", 2003, "fiction", 22, pages=200, price_fen=1880),
    Classic("撒哈拉的故事", (("三毛", "著"),), "shiyue", "I267", 2011, "fiction", 20, pages=280, price_fen=2800),
    Classic("臧克家诗选", (("臧克家", "著"),), "rmwx", "I226", 1990, "local", 10, pages=320, price_fen=560, local=True),
    Classic("苏轼词编年校注", (("邹同庆", "著"), ("王宗堂", "著")), "zhsj", "I222.844", 2002, "local", 8, pages=1200, price_fen=9800, local=True),
    Classic("论语译注", (("杨伯峻", "译注"),), "zhsj", "B222.22", 2006, "philosophy", 25, pages=260, price_fen=1800),
    Classic("史记", (("(汉)司马迁", "撰"),), "zhsj", "K204.2", 1982, "history", 15, "9787101003048", pages=3322, price_fen=12500),
    Classic("唐诗三百首", (("(清)蘅塘退士", "编"),), "zhsj", "I222.742", 2009, "fiction", 30, pages=380, price_fen=2600),
    Classic("宋词三百首", (("上彊村民", "编"),), "zhsj", "I222.844", 2009, "fiction", 22, pages=360, price_fen=2600),
    Classic("万历十五年", (("黄仁宇", "著"),), "sanlian", "K248.3", 1997, "history", 20, pages=310, price_fen=1800),
    Classic("乡土中国", (("费孝通", "著"),), "beida", "C912.82", 2012, "culture", 18, pages=160, price_fen=1800),
    Classic("人类简史：从动物到上帝", (("[以色列]尤瓦尔·赫拉利", "著"), ("林俊宏", "译")), "zhongxin", "K02-49", 2014, "history", 25, "9787508647357", pages=440, price_fen=6800),
    Classic("百年孤独", (("[哥伦比亚]加西亚·马尔克斯", "著"), ("范晔", "译")), "nanhai", "I775.45", 2011, "fiction", 30, "9787544253994", pages=360, price_fen=3950),
    Classic("解忧杂货店", (("[日]东野圭吾", "著"), ("李盈春", "译")), "nanhai", "I313.45", 2014, "fiction", 30, "9787544270878", pages=291, price_fen=3950),
    Classic("追风筝的人", (("[美]卡勒德·胡赛尼", "著"), ("李继宏", "译")), "shrm", "I712.45", 2006, "fiction", 25, "9787208061644", pages=362, price_fen=2900),
    Classic("窗边的小豆豆", (("[日]黑柳彻子", "著"), ("赵玉皎", "译")), "nanhai", "I313.88", 2003, "children", 30, pages=272, price_fen=2000, audience="child"),
    Classic("老人与海", (("[美]海明威", "著"), ("吴劳", "译")), "shyw", "I712.45", 2006, "fiction", 25, pages=140, price_fen=1600),
    Classic("简·爱", (("[英]夏洛蒂·勃朗特", "著"), ("祝庆英", "译")), "shyw", "I561.44", 2006, "fiction", 25, pages=560, price_fen=2800),
    Classic("傲慢与偏见", (("[英]简·奥斯汀", "著"), ("王科一", "译")), "shyw", "I561.44", 2006, "fiction", 22, pages=380, price_fen=2200),
    Classic("钢铁是怎样炼成的", (("[苏]尼·奥斯特洛夫斯基", "著"), ("梅益", "译")), "rmwx", "I512.45", 2005, "fiction", 25, pages=460, price_fen=2300),
    Classic("小王子", (("[法]圣埃克苏佩里", "著"), ("马振骋", "译")), "rmwx", "I565.88", 2003, "children", 35, pages=100, price_fen=1000, audience="child"),
    Classic("夏洛的网", (("[美]E.B.怀特", "著"), ("任溶溶", "译")), "shyw", "I712.85", 2004, "children", 30, pages=190, price_fen=1800, audience="child"),
    Classic("安徒生童话", (("[丹麦]安徒生", "著"), ("叶君健", "译")), "rmwx", "I534.88", 2006, "children", 35, pages=320, price_fen=2500, audience="child"),
    Classic("笑猫日记：保姆狗的阴谋", (("杨红樱", "著"),), "mingtian", "I287.45", 2006, "children", 35, pages=190, price_fen=1500, audience="child"),
    Classic("淘气包马小跳：贪玩老爸", (("杨红樱", "著"),), "jieli", "I287.45", 2003, "children", 30, pages=180, price_fen=1500, audience="child"),
    Classic("皮皮鲁传", (("郑渊洁", "著"),), "21sj", "I287.45", 2009, "children", 25, pages=220, price_fen=1800, audience="child"),
    Classic("草房子", (("曹文轩", "著"),), "rmwx", "I287.45", 2010, "children", 35, pages=300, price_fen=2500, audience="child"),
    Classic("青铜葵花", (("曹文轩", "著"),), "rmwx", "I287.45", 2010, "children", 25, pages=260, price_fen=2200, audience="child"),
    Classic("十万个为什么", (("韩启德", "总主编"),), "shaoer", "Z228.1", 2013, "popsci", 30, audience="child", edition="第六版", pages=3600, price_fen=68000),
    Classic("现代汉语词典", (("中国社会科学院语言研究所词典编辑室", "编"),), "swyg", "H164", 2016, "reference", 12, "9787100124508", edition="第7版", pages=1800, price_fen=10990, reference=True),
    Classic("新华字典", (("中国社会科学院语言研究所", "修订"),), "swyg", "H163", 2011, "reference", 15, "9787100077040", edition="第11版", pages=740, price_fen=2490, reference=True),
    Classic("新型冠状病毒感染的肺炎公众防护指南", (("中国疾病预防控制中心", "编"),), "weisheng", "R563.101", 2020, "health", 30, pages=60, price_fen=1000),
    Classic("中华人民共和国民法典", (("全国人民代表大会", "通过"),), "renmin", "D923", 2020, "law", 35, pages=280, price_fen=1300),
    Classic("乡村振兴战略规划（2018－2022年）", (("中共中央", "编"), ("国务院", "编")), "renmin", "F320.3", 2018, "rural", 20, pages=110, price_fen=1000),
    Classic("诸城市志", (("诸城市地方史志编纂委员会", "编"),), "qilu", "K295.24", 1992, "local", 8, pages=1100, price_fen=8000, local=True),
    # English (MARC21)
    Classic("Pride and prejudice", (("Austen, Jane", "author"),), "penguin", "I561.44", 2003, "english", 6, "9780141439518", pages=435, price_fen=6800, english=True),
    Classic("Jane Eyre", (("Brontë, Charlotte", "author"),), "penguin", "I561.44", 2006, "english", 5, "9780141441146", pages=532, price_fen=6800, english=True),
    Classic("To kill a mockingbird", (("Lee, Harper", "author"),), "harper", "I712.45", 2006, "english", 5, "9780061120084", pages=323, price_fen=9800, english=True),
    Classic("Sapiens : a brief history of humankind", (("Harari, Yuval Noah", "author"),), "harper", "K02-49", 2015, "english", 4, "9780062316097", pages=443, price_fen=12800, english=True),
    Classic("Introduction to algorithms", (("Cormen, Thomas H.", "author"),), "mit", "TP301.6", 2009, "english", 3, "9780262033848", edition="Third edition", pages=1292, price_fen=78000, english=True),
    Classic("English grammar in use", (("Murphy, Raymond", "author"),), "cup", "H314", 2012, "english", 6, "9780521189064", edition="Fourth edition", pages=380, price_fen=16800, english=True, audience="teen"),
)  # fmt: skip
