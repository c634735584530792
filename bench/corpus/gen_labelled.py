#!/usr/bin/env python3
"""gen_labelled.py - labelled accuracy corpus for piiscan (python3 standard library only).

Writes a small synthetic "leak" -- HR exports (CSV, TSV, semicolon, pipe, a Windows-1252
CSV, an Excel UTF-16LE "Unicode text" export, a CSV inside a zip), finance tables,
key/value record dumps, memos and e-mails -- with PII of every category planted in many
written forms, next to decoys of every kind (invalid and sample SSNs, order numbers,
international phones, invoice/hire/ship dates, prices, budgets, box-office figures,
cities, companies, film titles, streets, Luhn-invalid card numbers, bad routing numbers).

    /usr/bin/python3 bench/corpus/gen_labelled.py --out /tmp/acc --seed 7 --rows 3000

Same --seed/--rows/--variant => byte-identical output.  Layout under --out:

    corpus/...     the files to scan (scan this directory only)
    truth.csv      one row per planted TRUE item:
                   path,line,category,value,form,field,alt
                     path  relative to corpus/ ("archives/hr.zip!payroll.csv" inside a zip)
                     line  1-based physical line where the value starts
                     value exactly as written (CSV cells unquoted); for a First Name +
                           Last Name pair of columns: "First Last"
                     form  how it is written (ssn_dashed, dob_mdy_short, name_last_first...)
                     field the table header the value sits under, or empty
                     alt   other spellings of the same span that count as exact, "|"-joined
                           (e.g. "Amy Pascal" for "Dr. Amy Pascal", "85,000" for "USD 85,000");
                     a routing number and its account number are two bank_account items
    decoys.csv     path,line,kind,value,looks_like -- planted NON-findings (for FP analysis)
    files.csv      path,encoding,kind -- every corpus file (the scorer's path universe)
    manifest.json  parameters and counts

--variant holdout uses header spellings, sentence templates and layouts that the dev
variant never produces (same value forms), so a detector tuned on the dev corpus can be
checked on text it has not seen.  Conventions (what counts as the value) are in
bench/README.md.
"""
import argparse
import csv
import datetime
import io
import json
import os
import random
import sys
import unicodedata
import zipfile

SCAN_DATE = datetime.date(2025, 1, 1)   # ages are plausible relative to this

# --------------------------------------------------------------------------- vocabulary
# Our own lists (common US given names and surnames, all in the 1990 Census lists).
GIVEN = """Amy Michael Jennifer David Sarah Robert Linda James Maria John Patricia Thomas
Susan Richard Karen Daniel Nancy Steven Lisa Kevin Laura Brian Michelle Jason Rebecca
Eric Sharon Gregory Cynthia Timothy Kathleen Jeffrey Amanda Ronald Melissa Gary Deborah
Kenneth Stephanie Anthony Rachel Andrew Carolyn Joshua Janet Scott Christine Raymond
Heather Dennis Diane Walter Julie Peter Joyce Harold Victoria Douglas Kelly Henry Lauren
Carl Christina Arthur Joan Ryan Evelyn Roger Judith Megan Juan Andrea Jack Cheryl Albert
Hannah Jonathan Jacqueline Justin Martha Terry Gloria Gerald Teresa Keith Samuel Sara
Ralph Frances Lawrence Kathryn Nicholas Janice Benjamin Alice Bruce Judy Brandon Denise
Adam Doris Harry Marilyn Fred Beverly Wayne Theresa Diana Natalie Louis Brittany Jeremy
Charlotte Aaron Marie Randy Kayla Howard Alexis Eugene Lori Carlos Tiffany Russell Rosa
Victor Connie Martin Wanda Ernest Tracy Phillip Erin Todd Sylvia Jesse Vanessa Craig
Edith Alan Wendy Shawn Phyllis Clarence Sherry Sean Lois Elizabeth Barbara Margaret
Dorothy Emily Donna Carol Ruth Helen Samantha Katherine Olivia Emma Sophia Isabella
Gabriel Nathan Tyler Zachary Ethan Dylan Logan Lucas Owen Caleb Isaac Leah Claire Naomi""".split()
SURNAME = """Smith Johnson Williams Brown Jones Miller Davis Garcia Rodriguez Wilson Martinez
Anderson Taylor Thomas Hernandez Moore Martin Jackson Thompson White Lopez Lee Gonzalez
Harris Clark Lewis Robinson Walker Perez Hall Young Allen Sanchez Wright King Scott Green
Baker Adams Nelson Hill Ramirez Campbell Mitchell Roberts Carter Phillips Evans Turner
Torres Parker Collins Edwards Stewart Flores Morris Nguyen Murphy Rivera Cook Rogers
Morgan Peterson Cooper Reed Bailey Bell Gomez Kelly Howard Ward Cox Diaz Richardson Wood
Watson Brooks Bennett Gray Reyes Cruz Hughes Price Myers Long Foster Sanders Ross Morales
Powell Sullivan Russell Ortiz Jenkins Gutierrez Perry Butler Barnes Fisher Henderson
Coleman Simmons Patterson Reynolds Graham Kim Gonzales Ramos Wallace Griffin Cole Hayes
Chavez Gibson Bryant Ellis Stevens Murray Marshall Owens Harrison Ruiz Kennedy Alvarez
Woods Mendoza Castillo Olson Webb Tucker Freeman Burns Vasquez Snyder Simpson Crawford
Jimenez Porter Mason Shaw Gordon Wagner Hunter Romero Hicks Dixon Hunt Palmer Robertson
Black Holmes Meyer Boyd Mills Warren Rice Moreno Schmidt Patel Ferguson Nichols Herrera
Medina Ryan Fernandez Weaver Daniels Stephens Gardner Payne Kelley Dunn Pierce Arnold Tran
Spencer Peters Hawkins Castro Hoffman Elliott Cunningham Knight Bradley Pascal Lynton
Rudin Sorensen Kowalski Nakamura Okafor Lindqvist Haddad Friedman Goldberg Abramson""".split()
GIVEN_ACC = "José Renée Zoë Chloé Andrés Raúl Héctor Ramón Inés Sofía".split()
SURNAME_ACC = "Muñoz Peña Gómez Núñez Ibáñez Pérez Hernández Martínez Rodríguez Sánchez Jiménez Müller".split()
# Surnames unlikely to be in any dictionary: only ever planted under a name header.
SURNAME_RARE = "Okonkwo-Adeyemi Thorsdottir Vlasenko Przybylski Nakashima-Wong Quisenberry Zelinskyy Abernethy-Kaur".split()
MIDDLE = "ABCDEFGHJKLMNPRSTW"
TITLES_HON = ["Dr.", "Mr.", "Ms.", "Mrs."]

CITIES = ["Culver City", "Los Angeles", "Santa Monica", "Burbank", "West Hollywood",
          "Beverly Hills", "San Francisco", "New York", "Palo Alto", "San Diego", "Long Beach",
          "Glendale", "Pasadena", "Sherman Oaks", "Studio City", "Salt Lake City",
          "Kansas City", "Jersey City", "Thousand Oaks", "Fort Worth", "Baton Rouge",
          "Grand Rapids", "Mission Viejo"]
COMPANIES = ["Sony Pictures", "Sony Pictures Entertainment", "Columbia Pictures",
             "TriStar Pictures", "Screen Gems", "Sony Pictures Television",
             "Sony Pictures Imageworks", "Paramount Pictures", "Universal Pictures",
             "Lionsgate Films", "DreamWorks Animation", "Marvel Studios",
             "Legendary Pictures", "Wells Fargo", "Morgan Stanley", "Johnson Controls",
             "Culver Studios", "Panavision", "Deluxe Entertainment"]
