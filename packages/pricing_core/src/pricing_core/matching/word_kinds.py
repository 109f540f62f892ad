"""Words by what they tell of a job: modifiers, credentials, executive words, kinds of work."""

from __future__ import annotations

__all__ = ["CREDENTIALS", "EXECUTIVE_WORDS", "MODIFIERS", "ROLE_GROUPS"]

# Credentials typed after a title, as in "Accountant (CPA)"; ignored when other words remain.
CREDENTIALS = frozenset(
    "cpa cfa cfp cissp cma cna crna lcsw lpn lvn mba md mph pe phd pharmd pmp rn shrm sphr".split()
)

# Words that qualify a job without changing it: place, schedule, contract, unit, stack.
# They are ignored when other words remain; "RN - ICU" is matched as "RN".
MODIFIERS = frozenset(
    # place and market
    "americas amer apac asia australia canada central east emea eu europe global latam "
    "na nam north northeast northwest south southeast southwest uk us usa west worldwide "
    "regional national international domestic territory district area field remote "
    "hybrid onsite offsite based "
    # contract and schedule
    "contract contractual temp temporary seasonal fulltime parttime ft pt prn perdiem "
    "weekend weekends night nights overnight evening evenings days day shift locum interim "
    # hospital units and specialties that do not change the occupation
    "icu nicu picu ccu pacu er ed medsurg surg telemetry tele oncology pediatric peds "
    "maternity postpartum perinatal hospice stepdown float acute outpatient inpatient "
    # software stacks and platforms
    "backend java javascript typescript python golang go ruby rails php react angular "
    "vue node nodejs dotnet csharp cpp scala kotlin swift rust elixir django spring "
    "aws azure gcp ios android mobile embedded "
    "platform distributed api apis microservices kubernetes linux unix windows "
    # grammar of job ads
    "new hire hiring urgent immediate opening openings position role team level firstline".split()
)

# Words that make a title an executive or a department head rather than a level.
EXECUTIVE_WORDS = frozenset("chief director head officer president vice".split())

# The kind of work a title's head noun names. A title and a name whose head nouns fall in
# different groups ("Benefits Analyst" and "Benefits Managers") fit less well than their
# shared words alone suggest, since those nouns are common and weigh little.
ROLE_GROUPS: dict[str, str] = {
    **dict.fromkeys("manager director supervisor head superintendent".split(), "lead"),
    **dict.fromkeys(
        "analyst specialist coordinator representative officer advisor consultant "
        "generalist partner planner examiner strategist".split(),
        "professional",
    ),
    **dict.fromkeys("engineer developer architect programmer scientist".split(), "engineer"),
    **dict.fromkeys("technician technologist mechanic repairer installer".split(), "technician"),
    **dict.fromkeys("assistant aide helper clerk secretary".split(), "support"),
    **dict.fromkeys("worker operator laborer attendant handler tender".split(), "worker"),
    **dict.fromkeys("teacher instructor tutor educator".split(), "teacher"),
}
