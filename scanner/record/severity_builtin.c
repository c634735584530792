/* record/severity_builtin.c - the built-in severity model.
 *
 * A verbatim copy of rules/severity.yaml, used when a --rules directory has no
 * severity.yaml. unit.severity checks that both give the same severity for every
 * combination of categories, so edit the two together.
 */
#include "record/severity.h"

#include <string.h>

static const char builtin_yaml[] =
    "# piiscan severity model (rules/severity.yaml)\n"
    "#\n"
    "# How findings become a severity. The top-level key is `severity:` (not `rules:`),\n"
    "# so the detection-rule loader skips this file. Edit it to tune the model; no\n"
    "# recompiling. piiscan prints \"file:line: message\" for any mistake in it.\n"
    "#\n"
    "# Terms used below are category names (ssn, dob, name, salary, email, phone,\n"
    "# credit_card, itin, bank_account, drivers_license, passport, address) or the\n"
    "# class names defined under `classes`. A term is \"present\" in a record when the\n"
    "# record holds a finding of that category (for a class: of any of its categories).\n"
    "severity:\n"
    "  version: 1\n"
    "\n"
    "  # Finding classes (DESIGN.md \"Severity model\").\n"
    "  classes:\n"
    "    identifier: [ssn, itin, credit_card, bank_account, drivers_license, passport]\n"
    "    sensitive: [dob, salary]\n"
    "    contact: [name, email, phone, address]\n"
    "\n"
    "  # Record severity. A record is a table row, JSON object, SQL row or text\n"
    "  # paragraph. Rules are tried top-down; the first that matches gives the\n"
    "  # severity. A rule matches when every term of `all` is present, at least one\n"
    "  # term of `any` is present (if `any` is given) and no term of `none` is.\n"
    "  records:\n"
    "    - severity: critical\n"
    "      why: a name with an identifier (the breach-notification combination)\n"
    "      all: [name, identifier]\n"
    "    - severity: critical\n"
    "      why: an SSN with a date of birth\n"
    "      all: [ssn, dob]\n"
    "    - severity: high\n"
    "      why: an identifier without a name\n"
    "      all: [identifier]\n"
    "    - severity: high\n"
    "      why: a name with a date of birth or a salary\n"
    "      all: [name]\n"
    "      any: [dob, salary]\n"
    "    - severity: medium\n"
    "      why: a date of birth or a salary without a name\n"
    "      any: [dob, salary]\n"
    "      none: [name]\n"
    "    - severity: medium\n"
    "      why: a name with contact data\n"
    "      all: [name]\n"
    "      any: [email, phone, address]\n"
    "    - severity: low\n"
    "      why: a name, email, phone or address alone\n"
    "      any: [name, email, phone, address]\n"
    "\n"
    "  # A record whose categories match no rule above.\n"
    "  default: low\n"
    "\n"
    "  # File severity is its highest record severity, raised `from` -> `to` when the\n"
    "  # file holds at least `records` records with a term of `terms` (bulk exposure).\n"
    "  # The scan's severity is its highest file severity.\n"
    "  files:\n"
    "    bulk:\n"
    "      records: 100\n"
    "      terms: [identifier]\n"
    "      from: high\n"
    "      to: critical\n"
    "\n"
    "  # A person meets the notification combination when the data elements exposed\n"
    "  # about them (across all their records) match this condition.\n"
    "  notification:\n"
    "    all: [name, identifier]\n";

piiscan_status ps_sevmodel_builtin(struct ps_sevmodel **out)
{
    piiscan_diag diag;
    piiscan_status rc =
        ps_sevmodel_parse(builtin_yaml, strlen(builtin_yaml), "built-in", out, &diag);

    /* the text is fixed and tested: only allocation can fail */
    return rc == PIISCAN_OK ? rc : PIISCAN_ENOMEM;
}
