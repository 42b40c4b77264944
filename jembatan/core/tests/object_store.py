"""A real S3-compatible server for tests: moto's, on a free loopback port, in a thread.

``object_store`` starts it once per test session; ``s3_storage`` gives a test a
fresh private bucket and makes it Jembatan's file storage, configured by the same
``JEMBATAN_S3_*`` settings production reads (``config.settings.base.object_storage``).
The root conftest.py loads these fixtures for every test (``pytest_plugins``).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import boto3
import pytest
from moto.server import ThreadedMotoServer

from config.settings.base import object_storage

REGION = "ap-southeast-3"  # Jakarta
KEYS = {"JEMBATAN_S3_ACCESS_KEY": "jembatan-test", "JEMBATAN_S3_SECRET_KEY": "not-a-secret"}


@dataclass(frozen=True)
class Bucket:
    """The bucket a test stores into, and a client that reads it directly."""

    endpoint: str
    name: str
    client: Any

    def objects(self) -> dict[str, bytes]:
        """Every object in the bucket by key, read with the owner's credentials."""
        listed = self.client.list_objects_v2(Bucket=self.name).get("Contents", [])
        return {
            item["Key"]: self.client.get_object(Bucket=self.name, Key=item["Key"])["Body"].read()
            for item in listed
        }

    def url(self, key: str) -> str:
        """The object's plain (unsigned) address, as anyone on the network would ask for it."""
        return f"{self.endpoint}/{self.name}/{key}"


@pytest.fixture(scope="session")
def object_store() -> Iterator[str]:
    """The endpoint of a moto S3 server running for the whole test session."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_storage(object_store: str, settings: Any) -> Bucket:
    """A new bucket, made Jembatan's file storage for this test."""
    name = f"jembatan-{uuid.uuid4().hex[:12]}"
    environ = {
        "JEMBATAN_S3_BUCKET": name,
        "JEMBATAN_S3_ENDPOINT_URL": object_store,
        "JEMBATAN_S3_REGION": REGION,
        **KEYS,
    }
    client = boto3.client(
        "s3",
        endpoint_url=object_store,
        region_name=REGION,
        aws_access_key_id=KEYS["JEMBATAN_S3_ACCESS_KEY"],
        aws_secret_access_key=KEYS["JEMBATAN_S3_SECRET_KEY"],
    )
    client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    settings.STORAGES = {**settings.STORAGES, "default": object_storage(environ)}
    return Bucket(endpoint=object_store, name=name, client=client)
