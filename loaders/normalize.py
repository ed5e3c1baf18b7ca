"""Name normalisation: legal forms, identity keys, transliteration, Russian nominative, scorer-style keys.

Used by extraction (names as written -> canonical names), by the loader's identity rule
(shared/schema.md, "Identity") and by the evaluation (`norm_for_match` equals the reference
scorer's `norm`). Data lives in `loaders/gazetteer/legal_forms.yaml` and `translit.yaml`.

>>> split_legal_form("ООО «Презент упаковка»")
('Презент упаковка', 'LLC')
>>> identity_key("АО «Арнест»") == identity_key("Арнест")
True
>>> nominative_ru("Фонда развития промышленности Тульской области")
'Фонд развития промышленности Тульской области'
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from pathlib import Path

import yaml

from loaders.morph import analyzer, is_cyrillic, lemma

GAZETTEER = Path(__file__).parent / "gazetteer"

# Opening -> closing quote characters seen around Russian and English names.
QUOTES = {"«": "»", "“": "”", "„": "“", '"': '"', "'": "'", "‘": "’", "‹": "›", "`": "'"}
_QUOTE_CHARS = set(QUOTES) | set(QUOTES.values()) | {"”", "‟"}


# --- legal forms --------------------------------------------------------------------------

@dataclass(frozen=True)
class LegalForm:
    code: str
    abbreviations: tuple[str, ...]
    full: tuple[str, ...]


@lru_cache(maxsize=1)
def _legal_forms() -> tuple[LegalForm, ...]:
    rows = yaml.safe_load((GAZETTEER / "legal_forms.yaml").read_text(encoding="utf-8"))
    return tuple(LegalForm(r["code"], tuple(r.get("abbreviations") or ()), tuple(r.get("full") or ()))
                 for r in rows)


@lru_cache(maxsize=1)
def _legal_table() -> dict[str, str]:
    """`LEGAL_FORMS`: every written form ("ООО", "Limited Liability Company") -> canonical code ("LLC")."""
    out: dict[str, str] = {}
    for lf in _legal_forms():
        for form in lf.abbreviations + lf.full:
            out.setdefault(form, lf.code)
    return out


def __getattr__(name: str) -> object:
    # `LEGAL_FORMS` is read from the data file on first access, keeping the import fast.
    if name == "LEGAL_FORMS":
        return _legal_table()
    raise AttributeError(name)


@lru_cache(maxsize=1)
def _legal_regexes() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(prefix pattern, suffix pattern); abbreviations case-sensitive, full forms not."""
    abbr = sorted({a for lf in _legal_forms() for a in lf.abbreviations}, key=len, reverse=True)
    full = sorted({f for lf in _legal_forms() for f in lf.full}, key=len, reverse=True)

    def alt(forms: list[str], ci: bool) -> str:
        body = "|".join(re.escape(f).replace(r"\ ", r"\s+") for f in forms)
        return f"(?i:{body})" if ci else f"(?:{body})"

    forms = f"(?P<form>{alt(full, True)}|{alt(abbr, False)})"
    prefix = re.compile(rf"^\s*{forms}(?![\w.])[\s,]*")
    suffix = re.compile(rf"[\s,]+{forms}\s*$")
    return prefix, suffix


def _code_of(form: str) -> str | None:
    form = re.sub(r"\s+", " ", form.strip())
    table = _legal_table()
    if form in table:
        return table[form]
    low = form.casefold().replace("ё", "е")
    for k, v in table.items():
        if k.casefold().replace("ё", "е") == low:
            return v
    return None


def strip_quotes(name: str) -> str:
    """Remove one or more layers of surrounding quotes, and a lone unbalanced one at either end.

    >>> strip_quotes("«Завод «Ресурс»»")
    'Завод «Ресурс»'
    """
    s = name.strip()
    while len(s) >= 2 and s[0] in QUOTES and s[-1] in (QUOTES[s[0]], "»", "”", '"'):
        inner = s[1:-1].strip()
        # «A» и «B» is two names, not one quoted one
        if s[0] in inner and QUOTES[s[0]] in inner and inner.index(QUOTES[s[0]]) < inner.index(s[0]):
            break
        s = inner
    opens = sum(s.count(q) for q in ("«", "“", "„"))
    closes = sum(s.count(q) for q in ("»", "”"))
    if s and s[0] in _QUOTE_CHARS and opens > closes:
        s = s[1:].strip()
    if s and s[-1] in _QUOTE_CHARS and closes > opens:
        s = s[:-1].strip()
    if s.count('"') == 1 and s[0] == '"' or s.count('"') == 1 and s[-1] == '"':
        s = s.strip('"').strip()
    return s


