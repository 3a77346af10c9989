"""Plain words for the Counting page and the brief: methods, assumptions, warnings, verdicts."""

from __future__ import annotations

import math
from collections.abc import Mapping
from contextlib import nullcontext
from typing import Any

from django.utils import numberformat, translation
from django.utils.formats import get_format, number_format
from django.utils.translation import gettext, ngettext, pgettext
from django.utils.translation import gettext_lazy as _

from dhakira.core import vocabularies
from dhakira.core.counting import verdict as v
from dhakira.core.counting.verdict import Reason, parse_warning

METHOD_NAMES = {"independence": _("independent lists"), "loglinear": _("log-linear model"),
                "lcmcr": _("latent-class model (LCMCR)")}

# What each method assumes (one sentence or more of its own), then what all of them assume:
# two whole sentences, each translated whole.
_ASSUMES = {
    "independence": _(
        "Being on one list says nothing about being on another, and every victim is "
        "equally easy to record. Usually too low when some victims are harder to reach."),
    "loglinear": _(
        "Pairs of lists may share sources or reach the same people; the model chosen from "
        "the data says which pairs, and allows for them. It cannot allow for dependence "
        "among all lists at once."),
    "lcmcr": _(
        "The victims fall into hidden groups that differ in how visible they are; within a "
        "group the lists act independently. The number of groups is learned from the "
        "data. The answer is the middle of the plausible values, with a 95% range."),
}
_ASSUMED_BY_ALL = _(
    "Every method assumes that linkage matched the same person across lists correctly, that "
    "nobody joined or left the population during the period, and it cannot see people whom "
    "no way of reporting could reach.")


def method_name(method: str, lang: str | None = None) -> str:
    """A method's name (``independence``, ``loglinear``, ``lcmcr``) in ``lang``, else in the
    active language; an unknown method as given."""
    with translation.override(lang) if lang else nullcontext():
        return str(METHOD_NAMES.get(method, method))


def assumptions(method: str, lang: str | None = None) -> str:
    """What an estimate by ``method`` assumes, in plain words, in ``lang`` (else the active
    language); empty for an unknown method."""
    if method not in _ASSUMES:
        return ""
    with translation.override(lang) if lang else nullcontext():
        return f"{_ASSUMES[method]} {_ASSUMED_BY_ALL}"


# --- Rendering an estimate's figures, warnings and verdict in the reader's language -------
# Everything below renders in the active language (the request's, or translation.override in
# the brief); numbers follow that language's format (grouped thousands, its decimal mark).

STRATUM_WARNING = _("In stratum %(stratum)s: %(text)s")


def duration(seconds: float) -> str:
    """A duration in words, to the second: "15 minutes", "1 minute 30 seconds", "45 seconds";
    «15 دقيقة», «دقيقة واحدة و30 ثانية». Each count takes its noun in the form the language
    gives that number (Arabic's six); the page said "15 min 00 s", «15 د 00 ث»."""
    whole = max(round(seconds), 0)
    minutes, rest = divmod(whole, 60)
    said_minutes = ngettext("%(n)s minute", "%(n)s minutes", minutes) % {"n": count(minutes)}
    said_seconds = ngettext("%(n)s second", "%(n)s seconds", rest) % {"n": rest}
    if not minutes:
        return said_seconds
    if not rest:
        return said_minutes
    return pgettext("a duration: minutes, then seconds", "%(minutes)s %(seconds)s") % {
        "minutes": said_minutes, "seconds": said_seconds}


def count(value: float | None) -> str:
    """A count, rounded and grouped by thousands (``None``, unbounded, is ∞).

    The separator is the active language's (Django's locale formats); grouping is by three
    digits in every language (Django's Arabic formats set no grouping at all).
    """
    if value is None or not math.isfinite(value):
        return "∞"
    return numberformat.format(round(value), get_format("DECIMAL_SEPARATOR"), decimal_pos=0,
                               grouping=3, thousand_sep=get_format("THOUSAND_SEPARATOR"),
                               force_grouping=True)


def decimal(value: float | None, places: int = 2) -> str:
    """A ratio with ``places`` decimals, in the language's decimal mark; never grouped."""
    if value is None or not math.isfinite(value):
        return "∞"
    # Django's number_format cuts extra decimals off (1.0199 -> 1.01); round first.
    return number_format(round(value, places), decimal_pos=places, use_l10n=True)


