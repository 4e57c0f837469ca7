"""Real identity providers on loopback for the federated sign-in tests, started once per test
process: panva's `oidc-provider` from npm (tests/idp/oidc/, behind a few lines of server
script, on Node.js) for OpenID Connect, and Debian's SimpleSAMLphp (served by `php -S`, with a
generated configuration and a static user list) for SAML 2.0. `make idp` (run by .ci/run)
installs both when they are missing.

Each person the providers know is in PEOPLE; every one of them carries a personal identity
number, sent under the names a Swedish provider uses, which Triad must never keep."""

import json
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import requests

HERE = Path(__file__).resolve().parent
OIDC_DIR = HERE / "oidc"
SIMPLESAMLPHP = Path("/usr/share/simplesamlphp")

# A valid personnummer (the Tax Agency's test number 19121212-1212), in the forms providers use.
PNR = "191212121212"
PNR_DASHED = "19121212-1212"
PNR_SHORT = "121212-1212"
PNR_FORMS = (PNR, PNR_DASHED, PNR_SHORT, "1212121212")

PASSWORD_MFA = ["pwd", "mfa"]
SAML_MFA = "urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorContract"
SAML_PASSWORD = "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"

# login -> (e-mail the provider asserts, name, whether the sign-in is multi-factor)
PEOPLE = {
    "anna": ("anna@skola.example", "Anna Andersson", False),
    "bertil": ("bertil@skola.example", "Bertil Berg", True),
    "cecilia": ("cecilia@skola.example", "Cecilia Ceder", False),
    "david": ("david@skola.example", "David Dahl", False),
    "okand": ("okand@skola.example", "Okänd Person", False),
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url: str, process: subprocess.Popen, log: Path, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} stopped at start:\n{log.read_text()[-2000:]}")
        try:
            if requests.get(url, timeout=1).status_code < 500:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {timeout} s:\n{log.read_text()[-2000:]}")


@dataclass
class Server:
    base: str
    process: subprocess.Popen
    extra: dict = field(default_factory=dict)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()


# --- OpenID Connect -----------------------------------------------------------------------

OIDC_CLIENT_ID = "triad"
OIDC_SECRET = "triad-test-client-secret-0123456789"


def oidc_missing() -> str | None:
    if shutil.which("node") is None:
        return "Node.js is not installed"
    if not (OIDC_DIR / "node_modules" / "oidc-provider").exists():
        return "oidc-provider is not installed (make idp)"
    return None


def start_oidc(workdir: Path, redirect_uris: list[str]) -> Server:
    port = free_port()
    issuer = f"http://127.0.0.1:{port}"
    accounts = {}
    for login, (email, name, mfa) in PEOPLE.items():
        accounts[login] = {
            "claims": {
                "email": email,
                "email_verified": True,
                "name": name,
                "personalIdentityNumber": PNR_DASHED,
                "ssn": PNR,
            },
            "amr": PASSWORD_MFA if mfa else ["pwd"],
        }
    config = {
        "port": port,
        "issuer": issuer,
        "clients": [
            {
                "client_id": OIDC_CLIENT_ID,
                "client_secret": OIDC_SECRET,
                "redirect_uris": redirect_uris,
                "token_endpoint_auth_method": "client_secret_post",
            }
        ],
        "accounts": accounts,
    }
    path = workdir / "oidc.json"
    path.write_text(json.dumps(config))
    log = workdir / "oidc.log"
    process = subprocess.Popen(
        ["node", str(OIDC_DIR / "server.js"), str(path)],
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        cwd=OIDC_DIR,
    )
    _wait_for(f"{issuer}/.well-known/openid-configuration", process, log)
    return Server(base=issuer, process=process)


def oidc_sign_in(authorize_url: str, login: str) -> str:
    """Play the person at the provider: open the authorisation URL Triad sent the browser to,
    sign in as `login`, and return the URL the provider sends the browser back to."""
    session = requests.Session()
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(authorize_url))
    url = authorize_url
    for _ in range(10):
        response = session.get(url, allow_redirects=False, timeout=10)
        if response.status_code == 200 and 'name="login"' in response.text:
            action = response.text.split('action="', 1)[1].split('"', 1)[0]
            response = session.post(
                urljoin(origin, action),
                data={"login": login, "password": "x"},
                allow_redirects=False,
                timeout=10,
            )
        assert response.status_code in (302, 303), (response.status_code, response.text[:500])
        url = urljoin(url, response.headers["Location"])
        if not url.startswith(origin):
            return url
    raise AssertionError("the provider never sent the browser back")


# --- SAML 2.0 ---------------------------------------------------------------------------------


def saml_missing() -> str | None:
    if shutil.which("php") is None:
        return "PHP is not installed (make idp)"
    if not (SIMPLESAMLPHP / "www").exists():
        return "SimpleSAMLphp is not installed (make idp)"
    return None
