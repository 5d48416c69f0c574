"""Name pools for the duplicates evaluation set, as registers in KZ, RU, TN and UG write them.

Kazakh and Russian names are written in Cyrillic (the generator romanises them
as passports, BGN, the 2021 Kazakh Latin alphabet or a French hand would).
Tunisian names are (Arabic script, French spellings seen in registers).
Ugandan names are Latin, with the spellings registers mix up.
"""

KZ_MALE = (
    "Нұрлан Ерлан Айдар Асхат Бауыржан Дәурен Ержан Жандос Қайрат Марат Мұрат Нұрсұлтан "
    "Серік Талғат Теміржан Ұлан Шыңғыс Әлихан Ғалым Дархан Ілияс Жұлдыз Ақжол Ерасыл Болат "
    "Самат Азамат Арман Бекзат Рүстем"
).split()
KZ_FEMALE = (
    "Әлия Айгерім Гүлнар Жанар Мадина Салтанат Динара Ақмарал Әйгерім Гүлмира Назерке "
    "Ұлжан Сәуле Жансая Аружан Меруерт Балжан Қарлығаш Іңкәр Шынар"
).split()
# (male form, female form)
KZ_FAMILY = (
    ("Сейтқали", "Сейтқали"),
    ("Нұрланов", "Нұрланова"),
    ("Ахметов", "Ахметова"),
    ("Жақсыбеков", "Жақсыбекова"),
    ("Омаров", "Омарова"),
    ("Тоқаев", "Тоқаева"),
    ("Қасымов", "Қасымова"),
    ("Әбдірахманов", "Әбдірахманова"),
    ("Сұлтанбеков", "Сұлтанбекова"),
    ("Ержанов", "Ержанова"),
    ("Мұхамеджанов", "Мұхамеджанова"),
    ("Исабаев", "Исабаева"),
    ("Шәріпов", "Шәріпова"),
    ("Жүсіпов", "Жүсіпова"),
    ("Бекмұхамбетов", "Бекмұхамбетова"),
    ("Оспанов", "Оспанова"),
    ("Құдайбергенов", "Құдайбергенова"),
    ("Серікбаев", "Серікбаева"),
    ("Темірханов", "Темірханова"),
    ("Ғабдуллин", "Ғабдуллина"),
)
RU_MALE = (
    "Сергей Алексей Дмитрий Андрей Николай Юрий Евгений Владимир Михаил Иван Виктор "
    "Геннадий Фёдор Григорий Вячеслав Константин Олег Павел Яков Илья"
).split()
RU_FEMALE = "Елена Ольга Юлия Наталья Татьяна Ксения Анастасия Екатерина Людмила Яна".split()
RU_FAMILY = (
    ("Иванов", "Иванова"),
    ("Сергеев", "Сергеева"),
    ("Кузнецов", "Кузнецова"),
    ("Щукин", "Щукина"),
    ("Журавлёв", "Журавлёва"),
    ("Хабибуллин", "Хабибуллина"),
    ("Цой", "Цой"),
    ("Юсупов", "Юсупова"),
    ("Чернов", "Чернова"),
    ("Яковлев", "Яковлева"),
    ("Григорьев", "Григорьева"),
    ("Зайцев", "Зайцева"),
    ("Ковальчук", "Ковальчук"),
    ("Шевченко", "Шевченко"),
    ("Васильев", "Васильева"),
)