def split_legal_form(name: str) -> tuple[str, str | None]:
    """Separate a leading or trailing legal form from a name, and its quotes.

    >>> split_legal_form("JSC Arnest")
    ('Arnest', 'JSC')
    >>> split_legal_form("АНО ДПО «Институт экономики знаний»")
    ('Институт экономики знаний', 'ANO')
    """
    prefix, suffix = _legal_regexes()
    s = unicodedata.normalize("NFKC", name).strip()
    code = None
    m = prefix.match(s)
    if m and m.end() < len(s):
        code = _code_of(m.group("form"))
        s = s[m.end():]
    else:
        m = suffix.search(s)
        if m and m.start() > 0:
            code = _code_of(m.group("form"))
            s = s[:m.start()]
    return strip_quotes(s), code


# --- identity -----------------------------------------------------------------------------

_PUNCT = re.compile(r"[^\w\s]|_")
_LEGAL_TOKENS_EXTRA = {"ооо", "ooo", "llc", "ао", "jsc", "пао", "pjsc", "зао", "cjsc", "оао", "ojsc",
                       "нп", "np", "ано", "ano"}


def identity_key(name: str) -> str:
    """The identity rule of shared/schema.md: NFKC, case-folded, ё→е, quotes and legal forms
    removed, punctuation and dashes to spaces, Russian words lemmatised, whitespace collapsed.

    >>> identity_key("ООО «Презент упаковка»")
    'презент упаковка'
    """
    base, _ = split_legal_form(name or "")
    s = unicodedata.normalize("NFKC", base).casefold().replace("ё", "е")
    s = _PUNCT.sub(" ", s)
    toks = [t for t in s.split() if t not in _LEGAL_TOKENS_EXTRA]
    return " ".join(lemma(t) if is_cyrillic(t) else t for t in toks)


# --- transliteration ----------------------------------------------------------------------

@lru_cache(maxsize=1)
def _translit() -> dict:
    return yaml.safe_load((GAZETTEER / "translit.yaml").read_text(encoding="utf-8"))


_VOWELS_RU = set("аеёиоуыэюяъь")


def _scheme(n: int) -> dict[str, dict[str, str]]:
    t = _translit()
    over = t["schemes"][n]
    return {k: {**t["base"].get(k, {}), **over.get(k, {})} for k in ("letters", "word_final", "iotated", "clusters")}


def _case_like(src: str, out: str) -> str:
    if src.isupper() and len(src) > 1:
        return out.upper()
    if src[:1].isupper():
        return out[:1].upper() + out[1:]
    return out


def _translit_word(word: str, sc: dict[str, dict[str, str]]) -> str:
    low = word.lower()
    out: list[str] = []
    i = 0
    while i < len(low):
        done = False
        for fin, lat in sc["word_final"].items():
            if low.endswith(fin) and i == len(low) - len(fin) and len(low) > len(fin):
                out.append(lat)
                i = len(low)
                done = True
                break
        if done:
            break
        for cl, lat in sc["clusters"].items():
            if low.startswith(cl, i):
                out.append(lat)
                i += len(cl)
                done = True
                break
        if done:
            continue
        ch = low[i]
        if ch in sc["iotated"] and (i == 0 or low[i - 1] in _VOWELS_RU):
            out.append(sc["iotated"][ch])
        else:
            out.append(sc["letters"].get(ch, ch))
        i += 1
    return _case_like(word, "".join(out))


def _translit_text(text: str, n: int) -> str:
    sc = _scheme(n)
    return re.sub(r"[а-яёА-ЯЁ]+", lambda m: _translit_word(m.group(), sc), text)


def transliterate_ru(text: str) -> str:
    """Russian -> Latin in the readable news scheme (Дмитрий Пронин -> Dmitry Pronin).

    >>> transliterate_ru("Презент упаковка")
    'Prezent upakovka'
    """
    return _translit_text(text, 0)


def latin_variants(text: str) -> list[str]:
    """Every common Latin spelling of a Russian name, the news scheme first
    (Дмитрий -> Dmitry, Dmitriy, Dmitrii, Dmitrij)."""
    if not is_cyrillic(text):
        return [text]
    return list(dict.fromkeys(_translit_text(text, n) for n in range(len(_translit()["schemes"]))))


