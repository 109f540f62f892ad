"""The ISO 4217 currency codes a pay survey may name."""

from __future__ import annotations

__all__ = ["CURRENCIES"]

# Active ISO 4217 currencies (2025). Left out on purpose: fund and accounting units (BOV,
# CHE, CHW, CLF, COU, MXV, USN, UYI, UYW, XDR, XSU, XUA), precious metals, bond units and the
# test / no-currency codes (XAG, XAU, XPD, XPT, XBA-XBD, XTS, XXX): nobody is paid in them.
# Kept although recently replaced, because a survey dated before the change names them:
# ANG (by XCG, 2025), SLL (by SLE), ZWL (by ZWG), CUC, BGN (by EUR, 2026), HRK (by EUR, 2023).
CURRENCIES: frozenset[str] = frozenset(
    """
    AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN
    BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR
    FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HRK HTG HUF IDR ILS INR IQD IRR ISK JMD
    JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK
    MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN
    PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL
    THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VED VES VND VUV WST XAF XCD XCG
    XOF XPF YER ZAR ZMW ZWG ZWL
    """.split()
)
