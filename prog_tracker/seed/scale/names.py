"""Names, places and phrases for synthetic data: as people write them in KZ, TN and UG."""

# Share of the participants held in each country.
COUNTRY_SHARE = {"KZ": 0.4, "TN": 0.3, "UG": 0.3}

# (key, name, public_name, timezone, city) — up to four facilities per country.
FACILITIES = {
    "KZ": [
        ("kz1", "Penal Colony EC-166/12", "Karaganda Skills Centre", "Asia/Almaty", "Karaganda"),
        (
            "kz2",
            "Penal Colony AK-159/4",
            "Almaty Region Training Centre",
            "Asia/Almaty",
            "Zarechny",
        ),
        (
            "kz3",
            "Penal Colony ZhD-158/1",
            "Kyzylorda Vocational Centre",
            "Asia/Qyzylorda",
            "Kyzylorda",
        ),
        ("kz4", "Penal Colony LA-155/8", "Aktobe Workshop Centre", "Asia/Aqtobe", "Aktobe"),
    ],
    "TN": [
        (
            "tn1",
            "Prison civile de Mornaguia",
            "Centre de formation de Mornaguia",
            "Africa/Tunis",
            "Mornaguia",
        ),
        (
            "tn2",
            "Prison civile de Sfax",
            "Centre de formation professionnelle de Sfax",
            "Africa/Tunis",
            "Sfax",
        ),
        ("tn3", "Prison de Mahdia", "Atelier-école de Mahdia", "Africa/Tunis", "Mahdia"),
        (
            "tn4",
            "Prison de Borj Erroumi",
            "Centre des métiers de Bizerte",
            "Africa/Tunis",
            "Bizerte",
        ),
    ],
    "UG": [
        ("ug1", "Luzira Upper Prison", "Port Bell Skills Institute", "Africa/Kampala", "Kampala"),
        ("ug2", "Kitalya Mini-Max Prison", "Wakiso Vocational Centre", "Africa/Kampala", "Wakiso"),
        ("ug3", "Gulu Main Prison", "Gulu Technical Training Centre", "Africa/Kampala", "Gulu"),
        ("ug4", "Mbarara Main Prison", "Ankole Skills Centre", "Africa/Kampala", "Mbarara"),
    ],
}

# (key, name, kind, email domain, phone prefix)
ORGANISATIONS = {
    "KZ": [
        ("kz-ngo1", "Qadam Reintegration Foundation", "ngo", "qadam", "+7 701"),
        ("kz-ngo2", "Zhana Omir Public Association", "ngo", "zhanaomir", "+7 702"),
        ("kz-ngo3", "Sana Sezim Women's Centre", "ngo", "sanasezim", "+7 705"),
        ("kz-emp", "Karaganda Metalworks LLP", "employer", "kmetalworks", "+7 721"),
        ("kz-tp", "Kasipkor Training Holding", "training_provider", "kasipkor", "+7 717"),
        ("kz-gov", "Regional Probation Service", "government", "probation-kz", "+7 727"),
    ],
    "TN": [
        ("tn-ngo1", "Association Nouveau Départ", "ngo", "nouveaudepart", "+216 71"),
        ("tn-ngo2", "Association Tunisienne de Réinsertion", "ngo", "atr", "+216 74"),
        ("tn-ngo3", "Jeunesse Sans Frontières Sfax", "ngo", "jsf-sfax", "+216 73"),
        ("tn-emp", "Menuiserie Coopérative du Sahel", "employer", "menuisahel", "+216 73"),
        ("tn-tp", "Centre Sectoriel de Formation", "training_provider", "csf", "+216 70"),
        ("tn-gov", "Bureau de Probation de Tunis", "government", "probation-tn", "+216 71"),
    ],
    "UG": [
        ("ug-ngo1", "Second Chance Uganda", "ngo", "secondchance", "+256 772"),
        ("ug-ngo2", "Welcome Home Reintegration Trust", "ngo", "welcomehome", "+256 701"),
        ("ug-ngo3", "Gulu Youth Restoration Network", "ngo", "gyrn", "+256 782"),
        ("ug-emp", "Jinja Furniture Cooperative", "employer", "jinjafurniture", "+256 434"),
        ("ug-tp", "Nakawa Vocational Institute", "training_provider", "nakawavti", "+256 414"),
        ("ug-gov", "Community Service Office", "government", "cso-ug", "+256 414"),
    ],
}

# The organisation of the benchmark caseworker (exactly 50 people in scope).
BENCH_ORGANISATION = ("kz-bench", "Jol Reintegration Centre", "ngo", "jol-centre", "+7 727")
BENCH_USERNAME = "bench.caseworker"

LOCALES = {"KZ": ("kk", "ru"), "TN": ("ar", "fr"), "UG": ("en", "sw")}
USER_LOCALE = {"KZ": "ru", "TN": "fr", "UG": "en"}