@lru_cache(maxsize=1)
def _to_cyrillic_res() -> tuple[dict[str, dict[str, str]], re.Pattern[str], re.Pattern[str]]:
    """The Latin -> Cyrillic tables and two alternations (initial, letters), longest key first: a regex
    alternation takes the first alternative that matches, which is then the longest prefix."""
    t = _translit()["to_cyrillic"]

    def alt(keys: dict[str, str]) -> re.Pattern[str]:
        return re.compile("|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True)))

    return t, alt(t["initial"]), alt(t["letters"])


@lru_cache(maxsize=4096)
def _cyrillic_word(w: str, use_initial: bool) -> str:
    if w.isupper() and len(w) > 1:  # an abbreviation (JSC, VEB) is not spelled out
        return w
    t, initial_re, letters_re = _to_cyrillic_res()
    letters, final, initial = t["letters"], t["final"], t["initial"]
    low = w.lower()
    out: list[str] = []
    i = 0
    if use_initial:
        m = initial_re.match(low)
        if m and m.end() > 0:
            out.append(initial[m.group()])
            i = m.end()
    while i < len(low):
        if i > 0 and low[i - 1] not in "aeiouy" and low[i:] in final:
            out.append(final[low[i:]])
            break
        m = letters_re.match(low, i)
        if m and m.end() > i:
            out.append(letters[m.group()])
            i = m.end()
        else:
            out.append(low[i])
            i += 1
    return _case_like(w, "".join(out))


_LATIN_WORD = re.compile(r"[A-Za-z']+")


def cyrillic_variants(latin: str) -> list[str]:
    """Best-effort Latin -> Russian spellings (Arnest -> Арнест, Dmitry -> Дмитрий)."""
    plain = _LATIN_WORD.sub(lambda m: _cyrillic_word(m.group(), False), latin)
    initial_e = _LATIN_WORD.sub(lambda m: _cyrillic_word(m.group(), True), latin)
    return list(dict.fromkeys([plain, initial_e]))


@lru_cache(maxsize=1)
def given_names() -> dict[str, str]:
    """Latin spelling of a Russian given name -> its Cyrillic form, from `gazetteer/given_names.tsv`
    (Alexander, Aleksandr -> Александр)."""
    table: dict[str, str] = {}
    for line in (GAZETTEER / "given_names.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            cyr, _, latins = line.partition("\t")
            for lat in latins.split():
                table.setdefault(lat, cyr.strip())
    return table


def cyrillic_person(name: str) -> str | None:
    """A Latin-written Russian person's name in Cyrillic, only when its given name is a known one
    (Alexander Gusev -> Александр Гусев); None otherwise, rather than a wrong spelling."""
    parts = name.split()
    if len(parts) < 2 or parts[0] not in given_names():
        return None
    rest = " ".join(parts[1:])
    if not re.fullmatch(r"[A-Za-z'\- ]+", rest):
        return None
    return given_names()[parts[0]] + " " + cyrillic_variants(rest)[0]


# --- Russian nominative -------------------------------------------------------------------

_WORD = re.compile(r"[А-Яа-яЁё]+(?:-[А-Яа-яЁё]+)*|«[^»]*»|\"[^\"]*\"|“[^”]*”|\S")
_CASES = ("gent", "ablt", "datv", "loct", "accs", "nomn")


def _restore_case(src: str, out: str) -> str:
    """The written case of `src` on its inflected form, hyphen part by part ("Северо-Кавказский")."""
    sp, op = src.split("-"), out.split("-")
    if len(sp) > 1 and len(sp) == len(op):
        return "-".join(_restore_case(a, b) for a, b in zip(sp, op, strict=True))
    if src.isupper() and len(src) > 1:
        return out.upper()
    if src[:1].isupper():
        return out[:1].upper() + out[1:]
    return out


def _is_abbrev(w: str) -> bool:
    return w.isupper() and len(w) > 1


def _head_parse(word: str):  # type: ignore[no-untyped-def]
    """The parse of the head noun to bring to nominative: singular readings before plural;
    a most likely nominative singular reading means "already nominative"."""
    nouns = [p for p in analyzer().parse(word) if p.tag.POS == "NOUN"]
    if not nouns:
        return None
    if nouns[0].tag.case == "nomn" and nouns[0].tag.number == "sing":
        return nouns[0]
    sing = [p for p in nouns if p.tag.number == "sing" or "Sgtm" in p.tag or "Fixd" in p.tag]
    return (sing or nouns)[0]


def _inflect(p, grams: set[str], src: str) -> str:  # type: ignore[no-untyped-def]
    f = p.inflect(grams)
    return _restore_case(src, f.word) if f else src


def nominative_ru(phrase: str) -> str:
    """A Russian noun phrase in an oblique case -> nominative: the head noun and the adjectives
    before it change, the genitive tail stays; quoted names stay as written.

    >>> nominative_ru("Минпромторгом России")
    'Минпромторг России'
    >>> nominative_ru("регионального Фонда развития промышленности")
    'региональный Фонд развития промышленности'
    """
    parts = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(phrase)]
    words = [(s, e, w) for s, e, w in parts if w[0].isalpha() and is_cyrillic(w)]
    if not words:
        return phrase
    mods: list[tuple[int, int, str, object]] = []
    head = None
    for s, e, w in parts:
        if not (w[0].isalpha() and is_cyrillic(w)):
            return phrase  # a quote or Latin word before the head: leave as written
        if _is_abbrev(w):
            return phrase
        parses = analyzer().parse(w)
        adj = next((p for p in parses if p.tag.POS in ("ADJF", "PRTF")), None)
        if adj is not None and parses[0].tag.POS in ("ADJF", "PRTF"):
            mods.append((s, e, w, parses))
            continue
        hp = _head_parse(w)
        if hp is None:
            return phrase
        head = (s, e, w, hp)
        break
    if head is None:
        return phrase
    hs, he, hw, hp = head
    if hp.tag.case == "nomn" and hp.tag.number == "sing":
        return phrase
    number = hp.tag.number or "sing"
    if "Sgtm" in hp.tag or "Fixd" in hp.tag:
        number = "sing"
    gender = hp.tag.gender
    repl: list[tuple[int, int, str]] = []
    new_head = _inflect(hp, {"nomn", number}, hw)
    if "Fixd" in hp.tag:
        new_head = hw
    repl.append((hs, he, new_head))
    for s, e, w, parses in mods:
        agree = next((p for p in parses if p.tag.POS in ("ADJF", "PRTF") and p.tag.case == hp.tag.case
                      and p.tag.number == hp.tag.number and (number == "plur" or p.tag.gender in (gender, None))),
                     None) or next(p for p in parses if p.tag.POS in ("ADJF", "PRTF"))
        grams = {"nomn", "plur"} if number == "plur" else {"nomn", "sing", gender or "masc"}
        f = agree.inflect(grams)
        repl.append((s, e, _restore_case(w, f.word) if f else w))
    # a person's name: given name + surname (+ patronymic) all change together
    if "Name" in hp.tag:
        rest = [(s, e, w) for s, e, w in parts if s >= he][:2]
        for s, e, w in rest:
            sp = next((p for p in analyzer().parse(w)
                       if ("Surn" in p.tag or "Patr" in p.tag) and p.tag.case == hp.tag.case), None)
            if sp is None:
                break
            repl.append((s, e, _inflect(sp, {"nomn"}, w)))
    out = phrase
    for s, e, w in sorted(repl, reverse=True):
        out = out[:s] + w + out[e:]
    return out


# --- the reference scorer's normalisation -------------------------------------------------

# Kept identical to shared/eval/score.py (`norm`, `stem`, `fuzzy`) so our eval equals it.
SCORER_LEGAL = {"ооо", "ooo", "llc", "ао", "jsc", "пао", "pjsc", "зао", "cjsc", "оао", "ojsc",
                "нп", "np", "ано", "ano", "ltd", "inc", "гк", "пк", "фгуп", "гуп", "муп"}
_SCORER_ENDINGS = sorted([
    "ого", "его", "ому", "ему", "ыми", "ими", "ой", "ей", "ий", "ый", "ая", "яя", "ое", "ее", "ые", "ие", "ых",
    "их", "ую", "юю", "ом", "ем", "ам", "ям", "ах", "ях", "ов", "ев", "ию", "ия", "ье", "ья",
    "а", "я", "ы", "и", "у", "ю", "е", "о", "ь"], key=len, reverse=True)


def _scorer_stem(tok: str) -> str:
    if re.search("[а-я]", tok) and len(tok) > 4:
        for e in _SCORER_ENDINGS:
            if tok.endswith(e) and len(tok) - len(e) >= 3:
                return tok[: -len(e)]
    return tok


def norm_for_match(name: str | None) -> str:
    """The reference scorer's name normalisation (casefold, ё→е, punctuation, legal forms,
    Russian ending stemming); equal output for equal input.

    >>> norm_for_match("АО «Арнест»")
    'арнест'
    """
    s = unicodedata.normalize("NFKC", name or "").casefold().replace("ё", "е")
    s = re.sub(r"[«»“”„\"'`’‘()\[\],.;:!?]", " ", s)
    s = s.replace("-", " ").replace("–", " ").replace("—", " ")
    toks = [t for t in s.split() if t not in SCORER_LEGAL]
    return " ".join(_scorer_stem(t) for t in toks)


def fuzzy_for_match(a: str, b: str) -> float:
    """The reference scorer's near-identity score (0-100) of two `norm_for_match` outputs."""
    ta, tb = a.split(), b.split()
    best = SequenceMatcher(None, " ".join(sorted(ta)), " ".join(sorted(tb))).ratio()
    sa, sb = set(ta), set(tb)
    small, big = (sa, sb) if len(sa) <= len(sb) else (sb, sa)
    if small and small <= big and len(small) / len(big) >= 0.6:
        best = max(best, 0.95)
    return best * 100
