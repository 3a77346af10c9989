"""A small hand-made set of mentions: each person written two or three ways, in both scripts.

Person ids are the tens digit group: mentions 10, 11, 12 are person 1; 20, 21 person 2; ...
"""

from __future__ import annotations

from datetime import date

from dhakira.core.linkage import Mention

PEOPLE = [
    # (names as reports give them, sex, age, date, place, district)
    (["محمد علي حسين الجبوري", "Mohammed Ali Hussein al-Jubouri", "Muhammad Ali"],
     "male", 34, date(2015, 3, 2), 1, 100),
    (["خالد سعيد", "Khaled Saeed al-Obaidi", "خالد بن سعيد بن عمر العبيدي"],
     "male", 51, date(2014, 8, 10), 2, 100),
    (["Fatima Ahmed", "فاطمة أحمد جاسم"], "female", 22, date(2016, 1, 20), 3, 200),
    (["عمر يوسف الطائي", "Omar Youssef al-Tai", "Umar Yusuf"], "male", 40, date(2015, 7, 1),
     4, 200),
    (["Zainab Hassan Ali", "زينب حسن علي"], "female", 17, date(2014, 11, 5), 5, 300),
    (["إبراهيم عبد الرحمن", "Ibrahim Abdul Rahman al-Hamdani", "Ebrahim Abdulrahman"],
     "male", 60, date(2016, 6, 15), 6, 300),
    (["Saad Jasim", "سعد جاسم محمود"], "male", 28, date(2015, 12, 1), 7, 400),
    (["Huda Kareem al-Rawi", "هدى كريم الراوي"], "female", 45, date(2014, 9, 9), 8, 400),
]
LONERS = ["Yasser Nabil", "نزار فيصل", "Layla Sami", "أحمد ماجد", "Tariq Hamid",
          "رغد عادل", "Bilal Qasim", "سلمى ناصر", "Walid Farouk", "منى صباح"]


def mentions() -> tuple[list[Mention], dict[int, int]]:
    """The mentions and their truth (mention id → person number)."""
    out, truth = [], {}
    for p, (names, sex, age, when, place, district) in enumerate(PEOPLE, start=1):
        for k, name in enumerate(names):
            mid = p * 10 + k
            out.append(Mention(mid, (name,), (), sex, age + (k % 2), when, when, place,
                               district, (), "killing", "shooting"))
            truth[mid] = p
    for k, name in enumerate(LONERS):
        mid = 1000 + k
        when = date(2014 + k % 3, 1 + k, 3)
        out.append(Mention(mid, (name,), (), "", 20 + 3 * k, when, when, 50 + k, 500 + k % 4,
                           (), "detention", ""))
        truth[mid] = 100 + k
    return out, truth
