#!/usr/bin/python3
"""Writes the PDF and mail fixtures of piiscan's document extractors.

Usage: gen_docs.py OUTDIR   (writes OUTDIR/pdf/*.pdf, OUTDIR/mail/* and OUTDIR/leak.zip)

Every file comes from a real producer - reportlab for PDFs, Pillow for the
"scanned" page images, Python's email and mailbox packages for messages - and
the malformed ones are damaged copies of good ones (truncated, broken
cross-reference offset, missing MIME boundary). Contents are fixed (no clock,
no randomness) so the unit tests can assert exact texts. Run by CTest
(gen.docs, FIXTURES_SETUP docs) into the build tree; nothing here is committed
but this script. The people, SSNs and salaries are invented.
"""
import io
import mailbox
import os
import random
import sys
import time
import zipfile
from email.message import EmailMessage
from email.policy import SMTP

from PIL import Image, ImageDraw
from reportlab.lib.pagesizes import letter
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas
from reportlab.lib.pdfencrypt import StandardEncryption

FIXED_DATE = "Mon, 24 Nov 2014 09:00:00 -0800"
FROM_TIME = time.strptime("Mon Nov 24 09:00:00 2014", "%a %b %d %H:%M:%S %Y")

# ---------------------------------------------------------------- PDF

PAGES = [
    ["Payroll register 2014", "Employee: Amy Pascal", "SSN: 471-83-2265"],
    ["Employee: John Smith", "Date of birth: 04/12/1967", "Salary: $3,000,000"],
    ["Employee: Maria Garcia", "SSN: 318-44-9021", "Confidential"],
]


def new_canvas(buf, **kw):
    c = canvas.Canvas(buf, pagesize=letter, invariant=1, **kw)
    c.setAuthor("HR")
    c.setTitle("payroll")
    return c


def draw_lines(c, lines):
    y = 720
    for line in lines:
        c.drawString(72, y, line)
        y -= 20


def scan_image(text):
    """A page image with text in its pixels, like a scanner's output."""
    img = Image.new("L", (850, 1100), 255)
    d = ImageDraw.Draw(img)
    d.text((80, 100), text, fill=0)
    d.rectangle((60, 80, 790, 140), outline=0)
    return ImageReader(img)


def pdf_bytes(pages, **kw):
    buf = io.BytesIO()
    c = new_canvas(buf, **kw)
    for p in pages:
        if p == "image":
            c.drawImage(scan_image("SSN 545-28-6613 Robert Brown"), 0, 0, 612, 792)
        elif p:
            draw_lines(c, p)
        c.showPage()
    c.save()
    return buf.getvalue()


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


def gen_pdf(out):
    os.makedirs(out, exist_ok=True)
    text = pdf_bytes(PAGES)
    write(os.path.join(out, "text.pdf"), text)
    # page 2 is a scan, page 3 blank: only page 2 is "no text layer"
    write(os.path.join(out, "mixed.pdf"), pdf_bytes([PAGES[0], "image", [], PAGES[2]]))
    write(os.path.join(out, "scanned.pdf"), pdf_bytes(["image", "image"]))
    # permissions only (empty user password): opens and reads like any PDF
    write(os.path.join(out, "owner_locked.pdf"),
          pdf_bytes(PAGES[:1], encrypt=StandardEncryption("", ownerPassword="owner",
                                                          canPrint=0, canCopy=0)))
    write(os.path.join(out, "encrypted.pdf"),
          pdf_bytes(PAGES[:1], encrypt=StandardEncryption("secret", ownerPassword="owner")))
    # startxref points into the middle of nowhere: poppler rebuilds the table
    i = text.rfind(b"startxref")
    write(os.path.join(out, "badxref.pdf"), text[:i] + b"startxref\n123\n%%EOF\n")
    # cut inside the third page's content stream: the trailer and xref are gone
    streams = [k for k in range(len(text))
               if text.startswith(b"stream\n", k) and text[k - 3:k] != b"end"]
    cut = streams[2] + 7 + 20
    write(os.path.join(out, "truncated.pdf"), text[:cut])
    rnd = random.Random(4)
    write(os.path.join(out, "garbage.pdf"),
          b"%PDF-1.4\n" + bytes(rnd.getrandbits(8) for _ in range(4000)))


# ---------------------------------------------------------------- mail

def message(frm, to, subject, cc=None):
    m = EmailMessage()
    m["From"] = frm
    m["To"] = to
    if cc:
        m["Cc"] = cc
    m["Subject"] = subject
    m["Date"] = FIXED_DATE
    return m


HTML = """<html><head><style>td { color: red }</style>
<script>var ssn = "233-19-4872";</script></head>
<body><p>Dear&nbsp;team,</p><!-- draft: 388-27-5561 -->
<table><tr><th>Name</th><th>SSN</th></tr>
<tr><td>Ren&#233;e Zellweger</td><td>602-37-1845</td></tr></table>
<p>Fish &amp; Chips &lt;3</p></body></html>
"""

CSV = ("name,ssn,dob,salary\r\n"
       "Amy Pascal,471-83-2265,1967-04-12,3000000\r\n"
       "John Smith,318-44-9021,1970-01-31,85000\r\n")