TN_MALE = (
    ("محمد", ("Mohamed", "Mohammed", "Mouhamed", "Mohamad", "Muhammad")),
    ("علي", ("Ali", "Aly")),
    ("أحمد", ("Ahmed", "Ahmad")),
    ("يوسف", ("Youssef", "Youcef", "Yousef", "Youssuf")),
    ("خالد", ("Khaled", "Khalid")),
    ("منصور", ("Mansour", "Mansur")),
    ("شكري", ("Chokri", "Chokry", "Shokri")),
    ("الهادي", ("Hedi", "El Hedi", "Elhadi", "Hadi")),
    ("عبد القادر", ("Abdelkader", "Abdel Kader", "Abd el Kader", "Abdulkader")),
    ("نور الدين", ("Noureddine", "Nour Eddine", "Nourredine", "Nureddin")),
    ("الطاهر", ("Tahar", "Taher", "Et-Tahar")),
    ("مختار", ("Mokhtar", "Mokhtare", "Moktar")),
    ("سامي", ("Sami", "Samy")),
    ("وليد", ("Walid", "Oualid", "Ouelid")),
    ("جمال", ("Jamel", "Djamel", "Jamal", "Gamal")),
    ("حمزة", ("Hamza", "Hamzah", "Hamsa")),
    ("عماد", ("Imed", "Imad", "Emad")),
    ("قاسم", ("Kacem", "Kassem", "Qasim", "Gacem")),
    ("بلال", ("Bilel", "Bilal", "Belal")),
    ("صلاح", ("Salah", "Saleh")),
    ("رياض", ("Riadh", "Riad", "Ryadh")),
    ("حبيب", ("Habib", "Hbib")),
    ("الشاذلي", ("Chedly", "Chadli", "Chedli")),
    ("مراد", ("Mourad", "Murad", "Morad")),
)
TN_FEMALE = (
    ("فاطمة", ("Fatma", "Fatima", "Fatouma")),
    ("عائشة", ("Aicha", "Aïcha", "Aisha")),
    ("خديجة", ("Khadija", "Khedija", "Khadidja")),
    ("مريم", ("Meriem", "Mariem", "Maryam")),
    ("سلوى", ("Salwa", "Saloua")),
    ("نجوى", ("Najwa", "Nejoua", "Najoua")),
    ("سنية", ("Sonia", "Sounia", "Sonya")),
    ("هدى", ("Houda", "Huda", "Hoda")),
    ("منية", ("Mounia", "Monia", "Mouniya")),
    ("زينب", ("Zeineb", "Zainab", "Zaineb")),
)
TN_FAMILY = (
    ("الطرابلسي", ("Trabelsi", "Ettrabelsi", "Traboulsi", "El Trabelsi")),
    ("بن علي", ("Ben Ali", "Benali", "Ben Aly")),
    ("الغربي", ("Gharbi", "El Gharbi", "Elgharbi")),
    ("الشابي", ("Chebbi", "Chabbi", "Echebbi", "Ech-Chebbi")),
    ("المبروك", ("Mabrouk", "El Mabrouk", "Mabrok")),
    ("بوزيد", ("Bouzid", "Bou Zid", "Bouzaid")),
    ("الجلاصي", ("Jlassi", "Jelassi", "Djlassi")),
    ("الدريدي", ("Dridi", "Edridi", "Driddi")),
    ("الحمامي", ("Hammami", "Hamami", "El Hammami")),
    ("السعيدي", ("Saidi", "Essaidi", "Saïdi")),
    ("بن يوسف", ("Ben Youssef", "Benyoussef", "Ben Youcef")),
    ("العياري", ("Ayari", "Layari", "El Ayari")),
    ("ولد أحمد", ("Ould Ahmed", "Ouled Ahmed", "Ould Ahmad")),
    ("الزين", ("Zine", "Ezzine", "Zin")),
    ("الخياري", ("Khiari", "Kheyari", "El Khiari")),
    ("المناعي", ("Mannai", "Menai", "El Mannai")),
    ("القاسمي", ("Gasmi", "Kasmi", "Guesmi", "Qasmi")),
    ("السويسي", ("Souissi", "Essouissi", "Swissi")),
    ("الفرجاني", ("Ferjani", "Farjani", "El Ferjani")),
    ("بوعزيزي", ("Bouazizi", "Bouazzizi", "Bou Azizi")),
)

# (names, spellings registers mix up)
UG_MALE = (
    ("John", ()),
    ("Joseph", ("Josef",)),
    ("Peter", ()),
    ("Moses", ()),
    ("Isaac", ("Isaak",)),
    ("Patrick", ()),
    ("Emmanuel", ("Emanuel",)),
    ("Godfrey", ("Godfery",)),
    ("Wasswa", ("Waswa",)),
    ("Kato", ("Katto",)),
    ("Okello", ("Okelo",)),
    ("Opio", ("Opiyo",)),
    ("Kizza", ("Kiiza", "Kiza")),
    ("Ochieng", ("Ochien",)),
    ("Muwanga", ("Muwannga",)),
    ("Tumusiime", ("Tumusiimi",)),
)
UG_FEMALE = (
    ("Grace", ()),
    ("Sarah", ("Sara",)),
    ("Nakato", ("Nakatto",)),
    ("Babirye", ("Babiriye",)),
    ("Florence", ()),
    ("Atim", ("Atiim",)),
    ("Akello", ("Akelo",)),
    ("Namutebi", ("Namuteebi",)),
    ("Prossy", ("Prosy",)),
    ("Harriet", ("Hariet",)),
)
UG_FAMILY = (
    ("Mukasa", ("Mukassa",)),
    ("Ssemakula", ("Semakula",)),
    ("Lubega", ("Lubbega",)),
    ("Ssekandi", ("Sekandi",)),
    ("Odongo", ("Odong",)),
    ("Nsubuga", ("Nsubbuga",)),
    ("Kasozi", ("Kasoozi",)),
    ("Byaruhanga", ("Byaruganga",)),
    ("Mugisha", ("Mugishsa",)),
    ("Tumwine", ("Tumwiine",)),
    ("Kyeyune", ("Kyeyunne",)),
    ("Ouma", ("Owuma",)),
    ("Namubiru", ("Namubiiru",)),
    ("Katumba", ("Katuumba",)),
    ("Bwambale", ("Bwambaale",)),
    ("Kiwanuka", ("Kiwanukka",)),
)
