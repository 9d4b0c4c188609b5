"""Domains of public mail providers: anyone can have an address there, so no organization may
claim one (it would route strangers to its provider). Not exhaustive: the large providers and
their regional twins, plus the disposable-address services people actually type."""

from __future__ import annotations

PUBLIC_EMAIL_DOMAINS: frozenset[str] = frozenset(
    {
        "gmail.com", "googlemail.com", "google.com",
        "outlook.com", "hotmail.com", "hotmail.co.uk", "hotmail.fr", "hotmail.de", "hotmail.it",
        "live.com", "live.co.uk", "live.fr", "live.de", "msn.com", "passport.com",
        "yahoo.com", "yahoo.co.uk", "yahoo.fr", "yahoo.de", "yahoo.it", "yahoo.es",
        "yahoo.co.jp", "ymail.com", "rocketmail.com", "aol.com", "aim.com",
        "icloud.com", "me.com", "mac.com",
        "proton.me", "protonmail.com", "protonmail.ch", "pm.me", "tutanota.com", "tuta.io",
        "gmx.com", "gmx.net", "gmx.de", "gmx.at", "gmx.ch", "web.de", "t-online.de",
        "freenet.de", "posteo.de", "mailbox.org",
        "mail.com", "email.com", "zoho.com", "zohomail.com", "yandex.com", "yandex.ru",
        "mail.ru", "bk.ru", "inbox.ru", "list.ru", "rambler.ru",
        "qq.com", "163.com", "126.com", "sina.com", "aliyun.com", "naver.com", "daum.net",
        "orange.fr", "wanadoo.fr", "free.fr", "laposte.net", "sfr.fr",
        "libero.it", "virgilio.it", "btinternet.com", "comcast.net", "verizon.net",
        "att.net", "sbcglobal.net", "cox.net", "earthlink.net", "rediffmail.com",
        "fastmail.com", "fastmail.fm", "hey.com", "hushmail.com",
        "mailinator.com", "guerrillamail.com", "10minutemail.com", "temp-mail.org",
        "yopmail.com", "sharklasers.com",
    }
)  # fmt: skip
