"""Act details and the report's text in the informant's own words (Arabic or English)."""

from __future__ import annotations

from dhakira.apps.demo import _codes as c

_PHRASE = {  # (act_type, method) -> (arabic, english)
    (c.KILLING, "shooting"): ("أُعدم رمياً بالرصاص", "was executed by shooting"),
    (c.KILLING, "beheading"): ("قُطع رأسه", "was beheaded"),
    (c.KILLING, "stoning"): ("رُجم حتى الموت", "was stoned to death"),
    (c.KILLING, "thrown_from_height"): ("أُلقي من أعلى بناية", "was thrown from the top of a building"),
    (c.KILLING, "burning"): ("أُحرق حياً", "was burned alive"),
    (c.DETENTION, ""): ("اعتُقل", "was detained"),
    (c.FLOGGING, "flogging"): ("جُلد علناً", "was flogged in public"),
    (c.TORTURE, "beating"): ("تعرض للضرب المبرح", "was severely beaten"),
    (c.TORTURE, "suspension_stress_positions"): ("عُذب بالتعليق", "was tortured by suspension"),
    (c.TORTURE, "electric_shock"): ("عُذب بالصعق الكهربائي", "was tortured with electric shocks"),
    (c.FORCED_MARRIAGE, ""): ("زُوّجت قسراً من أحد عناصر التنظيم", "was forcibly married to a fighter"),
    (c.SEXUAL_VIOLENCE, ""): ("تعرضت للاغتصاب", "was raped"),
    (c.ENSLAVEMENT, ""): ("اختُطفت وبيعت سبيّة", "was abducted and sold as a slave"),
    (c.AMPUTATION, "amputation"): ("قُطعت يده بحكم المحكمة", "had a hand amputated on a court order"),
    (c.SENTENCING, ""): ("حوكم أمام المحكمة الشرعية", "was tried before the sharia court"),
}


def phrase(act_type: str, method: str, language: str) -> str:
    """The act in a few words."""
    act_type = c.KILLING if act_type == c.EXECUTION else act_type
    ar, en = _PHRASE.get((act_type, method), _PHRASE.get((act_type, ""), ("", "")))
    return ar if language == "ar" else en


def report_text(*, language: str, name: str, age: int | None, place: tuple[str, str],
                date: str, act_type: str, method: str, reason: tuple[str, str], unit: tuple[str, str] | None,
                hearsay: bool) -> str:
    """One report in the informant's words; it names the victim as the informant spells it."""
    if language == "ar":
        who = f"{name} ({age} سنة)" if age else name
        lead = "سمعت أن" if hearsay else "أفيد بأن"
        text = f"{lead} {who} من {place[1]} {phrase(act_type, method, 'ar')}"
        text += f" بتهمة {reason[0]}" if reason[0] else ""
        text += f" على يد {unit[1]}" if unit else ""
        return text + (f"، بتاريخ {date}." if date else ".")
    who = f"{name}, aged {age}," if age else name
    lead = "I heard that" if hearsay else "Reported:"
    text = f"{lead} {who} from {place[0]} {phrase(act_type, method, 'en')}"
    text += f", accused of {reason[1]}" if reason[1] else ""
    text += f", by the {unit[0]}" if unit else ""
    return text + (f" ({date})." if date else ".")


_TITLE = {  # act_type -> (arabic, english)
    c.KILLING: ("قتل", "Killing"), c.EXECUTION: ("إعدام", "Execution"),
    c.FLOGGING: ("جلد", "Flogging"), c.DETENTION: ("اعتقالات", "Arrests"),
    c.TORTURE: ("تعذيب", "Punishment"), c.FORCED_MARRIAGE: ("زواج قسري", "Forced marriage"),
    c.SEXUAL_VIOLENCE: ("عنف جنسي", "Sexual violence"),
    c.ENSLAVEMENT: ("اختطاف واستعباد", "Abduction and enslavement"),
    c.AMPUTATION: ("بتر", "Amputation"), c.SENTENCING: ("محاكمة", "Trial"),
}
_METHOD = {  # killing method -> (arabic, english)
    "shooting": ("رمياً بالرصاص", "shooting"), "beheading": ("بقطع الرأس", "beheading"),
    "stoning": ("رجماً", "stoning"), "thrown_from_height": ("بالإلقاء من مرتفع", "thrown from height"),
    "burning": ("حرقاً", "burning"),
}


def event_title(act_type: str, method: str, place: tuple[str, str], victims: int, sogi: bool,
                language: str = "ar") -> str:
    """A neutral title for the event, as the documenter would type it: in Arabic unless told.

    ``place`` is (english, arabic). The organisation this demo stands for records in Arabic, so
    its event titles are Arabic (issue 17: English titles on Arabic pages).
    """
    ar, en = _TITLE[act_type]
    how = _METHOD.get(method) if act_type in c.KILLINGS else None
    if language != "ar":
        what = en + (f" ({how[1]})" if how else "") + (" of men accused of sodomy" if sogi else "")
        return f"{what} in {place[0]}" + (f", {victims} victims" if victims > 1 else "")
    accused = " لرجل متهم باللواط" if victims == 1 else " لرجال متهمين باللواط"
    what = ar + (f" {how[0]}" if how else "") + (accused if sogi else "")
    return f"{what} في {place[1]}" + (f"، {victims} ضحايا" if victims > 1 else "")
