"""Presidio recognisers for the Dutch PII types of ANNOTATION.md §1.

Pattern recognisers carry their patterns and context words, with checksums in
``validate_result`` (BSN 11-check, IBAN mod-97). None of them needs an NLP model,
so each is testable on its own with ``recogniser.analyze(text, entities)``.
Names, places, institutions and streets need word lists: see ``person_names``,
``places``, ``institutions`` and ``streets``.
"""

from __future__ import annotations

import re

from presidio_analyzer import AnalysisExplanation, EntityRecognizer, Pattern, PatternRecognizer, RecognizerResult
from stdnum import iban
from stdnum.nl import bsn

from leerwerkplaats.core.dates import MONTH_ALTERNATIVES, WEEKDAY_ALTERNATIVES
from leerwerkplaats.privacy.lexicon import is_word

LANG = "nl"
_FLAGS = re.MULTILINE  # Presidio's default adds IGNORECASE; our patterns set (?i) where wanted


def bsn_is_valid(digits: str) -> bool:
    """Dutch 11-check (``stdnum.nl.bsn``); 8-digit BSNs lost a leading 0."""
    return bsn.is_valid(re.sub(r"\D", "", digits))


def iban_is_valid(value: str) -> bool:
    """ISO 13616 mod-97 check and the country's length (``stdnum.iban``), in any case, spaces or hyphens."""
    return iban.is_valid(re.sub(r"[\s-]", "", value).upper())


def make_result(recogniser: EntityRecognizer, kind: str, start: int, end: int, score: float) -> RecognizerResult:
    """A result with the explanation and metadata Presidio's context step expects."""
    return RecognizerResult(
        kind, start, end, score,
        analysis_explanation=AnalysisExplanation(recognizer=recogniser.name, original_score=score),
        recognition_metadata={
            RecognizerResult.RECOGNIZER_NAME_KEY: recogniser.name,
            RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: recogniser.id,
        },
    )


class _Pattern(PatternRecognizer):
    """A pattern recogniser for Dutch with case-sensitive matching by default.

    Recognisers whose matches are validated (a checksum, a real date) get the top
    score from Presidio whatever surrounds them, so only the others list context words.
    """

    ENTITY = ""
    PATTERNS: list[Pattern] = []
    CONTEXT: list[str] = []

    def __init__(self) -> None:
        super().__init__(
            supported_entity=self.ENTITY, patterns=list(self.PATTERNS), context=list(self.CONTEXT),
            supported_language=LANG, global_regex_flags=_FLAGS, name=type(self).__name__,
        )


class BsnRecogniser(_Pattern):
    ENTITY = "BSN"
    PATTERNS = [
        Pattern("bsn 9", r"(?<![\d.,/-])\d{9}(?![\d/-]|[.,]\d)", 0.5),
        Pattern("bsn dots", r"(?<![\d.])\d{4}\.\d{2}\.\d{3}(?![\d])(?!\.\d)", 0.6),
        Pattern("bsn spaces", r"(?<!\d)(?<!\d )\d{3} \d{3} \d{3}(?!\d)(?! \d)", 0.5),
        Pattern("bsn 8", r"(?<![\d.,/-])\d{8}(?![\d/-]|[.,]\d)", 0.2),
        # nine digits in any grouping, one kind of separator: 12.34.56.782, 1234-56-782, 12 345 6782
        Pattern("bsn grouped", r"(?<![\d.,/-])(?<!\d )\d{1,4}([.\- ])\d{1,4}(?:\1\d{1,4}){0,7}(?!\d|[.,/-]\d|\1\d)", 0.5),
    ]
    CONTEXT = ["bsn", "burgerservicenummer", "sofinummer", "sofi", "bsn-nummer", "burgerservice"]
    #: After the word BSN a nine-digit number is withheld even when its checksum fails: a miss is a leak.
    LABELLED = re.compile(r"(?i:\bbsn|burgerservicenummer|sofinummer)(?:[ \t-]?(?i:nr\.?|nummer))?[ \t]*:?[ \t]*"
                          r"(\d(?:[.\- ]?\d){7,8})(?!\d|[.\- ]\d)")

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):
        results = super().analyze(text, entities, nlp_artifacts, regex_flags)
        for m in self.LABELLED.finditer(text):
            results.append(make_result(self, "BSN", m.start(1), m.end(1), 0.95))
        return results

    def validate_result(self, pattern_text: str) -> bool | None:
        # Eight digits are a BSN only with a context word nearby: keep their low score.
        digits = re.sub(r"\D", "", pattern_text)
        if len(digits) not in (8, 9) or not bsn_is_valid(digits) or (len(digits) == 8 and digits != pattern_text):
            return False
        return None if len(digits) == 8 else True


