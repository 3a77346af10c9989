"""OCR quality and speed: character error rate (CER) on printed Arabic and English pages, clean
and made to look photographed, and pages per second of processor time.

The pages are made here, with known text: synthetic sentences (no real person or place of a
real case) printed with Pillow and libraqm in the Amiri font the Makefile installs, A4 at
300 dpi, 14 pt, right-aligned and shaped right to left for Arabic. The "noisy" set adds what
a phone photo of a page does: a grey, uneven background, a skew of 1–2.5°, a blur, grain,
and JPEG compression. Each page goes through the path processing uses
(:func:`dhakira.apps.evidence.ocr.image_text`: the limited renderer, then ``tesseract`` through
pipes), so the figures are the product's, not Tesseract's on its own.

CER = Levenshtein distance / length of the true text, over the whole page, after joining
lines with one space, collapsing white space and dropping the bidi marks Tesseract adds
(U+200E, U+200F). Nothing else is normalised (hamza, alef and ta marbuta errors count).
Processor time is this process's and its children's (``resource.getrusage``): wall time on a
shared machine measures the neighbours as much as the work.

The baseline, on the same pages in the same run, is Tesseract alone as most tools call it:
``tesseract stdin stdout -l ara+eng`` on the page as made (300 dpi, not re-encoded), one
thread. The difference shows what the product's path costs (the limited renderer) and what
reading at 200 dpi gains.

Usage:
    .venv/bin/python bench/bench_ocr.py            # 8 pages per language and condition
    .venv/bin/python bench/bench_ocr.py --quick    # 2 pages
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "src")]
RESULTS = ROOT / "bench" / "results" / "ocr.json"
SEED = 20
GOAL_ARABIC_CLEAN_CER = 0.10

ARABIC = [
    "وصل الشاهد إلى مكتب الحسبة صباح يوم الخميس",
    "أغلقت المحلات في السوق القديم بأمر من المكتب",
    "قال الشاهد إن المسلحين أخذوا ثلاثة رجال من الحي",
    "نقل المحتجزون إلى مبنى المحكمة قرب الجسر الشمالي",
    "صدر الحكم بالجلد على أربعة من سكان القرية",
    "كتب القاضي اسم المتهم وتاريخ الجلسة في السجل",
    "شوهدت سيارات بيضاء عند نقطة التفتيش على الطريق",
    "طلب من الأهالي حضور تنفيذ العقوبة في الساحة",
    "فقدت العائلة الاتصال بابنها بعد اعتقاله بيومين",
    "سجلت الوثيقة مصادرة المنزل ونقل ملكيته إلى الديوان",
    "أفاد المصدر بأن النساء منعن من الخروج دون محرم",
    "عثر على الوثائق في مبنى الشرطة بعد انسحاب المسلحين",
    "يحمل الختم عبارة ديوان القضاء والمظالم في الولاية",
    "دفع التاجر غرامة مالية بسبب بيع السجائر",
    "هرب الشهود من المدينة في شهر حزيران",
    "تضمن التقرير أسماء مستعارة للشهود حفاظا على سلامتهم",
]
ENGLISH = [
    "The witness reached the hisba office on Thursday morning",
    "Shops in the old market were closed by order of the office",
    "Three men were taken from the district by armed members",
    "The detainees were moved to the court building near the bridge",
    "The record lists the confiscation of the house and its transfer",
    "White vehicles were seen at the checkpoint on the main road",
    "Residents were ordered to attend the punishment in the square",
    "The family lost contact with their son two days after his arrest",
    "The stamp reads court and grievances office of the province",
    "A trader paid a fine for selling cigarettes in the market",
    "The documents were found in the police building after the withdrawal",
    "Witnesses fled the city in June and reached the camp in July",
]


def _page(lines: list[str], arabic: bool, noisy: bool, rng: random.Random) -> bytes:
    from PIL import Image, ImageFilter
    from tests.evidence import files

    data = files.printed_page(lines, arabic=arabic, size=58)
    if not noisy:
        return data
    import numpy as np

    page = Image.open(io.BytesIO(data)).convert("L")
    angle = rng.choice((-1, 1)) * rng.uniform(1.0, 2.5)
    page = page.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    page = page.filter(ImageFilter.GaussianBlur(rng.uniform(1.0, 1.6)))
    pixels = np.asarray(page, dtype=np.float32)
    height, width = pixels.shape
    # An uneven, greyish paper: lighter in one corner, darker in the other.
    shade = np.linspace(0, 1, width)[None, :] * 0.5 + np.linspace(0, 1, height)[:, None] * 0.5
    pixels = pixels * (0.80 + 0.12 * shade) + 10
    pixels += np.random.default_rng(rng.randrange(2**32)).normal(0, 14, pixels.shape)
    noisy_page = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    out = io.BytesIO()
    noisy_page.save(out, "JPEG", quality=60)
    return out.getvalue()


def _norm(text: str) -> str:
    return " ".join(text.replace("\u200e", "").replace("\u200f", "").split())


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _tesseract_alone(image: bytes) -> str:
    import subprocess

    done = subprocess.run(["tesseract", "stdin", "stdout", "-l", "ara+eng"], input=image,
                          capture_output=True, check=True,
                          env={**os.environ, "OMP_THREAD_LIMIT": "1"})
    return done.stdout.decode("utf-8", "replace")


def run(pages: int) -> dict[str, object]:
    import jellyfish
    from PIL import Image

    from dhakira.apps.evidence import ocr

    rng = random.Random(SEED)
    sets: dict[str, dict[str, object]] = {}
    for language, corpus in (("arabic", ARABIC), ("english", ENGLISH)):
        for noisy in (False, True):
            errors = chars = base_errors = 0
            cpu = wall = base_cpu = 0.0
            worst = 0.0
            for _ in range(pages):
                lines = rng.sample(corpus, 10)
                image = _page(lines, language == "arabic", noisy, rng)
                with Image.open(io.BytesIO(image)) as opened:
                    size = opened.size
                began_cpu, began = _cpu(), time.monotonic()
                read = ocr.image_text(image, *size)
                cpu += _cpu() - began_cpu
                wall += time.monotonic() - began
                truth, got = _norm(" ".join(lines)), _norm(read.text)
                distance = jellyfish.levenshtein_distance(truth, got)
                errors += distance
                chars += len(truth)
                worst = max(worst, distance / len(truth))
                began_cpu = _cpu()
                raw = _tesseract_alone(image)
                base_cpu += _cpu() - began_cpu
                base_errors += jellyfish.levenshtein_distance(truth, _norm(raw))
            name = f"{language}_{'noisy' if noisy else 'clean'}"
            sets[name] = {"pages": pages, "characters": chars, "errors": errors,
                          "cer": round(errors / chars, 4), "worst_page_cer": round(worst, 4),
                          "cpu_s": round(cpu, 2), "pages_per_cpu_s": round(pages / cpu, 3),
                          "wall_s": round(wall, 2),
                          "baseline_tesseract_alone": {
                              "cer": round(base_errors / chars, 4), "cpu_s": round(base_cpu, 2),
                              "pages_per_cpu_s": round(pages / base_cpu, 3)}}
            print(name, sets[name], flush=True)
    return {"benchmark": "ocr", "seed": SEED, "engine": ocr.tesseract_version(),
            "languages": ocr.LANGUAGES, "page_side_px": ocr.PAGE_SIDE,
            "goal_arabic_clean_cer": GOAL_ARABIC_CLEAN_CER,
            "goal_met": sets["arabic_clean"]["cer"] <= GOAL_ARABIC_CLEAN_CER,  # type: ignore[operator]
            "load_average": os.getloadavg(), "sets": sets}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2 pages per set")
    parser.add_argument("--pages", type=int, default=8)
    args = parser.parse_args()
    result = run(2 if args.quick else args.pages)
    RESULTS.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    print(f"wrote {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