def memo_eml():
    m = message("Amy Pascal <amy.pascal@sony.example>", "HR Team <hr@sony.example>",
                "Gehaltsübersicht – vertraulich",
                cc="José Núñez <jose.nunez@sony.example>")
    body = ("Grüße aus Culver City.\n"
            "Please update the record for Amy Pascal, SSN 471-83-2265, born 04/12/1967. "
            "This sentence is long enough that quoted-printable must wrap it with a soft "
            "line break somewhere in the middle.\n")
    m.set_content(body, cte="quoted-printable")
    return m


def mbox_messages():
    msgs = []
    m = message("John Smith <john.smith@sony.example>", "payroll@sony.example",
                "plain note")
    m.set_content("John Smith DOB 1970-01-31\n", cte="7bit")
    msgs.append(m)

    m = message("payroll@sony.example", "hr@sony.example", "latin-1 base64")
    m.set_content("Frau Müller, Gehalt 85.000 EUR\n".encode("latin-1"), "text", "plain",
                  cte="base64")
    m.replace_header("Content-Type", 'text/plain; charset="iso-8859-1"')
    msgs.append(m)

    m = message("hr@sony.example", "all@sony.example", "alternative")
    m.set_content("Dear team,\nRenée Zellweger 602-37-1845\n")
    m.add_alternative(HTML, subtype="html")
    m.set_boundary("alt-boundary-3")
    msgs.append(m)

    m = message("Amy Pascal <amy.pascal@sony.example>", "cfo@sony.example", "payroll attached")
    m.set_content("See attached.\n")
    m.add_attachment(CSV.encode(), maintype="text", subtype="csv", filename="payroll.csv")
    m.set_boundary("mixed-boundary-4")
    msgs.append(m)

    inner = message("legal@sony.example", "amy.pascal@sony.example", "W-2 forms")
    inner.set_content("W-2 for Maria Garcia attached.\n")
    inner.add_attachment(b"Maria Garcia\t318-44-9021\n", maintype="application",
                         subtype="octet-stream", filename="w2.tsv")
    inner.set_boundary("inner-boundary-5")
    m = message("amy.pascal@sony.example", "cfo@sony.example", "Fwd: W-2 forms")
    m.set_content("Forwarding.\n")
    m.add_attachment(inner)
    m.set_boundary("outer-boundary-5")
    msgs.append(m)

    m = message("hr@sony.example", "all@sony.example", "html only")
    m.set_content("<p>Bonus: <b>$250,000</b> for Jane&nbsp;Doe</p>", subtype="html")
    msgs.append(m)
    return msgs


def write_mbox(path, msgs):
    if os.path.exists(path):
        os.remove(path)
    box = mailbox.mbox(path, create=True)
    for m in msgs:
        mm = mailbox.mboxMessage(m)
        mm.set_from("MAILER-DAEMON", FROM_TIME)
        box.add(mm)
    box.flush()
    box.close()


def broken_eml():
    """A multipart whose closing boundary never comes: cut inside the attachment."""
    m = message("hr@sony.example", "cfo@sony.example", "broken")
    m.set_content("Readable part: Amy Pascal 471-83-2265\n")
    m.add_attachment(CSV.encode() * 20, maintype="text", subtype="csv", filename="big.csv")
    m.set_boundary("broken-boundary")
    raw = m.as_bytes(policy=SMTP)
    return raw[: raw.find(b"Content-Disposition: attachment") + 400]


def gen_mail(out):
    os.makedirs(out, exist_ok=True)
    write(os.path.join(out, "memo.eml"), memo_eml().as_bytes(policy=SMTP))
    write_mbox(os.path.join(out, "exec.mbox"), mbox_messages())
    write(os.path.join(out, "broken.eml"), broken_eml())
    # an mbox whose first message is cut short: the second must still be read
    good = message("hr@sony.example", "cfo@sony.example", "after the broken one")
    good.set_content("Second message: Maria Garcia 318-44-9021\n")
    tmp = os.path.join(out, "broken.mbox")
    write_mbox(tmp, [good])
    first = b"From MAILER-DAEMON Mon Nov 24 09:00:00 2014\n" + broken_eml() + b"\n"
    with open(tmp, "rb") as f:
        rest = f.read()
    write(tmp, first + rest)


# ---------------------------------------------------------------- the nested dump

LEAK_MEMBERS = [
    ("exec.mbox", "mail/exec.mbox"),
    ("memo.eml", "mail/memo.eml"),
    ("broken.eml", "mail/broken.eml"),
    ("reports/text.pdf", "pdf/text.pdf"),
    ("reports/mixed.pdf", "pdf/mixed.pdf"),
    ("reports/scanned.pdf", "pdf/scanned.pdf"),
    ("reports/truncated.pdf", "pdf/truncated.pdf"),
    ("reports/badxref.pdf", "pdf/badxref.pdf"),
    ("reports/encrypted.pdf", "pdf/encrypted.pdf"),
]


def gen_leak(out):
    """leak.zip: the mail and PDFs inside a zip, as a dump arrives."""
    with zipfile.ZipFile(os.path.join(out, "leak.zip"), "w", zipfile.ZIP_DEFLATED) as z:
        for name, src in LEAK_MEMBERS:
            with open(os.path.join(out, src), "rb") as f:
                z.writestr(zipfile.ZipInfo(name, (2014, 11, 24, 9, 0, 0)), f.read())


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: gen_docs.py OUTDIR")
    gen_pdf(os.path.join(sys.argv[1], "pdf"))
    gen_mail(os.path.join(sys.argv[1], "mail"))
    gen_leak(sys.argv[1])


if __name__ == "__main__":
    main()
