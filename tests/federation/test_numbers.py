"""What a provider sends that identifies a person by number is dropped before anything is
built from it (accounts/federation.py, applied in accounts/providers.py's extract step)."""

from accounts.federation import safe_uid, without_numbers


def test_claims_named_as_a_number_are_dropped_whatever_their_value():
    claims = {
        "sub": "abc",
        "ssn": "not a number at all",
        "personalIdentityNumber": "x",
        "http://sambi.se/attributes/1/personalIdentityNumber": ["x"],
        "urn:oid:1.2.752.29.4.13": ["x"],
        "SocialSecurityNumber": "x",
        "email": "a@b.example",
    }
    assert without_numbers(claims) == {"sub": "abc", "email": "a@b.example"}


def test_any_value_that_is_a_personnummer_is_dropped_under_any_name():
    claims = {
        "employeeNumber": "19121212-1212",
        "groups": ["lärare", "121212-1212", "elevhälsa"],
        "nested": {"note": "pnr 1212121212 här", "keep": "2024-01-01"},
        "phone": "070-123 45 67",
    }
    assert without_numbers(claims) == {
        "groups": ["lärare", "elevhälsa"],
        "nested": {"keep": "2024-01-01"},
        "phone": "070-123 45 67",
    }


def test_a_subject_that_is_a_number_is_kept_only_as_a_keyed_hash():
    hashed = safe_uid("191212121212")
    assert hashed.startswith("h:") and "1212121212" not in hashed
    # The same person, however the number is written, finds the same link.
    assert safe_uid("19121212-1212") == hashed
    assert safe_uid("anna@skola.example") == "anna@skola.example"