def fraction(value: float | None) -> str:
    """A probability such as a match threshold: up to three decimals, trailing zeros dropped.

    0.99 stays 0.99, 0.999 is not rounded up to 1, and 1.0 is "1", never "1,000" or "1.000"
    (a thousand, in one language or the other).
    """
    if value is None or not math.isfinite(value):
        return "?"
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return text.replace(".", get_format("DECIMAL_SEPARATOR"))


def method_word(name: str) -> str:
    """A method's name as the core spells it (``"loglinear (best BIC)"``), in plain words."""
    words = {"independence": gettext("independent lists"),
             "loglinear": gettext("log-linear model"),
             "loglinear (best BIC)": gettext("best log-linear model (BIC)"),
             "lcmcr": gettext("latent-class model (LCMCR)"),
             "dga": gettext("decomposable graphical models")}
    return words.get(name, name)


# --- Refusals: an estimate that cannot be made, said in the reader's language -------------
# A refusal is raised with a code and plain values (CountingError.code, .params); these words
# are looked up when it is shown, so the command line and each reader of a job's page read it
# in their own language, and the error's own text (the log's) is the English.

NO_LINKAGE = _("No victim linkage run exists yet, so victims cannot be counted as people: "
               "run linkage first (dhakira link).")
TOO_FEW_LISTS = _("Estimating with %(method)s needs at least three lists, and there are only "
                  "%(lists)s: with two lists the model is not identified, so it gives no number. "
                  "Use independent lists (with two lists the only model that gives a number, "
                  "resting on the assumption that the lists are independent), or define the "
                  "lists so that there are three or more.")
NO_OVERLAP = _("No victim is on more than one of the %(lists)s lists, so %(method)s has nothing "
               "to estimate the unseen from: any number it gave would come from its assumptions "
               "alone. Check that the same people are linked across reports (dhakira link), or "
               "define the lists so that they overlap.")
TOO_MANY_LISTS = _("Estimating with %(method)s works with at most %(limit)s lists, and there "
                   "are %(lists)s. Use the latent-class model (LCMCR), or define the lists so "
                   "that there are fewer.")
# What a list is, in the words of the refusal (an imported sheet's sources have no network).
LIST_WORDS = {"network": _("source's network"), "organisation": _("source"),
              "material_type": _("type of material"), "channel": _("channel")}


