"""The rules engine: cross-field validation and compliance checks over snapshots.

Rules read a snapshot dict (`standards.snapshot.snapshot()`), never the
database, and report `Finding`s: rule id, severity, a lazy message naming the
row and value concerned, the field codes (so a form can show the finding beside
each field) and, for repeating groups, the row id and group.

    from standards.rules import run_rules, findings_by_code
    findings = run_rules(snapshot(version))            # every rule, in RULES order
    findings = run_rules(data, rule_ids=["R09", "C01"])  # a family id selects R09a–R09c

Layout:

- `findings.py`   Severity, Finding
- `engine.py`     Rule, the `@rule` declaration, Issue, findings_by_code
- `ruleset.py`    RULES (collected from the modules below, ordered), run_rules, select
- `view.py`       read access to a snapshot; plain names for rows in messages
- `messages.py`   lazy `%(name)s` formatting; durations, labels and field references
- `units.py`      time limits in working days and comparisons across units
- `text.py`       article numbers, Chinese numerals, material names, phone numbers
- `catchall.py`   catch-all (兜底) clause detection
- `crossfield/`   the domain README's 35 cross-field rules, one module per section
- `compliance/`   checks of the editorial office's compliance review

Rule ids are stable: R<nn> is README cross-field rule nn (split into R<nn>a, b …
where one README rule checks several things), C<nn> a compliance check: C01 is
compliance review rule 5 (catch-all clauses), C02 rule 2, C03 rule 1, C04–C06
rule 3 (article-level citations), C07–C09 rule 6 (duplicated certificates), C10
rule 4, C11 rule 8 and C12 rule 11; each Rule's `reference` says the same. An id
is never renumbered or reused; a retired rule leaves a gap. `tests/standards/rules`
checks that this table matches RULES.

Severity: blocking findings are certain breaches; advisory ones need a person's
judgement. A starred rule also reports advisory findings: a time comparison that
only fails after converting between units (R01a, R01b, R02, R15b, R29a, R29b),
a special procedure the review methods do not use (R21b), a channel not offered
for its purpose (R30a), a setting basis whose issuer does not fit its level
(C02), and names that are only similar (C07).

    Id    Severity   Rule
                     Field codes
    R01a  blocking*  The promised time limit is within the statutory one
                     E06.05 E06.06 E06.01 E06.02
    R01b  blocking*  Each other process promises no more than its statutory limit
                     PX.10 PX.11 PX.12 PX.13
    R02   blocking*  Step times add up to no more than the promised limit
                     PL.01 PL.15 PL.16 E06.13 E06.14 E06.18 E06.05 E06.06
    R03a  blocking   即办件, 即审即办 and a promised limit of 0 go together
                     B00.12 B00.13 E06.05
    R03b  blocking   An immediate case states when the decision is made on the spot
                     B00.12 P05.09
    R04a  blocking   On-site visits need a reason
                     B00.19 B00.20
    R04b  blocking   Zero on-site visits needs online handling or express delivery
                     B00.19 B00.16 B00.23
    R05   blocking   Online handling needs its addresses and steps
                     B00.15 B00.16 B00.17 B00.18 P02.03 P02.04 P02.06 P02.07
    R06a  blocking   Express applications need a mailing address and a postage payer
                     B00.23 B00.15 E12.14 E12.15
    R06b  blocking   Delivering results by express means the item supports express delivery
                     E07.13 B00.23
    R07   blocking   Appointments are described when the item supports them
                     B00.21 P01.01 P01.02 P01.03 P01.04 P01.05 P01.06 P01.07
    R08   blocking   Self-service terminals are located
                     B00.24 E12.16
    R09a  blocking   A free item lists no fees and offers no online payment
                     E08.01 E08.02 B00.22
    R09b  blocking   A charged item lists its fees, each with a basis
                     E08.01 E08.02 E08.05
    R09c  blocking   Online payment is offered exactly when a fee can be paid online
                     B00.22 E08.09
    R10a  blocking   A fee reduction states when it applies and its basis
                     E08.06 E08.07 E08.08
    R10b  blocking   A charged special procedure cites its fee basis
                     E06.16 E06.17
    R10c  blocking   A charged other process names its fee items
                     PX.14 PX.15
    R11a  blocking   Natural-person themes match the service object
                     B00.09 B00.10
    R11b  blocking   Legal-person themes match the service object
                     B00.09 B00.11
    R12   blocking   Items managed at several levels divide the authority
                     B00.06 B00.07
    R13   blocking   An entrusted power names the entrusting department and document
                     B00.05 E03.03 E03.04 E03.05
    R14a  blocking   A preliminary review names its level, body and forwarding rules
                     E03.12 E03.13 E03.14 P04.11
    R14b  blocking   Co-implementing departments come with their codes
                     E03.10 E03.11
    R15a  blocking   A conditional material says when it is needed
                     E05.04 E05.25
    R15b  blocking*  A tolerated (容缺) material has conditions, a deadline and acceptance rules
                     E05.04 E05.22 E05.23 E05.24 E06.05 E06.06 P03.12
    R16   blocking   A material's source is explained
                     E05.05 E05.06 E05.07 E05.19 E05.20
    R17   blocking   Counts, paper size and electronic version fit the material's type and form
                     E05.02 E05.03 E05.10 E05.11 E05.12 E05.13
    R18a  blocking   A blank form comes with a filled sample
                     E05.14 E05.15
    R18b  blocking   Each applicant form is exactly one document row linked to its material
                     E05.14 E13.08
    R18c  blocking   A document used by the applicant has a filled sample
                     E13.03 E13.05
    R19a  blocking   Each approval condition is proved
                     E04.01 E04.07 E04.08 E04.09
    R19b  blocking   Each material proves a condition or serves another process
                     E05.01 E04.08 PX.07
    R20a  blocking   Commitments are allowed only under the notification-commitment system
                     E04.09 B00.27
    R20b  blocking   The notification-commitment system names the conditions it covers
                     B00.27 E04.09
    R21a  blocking   Review methods agree with the site-inspection and hearing settings
                     P04.01 P04.02 P04.03 P04.04 P04.05 P04.06 P04.09 P04.10
    R21b  blocking*  Review methods that take extra time have a matching special procedure
                     P04.01 E06.11
    R21c  blocking   Conditions are verified only by methods the review uses
                     E04.07 P04.01
    R22   blocking   A review affecting others' major interests hears their statements
                     P04.07 P04.08
    R23   blocking   Special procedures of Licensing Law art. 45 are not counted in the limit
                     E06.11 E06.18
    R24a  blocking   An allowed extension states how long it is
                     E06.08 E06.09 E06.10
    R24b  advisory   An extension stays within what the basis allows
                     E06.08 E06.09 E06.10 E06.04
    R25a  blocking   A named result has a sample
                     E07.02 E07.03
    R25b  blocking   The result type fits the result name
                     E07.01 E07.02
    R25c  blocking   A result that expires states its validity period and basis
                     E07.05 E07.04 E07.06
    R26a  blocking   An annual inspection has a basis and rules
                     E07.11 E07.12 P08.06
    R26b  blocking   An electronic certificate has a catalogue code, and only then
                     E07.14 E07.15
    R26c  blocking   Downloading the result online needs an electronic certificate
                     E07.13 E07.14
    R26d  blocking   Collecting the result at the window names the place
                     E07.13 P06.07
    R27   blocking   A quantity limit is fully described
                     E09.01 E09.02 E09.03 E09.04 E09.05 E09.06 E09.07
    R28a  blocking   Intermediary services are listed exactly when the item involves them
                     E10.01 E10.02
    R28b  blocking   The applicant chooses the intermediary freely
                     E10.05
    R28c  blocking   An intermediary service results in a material issued by an intermediary
                     E10.11 E05.05
    R29a  blocking*  The rectification notice comes within 5 working days
                     P03.02 P03.03
    R29b  blocking*  Certificates are delivered within 10 working days
                     P06.03 P06.04
    R29c  blocking   Posts doing site inspections have at least two staff
                     E11.03 PL.04 PL.08
    R30a  blocking*  Each consultation and complaint channel has its details
                     E12.01 E12.02 E12.03 E12.04 E12.05 E12.06 E12.07 E12.08 E12.09 E12.10
    R30b  blocking   Consultation and complaint phones differ
                     E12.02 E12.07
    R30c  blocking   Consultation and complaint phones have an area code
                     E12.02 E12.07
    R31a  blocking   Office hours state the working days
                     E12.12
    R31b  advisory   The office address names a window or room number
                     E12.11
    R32a  blocking   Each other process appears once, and only P09–P19
                     PX.01
    R32b  blocking   An applicable other process is fully described
                     PX.02 PX.05 PX.06 PX.07 PX.08 PX.10 PX.11 PX.12 PX.13 PX.17 PX.18
    R33a  blocking   Acceptance, review, decision and every applicable other process have links
                     PL.01 PX.01
    R33b  blocking   Link order is unique within a process
                     PL.01 PL.03
    R33c  blocking   Rectification and denial criteria cite their basis
                     PL.11 PL.12 PL.13 PL.14
    R34a  blocking   At least one legal basis is the setting basis
                     E02.01
    R34b  blocking   The supervisory basis cites supervisory bases only
                     P08.05 E02.01
    R34c  blocking   A basis takes effect no earlier than its revision
                     E02.06 E02.07
    R34d  blocking   A licence's setting basis is at a level that may set a licence
                     B00.04 E02.01 E02.03
    R35   advisory   A through-handled item lists every accepting place
                     B00.14 P02.01
    C01   blocking   No catch-all or add-on clauses
                     E01.01 P03.07 E04.02 E05.01 PX.05 PX.08 PL.13
    C02   blocking*  The setting basis of a licence is issued at a level that can set it
                     B00.04 E02.01 E02.03 E02.05
    C03   blocking   The item type matches the catalogue
                     B00.04
    C04   blocking   Each condition cites its basis at article level
                     E04.03
    C05   blocking   Each material cites its basis at article level
                     E05.18
    C06   blocking   Other citations (time limit, fees, limits, denials …) are at article level
                     E01.07 E06.04 E07.12 E09.04 E06.15 E08.05 E10.04 PX.18 PL.14
    C07   blocking*  No material is asked for twice
                     E05.01 E05.26
    C08   advisory   No two materials prove exactly the same conditions
                     E05.01 E04.08
    C09   advisory   Certificates the government issues come by data sharing
                     E05.05 E05.07 E05.19
    C10   advisory   Every legal basis is cited somewhere
                     E02.02
    C11   blocking   A fee rests on a law or administrative regulation
                     E08.05 E02.03
    C12   blocking   A licensing item's guide answers at least one frequent question
                     B00.04 E12.20
"""

from .engine import Issue, Rule, findings_by_code, rule
from .findings import Finding, Severity
from .ruleset import RULES, RULES_BY_ID, run_rules, select

__all__ = [
    "RULES",
    "RULES_BY_ID",
    "Finding",
    "Issue",
    "Rule",
    "Severity",
    "findings_by_code",
    "rule",
    "run_rules",
    "select",
]
