"""Kinesis adapter: publish CloudEvents, keyed by subject so a report's events stay in order."""

from __future__ import annotations

from typing import Any

import boto3
from botocore.config import Config

from ioc_core.settings import Settings

MAX_PUT_RECORDS = 500


def kinesis_client(settings: Settings) -> Any:
    return boto3.client(
        "kinesis",
        region_name=settings.region,
        endpoint_url=settings.aws_endpoint,
        config=Config(retries={"max_attempts": 3, "mode": "standard"}),
    )


class KinesisPublisher:
    def __init__(self, settings: Settings, client: Any | None = None) -> None:
        self.stream = settings.name("events")
        self.client = client or kinesis_client(settings)

    def publish(self, records: list[tuple[str, str]]) -> list[int]:
        """Put (partition key, JSON) records; return the positions Kinesis refused."""
        failed: list[int] = []
        for start in range(0, len(records), MAX_PUT_RECORDS):
            chunk = records[start : start + MAX_PUT_RECORDS]
            response = self.client.put_records(
                StreamName=self.stream,
                Records=[{"PartitionKey": key, "Data": data.encode("utf-8")} for key, data in chunk],
            )
            if response.get("FailedRecordCount"):
                failed.extend(
                    start + i for i, result in enumerate(response["Records"]) if result.get("ErrorCode")
                )
        return failed