FILMS = ["The Interview", "Captain Phillips", "American Hustle", "Moneyball", "Skyfall",
         "The Amazing Spider-Man", "Fury", "Men in Black", "Zero Dark Thirty",
         "The Social Network", "Grown Ups", "Jumanji", "Ghostbusters", "Foxcatcher",
         "Pixels", "Chappie", "Aloha", "Concussion", "Goosebumps", "Spectre", "Annie",
         "Still Alice", "Hotel Transylvania", "Sleepless in Seattle", "Jerry Maguire"]
STREETS = ["W. Washington Blvd.", "Madison Avenue", "Jefferson Boulevard", "Sunset Boulevard",
           "Overland Avenue", "Venice Boulevard", "Culver Boulevard", "Grant Street",
           "Lincoln Avenue", "Jackson Street", "Main Street", "Wilshire Boulevard",
           "Motor Avenue", "Sepulveda Boulevard", "Franklin Avenue", "Hamilton Street"]
DEPTS = ["Motion Picture Group", "Human Resources", "Business Affairs", "Worldwide Marketing",
         "Legal Affairs", "Corporate Finance", "Information Security", "Post Production",
         "Worldwide Distribution", "Facilities", "Payroll", "Sony Pictures Television"]
JOBS = ["Executive Vice President", "Senior Vice President", "Vice President", "Director",
        "Senior Manager", "Manager", "Executive Assistant", "Coordinator", "Senior Analyst",
        "Analyst", "Paralegal", "Accountant", "Production Assistant", "Systems Engineer"]
