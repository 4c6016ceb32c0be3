"""URLs an attacker could type to turn the scraper against our own network.

``ATTACK_URLS`` are refused from the URL alone, before any DNS lookup or connection.
``DNS_ATTACKS`` are innocent-looking names whose DNS answer points inside; the resolver
guard refuses them (tests fake the DNS answer). Each entry says what it tries.
"""

from __future__ import annotations

__all__ = ["ATTACK_URLS", "DNS_ATTACKS", "PUBLIC_URLS"]

ATTACK_URLS: list[tuple[str, str]] = [
    # loopback, every spelling a browser or libc accepts
    ("http://127.0.0.1/", "loopback"),
    ("http://127.0.0.1:8080/admin", "loopback on another port"),
    ("http://127.255.255.254/", "loopback is all of 127/8"),
    ("http://localhost/", "loopback by name"),
    ("http://LOCALHOST./", "loopback by name, upper case with trailing dot"),
    ("http://api.localhost/", "*.localhost is loopback by definition"),
    ("http://2130706433/", "127.0.0.1 as one decimal integer"),
    ("http://0x7f000001/", "127.0.0.1 as one hex integer"),
    ("http://0x7f.1/", "127.0.0.1 as hex short form"),
    ("http://0x7f.0x0.0x0.0x1/", "127.0.0.1 with hex parts"),
    ("http://0177.0.0.1/", "127.0.0.1 with an octal part"),
    ("http://0177.1/", "127.0.0.1 octal short form"),
    ("http://127.1/", "127.0.0.1 short form"),
    ("http://127.0.1/", "127.0.0.1 three-part form"),
    ("http://127.0.0.1./", "127.0.0.1 with a trailing dot"),
    ("http://%31%32%37.0.0.1/", "127.0.0.1 percent-encoded"),
    ("http://\uff11\uff12\uff17.\uff10.\uff10.\uff11/", "127.0.0.1 in full-width digits"),
    ("http://0/", "0.0.0.0 short form reaches the local host"),
    ("http://0.0.0.0/", "unspecified address reaches the local host"),
    ("http://[::]/", "IPv6 unspecified"),
    ("http://[::1]/", "IPv6 loopback"),
    ("http://[0:0:0:0:0:0:0:1]/", "IPv6 loopback, long form"),
    # cloud metadata and container credentials
    ("http://169.254.169.254/latest/meta-data/iam/security-credentials/", "EC2 instance metadata"),
    ("http://169.254.170.2/v2/credentials/", "ECS task credentials"),
    ("http://2852039166/", "169.254.169.254 as a decimal integer"),
    ("http://0xa9fea9fe/", "169.254.169.254 as a hex integer"),
    ("http://0251.0376.0251.0376/", "169.254.169.254 in octal"),
    ("http://[fd00:ec2::254]/latest/meta-data/", "EC2 instance metadata over IPv6 (ULA)"),
    ("http://metadata.google.internal/computeMetadata/v1/", "internal-only name"),
    ("http://metadata/", "single-label name, resolved through our search domains"),
    ("http://intranet/", "single-label name"),
    ("http://printer.local/", "mDNS name"),
    ("http://router.home.arpa/", "home network name"),
    ("http://db.internal/", ".internal name"),
    # private, shared and special IPv4 ranges
    ("http://10.0.0.1/", "private 10/8"),
    ("http://172.16.0.1/", "private 172.16/12"),
    ("http://172.31.255.255/", "private 172.16/12, top end"),
    ("http://192.168.1.1/", "private 192.168/16"),
    ("http://100.64.0.1/", "carrier-grade NAT"),
    ("http://100.100.100.200/", "carrier-grade NAT (a cloud metadata address)"),
    ("http://192.0.0.1/", "IETF protocol assignments"),
    ("http://192.0.2.1/", "documentation TEST-NET-1"),
    ("http://198.51.100.1/", "documentation TEST-NET-2"),
    ("http://203.0.113.1/", "documentation TEST-NET-3"),
    ("http://198.18.0.1/", "benchmarking"),
    ("http://192.88.99.1/", "6to4 relay anycast"),
    ("http://224.0.0.1/", "multicast"),
    ("http://239.255.255.250/", "multicast (SSDP)"),
    ("http://240.0.0.1/", "reserved"),
    ("http://255.255.255.255/", "broadcast"),
    # IPv4 inside IPv6
    ("http://[::ffff:127.0.0.1]/", "IPv4-mapped loopback"),
    ("http://[::ffff:7f00:1]/", "IPv4-mapped loopback, hex form"),
    ("http://[::ffff:169.254.169.254]/", "IPv4-mapped metadata"),
    ("http://[::ffff:8.8.8.8]/", "IPv4-mapped, even of a public address"),
    ("http://[::127.0.0.1]/", "IPv4-compatible loopback"),
    ("http://[::ffff:0:7f00:1]/", "IPv4-translated loopback"),
    ("http://[64:ff9b::7f00:1]/", "NAT64 of 127.0.0.1"),
    ("http://[64:ff9b::a9fe:a9fe]/", "NAT64 of 169.254.169.254"),
    ("http://[64:ff9b:1::a00:1]/", "local-use NAT64 of 10.0.0.1"),
    ("http://[2002:7f00:1::]/", "6to4 of 127.0.0.1"),
    ("http://[2002:a9fe:a9fe::1]/", "6to4 of 169.254.169.254"),
    ("http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/", "Teredo embedding 127.0.0.1"),
    # IPv6 special ranges
    ("http://[fc00::1]/", "unique local"),
    ("http://[fd12:3456:789a::1]/", "unique local"),
    ("http://[fe80::1]/", "link-local"),
    ("http://[fe80::1%25eth0]/", "link-local with a zone id"),
    ("http://[fec0::1]/", "site-local"),
    ("http://[ff02::1]/", "multicast"),
    ("http://[2001:db8::1]/", "documentation"),
    ("http://[100::1]/", "discard-only"),
    # parser confusion and credentials
    ("http://shop.example.com@127.0.0.1/", "userinfo that looks like the host"),
    ("http://user:secret@shop.example.com/", "credentials in the URL"),
    ("http://127.0.0.1#@shop.example.com/", "fragment that makes the host look public"),
    ("http://shop.example.com\\@127.0.0.1/", "backslash that browsers read as a slash"),
    ("http://127.0.0.\n1/", "control character inside the host"),
    ("http:///etc/passwd", "no host at all"),
    # schemes and ports
    ("file:///etc/passwd", "local file"),
    ("ftp://shop.example.com/", "not http"),
    ("gopher://127.0.0.1:6379/_INFO", "gopher to redis"),
    ("dict://127.0.0.1:11211/stats", "dict to memcached"),
    ("javascript:alert(1)", "script URL"),
    ("data:text/html,<h1>hi</h1>", "data URL"),
    ("http://shop.example.com:22/", "SSH port on a public name"),
    ("https://shop.example.com:8443/", "non-web port"),
    ("http://shop.example.com:0/", "port zero"),
    ("http://8.8.8.8:25/", "SMTP on a public address"),
]