class IbanRecogniser(_Pattern):
    ENTITY = "IBAN"
    PATTERNS = [
        # NL91 ABNA 0417 1643 00, nl91abna0417164300, NL91-ABNA-0417-1643-00: the checksum decides, in any case
        Pattern("iban", r"(?<![\w-])[A-Za-z]{2}\d{2}(?:[ -]?[A-Za-z0-9]{4}){2,7}(?:[ -]?[A-Za-z0-9]{1,3})?(?![\w-])", 0.6),
        # whole groups only, for when a short word follows ("PL40 … 6091 bij" would fail the check)
        Pattern("iban whole groups", r"(?<![\w-])[A-Za-z]{2}\d{2}(?:[ -]?[A-Za-z0-9]{4}){2,7}(?![\w-])", 0.6),
    ]

    def validate_result(self, pattern_text: str) -> bool:
        return iban_is_valid(pattern_text)


class TelefoonRecogniser(_Pattern):
    """Dutch mobile and landline numbers in their many notations, and foreign numbers."""

    ENTITY = "TELEFOON"
    PATTERNS = [
        # +31 6 ..., +31 (0)6 ..., 0031 6 ..., +31 71 ...
        Pattern("nl intl", r"(?<![\w+])(?:\+|00)31[ \-]?(?:\(0\)[ \-]?)?\d(?:[ \-]?\d){8}(?!\d)", 0.7),
        # 06-12345678, 0612345678, 06 1234 5678, 071-5120000, 071 - 512 00 00, 088-1234567
        Pattern("nl national", r"(?<![\w+/.])0[1-9]\d?\d?(?: ?- ?| )?\n?\d(?:(?:[ \-]|[ \-]?\n)?\d){5,7}(?![\d\w])", 0.5),
        # (070) 123 45 67, (0172) 12 34 56, (06) 12345678, (06)-12 34 56 78
        Pattern("nl brackets", r"(?<![\w(])\(0\d{1,3}\)[ \-.]?\d(?:[ .\-]?\d){5,8}(?![\w]|[.\-]\d)", 0.7),
        # 071.512.34.56, 06.12.34.56.78, 06.12345678: dots only, so a date with a time is not one
        Pattern("nl dots", r"(?<![\w+/.,])0\d{1,3}(?:\.\d{1,8}){1,5}(?![\w]|[.,]\d)", 0.5),
        # +31.6.12345678, (+31) 6 1234 5678, (+31)(0)6-12345678
        Pattern("nl intl dots or brackets",
                r"(?<![\w+(])(?:\(\+31\)|(?:\+|00)31)[ .\-]?(?:\(0\)[ .\-]?)?\d(?:[ .\-]?\d){8}(?![\w]|[.\-]\d)", 0.7),
        # +49 30 1234567, +90 532 123 45 67, +212 6 12 34 56 78, 0049 ...
        Pattern("foreign", r"(?<![\w+])(?:\+|00)(?!31)[1-9]\d{0,2}[ \-\n]?(?:\(0\)[ \-]?)?\d(?:(?:[ \-]|[ \-]?\n)?\d){6,11}(?!\d)", 0.6),
    ]

    def validate_result(self, pattern_text: str) -> bool:
        # By length, not phonenumbers' validity: that rejects made-up numbers in unassigned
        # ranges (0494…, 0866…), which a case file may hold, and accepts dates (09-06-2022).
        digits = re.sub(r"\D", "", pattern_text)
        if pattern_text.startswith(("+", "00", "(+")):
            return 9 <= len(digits) <= 15
        if digits.startswith(("0800", "0900", "0906", "0909")):  # national hotlines and service numbers
            return False
        return len(digits) == 10


class EmailRecogniser(_Pattern):
    """E-mail addresses. Presidio's own one fetches a suffix list on first use; this one never does."""

    ENTITY = "EMAIL"
    PATTERNS = [
        Pattern("email", r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}(?![\w-])", 0.9),
    ]