# Given names by sex and family names (with their female form where the language has one).
KZ_CYRILLIC = {
    "male": [
        "Нурлан",
        "Ерлан",
        "Дәурен",
        "Бауыржан",
        "Серік",
        "Асхат",
        "Сергей",
        "Тимур",
        "Жандос",
        "Қайрат",
        "Алексей",
        "Мұрат",
        "Ержан",
        "Руслан",
        "Дмитрий",
        "Арман",
    ],
    "female": [
        "Әсел",
        "Айгүл",
        "Гүлнар",
        "Жанар",
        "Мадина",
        "Ольга",
        "Сәуле",
        "Динара",
        "Ақмарал",
        "Светлана",
        "Назым",
        "Айжан",
    ],
    "family": [
        ("Ахметов", "Ахметова"),
        ("Қасымов", "Қасымова"),
        ("Оспанов", "Оспанова"),
        ("Төлеуов", "Төлеуова"),
        ("Жұмабаев", "Жұмабаева"),
        ("Ковалёв", "Ковалёва"),
        ("Сейітов", "Сейітова"),
        ("Нұрланов", "Нұрланова"),
        ("Ибраев", "Ибраева"),
        ("Ким", "Ким"),
        ("Смагулов", "Смагулова"),
        ("Петров", "Петрова"),
        ("Әбдірахманов", "Әбдірахманова"),
        ("Бекмұхамбетов", "Бекмұхамбетова"),
    ],
}
KZ_LATIN = {
    "male": [
        "Nurlan",
        "Yerlan",
        "Dauren",
        "Bauyrzhan",
        "Serik",
        "Askhat",
        "Timur",
        "Zhandos",
        "Kairat",
        "Murat",
        "Yerzhan",
        "Arman",
    ],
    "female": ["Assel", "Aigul", "Gulnar", "Zhanar", "Madina", "Saule", "Dinara", "Aizhan"],
    "family": [
        ("Akhmetov", "Akhmetova"),
        ("Kassymov", "Kassymova"),
        ("Ospanov", "Ospanova"),
        ("Tleuov", "Tleuova"),
        ("Zhumabayev", "Zhumabayeva"),
        ("Seitov", "Seitova"),
        ("Ibrayev", "Ibrayeva"),
        ("Smagulov", "Smagulova"),
    ],
}
TN_ARABIC = {
    "male": [
        "محمد",
        "أحمد",
        "يوسف",
        "علي",
        "حمزة",
        "أيمن",
        "وليد",
        "سفيان",
        "بلال",
        "كريم",
        "عماد",
        "مهدي",
        "نبيل",
        "هيثم",
    ],
    "female": ["فاطمة", "مريم", "سلمى", "آمنة", "ليلى", "نور", "إيمان", "خديجة"],
    "family": [
        ("بن علي", "بن علي"),
        ("الطرابلسي", "الطرابلسي"),
        ("الهمامي", "الهمامي"),
        ("بوعزيزي", "بوعزيزي"),
        ("الجبالي", "الجبالي"),
        ("الماجري", "الماجري"),
        ("الشابي", "الشابي"),
        ("القروي", "القروي"),
        ("السويسي", "السويسي"),
        ("العياري", "العياري"),
    ],
}
TN_LATIN = {
    "male": [
        "Mohamed",
        "Ahmed",
        "Youssef",
        "Ali",
        "Hamza",
        "Aymen",
        "Walid",
        "Sofiène",
        "Bilel",
        "Karim",
        "Imed",
        "Mehdi",
    ],
    "female": ["Fatma", "Meriem", "Salma", "Amna", "Leïla", "Nour", "Imen", "Khadija"],
    "family": [
        ("Ben Ali", "Ben Ali"),
        ("Trabelsi", "Trabelsi"),
        ("Hammami", "Hammami"),
        ("Bouazizi", "Bouazizi"),
        ("Jebali", "Jebali"),
        ("Mejri", "Mejri"),
        ("Chebbi", "Chebbi"),
        ("Gharbi", "Gharbi"),
        ("Ayari", "Ayari"),
    ],
}
# Ugandan names: the given name is the first (often Christian) name, the family name
# the African name, which registers and official documents write first ("OKELLO
# Joseph"), as the lists' "Family, Given" order does. Family names: (a man's, a
# woman's) where the language marks it (Luo Okello/Akello, Luganda Lubega/Nalubega).
UG_LATIN = {
    "male": [
        "Joseph",
        "Moses",
        "Emmanuel",
        "Patrick",
        "Denis",
        "Ronald",
        "Ivan",
        "Brian",
        "Samuel",
        "Robert",
        "Francis",
        "Isaac",
        "Geoffrey",
        "Allan",
    ],
    "female": [
        "Grace",
        "Sarah",
        "Esther",
        "Harriet",
        "Florence",
        "Juliet",
        "Mercy",
        "Ritah",
        "Prossy",
        "Brenda",
    ],
    "family": [
        ("Okello", "Akello"),
        ("Opio", "Apio"),
        ("Ochieng", "Achieng"),
        ("Odongo", "Adongo"),
        ("Otim", "Atim"),
        ("Lubega", "Nalubega"),
        ("Nsubuga", "Nansubuga"),
        ("Kato", "Nakato"),
        ("Mukasa", "Namukasa"),
        ("Byaruhanga", "Byaruhanga"),
        ("Tumusiime", "Tumusiime"),
        ("Mugisha", "Kemigisha"),
        ("Kasozi", "Nakasozi"),
        ("Mugerwa", "Namugerwa"),
    ],
}
# Scripts per country and how often each is used for a person's name.
NAME_POOLS = {
    "KZ": ((KZ_CYRILLIC, 0.75), (KZ_LATIN, 0.25)),
    "TN": ((TN_ARABIC, 0.6), (TN_LATIN, 0.4)),
    "UG": ((UG_LATIN, 1.0),),
}
STAFF_NAMES = {
    "KZ": [
        "Aliya Nurmagambetova",
        "Yerbol Sultanov",
        "Irina Volkova",
        "Daniyar Abenov",
        "Gaukhar Tulegenova",
        "Maxim Orlov",
        "Zhanna Amanova",
        "Berik Dosanov",
    ],
    "TN": [
        "Sonia Ben Salah",
        "Hichem Gharbi",
        "Rim Jaziri",
        "Anis Bouzid",
        "Olfa Mansour",
        "Tarek Ferchichi",
        "Amel Dridi",
        "Skander Ayadi",
    ],
    "UG": [
        "Ruth Nabirye",
        "Patrick Ouma",
        "Esther Nalwoga",
        "Isaac Ssentongo",
        "Florence Apio",
        "Denis Mugume",
        "Joan Kyomuhendo",
        "Samuel Ekwaru",
    ],
}