# (host, what DNS answers, what it tries): the guard must refuse the whole answer.
DNS_ATTACKS: list[tuple[str, list[str], str]] = [
    ("rebind.attacker.example", ["93.184.215.14", "127.0.0.1"], "public and loopback mixed"),
    ("mixed6.attacker.example", ["2606:2800:21f:cb07:6820:80da:af6b:8b2c", "::1"], "public and ::1 mixed"),
    ("localtest.me", ["127.0.0.1"], "public name for loopback"),
    ("169.254.169.254.nip.io", ["169.254.169.254"], "wildcard DNS to metadata"),
    ("imds.attacker.example", ["169.254.169.254"], "name for instance metadata"),
    ("ecs.attacker.example", ["169.254.170.2"], "name for ECS credentials"),
    ("private.attacker.example", ["10.1.2.3"], "name for a private address"),
    ("cgnat.attacker.example", ["100.100.100.200"], "name for carrier-grade NAT"),
    ("zero.attacker.example", ["0.0.0.0"], "name for the unspecified address"),
    ("mapped.attacker.example", ["::ffff:10.0.0.1"], "AAAA with IPv4-mapped private"),
    ("nat64.attacker.example", ["64:ff9b::a9fe:a9fe"], "AAAA with NAT64 metadata"),
    ("ula.attacker.example", ["fd00::1"], "AAAA with unique local"),
    ("scoped.attacker.example", ["fe80::1%eth0"], "scoped link-local answer"),
]

PUBLIC_URLS: list[str] = [
    "https://shop.example.com/products/blue-shoe?size=42#reviews",
    "http://93.184.215.14/",
    "http://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]/",
    "https://b\u00fccher.example/item/1",
]
