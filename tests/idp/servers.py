"""Real identity providers on loopback for the federated sign-in tests, started once per test
process: panva's `oidc-provider` from npm (tests/idp/oidc/, behind a few lines of server
script, on Node.js) for OpenID Connect, and Debian's SimpleSAMLphp (served by `php -S`, with a
generated configuration and a static user list) for SAML 2.0. `make idp` (run by .ci/run)
installs both when they are missing.

Each person the providers know is in PEOPLE; every one of them carries a personal identity
number, sent under the names a Swedish provider uses, which Triad must never keep."""

import html
import json
import re
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


def _wait_for(
    url: str, process: subprocess.Popen, log: Path, timeout: float = 20.0, expect: str = ""
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} stopped at start:\n{log.read_text()[-2000:]}")
        try:
            response = requests.get(url, timeout=1)
            if response.status_code < 500:
                if expect not in response.text:
                    raise RuntimeError(f"{url} answers without {expect!r}: {response.text[:2000]}")
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


SAML_ATTRIBUTES = {
    "email": "urn:oid:0.9.2342.19200300.100.1.3",
    "subject": "urn:oasis:names:tc:SAML:attribute:subject-id",
    "display_name": "urn:oid:2.16.840.1.113730.3.1.241",
    "pnr": "urn:oid:1.2.752.29.4.13",  # personalIdentityNumber (Swedish eID framework)
}