def refusal(code: str, params: Mapping[str, Any]) -> str:
    """A counting refusal (``code`` and ``params`` of a CountingError) in the active language.

    Codes: ``no_linkage`` (``mentions``: victim mentions recorded, when fewer than two);
    ``resolution_covers_few`` (``named`` of the ``mentions``);
    ``too_few_lists`` and ``no_overlap`` (``method``, ``lists``: how
    many); ``too_many_lists`` (also ``limit``, the most the method takes; the core's);
    ``no_finite_model`` (the core's: no log-linear model bounds the table);
    ``lists_recorded`` (``n`` lists recorded anyone, their ``names``, the dimension ``by``
    and the ``others`` that may do). An unknown code is returned as it is.
    """
    from dhakira.apps.dossier.models import comma as reader_comma

    comma = reader_comma()
    if code == "no_linkage":
        mentions = params.get("mentions")
        if mentions is not None and int(mentions) < 2:  # linking refuses too: say why
            return ngettext(
                "Only %(n)s victim is recorded: too few to link or to estimate from; add "
                "reports first.",
                "Only %(n)s victims are recorded: too few to link or to estimate from; add "
                "reports first.", int(mentions)) % {"n": count(mentions)}
        return str(NO_LINKAGE)
    if code == "no_finite_model":
        return gettext("No log-linear model gives a finite number on this table: empty "
                       "combinations of lists leave the unseen without bound in every model. "
                       "Try the latent-class model (LCMCR), or fewer or other lists.")
    if code == "too_few_lists":
        return str(TOO_FEW_LISTS) % {"method": method_word(str(params["method"])),
                                     "lists": count(params["lists"])}
    if code == "too_many_lists":
        return str(TOO_MANY_LISTS) % {"method": method_word(str(params["method"])),
                                      "lists": count(params["lists"]),
                                      "limit": count(params["limit"])}
    if code == "no_overlap":
        return str(NO_OVERLAP) % {"method": method_word(str(params["method"])),
                                  "lists": count(params["lists"])}
    if code == "resolution_covers_few":
        return ngettext(
            "The resolution given names only %(named)s of this dossier's %(mentions)s victim "
            "mention: it is not this dossier's (or not its present state), and every mention it "
            "leaves out would count as a person of its own. Give a resolution made from this "
            "vault, or run dhakira estimate without --resolution to use its linkage.",
            "The resolution given names only %(named)s of this dossier's %(mentions)s victim "
            "mentions: it is not this dossier's (or not its present state), and every mention "
            "it leaves out would count as a person of its own. Give a resolution made from this "
            "vault, or run dhakira estimate without --resolution to use its linkage.",
            int(params["mentions"])) % {"named": count(params["named"]),
                                        "mentions": count(params["mentions"])}
    if code == "lists_recorded":
        n = int(params["n"])
        aside = int(params.get("set_aside") or 0)
        # A tiny dossier whose other lists gave only a kunya: the lists are not the trouble.
        why = "" if not aside else " " + ngettext(
            "(%(n)s mention that names no one was set aside: give the victim's name where it "
            "is known.)",
            "(%(n)s mentions that name no one were set aside: give the victims' names where "
            "they are known.)", aside) % {"n": count(aside)}
        if not n:
            return gettext(
                "no list recorded any victim when a list is each report's %(by)s; estimation "
                "needs at least two: define the lists by another of %(others)s") % {
                "by": str(LIST_WORDS.get(str(params["by"]), params["by"])),
                "others": comma.join(params["others"])} + why
        return ngettext(
            "only %(n)s list recorded any victim (%(names)s) when a list is each report's "
            "%(by)s; estimation needs at least two: define the lists by another of %(others)s",
            "only %(n)s lists recorded any victim (%(names)s) when a list is each report's "
            "%(by)s; estimation needs at least two: define the lists by another of %(others)s",
            n) % {"n": count(n), "names": comma.join(params["names"]) or gettext("none"),
                  "by": str(LIST_WORDS.get(str(params["by"]), params["by"])),
                  "others": comma.join(params["others"])} + why
    return code


def list_label(by: str, value: str, lang: str) -> str:
    """A list's name: a vocabulary label for types of material, channels and networks given
    as a code of ``source_networks``, else as recorded."""
    vocabulary = {"material_type": "source_material_types", "channel": "channels",
                  "network": "source_networks"}.get(by)
    if vocabulary is None:
        return value
    try:
        return vocabularies.load(vocabulary).label(value, "ar" if lang == "ar" else "en")
    except vocabularies.VocabularyError:
        return value


def _any_list_label(value: str, lang: str) -> str:
    """A list named by its code alone (a warning does not say what lists were made by)."""
    for by in ("network", "material_type", "channel"):
        said = list_label(by, value, lang)
        if said != value:
            return said
    return value


def warning_text(raw: str) -> str:
    """One warning of the core (``"[stratum] CODE: text"``) in plain words, no code."""
    note = parse_warning(raw)
    p = note.params
    figures = {k: count(v) if isinstance(v, int | float) and not isinstance(v, bool) else v
               for k, v in p.items()}
    figures.update({k: decimal(p[k], 3 if k == "rhat" and "rhat_limit" in p else 2)
                    for k in ("rhat", "ratio", "rhat_limit") if k in p})
    figures.update({k: method_word(p[k]) for k in ("method", "other") if k in p})
    if "term" in p:  # lists joined by ":" (a log-linear interaction): each by its label
        from dhakira.apps.dossier.models import lang

        figures["term"] = " × ".join(_any_list_label(x, lang()) for x in str(p["term"]).split(":"))
    template = _WARNINGS.get((note.code, p.get("variant", "")))
    if template is not None:
        text = str(template) % figures
    elif note.code in _GENERIC:
        text = str(_GENERIC[note.code])
    else:
        text = gettext("The estimator gave a further warning: %(text)s") % {
            "text": str(note).split(": ", 1)[-1] if note.code else str(note)}
    return _in_stratum(p, text)


