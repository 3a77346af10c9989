"""Act details and the report's text in the informant's own words (Arabic or English)."""

from __future__ import annotations

from dhakira.demo import _codes as c

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


def event_title(act_type: str, method: str, place_en: str, victims: int, sogi: bool) -> str:
    """A neutral English title for the event."""
    what = {c.KILLING: "Killing", c.EXECUTION: "Execution", c.FLOGGING: "Flogging", c.DETENTION: "Arrests", c.TORTURE: "Punishment",
            c.FORCED_MARRIAGE: "Forced marriage", c.SEXUAL_VIOLENCE: "Sexual violence",
            c.ENSLAVEMENT: "Abduction and enslavement", c.AMPUTATION: "Amputation",
            c.SENTENCING: "Trial"}[act_type]
    if act_type in c.KILLINGS and method:
        what += f" ({method.replace('_', ' ')})"
    if sogi:
        what += " of men accused of sodomy"
    return f"{what} in {place_en}" + (f", {victims} victims" if victims > 1 else "")
