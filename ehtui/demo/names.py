"""Pools for synthetic people and places: a diverse London borough, all fictional.

Each culture group carries names with the ethnicity, religion and first
language that usually go with them, so a generated family is coherent.
Streets are invented; postcodes are Barnet districts; phones are in Ofcom's
drama range (07700 900000-900999).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Culture:
    surnames: tuple[str, ...]
    girls: tuple[str, ...]
    boys: tuple[str, ...]
    ethnicity: str
    religions: tuple[str, ...]
    language: str
    weight: int  # share of families


def _t(text: str) -> tuple[str, ...]:
    return tuple(text.split())


CULTURES: tuple[Culture, ...] = (
    Culture(
        _t("Smith Jones Taylor Brown Wilson Evans Walker Wright Hughes Green Hall Clarke"),
        _t("Olivia Amelia Isla Ava Mia Grace Freya Poppy Ella Lily"),
        _t("Oliver George Harry Noah Jack Leo Charlie Alfie Freddie Archie"),
        "White British",
        ("Christian", "No religion", "No religion"),
        "English",
        26,
    ),
    Culture(
        _t("Murphy Kelly O'Brien Byrne Ryan Walsh Doyle"),
        _t("Aoife Niamh Siobhan Ciara"),
        _t("Cian Conor Sean Darragh"),
        "White Irish",
        ("Christian",),
        "English",
        4,
    ),
    Culture(
        _t("Cohen Levy Goldberg Shapiro Friedman Rosen Klein"),
        _t("Miriam Rivka Esther Chana Talia Noa"),
        _t("Moshe Yosef Eli Ariel Nathan Avi"),
        "White Other",
        ("Jewish",),
        "English",
        8,
    ),
    Culture(
        _t("Patel Shah Mehta Desai Joshi Kaur Singh Gill"),
        _t("Priya Anaya Riya Simran Diya Aarohi"),
        _t("Arjun Rohan Aarav Dev Kabir Harjit"),
        "Asian Indian",
        ("Hindu", "Sikh", "Hindu"),
        "Gujarati",
        9,
    ),
    Culture(
        _t("Khan Hussain Ahmed Ali Rahman Begum Iqbal"),
        _t("Aisha Ayesha Fatima Maryam Zainab Hafsa Amina"),
        _t("Mohammed Muhammad Mohamed Ibrahim Yusuf Hamza Bilal"),
        "Asian Pakistani",
        ("Muslim",),
        "Urdu",
        6,
    ),
    Culture(
        _t("Mohamud Abdi Warsame Farah Hassan Osman Nur"),
        _t("Hodan Sagal Ifrah Ayaan Hibo"),
        _t("Abdirahman Mahad Liban Omar Guled"),
        "Black African",
        ("Muslim",),
        "Somali",
        6,
    ),
    Culture(
        _t("Okafor Adeyemi Okonkwo Balogun Eze Nwosu Adebayo"),
        _t("Tolu Chiamaka Adaeze Folake Ngozi Temi"),
        _t("Chidi Tobi Emeka Femi Kunle Segun"),
        "Black African",
        ("Christian",),
        "English",
        8,
    ),
    Culture(
        _t("Mensah Owusu Boateng Asante Osei Appiah"),
        _t("Akosua Ama Efua Abena"),
        _t("Kwame Kofi Yaw Kwabena"),
        "Black African",
        ("Christian",),
        "Twi",
        3,
    ),
    Culture(
        _t("Campbell Williams Francis Thomas Grant"),
        _t("Shanice Jada Kayla Tia"),
        _t("Tyrone Jaden Malik Andre"),
        "Black Caribbean",
        ("Christian", "No religion"),
        "English",
        5,
    ),
    Culture(
        _t("Kowalski Nowak Wisniewski Wojcik Kaminski"),
        _t("Zofia Maja Lena Hanna"),
        _t("Jakub Kacper Szymon Filip"),
        "White Other",
        ("Christian",),
        "Polish",
        6,
    ),
    Culture(
        _t("Popescu Ionescu Stan Dumitru Radu"),
        _t("Ioana Andreea Maria Elena"),
        _t("Andrei Mihai Stefan Ionut"),
        "White Other",
        ("Christian",),
        "Romanian",
        6,
    ),
    Culture(
        _t("Yilmaz Kaya Demir Sahin Celik Aydin"),
        _t("Elif Zeynep Defne Ecem"),
        _t("Emir Yusuf Kerem Mert"),
        "White Other",
        ("Muslim",),
        "Turkish",
        4,
    ),
    Culture(
        _t("Rostami Karimi Hosseini Ahmadi Moradi"),
        _t("Shirin Yasmin Parisa Leila"),
        _t("Arash Dariush Reza Kian"),
        "Other ethnic group",
        ("Muslim", "No religion"),
        "Farsi",
        3,
    ),
    Culture(
        _t("Popal Stanikzai Noori Amiri Sultani"),
        _t("Mariam Farishta Mursal Nilofar"),
        _t("Ahmad Mustafa Jawad Farid"),
        "Asian Other",
        ("Muslim",),
        "Dari",
        3,
    ),
    Culture(
        _t("Hoxha Shehu Krasniqi Gashi"),
        _t("Era Ardita Besa"),
        _t("Arben Driton Luan"),
        "White Other",
        ("Muslim", "Christian"),
        "Albanian",
        2,
    ),
    Culture(
        _t("Silva Santos Oliveira Souza Pereira"),
        _t("Ana Beatriz Larissa Julia"),
        _t("Lucas Gabriel Mateus Rafael"),
        "Other ethnic group",
        ("Christian",),
        "Portuguese",
        2,
    ),
)

STREETS = _t(
    "Alderbrook Beechcroft Birchwood Brookside Cedarhurst Colindeep Copthall Dollis Elmhurst "
    "Fernlea Foxgrove Greenacre Hazelmere Hillside Holmwood Kingsbury Larkfield Lynwood "
    "Maplewood Meadowbank Millbrook Northway Oakleigh Orchard Parkview Queensmead Ravenscroft "
    "Rosemount Sherwood Southfield Stonegrove Sunnyfield Thornbury Totteridge Westbrook "
    "Whetstone Willowdene Woodside"
)
STREET_KINDS = _t("Road Avenue Close Gardens Lane Way Crescent Drive")

# Barnet postcode districts by hub (roughly: West, East/Central, South).
POSTCODES = {
    "West": _t("NW7 NW9 HA8 NW4"),
    "East/Central": _t("N12 N20 N11 N14 EN4 EN5"),
    "South": _t("NW11 N2 N3 NW4"),
}

SCHOOLS = {
    "nursery": _t("Little Acorns Sunflower Rainbow Tiny Steps"),
    "primary": _t("Brookside Copthall Fernlea Hillside Oakleigh Parkview Millbrook Westbrook"),
    "secondary": _t("Barnet Vale Dollis Totteridge Whetstone Colindeep Kingsbury"),
}

AGENCIES = (
    "School",
    "Health Visitor",
    "GP",
    "School Nurse",
    "CAMHS",
    "Housing",
    "Police",
    "Nursery",
    "Speech and Language Therapy",
    "Domestic abuse service",
    "Youth service",
)

PRACTITIONER_FIRST = _t(
    "Amira Ben Chloe Daniel Ellie Farhan Grace Hannah Imran Jasmine Karen Lewis Maya Nadia "
    "Owen Priya Rachel Samir Tara Usman Vicky Will Yasmin Zoe Adam Bethany Carl Deepa Eve "
    "Femi Gemma Hassan Isabel Joel Kemi Liam Marta Nikhil Orla Paul Rosa Sanjay Tom Uma "
    "Vanessa Wendy Xavier Yusuf Zara Aidan Bella Connor Dina Ethan Fiona Gareth Helen Ian "
    "Joanna Kieran"
)
PRACTITIONER_LAST = _t(
    "Khan Morgan Patel Reid Shah Okoye Turner Baker Hughes Ward Price Bennett Adeyemi Cole "
    "Ellis Foster Graham Hayes Irving Jenkins Knight Lowe Mason Nolan Osei Palmer Quinn "
    "Russell Stone Tanaka Usher Vance Webb Young"
)