def with_warning_texts(result: Mapping[str, Any]) -> dict[str, Any]:
    """An estimate's JSON (``dhakira estimate``: the total, its strata, the sensitivity runs)
    with ``warning_texts`` beside each ``warnings`` list: for each warning, in the same order,
    its stable ``code`` and its ``text`` in plain words in the active language
    (:func:`warning_text`). The ``warnings`` themselves are kept as they are."""
    out: dict[str, Any] = {}
    for key, value in result.items():
        out[key] = with_warning_texts(value) if isinstance(value, Mapping) else value
        if key == "warnings" and isinstance(value, list):
            out["warning_texts"] = [{"code": parse_warning(raw).code, "text": warning_text(raw)}
                                    for raw in value]
    return out


def _in_stratum(params: Mapping[str, Any], text: str) -> str:
    """Name the stratum a warning is about (not the single stratum of an unsplit run)."""
    stratum = params.get("stratum")
    if not stratum or stratum == "all":
        return text
    return str(STRATUM_WARNING) % {"stratum": stratum_label(stratum), "text": text}


def stratum_label(name: str) -> str:
    """A stratum's name in the reader's words: the made-up ones (all, total, unknown) in
    plain words, and each part of a stratum of several dimensions ("beating_flogging /
    female / Mosul") as the reader calls it: a type of act or a sex by its vocabulary's label,
    a half-year in words, a district by its name in the reader's language."""
    made_up = {"all": gettext("all victims"), "total": gettext("total"),
               "unknown": gettext("unknown")}
    if name in made_up:
        return made_up[name]
    return " / ".join(made_up.get(part) or _stratum_part(part) for part in name.split(" / "))


def _stratum_part(part: str) -> str:
    from dhakira.apps.dossier.models import lang

    for vocabulary in ("act_types", "sex"):
        terms = vocabularies.load(vocabulary)
        if part in terms:
            return terms.label(part, lang())
    if len(part) == 7 and part[:4].isdigit() and part[4:6] == "-H" and part[6] in "12":
        words = (gettext("first half of %(year)s") if part[6] == "1"
                 else gettext("second half of %(year)s"))
        return words % {"year": part[:4]}
    if lang() == "ar" and not part.isdigit():  # a district, named in English in the strata
        from dhakira.apps.dossier.models import Place

        found = (Place.objects.filter(name_en=part).exclude(name_ar="").order_by("pk")
                 .values_list("name_ar", flat=True).first())
        return found or part
    return part


def reason_text(reason: Reason) -> str:
    """Why an estimate is not usable, in plain words."""
    p = reason.params
    if reason.code == v.NOT_CONVERGED:
        text = gettext("the sampler did not settle (split R-hat %(rhat)s, effective sample size "
                       "%(ess)s), so the number could still move a long way") % {
            "rhat": decimal(p.get("rhat")), "ess": count(p.get("ess"))}
        return _in_stratum(p, text)
    if reason.code == v.UNBOUNDED:
        return gettext("the estimate or the upper end of its 95%% interval is unbounded") % {}
    if reason.code == v.WIDE_INTERVAL:
        return gettext("the 95%% interval (%(low)s to %(high)s) is wider than the estimate "
                       "itself (%(estimate)s)") % {k: count(p[k]) for k in
                                                   ("low", "high", "estimate")}
    if reason.code == v.MANY_TIMES_OBSERVED:
        return gettext(
            "the estimate is %(factor)s times the %(observed)s victims the lists saw; above "
            "%(limit)s times the lists would have seen fewer than one victim in five, so the "
            "number is mostly the model's guess, and this is what failed linkage looks like "
            "(the same people not matched across lists)") % {
            "factor": decimal(p["factor"], 1) if p["factor"] < 10 else count(p["factor"]),
            "observed": count(p["observed"]),
            "limit": count(p["limit"])}
    if reason.code == v.LINKAGE_STALE and not p.get("run"):
        return gettext("reports were added after the linkage run; run linkage again")
    if reason.code == v.LINKAGE_STALE:
        return gettext("reports were added after linkage run %(run)s; run linkage again") % {
            "run": p.get("run", "")}
    return reason.text


#: What lists and strata are made by, as the estimate form and the brief name them (a
#: refusal says what a list is in words of its own, LIST_WORDS).
LISTS_BY = {"network": _("source network"), "organisation": _("organisation (source)"),
            "material_type": _("type of material"), "channel": _("channel")}