def _php(value) -> str:
    """A Python value as a PHP literal (strings, lists, dicts, booleans)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_php(v) for v in value) + "]"
    if isinstance(value, dict):
        return "[" + ", ".join(f"{_php(k)} => {_php(v)}" for k, v in value.items()) + "]"
    raise TypeError(value)


def start_saml(workdir: Path) -> Server:
    """SimpleSAMLphp as a SAML 2.0 identity provider on loopback, its users static
    (exampleauth:UserPass, password "x"). Service providers are added while it runs
    (`add_saml_sp`): the metadata file reads them from sps.json at every request."""
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    for sub in ("config", "metadata", "cert", "log", "data", "tmp", "sessions"):
        (workdir / sub).mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30",
            "-subj", "/CN=Triad test IdP",
            "-keyout", str(workdir / "cert" / "idp.key"),
            "-out", str(workdir / "cert" / "idp.crt"),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    config = {
        "baseurlpath": base,
        "certdir": f"{workdir}/cert/",
        "loggingdir": f"{workdir}/log/",
        "datadir": f"{workdir}/data/",
        "tempdir": f"{workdir}/tmp",
        "metadatadir": f"{workdir}/metadata/",
        "technicalcontact_name": "Triad tests",
        "technicalcontact_email": "tests@example.org",
        "secretsalt": "triad-test-idp-salt",
        "auth.adminpassword": "triad-test-admin",
        "admin.protectindexpage": False,
        "admin.protectmetadata": False,
        "enable.saml20-idp": True,
        "module.enable": {"exampleauth": True, "core": True, "saml": True},
        "store.type": "phpsession",
        "session.phpsession.savepath": f"{workdir}/sessions",
        "session.cookie.secure": False,
        "logging.handler": "file",
        "logging.logfile": "simplesamlphp.log",
        "timezone": "Europe/Stockholm",
        "language.default": "en",
    }
    (workdir / "config" / "config.php").write_text(f"<?php\n$config = {_php(config)};\n")
    people = {}
    for login, (email, name, mfa) in PEOPLE.items():
        people[f"{login}:x"] = {
            SAML_ATTRIBUTES["email"]: [email],
            SAML_ATTRIBUTES["subject"]: [email],
            SAML_ATTRIBUTES["display_name"]: [name],
            SAML_ATTRIBUTES["pnr"]: [PNR],
            # The same number where a provider puts it under a name of its own.
            "personalIdentityNumber": [PNR_DASHED],
            "triad-test-mfa": ["yes" if mfa else "no"],
        }
    authsources = (
        "<?php\n$config = ['admin' => ['core:AdminPassword'], 'example-userpass' => "
        f"array_merge(['exampleauth:UserPass'], {_php(people)})];\n"
    )
    (workdir / "config" / "authsources.php").write_text(authsources)
    # How the person authenticated, as a real IdP says it: AuthnContextClassRef.
    mfa_code = (
        "$state['saml:AuthnContextClassRef'] = (($attributes['triad-test-mfa'][0] ?? 'no') "
        f"=== 'yes') ? {_php(SAML_MFA)} : {_php(SAML_PASSWORD)}; "
        "unset($attributes['triad-test-mfa']);"
    )
    hosted = {
        "host": "__DEFAULT__",
        "privatekey": "idp.key",
        "certificate": "idp.crt",
        "auth": "example-userpass",
        "attributes.NameFormat": "urn:oasis:names:tc:SAML:2.0:attrname-format:uri",
        "NameIDFormat": "urn:oasis:names:tc:SAML:2.0:nameid-format:transient",
    }
    (workdir / "metadata" / "saml20-idp-hosted.php").write_text(
        "<?php\n$metadata['__DYNAMIC:1__'] = "
        f"array_merge({_php(hosted)}, ['authproc' => [50 => ['class' => 'core:PHP', "
        f"'code' => {_php(mfa_code)}]]]);\n"
    )
    (workdir / "metadata" / "sps.json").write_text("{}")
    (workdir / "metadata" / "saml20-sp-remote.php").write_text(
        "<?php\nforeach (json_decode(file_get_contents(__DIR__ . '/sps.json'), true) "
        "as $id => $sp) { $metadata[$id] = $sp; }\n"
    )
    log = workdir / "php.log"
    env = {"SIMPLESAMLPHP_CONFIG_DIR": str(workdir / "config"), "PATH": "/usr/bin:/bin"}
    process = subprocess.Popen(
        ["php", "-S", f"127.0.0.1:{port}", "-t", str(SIMPLESAMLPHP / "www")],
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        env=env,
    )
    metadata_url = f"{base}saml2/idp/metadata.php"
    _wait_for(metadata_url, process, log, expect="EntityDescriptor")
    return Server(base=base, process=process, extra={"workdir": workdir, "metadata": metadata_url})


def add_saml_sp(server: Server, triad_base: str, slug: str) -> None:
    """Tell the provider about Triad's SAML connection `slug` as Triad at `triad_base` serves it."""
    path = server.extra["workdir"] / "metadata" / "sps.json"
    sps = json.loads(path.read_text())
    root = f"{triad_base.rstrip('/')}/accounts/saml/{slug}"
    sps[f"{root}/metadata/"] = {
        "AssertionConsumerService": f"{root}/acs/",
        "SingleLogoutService": f"{root}/sls/",
        "attributes.NameFormat": "urn:oasis:names:tc:SAML:2.0:attrname-format:uri",
    }
    path.write_text(json.dumps(sps))


def saml_sign_in(sso_url: str, login: str) -> tuple[str, dict]:
    """Play the person at SimpleSAMLphp: open the single sign-on URL Triad sent the browser
    to, sign in as `login`, and return the assertion consumer URL and the form fields the
    provider's page posts there (SAMLResponse, RelayState)."""
    session = requests.Session()
    response = session.get(sso_url, timeout=10)
    assert response.status_code == 200, response.text[:1000]
    if 'name="username"' in response.text:
        action = response.url
        fields = dict(re.findall(r'name="(AuthState)" value="([^"]*)"', response.text))
        fields = {k: html.unescape(v) for k, v in fields.items()}
        response = session.post(
            action, data={**fields, "username": login, "password": "x"}, timeout=10
        )
        assert response.status_code == 200, response.text[:1000]
    form_action = html.unescape(re.search(r'<form[^>]*action="([^"]+)"', response.text).group(1))
    posted = {
        name: html.unescape(value)
        for name, value in re.findall(
            r'<input type="hidden" name="([^"]+)" value="([^"]*)"', response.text
        )
    }
    assert "SAMLResponse" in posted, response.text[:1000]
    return form_action, posted
