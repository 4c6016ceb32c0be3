"""API keys: configuration formats, hashing, tenant lookup and bearer parsing."""

from __future__ import annotations

import pytest

from services.api.auth import ApiKeyRing, InvalidKeyConfigError, hash_key, parse_bearer


def test_config_and_ssm_forms_give_the_same_ring() -> None:
    """'tenant:sha256,...' and the SSM JSON list map the same keys to the same tenants."""
    config = ApiKeyRing.from_config(f"acme:{hash_key('a')}, globex:{hash_key('g')}")
    ssm = ApiKeyRing.from_json(
        f'[{{"tenant": "acme", "sha256": "{hash_key("a")}"}},'
        f' {{"tenant": "globex", "sha256": "{hash_key("g")}"}}]'
    )
    for ring in (config, ssm):
        assert (ring.tenant_for("a"), ring.tenant_for("g"), ring.tenant_for("x")) == ("acme", "globex", None)


@pytest.mark.parametrize("value", ["acme:notahash", "acme", f"bad tenant:{hash_key('a')}"])
def test_malformed_key_config_refuses_to_start(value: str) -> None:
    """A typo in the key list is an error at start-up, not a silently open or closed API."""
    with pytest.raises(InvalidKeyConfigError):
        ApiKeyRing.from_config(value)


def test_plaintext_keys_are_never_held() -> None:
    """The ring keeps only digests: the key text is nowhere in its state."""
    ring = ApiKeyRing.from_config(f"acme:{hash_key('super-secret-key')}")
    assert "super-secret-key" not in repr(ring._entries)


@pytest.mark.parametrize(
    ("header", "token"),
    [
        (None, None),
        ("Bearer abc", "abc"),
        ("bearer  abc ", "abc"),
        ("Basic abc", ""),
        ("Bearer", ""),
        ("", ""),
    ],
)
def test_parse_bearer(header: str | None, token: str | None) -> None:
    """None without a header, '' for an unusable one, else the token."""
    assert parse_bearer(header) == token