PROPER_PAIRS = ["Human Resources", "Open Enrollment", "Board Meeting", "Quarterly Review",
                "Pacific Time", "General Counsel", "Chief Executive", "Vice President",
                "Business Affairs", "Motion Picture Group", "Box Office", "Net Income",
                "Labor Day", "Memorial Day", "Christmas Eve", "New Year", "Academy Awards",
                "Golden Globes", "Legal Department", "Security Team"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
MON3 = [m[:3] for m in MONTHS]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
WORDS = """the a of to and in for on with as by at from our their this that these
project team quarter budget review process system policy update report meeting schedule
deadline vendor contract invoice payment request approval release incident issue training
benefits enrollment compliance audit security access network storage plan forecast slate
will should must may can has have had is are was were be been not also already please
note ensure confirm provide discuss complete approve submit escalate following previous
current next final initial monthly weekly internal external new additional required
pending scheduled delayed critical minor major regarding attached below above within
across between during before after until since each every some several various overall""".split()
OPENERS = ["Please", "Thanks", "Regarding", "Attached", "Following", "Note", "Also",
           "Overall", "Separately", "Again", "Finally", "Unfortunately", "Meanwhile"]
DOMAINS = ["sonypictures.com", "spe.sony.com", "gmail.com", "yahoo.com", "aol.com",
           "outlook.com", "example.com", "hotmail.com", "comcast.net"]
AREA_CODES = [310, 323, 213, 818, 424, 626, 714, 949, 212, 646, 917, 415, 650, 408, 206,
              503, 312, 617, 202, 305, 404, 512, 702, 801, 972]
SAMPLE_SSNS = ["078-05-1120", "219-09-9999", "123-45-6789"]
REPEATED_SSNS = ["111-11-1111", "222-22-2222", "333-33-3333", "444-44-4444",
                 "555-55-5555", "777-77-7777", "888-88-8888"]
ITIN_GROUPS = list(range(50, 66)) + list(range(70, 89)) + [90, 91, 92] + list(range(94, 100))

# Header spellings.  "both" are the issue's own; dev-only and holdout-only differ.
HDR = {
    "name":     {"both": ["Employee Name", "Full Name", "Name"],
                 "dev": ["Employee", "Emp Name"],
                 "holdout": ["Legal Name", "Associate Name", "EMPLOYEE_NAME"]},
    "first":    {"both": ["First Name"], "dev": ["FirstName", "First"], "holdout": ["Given Name", "FIRST_NM"]},
    "last":     {"both": ["Last Name"], "dev": ["LastName", "Last"], "holdout": ["Surname", "LAST_NM"]},
    "ssn":      {"both": ["SSN", "Social Security No", "Soc_Sec_Num", "SSN/TIN"],
                 "dev": ["Social Security Number", "SS#"],
                 "holdout": ["Social Sec #", "SSN_NBR", "Soc. Sec. No."]},
    "dob":      {"both": ["DOB", "Date of Birth", "Birth Date"], "dev": ["Birthdate", "D.O.B."],
                 "holdout": ["Birth_Dt", "DateOfBirth", "DOB (mm/dd/yyyy)"]},
    "salary":   {"both": ["Salary", "Base Pay", "Annual Comp"], "dev": ["Annual Salary", "Base Salary"],
                 "holdout": ["Annual Base", "BASE_SAL", "Current Salary"]},
    "rate":     {"both": ["Rate"], "dev": ["Hourly Rate"], "holdout": ["Pay Rate", "Rate of Pay"]},
    "bonus":    {"both": ["Bonus"], "dev": ["Target Bonus"], "holdout": ["Bonus Amt"]},
    "phone":    {"both": ["Phone"], "dev": ["Work Phone", "Home Phone"], "holdout": ["Mobile", "Contact No"]},
    "email":    {"both": ["Email"], "dev": ["E-mail", "Work Email"], "holdout": ["Email Address", "EMAIL_ADDR"]},
    "empid":    {"both": ["Employee ID"], "dev": ["Emp #", "EmpID"], "holdout": ["Person Number", "Badge"]},
    "hire":     {"both": ["Hire Date"], "dev": ["Start Date", "Date Hired"], "holdout": ["Orig Hire", "Service Date"]},
    "dept":     {"both": ["Department"], "dev": ["Dept"], "holdout": ["Division", "Org Unit"]},
    "job":      {"both": ["Title"], "dev": ["Job Title"], "holdout": ["Position", "Job Code Desc"]},
    "loc":      {"both": ["Location"], "dev": ["Office", "City"], "holdout": ["Work Location", "Site"]},
    "expense":  {"both": ["Expenses"], "dev": ["Travel Expenses"], "holdout": ["T&E YTD", "Dept Budget"]},
    "routing":  {"both": ["Routing Number"], "dev": ["ABA"], "holdout": ["Bank Routing #", "RTN"]},
    "account":  {"both": ["Account Number"], "dev": ["Acct #"], "holdout": ["Bank Account", "DDA Number"]},
}


def luhn_digit(body):
    """Check digit that makes body+digit pass Luhn."""
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def luhn_ok(digits):
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def aba_ok(d):
    w = [3, 7, 1] * 3
    return len(d) == 9 and d.isdigit() and sum(int(c) * k for c, k in zip(d, w)) % 10 == 0


def ascii_fold(s):
    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()


# --------------------------------------------------------------------------- planted values
class P:
    """A planted true item.  parts: strings that must all be on the line (split names)."""
    __slots__ = ("value", "cat", "form", "alt", "field", "parts")

    def __init__(self, value, cat, form, alt=(), field="", parts=None):
        self.value, self.cat, self.form, self.alt = value, cat, form, list(alt)
        self.field, self.parts = field, parts

    def text(self):
        return self.value


class D:
    """A planted decoy: something that looks like `looks_like` but is not a finding."""
    __slots__ = ("value", "kind", "looks_like")

    def __init__(self, value, kind, looks_like):
        self.value, self.kind, self.looks_like = value, kind, looks_like

    def text(self):
        return self.value


class Gen:
    def __init__(self, rng, variant):
        self.r = rng
        self.variant = variant

    TABLE_FORMS = {"date": ["mdy", "iso", "mdy_short", "dmy_dot", "d_mon_y", "excel", "mdy", "iso"],
                   "salary": ["dollar_cents", "dollar", "bare", "bare_cents", "comma"],
                   "name": ["first_last", "last_first", "mixed", "last_first_caps"]}

    def next_form(self, what):
        """Cycles through every column format so each appears in some table."""
        if not hasattr(self, "_cycles"):
            self._cycles = {}
            for k in sorted(self.TABLE_FORMS):
                lst = list(self.TABLE_FORMS[k])
                self.r.shuffle(lst)
                self._cycles[k] = [0, lst]
        c = self._cycles[what]
        c[0] += 1
        return c[1][(c[0] - 1) % len(c[1])]

    def pick(self, seq):
        return self.r.choice(seq)

    def hdr(self, key):
        h = HDR[key]
        pool = h["both"] + h[self.variant]
        return self.r.choice(pool)

    # ---- people
    def person(self, rare=False):
        r = self.r
        f = r.choice(GIVEN_ACC) if r.random() < 0.05 else r.choice(GIVEN)
        x = r.random()
        if rare and x < 0.15:
            last = r.choice(SURNAME_RARE)
        elif x < 0.06:
            last = r.choice(SURNAME_ACC)
        elif x < 0.10:
            a, b = r.sample(SURNAME, 2)
            last = f"{a}-{b}"
        else:
            last = r.choice(SURNAME)
        return f, r.choice(MIDDLE), last

    def name(self, person=None, form=None, field=""):
        f, m, l = person or self.person()
        form = form or self.r.choice(["first_last"] * 6 + ["first_mi_last", "last_first",
                                                           "last_first_mi", "last_first_caps", "title"])
        alt = []
        if form == "first_last":
            v = f"{f} {l}"
        elif form == "first_mi_last":
            v = f"{f} {m}. {l}"
        elif form == "last_first":
            v = f"{l}, {f}"
        elif form == "last_first_mi":
            v = f"{l}, {f} {m}."
        elif form == "last_first_caps":
            v = f"{l.upper()}, {f.upper()}"
        elif form == "title":
            v = f"{self.pick(TITLES_HON)} {f} {l}"
            alt = [f"{f} {l}"]
        else:
            raise ValueError(form)
        return P(v, "name", "name_" + form, alt, field)

    # ---- identifiers
    def ssn_digits(self):
        r = self.r
        while True:
            a = r.randint(734, 899) if r.random() < 0.25 else r.randint(1, 733)
            if a == 666:
                continue
            g, s = r.randint(1, 99), r.randint(1, 9999)
            d = f"{a:03d}-{g:02d}-{s:04d}"
            if d in SAMPLE_SSNS or d in REPEATED_SSNS:
                continue
            return f"{a:03d}", f"{g:02d}", f"{s:04d}"

    def ssn(self, form=None, field=""):
        a, g, s = self.ssn_digits()
        form = form or self.r.choice(["dashed"] * 6 + ["spaced", "dotted"])
        sep = {"dashed": "-", "spaced": " ", "dotted": ".", "bare": ""}[form]
        return P(sep.join((a, g, s)), "ssn", "ssn_" + form, (), field)

    def itin(self, field=""):
        r = self.r
        v = f"9{r.randint(0, 99):02d}-{r.choice(ITIN_GROUPS):02d}-{r.randint(1, 9999):04d}"
        return P(v, "itin", "itin_dashed", (), field)

    def bad_ssn(self, kind=None):
        r = self.r
        kind = kind or r.choice(["area000", "area666", "area9xx", "group00", "serial0000",
                                 "sample", "repeated"])
        g, s = r.randint(1, 99), r.randint(1, 9999)
        if kind == "sample":
            return D(r.choice(SAMPLE_SSNS), "ssn_sample", "ssn")
        if kind == "repeated":
            return D(r.choice(REPEATED_SSNS), "ssn_repeated", "ssn")
        if kind == "area000":
            a = 0
        elif kind == "area666":
            a = 666
        elif kind == "area9xx":
            a = r.randint(900, 999)
            g = r.choice([x for x in range(0, 100) if x not in ITIN_GROUPS])  # not an ITIN either
        else:
            a = r.randint(1, 899)
            a = 667 if a == 666 else a
            if kind == "group00":
                g = 0
            else:
                s = 0
        return D(f"{a:03d}-{g:02d}-{s:04d}", "ssn_" + kind, "ssn")

    def card(self, form=None, field=""):
        r = self.r
        kind = r.choice(["visa", "visa", "mc", "mc2", "amex", "disc"])
        if kind == "visa":
            pre, n = "4", 16
        elif kind == "mc":
            pre, n = str(r.randint(51, 55)), 16
        elif kind == "mc2":
            pre, n = str(r.randint(2221, 2720)), 16
        elif kind == "amex":
            pre, n = r.choice(["34", "37"]), 15
        else:
            pre, n = r.choice(["6011", "65"]), 16
        body = pre + "".join(str(r.randint(0, 9)) for _ in range(n - 1 - len(pre)))
        d = body + luhn_digit(body)
        form = form or r.choice(["spaced", "spaced", "dashed", "bare"])
        return P(self._group_card(d, form), "credit_card", "card_" + form, (), field)

    @staticmethod
    def _group_card(d, form):
        if form == "bare":
            return d
        sep = " " if form == "spaced" else "-"
        if len(d) == 15:
            return sep.join((d[:4], d[4:10], d[10:]))
        return sep.join(d[i:i + 4] for i in range(0, 16, 4))

    def bad_card(self):
        r = self.r
        while True:
            d = "4" + "".join(str(r.randint(0, 9)) for _ in range(15))
            if not luhn_ok(d):
                break
        return D(self._group_card(d, r.choice(["spaced", "dashed", "bare"])), "card_luhn_invalid",
                 "credit_card")

    def routing(self):
        r = self.r
        first = r.choice([f"{x:02d}" for x in list(range(1, 13)) + list(range(21, 33))])
        body = first + "".join(str(r.randint(0, 9)) for _ in range(6))
        for c in "0123456789":
            if aba_ok(body + c):
                return body + c
        raise AssertionError("unreachable")

    def bad_routing(self):
        r = self.r
        while True:
            d = r.choice(["0", "1", "2"]) + "".join(str(r.randint(0, 9)) for _ in range(8))
            if not aba_ok(d):
                return d

    def account(self):
        """8-12 digits; never a checksum-valid routing number (that would be ambiguous)."""
        r = self.r
        while True:
            n = r.randint(8, 12)
            d = str(r.randint(1, 9)) + "".join(str(r.randint(0, 9)) for _ in range(n - 1))
            if not aba_ok(d):
                return d

    def bank(self, field="", account_field=""):
        """A routing number and an account number: two bank_account items."""
        return (P(self.routing(), "bank_account", "bank_routing", (), field),
                P(self.account(), "bank_account", "bank_account_number", (), account_field))

    # ---- dates
    def rand_date(self, y0, y1):
        r = self.r
        a = datetime.date(y0, 1, 1).toordinal()
        b = datetime.date(y1, 12, 31).toordinal()
        return datetime.date.fromordinal(r.randint(a, b))

    @staticmethod
    def fmt_date(dt, form):
        y, m, d = dt.year, dt.month, dt.day
        if form == "mdy":
            return f"{m:02d}/{d:02d}/{y}"
        if form == "mdy_short":
            return f"{m}/{d}/{y % 100:02d}"
        if form == "iso":
            return f"{y}-{m:02d}-{d:02d}"
        if form == "dmy_dot":
            return f"{d:02d}.{m:02d}.{y}"
        if form == "d_mon_y":
            return f"{d}-{MON3[m - 1]}-{y}"
        if form == "month_d_y":
            return f"{MONTHS[m - 1]} {d}, {y}"
        if form == "d_month_y":
            return f"{d} {MONTHS[m - 1]} {y}"
        if form == "excel":
            return str((dt - datetime.date(1899, 12, 30)).days)
        raise ValueError(form)

    TEXT_DATE_FORMS = ["mdy", "mdy", "mdy_short", "iso", "dmy_dot", "d_mon_y", "month_d_y", "d_month_y"]

    def dob(self, form=None, field="", child=False):
        form = form or self.r.choice(self.TEXT_DATE_FORMS)
        if child:
            dt = self.rand_date(2003, 2020)
        elif form == "mdy_short":
            dt = self.rand_date(1942, 1999)
        else:
            dt = self.rand_date(1942, 2003)
        if form == "mdy_short" and dt.year >= 2000:
            form = "mdy"
        return P(self.fmt_date(dt, form), "dob", "dob_" + form, (), field)

    def other_date(self, kind, y0=1988, y1=2015, form=None):
        form = form or self.r.choice(self.TEXT_DATE_FORMS)
        return D(self.fmt_date(self.rand_date(y0, y1), form), "date_" + kind, "dob")

    def bad_dob(self):
        """Birth-context dates that are not real birthdates (calendar-invalid, too old)."""
        r = self.r
        k = r.randint(0, 3)
        if k == 0:
            return D(f"02/{r.randint(30, 31)}/{r.randint(1950, 1990)}", "dob_calendar_invalid", "dob")
        if k == 1:
            return D(f"{r.choice([4, 6, 9, 11]):02d}/31/{r.randint(1950, 1990)}", "dob_calendar_invalid", "dob")
        if k == 2:
            return D(f"{r.randint(1, 12):02d}/{r.randint(1, 28):02d}/{r.randint(1850, 1890)}",
                     "dob_implausible_age", "dob")
        return D(f"{r.randint(2030, 2060)}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}",
                 "dob_future", "dob")

    # ---- money
    def annual(self):
        r = self.r
        x = r.random()
        if x < 0.75:
            return r.randint(32, 240) * 1000 + r.choice([0, 0, 500, 250])
        if x < 0.93:
            return r.randint(240, 950) * 1000
        return r.randint(10, 60) * 100000

    def salary(self, form=None, field="", hourly=False, amount=None):
        r = self.r
        if hourly or form in ("hourly", "hourly_bare"):
            h = r.randint(1500, 12000) / 100
            if form == "hourly_bare":
                return P(f"{h:.2f}", "salary", "salary_hourly_bare", (), field)
            return P(f"${h:.2f}/hr", "salary", "salary_hourly", [f"${h:.2f}"], field)
        v = amount or self.annual()
        form = form or r.choice(["dollar_cents", "dollar", "dollar", "usd_prefix", "k", "usd_suffix"])
        if form == "k":
            v = max(20, v // 1000) if v < 1000000 else self.r.randint(100, 999)
            return P(f"${v}{r.choice(['k', 'k', 'K'])}", "salary", "salary_k", (), field)
        if form == "dollar_cents":
            return P(f"${v:,}.00", "salary", "salary_dollar_cents", (), field)
        if form == "dollar":
            return P(f"${v:,}", "salary", "salary_dollar", (), field)
        if form == "usd_prefix":
            return P(f"USD {v:,}", "salary", "salary_usd_prefix", [f"{v:,}"], field)
        if form == "usd_suffix":
            return P(f"{v:,}.00 USD", "salary", "salary_usd_suffix", [f"{v:,}.00"], field)
        if form == "bare":
            return P(str(v), "salary", "salary_bare", (), field)
        if form == "bare_cents":
            return P(f"{v}.00", "salary", "salary_bare_cents", (), field)
        if form == "comma":
            return P(f"{v:,}", "salary", "salary_comma", (), field)
        raise ValueError(form)

    def money(self, kind):
        """Amounts that are not compensation: price, budget, box office, total, expense."""
        r = self.r
        if kind == "budget":
            v = r.randint(5, 250) * 1000000
            s = r.choice([f"${v:,}", f"${v // 1000000} million", f"USD {v:,}"])
        elif kind == "box_office":
            v = r.randint(5000000, 900000000)
            s = f"${v:,}"
        elif kind == "price":
            s = r.choice([f"${r.randint(5, 9999)}.{r.randint(0, 99):02d}", f"${r.randint(20, 900)}k"])
        elif kind == "total":
            v = r.randint(1000, 400000)
            s = r.choice([f"${v:,}.{r.randint(0, 99):02d}", f"{v:,}.{r.randint(0, 99):02d} USD"])
        else:  # expense
            s = f"${r.randint(100, 25000):,}.{r.randint(0, 99):02d}"
        return D(s, "money_" + kind, "salary")

    # ---- contact
    def phone(self, form=None, field=""):
        r = self.r
        a = r.choice(AREA_CODES)
        while True:
            e = r.randint(200, 999)
            if e % 100 != 11 and e != 555:
                break
        n = r.randint(0, 9999)
        form = form or r.choice(["paren", "paren", "dashed", "dashed", "dotted", "spaced", "plus1", "one_dash"])
        if form == "paren":
            return P(f"({a}) {e}-{n:04d}", "phone", "phone_paren", (), field)
        if form == "dashed":
            return P(f"{a}-{e}-{n:04d}", "phone", "phone_dashed", (), field)
        if form == "dotted":
            return P(f"{a}.{e}.{n:04d}", "phone", "phone_dotted", (), field)
        if form == "spaced":
            return P(f"{a} {e} {n:04d}", "phone", "phone_spaced", (), field)
        if form == "plus1":
            return P(f"+1 {a} {e} {n:04d}", "phone", "phone_plus1", [f"{a} {e} {n:04d}"], field)
        if form == "one_dash":
            return P(f"1-{a}-{e}-{n:04d}", "phone", "phone_one_dash", [f"{a}-{e}-{n:04d}"], field)
        if form == "bare":
            return P(f"{a}{e}{n:04d}", "phone", "phone_bare", (), field)
        raise ValueError(form)

    def intl_phone(self):
        r = self.r
        return D(r.choice([f"+44 20 7{r.randint(100, 999)} {r.randint(1000, 9999)}",
                           f"+49 30 {r.randint(1000000, 9999999)}",
                           f"+33 1 {r.randint(10, 99)} {r.randint(10, 99)} {r.randint(10, 99)} {r.randint(10, 99)}",
                           f"+81 3-{r.randint(1000, 9999)}-{r.randint(1000, 9999)}"]),
                 "phone_international", "phone")

    def email(self, person=None, field=""):
        r = self.r
        f, m, l = person or self.person()
        f2, l2 = ascii_fold(f).lower(), ascii_fold(l).lower().replace("-", "")
        loc = r.choice([f"{f2}.{l2}", f"{f2[0]}{l2}", f"{f2}{l2[0]}", f"{f2}_{l2}",
                        f"{f2}.{l2}{r.randint(1, 99)}"])
        v = f"{loc}@{r.choice(DOMAINS)}"
        if r.random() < 0.08:
            v = f"{f2.capitalize()}.{l2.capitalize()}@{r.choice(DOMAINS)}"
        return P(v, "email", "email", (), field)

    def order12(self):
        r = self.r
        return D(str(r.randint(1, 9)) + "".join(str(r.randint(0, 9)) for _ in range(11)),
                 "order_number_12", "ssn")

    # ---- free text
    def filler(self, lo=7, hi=16):
        """A meaningless sentence; capitalised phrases in it are decoys for names."""
        r = self.r
        w = [r.choice(WORDS) for _ in range(r.randint(lo, hi))]
        if r.random() < 0.35:
            w.insert(r.randint(1, len(w)), D(r.choice(PROPER_PAIRS), "capitalised_phrase", "name"))
        if r.random() < 0.12:
            i = r.randint(1, len(w))
            w[i:i] = [r.choice(["in", "by", "until", "since"]), D(r.choice(MONTHS), "month", "name")]
        head = r.choice(OPENERS) if r.random() < 0.4 else w.pop(0).capitalize()
        segs = [head]
        for x in w:
            segs += [" ", x]
        segs.append(r.choice([".", ".", ".", "?"]))
        return segs


# --------------------------------------------------------------------------- documents
class Doc:
    """A text file under construction: a list of physical lines, each a list of segments."""

    def __init__(self, path, encoding="utf-8", newline="\n", kind="text"):
        self.path, self.encoding, self.newline, self.kind = path, encoding, newline, kind
        self.lines = []

    def line(self, *segs):
        self.lines.append([s for s in segs if s is not None and s != ""])

    def blank(self):
        self.lines.append([])

    def para(self, segs, width=76):
        """Word-wrap segments; planted/decoy values (and tuples of segments) are never
        broken across lines."""
        words, cur = [], []
        for s in segs:
            if isinstance(s, str):
                parts = s.split(" ")
                for i, p in enumerate(parts):
                    if i > 0:
                        if cur:
                            words.append(cur)
                        cur = []
                    if p:
                        cur.append(p)
            elif isinstance(s, tuple):     # kept on one line as a whole
                cur.extend(s)
            else:
                cur.append(s)
        if cur:
            words.append(cur)
        line, n = [], 0
        for w in words:
            wl = sum(len(x if isinstance(x, str) else x.value) for x in w)
            if line and n + 1 + wl > width:
                self.lines.append(line)
                line, n = [], 0
            if line:
                line.append(" ")
                n += 1
            line.extend(w)
            n += wl
        if line:
            self.lines.append(line)

    def row(self, cells, delim, extras=(), quote_all=False):
        segs = []
        for i, c in enumerate(cells):
            if i:
                segs.append(delim)
            txt = c if isinstance(c, str) else c.value
            if quote_all or delim in txt or '"' in txt:
                segs.append('"')
                if '"' in txt:
                    raise ValueError("quotes inside planted cells are not supported")
                segs.append(c)
                segs.append('"')
            else:
                segs.append(c)
        segs.extend(extras)      # P objects not rendered (split names)
        self.lines.append(segs)

    def render(self):
        """Returns (text, truth rows, decoy rows)."""
        out, truth, decoys = [], [], []
        for ln, segs in enumerate(self.lines, 1):
            buf = []
            for s in segs:
                if isinstance(s, str):
                    buf.append(s)
                    continue
                if isinstance(s, P):
                    if s.parts is None:
                        buf.append(s.value)
                    truth.append([self.path, ln, s.cat, s.value, s.form, s.field, "|".join(s.alt)])
                else:
                    buf.append(s.value)
                    decoys.append([self.path, ln, s.kind, s.value, s.looks_like])
            out.append("".join(buf))
        return self.newline.join(out) + self.newline, truth, decoys


# --------------------------------------------------------------------------- tables
def table_rows(g, n, cols, delim, doc, date_form, sal_form, name_style):
    """Fill doc with n data rows for the given column list (header already written)."""
    r = g.r
    for _ in range(n):
        p = g.person(rare=True)
        cells, extras = [], []
        for key, head in cols:
            if key == "name":
                form = name_style if name_style != "mixed" else r.choice(
                    ["first_last", "first_last", "last_first", "last_first_caps", "first_mi_last", "last_first_mi"])
                cells.append(g.name(p, form, head))
            elif key == "first":
                cells.append(p[0])
                extras.append(P(f"{p[0]} {p[2]}", "name", "name_split_columns", (), head, parts=[p[0], p[2]]))
            elif key == "last":
                cells.append(p[2])
            elif key == "ssn":
                x = r.random()
                if x < 0.05:
                    cells.append(g.bad_ssn())
                elif x < 0.09 and head == "SSN/TIN":
                    cells.append(g.itin(head))
                elif x < 0.20:
                    cells.append(g.ssn("bare", head))
                else:
                    cells.append(g.ssn("dashed" if r.random() < 0.9 else "spaced", head))
            elif key == "dob":
                if r.random() < 0.015:
                    cells.append(g.bad_dob())
                else:
                    cells.append(g.dob(date_form, head))
            elif key == "salary":
                cells.append(g.salary(sal_form, head))
            elif key == "rate":
                cells.append(g.salary("hourly_bare", head))
            elif key == "bonus":
                cells.append(g.salary(r.choice(["dollar", "dollar_cents"]), head,
                                      amount=r.randint(10, 150) * 1000))
            elif key == "phone":
                cells.append(g.phone(r.choice(["paren", "dashed", "dotted", "bare"]), head))
            elif key == "email":
                cells.append(g.email(p, head))
            elif key == "empid":
                if r.random() < 0.5:   # nine digits, but not under an SSN header
                    while True:
                        eid = str(r.randint(100000000, 899999999))
                        if not aba_ok(eid):
                            break
                    cells.append(D(eid, "employee_id_9digits", "ssn"))
                else:
                    cells.append(str(r.randint(10000, 99999)))
            elif key == "hire":
                cells.append(g.other_date("hire", 1985, 2014, date_form if date_form != "excel" else "mdy"))
            elif key == "dept":
                cells.append(D(r.choice(DEPTS), "department", "name"))
            elif key == "job":
                cells.append(D(r.choice(JOBS), "job_title", "name"))
            elif key == "loc":
                cells.append(D(r.choice(CITIES), "city", "name"))
            elif key == "expense":
                cells.append(g.money("expense"))
            elif key == "routing":
                acct_head = next(h for k, h in cols if k == "account")
                bp, acct = g.bank(head, acct_head)
                cells.append(bp)
            elif key == "account":
                cells.append(acct)  # noqa: F821 -- routing always precedes account
            else:
                raise ValueError(key)
        doc.row(cells, delim, extras)


HR_LAYOUTS = {
    # name of layout: list of column keys (first+last replace name where marked)
    "payroll": ["empid", "name", "ssn", "dob", "hire", "dept", "job", "salary", "loc"],
    "roster": ["first", "last", "ssn", "dob", "phone", "email", "dept", "hire"],
    "comp": ["name", "job", "dept", "salary", "bonus", "expense", "loc"],
    "hourly": ["empid", "last", "first", "ssn", "rate", "hire", "loc"],
    "census": ["name", "dob", "ssn", "phone", "email", "loc"],
    "deposit": ["name", "empid", "routing", "account", "dept"],
    # holdout-only layouts
    "benefits": ["empid", "name", "dob", "ssn", "dept", "salary", "phone"],
    "exec": ["name", "job", "salary", "bonus", "dob", "email"],
}


def gen_hr_table(g, path, layout, n, delim, encoding="utf-8", newline="\n", preamble=False):
    """One table; each column keeps one written form, as real exports do."""
    r = g.r
    keys = HR_LAYOUTS[layout]
    cols = []
    for k in keys:
        h = g.hdr(k)
        if k == "ssn" and delim == "," and "," in h:
            h = "SSN"
        cols.append((k, h))
    date_form = g.next_form("date") if "dob" in keys else r.choice(["mdy", "iso", "d_mon_y"])
    sal_form = g.next_form("salary") if "salary" in keys else "dollar"
    name_style = g.next_form("name") if "name" in keys else "first_last"
    kind = {",": "csv", "\t": "tsv", ";": "csv_semicolon", "|": "pipe"}[delim]
    doc = Doc(path, encoding, newline, kind)
    if preamble:
        doc.line(f"{r.choice(['Payroll Register', 'Employee Census', 'Headcount Report'])} - "
                 f"{r.choice(MONTHS)} 2014")
        doc.blank()
    doc.line(delim.join(h if delim not in h else f'"{h}"' for _, h in cols))
    table_rows(g, n, cols, delim, doc, date_form, sal_form, name_style)
    return doc


def gen_invoices(g, path, n):
    r = g.r
    doc = Doc(path, kind="csv")
    doc.line("Invoice No,Invoice Date,Vendor,Description,Amount,PO Number,Ship Date,Due Date")
    form = r.choice(["mdy", "iso", "d_mon_y"])
    for _ in range(n):
        doc.row([f"INV-{r.randint(100000, 999999)}", g.other_date("invoice", 2012, 2015, form),
                 D(r.choice(COMPANIES), "company", "name"),
                 r.choice(["Post production services", "Equipment rental", "Catering", "Legal fees",
                           "Licensing", "Travel", "Security consulting"]),
                 g.money(r.choice(["price", "total"])), g.order12(),
                 g.other_date("ship", 2012, 2015, form), g.other_date("due", 2012, 2015, form)], ",")
    return doc


def gen_films(g, path, n):
    r = g.r
    doc = Doc(path, kind="csv")
    doc.line("Title,Studio,Release Date,Production Budget,Marketing Budget,Domestic Box Office,Worldwide Box Office")
    films = list(FILMS)
    r.shuffle(films)
    for i in range(min(n, len(films))):
        doc.row([D(films[i], "film_title", "name"), D(r.choice(COMPANIES[:8]), "company", "name"),
                 g.other_date("release", 1993, 2015, "mdy"), g.money("budget"), g.money("budget"),
                 g.money("box_office"), g.money("box_office")], ",")
    return doc


def gen_cards(g, path, n):
    r = g.r
    doc = Doc(path, kind="csv")
    doc.line("Cardholder,Card Number,Exp,Merchant,Amount,Txn Date")
    for _ in range(n):
        p = g.person()
        card = g.card(field="Card Number") if r.random() < 0.85 else g.bad_card()
        doc.row([g.name(p, "first_last", "Cardholder"), card, f"{r.randint(1, 12):02d}/{r.randint(15, 19)}",
                 D(r.choice(COMPANIES), "company", "name"), g.money("price"),
                 g.other_date("transaction", 2013, 2014, "mdy")], ",")
    return doc


def gen_vendors(g, path, n):
    r = g.r
    doc = Doc(path, kind="csv")
    doc.line("Vendor,Contact Name,Phone,Email,City,Street")
    for _ in range(n):
        p = g.person()
        doc.row([D(r.choice(COMPANIES), "company", "name"), g.name(p, "first_last", "Contact Name"),
                 g.phone(r.choice(["paren", "dashed", "dotted"]), "Phone"), g.email(p, "Email"),
                 D(r.choice(CITIES), "city", "name"),
                 D(f"{r.randint(100, 19999)} {r.choice(STREETS)}", "street", "name")], ",")
    return doc


# ---- free-text sentence templates: each returns a list of segments.
def t_issue_example(g):
    return [g.name(form="first_last"), ", SSN ", g.ssn("dashed"), ", born ", g.dob(), ", salary ",
            g.salary(g.pick(["dollar", "dollar_cents"]))]


def t_update_file(g):
    return ["Please update the file for ", g.name(), ": date of birth ", g.dob(),
            ", Social Security Number ", g.ssn(), "."]


def t_salary_effective(g):
    return ["Effective ", g.other_date("effective", 2013, 2015), ", the annual base salary for ",
            g.name(form="first_last"), " will be ", g.salary(), "."]


def t_dental(g):
    return [g.name(), " (DOB ", g.dob(), ") has been added to the dental plan."]


def t_pay_rate(g):
    return ["Per the offer letter, ", g.name(form="first_last"), " will be paid at a pay rate of ",
            g.salary(hourly=True), " as a contractor."]


def t_born_in(g):
    return [g.name(form="first_last"), " was born on ", g.dob(g.pick(["month_d_y", "d_month_y", "mdy"])),
            " in ", D(g.pick(CITIES), "city", "name"), "."]


def t_bonus(g):
    return ["The signing bonus for ", g.name(form="first_last"), " is ",
            g.salary(g.pick(["dollar", "usd_prefix", "k"]), amount=g.r.randint(10, 90) * 1000), "."]


def t_contact(g):
    p = g.person()
    return ["For questions contact ", g.name(p, "first_last"), " at ", g.phone(), " or ", g.email(p), "."]


def t_deposit(g):
    bp, ac = g.bank()
    return ["Direct deposit for ", g.name(form="first_last"), ": routing ", bp, ", account ", ac, "."]


def t_card(g):
    return ["Card on file for ", g.name(form="first_last"), ": ", g.card(),
            f" (exp {g.r.randint(1, 12):02d}/{g.r.randint(15, 19)})."]


def t_itin(g):
    return [g.name(form="first_last"), " has no SSN; ITIN ", g.itin(), " was used for the W-7."]


def t_comp_review(g):
    return ["Compensation review: ", g.name(), " current base pay ", g.salary(), ", proposed ",
            g.salary(), "."]


def t_record_line(g):
    return [g.name(form=g.pick(["last_first_caps", "last_first", "last_first_mi"])), "  SSN: ",
            g.ssn(g.pick(["dashed", "spaced", "dotted"])), "  DOB: ", g.dob()]


def t_title_born(g):
    return [g.name(form="title"), " (b. ", g.dob(), ") joined ", D(g.pick(COMPANIES), "company", "name"),
            f" in {g.r.randint(1995, 2013)}."]


def t_hard_salary_budget(g):
    return [g.name(form="first_last"), "'s salary is ", g.salary(g.pick(["dollar", "dollar_cents"])),
            "; separately, the ", D(g.pick(FILMS), "film_title", "name"), " marketing budget is ",
            g.money("budget"), "."]


def t_hard_born_hired(g):
    return [g.name(form="first_last"), " (born ", g.dob(), ") was hired on ",
            g.other_date("hire", 2000, 2014), " as ", g.pick(JOBS).lower(), "."]


# holdout-only wording
def t_h_wage(g):
    return ["Hourly wage for ", g.name(form="first_last"), " goes to ", g.salary(hourly=True),
            " next month."]


def t_h_birthday(g):
    return ["Birthday on file for ", g.name(), ": ", g.dob(g.pick(["d_month_y", "dmy_dot", "iso"])),
            "; SS# ", g.ssn(), "."]


def t_h_offer(g):
    return ["Offer to ", g.name(form="first_mi_last"), ": compensation ", g.salary("usd_suffix"),
            " annually, reachable at ", g.phone("plus1"), "."]


def t_h_kv_inline(g):
    return ["name=", g.name(form="first_last"), "; ssn=", g.ssn("dashed"), "; birth date=",
            g.dob("iso"), "; annual=", g.salary("dollar")]


# decoys
def d_budget(g):
    return ["The ", D(g.pick(FILMS), "film_title", "name"), " marketing budget is ", g.money("budget"), "."]


def d_box_office(g):
    return [D(g.pick(FILMS), "film_title", "name"), " grossed ", g.money("box_office"),
            " worldwide by ", g.other_date("report", 2012, 2015), "."]


def d_invoice(g):
    return [f"Invoice {g.r.randint(10000, 99999)} dated ", g.other_date("invoice", 2012, 2015),
            " totals ", g.money("total"), "; order number ", g.order12(), "."]


def d_case_number(g):
    return ["Ticket ", g.bad_ssn(g.pick(["area000", "area666", "area9xx", "group00", "serial0000"])),
            " was closed by the help desk."]


def d_sample(g):
    return ["Do not use the sample number ", g.bad_ssn(g.pick(["sample", "repeated"])),
            " on the SSN field of real forms."]


def d_ship(g):
    return ["The shipment left ", D(g.pick(CITIES), "city", "name"), " on ",
            g.other_date("ship", 2013, 2015), " and should arrive by ", g.other_date("ship", 2013, 2015), "."]


def d_meeting(g):
    return ["The meeting moved to ", D(g.pick(WEEKDAYS), "weekday", "name"), " at the ",
            D(g.pick(STREETS), "street", "name"), " office in ", D(g.pick(CITIES), "city", "name"), "."]


def d_price(g):
    return ["Unit price ", g.money("price"), ", quantity ", str(g.r.randint(2, 90)), ", total ",
            g.money("total"), "."]


def d_intl_phone(g):
    return ["The London and Berlin offices are at ", g.intl_phone(), " and ", g.intl_phone(), "."]


def d_bad_card(g):
    return ["Card number ", g.bad_card(), " was declined as invalid."]


def d_founded(g):
    return [D(g.pick(COMPANIES), "company", "name"), " was founded on ",
            g.other_date("founded", 1905, 1990, g.pick(["month_d_y", "mdy"])), " in ",
            D(g.pick(CITIES), "city", "name"), "."]


def d_release(g):
    return ["Release date for ", D(g.pick(FILMS), "film_title", "name"), ": ",
            g.other_date("release", 1993, 2015), "."]


def d_retina(g):
    return ["Retina assets ", D("logo@2x.png", "filename_at", "email"), " and ",
            D("banner@3x.jpg", "filename_at", "email"), " are in the shared folder."]


def d_handle(g):
    return ["Follow ", D("@SonyPictures", "social_handle", "email"), " for premiere updates."]


def d_bad_routing(g):
    return ["Routing number ", D(g.bad_routing(), "routing_bad_checksum", "bank_account"),
            " failed the checksum, so the wire was returned."]


def d_bad_dob(g):
    return ["The date of birth on the scanned form reads ", g.bad_dob(), " and must be corrected."]


def d_itin_bad(g):
    r = g.r
    v = f"9{r.randint(0, 99):02d}-{r.choice([x for x in range(0, 100) if x not in ITIN_GROUPS]):02d}-{r.randint(1, 9999):04d}"
    return ["Tax reference ", D(v, "itin_bad_group", "itin"), " is not a valid ITIN."]


def d_year_budget(g):
    return ["The ", D(g.pick(MONTHS), "month", "name"), " budget for ", D(g.pick(DEPTS), "department", "name"),
            " is ", g.money("budget"), "."]


def d_companies(g):
    a, b = g.r.sample(COMPANIES, 2)
    return [D(a, "company", "name"), " and ", D(b, "company", "name"), " signed the distribution deal."]


TRUE_T = {"both": [t_issue_example, t_update_file, t_salary_effective, t_dental, t_pay_rate, t_born_in,
                   t_bonus, t_contact, t_deposit, t_card, t_itin, t_comp_review, t_record_line,
                   t_title_born, t_hard_salary_budget, t_hard_born_hired],
          "dev": [],
          "holdout": [t_h_wage, t_h_birthday, t_h_offer, t_h_kv_inline]}
DECOY_T = [d_budget, d_box_office, d_invoice, d_case_number, d_sample, d_ship, d_meeting, d_price,
           d_intl_phone, d_bad_card, d_founded, d_release, d_retina, d_handle, d_bad_routing, d_bad_dob,
           d_itin_bad, d_year_budget, d_companies]


def true_templates(g):
    return TRUE_T["both"] + TRUE_T[g.variant]


def paragraph(g, p_true=0.6, p_decoy=0.5):
    r = g.r
    sents = [g.filler() for _ in range(r.randint(1, 3))]
    if r.random() < p_true:
        sents.insert(r.randint(0, len(sents)), r.choice(true_templates(g))(g))
    if r.random() < p_decoy:
        sents.insert(r.randint(0, len(sents)), r.choice(DECOY_T)(g))
    segs = []
    for i, s in enumerate(sents):
        if i:
            segs.append(" ")
        segs.extend(s)
    return segs


def gen_memo(g, path, n_paras):
    r = g.r
    doc = Doc(path, kind="memo")
    doc.line(r.choice(["MEMORANDUM", "CONFIDENTIAL", "MEETING NOTES", "HR UPDATE", "PAYROLL NOTES"]))
    doc.line("Date: ", g.other_date("memo", 2013, 2014, "month_d_y"))
    doc.line("Re: ", r.choice(["Compensation", "Benefits enrollment", "Q3 slate", "Personnel files",
                               "Payroll corrections", "Distribution deals"]))
    doc.blank()
    for i in range(n_paras):
        if i:
            doc.blank()
        doc.para(paragraph(g))
    return doc


def gen_mail(g, path, n_paras):
    r = g.r
    doc = Doc(path, kind="email")
    sender, to = g.person(), g.person()
    dt = g.rand_date(2013, 2014)
    doc.line("From: ", g.name(sender, "first_last"), " <", g.email(sender), ">")
    if r.random() < 0.5:
        doc.line("To: ", g.name(to, "first_last"), " <", g.email(to), ">")
    else:
        doc.line('To: "', g.name(to, "last_first"), '" <', g.email(to), ">")
    doc.line("Subject: ", r.choice(["Re: comp", "Fwd: personnel file", "Payroll question",
                                    "Re: Re: bonus pool", "Updated roster", "Box office weekend"]))
    doc.line(f"Date: {WEEKDAYS[dt.weekday()][:3]}, {dt.day} {MON3[dt.month - 1]} {dt.year} "
             f"{r.randint(6, 22):02d}:{r.randint(0, 59):02d}:00 -0800")
    mid = f"{r.getrandbits(48):012x}.{r.randint(1000, 9999)}"
    doc.line("Message-ID: <", D(f"{mid}@mail.sonypictures.com", "message_id", "email"), ">")
    doc.line("MIME-Version: 1.0")
    doc.line("Content-Type: text/plain; charset=utf-8")
    doc.line("Content-Transfer-Encoding: 8bit")
    doc.blank()
    doc.line(r.choice(["Hi all,", "Team,", "Hello,", "All -"]))
    doc.blank()
    for i in range(n_paras):
        if i:
            doc.blank()
        doc.para(paragraph(g, 0.6, 0.45))
    doc.blank()
    doc.line(r.choice(["Thanks,", "Best,", "Regards,"]))
    doc.line(g.name(sender, "first_last"))
    doc.line(D(r.choice(JOBS), "job_title", "name"), ", ", D(r.choice(COMPANIES[:7]), "company", "name"))
    doc.line(f"{r.randint(100, 19999)} ", D(r.choice(STREETS), "street", "name"), ", ",
             D(r.choice(CITIES), "city", "name"), f", CA 9{r.randint(1000, 2999)}")
    doc.line("Office ", g.phone(r.choice(["paren", "dashed", "dotted"])))
    return doc


def gen_records(g, path, n):
    """Key: value blocks, as in exported personnel notes."""
    r = g.r
    doc = Doc(path, kind="records")
    for i in range(n):
        if i:
            doc.line("-" * 40)
        p = g.person()
        doc.line(r.choice(["Name", "Employee", "Full Name"]), ": ", g.name(p))
        doc.line(r.choice(["SSN", "Social Security #", "SS No"]), ": ", g.ssn())
        doc.line(r.choice(["DOB", "Date of Birth", "Birth date"]), ": ", g.dob())
        doc.line("Department: ", D(r.choice(DEPTS), "department", "name"))
        doc.line("Title: ", D(r.choice(JOBS), "job_title", "name"))
        doc.line(r.choice(["Salary", "Base Salary", "Annual Salary"]), ": ", g.salary())
        doc.line("Hire Date: ", g.other_date("hire", 1990, 2014))
        doc.line("Phone: ", g.phone())
        doc.line("Email: ", g.email(p))
        doc.line("Office: ", D(r.choice(CITIES), "city", "name"))
    return doc


# --------------------------------------------------------------------------- main
def encode(doc, text):
    if doc.encoding == "utf-16le":
        return b"\xff\xfe" + text.encode("utf-16-le")
    return text.encode(doc.encoding)


def build(g, rows):
    """Returns a list of (doc, container) where container is None or a zip path."""
    r = g.r
    docs = []
    hr_rows = int(rows * 0.62)
    fin_rows = int(rows * 0.25)
    layouts = ["payroll", "roster", "comp", "hourly", "census", "deposit"]
    if g.variant == "holdout":
        layouts = ["benefits", "exec", "roster", "payroll", "census", "deposit", "hourly"]
    delims = [",", ",", "\t", ";", "|", ",", ","]
    n_tables = 2 * len(layouts) + 3
    per = max(5, hr_rows // n_tables)
    for i, lay in enumerate(layouts + layouts):
        d = delims[i % len(delims)]
        ext = {",": "csv", "\t": "tsv", ";": "csv", "|": "txt"}[d]
        nl = "\r\n" if r.random() < 0.4 else "\n"
        pre = g.variant == "holdout" and i % 3 == 1
        docs.append((gen_hr_table(g, f"hr/{lay}_{2014 - i}.{ext}", lay, per, d, newline=nl, preamble=pre), None))
    # Windows-1252 CSV, an Excel "Unicode text" export (UTF-16LE TSV), a CSV inside a zip.
    docs.append((gen_hr_table(g, "hr/legacy_export_cp1252.csv", "payroll", per, ",", "cp1252", "\r\n"), None))
    docs.append((gen_hr_table(g, "hr/census_unicode.txt", "census", per, "\t", "utf-16le", "\r\n"), None))
    docs.append((gen_hr_table(g, "payroll_q3.csv", "comp" if g.variant == "dev" else "exec", per, ","),
                 "archives/hr_backup.zip"))
    # finance
    docs.append((gen_invoices(g, "finance/invoices_2014.csv", fin_rows // 3), None))
    docs.append((gen_films(g, "finance/slate_budgets.csv", 25), None))
    docs.append((gen_cards(g, "finance/corporate_cards.csv", fin_rows // 3), None))
    docs.append((gen_vendors(g, "finance/vendor_contacts.csv", fin_rows // 3), None))
    # text
    n_text = max(4, rows // 30)
    for i in range(n_text):
        docs.append((gen_memo(g, f"memos/memo_{i + 1:03d}.txt", r.randint(3, 9)), None))
    for i in range(n_text):
        docs.append((gen_mail(g, f"mail/msg_{i + 1:04d}.eml", r.randint(2, 6)), None))
    for i in range(max(2, rows // 400)):
        docs.append((gen_records(g, f"notes/personnel_{i + 1:02d}.txt", r.randint(8, 20)), None))
    return docs


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, help="output directory (must be empty or absent)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--rows", type=int, default=3000, help="approximate table rows (default 3000)")
    ap.add_argument("--variant", choices=["dev", "holdout"], default="dev")
    ap.add_argument("--force", action="store_true", help="allow a non-empty --out (files are overwritten)")
    a = ap.parse_args()
    if os.path.isdir(a.out) and os.listdir(a.out) and not a.force:
        sys.exit(f"gen_labelled: {a.out} is not empty (use --force)")
    rng = random.Random(f"{a.variant}:{a.seed}")
    g = Gen(rng, a.variant)
    docs = build(g, a.rows)
    root = os.path.join(a.out, "corpus")
    truth, decoys, files = [], [], []
    zips = {}
    for doc, container in docs:
        text, t, dcy = doc.render()
        data = encode(doc, text)
        lpath = doc.path if container is None else f"{container}!{doc.path}"
        for row in t + dcy:
            row[0] = lpath
        truth += t
        decoys += dcy
        files.append([lpath, doc.encoding, doc.kind])
        if container is None:
            full = os.path.join(root, doc.path)
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, "wb") as fh:
                fh.write(data)
        else:
            zips.setdefault(container, []).append((doc.path, data))
    for zpath, members in zips.items():
        full = os.path.join(root, zpath)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with zipfile.ZipFile(full, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for name, data in members:
                zi = zipfile.ZipInfo(name, date_time=(2014, 11, 24, 8, 0, 0))
                zi.compress_type = zipfile.ZIP_DEFLATED
                zi.external_attr = 0o644 << 16
                zf.writestr(zi, data)
    truth.sort(key=lambda x: (x[0], x[1]))
    decoys.sort(key=lambda x: (x[0], x[1]))
    files.sort()

    def write_csv(name, header, rows):
        with open(os.path.join(a.out, name), "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(header)
            w.writerows(rows)

    write_csv("truth.csv", ["path", "line", "category", "value", "form", "field", "alt"], truth)
    write_csv("decoys.csv", ["path", "line", "kind", "value", "looks_like"], decoys)
    write_csv("files.csv", ["path", "encoding", "kind"], files)
    cats, forms, dk = {}, {}, {}
    for t in truth:
        cats[t[2]] = cats.get(t[2], 0) + 1
        forms[t[4]] = forms.get(t[4], 0) + 1
    for d in decoys:
        dk[d[2]] = dk.get(d[2], 0) + 1
    man = {"generator": "gen_labelled.py", "seed": a.seed, "rows": a.rows, "variant": a.variant,
           "files": len(files), "truth_items": len(truth), "decoys": len(decoys),
           "categories": dict(sorted(cats.items())), "forms": dict(sorted(forms.items())),
           "decoy_kinds": dict(sorted(dk.items()))}
    with open(os.path.join(a.out, "manifest.json"), "w") as fh:
        json.dump(man, fh, indent=1)
        fh.write("\n")
    print(f"gen_labelled: {a.out}: variant={a.variant} seed={a.seed}: {len(files)} files, "
          f"{len(truth)} true items {dict(sorted(cats.items()))}, {len(decoys)} decoys")


if __name__ == "__main__":
    main()