class SpelledEmailRecogniser(_Pattern):
    """E-mail addresses spelled out against harvesters: "naam [at] domein [punt] nl", "naam(at)domein(dot)com"."""

    ENTITY = "EMAIL"
    _MARK = re.compile(r"(?i)[\[({][ \t]?(?:at|@|apenstaartje)[ \t]?[\])}]")
    PATTERNS = [
        Pattern("email spelled out", r"(?i)(?<![\w.+-])[\w.+-]+[ \t]?[\[({][ \t]?(?:at|@|apenstaartje)[ \t]?[\])}][ \t]?[\w-]+"
                r"(?:(?:[ \t]?[\[({][ \t]?(?:punt|dot)[ \t]?[\])}][ \t]?|\.|[ \t](?:punt|dot)[ \t])[\w-]+)*"
                r"(?:[ \t]?[\[({][ \t]?(?:punt|dot)[ \t]?[\])}][ \t]?|\.|[ \t](?:punt|dot)[ \t])[A-Za-z]{2,6}(?![\w-])", 0.85),
    ]

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):
        if not self._MARK.search(text):  # the whole pattern is slow to fail on every word
            return []
        return super().analyze(text, entities, nlp_artifacts, regex_flags)


class PostcodeRecogniser(_Pattern):
    ENTITY = "POSTCODE"
    PATTERNS = [Pattern("postcode", r"(?<![\w-])[1-9]\d{3} ?(?!SA|SD|SS)[A-Z]{2}(?![\w-])", 0.6)]
    CONTEXT = ["postcode", "adres", "woonplaats", "wonend"]


class KentekenRecogniser(_Pattern):
    """Dutch licence plates: three groups of letters or digits, six characters in all."""

    ENTITY = "KENTEKEN"
    PATTERNS = [Pattern("kenteken", r"(?<![\w-])[A-Z0-9]{1,3}-\n?[A-Z0-9]{1,3}-\n?[A-Z0-9]{1,3}(?![\w-])", 0.5)]

    def validate_result(self, pattern_text: str) -> bool:
        groups = pattern_text.replace("\n", "").split("-")
        if sum(len(g) for g in groups) != 6:
            return False
        kinds = [g.isdigit() or (g.isalpha() and g.isupper()) for g in groups]
        has_letters = any(g.isalpha() for g in groups)
        return all(kinds) and has_letters and not all(g.isalpha() for g in groups)


class UrlRecogniser(_Pattern):
    """Web addresses that point at a person: social media profiles and personal pages."""

    ENTITY = "URL"
    PATTERNS = [
        Pattern("social", r"(?i)(?<![\w/])(?:https?://)?(?:www\.|m\.)?(?:facebook|instagram|tiktok|twitter|x|snapchat|linkedin|youtube|threads)\.com/\n?[\w.@%/?=&-]*[\w/]", 0.8),
        Pattern("url with path", r"(?i)(?<![\w/])https?://[^\s<>()\"]+[\w/]", 0.4),
    ]


class HandleRecogniser(_Pattern):
    """Social-media handles (``@sanne_08``), a person's nickname: the name after the ``@``, the sign stays.

    A handle with a digit, an underscore or a dot, or a name that is no Dutch word, stands on
    its own; a plain word ("@school") counts only after a platform word (Presidio's context step).
    """

    ENTITY = "PERSOON"
    PATTERNS = [Pattern("handle", r"(?<=(?<![\w.+@-])@)[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?(?![\w@-])", 0.3)]
    CONTEXT = ["instagram", "insta", "tiktok", "snapchat", "snap", "twitter", "facebook", "account", "volgt", "handle",
               "gebruikersnaam", "profiel", "whatsapp", "telegram", "discord", "youtube"]

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):
        results = super().analyze(text, entities, nlp_artifacts, regex_flags)
        for r in results:
            handle = text[r.start:r.end]
            if handle.isdigit():
                r.score = 0.0  # "@ 14" is a time or a price
            elif re.search(r"[\d_.]", handle) or not is_word(handle):
                r.score = max(r.score, 0.7)
        return [r for r in results if r.score > 0]


_MONTHS = f"(?:{MONTH_ALTERNATIVES})"
_WEEKDAYS = f"(?:{WEEKDAY_ALTERNATIVES})"