STRATA_WORDS = {"year": _("year"), "half_year": _("half-year"), "district": _("district"),
                "act_type": _("type of act"), "sex": _("sex")}


def how_made(method: str, lists: object, strata: object) -> str:
    """One sentence: the method, what a list is and what the strata are, as an estimate was
    run (a brief must say which of several runs its number comes from)."""
    by = lists.get("by", "") if isinstance(lists, Mapping) else str(lists or "")
    dims = list(strata.get("by") or []) if isinstance(strata, Mapping) else []
    return gettext("Method: %(method)s; lists by %(lists)s; strata: %(strata)s.") % {
        "method": method_name(method), "lists": LISTS_BY.get(by, by),
        "strata": ", ".join(str(STRATA_WORDS.get(d, d)) for d in dims)
        or gettext("none (one estimate for the whole dossier)")}


def what_it_is() -> str:
    """One plain sentence: what the estimate is and what it is not."""
    return gettext(
        "This number estimates how many victims of the recorded acts there were, including "
        "those no list recorded; it is not a list of names, not a count of deaths or acts, "
        "and it is only as good as the linkage that decided who is the same person.")


_WARNINGS = {
    ("FEW_LISTS", "few"): _(
        "Only %(k)s lists: the estimate rests on the untestable assumption that the lists are "
        "independent; three or more lists let the models check for dependence and allow for it."),
    ("SPARSE_TABLE", "sparse"): _(
        "%(zeros)s of %(cells)s list combinations are empty and %(small)s hold fewer than "
        "%(limit)s people; an estimate from so thin a table is fragile."),
    ("UNSTABLE_ESTIMATE", "unbounded"): _(
        "The interval has no finite upper end; do not rely on it."),
    ("UNSTABLE_ESTIMATE", "wide"): _(
        "The 95%% interval (%(low)s to %(high)s) is wider than the estimate (%(estimate)s); "
        "the number is very uncertain."),
    ("UNSTABLE_ESTIMATE", "truncated"): _(
        "The calculation stopped at %(n)s people before the chances of larger totals died "
        "away; the upper end depends on where it stopped."),
    ("METHODS_DISAGREE", "disagree"): _(
        "With the %(method)s the estimate is %(estimate)s, with the %(other)s %(value)s "
        "(ratio %(ratio)s); the answer depends on modelling choices."),
    ("NOT_CONVERGED", "sampler"): _(
        "The sampler has not settled (split R-hat %(rhat)s, effective sample size %(ess)s); "
        "run more iterations or chains before relying on it."),
    ("NOT_CONVERGED", "target"): _(
        "The sampler has not settled (split R-hat %(rhat)s, effective sample size %(ess)s; "
        "reliable needs R-hat at most %(rhat_limit)s and at least %(ess_limit)s); run more "
        "iterations or chains before relying on it."),
    ("NOT_CONVERGED", "budget"): _(
        "The sampler has not settled (split R-hat %(rhat)s, effective sample size %(ess)s; "
        "reliable needs R-hat at most %(rhat_limit)s and at least %(ess_limit)s): its time "
        "budget of %(budget)s seconds ran out; give it more time before relying on it."),
    ("ZERO_MARGIN", "margin"): _(
        "Nobody is on all of the lists %(term)s, so the model cannot measure how they overlap."),
    ("INFINITE_ESTIMATE", "unbounded"): _(
        "The model puts no bound on the unseen: an empty combination of lists drives the "
        "estimate to infinity."),
}
_GENERIC = {
    "FEW_LISTS": _("Fewer than three lists: the estimate assumes the lists are independent."),
    "SPARSE_TABLE": _("Most list combinations are empty or nearly so; the estimate is "
                          "fragile."),
    "UNSTABLE_ESTIMATE": _("The estimate is very uncertain."),
    "METHODS_DISAGREE": _("Other methods give very different answers; the answer depends "
                              "on modelling choices."),
    "NOT_CONVERGED": _("The sampler has not settled; run more iterations or chains before "
                           "relying on it."),
    "ZERO_MARGIN": _("Nobody is on some combination of lists, so the model cannot measure "
                         "how they overlap."),
    "INFINITE_ESTIMATE": _("The model puts no bound on the unseen."),
    "LINKAGE_STALE": _("The linkage run is older than the newest report: victims recorded "
                       "since are each counted as a person of their own; run linkage again."),
}