# (trade, skill code prefix, skill titles, session topics)
TRADES = [
    (
        "Furniture-making",
        "FUR",
        [
            "Measuring and marking",
            "Hand tools",
            "Joinery",
            "Finishing and varnish",
            "Workshop safety",
        ],
        ["Timber selection", "Mortise and tenon", "Sanding", "Assembling a chair"],
    ),
    (
        "Tailoring",
        "TAI",
        [
            "Taking measurements",
            "Pattern cutting",
            "Machine stitching",
            "Hemming and finishing",
            "Garment pricing",
        ],
        ["Sewing machine care", "Shirt collar", "Trousers", "School uniforms"],
    ),
    (
        "Welding",
        "WLD",
        ["Arc welding", "Gas cutting", "Reading drawings", "Metal preparation", "Welding safety"],
        ["Electrodes", "Butt joints", "Gate frames", "Window grills"],
    ),
    (
        "ICT",
        "ICT",
        [
            "Keyboard and files",
            "Word processing",
            "Spreadsheets",
            "Internet safety",
            "Basic repair",
        ],
        ["Typing practice", "CV writing", "Budget sheet", "Email etiquette"],
    ),
    (
        "Bakery",
        "BAK",
        ["Food hygiene", "Dough preparation", "Oven use", "Pastry", "Costing a batch"],
        ["Bread", "Flatbread", "Cakes", "Hygiene inspection"],
    ),
]

CONTACT_SUMMARIES = [
    "Talked about job applications; CV updated together.",
    "Visited at home; family supportive, looking for casual work.",
    "Helped with identity document application at the registry office.",
    "Discussed housing options; temporary room with a relative.",
    "Went with them to a workshop that is hiring.",
    "Short phone check-in; doing well, no new needs.",
    "Referred to a clinic for a follow-up appointment.",
    "Planned the next steps for a small tailoring business.",
    "Could not reach by phone; left a message with a neighbour.",
    "Met at the office; toolkit handed over.",
]
NEEDS = ["housing", "employment", "documents", "health", "family", "transport", "training", "money"]
REFERRAL_REASONS = [
    "Needs support with housing and work after release.",
    "Wants to continue in the trade learnt in the workshop.",
    "Family contact and documents to arrange before release.",
    "Asked for help starting a small business.",
]
DATE_CHANGE_REASONS = [
    "Sentence reduced on appeal.",
    "Remission for good conduct.",
    "Parole board decision.",
    "Court date moved.",
]
# Why people left a course that ran its course while they were inside (`released` and
# `transferred` follow from their release and transfer days instead).
WITHDRAWAL_REASONS = {"security": 2, "health": 3, "dismissed": 1, "own_request": 4, "other": 2}