class DatumRecogniser(_Pattern):
    """Calendar dates with a day: numeric, ISO, written out, with or without weekday and year."""

    ENTITY = "DATUM"
    PATTERNS = [
        Pattern("written", rf"(?i)(?<!\w)(?=[0-3]?\d|[mdwvz][aior])(?:{_WEEKDAYS}\.?,? )?(?:[0-3]?\d)(?:e|ste|de)?[ \n]{_MONTHS}(?:\.?[ \n]?'?\d{{4}}|\.? '\d{{2}}|(?<=[a-z]{{3}})\.(?=[ \t]*[^\sA-Z])|(?<=[a-z]{{3}})\.(?=[ \t]*$)|\b)", 0.7),
        Pattern("numeric", rf"(?i)(?<![\w/.-])(?=[0-3]?\d|[mdwvz][aior])(?:{_WEEKDAYS}\.?,? )?[0-3]?\d[-/.][01]?\d[-/.](?:\d{{4}}|'?\d{{2}})(?![\w/-]|\.\d)", 0.6),
        Pattern("iso", r"(?<![\w-])(?:19|20)\d{2}-[01]\d-[0-3]\d(?![\w-])", 0.7),
        Pattern("weekday short", rf"(?i)(?<!\w)(?=[mdwvz][aior]){_WEEKDAYS}\.?,? [0-3]?\d[-/][01]?\d(?![\w/-])", 0.6),
        Pattern("op day/month", r"(?<=\bop )[0-3]?\d[-/][01]?\d(?![\w/-])", 0.5),
        Pattern("journal day/month", r"(?m)^[ \t]*[0-3]?\d[-/][01]?\d(?=[ \t]*[:\-–]|[ \t])(?![-/]\d)", 0.5),
    ]

    #: A day and month without a year ("3/11", "14-06"): a date unless the words around make it
    #: a school group, a score, a range or a count ("groep 3/4", "24/7", "10-12 uur", "2-3 keer").
    DAY_MONTH = re.compile(r"(?<![\w/.,-])([0-3]?\d)([-/])([01]?\d)(?![\w/]|[-.,]\d)")
    _NOT_BEFORE = re.compile(r"(?i:groep(?:en)?|klas|leerjaar|cijfer|score|niveau|stand|uitslag|van|tussen|om|nr\.?|nummer|artikel|art\.?)[ \t]*$")
    _NOT_AFTER = re.compile(r"[ \t]*(?i:uur|u\b|keer|x\b|jaar|jarige|maanden|weken|dagen|kinderen|personen|%|procent|euro|bereikbaar|deel)")

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):
        results = super().analyze(text, entities, nlp_artifacts, regex_flags)
        for m in self.DAY_MONTH.finditer(text):
            day, sep, month = int(m.group(1)), m.group(2), int(m.group(3))
            if any(r.start <= m.start() and m.end() <= r.end for r in results):
                continue
            if not (1 <= day <= 31 and 1 <= month <= 12) or (sep == "-" and len(m.group(3)) < 2):
                continue  # "3-4 keer": a dash date writes its month in two digits
            if self._NOT_BEFORE.search(text, max(0, m.start() - 14), m.start()) or self._NOT_AFTER.match(text, m.end()):
                continue
            results.append(make_result(self, "DATUM", m.start(), m.end(), 0.45))
        return results

    def validate_result(self, pattern_text: str) -> bool:
        nums = [int(n) for n in re.findall(r"\d+", pattern_text)]
        if re.search(r"\d{4}-\d{2}-\d{2}", pattern_text):
            return 1 <= nums[1] <= 12 and 1 <= nums[2] <= 31
        if not nums:
            return False
        if re.search(_MONTHS, pattern_text, re.I) and not re.search(r"\d[-/.]\d", pattern_text):
            return 1 <= nums[0] <= 31
        return len(nums) >= 2 and 1 <= nums[0] <= 31 and 1 <= nums[1] <= 12


