"""A real S3 implementation on loopback (moto's server, started once per test process by
bench/objectstore.py) and, per test, an empty bucket that STORAGE_URL names: the settings are
made from the URL by config/storage.py, exactly as a deployment's are."""

import uuid
from dataclasses import dataclass

import pytest

from bench.objectstore import client, moto_server, storage_url
from config.storage import storage_from_url
from tests.workshops.conftest import deliverable, programme, workshop  # noqa: F401

PREFIX = "media"


@pytest.fixture(scope="session")
def s3_endpoint():
    with moto_server() as endpoint:
        yield endpoint


@dataclass
class Bucket:
    """The test's bucket, read with boto3 past Triad: what is really stored there."""

    name: str
    s3: object

    def keys(self) -> list[str]:
        listing = self.s3.list_objects_v2(Bucket=self.name)
        return sorted(item["Key"] for item in listing.get("Contents", []))

    def read(self, name: str) -> bytes:
        """The object behind a FileField's name (the URL's prefix before it)."""
        return self.s3.get_object(Bucket=self.name, Key=f"{PREFIX}/{name}")["Body"].read()

    def remove(self, name: str) -> None:
        self.s3.delete_object(Bucket=self.name, Key=f"{PREFIX}/{name}")


@pytest.fixture
def bucket(s3_endpoint, settings):
    """Uploads and generated files go to a new bucket of the loopback store for this test."""
    name = f"triad-{uuid.uuid4().hex[:16]}"
    s3 = client(s3_endpoint)
    s3.create_bucket(Bucket=name)
    url = storage_url(s3_endpoint, name, prefix=PREFIX)
    settings.STORAGES = {**settings.STORAGES, "default": storage_from_url(url)}
    return Bucket(name, s3)
