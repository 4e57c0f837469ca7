"""Where uploads and generated files live: `STORAGE_URL`, read by config/settings/base.py into
`STORAGES["default"]` (what `default_storage` and every FileField use).

    (unset)                          the file system under MEDIA_ROOT, on this machine only
    s3://BUCKET[/PREFIX]?endpoint_url=URL&region=NAME[&addressing_style=path][&signature_version=s3v4]
    s3://KEY:SECRET@BUCKET/...       the same, with the credentials in the URL (percent-encoded)

An `s3://` URL puts the files in a bucket of any S3-compatible object store (AWS S3, Ceph,
Garage, SeaweedFS, moto in the tests), so every web and worker instance sees the same files.
Without credentials in the URL, boto3 finds its own: AWS_ACCESS_KEY_ID and
AWS_SECRET_ACCESS_KEY in the environment, a profile, or the machine's role. Without an
endpoint_url the store is AWS S3 itself. What the URL does not say falls back to
django-storages' own settings (AWS_S3_*; e.g. AWS_S3_OBJECT_PARAMETERS for server-side
encryption) — set those in a settings module, or name `infra.storage.PrivateS3Storage` in
`STORAGES["default"]` there and leave STORAGE_URL unset.

This module only parses: it imports neither boto3 nor django-storages, so the settings load
quickly and a mistyped URL stops the start with a message that says what is wrong."""

from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

FILE_SYSTEM = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
OBJECT_STORE = "infra.storage.PrivateS3Storage"

# The URL's query parameters and the django-storages option each sets.
PARAMETERS = {
    "endpoint_url": "endpoint_url",
    "region": "region_name",
    "addressing_style": "addressing_style",
    "signature_version": "signature_version",
}
ADDRESSING_STYLES = {"auto", "path", "virtual"}


def _refuse(problem: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(
        f"STORAGE_URL: {problem}. Expected "
        "s3://[KEY:SECRET@]BUCKET[/PREFIX]?endpoint_url=URL&region=NAME (see config/storage.py)."
    )


def storage_from_url(url: str) -> dict:
    """The `STORAGES["default"]` entry for STORAGE_URL (the file system when it is empty)."""
    if not url:
        return dict(FILE_SYSTEM)
    parts = urlsplit(url)
    if parts.scheme != "s3":
        raise _refuse(f"the scheme must be s3://, not {parts.scheme or 'none'}://")
    if parts.port is not None:
        raise _refuse("a port belongs in endpoint_url, not after the bucket")
    bucket = parts.hostname
    if not bucket:
        raise _refuse("no bucket named")
    options = {"bucket_name": bucket}
    prefix = parts.path.strip("/")
    if prefix:
        options["location"] = unquote(prefix)
    if parts.username is not None or parts.password is not None:
        if not (parts.username and parts.password):
            raise _refuse("credentials in the URL need both KEY and SECRET")
        options["access_key"] = unquote(parts.username)
        options["secret_key"] = unquote(parts.password)

    seen = set()
    for name, value in parse_qsl(parts.query, keep_blank_values=True, strict_parsing=False):
        if name not in PARAMETERS:
            raise _refuse(f"unknown parameter {name!r} (known: {', '.join(PARAMETERS)})")
        if name in seen:
            raise _refuse(f"{name} is given twice")
        if not value:
            raise _refuse(f"{name} is empty")
        seen.add(name)
        options[PARAMETERS[name]] = value
    endpoint = options.get("endpoint_url")
    if endpoint and urlsplit(endpoint).scheme not in {"http", "https"}:
        raise _refuse("endpoint_url must start with http:// or https://")
    if options.get("addressing_style", "auto") not in ADDRESSING_STYLES:
        raise _refuse(f"addressing_style must be one of {', '.join(sorted(ADDRESSING_STYLES))}")
    return {"BACKEND": OBJECT_STORE, "OPTIONS": options}