class DossiernummerRecogniser(EntityRecognizer):
    """Case, client, registration and court numbers: by their shape, or after a label word.

    A label is any word ending in ``nummer`` or ``nr`` (``zaaknummer``, ``VT-nr``,
    ``cliëntnr.``), or ``ref.``, ``referentie``, ``kenmerk``, ``dossier``; the labels of
    numbers that point at nobody (``huisnummer``, ``artikelnummer``, ``weeknummer``) are
    left out. What follows must hold at least three digits.
    """

    LABELLED = re.compile(
        r"(?i)(?<![\w-])((?:(?:uw|ons|onze)[ \t]+)?(?:[a-zà-ÿ]*[/-]?(?:nummer|nr\b\.?)|ref\b\.?|referentie|kenmerk|dossier))"
        r"(?:[ \t]+(?-i:[A-Z]{2,4})(?=[ \t]+\d|[ \t]*:))?[ \t]*:?[ \t]*"
        r"(?-i:([A-Z]{1,4}[ ]\d[\w/.-]*\d|[A-Z0-9][\w/.-]*\d[\w/-]*|[A-Z]{2,5}(?:-[A-Z0-9]+)+|[/.-]\d[\w/.-]*\d))"
    )
    #: Labels of numbers that identify nobody: of a house, a page, an article of law, a week, a version.
    NOT_LABELS = frozenset("""huis huisnr telefoon tel mobiel fax week versie artikel art groep groeps pagina blz kamer bus
    lijn rang jaar les hoofdstuk bijlage agenda agendapunt punt post volg bladzijde regel""".split())
    SHAPES = re.compile(
        r"(?<![\w/-])(?:[A-Z]/\d{2}/\d{5,7}"  # C/09/567890
        r"|[A-Z]{2}\d{2,4}-\d{6,12}"  # police report number PL0900-2023123456
        r"|[A-Z][A-Za-z]{1,4}(?:-[A-Z]{2,3})?-\d{2,8}(?:-\d{2,7})?"  # VT-2019-1234, SWT-DH-30418, RvdK-DB-24-03311
        r"|\d{2}/\d{6}-\d{2}"  # parketnummer 13/123456-19
        r"|\d{3}\.\d{3}\.\d{3}(?:/\d{2})?"  # court of appeal 200.123.456/01
        r"|ECLI:[A-Z]{2}:[A-Z0-9]{2,7}:\d{4}:[A-Z0-9.]{1,25})(?![\w-])"  # ECLI:NL:RBOVE:2021:1234
    )
    #: A court's own registration: JE RK 19-1234, FA RK 23/567, HA ZA 21-123, after a C/09/567890 or alone.
    COURT = re.compile(
        r"(?<![\w/-])(?:[A-Z]/\d{2}/\d{5,7}(?:[ \t]?/[ \t]?|[ \t]))?[A-Z]{2}[ \t]?(?:RK|ZA|RQ|EX)[ \t]?\d{2}[-/ ]\d{1,5}(?![\w-])"
    )

    def __init__(self) -> None:
        super().__init__(supported_entities=["DOSSIERNUMMER"], supported_language=LANG, name="DossiernummerRecogniser")

    def load(self) -> None:  # nothing to load
        pass

    def analyze(self, text, entities, nlp_artifacts=None):
        out = []
        for m in self.LABELLED.finditer(text):
            stem = re.sub(r"(?i)[/-]?(?:nummer|nr\.?)$", "", m.group(1)).lower().split()
            if not stem or stem[-1].rstrip(".") in self.NOT_LABELS:
                continue  # a bare "nummer 12345", or a house number, a page, an article
            if sum(c.isdigit() for c in m.group(2)) >= 3:
                out.append(make_result(self, "DOSSIERNUMMER", m.start(2), m.end(2), 0.85))
        for m in self.SHAPES.finditer(text):
            if sum(c.isdigit() for c in m.group()) >= 4:
                out.append(make_result(self, "DOSSIERNUMMER", m.start(), m.end(), 0.7))
        for m in self.COURT.finditer(text):
            out.append(make_result(self, "DOSSIERNUMMER", m.start(), m.end(), 0.8))
        return out


def pattern_recognisers() -> list[EntityRecognizer]:
    """Every shape-based recogniser, fresh instances."""
    return [
        BsnRecogniser(), IbanRecogniser(), TelefoonRecogniser(), EmailRecogniser(), SpelledEmailRecogniser(),
        PostcodeRecogniser(),
        KentekenRecogniser(), UrlRecogniser(), DatumRecogniser(), DossiernummerRecogniser(), HandleRecogniser(),
    ]
