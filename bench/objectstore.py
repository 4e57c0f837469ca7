"""An S3-compatible object store on loopback: moto's server in a child process, with one empty
bucket, for gunicorn instances (and the tests, tests/storage/) to share through STORAGE_URL.

    with object_store() as storage_url:
        env = {**env, "STORAGE_URL": storage_url}   # s3://KEY:SECRET@bucket?endpoint_url=…

The server picks a free port itself and tells it on its first line; it stops when the block
ends, and also when this process dies (it reads its standard input until end-of-file)."""

import contextlib
import subprocess
import sys
from collections.abc import Iterator
from urllib.parse import quote

import boto3

# moto accepts any credentials; these travel in the URL, as a deployment's may.
ACCESS_KEY = "bench-access-key"
SECRET_KEY = "bench/secret+key"  # percent-encoded in the URL, as a real secret must be
REGION = "us-east-1"

SERVER = """
import logging
import sys
from moto.server import ThreadedMotoServer

logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request

server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
server.start()
print(server.get_host_and_port()[1], flush=True)
sys.stdin.read()  # until the parent closes it or dies
server.stop()
"""


def storage_url(endpoint: str, bucket: str, prefix: str = "") -> str:
    """STORAGE_URL for a bucket at `endpoint`, the credentials in the URL (config/storage.py)."""
    key, secret = quote(ACCESS_KEY, safe=""), quote(SECRET_KEY, safe="")
    path = f"/{prefix}" if prefix else ""
    return (
        f"s3://{key}:{secret}@{bucket}{path}"
        f"?endpoint_url={quote(endpoint, safe='')}&region={REGION}"
    )


def client(endpoint: str):
    """A boto3 S3 client for the server, to make buckets and look into them."""
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
    )


@contextlib.contextmanager
def moto_server() -> Iterator[str]:
    """moto's S3 server on a free loopback port; yields its endpoint URL."""
    process = subprocess.Popen(  # noqa: S603 - this Python, fixed code
        [sys.executable, "-c", SERVER],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        port = process.stdout.readline().strip()
        if not port.isdigit():
            raise RuntimeError(f"moto's server did not start (exit status {process.poll()})")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.stdin.close()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.contextmanager
def object_store(bucket: str = "triad-bench") -> Iterator[str]:
    """moto's server with one empty bucket; yields the STORAGE_URL that names it."""
    with moto_server() as endpoint:
        client(endpoint).create_bucket(Bucket=bucket)
        yield storage_url(endpoint, bucket)
