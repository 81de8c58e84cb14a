"""Which `diagrams` icon stands for a box: the technology named in its text first, then its kind.

An ordered table, first match wins: "Java, Spring Boot" is Spring (the framework says more than the
language), "TypeScript, React" is React. Anything unknown gets a generic icon for its kind.
"""

from __future__ import annotations

import importlib
import re
from functools import cache
from typing import Any

#: (word pattern in the technology or name, "module.Class" under `diagrams.`). Order matters.
TECHNOLOGY_ICONS: tuple[tuple[str, str], ...] = (
    (r"kafka", "onprem.queue.Kafka"),
    (r"rabbit", "onprem.queue.Rabbitmq"),
    (r"nats", "onprem.queue.Nats"),
    (r"activemq|artemis", "onprem.queue.Activemq"),
    (r"zeromq", "onprem.queue.Zeromq"),
    (r"\bsqs\b", "aws.integration.SimpleQueueServiceSqs"),
    (r"\bsns\b", "aws.integration.SimpleNotificationServiceSns"),
    (r"eventbridge", "aws.integration.Eventbridge"),
    (r"postgres", "onprem.database.Postgresql"),
    (r"mysql", "onprem.database.Mysql"),
    (r"mariadb", "onprem.database.Mariadb"),
    (r"mongo", "onprem.database.Mongodb"),
    (r"cassandra", "onprem.database.Cassandra"),
    (r"clickhouse", "onprem.database.Clickhouse"),
    (r"oracle", "onprem.database.Oracle"),
    (r"sql ?server|mssql", "onprem.database.Mssql"),
    (r"neo4j", "onprem.database.Neo4J"),
    (r"redis", "onprem.inmemory.Redis"),
    (r"memcache", "onprem.inmemory.Memcached"),
    (r"elastic|opensearch", "elastic.elasticsearch.Elasticsearch"),
    (r"\bs3\b", "aws.storage.SimpleStorageServiceS3"),
    (r"kong", "onprem.network.Kong"),
    (r"nginx", "onprem.network.Nginx"),
    (r"envoy", "onprem.network.Envoy"),
    (r"traefik", "onprem.network.Traefik"),
    (r"haproxy", "onprem.network.Haproxy"),
    (r"react", "programming.framework.React"),
    (r"angular", "programming.framework.Angular"),
    (r"\bvue", "programming.framework.Vue"),
    (r"svelte", "programming.framework.Svelte"),
    (r"next\.?js", "programming.framework.Nextjs"),
    (r"flutter", "programming.framework.Flutter"),
    (r"spring", "programming.framework.Spring"),
    (r"quarkus", "programming.framework.Quarkus"),
    (r"micronaut", "programming.framework.Micronaut"),
    (r"fastapi", "programming.framework.Fastapi"),
    (r"django", "programming.framework.Django"),
    (r"flask", "programming.framework.Flask"),
    (r"rails", "programming.framework.Rails"),
    (r"\.net|dotnet|asp\.net", "programming.framework.Dotnet"),
    (r"kotlin", "programming.language.Kotlin"),
    (r"scala", "programming.language.Scala"),
    (r"java\b", "programming.language.Java"),
    (r"python", "programming.language.Python"),
    (r"\bgo\b|golang", "programming.language.Go"),
    (r"rust", "programming.language.Rust"),
    (r"c#|csharp", "programming.language.Csharp"),
    (r"typescript", "programming.language.Typescript"),
    (r"node\.?js", "programming.language.Nodejs"),
    (r"javascript", "programming.language.Javascript"),
    (r"ruby", "programming.language.Ruby"),
    (r"php", "programming.language.Php"),
    (r"elixir", "programming.language.Elixir"),
    (r"swift", "programming.language.Swift"),
)

#: Fallbacks by C4 kind (a broker's kind is its broker kind: kafka, rabbitmq, ...).
KIND_ICONS: dict[str, str] = {
    "person": "onprem.client.User",
    "database": "generic.database.SQL",
    "storage": "generic.storage.Storage",
    "queue": "onprem.queue.Kafka",
    "mobile": "generic.device.Mobile",
    "webapp": "onprem.client.Client",
    "desktop": "onprem.client.Client",
    "gateway": "generic.network.Router",
    "batch": "onprem.compute.Server",
    "service": "onprem.compute.Server",
    "container": "onprem.compute.Server",
}

_COMPILED = tuple((re.compile(pattern, re.IGNORECASE), target) for pattern, target in TECHNOLOGY_ICONS)


def icon_path(technology: str, kind: str) -> str | None:
    """`module.Class` of the icon for a box, or None (drawn as a plain box)."""
    for pattern, target in _COMPILED:
        if pattern.search(technology):
            return target
    return KIND_ICONS.get(kind)


@cache
def icon_class(path: str) -> Any:
    """Import `diagrams.<module>.<Class>` on first use (the library loads slowly module by module)."""
    module, _, name = path.rpartition(".")
    return getattr(importlib.import_module(f"diagrams.{module}"), name)
