"""The demo's release-and-after stories: who is released when, contacts, outcomes, texts.

Days count back from today at the facility (5 = five days ago); plan offsets
in `AHEAD` count forward. The same ten stories play in each country, with
the country's names, places and language (French for Tunisia).
"""

from typing import NamedTuple


class Touch(NamedTuple):
    """One contact: days ago, local hour, mode, summary key, needs raised."""

    days_ago: int
    hour: int
    mode: str
    text: str
    needs: tuple = ()


class Seen(NamedTuple):
    """One outcome: days ago, employment, uses the trained skill, housing, back inside."""

    days_ago: int
    employment: str
    skill: bool | None
    housing: str
    returned: bool = False


class Story(NamedTuple):
    """One person's journey after (or up to) release."""

    key: str
    released: tuple = ()  # days ago of each release, oldest first
    returned: tuple = ()  # days ago of each return to custody
    ahead: int | None = None  # expected release in this many days (still inside)
    referral: str = "accepted"  # accepted | pending | declined
    consent: tuple | None = None  # (method, given days ago, expires in days, withdrawn days ago)
    touches: tuple = ()
    outcomes: tuple = ()
    edit: str | None = None  # summary key replacing the text of the story's `edit_of` contact
    edit_of: int = 0
    plan: tuple = ()  # (kind, status, owned by the NGO) of a person still inside


DONE = (("id_documents", "done", False), ("family_contact", "done", False))
STORIES = (
    Story(
        "fresh",
        released=(5,),
        consent=("signed", 40, None, None),
        touches=(Touch(5, 11, "visit", "gate", ("housing", "documents")),),
    ),
    Story(
        "settling",
        released=(20,),
        consent=("verbal_witnessed", 60, 12, None),
        touches=(
            Touch(19, 16, "attempt_failed", "no_answer"),
            Touch(14, 10, "phone", "settling", ("work",)),
        ),
        edit="settling_fixed",
    ),
    Story(
        "missed",
        released=(45,),
        consent=("signed", 80, None, None),
        touches=(
            Touch(38, 10, "office", "first_office", ("documents", "money")),
            Touch(20, 15, "attempt_failed", "no_answer"),
            Touch(13, 9, "attempt_failed", "moved"),
            Touch(4, 14, "visit", "found_again", ("training",)),
        ),
        outcomes=(Seen(4, "in_training", None, "temporary"),),
    ),
    Story(
        "working",
        released=(100,),
        consent=("thumbprint", 130, None, None),
        touches=(
            Touch(93, 10, "visit", "home_visit", ("family",)),
            Touch(71, 18, "phone", "job_lead", ("work",)),
            Touch(40, 12, "video", "first_job"),
            Touch(12, 17, "attempt_failed", "no_answer"),
        ),
        outcomes=(Seen(40, "employed_informal", True, "stable"),),
    ),
    Story(
        "year",
        released=(200,),
        consent=("signed", 230, None, None),
        touches=(
            Touch(194, 10, "visit", "home_visit", ("housing",)),
            Touch(171, 14, "phone", "job_lead", ("work",)),
            Touch(108, 11, "visit", "workplace"),
            Touch(30, 16, "attempt_failed", "no_answer"),
            Touch(22, 10, "attempt_failed", "moved"),
            Touch(3, 15, "phone", "new_number", ("health",)),
        ),
        outcomes=(
            Seen(110, "employed_formal", True, "stable"),
            Seen(3, "self_employed", True, "stable"),
        ),
        edit="workplace_fixed",
        edit_of=2,
    ),
    Story(
        "withdrawn",
        released=(60,),
        consent=("signed", 90, None, 8),
        touches=(
            Touch(53, 10, "phone", "settling", ("work",)),
            Touch(30, 11, "office", "first_office", ("documents",)),
        ),
    ),
    Story(
        "returned",
        released=(300, 10),
        returned=(120,),
        consent=("signed", 320, None, None),
        touches=(
            Touch(293, 10, "visit", "home_visit", ("housing", "family")),
            Touch(272, 15, "phone", "job_lead", ("work",)),
            Touch(212, 11, "office", "struggling", ("work", "money")),
            Touch(130, 16, "attempt_failed", "no_answer"),
            Touch(5, 12, "attempt_failed", "no_answer"),
        ),
        outcomes=(
            Seen(212, "unemployed", None, "temporary"),
            Seen(115, "unknown", None, "unknown", returned=True),
        ),
    ),
    Story(
        "soon",
        ahead=12,
        consent=("signed", 6, None, None),
        plan=(
            *DONE,
            ("housing", "done", True),
            ("employment", "done", True),
            ("ngo_referral", "done", False),
            ("education", "not_needed", False),
            ("health", "done", False),
            ("toolkit", "in_progress", False),
        ),
    ),
    Story(
        "waiting",
        ahead=40,
        referral="pending",
        consent=("signed", 2, None, None),
        plan=(*DONE, ("housing", "in_progress", True), ("ngo_referral", "in_progress", False)),
    ),
    Story(
        "declined",
        ahead=75,
        referral="declined",
        consent=("thumbprint", 20, None, None),
        plan=(("id_documents", "in_progress", False), ("family_contact", "done", False)),
    ),
)

