"""Plain-words names and assumptions of each method, in English and Arabic."""

from __future__ import annotations

METHOD_NAMES = {
    "en": {"independence": "independent lists", "loglinear": "log-linear model",
           "lcmcr": "latent-class model (LCMCR)"},
    "ar": {"independence": "القوائم المستقلة", "loglinear": "النموذج اللوغاريتمي الخطي",
           "lcmcr": "نموذج الفئات الكامنة (LCMCR)"},
}

_COMMON_EN = (
    "Every method assumes that linkage matched the same person across lists correctly, that "
    "nobody joined or left the population during the period, and it cannot see people whom "
    "no way of reporting could reach.")
_COMMON_AR = (
    "تفترض كل الطرق أن الربط طابق الشخص نفسه بين القوائم بشكل صحيح، وأن المجموعة لم يدخلها "
    "أحد ولم يخرج منها أحد خلال الفترة، ولا ترى الأشخاص الذين لا تصل إليهم أي وسيلة توثيق.")

ASSUMPTIONS = {
    "en": {
        "independence": (
            "Being on one list says nothing about being on another, and every victim is "
            "equally easy to record. Usually too low when some victims are harder to reach. "
            + _COMMON_EN),
        "loglinear": (
            "Pairs of lists may share sources or reach the same people; the model chosen from "
            "the data says which pairs, and allows for them. It cannot allow for dependence "
            "among all lists at once. " + _COMMON_EN),
        "lcmcr": (
            "The victims fall into hidden groups that differ in how visible they are; within a "
            "group the lists act independently. The number of groups is learned from the "
            "data. The answer is the middle of the plausible values, with a 95% range. "
            + _COMMON_EN),
    },
    "ar": {
        "independence": (
            "وجود الضحية في قائمة لا يغيّر احتمال وجودها في قائمة أخرى، وكل الضحايا يسهل "
            "توثيقهم بالقدر نفسه. غالبًا ما يكون التقدير منخفضًا جدًا حين يصعب الوصول إلى "
            "بعض الضحايا. " + _COMMON_AR),
        "loglinear": (
            "قد تشترك قائمتان في المصادر أو تصلان إلى الأشخاص أنفسهم؛ يحدد النموذج المختار من "
            "البيانات أي الأزواج كذلك ويأخذها في الحسبان، لكنه لا يستطيع مراعاة الاعتماد بين "
            "كل القوائم معًا. " + _COMMON_AR),
        "lcmcr": (
            "ينقسم الضحايا إلى مجموعات خفية تختلف في سهولة رصدها، وداخل كل مجموعة تعمل "
            "القوائم باستقلال. يُستنتج عدد المجموعات من البيانات. الجواب هو وسط القيم "
            "المعقولة مع مدى 95٪. " + _COMMON_AR),
    },
}
