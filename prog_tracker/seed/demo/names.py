"""The demo catalogue's and partners' names in other languages (drafted translations).

Each record keeps its English default; readers of these languages see these names.
"""

TRADE_NAMES = {
    "Furniture-making": {
        "kk": "Жиһаз жасау",
        "ru": "Изготовление мебели",
        "fr": "Menuiserie d'ameublement",
        "ar": "صناعة الأثاث",
        "sw": "Utengenezaji wa samani",
    },
    "Tailoring": {
        "kk": "Тігін ісі",
        "ru": "Швейное дело",
        "fr": "Couture",
        "ar": "الخياطة",
        "sw": "Ushonaji",
    },
    "Welding": {
        "kk": "Дәнекерлеу",
        "ru": "Сварка",
        "fr": "Soudage",
        "ar": "اللحام",
        "sw": "Uchomeleaji",
    },
}

QUALIFICATION_TITLES = {
    "Bench joiner": {
        "kk": "Ағаш шебері (столяр)",
        "ru": "Столяр",
        "fr": "Menuisier d'établi",
        "ar": "نجّار",
        "sw": "Seremala wa benchi",
    },
    "Garment maker": {
        "kk": "Тігінші",
        "ru": "Швея",
        "fr": "Couturier",
        "ar": "خيّاط ملابس",
        "sw": "Mshonaji wa nguo",
    },
    "Arc welder": {
        "kk": "Электр доғалы дәнекерлеуші",
        "ru": "Электросварщик",
        "fr": "Soudeur à l'arc",
        "ar": "لحّام بالقوس الكهربائي",
        "sw": "Mchomeleaji wa tao la umeme",
    },
}

# Skill code -> its title per language.
SKILL_TITLES = {
    "FUR-01": {
        "kk": "Кесу тізімін оқып, дәл өлшейді",
        "ru": "Читает карту раскроя и точно измеряет",
        "fr": "Lit une fiche de débit et mesure avec précision",
        "ar": "يقرأ قائمة القطع ويقيس بدقة",
        "sw": "Husoma orodha ya ukataji na kupima kwa usahihi",
    },
    "FUR-02": {
        "kk": "Ағашты өлшемге келтіріп кеседі және сүргілейді",
        "ru": "Распиливает и строгает древесину в размер",
        "fr": "Scie et rabote le bois à la cote",
        "ar": "يقطع الخشب ويسوّيه بالمقاس",
        "sw": "Hukata na kurandaa mbao kwa kipimo",
    },
    "FUR-03": {
        "kk": "Ұя мен тікен қосылыстарын жасайды",
        "ru": "Выполняет шиповые соединения",
        "fr": "Réalise des assemblages à tenon et mortaise",
        "ar": "يصنع وصلات النقر واللسان",
        "sw": "Hutengeneza viungo vya ndimi na tundu",
    },
    "FUR-04": {
        "kk": "Бұйымды әрлеп, лакпен жабады",
        "ru": "Отделывает и лакирует изделие",
        "fr": "Ponce et vernit une pièce",
        "ar": "يشطّب القطعة ويطليها بالورنيش",
        "sw": "Humalizia na kupaka vanishi kipande",
    },
    "TAI-01": {
        "kk": "Дене өлшемдерін алады",
        "ru": "Снимает мерки",
        "fr": "Prend les mesures du corps",
        "ar": "يأخذ قياسات الجسم",
        "sw": "Huchukua vipimo vya mwili",
    },
    "TAI-02": {
        "kk": "Матаны үлгі бойынша пішеді",
        "ru": "Кроит ткань по выкройке",
        "fr": "Coupe le tissu d'après un patron",
        "ar": "يقص القماش وفق النموذج",
        "sw": "Hukata kitambaa kwa kufuata kielelezo",
    },
    "TAI-03": {
        "kk": "Түзу және қисық тігістер тігеді",
        "ru": "Шьёт прямые и фигурные швы",
        "fr": "Coud des coutures droites et courbes",
        "ar": "يخيط دروزًا مستقيمة ومنحنية",
        "sw": "Hushona mishono iliyonyooka na iliyopinda",
    },
    "WEL-01": {
        "kk": "Дәнекерлеу жабдығымен қауіпсіз жұмыс істейді",
        "ru": "Безопасно работает со сварочным оборудованием",
        "fr": "Travaille en sécurité avec le matériel de soudage",
        "ar": "يعمل بأمان بمعدات اللحام",
        "sw": "Hufanya kazi kwa usalama na vifaa vya uchomeleaji",
    },
    "WEL-02": {
        "kk": "Төменгі күйде түйіспелі жік пісіреді",
        "ru": "Выполняет стыковой шов в нижнем положении",
        "fr": "Réalise une soudure bout à bout à plat",
        "ar": "ينفّذ لحامًا تناكبيًا في الوضع المسطّح",
        "sw": "Huchomelea kiungo cha ncha kwa ncha katika mkao bapa",
    },
    "WEL-03": {
        "kk": "Бұрыштық жік пісіреді",
        "ru": "Выполняет угловой шов",
        "fr": "Réalise une soudure d'angle",
        "ar": "ينفّذ لحامًا زاويًا",
        "sw": "Huchomelea kiungo cha pembe",
    },
}

# A cohort's title per language: the trade's name there and the intake year.
COHORT_TITLE_PATTERNS = {
    "kk": "{trade}, {year} жылғы топ",
    "ru": "{trade}, набор {year} года",
    "fr": "{trade}, promotion {year}",
    "ar": "{trade}، دفعة {year}",
    "sw": "{trade}, kundi la {year}",
}

# Organisation name -> its name per language (where the partner uses one).
ORGANISATION_NAMES = {
    "Qadam Reintegration Foundation": {
        "kk": "«Қадам» реинтеграция қоры",
        "ru": "Фонд реинтеграции «Кадам»",
    },
    "Association Nouveau Départ": {"ar": "جمعية انطلاقة جديدة"},
    "Second Chance Uganda": {"sw": "Nafasi ya Pili Uganda"},
    "Jinja Furniture Cooperative": {"sw": "Chama cha Ushirika cha Samani cha Jinja"},
}


def cohort_titles(trade_names: dict, year: int) -> dict:
    """A demo cohort's title in every language its trade has a name in."""
    return {
        code: pattern.format(trade=trade_names[code], year=year)
        for code, pattern in COHORT_TITLE_PATTERNS.items()
        if code in trade_names
    }