# (given, family, sex, preferred language) of the ten people, story by story.
PEOPLE = {
    "kz": [
        ("Арман", "Бекмұханов", "male", "kk"),
        ("Жанна", "Ибраева", "female", "ru"),
        ("Дмитрий", "Соколов", "male", "ru"),
        ("Асқар", "Мұқанов", "male", "kk"),
        ("Гүлнар", "Сейітова", "female", "kk"),
        ("Руслан", "Ким", "male", "ru"),
        ("Бекзат", "Әбдірахманов", "male", "kk"),
        ("Олжас", "Тұрсынов", "male", "kk"),
        ("Ольга", "Петренко", "female", "ru"),
        ("Марат", "Жақыпов", "male", "kk"),
    ],
    "tn": [
        ("Khaled", "Mansouri", "male", "fr"),
        ("سلمى", "العياري", "female", "ar"),
        ("Bilel", "Sassi", "male", "ar"),
        ("هيثم", "الزواري", "male", "ar"),
        ("Nadia", "Ferchichi", "female", "fr"),
        ("Oussama", "Dridi", "male", "ar"),
        ("منير", "القاسمي", "male", "ar"),
        ("Skander", "Ben Amor", "male", "fr"),
        ("Amira", "Baccouche", "female", "ar"),
        ("Fethi", "Ouertani", "male", "ar"),
    ],
    "ug": [
        ("Patrick", "Ochieng", "male", "en"),
        ("Harriet", "Namusoke", "female", "en"),
        ("Moses", "Byaruhanga", "male", "en"),
        ("Florence", "Akello", "female", "en"),
        ("Peter", "Wasswa", "male", "sw"),
        ("Francis", "Lubega", "male", "en"),
        ("Ritah", "Nalubega", "female", "en"),
        ("Samuel", "Odongo", "male", "sw"),
        ("Juliet", "Kisakye", "female", "en"),
        ("Robert", "Mukasa", "male", "en"),
    ],
}

# Where contacts happen, by summary key then by mode (phone, video: no place).
PLACES = {
    "kz": {
        "visit": "Home visit, Temirtau",
        "office": "Qadam office, Karaganda",
        "moved": "Temirtau",
        "workplace": "Furniture workshop, Karaganda",
    },
    "tn": {
        "visit": "Visite à domicile, La Manouba",
        "office": "Local de l'association, Tunis",
        "moved": "La Manouba",
        "workplace": "Atelier de couture, Ben Arous",
    },
    "ug": {
        "visit": "Home visit, Jinja",
        "office": "Second Chance office, Mbale",
        "moved": "Jinja",
        "workplace": "Welding workshop, Jinja",
    },
}
LANGUAGE = {"kz": "en", "tn": "fr", "ug": "en"}

TEXTS = {
    "en": {
        "gate": "Met at the gate on release day; went together to the hostel and the ID office.",
        "no_answer": "Called twice, no answer. Will try again later this week.",
        "moved": "Visited the address given; neighbours said the family has moved.",
        "settling": "Staying with family for now; looking for work in the trade learnt.",
        "settling_fixed": "Staying with an aunt in town (not with family in the village, as "
        "first noted); looking for work in the trade learnt.",
        "first_office": "Came to the office; we started the ID card and benefit applications.",
        "found_again": "Reached at the new address. Enrolled in a short course starting soon.",
        "home_visit": "Home visit. Family supportive; settling in well.",
        "job_lead": "Shared two job leads; interview arranged with a local workshop.",
        "first_job": "Working as a day labourer in a workshop; paid weekly; doing well.",
        "workplace": "Visited at the workshop; the employer is pleased with the work.",
        "workplace_fixed": "Visited at the workshop; the employer is pleased with the work "
        "and offers a contract from next month.",
        "new_number": "Back in touch after changing phone number; now self-employed.",
        "struggling": "Lost casual work; finding it hard. Agreed on a plan for the next weeks.",
    },
    "fr": {
        "gate": "Accueil à la sortie ; accompagnement au foyer puis au bureau d'état civil.",
        "no_answer": "Deux appels sans réponse. Nouvel essai prévu cette semaine.",
        "moved": "Visite à l'adresse donnée ; les voisins disent que la famille a déménagé.",
        "settling": "Hébergement familial pour l'instant ; recherche un emploi dans le métier.",
        "settling_fixed": "Hébergement chez une tante en ville (et non au village, comme noté "
        "d'abord) ; recherche d'emploi dans le métier appris.",
        "first_office": "Rendez-vous au local : demandes de carte d'identité et d'aide lancées.",
        "found_again": "Contact repris à la nouvelle adresse. Inscription à une formation courte.",
        "home_visit": "Visite à domicile. Famille présente et soutenante.",
        "job_lead": "Deux pistes d'emploi transmises ; entretien prévu dans un atelier.",
        "first_job": "Travaille à la journée dans un atelier ; payé chaque semaine.",
        "workplace": "Visite sur le lieu de travail ; l'employeur est satisfait.",
        "workplace_fixed": "Visite sur le lieu de travail ; l'employeur est satisfait et "
        "propose un contrat à partir du mois prochain.",
        "new_number": "Reprise de contact après un changement de numéro ; travaille à son compte.",
        "struggling": "A perdu son travail journalier ; période difficile. Plan convenu ensemble.",
    },
}
REASONS = {
    "en": "Support with housing and work after release, in the trade learnt in the workshop.",
    "fr": "Accompagnement pour le logement et l'emploi après la sortie, dans le métier appris.",
}
RETURN_NOTE = {"en": "Back in custody.", "fr": "Retour en détention."}
